//! Key-player removal for disruption planning: greedily remove the k people
//! whose arrest fragments the network most. At each step every remaining
//! node is scored in one depth-first search (Tarjan's articulation points
//! with subtree sizes tell the pieces each removal would leave), so a step
//! costs O(n + m). The objective is the number of pairs of people who can
//! still reach each other (pairwise connectivity, as in the critical-node
//! problem); ties go to the smaller largest component, then the lower id.

use crate::csr::Graph;

/// The network after a removal (or at the start).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Number of connected components among the remaining nodes.
    pub components: usize,
    /// Size of the largest component.
    pub largest_component: usize,
    /// Pairs of remaining nodes connected by some path.
    pub connected_pairs: u64,
}

/// One removal and its effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The node removed.
    pub node: u32,
    /// Its degree among the nodes still present when it was removed.
    pub degree: usize,
    /// The network after the removal.
    pub after: Snapshot,
}

/// The removal plan: the network at the start, then each removal.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Before any removal.
    pub initial: Snapshot,
    /// Removals in order.
    pub steps: Vec<Step>,
}

fn pairs(size: u64) -> u64 {
    size * size.saturating_sub(1) / 2
}

/// What removing each node would leave, for the nodes still present.
struct Scores {
    /// Change in connected pairs if the node is removed (never positive).
    delta: Vec<i64>,
    /// Largest piece of the node's own component left by its removal.
    largest_piece: Vec<u64>,
    /// Pieces the node's component falls into.
    pieces: Vec<u32>,
    /// Component of each node.
    component: Vec<u32>,
    /// Size of each component.
    sizes: Vec<u64>,
}

fn score(graph: &Graph, removed: &[bool]) -> Scores {
    let n = graph.node_count();
    const NONE: u32 = u32::MAX;
    let mut disc = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut sub = vec![1u64; n];
    let mut split_sum = vec![0u64; n];
    let mut split_pairs = vec![0u64; n];
    let mut split_max = vec![0u64; n];
    let mut split_count = vec![0u32; n];
    let mut component = vec![NONE; n];
    let mut sizes = Vec::new();
    let mut time = 0u32;
    let mut stack: Vec<(u32, u32, usize)> = Vec::new();
    let mut members: Vec<u32> = Vec::new();
    let mut scores = Scores {
        delta: vec![0; n],
        largest_piece: vec![0; n],
        pieces: vec![0; n],
        component: Vec::new(),
        sizes: Vec::new(),
    };
    for root in 0..n as u32 {
        if removed[root as usize] || disc[root as usize] != NONE {
            continue;
        }
        members.clear();
        let c = sizes.len() as u32;
        disc[root as usize] = time;
        low[root as usize] = time;
        time += 1;
        stack.push((root, NONE, 0));
        while let Some(&mut (v, parent, ref mut next)) = stack.last_mut() {
            let neighbours = graph.neighbors(v);
            if *next < neighbours.len() {
                let u = neighbours[*next];
                *next += 1;
                if removed[u as usize] || u == parent {
                    continue;
                }
                if disc[u as usize] == NONE {
                    disc[u as usize] = time;
                    low[u as usize] = time;
                    time += 1;
                    stack.push((u, v, 0));
                } else {
                    low[v as usize] = low[v as usize].min(disc[u as usize]);
                }
            } else {
                stack.pop();
                members.push(v);
                component[v as usize] = c;
                if parent != NONE {
                    let (p, size) = (parent as usize, sub[v as usize]);
                    low[p] = low[p].min(low[v as usize]);
                    sub[p] += size;
                    if low[v as usize] >= disc[p] {
                        split_sum[p] += size;
                        split_pairs[p] += pairs(size);
                        split_max[p] = split_max[p].max(size);
                        split_count[p] += 1;
                    }
                }
            }
        }
        let size = sub[root as usize];
        sizes.push(size);
        for &v in &members {
            let v = v as usize;
            let rest = size - 1 - split_sum[v];
            let after = split_pairs[v] + pairs(rest);
            scores.delta[v] = after as i64 - pairs(size) as i64;
            scores.largest_piece[v] = split_max[v].max(rest);
            scores.pieces[v] = split_count[v] + u32::from(rest > 0);
        }
    }
    scores.component = component;
    scores.sizes = sizes;
    scores
}

fn snapshot(sizes: &[u64]) -> Snapshot {
    Snapshot {
        components: sizes.len(),
        largest_component: sizes.iter().copied().max().unwrap_or(0) as usize,
        connected_pairs: sizes.iter().map(|&s| pairs(s)).sum(),
    }
}

/// Greedily removes up to `k` nodes, each time the one that leaves the fewest connected pairs.
pub fn greedy_removal(graph: &Graph, k: usize) -> Plan {
    greedy_removal_among(graph, k, &vec![true; graph.node_count()])
}

/// Like [`greedy_removal`], choosing only among the nodes marked in `candidates` (e.g. people, who
/// can be arrested, rather than the phones and places that link them); every node still counts in
/// the connectivity. Stops early when no candidate is left.
pub fn greedy_removal_among(graph: &Graph, k: usize, candidates: &[bool]) -> Plan {
    let n = graph.node_count();
    let eligible = |v: usize| candidates.get(v).copied().unwrap_or(false);
    let mut removed = vec![false; n];
    let mut scores = score(graph, &removed);
    let initial = snapshot(&scores.sizes);
    let mut steps = Vec::new();
    while steps.len() < k.min(n) {
        let mut top = [(0u64, u32::MAX), (0u64, u32::MAX)];
        for (c, &s) in scores.sizes.iter().enumerate() {
            if s > top[0].0 {
                top = [(s, c as u32), top[0]];
            } else if s > top[1].0 {
                top[1] = (s, c as u32);
            }
        }
        let largest_after = |v: usize| {
            let other = if top[0].1 == scores.component[v] { top[1].0 } else { top[0].0 };
            other.max(scores.largest_piece[v])
        };
        let Some(best) =
            (0..n).filter(|&v| !removed[v] && eligible(v)).min_by_key(|&v| (scores.delta[v], largest_after(v), v))
        else {
            break;
        };
        let degree = graph.neighbors(best as u32).iter().filter(|&&u| !removed[u as usize]).count();
        removed[best] = true;
        scores = score(graph, &removed);
        steps.push(Step { node: best as u32, degree, after: snapshot(&scores.sizes) });
    }
    Plan { initial, steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edges::EdgeList;

    /// Brute force: the pairs left after removing `v`, by searching again.
    fn pairs_without(graph: &Graph, removed: &[bool]) -> u64 {
        let sizes = score(graph, removed).sizes;
        sizes.iter().map(|&s| pairs(s)).sum()
    }

    #[test]
    fn only_candidates_are_removed_and_the_rest_still_count() {
        // Two triangles joined through node 6, which is not a candidate (a shared phone).
        let g =
            Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 6), (6, 3)]));
        let mut candidates = vec![true; 7];
        candidates[6] = false;
        let plan = greedy_removal_among(&g, 10, &candidates);
        assert_ne!(plan.steps[0].node, 6);
        assert!([2, 3].contains(&plan.steps[0].node), "a person next to the phone cuts the network");
        assert_eq!(plan.steps.len(), 6, "every candidate, and no more");
        assert!(plan.steps.iter().all(|s| s.node != 6));
        assert_eq!(plan.steps.last().unwrap().after.connected_pairs, 0);
    }

    #[test]
    fn the_broker_between_two_groups_goes_first() {
        // Two triangles joined through node 6.
        let g =
            Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 6), (6, 3)]));
        let plan = greedy_removal(&g, 2);
        assert_eq!(plan.initial, Snapshot { components: 1, largest_component: 7, connected_pairs: 21 });
        assert_eq!(plan.steps[0].node, 6);
        assert_eq!(plan.steps[0].after, Snapshot { components: 2, largest_component: 3, connected_pairs: 6 });
        assert_eq!(plan.steps[1].after.connected_pairs, 4);
    }

    #[test]
    fn scores_match_recomputation_on_random_graphs() {
        let mut rng = crate::rng::Rng::new(11);
        for _ in 0..20 {
            let pairs_list: Vec<(u32, u32)> = (0..40).map(|_| (rng.below(25) as u32, rng.below(25) as u32)).collect();
            let g = Graph::from_edges(&EdgeList::from_pairs(&pairs_list));
            let mut removed = vec![false; g.node_count()];
            removed[0] = true;
            let scores = score(&g, &removed);
            let base = pairs_without(&g, &removed) as i64;
            for v in 1..g.node_count() {
                removed[v] = true;
                assert_eq!(pairs_without(&g, &removed) as i64 - base, scores.delta[v], "node {v}");
                removed[v] = false;
            }
        }
    }
}
