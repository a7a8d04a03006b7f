//! Entity resolution over the store: builds the engine's plain records from
//! the statements, runs `tessera_resolve` as a system process over every
//! entity (full) or over the part a new ingest touched (incremental), keeps
//! the resulting clusters and the possible matches for review, turns
//! analysts' decisions into statements, and reads all of it back through the
//! access policy.
//!
//! What is resolved: persons, organisations, vessels and vehicles
//! ([`EntityKind::is_resolved`]). Phones, e-mails, identity documents,
//! accounts and wallets need no engine: ingest derives their entity id from
//! the normalised identifier (`phone:+447700900123`), so every report that
//! carries the identifier already names the same entity, a cluster of one.
//!
//! Access: a run reads everything (it must, to find matches across
//! agencies), but nothing it writes is read without the viewer's
//! [`Visibility`]: a cluster shows only the members the viewer sees, merged
//! statements only visible statements, and a possible match only when the
//! viewer may see every marking its two records were built from (so neither
//! the evidence nor the score rests on anything hidden).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use tessera_access::Viewer;
use tessera_model::report::{PropertyValue, ReportEntity};
use tessera_model::schema::{DIFFERENT_FROM, LinkType, SAME_AS};
use tessera_model::{Classification, EntityKind, Grading, Handling, Markings, Report, names};
use tessera_resolve::{Config, Record, Role, Ruling, Schema, Verdict};

use crate::read::{caption, visible_statements};
use crate::visibility::Visibility;
use crate::{AuditEvent, StoreError, StoredStatement};

/// Below this probability a match goes to the review queue; at or above it the engine's
/// clustering is trusted without review (a pair the cluster check kept apart is queued whatever its score).
pub const REVIEW_BELOW: f64 = 0.99;

/// From this probability a pair goes to the review queue even though it is not clustered. Measured on
/// the 1,200-report scenario (`cli/tests/resolution_quality.rs`): the true person pairs an analyst
/// reaches (clustered, or queued) rise from 55 % at 0.5 to 78 % at 0.1, 79 % at 0.05 and 86 % at
/// 0.02, while the 2,400-report demo's queue grows from 615 to 1,293, 1,466 and 1,992 pairs; most
/// pairs below 0.1 rest on a name alone. The queue lists the likeliest first.
pub const REVIEW_FROM: f64 = 0.1;

/// Unrelated records of the same kind an incremental run gives the engine as training context.
pub const TRAINING_CONTEXT: usize = 500;

/// What a cluster link rests on, as clauses of marking ids: a viewer may follow the link only if
/// every clause has at least one marking the viewer may see (each clause is one piece of evidence,
/// and any statement carrying it will do).
type Clauses = Vec<Vec<i64>>;

/// Reads a cluster link's stored evidence: clauses (`[[1, 2], [3]]`), or the flat list of an earlier
/// store (`[1, 3]`: every marking needed, one clause each).
fn parse_clauses(stored: &str) -> Result<Clauses, StoreError> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("cluster link markings: {e}"));
    match serde_json::from_str::<Clauses>(stored) {
        Ok(clauses) => Ok(clauses),
        Err(_) => Ok(serde_json::from_str::<Vec<i64>>(stored).map_err(corrupt)?.into_iter().map(|m| vec![m]).collect()),
    }
}

/// Whether the viewer may follow a link resting on these clauses.
fn clauses_visible(clauses: &Clauses, visibility: &Visibility) -> bool {
    clauses.iter().all(|clause| clause.iter().any(|m| visibility.get(*m).is_some()))
}

/// Where the values of one field of a record come from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// A property of the entity itself.
    Property(&'static str),
    /// A `uses` link to an identifier entity whose id starts with this prefix; the value is the rest of the id.
    Uses(&'static str),
    /// Links of this type from other entities to this one; the values are the linking entities' ids
    /// (an organisation's members), given to the engine as their clusters once those are resolved.
    Inbound(LinkType),
}

/// One field of the records of a kind: its name, the engine role, and where its value is read from
/// (the first source with any value wins; among its values, the most frequent; for an
/// organisation's names, every value of every source, most frequent first).
struct FieldSpec {
    name: &'static str,
    role: Role,
    sources: &'static [Source],
}

const fn field(name: &'static str, role: Role, sources: &'static [Source]) -> FieldSpec {
    FieldSpec { name, role, sources }
}

use Source::{Inbound as I, Property as P, Uses as U};

const PERSON: &[FieldSpec] = &[
    field("name", Role::FullName, &[P("name"), P("alias")]),
    field("firstName", Role::GivenName, &[P("firstName")]),
    field("lastName", Role::Surname, &[P("lastName")]),
    field("birthDate", Role::BirthDate, &[P("birthDate")]),
    field("nationality", Role::Nationality, &[P("nationality")]),
    field("gender", Role::Sex, &[P("gender")]),
    field("phone", Role::Phone, &[U("phone:")]),
    field("document", Role::DocumentNumber, &[P("passportNumber"), P("idNumber"), U("document:")]),
];
const ORGANIZATION: &[FieldSpec] = &[
    field("name", Role::OrganisationName, &[P("name"), P("alias")]),
    field("country", Role::Nationality, &[P("country")]),
    field("registrationNumber", Role::DocumentNumber, &[P("registrationNumber")]),
    field("phone", Role::Phone, &[U("phone:")]),
    field("members", Role::Members, &[I(LinkType::MemberOf)]),
];
const VESSEL: &[FieldSpec] = &[
    field("name", Role::FullName, &[P("name")]),
    field("imoNumber", Role::DocumentNumber, &[P("imoNumber")]),
    field("mmsi", Role::Other, &[P("mmsi")]),
    field("callSign", Role::Other, &[P("callSign")]),
    field("flag", Role::Nationality, &[P("flag")]),
];
const VEHICLE: &[FieldSpec] = &[
    field("registrationNumber", Role::DocumentNumber, &[P("registrationNumber")]),
    field("model", Role::Other, &[P("model")]),
    field("country", Role::Nationality, &[P("country")]),
];

/// The fields of the records of a resolved kind (empty for the others).
fn fields_of(kind: EntityKind) -> &'static [FieldSpec] {
    match kind {
        EntityKind::Person => PERSON,
        EntityKind::Organization => ORGANIZATION,
        EntityKind::Vessel => VESSEL,
        EntityKind::Vehicle => VEHICLE,
        _ => &[],
    }
}

/// The engine schema of a kind.
fn schema_of(kind: EntityKind) -> Schema {
    Schema::new(fields_of(kind).iter().map(|f| (f.name, f.role)))
}

/// The kinds that are resolved, in run order.
const RESOLVED: [EntityKind; 4] =
    [EntityKind::Person, EntityKind::Organization, EntityKind::Vessel, EntityKind::Vehicle];

/// Everything read about one entity for its record.
#[derive(Debug, Default)]
struct Gathered {
    /// Values by source key ("name", "uses:phone:"), in statement order.
    values: HashMap<String, Vec<String>>,
    /// Marking ids of every statement the record may be built from.
    markings: BTreeSet<i64>,
    /// The marking id of each value in `values`, in the same order.
    value_markings: HashMap<String, Vec<i64>>,
}

fn source_key(source: &Source) -> String {
    match source {
        Source::Property(p) => (*p).to_string(),
        Source::Uses(prefix) => format!("uses:{prefix}"),
        Source::Inbound(link) => format!("inbound:{}", link.name()),
    }
}

/// Every distinct value, most frequent first (the first seen first among equals).
fn by_frequency<'v>(values: impl IntoIterator<Item = &'v String>) -> Vec<&'v str> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (order, v) in values.into_iter().enumerate() {
        counts.entry(v.as_str()).or_insert((0, order)).0 += 1;
    }
    let mut distinct: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
    distinct.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
    distinct.into_iter().map(|(v, _)| v).collect()
}

/// The most frequent value (the first seen among equals).
fn most_frequent(values: &[String]) -> String {
    by_frequency(values).first().map_or_else(String::new, |v| (*v).to_string())
}

impl Gathered {
    /// The record's field values, in the kind's field order.
    fn fields(&self, kind: EntityKind) -> Vec<String> {
        fields_of(kind)
            .iter()
            .map(|f| {
                if matches!(f.role, Role::OrganisationName | Role::Members) {
                    // Every name and alias (every member): the engine compares each of one record with
                    // each of the other.
                    let all = f.sources.iter().filter_map(|s| self.values.get(&source_key(s))).flatten();
                    return tessera_resolve::organisation::join(by_frequency(all));
                }
                f.sources
                    .iter()
                    .find_map(|s| self.values.get(&source_key(s)).filter(|v| !v.is_empty()))
                    .map(|v| most_frequent(v))
                    .unwrap_or_default()
            })
            .collect()
    }

    /// For each field of the record, the evidence its value rests on as clauses: the marking ids of
    /// the statements carrying the chosen value (one clause: any of them will do), or for
    /// multi-valued fields one such clause per distinct value. A link that rests on a field's
    /// agreement needs one visible statement in every clause.
    fn field_clauses(&self, kind: EntityKind) -> Vec<Clauses> {
        let fields = self.fields(kind);
        fields_of(kind)
            .iter()
            .zip(&fields)
            .map(|(f, chosen)| {
                let multi = matches!(f.role, Role::OrganisationName | Role::Members);
                let keys: Vec<String> = if multi {
                    f.sources.iter().map(source_key).collect()
                } else {
                    f.sources
                        .iter()
                        .map(source_key)
                        .find(|k| self.values.get(k).is_some_and(|v| !v.is_empty()))
                        .into_iter()
                        .collect()
                };
                let mut by_value: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
                for key in &keys {
                    let (Some(values), Some(marks)) = (self.values.get(key), self.value_markings.get(key)) else {
                        continue;
                    };
                    for (v, m) in values.iter().zip(marks) {
                        if multi || v == chosen {
                            by_value.entry(v.as_str()).or_default().insert(*m);
                        }
                    }
                }
                by_value.into_values().map(|c| c.into_iter().collect()).collect()
            })
            .collect()
    }

    /// Records a value and the marking of the statement it came from.
    fn push(&mut self, key: String, value: String, marking: i64) {
        self.value_markings.entry(key.clone()).or_default().push(marking);
        self.values.entry(key).or_default().push(value);
        self.markings.insert(marking);
    }
}

/// What the store holds for resolution: every resolved entity's gathered values, and the decisions.
struct Holdings {
    entities: BTreeMap<String, (EntityKind, Gathered)>,
    rulings: Vec<Ruling>,
    /// The highest statement id read.
    last_statement: i64,
}

/// Reads every statement a record may be built from, and every decision, up to the newest statement now stored.
fn gather(conn: &Connection) -> Result<Holdings, StoreError> {
    let last_statement: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM statements", [], |r| r.get(0))?;
    let kinds: Vec<String> = RESOLVED.iter().map(|k| format!("'{}'", k.name())).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT e.id, e.kind, s.property, s.value, r.marking FROM statements s
         JOIN entities e ON e.rowid = s.entity JOIN reports r ON r.rowid = s.report
         WHERE s.id <= ?1 AND e.kind IN ({}) ORDER BY s.id",
        kinds.join(", ")
    ))?;
    let mut rows = stmt.query([last_statement])?;
    let mut entities: BTreeMap<String, (EntityKind, Gathered)> = BTreeMap::new();
    let mut rulings = Vec::new();
    // Inbound links a record is built from: (target, source key, linking entity, marking).
    let mut inbound: Vec<(String, String, String, i64)> = Vec::new();
    let inbound_links: Vec<LinkType> = RESOLVED
        .iter()
        .flat_map(|k| fields_of(*k).iter().flat_map(|f| f.sources))
        .filter_map(|s| match s {
            Source::Inbound(link) => Some(*link),
            _ => None,
        })
        .collect();
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let kind_name: String = row.get(1)?;
        let property: String = row.get(2)?;
        let value: String = row.get(3)?;
        let marking: i64 = row.get(4)?;
        let kind = EntityKind::from_name(&kind_name).ok_or_else(|| StoreError::Corrupt(format!("kind {kind_name}")))?;
        if property == SAME_AS || property == DIFFERENT_FROM {
            let verdict = if property == SAME_AS { Verdict::Same } else { Verdict::Different };
            rulings.push(Ruling { left: id, right: value, verdict });
            continue;
        }
        if let Some(link) = inbound_links.iter().find(|l| l.name() == property) {
            inbound.push((value.clone(), source_key(&Source::Inbound(*link)), id.clone(), marking));
        }
        let key = fields_of(kind).iter().flat_map(|f| f.sources).find_map(|s| match s {
            Source::Property(p) if *p == property => Some(source_key(s)),
            Source::Uses(prefix) if property == "uses" && value.starts_with(prefix) => Some(source_key(s)),
            _ => None,
        });
        let entry = entities.entry(id).or_insert_with(|| (kind, Gathered::default()));
        if let Some(key) = key {
            let value = match s_prefix(&key) {
                Some(prefix) => value.strip_prefix(prefix).unwrap_or(&value).to_string(),
                None => value,
            };
            entry.1.push(key, value, marking);
        }
    }
    for (target, key, from, marking) in inbound {
        if let Some((kind, g)) = entities.get_mut(&target)
            && fields_of(*kind).iter().flat_map(|f| f.sources).any(|s| source_key(s) == key)
        {
            g.push(key, from, marking);
        }
    }
    Ok(Holdings { entities, rulings, last_statement })
}

/// The identifier prefix of a `uses:` source key.
fn s_prefix(key: &str) -> Option<&str> {
    key.strip_prefix("uses:")
}

/// Keys that bring records together for an incremental run: name token keys, full birth dates
/// and identifiers. Two records that share none are not compared by the engine's blocking either
/// (its rules block on names, dates and identifiers), so re-running only the neighbourhood loses nothing that matters.
fn neighbour_keys(kind: EntityKind, fields: &[String]) -> Vec<String> {
    let mut keys = Vec::new();
    for (spec, value) in fields_of(kind).iter().zip(fields) {
        if value.is_empty() {
            continue;
        }
        match spec.role {
            Role::FullName | Role::GivenName | Role::Surname => {
                keys.extend(names::name_keys(value).into_iter().map(|k| format!("{}:n:{k}", kind.name())));
            }
            Role::OrganisationName => {
                // The distinctive words the engine blocks on, and whole names made of generic words only.
                let distinctive = tessera_resolve::organisation::distinctive_keys(value);
                keys.extend(distinctive.iter().map(|k| format!("{}:o:{k}", kind.name())));
                for name in tessera_resolve::organisation::split(value) {
                    if tessera_resolve::organisation::distinctive_keys(name).is_empty() {
                        keys.push(format!("{}:o:={}", kind.name(), names::fold(name)));
                    }
                }
            }
            Role::BirthDate if value.len() >= 10 => keys.push(format!("{}:d:{value}", kind.name())),
            Role::Phone | Role::DocumentNumber | Role::Other => {
                keys.push(format!("{}:{}:{}", kind.name(), spec.name, value.to_uppercase()))
            }
            _ => {}
        }
    }
    keys
}

/// Whether a run re-resolves everything or only what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    /// Every resolved entity.
    Full,
    /// The entities with statements added since the last run, their neighbours and their clusters.
    Incremental,
}

/// What a resolution run did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolutionRun {
    /// How it ran (an incremental request runs in full when there was no earlier run, or most entities changed).
    pub mode: RunMode,
    /// Entities with statements since the last run (all of them in a full run).
    pub changed_entities: usize,
    /// Records re-resolved: their clusters are rewritten.
    pub records: usize,
    /// Unrelated records given to the engine beside them in an incremental run, so that it trains on enough data.
    pub context: usize,
    /// Resolved entities in the store.
    pub entities: usize,
    /// Clusters with more than one member, in the whole store after the run.
    pub clusters: usize,
    /// Clusters created or whose membership changed in this run.
    pub clusters_changed: usize,
    /// Possible matches open for review after the run.
    pub open_candidates: usize,
    /// Analysts' decisions obeyed.
    pub rulings: usize,
    /// Of the decisions on pairs of this run, those the model learnt from
    /// (as pairs whose answer it knew).
    pub learnt_from: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Of which reading the holdings and building the records.
    pub read_seconds: f64,
}

/// The answer of a run that found nothing new (not recorded as a run: it covered nothing).
fn unchanged(conn: &Connection, started: Instant) -> Result<ResolutionRun, StoreError> {
    let (entities, clusters, open, rulings): (i64, i64, i64, i64) = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM clusters),
                (SELECT COUNT(*) FROM (SELECT cluster FROM clusters GROUP BY cluster HAVING COUNT(*) > 1)),
                (SELECT COUNT(*) FROM match_candidates WHERE status = 'open'),
                (SELECT COUNT(*) FROM statements WHERE property IN ('sameAs', 'differentFrom'))",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(ResolutionRun {
        mode: RunMode::Incremental,
        changed_entities: 0,
        records: 0,
        context: 0,
        entities: entities as usize,
        clusters: clusters as usize,
        clusters_changed: 0,
        open_candidates: open as usize,
        rulings: rulings as usize,
        learnt_from: 0,
        seconds: started.elapsed().as_secs_f64(),
        read_seconds: 0.0,
    })
}

/// The probability's log2 odds less the weight: the prior the engine added (its explanation's starting point).
fn prior_of(probability: f64, weight: f64) -> f64 {
    let p = probability.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).log2() - weight
}

/// Runs resolution; `full` re-resolves every entity, otherwise only what changed since the last run.
pub(crate) fn run(conn: &mut Connection, full: bool) -> Result<ResolutionRun, StoreError> {
    let started = Instant::now();
    let previous: Option<i64> = conn
        .query_row("SELECT last_statement FROM resolution_runs ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?;
    let newest: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM statements", [], |r| r.get(0))?;
    if !full && previous == Some(newest) {
        // Nothing was stored since the last run: nothing to re-resolve, and no need to read the holdings.
        return unchanged(conn, started);
    }
    let holdings = gather(conn)?;
    let gathered = started.elapsed().as_secs_f64();
    let existing = load_clusters(conn)?;

    // Which entities changed since the last run.
    let changed: BTreeSet<String> = match (full, previous) {
        (false, Some(last)) => {
            let mut changed = BTreeSet::new();
            let mut stmt = conn.prepare(
                "SELECT e.id, s.property, s.value FROM statements s JOIN entities e ON e.rowid = s.entity
                 WHERE s.id > ?1 AND s.id <= ?2",
            )?;
            let mut rows = stmt.query(params![last, holdings.last_statement])?;
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                let property: String = row.get(1)?;
                // A decision changes both entities; a member joining changes the organisation.
                if property == SAME_AS || property == DIFFERENT_FROM || property == LinkType::MemberOf.name() {
                    changed.insert(row.get::<_, String>(2)?);
                }
                changed.insert(id);
            }
            changed.retain(|id| holdings.entities.contains_key(id));
            changed
        }
        _ => holdings.entities.keys().cloned().collect(),
    };
    let mut mode = if !full && previous.is_some() { RunMode::Incremental } else { RunMode::Full };

    // The part to re-resolve.
    let records: BTreeMap<&str, (EntityKind, Vec<String>)> =
        holdings.entities.iter().map(|(id, (kind, g))| (id.as_str(), (*kind, g.fields(*kind)))).collect();
    let subset: BTreeSet<String> = if mode == RunMode::Full {
        holdings.entities.keys().cloned().collect()
    } else {
        let subset = neighbourhood(&records, &changed, &existing, &holdings.rulings);
        if subset.len() * 2 > records.len() {
            mode = RunMode::Full;
            holdings.entities.keys().cloned().collect()
        } else {
            subset
        }
    };

    let tx = conn.transaction()?;
    let mut next_cluster: i64 = tx.query_row("SELECT COALESCE(MAX(cluster), 0) + 1 FROM clusters", [], |r| r.get(0))?;
    let mut clusters_changed = 0;
    let mut learnt_from = 0;
    let mut given = 0;
    let mut context = 0;
    // Clusters this run gave, so that later kinds see the members they link to as resolved.
    let mut resolved: HashMap<String, i64> = HashMap::new();
    for kind in RESOLVED {
        let ids: Vec<&str> =
            subset.iter().map(String::as_str).filter(|id| records.get(id).is_some_and(|(k, _)| *k == kind)).collect();
        if ids.is_empty() {
            continue;
        }
        given += ids.len();
        let in_batch: HashSet<&str> = ids.iter().copied().collect();
        // An incremental batch is small: the engine trains its model without labels, so it is given
        // unrelated records of the same kind as context; their clusters are not rewritten.
        let mut all_ids = ids.clone();
        if mode == RunMode::Incremental {
            let others: Vec<&str> = records
                .iter()
                .filter(|(id, (k, _))| *k == kind && !in_batch.contains(*id))
                .map(|(id, _)| *id)
                .collect();
            let step = others.len().div_ceil(TRAINING_CONTEXT).max(1);
            all_ids.extend(others.iter().step_by(step).copied());
        }
        context += all_ids.len() - ids.len();
        // Members are given as their clusters; a pair whose members were compared (both records
        // have some) rests on the markings of every record of those clusters too.
        let member_fields: Vec<usize> =
            fields_of(kind).iter().enumerate().filter(|(_, f)| f.role == Role::Members).map(|(i, _)| i).collect();
        let mut extra: HashMap<&str, BTreeSet<i64>> = HashMap::new();
        let mut fields_in_run: HashMap<&str, Vec<String>> = HashMap::new();
        let cluster_of_member = |id: &str| resolved.get(id).or_else(|| existing.cluster.get(id)).copied();
        // The member clusters of each record, and the markings of the links that join each cluster.
        let mut member_clusters: HashMap<&str, BTreeSet<i64>> = HashMap::new();
        let mut cluster_clauses: HashMap<i64, Clauses> = HashMap::new();
        let mut member_cluster: HashMap<String, i64> = HashMap::new();
        if !member_fields.is_empty() {
            // What joins the records of a member's cluster: its cluster links (written earlier in
            // this transaction for persons), each resting on the fields that agreed.
            let mut links = tx.prepare_cached("SELECT a, markings FROM cluster_links")?;
            let rows = links.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (a, markings) = row?;
                if let Some(c) = cluster_of_member(&a) {
                    cluster_clauses.entry(c).or_default().extend(parse_clauses(&markings)?);
                }
            }
            for id in &all_ids {
                let mut fields = records[id].1.clone();
                let mut markings = BTreeSet::new();
                for &f in &member_fields {
                    let members: Vec<String> = tessera_resolve::organisation::split(&fields[f])
                        .map(|m| match cluster_of_member(m) {
                            Some(c) => {
                                markings.extend(cluster_clauses.get(&c).into_iter().flatten().flatten().copied());
                                member_clusters.entry(id).or_default().insert(c);
                                member_cluster.insert(m.to_string(), c);
                                format!("cluster {c}")
                            }
                            None => m.to_string(),
                        })
                        .collect();
                    fields[f] = tessera_resolve::organisation::join(members.iter().map(String::as_str));
                }
                if member_fields.iter().any(|&f| !fields[f].is_empty()) {
                    extra.insert(id, markings);
                }
                fields_in_run.insert(id, fields);
            }
        }
        let fields_of_record = |id: &str| fields_in_run.get(id).unwrap_or(&records[id].1);
        // The evidence a cluster link rests on, as clauses: the fields that agreed (positive
        // evidence) in both records; for agreeing members, the membership statements of the members
        // the two share and the cluster links that make those members one person. A viewer reaches
        // one record from the other only through evidence they may see: one statement of each.
        let link_clauses = |a: &str, b: &str, agreed: &[usize]| -> Clauses {
            let mut out: Clauses = Vec::new();
            let none = BTreeSet::new();
            let shared: BTreeSet<i64> = member_clusters
                .get(a)
                .unwrap_or(&none)
                .intersection(member_clusters.get(b).unwrap_or(&none))
                .copied()
                .collect();
            for id in [a, b] {
                let Some((kind, g)) = holdings.entities.get(id) else { continue };
                let per_field = g.field_clauses(*kind);
                for &f in agreed {
                    if !member_fields.contains(&f) {
                        out.extend(per_field.get(f).into_iter().flatten().cloned());
                        continue;
                    }
                    // One clause per shared member: any statement of its membership will do.
                    let mut by_member: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
                    for key in fields_of(*kind)[f].sources.iter().map(source_key) {
                        let (Some(values), Some(marks)) = (g.values.get(&key), g.value_markings.get(&key)) else {
                            continue;
                        };
                        for (member, mark) in values.iter().zip(marks) {
                            if member_cluster.get(member).is_some_and(|c| shared.contains(c)) {
                                by_member.entry(member.as_str()).or_default().insert(*mark);
                            }
                        }
                    }
                    out.extend(by_member.into_values().map(|c| c.into_iter().collect()));
                }
            }
            if agreed.iter().any(|f| member_fields.contains(f)) {
                for c in &shared {
                    out.extend(cluster_clauses.get(c).into_iter().flatten().cloned());
                }
            }
            out.retain(|clause| !clause.is_empty());
            out.sort();
            out.dedup();
            out
        };
        let pair_markings = |a: &str, b: &str| -> BTreeSet<i64> {
            let own = |id: &str| holdings.entities.get(id).map(|e| e.1.markings.iter().copied()).into_iter().flatten();
            let mut m: BTreeSet<i64> = own(a).chain(own(b)).collect();
            if let (Some(x), Some(y)) = (extra.get(a), extra.get(b)) {
                m.extend(x.iter().chain(y).copied());
            }
            m
        };
        let batch: Vec<Record> = all_ids.iter().map(|id| Record::new(*id, fields_of_record(id))).collect();
        let in_run: HashSet<&str> = all_ids.iter().copied().collect();
        let mut config = Config::new(schema_of(kind));
        config.review_floor = Some(REVIEW_FROM);
        config.rulings = holdings
            .rulings
            .iter()
            .filter(|r| in_run.contains(r.left.as_str()) && in_run.contains(r.right.as_str()))
            .cloned()
            .collect();
        let resolution = tessera_resolve::dedupe(&batch, &config)
            .map_err(|e| StoreError::Corrupt(format!("entity resolution of {kind} failed: {e}")))?;
        learnt_from += resolution.model.decisions;

        // Memberships, keeping the ids of clusters that stay or grow.
        let mut groups: Vec<Vec<&str>> = resolution
            .clusters
            .iter()
            .map(|c| c.iter().filter(|&&i| (i as usize) < ids.len()).map(|&i| ids[i as usize]).collect::<Vec<_>>())
            .filter(|c| !c.is_empty())
            .collect();
        groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let mut claimed: HashSet<i64> = HashSet::new();
        let mut cluster_of: HashMap<&str, i64> = HashMap::new();
        for group in &groups {
            let mut votes: BTreeMap<i64, usize> = BTreeMap::new();
            for id in group {
                if let Some(c) = existing.cluster.get(*id) {
                    *votes.entry(*c).or_default() += 1;
                }
            }
            let reuse = votes
                .iter()
                .filter(|(c, _)| !claimed.contains(c))
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(c, _)| *c);
            let id = match reuse {
                Some(c) => c,
                None => {
                    next_cluster += 1;
                    next_cluster - 1
                }
            };
            claimed.insert(id);
            let before: BTreeSet<&str> =
                existing.members.get(&id).map(|m| m.iter().map(String::as_str).collect()).unwrap_or_default();
            let after: BTreeSet<&str> = group.iter().copied().collect();
            if before != after && (group.len() > 1 || before.len() > 1) {
                clusters_changed += 1;
            }
            for member in group {
                cluster_of.insert(member, id);
            }
        }
        {
            let mut upsert =
                tx.prepare_cached("INSERT OR REPLACE INTO clusters (entity, kind, cluster) VALUES (?1, ?2, ?3)")?;
            for (entity, cluster) in &cluster_of {
                upsert.execute(params![entity, kind.name(), cluster])?;
            }
        }
        resolved.extend(cluster_of.iter().map(|(entity, cluster)| (entity.to_string(), *cluster)));

        // Possible matches: drop the old ones within the batch, then store this run's.
        {
            let mut old = tx.prepare_cached("SELECT b FROM match_candidates WHERE a = ?1")?;
            let mut delete = tx.prepare_cached("DELETE FROM match_candidates WHERE a = ?1 AND b = ?2")?;
            for a in &ids {
                let bs: Vec<String> = old.query_map([a], |r| r.get(0))?.collect::<Result<_, _>>()?;
                for b in bs.iter().filter(|b| in_batch.contains(b.as_str())) {
                    delete.execute(params![a, b])?;
                }
            }
        }
        let decided: HashMap<(&str, &str), Verdict> = config
            .rulings
            .iter()
            .map(|r| ((r.left.as_str().min(r.right.as_str()), r.left.as_str().max(r.right.as_str())), r.verdict))
            .fold(HashMap::new(), |mut m, (k, v)| {
                // "Different" wins over "same", as in the engine.
                let e = m.entry(k).or_insert(v);
                if v == Verdict::Different {
                    *e = v;
                }
                m
            });
        // The links behind the clusters: every matching pair that ended in one cluster, and
        // every confirmed decision, with the markings of both records.
        {
            let mut delete = tx.prepare_cached("DELETE FROM cluster_links WHERE a = ?1 OR b = ?1")?;
            for a in &ids {
                delete.execute([a])?;
            }
            let mut insert =
                tx.prepare_cached("INSERT OR REPLACE INTO cluster_links (a, b, markings) VALUES (?1, ?2, ?3)")?;
            let current = |id: &str| cluster_of.get(id).or_else(|| existing.cluster.get(id)).copied();
            // Only pairs the engine matched: those below the threshold are possible matches for review.
            let field_index: HashMap<&str, usize> =
                fields_of(kind).iter().enumerate().map(|(i, f)| (f.name, i)).collect();
            let schema = schema_of(kind);
            let explainer = resolution.explainer(&schema);
            let engine_links = resolution.pairs.iter().filter(|p| p.probability >= config.threshold).filter_map(|p| {
                let agreed: Vec<usize> = explainer
                    .explain(p)
                    .iter()
                    .filter(|(_, _, bits)| *bits > 0.0)
                    .filter_map(|(field, _, _)| field_index.get(field.as_str()).copied())
                    .collect();
                Some((*all_ids.get(p.left as usize)?, *all_ids.get(p.right as usize)?, Some(agreed)))
            });
            let confirmed = config
                .rulings
                .iter()
                .filter(|r| r.verdict == Verdict::Same)
                .map(|r| (r.left.as_str(), r.right.as_str(), None));
            for (x, y, agreed) in engine_links.chain(confirmed) {
                if (!in_batch.contains(x) && !in_batch.contains(y)) || current(x).is_none() || current(x) != current(y)
                {
                    continue;
                }
                let (a, b) = if x < y { (x, y) } else { (y, x) };
                if !holdings.entities.contains_key(a) || !holdings.entities.contains_key(b) {
                    continue;
                }
                // An analyst's confirmation rests on everything they saw of both records.
                let clauses: Clauses = match agreed {
                    Some(agreed) if !agreed.is_empty() => link_clauses(a, b, &agreed),
                    _ => pair_markings(a, b).into_iter().map(|m| vec![m]).collect(),
                };
                insert.execute(params![a, b, json(&clauses)])?;
            }
        }
        let schema = schema_of(kind);
        let explainer = resolution.explainer(&schema);
        let mut insert = tx.prepare_cached(
            "INSERT OR REPLACE INTO match_candidates
             (a, b, kind, probability, weight, prior, evidence, fields, markings, same_cluster, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for pair in &resolution.pairs {
            let (Some(&x), Some(&y)) = (all_ids.get(pair.left as usize), all_ids.get(pair.right as usize)) else {
                continue;
            };
            if !in_batch.contains(x) && !in_batch.contains(y) {
                continue;
            }
            let (a, b) = if x < y { (x, y) } else { (y, x) };
            let current = |id: &str| cluster_of.get(id).or_else(|| existing.cluster.get(id)).copied();
            let same_cluster = current(a).is_some() && current(a) == current(b);
            let status = match decided.get(&(a, b)) {
                Some(Verdict::Same) => "confirmed",
                Some(Verdict::Different) => "rejected",
                None if pair.probability >= REVIEW_BELOW && same_cluster => continue,
                None => "open",
            };
            let evidence: Vec<Evidence> = explainer
                .explain(pair)
                .into_iter()
                .map(|(field, level, bits)| Evidence { field, level, bits })
                .collect();
            let (ra, rb) = (&records[a].1, &records[b].1);
            let fields: Vec<FieldPair> = fields_of(kind)
                .iter()
                .zip(ra.iter().zip(rb))
                .map(|(f, (va, vb))| FieldPair { field: f.name.to_string(), a: va.clone(), b: vb.clone() })
                .collect();
            let markings = pair_markings(a, b);
            insert.execute(params![
                a,
                b,
                kind.name(),
                pair.probability,
                pair.weight,
                prior_of(pair.probability, pair.weight),
                json(&evidence),
                json(&fields),
                json(&markings),
                same_cluster,
                status
            ])?;
        }
    }
    let (entities, clusters): (i64, i64) = tx.query_row(
        "SELECT (SELECT COUNT(*) FROM clusters),
                (SELECT COUNT(*) FROM (SELECT cluster FROM clusters GROUP BY cluster HAVING COUNT(*) > 1))",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let open: i64 = tx.query_row("SELECT COUNT(*) FROM match_candidates WHERE status = 'open'", [], |r| r.get(0))?;
    let seconds = started.elapsed().as_secs_f64();
    let mode_name = match mode {
        RunMode::Full => "full",
        RunMode::Incremental => "incremental",
    };
    tx.execute(
        "INSERT INTO resolution_runs (at, mode, last_statement, records, resolved, clusters_changed, candidates, seconds)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            tessera_model::time::now_rfc3339(),
            mode_name,
            holdings.last_statement,
            given as i64,
            entities,
            clusters_changed as i64,
            open,
            seconds
        ],
    )?;
    tx.commit()?;
    Ok(ResolutionRun {
        mode,
        changed_entities: changed.len(),
        records: given,
        context,
        entities: entities as usize,
        clusters: clusters as usize,
        clusters_changed,
        open_candidates: open as usize,
        rulings: holdings.rulings.len(),
        learnt_from,
        seconds,
        read_seconds: gathered,
    })
}

/// A value as the JSON text of a column (these values always serialise; an empty list if one did not).
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// The stored memberships: entity → cluster, and cluster → members.
struct Existing {
    cluster: HashMap<String, i64>,
    members: HashMap<i64, Vec<String>>,
}

fn load_clusters(conn: &Connection) -> Result<Existing, StoreError> {
    let mut cluster = HashMap::new();
    let mut members: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT entity, cluster FROM clusters")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let entity: String = row.get(0)?;
        let c: i64 = row.get(1)?;
        members.entry(c).or_default().push(entity.clone());
        cluster.insert(entity, c);
    }
    Ok(Existing { cluster, members })
}

/// The changed entities, every record sharing a neighbour key with one of them, the whole
/// current clusters of all those, and the entities decisions join to them.
fn neighbourhood(
    records: &BTreeMap<&str, (EntityKind, Vec<String>)>,
    changed: &BTreeSet<String>,
    existing: &Existing,
    rulings: &[Ruling],
) -> BTreeSet<String> {
    let mut subset: BTreeSet<String> = changed.clone();
    if changed.is_empty() {
        return subset;
    }
    let wanted: HashSet<String> = changed
        .iter()
        .filter_map(|id| records.get(id.as_str()))
        .flat_map(|(kind, fields)| neighbour_keys(*kind, fields))
        .collect();
    for (id, (kind, fields)) in records {
        if neighbour_keys(*kind, fields).iter().any(|k| wanted.contains(k)) {
            subset.insert((*id).to_string());
        }
    }
    // Decisions join their two entities whatever their keys.
    let mut grew = true;
    while grew {
        grew = false;
        for r in rulings {
            let (l, rt) = (subset.contains(&r.left), subset.contains(&r.right));
            if l != rt && records.contains_key(r.left.as_str()) && records.contains_key(r.right.as_str()) {
                subset.insert(r.left.clone());
                subset.insert(r.right.clone());
                grew = true;
            }
        }
        let clusters: BTreeSet<i64> = subset.iter().filter_map(|id| existing.cluster.get(id)).copied().collect();
        for c in clusters {
            for member in existing.members.get(&c).into_iter().flatten() {
                if records.contains_key(member.as_str()) && subset.insert(member.clone()) {
                    grew = true;
                }
            }
        }
    }
    subset
}

/// One field's contribution to a match: the engine's comparison level and its weight in bits.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Evidence {
    /// Field name.
    pub field: String,
    /// Comparison level ("exact", "phonetic", "missing"...).
    pub level: String,
    /// Weight in bits: log2(m/u); positive for agreement, negative for disagreement.
    pub bits: f64,
}

/// The values two records had for one field, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FieldPair {
    /// Field name.
    pub field: String,
    /// Value in the first record ("" when missing).
    pub a: String,
    /// Value in the second record.
    pub b: String,
}

/// A possible match as one viewer may see it: both entities, their records side by side and the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchCandidate {
    /// One entity (the lesser id).
    pub a: String,
    /// The other entity.
    pub b: String,
    /// Kind of both.
    pub kind: EntityKind,
    /// Caption of `a` from the viewer's visible statements.
    pub a_caption: String,
    /// Caption of `b`.
    pub b_caption: String,
    /// Match probability, prior included.
    pub probability: f64,
    /// Match weight in bits (sum of the evidence).
    pub weight: f64,
    /// The prior in bits (log2 odds of a match before any field is compared).
    pub prior: f64,
    /// Field by field evidence.
    pub evidence: Vec<Evidence>,
    /// The two records the engine compared, field by field.
    pub fields: Vec<FieldPair>,
    /// Whether the current clusters put the two together.
    pub same_cluster: bool,
    /// "open", "confirmed" or "rejected".
    pub status: String,
}

/// One page of the review queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchQueue {
    /// Candidates on this page, most probable first.
    pub candidates: Vec<MatchCandidate>,
    /// Candidates with this status the viewer may see.
    pub total: usize,
}

/// A member of a cluster, as a viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterMember {
    /// Entity id.
    pub id: String,
    /// Caption from the viewer's visible statements.
    pub caption: String,
}

/// An entity's cluster as one viewer sees it: only visible members, only visible statements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterView {
    /// The entity asked about.
    pub entity: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Every member the viewer may see, the entity itself included, by id.
    pub members: Vec<ClusterMember>,
    /// The visible statements of all those members, oldest report first, each with its provenance.
    pub statements: Vec<StoredStatement>,
}

/// A candidate row before the visibility check.
struct CandidateRow {
    a: String,
    b: String,
    kind: String,
    probability: f64,
    weight: f64,
    prior: f64,
    evidence: String,
    fields: String,
    markings: String,
    same_cluster: bool,
    status: String,
}

const CANDIDATE_COLUMNS: &str =
    "a, b, kind, probability, weight, prior, evidence, fields, markings, same_cluster, status";

fn candidate_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CandidateRow> {
    Ok(CandidateRow {
        a: r.get(0)?,
        b: r.get(1)?,
        kind: r.get(2)?,
        probability: r.get(3)?,
        weight: r.get(4)?,
        prior: r.get(5)?,
        evidence: r.get(6)?,
        fields: r.get(7)?,
        markings: r.get(8)?,
        same_cluster: r.get(9)?,
        status: r.get(10)?,
    })
}

/// The candidate as the viewer may see it: `None` unless every marking behind it, and both entities, are visible.
fn visible_candidate(
    conn: &Connection,
    visibility: &Visibility,
    row: CandidateRow,
) -> Result<Option<MatchCandidate>, StoreError> {
    let markings: Vec<i64> =
        serde_json::from_str(&row.markings).map_err(|e| StoreError::Corrupt(format!("candidate markings: {e}")))?;
    if markings.iter().any(|m| visibility.get(*m).is_none()) {
        return Ok(None);
    }
    let (Some((kind, a_caption)), Some((_, b_caption))) =
        (caption(conn, visibility, &row.a)?, caption(conn, visibility, &row.b)?)
    else {
        return Ok(None);
    };
    let _ = row.kind;
    Ok(Some(MatchCandidate {
        a: row.a,
        b: row.b,
        kind,
        a_caption,
        b_caption,
        probability: row.probability,
        weight: row.weight,
        prior: row.prior,
        evidence: serde_json::from_str(&row.evidence)
            .map_err(|e| StoreError::Corrupt(format!("candidate evidence: {e}")))?,
        fields: serde_json::from_str(&row.fields).map_err(|e| StoreError::Corrupt(format!("candidate fields: {e}")))?,
        same_cluster: row.same_cluster,
        status: row.status,
    }))
}

/// The possible matches with `status` the viewer may see, most probable first.
pub(crate) fn queue(
    conn: &Connection,
    viewer: &Viewer,
    status: &str,
    limit: usize,
    offset: usize,
) -> Result<MatchQueue, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CANDIDATE_COLUMNS} FROM match_candidates WHERE status = ?1 ORDER BY probability DESC, a, b"
    ))?;
    let rows: Vec<CandidateRow> = stmt.query_map([status], candidate_row)?.collect::<Result<_, _>>()?;
    let mut candidates = Vec::new();
    let mut total = 0;
    for row in rows {
        // The policy is asked about every row before it is counted.
        let Some(c) = visible_candidate(conn, &visibility, row)? else { continue };
        total += 1;
        if total > offset && candidates.len() < limit {
            candidates.push(c);
        }
    }
    Ok(MatchQueue { candidates, total })
}

/// One possible match (either order of the ids), if the viewer may see it.
pub(crate) fn candidate(
    conn: &Connection,
    viewer: &Viewer,
    a: &str,
    b: &str,
) -> Result<Option<MatchCandidate>, StoreError> {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    let row = conn
        .prepare_cached(&format!("SELECT {CANDIDATE_COLUMNS} FROM match_candidates WHERE a = ?1 AND b = ?2"))?
        .query_row([a, b], candidate_row)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let visibility = Visibility::load(conn, viewer)?;
    visible_candidate(conn, &visibility, row)
}

/// The visible members of the cluster of `entity` (itself first), given a loaded visibility.
///
/// A member is reached only through links of the cluster whose records the viewer may see in
/// full: if two visible records were joined only through a hidden one, or on hidden statements,
/// the viewer sees them apart, so a cluster never tells anyone that hidden material links them.
pub(crate) fn visible_members(
    conn: &Connection,
    visibility: &Visibility,
    entity: &str,
) -> Result<Vec<ClusterMember>, StoreError> {
    let Some((_, own)) = caption(conn, visibility, entity)? else { return Ok(Vec::new()) };
    let mut out = vec![ClusterMember { id: entity.to_string(), caption: own }];
    let cluster_of = |id: &str| -> Result<Option<i64>, StoreError> {
        Ok(conn
            .prepare_cached("SELECT cluster FROM clusters WHERE entity = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    };
    let Some(cluster) = cluster_of(entity)? else { return Ok(out) };
    let mut seen: HashSet<String> = HashSet::from([entity.to_string()]);
    let mut queue = vec![entity.to_string()];
    let mut links = conn.prepare_cached(
        "SELECT CASE WHEN a = ?1 THEN b ELSE a END, markings FROM cluster_links WHERE a = ?1 OR b = ?1",
    )?;
    while let Some(at) = queue.pop() {
        let next: Vec<(String, String)> =
            links.query_map([&at], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        for (other, markings) in next {
            if seen.contains(&other) {
                continue;
            }
            if !clauses_visible(&parse_clauses(&markings)?, visibility) || cluster_of(&other)? != Some(cluster) {
                continue;
            }
            let Some((_, caption)) = caption(conn, visibility, &other)? else { continue };
            seen.insert(other.clone());
            queue.push(other.clone());
            out.push(ClusterMember { id: other, caption });
        }
    }
    out[1..].sort_by(|x, y| x.id.cmp(&y.id));
    Ok(out)
}

/// The cluster of an entity as the viewer sees it; `None` if the viewer sees nothing of the entity.
pub(crate) fn cluster(conn: &Connection, viewer: &Viewer, entity: &str) -> Result<Option<ClusterView>, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let Some((kind, _)) = caption(conn, &visibility, entity)? else { return Ok(None) };
    let members = visible_members(conn, &visibility, entity)?;
    let mut statements = Vec::new();
    let mut find = conn.prepare_cached("SELECT rowid FROM entities WHERE id = ?1")?;
    let mut rowids = Vec::new();
    for m in &members {
        if let Some(rowid) = find.query_row([&m.id], |r| r.get::<_, i64>(0)).optional()? {
            rowids.push(rowid);
        }
    }
    for rowid in rowids {
        statements.extend(visible_statements(conn, &visibility, "WHERE s.entity = ?1 ORDER BY r.date, s.id", [rowid])?);
    }
    statements.sort_by(|x, y| x.statement.observed.cmp(&y.statement.observed).then(x.id.cmp(&y.id)));
    Ok(Some(ClusterView { entity: entity.to_string(), kind, members, statements }))
}

/// An analyst's ruling on two entities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// One entity.
    pub a: String,
    /// The other.
    pub b: String,
    /// Same or different.
    pub verdict: Verdict,
}

/// What recording decisions stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionReceipt {
    /// The report the decisions were recorded in (authored by the analyst).
    pub report: String,
    /// Statements stored, one per decision.
    pub statements: usize,
    /// Marking banner the report was given.
    pub banner: String,
}

/// Records decisions as one report authored by the viewer, marked no lower than anything the
/// viewer saw of the entities, and audits it. Refused for roles that do not decide, and for
/// entities the viewer cannot see, of different kinds, or not resolved.
pub(crate) fn decide(
    conn: &mut Connection,
    viewer: &Viewer,
    decisions: &[Decision],
) -> Result<DecisionReceipt, StoreError> {
    if !viewer.role.decides_matches() {
        return Err(StoreError::Refused(format!("a {} may not rule on matches", viewer.role)));
    }
    if decisions.is_empty() {
        return Err(StoreError::Invalid("no decision to record".into()));
    }
    let visibility = Visibility::load(conn, viewer)?;
    let mut seen: Vec<StoredStatement> = Vec::new();
    let mut kinds: HashMap<String, EntityKind> = HashMap::new();
    for d in decisions {
        if d.a == d.b {
            return Err(StoreError::Invalid(format!("{:?} cannot be ruled on against itself", d.a)));
        }
        for id in [&d.a, &d.b] {
            if kinds.contains_key(id) {
                continue;
            }
            let row: Option<i64> =
                conn.query_row("SELECT rowid FROM entities WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            let statements = match row {
                Some(rowid) => visible_statements(conn, &visibility, "WHERE s.entity = ?1", [rowid])?,
                None => Vec::new(),
            };
            let Some(first) = statements.first() else {
                return Err(StoreError::NotFound(format!("no entity {id:?} is available to you")));
            };
            kinds.insert(id.clone(), first.statement.kind);
            seen.extend(statements);
        }
        let (ka, kb) = (kinds[&d.a], kinds[&d.b]);
        if ka != kb || !ka.is_resolved() {
            return Err(StoreError::Invalid(format!(
                "{:?} ({ka}) and {:?} ({kb}) cannot be ruled on: both must be persons, organisations, vessels or vehicles",
                d.a, d.b
            )));
        }
    }
    // The report's markings: no lower than anything the decision rests on.
    let classification =
        seen.iter().map(|s| s.statement.markings.classification).max().unwrap_or(Classification::Official);
    let compartments: BTreeSet<String> =
        seen.iter().flat_map(|s| s.statement.markings.compartments.iter().cloned()).collect();
    let caveats: BTreeSet<String> = seen.iter().flat_map(|s| s.statement.markings.caveats.iter().cloned()).collect();
    let conditional = seen.iter().any(|s| s.statement.grading.handling != Handling::Permitted);
    let grading = if conditional {
        Grading::parse("3x5x2", "2B C", Some("as the reports this decision rests on"))
    } else {
        Grading::parse("3x5x2", "2B P", None)
    }
    .map_err(|e| StoreError::Corrupt(format!("decision grading: {e}")))?;
    let markings = Markings {
        classification,
        owner: viewer.agency.clone(),
        compartments: compartments.into_iter().collect(),
        caveats: caveats.into_iter().collect(),
    };
    let now = tessera_model::time::now_rfc3339();
    let date = now.get(..10).unwrap_or("1970-01-01").to_string();
    let prefix = format!("RES-{}-{}-", viewer.agency, date.replace('-', ""));
    let mut n: i64 =
        conn.query_row("SELECT COUNT(*) FROM reports WHERE substr(id, 1, length(?1)) = ?1", [&prefix], |r| r.get(0))?;
    let report_id = loop {
        n += 1;
        let id = format!("{prefix}{n:04}");
        let taken: bool = conn.query_row("SELECT EXISTS(SELECT 1 FROM reports WHERE id = ?1)", [&id], |r| r.get(0))?;
        if !taken {
            break id;
        }
    };
    let mut entities: Vec<ReportEntity> = Vec::new();
    let mut lines = Vec::new();
    for d in decisions {
        let property = match d.verdict {
            Verdict::Same => SAME_AS,
            Verdict::Different => DIFFERENT_FROM,
        };
        let value = PropertyValue { value: d.b.clone(), original: None };
        match entities.iter_mut().find(|e| e.id == d.a) {
            Some(e) => e.properties.entry(property.to_string()).or_default().push(value),
            None => entities.push(ReportEntity {
                id: d.a.clone(),
                kind: kinds[&d.a],
                properties: BTreeMap::from([(property.to_string(), vec![value])]),
                observed: None,
            }),
        }
        let word = if d.verdict == Verdict::Same { "the same as" } else { "different from" };
        lines.push(format!("{} is {word} {}", d.a, d.b));
    }
    let report = Report {
        id: report_id.clone(),
        agency: viewer.agency.clone(),
        author: viewer.user.clone(),
        date,
        grading,
        markings: markings.clone(),
        streams: vec![],
        routes: vec![],
        text: format!("Entity resolution decision by {}: {}.", viewer.user, lines.join("; ")),
        entities,
        links: vec![],
    };
    let statements = report.statements(&now);
    let count = statements.len();
    let mut stream = std::iter::once(Ok((report, statements)));
    crate::write::ingest(conn, "resolution-decisions", &mut stream, &mut |_| {})?;
    for d in decisions {
        let (a, b) = if d.a < d.b { (&d.a, &d.b) } else { (&d.b, &d.a) };
        let status = if d.verdict == Verdict::Same { "confirmed" } else { "rejected" };
        conn.execute("UPDATE match_candidates SET status = ?3 WHERE a = ?1 AND b = ?2", params![a, b, status])?;
    }
    crate::audit::append(
        conn,
        viewer,
        &AuditEvent::new("resolution_decision", format!("{report_id}: {}", lines.join("; "))),
    )?;
    Ok(DecisionReceipt { report: report_id, statements: count, banner: markings.banner() })
}

/// Search hits of one cluster collapsed into the best-ranked one, which lists (in `members`) the
/// cluster's other visible members; a hit folds into a lead only if it is among the members the viewer reaches
/// from the lead (see [`visible_members`]).
pub(crate) fn collapse(
    conn: &Connection,
    visibility: &Visibility,
    hits: Vec<crate::EntityHit>,
) -> Result<Vec<crate::EntityHit>, StoreError> {
    let mut lead_of: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<crate::EntityHit> = Vec::new();
    for hit in hits {
        match lead_of.get(&hit.id).copied() {
            Some(lead) => {
                let lead = &mut out[lead];
                for m in hit.matched {
                    if !lead.matched.contains(&m) {
                        lead.matched.push(m);
                    }
                }
            }
            None => {
                let mut hit = hit;
                let members = visible_members(conn, visibility, &hit.id)?;
                for member in &members {
                    lead_of.entry(member.id.clone()).or_insert(out.len());
                }
                hit.members = members.into_iter().filter(|m| m.id != hit.id).collect();
                out.push(hit);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_evidence_reads_as_clauses_in_either_stored_form() {
        assert_eq!(parse_clauses("[[1,2],[3]]").unwrap(), vec![vec![1, 2], vec![3]]);
        assert_eq!(parse_clauses("[1,3]").unwrap(), vec![vec![1], vec![3]], "an earlier store: every marking needed");
        assert_eq!(parse_clauses("[]").unwrap(), Clauses::new());
        assert!(parse_clauses("{").is_err());
    }

    #[test]
    fn a_field_rests_on_any_statement_of_its_chosen_value() {
        let mut g = Gathered::default();
        g.push("name".into(), "Karim Haddad".into(), 1);
        g.push("name".into(), "Karim Haddad".into(), 7);
        g.push("name".into(), "K. Haddad".into(), 9);
        g.push("birthDate".into(), "1985-04-12".into(), 7);
        let clauses = g.field_clauses(EntityKind::Person);
        assert_eq!(clauses[0], vec![vec![1, 7]], "either report stating the chosen name will do");
        assert_eq!(clauses[3], vec![vec![7]]);
        assert!(clauses[1].is_empty(), "no first name: no evidence");
    }

    #[test]
    fn the_most_frequent_value_wins_and_ties_go_to_the_first() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(most_frequent(&v(&["a", "b", "b"])), "b");
        assert_eq!(most_frequent(&v(&["a", "b"])), "a");
        assert_eq!(most_frequent(&[]), "");
    }

    #[test]
    fn records_read_names_then_aliases_and_identifiers_from_links() {
        let mut g = Gathered::default();
        g.values.insert("alias".into(), vec!["Abu Yasin".into()]);
        g.values.insert("uses:phone:".into(), vec!["+447700900123".into()]);
        g.values.insert("passportNumber".into(), vec!["L898902C3".into()]);
        let fields = g.fields(EntityKind::Person);
        assert_eq!(fields[0], "Abu Yasin", "no name: the alias stands in");
        assert_eq!(fields[6], "+447700900123");
        assert_eq!(fields[7], "L898902C3");
        assert_eq!(fields.len(), schema_of(EntityKind::Person).len());
        assert!(fields_of(EntityKind::Phone).is_empty(), "phones resolve by their id");
    }

    #[test]
    fn an_organisation_record_holds_every_name_and_alias_and_its_members() {
        let mut g = Gathered::default();
        g.values.insert("name".into(), vec!["Zawiya network".into(), "Zawiya network".into()]);
        g.values.insert("alias".into(), vec!["Al-Zawiya group".into(), "the Zawiya brothers".into()]);
        g.values.insert("inbound:member_of".into(), vec!["NCA:P-1".into(), "BF:P-2".into(), "NCA:P-1".into()]);
        let fields = g.fields(EntityKind::Organization);
        assert_eq!(fields.len(), schema_of(EntityKind::Organization).len());
        assert_eq!(fields[0], "Zawiya network | Al-Zawiya group | the Zawiya brothers", "most frequent first");
        assert_eq!(fields[4], "NCA:P-1 | BF:P-2");
        let keys = neighbour_keys(EntityKind::Organization, &fields);
        assert!(keys.iter().any(|k| k.starts_with("Organization:o:")));
        assert_eq!(
            keys.iter().filter(|k| k.starts_with("Organization:o:")).count(),
            1,
            "one distinctive word: Zawiya; generic words bring no one together: {keys:?}"
        );
    }

    #[test]
    fn neighbour_keys_cover_names_dates_and_identifiers() {
        let fields: Vec<String> =
            ["Mohamed Abdelrahman", "", "", "1991-03-07", "EG", "male", "+447700900123", ""].map(String::from).to_vec();
        let keys = neighbour_keys(EntityKind::Person, &fields);
        assert!(keys.iter().any(|k| k.starts_with("Person:n:")));
        assert!(keys.contains(&"Person:d:1991-03-07".to_string()));
        assert!(keys.contains(&"Person:phone:+447700900123".to_string()));
        assert!(!keys.iter().any(|k| k.contains("EG")), "nationality alone brings no one together");
    }

    #[test]
    fn the_prior_is_the_log_odds_less_the_weight() {
        let p: f64 = 0.8;
        let prior = prior_of(p, 3.0);
        assert!(((p / (1.0 - p)).log2() - 3.0 - prior).abs() < 1e-9);
        assert!(prior_of(1.0, 0.0).is_finite());
    }
}
