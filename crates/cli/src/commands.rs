//! What each subcommand does.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use tessera_access::Viewer;
use tessera_ingest::{IngestError, ingest_file};
use tessera_model::EntityKind;
use tessera_store::{AuditEvent, SearchRequest, SqliteStore, Store};

use crate::args::{AuditCommand, Cli, Command};
use crate::progress::Bar;
use crate::render;

/// Runs a parsed command line; the exit code says whether it succeeded.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let viewer = Viewer::local_operator();
    match cli.command {
        Command::Init => {
            let store = SqliteStore::init(&cli.data)?;
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({ "data": store.dir(), "schema_version": tessera_store::SCHEMA_VERSION })
                );
            } else {
                println!("store ready in {}", store.dir().display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest { files, mapping, quiet } => {
            let mut store = SqliteStore::open(&cli.data)?;
            let mut failed = 0;
            let mut summaries = Vec::new();
            let mut bar = Bar::new(quiet || cli.json);
            for file in &files {
                let result = ingest_file(&mut store, file, mapping.as_deref(), &mut bar);
                bar.finish();
                match result {
                    Ok(summary) => {
                        store.audit(&viewer, &AuditEvent::new("ingest", summary.file.clone()))?;
                        if !cli.json {
                            println!("{}", render::file_summary(&summary));
                        }
                        summaries.push(serde_json::to_value(&summary)?);
                    }
                    Err(error) => {
                        failed += 1;
                        report_ingest_error(&error, cli.json);
                    }
                }
            }
            if cli.json {
                println!("{}", serde_json::json!({ "ingested": summaries, "failed": failed }));
            }
            Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(2) })
        }
        Command::Search { query, kind, limit, offset } => {
            if query.trim().is_empty() {
                bail!("the search query is empty");
            }
            let store = SqliteStore::open(&cli.data)?;
            let kinds = kind
                .iter()
                .map(|k| EntityKind::from_name(k).with_context(|| format!("unknown entity kind {k:?}")))
                .collect::<Result<Vec<_>>>()?;
            let request = SearchRequest { query: query.clone(), kinds, limit: limit.clamp(1, 1000), offset };
            store.audit(&viewer, &AuditEvent::new("search", query))?;
            let results = store.search(&viewer, &request)?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&results)?);
            } else {
                print!("{}", render::search(&results));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { entity_id } => {
            let store = SqliteStore::open(&cli.data)?;
            store.audit(&viewer, &AuditEvent::new("read_entity", entity_id.clone()))?;
            let Some(entity) = store.entity(&viewer, &entity_id)? else {
                bail!("no entity {entity_id:?}");
            };
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&entity)?);
            } else {
                print!("{}", render::entity(&entity));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { report_id } => {
            let store = SqliteStore::open(&cli.data)?;
            store.audit(&viewer, &AuditEvent::new("read_report", report_id.clone()))?;
            let Some(report) = store.report(&viewer, &report_id)? else {
                bail!("no report {report_id:?}");
            };
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", render::report(&report));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { command } => audit(&cli.data, command, cli.json, &viewer),
        Command::Serve { addr } => {
            SqliteStore::open(&cli.data)?;
            serve(&cli.data, addr, viewer)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { addr, reports, seed, no_serve, ref write, no_load } => {
            if no_load {
                let path = write.as_deref().context("--no-load needs --write")?;
                let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
                let mut out = std::io::BufWriter::new(file);
                tessera_scenario::generate(&tessera_scenario::ScenarioConfig { seed, reports }, &mut out)?;
                std::io::Write::flush(&mut out)?;
                return Ok(ExitCode::SUCCESS);
            }
            demo(&cli, reports, seed, write.as_deref(), &viewer)?;
            if !no_serve {
                serve(&cli.data, addr, viewer)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Verifies or lists the audit log; reading the log is itself recorded, after the check.
fn audit(data: &std::path::Path, command: AuditCommand, json: bool, viewer: &Viewer) -> Result<ExitCode> {
    let store = SqliteStore::open(data)?;
    match command {
        AuditCommand::Verify { checkpoint } => {
            store.audit(viewer, &AuditEvent::new("audit_verify", checkpoint.clone().unwrap_or_default()))?;
            let verification = store.verify_audit(checkpoint.as_deref())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&verification)?);
            } else {
                for b in &verification.breaks {
                    println!("BROKEN: {b}");
                }
                println!(
                    "{} records checked, {} break(s); head {}",
                    verification.records,
                    verification.breaks.len(),
                    verification.head
                );
            }
            Ok(if verification.breaks.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(3) })
        }
        AuditCommand::List { user, action, contains, since, limit } => {
            let filter = tessera_store::AuditFilter { user, action, contains, since, limit: limit.clamp(1, 100_000) };
            let records = store.audit_records(&filter)?;
            store.audit(viewer, &AuditEvent::new("audit_read", format!("{filter:?}")))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&records)?);
            } else {
                for r in &records {
                    println!("{:>7} {} {:<16} {:<10} {:<12} {}", r.seq, r.at, r.user, r.agency, r.action, r.detail);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints every problem of a refused file.
fn report_ingest_error(error: &IngestError, json: bool) {
    match error {
        IngestError::Invalid { file, errors } => {
            if json {
                let details: Vec<_> = errors
                    .iter()
                    .map(|e| serde_json::json!({ "file": e.file, "line": e.line, "field": e.field, "message": e.message }))
                    .collect();
                eprintln!("{}", serde_json::json!({ "error": { "file": file, "problems": details } }));
            } else {
                eprintln!("error: {file} rejected, nothing from it was stored:");
                for e in errors {
                    eprintln!("  {e}");
                }
            }
        }
        other => eprintln!("error: {other}"),
    }
}

/// Generates the demo scenario into a file beside the store and ingests it (once: a store that has it already keeps it).
fn demo(cli: &Cli, reports: usize, seed: u64, write: Option<&std::path::Path>, viewer: &Viewer) -> Result<()> {
    let mut store = SqliteStore::init(&cli.data)?;
    let config = tessera_scenario::ScenarioConfig { seed, reports };
    let file = cli.data.join(format!("demo-scenario-{seed}-{reports}.jsonl"));
    let mut buffer = Vec::new();
    let summary = tessera_scenario::generate(&config, &mut buffer)?;
    std::fs::write(&file, &buffer).with_context(|| format!("writing {}", file.display()))?;
    if let Some(copy) = write {
        std::fs::write(copy, &buffer).with_context(|| format!("writing {}", copy.display()))?;
    }
    let first_id = String::from_utf8_lossy(&buffer)
        .lines()
        .next()
        .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .and_then(|v| v["id"].as_str().map(str::to_string));
    if let Some(id) = first_id
        && store.has_report(&id)?
    {
        if !cli.json {
            println!("demo scenario already loaded in {}", cli.data.display());
        }
        return Ok(());
    }
    let mut bar = Bar::new(cli.json);
    let result = ingest_file(&mut store, &file, None, &mut bar);
    bar.finish();
    match result {
        Ok(file_summary) => {
            store.audit(viewer, &AuditEvent::new("ingest", file_summary.file.clone()))?;
            if cli.json {
                println!("{}", serde_json::json!({ "scenario": format!("{summary:?}"), "ingested": file_summary }));
            } else {
                println!("{}", render::file_summary(&file_summary));
            }
            Ok(())
        }
        Err(error) => {
            report_ingest_error(&error, cli.json);
            bail!("the demo scenario did not load")
        }
    }
}

/// Runs the server until Ctrl-C, printing its address once it is listening.
fn serve(data: &std::path::Path, addr: std::net::SocketAddr, viewer: Viewer) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let state = tessera_server::AppState::new(data, viewer)?;
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
        let bound = listener.local_addr()?;
        println!("Tessera is serving {} at http://{bound}/ (Ctrl-C to stop)", data.display());
        tessera_server::serve_on(listener, state).await?;
        anyhow::Ok(())
    })?;
    Ok(())
}
