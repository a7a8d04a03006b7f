//! Search: identifiers normalised before lookup, names matched through
//! transliteration-tolerant keys, and words matched in report text. Every
//! candidate is put to the access policy before it is counted or ranked.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use tessera_access::{Policy, Viewer};
use tessera_model::identifiers::IdentifierKind;
use tessera_model::names;

use crate::read::{caption, visible_statements};
use crate::{EntityHit, MatchReason, ReportHit, SearchRequest, SearchResults, StoreError};

/// Most candidate rows one index lookup may return; bounds the latency of very common names.
const CANDIDATE_CAP: usize = 20_000;

/// Searches identifiers, names and report text.
pub(crate) fn search(conn: &Connection, viewer: &Viewer, request: &SearchRequest) -> Result<SearchResults, StoreError> {
    let query = request.query.trim();
    let identifiers = recognise(query);
    let mut entities: BTreeMap<String, EntityHit> = BTreeMap::new();
    let mut report_ids: Vec<String> = Vec::new();

    for candidate in &identifiers {
        let statements = visible_statements(conn, viewer, "WHERE s.value = ?1 LIMIT 20000", [&candidate.value])?;
        for s in statements {
            let st = s.statement;
            if !report_ids.contains(&st.report_id) {
                report_ids.push(st.report_id.clone());
            }
            let hit = entities.entry(st.entity_id.clone()).or_insert_with(|| EntityHit {
                id: st.entity_id.clone(),
                kind: st.kind,
                caption: String::new(),
                matched: Vec::new(),
                reason: MatchReason::Identifier,
                score: 1.0,
            });
            let shown = st.original.unwrap_or(st.value);
            if !hit.matched.contains(&shown) {
                hit.matched.push(shown);
            }
        }
    }

    if let Some(fts) = name_match_expression(query) {
        let sql = format!("WHERE s.id IN (SELECT rowid FROM name_keys WHERE name_keys MATCH ?1 LIMIT {CANDIDATE_CAP})");
        for s in visible_statements(conn, viewer, &sql, [&fts])? {
            let st = s.statement;
            let score = names::similarity(query, &st.value);
            let hit = entities.entry(st.entity_id.clone()).or_insert_with(|| EntityHit {
                id: st.entity_id.clone(),
                kind: st.kind,
                caption: String::new(),
                matched: Vec::new(),
                reason: MatchReason::Name,
                score: 0.0,
            });
            if hit.reason == MatchReason::Name {
                hit.score = hit.score.max(score);
            }
            if !hit.matched.contains(&st.value) {
                hit.matched.push(st.value);
            }
        }
    }

    let mut hits: Vec<EntityHit> =
        entities.into_values().filter(|h| request.kinds.is_empty() || request.kinds.contains(&h.kind)).collect();
    hits.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then_with(|| b.matched.len().cmp(&a.matched.len())).then(a.id.cmp(&b.id))
    });
    let total_entities = hits.len();
    let mut page: Vec<EntityHit> = hits.into_iter().skip(request.offset).take(request.limit).collect();
    for hit in &mut page {
        hit.caption = caption(conn, viewer, &hit.id)?.map(|(_, c)| c).unwrap_or_else(|| hit.id.clone());
    }

    let (reports, total_reports) = report_hits(conn, viewer, query, &report_ids, request)?;
    Ok(SearchResults {
        query: request.query.clone(),
        identifiers: identifiers.iter().map(|c| tessera_model::identifiers::entity_id_for(c.kind, &c.value)).collect(),
        entities: page,
        total_entities,
        reports,
        total_reports,
    })
}

/// An identifier the query was read as.
struct Recognised {
    kind: IdentifierKind,
    value: String,
}

/// Every kind of identifier the query validates as, normalised ("07700 900123" → "+447700900123").
/// Queries without a digit or an `@` are names or words, never identifiers.
fn recognise(query: &str) -> Vec<Recognised> {
    if !query.bytes().any(|b| b.is_ascii_digit() || b == b'@') {
        return Vec::new();
    }
    let mut out: Vec<Recognised> = Vec::new();
    for kind in IdentifierKind::ALL {
        if let Ok(value) = kind.normalize(query)
            && !out.iter().any(|r| r.value == value)
        {
            out.push(Recognised { kind, value });
        }
    }
    out
}

/// The FTS5 expression matching any variant of every token of a name:
/// `(k1 OR l1) AND (k2 OR l2) ...`; `None` when the query has no name tokens.
fn name_match_expression(query: &str) -> Option<String> {
    let groups = names::query_keys(query);
    let clauses: Vec<String> = groups
        .iter()
        .filter(|alternatives| !alternatives.is_empty())
        .map(|alternatives| {
            let quoted: Vec<String> = alternatives.iter().map(|k| fts_quote(k)).collect();
            format!("({})", quoted.join(" OR "))
        })
        .collect();
    (!clauses.is_empty()).then(|| clauses.join(" AND "))
}

/// Quotes a term for an FTS5 expression.
fn fts_quote(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// The FTS5 expression for words typed by a user: every word must appear (prefix match on the last).
fn text_match_expression(query: &str) -> Option<String> {
    let words: Vec<&str> = query.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let last = words.len().checked_sub(1)?;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| if i == last && w.chars().count() >= 3 { format!("{}*", fts_quote(w)) } else { fts_quote(w) })
        .collect();
    Some(terms.join(" "))
}

/// Reports that carry the query's identifiers, then reports whose text matches its words; visible ones only.
fn report_hits(
    conn: &Connection,
    viewer: &Viewer,
    query: &str,
    identifier_reports: &[String],
    request: &SearchRequest,
) -> Result<(Vec<ReportHit>, usize), StoreError> {
    struct Candidate {
        rowid: Option<i64>,
        id: String,
    }
    let mut candidates: Vec<Candidate> =
        identifier_reports.iter().map(|id| Candidate { rowid: None, id: id.clone() }).collect();
    let mut seen: HashMap<String, ()> = identifier_reports.iter().map(|id| (id.clone(), ())).collect();
    if let Some(fts) = text_match_expression(query) {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT r.rowid, r.id, r.classification, r.owner, r.compartments, r.caveats
             FROM report_text JOIN reports r ON r.rowid = report_text.rowid
             WHERE report_text MATCH ?1 ORDER BY rank LIMIT {CANDIDATE_CAP}"
        ))?;
        let rows = stmt.query_map([&fts], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u8>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        });
        // A malformed expression is the user's typing, not a server fault: it simply matches nothing.
        if let Ok(rows) = rows {
            for row in rows.flatten() {
                let (rowid, id, class, owner, compartments, caveats) = row;
                let markings = crate::codec::markings_from_columns(class, owner, &compartments, &caveats)?;
                if Policy.may_see(viewer, &markings) && seen.insert(id.clone(), ()).is_none() {
                    candidates.push(Candidate { rowid: Some(rowid), id });
                }
            }
        }
    }
    let total = candidates.len();
    let mut hits = Vec::new();
    let fts = text_match_expression(query);
    for candidate in candidates.into_iter().skip(request.offset).take(request.limit) {
        let Some(view) = crate::read::report_header(conn, viewer, &candidate.id)? else { continue };
        let snippet = match (candidate.rowid, &fts) {
            (Some(rowid), Some(fts)) => conn
                .query_row(
                    "SELECT snippet(report_text, 0, '[', ']', '…', 24) FROM report_text WHERE report_text MATCH ?1 AND rowid = ?2",
                    rusqlite::params![fts, rowid],
                    |r| r.get::<_, String>(0),
                )
                .unwrap_or_else(|_| view.1.clone()),
            _ => view.1.clone(),
        };
        hits.push(ReportHit { snippet, ..view.0 });
    }
    Ok((hits, total))
}
