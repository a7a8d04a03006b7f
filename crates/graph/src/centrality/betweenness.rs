//! Betweenness by Brandes' algorithm (2001) on hop distances: one breadth-
//! first search per source, then dependencies accumulated in reverse order
//! by scanning neighbours again (no predecessor lists to allocate).
//! Undirected: each pair of nodes is counted once, as igraph and networkx
//! (`normalized=False`) do.

use super::parallel::over_sources;
use crate::csr::Graph;
use crate::rng::Rng;

/// Per-thread buffers of one search.
struct Scratch {
    dist: Vec<u32>,
    sigma: Vec<f64>,
    /// (1 + δ(w)) / σ(w) of nodes already accumulated.
    coefficient: Vec<f64>,
    order: Vec<u32>,
    /// Successors on shortest paths, grouped by node in search order.
    successors: Vec<u32>,
    /// Where each node's successors end in `successors`, by position in `order`.
    ends: Vec<usize>,
}

impl Scratch {
    fn new(n: usize, arcs: usize) -> Self {
        Scratch {
            dist: vec![u32::MAX; n],
            sigma: vec![0.0; n],
            coefficient: vec![0.0; n],
            order: vec![0; n],
            successors: vec![0; arcs],
            ends: vec![0; n],
        }
    }
}

/// Adds `scale` times the dependencies of source `s` to `scores`. The search
/// records each node's successors on shortest paths, so the accumulation
/// reads only those links: δ(w) = σ(w) · Σ_{u succ w} (1 + δ(u)) / σ(u).
fn accumulate(graph: &Graph, s: u32, scratch: &mut Scratch, scores: &mut [f64], scale: f64) {
    let Scratch { dist, sigma, coefficient, order, successors, ends } = scratch;
    dist[s as usize] = 0;
    sigma[s as usize] = 1.0;
    order[0] = s;
    let (mut head, mut reached, mut found) = (0, 1, 0);
    while head < reached {
        let v = order[head];
        let next = dist[v as usize] + 1;
        let sigma_v = sigma[v as usize];
        for &u in graph.neighbors(v) {
            let du = &mut dist[u as usize];
            if *du == u32::MAX {
                *du = next;
                order[reached] = u;
                reached += 1;
            }
            if *du == next {
                sigma[u as usize] += sigma_v;
                successors[found] = u;
                found += 1;
            }
        }
        ends[head] = found;
        head += 1;
    }
    let order = &order[..reached];
    for (position, &w) in order.iter().enumerate().rev() {
        let begin = if position == 0 { 0 } else { ends[position - 1] };
        let sum: f64 = successors[begin..ends[position]].iter().map(|&u| coefficient[u as usize]).sum();
        let delta = sigma[w as usize] * sum;
        coefficient[w as usize] = (1.0 + delta) / sigma[w as usize];
        if w != s {
            scores[w as usize] += delta * scale;
        }
    }
    for &v in order.iter() {
        dist[v as usize] = u32::MAX;
        sigma[v as usize] = 0.0;
    }
}

/// Exact betweenness of every node, over `threads` threads.
pub fn betweenness(graph: &Graph, threads: usize) -> Vec<f64> {
    let n = graph.node_count();
    let sources: Vec<u32> = (0..n as u32).collect();
    over_sources(
        n,
        &sources,
        threads,
        || Scratch::new(n, graph.arc_count()),
        |s, scratch, scores| accumulate(graph, s, scratch, scores, 0.5),
    )
}

/// Betweenness estimated from sampled pivots, with its error bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampled {
    /// Estimated betweenness of every node (same scale as [`betweenness`]).
    pub scores: Vec<f64>,
    /// Pivots used.
    pub pivots: usize,
    /// With probability at least `confidence`, every node's estimate is
    /// within this of its exact betweenness (same scale as the scores).
    pub error_bound: f64,
    /// Probability that the bound holds for all nodes at once.
    pub confidence: f64,
}

/// Betweenness estimated from `pivots` sources drawn uniformly with
/// replacement (Brandes and Pich 2007), scaled by n / pivots.
///
/// Error bound: each pivot's contribution to a node's normalised betweenness
/// lies in [0, n/(n−1)], so by Hoeffding's inequality and a union bound over
/// the n nodes, with probability at least 1 − δ (δ = 0.05) every estimate of
/// normalised betweenness is within (n/(n−1))·√(ln(2n/δ) / (2k)) of the exact
/// value; the bound is reported on the raw scale ((n−1)(n−2)/2 times that).
pub fn betweenness_sampled(graph: &Graph, pivots: usize, seed: u64, threads: usize) -> Sampled {
    let n = graph.node_count();
    let confidence = 0.95;
    if n < 3 || pivots == 0 {
        return Sampled { scores: vec![0.0; n], pivots, error_bound: 0.0, confidence };
    }
    let mut rng = Rng::new(seed);
    let sources: Vec<u32> = (0..pivots).map(|_| rng.below(n) as u32).collect();
    let scale = 0.5 * n as f64 / pivots as f64;
    let scores = over_sources(
        n,
        &sources,
        threads,
        || Scratch::new(n, graph.arc_count()),
        |s, scratch, out| accumulate(graph, s, scratch, out, scale),
    );
    let nf = n as f64;
    let normalised_bound = nf / (nf - 1.0) * ((2.0 * nf / (1.0 - confidence)).ln() / (2.0 * pivots as f64)).sqrt();
    Sampled { scores, pivots, error_bound: normalised_bound * (nf - 1.0) * (nf - 2.0) / 2.0, confidence }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centrality::tests::kite;
    use crate::edges::EdgeList;

    #[test]
    fn betweenness_of_a_kite() {
        // networkx.betweenness_centrality(G, normalized=False): {0: 0, 1: 4, 2: 8, 3: 4, 4: 0, 5: 0}
        assert_eq!(betweenness(&kite(), 1), [0.0, 4.0, 8.0, 4.0, 0.0, 0.0]);
        assert_eq!(betweenness(&kite(), 3), [0.0, 4.0, 8.0, 4.0, 0.0, 0.0]);
    }

    #[test]
    fn shortest_paths_are_shared_between_routes() {
        // A 4-cycle: each node carries half of the one pair it separates.
        let g = Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (1, 2), (2, 3), (3, 0)]));
        assert_eq!(betweenness(&g, 2), [0.5; 4]);
    }

    #[test]
    fn sampling_every_node_many_times_approaches_the_exact_value() {
        let g = kite();
        let sampled = betweenness_sampled(&g, 6000, 5, 2);
        for (s, e) in sampled.scores.iter().zip(betweenness(&g, 1)) {
            assert!((s - e).abs() <= sampled.error_bound, "{s} vs {e}");
            assert!((s - e).abs() < 0.6, "{s} vs {e}");
        }
        assert!(sampled.error_bound > 0.0 && sampled.error_bound < 10.0 * 0.25);
    }
}
