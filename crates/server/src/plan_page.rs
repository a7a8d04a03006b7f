//! The threat group's pages: the action-plan board (`/plan`: a column per
//! stream with its lead and its actions, each action's status changeable by
//! the hub's keepers), the disruption log (`/disruptions`: every disruption
//! the caller may see with its assets, prosecutions and how the written
//! criteria graded it, and the criteria themselves) and the sufficiency and
//! impact review (`/review`: the review document drawn in the page, with its
//! HTML, PDF and CSV downloads). Each page reads through the same audited
//! functions as the API (`crate::plan`). No script.

use std::fmt::Write as _;

use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tessera_model::disruption::{ActionStatus, Criterion, pounds};
use tessera_model::taxonomy::Stream;
use tessera_store::{Action, Disruption, StreamLead, may_keep_plan};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::Caller;
use crate::html::{Page, esc, marking_chip};
use crate::matches::csrf_field;
use crate::pages::{OrErrorPage, PageResult, require_intelligence};

/// Why a role that reads no intelligence gets none of these pages.
const NO_INTELLIGENCE: &str = "Your role reads no intelligence.";
use crate::plan::StatusBody;
use tessera_picture::review::ReviewAsk;

fn render(caller: &Caller, title: &str, body: String) -> PageResult {
    Ok(Page { title: title.into(), caller, query: "", body }.render(StatusCode::OK))
}

/// Whether an action is past its due date and not finished, at `today`.
fn overdue(a: &Action, today: &str) -> bool {
    a.status.is_open() && a.due.as_deref().is_some_and(|d| d < today)
}

fn status_chip(a: &Action, today: &str) -> String {
    let late = if overdue(a, today) { r#" <span class="chip overdue">overdue</span>"# } else { "" };
    format!(r#"<span class="chip status-{}">{}</span>{late}"#, a.status.name(), esc(a.status.label()))
}

fn action_card(out: &mut String, a: &Action, caller: &Caller, today: &str) {
    let targets: Vec<String> = a.targets.iter().map(|t| format!("<li>{}</li>", esc(&t.label))).collect();
    let _ = write!(
        out,
        r#"<article class="action-card" data-reference="{r}" data-status="{s}"><header><strong>{r}</strong> {chip} {marking}</header><p class="action-title">{title}</p><p class="hint">{objective}</p><dl class="action-facts"><dt>Agency</dt><dd>{agency}</dd><dt>Owner</dt><dd>{owner}</dd><dt>Dates</dt><dd>{start} – {due}</dd></dl>"#,
        r = esc(&a.reference),
        s = a.status.name(),
        chip = status_chip(a, today),
        marking = marking_chip(&a.banner),
        title = esc(&a.title),
        objective = esc(&a.objective),
        agency = esc(&a.agency),
        owner = esc(&a.owner),
        start = esc(a.start.as_deref().unwrap_or("?")),
        due = esc(a.due.as_deref().unwrap_or("?")),
    );
    if !targets.is_empty() {
        let _ = write!(out, r#"<ul class="action-targets" aria-label="Targets">{}</ul>"#, targets.concat());
    }
    if let Some(last) = a.history.last().filter(|_| a.history.len() > 1) {
        let _ = write!(out, r#"<p class="hint">Last update by {}: {}</p>"#, esc(&last.by), esc(&last.note));
    }
    if may_keep_plan(caller.viewer.role) {
        let options: String = ActionStatus::ALL
            .iter()
            .map(|s| {
                let selected = if *s == a.status { " selected" } else { "" };
                format!(r#"<option value="{}"{selected}>{}</option>"#, s.name(), esc(s.label()))
            })
            .collect();
        let _ = write!(
            out,
            r#"<form class="action-status" method="post" action="/plan/actions/{id}/status">{csrf}<label>Status <select name="status">{options}</select></label> <input type="text" name="note" placeholder="what was done" maxlength="400" aria-label="Note"> <button type="submit">Update</button></form>"#,
            id = a.id,
            csrf = csrf_field(caller),
        );
    }
    out.push_str("</article>");
}

fn plan_body(leads: &[StreamLead], actions: &[Action], caller: &Caller, today: &str) -> String {
    let mut out = String::from(
        r#"<h1 class="page-title">Strategic Action Plan</h1><p class="hint">The four streams, their leads and the actions you may see, with owners, dates and status. Machine-readable: <code>/api/plan</code>, <code>tessera plan show</code>. The review of sufficiency and impact is on <a href="/review">the review page</a>; disruptions are in <a href="/disruptions">the log</a>.</p><div class="plan-board">"#,
    );
    for stream in Stream::ALL {
        let mine: Vec<&Action> = actions.iter().filter(|a| a.stream == stream).collect();
        let _ = write!(
            out,
            r#"<section class="plan-stream" data-stream="{}"><h2>{}</h2>"#,
            stream.name(),
            esc(stream.label())
        );
        for l in leads.iter().filter(|l| l.stream == stream) {
            let _ = write!(out, r#"<p class="stream-lead">Lead: {} ({})</p>"#, esc(&l.lead), esc(&l.agency));
        }
        let late = mine.iter().filter(|a| overdue(a, today)).count();
        let _ = write!(out, r#"<p class="hint">{} actions, {late} overdue</p>"#, mine.len());
        if mine.is_empty() {
            out.push_str(r#"<p class="empty">No action you may see.</p>"#);
        }
        for a in mine {
            action_card(&mut out, a, caller, today);
        }
        out.push_str("</section>");
    }
    out.push_str("</div>");
    out
}

/// `GET /plan`: the action-plan board.
pub(crate) async fn page_plan(State(state): State<AppState>, caller: Caller) -> PageResult {
    require_intelligence(&caller, NO_INTELLIGENCE)?;
    let plan = crate::plan::read_plan(&state, &caller.viewer).await.or_error_page(&caller)?;
    render(&caller, "Action plan", plan_body(&plan.stream_leads, &plan.actions, &caller, &tessera_model::time::today()))
}

/// The board's status form (its `csrf` field is checked by the authentication layer).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct StatusForm {
    status: String,
    #[serde(default)]
    note: String,
}

/// `POST /plan/actions/{id}/status` (form: `status`, `note`, `csrf`): back to the board.
pub(crate) async fn page_action_status(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, PathRejection>,
    form: Result<axum::Form<StatusForm>, FormRejection>,
) -> PageResult {
    let Path(id) = id.or_error_page(&caller)?;
    let axum::Form(f) = form.or_error_page(&caller)?;
    let body = StatusBody { status: f.status, note: f.note };
    crate::plan::set_status(&state, caller.viewer.clone(), id, body).await.or_error_page(&caller)?;
    Ok(Redirect::to("/plan").into_response())
}

fn criteria_html(criteria: &[Criterion]) -> String {
    let mut out = String::from(
        r#"<details class="impact-criteria" open><summary>Impact levels: the written criteria</summary><p class="hint">Each disruption is graded against these rules when it is recorded; a recorded level that differs must say why. The thresholds are set per deployment (<code>impact-criteria.toml</code>).</p><dl>"#,
    );
    for c in criteria {
        let _ = write!(
            out,
            r#"<dt class="impact-{}">{}</dt><dd>{}</dd>"#,
            c.level.name(),
            esc(c.level.label()),
            esc(&c.text)
        );
    }
    out.push_str("</dl></details>");
    out
}

fn disruption_row(out: &mut String, d: &Disruption) {
    let subjects: Vec<String> = d.subjects.iter().map(|s| esc(&s.caption)).collect();
    let hidden =
        if d.other_subjects > 0 { format!(" and {} you may not see", d.other_subjects) } else { String::new() };
    let _ = write!(
        out,
        r#"<tr class="disruption" data-reference="{r}" data-impact="{impact}"><td>{date}</td><td><details><summary>{r} · {kind}</summary><p>{summary}</p><p>Subjects: {subjects}{hidden}</p>"#,
        r = esc(&d.reference),
        impact = d.impact.name(),
        date = esc(&d.date),
        kind = esc(d.kind.label()),
        summary = esc(&d.summary),
        subjects = if subjects.is_empty() { "none you may see".to_string() } else { subjects.join(", ") },
    );
    if !d.assets.is_empty() {
        out.push_str(r#"<ul class="assets">"#);
        for a in &d.assets {
            let value = a.value_gbp.map_or("value unknown".to_string(), pounds);
            let _ = write!(
                out,
                "<li>{} × {}: {} ({}, {value})</li>",
                a.quantity,
                esc(a.kind.label()),
                esc(&a.description),
                esc(a.status.label())
            );
        }
        out.push_str("</ul>");
    }
    if !d.prosecutions.is_empty() {
        out.push_str(r#"<ul class="prosecutions">"#);
        for p in &d.prosecutions {
            let who = p.defendant.as_ref().map_or("a defendant you may not see".to_string(), |e| esc(&e.caption));
            let _ = write!(
                out,
                "<li>{who}: {} — {}{}</li>",
                esc(&p.charge),
                esc(p.status.label()),
                p.outcome.as_ref().map_or(String::new(), |o| format!(", {}", esc(o)))
            );
        }
        out.push_str("</ul>");
    }
    let reasons: Vec<String> = d.assessed.reasons.iter().map(|r| format!("<li>{}</li>", esc(r))).collect();
    let _ = write!(
        out,
        r#"<p class="assessed">The criteria give <strong>{}</strong>:</p><ul>{}</ul>"#,
        esc(d.assessed.level.label()),
        reasons.concat()
    );
    if let Some(reason) = &d.impact_reason {
        let _ = write!(
            out,
            r#"<p class="impact-reason">Recorded as {} because: {}</p>"#,
            esc(d.impact.label()),
            esc(reason)
        );
    }
    if !d.evidence.is_empty() {
        let links: Vec<String> =
            d.evidence.iter().map(|r| format!(r#"<a href="{}">{}</a>"#, crate::html::report_href(r), esc(r))).collect();
        let _ = write!(out, "<p>Evidence: {}</p>", links.join(", "));
    }
    let _ = write!(
        out,
        r#"</details></td><td>{group}</td><td>{agency}</td><td><span class="chip impact-{impact}">{label}</span></td><td class="num">{denied}</td><td>{marking}</td></tr>"#,
        group = d.group.as_ref().map_or(String::new(), |g| format!(
            r#"<a href="{}">{}</a>"#,
            crate::html::entity_href(&g.id),
            esc(&g.caption)
        )),
        agency = esc(&d.agency),
        impact = d.impact.name(),
        label = esc(d.impact.label()),
        denied = pounds(d.denied_gbp),
        marking = marking_chip(&d.banner),
    );
}

/// `<option>`s of a vocabulary.
fn options<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, label: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| format!(r#"<option value="{}">{}</option>"#, name(*v), esc(label(*v)))).collect()
}

/// The form that records a disruption (one asset line; the API and plan files take any number).
fn record_form(caller: &Caller) -> String {
    use tessera_model::disruption::{AssetKind, AssetStatus, DisruptionKind, Impact};
    format!(
        r#"<details class="record-disruption"><summary>Record a disruption</summary><form method="post" action="/disruptions" class="tool-form">{csrf}<label>Reference <input name="reference" required maxlength="100" placeholder="DIS-2025-014"></label> <label>Kind <select name="kind">{kinds}</select></label> <label>Date <input name="date" required placeholder="YYYY-MM-DD" maxlength="10" size="10"></label> <label>Agency <input name="agency" required value="{agency}" maxlength="40" size="10"></label><br><label>Group (organisation id) <input name="group" maxlength="200"></label> <label>Subjects (person ids, comma-separated) <input name="subjects" maxlength="2000" size="40"></label><br><label>Summary <textarea name="summary" required maxlength="4000" rows="2" cols="70"></textarea></label><br><label>Evidence (report ids, comma-separated) <input name="evidence" maxlength="2000" size="40"></label> <label>Action of the plan <input name="action" maxlength="100" size="10"></label><br><fieldset><legend>Asset taken (optional)</legend><label>Kind <select name="asset_kind"><option value="">none</option>{asset_kinds}</select></label> <label>Description <input name="asset_description" maxlength="400"></label> <label>Quantity <input name="asset_quantity" type="number" min="1" value="1"></label> <label>Value (£) <input name="asset_value" type="number" min="0" step="any"></label> <label>Status <select name="asset_status">{asset_statuses}</select></label></fieldset><label>Impact <select name="impact">{impacts}</select></label> <label>Why, if the criteria give another level <input name="impact_reason" maxlength="4000" size="50"></label><br><label>Classification <select name="classification"><option>OFFICIAL</option><option selected>OFFICIAL-SENSITIVE</option><option>SECRET</option></select></label> <label>Handling <select name="handling"><option value="C">C: hub agencies only</option><option value="P">P: may be shared with partners</option></select></label> <button type="submit">Record</button></form></details>"#,
        csrf = csrf_field(caller),
        agency = esc(&caller.viewer.agency),
        kinds = options(DisruptionKind::ALL, |k| k.name(), |k| k.label()),
        asset_kinds = options(AssetKind::ALL, |k| k.name(), |k| k.label()),
        asset_statuses = options(AssetStatus::ALL, |k| k.name(), |k| k.label()),
        impacts = options(Impact::ALL, |k| k.name(), |k| k.label()),
    )
}

fn disruptions_body(list: &[Disruption], criteria: &[Criterion], caller: &Caller) -> String {
    let mut out = String::from(
        r#"<h1 class="page-title">Disruption log</h1><p class="hint">Every disruption you may see, newest first: arrests, charges, convictions, seizures, orders, takedowns and interdictions, with the assets taken and the prosecutions that followed. Machine-readable: <code>/api/disruptions</code>, <code>tessera disruptions list</code>.</p>"#,
    );
    out.push_str(&criteria_html(criteria));
    if may_keep_plan(caller.viewer.role) {
        out.push_str(&record_form(caller));
    }
    let denied: f64 = list.iter().map(|d| d.denied_gbp).sum();
    let _ = write!(
        out,
        r#"<p class="disruption-total"><span id="disruption-count">{}</span> disruptions; assets denied {}</p><table class="dense disruption-log"><thead><tr><th>Date</th><th>Disruption</th><th>Group</th><th>Agency</th><th>Impact</th><th class="num">Denied</th><th>Marking</th></tr></thead><tbody>"#,
        list.len(),
        pounds(denied)
    );
    for d in list {
        disruption_row(&mut out, d);
    }
    out.push_str("</tbody></table>");
    if list.is_empty() {
        out.push_str(r#"<p class="empty">No disruption you may see.</p>"#);
    }
    out
}

/// `GET /disruptions?group=ID`: the disruption log and the impact criteria.
pub(crate) async fn page_disruptions(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> PageResult {
    require_intelligence(&caller, NO_INTELLIGENCE)?;
    let Query(pairs) = query.or_error_page(&caller)?;
    let group = pairs.into_iter().find(|(k, v)| k == "group" && !v.trim().is_empty()).map(|(_, v)| v);
    let list = crate::plan::read_disruptions(&state, &caller.viewer, group).await.or_error_page(&caller)?;
    let criteria = crate::plan::read_criteria(&state, &caller.viewer).await.or_error_page(&caller)?;
    render(&caller, "Disruption log", disruptions_body(&list, &criteria, &caller))
}

/// The record form's fields.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct RecordForm {
    reference: String,
    kind: String,
    date: String,
    agency: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    subjects: String,
    summary: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    asset_kind: String,
    #[serde(default)]
    asset_description: String,
    #[serde(default)]
    asset_quantity: String,
    #[serde(default)]
    asset_value: String,
    #[serde(default)]
    asset_status: String,
    impact: String,
    #[serde(default)]
    impact_reason: String,
    classification: String,
    handling: String,
}

/// A comma-separated list, trimmed, blanks dropped.
fn list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// The disruption a form describes, each bad field named.
fn from_form(f: RecordForm, agency: &str) -> Result<tessera_store::NewDisruption, ApiError> {
    use tessera_model::disruption::{AssetKind, AssetStatus, DisruptionKind, Impact};
    let bad = |field: &str, value: &str| ApiError::bad_request(format!("{field}: {value:?} is not valid"));
    let optional = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
    let mut assets = Vec::new();
    if !f.asset_kind.trim().is_empty() {
        assets.push(tessera_store::Asset {
            kind: AssetKind::from_name(&f.asset_kind).ok_or_else(|| bad("asset_kind", &f.asset_kind))?,
            description: f.asset_description.clone(),
            quantity: f.asset_quantity.trim().parse().map_err(|_| bad("asset_quantity", &f.asset_quantity))?,
            value_gbp: match f.asset_value.trim() {
                "" => None,
                v => Some(v.parse().map_err(|_| bad("asset_value", v))?),
            },
            status: AssetStatus::from_name(&f.asset_status).ok_or_else(|| bad("asset_status", &f.asset_status))?,
        });
    }
    let classification = f.classification.parse().map_err(|_| bad("classification", &f.classification))?;
    let handling = match f.handling.as_str() {
        "P" => tessera_model::Handling::Permitted,
        "C" => tessera_model::Handling::Conditions("hub agencies only".into()),
        other => return Err(bad("handling", other)),
    };
    Ok(tessera_store::NewDisruption {
        reference: f.reference,
        kind: DisruptionKind::from_name(&f.kind).ok_or_else(|| bad("kind", &f.kind))?,
        date: f.date,
        agency: f.agency,
        group: optional(&f.group),
        subjects: list(&f.subjects),
        summary: f.summary,
        evidence: list(&f.evidence),
        action: optional(&f.action),
        accounts: 0,
        impact: Impact::from_name(&f.impact).ok_or_else(|| bad("impact", &f.impact))?,
        impact_reason: optional(&f.impact_reason),
        assets,
        prosecutions: Vec::new(),
        markings: tessera_model::Markings {
            classification,
            owner: agency.to_string(),
            compartments: Vec::new(),
            caveats: Vec::new(),
        },
        handling,
    })
}

/// `POST /disruptions` (the record form): records the disruption, back to the log; a refusal names the field.
pub(crate) async fn page_record(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<axum::Form<RecordForm>, FormRejection>,
) -> PageResult {
    let axum::Form(form) = form.or_error_page(&caller)?;
    let disruption = from_form(form, &caller.viewer.agency).or_error_page(&caller)?;
    crate::plan::record(&state, caller.viewer.clone(), disruption).await.or_error_page(&caller)?;
    Ok(Redirect::to("/disruptions").into_response())
}

fn review_form(ask: &ReviewAsk, as_of: &str, window: u32) -> String {
    let query = format!("as_of={as_of}&window={window}{}", if ask.monthly { "&period=month" } else { "" });
    format!(
        r#"<form class="review-filters" method="get" action="/review"><label>As of <input type="text" name="as_of" value="{as_of}" placeholder="YYYY-MM-DD" maxlength="10" size="10"></label> <label>Window (days) <input type="number" name="window" value="{window}" min="7" max="730"></label> <label>Returns by <select name="period"><option value="quarter"{q}>quarter</option><option value="month"{m}>month</option></select></label> <button type="submit">Review</button></form><p class="downloads">For the meeting: <a id="review-html" href="/reports/review.html?{query}">review (HTML)</a> · <a id="review-pdf" href="/reports/review.pdf?{query}">review (PDF)</a> · <a href="/api/review/coverage.csv?{query}">coverage (CSV)</a> · <a href="/api/review/impact.csv?{query}">impact (CSV)</a> · <a href="/api/review/returns.csv?{query}">returns (CSV)</a> · <a id="assessment-pdf" href="/reports/threat-assessment.pdf">threat assessment (PDF)</a> · <a href="/reports/threat-assessment.html">(HTML)</a> · <a href="/reports/threat-assessment.csv">(CSV)</a></p>"#,
        as_of = esc(as_of),
        q = if ask.monthly { "" } else { " selected" },
        m = if ask.monthly { " selected" } else { "" },
    )
}

/// `GET /review?as_of=&window=&period=`: the sufficiency and impact review.
pub(crate) async fn page_review(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> PageResult {
    require_intelligence(&caller, NO_INTELLIGENCE)?;
    let ask = query
        .map_err(ApiError::from)
        .and_then(|Query(pairs)| crate::plan::review_ask(&pairs))
        .or_error_page(&caller)?;
    let pack = crate::plan::read_review(&state, &caller.viewer, ask.clone()).await.or_error_page(&caller)?;
    let document = tessera_picture::documents::review_document(
        &pack.review,
        &pack.actions,
        &pack.disruptions,
        pack.classification,
        &tessera_picture::documents::Prepared { reader: caller.viewer.user.clone(), at: String::new() },
    );
    let mut body = format!(
        r#"<style>{}</style><h1 class="page-title">Sufficiency and impact review</h1><p class="hint">As of {} ({}): who is acting against each priority threat and group, what followed each disruption, and estimated criminal revenue against assets denied, from what you may see. The method is in <code>docs/review.md</code>.</p>"#,
        tessera_report::html::FRAGMENT_STYLE,
        esc(&pack.review.as_of),
        esc(pack.classification.as_str()),
    );
    body.push_str(&review_form(&ask, &pack.review.as_of, pack.review.window_days));
    body.push_str(&tessera_report::html::render_fragment(&document));
    render(&caller, "Review", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unfinished_actions_past_due_are_overdue() {
        let mut a = tessera_store::Action {
            id: 1,
            reference: "FAC-1".into(),
            stream: Stream::Facilitation,
            objective: "o".into(),
            title: "t".into(),
            agency: "NCA".into(),
            owner: "x".into(),
            start: None,
            due: Some("2025-01-31".into()),
            status: ActionStatus::InProgress,
            targets: vec![],
            history: vec![],
            created_by: "u".into(),
            classification: tessera_model::Classification::Official,
            owner_agency: "NCA".into(),
            banner: "OFFICIAL".into(),
        };
        assert!(overdue(&a, "2025-02-01"));
        assert!(!overdue(&a, "2025-01-31"));
        a.status = ActionStatus::Complete;
        assert!(!overdue(&a, "2025-02-01"));
    }
}
