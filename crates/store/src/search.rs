//! Search: identifiers normalised before lookup, names matched through
//! transliteration-tolerant keys, and words matched in report text. Every
//! candidate is put to the access policy before it is counted or ranked.

use std::collections::{BTreeMap, HashSet};

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
    // Reports behind identifier and name matches, with the strings to highlight in each.
    let mut linked_reports: Vec<LinkedReport> = Vec::new();

    for candidate in &identifiers {
        let statements = visible_statements(conn, viewer, "WHERE s.value = ?1 LIMIT 20000", [&candidate.value])?;
        for s in statements {
            let st = s.statement;
            link_report(&mut linked_reports, &st.report_id, 2.0, [st.original.as_deref(), Some(&st.value)]);
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
            link_report(&mut linked_reports, &st.report_id, score, [Some(st.value.as_str()), None]);
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

    linked_reports.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    let (reports, total_reports) = report_hits(conn, viewer, query, linked_reports, request)?;
    Ok(SearchResults {
        query: request.query.clone(),
        identifiers: identifiers.iter().map(|c| tessera_model::identifiers::entity_id_for(c.kind, &c.value)).collect(),
        entities: page,
        total_entities,
        reports,
        total_reports,
    })
}

/// A report that carries a matching statement, ranked by how well it matched.
struct LinkedReport {
    id: String,
    score: f64,
    /// The matched values as written in that report, to highlight in its text.
    needles: Vec<String>,
}

fn link_report(reports: &mut Vec<LinkedReport>, id: &str, score: f64, needles: [Option<&str>; 2]) {
    let index = match reports.iter().position(|r| r.id == id) {
        Some(i) => i,
        None => {
            reports.push(LinkedReport { id: id.to_string(), score, needles: Vec::new() });
            reports.len() - 1
        }
    };
    let report = &mut reports[index];
    report.score = report.score.max(score);
    for needle in needles.into_iter().flatten() {
        if !report.needles.iter().any(|n| n == needle) {
            report.needles.push(needle.to_string());
        }
    }
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
    // Document numbers and plates accept almost any short alphanumeric string, so they count only
    // when no identifier with a stricter shape (phone, IBAN, IMO, ...) matched.
    let loose = [IdentifierKind::Passport, IdentifierKind::Plate];
    for kind in IdentifierKind::ALL.into_iter().filter(|k| !loose.contains(k)).chain(loose) {
        if loose.contains(&kind) && out.iter().any(|r| !loose.contains(&r.kind)) {
            break;
        }
        // A handle is read as one only when written with its "@".
        if kind == IdentifierKind::Handle && !query.starts_with('@') {
            continue;
        }
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

/// Reports that carry the matched statements, then reports whose text matches the query's words;
/// visible ones only, each with a snippet that marks the match between `[` and `]`.
fn report_hits(
    conn: &Connection,
    viewer: &Viewer,
    query: &str,
    linked: Vec<LinkedReport>,
    request: &SearchRequest,
) -> Result<(Vec<ReportHit>, usize), StoreError> {
    let mut seen: HashSet<String> = linked.iter().map(|r| r.id.clone()).collect();
    let mut candidates: Vec<(String, Option<i64>, Vec<String>)> =
        linked.into_iter().map(|r| (r.id, None, r.needles)).collect();
    let fts = text_match_expression(query);
    if let Some(fts) = &fts {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT r.rowid, r.id, r.classification, r.owner, r.compartments, r.caveats
             FROM report_text JOIN reports r ON r.rowid = report_text.rowid
             WHERE report_text MATCH ?1 ORDER BY rank LIMIT {CANDIDATE_CAP}"
        ))?;
        let rows = stmt.query_map([fts], |r| {
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
            for (rowid, id, class, owner, compartments, caveats) in rows.flatten() {
                let markings = crate::codec::markings_from_columns(class, owner, &compartments, &caveats)?;
                if Policy.may_see(viewer, &markings) && seen.insert(id.clone()) {
                    candidates.push((id, Some(rowid), Vec::new()));
                }
            }
        }
    }
    let total = candidates.len();
    let mut hits = Vec::new();
    for (id, rowid, needles) in candidates.into_iter().skip(request.offset).take(request.limit) {
        let Some((hit, text)) = crate::read::report_header(conn, viewer, &id)? else { continue };
        let snippet = match (rowid, &fts) {
            (Some(rowid), Some(fts)) => conn
                .query_row(
                    "SELECT snippet(report_text, 0, '[', ']', '…', 24) FROM report_text
                     WHERE report_text MATCH ?1 AND rowid = ?2",
                    rusqlite::params![fts, rowid],
                    |r| r.get::<_, String>(0),
                )
                .ok(),
            _ => needle_snippet(&text, &needles),
        };
        let snippet = snippet.unwrap_or_else(|| text.chars().take(160).collect());
        hits.push(ReportHit { snippet, ..hit });
    }
    Ok((hits, total))
}

/// A window of `text` around the first of `needles` found in it (ignoring ASCII case), the needle
/// between `[` and `]`; `None` when none occurs.
fn needle_snippet(text: &str, needles: &[String]) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let (start, len) = needles
        .iter()
        .filter(|n| !n.is_empty())
        .find_map(|n| lower.find(&n.to_ascii_lowercase()).map(|at| (at, n.len())))?;
    let end = start + len;
    let before_start = floor_char_boundary(text, start.saturating_sub(80));
    let after_end = floor_char_boundary(text, (end + 80).min(text.len()));
    let mut out = String::new();
    if before_start > 0 {
        out.push('…');
    }
    out.push_str(&text[before_start..start]);
    out.push('[');
    out.push_str(&text[start..end]);
    out.push(']');
    out.push_str(&text[end..after_end]);
    if after_end < text.len() {
        out.push('…');
    }
    Some(out)
}

/// The largest char boundary at or below `at`.
fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_mark_the_needle_and_respect_char_boundaries() {
        let text = "Appel reçu du +33 6 39 98 01 12 à Calais.";
        let s = needle_snippet(text, &["+33 6 39 98 01 12".into()]).unwrap();
        assert_eq!(s, "Appel reçu du [+33 6 39 98 01 12] à Calais.");
        assert!(needle_snippet(text, &["nothing".into()]).is_none());
        let long = "é".repeat(200) + "X" + &"é".repeat(200);
        assert!(needle_snippet(&long, &["x".into()]).unwrap().contains("[X]"));
    }

    #[test]
    fn loose_identifiers_yield_to_strict_ones() {
        let read: Vec<IdentifierKind> = recognise("07700 900123").into_iter().map(|r| r.kind).collect();
        assert_eq!(read, vec![IdentifierKind::Phone]);
        let doc: Vec<IdentifierKind> = recognise("L898902C3").into_iter().map(|r| r.kind).collect();
        assert!(doc.contains(&IdentifierKind::Passport), "{doc:?}");
        assert!(recognise("Mohammed").is_empty());
    }
}
