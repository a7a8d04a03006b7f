//! The compact graph every algorithm runs on: undirected, in compressed
//! sparse rows (each link stored once from each end), `u32` node ids, and
//! `f64` weights kept only when some weight differs from 1.

use crate::edges::EdgeList;

/// An undirected graph in compressed sparse rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Option<Vec<f64>>,
}

impl Graph {
    /// Builds the undirected view of an edge list: links between the same two
    /// nodes are merged (weights summed), self-loops dropped, every node kept.
    pub fn from_edges(list: &EdgeList) -> Graph {
        let arcs = list.edges.iter().filter(|e| e.source != e.target).map(|e| (e.source, e.target, e.weight));
        Graph::from_arcs(list.node_count(), arcs)
    }

    /// Builds a graph over nodes `0..n` from undirected links `(a, b, weight)`;
    /// links are merged and self-loops dropped as in [`Graph::from_edges`].
    /// Panics if a node id is not below `n` (a programming error, not an input one).
    pub fn from_arcs(n: usize, links: impl Iterator<Item = (u32, u32, f64)> + Clone) -> Graph {
        let mut degree = vec![0usize; n + 1];
        let mut unit = true;
        for (a, b, w) in links.clone() {
            if a != b {
                degree[a as usize] += 1;
                degree[b as usize] += 1;
                unit &= w == 1.0;
            }
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut total = 0;
        offsets.push(0);
        for d in &degree[..n] {
            total += d;
            offsets.push(total);
        }
        drop(degree);
        let mut cursor = offsets.clone();
        let mut targets = vec![0u32; total];
        let mut weights = if unit { Vec::new() } else { vec![0f64; total] };
        for (a, b, w) in links {
            if a == b {
                continue;
            }
            for (from, to) in [(a, b), (b, a)] {
                let slot = &mut cursor[from as usize];
                targets[*slot] = to;
                if !unit {
                    weights[*slot] = w;
                }
                *slot += 1;
            }
        }
        let mut graph = Graph { offsets, targets, weights: (!unit).then_some(weights) };
        if unit && graph.sort_rows_without_duplicates() {
            return graph;
        }
        graph.merge_parallel_arcs();
        graph
    }

    /// Sorts each row of an unweighted graph in place; false if some row holds a target twice.
    fn sort_rows_without_duplicates(&mut self) -> bool {
        let mut distinct = true;
        for v in 0..self.node_count() {
            let row = &mut self.targets[self.offsets[v]..self.offsets[v + 1]];
            row.sort_unstable();
            distinct &= row.windows(2).all(|w| w[0] != w[1]);
        }
        distinct
    }

    /// Sorts each row, sums parallel arcs, and drops the weights if all are 1.
    fn merge_parallel_arcs(&mut self) {
        let weights = self.weights.take().unwrap_or_else(|| vec![1.0; self.targets.len()]);
        let n = self.node_count();
        let mut new_offsets = Vec::with_capacity(n + 1);
        let mut new_targets = Vec::with_capacity(self.targets.len());
        let mut new_weights = Vec::with_capacity(self.targets.len());
        let mut row: Vec<(u32, f64)> = Vec::new();
        new_offsets.push(0);
        for v in 0..n {
            row.clear();
            let range = self.offsets[v]..self.offsets[v + 1];
            row.extend(self.targets[range.clone()].iter().copied().zip(weights[range].iter().copied()));
            row.sort_unstable_by_key(|&(t, _)| t);
            for &(t, w) in &row {
                if new_targets.len() > new_offsets[v] && new_targets.last() == Some(&t) {
                    *new_weights.last_mut().expect("a weight per target") += w;
                } else {
                    new_targets.push(t);
                    new_weights.push(w);
                }
            }
            new_offsets.push(new_targets.len());
        }
        let unit = new_weights.iter().all(|&w| w == 1.0);
        self.offsets = new_offsets;
        self.targets = new_targets;
        self.weights = if unit { None } else { Some(new_weights) };
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of undirected links.
    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// Number of stored arcs (each undirected link twice).
    pub fn arc_count(&self) -> usize {
        self.targets.len()
    }

    /// Whether some link has a weight other than 1.
    pub fn is_weighted(&self) -> bool {
        self.weights.is_some()
    }

    /// Neighbours of a node, in increasing id order.
    #[inline]
    pub fn neighbors(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }

    /// Weights of the links to [`Graph::neighbors`], in the same order (1 for an unweighted graph).
    #[inline]
    pub fn neighbor_weights(&self, v: u32) -> NeighborWeights<'_> {
        let range = self.offsets[v as usize]..self.offsets[v as usize + 1];
        match &self.weights {
            Some(w) => NeighborWeights::Weighted(w[range].iter()),
            None => NeighborWeights::Unit(range.len()),
        }
    }

    /// Number of neighbours of a node.
    #[inline]
    pub fn degree(&self, v: u32) -> usize {
        self.offsets[v as usize + 1] - self.offsets[v as usize]
    }

    /// Sum of the weights of a node's links.
    pub fn weighted_degree(&self, v: u32) -> f64 {
        self.neighbor_weights(v).sum()
    }

    /// Total weight of all links (each counted once).
    pub fn total_weight(&self) -> f64 {
        match &self.weights {
            Some(w) => w.iter().sum::<f64>() / 2.0,
            None => self.edge_count() as f64,
        }
    }

    /// The weight of the link between two nodes, if they are linked.
    pub fn weight_between(&self, a: u32, b: u32) -> Option<f64> {
        let row = self.neighbors(a);
        let at = row.binary_search(&b).ok()?;
        Some(self.weights.as_ref().map_or(1.0, |w| w[self.offsets[a as usize] + at]))
    }

    /// The raw rows: offsets (n + 1), targets, and weights when stored.
    pub(crate) fn raw(&self) -> (&[usize], &[u32], Option<&[f64]>) {
        (&self.offsets, &self.targets, self.weights.as_deref())
    }

    /// Bytes held by the graph's arrays (for memory reports).
    pub fn heap_bytes(&self) -> usize {
        self.offsets.len() * 8 + self.targets.len() * 4 + self.weights.as_ref().map_or(0, |w| w.len() * 8)
    }
}

/// The weights of one node's links, without allocating for unweighted graphs.
#[derive(Debug, Clone)]
pub enum NeighborWeights<'a> {
    /// Stored weights.
    Weighted(std::slice::Iter<'a, f64>),
    /// Every weight is 1; this many remain.
    Unit(usize),
}

impl Iterator for NeighborWeights<'_> {
    type Item = f64;

    #[inline]
    fn next(&mut self) -> Option<f64> {
        match self {
            NeighborWeights::Weighted(it) => it.next().copied(),
            NeighborWeights::Unit(0) => None,
            NeighborWeights::Unit(left) => {
                *left -= 1;
                Some(1.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Graph;
    use crate::edges::EdgeList;

    #[test]
    fn parallel_links_are_summed_and_self_loops_dropped() {
        let mut list = EdgeList::new();
        list.add("a", "b", 2.0);
        list.add("b", "a", 3.0);
        list.add("a", "a", 9.0);
        list.add("b", "c", 1.0);
        let g = Graph::from_edges(&list);
        assert_eq!((g.node_count(), g.edge_count()), (3, 2));
        assert_eq!(g.weight_between(0, 1), Some(5.0));
        assert_eq!(g.weight_between(1, 0), Some(5.0));
        assert_eq!(g.weight_between(0, 2), None);
        assert_eq!(g.neighbors(1), [0, 2]);
        assert_eq!(g.weighted_degree(1), 6.0);
        assert_eq!(g.total_weight(), 6.0);
    }

    #[test]
    fn unit_weights_are_not_stored() {
        let g = Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (1, 2), (2, 0)]));
        assert!(!g.is_weighted());
        assert_eq!(g.neighbor_weights(0).collect::<Vec<_>>(), [1.0, 1.0]);
        assert_eq!(g.total_weight(), 3.0);
    }

    #[test]
    fn repeated_unit_links_become_weight_two() {
        let g = Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (1, 0), (1, 2)]));
        assert!(g.is_weighted());
        assert_eq!(g.weight_between(0, 1), Some(2.0));
        assert_eq!(g.weight_between(2, 1), Some(1.0));
    }

    #[test]
    fn isolated_nodes_are_kept() {
        let g = Graph::from_arcs(4, [(0u32, 1u32, 1.0)].into_iter());
        assert_eq!(g.node_count(), 4);
        assert_eq!(g.degree(3), 0);
    }
}
