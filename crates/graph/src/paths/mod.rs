//! How two people are linked: the shortest path by hops (bidirectional
//! breadth-first search, with buffers reused across queries), and the k
//! shortest simple paths (Yen 1971) by hops or by inverse weight; paths over
//! only some links (types, time window) naming the links behind each hop; and
//! time-respecting paths (each hop no earlier than the one before).

mod bfs;
mod linked;
mod temporal;
mod yen;

pub use bfs::PathFinder;
pub use linked::{LinkedPath, filtered_paths, kept_links};
pub use temporal::{TimeObjective, TimeOrder, TimedPath, time_respecting_path};
pub use yen::{Length, Path, k_shortest_paths};
