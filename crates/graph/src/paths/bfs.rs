//! Bidirectional breadth-first search: both ends grow one level at a time,
//! the smaller frontier first, until they meet. Buffers are kept between
//! queries and only the nodes a query touched are reset, so a query costs
//! what it explores, not the size of the graph.

use crate::csr::Graph;

const UNSEEN: u32 = u32::MAX;

/// Answers shortest-path queries on one graph.
pub struct PathFinder<'g> {
    graph: &'g Graph,
    forward: Vec<u32>,
    backward: Vec<u32>,
    touched: Vec<u32>,
}

impl<'g> PathFinder<'g> {
    /// A finder for `graph`.
    pub fn new(graph: &'g Graph) -> Self {
        let n = graph.node_count();
        PathFinder { graph, forward: vec![UNSEEN; n], backward: vec![UNSEEN; n], touched: Vec::new() }
    }

    /// A shortest path from `from` to `to` by hops (both ends included), or
    /// `None` if they are not connected. Ids must be below the node count.
    pub fn shortest(&mut self, from: u32, to: u32) -> Option<Vec<u32>> {
        if from == to {
            return Some(vec![from]);
        }
        let meet = self.search(from, to);
        let path = meet.map(|m| self.trace(m));
        for &v in &self.touched {
            self.forward[v as usize] = UNSEEN;
            self.backward[v as usize] = UNSEEN;
        }
        self.touched.clear();
        path
    }

    /// Grows both searches until they meet; returns the meeting node. Parents are recorded
    /// in `forward` / `backward` (a root is its own parent).
    fn search(&mut self, from: u32, to: u32) -> Option<u32> {
        self.forward[from as usize] = from;
        self.backward[to as usize] = to;
        self.touched.extend([from, to]);
        let mut front = vec![from];
        let mut back = vec![to];
        let mut next = Vec::new();
        while !front.is_empty() && !back.is_empty() {
            let grow_front = work(self.graph, &front) <= work(self.graph, &back);
            let (frontier, mine, theirs) = if grow_front {
                (&mut front, &mut self.forward, &self.backward)
            } else {
                (&mut back, &mut self.backward, &self.forward)
            };
            next.clear();
            for &v in frontier.iter() {
                for &u in self.graph.neighbors(v) {
                    if mine[u as usize] == UNSEEN {
                        mine[u as usize] = v;
                        self.touched.push(u);
                        if theirs[u as usize] != UNSEEN {
                            return Some(u);
                        }
                        next.push(u);
                    }
                }
            }
            std::mem::swap(frontier, &mut next);
        }
        None
    }

    fn trace(&self, meet: u32) -> Vec<u32> {
        let mut path = vec![meet];
        let mut v = meet;
        while self.forward[v as usize] != v {
            v = self.forward[v as usize];
            path.push(v);
        }
        path.reverse();
        v = meet;
        while self.backward[v as usize] != v {
            v = self.backward[v as usize];
            path.push(v);
        }
        path
    }
}

/// Links a frontier would scan.
fn work(graph: &Graph, frontier: &[u32]) -> usize {
    frontier.iter().map(|&v| graph.degree(v)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edges::EdgeList;
    use proptest::prelude::*;

    fn bfs_distance(g: &Graph, from: u32, to: u32) -> Option<usize> {
        let mut dist = vec![usize::MAX; g.node_count()];
        dist[from as usize] = 0;
        let mut queue = std::collections::VecDeque::from([from]);
        while let Some(v) = queue.pop_front() {
            for &u in g.neighbors(v) {
                if dist[u as usize] == usize::MAX {
                    dist[u as usize] = dist[v as usize] + 1;
                    queue.push_back(u);
                }
            }
        }
        (dist[to as usize] != usize::MAX).then_some(dist[to as usize])
    }

    #[test]
    fn a_path_through_a_grid() {
        let g = Graph::from_edges(&EdgeList::from_pairs(&[(0, 1), (1, 2), (2, 3), (0, 4), (4, 3), (5, 6)]));
        let mut finder = PathFinder::new(&g);
        assert_eq!(finder.shortest(0, 3), Some(vec![0, 4, 3]));
        assert_eq!(finder.shortest(0, 5), None);
        assert_eq!(finder.shortest(2, 2), Some(vec![2]));
        assert_eq!(finder.shortest(1, 4), Some(vec![1, 0, 4]));
    }

    proptest! {
        #[test]
        fn paths_are_shortest_and_real(edges in proptest::collection::vec((0u32..30, 0u32..30), 1..80), a in 0u32..30, b in 0u32..30) {
            let mut list = EdgeList::from_pairs(&edges);
            for v in 0..30 { list.node(&v.to_string()); }
            let g = Graph::from_edges(&list);
            let (a, b) = (list.id(&a.to_string()).unwrap(), list.id(&b.to_string()).unwrap());
            let mut finder = PathFinder::new(&g);
            let path = finder.shortest(a, b);
            prop_assert_eq!(path.as_ref().map(|p| p.len() - 1), bfs_distance(&g, a, b));
            if let Some(p) = path {
                prop_assert_eq!((p[0], *p.last().unwrap()), (a, b));
                for w in p.windows(2) { prop_assert!(g.weight_between(w[0], w[1]).is_some()); }
            }
            prop_assert_eq!(finder.shortest(b, a).map(|p| p.len()), bfs_distance(&g, a, b).map(|d| d + 1));
        }
    }
}
