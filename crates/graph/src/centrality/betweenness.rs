//! Betweenness by Brandes' algorithm (2001) on hop distances: one breadth-
//! first search per source, then dependencies accumulated in reverse order
//! by scanning neighbours again (no predecessor lists to allocate).
//! Undirected: each pair of nodes is counted once, as igraph and networkx
//! (`normalized=False`) do.

use super::batched::{self, accumulate_batch, batch_size};
use super::parallel::over_batches;
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

/// Exact betweenness of every node, over `threads` threads (sources in
/// batches of up to 64 searched together; see `batched.rs`).
pub fn betweenness(graph: &Graph, threads: usize) -> Vec<f64> {
    let n = graph.node_count();
    let sources: Vec<u32> = (0..n as u32).collect();
    let batch = batch_size(n);
    over_batches(
        n,
        &sources,
        batch,
        threads,
        || batched::Scratch::new(n, batch),
        |b, scratch, scores| accumulate_batch(graph, b, scratch, scores, 0.5),
    )
}

/// Exact betweenness computed one source at a time (the reference for the batched search).
pub fn betweenness_one_source_at_a_time(graph: &Graph, threads: usize) -> Vec<f64> {
    let n = graph.node_count();
    let sources: Vec<u32> = (0..n as u32).collect();
    over_batches(
        n,
        &sources,
        1,
        threads,
        || Scratch::new(n, graph.arc_count()),
        |b, scratch, scores| accumulate(graph, b[0], scratch, scores, 0.5),
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
    let batch = batch_size(n);
    let scores = over_batches(
        n,
        &sources,
        batch,
        threads,
        || batched::Scratch::new(n, batch),
        |b, scratch, out| accumulate_batch(graph, b, scratch, out, scale),
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

    /// Betweenness from all-pairs shortest-path counts, straight from the
    /// definition: Σ_{s<t} σ_st(v)/σ_st, with σ_st(v) = σ_sv·σ_vt when d(s,v)+d(v,t) = d(s,t).
    fn by_definition(g: &Graph) -> Vec<f64> {
        let n = g.node_count();
        let mut dist = vec![vec![u32::MAX; n]; n];
        let mut count = vec![vec![0f64; n]; n];
        for s in 0..n {
            dist[s][s] = 0;
            count[s][s] = 1.0;
            let mut queue = std::collections::VecDeque::from([s]);
            while let Some(v) = queue.pop_front() {
                for &u in g.neighbors(v as u32) {
                    let u = u as usize;
                    if dist[s][u] == u32::MAX {
                        dist[s][u] = dist[s][v] + 1;
                        queue.push_back(u);
                    }
                    if dist[s][u] == dist[s][v] + 1 {
                        count[s][u] += count[s][v];
                    }
                }
            }
        }
        let mut out = vec![0.0; n];
        for s in 0..n {
            for t in s + 1..n {
                if dist[s][t] == u32::MAX {
                    continue;
                }
                for (v, slot) in out.iter_mut().enumerate() {
                    let on_path = v != s && v != t && dist[s][v] != u32::MAX && dist[v][t] != u32::MAX;
                    if on_path && dist[s][v] + dist[v][t] == dist[s][t] {
                        *slot += count[s][v] * count[v][t] / count[s][t];
                    }
                }
            }
        }
        out
    }

    fn random_graph(n: usize, links: usize, seed: u64) -> Graph {
        let mut rng = Rng::new(seed);
        let pairs: Vec<(u32, u32)> = (0..links).map(|_| (rng.below(n) as u32, rng.below(n) as u32)).collect();
        let mut list = EdgeList::from_pairs(&pairs);
        // Name every node, linked or not.
        for v in 0..n {
            list.node(&v.to_string());
        }
        Graph::from_edges(&list)
    }

    fn assert_close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (v, (x, y)) in a.iter().zip(b).enumerate() {
            assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "node {v}: {x} vs {y}");
        }
    }

    #[test]
    fn batched_search_equals_the_definition_and_one_source_at_a_time() {
        // Dense and sparse, connected and not, more than one batch of 64 sources.
        for (n, links, seed) in [(12, 30, 1), (90, 140, 2), (150, 1200, 3), (200, 210, 4), (130, 60, 5)] {
            let g = random_graph(n, links, seed);
            let reference = betweenness_one_source_at_a_time(&g, 1);
            assert_close(&reference, &by_definition(&g));
            for threads in [1, 3] {
                assert_close(&betweenness(&g, threads), &reference);
            }
        }
    }

    #[test]
    fn every_batch_size_and_repeated_sources_give_the_same_dependencies() {
        // A long cycle with a few chords: small fronts (searched outwards) and large ones (inwards).
        let mut pairs: Vec<(u32, u32)> = (0..300u32).map(|v| (v, (v + 1) % 300)).collect();
        pairs.extend([(0, 150), (10, 200), (77, 78), (5, 250)]);
        for g in [Graph::from_edges(&EdgeList::from_pairs(&pairs)), random_graph(400, 700, 9)] {
            let n = g.node_count();
            let sources: Vec<u32> = vec![3, 3, 17, 0, 299, 120, 17, 64];
            let mut reference = vec![0.0; n];
            let mut one = Scratch::new(n, g.arc_count());
            for &s in &sources {
                accumulate(&g, s, &mut one, &mut reference, 0.5);
            }
            for k in [1, 3, 8, 64] {
                let mut scratch = batched::Scratch::new(n, k);
                let mut scores = vec![0.0; n];
                for chunk in sources.chunks(k) {
                    accumulate_batch(&g, chunk, &mut scratch, &mut scores, 0.5);
                }
                assert_close(&scores, &reference);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn batched_betweenness_matches_the_definition(
            n in 1usize..40,
            links in proptest::collection::vec((0u32..40, 0u32..40), 0..120),
        ) {
            let pairs: Vec<(u32, u32)> = links.into_iter().map(|(a, b)| (a % n as u32, b % n as u32)).collect();
            let mut list = EdgeList::from_pairs(&pairs);
            for v in 0..n {
                list.node(&v.to_string());
            }
            let g = Graph::from_edges(&list);
            assert_close(&betweenness(&g, 2), &by_definition(&g));
        }
    }
}
