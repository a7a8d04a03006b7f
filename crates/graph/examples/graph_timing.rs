//! Times Leiden and exact betweenness on one graph file, without the CLI:
//! `cargo run --release -p tessera-graph --example graph_timing -- FILE [leiden|betweenness|both] [threads] [tolerance]`.
//! Prints wall and process CPU seconds, the modularity and a checksum of the scores.

use std::path::Path;
use std::time::Instant;

use tessera_graph::read::{Format, read_graph};
use tessera_graph::{Graph, centrality, leiden};

/// CPU seconds of this process (user + system), from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: graph_timing FILE [leiden|betweenness|both] [threads] [tolerance]");
    let what = args.get(2).map_or("both", String::as_str);
    let threads = args.get(3).and_then(|t| t.parse().ok()).unwrap_or_else(centrality::default_threads);
    let list = read_graph(Path::new(path), Format::Auto).expect("a readable graph");
    let graph = Graph::from_edges(&list);
    println!("{} nodes, {} links, {threads} threads", graph.node_count(), graph.edge_count());
    if what == "leiden" || what == "both" {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let tolerance = args.get(4).and_then(|t| t.parse().ok()).unwrap_or(leiden::Config::default().tolerance);
        let config = leiden::Config { tolerance, ..leiden::Config::default() };
        let result = leiden::leiden_with_threads(&graph, &config, threads);
        println!(
            "leiden: {:.3} s wall, {:.2} s CPU, modularity {:.10}, {} communities, {} iterations",
            wall.elapsed().as_secs_f64(),
            cpu_seconds() - cpu,
            result.modularity,
            result.count,
            result.iterations
        );
    }
    if what == "betweenness" || what == "both" {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let scores = centrality::betweenness(&graph, threads);
        println!(
            "betweenness: {:.3} s wall, {:.2} s CPU, sum {:.6}, max {:.6}",
            wall.elapsed().as_secs_f64(),
            cpu_seconds() - cpu,
            scores.iter().sum::<f64>(),
            scores.iter().copied().fold(0.0, f64::max)
        );
    }
}
