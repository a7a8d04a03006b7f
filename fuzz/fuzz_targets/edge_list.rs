//! The graph engine's readers (edge list, adjacency matrix, partition) on
//! arbitrary bytes: they must return a list or an error, never panic, and a
//! list they return must build a graph.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_graph::Graph;
use tessera_graph::read::{Format, parse_graph, parse_partition};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Auto, Format::EdgeList, Format::Matrix] {
        if let Ok(list) = parse_graph("fuzz", data, format) {
            let graph = Graph::from_edges(&list);
            assert_eq!(graph.node_count(), list.node_count());
        }
    }
    let _ = parse_partition("fuzz", data);
});
