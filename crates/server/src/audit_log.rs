//! The audit log for auditors: `GET /api/audit` (JSON or CSV) and the `/audit`
//! page with filters, the chain's verification, and an export link. Only roles
//! that read the audit log (auditor, administrator) get it; every reading is
//! itself audited.

use std::fmt::Write;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tessera_access::Viewer;
use tessera_store::{AuditEvent, AuditFilter, AuditRecord, AuditVerification, Store};

use crate::AppState;
use crate::api::{ApiError, Code};
use crate::auth::Caller;
use crate::html::{Page, enc, esc};
use crate::pages::{OrErrorPage, PageResult};

/// Filters of the audit log, from the query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuditParams {
    user: Option<String>,
    action: Option<String>,
    contains: Option<String>,
    since: Option<String>,
    limit: Option<usize>,
    format: Option<String>,
}

impl AuditParams {
    fn filter(&self) -> AuditFilter {
        let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        AuditFilter {
            user: clean(&self.user),
            action: clean(&self.action),
            contains: clean(&self.contains),
            since: clean(&self.since),
            limit: self.limit.unwrap_or(200).clamp(1, 100_000),
        }
    }
}

/// The log as an auditor reads it: the chain's state and the matching records.
#[derive(Debug, Serialize)]
pub(crate) struct AuditView {
    verification: AuditVerification,
    records: Vec<AuditRecord>,
}

/// Reads the log for `viewer`, refusing roles that do not read it; the reading is audited first.
async fn read_log(state: &AppState, viewer: &Viewer, filter: AuditFilter) -> Result<AuditView, ApiError> {
    if !viewer.role.reads_audit() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            Code::Forbidden,
            "only auditors and administrators read the audit log",
        ));
    }
    let event = AuditEvent::new("audit_read", format!("{filter:?}"));
    state
        .read_audited(viewer, event, move |store, _| {
            let verification = store.verify_audit(None)?;
            let records = store.audit_records(&filter)?;
            Ok(AuditView { verification, records })
        })
        .await
}

/// `GET /api/audit`: JSON, or CSV with `format=csv`.
pub(crate) async fn api(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<AuditParams>,
) -> Result<Response, ApiError> {
    let view = read_log(&state, &caller.viewer, params.filter()).await?;
    if params.format.as_deref() == Some("csv") {
        let disposition = "attachment; filename=\"tessera-audit.csv\"";
        return Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, disposition)],
            to_csv(&view.records),
        )
            .into_response());
    }
    Ok(Json(view).into_response())
}

/// The records as CSV, every field quoted; cells that a spreadsheet would run as a formula are prefixed with `'`.
fn to_csv(records: &[AuditRecord]) -> String {
    let cell = |s: &str| {
        let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
        format!("\"{}\"", s.replace('"', "\"\""))
    };
    let mut out = String::from("seq,at,user,agency,action,detail,prev_hash,hash\n");
    for r in records {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            r.seq,
            cell(&r.at),
            cell(&r.user),
            cell(&r.agency),
            cell(&r.action),
            cell(&r.detail),
            cell(&r.prev_hash),
            cell(&r.hash)
        );
    }
    out
}

/// `GET /audit`: the audit viewer.
pub(crate) async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<AuditParams>,
) -> PageResult {
    let filter = params.filter();
    let view = read_log(&state, &caller.viewer, filter.clone()).await.or_error_page(&caller)?;
    let value = |s: &Option<String>| esc(s.as_deref().unwrap_or(""));
    let mut body = format!(
        r#"<h1 class="page-title">Audit log</h1>
<form class="audit-filter" method="get" action="/audit">
<input name="user" placeholder="user" value="{}"> <input name="action" placeholder="action" value="{}">
<input name="contains" placeholder="detail contains" value="{}"> <input name="since" placeholder="since (2026-11-28)" value="{}">
<button type="submit">Filter</button></form>"#,
        value(&filter.user),
        value(&filter.action),
        value(&filter.contains),
        value(&filter.since)
    );
    let v = &view.verification;
    if v.breaks.is_empty() {
        let _ = write!(
            body,
            r#"<p class="chain intact">Chain intact: {} records verified; head <code>{}</code> (keep it outside Tessera to catch records cut from the end).</p>"#,
            v.records,
            esc(&v.head)
        );
    } else {
        let _ = write!(
            body,
            r#"<div class="chain broken"><strong>Chain broken: {} break(s).</strong><ul>"#,
            v.breaks.len()
        );
        for b in &v.breaks {
            let _ = write!(body, "<li>{}</li>", esc(&b.to_string()));
        }
        body.push_str("</ul></div>");
    }
    let csv = format!(
        "/api/audit?format=csv&user={}&action={}&contains={}&since={}&limit={}",
        enc(filter.user.as_deref().unwrap_or("")),
        enc(filter.action.as_deref().unwrap_or("")),
        enc(filter.contains.as_deref().unwrap_or("")),
        enc(filter.since.as_deref().unwrap_or("")),
        filter.limit
    );
    let _ = write!(
        body,
        r#"<p><a class="export" href="{}">Export these records as CSV</a></p><table class="dense audit"><thead><tr><th class="num">#</th><th>When</th><th>User</th><th>Agency</th><th>Action</th><th>Detail</th></tr></thead><tbody>"#,
        esc(&csv)
    );
    for r in &view.records {
        let _ = write!(
            body,
            r#"<tr class="audit-record"><td class="num">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            r.seq,
            esc(&r.at),
            esc(&r.user),
            esc(&r.agency),
            esc(&r.action),
            esc(&r.detail)
        );
    }
    body.push_str("</tbody></table>");
    Ok(Page { title: "Audit log".into(), caller: &caller, query: "", body }.render(StatusCode::OK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let r = AuditRecord {
            seq: 1,
            at: "t".into(),
            user: "u".into(),
            agency: "A".into(),
            action: "search".into(),
            detail: "=HYPERLINK(\"x\")".into(),
            prev_hash: "0".into(),
            hash: "1".into(),
        };
        let csv = to_csv(&[r]);
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    }
}
