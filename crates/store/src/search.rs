//! Search: identifiers normalised before lookup, names matched through
//! transliteration-tolerant keys, and words matched in report text. Every
//! candidate is put to the access policy before it is counted or ranked.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;
use tessera_access::Viewer;
use tessera_model::identifiers::IdentifierKind;
use tessera_model::{EntityKind, names};

use crate::read::caption;
use crate::visibility::Visibility;
use crate::{EntityHit, MatchReason, ReportHit, SearchRequest, SearchResults, StoreError};

/// Most candidate rows one index lookup may return; bounds the latency of very common names.
const CANDIDATE_CAP: usize = 20_000;

/// Searches identifiers, names and report text.
pub(crate) fn search(conn: &Connection, viewer: &Viewer, request: &SearchRequest) -> Result<SearchResults, StoreError> {
    let query = request.query.trim();
    let identifiers = recognise(query);
    let visibility = Visibility::load(conn, viewer)?;
    let mut entities: HashMap<String, EntityHit> = HashMap::new();
    // Reports behind identifier and name matches, with the strings to highlight in each.
    let mut linked_reports = LinkedReports::default();

    let mut deconfliction = Vec::new();
    for candidate in &identifiers {
        let matches = identifier_matches(conn, &visibility, &candidate.value)?;
        if matches.is_empty() {
            let holders = crate::deconfliction::identifier_holders(conn, &candidate.value)?;
            deconfliction.extend(crate::deconfliction::hidden_hits(conn, viewer, &visibility, query, &holders)?);
        }
        for st in matches {
            linked_reports.link(&st.report_id, 2.0, [st.original.as_deref(), Some(&st.value)]);
            let id = st.entity_id;
            let hit = entities.entry(id.clone()).or_insert_with(|| EntityHit {
                id,
                kind: st.kind,
                caption: String::new(),
                matched: Vec::new(),
                reason: MatchReason::Identifier,
                score: 1.0,
                members: Vec::new(),
            });
            let shown = st.original.unwrap_or(st.value);
            if !hit.matched.contains(&shown) {
                hit.matched.push(shown);
            }
        }
    }

    // "Name 1991-03-07": a name with a date of birth matches only people born that day.
    let name_and_dob = split_birth_date(query);
    let name_query = name_and_dob.as_ref().map_or(query, |(name, _)| name.as_str());
    let born_that_day: Option<HashSet<String>> = match (&name_and_dob, name_match_expression(name_query)) {
        (Some((_, dob)), Some(fts)) => {
            let holders = crate::deconfliction::name_and_birth_date_holders(conn, &fts, dob)?;
            let visible: Vec<&(String, i64)> = holders.iter().filter(|(_, m)| visibility.get(*m).is_some()).collect();
            if visible.is_empty() {
                deconfliction.extend(crate::deconfliction::hidden_hits(conn, viewer, &visibility, query, &holders)?);
            }
            Some(born_on(conn, &visibility, &fts, dob)?)
        }
        _ => None,
    };
    if let Some(fts) = name_match_expression(name_query) {
        let mut similarities: HashMap<String, f64> = HashMap::new();
        for st in name_matches(conn, &visibility, &fts)? {
            if born_that_day.as_ref().is_some_and(|born| !born.contains(&st.entity_id)) {
                continue;
            }
            // Names repeat across reports: score each distinct spelling once.
            let score = match similarities.get(&st.value) {
                Some(score) => *score,
                None => {
                    let score = names::similarity(name_query, &st.value);
                    similarities.insert(st.value.clone(), score);
                    score
                }
            };
            linked_reports.link(&st.report_id, score, [Some(st.value.as_str()), None]);
            if let Some(hit) = entities.get_mut(&st.entity_id) {
                if hit.reason == MatchReason::Name {
                    hit.score = hit.score.max(score);
                }
                if !hit.matched.contains(&st.value) {
                    hit.matched.push(st.value);
                }
                continue;
            }
            let id = st.entity_id;
            let hit = entities.entry(id.clone()).or_insert_with(|| EntityHit {
                id,
                kind: st.kind,
                caption: String::new(),
                matched: Vec::new(),
                reason: MatchReason::Name,
                score: 0.0,
                members: Vec::new(),
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
    // Hits of one resolved cluster become one result, folded only along links the viewer may see.
    let hits = crate::resolution::collapse(conn, &visibility, hits)?;
    let total_entities = hits.len();
    let mut page: Vec<EntityHit> = hits.into_iter().skip(request.offset).take(request.limit).collect();
    for hit in &mut page {
        hit.caption = caption(conn, &visibility, &hit.id)?.map(|(_, c)| c).unwrap_or_else(|| hit.id.clone());
    }

    let (reports, total_reports) = report_hits(conn, &visibility, query, linked_reports.ranked(), request)?;
    Ok(SearchResults {
        query: request.query.clone(),
        identifiers: identifiers.iter().map(|c| tessera_model::identifiers::entity_id_for(c.kind, &c.value)).collect(),
        entities: page,
        total_entities,
        reports,
        total_reports,
        deconfliction,
    })
}

/// The part of a matching statement that search needs.
struct Match {
    entity_id: String,
    kind: EntityKind,
    value: String,
    original: Option<String>,
    report_id: String,
}

/// Visible statements whose value is exactly `value` (identifiers, and links to an entity with that id).
fn identifier_matches(conn: &Connection, visibility: &Visibility, value: &str) -> Result<Vec<Match>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.id, s.kind, s.value, s.original, r.id, r.marking
         FROM statements s JOIN entities e ON e.rowid = s.entity JOIN reports r ON r.rowid = s.report
         WHERE s.lookup = 1 AND s.value = ?1 LIMIT {CANDIDATE_CAP}"
    ))?;
    let mut rows = stmt.query([value])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if visibility.get(row.get(5)?).is_none() {
            continue;
        }
        out.push(Match {
            entity_id: row.get(0)?,
            kind: kind_column(row.get(1)?)?,
            value: row.get(2)?,
            original: row.get(3)?,
            report_id: row.get(4)?,
        });
    }
    Ok(out)
}

/// Visible name statements whose keys match the FTS5 expression; one index row read per match.
fn name_matches(conn: &Connection, visibility: &Visibility, expression: &str) -> Result<Vec<Match>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT entity, kind, value, report, marking FROM name_rows
         WHERE rowid IN (SELECT rowid FROM name_keys WHERE name_keys MATCH ?1 LIMIT {CANDIDATE_CAP})"
    ))?;
    let mut rows = match stmt.query([expression]) {
        Ok(rows) => rows,
        // A malformed expression is the user's typing, not a server fault: it matches nothing.
        Err(_) => return Ok(Vec::new()),
    };
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if visibility.get(row.get(4)?).is_none() {
            continue;
        }
        out.push(Match {
            entity_id: row.get(0)?,
            kind: kind_column(row.get(1)?)?,
            value: row.get(2)?,
            original: None,
            report_id: row.get(3)?,
        });
    }
    Ok(out)
}

fn kind_column(kind: String) -> Result<EntityKind, StoreError> {
    EntityKind::from_name(&kind).ok_or_else(|| StoreError::Corrupt(format!("kind {kind}")))
}

/// A report that carries a matching statement, ranked by how well it matched.
struct LinkedReport {
    id: String,
    score: f64,
    /// The matched values as written in that report, to highlight in its text.
    needles: Vec<String>,
}

/// The reports behind matched statements, in first-seen order, with an index by id.
#[derive(Default)]
struct LinkedReports {
    reports: Vec<LinkedReport>,
    by_id: HashMap<String, usize>,
}

impl LinkedReports {
    /// Records that report `id` carries a match scoring `score`, written as `needles`.
    fn link(&mut self, id: &str, score: f64, needles: [Option<&str>; 2]) {
        let index = match self.by_id.get(id) {
            Some(i) => *i,
            None => {
                self.by_id.insert(id.to_string(), self.reports.len());
                self.reports.push(LinkedReport { id: id.to_string(), score, needles: Vec::new() });
                self.reports.len() - 1
            }
        };
        let report = &mut self.reports[index];
        report.score = report.score.max(score);
        for needle in needles.into_iter().flatten() {
            if report.needles.len() < 4 && !report.needles.iter().any(|n| n == needle) {
                report.needles.push(needle.to_string());
            }
        }
    }

    /// Best match first.
    fn ranked(mut self) -> Vec<LinkedReport> {
        self.reports.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        self.reports
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

/// Splits "Mohammed Abdelrahman 07/03/1991" into the name and the ISO date of birth
/// (dates written YYYY-MM-DD, or DD/MM/YYYY and DD.MM.YYYY as UK forms write them).
fn split_birth_date(query: &str) -> Option<(String, String)> {
    let mut name = Vec::new();
    let mut dob = None;
    for word in query.split_whitespace() {
        let parts: Vec<&str> = word.split(['-', '/', '.']).collect();
        let all_digits =
            parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let iso = match (all_digits, parts.as_slice()) {
            (true, [y, m, d]) if y.len() == 4 => Some(format!("{y}-{m:0>2}-{d:0>2}")),
            (true, [d, m, y]) if y.len() == 4 => Some(format!("{y}-{m:0>2}-{d:0>2}")),
            _ => None,
        };
        match iso.filter(|d| tessera_model::time::parse_partial_date(d).is_ok()) {
            Some(date) if dob.is_none() => dob = Some(date),
            _ => name.push(word),
        }
    }
    let dob = dob?;
    (!name.is_empty()).then(|| (name.join(" "), dob))
}

/// The entities whose name matches and whose visible statements give them this birth date.
fn born_on(
    conn: &Connection,
    visibility: &Visibility,
    name_expression: &str,
    dob: &str,
) -> Result<HashSet<String>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.id FROM statements s JOIN reports r ON r.rowid = s.report JOIN entities e ON e.rowid = s.entity
         WHERE s.property = 'birthDate' AND s.value = ?2 AND r.marking IN ({}) AND e.id IN
            (SELECT entity FROM name_rows WHERE rowid IN (SELECT rowid FROM name_keys WHERE name_keys MATCH ?1))",
        visibility.sql_list()
    ))?;
    let rows = stmt.query_map(rusqlite::params![name_expression, dob], |r| r.get::<_, String>(0))?;
    Ok(rows.filter_map(Result::ok).collect())
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

/// Reports that carry the matched statements, then reports whose text matches the query's words
/// (best first by BM25); visible ones only, each with a snippet marking the match between `[` and `]`.
///
/// Every text match is checked against the viewer's markings to count it, but only the page is
/// ranked and read in full, so a word found in thousands of reports stays cheap.
fn report_hits(
    conn: &Connection,
    visibility: &Visibility,
    query: &str,
    linked: Vec<LinkedReport>,
    request: &SearchRequest,
) -> Result<(Vec<ReportHit>, usize), StoreError> {
    let fts = text_match_expression(query);
    let linked_ids: HashSet<&str> = linked.iter().map(|r| r.id.as_str()).collect();
    // Text matches the viewer may see and that are not already among the linked reports.
    let mut text_only: HashSet<i64> = HashSet::new();
    let mut excluded = 0usize;
    if let Some(fts) = &fts {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT rowid, id, marking FROM reports
             WHERE rowid IN (SELECT rowid FROM report_text WHERE report_text MATCH ?1 LIMIT {CANDIDATE_CAP})"
        ))?;
        // A malformed expression is the user's typing, not a server fault: it simply matches nothing.
        if let Ok(mut rows) = stmt.query([fts]) {
            while let Ok(Some(row)) = rows.next() {
                let (rowid, id, marking): (i64, String, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
                if visibility.get(marking).is_some() && !linked_ids.contains(id.as_str()) {
                    text_only.insert(rowid);
                } else {
                    excluded += 1;
                }
            }
        }
    }
    let total = linked.len() + text_only.len();
    let (start, end) = (request.offset.min(total), request.offset.saturating_add(request.limit).min(total));

    let mut hits = Vec::new();
    for report in linked.iter().take(end).skip(start) {
        let Some((hit, text)) = crate::read::report_header(conn, visibility, &report.id)? else { continue };
        let snippet = needle_snippet(&text, &report.needles).unwrap_or_else(|| text.chars().take(160).collect());
        hits.push(ReportHit { snippet, ..hit });
    }
    let (text_start, text_end) = (start.saturating_sub(linked.len()), end.saturating_sub(linked.len()));
    if let (Some(fts), true) = (&fts, text_end > text_start) {
        let mut ranked =
            conn.prepare_cached("SELECT rowid FROM report_text WHERE report_text MATCH ?1 ORDER BY rank LIMIT ?2")?;
        let wanted = (text_end + excluded) as i64;
        let page: Vec<i64> = ranked
            .query_map(rusqlite::params![fts, wanted], |r| r.get::<_, i64>(0))?
            .filter_map(Result::ok)
            .filter(|rowid| text_only.contains(rowid))
            .take(text_end)
            .skip(text_start)
            .collect();
        for rowid in page {
            let id: String =
                conn.prepare_cached("SELECT id FROM reports WHERE rowid = ?1")?.query_row([rowid], |r| r.get(0))?;
            let snippet: String = conn
                .prepare_cached(
                    "SELECT snippet(report_text, 0, '[', ']', '…', 24) FROM report_text
                     WHERE report_text MATCH ?1 AND rowid = ?2",
                )?
                .query_row(rusqlite::params![fts, rowid], |r| r.get(0))?;
            if let Some((hit, _)) = crate::read::report_header(conn, visibility, &id)? {
                hits.push(ReportHit { snippet, ..hit });
            }
        }
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
