//! `tessera import`: partners' exports in FollowTheMoney form (as Aleph writes
//! them) or as STIX 2.1 bundles (as OpenCTI and MISP write them) become one report graded and marked as the receiving officer records
//! it (the partner's own grade and handling code kept in its scheme), and go
//! through the same checks as any other ingest.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use tessera_access::Viewer;
use tessera_exchange::import::{ReportHeader, ftm_to_report};
use tessera_exchange::stix_import::stix_to_report;
use tessera_ingest::ingest_text;
use tessera_store::{AuditEvent, SqliteStore, Store};

/// The formats `tessera import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// FollowTheMoney entities, one JSON object per line (Aleph).
    Ftm,
    /// A STIX 2.1 bundle, or a JSON array of STIX objects (OpenCTI, MISP).
    Stix,
}

/// Flags of `tessera import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// FollowTheMoney entities, one JSON object per line, or a STIX 2.1 bundle (`--format stix`).
    pub file: PathBuf,
    /// Format of the file.
    #[arg(long, value_enum, default_value = "ftm")]
    pub format: ImportFormat,
    /// Reference of the report the import becomes (unique in the store).
    #[arg(long)]
    pub report_id: String,
    /// The partner agency that sent it (owner of the material).
    #[arg(long)]
    pub agency: String,
    /// Date it was received (YYYY-MM-DD).
    #[arg(long)]
    pub date: String,
    /// The partner's grade, e.g. "B2 H1" (europol4x4) or "2B P" (3x5x2).
    #[arg(long)]
    pub grading: String,
    /// Scheme of the grade: 3x5x2, 5x5x5 or europol4x4.
    #[arg(long, default_value = "3x5x2")]
    pub grading_scheme: String,
    /// Handling conditions that go with a C or H3 code.
    #[arg(long)]
    pub conditions: Option<String>,
    /// Classification the partner gave it.
    #[arg(long)]
    pub classification: String,
    /// Caveats the partner gave it.
    #[arg(long)]
    pub caveat: Vec<String>,
    /// Officer who received it.
    #[arg(long, default_value = "")]
    pub author: String,
}

/// Imports a FollowTheMoney file or a STIX bundle as one report; audited like any ingest.
pub fn run(data: &std::path::Path, args: ImportArgs, json: bool, viewer: &Viewer) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let header = ReportHeader {
        id: args.report_id.clone(),
        agency: args.agency.clone(),
        author: args.author.clone(),
        date: args.date.clone(),
        grading: args.grading.clone(),
        classification: args.classification.clone(),
    };
    let imported = match args.format {
        ImportFormat::Ftm => ftm_to_report(&text, &header),
        ImportFormat::Stix => stix_to_report(&text, &header),
    };
    let mut imported = imported.with_context(|| format!("{}", args.file.display()))?;
    // The partner's grade in its own scheme, and its caveats: ingest maps the grade and keeps the original.
    imported.report["grading"] =
        serde_json::json!({ "scheme": args.grading_scheme, "code": args.grading, "conditions": args.conditions });
    // The caveats given, with those the import found (a STIX bundle's TLP markings).
    let mut caveats: Vec<String> = imported.report["markings"]["caveats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_string))
        .collect();
    caveats.extend(args.caveat.iter().cloned());
    imported.report["markings"]["caveats"] = serde_json::json!(caveats);
    let line = imported.report.to_string();
    let mut store = SqliteStore::open(data)?;
    let name = args.file.display().to_string();
    let summary = match ingest_text(&mut store, &name, &line, None, &mut tessera_ingest::Silent) {
        Ok(summary) => summary,
        Err(tessera_ingest::IngestError::Invalid { errors, .. }) => {
            for e in &errors {
                eprintln!("  {e}");
            }
            bail!("{name} was not imported; nothing was stored");
        }
        Err(other) => return Err(other.into()),
    };
    store.audit(viewer, &AuditEvent::new("import", format!("{name} as {} from {}", args.report_id, args.agency)))?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "imported": summary, "entities": imported.entities, "links": imported.links, "skipped": imported.skipped })
        );
    } else {
        println!(
            "{name}: {} entities and {} links from {} as report {} ({} statements); left out: {:?}",
            imported.entities, imported.links, args.agency, args.report_id, summary.statements, imported.skipped
        );
    }
    Ok(ExitCode::SUCCESS)
}
