//! `tessera watch`: the watchlist of suspect vessels from the command line.
//! Add watches (an MMSI linked to the vessel entity and group of the
//! picture) and watched areas under markings, scan AIS files or standard
//! input with the monitor (`crates/monitor`), and read the alerts with their
//! evidence. Commands act as the local operator or as a user (`--as NAME`);
//! every read, change and scan is audited before its answer is printed. See
//! docs/watch.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use tessera_access::{Role, Viewer};
use tessera_model::{Classification, Handling, Markings};
use tessera_monitor::{Monitor, ScanOptions};
use tessera_store::{
    Alert, AlertFilter, AuditEvent, NewWatch, ScanReceipt, SqliteStore, Store, TrackPoint, Watch, WatchedArea,
};

/// Arguments of `tessera watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: WatchCommand,
}

/// The markings of a new watch or area.
#[derive(Debug, Args)]
pub struct MarkingArgs {
    /// Classification: OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET.
    #[arg(long, default_value = "OFFICIAL-SENSITIVE")]
    pub classification: String,
    /// Handling code: P (may be shared with partners) or C (stays with the hub's agencies).
    #[arg(long, default_value = "C")]
    pub handling: String,
    /// Conditions of a C handling code.
    #[arg(long, default_value = "hub agencies only; owner's consent before any dissemination")]
    pub conditions: String,
    /// A compartment a reader must be read into (repeat for several).
    #[arg(long = "compartment")]
    pub compartments: Vec<String>,
    /// A caveat such as "UK EYES ONLY" (repeat for several).
    #[arg(long = "caveat")]
    pub caveats: Vec<String>,
    /// Owning agency (default: the acting user's agency).
    #[arg(long)]
    pub owner: Option<String>,
}

/// `tessera watch` subcommands.
#[derive(Debug, Subcommand)]
pub enum WatchCommand {
    /// Watch a suspect vessel by MMSI, linked to its vessel entity and group.
    Add {
        /// The vessel's MMSI (nine digits).
        #[arg(long)]
        mmsi: String,
        /// Id of the vessel entity of the picture.
        #[arg(long)]
        vessel: Option<String>,
        /// Id of the organised crime group (organisation entity) it works for.
        #[arg(long)]
        group: Option<String>,
        /// Why it is watched.
        #[arg(long)]
        reason: String,
        /// Markings.
        #[command(flatten)]
        markings: MarkingArgs,
        /// Act as this user of the data directory (default: the local operator).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// The watchlist as you may see it.
    List {
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Watched areas: add one.
    Area {
        /// What to do.
        #[command(subcommand)]
        command: AreaCommand,
    },
    /// The watched areas you may see.
    Areas {
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Scan AIS files (NMEA with tag-block or $PGHP times; `-` or none for standard input) for the
    /// behaviours of watched vessels.
    Scan {
        /// Files, in time order.
        files: Vec<PathBuf>,
        /// Also read NMEA lines from this TCP feed (after the files), until the peer closes;
        /// alerts are written as they arise (within a few seconds).
        #[arg(long, value_name = "HOST:PORT")]
        tcp: Option<String>,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Alerts of the watches you may see, newest first.
    Alerts {
        /// Only this behaviour (gap, encounter, loitering, identity_change, speed_jump, area_entry, area_exit, short_stop).
        #[arg(long)]
        kind: Option<String>,
        /// Only this status (open, acknowledged, retracted).
        #[arg(long)]
        status: Option<String>,
        /// Only this watch.
        #[arg(long)]
        watch: Option<i64>,
        /// Most alerts to show.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Alerts to skip.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// One alert with its evidence (the vessel's track around it).
    Alert {
        /// Alert id.
        id: i64,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Acknowledge an alert (or reopen it with --reopen).
    Ack {
        /// Alert id.
        id: i64,
        /// Reopen instead.
        #[arg(long)]
        reopen: bool,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
}

/// `tessera watch area` subcommands.
#[derive(Debug, Subcommand)]
pub enum AreaCommand {
    /// Add a watched area from a GeoJSON file holding one Polygon or MultiPolygon feature.
    Add {
        /// Its name.
        name: String,
        /// A GeoJSON Feature, or a FeatureCollection of one feature.
        file: PathBuf,
        /// Markings.
        #[command(flatten)]
        markings: MarkingArgs,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
}

/// Runs `tessera watch`.
pub fn run(data: &Path, args: WatchArgs, json: bool, operator: &Viewer) -> Result<ExitCode> {
    let viewer = |as_user: &Option<String>| crate::entities::acting_viewer(data, as_user.as_deref(), operator);
    match args.command {
        WatchCommand::Add { mmsi, vessel, group, reason, markings, as_user } => {
            let viewer = viewer(&as_user)?;
            let mmsi =
                tessera_model::identifiers::mmsi::parse_mmsi(&mmsi).map_err(|e| anyhow::anyhow!("--mmsi: {e}"))?.number;
            let (markings, handling) = marking_args(&markings, &viewer)?;
            let mut store = SqliteStore::open(data)?;
            let watch = NewWatch { mmsi, vessel, group, reason, markings, handling };
            let added = store.add_watch(&viewer, &watch)?;
            store.audit(&viewer, &AuditEvent::new("watch_add", format!("watch {} on MMSI {mmsi:09}", added.id)))?;
            print_one(json, &added, || watch_lines(std::slice::from_ref(&added)))
        }
        WatchCommand::List { as_user } => {
            let viewer = viewer(&as_user)?;
            let store = SqliteStore::open(data)?;
            store.audit(&viewer, &AuditEvent::new("read_watchlist", ""))?;
            let list = store.watchlist(&viewer)?;
            print_one(json, &list, || watch_lines(&list))
        }
        WatchCommand::Area { command: AreaCommand::Add { name, file, markings, as_user } } => {
            let viewer = viewer(&as_user)?;
            let feature = read_feature(&file)?;
            let (markings, handling) = marking_args(&markings, &viewer)?;
            let mut store = SqliteStore::open(data)?;
            let area = store
                .add_area(&viewer, &name, &feature, &markings, &handling)
                .with_context(|| format!("{}", file.display()))?;
            store.audit(&viewer, &AuditEvent::new("area_add", format!("area {} {:?}", area.id, area.name)))?;
            print_one(json, &area, || area_lines(std::slice::from_ref(&area)))
        }
        WatchCommand::Areas { as_user } => {
            let viewer = viewer(&as_user)?;
            let store = SqliteStore::open(data)?;
            store.audit(&viewer, &AuditEvent::new("read_areas", ""))?;
            let areas = store.areas(&viewer)?;
            print_one(json, &areas, || area_lines(&areas))
        }
        WatchCommand::Scan { files, tcp, as_user } => {
            let viewer = viewer(&as_user)?;
            let mut store = SqliteStore::open(data)?;
            let receipt = scan_inputs(&mut store, &viewer, &files, tcp.as_deref())?;
            print_one(json, &receipt, || receipt_line(&receipt))
        }
        WatchCommand::Alerts { kind, status, watch, limit, offset, as_user } => {
            let viewer = viewer(&as_user)?;
            let store = SqliteStore::open(data)?;
            let filter = AlertFilter { kind, status, watch, since: None, until: None, limit: limit.max(1), offset };
            store.audit(&viewer, &AuditEvent::new("read_alerts", format!("{filter:?}")))?;
            let page = store.alerts(&viewer, &filter)?;
            print_one(json, &page, || {
                let mut out = alert_lines(&page.alerts);
                let _ = writeln!(out, "{} of {} alerts", page.alerts.len(), page.total);
                out
            })
        }
        WatchCommand::Alert { id, as_user } => {
            let viewer = viewer(&as_user)?;
            let store = SqliteStore::open(data)?;
            store.audit(&viewer, &AuditEvent::new("read_alert", id.to_string()))?;
            let alert = store.alert(&viewer, id)?.with_context(|| format!("no alert {id} is visible to you"))?;
            print_one(json, &alert, || alert_text(&alert))
        }
        WatchCommand::Ack { id, reopen, as_user } => {
            let viewer = viewer(&as_user)?;
            let mut store = SqliteStore::open(data)?;
            let status = if reopen { "open" } else { "acknowledged" };
            let alert = store.set_alert_status(&viewer, id, status)?;
            store.audit(&viewer, &AuditEvent::new("alert_status", format!("alert {id}: {status}")))?;
            print_one(json, &alert, || format!("alert {id} is {}\n", alert.status))
        }
    }
}

/// Prints JSON or the text `text` gives.
pub(crate) fn print_one<T: serde::Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) -> Result<ExitCode> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        print!("{}", text());
    }
    Ok(ExitCode::SUCCESS)
}

/// The markings and handling code the flags ask for.
pub(crate) fn marking_args(args: &MarkingArgs, viewer: &Viewer) -> Result<(Markings, Handling)> {
    let classification: Classification =
        args.classification.parse().map_err(|e| anyhow::anyhow!("--classification: {e}"))?;
    let handling = match args.handling.trim().to_ascii_uppercase().as_str() {
        "P" => Handling::Permitted,
        "C" => Handling::Conditions(args.conditions.trim().to_string()),
        other => bail!("--handling: {other:?} is not P or C"),
    };
    let markings = Markings {
        classification,
        owner: args.owner.clone().unwrap_or_else(|| viewer.agency.clone()),
        compartments: args.compartments.iter().map(|c| c.trim().to_string()).collect(),
        caveats: args.caveats.iter().map(|c| c.trim().to_string()).collect(),
    };
    Ok((markings, handling))
}

/// Reads the one feature of a GeoJSON file.
fn read_feature(file: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", file.display()))?;
    match value.get("type").and_then(serde_json::Value::as_str) {
        Some("Feature") => Ok(value),
        Some("FeatureCollection") => match value.get("features").and_then(serde_json::Value::as_array) {
            Some(features) if features.len() == 1 => Ok(features[0].clone()),
            Some(features) => bail!(
                "{}: the FeatureCollection has {} features; add areas one feature at a time",
                file.display(),
                features.len()
            ),
            None => bail!("{}: the FeatureCollection has no \"features\" array", file.display()),
        },
        other => bail!("{}: type is {other:?}, expected Feature or FeatureCollection", file.display()),
    }
}

/// Scans files (or standard input for `-` or none) with one monitor, so that behaviours spanning two
/// files are seen. Audits the scan before it starts (`watch_scan`, the inputs) and what it found as
/// the viewer may see it once it is done (`watch_scan_receipt`).
pub(crate) fn scan_inputs(
    store: &mut SqliteStore,
    viewer: &Viewer,
    files: &[PathBuf],
    tcp: Option<&str>,
) -> Result<ScanReceipt> {
    let inputs = crate::feed::open_inputs(files, tcp)?;
    let names: Vec<&str> = inputs.iter().map(|i| i.label.as_str()).collect();
    let names = names.join(", ");
    // On the record before anything is written, so that a scan that fails half-way is audited too.
    store.audit(viewer, &AuditEvent::new("watch_scan", names.clone()))?;
    let mut monitor = Monitor::new(store, viewer, ScanOptions::default())?;
    for input in inputs {
        monitor.feed(store, input.reader, &input.label)?;
    }
    let receipt = monitor.finish(store)?;
    let detail = format!("{names}: {}", serde_json::to_string(&receipt)?);
    store.audit(viewer, &AuditEvent::new("watch_scan_receipt", detail))?;
    Ok(receipt)
}

fn time(seconds: i64) -> String {
    tessera_model::time::rfc3339(seconds)
}

fn point_text(p: &TrackPoint) -> String {
    let num = |v: Option<f32>| v.map_or("-".to_string(), |v| format!("{v:.1}"));
    format!("{}  {:.5}, {:.5}  {} kn  {}°", time(p.time), p.lat, p.lon, num(p.sog), num(p.cog))
}

fn watch_lines(watches: &[Watch]) -> String {
    if watches.is_empty() {
        return "no watches visible to you\n".into();
    }
    let mut out = String::new();
    for w in watches {
        let entity = |e: &Option<tessera_store::EntityRef>| {
            e.as_ref().map_or("-".into(), |e| format!("{} ({})", e.caption, e.id))
        };
        let _ = writeln!(
            out,
            "watch {}  MMSI {:09} {}  {}  [{} {}]",
            w.id,
            w.mmsi,
            w.flag.as_deref().unwrap_or("--"),
            w.name.as_deref().unwrap_or("(no AIS name yet)"),
            w.banner,
            w.handling
        );
        let _ = writeln!(out, "  vessel {}  group {}", entity(&w.vessel), entity(&w.group));
        let _ = writeln!(out, "  reason: {}", w.reason);
        let last = w.last_position.as_ref().map_or("never seen".into(), point_text);
        let _ = writeln!(
            out,
            "  {} open alerts; last position {last}; added by {} ({})",
            w.open_alerts, w.added_by, w.owner
        );
    }
    out
}

fn area_lines(areas: &[WatchedArea]) -> String {
    if areas.is_empty() {
        return "no watched areas visible to you\n".into();
    }
    areas.iter().map(|a| format!("area {}  {}  ({}, {})\n", a.id, a.name, a.owner, a.classification)).collect()
}

fn alert_lines(alerts: &[Alert]) -> String {
    let mut out = String::new();
    for a in alerts {
        let other = a.other_mmsi.map_or(String::new(), |o| format!(" with {o:09}"));
        let vessel = a.vessel.as_ref().map_or(String::new(), |v| format!(" {}", v.caption));
        let _ = writeln!(
            out,
            "alert {}  {:<15} {:<12} MMSI {:09}{vessel}{other}  {} → {}  watch {}",
            a.id,
            a.kind,
            a.status,
            a.mmsi,
            time(a.start),
            time(a.end),
            a.watch
        );
    }
    out
}

fn alert_text(a: &Alert) -> String {
    let mut out = alert_lines(std::slice::from_ref(a));
    if a.lat.is_finite() && a.lon.is_finite() {
        let _ = writeln!(out, "  at {:.5}, {:.5}", a.lat, a.lon);
    }
    let _ = writeln!(out, "  details: {}", a.details);
    let _ = writeln!(out, "  evidence: {} positions", a.evidence.len());
    for p in &a.evidence {
        let _ = writeln!(out, "    {}", point_text(p));
    }
    out
}

fn receipt_line(r: &ScanReceipt) -> String {
    format!(
        "{} sentences, {} messages, {} positions ({} problems); {} positions of watched vessels recorded, {} alerts raised, {} retracted\n",
        r.sentences, r.messages, r.positions, r.problems, r.watched_positions, r.alerts_raised, r.alerts_retracted
    )
}

/// The demo's analyst: an NCA analyst, as `tessera demo` seeds `analyst.nca`.
fn demo_analyst() -> Viewer {
    Viewer {
        user: "analyst.nca".into(),
        agency: "NCA".into(),
        role: Role::Analyst,
        clearance: Classification::Secret,
        compartments: ["OP-TIDEWAY".to_string(), "OP-KESTREL".to_string()].into(),
        national: true,
    }
}

/// The id of the first of `ids` the viewer may see.
fn visible_entity(store: &SqliteStore, viewer: &Viewer, ids: &[String]) -> Result<Option<String>> {
    for id in ids {
        if store.entity(viewer, id)?.is_some() {
            return Ok(Some(id.clone()));
        }
    }
    Ok(None)
}

/// The demo's watchlist: writes the scenario's AIS log and watched areas beside the store, watches
/// the scenario's suspect vessels (linked to their vessel entities and groups) as an NCA analyst under
/// OFFICIAL-SENSITIVE, handling code C (so partner liaison officers do not see them), adds the areas
/// (OFFICIAL, code P: geography), and scans the log. Running it again adds nothing.
pub(crate) fn demo(
    store: &mut SqliteStore,
    config: &tessera_scenario::ScenarioConfig,
    groups: &[tessera_scenario::GroupSummary],
    json: bool,
) -> Result<()> {
    let analyst = demo_analyst();
    let log_file = store.dir().join(format!("demo-ais-{}-{}.nmea", config.seed, config.reports));
    let mut log = Vec::new();
    let summary = tessera_scenario::ais_log(config, &mut log)?;
    std::fs::write(&log_file, &log).with_context(|| format!("writing {}", log_file.display()))?;
    let areas = tessera_scenario::watched_areas();
    let areas_file = store.dir().join("demo-areas.geojson");
    std::fs::write(&areas_file, serde_json::to_string_pretty(&areas)?)
        .with_context(|| format!("writing {}", areas_file.display()))?;

    let known: Vec<String> = store.areas(&analyst)?.into_iter().map(|a| a.name).collect();
    let open = Markings {
        classification: Classification::Official,
        owner: "NCA".into(),
        compartments: vec![],
        caveats: vec![],
    };
    for feature in areas["features"].as_array().into_iter().flatten() {
        let name = feature["properties"]["name"].as_str().unwrap_or("area");
        if !known.iter().any(|k| k == name) {
            let area = store.add_area(&analyst, name, feature, &open, &Handling::Permitted)?;
            store.audit(&analyst, &AuditEvent::new("area_add", format!("area {} {:?}", area.id, area.name)))?;
        }
    }
    let watched: Vec<u32> = store.watchlist(&analyst)?.into_iter().map(|w| w.mmsi).collect();
    let sensitive = Markings {
        classification: Classification::OfficialSensitive,
        owner: "NCA".into(),
        compartments: vec![],
        caveats: vec![],
    };
    for suspect in summary.suspects.iter().filter(|s| !watched.contains(&s.vessel.mmsi)) {
        let mmsi = suspect.vessel.mmsi;
        let hits = store.search(
            &analyst,
            &tessera_store::SearchRequest {
                kinds: vec![tessera_model::EntityKind::Vessel],
                ..tessera_store::SearchRequest::new(format!("{mmsi:09}"))
            },
        )?;
        let vessel = hits.entities.first().map(|h| h.id.clone());
        let group_ids =
            groups.iter().find(|g| g.id == suspect.vessel.group).map(|g| g.entity_ids.clone()).unwrap_or_default();
        let watch = NewWatch {
            mmsi,
            vessel,
            group: visible_entity(store, &analyst, &group_ids)?,
            reason: suspect.reason.clone(),
            markings: sensitive.clone(),
            handling: Handling::Conditions("hub agencies only; owner's consent before any dissemination".into()),
        };
        let added = store.add_watch(&analyst, &watch)?;
        store.audit(&analyst, &AuditEvent::new("watch_add", format!("watch {} on MMSI {mmsi:09}", added.id)))?;
    }
    let receipt = scan_inputs(store, &analyst, std::slice::from_ref(&log_file), None)?;
    if json {
        println!("{}", serde_json::json!({ "watch_scan": receipt, "ais_log": log_file, "areas": areas_file }));
    } else {
        print!("demo watchlist: {} suspect vessels; {}", summary.suspects.len(), receipt_line(&receipt));
    }
    Ok(())
}
