//! `tessera entities`: entity resolution over the store. `resolve` runs the
//! engine as a system process (full or incremental), `queue` lists the
//! possible matches for review with their evidence, `decide` and `split`
//! record an analyst's rulings as statements that every later run obeys.
//!
//! Reads and decisions act as a user of the data directory (`--as NAME`),
//! under the same access policy as the server, or as the local operator.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use tessera_access::Viewer;
use tessera_store::{AuditEvent, Decision, MatchCandidate, ResolutionRun, SqliteStore, Store, Verdict};

/// Entity subcommands.
#[derive(Debug, Subcommand)]
pub enum EntitiesCommand {
    /// Resolve persons, organisations, vessels and vehicles into clusters: only what changed since the last run, or everything with --full.
    Resolve {
        /// Re-resolve every entity, not only those with new statements.
        #[arg(long)]
        full: bool,
    },
    /// List possible matches for review, each with the two records side by side and the evidence per field.
    Queue {
        /// Which candidates: open, confirmed or rejected.
        #[arg(long, default_value = "open")]
        status: String,
        /// Most candidates to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Candidates to skip.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Act as this user of the data directory (default: the local operator).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Rule that two entities are the same or different; stored as a statement of a report you author.
    Decide {
        /// One entity id.
        a: String,
        /// The other entity id.
        b: String,
        /// The ruling.
        verdict: VerdictArg,
        /// Act as this user of the data directory (default: the local operator).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Split an entity from the rest of its cluster (rules it different from every member you can see).
    Split {
        /// Entity id.
        entity: String,
        /// Act as this user of the data directory (default: the local operator).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Show the cluster of an entity: the members you may see and their statements merged.
    Cluster {
        /// Entity id.
        entity: String,
        /// Act as this user of the data directory (default: the local operator).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
}

/// A ruling as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerdictArg {
    /// The same entity.
    Same,
    /// Different entities.
    Different,
}

/// The viewer a command acts as: a user of the data directory, or the local operator.
pub(crate) fn acting_viewer(data: &std::path::Path, as_user: Option<&str>, operator: &Viewer) -> Result<Viewer> {
    let Some(name) = as_user else { return Ok(operator.clone()) };
    let directory = tessera_identity::Directory::open(data)?;
    let user = directory
        .users()?
        .into_iter()
        .find(|u| u.name == name)
        .with_context(|| format!("--as: no user {name:?} in {}", data.display()))?;
    if user.disabled {
        bail!("--as: user {name:?} is disabled");
    }
    let national = directory.agencies()?.into_iter().find(|a| a.code == user.agency).is_some_and(|a| a.national);
    Ok(Viewer {
        user: user.name,
        agency: user.agency,
        role: user.role,
        clearance: user.clearance,
        compartments: user.compartments,
        national,
    })
}

/// One line per run, for people.
pub fn run_summary(run: &ResolutionRun) -> String {
    let mode = match run.mode {
        tessera_store::RunMode::Full => "full",
        tessera_store::RunMode::Incremental => "incremental",
    };
    format!(
        "resolution ({mode}): {} changed entities, {} records resolved in {:.2} s; {} entities, {} clusters with more than one member ({} changed); {} possible matches open for review; {} analyst decisions obeyed, {} of them learnt from",
        run.changed_entities,
        run.records,
        run.seconds,
        run.entities,
        run.clusters,
        run.clusters_changed,
        run.open_candidates,
        run.rulings,
        run.learnt_from
    )
}

/// A possible match in text: the two records side by side, then the evidence.
fn candidate_text(c: &MatchCandidate) -> String {
    let mut out = format!(
        "{} [{}]  p={:.3}  weight={:+.2} bits (prior {:+.2})  {}\n  A {}  ({})\n  B {}  ({})\n",
        c.kind,
        c.status,
        c.probability,
        c.weight,
        c.prior,
        if c.same_cluster { "clustered together" } else { "kept apart" },
        c.a,
        c.a_caption,
        c.b,
        c.b_caption
    );
    for f in &c.fields {
        if f.a.is_empty() && f.b.is_empty() {
            continue;
        }
        let _ = writeln!(out, "    {:<20} {:<32} | {}", f.field, f.a, f.b);
    }
    for e in &c.evidence {
        let _ = writeln!(out, "    evidence {:<20} {:<16} {:+.2} bits", e.field, e.level, e.bits);
    }
    out
}

/// Runs an entities subcommand; reads and decisions are audited.
pub fn run(data: &std::path::Path, command: EntitiesCommand, json: bool, operator: &Viewer) -> Result<ExitCode> {
    let mut store = SqliteStore::open(data)?;
    match command {
        EntitiesCommand::Resolve { full } => {
            let run = store.resolve(full)?;
            store.audit(operator, &AuditEvent::new("resolve", format!("{:?}: {} records", run.mode, run.records)))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&run)?);
            } else {
                println!("{}", run_summary(&run));
            }
        }
        EntitiesCommand::Queue { status, limit, offset, as_user } => {
            if !matches!(status.as_str(), "open" | "confirmed" | "rejected") {
                bail!("--status: {status:?} is not open, confirmed or rejected");
            }
            let viewer = acting_viewer(data, as_user.as_deref(), operator)?;
            store.audit(&viewer, &AuditEvent::new("read_match_queue", status.clone()))?;
            let queue = store.match_queue(&viewer, &status, limit.clamp(1, 10_000), offset)?;
            if json {
                print_all(&serde_json::to_string_pretty(&queue)?)?;
            } else {
                let mut text = String::new();
                for c in &queue.candidates {
                    let _ = writeln!(text, "{}", candidate_text(c));
                }
                let _ = writeln!(text, "{} {status} possible match(es) visible to {}", queue.total, viewer.user);
                print_all(&text)?;
            }
        }
        EntitiesCommand::Decide { a, b, verdict, as_user } => {
            let viewer = acting_viewer(data, as_user.as_deref(), operator)?;
            let verdict = match verdict {
                VerdictArg::Same => Verdict::Same,
                VerdictArg::Different => Verdict::Different,
            };
            let receipt = store.decide(&viewer, &[Decision { a: a.clone(), b: b.clone(), verdict }])?;
            let run = store.resolve(false)?;
            if json {
                println!("{}", serde_json::json!({ "decision": receipt, "resolution": run }));
            } else {
                let word = if verdict == Verdict::Same { "the same as" } else { "different from" };
                println!(
                    "recorded: {a} is {word} {b} (report {}, {}, by {})",
                    receipt.report, receipt.banner, viewer.user
                );
                println!("{}", run_summary(&run));
            }
        }
        EntitiesCommand::Split { entity, as_user } => {
            let viewer = acting_viewer(data, as_user.as_deref(), operator)?;
            let Some(cluster) = store.cluster(&viewer, &entity)? else {
                bail!("no entity {entity:?}");
            };
            let decisions: Vec<Decision> = cluster
                .members
                .iter()
                .filter(|m| m.id != entity)
                .map(|m| Decision { a: entity.clone(), b: m.id.clone(), verdict: Verdict::Different })
                .collect();
            if decisions.is_empty() {
                bail!("{entity:?} is alone in its cluster (as far as you can see): nothing to split");
            }
            let receipt = store.decide(&viewer, &decisions)?;
            let run = store.resolve(false)?;
            if json {
                println!("{}", serde_json::json!({ "decision": receipt, "resolution": run }));
            } else {
                println!("split {entity} from {} member(s) (report {})", decisions.len(), receipt.report);
                println!("{}", run_summary(&run));
            }
        }
        EntitiesCommand::Cluster { entity, as_user } => {
            let viewer = acting_viewer(data, as_user.as_deref(), operator)?;
            store.audit(&viewer, &AuditEvent::new("read_cluster", entity.clone()))?;
            let Some(cluster) = store.cluster(&viewer, &entity)? else {
                bail!("no entity {entity:?}");
            };
            if json {
                print_all(&serde_json::to_string_pretty(&cluster)?)?;
            } else {
                let mut text = String::new();
                let _ = writeln!(
                    text,
                    "{} ({}), cluster of {} visible member(s):",
                    cluster.entity,
                    cluster.kind,
                    cluster.members.len()
                );
                for m in &cluster.members {
                    let _ = writeln!(text, "  {}  {}", m.id, m.caption);
                }
                for s in &cluster.statements {
                    let st = &s.statement;
                    let _ = writeln!(
                        text,
                        "  {:<24} {:<14} {:<32} {} {} {}",
                        st.entity_id,
                        st.property,
                        st.value,
                        st.report_id,
                        st.agency,
                        st.grading.code()
                    );
                }
                print_all(&text)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes long output to standard output with a final newline; a reader that stops early
/// (`| head`) ends the output quietly instead of failing the command.
pub(crate) fn print_all(text: &str) -> Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(text.as_bytes()).and_then(|()| {
        if !text.ends_with('\n') {
            stdout.write_all(b"\n")?;
        }
        stdout.flush()
    });
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other.context("writing to standard output")?),
    }
}
