//! `tessera review`: the sufficiency and impact review of what the acting
//! user may see (`tessera_picture::review`, docs/review.md), printed as text,
//! JSON or one of its tables as CSV, and written as the meeting paper in HTML
//! and PDF. Audited as `read_review`, and as `export_report` for each paper
//! written.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tessera_access::Viewer;
use tessera_picture::documents::{self, Prepared};
use tessera_picture::review::{ReviewAsk, ReviewPack, build_review};
use tessera_review::{CellState, Review};
use tessera_store::{AuditEvent, SqliteStore, Store};

/// Flags of `tessera review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Act as this user of the data directory (default: the local operator).
    #[arg(long = "as")]
    pub as_user: Option<String>,
    /// Date of the review, YYYY-MM-DD (default: the latest date of what you may see, or today if earlier).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Days before and after each disruption compared.
    #[arg(long, value_parser = clap::value_parser!(u32).range(7..=730))]
    pub window: Option<u32>,
    /// Returns by month instead of by quarter.
    #[arg(long)]
    pub monthly: bool,
    /// What to print: the review as text or JSON, or one table as CSV.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    pub format: ReviewFormat,
    /// Also write the review paper as HTML here.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Also write the review paper as PDF here.
    #[arg(long)]
    pub pdf: Option<PathBuf>,
}

/// What `tessera review` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// Headlines, coverage, impacts and returns as text.
    Text,
    /// The whole review as JSON.
    Json,
    /// The coverage matrix as CSV.
    CoverageCsv,
    /// The impacts as CSV.
    ImpactCsv,
    /// The returns as CSV.
    ReturnsCsv,
}

/// Writes a paper and audits it as an export.
pub(crate) fn write_paper(store: &SqliteStore, viewer: &Viewer, path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    store.audit(viewer, &AuditEvent::new("export_report", name))?;
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Runs `tessera review`.
pub fn run(data: &Path, args: ReviewArgs, json: bool, operator: &Viewer) -> Result<ExitCode> {
    let viewer = crate::entities::acting_viewer(data, args.as_user.as_deref(), operator)?;
    if let Some(d) = &args.as_of
        && (d.len() != 10 || tessera_model::time::day_number(d).is_none())
    {
        anyhow::bail!("--as-of: {d:?} is not a date (YYYY-MM-DD)");
    }
    let ask = ReviewAsk { as_of: args.as_of.clone(), window: args.window, monthly: args.monthly };
    let store = SqliteStore::open(data)?;
    let detail =
        format!("as_of={} window={:?} monthly={}", ask.as_of.as_deref().unwrap_or(""), ask.window, ask.monthly);
    store.audit(&viewer, &AuditEvent::new("read_review", detail))?;
    let pack = build_review(&store, &viewer, &ask)?;
    if args.html.is_some() || args.pdf.is_some() {
        let document = documents::review_document(
            &pack.review,
            &pack.actions,
            &pack.disruptions,
            pack.classification,
            &Prepared::for_viewer(&viewer),
        );
        if let Some(path) = &args.html {
            write_paper(&store, &viewer, path, tessera_report::html::render(&document).as_bytes())?;
        }
        if let Some(path) = &args.pdf {
            write_paper(&store, &viewer, path, &tessera_report::pdf::render(&document))?;
        }
    }
    let format = if json { ReviewFormat::Json } else { args.format };
    let out = match format {
        ReviewFormat::Json => serde_json::to_string_pretty(&pack.review)? + "\n",
        ReviewFormat::Text => review_text(&pack),
        ReviewFormat::CoverageCsv => tessera_review::coverage_csv(&pack.review.coverage),
        ReviewFormat::ImpactCsv => tessera_review::impact_csv(&pack.review.impacts),
        ReviewFormat::ReturnsCsv => tessera_review::returns_csv(&pack.review.returns),
    };
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn review_text(pack: &ReviewPack) -> String {
    let r: &Review = &pack.review;
    let mut out = String::new();
    let _ = writeln!(out, "{}  Sufficiency and impact review as of {}", pack.classification.as_str(), r.as_of);
    for h in &r.headlines {
        let _ = writeln!(out, "* {h}");
    }
    let _ = writeln!(out, "\nCoverage (facilitation / clandestine entry / false documents / legitimate entry):");
    for row in &r.coverage.rows {
        let cells: Vec<&str> = row
            .cells
            .iter()
            .map(|c| match c.state {
                CellState::Covered => "covered",
                CellState::Gap => "GAP",
                CellState::Overdue => "overdue",
                CellState::NotApplicable => "-",
            })
            .collect();
        let _ = writeln!(out, "  {:<36} {}", row.label, cells.join(" / "));
    }
    let _ = writeln!(out, "\nImpact ({} days before and after):", r.window_days);
    for i in &r.impacts.disruptions {
        let _ = writeln!(
            out,
            "  {} {} {}: {} (recorded {}, observed {})",
            i.date,
            i.reference,
            i.group_name,
            i.change_explanation,
            i.recorded.label(),
            i.observed.map_or("not yet", |o| o.label())
        );
    }
    let _ = writeln!(out, "\nHigh risk, low return:");
    for p in &r.returns.periods {
        let revenue = p.revenue_gbp.map_or("no estimate".to_string(), tessera_model::disruption::pounds);
        let _ = writeln!(
            out,
            "  {:<8} revenue {:>12}  denied {:>12}  travellers {}",
            p.label,
            revenue,
            tessera_model::disruption::pounds(p.assets_denied_gbp),
            p.travellers
        );
    }
    out
}
