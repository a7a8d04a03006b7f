//! `tessera resolve`: the entity-resolution engine on CSV files, on its own —
//! dedupe one file or link two — writing scored pairs (with the evidence of
//! each) and clusters as CSV or Parquet. Settings come from flags or a TOML
//! config file (docs/resolve.md).

mod config;
mod table;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use tessera_resolve::{Progress, Record, Resolution, dedupe_with, link_with, read_csv, read_decisions};

use crate::progress::Steps;
use table::{Cell, Column, Format, Kind, Table};

/// Flags of `tessera resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The CSV file to dedupe (or the left file of a link).
    pub file: PathBuf,
    /// Link FILE with this second CSV file instead of deduplicating FILE.
    #[arg(long)]
    pub link: Option<PathBuf>,
    /// A TOML file with the id column, the fields and their roles, the threshold, and optionally the blocking
    /// rules and max_block (see docs/resolve.md). Flags override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Column holding each record's id (required unless the config file gives it).
    #[arg(long)]
    pub id: Option<String>,
    /// A column and its role, e.g. `--field given_name=given_name --field dob=birth_date`. Roles: given_name,
    /// surname, full_name, birth_date, phone, postcode, suburb, state, street_number, address, document_number,
    /// nationality, sex, other. Replaces the fields of the config file.
    #[arg(long = "field", value_name = "COLUMN=ROLE")]
    pub fields: Vec<String>,
    /// Match probability from which a pair counts as the same entity [default: 0.5].
    #[arg(long)]
    pub threshold: Option<f64>,
    /// A blocking rule (repeat for several; replaces the defaults and the config file's): name_key_birth_year,
    /// surname_postcode, given_surname_initial_birth_month, given_surname, name_key_birth_day, loose_name_pair,
    /// birth_date, phone, document_number, postcode_street_number, postcode, organisation_name, shared_member.
    #[arg(long = "rule", value_name = "RULE")]
    pub rules: Vec<String>,
    /// Blocks larger than this are skipped, their key being too common [default: 500].
    #[arg(long)]
    pub max_block: Option<usize>,
    /// Analysts' decisions: a CSV file with the columns left_id, right_id and decision (same or different). The
    /// clusters obey them and the model learns from them (see docs/resolve.md).
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// Write the scored pairs here; default: standard output.
    #[arg(long)]
    pub pairs: Option<PathBuf>,
    /// Write the clusters here (cluster, file, record_id).
    #[arg(long)]
    pub clusters: Option<PathBuf>,
    /// Format of both outputs; default: Parquet for a file ending in .parquet, CSV otherwise.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Do not show progress bars.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Columns of the pairs output.
const PAIRS: &[Column] = &[
    ("left_id", Kind::Text),
    ("right_id", Kind::Text),
    ("probability", Kind::Real(6)),
    ("weight", Kind::Real(3)),
    ("evidence", Kind::Text),
];

/// Columns of the clusters output.
const CLUSTERS: &[Column] = &[("cluster", Kind::Integer), ("file", Kind::Text), ("record_id", Kind::Text)];

/// Runs the engine and writes its results.
pub fn run(args: ResolveArgs, json: bool) -> Result<ExitCode> {
    let flags = config::Overrides {
        id: args.id.as_deref(),
        fields: &args.fields,
        threshold: args.threshold,
        rules: &args.rules,
        max_block: args.max_block,
    };
    let settings = config::settings(args.config.as_deref(), &flags)?;
    let files: Vec<&Path> = std::iter::once(args.file.as_path()).chain(args.link.as_deref()).collect();
    for file in &files {
        settings.check_header(file)?;
    }
    for (flag, path) in [("--pairs", &args.pairs), ("--clusters", &args.clusters)] {
        if let Some(path) = path {
            crate::output::check_writable(flag, path)?;
        }
    }
    let pairs_format = Format::choose(args.format, args.pairs.as_deref());
    let clusters_format = Format::choose(args.format, args.clusters.as_deref());
    let mut config = settings.config.clone();
    if let Some(file) = &args.decisions {
        let name = file.to_str().with_context(|| format!("{} is not UTF-8", file.display()))?;
        config.rulings = read_decisions(name)?;
    }
    let config = &config;
    let roles: Vec<(&str, tessera_resolve::Role)> =
        config.schema.fields.iter().map(|(c, r)| (c.as_str(), *r)).collect();

    let started = std::time::Instant::now();
    let mut steps = Steps::new(args.quiet || json);
    let mut sides = Vec::new();
    for file in &files {
        let name = file.to_str().with_context(|| format!("{} is not UTF-8", file.display()))?;
        steps.reading(name, std::fs::metadata(file).map(|m| m.len()).unwrap_or(0));
        sides.push(read_csv(name, &settings.id.0, &roles)?);
    }
    let right = if sides.len() > 1 { sides.pop().unwrap_or_default() } else { Vec::new() };
    let left = sides.pop().unwrap_or_default();
    let linking = args.link.is_some();
    let resolution =
        if linking { link_with(&left, &right, config, &mut steps)? } else { dedupe_with(&left, config, &mut steps)? };

    let record =
        |i: u32, right_side: bool| -> &Record { if right_side { &right[i as usize] } else { &left[i as usize] } };
    if args.pairs.is_some() {
        steps.step("writing pairs", resolution.pairs.len() as u64);
    } else {
        steps.finish(); // the pairs go to standard output, perhaps the same terminal
    }
    let mut pairs = Table::create(args.pairs.as_deref(), pairs_format, "pairs", PAIRS)?;
    let explainer = resolution.explainer(&config.schema);
    let mut evidence = String::new();
    // Pairs go out by weight, so each row reads two records far apart in
    // memory: their values and ids are asked for a few rows ahead.
    let ahead = tessera_resolve::VALUES_AHEAD;
    for (n, pair) in resolution.pairs.iter().enumerate() {
        explainer.prefetch_ahead(&resolution.pairs, n);
        if let Some(p) = resolution.pairs.get(n + 2 * ahead) {
            tessera_resolve::prefetch(record(p.left, false));
            tessera_resolve::prefetch(record(p.right, linking));
        }
        if let Some(p) = resolution.pairs.get(n + ahead) {
            for id in [&record(p.left, false).id, &record(p.right, linking).id] {
                if let Some(first) = id.as_bytes().first() {
                    tessera_resolve::prefetch(first);
                }
            }
        }
        evidence.clear();
        explainer.write_evidence(pair, &mut evidence);
        pairs.row(&[
            Cell::Text(&record(pair.left, false).id),
            Cell::Text(&record(pair.right, linking).id),
            Cell::Real(pair.probability),
            Cell::Real(pair.weight),
            Cell::Text(&evidence),
        ])?;
        if n % 4096 == 4095 {
            steps.advance(4096);
        }
    }
    pairs.finish()?;

    if let Some(p) = &args.clusters {
        steps.step("writing clusters", left.len() as u64 + right.len() as u64);
        write_clusters(p, clusters_format, &resolution, (&left, &right), &mut steps)?;
    }
    steps.finish();
    let seconds = started.elapsed().as_secs_f64();
    // Only a run given decisions needs every record's id, to count those naming none.
    let unknown = if config.rulings.is_empty() {
        0
    } else {
        let ids: std::collections::HashSet<&str> = left.iter().chain(&right).map(|r| r.id.as_str()).collect();
        config.rulings.iter().filter(|r| !ids.contains(r.left.as_str()) || !ids.contains(r.right.as_str())).count()
    };
    let summary = serde_json::json!({
        "records": left.len() + right.len(),
        "candidate_pairs": resolution.candidates.len(),
        "pairs": resolution.pairs.len(),
        "clusters": resolution.clusters.len(),
        "decisions": config.rulings.len(),
        "decisions_unknown_records": unknown,
        "decisions_learnt_from": resolution.model.decisions,
        "prior_bits": resolution.model.prior,
        "seconds": seconds,
    });
    if json {
        eprintln!("{summary}");
    } else {
        eprintln!(
            "{} records, {} candidate pairs, {} matching pairs, {} clusters in {:.2}s",
            summary["records"], summary["candidate_pairs"], summary["pairs"], summary["clusters"], seconds
        );
        eprintln!(
            "prior {:+.1} bits (the chance that two records drawn at random match; the pairs' weights and evidence \
             leave it out)",
            resolution.model.prior
        );
        if args.decisions.is_some() {
            eprintln!(
                "{} decisions: {} naming records not in the input were ignored; the model learnt from {}",
                summary["decisions"], summary["decisions_unknown_records"], summary["decisions_learnt_from"]
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_clusters(
    path: &Path,
    format: Format,
    resolution: &Resolution,
    (left, right): (&[Record], &[Record]),
    progress: &mut dyn Progress,
) -> Result<()> {
    let mut table = Table::create(Some(path), format, "clusters", CLUSTERS)?;
    for (n, cluster) in resolution.clusters.iter().enumerate() {
        for &i in cluster {
            let i = i as usize;
            let (side, id) = if i < left.len() { ("left", &left[i].id) } else { ("right", &right[i - left.len()].id) };
            table.row(&[Cell::Integer(n as i64 + 1), Cell::Text(side), Cell::Text(id)])?;
        }
        progress.advance(cluster.len() as u64);
    }
    table.finish()
}
