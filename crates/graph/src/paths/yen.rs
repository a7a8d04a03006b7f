//! Yen's k shortest simple (loopless) paths, on Dijkstra's algorithm with
//! banned nodes and links. Ties are broken by the node sequence, so the
//! answer is deterministic.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use crate::csr::Graph;

/// How long a link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// Every link counts 1.
    Hops,
    /// A link counts 1 / weight: strong ties (many contacts) are short.
    InverseWeight,
}

/// A path and its length.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Nodes from start to end.
    pub nodes: Vec<u32>,
    /// Sum of link lengths.
    pub length: f64,
}

#[derive(PartialEq)]
struct Entry(f64, u32);

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn link_length(length: Length, weight: f64) -> f64 {
    match length {
        Length::Hops => 1.0,
        Length::InverseWeight => 1.0 / weight,
    }
}

/// Dijkstra from `from` to `to` avoiding banned nodes and links.
fn dijkstra(
    graph: &Graph,
    from: u32,
    to: u32,
    length: Length,
    banned_nodes: &[bool],
    banned_links: &HashSet<(u32, u32)>,
) -> Option<Path> {
    let n = graph.node_count();
    let mut dist = vec![f64::INFINITY; n];
    let mut parent = vec![u32::MAX; n];
    let mut heap = BinaryHeap::new();
    dist[from as usize] = 0.0;
    heap.push(Entry(0.0, from));
    while let Some(Entry(d, v)) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        if v == to {
            let mut nodes = vec![to];
            let mut x = to;
            while x != from {
                x = parent[x as usize];
                nodes.push(x);
            }
            nodes.reverse();
            return Some(Path { nodes, length: d });
        }
        for (&u, w) in graph.neighbors(v).iter().zip(graph.neighbor_weights(v)) {
            if banned_nodes[u as usize] || banned_links.contains(&(v, u)) {
                continue;
            }
            let candidate = d + link_length(length, w);
            if candidate < dist[u as usize] || (candidate == dist[u as usize] && v < parent[u as usize]) {
                dist[u as usize] = candidate;
                parent[u as usize] = v;
                heap.push(Entry(candidate, u));
            }
        }
    }
    None
}

fn path_length(graph: &Graph, nodes: &[u32], length: Length) -> f64 {
    nodes.windows(2).map(|w| link_length(length, graph.weight_between(w[0], w[1]).unwrap_or(f64::INFINITY))).sum()
}

/// Up to `k` shortest simple paths from `from` to `to`, shortest first.
pub fn k_shortest_paths(graph: &Graph, from: u32, to: u32, k: usize, length: Length) -> Vec<Path> {
    let n = graph.node_count();
    let mut banned_nodes = vec![false; n];
    let mut banned_links = HashSet::new();
    let Some(first) = dijkstra(graph, from, to, length, &banned_nodes, &banned_links) else {
        return Vec::new();
    };
    let mut found = vec![first];
    let mut candidates: Vec<Path> = Vec::new();
    while found.len() < k {
        let previous = found.last().expect("at least one path").nodes.clone();
        for j in 0..previous.len() - 1 {
            let spur = previous[j];
            let root = &previous[..=j];
            banned_links.clear();
            for p in &found {
                if p.nodes.len() > j + 1 && p.nodes[..=j] == *root {
                    banned_links.insert((p.nodes[j], p.nodes[j + 1]));
                    banned_links.insert((p.nodes[j + 1], p.nodes[j]));
                }
            }
            for &v in &root[..j] {
                banned_nodes[v as usize] = true;
            }
            if let Some(spur_path) = dijkstra(graph, spur, to, length, &banned_nodes, &banned_links) {
                let mut nodes = root[..j].to_vec();
                nodes.extend(spur_path.nodes);
                if !found.iter().any(|p| p.nodes == nodes) && !candidates.iter().any(|p| p.nodes == nodes) {
                    let length = path_length(graph, &nodes, length);
                    candidates.push(Path { nodes, length });
                }
            }
            for &v in &root[..j] {
                banned_nodes[v as usize] = false;
            }
        }
        let best = candidates
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| a.length.total_cmp(&b.length).then_with(|| a.nodes.cmp(&b.nodes)))
            .map(|(i, _)| i);
        match best {
            Some(i) => found.push(candidates.swap_remove(i)),
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edges::EdgeList;

    #[test]
    fn yen_lists_simple_paths_in_order() {
        // 0-1-3, 0-2-3, 0-1-2-3, 0-2-1-3 (the classic diamond with a rung).
        let g = Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (0, 2), (1, 3), (2, 3), (1, 2)]));
        let paths = k_shortest_paths(&g, 0, 3, 10, Length::Hops);
        let nodes: Vec<_> = paths.iter().map(|p| p.nodes.clone()).collect();
        assert_eq!(nodes, [vec![0, 1, 3], vec![0, 2, 3], vec![0, 1, 2, 3], vec![0, 2, 1, 3]]);
        assert_eq!(paths.iter().map(|p| p.length).collect::<Vec<_>>(), [2.0, 2.0, 3.0, 3.0]);
    }

    #[test]
    fn strong_ties_are_short_with_inverse_weights() {
        let mut list = EdgeList::new();
        list.add("a", "b", 1.0);
        list.add("b", "d", 1.0);
        list.add("a", "c", 10.0);
        list.add("c", "e", 10.0);
        list.add("e", "d", 10.0);
        let g = Graph::from_edges(&list);
        let best = &k_shortest_paths(&g, 0, 2, 1, Length::InverseWeight)[0];
        assert_eq!(best.nodes, [0, 3, 4, 2]);
        assert!((best.length - 0.3).abs() < 1e-12);
        assert!(k_shortest_paths(&g, 0, 0, 3, Length::Hops)[0].nodes == [0]);
    }
}
