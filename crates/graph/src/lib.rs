//! Tessera's network-analysis engine: a library over plain edge lists.
//!
//! Design note: every algorithm runs on one compact structure, [`Graph`], an
//! undirected graph in compressed sparse rows with `u32` node ids and
//! optional `f64` weights (absent when every weight is 1, which saves memory
//! and time). Typed and timed links live in the [`EdgeList`] they came from;
//! filtering by link type or time window happens there, and the result is
//! folded into a `Graph` (parallel links summed, self-loops dropped). The
//! engine knows nothing of the store or the server.
//!
//! - [`read`]: edge lists, adjacency matrices (CAVIAR, UCINET) and partitions,
//!   gzip or plain; errors name the file, the line and what was wrong.
//! - [`leiden`]: community detection (modularity with a resolution, constant
//!   Potts model), deterministic for a seed; [`quality`]: modularity and NMI.
//! - [`centrality`]: degree, betweenness (exact, parallel; or sampled with an
//!   error bound), closeness, harmonic, PageRank, eigenvector.
//! - [`paths`]: bidirectional BFS, Yen's k shortest simple paths, paths over
//!   some link types naming the links behind each hop, time-respecting paths.
//! - [`brokerage`]: Gould–Fernandez brokerage roles between groups.
//! - [`timeline`]: the network in successive windows or phases (who entered
//!   and left, centralisation), and who replaced a removed key player.
//! - [`removal`]: greedy key-player removal for disruption planning.

mod csr;
mod edges;
mod rng;

pub mod brokerage;
pub mod centrality;
pub mod leiden;
pub mod paths;
pub mod quality;
pub mod read;
pub mod removal;
pub mod timeline;

pub use csr::Graph;
pub use edges::{Edge, EdgeList, Filter};
