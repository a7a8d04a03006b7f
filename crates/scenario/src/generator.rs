//! Turns the hidden world into a stream of agency reports: each agency sees a
//! part of it, names people its own way, grades and marks what it writes.

use std::collections::HashMap;
use std::fmt::Write as _;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::ids::{self, BANKS, PhoneNo, WALLETS};
use crate::names::{self, CULTURES};
use crate::world::{
    DAYS, DISRUPTED_GROUP, DISRUPTION_DAY, EMERGING_GROUP, GROUPS, Kind, PLACES, Passport, Role, SPOTS, World, pick,
};

/// Agency codes, in a fixed order used as small integer ids.
pub(crate) const AGENCIES: [&str; 8] = ["NCA", "BF", "IE", "CPS", "EUROPOL", "FR-OCRIEST", "DEBRIEF", "ILO"];
const NCA: u8 = 0;
const BF: u8 = 1;
const IE: u8 = 2;
const CPS: u8 = 3;
const EUROPOL: u8 = 4;
const FR: u8 = 5;
const DEBRIEF: u8 = 6;
const ILO: u8 = 7;

/// Property values keyed by FtM property name, serialised as a JSON object in insertion order.
#[derive(Default)]
pub(crate) struct Props(Vec<(&'static str, Vec<String>)>);

impl Serialize for Props {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[derive(serde::Serialize)]
pub(crate) struct Entity {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    schema: &'static str,
    properties: Props,
    #[serde(skip_serializing_if = "Option::is_none")]
    observed: Option<String>,
}

#[derive(serde::Serialize)]
pub(crate) struct Link {
    #[serde(rename = "type")]
    kind: &'static str,
    source: String,
    target: String,
}

#[derive(serde::Serialize)]
#[serde(untagged)]
pub(crate) enum Grading {
    Code(String),
    Object {
        #[serde(skip_serializing_if = "Option::is_none")]
        scheme: Option<&'static str>,
        code: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        conditions: Option<&'static str>,
    },
}

#[derive(serde::Serialize)]
pub(crate) struct Markings {
    classification: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    compartments: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    caveats: Vec<&'static str>,
}

/// One report, ready to serialise as a line of JSON.
#[derive(serde::Serialize)]
pub(crate) struct Report {
    pub id: String,
    pub agency: &'static str,
    author: String,
    date: String,
    grading: Grading,
    markings: Markings,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    streams: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    routes: Vec<&'static str>,
    text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    entities: Vec<Entity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
}

impl Report {
    /// Number of statements: property values plus links.
    pub fn statements(&self) -> usize {
        self.entities.iter().map(|e| e.properties.0.iter().map(|(_, v)| v.len()).sum::<usize>()).sum::<usize>()
            + self.links.len()
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// Report date (YYYY-MM-DD).
    pub fn date(&self) -> &str {
        &self.date
    }

    /// Number of links.
    pub fn link_count(&self) -> usize {
        self.links.len()
    }
}

/// A report being written.
struct Draft {
    agency: u8,
    day: u32,
    entities: Vec<Entity>,
    links: Vec<Link>,
    text: String,
    persons: Vec<(u32, usize)>,
    phones: Vec<(String, usize, String)>,
    streams: Vec<&'static str>,
}

impl Draft {
    fn add(&mut self, id: Option<String>, schema: &'static str) -> usize {
        self.entities.push(Entity { id, schema, properties: Props::default(), observed: None });
        self.entities.len() - 1
    }

    fn prop(&mut self, e: usize, key: &'static str, value: impl Into<String>) {
        let props = &mut self.entities[e].properties.0;
        let value = value.into();
        match props.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => {
                if !v.contains(&value) {
                    v.push(value)
                }
            }
            None => props.push((key, vec![value])),
        }
    }

    fn reference(&self, e: usize) -> String {
        match &self.entities[e].id {
            Some(id) => id.clone(),
            None => format!("#{e}"),
        }
    }

    fn link(&mut self, kind: &'static str, a: usize, b: usize) {
        if a == b {
            return;
        }
        let (source, target) = (self.reference(a), self.reference(b));
        if self.links.iter().any(|l| l.kind == kind && l.source == source && l.target == target) {
            return;
        }
        self.links.push(Link { kind, source, target });
    }

    fn stream(&mut self, s: &'static str) {
        if !self.streams.contains(&s) {
            self.streams.push(s);
        }
    }
}

/// How much of a person a report records.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Detail {
    Name,
    Brief,
    Full,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Template {
    Debrief,
    Surveillance,
    Seizure,
    DocArrest,
    Financial,
    Liaison,
    Maritime,
    Europol,
    Social,
    Prosecution,
}

/// What the generator knew when it wrote one report (kept only when asked, for the demo's plan).
#[derive(Clone, Debug)]
pub(crate) struct ReportNote {
    /// The report's id.
    pub id: String,
    /// Its day index (from 2023-01-01).
    pub day: u32,
    /// The group it is about.
    pub group: usize,
    /// The template it was written from.
    pub template: Template,
}

/// What ground truth accumulates for one true person.
#[derive(Default, Clone)]
pub(crate) struct TruthAcc {
    pub ids: Vec<String>,
    pub names: Vec<String>,
}

/// Splitmix64: a stateless hash for per-(agency, person) habits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Calendar date of a day index counted from 2023-01-01.
pub(crate) fn civil(day: i64) -> (i32, u32, u32) {
    // Howard Hinnant's civil_from_days, offset to 2023-01-01 (day 19358 since 1970).
    let z = day + 19_358 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400) as i32 + i32::from(m <= 2);
    (y, m, d)
}

pub(crate) fn iso(day: i64) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn long_date(day: i64) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m, d) = civil(day);
    format!("{d} {} {y}", MONTHS[m as usize - 1])
}

fn money(n: u32) -> String {
    if n >= 1000 { format!("{},{:03}", n / 1000, n % 1000) } else { n.to_string() }
}

/// The report generator: owns the world and the agencies' record-keeping.
pub(crate) struct Gen {
    world: World,
    rng: ChaCha8Rng,
    seed: u64,
    total: usize,
    produced: usize,
    /// Agency nominal numbers, indexed by person * 8 + agency (0 = none yet).
    nominal: Vec<u32>,
    next_nominal: [u32; 8],
    places: HashMap<(u8, u16), u32>,
    next_place: [u32; 8],
    orgs: HashMap<(u8, u8), u32>,
    next_event: [u32; 8],
    report_seq: HashMap<(u8, i32), u32>,
    authors: Vec<Vec<String>>,
    truth: Option<Vec<TruthAcc>>,
    /// Notes on every report written, when kept ([`Gen::keep_notes`]).
    pub notes: Option<Vec<ReportNote>>,
    /// Entity id of each group's Organization record, per agency, for the summary.
    pub group_ids: Vec<Vec<String>>,
    /// Agencies that produced at least one report.
    pub agencies_seen: [bool; 8],
    /// Vessels (group, index) whose MMSI a report carries (so that a search by MMSI finds them).
    pub vessels_named: std::collections::BTreeSet<(usize, usize)>,
    /// Totals.
    pub entities: usize,
    /// Totals.
    pub links: usize,
    /// Totals.
    pub statements: usize,
}

impl Gen {
    /// A generator for `total` reports from `seed`.
    pub fn new(seed: u64, total: usize, collect_truth: bool) -> Gen {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let world = World::build(&mut rng, total);
        let rng = ChaCha8Rng::seed_from_u64(mix(seed ^ 0x0005_EED0_F7E5_5E4A));
        let mut authors = Vec::new();
        let mut arng = ChaCha8Rng::seed_from_u64(mix(seed ^ 0xA07));
        for agency in AGENCIES {
            let refs: Vec<String> = (0..8)
                .map(|_| {
                    let n = arng.random_range(1000..9999);
                    match agency {
                        "NCA" => format!("{} {n}", pick(&mut arng, &["DC", "IO", "SIO", "DS"])),
                        "BF" => format!("BFO {n}"),
                        "IE" => format!("IO {n}"),
                        "CPS" => format!("CPS SL {}", n % 500),
                        "EUROPOL" => format!("EUROPOL AP {}", n % 300),
                        "FR-OCRIEST" => format!("OPJ {n}"),
                        "DEBRIEF" => format!("DBO {n}"),
                        _ => format!(
                            "ILO {} {}",
                            pick(&mut arng, &["TRIPOLI", "TUNIS", "ROME", "ISTANBUL", "TIRANA", "PARIS"]),
                            n % 20
                        ),
                    }
                })
                .collect();
            authors.push(refs);
        }
        let n_persons = world.persons.len();
        let truth = collect_truth.then(|| vec![TruthAcc::default(); n_persons]);
        Gen {
            world,
            rng,
            seed,
            total,
            produced: 0,
            nominal: vec![0; n_persons * 8],
            next_nominal: [100, 4000, 1_200_000, 1, 500_000, 1, 1, 1],
            places: HashMap::new(),
            next_place: [1; 8],
            orgs: HashMap::new(),
            next_event: [1; 8],
            report_seq: HashMap::new(),
            authors,
            truth,
            notes: None,
            group_ids: vec![Vec::new(); GROUPS.len()],
            agencies_seen: [false; 8],
            vessels_named: std::collections::BTreeSet::new(),
            entities: 0,
            links: 0,
            statements: 0,
        }
    }

    /// The hidden world.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Keeps a note of every report from now on (its id, day, group and template).
    pub fn keep_notes(&mut self) {
        self.notes.get_or_insert_with(Vec::new);
    }

    /// Ground truth accumulated so far (when collecting).
    pub fn take_truth(&mut self) -> Option<Vec<TruthAcc>> {
        self.truth.take()
    }

    fn h(&self, a: u64, b: u64) -> u64 {
        mix(self.seed ^ mix(a.wrapping_mul(0x1_0000_0001) ^ b))
    }

    fn nominal_id(&mut self, agency: u8, pid: u32) -> String {
        let slot = pid as usize * 8 + agency as usize;
        let n = match self.nominal[slot] {
            0 => {
                let n = self.next_nominal[agency as usize];
                self.next_nominal[agency as usize] += 1 + (self.h(u64::from(agency), u64::from(pid)) % 3) as u32;
                self.nominal[slot] = n;
                n
            }
            n => n,
        };
        match agency {
            NCA => format!("NCA:P-{n:06}"),
            BF => format!("BF:NOM-{n}"),
            IE => format!("IE:CID-{n:07}"),
            CPS => format!("CPS:DEF-{n:05}"),
            EUROPOL => format!("EUROPOL:EIS-{n:06}"),
            FR => format!("FR-OCRIEST:IND-{n}"),
            DEBRIEF => format!("DEBRIEF:SUBJ-{n:05}"),
            _ => format!("ILO:NOM-{n:04}"),
        }
    }

    /// How `agency` writes `pid`'s name: (full, first, last).
    fn spell(&mut self, pid: u32, agency: u8) -> (String, String, String) {
        let p = &self.world.persons[pid as usize];
        let c = &CULTURES[p.culture as usize];
        let given = if p.male { &c.male[p.given as usize] } else { &c.female[p.given as usize] };
        let family = &c.family[p.family as usize];
        let h = self.h(u64::from(agency) + 100, u64::from(pid));
        let choose = |variants: &[&'static str], bits: u64| -> &'static str {
            if bits % 10 < 4 { variants[0] } else { variants[(bits / 10) as usize % variants.len()] }
        };
        let mut g = choose(given.variants, h & 0xFFFF).to_string();
        let mut f = choose(family.variants, (h >> 16) & 0xFFFF).to_string();
        // Vietnamese diacritics survive only in partners' systems that keep Unicode.
        if !matches!(agency, EUROPOL | FR) {
            g = fold_vietnamese(&g);
            f = fold_vietnamese(&f);
        }
        if (h >> 32).is_multiple_of(7) {
            if (h >> 35).is_multiple_of(2) {
                f = names::typo(&f, h >> 40);
            } else {
                g = names::typo(&g, h >> 40);
            }
        }
        // Interpreted debriefs misspell more, and differently each time.
        if matches!(agency, DEBRIEF | ILO) && self.rng.random_bool(0.12) {
            let salt = self.rng.random::<u64>();
            f = names::typo(&f, salt);
        }
        let family_first = c.family_first;
        let full = match agency {
            BF | EUROPOL | FR => format!("{} {g}", f.to_uppercase()),
            IE => {
                if family_first {
                    format!("{} {g}", f.to_uppercase())
                } else {
                    format!("{g} {}", f.to_uppercase())
                }
            }
            NCA if (h >> 44).is_multiple_of(4) => format!("{} {g}", f.to_uppercase()),
            _ => {
                if family_first && !(h >> 46).is_multiple_of(3) {
                    format!("{f} {g}")
                } else {
                    format!("{g} {f}")
                }
            }
        };
        (full, g, f)
    }

    /// How `agency` records `pid`'s date of birth, if at all.
    fn dob_as(&self, pid: u32, agency: u8) -> Option<String> {
        let p = &self.world.persons[pid as usize];
        let (y, m, d) = p.dob;
        let h = self.h(u64::from(agency) + 200, u64::from(pid)) % 100;
        let undocumented = p.role == Role::Migrant || agency == DEBRIEF;
        Some(match h {
            0..=49 => format!("{y:04}-{m:02}-{d:02}"),
            50..=59 if d <= 12 && u32::from(d) != u32::from(m) => format!("{y:04}-{d:02}-{m:02}"),
            50..=59 => format!("{y:04}-{m:02}-{d:02}"),
            60..=69 => format!("{y:04}"),
            70..=79 if undocumented || matches!(p.nationality, "AF" | "ER" | "SD") => format!("{y:04}-01-01"),
            70..=79 => format!("{y:04}-{m:02}-{d:02}"),
            80..=84 => format!("{:04}-{m:02}-{d:02}", y + 1),
            _ => return None,
        })
    }

    fn record_truth(&mut self, pid: u32, id: &str, name: &str) {
        if let Some(t) = self.truth.as_mut() {
            let acc = &mut t[pid as usize];
            if !acc.ids.iter().any(|x| x == id) {
                acc.ids.push(id.to_string());
            }
            if !acc.names.iter().any(|x| x == name) {
                acc.names.push(name.to_string());
            }
        }
    }

    /// Adds (or finds) a person entity; returns its index and the name as written.
    fn person(&mut self, d: &mut Draft, pid: u32, detail: Detail) -> (usize, String) {
        if let Some(&(_, e)) = d.persons.iter().find(|(p, _)| *p == pid) {
            let name = d.entities[e].properties.0[0].1[0].clone();
            return (e, name);
        }
        let agency = d.agency;
        let id = self.nominal_id(agency, pid);
        let (full, first, last) = self.spell(pid, agency);
        self.record_truth(pid, &id, &full);
        let e = d.add(Some(id), "Person");
        d.prop(e, "name", full.clone());
        d.persons.push((pid, e));
        let p = &self.world.persons[pid as usize];
        let (nationality, male, role) = (p.nationality, p.male, p.role);
        let passport_number = p.passport.as_ref().map(|pp| pp.number.clone());
        if detail >= Detail::Brief {
            if detail == Detail::Full || self.rng.random_bool(0.8) {
                d.prop(e, "nationality", nationality);
            }
            let dob = if detail == Detail::Full || self.rng.random_bool(0.6) { self.dob_as(pid, agency) } else { None };
            if let Some(dob) = dob {
                d.prop(e, "birthDate", dob);
            }
        }
        if detail == Detail::Full {
            if matches!(agency, IE | BF) && self.rng.random_bool(0.5) {
                d.prop(e, "firstName", first);
                d.prop(e, "lastName", last);
            }
            if self.rng.random_bool(0.5) {
                d.prop(e, "gender", if male { "male" } else { "female" });
            }
            if role.is_member() && matches!(agency, NCA | EUROPOL | CPS | ILO) {
                d.prop(e, "role", role.label());
            }
            if let Some(number) = passport_number
                && self.rng.random_bool(0.7)
            {
                d.prop(e, "passportNumber", number);
            }
        }
        (e, full)
    }

    /// Adds a nickname (and, sometimes, the Arabic-script name) as aliases.
    fn alias(&mut self, d: &mut Draft, e: usize, pid: u32) -> String {
        let p = &self.world.persons[pid as usize];
        let c = &CULTURES[p.culture as usize];
        let given = if p.male { &c.male[p.given as usize] } else { &c.female[p.given as usize] };
        let nick = names::nickname(p.culture, given.variants[0], u64::from(pid));
        let arabic = (!given.arabic.is_empty() && !c.family[p.family as usize].arabic.is_empty())
            .then(|| format!("{} {}", given.arabic, c.family[p.family as usize].arabic));
        d.prop(e, "alias", nick.clone());
        if let Some(ar) = arabic
            && self.rng.random_bool(0.25)
        {
            d.prop(e, "alias", ar);
        }
        nick
    }

    fn phone(&mut self, d: &mut Draft, phone: &PhoneNo) -> (usize, String) {
        let e164 = phone.e164();
        if let Some((_, e, w)) = d.phones.iter().find(|(n, _, _)| *n == e164) {
            return (*e, w.clone());
        }
        let uk_agency = matches!(d.agency, NCA | BF | IE | CPS | DEBRIEF);
        let written = match (phone.uk_national(), uk_agency, self.rng.random_range(0..3)) {
            (Some(n), true, 0 | 1) => n,
            (_, _, 2) => phone.e164(),
            _ => phone.international(),
        };
        let e = find_or_add(d, "Phone", "number", &written);
        d.phones.push((e164, e, written.clone()));
        (e, written)
    }

    fn iban(&mut self, d: &mut Draft, iban: &str, bank: usize) -> (usize, String) {
        let written = if self.rng.random_bool(0.5) { ids::iban_grouped(iban) } else { iban.to_string() };
        let e = find_or_add(d, "BankAccount", "iban", &written);
        d.prop(e, "bankName", BANKS[bank].name);
        (e, written)
    }

    fn address(&mut self, d: &mut Draft, place: usize, spot: usize) -> usize {
        let key = (d.agency, (place * SPOTS.len() + spot) as u16);
        let n = match self.places.get(&key) {
            Some(n) => *n,
            None => {
                let n = self.next_place[d.agency as usize];
                self.next_place[d.agency as usize] += 1;
                self.places.insert(key, n);
                n
            }
        };
        let id = format!("{}:LOC-{n:05}", AGENCIES[d.agency as usize]);
        if let Some(e) = d.entities.iter().position(|e| e.id.as_deref() == Some(id.as_str())) {
            return e;
        }
        let pl = &PLACES[place];
        let e = d.add(Some(id), "Address");
        d.prop(e, "full", format!("{}, {}", SPOTS[spot], pl.name));
        if self.rng.random_bool(0.5) {
            d.prop(e, "city", pl.name);
        }
        d.prop(e, "country", pl.country);
        if self.rng.random_bool(0.15) {
            d.prop(e, "latitude", format!("{:.4}", pl.lat));
            d.prop(e, "longitude", format!("{:.4}", pl.lon));
        }
        e
    }

    fn org(&mut self, d: &mut Draft, g: usize, detail: Detail) -> usize {
        let key = (d.agency, g as u8);
        let n = match self.orgs.get(&key) {
            Some(n) => *n,
            None => {
                let n = 10 + self.orgs.iter().filter(|((a, _), _)| *a == d.agency).count() as u32 * 7 + (g as u32 % 5);
                self.orgs.insert(key, n);
                n
            }
        };
        let id = format!("{}:OCG-{n:04}", AGENCIES[d.agency as usize]);
        if !self.group_ids[g].contains(&id) {
            self.group_ids[g].push(id.clone());
        }
        if let Some(e) = d.entities.iter().position(|e| e.id.as_deref() == Some(id.as_str())) {
            return e;
        }
        let def = &GROUPS[g];
        let e = d.add(Some(id), "Organization");
        let h = self.h(u64::from(d.agency) + 300, g as u64);
        let name = if h.is_multiple_of(3) && !def.aliases.is_empty() {
            def.aliases[(h as usize / 3) % def.aliases.len()]
        } else {
            def.name
        };
        d.prop(e, "name", name);
        d.prop(e, "topics", "crime.ocg");
        if detail == Detail::Full || (detail == Detail::Brief && self.rng.random_bool(0.5)) {
            d.prop(e, "country", def.country);
        }
        if detail == Detail::Full {
            for a in def.aliases {
                if *a != name {
                    d.prop(e, "alias", *a);
                }
            }
            d.prop(e, "modusOperandi", def.modus);
        }
        e
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &mut self,
        d: &mut Draft,
        kind: &'static str,
        day: i64,
        summary: String,
        country: &str,
        amount: Option<(u32, &str)>,
    ) -> usize {
        let n = self.next_event[d.agency as usize];
        self.next_event[d.agency as usize] += 1;
        let e = d.add(Some(format!("{}:EVT-{n:07}", AGENCIES[d.agency as usize])), "Event");
        d.prop(e, "eventType", kind);
        d.prop(e, "date", iso(day));
        if self.rng.random_bool(0.3) {
            d.prop(e, "summary", summary);
        }
        if self.rng.random_bool(0.6) {
            d.prop(e, "country", country);
        }
        if let Some((amount, currency)) = amount {
            d.prop(e, "amount", amount.to_string());
            d.prop(e, "currency", currency);
        }
        e
    }

    fn passport_entity(
        &mut self,
        d: &mut Draft,
        pid: u32,
        pp: &Passport,
        with_mrz: bool,
    ) -> (usize, Option<(String, String)>) {
        let e = find_or_add(d, "Identification", "number", &pp.number);
        d.prop(e, "type", "passport");
        d.prop(e, "country", pp.issuer);
        d.prop(e, "documentStatus", pp.status);
        let mrz = with_mrz.then(|| {
            let p = &self.world.persons[pid as usize];
            let (culture, male, given, family) = pp.printed_as.unwrap_or((p.culture, p.male, p.given, p.family));
            let c = &CULTURES[culture as usize];
            let g = if male { c.male[given as usize].variants[0] } else { c.female[given as usize].variants[0] };
            let f = c.family[family as usize].variants[0];
            let (y, m, dd) = p.dob;
            let (ey, em, ed) = pp.expiry;
            let nat = if pp.printed_as.is_some() || pp.status != "genuine" { pp.issuer } else { p.nationality };
            let lines = ids::td3(&ids::MrzFields {
                issuer: ids::alpha3(pp.issuer),
                surname: f,
                given: g,
                number: &pp.number,
                nationality: ids::alpha3(nat),
                birth: &format!("{:02}{m:02}{dd:02}", y % 100),
                sex: if male { 'M' } else { 'F' },
                expiry: &format!("{:02}{em:02}{ed:02}", ey % 100),
            });
            d.prop(e, "mrz", format!("{}\n{}", lines.0, lines.1));
            lines
        });
        (e, mrz)
    }

    fn vehicle(&mut self, d: &mut Draft, plate: &str, model: &'static str, country: &'static str) -> usize {
        let e = find_or_add(d, "Vehicle", "registrationNumber", plate);
        d.prop(e, "model", model);
        d.prop(e, "country", country);
        e
    }

    /// Adds a known vessel; `registry` adds what only official sources know (MMSI, flag).
    fn vessel(&mut self, d: &mut Draft, g: usize, v: usize, registry: bool) -> usize {
        let rec = self.world.groups[g].vessels[v].clone();
        let e = match &rec.imo {
            Some(imo) => find_or_add(d, "Vessel", "imoNumber", imo),
            None => find_or_add(d, "Vessel", "mmsi", &rec.mmsi),
        };
        d.prop(e, "name", rec.name);
        if registry || rec.imo.is_none() {
            self.vessels_named.insert((g, v));
        }
        if registry {
            d.prop(e, "mmsi", rec.mmsi.clone());
            d.prop(e, "flag", rec.flag);
        }
        d.prop(e, "type", rec.kind);
        e
    }

    fn account(&mut self, d: &mut Draft, pid: u32) -> Option<(usize, String, &'static str)> {
        let (service, username) = self.world.persons[pid as usize].account.clone()?;
        let handle = format!("@{username}");
        let e = find_or_add(d, "UserAccount", "username", &handle);
        d.prop(e, "service", service);
        Some((e, handle, service))
    }

    fn group_weight(&self, g: usize, day: u32) -> f64 {
        let def = &GROUPS[g];
        let doy = f64::from(day % 365);
        let summer = (1.0 - (std::f64::consts::TAU * (doy - 15.0) / 365.0).cos()) / 2.0;
        let mut w = def.weight;
        if matches!(def.kind, Kind::MedSea | Kind::ChannelSea | Kind::EastMed) {
            w *= 0.5 + summer;
        }
        if g == DISRUPTED_GROUP {
            if day > DISRUPTION_DAY + 14 {
                w *= 0.12;
            } else if day + 30 > DISRUPTION_DAY {
                w *= 2.5;
            }
        }
        if g == EMERGING_GROUP {
            w *= if day < 425 {
                0.15
            } else if day < DISRUPTION_DAY {
                0.7
            } else {
                1.8
            };
        }
        if g == 1 && day >= 365 {
            w *= 0.55; // the Sfax departures fall away in 2024
        }
        w
    }

    fn pick_template(&mut self, g: usize, day: u32) -> Template {
        use Template::*;
        let kind = GROUPS[g].kind;
        let table: &[(Template, u32)] = if g == DISRUPTED_GROUP && day > DISRUPTION_DAY + 14 {
            &[(Prosecution, 45), (Debrief, 20), (Financial, 25), (Europol, 10)]
        } else if g == DISRUPTED_GROUP && day + 30 > DISRUPTION_DAY {
            &[(Surveillance, 40), (Maritime, 15), (Financial, 15), (Europol, 15), (Debrief, 15)]
        } else {
            match kind {
                Kind::MedSea => &[
                    (Debrief, 30),
                    (Liaison, 18),
                    (Maritime, 15),
                    (Financial, 10),
                    (Europol, 12),
                    (Social, 5),
                    (Surveillance, 5),
                    (DocArrest, 5),
                ],
                Kind::ChannelSea => &[
                    (Debrief, 20),
                    (Surveillance, 20),
                    (Maritime, 15),
                    (Financial, 10),
                    (Europol, 8),
                    (Social, 10),
                    (DocArrest, 7),
                    (Prosecution, 10),
                ],
                Kind::Lorry => &[
                    (Seizure, 30),
                    (Surveillance, 20),
                    (Debrief, 10),
                    (Financial, 10),
                    (Europol, 10),
                    (DocArrest, 10),
                    (Prosecution, 10),
                ],
                Kind::Documents => &[
                    (DocArrest, 35),
                    (Surveillance, 10),
                    (Financial, 15),
                    (Social, 10),
                    (Europol, 10),
                    (Prosecution, 10),
                    (Liaison, 10),
                ],
                Kind::EastMed => {
                    &[(Debrief, 25), (Liaison, 20), (Maritime, 15), (Europol, 20), (Financial, 10), (Social, 10)]
                }
            }
        };
        let total: u32 = table.iter().map(|(_, w)| w).sum();
        let mut x = self.rng.random_range(0..total);
        for (t, w) in table {
            if x < *w {
                return *t;
            }
            x -= w;
        }
        table[0].0
    }

    fn pick_agency(&mut self, t: Template, g: usize) -> u8 {
        let kind = GROUPS[g].kind;
        let x = self.rng.random_range(0..100u32);
        let channel = matches!(kind, Kind::ChannelSea | Kind::Lorry);
        match t {
            Template::Debrief => match x {
                0..=79 => DEBRIEF,
                80..=94 => IE,
                _ => ILO,
            },
            Template::Surveillance if channel => match x {
                0..=54 => NCA,
                55..=89 => FR,
                _ => EUROPOL,
            },
            Template::Surveillance if kind == Kind::Documents => {
                if x < 80 {
                    NCA
                } else {
                    EUROPOL
                }
            }
            Template::Surveillance => {
                if x < 40 {
                    NCA
                } else {
                    EUROPOL
                }
            }
            Template::Seizure => BF,
            Template::DocArrest => {
                if x < 55 {
                    IE
                } else {
                    BF
                }
            }
            Template::Financial => {
                if x < 60 {
                    NCA
                } else {
                    EUROPOL
                }
            }
            Template::Liaison => ILO,
            Template::Maritime if channel => {
                if x < 80 {
                    BF
                } else {
                    FR
                }
            }
            Template::Maritime => {
                if x < 50 {
                    EUROPOL
                } else {
                    ILO
                }
            }
            Template::Europol => EUROPOL,
            Template::Social => {
                if x < 50 {
                    NCA
                } else {
                    IE
                }
            }
            Template::Prosecution => CPS,
        }
    }

    fn grading(&mut self, agency: u8, day: u32) -> Grading {
        let r = &mut self.rng;
        let legacy = matches!(agency, NCA | BF | IE) && day < 273 && r.random_bool(0.5);
        if legacy {
            let s = *pick(r, &["A", "B", "B", "C", "D", "E"]);
            let i = *pick(r, &["1", "2", "2", "3", "4", "5"]);
            let h = *pick(r, &["1", "1", "1", "2", "3", "4", "5"]);
            let conditions = (h == "5").then_some("Refer to originator before any dissemination");
            return Grading::Object { scheme: Some("5x5x5"), code: format!("{s}{i} {h}"), conditions };
        }
        if agency == EUROPOL || (agency == FR && r.random_bool(0.3)) {
            let s = *pick(r, &["A", "B", "B", "C", "X", "X"]);
            let i = *pick(r, &["1", "2", "2", "3", "4"]);
            let h = *pick(r, &["H0", "H1", "H1", "H2", "H3"]);
            let conditions = (h == "H3")
                .then_some("Not to be used as evidence or disseminated without the prior consent of the data owner");
            return Grading::Object { scheme: Some("europol4x4"), code: format!("{s}{i} {h}"), conditions };
        }
        let (sources, intel): (&[&str], &[&str]) = match agency {
            CPS => (&["1"], &["A"]),
            BF => (&["1", "1", "2"], &["A", "B", "B"]),
            DEBRIEF => (&["2", "3", "3"], &["B", "C", "C", "D"]),
            ILO => (&["2", "2", "3"], &["B", "C", "C"]),
            IE => (&["1", "2", "2", "3"], &["B", "B", "C"]),
            _ => (&["1", "2", "2", "3"], &["A", "B", "B", "C", "D"]),
        };
        let code = format!("{}{}", pick(r, sources), pick(r, intel));
        let c_share = match agency {
            NCA => 0.2,
            DEBRIEF => 0.1,
            FR => 0.15,
            CPS => 0.0,
            _ => 0.05,
        };
        if r.random_bool(c_share) {
            let conditions = *pick(
                r,
                &[
                    "Not to be disseminated outside the receiving agency without originator consent",
                    "Source protection: no onward disclosure; do not action without reference to the SIO",
                    "Victim safeguarding: do not disclose the subject's identity to third parties",
                ],
            );
            Grading::Object { scheme: Some("3x5x2"), code: format!("{code} C"), conditions: Some(conditions) }
        } else if agency == FR || r.random_bool(0.1) {
            Grading::Object { scheme: None, code: format!("{code} P"), conditions: None }
        } else {
            Grading::Code(format!("{code} P"))
        }
    }

    fn markings(&mut self, agency: u8, g: usize) -> Markings {
        let r = &mut self.rng;
        let x = r.random_range(0..100u32);
        let classification = match agency {
            NCA => match x {
                0..=2 => "OFFICIAL",
                3..=62 => "OFFICIAL-SENSITIVE",
                63..=95 => "SECRET",
                _ => "TOP SECRET",
            },
            BF | IE => match x {
                0..=27 => "OFFICIAL",
                28..=94 => "OFFICIAL-SENSITIVE",
                _ => "SECRET",
            },
            DEBRIEF => match x {
                0..=29 => "OFFICIAL",
                _ => "OFFICIAL-SENSITIVE",
            },
            CPS => "OFFICIAL-SENSITIVE",
            EUROPOL | FR => match x {
                0..=74 => "OFFICIAL-SENSITIVE",
                _ => "SECRET",
            },
            _ => match x {
                0..=74 => "OFFICIAL-SENSITIVE",
                75..=97 => "SECRET",
                _ => "TOP SECRET",
            },
        };
        let mut compartments = Vec::new();
        let mut caveats = Vec::new();
        let high = matches!(classification, "SECRET" | "TOP SECRET");
        if (high && r.random_bool(0.7)) || (agency == NCA && r.random_bool(0.12)) {
            compartments.push(GROUPS[g].operation);
        }
        let uk = !matches!(agency, EUROPOL | FR);
        if uk && (classification == "TOP SECRET" || (high && r.random_bool(0.35))) {
            caveats.push("UK EYES ONLY");
        }
        let owner = (agency == NCA && matches!(GROUPS[g].kind, Kind::ChannelSea) && r.random_bool(0.08))
            .then_some("FR-OCRIEST");
        Markings { classification, owner, compartments, caveats }
    }

    fn pick_group(&mut self, day: u32) -> usize {
        let weights: Vec<f64> = (0..GROUPS.len()).map(|g| self.group_weight(g, day)).collect();
        let total: f64 = weights.iter().sum();
        let mut x = self.rng.random::<f64>() * total;
        for (g, w) in weights.iter().enumerate() {
            if x < *w {
                return g;
            }
            x -= w;
        }
        GROUPS.len() - 1
    }

    /// Produces the next report, or `None` when all have been produced.
    pub fn next_report(&mut self) -> Option<Report> {
        if self.produced >= self.total {
            return None;
        }
        let i = self.produced as u64;
        self.produced += 1;
        let base = (i * u64::from(DAYS) / self.total.max(1) as u64) as u32;
        let day = (base + self.rng.random_range(0..3)).min(DAYS - 1);
        let g = self.pick_group(day);
        let t = self.pick_template(g, day);
        let agency = self.pick_agency(t, g);
        let mut d = Draft {
            agency,
            day,
            entities: Vec::new(),
            links: Vec::new(),
            text: String::new(),
            persons: Vec::new(),
            phones: Vec::new(),
            streams: Vec::new(),
        };
        match t {
            Template::Debrief => self.debrief(&mut d, g),
            Template::Surveillance => self.surveillance(&mut d, g),
            Template::Seizure => self.seizure(&mut d, g),
            Template::DocArrest => self.doc_arrest(&mut d, g),
            Template::Financial => self.financial(&mut d, g),
            Template::Liaison => self.liaison(&mut d, g),
            Template::Maritime => self.maritime(&mut d, g),
            Template::Europol => self.europol(&mut d, g),
            Template::Social => self.social(&mut d, g),
            Template::Prosecution => self.prosecution(&mut d, g),
        }
        let (y, _, _) = civil(i64::from(day));
        let seq = self.report_seq.entry((agency, y)).or_insert(0);
        *seq += 1;
        let id = format!("{}-{y}-{:06}", AGENCIES[agency as usize], *seq);
        if let Some(notes) = self.notes.as_mut() {
            notes.push(ReportNote { id: id.clone(), day, group: g, template: t });
        }
        let author = pick(&mut self.rng, &self.authors[agency as usize]).clone();
        let grading = self.grading(agency, day);
        let markings = self.markings(agency, g);
        if d.streams.is_empty() {
            d.streams.extend_from_slice(GROUPS[g].streams);
        }
        let report = Report {
            id,
            agency: AGENCIES[agency as usize],
            author,
            date: iso(i64::from(day)),
            grading,
            markings,
            streams: d.streams,
            routes: GROUPS[g].routes.to_vec(),
            text: d.text,
            entities: d.entities,
            links: d.links,
        };
        self.agencies_seen[agency as usize] = true;
        self.entities += report.entity_count();
        self.links += report.link_count();
        self.statements += report.statements();
        Some(report)
    }

    fn member(&mut self, g: usize, role: Role) -> u32 {
        let v = self.world.groups[g].with_role(role);
        // Senior figures recur: bias towards the first few listed.
        let n = v.len();
        let k =
            if self.rng.random_bool(0.5) { self.rng.random_range(0..n.min(3)) } else { self.rng.random_range(0..n) };
        v[k]
    }

    fn migrant(&mut self, g: usize) -> u32 {
        let v = &self.world.groups[g].migrants;
        v[self.rng.random_range(0..v.len())]
    }

    fn facilitator(&mut self, g: usize) -> u32 {
        let role = *pick(
            &mut self.rng,
            &[Role::Organiser, Role::Organiser, Role::Recruiter, Role::MoneyHandler, Role::Leader],
        );
        self.member(g, role)
    }

    fn fee(&mut self, g: usize) -> (u32, &'static str) {
        let r = &mut self.rng;
        match GROUPS[g].kind {
            Kind::MedSea => (r.random_range(12..=45) * 100, *pick(r, &["EUR", "USD", "USD", "LYD"])),
            Kind::ChannelSea => (r.random_range(10..=30) * 100, *pick(r, &["EUR", "GBP"])),
            Kind::Lorry => (r.random_range(30..=250) * 100, *pick(r, &["GBP", "EUR"])),
            Kind::Documents => (r.random_range(15..=80) * 100, "GBP"),
            Kind::EastMed => (r.random_range(20..=50) * 100, *pick(r, &["EUR", "USD"])),
        }
    }

    fn debrief(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let mid = self.migrant(g);
        let fac = self.facilitator(g);
        let (me, mname) = self.person(d, mid, Detail::Brief);
        if self.rng.random_bool(0.5) {
            let male = self.world.persons[mid as usize].male;
            d.prop(me, "gender", if male { "male" } else { "female" });
        }
        let (fe, fname) = self.person(d, fac, Detail::Name);
        let nick = self.alias(d, fe, fac);
        let (amount, cur) = self.fee(g);
        let place = *pick(&mut self.rng, def.bases);
        let dest = *pick(&mut self.rng, def.destinations);
        let crossing_day = i64::from(d.day) - self.rng.random_range(3..40);
        let pronoun = if self.world.persons[mid as usize].male { "he" } else { "she" };
        let fphones = self.world.persons[fac as usize].phones.clone();
        let phone_text = match fphones.first() {
            Some(ph) => {
                let (pe, written) = self.phone(d, ph);
                d.link("uses", fe, pe);
                format!(", contact number {written}")
            }
            None => String::new(),
        };
        if self.rng.random_bool(0.6) {
            self.event(
                d,
                "payment",
                crossing_day - 10,
                format!("Payment for a crossing from {}", PLACES[place].name),
                PLACES[place].country,
                Some((amount, cur)),
            );
        }
        d.link("paid", me, fe);
        let people = self.rng.random_range(30..90);
        let weeks = self.rng.random_range(1..8);
        let spot = *pick(&mut self.rng, &[1usize, 2, 3]);
        if self.rng.random_bool(0.4) {
            let held = self.address(d, place, spot);
            d.link("sighted_at", me, held);
        }
        let subject = if self.rng.random_bool(0.5) { "Subject".to_string() } else { mname.clone() };
        match (def.kind, self.rng.random_range(0..2)) {
            (Kind::MedSea | Kind::EastMed, 0) => {
                let _ = write!(
                    d.text,
                    "{subject} states {pronoun} paid {} {cur} to a man called {fname} ('{nick}') in {}{phone_text}. {} was held for {weeks} weeks in a {} near {} before departing on {} with about {people} others, arriving at {}.",
                    money(amount),
                    PLACES[place].name,
                    if pronoun == "he" { "He" } else { "She" },
                    SPOTS[spot],
                    PLACES[place].name,
                    long_date(crossing_day),
                    PLACES[dest].name
                );
            }
            (Kind::ChannelSea, _) => {
                let _ = write!(
                    d.text,
                    "{subject} arrived at Dover on a small boat on {}. {} says {fname}, known as '{nick}', organised the launch from the beach near {}{phone_text}. The price was {} {cur}; there were about {} people on the dinghy and the pilot was a passenger given a free place.",
                    long_date(crossing_day),
                    if pronoun == "he" { "He" } else { "She" },
                    PLACES[place].name,
                    money(amount),
                    people / 2 + 20
                );
            }
            _ => {
                let _ = write!(
                    d.text,
                    "Debriefed after arrival. {subject} reports that the journey was arranged by {fname} ('{nick}'){phone_text}. Payment of {} {cur} was made through a hawala agent before leaving {}. {} spent {weeks} weeks in a {} there.",
                    money(amount),
                    PLACES[place].name,
                    if pronoun == "he" { "He" } else { "She" },
                    SPOTS[spot]
                );
            }
        }
        if let Some(v) = self.pick_vessel(g) {
            let ve = self.vessel(d, g, v, false);
            d.link("travelled_on", me, ve);
            let rec = &self.world.groups[g].vessels[v];
            let _ = write!(d.text, " The boat was a {} called '{}'", rec.kind, rec.name);
            match &rec.imo {
                Some(imo) if self.rng.random_bool(0.5) => {
                    let _ = write!(d.text, " (IMO {imo}).");
                }
                _ => d.text.push('.'),
            }
        }
        if self.rng.random_bool(0.35)
            && let Some((ae, handle, service)) = self.account(d, fac)
        {
            d.link("uses", fe, ae);
            let _ = write!(
                d.text,
                " {} first saw the offer on {service} from {handle}.",
                if pronoun == "he" { "He" } else { "She" }
            );
        }
        if self.rng.random_bool(0.3) {
            let other = self.member(g, Role::BoatPilot);
            let (oe, oname) = self.person(d, other, Detail::Name);
            d.link("associate", fe, oe);
            let _ = write!(d.text, " {fname} worked with {oname}, who drove the migrants to the departure point.");
        }
        if let Some(ph) = self.world.persons[mid as usize].phones.first().cloned()
            && self.rng.random_bool(0.5)
        {
            let (pe, written) = self.phone(d, &ph);
            d.link("uses", me, pe);
            let _ = write!(d.text, " The subject's own number is {written}.");
        }
    }

    fn pick_vessel(&mut self, g: usize) -> Option<usize> {
        let n = self.world.groups[g].vessels.len();
        (n > 0 && self.rng.random_bool(0.35)).then(|| self.rng.random_range(0..n))
    }

    fn surveillance(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let a = self.facilitator(g);
        let b = if self.rng.random_bool(0.5) { self.member(g, Role::Logistics) } else { self.facilitator(g) };
        let place = *pick(&mut self.rng, def.bases);
        let spot = self.rng.random_range(0..SPOTS.len());
        let (ae, aname) = self.person(d, a, Detail::Brief);
        let (be, bname) = self.person(d, b, Detail::Name);
        let loc = self.address(d, place, spot);
        d.link("sighted_at", ae, loc);
        d.link("sighted_at", be, loc);
        d.link("associate", ae, be);
        let hh = self.rng.random_range(6..23);
        let mm = self.rng.random_range(0..60);
        let _ = write!(
            d.text,
            "Surveillance log {}: {aname} met {bname} at the {} in {} at {hh:02}:{mm:02}.",
            iso(i64::from(d.day)),
            SPOTS[spot],
            PLACES[place].name
        );
        if let Some((plate, model, country)) = self.world.persons[a as usize].vehicle.clone() {
            let ve = self.vehicle(d, &plate, model, country);
            d.link("uses", ae, ve);
            let _ = write!(d.text, " {aname} arrived in a {model}, registration {plate}.");
        }
        let pa = self.world.persons[a as usize].phones.clone();
        let pb = self.world.persons[b as usize].phones.clone();
        if let (Some(x), Some(y)) = (pa.first(), pb.first())
            && x != y
        {
            let (xe, xw) = self.phone(d, x);
            let (ye, yw) = self.phone(d, y);
            d.link("uses", ae, xe);
            d.link("uses", be, ye);
            d.link("communicated_with", xe, ye);
            let calls = self.rng.random_range(3..60);
            let _ = write!(
                d.text,
                " Telephone {xw}, attributed to {aname}, was in contact with {yw} ({bname}) {calls} times over the preceding week."
            );
        }
        if self.rng.random_bool(0.3) {
            let org = self.org(d, g, Detail::Name);
            d.link("member_of", ae, org);
            let _ = write!(d.text, " Both are assessed to be part of the {}.", def.name);
        }
        let kit = match def.kind {
            Kind::ChannelSea | Kind::EastMed | Kind::MedSea => "outboard engines and life jackets",
            Kind::Lorry => "pallets and bags",
            Kind::Documents => "a laminator and blank document booklets",
        };
        if self.rng.random_bool(0.5) {
            let _ = write!(d.text, " They were seen moving {kit}.");
        }
        if let Some(rel) = self.world.persons[a as usize].relatives.first().copied()
            && self.rng.random_bool(0.3)
        {
            let (re, rname) = self.person(d, rel, Detail::Name);
            d.link("family", ae, re);
            let _ = write!(d.text, " {aname} later returned to an address he shares with {rname}.");
            if let Some(ph) = self.world.persons[rel as usize].phones.first().cloned() {
                let (pe, w) = self.phone(d, &ph);
                d.link("uses", re, pe);
                let _ = write!(d.text, " The household telephone is {w}.");
            }
        }
    }

    fn seizure(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let driver = self.member(g, Role::Driver);
        let (de, dname) = self.person(d, driver, Detail::Full);
        let (plate, model, country) = match self.world.persons[driver as usize].vehicle.clone() {
            Some(v) => v,
            None => (ids::uk_plate(&mut self.rng), "Volvo FH", "GB"),
        };
        let ve = self.vehicle(d, &plate, model, country);
        d.link("uses", de, ve);
        let n = self.rng.random_range(3..25);
        let port = *pick(&mut self.rng, &["Calais", "Dunkirk", "Zeebrugge", "Rotterdam"]);
        let hh = self.rng.random_range(0..24);
        let nat = self.world.persons[driver as usize].nationality;
        let dob = self.dob_as(driver, d.agency).unwrap_or_else(|| "unknown".into());
        let _ = write!(
            d.text,
            "At {hh:02}:{:02} on {} a {model} HGV registration {plate} was examined at Dover Eastern Docks on arrival from {port}. {n} clandestine entrants were found concealed in the trailer. The driver, {dname} ({nat}, born {dob}), was arrested.",
            self.rng.random_range(0..60),
            long_date(i64::from(d.day))
        );
        let ev = self.event(
            d,
            "seizure",
            i64::from(d.day),
            format!("{n} clandestine entrants found in HGV {plate}"),
            "GB",
            None,
        );
        let _ = ev;
        for _ in 0..self.rng.random_range(1..3) {
            let m = self.migrant(g);
            let (me, mname) = self.person(d, m, Detail::Brief);
            d.link("travelled_on", me, ve);
            let _ = write!(d.text, " {mname} was among them.");
        }
        if let Some(ph) = self.world.persons[driver as usize].phones.first().cloned() {
            let (pe, w) = self.phone(d, &ph);
            d.link("uses", de, pe);
            let contact = self.member(g, Role::Organiser);
            let (ce, cname) = self.person(d, contact, Detail::Name);
            if let Some(cp) = self.world.persons[contact as usize].phones.first().cloned() {
                let (cpe, cw) = self.phone(d, &cp);
                d.link("uses", ce, cpe);
                d.link("communicated_with", pe, cpe);
                let _ = write!(
                    d.text,
                    " Download of the driver's phone ({w}) shows repeated calls to {cw}, saved as '{}', attributed to {cname}.",
                    names::nickname(self.world.persons[contact as usize].culture, "Boss", u64::from(contact))
                );
            } else {
                d.link("communicated_with", de, ce);
            }
        }
        d.stream("facilitation_land");
        d.stream("clandestine_entry");
        let _ = def;
    }

    fn doc_arrest(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let m = self.migrant(g);
        let (me, mname) = self.person(d, m, Detail::Full);
        let p = self.world.persons[m as usize].clone();
        let forger = self.member(g, Role::Forger);
        let visa = def.kind == Kind::Documents && self.rng.random_bool(0.35);
        if visa {
            // Abuse of legitimate entry: a sponsored visit visa.
            let sponsor = *pick(&mut self.rng, &self.world.groups[g].associates);
            let (se, sname) = self.person(d, sponsor, Detail::Brief);
            d.link("associate", me, se);
            let _ = write!(
                d.text,
                "{mname} entered the UK at London Stansted on a six-month visit visa sponsored by {sname}, and claimed asylum {} weeks later.",
                self.rng.random_range(2..20)
            );
            if let Some(email) = self.world.persons[sponsor as usize].email.clone() {
                let ee = find_or_add(d, "Email", "address", &email);
                d.link("uses", se, ee);
                let _ = write!(d.text, " The sponsor's e-mail on the application was {email}.");
            }
            if let Some((iban, bank)) = self.world.persons[sponsor as usize].ibans.first().cloned() {
                let (ie, w) = self.iban(d, &iban, bank);
                d.link("owns", se, ie);
                let (amount, _) = self.fee(g);
                let _ = write!(
                    d.text,
                    " Bank statement shows {} GBP paid into {w}, the sponsor's account, to fund the application.",
                    money(amount)
                );
            }
            d.stream("abuse_of_legitimate_entry");
            return;
        }
        let status = *pick(&mut self.rng, &["forged", "counterfeit", "impostor", "fraudulently_obtained"]);
        let issuer = *pick(&mut self.rng, &["IT", "FR", "BE", "GR", "GB"]);
        let number = ids::passport_number(issuer, &mut self.rng);
        let printed_as = if status == "impostor" {
            let other = self.world.persons[self.rng.random_range(0..self.world.persons.len())].clone();
            if other.culture == p.culture { Some((other.culture, other.male, other.given, other.family)) } else { None }
        } else {
            None
        };
        let pp = Passport {
            number,
            issuer,
            status,
            expiry: (
                self.rng.random_range(2026..=2034),
                self.rng.random_range(1..=12u8),
                self.rng.random_range(1..=28u8),
            ),
            printed_as,
        };
        let with_mrz = self.rng.random_bool(0.7);
        let (doc, mrz) = self.passport_entity(d, m, &pp, with_mrz);
        d.link("uses", me, doc);
        let port = *pick(
            &mut self.rng,
            &[
                "London Heathrow",
                "London Stansted",
                "Birmingham Airport",
                "Dover Eastern Docks",
                "the Coquelles juxtaposed control",
            ],
        );
        let _ = write!(
            d.text,
            "{mname} was stopped at {port} presenting {} passport number {}, examined and assessed as {}.",
            issuer_adj(issuer),
            pp.number,
            status.replace('_', " ")
        );
        if let Some((l1, l2)) = mrz {
            let _ = write!(d.text, " MRZ as read:\n{l1}\n{l2}\n");
        }
        if let Some(own) = &p.passport
            && self.rng.random_bool(0.4)
        {
            let (oe, _) = self.passport_entity(d, m, own, false);
            d.link("owns", me, oe);
            let _ = write!(
                d.text,
                " A genuine {} passport {} in the subject's own name was found in luggage.",
                ids::alpha3(own.issuer),
                own.number
            );
        }
        if self.rng.random_bool(0.6) {
            let (fe, fname) = self.person(d, forger, Detail::Name);
            let (amount, cur) = self.fee(g);
            d.link("paid", me, fe);
            let place = *pick(&mut self.rng, def.bases);
            let _ = write!(
                d.text,
                " Subject says the document was supplied by {fname} in {} for {} {cur}",
                PLACES[place].name,
                money(amount)
            );
            if let Some(ph) = self.world.persons[forger as usize].phones.first().cloned() {
                let (pe, w) = self.phone(d, &ph);
                d.link("uses", fe, pe);
                let _ = write!(d.text, ", contact {w}");
            }
            d.text.push('.');
            if self.rng.random_bool(0.4) {
                let org = self.org(d, g, Detail::Name);
                d.link("member_of", fe, org);
            }
        }
        d.stream("false_documentation");
        if def.kind != Kind::Documents {
            d.stream("clandestine_entry");
        }
    }

    fn financial(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let h = self.member(g, Role::MoneyHandler);
        let (he, hname) = self.person(d, h, Detail::Brief);
        let person = self.world.persons[h as usize].clone();
        let d1 = i64::from(d.day) - self.rng.random_range(30..120);
        let payments = self.rng.random_range(4..60);
        let (unit, cur) = self.fee(g);
        let total = unit * payments;
        let _ = write!(d.text, "Financial intelligence: {hname}");
        match person.ibans.first() {
            Some((iban, bank)) => {
                let (ie, w) = self.iban(d, iban, *bank);
                d.link("owns", he, ie);
                let _ = write!(
                    d.text,
                    " holds account {w} ({}), which received {payments} payments totalling {} {cur} between {} and {}, consistent with hawala settlement for crossings.",
                    BANKS[*bank].name,
                    money(total),
                    long_date(d1),
                    long_date(i64::from(d.day))
                );
                if let Some((iban2, bank2)) = person.ibans.get(1) {
                    let (ie2, w2) = self.iban(d, iban2, *bank2);
                    d.link("owns", he, ie2);
                    let _ = write!(d.text, " Funds were moved on to {w2}.");
                }
            }
            None => {
                let _ = write!(
                    d.text,
                    " operates a hawala ledger settling {payments} payments worth {} {cur}.",
                    money(total)
                );
            }
        }
        if let Some(email) = person.email.clone() {
            let ee = find_or_add(d, "Email", "address", &email);
            d.link("uses", he, ee);
            let _ = write!(d.text, " The account was opened with the e-mail address {email}.");
        }
        if let Some(w) = person.wallet {
            let (addr, currency) = WALLETS[w];
            let we = find_or_add(d, "CryptoWallet", "publicKey", addr);
            d.prop(we, "currency", currency);
            d.link("owns", he, we);
            let _ = write!(d.text, " A {currency} address {addr} was recovered from {hname}'s phone.");
        }
        for _ in 0..self.rng.random_range(1..3) {
            let payer = if self.rng.random_bool(0.5) {
                self.migrant(g)
            } else {
                *pick(&mut self.rng, &self.world.groups[g].associates)
            };
            let (pe, pname) = self.person(d, payer, Detail::Name);
            d.link("paid", pe, he);
            let amount = unit + self.rng.random_range(0..10) * 50;
            let when = d1 + self.rng.random_range(0..60);
            let ev = self.event(d, "payment", when, format!("Payment by {pname}"), def.country, Some((amount, cur)));
            d.link("paid", pe, ev);
        }
        if self.rng.random_bool(0.5) {
            let boss = self.member(g, Role::Leader);
            let (be, bname) = self.person(d, boss, Detail::Name);
            d.link("associate", he, be);
            let _ = write!(d.text, " The handler reports to {bname}.");
        }
    }

    fn liaison(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let org = self.org(d, g, Detail::Brief);
        let o = self.member(g, Role::Organiser);
        let (oe, oname) = self.person(d, o, Detail::Brief);
        d.link("member_of", oe, org);
        let place = *pick(&mut self.rng, def.bases);
        let n = self.rng.random_range(40..400);
        let city = match def.country {
            "LY" => "Tripoli",
            "TN" => "Tunis",
            "TR" => "Istanbul",
            "AL" => "Tirana",
            _ => "Paris",
        };
        let _ = write!(
            d.text,
            "ILO {city} reports that the {} is preparing a departure of about {n} people from {}.",
            def.name, PLACES[place].name
        );
        let vessels = self.world.groups[g].vessels.len();
        if vessels > 0 {
            let v = self.rng.random_range(0..vessels);
            let ve = self.vessel(d, g, v, true);
            let rec = self.world.groups[g].vessels[v].clone();
            let (owner_e, owner_name) = self.person(d, rec.owner, Detail::Name);
            d.link("owns", owner_e, ve);
            let loc = self.address(d, place, 4);
            d.link("sighted_at", ve, loc);
            let _ = write!(d.text, " The {} '{}'", rec.kind, rec.name);
            if let Some(imo) = &rec.imo {
                let _ = write!(d.text, " (IMO {imo}, MMSI {})", rec.mmsi);
            } else {
                let _ = write!(d.text, " (MMSI {})", rec.mmsi);
            }
            let _ = write!(d.text, ", owned through {owner_name}, is moored in the port area.");
        }
        if let Some(ph) = self.world.persons[o as usize].phones.first().cloned() {
            let (pe, w) = self.phone(d, &ph);
            d.link("uses", oe, pe);
            let _ = write!(d.text, " The organiser, {oname}, uses {w}.");
        }
        if self.rng.random_bool(0.6) {
            let l = self.member(g, Role::Leader);
            let (le, lname) = self.person(d, l, Detail::Name);
            d.link("member_of", le, org);
            let _ = write!(d.text, " {lname} is believed to control the group's launches.");
        }
        if def.kind == Kind::Documents {
            d.stream("false_documentation");
        }
    }

    fn maritime(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let pilot = self.member(g, Role::BoatPilot);
        let n = self.rng.random_range(20..80);
        let hh = self.rng.random_range(0..24);
        if def.kind == Kind::ChannelSea {
            let craft_n = self.next_event[d.agency as usize];
            let craft = d.add(Some(format!("{}:CRAFT-{craft_n:06}", AGENCIES[d.agency as usize])), "Vessel");
            self.next_event[d.agency as usize] += 1;
            d.prop(craft, "type", "rubber dinghy");
            let (pe, pname) = self.person(d, pilot, Detail::Brief);
            d.link("travelled_on", pe, craft);
            let ev = self.event(
                d,
                "interception",
                i64::from(d.day),
                format!("Small boat with {n} people intercepted in the Dover Strait"),
                "GB",
                None,
            );
            let _ = ev;
            let _ = write!(
                d.text,
                "At {hh:02}:{:02} Border Force intercepted a rubber dinghy carrying {n} people in the Dover Strait and brought it to Dover. Passengers identified {pname} as the pilot; he was arrested under section 25 of the Immigration Act 1971.",
                self.rng.random_range(0..60)
            );
            if let Some(ph) = self.world.persons[pilot as usize].phones.first().cloned() {
                let (phe, w) = self.phone(d, &ph);
                d.link("uses", pe, phe);
                let _ = write!(d.text, " His phone, {w}, was seized.");
            }
            let launch = *pick(&mut self.rng, def.bases);
            let loc = self.address(d, launch, 0);
            d.link("sighted_at", pe, loc);
            let _ = write!(d.text, " The boat launched from {}.", PLACES[launch].name);
            return;
        }
        let vessels = self.world.groups[g].vessels.len();
        let v = self.rng.random_range(0..vessels.max(1));
        if vessels == 0 {
            return self.debrief(d, g);
        }
        let ve = self.vessel(d, g, v, true);
        let rec = self.world.groups[g].vessels[v].clone();
        let from = *pick(&mut self.rng, def.bases);
        let nm = self.rng.random_range(5..60);
        let kind = *pick(&mut self.rng, &["sighting", "interception"]);
        let _ = write!(
            d.text,
            "The {} '{}', MMSI {}, flag {}, was observed by aerial surveillance {nm} nautical miles off {} with about {n} people on deck; its AIS transmissions stopped at {hh:02}:{:02}.",
            rec.kind,
            rec.name,
            rec.mmsi,
            rec.flag,
            PLACES[from].name,
            self.rng.random_range(0..60)
        );
        if let Some(imo) = &rec.imo {
            let _ = write!(d.text, " Registered IMO number {imo}.");
        }
        let ev = self.event(
            d,
            kind,
            i64::from(d.day),
            format!("{} with about {n} people {nm} nm off {}", rec.kind, PLACES[from].name),
            PLACES[from].country,
            None,
        );
        let _ = ev;
        if self.rng.random_bool(0.6) {
            let (pe, pname) = self.person(d, pilot, Detail::Brief);
            d.link("travelled_on", pe, ve);
            let _ = write!(d.text, " Survivors later named {pname} as the captain.");
        }
        d.stream("facilitation_sea");
    }

    fn europol(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let org_detail = if self.rng.random_bool(0.3) { Detail::Full } else { Detail::Brief };
        let org = self.org(d, g, org_detail);
        let leader = self.member(g, Role::Leader);
        let (le, lname) = self.person(d, leader, Detail::Full);
        d.link("member_of", le, org);
        let o1 = self.member(g, Role::Organiser);
        let (oe, oname) = self.person(d, o1, Detail::Brief);
        d.link("member_of", oe, org);
        let _ = write!(
            d.text,
            "Operational analysis report: the {} is led by {lname}, with {oname} as an organiser.",
            def.name
        );
        let lp = self.world.persons[leader as usize].phones.clone();
        let op = self.world.persons[o1 as usize].phones.clone();
        if let (Some(x), Some(y)) = (lp.last(), op.first())
            && x != y
        {
            let (xe, xw) = self.phone(d, x);
            let (ye, yw) = self.phone(d, y);
            d.link("uses", le, xe);
            d.link("uses", oe, ye);
            d.link("communicated_with", xe, ye);
            let _ = write!(
                d.text,
                " Telephones {xw} and {yw} were in contact {} times during the month.",
                self.rng.random_range(10..200)
            );
        }
        if self.rng.random_bool(0.5) {
            let x = self.facilitator(g);
            let (xe, xname) = self.person(d, x, Detail::Name);
            d.link("member_of", xe, org);
            if let Some((ae, handle, service)) = self.account(d, x) {
                d.link("uses", xe, ae);
                let _ = write!(d.text, " {xname} recruits customers through the {service} account {handle}.");
            } else {
                let _ = write!(d.text, " {xname} is also a member.");
            }
        }
        let handler = self.member(g, Role::MoneyHandler);
        if let Some(w) = self.world.persons[handler as usize].wallet {
            let (he, hname) = self.person(d, handler, Detail::Name);
            d.link("member_of", he, org);
            let (addr, currency) = WALLETS[w];
            let we = find_or_add(d, "CryptoWallet", "publicKey", addr);
            d.prop(we, "currency", currency);
            d.link("owns", he, we);
            let _ = write!(d.text, " Proceeds are converted to {currency} at {addr}, controlled by {hname}.");
        }
    }

    fn social(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let r = self.member(g, Role::Recruiter);
        let (re, rname) = self.person(d, r, Detail::Name);
        let (amount, cur) = self.fee(g);
        let from = *pick(&mut self.rng, def.bases);
        let to = *pick(&mut self.rng, def.destinations);
        match self.account(d, r) {
            Some((ae, handle, service)) => {
                d.link("uses", re, ae);
                let _ = write!(
                    d.text,
                    "Open-source monitoring: the {service} account {handle} advertised 'safe and fast' crossings from {} to {} for {} {cur}.",
                    PLACES[from].name,
                    PLACES[to].name,
                    money(amount)
                );
            }
            None => {
                let _ = write!(
                    d.text,
                    "Open-source monitoring: a post in a closed group advertised crossings from {} to {} for {} {cur}.",
                    PLACES[from].name,
                    PLACES[to].name,
                    money(amount)
                );
            }
        }
        if let Some(ph) = self.world.persons[r as usize].phones.first().cloned() {
            let (pe, w) = self.phone(d, &ph);
            d.link("uses", re, pe);
            let _ = write!(d.text, " Contact given: {w} (WhatsApp).");
        }
        if let Some(email) = self.world.persons[r as usize].email.clone() {
            let ee = find_or_add(d, "Email", "address", &email);
            d.link("uses", re, ee);
            let _ = write!(d.text, " Payment details are sent from {email}.");
        }
        let _ = write!(d.text, " The account is attributed to {rname}.");
        if self.rng.random_bool(0.4) {
            let org = self.org(d, g, Detail::Name);
            d.link("member_of", re, org);
        }
    }

    fn prosecution(&mut self, d: &mut Draft, g: usize) {
        let def = &GROUPS[g];
        let org = self.org(d, g, Detail::Brief);
        let n = self.rng.random_range(1..4);
        let mut names_written = Vec::new();
        let mut first_phone = None;
        for k in 0..n {
            let role = *pick(&mut self.rng, &[Role::BoatPilot, Role::Driver, Role::Logistics, Role::Organiser]);
            let pid = if k == 0 { self.facilitator(g) } else { self.member(g, role) };
            let (e, name) = self.person(d, pid, Detail::Full);
            d.link("member_of", e, org);
            if let Some(dob) = self.dob_as(pid, CPS) {
                names_written.push(format!("{name} (born {dob})"));
            } else {
                names_written.push(name);
            }
            if first_phone.is_none()
                && let Some(ph) = self.world.persons[pid as usize].phones.first().cloned()
            {
                let (pe, w) = self.phone(d, &ph);
                d.link("uses", e, pe);
                first_phone = Some(w);
            }
        }
        let convicted = g == DISRUPTED_GROUP && d.day > DISRUPTION_DAY + 60 && self.rng.random_bool(0.6);
        let who = names_written.join(" and ");
        if convicted {
            let _ = write!(
                d.text,
                "Case result: {who} convicted at Canterbury Crown Court of conspiracy to facilitate a breach of immigration law (section 25, Immigration Act 1971) as members of the {}; sentences totalling {} years.",
                def.name,
                self.rng.random_range(4..40)
            );
            self.event(d, "arrest", i64::from(DISRUPTION_DAY), format!("Arrests in {}", def.operation), "GB", None);
        } else {
            let _ = write!(
                d.text,
                "Charging decision: {who} charged with conspiracy to facilitate a breach of immigration law contrary to section 25 of the Immigration Act 1971, as members of the {}.",
                def.name
            );
        }
        if let Some(w) = first_phone {
            let _ = write!(d.text, " Evidence includes cell-site and download data for {w}.");
        }
    }
}

/// Folds Vietnamese letters with diacritics to plain ASCII (as most UK systems store them).
fn fold_vietnamese(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            'ă' | 'â' | 'á' | 'à' | 'ạ' | 'ấ' | 'ầ' | 'ậ' | 'ả' | 'ã' => 'a',
            'ê' | 'é' | 'è' | 'ế' | 'ề' | 'ệ' => 'e',
            'ô' | 'ơ' | 'ó' | 'ò' | 'ồ' | 'ố' | 'ộ' | 'ỗ' | 'ờ' | 'ớ' => 'o',
            'ư' | 'ú' | 'ù' | 'ũ' | 'ụ' | 'ứ' | 'ừ' => 'u',
            'í' | 'ì' | 'ị' | 'ĩ' => 'i',
            'Đ' => 'D',
            'đ' => 'd',
            other if other.is_ascii() => other,
            _ => 'a',
        })
        .collect()
}

fn issuer_adj(alpha2: &str) -> &'static str {
    match alpha2 {
        "IT" => "an Italian",
        "FR" => "a French",
        "BE" => "a Belgian",
        "GR" => "a Greek",
        _ => "a British",
    }
}

/// Finds the identifier entity of `schema` whose `key` is `value` in the draft, or adds it.
fn find_or_add(d: &mut Draft, schema: &'static str, key: &'static str, value: &str) -> usize {
    if let Some(e) = d.entities.iter().position(|e| {
        e.id.is_none()
            && e.schema == schema
            && e.properties.0.iter().any(|(k, v)| *k == key && v.iter().any(|x| x == value))
    }) {
        return e;
    }
    let e = d.add(None, schema);
    d.prop(e, key, value.to_string());
    e
}
