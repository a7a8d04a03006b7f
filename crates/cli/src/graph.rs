//! `tessera graph`: the network-analysis engine on edge-list or matrix files,
//! on its own — communities (Leiden), centrality, paths and key-player
//! removal — writing CSV (or JSON with `--json`). See docs/graph.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};
use tessera_graph::centrality::{self, default_threads};
use tessera_graph::leiden::{self, Objective};
use tessera_graph::paths::{Length, PathFinder, k_shortest_paths};
use tessera_graph::read::{self, Format};
use tessera_graph::{EdgeList, Filter, Graph, quality, removal};

/// Subcommands of `tessera graph`.
#[derive(Debug, Subcommand)]
pub enum GraphCommand {
    /// Find communities with Leiden (modularity or constant Potts model); one row per node.
    Communities(CommunitiesArgs),
    /// Degree, weighted degree, betweenness, closeness, harmonic, PageRank, eigenvector; one row per node.
    Centrality(CentralityArgs),
    /// Shortest path between two nodes, the k shortest simple paths, or many shortest-path queries from a file.
    Path(PathArgs),
    /// Which k removals fragment the network most (greedy, by pairs still connected): disruption planning.
    Removal(RemovalArgs),
}

/// The input graph and which of its links to keep.
#[derive(Debug, Args)]
pub struct Input {
    /// Edge list (`source target [weight [type [time]]]`, whitespace or comma separated, optional header) or
    /// adjacency matrix CSV; gzip is read transparently.
    pub file: PathBuf,
    /// Layout of FILE.
    #[arg(long, value_enum, default_value_t = Layout::Auto)]
    pub format: Layout,
    /// Keep only links at or after this time (links need a time column).
    #[arg(long)]
    pub since: Option<i64>,
    /// Keep only links at or before this time (links need a time column).
    #[arg(long)]
    pub until: Option<i64>,
    /// Keep only links of this type (repeat for several; links need a type column).
    #[arg(long = "link-type")]
    pub link_types: Vec<String>,
    /// Write the rows to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Layout of a graph file.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Layout {
    /// Decide from the first line.
    Auto,
    /// One link per line.
    Edges,
    /// Adjacency matrix with a header row.
    Matrix,
}

/// Flags of `tessera graph communities`.
#[derive(Debug, Args)]
pub struct CommunitiesArgs {
    #[command(flatten)]
    input: Input,
    /// What to optimise.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Modularity)]
    objective: ObjectiveArg,
    /// Resolution γ: higher gives smaller communities (for CPM, a density between 0 and the largest weight).
    #[arg(long, default_value_t = 1.0)]
    resolution: f64,
    /// Seed: the same seed gives the same communities.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Most Leiden iterations (it stops earlier once nothing changes).
    #[arg(long, default_value_t = 20)]
    iterations: usize,
    /// A ground-truth partition (`node community` per line) to score against (NMI).
    #[arg(long)]
    truth: Option<PathBuf>,
}

/// The objective, as a flag.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ObjectiveArg {
    /// Modularity with a resolution.
    Modularity,
    /// Constant Potts model.
    Cpm,
}

/// Flags of `tessera graph centrality`.
#[derive(Debug, Args)]
pub struct CentralityArgs {
    #[command(flatten)]
    input: Input,
    /// Measures to compute (comma separated or repeated) [default: all].
    #[arg(long = "measure", value_enum, value_delimiter = ',')]
    measures: Vec<Measure>,
    /// Estimate betweenness from this many random pivots instead of every node (reports the error bound).
    #[arg(long)]
    samples: Option<usize>,
    /// Seed of the pivots.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Threads for betweenness and closeness [default: the cores available].
    #[arg(long)]
    threads: Option<usize>,
    /// Only the N highest rows by the first measure.
    #[arg(long)]
    top: Option<usize>,
}

/// A centrality measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Measure {
    /// Number of neighbours.
    Degree,
    /// Sum of link weights.
    WeightedDegree,
    /// Brandes betweenness (pairs counted once).
    Betweenness,
    /// Wasserman–Faust closeness.
    Closeness,
    /// Harmonic closeness.
    Harmonic,
    /// PageRank (damping 0.85, weighted).
    Pagerank,
    /// Eigenvector centrality (weighted).
    Eigenvector,
}

impl Measure {
    fn name(self) -> &'static str {
        match self {
            Measure::Degree => "degree",
            Measure::WeightedDegree => "weighted_degree",
            Measure::Betweenness => "betweenness",
            Measure::Closeness => "closeness",
            Measure::Harmonic => "harmonic",
            Measure::Pagerank => "pagerank",
            Measure::Eigenvector => "eigenvector",
        }
    }
}

/// Flags of `tessera graph path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    #[command(flatten)]
    input: Input,
    /// Start node (by name).
    #[arg(long, required_unless_present = "queries", requires = "to")]
    from: Option<String>,
    /// End node (by name).
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// How many shortest simple paths (Yen).
    #[arg(long, default_value_t = 1)]
    k: usize,
    /// How links count.
    #[arg(long, value_enum, default_value_t = LengthArg::Hops)]
    length: LengthArg,
    /// A file of queries, `source target` per line: answers each with a bidirectional search (hops).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    queries: Option<PathBuf>,
}

/// Link length, as a flag.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum LengthArg {
    /// Every link counts 1.
    Hops,
    /// A link counts 1 / weight (strong ties are short).
    InverseWeight,
}

/// Flags of `tessera graph removal`.
#[derive(Debug, Args)]
pub struct RemovalArgs {
    #[command(flatten)]
    input: Input,
    /// How many nodes to remove.
    #[arg(long, default_value_t = 5)]
    k: usize,
}

/// A stopwatch for the algorithm alone: wall-clock and CPU time (all threads of the process).
struct Stopwatch {
    wall: Instant,
    cpu: Option<f64>,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch { wall: Instant::now(), cpu: process_cpu_seconds() }
    }

    /// The time since the start.
    fn stop(&self) -> Timing {
        Timing { wall: self.wall.elapsed().as_secs_f64(), cpu: self.cpu.zip(process_cpu_seconds()).map(|(a, b)| b - a) }
    }
}

/// Wall-clock and CPU seconds of the algorithm alone.
struct Timing {
    wall: f64,
    cpu: Option<f64>,
}

impl Timing {
    /// Writes `seconds_algorithm` and `cpu_seconds_algorithm` into a summary.
    fn write(&self, summary: &mut Value) {
        summary["seconds_algorithm"] = json!(self.wall);
        summary["cpu_seconds_algorithm"] = json!(self.cpu);
    }
}

/// CPU seconds used so far by every thread of this process (Linux `/proc/self/stat`, in clock ticks of
/// 1/100 s); `None` where that file does not exist.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// A graph read from a file, with timings.
struct Loaded {
    list: EdgeList,
    graph: Graph,
    read_seconds: f64,
}

fn load(input: &Input) -> Result<Loaded> {
    let start = Instant::now();
    let format = match input.format {
        Layout::Auto => Format::Auto,
        Layout::Edges => Format::EdgeList,
        Layout::Matrix => Format::Matrix,
    };
    let mut list = read::read_graph(&input.file, format)?;
    if input.since.is_some() || input.until.is_some() || !input.link_types.is_empty() {
        let filter = Filter { since: input.since, until: input.until, types: input.link_types.clone() };
        list = list.filtered(&filter);
    }
    let graph = Graph::from_edges(&list);
    Ok(Loaded { list, graph, read_seconds: start.elapsed().as_secs_f64() })
}

/// Runs a `tessera graph` subcommand.
pub fn run(command: GraphCommand, json: bool) -> Result<ExitCode> {
    match command {
        GraphCommand::Communities(args) => communities(args, json),
        GraphCommand::Centrality(args) => centrality(args, json),
        GraphCommand::Path(args) => path(args, json),
        GraphCommand::Removal(args) => removal(args, json),
    }
}

fn graph_summary(loaded: &Loaded) -> Value {
    json!({
        "nodes": loaded.graph.node_count(),
        "edges": loaded.graph.edge_count(),
        "weighted": loaded.graph.is_weighted(),
        "seconds_read": loaded.read_seconds,
    })
}

/// Writes CSV rows to `--out` or standard output (text mode), or returns them for the JSON document.
fn emit(out: Option<&Path>, json: bool, header: &[&str], rows: Vec<Vec<Value>>) -> Result<Option<Vec<Value>>> {
    if json && out.is_none() {
        let objects = rows
            .into_iter()
            .map(|row| Value::Object(header.iter().map(|h| h.to_string()).zip(row).collect()))
            .collect();
        return Ok(Some(objects));
    }
    let mut sink: Box<dyn Write> = match out {
        Some(path) => Box::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(&mut sink));
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row.iter().map(|v| match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        }))?;
    }
    writer.flush()?;
    Ok(None)
}

/// Prints the summary (JSON with rows when `--json`, otherwise a line on standard error).
fn finish(json: bool, mut summary: Value, rows: Option<Vec<Value>>, text: String) {
    if json {
        if let Some(rows) = rows {
            summary["rows"] = Value::Array(rows);
        }
        println!("{summary}");
    } else {
        eprintln!("{text}");
    }
}

fn communities(args: CommunitiesArgs, json: bool) -> Result<ExitCode> {
    let loaded = load(&args.input)?;
    if !(args.resolution.is_finite() && args.resolution >= 0.0) {
        bail!("the resolution must be a finite number at least 0");
    }
    let objective = match args.objective {
        ObjectiveArg::Modularity => Objective::Modularity,
        ObjectiveArg::Cpm => Objective::Cpm,
    };
    let config = leiden::Config {
        objective,
        resolution: args.resolution,
        seed: args.seed,
        max_iterations: args.iterations,
        ..leiden::Config::default()
    };
    let watch = Stopwatch::start();
    let result = leiden::leiden(&loaded.graph, &config);
    let timing = watch.stop();
    let seconds = timing.wall;
    let nmi = match &args.truth {
        Some(path) => {
            let truth = read::membership_from(&loaded.list, &read::read_partition(path)?);
            Some(quality::nmi(&result.membership, &truth))
        }
        None => None,
    };
    let names = loaded.list.names();
    let rows = result.membership.iter().enumerate().map(|(v, &c)| vec![json!(names[v]), json!(c)]).collect();
    let rows = emit(args.input.out.as_deref(), json, &["node", "community"], rows)?;
    let mut summary = graph_summary(&loaded);
    summary["communities"] = json!(result.count);
    summary["modularity"] = json!(result.modularity);
    summary["quality"] = json!(result.quality);
    summary["iterations"] = json!(result.iterations);
    timing.write(&mut summary);
    summary["nmi"] = json!(nmi);
    let text = format!(
        "{} nodes, {} links: {} communities, modularity {:.4}{} ({:.3} s)",
        loaded.graph.node_count(),
        loaded.graph.edge_count(),
        result.count,
        result.modularity,
        nmi.map(|x| format!(", NMI {x:.4}")).unwrap_or_default(),
        seconds
    );
    finish(json, summary, rows, text);
    Ok(ExitCode::SUCCESS)
}

fn centrality(args: CentralityArgs, json: bool) -> Result<ExitCode> {
    let loaded = load(&args.input)?;
    let graph = &loaded.graph;
    let threads = args.threads.unwrap_or_else(default_threads).max(1);
    let measures = if args.measures.is_empty() {
        vec![
            Measure::Degree,
            Measure::WeightedDegree,
            Measure::Betweenness,
            Measure::Closeness,
            Measure::Harmonic,
            Measure::Pagerank,
            Measure::Eigenvector,
        ]
    } else {
        args.measures.clone()
    };
    let watch = Stopwatch::start();
    let mut columns: Vec<Vec<f64>> = Vec::new();
    let mut sampled = None;
    let mut closeness = None;
    for &measure in &measures {
        let values = match measure {
            Measure::Degree => centrality::degree(graph),
            Measure::WeightedDegree => centrality::weighted_degree(graph),
            Measure::Betweenness => match args.samples {
                Some(k) => {
                    let estimate = centrality::betweenness_sampled(graph, k, args.seed, threads);
                    sampled = Some((estimate.pivots, estimate.error_bound, estimate.confidence));
                    estimate.scores
                }
                None => centrality::betweenness(graph, threads),
            },
            Measure::Closeness | Measure::Harmonic => {
                let both = closeness.get_or_insert_with(|| centrality::closeness(graph, threads));
                if measure == Measure::Closeness { both.closeness.clone() } else { both.harmonic.clone() }
            }
            Measure::Pagerank => centrality::pagerank(graph, 0.85),
            Measure::Eigenvector => centrality::eigenvector(graph),
        };
        columns.push(values);
    }
    let timing = watch.stop();
    let seconds = timing.wall;
    let mut order: Vec<usize> = (0..graph.node_count()).collect();
    if let Some(top) = args.top {
        order.sort_by(|&a, &b| columns[0][b].total_cmp(&columns[0][a]).then(a.cmp(&b)));
        order.truncate(top);
    }
    let names = loaded.list.names();
    let rows = order
        .iter()
        .map(|&v| {
            let cells = measures.iter().zip(&columns).map(|(m, c)| match m {
                Measure::Degree => json!(c[v] as u64),
                _ => json!(c[v]),
            });
            std::iter::once(json!(names[v])).chain(cells).collect()
        })
        .collect();
    let header: Vec<&str> = std::iter::once("node").chain(measures.iter().map(|m| m.name())).collect();
    let rows = emit(args.input.out.as_deref(), json, &header, rows)?;
    let mut summary = graph_summary(&loaded);
    summary["threads"] = json!(threads);
    timing.write(&mut summary);
    if let Some((pivots, bound, confidence)) = sampled {
        summary["betweenness_sampled"] = json!({ "pivots": pivots, "error_bound": bound, "confidence": confidence });
    }
    let text = match sampled {
        Some((pivots, bound, confidence)) => format!(
            "{} nodes: betweenness from {pivots} pivots, within ±{bound:.1} of exact for every node with probability {confidence} ({seconds:.3} s)",
            graph.node_count()
        ),
        None => format!("{} nodes, {} links ({seconds:.3} s)", graph.node_count(), graph.edge_count()),
    };
    finish(json, summary, rows, text);
    Ok(ExitCode::SUCCESS)
}

fn node_id(list: &EdgeList, name: &str) -> Result<u32> {
    list.id(name).with_context(|| format!("no node named {name:?} in the graph"))
}

fn path(args: PathArgs, json: bool) -> Result<ExitCode> {
    let loaded = load(&args.input)?;
    let names = loaded.list.names();
    if let Some(file) = &args.queries {
        let pairs = read::read_partition(file)?;
        let queries: Vec<(u32, u32)> = pairs
            .iter()
            .map(|(a, b)| Ok((node_id(&loaded.list, a)?, node_id(&loaded.list, b)?)))
            .collect::<Result<_>>()?;
        let mut finder = PathFinder::new(&loaded.graph);
        let watch = Stopwatch::start();
        let hops: Vec<Option<usize>> =
            queries.iter().map(|&(a, b)| finder.shortest(a, b).map(|p| p.len() - 1)).collect();
        let timing = watch.stop();
        let seconds = timing.wall;
        let rows = pairs.iter().zip(&hops).map(|((a, b), h)| vec![json!(a), json!(b), json!(h)]).collect();
        let rows = emit(args.input.out.as_deref(), json, &["source", "target", "hops"], rows)?;
        let mut summary = graph_summary(&loaded);
        summary["queries"] = json!(queries.len());
        timing.write(&mut summary);
        let text = format!("{} queries in {seconds:.3} s", queries.len());
        finish(json, summary, rows, text);
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(from), Some(to)) = (&args.from, &args.to) else { bail!("give --from and --to, or --queries") };
    let (a, b) = (node_id(&loaded.list, from)?, node_id(&loaded.list, to)?);
    let length = match args.length {
        LengthArg::Hops => Length::Hops,
        LengthArg::InverseWeight => Length::InverseWeight,
    };
    let watch = Stopwatch::start();
    let paths = if args.k <= 1 && length == Length::Hops {
        PathFinder::new(&loaded.graph)
            .shortest(a, b)
            .map(|nodes| tessera_graph::paths::Path { length: (nodes.len() - 1) as f64, nodes })
            .into_iter()
            .collect()
    } else {
        k_shortest_paths(&loaded.graph, a, b, args.k.max(1), length)
    };
    let timing = watch.stop();
    let rows = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let nodes: Vec<&str> = p.nodes.iter().map(|&v| names[v as usize].as_str()).collect();
            vec![json!(i + 1), json!(p.nodes.len() - 1), json!(p.length), json!(nodes.join(" "))]
        })
        .collect();
    let rows = emit(args.input.out.as_deref(), json, &["rank", "hops", "length", "nodes"], rows)?;
    let mut summary = graph_summary(&loaded);
    summary["paths"] = json!(paths.len());
    timing.write(&mut summary);
    let text =
        if paths.is_empty() { format!("no path from {from:?} to {to:?}") } else { format!("{} path(s)", paths.len()) };
    finish(json, summary, rows, text);
    Ok(if paths.is_empty() { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

fn removal(args: RemovalArgs, json: bool) -> Result<ExitCode> {
    let loaded = load(&args.input)?;
    let watch = Stopwatch::start();
    let plan = removal::greedy_removal(&loaded.graph, args.k);
    let timing = watch.stop();
    let names = loaded.list.names();
    let initial_pairs = plan.initial.connected_pairs.max(1) as f64;
    let rows = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                json!(i + 1),
                json!(names[s.node as usize]),
                json!(s.degree),
                json!(s.after.components),
                json!(s.after.largest_component),
                json!(s.after.connected_pairs),
                json!(s.after.connected_pairs as f64 / initial_pairs),
            ]
        })
        .collect();
    let header = ["step", "node", "degree", "components", "largest_component", "connected_pairs", "pairs_left"];
    let rows = emit(args.input.out.as_deref(), json, &header, rows)?;
    let mut summary = graph_summary(&loaded);
    summary["initial"] = json!({
        "components": plan.initial.components,
        "largest_component": plan.initial.largest_component,
        "connected_pairs": plan.initial.connected_pairs,
    });
    timing.write(&mut summary);
    let text = format!(
        "{} removals: connected pairs {} → {}",
        plan.steps.len(),
        plan.initial.connected_pairs,
        plan.steps.last().map_or(plan.initial.connected_pairs, |s| s.after.connected_pairs)
    );
    finish(json, summary, rows, text);
    Ok(ExitCode::SUCCESS)
}
