//! The web UI: server-rendered pages over the same audited reads as the API.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tessera_model::{Classification, EntityKind};
use tessera_store::{EntityView, MatchReason, ReportView, SearchResults, Stats, StoredStatement};

use crate::AppState;
use crate::api::{self, ApiError, Code, SearchParams};
use crate::auth::{Caller, simple_page};
use crate::html::{
    Page, banner, classification_class, enc, entity_href, esc, grading_badge, handling_meaning, highlight, kind_chip,
    marking_chip, report_href,
};

/// The embedded stylesheet.
const CSS: &str = include_str!("../static/tessera.css");

/// `GET /static/tessera.css`.
pub(crate) async fn stylesheet() -> Response {
    let mut r = CSS.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
    r
}

/// A page for an error: same look as every page, and the same 404 whether a thing is invisible or absent.
pub(crate) fn error_page(caller: &Caller, query: &str, e: &ApiError) -> Response {
    let title = match e.code {
        Code::NotFound => "Not found",
        Code::BadRequest | Code::InvalidInput => "Bad request",
        Code::Unauthenticated => "Log in first",
        Code::Forbidden => "Refused",
        Code::RateLimited => "Too many attempts",
        Code::Internal => "Error",
    };
    let body = format!(
        r#"<section class="error"><h1>{}</h1><p>{}</p><p><a href="/">Back to search</a></p></section>"#,
        esc(title),
        esc(&e.message)
    );
    Page { title: title.to_string(), caller, query, body }.render(e.status)
}

/// What a page handler answers: its page, or the error page of the step
/// that failed ([`OrErrorPage`]), so handlers can use `?`.
pub(crate) type PageResult = Result<Response, ErrorPage>;

/// A page handler's error page (boxed: a response is large, and most
/// results are pages).
pub(crate) struct ErrorPage(Box<Response>);

impl ErrorPage {
    /// [`error_page`] as a handler's error; `query` stays in the search box.
    pub(crate) fn new(caller: &Caller, query: &str, e: &ApiError) -> Self {
        ErrorPage(Box::new(error_page(caller, query, e)))
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// Refuses, with the error page, a caller whose role reads no intelligence
/// (an auditor, an administrator); `message` says so for the page asked for.
pub(crate) fn require_intelligence(caller: &Caller, message: &str) -> Result<(), ErrorPage> {
    if caller.viewer.role.reads_intelligence() {
        return Ok(());
    }
    Err(ErrorPage::new(caller, "", &ApiError::new(StatusCode::FORBIDDEN, Code::Forbidden, message)))
}

/// The error page of a failed read, with `not_found` in place of a 404 (the
/// page's own wording of "no such thing, or not yours to see").
pub(crate) fn read_error_page(caller: &Caller, e: ApiError, not_found: impl FnOnce() -> ApiError) -> ErrorPage {
    let e = if e.code == Code::NotFound { not_found() } else { e };
    ErrorPage::new(caller, "", &e)
}

/// Turns a failed step of a page handler (a rejected path, query or form, or
/// a refused read) into its error page, for `?` in a [`PageResult`].
pub(crate) trait OrErrorPage<T> {
    /// The value, or the error page shown to `caller`.
    fn or_error_page(self, caller: &Caller) -> Result<T, ErrorPage>;
}

impl<T, E> OrErrorPage<T> for Result<T, E>
where
    ApiError: From<E>,
{
    fn or_error_page(self, caller: &Caller) -> Result<T, ErrorPage> {
        self.map_err(|e| ErrorPage::new(caller, "", &ApiError::from(e)))
    }
}

/// Unknown paths: JSON under `/api/`, a page elsewhere.
pub(crate) async fn fallback(uri: Uri, request: Request) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::not_found(format!("no such endpoint: {path}")).into_response();
    }
    let message = ApiError::not_found("There is no page at this address.");
    match request.extensions().get::<Caller>() {
        Some(caller) => error_page(caller, "", &message),
        None => simple_page(StatusCode::NOT_FOUND, "Not found", "<p>There is no page at this address.</p>"),
    }
}

fn stats_panel(stats: &Stats) -> String {
    let mut rows = String::new();
    for (agency, n) in &stats.agencies {
        let _ = write!(rows, r#"<tr data-agency="{0}"><td>{0}</td><td class="num">{1}</td></tr>"#, esc(agency), n);
    }
    if rows.is_empty() {
        rows.push_str(r#"<tr><td colspan="2" class="empty">No reports visible to you.</td></tr>"#);
    }
    format!(
        r#"<section class="stats">
<h2>Holdings visible to you</h2>
<dl class="totals">
<div><dt>Reports</dt><dd id="stat-reports">{}</dd></div>
<div><dt>Statements</dt><dd id="stat-statements">{}</dd></div>
<div><dt>Entities</dt><dd id="stat-entities">{}</dd></div>
</dl>
<table class="dense agencies"><thead><tr><th>Agency</th><th class="num">Reports</th></tr></thead><tbody>{rows}</tbody></table>
</section>"#,
        stats.reports, stats.statements, stats.entities
    )
}

fn kind_select(selected: &str) -> String {
    let mut out = String::from(r#"<select name="kind" aria-label="Entity kind"><option value="">All kinds</option>"#);
    for kind in EntityKind::ALL {
        let sel = if kind.name() == selected { " selected" } else { "" };
        let _ = write!(out, r#"<option value="{0}"{sel}>{0}</option>"#, esc(kind.name()));
    }
    out.push_str("</select>");
    out
}

fn search_form(query: &str, kind: &str) -> String {
    format!(
        r#"<form class="bigsearch" method="get" action="/search" role="search">
<input type="search" name="q" id="q" value="{}" placeholder="A name in any spelling, a phone number, passport, IBAN, IMO, plate, handle or words" aria-label="Search query" autofocus>
{}
<button type="submit">Search</button>
</form>
<p class="hint">Names match across spellings and scripts; identifiers match in any common format (e.g. <code>07700 900123</code> finds <code>+447700900123</code>).</p>"#,
        esc(query),
        kind_select(kind)
    )
}

/// `GET /`.
pub(crate) async fn home(State(state): State<AppState>, caller: Caller) -> PageResult {
    let stats = api::read_stats(&state, &caller.viewer).await.or_error_page(&caller)?;
    let body =
        format!(r#"<h1 class="page-title">Search the holdings</h1>{}{}"#, search_form("", ""), stats_panel(&stats));
    Ok(Page { title: "Search".into(), caller: &caller, query: "", body }.render(StatusCode::OK))
}

fn page_link(params: &SearchParams, query: &str, offset: usize, limit: usize, label: &str, rel: &str) -> String {
    let kind = params.kind.as_deref().unwrap_or("");
    format!(
        r#"<a rel="{rel}" class="page-link" href="/search?q={}&amp;kind={}&amp;limit={limit}&amp;offset={offset}">{}</a>"#,
        enc(query),
        enc(kind),
        esc(label)
    )
}

fn results_body(params: &SearchParams, r: &SearchResults, limit: usize, offset: usize) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<h1 class="page-title">Results for “{}”</h1>{}"#,
        esc(&r.query),
        search_form(&r.query, params.kind.as_deref().unwrap_or(""))
    );
    if !r.identifiers.is_empty() {
        let ids: Vec<String> = r.identifiers.iter().map(|i| format!("<code>{}</code>", esc(i))).collect();
        let _ = write!(out, r#"<p class="read-as">Read as identifier: {}</p>"#, ids.join(" "));
    }
    // Hit / no-hit: another agency holds something the viewer may not see. Whom to contact, never what.
    for notice in &r.deconfliction {
        let _ = write!(
            out,
            r#"<p class="deconfliction" data-owner="{}" data-reference="{}"><strong>Deconfliction.</strong> {}</p>"#,
            esc(&notice.owner),
            esc(&notice.reference),
            esc(&notice.message)
        );
    }
    let _ = write!(
        out,
        r#"<section class="results entities"><h2>Entities <span class="count">{}</span></h2>"#,
        r.total_entities
    );
    if r.entities.is_empty() {
        out.push_str(r#"<p class="empty">No entity matches.</p>"#);
    } else {
        out.push_str(
            r#"<table class="dense"><thead><tr><th>Entity</th><th>Kind</th><th>Matched values</th><th>Same as</th><th>Why</th><th class="num">Score</th></tr></thead><tbody>"#,
        );
        for hit in &r.entities {
            let matched: Vec<String> = hit.matched.iter().map(|m| esc(m)).collect();
            let why = match hit.reason {
                MatchReason::Identifier => "identifier",
                MatchReason::Name => "name variant",
            };
            let members: Vec<String> = hit
                .members
                .iter()
                .map(|m| {
                    format!(
                        r#"<a class="member-link" data-entity="{id}" href="{href}">{caption}</a> <span class="id">{id}</span>"#,
                        id = esc(&m.id),
                        href = esc(&entity_href(&m.id)),
                        caption = esc(&m.caption)
                    )
                })
                .collect();
            let _ = write!(
                out,
                r#"<tr class="entity-hit" data-entity="{id}"><td><a class="entity-link" href="{href}">{caption}</a> <span class="id">{id}</span></td><td>{kind}</td><td>{matched}</td><td class="members">{members}</td><td>{why}</td><td class="num">{score:.2}</td></tr>"#,
                members = members.join("<br>"),
                id = esc(&hit.id),
                href = esc(&entity_href(&hit.id)),
                caption = esc(&hit.caption),
                kind = kind_chip(hit.kind),
                matched = matched.join("; "),
                score = hit.score,
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
    let _ = write!(
        out,
        r#"<section class="results reports"><h2>Reports <span class="count">{}</span></h2>"#,
        r.total_reports
    );
    if r.reports.is_empty() {
        out.push_str(r#"<p class="empty">No report matches.</p>"#);
    } else {
        out.push_str(
            r#"<table class="dense"><thead><tr><th>Report</th><th>Agency</th><th>Date</th><th>Marking</th><th>Grading</th><th>Snippet</th></tr></thead><tbody>"#,
        );
        for hit in &r.reports {
            let _ = write!(
                out,
                r#"<tr class="report-hit" data-report="{id}" data-agency="{agency}"><td><a class="report-link" href="{href}">{id}</a></td><td>{agency}</td><td class="date">{date}</td><td>{marking}</td><td><span class="grading">{grading}</span></td><td class="snippet">{snippet}</td></tr>"#,
                id = esc(&hit.id),
                href = esc(&report_href(&hit.id)),
                agency = esc(&hit.agency),
                date = esc(&hit.date),
                marking = marking_chip(&hit.banner),
                grading = esc(&hit.grading),
                snippet = highlight(&hit.snippet),
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
    let total = r.total_entities.max(r.total_reports);
    if offset > 0 || offset + limit < total {
        out.push_str(r#"<nav class="pager">"#);
        if offset > 0 {
            out.push_str(&page_link(params, &r.query, offset.saturating_sub(limit), limit, "← Previous", "prev"));
        }
        let _ = write!(out, r#"<span>{}–{} of {}</span>"#, offset + 1, (offset + limit).min(total), total);
        if offset + limit < total {
            out.push_str(&page_link(params, &r.query, offset + limit, limit, "Next →", "next"));
        }
        out.push_str("</nav>");
    }
    out
}

/// `GET /search?q=...`.
pub(crate) async fn search(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> PageResult {
    let Query(params) = params.or_error_page(&caller)?;
    let query = params.q.clone().unwrap_or_default();
    if query.trim().is_empty() {
        return home(State(state), caller).await;
    }
    // A failed search keeps the query in the page's search box.
    let request = params.request().map_err(|e| ErrorPage::new(&caller, &query, &e))?;
    let (limit, offset) = (request.limit, request.offset);
    let results =
        api::run_search(&state, &caller.viewer, request).await.map_err(|e| ErrorPage::new(&caller, &query, &e))?;
    let body = results_body(&params, &results, limit, offset);
    Ok(Page { title: format!("Search: {}", results.query), caller: &caller, query: &query, body }
        .render(StatusCode::OK))
}

/// Properties in the order the kind's schema lists them, then any others (links) by name.
fn grouped(kind: EntityKind, statements: &[StoredStatement]) -> Vec<(&str, Vec<&StoredStatement>)> {
    let mut groups: BTreeMap<(usize, &str), Vec<&StoredStatement>> = BTreeMap::new();
    let order = kind.properties();
    for s in statements {
        let p = s.statement.property.as_str();
        let rank = order.iter().position(|q| q.name == p).unwrap_or(order.len());
        groups.entry((rank, p)).or_default().push(s);
    }
    groups.into_iter().map(|((_, p), v)| (p, v)).collect()
}

fn entity_link(id: &str, captions: &BTreeMap<String, String>) -> String {
    let caption = captions.get(id).map(String::as_str).filter(|c| !c.is_empty()).unwrap_or(id);
    format!(r#"<a class="entity-link" href="{}">{}</a>"#, esc(&entity_href(id)), esc(caption))
}

fn value_cell(s: &StoredStatement, captions: &BTreeMap<String, String>) -> String {
    let st = &s.statement;
    let refers = st.link_type().is_some() || tessera_model::schema::is_decision_property(&st.property);
    let mut out = if refers { entity_link(&st.value, captions) } else { esc(&st.value) };
    if let Some(original) = st.original.as_deref().filter(|o| *o != st.value) {
        let _ = write!(out, r#" <span class="original" title="as the source wrote it">“{}”</span>"#, esc(original));
    }
    out
}

/// The provenance cells of a statement: report, agency, grading, marking, observed, origin.
fn provenance_cells(s: &StoredStatement) -> String {
    let st = &s.statement;
    format!(
        r#"<td class="provenance report"><a class="report-link" href="{href}">{report}</a></td><td class="provenance agency">{agency}</td><td class="provenance grading-cell">{grading}</td><td class="provenance marking-cell">{marking}</td><td class="provenance date">{observed}</td><td class="provenance origin origin-{origin}">{origin}</td>"#,
        href = esc(&report_href(&st.report_id)),
        report = esc(&st.report_id),
        agency = esc(&st.agency),
        grading = grading_badge(&st.grading),
        marking = marking_chip(&st.markings.banner()),
        observed = esc(&st.observed),
        origin = st.origin.name(),
    )
}

fn statement_row(s: &StoredStatement, captions: &BTreeMap<String, String>, first_cell: &str) -> String {
    let st = &s.statement;
    format!(
        r#"<tr class="statement" id="st-{id}" data-statement="{id}" data-property="{property}" data-report="{report}" data-agency="{agency}" data-grading="{grading}" data-classification="{cls}">{first_cell}<td class="value">{value}</td>{prov}</tr>"#,
        id = s.id,
        property = esc(&st.property),
        report = esc(&st.report_id),
        agency = esc(&st.agency),
        grading = esc(&st.grading.code()),
        cls = esc(st.markings.classification.as_str()),
        value = value_cell(s, captions),
        prov = provenance_cells(s),
    )
}

const PROVENANCE_HEAD: &str =
    r#"<th>Source report</th><th>Agency</th><th>Grading</th><th>Marking</th><th>Observed</th><th>Origin</th>"#;

fn highest<'a>(markings: impl Iterator<Item = &'a tessera_model::Markings>) -> Option<Classification> {
    markings.map(|m| m.classification).max()
}

fn page_banner(c: Option<Classification>, what: &str) -> String {
    match c {
        Some(c) => format!(
            r#"<div class="banner page-banner {}" role="note">{} <span class="owner">highest marking {what}</span></div>"#,
            classification_class(c),
            esc(c.as_str())
        ),
        None => String::new(),
    }
}

/// The entity page; `merged` are the statements of the other members of its cluster shown below it
/// (they count towards the page's highest marking).
fn entity_body(e: &EntityView, merged: &[StoredStatement]) -> String {
    let mut out = String::new();
    let all = e.statements.iter().chain(&e.inbound).chain(merged);
    out.push_str(&page_banner(highest(all.map(|s| &s.statement.markings)), "on this page"));
    let reports: std::collections::BTreeSet<&str> =
        e.statements.iter().map(|s| s.statement.report_id.as_str()).collect();
    let agencies: std::collections::BTreeSet<&str> = e.statements.iter().map(|s| s.statement.agency.as_str()).collect();
    let _ = write!(
        out,
        r#"<header class="entity-head"><h1 class="caption" data-entity="{id}">{caption}</h1> {kind} <span class="id">{id}</span>
<p class="summary">{n} statement(s) from {r} report(s) by {a} agenc{ies}: {alist}</p><p class="chart-link"><a class="network-link" href="/network?seed={seed}">Link chart</a></p></header>"#,
        id = esc(&e.id),
        seed = esc(&enc(&e.id)),
        caption = esc(&e.caption),
        kind = kind_chip(e.kind),
        n = e.statements.len(),
        r = reports.len(),
        a = agencies.len(),
        ies = if agencies.len() == 1 { "y" } else { "ies" },
        alist = esc(&agencies.into_iter().collect::<Vec<_>>().join(", ")),
    );
    out.push_str(r#"<section class="statements"><h2>Statements</h2><table class="dense provenance-table"><thead><tr><th>Property</th><th>Value</th>"#);
    out.push_str(PROVENANCE_HEAD);
    out.push_str("</tr></thead>");
    for (property, rows) in grouped(e.kind, &e.statements) {
        let _ = write!(out, r#"<tbody class="property-group" data-property="{}">"#, esc(property));
        for (i, s) in rows.iter().enumerate() {
            let first = if i == 0 {
                format!(r#"<th scope="rowgroup" rowspan="{}" class="property">{}</th>"#, rows.len(), esc(property))
            } else {
                String::new()
            };
            out.push_str(&statement_row(s, &e.captions, &first));
        }
        out.push_str("</tbody>");
    }
    out.push_str("</table></section>");

    let outbound: Vec<&StoredStatement> = e.statements.iter().filter(|s| s.statement.link_type().is_some()).collect();
    out.push_str(r#"<section class="links"><h2>Links</h2>"#);
    if outbound.is_empty() && e.inbound.is_empty() {
        out.push_str(r#"<p class="empty">No links visible to you.</p>"#);
    } else {
        out.push_str(
            r#"<table class="dense provenance-table"><thead><tr><th>Direction</th><th>Link</th><th>Entity</th>"#,
        );
        out.push_str(PROVENANCE_HEAD);
        out.push_str("</tr></thead><tbody>");
        for s in &outbound {
            let _ = write!(
                out,
                r#"<tr class="link outbound" data-report="{}" data-agency="{}"><td>→ out</td><td>{}</td><td>{}</td>{}</tr>"#,
                esc(&s.statement.report_id),
                esc(&s.statement.agency),
                esc(&s.statement.property),
                entity_link(&s.statement.value, &e.captions),
                provenance_cells(s)
            );
        }
        for s in &e.inbound {
            let _ = write!(
                out,
                r#"<tr class="link inbound" data-report="{}" data-agency="{}"><td>← in</td><td>{}</td><td>{}</td>{}</tr>"#,
                esc(&s.statement.report_id),
                esc(&s.statement.agency),
                esc(&s.statement.property),
                entity_link(&s.statement.entity_id, &e.captions),
                provenance_cells(s)
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
    out
}

/// The one message for an entity that is missing or invisible.
fn entity_not_found() -> ApiError {
    ApiError::not_found("No entity with this id is available to you.")
}

/// The one message for a report that is missing or invisible.
fn report_not_found() -> ApiError {
    ApiError::not_found("No report with this reference is available to you.")
}

/// `GET /entity/{id}`.
pub(crate) async fn entity(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let Path(id) = id.or_error_page(&caller)?;
    let view = api::read_entity(&state, &caller.viewer, id.clone())
        .await
        .map_err(|e| read_error_page(&caller, e, entity_not_found))?;
    let cluster = if view.kind.is_resolved() {
        Some(crate::matches::read_cluster(&state, &caller.viewer, id).await.or_error_page(&caller)?)
    } else {
        None
    };
    let merged: Vec<StoredStatement> = cluster
        .iter()
        .flat_map(|c| c.statements.iter().filter(|s| s.statement.entity_id != view.id).cloned())
        .collect();
    let mut body = entity_body(&view, &merged);
    if let Some(cluster) = cluster {
        let captions: BTreeMap<String, String> =
            cluster.members.iter().map(|m| (m.id.clone(), m.caption.clone())).collect();
        let mut all = view.captions.clone();
        all.extend(captions.clone());
        body.push_str(&crate::matches::cluster_section(&cluster, &caller, |s| {
            let first = format!(
                r#"<td class="record">{}</td><td class="property">{}</td>"#,
                entity_link(&s.statement.entity_id, &captions),
                esc(&s.statement.property)
            );
            statement_row(s, &all, &first)
        }));
    }
    Ok(Page { title: view.caption.clone(), caller: &caller, query: "", body }.render(StatusCode::OK))
}

fn chips(class: &str, items: &[String]) -> String {
    if items.is_empty() {
        return r#"<span class="none">none</span>"#.to_string();
    }
    items.iter().map(|i| format!(r#"<span class="chip {class}">{}</span>"#, esc(i))).collect::<Vec<_>>().join(" ")
}

fn report_body(r: &ReportView) -> String {
    let mut out = banner(&r.markings);
    let g = &r.grading;
    let original = match &g.original {
        Some(o) => format!("<div><dt>Original grade</dt><dd>{} {}</dd></div>", esc(o.scheme.name()), esc(&o.code)),
        None => String::new(),
    };
    let _ = write!(
        out,
        r#"<article class="report" data-report="{id}" data-agency="{agency}">
<header class="report-head"><h1><span class="label">Report</span> <span class="report-id">{id}</span></h1></header>
<dl class="meta">
<div><dt>Agency</dt><dd class="agency">{agency}</dd></div>
<div><dt>Author</dt><dd>{author}</dd></div>
<div><dt>Date</dt><dd class="date">{date}</dd></div>
<div><dt>Grading</dt><dd>{badge}</dd></div>
<div><dt>Source evaluation</dt><dd>{sc}: {sl}</dd></div>
<div><dt>Intelligence assessment</dt><dd>{ic}: {il}</dd></div>
<div><dt>Handling</dt><dd class="handling">{handling}</dd></div>
{original}
<div><dt>Streams</dt><dd>{streams}</dd></div>
<div><dt>Routes</dt><dd>{routes}</dd></div>
<div><dt>Recorded</dt><dd>{recorded} from <code>{file}</code></dd></div>
</dl>
<section class="text"><h2>Text</h2><div class="report-text">{text}</div></section>"#,
        id = esc(&r.id),
        agency = esc(&r.agency),
        author = esc(&r.author),
        date = esc(&r.date),
        badge = grading_badge(g),
        sc = g.source.code(),
        sl = esc(g.source.label()),
        ic = g.intelligence.code(),
        il = esc(g.intelligence.label()),
        handling = esc(&handling_meaning(&g.handling)),
        streams = chips("stream", &r.streams),
        routes = chips("route", &r.routes),
        recorded = esc(&r.recorded),
        file = esc(&r.source_file),
        text = esc(&r.text),
    );
    out.push_str(r#"<section class="carried"><h2>Statements carried</h2>"#);
    let mut by_entity: BTreeMap<&str, Vec<&StoredStatement>> = BTreeMap::new();
    for s in &r.statements {
        by_entity.entry(s.statement.entity_id.as_str()).or_default().push(s);
    }
    if by_entity.is_empty() {
        out.push_str(r#"<p class="empty">This report carries no statements.</p>"#);
    }
    for (entity, rows) in by_entity {
        let kind = rows.first().map(|s| kind_chip(s.statement.kind)).unwrap_or_default();
        let _ = write!(
            out,
            r#"<div class="entity-group" data-entity="{}"><h3>{} {kind} <span class="id">{}</span></h3><table class="dense"><thead><tr><th>Property</th><th>Value</th><th>Observed</th><th>Origin</th></tr></thead><tbody>"#,
            esc(entity),
            entity_link(entity, &r.captions),
            esc(entity)
        );
        for s in rows {
            let st = &s.statement;
            let _ = write!(
                out,
                r#"<tr class="statement" data-property="{p}"><td class="property">{p}</td><td class="value">{v}</td><td class="date">{o}</td><td class="origin origin-{origin}">{origin}</td></tr>"#,
                p = esc(&st.property),
                v = value_cell(s, &r.captions),
                o = esc(&st.observed),
                origin = st.origin.name(),
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</section></article>");
    out.push_str(&banner(&r.markings));
    out
}

/// `GET /report/{id}`.
pub(crate) async fn report(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let Path(id) = id.or_error_page(&caller)?;
    let view = api::read_report(&state, &caller.viewer, id)
        .await
        .map_err(|e| read_error_page(&caller, e, report_not_found))?;
    let body = report_body(&view);
    Ok(Page { title: format!("Report {}", view.id), caller: &caller, query: "", body }.render(StatusCode::OK))
}
