//! `tessera network`: the network of resolved entities in the store, as one
//! user may see it. `show` prints the nodes and edges around seeds (or all of
//! it) with their communities and centrality, or writes it as an edge list
//! that `tessera graph` reads; `edge` lists the statements behind one edge;
//! `path` finds the shortest paths between two entities with the evidence of
//! each hop. Every read is audited, as in the server.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use tessera_access::Viewer;
use tessera_model::LinkType;
use tessera_model::schema::parse_list;
use tessera_store::{
    AuditEvent, Network, NetworkRequest, PathRequest, SqliteStore, Store, TimelineAnswer, TimelineRequest,
};

/// Network subcommands.
#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// The network around seed entities (or all of it), with communities and betweenness.
    Show {
        /// Entities to start from (repeat); none: the whole network you may see.
        #[arg(long = "seed")]
        seeds: Vec<String>,
        /// Hops of neighbours around the seeds (0 to 4).
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// Most nodes.
        #[arg(long, default_value_t = 2000)]
        limit: usize,
        /// What to print.
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
        #[command(flatten)]
        scope: Scope,
    },
    /// Every statement behind one edge, with how its weight was reached.
    Edge {
        /// Source entity (any member of its cluster).
        source: String,
        /// Target entity.
        target: String,
        /// Link type.
        link_type: String,
        /// Act as this user of the data directory (default: the local operator).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// The network over time: windows of days, who entered and left, centralisation, and who replaced someone.
    Timeline {
        /// Window length in days (91: quarters).
        #[arg(long, default_value_t = 91)]
        window: i64,
        /// An entity that left the network: rank who took over its links and brokerage.
        #[arg(long)]
        replaced: Option<String>,
        /// Entities to start from (repeat); none: the whole network you may see.
        #[arg(long = "seed")]
        seeds: Vec<String>,
        /// Hops of neighbours around the seeds.
        #[arg(long, default_value_t = 2)]
        depth: usize,
        #[command(flatten)]
        scope: Scope,
    },
    /// The shortest paths between two entities, each hop with the statements behind it.
    Path {
        /// Start entity.
        from: String,
        /// End entity.
        to: String,
        /// How many paths (1 to 10).
        #[arg(short, long, default_value_t = 3)]
        k: usize,
        /// Only a path whose links were observed in time order (the earliest-arriving one).
        #[arg(long)]
        ordered: bool,
        #[command(flatten)]
        scope: Scope,
    },
    /// Disruption planning: which removals fragment the network most (greedy), and what each leaves.
    Removal {
        /// Removals to simulate (1 to 50).
        #[arg(short, long, default_value_t = 5)]
        k: usize,
        /// Entity kinds that may be removed, comma-separated (default: Person).
        #[arg(long)]
        kinds: Option<String>,
        /// Entities to start from (repeat); none: the whole network you may see.
        #[arg(long = "seed")]
        seeds: Vec<String>,
        /// Hops of neighbours around the seeds.
        #[arg(long, default_value_t = 2)]
        depth: usize,
        #[command(flatten)]
        scope: Scope,
    },
}

/// Which links count, and as whom.
#[derive(Debug, Args)]
pub struct Scope {
    /// Only these link types, comma-separated (associate, family, member_of, uses, owns, paid, ...).
    #[arg(long)]
    types: Option<String>,
    /// Only links observed on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Only links observed on or before this date.
    #[arg(long)]
    until: Option<String>,
    /// Act as this user of the data directory (default: the local operator).
    #[arg(long = "as")]
    as_user: Option<String>,
}

/// Output of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// A summary for people: the most central nodes and the communities.
    Text,
    /// An edge list for `tessera graph`: `source,target,weight,type,time`, one row per observation
    /// date, time in days since 1970-01-01 (so `tessera graph timeline --window 90` gives quarters).
    Edges,
    /// The nodes as CSV, with community and centrality.
    Nodes,
}

impl Scope {
    fn request(&self) -> Result<NetworkRequest> {
        let link_types = parse_list(self.types.as_deref().unwrap_or(""), LinkType::from_name).map_err(|name| {
            anyhow::anyhow!("--types: unknown link type {name:?} (expected one of {})", LinkType::names())
        })?;
        Ok(NetworkRequest { link_types, from: self.since.clone(), until: self.until.clone(), ..Default::default() })
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, for the edge list's integer time column.
fn days(date: &str) -> Option<i64> {
    date.get(..10).and_then(tessera_model::time::day_number)
}

/// A CSV field, quoted when it has to be.
fn csv(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) { format!("\"{}\"", field.replace('"', "\"\"")) } else { field.into() }
}

/// The network as an edge list `tessera graph` reads: one row per edge and observation date
/// (so time windows see each contact), or one undated row for an edge without dates.
fn edge_list(network: &Network) -> String {
    let mut out = String::from("source,target,weight,type,time\n");
    for e in &network.edges {
        let (source, target) = (csv(&e.source), csv(&e.target));
        let times: Vec<i64> = e.observed.iter().filter_map(|d| days(d)).collect();
        if times.is_empty() {
            let _ = writeln!(out, "{source},{target},{:.6},{},", e.weight, e.link_type);
        }
        for time in times {
            let _ = writeln!(out, "{source},{target},{:.6},{},{time}", e.weight, e.link_type);
        }
    }
    out
}

/// The nodes as CSV.
fn node_list(network: &Network) -> String {
    let mut out = String::from("id,kind,caption,members,community,degree,betweenness\n");
    for n in &network.nodes {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{:.6}",
            csv(&n.id),
            n.kind.name(),
            csv(&n.caption),
            csv(&n.members.join(" ")),
            n.community.map(|c| c.to_string()).unwrap_or_default(),
            n.degree,
            n.betweenness
        );
    }
    out
}

/// A summary for people.
fn summary(network: &Network) -> String {
    let mut out = format!(
        "{} nodes, {} edges, {} communities{}; links observed {} to {}\n",
        network.nodes.len(),
        network.edges.len(),
        network.communities,
        if network.truncated { " (cut short by --limit)" } else { "" },
        network.period.first.as_deref().unwrap_or("?"),
        network.period.last.as_deref().unwrap_or("?"),
    );
    let mut central: Vec<_> = network.nodes.iter().collect();
    central.sort_by(|a, b| b.betweenness.total_cmp(&a.betweenness).then(b.degree.cmp(&a.degree)));
    out.push_str("most central (betweenness, scaled to the highest = 1):\n");
    for n in central.iter().take(10) {
        let _ = writeln!(
            out,
            "  {:<28} {:<14} {:<32} betweenness {:.3}  degree {:>3}  community {}",
            n.id,
            n.kind.name(),
            n.caption,
            n.betweenness,
            n.degree,
            n.community.map(|c| c.to_string()).unwrap_or_else(|| "-".into())
        );
    }
    out
}

/// The timeline for people: one line per window, then the successors.
fn timeline_text(answer: &TimelineAnswer) -> String {
    let mut out = String::from(
        "window                     nodes  edges  density  deg.centr  btw.centr  largest  entered  left  broker\n",
    );
    for w in &answer.windows {
        let _ = writeln!(
            out,
            "{} .. {}  {:>5}  {:>5}  {:>7.4}  {:>9.3}  {:>9.3}  {:>6.0}%  {:>7}  {:>4}  {}",
            w.start,
            w.end,
            w.nodes,
            w.edges,
            w.density,
            w.degree_centralization,
            w.betweenness_centralization,
            w.largest_share * 100.0,
            w.entered.len(),
            w.left.len(),
            w.top_broker.as_ref().map(|b| format!("{} ({})", b.caption, b.id)).unwrap_or_default()
        );
    }
    if let Some(d) = &answer.departure {
        let last = &answer.windows[d.last_window];
        let _ = writeln!(
            out,
            "\n{} ({}) was last seen in {} .. {}; who took over:",
            d.node.caption, d.node.id, last.start, last.end
        );
        for s in &d.successors {
            let _ = writeln!(
                out,
                "  {:<32} score {:.2}  took {} of its contacts ({:.0}%), brokerage share {:.2}",
                format!("{} ({})", s.node.caption, s.node.id),
                s.score,
                s.contacts_taken,
                s.contacts_share * 100.0,
                s.brokerage_share
            );
        }
    }
    out
}

/// Runs a network subcommand as `operator` or `--as` user; every read is audited first.
pub fn run(data: &std::path::Path, command: NetworkCommand, json: bool, operator: &Viewer) -> Result<ExitCode> {
    let store = SqliteStore::open(data)?;
    match command {
        NetworkCommand::Show { seeds, depth, limit, format, scope } => {
            let viewer = crate::entities::acting_viewer(data, scope.as_user.as_deref(), operator)?;
            let request = NetworkRequest { seeds, depth, max_nodes: limit, ..scope.request()? };
            request.check()?;
            let detail = format!("seeds={} depth={depth} limit={limit}", request.seeds.join(","));
            store.audit(&viewer, &AuditEvent::new("read_network", detail))?;
            let network = store.network(&viewer, &request)?;
            let text = if json {
                serde_json::to_string_pretty(&network)?
            } else {
                match format {
                    ShowFormat::Text => summary(&network),
                    ShowFormat::Edges => edge_list(&network),
                    ShowFormat::Nodes => node_list(&network),
                }
            };
            crate::entities::print_all(&text)?;
        }
        NetworkCommand::Edge { source, target, link_type, as_user } => {
            let viewer = crate::entities::acting_viewer(data, as_user.as_deref(), operator)?;
            let Some(link) = LinkType::from_name(&link_type) else { bail!("unknown link type {link_type:?}") };
            store.audit(&viewer, &AuditEvent::new("read_network_edge", format!("{source} {link} {target}")))?;
            let Some(edge) = store.network_edge(&viewer, &source, &target, link)? else {
                bail!("no {link} link from {source} to {target} is visible to you");
            };
            let text = if json {
                serde_json::to_string_pretty(&edge)?
            } else {
                let mut out =
                    format!("{} -[{}]-> {}: {}\n", edge.source, edge.link_type, edge.target, edge.explanation);
                for s in &edge.statements {
                    let _ = writeln!(
                        out,
                        "  {}  {:<12} {:<22} {:<6} {:<24} {} {} {}",
                        s.observed, s.agency, s.report_id, s.grading, s.banner, s.entity, s.property, s.value
                    );
                }
                out
            };
            crate::entities::print_all(&text)?;
        }
        NetworkCommand::Timeline { window, replaced, seeds, depth, scope } => {
            let viewer = crate::entities::acting_viewer(data, scope.as_user.as_deref(), operator)?;
            let network =
                NetworkRequest { seeds, depth, max_nodes: tessera_store::MAX_NETWORK_NODES, ..scope.request()? };
            let request = TimelineRequest { network, window_days: window, replaced };
            let detail = format!("window={window} replaced={}", request.replaced.as_deref().unwrap_or(""));
            store.audit(&viewer, &AuditEvent::new("read_network_timeline", detail))?;
            let answer = store.network_timeline(&viewer, &request)?;
            let text = if json { serde_json::to_string_pretty(&answer)? } else { timeline_text(&answer) };
            crate::entities::print_all(&text)?;
        }
        NetworkCommand::Removal { k, kinds, seeds, depth, scope } => {
            let viewer = crate::entities::acting_viewer(data, scope.as_user.as_deref(), operator)?;
            let request =
                NetworkRequest { seeds, depth, max_nodes: tessera_store::MAX_NETWORK_NODES, ..scope.request()? };
            let allowed = parse_list(kinds.as_deref().unwrap_or(""), tessera_model::EntityKind::from_name)
                .map_err(|name| anyhow::anyhow!("--kinds: unknown entity kind {name:?}"))?;
            store.audit(&viewer, &AuditEvent::new("read_network_removal", format!("k={k}")))?;
            let plan = store.network_removal(&viewer, &request, k, &allowed)?;
            let text = if json {
                serde_json::to_string_pretty(&plan)?
            } else {
                let mut out = format!(
                    "before: {} components, largest {}, {} connected pairs\n",
                    plan.initial.components, plan.initial.largest_component, plan.initial.connected_pairs
                );
                for (i, step) in plan.steps.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "{:>2}. remove {} ({}, {} links): {} components, largest {}, {} connected pairs ({:.0}% of the start)",
                        i + 1,
                        step.node.caption,
                        step.node.id,
                        step.degree,
                        step.after.components,
                        step.after.largest_component,
                        step.after.connected_pairs,
                        100.0 * step.after.connected_pairs as f64 / plan.initial.connected_pairs.max(1) as f64
                    );
                }
                out
            };
            crate::entities::print_all(&text)?;
        }
        NetworkCommand::Path { from, to, k, ordered, scope } => {
            let viewer = crate::entities::acting_viewer(data, scope.as_user.as_deref(), operator)?;
            let mut network = scope.request()?;
            network.max_nodes = tessera_store::MAX_NETWORK_NODES;
            let request = PathRequest { from, to, k, network, ordered };
            let detail = format!("{} -> {} k={k}", request.from, request.to);
            store.audit(&viewer, &AuditEvent::new("read_network_paths", detail))?;
            let answer = store.network_paths(&viewer, &request)?;
            if answer.paths.is_empty() && !json {
                eprintln!("no path from {} to {} through what you may see", request.from, request.to);
                return Ok(ExitCode::from(3));
            }
            let text = if json {
                serde_json::to_string_pretty(&answer)?
            } else {
                let mut out = String::new();
                for (i, p) in answer.paths.iter().enumerate() {
                    let _ = writeln!(out, "path {} ({} hops): {}", i + 1, p.hops.len(), p.captions.join(" — "));
                    for hop in &p.hops {
                        if let Some(date) = &hop.observed {
                            let _ = write!(out, "  [{date}]");
                        }
                        let links: Vec<String> = hop
                            .edges
                            .iter()
                            .map(|e| {
                                format!(
                                    "{} ({} agenc{}, weight {:.2})",
                                    e.link_type,
                                    e.agencies,
                                    if e.agencies == 1 { "y" } else { "ies" },
                                    e.weight
                                )
                            })
                            .collect();
                        let _ = writeln!(
                            out,
                            "  {} → {}: {}; statements {:?}",
                            hop.from,
                            hop.to,
                            links.join(", "),
                            hop.statement_ids
                        );
                    }
                }
                out
            };
            crate::entities::print_all(&text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_days_and_fields_are_quoted() {
        assert_eq!(days("1970-01-02"), Some(1));
        assert_eq!(days("2024-03-01T10:00:00Z"), days("2024-03-01"));
        assert_eq!(days("2024"), None);
        assert_eq!(csv("a,b"), "\"a,b\"");
        assert_eq!(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv("plain"), "plain");
    }

    #[test]
    fn unknown_link_types_are_named() {
        let scope = Scope { types: Some("paid,bribed".into()), since: None, until: None, as_user: None };
        let err = scope.request().unwrap_err().to_string();
        assert!(err.contains("bribed") && err.contains("--types"), "{err}");
    }
}
