//! `tessera groups`: the organised crime group board from the command line.
//! Lists every group the acting viewer may see, ranked by priority, as a
//! table, JSON or CSV; with a group id, shows every factor of that group with
//! its level descriptor, explanation and the facts behind it. Every read is
//! audited before the answer is printed.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use tessera_access::Viewer;
use tessera_store::{AuditEvent, GroupSummary, GroupView, SqliteStore, Store};

/// Arguments of `tessera groups`.
#[derive(Debug, Args)]
pub struct GroupsArgs {
    /// Show this group in full (any of its organisation record ids) instead of the board.
    pub id: Option<String>,
    /// Output format (the global --json is the same as --format json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Act as this user of the data directory (default: the local operator).
    #[arg(long = "as")]
    pub as_user: Option<String>,
}

/// How the board is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// JSON.
    Json,
    /// CSV with a header row.
    Csv,
}

/// Runs `tessera groups`.
pub fn run(data: &std::path::Path, args: GroupsArgs, json: bool, operator: &Viewer) -> Result<ExitCode> {
    let viewer = crate::entities::acting_viewer(data, args.as_user.as_deref(), operator)?;
    let format = if json { Format::Json } else { args.format };
    let store = SqliteStore::open(data)?;
    match args.id {
        None => {
            store.audit(&viewer, &AuditEvent::new("read_groups", ""))?;
            let board = store.groups(&viewer)?;
            print!("{}", board_text(&board, format)?);
        }
        Some(id) => {
            if id.trim().is_empty() {
                bail!("the group id is empty");
            }
            store.audit(&viewer, &AuditEvent::new("read_group", id.clone()))?;
            let group = store
                .group(&viewer, &id)?
                .with_context(|| format!("no organised crime group {id:?} is visible to you"))?;
            print!("{}", group_text(&group, format)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Columns of the board in CSV and table form.
const COLUMNS: [&str; 13] = [
    "rank",
    "id",
    "name",
    "origin",
    "band",
    "priority",
    "harm",
    "capability",
    "intent",
    "confidence",
    "members",
    "last_activity",
    "records",
];

fn row(rank: usize, g: &GroupSummary) -> [String; 13] {
    [
        rank.to_string(),
        g.id.clone(),
        g.name.clone(),
        format!("{:?}", g.origin).to_lowercase(),
        format!("{:?}", g.band).to_lowercase(),
        g.priority.to_string(),
        g.harm.to_string(),
        g.capability.to_string(),
        g.intent.to_string(),
        format!("{} ({})", g.confidence, g.confidence_band.label().to_lowercase()),
        g.members.to_string(),
        g.last_activity.clone().unwrap_or_default(),
        g.records.to_string(),
    ]
}

/// The board in the chosen format.
fn board_text(board: &[GroupSummary], format: Format) -> Result<String> {
    match format {
        Format::Json => Ok(format!("{}\n", serde_json::to_string_pretty(&board)?)),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(COLUMNS)?;
            for (i, g) in board.iter().enumerate() {
                w.write_record(row(i + 1, g))?;
            }
            Ok(String::from_utf8(w.into_inner().context("writing CSV")?)?)
        }
        Format::Table => {
            let rows: Vec<[String; 13]> = board.iter().enumerate().map(|(i, g)| row(i + 1, g)).collect();
            let mut widths = COLUMNS.map(|c| c.chars().count());
            for r in &rows {
                for (w, cell) in widths.iter_mut().zip(r) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let mut out = String::new();
            let line = |cells: &[String], out: &mut String| {
                let padded: Vec<String> = cells
                    .iter()
                    .zip(widths)
                    .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
                    .collect();
                let _ = writeln!(out, "{}", padded.join("  ").trim_end());
            };
            line(&COLUMNS.map(str::to_string), &mut out);
            for r in &rows {
                line(r, &mut out);
            }
            if board.is_empty() {
                out.push_str("no organised crime group is visible to you\n");
            }
            Ok(out)
        }
    }
}

/// One group in the chosen format: every factor with its descriptor and explanation.
fn group_text(g: &GroupView, format: Format) -> Result<String> {
    let a = &g.assessment;
    match format {
        Format::Json => Ok(format!("{}\n", serde_json::to_string_pretty(g)?)),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["dimension", "factor", "level", "descriptor", "explanation", "facts"])?;
            for f in &a.factors {
                w.write_record([
                    f.dimension.label().to_string(),
                    f.label.to_string(),
                    f.level.map(|l| l.to_string()).unwrap_or_else(|| "n/a".into()),
                    f.descriptor.clone(),
                    f.explanation.clone(),
                    f.evidence_total.to_string(),
                ])?;
            }
            Ok(String::from_utf8(w.into_inner().context("writing CSV")?)?)
        }
        Format::Table => {
            let mut out = String::new();
            let _ = writeln!(out, "{} ({})", a.name, a.id);
            let _ = writeln!(
                out,
                "band {}  priority {}  harm {}  capability {}  intent {}  threat {}  confidence {} ({})  as of {}",
                a.band.label(),
                a.priority,
                a.harm.score,
                a.capability.score,
                a.intent.score,
                a.threat,
                a.confidence.score,
                a.confidence.band.label(),
                a.as_of
            );
            let _ = writeln!(out, "{}", a.priority_explanation);
            let _ = writeln!(out, "confidence: {}", a.confidence.explanation);
            let records: Vec<&str> = g.organisations.iter().map(|m| m.id.as_str()).collect();
            let _ = writeln!(out, "records: {}", records.join(", "));
            for d in [&a.harm, &a.capability, &a.intent] {
                let _ = writeln!(out, "\n{} {}: {}", d.dimension.label(), d.score, d.explanation);
                for f in a.factors.iter().filter(|f| f.dimension == d.dimension) {
                    let level = f.level.map(|l| l.to_string()).unwrap_or_else(|| "n/a".into());
                    let _ = writeln!(out, "  [{level}] {}: {}", f.label, f.descriptor);
                    let _ = writeln!(out, "      {}", f.explanation);
                }
            }
            Ok(out)
        }
    }
}
