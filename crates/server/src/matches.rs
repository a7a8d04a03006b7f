//! Entity resolution in the API and the web UI: the queue of possible matches
//! (each with the two records side by side and the evidence field by field),
//! a pair's explanation, analysts' decisions (confirm, reject, split), and the
//! cluster of an entity. Every read goes through the store's visibility
//! checks; every decision is a statement of a report the analyst authors, is
//! audited, and is followed at once by an incremental resolution run.

use std::fmt::Write as _;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::{Deserialize, Serialize};
use tessera_access::Viewer;
use tessera_store::{
    AuditEvent, ClusterView, Decision, DecisionReceipt, MatchCandidate, MatchQueue, ResolutionRun, Store, StoreError,
    Verdict,
};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::Caller;
use crate::html::{Page, enc, entity_href, esc, kind_chip};
use crate::pages::{OrErrorPage, PageResult};

/// Largest page of the queue.
const MAX_QUEUE_LIMIT: usize = 200;
/// Longest entity id accepted in a decision.
const MAX_ID_CHARS: usize = 200;

/// Query string of the queue.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueParams {
    status: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

impl QueueParams {
    fn checked(&self) -> Result<(String, usize, usize), ApiError> {
        let status = self.status.as_deref().unwrap_or("open").trim().to_string();
        if !matches!(status.as_str(), "open" | "confirmed" | "rejected") {
            return Err(ApiError::bad_request(format!("status {status:?} is not open, confirmed or rejected")));
        }
        let offset = self.offset.unwrap_or(0);
        if offset > crate::api::MAX_OFFSET {
            return Err(ApiError::bad_request(format!("offset must be at most {}", crate::api::MAX_OFFSET)));
        }
        Ok((status, self.limit.unwrap_or(20).clamp(1, MAX_QUEUE_LIMIT), offset))
    }
}

/// The queue for `viewer`, audited.
async fn read_queue(
    state: &AppState,
    viewer: &Viewer,
    status: String,
    limit: usize,
    offset: usize,
) -> Result<MatchQueue, ApiError> {
    state
        .read_audited(viewer, AuditEvent::new("read_match_queue", status.clone()), move |store, viewer| {
            store.match_queue(viewer, &status, limit, offset)
        })
        .await
}

/// `GET /api/matches`.
pub(crate) async fn api_queue(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<QueueParams>, QueryRejection>,
) -> Result<Json<MatchQueue>, ApiError> {
    let Query(params) = params?;
    let (status, limit, offset) = params.checked()?;
    Ok(Json(read_queue(&state, &caller.viewer, status, limit, offset).await?))
}

/// `GET /api/matches/{a}/{b}`: one pair with its evidence; 404 when missing or not visible in full.
pub(crate) async fn api_pair(
    State(state): State<AppState>,
    caller: Caller,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<MatchCandidate>, ApiError> {
    let Path((a, b)) = ids?;
    let shown = format!("{a} / {b}");
    state
        .read_audited(&caller.viewer, AuditEvent::new("read_match", format!("{a} {b}")), move |store, viewer| {
            store.match_candidate(viewer, &a, &b)
        })
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no possible match {shown} is available to you")))
}

/// The cluster of an entity for `viewer`, audited; 404 when the entity is missing or invisible.
pub(crate) async fn read_cluster(state: &AppState, viewer: &Viewer, id: String) -> Result<ClusterView, ApiError> {
    let shown = id.clone();
    state
        .read_audited(viewer, AuditEvent::new("read_cluster", id.clone()), move |store, viewer| {
            store.cluster(viewer, &id)
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no entity {shown:?}")))
}

/// `GET /api/entities/{id}/cluster`.
pub(crate) async fn api_cluster(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<ClusterView>, ApiError> {
    let Path(id) = id?;
    Ok(Json(read_cluster(&state, &caller.viewer, id).await?))
}

/// What a decision request answers.
#[derive(Debug, Serialize)]
pub(crate) struct DecisionOutcome {
    decision: DecisionReceipt,
    resolution: ResolutionRun,
}

/// Records decisions as the caller and re-resolves what they touch.
async fn record(state: &AppState, viewer: Viewer, decisions: Vec<Decision>) -> Result<DecisionOutcome, ApiError> {
    for d in &decisions {
        for id in [&d.a, &d.b] {
            if id.trim().is_empty() || id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control) {
                return Err(ApiError::bad_request(format!(
                    "entity ids must be 1 to {MAX_ID_CHARS} characters without control characters"
                )));
            }
        }
    }
    state
        .write_as(viewer, move |store, viewer| {
            let decision = store.decide(viewer, &decisions)?;
            let resolution = store.resolve(false)?;
            Ok::<_, StoreError>(DecisionOutcome { decision, resolution })
        })
        .await
        .map_err(ApiError::store)?
        .map_err(ApiError::from_store)
}

/// Body of `POST /api/decisions`.
#[derive(Debug, Deserialize)]
pub(crate) struct DecisionBody {
    a: String,
    b: String,
    verdict: String,
}

fn verdict(word: &str) -> Result<Verdict, ApiError> {
    match word.trim() {
        "same" | "confirm" => Ok(Verdict::Same),
        "different" | "reject" => Ok(Verdict::Different),
        other => Err(ApiError::bad_request(format!("verdict {other:?} is not \"same\" or \"different\""))),
    }
}

/// `POST /api/decisions` with `{"a", "b", "verdict": "same" | "different"}`.
pub(crate) async fn api_decide(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<DecisionOutcome>, ApiError> {
    let body = body?;
    let d: DecisionBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("expected {{\"a\", \"b\", \"verdict\"}}: {e}")))?;
    let verdict = verdict(&d.verdict)?;
    Ok(Json(record(&state, caller.viewer, vec![Decision { a: d.a, b: d.b, verdict }]).await?))
}

/// The decisions that split `entity` from every other member of its cluster the viewer sees.
async fn split_decisions(state: &AppState, viewer: &Viewer, entity: String) -> Result<Vec<Decision>, ApiError> {
    let cluster = read_cluster(state, viewer, entity.clone()).await?;
    let decisions: Vec<Decision> = cluster
        .members
        .iter()
        .filter(|m| m.id != entity)
        .map(|m| Decision { a: entity.clone(), b: m.id.clone(), verdict: Verdict::Different })
        .collect();
    if decisions.is_empty() {
        return Err(ApiError::bad_request(format!("{entity:?} is alone in its cluster: nothing to split")));
    }
    Ok(decisions)
}

/// `POST /api/entities/{id}/split`: rules the entity different from every other member of its cluster the caller sees.
pub(crate) async fn api_split(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<DecisionOutcome>, ApiError> {
    let Path(id) = id?;
    let decisions = split_decisions(&state, &caller.viewer, id).await?;
    Ok(Json(record(&state, caller.viewer, decisions).await?))
}

/// The form of a decision in the web UI.
#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    a: String,
    b: String,
    verdict: String,
    /// Where to go afterwards: "queue" (default) or "entity".
    back: Option<String>,
}

/// `POST /matches/decide` (form: `a`, `b`, `verdict`, `csrf`): records the decision, back to the queue.
pub(crate) async fn page_decide(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<axum::Form<DecisionForm>, axum::extract::rejection::FormRejection>,
) -> PageResult {
    let axum::Form(form) = form.or_error_page(&caller)?;
    let verdict = verdict(&form.verdict).or_error_page(&caller)?;
    let a = form.a.clone();
    record(&state, caller.viewer.clone(), vec![Decision { a: form.a, b: form.b, verdict }])
        .await
        .or_error_page(&caller)?;
    let back = if form.back.as_deref() == Some("entity") { entity_href(&a) } else { "/matches".to_string() };
    Ok(Redirect::to(&back).into_response())
}

/// `POST /entity/{id}/split` (form: `csrf`): splits the entity from its cluster, back to its page.
pub(crate) async fn page_split(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let Path(id) = id.or_error_page(&caller)?;
    let decisions = split_decisions(&state, &caller.viewer, id.clone()).await.or_error_page(&caller)?;
    record(&state, caller.viewer.clone(), decisions).await.or_error_page(&caller)?;
    Ok(Redirect::to(&entity_href(&id)).into_response())
}

/// A hidden CSRF field for forms (empty in single-user mode, where no token is checked).
pub(crate) fn csrf_field(caller: &Caller) -> String {
    format!(r#"<input type="hidden" name="csrf" value="{}">"#, esc(&caller.csrf))
}

fn bits_cell(bits: f64) -> String {
    let class = if bits > 0.0 {
        "bits-for"
    } else if bits < 0.0 {
        "bits-against"
    } else {
        "bits-none"
    };
    format!(r#"<td class="num bits {class}">{bits:+.2}</td>"#)
}

/// One candidate: the two records side by side with the evidence of each field, and the decision buttons.
fn candidate_html(c: &MatchCandidate, caller: &Caller) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<article class="match" data-a="{a}" data-b="{b}" data-status="{status}">
<header class="match-head">{kind} <span class="probability" title="match probability, prior included">p = {p:.3}</span> <span class="weight">weight {w:+.2} bits</span> <span class="prior">prior {prior:+.2} bits</span> <span class="clustered">{clustered}</span></header>
<table class="dense side-by-side"><thead><tr><th>Field</th><th class="record-a"><a class="entity-link" href="{ha}">{ca}</a> <span class="id">{a}</span></th><th class="record-b"><a class="entity-link" href="{hb}">{cb}</a> <span class="id">{b}</span></th><th>Comparison</th><th class="num">Bits</th></tr></thead><tbody>"#,
        a = esc(&c.a),
        b = esc(&c.b),
        status = esc(&c.status),
        kind = kind_chip(c.kind),
        p = c.probability,
        w = c.weight,
        prior = c.prior,
        clustered = if c.same_cluster { "clustered together" } else { "kept apart" },
        ha = esc(&entity_href(&c.a)),
        hb = esc(&entity_href(&c.b)),
        ca = esc(&c.a_caption),
        cb = esc(&c.b_caption),
    );
    for e in c.evidence.iter().filter(|e| e.field == "prior") {
        let _ = write!(
            out,
            r#"<tr class="evidence prior-row" data-field="prior"><th scope="row">prior</th><td colspan="2" class="level">{}</td><td></td>{}</tr>"#,
            esc(&e.level),
            bits_cell(e.bits)
        );
    }
    for f in &c.fields {
        let evidence = c.evidence.iter().find(|e| e.field == f.field);
        let (level, bits) = match evidence {
            Some(e) => (esc(&e.level), bits_cell(e.bits)),
            None => (String::new(), r#"<td class="num bits"></td>"#.to_string()),
        };
        let _ = write!(
            out,
            r#"<tr class="evidence" data-field="{field}"><th scope="row">{field}</th><td class="value-a">{va}</td><td class="value-b">{vb}</td><td class="level">{level}</td>{bits}</tr>"#,
            field = esc(&f.field),
            va = esc(&f.a),
            vb = esc(&f.b),
        );
    }
    let _ = write!(
        out,
        r#"</tbody><tfoot><tr><th scope="row">total</th><td colspan="3">prior + evidence = {total:+.2} bits → probability {p:.3}</td><td class="num">{w:+.2}</td></tr></tfoot></table>"#,
        total = c.prior + c.weight,
        p = c.probability,
        w = c.weight,
    );
    if c.status == "open" && caller.viewer.role.decides_matches() {
        let hidden = format!(
            r#"{}<input type="hidden" name="a" value="{}"><input type="hidden" name="b" value="{}">"#,
            csrf_field(caller),
            esc(&c.a),
            esc(&c.b)
        );
        let _ = write!(
            out,
            r#"<div class="decide"><form method="post" action="/matches/decide" class="confirm">{hidden}<input type="hidden" name="verdict" value="same"><button type="submit" class="confirm">Confirm: same</button></form>
<form method="post" action="/matches/decide" class="reject">{hidden}<input type="hidden" name="verdict" value="different"><button type="submit" class="reject">Reject: different</button></form></div>"#
        );
    } else if c.status != "open" {
        let _ = write!(out, r#"<p class="decided">Decided: {}</p>"#, esc(&c.status));
    }
    out.push_str("</article>");
    out
}

/// `GET /matches`: the review queue.
pub(crate) async fn page_queue(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<QueueParams>, QueryRejection>,
) -> PageResult {
    let Query(params) = params.or_error_page(&caller)?;
    let (status, limit, offset) = params.checked().or_error_page(&caller)?;
    let queue = read_queue(&state, &caller.viewer, status.clone(), limit, offset).await.or_error_page(&caller)?;
    let mut body = format!(
        r#"<h1 class="page-title">Possible matches</h1>
<p class="hint">Records that entity resolution judged likely to be the same, shown side by side with the weight of evidence of each field (in bits: positive for agreement, negative for disagreement). Only pairs whose records rest entirely on material you may see are listed. Your decision is recorded as a statement of a report you author, and every later run obeys it.</p>
<nav class="tabs">{}</nav>
<p class="count"><span id="queue-total">{}</span> {} possible match(es)</p>"#,
        ["open", "confirmed", "rejected"]
            .iter()
            .map(|s| {
                let current = if *s == status { r#" aria-current="page""# } else { "" };
                format!(r#"<a href="/matches?status={s}"{current}>{s}</a>"#)
            })
            .collect::<Vec<_>>()
            .join(" "),
        queue.total,
        esc(&status)
    );
    if queue.candidates.is_empty() {
        body.push_str(r#"<p class="empty">No possible match to review.</p>"#);
    }
    for c in &queue.candidates {
        body.push_str(&candidate_html(c, &caller));
    }
    if offset + limit < queue.total {
        let _ = write!(
            body,
            r#"<nav class="pager"><a rel="next" class="page-link" href="/matches?status={}&amp;limit={limit}&amp;offset={}">Next →</a></nav>"#,
            enc(&status),
            offset + limit
        );
    }
    Ok(Page { title: "Possible matches".into(), caller: &caller, query: "", body }.render(StatusCode::OK))
}

/// The "Same person as" section of an entity page: the other visible members, their statements
/// merged (each with its provenance), and the split button.
pub(crate) fn cluster_section(
    cluster: &ClusterView,
    caller: &Caller,
    row: impl Fn(&tessera_store::StoredStatement) -> String,
) -> String {
    let others: Vec<_> = cluster.members.iter().filter(|m| m.id != cluster.entity).collect();
    let title = match cluster.kind {
        tessera_model::EntityKind::Person => "Same person as",
        _ => "Same entity as",
    };
    let mut out = format!(r#"<section class="cluster"><h2>{title}</h2>"#);
    if others.is_empty() {
        out.push_str(r#"<p class="empty">Entity resolution has not matched this record with any other you may see.</p></section>"#);
        return out;
    }
    out.push_str(r#"<ul class="members">"#);
    for m in &others {
        let _ = write!(
            out,
            r#"<li class="member" data-entity="{id}"><a class="entity-link" href="{href}">{caption}</a> <span class="id">{id}</span></li>"#,
            id = esc(&m.id),
            href = esc(&entity_href(&m.id)),
            caption = esc(&m.caption)
        );
    }
    out.push_str("</ul>");
    let merged: Vec<_> = cluster.statements.iter().filter(|s| s.statement.entity_id != cluster.entity).collect();
    if !merged.is_empty() {
        out.push_str(r#"<h3>Their statements, merged</h3><table class="dense provenance-table merged"><thead><tr><th>Record</th><th>Property</th><th>Value</th><th>Source report</th><th>Agency</th><th>Grading</th><th>Marking</th><th>Observed</th><th>Origin</th></tr></thead><tbody>"#);
        for s in merged {
            out.push_str(&row(s));
        }
        out.push_str("</tbody></table>");
    }
    if caller.viewer.role.decides_matches() {
        let _ = write!(
            out,
            r#"<form method="post" action="{}/split" class="split">{}<button type="submit">Split this record from the cluster</button></form>"#,
            esc(&entity_href(&cluster.entity)),
            csrf_field(caller)
        );
    }
    out.push_str("</section>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Via;

    fn caller(role: tessera_access::Role) -> Caller {
        Caller {
            viewer: Viewer { role, ..Viewer::local_operator() },
            via: Via::SingleUser,
            csrf: "tok".into(),
            token: String::new(),
        }
    }

    fn candidate() -> MatchCandidate {
        MatchCandidate {
            a: "BF:<b>".into(),
            b: "EUROPOL:P-88".into(),
            kind: tessera_model::EntityKind::Person,
            a_caption: "<script>x</script>".into(),
            b_caption: "ABDULRAHMAN Mohammad".into(),
            probability: 0.9,
            weight: 12.0,
            prior: -8.0,
            evidence: vec![
                tessera_store::Evidence { field: "prior".into(), level: "chance".into(), bits: -8.0 },
                tessera_store::Evidence { field: "name".into(), level: "phonetic".into(), bits: 5.0 },
            ],
            fields: vec![tessera_store::FieldPair {
                field: "name".into(),
                a: "Mohamed".into(),
                b: "ABDULRAHMAN".into(),
            }],
            same_cluster: false,
            status: "open".into(),
        }
    }

    #[test]
    fn verdicts_are_read_strictly() {
        assert_eq!(verdict("same").ok(), Some(Verdict::Same));
        assert_eq!(verdict(" reject ").ok(), Some(Verdict::Different));
        assert!(verdict("maybe").is_err());
    }

    #[test]
    fn a_candidate_shows_both_records_escaped_and_buttons_only_for_those_who_decide() {
        let html = candidate_html(&candidate(), &caller(tessera_access::Role::Analyst));
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains(r#"data-a="BF:&lt;b&gt;""#));
        assert!(html.contains(r#"<td class="value-a">Mohamed</td><td class="value-b">ABDULRAHMAN</td>"#));
        assert!(html.contains("+5.00") && html.contains("-8.00"));
        assert!(html.contains("Confirm: same") && html.contains(r#"name="csrf" value="tok""#));
        let liaison = candidate_html(&candidate(), &caller(tessera_access::Role::PartnerLiaison));
        assert!(!liaison.contains("Confirm: same"));
    }
}
