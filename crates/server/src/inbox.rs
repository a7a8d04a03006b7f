//! The deconfliction inbox: an agency's users see who searched for something
//! their agency holds and could not see it (hit / no-hit), with the reference
//! the searcher was given. `GET /api/deconflictions` and the `/deconflictions` page.

use std::fmt::Write;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tessera_access::Viewer;
use tessera_store::{AuditEvent, Deconfliction, Store};

use crate::AppState;
use crate::api::{ApiError, Code};
use crate::auth::Caller;
use crate::html::{Page, esc};
use crate::pages::{OrErrorPage, PageResult};

/// The viewer's agency's inbox; roles that read no intelligence are refused. Audited.
async fn read_inbox(state: &AppState, viewer: &Viewer) -> Result<Vec<Deconfliction>, ApiError> {
    if !viewer.role.reads_intelligence() {
        return Err(ApiError::new(StatusCode::FORBIDDEN, Code::Forbidden, "this role reads no intelligence"));
    }
    let event = AuditEvent::new("read_deconflictions", viewer.agency.clone());
    state.read_audited(viewer, event, |store, viewer| store.deconflictions_for(&viewer.agency, viewer)).await
}

/// `GET /api/deconflictions`.
pub(crate) async fn api(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Deconfliction>>, ApiError> {
    Ok(Json(read_inbox(&state, &caller.viewer).await?))
}

/// `GET /deconflictions`.
pub(crate) async fn page(State(state): State<AppState>, caller: Caller) -> PageResult {
    let inbox = read_inbox(&state, &caller.viewer).await.or_error_page(&caller)?;
    let mut body = format!(
        r#"<h1 class="page-title">Deconfliction inbox of {}</h1><p class="hint">Searches by other agencies that matched only material {} holds and they could not see. They were told to contact {} and quote the reference.</p>"#,
        esc(&caller.viewer.agency),
        esc(&caller.viewer.agency),
        esc(&caller.viewer.agency)
    );
    if inbox.is_empty() {
        body.push_str(r#"<p class="empty">No deconfliction.</p>"#);
    } else {
        body.push_str(r#"<table class="dense"><thead><tr><th>Reference</th><th>When</th><th>Who</th><th>Agency</th><th>Searched</th><th>Our reports</th></tr></thead><tbody>"#);
        for d in &inbox {
            let reports: Vec<String> = d
                .report_ids
                .iter()
                .map(|r| format!(r#"<a href="/report/{}">{}</a>"#, crate::html::enc(r), esc(r)))
                .collect();
            let _ = write!(
                body,
                r#"<tr class="deconfliction-row"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&d.reference),
                esc(&d.at),
                esc(&d.asker_user),
                esc(&d.asker_agency),
                esc(&d.query),
                reports.join(", ")
            );
        }
        body.push_str("</tbody></table>");
    }
    Ok(Page { title: "Deconfliction inbox".into(), caller: &caller, query: "", body }.render(StatusCode::OK))
}
