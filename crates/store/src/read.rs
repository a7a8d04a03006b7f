//! Reads of entities, reports and counts, each built only from what the
//! viewer may see.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row};
use tessera_access::Viewer;
use tessera_model::report::{Origin, Statement};
use tessera_model::{EntityKind, LinkType, Markings};

use crate::codec::{GradingColumns, column_to_list};
use crate::visibility::Visibility;
use crate::{EntityView, ReportView, Stats, StoreError, StoredStatement};

/// The columns of [`statement_from_row`], to follow `SELECT`.
pub(crate) const STATEMENT_COLUMNS: &str = "s.id, e.id, s.kind, s.property, s.value, s.original, r.id, r.agency,
    r.source_eval, r.intel_eval, r.handling, r.handling_conditions, r.original_scheme, r.original_code,
    r.marking, s.observed, s.recorded, s.origin";

/// The joins that go with [`STATEMENT_COLUMNS`].
pub(crate) const STATEMENT_FROM: &str =
    "FROM statements s JOIN entities e ON e.rowid = s.entity JOIN reports r ON r.rowid = s.report";

/// A raw row before decoding (decoding errors are not rusqlite errors).
pub(crate) struct StatementRow {
    id: i64,
    entity_id: String,
    kind: String,
    property: String,
    value: String,
    original: Option<String>,
    report_id: String,
    agency: String,
    grading: GradingColumns,
    marking: i64,
    observed: String,
    recorded: String,
    origin: String,
}

/// Reads a row selected with [`STATEMENT_COLUMNS`].
pub(crate) fn statement_row(row: &Row<'_>) -> rusqlite::Result<StatementRow> {
    Ok(StatementRow {
        id: row.get(0)?,
        entity_id: row.get(1)?,
        kind: row.get(2)?,
        property: row.get(3)?,
        value: row.get(4)?,
        original: row.get(5)?,
        report_id: row.get(6)?,
        agency: row.get(7)?,
        grading: GradingColumns::from_row(row, 8)?,
        marking: row.get(14)?,
        observed: row.get(15)?,
        recorded: row.get(16)?,
        origin: row.get(17)?,
    })
}

impl StatementRow {
    /// Decodes the row, given its already-decoded markings.
    pub(crate) fn decode(self, markings: Markings) -> Result<StoredStatement, StoreError> {
        Ok(StoredStatement {
            id: self.id,
            statement: Statement {
                entity_id: self.entity_id,
                kind: EntityKind::from_name(&self.kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("kind {}", self.kind)))?,
                property: self.property,
                value: self.value,
                original: self.original,
                report_id: self.report_id,
                agency: self.agency,
                grading: self.grading.into_grading()?,
                markings,
                observed: self.observed,
                recorded: self.recorded,
                origin: Origin::from_name(&self.origin)
                    .ok_or_else(|| StoreError::Corrupt(format!("origin {}", self.origin)))?,
            },
        })
    }
}

/// Runs a statement query and keeps the rows the viewer may see.
pub(crate) fn visible_statements(
    conn: &Connection,
    visibility: &Visibility,
    sql_tail: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<StoredStatement>, StoreError> {
    let sql = format!("SELECT {STATEMENT_COLUMNS} {STATEMENT_FROM} {sql_tail}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params, statement_row)?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if let Some(markings) = visibility.get(row.marking) {
            let markings = markings.clone();
            out.push(row.decode(markings)?);
        }
    }
    Ok(out)
}

/// The SQL list of link property names, for `IN (...)`.
pub(crate) fn link_names_sql() -> String {
    LinkType::ALL.iter().map(|l| format!("'{}'", l.name())).collect::<Vec<_>>().join(", ")
}

/// The caption of an entity from the statements the viewer may see: the most
/// frequent visible value of its caption property, else its id; `None` if the
/// viewer sees no statement about it at all.
pub(crate) fn caption(
    conn: &Connection,
    visibility: &Visibility,
    entity_id: &str,
) -> Result<Option<(EntityKind, String)>, StoreError> {
    let row: Option<(i64, String)> = conn
        .prepare_cached("SELECT rowid, kind FROM entities WHERE id = ?1")?
        .query_row([entity_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((rowid, kind)) = row else { return Ok(None) };
    let kind = EntityKind::from_name(&kind).ok_or_else(|| StoreError::Corrupt(format!("kind {kind}")))?;
    let visible = visibility.sql_list();
    let mut values = conn.prepare_cached(&format!(
        "SELECT s.value FROM statements s JOIN reports r ON r.rowid = s.report
         WHERE s.entity = ?1 AND s.property = ?2 AND r.marking IN ({visible}) ORDER BY s.id"
    ))?;
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (order, value) in values.query_map(rusqlite::params![rowid, kind.caption_property()], |r| r.get(0))?.enumerate()
    {
        counts.entry(value?).or_insert((0, order)).0 += 1;
    }
    if counts.is_empty() {
        let any: bool = conn
            .prepare_cached(&format!(
                "SELECT EXISTS(SELECT 1 FROM statements s JOIN reports r ON r.rowid = s.report
                 WHERE s.entity = ?1 AND r.marking IN ({visible}))"
            ))?
            .query_row([rowid], |r| r.get(0))?;
        if !any {
            return Ok(None);
        }
    }
    let best = counts.into_iter().max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1))).map(|(value, _)| value);
    Ok(Some((kind, best.unwrap_or_else(|| entity_id.to_string()))))
}

/// The caption among already-loaded visible statements.
pub(crate) fn caption_of(kind: EntityKind, entity_id: &str, statements: &[StoredStatement]) -> String {
    let wanted = kind.caption_property();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (order, s) in statements.iter().enumerate() {
        if s.statement.property == wanted {
            let entry = counts.entry(s.statement.value.as_str()).or_insert((0, order));
            entry.0 += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(value, _)| value.to_string())
        .unwrap_or_else(|| entity_id.to_string())
}

/// Adds the captions of every entity that `statements` mention (subjects and link targets).
fn captions_for(
    conn: &Connection,
    visibility: &Visibility,
    statements: &[StoredStatement],
    captions: &mut BTreeMap<String, String>,
) -> Result<(), StoreError> {
    for s in statements {
        let mut ids = vec![&s.statement.entity_id];
        if s.statement.link_type().is_some() {
            ids.push(&s.statement.value);
        }
        for id in ids {
            if !captions.contains_key(id)
                && let Some((_, caption)) = caption(conn, visibility, id)?
            {
                captions.insert(id.clone(), caption);
            }
        }
    }
    Ok(())
}

/// An entity built from the viewer's visible statements.
pub(crate) fn entity(conn: &Connection, viewer: &Viewer, id: &str) -> Result<Option<EntityView>, StoreError> {
    let row: Option<(i64, String)> = conn
        .query_row("SELECT rowid, kind FROM entities WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((rowid, kind)) = row else { return Ok(None) };
    let kind = EntityKind::from_name(&kind).ok_or_else(|| StoreError::Corrupt(format!("kind {kind}")))?;
    let visibility = Visibility::load(conn, viewer)?;
    let statements = visible_statements(conn, &visibility, "WHERE s.entity = ?1 ORDER BY r.date, s.id", [rowid])?;
    if statements.is_empty() {
        return Ok(None);
    }
    let inbound = visible_statements(
        conn,
        &visibility,
        &format!("WHERE s.lookup = 1 AND s.value = ?1 AND s.property IN ({}) ORDER BY r.date, s.id", link_names_sql()),
        [id],
    )?;
    let caption = caption_of(kind, id, &statements);
    let mut captions = BTreeMap::from([(id.to_string(), caption.clone())]);
    captions_for(conn, &visibility, &statements, &mut captions)?;
    captions_for(conn, &visibility, &inbound, &mut captions)?;
    Ok(Some(EntityView { id: id.to_string(), kind, caption, statements, inbound, captions }))
}

/// A report with its statements, if the viewer may see it.
pub(crate) fn report(conn: &Connection, viewer: &Viewer, id: &str) -> Result<Option<ReportView>, StoreError> {
    let row = conn
        .query_row(
            "SELECT reports.rowid, id, agency, author, date, source_eval, intel_eval, handling, handling_conditions,
                original_scheme, original_code, marking, streams, routes, b.text, source_file, recorded
             FROM reports JOIN report_bodies b ON b.rowid = reports.rowid WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    [r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
                    GradingColumns::from_row(r, 5)?,
                    r.get::<_, i64>(11)?,
                    [r.get::<_, String>(12)?, r.get(13)?, r.get(14)?, r.get(15)?, r.get(16)?],
                ))
            },
        )
        .optional()?;
    let Some((rowid, [id, agency, author, date], grading, marking, rest)) = row else {
        return Ok(None);
    };
    let visibility = Visibility::load(conn, viewer)?;
    let Some(markings) = visibility.get(marking).cloned() else {
        return Ok(None);
    };
    let [streams, routes, text, source_file, recorded] = rest;
    let statements = visible_statements(conn, &visibility, "WHERE s.report = ?1 ORDER BY s.id", [rowid])?;
    let mut captions = BTreeMap::new();
    captions_for(conn, &visibility, &statements, &mut captions)?;
    Ok(Some(ReportView {
        id,
        agency,
        author,
        date,
        grading: grading.into_grading()?,
        markings,
        streams: column_to_list(&streams)?,
        routes: column_to_list(&routes)?,
        text,
        source_file,
        recorded,
        statements,
        captions,
    }))
}

/// Counts of what the viewer may see.
pub(crate) fn stats(conn: &Connection, viewer: &Viewer) -> Result<Stats, StoreError> {
    let visible = Visibility::load(conn, viewer)?.sql_list();
    let mut stats = Stats::default();
    let mut per_agency = conn.prepare_cached(&format!(
        "SELECT agency, COUNT(*) FROM reports WHERE marking IN ({visible}) GROUP BY agency ORDER BY agency"
    ))?;
    for row in per_agency.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (agency, reports) = row?;
        stats.reports += reports as usize;
        stats.agencies.push((agency, reports as usize));
    }
    let (statements, entities): (i64, i64) = conn
        .prepare_cached(&format!(
            "SELECT COUNT(*), COUNT(DISTINCT s.entity) FROM statements s JOIN reports r ON r.rowid = s.report
         WHERE r.marking IN ({visible})"
        ))?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    stats.statements = statements as usize;
    stats.entities = entities as usize;
    Ok(stats)
}

/// The summary of a report for a result list, and its text; `None` if the viewer may not see it.
pub(crate) fn report_header(
    conn: &Connection,
    visibility: &Visibility,
    id: &str,
) -> Result<Option<(crate::ReportHit, String)>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT id, agency, date, source_eval, intel_eval, handling, handling_conditions, original_scheme,
                original_code, marking, b.text
             FROM reports JOIN report_bodies b ON b.rowid = reports.rowid WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                [r.get::<_, String>(0)?, r.get(1)?, r.get(2)?],
                GradingColumns::from_row(r, 3)?,
                r.get::<_, i64>(9)?,
                r.get::<_, String>(10)?,
            ))
        })
        .optional()?;
    let Some(([id, agency, date], grading, marking, text)) = row else {
        return Ok(None);
    };
    let Some(markings) = visibility.get(marking).cloned() else {
        return Ok(None);
    };
    let hit = crate::ReportHit {
        id,
        agency,
        date,
        banner: markings.banner(),
        grading: grading.into_grading()?.code(),
        snippet: String::new(),
    };
    Ok(Some((hit, text)))
}
