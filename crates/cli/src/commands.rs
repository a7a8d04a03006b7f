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
        Command::Ingest { files, mapping, quiet, no_resolve } => {
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
            // The new reports join their clusters: an incremental resolution run.
            let resolution = if summaries.is_empty() || no_resolve {
                None
            } else {
                let run = store.resolve(false)?;
                store
                    .audit(&viewer, &AuditEvent::new("resolve", format!("{:?}: {} records", run.mode, run.records)))?;
                if !cli.json {
                    println!("{}", crate::entities::run_summary(&run));
                }
                Some(run)
            };
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({ "ingested": summaries, "failed": failed, "resolution": resolution })
                );
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
        Command::User { command } => user(&cli.data, command, cli.json, &viewer),
        Command::Agency { command } => agency(&cli.data, command, cli.json, &viewer),
        Command::Audit { command } => audit(&cli.data, command, cli.json, &viewer),
        Command::Resolve(args) => crate::resolve::run(args, cli.json),
        Command::Graph { command } => crate::graph::run(command, cli.json),
        Command::Ais { command } => crate::ais::run(command, cli.json),
        Command::Picture { command } => crate::picture::run(&cli.data, &cli.frontex, command, cli.json),
        Command::Network { command } => crate::network::run(&cli.data, command, cli.json, &viewer),
        Command::Groups(args) => crate::groups::run(&cli.data, args, cli.json, &viewer),
        Command::Watch(args) => crate::watch::run(&cli.data, args, cli.json, &viewer),
        Command::Review(args) => crate::review::run(&cli.data, args, cli.json, &viewer),
        Command::Plan { command } => crate::plan::run_plan(&cli.data, command, cli.json, &viewer),
        Command::Disruptions { command } => crate::plan::run_disruptions(&cli.data, command, cli.json, &viewer),
        Command::Import(args) => crate::import::run(&cli.data, args, cli.json, &viewer),
        Command::Deconfliction { command } => crate::deconfliction::run(&cli.data, command, cli.json, &viewer),
        Command::Entities { command } => crate::entities::run(&cli.data, command, cli.json, &viewer),
        Command::Serve { addr } => {
            SqliteStore::open(&cli.data)?;
            serve(&cli.data, &cli.frontex, addr, viewer)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { ref format, ref to, national, ref clearance, ref out } => {
            export(&cli.data, ExportRequest { format, to, national, clearance, out: out.as_deref() }, cli.json, &viewer)
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
            seed_demo_users(&cli.data, cli.json)?;
            if !no_serve {
                serve(&cli.data, &cli.frontex, addr, viewer)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The password of every demo user: synthetic demo data only, printed by `tessera demo`.
const DEMO_PASSWORD: &str = "tessera-demo-2026";

/// Seeds the agencies and users of the demo scenario, unless the directory has users already.
fn seed_demo_users(data: &std::path::Path, json: bool) -> Result<()> {
    use tessera_access::Role;
    use tessera_model::Classification::{Official, OfficialSensitive, Secret};
    let directory = tessera_identity::Directory::open(data)?;
    if directory.has_users()? {
        return Ok(());
    }
    let agencies = [
        ("NCA", "National Crime Agency", "GB", true),
        ("BF", "Border Force", "GB", true),
        ("IE", "Immigration Enforcement", "GB", true),
        ("CPS", "Crown Prosecution Service", "GB", true),
        ("DEBRIEF", "Migrant debriefing team", "GB", true),
        ("ILO", "Immigration Liaison Officers", "GB", true),
        ("EUROPOL", "Europol", "NL", false),
        ("FR-OCRIEST", "Office central pour la répression de l'immigration irrégulière", "FR", false),
    ];
    let known: Vec<String> = directory.agencies()?.into_iter().map(|a| a.code).collect();
    for (code, name, country, national) in agencies {
        if !known.iter().any(|k| k == code) {
            directory.add_agency(code, name, country, national)?;
        }
    }
    let users: [(&str, &str, Role, tessera_model::Classification, &[&str]); 8] = [
        ("analyst.nca", "NCA", Role::Analyst, Secret, &["OP-TIDEWAY", "OP-KESTREL"]),
        ("investigator.bf", "BF", Role::Investigator, OfficialSensitive, &[]),
        ("debrief.officer", "DEBRIEF", Role::DebriefingOfficer, OfficialSensitive, &[]),
        ("lead.sea", "NCA", Role::StreamLead, Secret, &[]),
        ("liaison.fr", "FR-OCRIEST", Role::PartnerLiaison, OfficialSensitive, &[]),
        ("liaison.europol", "EUROPOL", Role::PartnerLiaison, Secret, &[]),
        ("auditor", "NCA", Role::Auditor, Official, &[]),
        ("admin", "NCA", Role::Administrator, Official, &[]),
    ];
    for (name, agency, role, clearance, compartments) in users {
        directory.add_user(tessera_identity::NewUser {
            name: name.into(),
            agency: agency.into(),
            role,
            clearance,
            compartments: compartments.iter().map(|c| c.to_string()).collect(),
            password: DEMO_PASSWORD.into(),
        })?;
    }
    let names: Vec<&str> = users.iter().map(|u| u.0).collect();
    if json {
        println!("{}", serde_json::json!({ "demo_users": names, "demo_password": DEMO_PASSWORD }));
    } else {
        println!("demo users (synthetic demo only; password {DEMO_PASSWORD:?}): {}", names.join(", "));
    }
    Ok(())
}

/// Reads a password from the first line of standard input.
fn password_from_stdin() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("password: standard input was empty");
    }
    if password.chars().count() < tessera_identity::MIN_PASSWORD_CHARS {
        bail!("password: must be at least {} characters", tessera_identity::MIN_PASSWORD_CHARS);
    }
    Ok(password)
}

/// Records a directory change in the store's audit log, if a store exists in the data directory.
fn audit_directory_change(data: &std::path::Path, viewer: &Viewer, action: &str, detail: &str) -> Result<()> {
    if let Ok(store) = SqliteStore::open(data) {
        store.audit(viewer, &AuditEvent::new(action, detail))?;
    }
    Ok(())
}

/// `tessera user ...`: manages the users of the data directory.
fn user(data: &std::path::Path, command: crate::args::UserCommand, json: bool, viewer: &Viewer) -> Result<ExitCode> {
    use crate::args::UserCommand;
    let directory = tessera_identity::Directory::open(data)?;
    match command {
        UserCommand::Add { name, agency, role, clearance, compartments, password_stdin: _ } => {
            let role = tessera_access::Role::from_name(role.trim()).with_context(|| {
                let known: Vec<&str> = tessera_access::Role::ALL.iter().map(|r| r.name()).collect();
                format!("role: unknown role {role:?} (expected one of {})", known.join(", "))
            })?;
            let clearance: tessera_model::Classification =
                clearance.parse().map_err(|e| anyhow::anyhow!("clearance: {e}"))?;
            let password = password_from_stdin()?;
            let user = directory.add_user(tessera_identity::NewUser {
                name,
                agency,
                role,
                clearance,
                compartments: compartments.into_iter().map(|c| c.trim().to_string()).collect(),
                password,
            })?;
            audit_directory_change(data, viewer, "user_add", &user.name)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&user)?);
            } else {
                println!(
                    "user {} added ({}, {}, cleared {})",
                    user.name,
                    user.agency,
                    user.role,
                    user.clearance.as_str()
                );
            }
        }
        UserCommand::List => {
            let users = directory.users()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                for u in &users {
                    let compartments: Vec<&str> = u.compartments.iter().map(String::as_str).collect();
                    println!(
                        "{:<20} {:<12} {:<20} {:<20} {}{}",
                        u.name,
                        u.agency,
                        u.role.name(),
                        u.clearance.as_str(),
                        compartments.join(","),
                        if u.disabled { " (disabled)" } else { "" }
                    );
                }
            }
        }
        UserCommand::Disable { name } => {
            directory.disable_user(&name)?;
            audit_directory_change(data, viewer, "user_disable", &name)?;
            if json {
                println!("{}", serde_json::json!({ "disabled": name }));
            } else {
                println!("user {name} disabled; their sessions have ended");
            }
        }
        UserCommand::Passwd { name, password_stdin: _ } => {
            let password = password_from_stdin()?;
            directory.set_password(&name, &password)?;
            audit_directory_change(data, viewer, "user_passwd", &name)?;
            if json {
                println!("{}", serde_json::json!({ "password_set": name }));
            } else {
                println!("password of {name} set; their sessions have ended");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `tessera agency ...`: manages the agencies of the data directory.
fn agency(
    data: &std::path::Path,
    command: crate::args::AgencyCommand,
    json: bool,
    viewer: &Viewer,
) -> Result<ExitCode> {
    use crate::args::AgencyCommand;
    let directory = tessera_identity::Directory::open(data)?;
    match command {
        AgencyCommand::Add { code, name, country, partner } => {
            let agency = directory.add_agency(&code, &name, &country, !partner)?;
            audit_directory_change(data, viewer, "agency_add", &agency.code)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&agency)?);
            } else {
                let kind = if agency.national { "UK agency of the hub" } else { "partner agency" };
                println!("agency {} added ({}, {}, {kind})", agency.code, agency.name, agency.country);
            }
        }
        AgencyCommand::List => {
            let agencies = directory.agencies()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&agencies)?);
            } else {
                for a in &agencies {
                    let kind = if a.national { "national" } else { "partner" };
                    println!("{:<12} {:<3} {:<9} {}", a.code, a.country, kind, a.name);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
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
        resolve_demo(&mut store, cli.json, viewer)?;
        crate::watch::demo(&mut store, &config, &summary.groups, cli.json)?;
        return crate::plan::demo(&mut store, &config, cli.json, viewer);
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
            resolve_demo(&mut store, cli.json, viewer)?;
            crate::watch::demo(&mut store, &config, &summary.groups, cli.json)?;
            crate::plan::demo(&mut store, &config, cli.json, viewer)
        }
        Err(error) => {
            report_ingest_error(&error, cli.json);
            bail!("the demo scenario did not load")
        }
    }
}

/// Resolves the demo's entities (only what is new since the last run), so its clusters and review queue are filled.
fn resolve_demo(store: &mut SqliteStore, json: bool, viewer: &Viewer) -> Result<()> {
    let run = store.resolve(false)?;
    store.audit(viewer, &AuditEvent::new("resolve", format!("{:?}: {} records", run.mode, run.records)))?;
    if json {
        println!("{}", serde_json::json!({ "resolution": run }));
    } else {
        println!("{}", crate::entities::run_summary(&run));
    }
    Ok(())
}

/// Runs the server until Ctrl-C, printing its address once it is listening.
fn serve(data: &std::path::Path, frontex: &std::path::Path, addr: std::net::SocketAddr, viewer: Viewer) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let state = tessera_server::AppState::new(data, viewer)?;
        match state.load_frontex(frontex) {
            Ok(()) => println!("external context: FRONTEX detections from {}", frontex.display()),
            Err(e) => println!("external context: none ({e}; set --frontex DIR)"),
        }
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
        let bound = listener.local_addr()?;
        println!("Tessera is serving {} at http://{bound}/ (Ctrl-C to stop)", data.display());
        if state.login_required().await {
            println!("login required: users are managed with `tessera user`");
        } else {
            println!("single-user mode: no users exist, so there is no login (add one with `tessera user add`)");
        }
        tessera_server::serve_on(listener, state).await?;
        anyhow::Ok(())
    })?;
    Ok(())
}

/// What `tessera export` was asked for.
struct ExportRequest<'a> {
    format: &'a str,
    to: &'a str,
    national: bool,
    clearance: &'a str,
    out: Option<&'a std::path::Path>,
}

/// Exports what may leave for the recipient, writes it, records the dissemination and audits it.
fn export(data: &std::path::Path, request: ExportRequest<'_>, json: bool, viewer: &Viewer) -> Result<ExitCode> {
    let format: tessera_exchange::Format = request.format.parse()?;
    let clearance: tessera_model::Classification = request.clearance.parse()?;
    let agency = request.to.trim().to_ascii_uppercase();
    if agency.is_empty() {
        bail!("--to needs the recipient agency's code");
    }
    let store = SqliteStore::open(data)?;
    let recipient = tessera_access::Recipient { agency: agency.clone(), national: request.national, clearance };
    let statements = store.exportable_statements(&recipient)?;
    let (body, objects) = match format {
        tessera_exchange::Format::Ftm => tessera_exchange::ftm::to_ftm(&statements),
        tessera_exchange::Format::Stix => tessera_exchange::stix::to_stix(&statements),
        tessera_exchange::Format::Csv => tessera_exchange::csv::to_csv(&statements),
    };
    let statement_ids: Vec<i64> = tessera_exchange::sanitise(&statements).iter().map(|s| s.statement_id).collect();
    let sha256 = tessera_exchange::sha256_hex(body.as_bytes());
    match request.out {
        Some(path) => std::fs::write(path, &body).with_context(|| format!("writing {}", path.display()))?,
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(body.as_bytes())?;
            stdout.flush()?;
        }
    }
    let record = tessera_store::NewDissemination {
        recipient: agency.clone(),
        format: format.name().to_string(),
        items: statement_ids.len(),
        statement_ids,
        sha256: sha256.clone(),
    };
    let id = store.record_dissemination(viewer, &record)?;
    let detail = format!(
        "dissemination {id} to {agency} ({}, cleared {clearance}): {} {format} statements, sha256 {sha256}",
        if request.national { "national" } else { "partner" },
        record.items,
    );
    store.audit(viewer, &AuditEvent::new("export", detail))?;
    let target = request.out.map(|p| p.display().to_string()).unwrap_or_else(|| "stdout".into());
    if json {
        eprintln!(
            "{}",
            serde_json::json!({
                "dissemination": id, "recipient": agency, "format": format.name(), "statements": record.items,
                "objects": objects, "sha256": sha256, "out": target,
            })
        );
    } else {
        eprintln!(
            "exported {} statements ({objects} {format} objects) to {agency} as dissemination {id} -> {target} (sha256 {sha256})",
            record.items
        );
    }
    Ok(ExitCode::SUCCESS)
}
