//! Who holds the network together: degree, weighted degree, betweenness
//! (exact Brandes, parallel over sources; or sampled from pivots with a
//! stated error bound), closeness (Wasserman–Faust, for disconnected graphs
//! too) and harmonic closeness, PageRank and eigenvector centrality.
//! Distances count hops; weights count in degree, PageRank and eigenvector.

mod batched;
mod betweenness;
mod closeness;
mod parallel;
mod spectral;

pub use betweenness::{Sampled, betweenness, betweenness_one_source_at_a_time, betweenness_sampled};
pub use closeness::{Closeness, closeness};
pub use spectral::{eigenvector, pagerank};

use crate::csr::Graph;

/// Number of neighbours of every node.
pub fn degree(graph: &Graph) -> Vec<f64> {
    (0..graph.node_count() as u32).map(|v| graph.degree(v) as f64).collect()
}

/// Sum of link weights of every node.
pub fn weighted_degree(graph: &Graph) -> Vec<f64> {
    (0..graph.node_count() as u32).map(|v| graph.weighted_degree(v)).collect()
}

/// The number of threads to use when the caller gives none: the cores available.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::csr::Graph;
    use crate::edges::EdgeList;

    /// A path 0-1-2-3-4 with a pendant 5 on node 2.
    pub(crate) fn kite() -> Graph {
        Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (1, 2), (2, 3), (3, 4), (2, 5)]))
    }

    #[test]
    fn degrees() {
        let g = kite();
        assert_eq!(super::degree(&g), [1.0, 2.0, 3.0, 2.0, 1.0, 1.0]);
        assert_eq!(super::weighted_degree(&g), super::degree(&g));
    }
}
