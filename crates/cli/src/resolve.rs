//! `tessera resolve`: the entity-resolution engine on CSV files, on its own —
//! dedupe one file or link two — writing scored pairs (with the evidence of
//! each) and clusters as CSV.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use tessera_resolve::{Config, Record, Resolution, Role, Schema, dedupe, link, read_csv};

/// Flags of `tessera resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The CSV file to dedupe (or the left file of a link).
    pub file: PathBuf,
    /// Link FILE with this second CSV file instead of deduplicating FILE.
    #[arg(long)]
    pub link: Option<PathBuf>,
    /// Column holding each record's id.
    #[arg(long)]
    pub id: String,
    /// A column and its role, e.g. `--field given_name=given_name --field dob=birth_date`. Roles: given_name,
    /// surname, full_name, birth_date, phone, postcode, suburb, state, street_number, address, document_number,
    /// nationality, sex, other.
    #[arg(long = "field", value_name = "COLUMN=ROLE", required = true)]
    pub fields: Vec<String>,
    /// Match probability from which a pair counts as the same entity.
    #[arg(long, default_value_t = 0.5)]
    pub threshold: f64,
    /// Write the scored pairs here (CSV); default: standard output.
    #[arg(long)]
    pub pairs: Option<PathBuf>,
    /// Write the clusters here (CSV: cluster, record id).
    #[arg(long)]
    pub clusters: Option<PathBuf>,
}

fn role(name: &str) -> Option<Role> {
    Some(match name {
        "given_name" => Role::GivenName,
        "surname" => Role::Surname,
        "full_name" => Role::FullName,
        "birth_date" => Role::BirthDate,
        "phone" => Role::Phone,
        "postcode" => Role::Postcode,
        "suburb" => Role::Suburb,
        "state" => Role::State,
        "street_number" => Role::StreetNumber,
        "address" => Role::Address,
        "document_number" => Role::DocumentNumber,
        "nationality" => Role::Nationality,
        "sex" => Role::Sex,
        "other" => Role::Other,
        _ => return None,
    })
}

/// Runs the engine and writes its results.
pub fn run(args: ResolveArgs, json: bool) -> Result<ExitCode> {
    let mut columns: Vec<(String, Role)> = Vec::new();
    for field in &args.fields {
        let Some((column, name)) = field.split_once('=') else {
            bail!("--field {field:?}: write COLUMN=ROLE, e.g. surname=surname");
        };
        let Some(r) = role(name.trim()) else {
            bail!("--field {field:?}: unknown role {name:?}");
        };
        columns.push((column.trim().to_string(), r));
    }
    let roles: Vec<(&str, Role)> = columns.iter().map(|(c, r)| (c.as_str(), *r)).collect();
    let config = Config { threshold: args.threshold, ..Config::new(Schema::new(roles.iter().copied())) };
    let path = |p: &PathBuf| p.to_str().map(str::to_string).with_context(|| format!("{} is not UTF-8", p.display()));
    let started = std::time::Instant::now();
    let left = read_csv(&path(&args.file)?, &args.id, &roles)?;
    let (resolution, right) = match &args.link {
        Some(other) => {
            let right = read_csv(&path(other)?, &args.id, &roles)?;
            (link(&left, &right, &config)?, right)
        }
        None => (dedupe(&left, &config)?, Vec::new()),
    };
    let record =
        |i: u32, right_side: bool| -> &Record { if right_side { &right[i as usize] } else { &left[i as usize] } };
    let linking = args.link.is_some();

    let mut pairs_out: Box<dyn Write> = match &args.pairs {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let mut writer = csv::Writer::from_writer(&mut pairs_out);
    writer.write_record(["left_id", "right_id", "probability", "weight", "evidence"])?;
    for pair in &resolution.pairs {
        let evidence: Vec<String> = resolution
            .explain(&config.schema, pair)
            .into_iter()
            .map(|(field, level, bits)| format!("{field}: {level} {bits:+.1}"))
            .collect();
        writer.write_record([
            record(pair.left, false).id.as_str(),
            record(pair.right, linking).id.as_str(),
            &format!("{:.6}", pair.probability),
            &format!("{:.3}", pair.weight),
            &evidence.join("; "),
        ])?;
    }
    writer.flush()?;
    drop(writer);
    pairs_out.flush()?;

    if let Some(p) = &args.clusters {
        write_clusters(p, &resolution, &left, &right)?;
    }
    let summary = serde_json::json!({
        "records": left.len() + right.len(),
        "candidate_pairs": resolution.candidates.len(),
        "pairs": resolution.pairs.len(),
        "clusters": resolution.clusters.len(),
        "seconds": started.elapsed().as_secs_f64(),
    });
    if json {
        eprintln!("{summary}");
    } else {
        eprintln!(
            "{} records, {} candidate pairs, {} matching pairs, {} clusters in {:.2}s",
            summary["records"], summary["candidate_pairs"], summary["pairs"], summary["clusters"], summary["seconds"]
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn write_clusters(path: &PathBuf, resolution: &Resolution, left: &[Record], right: &[Record]) -> Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(file));
    writer.write_record(["cluster", "file", "record_id"])?;
    for (n, cluster) in resolution.clusters.iter().enumerate() {
        for &i in cluster {
            let i = i as usize;
            let (side, id) = if i < left.len() { ("left", &left[i].id) } else { ("right", &right[i - left.len()].id) };
            writer.write_record([&(n + 1).to_string(), side, id])?;
        }
    }
    writer.flush()?;
    Ok(())
}
