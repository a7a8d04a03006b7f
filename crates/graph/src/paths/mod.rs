//! How two people are linked: the shortest path by hops (bidirectional
//! breadth-first search, with buffers reused across queries), and the k
//! shortest simple paths (Yen 1971) by hops or by inverse weight.

mod bfs;
mod yen;

pub use bfs::PathFinder;
pub use yen::{Length, Path, k_shortest_paths};
