//! The demo's Strategic Action Plan and disruption log, written to agree with
//! the reports of the same scenario: a plan file for `tessera plan import`
//! (docs/plan.md) with four stream leads, the threat group's actions and the
//! disruptions that delivered some of them.
//!
//! The story follows the generator's: the Dunkirk boat crew (OCG-3) is taken
//! down on the disruption day (arrests, a boat and engine seizure, a takedown
//! of its adverts), charged, restrained and convicted over the following year
//! as the CPS reports say; smaller disruptions hit the Ostend lorry network,
//! the Izmir crossing ring and the Durrës documents ring; the Boulogne crew,
//! which grows after the Dunkirk crew falls, is touched only late. Gaps a
//! review should find are left on purpose: no facilitation action against
//! the Izmir crossing ring, and nothing against the Boulogne crew until 2025.
//!
//! Every id the file names (groups, subjects, defendants, evidence reports)
//! is one the reports use, chosen by replaying the generator with notes on
//! what it wrote. Each disruption's impact is what the default written
//! criteria ([`ImpactCriteria`]) give, except where the file says why not.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use tessera_model::disruption::{
    AssetKind, AssetStatus, DisruptionKind, Impact, ImpactCriteria, ImpactFacts, is_leading_role,
};

use crate::generator::{Gen, ReportNote, Template, iso};
use crate::world::{DAYS, DISRUPTED_GROUP, DISRUPTION_DAY, EMERGING_GROUP, GROUPS};
use crate::{ScenarioConfig, TruthPerson, truth_of};

/// The Zawiya network.
const ZAWIYA: usize = 0;
/// The Sfax crossing syndicate.
const SFAX: usize = 1;
/// The Ostend lorry network.
const OSTEND: usize = 3;
/// The Durrës documents ring.
const DURRES: usize = 4;
/// The Izmir crossing ring.
const IZMIR: usize = 5;

/// The conditions of the plan's hub-only records.
const HUB_ONLY: &str = "C: hub agencies only";

/// The demo's plan file for `config`: stream leads, actions and disruptions as JSON
/// (`{"stream_leads": [...], "actions": [...], "disruptions": [...]}`), in the shape
/// `tessera plan import` reads. The same config always gives the same value.
pub fn action_plan(config: &ScenarioConfig) -> Value {
    let scene = Scene::of(config);
    let leads = stream_leads();
    let actions: Vec<Value> = actions().iter().map(|a| a.to_json(&scene)).collect();
    let mut disruptions = disruptions(&scene);
    disruptions.sort_by_key(|d| d.day);
    let mut numbers: BTreeMap<i32, u32> = BTreeMap::new();
    let disruptions: Vec<Value> = disruptions
        .iter()
        .map(|d| {
            let year = iso(i64::from(d.day))[..4].parse::<i32>().unwrap_or(2024);
            let n = numbers.entry(year).or_insert(0);
            *n += 1;
            d.to_json(&scene, &format!("DIS-{year}-{n:03}"))
        })
        .collect();
    json!({ "stream_leads": leads, "actions": actions, "disruptions": disruptions })
}

/// Markings of a plan record owned by the NCA.
fn markings(classification: &str) -> Value {
    json!({ "classification": classification, "owner": "NCA", "compartments": [], "caveats": [] })
}

/// OFFICIAL-SENSITIVE for the hub (`true`) or OFFICIAL, permitted (`false`): markings and handling.
fn marked(hub_only: bool) -> (Value, &'static str) {
    if hub_only { (markings("OFFICIAL-SENSITIVE"), HUB_ONLY) } else { (markings("OFFICIAL"), "P") }
}

fn stream_leads() -> Vec<Value> {
    [
        ("facilitation", "NCA", "Deputy Director Claire Whitcombe"),
        ("clandestine_entry", "BF", "Assistant Director Martin Oduya"),
        ("false_documentation", "IE", "Head of Document Fraud Priya Chandran"),
        ("abuse_of_legitimate_entry", "IE", "Assistant Director Gareth Lloyd-Evans"),
    ]
    .iter()
    .map(|(stream, agency, lead)| {
        json!({ "stream": stream, "agency": agency, "lead": lead, "markings": markings("OFFICIAL"), "handling": "P" })
    })
    .collect()
}

/// One report as the plan needs it.
struct Seen {
    note: ReportNote,
    agency: String,
    text: String,
    /// Person entity ids, in the report's order.
    persons: Vec<String>,
    /// Vehicles as "model registration".
    vehicles: Vec<String>,
    /// Vessels as "type 'name'".
    vessels: Vec<String>,
}

/// What the plan knows of the generated scenario.
struct Scene {
    reports: Vec<Seen>,
    group_ids: Vec<Vec<String>>,
    truth: Vec<TruthPerson>,
    /// Index into `truth` of every person entity id.
    person_of: BTreeMap<String, usize>,
    /// `role` statements of every person entity id.
    roles: BTreeMap<String, Vec<String>>,
    /// The name the reports first give every person entity id.
    names: BTreeMap<String, String>,
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

impl Scene {
    fn of(config: &ScenarioConfig) -> Scene {
        let mut g = Gen::new(config.seed, config.reports, true);
        g.keep_notes();
        let mut seen = Vec::new();
        let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        while let Some(report) = g.next_report() {
            let value = serde_json::to_value(&report).expect("reports always serialise");
            let note = g.notes.as_ref().and_then(|n| n.last()).cloned().expect("the generator keeps notes when asked");
            let mut s = Seen {
                note,
                agency: value["agency"].as_str().unwrap_or_default().to_string(),
                text: value["text"].as_str().unwrap_or_default().to_string(),
                persons: Vec::new(),
                vehicles: Vec::new(),
                vessels: Vec::new(),
            };
            for e in value["entities"].as_array().into_iter().flatten() {
                let props = &e["properties"];
                let first = |key: &str| strings(&props[key]).into_iter().next().unwrap_or_default();
                match (e["schema"].as_str(), e["id"].as_str()) {
                    (Some("Person"), Some(id)) => {
                        if !s.persons.iter().any(|p| p == id) {
                            s.persons.push(id.to_string());
                        }
                        names.entry(id.to_string()).or_insert_with(|| first("name"));
                        let r = roles.entry(id.to_string()).or_default();
                        for role in strings(&props["role"]) {
                            if !r.contains(&role) {
                                r.push(role);
                            }
                        }
                    }
                    (Some("Vehicle"), _) => {
                        s.vehicles
                            .push(format!("{} {}", first("model"), first("registrationNumber")).trim().to_string());
                    }
                    (Some("Vessel"), _) if !first("name").is_empty() => {
                        s.vessels.push(format!("{} '{}'", first("type"), first("name")).trim().to_string());
                    }
                    _ => {}
                }
            }
            seen.push(s);
        }
        roles.retain(|_, r| !r.is_empty());
        let truth = truth_of(&mut g);
        let person_of =
            truth.iter().enumerate().flat_map(|(i, t)| t.mentions.iter().map(move |m| (m.clone(), i))).collect();
        Scene { reports: seen, group_ids: g.group_ids.clone(), truth, person_of, roles, names }
    }

    /// The organisation id the plan uses for group `g`: the NCA's, else the CPS's, else the first.
    fn group_id(&self, g: usize) -> Option<String> {
        let ids = self.group_ids.get(g)?;
        ["NCA:", "CPS:"]
            .iter()
            .find_map(|prefix| ids.iter().find(|id| id.starts_with(prefix)))
            .or_else(|| ids.first())
            .cloned()
    }

    /// The true person of a person entity id, if they are a member of group `g`.
    fn member(&self, id: &str, g: usize) -> Option<&TruthPerson> {
        let group = format!("OCG-{}", g + 1);
        self.person_of.get(id).map(|&i| &self.truth[i]).filter(|t| t.group.as_deref() == Some(group.as_str()))
    }

    /// Whether the reports give the person entity a leading role.
    fn leads(&self, id: &str) -> bool {
        self.roles.get(id).is_some_and(|roles| roles.iter().any(|r| is_leading_role(r)))
    }

    /// The id the plan uses for a true person: one with a `role` statement first, then by agency (CPS, NCA, ...).
    fn preferred_id(&self, t: &TruthPerson) -> Option<String> {
        const ORDER: [&str; 8] = ["CPS", "NCA", "EUROPOL", "ILO", "IE", "BF", "FR-OCRIEST", "DEBRIEF"];
        let rank = |id: &str| ORDER.iter().position(|a| id.starts_with(&format!("{a}:"))).unwrap_or(ORDER.len());
        t.mentions.iter().min_by_key(|id| (!self.roles.contains_key(id.as_str()), rank(id), (*id).clone())).cloned()
    }

    /// The members of group `g`, most senior first: (true person, preferred id).
    fn members(&self, g: usize) -> Vec<(&TruthPerson, String)> {
        let group = format!("OCG-{}", g + 1);
        let mut out: Vec<(&TruthPerson, String)> = self
            .truth
            .iter()
            .filter(|t| t.group.as_deref() == Some(group.as_str()))
            .filter_map(|t| self.preferred_id(t).map(|id| (t, id)))
            .collect();
        out.sort_by_key(|(t, _)| (role_rank(&t.role), t.true_id.clone()));
        out
    }

    /// Reports about group `g` from one of `templates`, written on days `from..=to`, in order.
    fn reports(&self, g: usize, templates: &[Template], from: u32, to: u32) -> Vec<&Seen> {
        self.reports
            .iter()
            .filter(|s| s.note.group == g && templates.contains(&s.note.template))
            .filter(|s| (from..=to).contains(&s.note.day))
            .collect()
    }

    /// The members of group `g` a report names: their ids in the report.
    fn named_members(&self, s: &Seen, g: usize) -> Vec<String> {
        s.persons.iter().filter(|p| self.member(p, g).is_some()).cloned().collect()
    }
}

/// Seniority of a role, for choosing whom the plan names first.
fn role_rank(role: &str) -> u8 {
    match role {
        "leader" => 0,
        "organiser" => 1,
        "hawala banker" => 2,
        "recruiter" => 3,
        "logistics" => 4,
        "boat pilot" => 5,
        "driver" => 6,
        "document forger" => 7,
        "safe house keeper" => 8,
        _ => 9,
    }
}

/// Day index of a date in the scenario period.
fn day(y: i32, m: u32, d: u32) -> u32 {
    (0..DAYS).find(|&i| iso(i64::from(i)) == format!("{y:04}-{m:02}-{d:02}")).unwrap_or(0)
}

/// An action of the plan.
struct ActionDef {
    reference: &'static str,
    stream: &'static str,
    objective: &'static str,
    title: &'static str,
    agency: &'static str,
    owner: &'static str,
    start: &'static str,
    due: &'static str,
    status: &'static str,
    groups: &'static [usize],
    /// Other targets as (kind, id).
    targets: &'static [(&'static str, &'static str)],
    hub_only: bool,
}

impl ActionDef {
    fn to_json(&self, scene: &Scene) -> Value {
        let mut targets: Vec<Value> = self
            .groups
            .iter()
            .filter_map(|&g| scene.group_id(g))
            .map(|id| json!({ "kind": "group", "id": id }))
            .collect();
        targets.extend(self.targets.iter().map(|(kind, id)| json!({ "kind": kind, "id": id })));
        let (markings, handling) = marked(self.hub_only);
        json!({
            "reference": self.reference,
            "stream": self.stream,
            "objective": self.objective,
            "title": self.title,
            "agency": self.agency,
            "owner": self.owner,
            "start": self.start,
            "due": self.due,
            "status": self.status,
            "targets": targets,
            "markings": markings,
            "handling": handling,
        })
    }
}

const FAC_1: &str = "FAC-1: Dismantle the groups launching small boats from northern France";
const FAC_2: &str = "FAC-2: Disrupt lorry facilitation through the Belgian and French ports";
const FAC_3: &str = "FAC-3: Reduce upstream facilitation on the Mediterranean routes";
const CE_1: &str = "CE-1: Detect and deter clandestine entry at the juxtaposed controls and at sea";
const CE_2: &str = "CE-2: Support partners' interdiction upstream";
const FD_1: &str = "FD-1: Identify and dismantle the suppliers of false and look-alike documents";
const FD_2: &str = "FD-2: Detect impostors and fraudulently obtained documents at the border";
const ALE_1: &str = "ALE-1: Close the abuse of visit, study and work routes by facilitators";

/// The plan's actions. Deliberate gaps: no facilitation action names the Izmir crossing ring, and
/// the Boulogne crew (which grows after the Dunkirk crew falls) gets an action only in 2025.
fn actions() -> Vec<ActionDef> {
    let dunkirk: &[usize] = &[DISRUPTED_GROUP];
    let boulogne: &[usize] = &[EMERGING_GROUP];
    vec![
        ActionDef {
            reference: "FAC-1.1",
            stream: "facilitation",
            objective: FAC_1,
            title: "Pursue the Dunkirk boat crew's organisers to charge",
            agency: "NCA",
            owner: "SIO Rachel Ainsworth",
            start: "2023-03-01",
            due: "2024-12-31",
            status: "complete",
            groups: dunkirk,
            targets: &[("route", "channel"), ("mo", "small_boat"), ("nationality", "IQ")],
            hub_only: true,
        },
        ActionDef {
            reference: "FAC-1.2",
            stream: "facilitation",
            objective: FAC_1,
            title: "Joint investigation team with OCRIEST on Channel launches",
            agency: "NCA",
            owner: "DCI Tom Hargreaves",
            start: "2023-06-01",
            due: "2025-12-31",
            status: "in_progress",
            groups: dunkirk,
            targets: &[("route", "channel"), ("country", "FR"), ("mo", "small_boat")],
            hub_only: true,
        },
        ActionDef {
            reference: "FAC-1.3",
            stream: "facilitation",
            objective: FAC_1,
            title: "Engine and boat supply chain: disrupt German suppliers",
            agency: "NCA",
            owner: "DI Fiona McLeish",
            start: "2023-09-01",
            due: "2024-12-31",
            status: "in_progress",
            groups: dunkirk,
            targets: &[("country", "DE"), ("route", "channel"), ("mo", "small_boat")],
            hub_only: true,
        },
        ActionDef {
            reference: "FAC-1.4",
            stream: "facilitation",
            objective: FAC_1,
            title: "Boulogne boat crew: develop the intelligence picture and open an investigation",
            agency: "NCA",
            owner: "DI Sunil Varma",
            start: "2025-03-17",
            due: "2025-12-31",
            status: "planned",
            groups: boulogne,
            targets: &[("route", "channel"), ("mo", "small_boat"), ("country", "FR")],
            hub_only: true,
        },
        ActionDef {
            reference: "FAC-1.5",
            stream: "facilitation",
            objective: FAC_1,
            title: "Take down crossing adverts on TikTok and Telegram with the platforms",
            agency: "NCA",
            owner: "Online Harms Lead Joanna Pike",
            start: "2023-04-03",
            due: "2025-09-30",
            status: "in_progress",
            groups: &[],
            targets: &[("mo", "small_boat"), ("route", "channel"), ("stream", "facilitation_sea")],
            hub_only: true,
        },
        ActionDef {
            reference: "FAC-1.6",
            stream: "facilitation",
            objective: FAC_1,
            title: "Financial investigation: restrain and confiscate the Dunkirk crew's proceeds",
            agency: "NCA",
            owner: "Financial Investigator Owen Baptiste",
            start: "2024-06-18",
            due: "2025-06-30",
            status: "complete",
            groups: dunkirk,
            targets: &[("route", "channel")],
            hub_only: true,
        },
        ActionDef {
            reference: "FAC-2.1",
            stream: "facilitation",
            objective: FAC_2,
            title: "Ostend lorry network: pursue the organisers behind the Zeebrugge loads",
            agency: "NCA",
            owner: "DCI Helen Marsh",
            start: "2023-05-02",
            due: "2025-09-30",
            status: "in_progress",
            groups: &[OSTEND],
            targets: &[("mo", "hgv"), ("route", "channel"), ("country", "BE"), ("nationality", "VN")],
            hub_only: true,
        },
        ActionDef {
            reference: "FAC-3.1",
            stream: "facilitation",
            objective: FAC_3,
            title: "Zawiya network: support Italian and Libyan partners against the launch organisers",
            agency: "NCA",
            owner: "ILO Tripoli Daniel Okafor",
            start: "2023-02-01",
            due: "2025-12-31",
            status: "in_progress",
            groups: &[ZAWIYA],
            targets: &[
                ("route", "central_mediterranean"),
                ("country", "LY"),
                ("nationality", "ER"),
                ("nationality", "SD"),
            ],
            hub_only: true,
        },
        ActionDef {
            reference: "FAC-3.2",
            stream: "facilitation",
            objective: FAC_3,
            title: "Sfax departures: upstream engagement with the Tunisian National Guard",
            agency: "ILO",
            owner: "ILO Tunis Rebecca Hale",
            start: "2023-09-04",
            due: "2024-06-28",
            status: "complete",
            groups: &[SFAX],
            targets: &[("route", "central_mediterranean"), ("country", "TN"), ("mo", "sea")],
            hub_only: true,
        },
        ActionDef {
            reference: "CE-1.1",
            stream: "clandestine_entry",
            objective: CE_1,
            title: "Lorry checks at Zeebrugge and Calais",
            agency: "BF",
            owner: "Senior Officer Mark Tennant",
            start: "2023-01-09",
            due: "2025-12-31",
            status: "in_progress",
            groups: &[OSTEND],
            targets: &[("mo", "hgv"), ("mo", "clandestine"), ("route", "channel"), ("country", "BE")],
            hub_only: true,
        },
        ActionDef {
            reference: "CE-1.2",
            stream: "clandestine_entry",
            objective: CE_1,
            title: "Small-boat interceptions: evidence capture at sea and pilot identification",
            agency: "BF",
            owner: "Maritime Commander Alison Reeve",
            start: "2023-03-01",
            due: "2024-03-29",
            status: "complete",
            groups: &[],
            targets: &[("mo", "small_boat"), ("route", "channel"), ("stream", "clandestine_entry")],
            hub_only: false,
        },
        ActionDef {
            reference: "CE-2.1",
            stream: "clandestine_entry",
            objective: CE_2,
            title: "Aegean and Western Balkan routes: partner interdiction support through Europol",
            agency: "ILO",
            owner: "ILO Istanbul Sarah Pennington",
            start: "2024-01-15",
            due: "2025-12-31",
            status: "in_progress",
            groups: &[],
            targets: &[
                ("route", "eastern_mediterranean"),
                ("route", "western_balkan"),
                ("nationality", "AF"),
                ("nationality", "SY"),
            ],
            hub_only: true,
        },
        ActionDef {
            reference: "FD-1.1",
            stream: "false_documentation",
            objective: FD_1,
            title: "Document fraud: HMPO/IE referrals on look-alike documents",
            agency: "IE",
            owner: "HMPO Counter-Fraud Lead Nadia Rahman",
            start: "2023-04-03",
            due: "2024-09-30",
            status: "complete",
            groups: &[DURRES],
            targets: &[("mo", "document_fraud"), ("nationality", "AL"), ("country", "AL")],
            hub_only: true,
        },
        ActionDef {
            reference: "FD-1.2",
            stream: "false_documentation",
            objective: FD_1,
            title: "Durrës documents ring: locate the Tirana print shop with the Albanian State Police",
            agency: "NCA",
            owner: "DI Kieran Doyle",
            start: "2024-02-01",
            due: "2025-10-31",
            status: "in_progress",
            groups: &[DURRES],
            targets: &[("country", "AL"), ("route", "western_balkan"), ("mo", "document_fraud")],
            hub_only: true,
        },
        ActionDef {
            reference: "FD-2.1",
            stream: "false_documentation",
            objective: FD_2,
            title: "Impostor detection training at Coquelles and Stansted",
            agency: "BF",
            owner: "Training Lead Emma Castell",
            start: "2025-09-01",
            due: "2025-12-19",
            status: "planned",
            groups: &[],
            targets: &[("mo", "document_fraud"), ("country", "FR"), ("country", "GB")],
            hub_only: false,
        },
        ActionDef {
            reference: "ALE-1.1",
            stream: "abuse_of_legitimate_entry",
            objective: ALE_1,
            title: "Visit-visa sponsorship abuse review",
            agency: "IE",
            owner: "Visa Integrity Manager Paul Ashdown",
            start: "2024-10-01",
            due: "2025-09-30",
            status: "in_progress",
            groups: &[],
            targets: &[("mo", "legitimate_entry"), ("nationality", "AL"), ("nationality", "VN")],
            hub_only: true,
        },
        ActionDef {
            reference: "ALE-1.2",
            stream: "abuse_of_legitimate_entry",
            objective: ALE_1,
            title: "Student and work routes: sponsor-licence intelligence sharing",
            agency: "IE",
            owner: "Sponsor Compliance Lead Grace Mensah",
            start: "2025-04-01",
            due: "2025-12-31",
            status: "planned",
            groups: &[],
            targets: &[("mo", "legitimate_entry"), ("mo", "air")],
            hub_only: false,
        },
        ActionDef {
            reference: "ALE-1.3",
            stream: "abuse_of_legitimate_entry",
            objective: ALE_1,
            title: "Durrës ring customers flying to the UK: travel restrictions on the facilitators",
            agency: "NCA",
            owner: "DS Laura Benson",
            start: "2024-04-01",
            due: "2025-03-31",
            status: "complete",
            groups: &[DURRES],
            targets: &[("mo", "legitimate_entry"), ("mo", "air"), ("route", "western_balkan")],
            hub_only: true,
        },
    ]
}

/// An asset a disruption took.
struct AssetRec {
    kind: AssetKind,
    description: String,
    quantity: u32,
    value_gbp: Option<f64>,
    status: AssetStatus,
}

fn asset(kind: AssetKind, description: impl Into<String>, quantity: u32, value: f64, status: AssetStatus) -> AssetRec {
    AssetRec { kind, description: description.into(), quantity, value_gbp: Some(value), status }
}

/// A prosecution a disruption records.
struct ProsecutionRec {
    defendant: String,
    status: &'static str,
    day: u32,
    outcome: Option<String>,
}

const SECTION_25: &str = "Conspiracy to facilitate a breach of immigration law (section 25, Immigration Act 1971)";

/// A disruption of the log, before its reference and impact are given.
struct Dis {
    kind: DisruptionKind,
    day: u32,
    agency: &'static str,
    group: Option<String>,
    subjects: Vec<String>,
    summary: String,
    evidence: Vec<String>,
    action: &'static str,
    accounts: u32,
    assets: Vec<AssetRec>,
    prosecutions: Vec<ProsecutionRec>,
    /// A recorded level that departs from the criteria, and why.
    recorded: Option<(Impact, &'static str)>,
    hub_only: bool,
}

impl Dis {
    fn new(kind: DisruptionKind, day: u32, agency: &'static str, group: Option<String>, action: &'static str) -> Dis {
        Dis {
            kind,
            day,
            agency,
            group,
            subjects: Vec::new(),
            summary: String::new(),
            evidence: Vec::new(),
            action,
            accounts: 0,
            assets: Vec::new(),
            prosecutions: Vec::new(),
            recorded: None,
            hub_only: true,
        }
    }

    /// The level the default written criteria give it (as the store grades it).
    fn assessed(&self, scene: &Scene) -> Impact {
        let subjects: BTreeSet<&str> = self.subjects.iter().map(String::as_str).collect();
        let denied = self.assets.iter().filter(|a| a.status.denied());
        let facts = ImpactFacts {
            kind: Some(self.kind),
            subjects: subjects.len(),
            leaders: subjects.iter().filter(|s| scene.leads(s)).count(),
            assets_gbp: denied.clone().filter_map(|a| a.value_gbp).sum(),
            craft: denied
                .filter(|a| matches!(a.kind, AssetKind::Boat | AssetKind::Engine | AssetKind::Vessel))
                .map(|a| a.quantity as usize)
                .sum(),
            accounts: if self.kind == DisruptionKind::SocialMediaTakedown { self.accounts as usize } else { 0 },
        };
        ImpactCriteria::default().assess(&facts).level
    }

    fn to_json(&self, scene: &Scene, reference: &str) -> Value {
        let assessed = self.assessed(scene);
        let (impact, reason) = match self.recorded {
            Some((level, reason)) if level != assessed => (level, Some(reason)),
            _ => (assessed, None),
        };
        let assets: Vec<Value> = self
            .assets
            .iter()
            .map(|a| {
                json!({
                    "kind": a.kind.name(),
                    "description": a.description,
                    "quantity": a.quantity,
                    "value_gbp": a.value_gbp,
                    "status": a.status.name(),
                })
            })
            .collect();
        let prosecutions: Vec<Value> = self
            .prosecutions
            .iter()
            .map(|p| {
                json!({
                    "defendant": p.defendant,
                    "charge": SECTION_25,
                    "status": p.status,
                    "date": iso(i64::from(p.day)),
                    "outcome": p.outcome,
                })
            })
            .collect();
        let (markings, handling) = marked(self.hub_only);
        let mut out = json!({
            "reference": reference,
            "kind": self.kind.name(),
            "date": iso(i64::from(self.day)),
            "agency": self.agency,
            "group": self.group,
            "subjects": self.subjects,
            "summary": self.summary,
            "evidence": self.evidence,
            "action": self.action,
            "accounts": self.accounts,
            "impact": impact.name(),
            "assets": assets,
            "prosecutions": prosecutions,
            "markings": markings,
            "handling": handling,
        });
        if let Some(reason) = reason {
            out["impact_reason"] = json!(reason);
        }
        out
    }
}

/// Ids of some reports, at most `n`, the last ones first when `latest`.
fn ids(reports: &[&Seen], n: usize, latest: bool) -> Vec<String> {
    let mut picked: Vec<String> = if latest {
        reports.iter().rev().take(n).map(|s| s.note.id.clone()).collect()
    } else {
        reports.iter().take(n).map(|s| s.note.id.clone()).collect()
    };
    picked.sort();
    picked
}

/// A sentence for a section 25 conviction, by the defendant's part in the group (varied a little by id).
fn sentence(role: &str, id: &str) -> String {
    let base: u32 = match role {
        "leader" => 14,
        "organiser" => 10,
        "hawala banker" => 7,
        "recruiter" | "logistics" => 5,
        _ => 4,
    };
    let spread = id.bytes().map(u32::from).sum::<u32>() % 3;
    format!("{} years' imprisonment", base + spread)
}

fn disruptions(scene: &Scene) -> Vec<Dis> {
    let mut out = dunkirk(scene);
    out.extend(others(scene));
    out
}

/// The Dunkirk boat crew's disruption: the strike day, the takedown, restraint, charges, convictions
/// and confiscation, with the defendants the CPS reports name.
fn dunkirk(scene: &Scene) -> Vec<Dis> {
    let g = DISRUPTED_GROUP;
    let group = scene.group_id(g);
    let op = GROUPS[g].operation;
    let mut out = Vec::new();

    // Before the strike: a small engine seizure that did not slow the crew.
    let before = scene.reports(g, &[Template::Maritime], day(2024, 2, 1), day(2024, 5, 15));
    if let Some(s) = before.iter().find(|s| s.agency == "BF") {
        let mut d = Dis::new(DisruptionKind::Seizure, s.note.day, "BF", group.clone(), "FAC-1.3");
        d.subjects = scene.named_members(s, g);
        d.summary = "Border Force intercepted one of the crew's dinghies in the Dover Strait and seized the boat \
                     and its two outboard engines, bought new in Germany, at Dover; the pilot was arrested."
            .into();
        d.assets = vec![
            asset(AssetKind::Engine, "Outboard engines, 40 hp, bought in Germany", 2, 7_400.0, AssetStatus::Seized),
            asset(AssetKind::Boat, "Rubber dinghy, 9 m", 1, 2_600.0, AssetStatus::Seized),
        ];
        d.evidence = vec![s.note.id.clone()];
        d.recorded = Some((
            Impact::Minor,
            "the crew replaced the engines from its German supplier within days and launches went on the \
             same week: no lasting effect",
        ));
        out.push(d);
    }

    // The people the CPS charged and convicted after the strike, in the order the reports name them.
    let cps = scene.reports(g, &[Template::Prosecution], DISRUPTION_DAY + 1, DAYS);
    let mut defendants: Vec<(usize, String)> = Vec::new();
    for s in &cps {
        for p in scene.named_members(s, g) {
            let t = scene.person_of[&p];
            if !defendants.iter().any(|(x, _)| *x == t) {
                defendants.push((t, p));
            }
        }
    }
    // The leader is arrested and charged whether or not a report names him among the defendants.
    let members = scene.members(g);
    let mut arrested = defendants.clone();
    for (t, id) in &members {
        let i = scene.person_of[id];
        if !arrested.iter().any(|(x, _)| *x == i) && (t.role == "leader" || arrested.len() < 5) {
            arrested.push((i, id.clone()));
        }
    }
    arrested.sort_by_key(|(i, id)| (role_rank(&scene.truth[*i].role), id.clone()));
    let arrested_ids: Vec<String> = arrested.iter().map(|(_, id)| id.clone()).collect();
    let name = |id: &str| scene.names.get(id).cloned().unwrap_or_default();
    let leader = arrested.iter().find(|(i, _)| scene.truth[*i].role == "leader").cloned();

    // The strike day.
    let build_up = scene.reports(g, &[Template::Surveillance, Template::Europol], DISRUPTION_DAY - 30, DISRUPTION_DAY);
    let mut arrest = Dis::new(DisruptionKind::Arrest, DISRUPTION_DAY, "NCA", group.clone(), "FAC-1.2");
    arrest.subjects = arrested_ids.clone();
    arrest.summary = format!(
        "{op} strike day: {} members of the Dunkirk boat crew arrested in coordinated raids in Grande-Synthe, \
         Loon-Plage and Kent with OCRIEST under the joint investigation team{}. Cash, phones and two vans \
         seized at the addresses.",
        arrested_ids.len(),
        leader.as_ref().map_or(String::new(), |(_, id)| format!(", including its leader {}", name(id)))
    );
    arrest.evidence = ids(&build_up, 5, true);
    arrest.assets = vec![
        asset(
            AssetKind::Cash,
            "Cash in euros and sterling found at the Grande-Synthe safe house",
            1,
            48_250.0,
            AssetStatus::Seized,
        ),
        asset(AssetKind::Vehicle, "Vans used to move boats to the launch points", 2, 21_000.0, AssetStatus::Seized),
        asset(AssetKind::Other, "Mobile phones and SIM cards", 31, 2_900.0, AssetStatus::Seized),
    ];
    out.push(arrest);

    let logistics: Vec<String> = arrested
        .iter()
        .filter(|(i, _)| scene.truth[*i].role == "logistics")
        .map(|(_, id)| id.clone())
        .take(2)
        .collect();
    let launches = scene.reports(g, &[Template::Maritime], DISRUPTION_DAY - 30, DISRUPTION_DAY);
    let mut seizure = Dis::new(DisruptionKind::Seizure, DISRUPTION_DAY, "FR-OCRIEST", group.clone(), "FAC-1.2");
    seizure.subjects = logistics;
    seizure.summary = "OCRIEST searched the crew's store in the dunes at Gravelines and a rented warehouse in \
                       Loon-Plage: inflatable boats, outboard engines and life jackets ready for launches."
        .into();
    seizure.evidence = ids(&launches, 3, true);
    seizure.assets = vec![
        asset(AssetKind::Boat, "Inflatable boats, 9-11 m", 11, 27_500.0, AssetStatus::Seized),
        asset(AssetKind::Engine, "Outboard engines, 40-60 hp", 18, 75_600.0, AssetStatus::Seized),
        asset(AssetKind::Other, "Life jackets and fuel cans", 260, 5_200.0, AssetStatus::Seized),
    ];
    out.push(seizure);

    let adverts = scene.reports(g, &[Template::Social], 0, DISRUPTION_DAY);
    let mut takedown =
        Dis::new(DisruptionKind::SocialMediaTakedown, DISRUPTION_DAY + 2, "NCA", group.clone(), "FAC-1.5");
    takedown.accounts = 23;
    takedown.summary = "TikTok and Telegram removed 23 accounts and channels advertising the crew's crossings \
                        from Dunkirk at the NCA's request after the strike day."
        .into();
    takedown.evidence = ids(&adverts, 3, true);
    out.push(takedown);

    let charged_on = cps.first().map_or(DISRUPTION_DAY + 3, |s| s.note.day);
    let charging: Vec<&Seen> = cps.iter().filter(|s| s.text.starts_with("Charging decision")).copied().collect();
    let mut charge = Dis::new(DisruptionKind::Charge, charged_on, "CPS", group.clone(), "FAC-1.1");
    let charged: Vec<(usize, String)> = arrested
        .iter()
        .filter(|(i, _)| defendants.iter().any(|(x, _)| x == i) || Some(*i) == leader.as_ref().map(|l| l.0))
        .cloned()
        .collect();
    charge.subjects = charged.iter().map(|(_, id)| id.clone()).collect();
    charge.summary = format!(
        "The CPS authorised charges against {} of those arrested on the {op} strike day for conspiracy to \
         facilitate small-boat crossings from Dunkirk; all remanded in custody.",
        charged.len()
    );
    let charging: Vec<&Seen> = charging.into_iter().filter(|s| s.note.day <= charged_on + 120).collect();
    charge.evidence = ids(&charging, 6, false);
    charge.prosecutions = charged
        .iter()
        .map(|(_, id)| ProsecutionRec { defendant: id.clone(), status: "charged", day: charged_on, outcome: None })
        .collect();
    out.push(charge);

    let finance = scene.reports(g, &[Template::Financial], DISRUPTION_DAY - 120, DISRUPTION_DAY + 60);
    let bankers: Vec<String> = arrested
        .iter()
        .filter(|(i, _)| matches!(scene.truth[*i].role.as_str(), "hawala banker" | "leader"))
        .map(|(_, id)| id.clone())
        .collect();
    let mut restraint = Dis::new(DisruptionKind::AssetRestraint, DISRUPTION_DAY + 14, "NCA", group.clone(), "FAC-1.6");
    restraint.subjects = bankers.clone();
    restraint.summary = "Restraint orders under the Proceeds of Crime Act 2002 on the bank and payment accounts \
                         and cryptoassets of the crew's leader and money handlers."
        .into();
    restraint.evidence = ids(&finance, 3, true);
    restraint.assets = vec![
        asset(
            AssetKind::BankFunds,
            "Balances in UK, French and Belgian accounts",
            7,
            184_700.0,
            AssetStatus::Restrained,
        ),
        asset(
            AssetKind::Crypto,
            "USDT held in wallets controlled by the money handlers",
            1,
            41_300.0,
            AssetStatus::Restrained,
        ),
    ];
    out.push(restraint);

    // Convictions: each defendant at the first case result that names them, one record per year of trials.
    let results: Vec<&Seen> = cps.iter().filter(|s| s.text.starts_with("Case result")).copied().collect();
    let mut convicted: BTreeSet<usize> = BTreeSet::new();
    let mut by_year: BTreeMap<String, Vec<(&Seen, Vec<String>)>> = BTreeMap::new();
    for s in &results {
        let named = scene.named_members(s, g);
        let new: Vec<String> = named.iter().filter(|p| convicted.insert(scene.person_of[*p])).cloned().collect();
        if !new.is_empty() {
            by_year.entry(iso(i64::from(s.note.day))[..4].to_string()).or_default().push((s, named));
        }
    }
    let mut leader_convicted = None;
    let mut done: BTreeSet<usize> = BTreeSet::new();
    for (year, trials) in &by_year {
        let last = trials.last().map_or(DISRUPTION_DAY, |(s, _)| s.note.day);
        let mut d = Dis::new(DisruptionKind::Conviction, last, "CPS", group.clone(), "FAC-1.1");
        d.hub_only = false;
        let mut leader_name = None;
        for (s, named) in trials {
            for p in named.iter().filter(|p| done.insert(scene.person_of[*p])) {
                let role = scene.truth[scene.person_of[p]].role.as_str();
                if role == "leader" {
                    leader_convicted = Some((s.note.day, p.clone(), s.note.id.clone()));
                    leader_name = Some(name(p));
                }
                d.subjects.push(p.clone());
                d.prosecutions.push(ProsecutionRec {
                    defendant: p.clone(),
                    status: "convicted",
                    day: s.note.day,
                    outcome: Some(sentence(role, p)),
                });
            }
            d.evidence.push(s.note.id.clone());
        }
        d.summary = format!(
            "Dunkirk boat crew trials at Canterbury Crown Court, {year}: {} defendants convicted of conspiracy to \
             facilitate a breach of immigration law{}.",
            d.subjects.len(),
            leader_name.map_or(String::new(), |n| format!(", among them the crew's leader {n}"))
        );
        out.push(d);
    }

    if let Some((convicted_on, leader_id, report)) = leader_convicted {
        let on = (convicted_on + 150).min(DAYS - 3);
        let mut d = Dis::new(DisruptionKind::Confiscation, on, "CPS", group.clone(), "FAC-1.6");
        let others = bankers.iter().filter(|b| **b != leader_id).take(2).cloned();
        d.subjects = std::iter::once(leader_id.clone()).chain(others).collect();
        d.summary = "Confiscation order against the crew's leader under the Proceeds of Crime Act 2002: the \
                     restrained balances, a house bought in Kent through a relative, and the cash seized on the \
                     strike day."
            .into();
        d.evidence = vec![report];
        d.assets = vec![
            asset(
                AssetKind::Property,
                "House in Kent held in a relative's name",
                1,
                265_000.0,
                AssetStatus::Confiscated,
            ),
            asset(AssetKind::BankFunds, "Restrained account balances", 7, 184_700.0, AssetStatus::Confiscated),
            asset(AssetKind::Cash, "Cash seized on the strike day", 1, 48_250.0, AssetStatus::Confiscated),
        ];
        out.push(d);
    }
    out
}

/// Smaller disruptions of the other groups, each on a report that shows it.
fn others(scene: &Scene) -> Vec<Dis> {
    let mut out = Vec::new();

    // A lorry load of the Ostend network stopped at Dover.
    let loads = scene.reports(OSTEND, &[Template::Seizure], day(2024, 1, 1), day(2024, 12, 31));
    if let Some(s) = loads.last() {
        let mut d = Dis::new(DisruptionKind::Seizure, s.note.day, "BF", scene.group_id(OSTEND), "CE-1.1");
        d.subjects = scene.named_members(s, OSTEND);
        let lorry = s.vehicles.first().cloned().unwrap_or_else(|| "HGV".into());
        d.summary = format!(
            "Border Force found clandestine entrants concealed in the trailer of {lorry} on arrival at Dover from \
             the Belgian and French ports; the lorry was seized and the driver charged."
        );
        d.evidence = vec![s.note.id.clone()];
        d.assets = vec![asset(
            AssetKind::Vehicle,
            format!("{lorry}, tractor unit and trailer"),
            1,
            68_000.0,
            AssetStatus::Seized,
        )];
        out.push(d);
    }

    // A crossing of the Izmir ring stopped in the Aegean: the criteria say major, the recorder does not.
    let sightings = scene.reports(IZMIR, &[Template::Maritime], day(2024, 3, 1), day(2025, 3, 31));
    let best = sightings.iter().find(|s| !s.vessels.is_empty() && !scene.named_members(s, IZMIR).is_empty());
    if let Some(s) = best.or(sightings.iter().find(|s| !s.vessels.is_empty())).or(sightings.first()) {
        let mut d =
            Dis::new(DisruptionKind::VesselInterdiction, s.note.day, "EUROPOL", scene.group_id(IZMIR), "CE-2.1");
        d.subjects = scene.named_members(s, IZMIR);
        let vessel = s.vessels.first().cloned().unwrap_or_else(|| "a speedboat".into());
        d.summary = format!(
            "The Hellenic Coast Guard, alerted through Europol, stopped the {vessel} off Lesbos with migrants on \
             board; the vessel was seized and its captain detained."
        );
        d.evidence = vec![s.note.id.clone()];
        d.assets = vec![asset(AssetKind::Vessel, vessel, 1, 140_000.0, AssetStatus::Seized)];
        d.recorded = Some((
            Impact::Moderate,
            "the ring hires its craft and its organisers in Izmir were untouched; crossings resumed within a week",
        ));
        out.push(d);
    }

    // Look-alike documents of the Durrës ring seized at the border.
    let stops = scene.reports(DURRES, &[Template::DocArrest], day(2024, 1, 1), day(2024, 9, 30));
    let stops = if stops.is_empty() { scene.reports(DURRES, &[Template::DocArrest], 0, DAYS) } else { stops };
    if let Some(s) = stops.last() {
        let agency = if s.agency == "BF" { "BF" } else { "IE" };
        let mut d = Dis::new(DisruptionKind::Seizure, s.note.day, agency, scene.group_id(DURRES), "FD-1.1");
        d.subjects = scene.named_members(s, DURRES);
        d.summary = "A courier's bag searched after a passenger was stopped on a fraudulently obtained passport \
                     held blank and look-alike identity documents supplied by the Durrës ring."
            .into();
        d.evidence = vec![s.note.id.clone()];
        d.assets = vec![AssetRec {
            kind: AssetKind::Documents,
            description: "Counterfeit and look-alike EU identity cards and passports".into(),
            quantity: 37,
            value_gbp: None,
            status: AssetStatus::Seized,
        }];
        out.push(d);
    }

    // A travel order on a senior member of the Durrës ring.
    let named =
        scene.reports.iter().filter(|s| s.note.group == DURRES && s.note.day >= day(2024, 10, 1)).find_map(|s| {
            let senior = s.persons.iter().find(|p| scene.member(p, DURRES).is_some_and(|t| role_rank(&t.role) <= 2));
            senior.map(|p| (s, p.clone()))
        });
    let named = named.or_else(|| {
        let (_, id) = scene.members(DURRES).into_iter().next()?;
        let s = scene.reports.iter().rev().find(|s| s.persons.contains(&id))?;
        Some((s, id))
    });
    if let Some((s, id)) = named {
        let id = scene.person_of.get(&id).and_then(|&i| scene.preferred_id(&scene.truth[i])).unwrap_or(id);
        let on = s.note.day.max(day(2024, 10, 1));
        let mut d = Dis::new(DisruptionKind::TravelOrder, on, "NCA", scene.group_id(DURRES), "ALE-1.3");
        d.subjects = vec![id];
        d.summary = "Travel restriction order on a senior member of the Durrës ring who flew in to meet \
                     customers in London; passport surrendered."
            .into();
        d.evidence = vec![s.note.id.clone()];
        out.push(d);
    }

    // The Boulogne crew is touched only late, and lightly.
    let adverts = scene.reports(EMERGING_GROUP, &[Template::Social], day(2025, 1, 1), DAYS);
    if let Some(s) = adverts.last() {
        let mut d =
            Dis::new(DisruptionKind::SocialMediaTakedown, s.note.day, "NCA", scene.group_id(EMERGING_GROUP), "FAC-1.5");
        d.subjects = scene.named_members(s, EMERGING_GROUP);
        d.accounts = 2;
        d.summary = "Two accounts advertising crossings from the beaches south of Boulogne removed at the NCA's \
                     request; the crew advertised again from new accounts within days."
            .into();
        d.evidence = vec![s.note.id.clone()];
        out.push(d);
    }
    out
}
