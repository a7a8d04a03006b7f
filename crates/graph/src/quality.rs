//! Quality of a partition: modularity (with a resolution), the constant
//! Potts model, and normalised mutual information against a ground truth.

use crate::csr::Graph;

/// Modularity with resolution γ: Σ_c [ w_c / m − γ (K_c / 2m)² ], where
/// `w_c` is the weight inside community `c` and `K_c` the sum of its weighted degrees.
pub fn modularity(graph: &Graph, membership: &[u32], resolution: f64) -> f64 {
    let (inside, totals) = inside_and_totals(graph, membership, |v| graph.weighted_degree(v));
    let two_m: f64 = totals.iter().sum();
    if two_m == 0.0 {
        return 0.0;
    }
    let inside_sum: f64 = inside.iter().sum();
    inside_sum / (two_m / 2.0) - resolution * totals.iter().map(|k| (k / two_m).powi(2)).sum::<f64>()
}

/// Constant Potts model quality: Σ_c [ w_c − γ n_c (n_c − 1) / 2 ].
pub fn cpm(graph: &Graph, membership: &[u32], resolution: f64) -> f64 {
    let (inside, sizes) = inside_and_totals(graph, membership, |_| 1.0);
    inside.iter().zip(&sizes).map(|(w, n)| w - resolution * n * (n - 1.0) / 2.0).sum()
}

/// Weight inside each community (each link once) and the sum of `node_value` over its nodes.
fn inside_and_totals(graph: &Graph, membership: &[u32], node_value: impl Fn(u32) -> f64) -> (Vec<f64>, Vec<f64>) {
    let k = membership.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut inside = vec![0.0; k];
    let mut totals = vec![0.0; k];
    for v in 0..graph.node_count() as u32 {
        let c = membership[v as usize] as usize;
        totals[c] += node_value(v);
        for (&u, w) in graph.neighbors(v).iter().zip(graph.neighbor_weights(v)) {
            if membership[u as usize] as usize == c {
                inside[c] += w / 2.0;
            }
        }
    }
    (inside, totals)
}

/// Normalised mutual information of two partitions of the same nodes,
/// 2 I(A; B) / (H(A) + H(B)) (the arithmetic normalisation of Danon et al.,
/// as igraph's `compare_communities(method="nmi")` and scikit-learn's default).
/// Two partitions with one community each have NMI 1.
pub fn nmi(a: &[u32], b: &[u32]) -> f64 {
    assert_eq!(a.len(), b.len(), "partitions of the same nodes");
    let n = a.len() as f64;
    if a.is_empty() {
        return 1.0;
    }
    let (ka, kb) = (count(a), count(b));
    let mut joint: std::collections::HashMap<(u32, u32), f64> = std::collections::HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *joint.entry((x, y)).or_insert(0.0) += 1.0;
    }
    let entropy = |sizes: &[f64]| -sizes.iter().filter(|&&s| s > 0.0).map(|s| s / n * (s / n).ln()).sum::<f64>();
    let (ha, hb) = (entropy(&ka), entropy(&kb));
    if ha + hb == 0.0 {
        return 1.0;
    }
    let info: f64 =
        joint.iter().map(|(&(x, y), &nxy)| nxy / n * (n * nxy / (ka[x as usize] * kb[y as usize])).ln()).sum();
    (2.0 * info / (ha + hb)).clamp(0.0, 1.0)
}

fn count(labels: &[u32]) -> Vec<f64> {
    let k = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut sizes = vec![0.0; k];
    for &l in labels {
        sizes[l as usize] += 1.0;
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edges::EdgeList;

    #[test]
    fn modularity_of_a_triangle_pair() {
        let g = Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)]));
        let q = modularity(&g, &[0, 0, 0, 1, 1, 1], 1.0);
        // networkx.community.modularity gives 0.357142857...
        assert!((q - 5.0 / 14.0).abs() < 1e-12, "{q}");
        assert!(modularity(&g, &[0; 6], 1.0).abs() < 1e-12);
        assert!((cpm(&g, &[0, 0, 0, 1, 1, 1], 1.0)).abs() < 1e-12);
    }

    #[test]
    fn nmi_is_one_for_the_same_partition_and_zero_for_independent_ones() {
        assert!((nmi(&[0, 0, 1, 1], &[5, 5, 2, 2]) - 1.0).abs() < 1e-12);
        assert!(nmi(&[0, 0, 1, 1], &[0, 1, 0, 1]).abs() < 1e-12);
        // sklearn.metrics.normalized_mutual_info_score([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.5158037429793889
        assert!((nmi(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]) - 0.515_803_742_979_388_9).abs() < 1e-12);
    }
}
