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

/// Weight inside and total node value of each community.
type Sums = (Vec<f64>, Vec<f64>);

/// Nodes per chunk of the parallel sums: fixed, so that the sums (and their
/// rounding) are the same on any number of threads.
const CHUNK: usize = 1 << 16;

/// Weight inside each community (each link once) and the sum of `node_value`
/// over its nodes. Large graphs with at most `CHUNK` communities are summed
/// in fixed chunks of nodes on the available cores, the chunks' sums then
/// added in order (the same on one thread).
fn inside_and_totals(graph: &Graph, membership: &[u32], node_value: impl Fn(u32) -> f64 + Sync) -> Sums {
    let k = membership.iter().copied().max().map_or(0, |m| m as usize + 1);
    let n = graph.node_count();
    let chunk_sums = |range: std::ops::Range<usize>| {
        let mut inside = vec![0.0; k];
        let mut totals = vec![0.0; k];
        for v in range {
            let v = v as u32;
            let c = membership[v as usize] as usize;
            totals[c] += node_value(v);
            for (&u, w) in graph.neighbors(v).iter().zip(graph.neighbor_weights(v)) {
                if membership[u as usize] as usize == c {
                    inside[c] += w / 2.0;
                }
            }
        }
        (inside, totals)
    };
    // Many communities (such as the singletons a run starts from) would make
    // per-chunk sums costly: those are summed in one pass.
    let chunks = if k <= CHUNK { n.div_ceil(CHUNK) } else { 1 };
    if chunks <= 1 {
        return chunk_sums(0..n);
    }
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get()).min(chunks);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut parts: Vec<(usize, Sums)> = std::thread::scope(|scope| {
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= chunks {
                    break done;
                }
                done.push((i, chunk_sums(i * CHUNK..((i + 1) * CHUNK).min(n))));
            }
        };
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut parts = work();
        for h in handles {
            parts.extend(h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        parts
    });
    parts.sort_unstable_by_key(|&(i, _)| i);
    let (mut inside, mut totals) = (vec![0.0; k], vec![0.0; k]);
    for (_, (part_inside, part_totals)) in parts {
        inside.iter_mut().zip(part_inside).for_each(|(a, b)| *a += b);
        totals.iter_mut().zip(part_totals).for_each(|(a, b)| *a += b);
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

    #[test]
    fn large_graphs_are_summed_in_chunks_to_the_same_value() {
        // A ring of 70,000 nodes cut into groups of 100 consecutive nodes: each group
        // holds 99 of the n links and 200 of the 2n link ends, so Q = 0.99 − 100/n.
        let n = 70_000u32;
        let g = Graph::from_arcs(n as usize, (0..n).map(|v| (v, (v + 1) % n, 1.0)));
        let groups: Vec<u32> = (0..n).map(|v| v / 100).collect();
        assert!(groups.len() > CHUNK && 700 <= CHUNK, "the chunked path is taken");
        let expected = 0.99 - 100.0 / f64::from(n);
        assert!((modularity(&g, &groups, 1.0) - expected).abs() < 1e-12);
        // CPM: 700 groups × (99 − 0.01 × 100 × 99 / 2).
        assert!((cpm(&g, &groups, 0.01) - 700.0 * (99.0 - 0.01 * 4950.0)).abs() < 1e-6);
        // Singletons (more communities than a chunk) take the single pass.
        let singletons: Vec<u32> = (0..n).collect();
        assert!((modularity(&g, &singletons, 1.0) + f64::from(n) * (2.0 / (2.0 * f64::from(n))).powi(2)).abs() < 1e-12);
    }
}
