//! `tessera plan` and `tessera disruptions`: the Strategic Action Plan
//! (stream leads, actions and their status) and the disruption log from the
//! command line, and `import` of a plan file (leads, actions and disruptions
//! in one JSON document, docs/plan.md). Commands act as the local operator
//! or as a user (`--as NAME`); every read and change is audited.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde::Deserialize;
use tessera_access::Viewer;
use tessera_model::disruption::ActionStatus;
use tessera_model::taxonomy::Stream;
use tessera_model::{Handling, Markings};
use tessera_store::{
    Action, AuditEvent, Disruption, NewAction, NewDisruption, NewTarget, SqliteStore, Store, StoreError, StreamLead,
    TargetKind,
};

use crate::watch::{MarkingArgs, marking_args, print_one};

/// `tessera plan` subcommands.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// The plan as you may see it: stream leads and actions with their status and targets.
    Show {
        /// Only this stream (facilitation, clandestine_entry, false_documentation, abuse_of_legitimate_entry).
        #[arg(long)]
        stream: Option<String>,
        /// Act as this user of the data directory (default: the local operator).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Set the lead agency and officer of a stream.
    Lead {
        /// The stream.
        stream: String,
        /// Lead agency.
        #[arg(long)]
        agency: String,
        /// Lead officer.
        #[arg(long)]
        lead: String,
        /// Markings.
        #[command(flatten)]
        markings: MarkingArgs,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Add an action to the plan.
    Add(Box<AddArgs>),
    /// Change an action's status (appended to its history).
    Status {
        /// The action's id.
        id: i64,
        /// planned, in_progress, complete or cancelled.
        status: String,
        /// What was done, or why.
        #[arg(long, default_value = "")]
        note: String,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Import stream leads, actions and disruptions from a plan file (docs/plan.md); records already
    /// there (same reference and markings) are left as they are, so a corrected file can be re-run.
    Import {
        /// The JSON plan file.
        file: PathBuf,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
}

/// Flags of `tessera plan add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The plan's reference, e.g. FAC-2.3.
    #[arg(long)]
    reference: String,
    /// The stream.
    #[arg(long)]
    stream: String,
    /// The objective it serves.
    #[arg(long)]
    objective: String,
    /// What is to be done.
    #[arg(long)]
    title: String,
    /// The agency that carries it out.
    #[arg(long)]
    agency: String,
    /// The officer who owns it.
    #[arg(long)]
    owner: String,
    /// Start date (YYYY-MM-DD).
    #[arg(long)]
    start: Option<String>,
    /// Due date (YYYY-MM-DD).
    #[arg(long)]
    due: Option<String>,
    /// planned, in_progress, complete or cancelled.
    #[arg(long, default_value = "planned")]
    status: String,
    /// A target as KIND:ID (group:<organisation id>, route:channel, country:FR, nationality:AF, mo:small_boat,
    /// stream:facilitation_sea); repeat for several.
    #[arg(long = "target")]
    targets: Vec<String>,
    /// Markings.
    #[command(flatten)]
    markings: MarkingArgs,
    /// Act as this user of the data directory.
    #[arg(long = "as")]
    as_user: Option<String>,
}

/// `tessera disruptions` subcommands.
#[derive(Debug, Subcommand)]
pub enum DisruptionCommand {
    /// The disruption log as you may see it, newest first.
    List {
        /// Only disruptions of this group (an organisation id).
        #[arg(long)]
        group: Option<String>,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// One disruption in full: subjects, evidence, assets, prosecutions and how the criteria graded it.
    Show {
        /// Its id.
        id: i64,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Record disruptions from a JSON file: one disruption object or an array of them (docs/plan.md).
    Record {
        /// The JSON file.
        file: PathBuf,
        /// Act as this user of the data directory.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// The written criteria of the impact levels (major, moderate, minor) in force.
    Criteria,
}

/// A stream lead in a plan file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeadRecord {
    stream: Stream,
    agency: String,
    lead: String,
    markings: Markings,
    #[serde(default = "permitted", with = "tessera_store::handling_code")]
    handling: Handling,
}

fn permitted() -> Handling {
    Handling::Permitted
}

/// A plan file: stream leads, actions and disruptions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    #[serde(default)]
    stream_leads: Vec<LeadRecord>,
    #[serde(default)]
    actions: Vec<NewAction>,
    #[serde(default)]
    disruptions: Vec<NewDisruption>,
}

/// Runs `tessera plan`.
pub fn run_plan(data: &Path, command: PlanCommand, json: bool, operator: &Viewer) -> Result<ExitCode> {
    let viewer = |as_user: &Option<String>| crate::entities::acting_viewer(data, as_user.as_deref(), operator);
    match command {
        PlanCommand::Show { stream, as_user } => {
            let viewer = viewer(&as_user)?;
            let stream = stream.as_deref().map(parse_stream).transpose()?;
            let store = SqliteStore::open(data)?;
            store.audit(&viewer, &AuditEvent::new("read_plan", stream.map_or("", |s| s.name())))?;
            let leads = store.stream_leads(&viewer)?;
            let actions: Vec<Action> =
                store.actions(&viewer)?.into_iter().filter(|a| stream.is_none_or(|s| a.stream == s)).collect();
            let plan = serde_json::json!({ "stream_leads": leads, "actions": actions });
            print_one(json, &plan, || plan_text(&leads, &actions))
        }
        PlanCommand::Lead { stream, agency, lead, markings, as_user } => {
            let viewer = viewer(&as_user)?;
            let stream = parse_stream(&stream)?;
            let (markings, handling) = marking_args(&markings, &viewer)?;
            let mut store = SqliteStore::open(data)?;
            let set = store.set_stream_lead(&viewer, stream, &agency, &lead, &markings, &handling)?;
            store.audit(&viewer, &AuditEvent::new("plan_lead", format!("{}: {} ({})", stream.name(), lead, agency)))?;
            print_one(json, &set, || lead_lines(std::slice::from_ref(&set)))
        }
        PlanCommand::Add(args) => {
            let AddArgs {
                reference,
                stream,
                objective,
                title,
                agency,
                owner,
                start,
                due,
                status,
                targets,
                markings,
                as_user,
            } = *args;
            let viewer = viewer(&as_user)?;
            let (markings, handling) = marking_args(&markings, &viewer)?;
            let targets = targets.iter().map(|t| parse_target(t)).collect::<Result<Vec<_>>>()?;
            let action = NewAction {
                reference,
                stream: parse_stream(&stream)?,
                objective,
                title,
                agency,
                owner,
                start,
                due,
                status: parse_status(&status)?,
                targets,
                markings,
                handling,
            };
            let mut store = SqliteStore::open(data)?;
            let added = store.add_action(&viewer, &action)?;
            store.audit(
                &viewer,
                &AuditEvent::new("plan_action_add", format!("action {} {}", added.id, added.reference)),
            )?;
            print_one(json, &added, || action_lines(std::slice::from_ref(&added)))
        }
        PlanCommand::Status { id, status, note, as_user } => {
            let viewer = viewer(&as_user)?;
            let status = parse_status(&status)?;
            let mut store = SqliteStore::open(data)?;
            let action = store.set_action_status(&viewer, id, status, &note)?;
            store.audit(&viewer, &AuditEvent::new("plan_action_status", format!("action {id}: {status}")))?;
            print_one(json, &action, || action_lines(std::slice::from_ref(&action)))
        }
        PlanCommand::Import { file, as_user } => {
            let viewer = viewer(&as_user)?;
            let mut store = SqliteStore::open(data)?;
            let receipt = import(&mut store, &viewer, &file)?;
            print_one(json, &receipt, || {
                format!(
                    "{}: {} stream leads, {} actions and {} disruptions recorded; {} already there\n",
                    file.display(),
                    receipt.stream_leads,
                    receipt.actions,
                    receipt.disruptions,
                    receipt.already_there
                )
            })
        }
    }
}

/// What an import recorded.
#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct ImportReceipt {
    stream_leads: usize,
    actions: usize,
    disruptions: usize,
    already_there: usize,
}

/// Whether a store error says the record is already there.
fn already_there(error: &StoreError) -> bool {
    matches!(error, StoreError::Invalid(m) if m.starts_with("reference:") && m.contains("already"))
}

/// Imports a plan file in order (leads, actions, disruptions), auditing each record; stops at the
/// first record the store refuses, naming the file, the record and the reason (what came before stays).
pub(crate) fn import(store: &mut SqliteStore, viewer: &Viewer, file: &Path) -> Result<ImportReceipt> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let plan: PlanFile = serde_json::from_str(&text).with_context(|| format!("{}: not a plan file", file.display()))?;
    let mut receipt = ImportReceipt::default();
    for (i, l) in plan.stream_leads.iter().enumerate() {
        store
            .set_stream_lead(viewer, l.stream, &l.agency, &l.lead, &l.markings, &l.handling)
            .with_context(|| format!("{}: stream_leads[{i}] ({})", file.display(), l.stream.name()))?;
        store
            .audit(viewer, &AuditEvent::new("plan_lead", format!("{}: {} ({})", l.stream.name(), l.lead, l.agency)))?;
        receipt.stream_leads += 1;
    }
    for (i, a) in plan.actions.iter().enumerate() {
        match store.add_action(viewer, a) {
            Ok(added) => {
                store.audit(
                    viewer,
                    &AuditEvent::new("plan_action_add", format!("action {} {}", added.id, added.reference)),
                )?;
                receipt.actions += 1;
            }
            Err(e) if already_there(&e) => receipt.already_there += 1,
            Err(e) => return Err(e).with_context(|| format!("{}: actions[{i}] ({})", file.display(), a.reference)),
        }
    }
    for (i, d) in plan.disruptions.iter().enumerate() {
        match store.record_disruption(viewer, d) {
            Ok(recorded) => {
                store.audit(
                    viewer,
                    &AuditEvent::new("disruption_record", format!("disruption {} {}", recorded.id, recorded.reference)),
                )?;
                receipt.disruptions += 1;
            }
            Err(e) if already_there(&e) => receipt.already_there += 1,
            Err(e) => return Err(e).with_context(|| format!("{}: disruptions[{i}] ({})", file.display(), d.reference)),
        }
    }
    Ok(receipt)
}

/// The demo's action plan and disruption log (`tessera_scenario::action_plan`), written beside the
/// store and imported as `viewer`; running it again adds nothing.
pub(crate) fn demo(
    store: &mut SqliteStore,
    config: &tessera_scenario::ScenarioConfig,
    json: bool,
    viewer: &Viewer,
) -> Result<()> {
    let file = store.dir().join(format!("demo-plan-{}-{}.json", config.seed, config.reports));
    let plan = serde_json::to_vec_pretty(&tessera_scenario::action_plan(config))?;
    std::fs::write(&file, plan).with_context(|| format!("writing {}", file.display()))?;
    let receipt = import(store, viewer, &file)?;
    if json {
        println!("{}", serde_json::json!({ "plan_import": receipt, "plan_file": file }));
    } else {
        println!(
            "action plan: {} stream leads, {} actions and {} disruptions recorded ({} already there)",
            receipt.stream_leads, receipt.actions, receipt.disruptions, receipt.already_there
        );
    }
    Ok(())
}

/// Runs `tessera disruptions`.
pub fn run_disruptions(data: &Path, command: DisruptionCommand, json: bool, operator: &Viewer) -> Result<ExitCode> {
    let viewer = |as_user: &Option<String>| crate::entities::acting_viewer(data, as_user.as_deref(), operator);
    match command {
        DisruptionCommand::List { group, as_user } => {
            let viewer = viewer(&as_user)?;
            let store = SqliteStore::open(data)?;
            store.audit(&viewer, &AuditEvent::new("read_disruptions", group.clone().unwrap_or_default()))?;
            let groups = group.map(|g| vec![g]);
            let list = store.disruptions(&viewer, groups.as_deref())?;
            print_one(json, &list, || disruption_lines(&list))
        }
        DisruptionCommand::Show { id, as_user } => {
            let viewer = viewer(&as_user)?;
            let store = SqliteStore::open(data)?;
            store.audit(&viewer, &AuditEvent::new("read_disruption", id.to_string()))?;
            let d = store.disruption(&viewer, id)?.with_context(|| format!("no disruption {id} is visible to you"))?;
            print_one(json, &d, || disruption_text(&d))
        }
        DisruptionCommand::Record { file, as_user } => {
            let viewer = viewer(&as_user)?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let value: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("{}: not JSON", file.display()))?;
            let list = if value.is_array() { value } else { serde_json::Value::Array(vec![value]) };
            let disruptions: Vec<NewDisruption> = serde_json::from_value(list)
                .with_context(|| format!("{}: not a disruption or a list of disruptions", file.display()))?;
            let mut store = SqliteStore::open(data)?;
            let mut recorded = Vec::new();
            for (i, d) in disruptions.iter().enumerate() {
                let r = store
                    .record_disruption(&viewer, d)
                    .with_context(|| format!("{}: disruption {i} ({})", file.display(), d.reference))?;
                store.audit(
                    &viewer,
                    &AuditEvent::new("disruption_record", format!("disruption {} {}", r.id, r.reference)),
                )?;
                recorded.push(r);
            }
            print_one(json, &recorded, || disruption_lines(&recorded))
        }
        DisruptionCommand::Criteria => {
            let store = SqliteStore::open(data)?;
            let criteria = store.impact_criteria().criteria();
            print_one(json, &criteria, || {
                criteria.iter().fold(String::new(), |mut out, c| {
                    let _ = writeln!(out, "{:<9} {}", c.level.label(), c.text);
                    out
                })
            })
        }
    }
}

fn parse_stream(text: &str) -> Result<Stream> {
    Stream::from_name(text).with_context(|| {
        format!("stream {text:?}: expected facilitation, clandestine_entry, false_documentation or abuse_of_legitimate_entry")
    })
}

fn parse_status(text: &str) -> Result<ActionStatus> {
    ActionStatus::from_name(text).with_context(|| format!("status {text:?}: expected {}", ActionStatus::names()))
}

fn parse_target(text: &str) -> Result<NewTarget> {
    let Some((kind, id)) = text.split_once(':') else {
        bail!("--target {text:?}: expected KIND:ID, e.g. route:channel");
    };
    let kind = TargetKind::from_name(kind).with_context(|| {
        format!("--target {text:?}: {kind:?} is not group, route, country, nationality, mo or stream")
    })?;
    Ok(NewTarget { kind, id: id.trim().to_string() })
}

fn lead_lines(leads: &[StreamLead]) -> String {
    leads.iter().fold(String::new(), |mut out, l| {
        let _ = writeln!(out, "{:<34} {} ({})  [{}]", l.label, l.lead, l.agency, l.banner);
        out
    })
}

fn action_lines(actions: &[Action]) -> String {
    actions.iter().fold(String::new(), |mut out, a| {
        let targets: Vec<&str> = a.targets.iter().map(|t| t.label.as_str()).collect();
        let _ = writeln!(
            out,
            "{:>4} {:<10} {:<12} {:<6} {} ({}) {}..{}  → {}",
            a.id,
            a.reference,
            a.status.label(),
            a.agency,
            a.title,
            a.owner,
            a.start.as_deref().unwrap_or(""),
            a.due.as_deref().unwrap_or(""),
            if targets.is_empty() { "-".to_string() } else { targets.join(", ") }
        );
        out
    })
}

fn plan_text(leads: &[StreamLead], actions: &[Action]) -> String {
    let mut out = String::new();
    for stream in Stream::ALL {
        let _ = writeln!(out, "{}", stream.label());
        for l in leads.iter().filter(|l| l.stream == stream) {
            let _ = writeln!(out, "  lead: {} ({})", l.lead, l.agency);
        }
        let mine: Vec<Action> = actions.iter().filter(|a| a.stream == stream).cloned().collect();
        if mine.is_empty() {
            let _ = writeln!(out, "  no actions you may see");
        }
        for line in action_lines(&mine).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

fn disruption_lines(list: &[Disruption]) -> String {
    list.iter().fold(String::new(), |mut out, d| {
        let _ = writeln!(
            out,
            "{:>4} {} {:<14} {:<22} {:<8} {:<24} £{:.0}  {}",
            d.id,
            d.date,
            d.reference,
            d.kind.label(),
            d.impact.label(),
            d.group.as_ref().map_or("-", |g| g.caption.as_str()),
            d.denied_gbp,
            d.agency
        );
        out
    })
}

fn disruption_text(d: &Disruption) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}  {}", d.banner, d.reference, d.kind.label());
    let _ = writeln!(out, "date {}  agency {}  recorded by {}", d.date, d.agency, d.recorded_by);
    if let Some(g) = &d.group {
        let _ = writeln!(out, "group: {} ({})", g.caption, g.id);
    }
    for s in &d.subjects {
        let _ = writeln!(out, "subject: {} ({})", s.caption, s.id);
    }
    if d.other_subjects > 0 {
        let _ = writeln!(out, "and {} subject(s) you may not see", d.other_subjects);
    }
    let _ = writeln!(out, "{}", d.summary);
    let _ = writeln!(out, "impact: {} (the criteria give {})", d.impact.label(), d.assessed.level.label());
    for r in &d.assessed.reasons {
        let _ = writeln!(out, "  - {r}");
    }
    if let Some(r) = &d.impact_reason {
        let _ = writeln!(out, "  recorder's reason: {r}");
    }
    for a in &d.assets {
        let value = a.value_gbp.map_or("value unknown".to_string(), |v| format!("£{v:.0}"));
        let _ = writeln!(
            out,
            "asset: {} × {} {} ({}, {value})",
            a.quantity,
            a.kind.label(),
            a.description,
            a.status.label()
        );
    }
    for p in &d.prosecutions {
        let who = p.defendant.as_ref().map_or("a defendant you may not see", |e| e.caption.as_str());
        let _ = writeln!(
            out,
            "prosecution: {who}: {} — {}{}",
            p.charge,
            p.status.label(),
            p.outcome.as_ref().map_or(String::new(), |o| format!(", {o}"))
        );
    }
    if !d.evidence.is_empty() {
        let _ = writeln!(out, "evidence: {}", d.evidence.join(", "));
    }
    out
}
