//! Synthetic, deterministic intelligence reports about organised immigration
//! crime, in Tessera's report format (`schema/report.schema.json`, JSON Lines).
//!
//! Tessera needs realistic input to test and benchmark ingestion, entity
//! resolution, network analytics and access control, and real intelligence
//! can never be used for that. This crate invents a hidden "world" — seven
//! organised crime groups on the Central Mediterranean, Channel, Eastern
//! Mediterranean and Western Balkan routes, their members, associates,
//! relatives and customers, with phones, bank accounts, documents, vehicles
//! and vessels — and writes the reports that eight agencies would produce
//! about it: each with its own nominal ids, spellings, date-of-birth errors,
//! gradings and markings. [`ground_truth`] says which entity ids and names
//! belong to the same real (invented) person.
//!
//! Every person is a combination of invented name parts. Identifiers pass
//! strict validation: UK phone numbers come from Ofcom's drama ranges and
//! French mobiles from ARCEP's fiction range; other countries' numbers,
//! IBANs, IMO numbers and MMSIs are random but check-digit valid; crypto
//! addresses are well-known public examples; e-mails use RFC 2606 domains.
//!
//! The same [`ScenarioConfig`] always produces byte-identical output.

pub mod ais;
mod ais_log;
mod generator;
mod ids;
mod names;
mod plan;
mod world;

use std::io::{self, Write};

use serde::Serialize;

pub use crate::ais_log::{AisLogSummary, LOG_SECONDS, LOG_START, ScenarioVessel, SuspectVessel, watched_areas};
use crate::generator::{AGENCIES, Gen};
pub use crate::plan::action_plan;
use crate::world::{GROUPS, Role};

/// Average statements per report measured on the default scenario; used to
/// size a scenario from a statement target.
pub const STATEMENTS_PER_REPORT: f64 = 16.2;

/// What to generate: the seed and how many reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioConfig {
    /// Seed of every random choice: the same seed gives the same bytes.
    pub seed: u64,
    /// Number of reports to write (the world grows with it).
    pub reports: usize,
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        ScenarioConfig { seed: 20_240_618, reports: 2400 }
    }
}

impl ScenarioConfig {
    /// A configuration expected to produce about `statements_target`
    /// statements (property values plus links), for benchmarks sized in
    /// statements rather than reports.
    pub fn scaled(statements_target: usize) -> Self {
        let reports = ((statements_target as f64) / STATEMENTS_PER_REPORT).ceil() as usize;
        ScenarioConfig { reports: reports.max(1), ..ScenarioConfig::default() }
    }

    /// The same configuration with another seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// One organised crime group of the scenario, so tests and demos can name
/// what the reports are about.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GroupSummary {
    /// Stable scenario id ("OCG-1" …).
    pub id: String,
    /// Canonical name ("Zawiya network").
    pub name: String,
    /// Main route(s), schema route codes joined with "+".
    pub route: String,
    /// Operation name used as a compartment on sensitive reports about it.
    pub operation: String,
    /// Number of members (leaders, organisers, pilots, drivers, handlers…).
    pub members: usize,
    /// Organization entity ids the agencies gave the group in the reports.
    pub entity_ids: Vec<String>,
    /// Whether the group was disrupted during the period (its reports drop after).
    pub disrupted_on: Option<String>,
}

/// Totals of a generated scenario, returned so callers can check and report
/// what they produced without re-reading it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ScenarioSummary {
    /// Reports written.
    pub reports: usize,
    /// Entities across all reports.
    pub entities: usize,
    /// Links across all reports.
    pub links: usize,
    /// Statements: every property value plus every link (what ingest stores).
    pub statements: usize,
    /// True (invented) people in the hidden world.
    pub persons: usize,
    /// Agencies that submitted at least one report.
    pub agencies: Vec<String>,
    /// The organised crime groups.
    pub groups: Vec<GroupSummary>,
    /// First and last report dates.
    pub period: (String, String),
}

/// One true person and every way the reports refer to them: the answer key
/// for entity resolution.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TruthPerson {
    /// Scenario-wide id of the real person ("T-000123").
    pub true_id: String,
    /// The canonical spelling of the name.
    pub canonical_name: String,
    /// The true date of birth (YYYY-MM-DD).
    pub birth_date: String,
    /// ISO 3166-1 alpha-2 nationality.
    pub nationality: String,
    /// Role in or around the group ("leader", "boat pilot", "migrant"…).
    pub role: String,
    /// Group id ("OCG-3") for members.
    pub group: Option<String>,
    /// Person entity ids used for this person in reports (one per agency that mentions them).
    pub mentions: Vec<String>,
    /// Every spelling of the name used in reports.
    pub names: Vec<String>,
}

/// Streams the scenario's reports as JSON values, in order.
pub struct Reports {
    generator: Gen,
}

impl Iterator for Reports {
    type Item = serde_json::Value;

    fn next(&mut self) -> Option<serde_json::Value> {
        let report = self.generator.next_report()?;
        Some(serde_json::to_value(&report).expect("reports always serialise"))
    }
}

/// The reports of `config` as JSON values, generated lazily (the same
/// sequence [`generate`] writes).
pub fn reports(config: &ScenarioConfig) -> Reports {
    Reports { generator: Gen::new(config.seed, config.reports, false) }
}

/// Writes the scenario as JSON Lines (one report per line) to `out`, streaming,
/// and returns its summary.
pub fn generate(config: &ScenarioConfig, out: &mut impl Write) -> io::Result<ScenarioSummary> {
    let mut g = Gen::new(config.seed, config.reports, false);
    let summary = run(&mut g, out)?;
    Ok(summary)
}

/// Like [`generate`], and also returns the ground truth.
pub fn generate_with_truth(
    config: &ScenarioConfig,
    out: &mut impl Write,
) -> io::Result<(ScenarioSummary, Vec<TruthPerson>)> {
    let mut g = Gen::new(config.seed, config.reports, true);
    let summary = run(&mut g, out)?;
    let truth = truth_of(&mut g);
    Ok((summary, truth))
}

/// The ground truth of `config`: for every true person mentioned in at least
/// one report, the entity ids and spellings used for them.
pub fn ground_truth(config: &ScenarioConfig) -> Vec<TruthPerson> {
    generate_with_truth(config, &mut io::sink()).map(|(_, t)| t).unwrap_or_default()
}

/// The generator of `config` run to the end, so that it knows which vessels the reports name.
fn generated(config: &ScenarioConfig) -> Gen {
    let mut g = Gen::new(config.seed, config.reports, false);
    while g.next_report().is_some() {}
    g
}

/// The vessels of the scenario's Channel groups (OCG-3, the Dunkirk boat crew, and OCG-7, the
/// Boulogne boat crew), those the reports of `config` name first within each group.
pub fn channel_vessels(config: &ScenarioConfig) -> Vec<ScenarioVessel> {
    let g = generated(config);
    ais_log::channel_vessels(g.world(), &g.vessels_named)
}

/// Writes a synthetic AIS log (NMEA `!AIVDM` sentences with `\c:` reception times, in time order)
/// of one day in the Dover Strait: the Channel groups' vessels going dark, meeting a fishing vessel
/// at sea, loitering and launching off the Gravelines–Dunkirk coast, among ferries and through
/// traffic. [`watched_areas`] gives the coastal areas it is meant to be scanned with.
pub fn ais_log(config: &ScenarioConfig, out: &mut impl Write) -> io::Result<AisLogSummary> {
    let g = generated(config);
    ais_log::write_log(g.world(), &g.vessels_named, out)
}

fn run(g: &mut Gen, out: &mut impl Write) -> io::Result<ScenarioSummary> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let mut first = None;
    let mut last = String::new();
    let mut count = 0;
    while let Some(report) = g.next_report() {
        serde_json::to_writer(&mut out, &report)?;
        out.write_all(b"\n")?;
        count += 1;
        if first.is_none() {
            first = Some(report.date().to_string());
        }
        last = report.date().to_string();
    }
    out.flush()?;
    let world = g.world();
    let groups = GROUPS
        .iter()
        .enumerate()
        .map(|(i, def)| GroupSummary {
            id: format!("OCG-{}", i + 1),
            name: def.name.to_string(),
            route: def.routes.join("+"),
            operation: def.operation.to_string(),
            members: world.groups[i].members.len(),
            entity_ids: g.group_ids[i].clone(),
            disrupted_on: (i == world::DISRUPTED_GROUP).then(|| generator::iso(i64::from(world::DISRUPTION_DAY))),
        })
        .collect();
    Ok(ScenarioSummary {
        reports: count,
        entities: g.entities,
        links: g.links,
        statements: g.statements,
        persons: world.persons.len(),
        agencies: AGENCIES.iter().zip(g.agencies_seen).filter(|(_, seen)| *seen).map(|(a, _)| a.to_string()).collect(),
        groups,
        period: (first.unwrap_or_default(), last),
    })
}

fn truth_of(g: &mut Gen) -> Vec<TruthPerson> {
    let acc = g.take_truth().unwrap_or_default();
    let world = g.world();
    acc.into_iter()
        .enumerate()
        .filter(|(_, a)| !a.ids.is_empty())
        .map(|(i, a)| {
            let p = &world.persons[i];
            let (y, m, d) = p.dob;
            TruthPerson {
                true_id: format!("T-{i:06}"),
                canonical_name: p.canonical_name(),
                birth_date: format!("{y:04}-{m:02}-{d:02}"),
                nationality: p.nationality.to_string(),
                role: p.role.label().to_string(),
                group: p.group.filter(|_| p.role != Role::Migrant).map(|g| format!("OCG-{}", g + 1)),
                mentions: a.ids,
                names: a.names,
            }
        })
        .collect()
}
