//! The facts the threat picture is aggregated from, read only from what the
//! viewer may see.
//!
//! One [`ReportFacts`] per report the viewer may see (its marking passes
//! `tessera_access::Policy` through [`Visibility`]) dated within the request:
//! its date, agency, grading and the confidence [`statement_confidence`] gives
//! it, its streams and routes, and from the statements it carries the
//! countries (any `country`, a vessel's `flag`), the nationalities of people,
//! and the entities it mentions with their kind, `type` and `documentStatus`,
//! and the entity each is resolved to as the viewer sees its cluster.
//! Statements carry their report's marking, so a report the viewer may not
//! see contributes nothing: no report, no entity, no country, no date.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::Connection;
use serde::Serialize;
use tessera_access::Viewer;
use tessera_model::{Classification, EntityKind};

use crate::StoreError;
use crate::codec::{GradingColumns, column_to_list};
use crate::network::statement_confidence;
use crate::resolution::visible_members;
use crate::visibility::Visibility;

/// Which reports the picture is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PictureRequest {
    /// First report date included (`YYYY-MM-DD`, or a prefix such as `YYYY-MM`); `None` for no bound.
    pub from: Option<String>,
    /// Last report date included (`YYYY-MM-DD`, or a prefix such as `YYYY-MM`, which takes the whole month).
    pub until: Option<String>,
}

/// One entity a report mentions, as that report describes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EntityFacts {
    /// The entity's record id.
    pub id: String,
    /// The entity it is resolved to, as the viewer sees it: the smallest id among the visible members of
    /// its cluster (records joined only through hidden material stay apart); its own id when unresolved.
    pub resolved: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Its `type` values in this report (vessel or vehicle type, document type), lower case.
    pub types: Vec<String>,
    /// Its `documentStatus` values in this report (documents only).
    pub statuses: Vec<String>,
}

/// What one visible report contributes to the picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportFacts {
    /// The report's id.
    pub id: String,
    /// Its date as recorded (`YYYY-MM-DD`).
    pub date: String,
    /// The agency that owns it.
    pub agency: String,
    /// Source evaluation code (1/2/3 in the UK 3x5x2 scheme).
    pub source: String,
    /// Intelligence assessment code (A–E).
    pub intelligence: String,
    /// The confidence of its statements, from the grading ([`statement_confidence`]), 0 to 1.
    pub confidence: f64,
    /// Its classification (a document built from it is marked at least this high).
    pub classification: Classification,
    /// Its stream codes (`facilitation_sea`, ...).
    pub streams: Vec<String>,
    /// Its route codes (`channel`, ...).
    pub routes: Vec<String>,
    /// ISO countries its statements name (`country` of any entity, `flag` of a vessel).
    pub countries: BTreeSet<String>,
    /// Nationalities of the people it mentions.
    pub nationalities: BTreeSet<String>,
    /// The entities it mentions, by id.
    pub entities: Vec<EntityFacts>,
}

/// Everything the picture is built from, for one viewer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PictureFacts {
    /// The visible reports in the requested period, by date then id.
    pub reports: Vec<ReportFacts>,
}

/// The upper bound for `until`: a prefix takes everything that starts with it.
fn until_bound(until: &str) -> String {
    format!("{until}\u{10FFFF}")
}

/// Checks a date bound: digits and dashes, starting with a four-digit year.
fn check_bound(name: &str, value: &str) -> Result<(), StoreError> {
    let ok = value.len() >= 4
        && value.len() <= 10
        && value.chars().all(|c| c.is_ascii_digit() || c == '-')
        && value.chars().take(4).all(|c| c.is_ascii_digit());
    if ok { Ok(()) } else { Err(StoreError::Invalid(format!("{name}: {value:?} is not a date (YYYY[-MM[-DD]])"))) }
}

/// The picture facts for one viewer.
pub(crate) fn picture_facts(
    conn: &Connection,
    viewer: &Viewer,
    request: &PictureRequest,
) -> Result<PictureFacts, StoreError> {
    if let Some(f) = &request.from {
        check_bound("from", f)?;
    }
    if let Some(u) = &request.until {
        check_bound("until", u)?;
    }
    let vis = Visibility::load(conn, viewer)?;
    let visible = vis.sql_list();
    let from = request.from.clone().unwrap_or_default();
    let until = request.until.as_deref().map(until_bound).unwrap_or_else(|| until_bound("9999"));

    let mut reports: BTreeMap<i64, ReportFacts> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.rowid, r.id, r.date, r.agency, r.streams, r.routes,
                r.source_eval, r.intel_eval, r.handling, r.handling_conditions, r.original_scheme, r.original_code, r.marking
         FROM reports r WHERE r.marking IN ({visible}) AND r.date >= ?1 AND r.date <= ?2"
    ))?;
    let mut rows = stmt.query([&from, &until])?;
    while let Some(row) = rows.next()? {
        let grading = GradingColumns::from_row(row, 6)?;
        let source = grading.source.clone();
        let intelligence = grading.intelligence.clone();
        let confidence = statement_confidence(&grading.into_grading()?);
        let streams: String = row.get(4)?;
        let routes: String = row.get(5)?;
        let marking: i64 = row.get(12)?;
        let classification = vis
            .get(marking)
            .map(|m| m.classification)
            .ok_or_else(|| StoreError::Corrupt(format!("marking {marking} of a visible report")))?;
        reports.insert(
            row.get(0)?,
            ReportFacts {
                id: row.get(1)?,
                date: row.get(2)?,
                agency: row.get(3)?,
                source,
                intelligence,
                confidence,
                classification,
                streams: column_to_list(&streams)?,
                routes: column_to_list(&routes)?,
                countries: BTreeSet::new(),
                nationalities: BTreeSet::new(),
                entities: Vec::new(),
            },
        );
    }

    let mut entities: BTreeMap<(i64, String), EntityFacts> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.report, e.id, e.kind, s.property, s.value
         FROM statements s JOIN entities e ON e.rowid = s.entity JOIN reports r ON r.rowid = s.report
         WHERE r.marking IN ({visible}) AND r.date >= ?1 AND r.date <= ?2"
    ))?;
    let mut rows = stmt.query([&from, &until])?;
    while let Some(row) = rows.next()? {
        let report: i64 = row.get(0)?;
        let Some(facts) = reports.get_mut(&report) else { continue };
        let id: String = row.get(1)?;
        let kind_name: String = row.get(2)?;
        let kind = EntityKind::from_name(&kind_name).ok_or_else(|| StoreError::Corrupt(format!("kind {kind_name}")))?;
        let property: String = row.get(3)?;
        let value: String = row.get(4)?;
        let entity = entities.entry((report, id.clone())).or_insert_with(|| EntityFacts {
            resolved: id.clone(),
            id,
            kind,
            types: Vec::new(),
            statuses: Vec::new(),
        });
        match property.as_str() {
            "country" => {
                facts.countries.insert(value);
            }
            "flag" if kind == EntityKind::Vessel => {
                facts.countries.insert(value);
            }
            "nationality" if kind == EntityKind::Person => {
                facts.nationalities.insert(value);
            }
            "type" => push_unique(&mut entity.types, value.to_lowercase()),
            "documentStatus" => push_unique(&mut entity.statuses, value.to_lowercase()),
            _ => {}
        }
    }
    let mut resolved: HashMap<String, String> = HashMap::new();
    for ((report, _), mut entity) in entities {
        entity.resolved = resolve(conn, &vis, &entity.id, &mut resolved)?;
        if let Some(facts) = reports.get_mut(&report) {
            facts.entities.push(entity);
        }
    }
    let mut reports: Vec<ReportFacts> = reports.into_values().collect();
    reports.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    Ok(PictureFacts { reports })
}

/// The smallest visible member id of an entity's cluster (cached for every member found).
fn resolve(
    conn: &Connection,
    vis: &Visibility,
    id: &str,
    cache: &mut HashMap<String, String>,
) -> Result<String, StoreError> {
    if let Some(r) = cache.get(id) {
        return Ok(r.clone());
    }
    let members = visible_members(conn, vis, id)?;
    let canonical = members.iter().map(|m| m.id.as_str()).min().unwrap_or(id).to_string();
    cache.insert(id.to_string(), canonical.clone());
    for m in members {
        cache.insert(m.id, canonical.clone());
    }
    Ok(canonical)
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
        list.sort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_must_look_like_dates() {
        assert!(check_bound("from", "2025-03").is_ok());
        assert!(check_bound("from", "2025-03-01").is_ok());
        let e = check_bound("until", "march").unwrap_err().to_string();
        assert!(e.contains("until"), "{e}");
        assert!(check_bound("from", "2025' OR 1=1").is_err());
        assert!(check_bound("from", "25").is_err());
    }

    #[test]
    fn a_month_as_until_takes_the_whole_month() {
        let bound = until_bound("2025-03");
        assert!("2025-03-31" <= bound.as_str());
        assert!("2025-04-01" > bound.as_str());
    }
}
