//! `tessera graph`: the network-analysis engine on edge-list or matrix files,
//! on its own — communities (Leiden), centrality, paths (by link type, in
//! time order), key-player removal, brokerage roles and change over time —
//! writing CSV (or JSON with `--json`). See docs/graph.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};
use tessera_graph::brokerage::{self, Role};
use tessera_graph::centrality::{self, default_threads};
use tessera_graph::leiden::{self, Objective};
use tessera_graph::paths::{Length, PathFinder, TimeObjective, TimeOrder, filtered_paths, time_respecting_path};
use tessera_graph::read::{self, Format};
use tessera_graph::timeline::Timeline;
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
    /// Gould–Fernandez brokerage roles between groups (Leiden communities or a partition file); one row per node.
    Brokerage(BrokerageArgs),
    /// The network in successive phases (several files) or fixed-length windows: sizes, who entered and left,
    /// centralisation; or, with --replaced, who took over from a player who disappeared.
    Timeline(TimelineArgs),
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
    #[arg(long, allow_hyphen_values = true)]
    pub since: Option<i64>,
    /// Keep only links at or before this time (links need a time column).
    #[arg(long, allow_hyphen_values = true)]
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
    /// Threads [default: the cores available]; the communities are the same on any number.
    #[arg(long)]
    threads: Option<usize>,
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
    #[arg(long, conflicts_with_all = ["from", "to", "ordered"])]
    queries: Option<PathBuf>,
    /// Use only links of these types (comma separated or repeated; the same as --link-type).
    #[arg(long = "types", value_delimiter = ',')]
    types: Vec<String>,
    /// A time-respecting path: each hop no earlier than the one before (links need a time column).
    #[arg(long, conflicts_with_all = ["k", "length"])]
    ordered: bool,
    /// With --ordered: what to minimise first.
    #[arg(long, value_enum, default_value_t = OrderedBy::Arrival, requires = "ordered")]
    by: OrderedBy,
    /// With --ordered: follow links only from source to target.
    #[arg(long, requires = "ordered")]
    directed: bool,
    /// With --ordered: each hop strictly later than the one before.
    #[arg(long, requires = "ordered")]
    strict: bool,
    /// With --ordered: leave the start no earlier than this time.
    #[arg(long, requires = "ordered", allow_hyphen_values = true)]
    depart: Option<i64>,
}

/// What a time-respecting path minimises first.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum OrderedBy {
    /// Earliest arrival (fewest hops among those).
    Arrival,
    /// Fewest hops (earliest arrival among those).
    Hops,
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

/// Flags of `tessera graph brokerage`.
#[derive(Debug, Args)]
pub struct BrokerageArgs {
    #[command(flatten)]
    input: Input,
    /// Groups from this partition file (`node community` per line) instead of Leiden communities.
    #[arg(long)]
    partition: Option<PathBuf>,
    /// Read each link as directed from source to target (otherwise each link counts both ways).
    #[arg(long)]
    directed: bool,
    /// Leiden resolution, when no partition is given.
    #[arg(long, default_value_t = 1.0)]
    resolution: f64,
    /// Leiden seed, when no partition is given.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Only the N rows with the most brokerage (all roles).
    #[arg(long)]
    top: Option<usize>,
}

/// Flags of `tessera graph timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Several files, one per phase in order (e.g. CAVIAR's phase1.csv … phase11.csv), or one file of timed
    /// links with --window.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Layout of the files.
    #[arg(long, value_enum, default_value_t = Layout::Auto)]
    format: Layout,
    /// Cut one file's timed links into windows of this length (same unit as the times).
    #[arg(long)]
    window: Option<i64>,
    /// With --window: the start of the first window [default: the earliest time].
    #[arg(long, requires = "window", allow_hyphen_values = true)]
    start: Option<i64>,
    /// Keep only links of this type (repeat for several; links need a type column).
    #[arg(long = "link-type")]
    link_types: Vec<String>,
    /// Rank who took over from this node after it left (rows become the ranking).
    #[arg(long)]
    replaced: Option<String>,
    /// With --replaced: the window (label or number from 1) the node was last in [default: the first window
    /// it is in that the next window lacks it].
    #[arg(long, requires = "replaced")]
    after: Option<String>,
    /// With --replaced: only the N best candidates.
    #[arg(long, requires = "replaced")]
    top: Option<usize>,
    /// Threads for betweenness [default: the cores available].
    #[arg(long)]
    threads: Option<usize>,
    /// Write the rows to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Most windows `--window` may cut (a guard against a window length in the wrong unit).
const MAX_WINDOWS: usize = 10_000;

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

fn format_of(layout: Layout) -> Format {
    match layout {
        Layout::Auto => Format::Auto,
        Layout::Edges => Format::EdgeList,
        Layout::Matrix => Format::Matrix,
    }
}

fn load(input: &Input) -> Result<Loaded> {
    let start = Instant::now();
    let mut list = read::read_graph(&input.file, format_of(input.format))?;
    if input.since.is_some() || input.until.is_some() || !input.link_types.is_empty() {
        check_types(&list, &input.link_types, &input.file)?;
        let filter = Filter { since: input.since, until: input.until, types: input.link_types.clone() };
        list = list.filtered(&filter);
    }
    let graph = Graph::from_edges(&list);
    Ok(Loaded { list, graph, read_seconds: start.elapsed().as_secs_f64() })
}

/// Refuses link types the file does not have (a typo would otherwise silently keep no link).
fn check_types(list: &EdgeList, wanted: &[String], file: &Path) -> Result<()> {
    for kind in wanted {
        if !list.types().contains(kind) {
            let known = if list.types().is_empty() { "none".to_string() } else { list.types().join(", ") };
            bail!("{}: no link has the type {kind:?} (the file's types: {known})", file.display());
        }
    }
    Ok(())
}

/// Runs a `tessera graph` subcommand.
pub fn run(command: GraphCommand, json: bool) -> Result<ExitCode> {
    let out = match &command {
        GraphCommand::Communities(args) => &args.input.out,
        GraphCommand::Centrality(args) => &args.input.out,
        GraphCommand::Path(args) => &args.input.out,
        GraphCommand::Removal(args) => &args.input.out,
        GraphCommand::Brokerage(args) => &args.input.out,
        GraphCommand::Timeline(args) => &args.out,
    };
    if let Some(path) = out {
        crate::output::check_writable("--out", path)?;
    }
    match command {
        GraphCommand::Communities(args) => communities(args, json),
        GraphCommand::Centrality(args) => centrality(args, json),
        GraphCommand::Path(args) => path(args, json),
        GraphCommand::Removal(args) => removal(args, json),
        GraphCommand::Brokerage(args) => brokerage(args, json),
        GraphCommand::Timeline(args) => timeline(args, json),
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
    let threads = args.threads.unwrap_or_else(default_threads).max(1);
    let watch = Stopwatch::start();
    let result = leiden::leiden_with_threads(&loaded.graph, &config, threads);
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
    summary["threads"] = json!(threads);
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

fn path(mut args: PathArgs, json: bool) -> Result<ExitCode> {
    args.input.link_types.append(&mut args.types);
    if let Some(file) = &args.queries {
        let loaded = load(&args.input)?;
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
    // The whole file is kept, and the filter applied by the search, so that link numbers refer to the file.
    let started = Instant::now();
    let list = read::read_graph(&args.input.file, format_of(args.input.format))?;
    let read_seconds = started.elapsed().as_secs_f64();
    check_types(&list, &args.input.link_types, &args.input.file)?;
    let filter = Filter { since: args.input.since, until: args.input.until, types: args.input.link_types.clone() };
    let (a, b) = (node_id(&list, from)?, node_id(&list, to)?);
    let mut summary = json!({ "nodes": list.node_count(), "links": list.edges.len(), "seconds_read": read_seconds });
    if args.ordered {
        return ordered_path(&args, &list, filter, (a, b), json, summary);
    }
    let length = match args.length {
        LengthArg::Hops => Length::Hops,
        LengthArg::InverseWeight => Length::InverseWeight,
    };
    let watch = Stopwatch::start();
    let paths = filtered_paths(&list, &filter, a, b, args.k.max(1), length);
    let timing = watch.stop();
    let names = list.names();
    let rows = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let nodes: Vec<&str> = p.nodes.iter().map(|&v| names[v as usize].as_str()).collect();
            let links: Vec<String> = p
                .links
                .iter()
                .map(|hop| hop.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join("+"))
                .collect();
            vec![
                json!(i + 1),
                json!(p.nodes.len() - 1),
                json!(p.length),
                json!(nodes.join(" ")),
                json!(links.join(" ")),
            ]
        })
        .collect();
    let rows = emit(args.input.out.as_deref(), json, &["rank", "hops", "length", "nodes", "links"], rows)?;
    summary["paths"] = json!(paths.len());
    timing.write(&mut summary);
    let text =
        if paths.is_empty() { format!("no path from {from:?} to {to:?}") } else { format!("{} path(s)", paths.len()) };
    finish(json, summary, rows, text);
    Ok(if paths.is_empty() { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

/// `tessera graph path --ordered`: one time-respecting path, one row per hop.
fn ordered_path(
    args: &PathArgs,
    list: &EdgeList,
    filter: Filter,
    (a, b): (u32, u32),
    json: bool,
    mut summary: Value,
) -> Result<ExitCode> {
    if !list.edges.iter().any(|e| e.time.is_some()) {
        bail!("{}: no link has a time, so no path can be in time order (add a time column)", args.input.file.display());
    }
    let order = TimeOrder { directed: args.directed, strict: args.strict, depart: args.depart, filter };
    let objective = match args.by {
        OrderedBy::Arrival => TimeObjective::EarliestArrival,
        OrderedBy::Hops => TimeObjective::FewestHops,
    };
    let watch = Stopwatch::start();
    let found = time_respecting_path(list, a, b, &order, objective);
    let timing = watch.stop();
    let names = list.names();
    let rows = found
        .iter()
        .flat_map(|p| {
            p.links.iter().enumerate().map(|(i, &link)| {
                let e = &list.edges[link];
                let kind = e.kind.map(|k| list.types()[k as usize].clone());
                vec![
                    json!(i + 1),
                    json!(names[p.nodes[i] as usize]),
                    json!(names[p.nodes[i + 1] as usize]),
                    json!(p.times[i]),
                    json!(kind),
                    json!(e.weight),
                    json!(link + 1),
                ]
            })
        })
        .collect();
    let header = ["hop", "from", "to", "time", "type", "weight", "link"];
    let rows = emit(args.input.out.as_deref(), json, &header, rows)?;
    summary["found"] = json!(found.is_some());
    summary["hops"] = json!(found.as_ref().map(|p| p.links.len()));
    summary["arrival"] = json!(found.as_ref().and_then(|p| p.arrival()));
    timing.write(&mut summary);
    let (from, to) = (&names[a as usize], &names[b as usize]);
    let text = match &found {
        Some(p) => format!(
            "{} hop(s) in time order from {from:?} to {to:?}, arriving at {}",
            p.links.len(),
            p.arrival().map_or("the start".to_string(), |t| t.to_string())
        ),
        None => format!("no path in time order from {from:?} to {to:?}"),
    };
    finish(json, summary, rows, text);
    Ok(if found.is_some() { ExitCode::SUCCESS } else { ExitCode::from(3) })
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

fn brokerage(args: BrokerageArgs, json: bool) -> Result<ExitCode> {
    let loaded = load(&args.input)?;
    let names = loaded.list.names();
    let watch = Stopwatch::start();
    // Groups as dense ids, with a label per group for the output.
    let (membership, labels, source) = match &args.partition {
        Some(path) => {
            let pairs = read::read_partition(path)?;
            let membership = read::membership_from(&loaded.list, &pairs);
            let mut labels = vec![String::new(); membership.iter().max().map_or(0, |&m| m as usize + 1)];
            for (node, community) in &pairs {
                if let Some(id) = loaded.list.id(node) {
                    labels[membership[id as usize] as usize] = community.clone();
                }
            }
            (membership, labels, "partition")
        }
        None => {
            if !(args.resolution.is_finite() && args.resolution >= 0.0) {
                bail!("the resolution must be a finite number at least 0");
            }
            let config = leiden::Config { resolution: args.resolution, seed: args.seed, ..leiden::Config::default() };
            let result = leiden::leiden(&loaded.graph, &config);
            let labels = (0..result.count).map(|c| c.to_string()).collect();
            (result.membership, labels, "leiden")
        }
    };
    let roles = if args.directed {
        brokerage::brokerage_directed(&loaded.list, &membership)
    } else {
        brokerage::brokerage_undirected(&loaded.graph, &membership)
    };
    let timing = watch.stop();
    let mut order: Vec<usize> = (0..roles.len()).collect();
    if let Some(top) = args.top {
        order.sort_by(|&a, &b| roles[b].total().cmp(&roles[a].total()).then(a.cmp(&b)));
        order.truncate(top);
    }
    let rows = order
        .iter()
        .map(|&v| {
            let mut row = vec![json!(names[v]), json!(labels[membership[v] as usize])];
            row.extend(Role::ALL.iter().map(|&r| json!(roles[v].get(r))));
            row.push(json!(roles[v].total()));
            row
        })
        .collect();
    let mut header = vec!["node", "group"];
    header.extend(Role::ALL.iter().map(|r| r.name()));
    header.push("total");
    let rows = emit(args.input.out.as_deref(), json, &header, rows)?;
    let mut summary = graph_summary(&loaded);
    summary["groups"] = json!(labels.len());
    summary["group_source"] = json!(source);
    summary["directed"] = json!(args.directed);
    let totals: serde_json::Map<String, Value> =
        Role::ALL.iter().map(|&r| (r.name().to_string(), json!(roles.iter().map(|x| x.get(r)).sum::<u64>()))).collect();
    summary["totals"] = Value::Object(totals);
    timing.write(&mut summary);
    let text = format!(
        "{} nodes in {} groups ({source}): {} brokered two-paths ({})",
        loaded.graph.node_count(),
        labels.len(),
        roles.iter().map(|r| r.total()).sum::<u64>(),
        if args.directed { "directed" } else { "each link both ways" }
    );
    finish(json, summary, rows, text);
    Ok(ExitCode::SUCCESS)
}

fn timeline(args: TimelineArgs, json: bool) -> Result<ExitCode> {
    let started = Instant::now();
    let format = format_of(args.format);
    let filter = Filter { since: None, until: None, types: args.link_types.clone() };
    let read_one = |path: &Path| -> Result<EdgeList> {
        let list = read::read_graph(path, format)?;
        if args.link_types.is_empty() {
            return Ok(list);
        }
        check_types(&list, &args.link_types, path)?;
        Ok(list.filtered(&filter))
    };
    let timeline = match (args.window, &args.files[..]) {
        (Some(length), [file]) => Timeline::from_windows(&read_one(file)?, length, args.start, MAX_WINDOWS)
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?,
        (Some(_), _) => bail!("--window cuts one file into windows; give one file, or several files without --window"),
        (None, [_]) => bail!("give several files (one per phase), or one file of timed links with --window LENGTH"),
        (None, files) => {
            let mut phases = Vec::with_capacity(files.len());
            for file in files {
                let label = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into());
                phases.push((label, read_one(file)?));
            }
            Timeline::from_phases(phases)
        }
    };
    let read_seconds = started.elapsed().as_secs_f64();
    let threads = args.threads.unwrap_or_else(default_threads).max(1);
    let names = timeline.names();
    let windows = timeline.windows();
    let mut summary = json!({ "windows": windows.len(), "nodes": names.len(), "seconds_read": read_seconds });
    let watch = Stopwatch::start();
    if let Some(who) = &args.replaced {
        let node = timeline.id(who).with_context(|| format!("{who:?} is in none of the windows"))?;
        let present = |w: usize| windows[w].local(node).is_some();
        let t =
            match &args.after {
                Some(label) => {
                    let by_label = windows.iter().position(|w| &w.label == label);
                    let by_number =
                        label.parse::<usize>().ok().filter(|&i| (1..=windows.len()).contains(&i)).map(|i| i - 1);
                    by_label.or(by_number).with_context(|| format!("no window is labelled or numbered {label:?}"))?
                }
                None => (0..windows.len().saturating_sub(1)).find(|&w| present(w) && !present(w + 1)).with_context(
                    || format!("{who:?} never leaves: no window has it with a next window that lacks it; give --after"),
                )?,
            };
        let mut ranking = timeline.replacements(t, node, threads)?;
        let timing = watch.stop();
        if let Some(top) = args.top {
            ranking.truncate(top);
        }
        let rows = ranking
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    json!(i + 1),
                    json!(names[r.node as usize]),
                    json!(r.score),
                    json!(r.contacts_taken),
                    json!(r.contacts_share),
                    json!(r.betweenness_before),
                    json!(r.betweenness_after),
                    json!(r.brokerage_share),
                ]
            })
            .collect();
        let header = [
            "rank",
            "node",
            "score",
            "contacts_taken",
            "contacts_share",
            "betweenness_before",
            "betweenness_after",
            "brokerage_share",
        ];
        let rows = emit(args.out.as_deref(), json, &header, rows)?;
        let (before, after) = (&windows[t], &windows[t + 1]);
        summary["replaced"] = json!(who);
        summary["before"] = json!(before.label);
        summary["after"] = json!(after.label);
        summary["still_present"] = json!(after.local(node).is_some());
        timing.write(&mut summary);
        let best =
            ranking.first().map_or("nobody".to_string(), |r| format!("{:?} ({:.3})", names[r.node as usize], r.score));
        let text = format!("who took over from {who:?} between {} and {}: {best} first", before.label, after.label);
        finish(json, summary, rows, text);
        return Ok(ExitCode::SUCCESS);
    }
    let summaries = timeline.summaries(threads);
    let timing = watch.stop();
    let join = |ids: &[u32]| ids.iter().map(|&v| names[v as usize].as_str()).collect::<Vec<_>>().join(" ");
    let rows = windows
        .iter()
        .zip(&summaries)
        .enumerate()
        .map(|(i, (w, s))| {
            vec![
                json!(i + 1),
                json!(w.label),
                json!(w.span.map(|x| x.0)),
                json!(w.span.map(|x| x.1)),
                json!(s.nodes),
                json!(s.edges),
                json!(s.density),
                json!(s.degree_centralization),
                json!(s.betweenness_centralization),
                json!(s.components),
                json!(s.largest_component),
                json!(s.largest_share),
                json!(s.top_betweenness.map(|v| names[v as usize].as_str())),
                json!(join(&s.entered)),
                json!(join(&s.left)),
            ]
        })
        .collect();
    let header = [
        "window",
        "label",
        "start",
        "end",
        "nodes",
        "edges",
        "density",
        "degree_centralization",
        "betweenness_centralization",
        "components",
        "largest_component",
        "largest_share",
        "top_betweenness",
        "entered",
        "left",
    ];
    let rows = emit(args.out.as_deref(), json, &header, rows)?;
    timing.write(&mut summary);
    let text = format!("{} windows over {} nodes ({:.3} s)", windows.len(), names.len(), timing.wall);
    finish(json, summary, rows, text);
    Ok(ExitCode::SUCCESS)
}
