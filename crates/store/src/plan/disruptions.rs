//! The disruption log: recording a disruption (checked against what the
//! recorder may see, graded against the written impact criteria) and reading
//! disruptions back through the viewer's visibility.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, Row, params};
use tessera_access::Viewer;
use tessera_model::EntityKind;
use tessera_model::disruption::{
    AssetKind, DisruptionKind, Impact, ImpactAssessment, ImpactCriteria, ImpactFacts, ProsecutionStatus,
    is_leading_role,
};

use super::actions::{checked_date, require_planner};
use super::{Asset, Disruption, NewDisruption, NewProsecution, Prosecution};
use crate::StoreError;
use crate::marked::{MAX_TEXT, check_markings, checked_entity, checked_text, entity_ref, now};
use crate::visibility::{Visibility, marking_id, visible_report};

/// Most assets, subjects or prosecutions one disruption may name.
const MAX_ITEMS: usize = 500;

/// Whether the visible statements give a person a leading role.
fn leads(conn: &Connection, visibility: &Visibility, person: &str) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.value FROM statements s JOIN entities e ON e.rowid = s.entity JOIN reports r ON r.rowid = s.report
         WHERE e.id = ?1 AND s.property = 'role' AND r.marking IN ({})",
        visibility.sql_list()
    ))?;
    let roles = stmt.query_map([person], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(roles.iter().any(|role| is_leading_role(role)))
}

fn too_many(field: &str, n: usize) -> Result<(), StoreError> {
    if n > MAX_ITEMS { Err(StoreError::Invalid(format!("{field}: more than {MAX_ITEMS}"))) } else { Ok(()) }
}

fn checked_assets(assets: &[Asset]) -> Result<Vec<Asset>, StoreError> {
    too_many("assets", assets.len())?;
    assets
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let description = checked_text(&format!("assets[{i}].description"), &a.description)?;
            if a.quantity == 0 {
                return Err(StoreError::Invalid(format!("assets[{i}].quantity: must be at least 1")));
            }
            if let Some(v) = a.value_gbp
                && (!v.is_finite() || v < 0.0)
            {
                return Err(StoreError::Invalid(format!("assets[{i}].value_gbp: {v} is not an amount of pounds")));
            }
            Ok(Asset { description, ..a.clone() })
        })
        .collect()
}

fn checked_prosecutions(
    conn: &Connection,
    visibility: &Visibility,
    prosecutions: &[NewProsecution],
) -> Result<Vec<NewProsecution>, StoreError> {
    too_many("prosecutions", prosecutions.len())?;
    prosecutions
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let field = format!("prosecutions[{i}]");
            let defendant = checked_entity(
                conn,
                visibility,
                &format!("{field}.defendant"),
                Some(&p.defendant),
                EntityKind::Person,
            )?
            .unwrap_or_default();
            let charge = checked_text(&format!("{field}.charge"), &p.charge)?;
            let date = checked_date(&format!("{field}.date"), p.date.as_deref())?;
            let outcome = match p.outcome.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
                Some(o) => Some(checked_text(&format!("{field}.outcome"), o)?),
                None => None,
            };
            if matches!(p.status, ProsecutionStatus::Convicted) && outcome.is_none() {
                return Err(StoreError::Invalid(format!("{field}.outcome: a conviction needs its sentence or order")));
            }
            Ok(NewProsecution { defendant, charge, status: p.status, date, outcome })
        })
        .collect()
}

/// Value of the assets denied (everything but returned), in pounds.
fn denied_gbp(assets: &[Asset]) -> f64 {
    assets.iter().filter(|a| a.status.denied()).filter_map(|a| a.value_gbp).sum()
}

pub(crate) fn record_disruption(
    conn: &mut Connection,
    viewer: &Viewer,
    criteria: &ImpactCriteria,
    d: &NewDisruption,
) -> Result<Disruption, StoreError> {
    require_planner(viewer, "record disruptions")?;
    let reference = checked_text("reference", &d.reference)?;
    let agency = checked_text("agency", &d.agency)?;
    let summary = checked_text("summary", &d.summary)?;
    let date = checked_date("date", Some(&d.date))?
        .ok_or_else(|| StoreError::Invalid("date: must be given (YYYY-MM-DD)".into()))?;
    check_markings(viewer, &d.markings, &d.handling)?;
    let visibility = Visibility::load(conn, viewer)?;
    let group = checked_entity(conn, &visibility, "group", d.group.as_ref(), EntityKind::Organization)?;
    too_many("subjects", d.subjects.len())?;
    let mut subjects: Vec<String> = Vec::with_capacity(d.subjects.len());
    for (i, s) in d.subjects.iter().enumerate() {
        let id = checked_entity(conn, &visibility, &format!("subjects[{i}]"), Some(s), EntityKind::Person)?
            .unwrap_or_default();
        if !subjects.contains(&id) {
            subjects.push(id);
        }
    }
    too_many("evidence", d.evidence.len())?;
    let mut evidence: Vec<String> = Vec::with_capacity(d.evidence.len());
    for (i, r) in d.evidence.iter().enumerate() {
        let r = r.trim();
        if !visible_report(conn, &visibility, r)? {
            return Err(StoreError::Invalid(format!("evidence[{i}]: no report {r:?} that you may see")));
        }
        if !evidence.iter().any(|e| e == r) {
            evidence.push(r.to_string());
        }
    }
    let action = match d.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(reference) => {
            if !super::visible_action(conn, &visibility, reference)? {
                return Err(StoreError::Invalid(format!(
                    "action: no action {reference:?} of the plan that you may see"
                )));
            }
            Some(reference.to_string())
        }
        None => None,
    };
    let assets = checked_assets(&d.assets)?;
    let prosecutions = checked_prosecutions(conn, &visibility, &d.prosecutions)?;
    let mut leaders = 0;
    for s in &subjects {
        leaders += usize::from(leads(conn, &visibility, s)?);
    }
    let facts = ImpactFacts {
        kind: Some(d.kind),
        subjects: subjects.len(),
        leaders,
        assets_gbp: denied_gbp(&assets),
        craft: assets
            .iter()
            .filter(|a| a.status.denied() && matches!(a.kind, AssetKind::Boat | AssetKind::Engine | AssetKind::Vessel))
            .map(|a| a.quantity as usize)
            .sum(),
        accounts: if d.kind == DisruptionKind::SocialMediaTakedown { d.accounts as usize } else { 0 },
    };
    let assessed = criteria.assess(&facts);
    let impact_reason = d.impact_reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = impact_reason
        && r.chars().count() > MAX_TEXT
    {
        return Err(StoreError::Invalid(format!("impact_reason: longer than {MAX_TEXT} characters")));
    }
    if d.impact != assessed.level && impact_reason.is_none() {
        return Err(StoreError::Invalid(format!(
            "impact_reason: the written criteria give {} ({}); say why this disruption is {}",
            assessed.level,
            assessed.reasons.first().map_or("", String::as_str),
            d.impact
        )));
    }
    let tx = conn.transaction()?;
    let marking = marking_id(&tx, &d.markings, d.handling.code())?;
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM disruptions WHERE reference = ?1 AND marking = ?2",
            params![reference, marking],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        return Err(StoreError::Invalid(format!(
            "reference: {reference:?} is already in the log under these markings (disruption {id})"
        )));
    }
    tx.execute(
        "INSERT INTO disruptions (reference, kind, date, agency, grp, subjects, summary, evidence, action, accounts,
            impact, impact_reason, assessed, assets, prosecutions, recorded_by, recorded_at, marking, handling,
            handling_conditions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            reference,
            d.kind.name(),
            date,
            agency,
            group,
            to_json(&subjects)?,
            summary,
            to_json(&evidence)?,
            action,
            d.accounts,
            d.impact.name(),
            impact_reason,
            to_json(&assessed)?,
            to_json(&assets)?,
            to_json(&prosecutions)?,
            viewer.user,
            now(),
            marking,
            d.handling.code().to_string(),
            d.handling.conditions()
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    load(conn, &Visibility::load(conn, viewer)?, id)?
        .ok_or_else(|| StoreError::Corrupt(format!("disruption {id} vanished")))
}

/// A JSON column's text.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The columns of [`DisruptionRow`], to follow `SELECT`.
const COLUMNS: &str = "id, reference, kind, date, agency, grp, subjects, summary, evidence, action, accounts, impact,
    impact_reason, assessed, assets, prosecutions, recorded_by, recorded_at, marking";

struct DisruptionRow {
    id: i64,
    reference: String,
    kind: String,
    date: String,
    agency: String,
    group: Option<String>,
    subjects: String,
    summary: String,
    evidence: String,
    action: Option<String>,
    accounts: u32,
    impact: String,
    impact_reason: Option<String>,
    assessed: String,
    assets: String,
    prosecutions: String,
    recorded_by: String,
    recorded_at: i64,
    marking: i64,
}

fn row(r: &Row<'_>) -> rusqlite::Result<DisruptionRow> {
    Ok(DisruptionRow {
        id: r.get(0)?,
        reference: r.get(1)?,
        kind: r.get(2)?,
        date: r.get(3)?,
        agency: r.get(4)?,
        group: r.get(5)?,
        subjects: r.get(6)?,
        summary: r.get(7)?,
        evidence: r.get(8)?,
        action: r.get(9)?,
        accounts: r.get(10)?,
        impact: r.get(11)?,
        impact_reason: r.get(12)?,
        assessed: r.get(13)?,
        assets: r.get(14)?,
        prosecutions: r.get(15)?,
        recorded_by: r.get(16)?,
        recorded_at: r.get(17)?,
        marking: r.get(18)?,
    })
}

#[derive(serde::Deserialize)]
struct StoredAssessment {
    level: Impact,
    reasons: Vec<String>,
}

fn build(conn: &Connection, visibility: &Visibility, row: DisruptionRow) -> Result<Option<Disruption>, StoreError> {
    let Some(markings) = visibility.get(row.marking) else { return Ok(None) };
    let corrupt = |what: &str| StoreError::Corrupt(format!("disruption {}: {what}", row.id));
    let parse = |text: &str, what: &str| -> Result<serde_json::Value, StoreError> {
        serde_json::from_str(text).map_err(|_| corrupt(what))
    };
    let subject_ids: Vec<String> =
        serde_json::from_value(parse(&row.subjects, "subjects")?).map_err(|_| corrupt("subjects"))?;
    let evidence_ids: Vec<String> =
        serde_json::from_value(parse(&row.evidence, "evidence")?).map_err(|_| corrupt("evidence"))?;
    let assessed: StoredAssessment =
        serde_json::from_value(parse(&row.assessed, "assessed")?).map_err(|_| corrupt("assessed"))?;
    let assets: Vec<Asset> = serde_json::from_value(parse(&row.assets, "assets")?).map_err(|_| corrupt("assets"))?;
    let stored: Vec<NewProsecution> =
        serde_json::from_value(parse(&row.prosecutions, "prosecutions")?).map_err(|_| corrupt("prosecutions"))?;
    let mut subjects = Vec::new();
    for id in &subject_ids {
        subjects.extend(entity_ref(conn, visibility, id, EntityKind::Person)?);
    }
    let mut evidence = Vec::new();
    for id in evidence_ids {
        if visible_report(conn, visibility, &id)? {
            evidence.push(id);
        }
    }
    let mut prosecutions = Vec::with_capacity(stored.len());
    for p in stored {
        prosecutions.push(Prosecution {
            defendant: entity_ref(conn, visibility, &p.defendant, EntityKind::Person)?,
            charge: p.charge,
            status: p.status,
            date: p.date,
            outcome: p.outcome,
        });
    }
    let group = match &row.group {
        Some(g) => entity_ref(conn, visibility, g, EntityKind::Organization)?,
        None => None,
    };
    Ok(Some(Disruption {
        id: row.id,
        reference: row.reference,
        kind: DisruptionKind::from_name(&row.kind).ok_or_else(|| corrupt("kind"))?,
        date: row.date,
        agency: row.agency,
        group,
        other_subjects: subject_ids.len() - subjects.len(),
        subjects,
        summary: row.summary,
        evidence,
        action: row.action,
        accounts: row.accounts,
        impact: Impact::from_name(&row.impact).ok_or_else(|| corrupt("impact"))?,
        impact_reason: row.impact_reason,
        assessed: ImpactAssessment { level: assessed.level, reasons: assessed.reasons },
        denied_gbp: denied_gbp(&assets),
        assets,
        prosecutions,
        recorded_by: row.recorded_by,
        recorded_at: row.recorded_at,
        classification: markings.classification,
        owner_agency: markings.owner.clone(),
        banner: markings.banner(),
    }))
}

fn load(conn: &Connection, visibility: &Visibility, id: i64) -> Result<Option<Disruption>, StoreError> {
    let found = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM disruptions WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?;
    match found {
        Some(r) => build(conn, visibility, r),
        None => Ok(None),
    }
}

pub(crate) fn disruption(conn: &Connection, viewer: &Viewer, id: i64) -> Result<Option<Disruption>, StoreError> {
    load(conn, &Visibility::load(conn, viewer)?, id)
}

/// The disruptions the viewer may see, newest first; with `groups`, only those recorded against one
/// of these organisation ids.
pub(crate) fn disruptions(
    conn: &Connection,
    viewer: &Viewer,
    groups: Option<&[String]>,
) -> Result<Vec<Disruption>, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM disruptions WHERE marking IN ({}) ORDER BY date DESC, id DESC",
        visibility.sql_list()
    ))?;
    let rows = stmt.query_map([], row)?.collect::<Result<Vec<_>, _>>()?;
    let wanted: Option<BTreeSet<&str>> = groups.map(|g| g.iter().map(String::as_str).collect());
    let mut out = Vec::new();
    for r in rows {
        // A group the viewer may not see matches no filter: asking by its id tells nothing.
        if let Some(w) = &wanted {
            let visible_group = match r.group.as_deref().filter(|g| w.contains(g)) {
                Some(g) => entity_ref(conn, &visibility, g, EntityKind::Organization)?.is_some(),
                None => false,
            };
            if !visible_group {
                continue;
            }
        }
        out.extend(build(conn, &visibility, r)?);
    }
    Ok(out)
}
