//! PageRank and eigenvector centrality by power iteration on the weighted graph.

use crate::csr::Graph;

/// PageRank with damping `alpha` (0.85 is usual): a random walker follows a
/// link with probability `alpha` (in proportion to its weight) or jumps to a
/// uniformly chosen node; isolated nodes spread their rank uniformly. Iterates
/// until the L1 change is below 1e-12 or 1,000 rounds. Sums to 1.
pub fn pagerank(graph: &Graph, alpha: f64) -> Vec<f64> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let strength: Vec<f64> = (0..n as u32).map(|v| graph.weighted_degree(v)).collect();
    let mut rank = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..1000 {
        let dangling: f64 = (0..n).filter(|&v| strength[v] == 0.0).map(|v| rank[v]).sum();
        let base = (1.0 - alpha) / n as f64 + alpha * dangling / n as f64;
        for (v, slot) in next.iter_mut().enumerate() {
            let v32 = v as u32;
            let inflow: f64 = graph
                .neighbors(v32)
                .iter()
                .zip(graph.neighbor_weights(v32))
                .map(|(&u, w)| rank[u as usize] * w / strength[u as usize])
                .sum();
            *slot = base + alpha * inflow;
        }
        let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < 1e-12 {
            break;
        }
    }
    rank
}

/// Eigenvector centrality: the leading eigenvector of the weighted adjacency
/// matrix, by power iteration on A + I (as networkx does, which converges on
/// bipartite graphs too), scaled to unit Euclidean length. Iterates until the
/// L1 change is below n·1e-12 or 10,000 rounds.
pub fn eigenvector(graph: &Graph) -> Vec<f64> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..10_000 {
        for (v, slot) in next.iter_mut().enumerate() {
            let v32 = v as u32;
            let sum: f64 =
                graph.neighbors(v32).iter().zip(graph.neighbor_weights(v32)).map(|(&u, w)| x[u as usize] * w).sum();
            *slot = x[v] + sum;
        }
        let norm = next.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm == 0.0 {
            return vec![0.0; n];
        }
        next.iter_mut().for_each(|a| *a /= norm);
        let change: f64 = x.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * 1e-12 {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centrality::tests::kite;
    use crate::edges::EdgeList;

    #[test]
    fn pagerank_matches_networkx() {
        let r = pagerank(&kite(), 0.85);
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // networkx.pagerank(kite): node 2 → 0.2734..., node 0 → 0.1069...
        assert!(r[2] > r[1] && r[1] > r[0]);
        assert!((r[1] - r[3]).abs() < 1e-12 && (r[0] - r[4]).abs() < 1e-12);
    }

    #[test]
    fn eigenvector_of_a_star_centres_on_the_hub() {
        let g = Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (0, 2), (0, 3), (0, 4)]));
        let x = eigenvector(&g);
        // Leading eigenvector of a 4-leaf star: hub 1/√2, leaves 1/(2√2).
        assert!((x[0] - 0.5f64.sqrt()).abs() < 1e-6, "{x:?}");
        assert!((x[1] - 0.5f64.sqrt() / 2.0).abs() < 1e-6);
    }
}
