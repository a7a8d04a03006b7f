//! Closeness from one breadth-first search per node (in parallel):
//! Wasserman–Faust closeness, which stays meaningful on disconnected graphs
//! (networkx's default `wf_improved=True`), and harmonic closeness.

use super::parallel::over_sources;
use crate::csr::Graph;

/// Both closeness measures of every node.
#[derive(Debug, Clone, PartialEq)]
pub struct Closeness {
    /// (r−1)/Σd · (r−1)/(n−1), where r counts the nodes reachable from the node (itself included).
    pub closeness: Vec<f64>,
    /// Σ 1/d over the other nodes (unreachable ones add 0).
    pub harmonic: Vec<f64>,
}

/// Closeness and harmonic closeness of every node, over `threads` threads.
pub fn closeness(graph: &Graph, threads: usize) -> Closeness {
    let n = graph.node_count();
    let sources: Vec<u32> = (0..n as u32).collect();
    // Scores hold both measures: closeness at [v], harmonic at [n + v].
    let scores = over_sources(
        2 * n,
        &sources,
        threads,
        || (vec![u32::MAX; n], Vec::with_capacity(n)),
        |s, (dist, order): &mut (Vec<u32>, Vec<u32>), out| {
            order.clear();
            dist[s as usize] = 0;
            order.push(s);
            let (mut head, mut total, mut harmonic) = (0, 0u64, 0.0);
            while head < order.len() {
                let v = order[head];
                head += 1;
                let d = dist[v as usize];
                if d > 0 {
                    total += u64::from(d);
                    harmonic += 1.0 / f64::from(d);
                }
                for &u in graph.neighbors(v) {
                    if dist[u as usize] == u32::MAX {
                        dist[u as usize] = d + 1;
                        order.push(u);
                    }
                }
            }
            let reached = order.len() as f64 - 1.0;
            if total > 0 && n > 1 {
                out[s as usize] = reached / total as f64 * reached / (n as f64 - 1.0);
            }
            out[n + s as usize] = harmonic;
            for &v in order.iter() {
                dist[v as usize] = u32::MAX;
            }
        },
    );
    Closeness { closeness: scores[..n].to_vec(), harmonic: scores[n..].to_vec() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centrality::tests::kite;
    use crate::edges::EdgeList;

    #[test]
    fn closeness_of_a_kite() {
        let c = closeness(&kite(), 2);
        // networkx.closeness_centrality: node 2 → 5/7, node 0 → 5/13
        assert!((c.closeness[2] - 5.0 / 7.0).abs() < 1e-12);
        assert!((c.closeness[0] - 5.0 / 13.0).abs() < 1e-12);
        // networkx.harmonic_centrality: node 2 → 1+1+1+1/2+1/2 = 4
        assert!((c.harmonic[2] - 4.0).abs() < 1e-12);
    }

    #[test]
    fn disconnected_graphs_are_scaled_by_what_is_reachable() {
        let g = Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (2, 3), (3, 4)]));
        let c = closeness(&g, 1);
        // networkx: node 0 → 1/1 · 1/4 = 0.25; node 3 → 2/2 · 2/4 = 0.5
        assert!((c.closeness[0] - 0.25).abs() < 1e-12);
        assert!((c.closeness[3] - 0.5).abs() < 1e-12);
    }
}
