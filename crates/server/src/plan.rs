//! The Strategic Action Plan, the disruption log, the sufficiency and impact
//! review and the meeting papers in the API. Every read is audited before it
//! is answered (`read_plan`, `read_disruptions`, `read_disruption`,
//! `read_review`); every change is audited with what changed; a generated
//! paper is audited as an export (`export_report`, with its name and format).
//!
//! - `GET /api/plan`, `POST /api/plan/actions`, `POST /api/plan/actions/{id}/status`
//! - `GET /api/disruptions`, `GET /api/disruptions/{id}`, `POST /api/disruptions`,
//!   `GET /api/disruptions/criteria`
//! - `GET /api/review` (JSON), `GET /api/review/{table}` (`coverage.csv`, `impact.csv`, `returns.csv`)
//! - `GET /reports/{name}` (`threat-assessment.html|.pdf|.csv`, `review.html|.pdf`)

use std::sync::OnceLock;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tessera_access::Viewer;
use tessera_model::disruption::{ActionStatus, Criterion};
use tessera_picture::documents::{self, Prepared};
use tessera_picture::review::{ReviewAsk, ReviewPack, build_review};
use tessera_picture::{Options as PictureOptions, PictureError};
use tessera_report::Shape;
use tessera_review::Review;
use tessera_store::{Action, AuditEvent, Disruption, NewAction, NewDisruption, Store, StoreError, StreamLead};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::Caller;

/// The world's countries at 1:110m (world-atlas, from the npm registry at build time), for report maps.
const WORLD_110M: &[u8] = include_bytes!(concat!(env!("TESSERA_WEB_MODULES"), "/world-atlas/countries-110m.json"));

/// The country shapes of [`WORLD_110M`], decoded once (empty if it cannot be read: maps are left out).
pub fn world() -> &'static [Shape] {
    static WORLD: OnceLock<Vec<Shape>> = OnceLock::new();
    WORLD.get_or_init(|| tessera_report::topojson::countries(WORLD_110M).unwrap_or_default())
}

/// The plan as one viewer sees it.
#[derive(Debug, Serialize)]
pub(crate) struct PlanView {
    /// Stream leads.
    pub stream_leads: Vec<StreamLead>,
    /// Actions, by stream and reference.
    pub actions: Vec<Action>,
}

/// Reads the plan as `viewer`, audited as `read_plan`.
pub(crate) async fn read_plan(state: &AppState, viewer: &Viewer) -> Result<PlanView, ApiError> {
    state
        .read_audited(viewer, AuditEvent::new("read_plan", String::new()), |store, viewer| {
            Ok(PlanView { stream_leads: store.stream_leads(viewer)?, actions: store.actions(viewer)? })
        })
        .await
}

/// What the plan and the log hold against one group: the actions that target one of its organisation
/// `records` and the disruptions recorded against one, as `viewer` may see them (audited as `read_plan`).
pub(crate) async fn read_against(
    state: &AppState,
    viewer: &Viewer,
    records: Vec<String>,
) -> Result<(Vec<Action>, Vec<Disruption>), ApiError> {
    let event = AuditEvent::new("read_plan", format!("against {}", records.join(",")));
    state
        .read_audited(viewer, event, move |store, viewer| {
            let actions = store
                .actions(viewer)?
                .into_iter()
                .filter(|a| {
                    a.targets.iter().any(|t| t.kind == tessera_store::TargetKind::Group && records.contains(&t.id))
                })
                .collect();
            Ok((actions, store.disruptions(viewer, Some(&records))?))
        })
        .await
}

/// `GET /api/plan`: stream leads and actions the caller may see.
pub(crate) async fn api_plan(State(state): State<AppState>, caller: Caller) -> Result<Json<PlanView>, ApiError> {
    Ok(Json(read_plan(&state, &caller.viewer).await?))
}

fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("expected {what} (docs/plan.md): {e}")))
}

/// Runs a change as the caller with its audit record, mapping store errors to API errors.
async fn change<T, F>(state: &AppState, viewer: Viewer, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut tessera_store::SqliteStore, &Viewer) -> Result<T, StoreError> + Send + 'static,
{
    state.write_as(viewer, f).await.map_err(ApiError::store)?.map_err(ApiError::from_store)
}

/// `POST /api/plan/actions` (a plan file's action object): adds an action.
pub(crate) async fn api_add_action(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Action>), ApiError> {
    let action: NewAction = parse_body(&body?, "an action")?;
    let added = change(&state, caller.viewer, move |store, viewer| {
        let added = store.add_action(viewer, &action)?;
        store.audit(viewer, &AuditEvent::new("plan_action_add", format!("action {} {}", added.id, added.reference)))?;
        Ok(added)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// The body of a status change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatusBody {
    /// planned, in_progress, complete or cancelled.
    pub status: String,
    /// What was done, or why.
    #[serde(default)]
    pub note: String,
}

/// Changes an action's status as `viewer`, audited as `plan_action_status`.
pub(crate) async fn set_status(
    state: &AppState,
    viewer: Viewer,
    id: i64,
    body: StatusBody,
) -> Result<Action, ApiError> {
    let status = ActionStatus::from_name(&body.status).ok_or_else(|| {
        ApiError::bad_request(format!("status: {:?} is not one of {}", body.status, ActionStatus::names()))
    })?;
    change(state, viewer, move |store, viewer| {
        let action = store.set_action_status(viewer, id, status, &body.note)?;
        store.audit(viewer, &AuditEvent::new("plan_action_status", format!("action {id}: {status}")))?;
        Ok(action)
    })
    .await
}

/// `POST /api/plan/actions/{id}/status` (`{"status", "note"}`).
pub(crate) async fn api_action_status(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Action>, ApiError> {
    let Path(id) = id?;
    let body: StatusBody = parse_body(&body?, "{\"status\", \"note\"}")?;
    Ok(Json(set_status(&state, caller.viewer, id, body).await?))
}

/// Reads the disruption log as `viewer` (only `group`'s when given), audited as `read_disruptions`.
pub(crate) async fn read_disruptions(
    state: &AppState,
    viewer: &Viewer,
    group: Option<String>,
) -> Result<Vec<Disruption>, ApiError> {
    let event = AuditEvent::new("read_disruptions", group.clone().unwrap_or_default());
    state
        .read_audited(viewer, event, move |store, viewer| {
            let groups = group.map(|g| vec![g]);
            store.disruptions(viewer, groups.as_deref())
        })
        .await
}

/// `GET /api/disruptions?group=ID`: the log, newest first.
pub(crate) async fn api_disruptions(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Vec<Disruption>>, ApiError> {
    let Query(pairs) = query?;
    let mut group = None;
    for (k, v) in pairs {
        match k.as_str() {
            "group" if !v.trim().is_empty() => group = Some(v.trim().to_string()),
            "group" => {}
            other => return Err(ApiError::bad_request(format!("unknown parameter `{other}` (expected `group`)"))),
        }
    }
    Ok(Json(read_disruptions(&state, &caller.viewer, group).await?))
}

/// `GET /api/disruptions/{id}`.
pub(crate) async fn api_disruption(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Disruption>, ApiError> {
    let Path(id) = id?;
    let found = state
        .read_audited(&caller.viewer, AuditEvent::new("read_disruption", id.to_string()), move |store, viewer| {
            store.disruption(viewer, id)
        })
        .await?;
    found.map(Json).ok_or_else(|| ApiError::not_found(format!("no disruption {id}")))
}

/// `POST /api/disruptions` (a plan file's disruption object): records a disruption.
pub(crate) async fn api_record_disruption(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Disruption>), ApiError> {
    let disruption: NewDisruption = parse_body(&body?, "a disruption")?;
    Ok((StatusCode::CREATED, Json(record(&state, caller.viewer, disruption).await?)))
}

/// Records a disruption as `viewer`, audited as `disruption_record`.
pub(crate) async fn record(
    state: &AppState,
    viewer: Viewer,
    disruption: NewDisruption,
) -> Result<Disruption, ApiError> {
    change(state, viewer, move |store, viewer| {
        let recorded = store.record_disruption(viewer, &disruption)?;
        store.audit(
            viewer,
            &AuditEvent::new("disruption_record", format!("disruption {} {}", recorded.id, recorded.reference)),
        )?;
        Ok(recorded)
    })
    .await
}

/// The impact criteria in force.
pub(crate) async fn read_criteria(state: &AppState, viewer: &Viewer) -> Result<Vec<Criterion>, ApiError> {
    state
        .read_audited(viewer, AuditEvent::new("read_criteria", String::new()), |store, _| {
            Ok(store.impact_criteria().criteria())
        })
        .await
}

/// `GET /api/disruptions/criteria`: the written criteria of the impact levels.
pub(crate) async fn api_criteria(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Criterion>>, ApiError> {
    Ok(Json(read_criteria(&state, &caller.viewer).await?))
}

/// Reads a review's query parameters, naming any bad one.
pub(crate) fn review_ask(pairs: &[(String, String)]) -> Result<ReviewAsk, ApiError> {
    let mut ask = ReviewAsk::default();
    for (k, v) in pairs {
        let v = v.trim();
        match k.as_str() {
            "as_of" if v.is_empty() => {}
            "as_of" => {
                if v.len() != 10 || tessera_model::time::day_number(v).is_none() {
                    return Err(ApiError::bad_request(format!("as_of: {v:?} is not a date (YYYY-MM-DD)")));
                }
                ask.as_of = Some(v.to_string());
            }
            "window" if v.is_empty() => {}
            "window" => {
                ask.window = Some(v.parse().ok().filter(|d| (7..=730).contains(d)).ok_or_else(|| {
                    ApiError::bad_request(format!("window: {v:?} is not a number of days from 7 to 730"))
                })?)
            }
            "period" => {
                ask.monthly = match v {
                    "" | "quarter" => false,
                    "month" => true,
                    other => return Err(ApiError::bad_request(format!("period: {other:?} is not month or quarter"))),
                }
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{other}` (expected `as_of`, `window`, `period`)"
                )));
            }
        }
    }
    Ok(ask)
}

/// Builds `viewer`'s review, audited as `read_review` (refused for partners and auditors).
pub(crate) async fn read_review(state: &AppState, viewer: &Viewer, ask: ReviewAsk) -> Result<ReviewPack, ApiError> {
    let detail = format!(
        "as_of={} window={} period={}",
        ask.as_of.as_deref().unwrap_or(""),
        ask.window.map_or(String::new(), |w| w.to_string()),
        if ask.monthly { "month" } else { "quarter" }
    );
    state
        .read_audited(viewer, AuditEvent::new("read_review", detail), move |store, viewer| {
            build_review(store, viewer, &ask).map_err(|e| match e {
                PictureError::Invalid(m) => StoreError::Invalid(m),
                PictureError::Store(s) => s,
            })
        })
        .await
}

/// `GET /api/review?as_of=YYYY-MM-DD&window=90&period=quarter`.
pub(crate) async fn api_review(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Review>, ApiError> {
    let Query(pairs) = query?;
    let ask = review_ask(&pairs)?;
    Ok(Json(read_review(&state, &caller.viewer, ask).await?.review))
}

/// A downloadable file.
fn download(content_type: &'static str, name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// `GET /api/review/{table}`: `coverage.csv`, `impact.csv` or `returns.csv`.
pub(crate) async fn api_review_csv(
    State(state): State<AppState>,
    caller: Caller,
    table: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Path(table) = table?;
    let Query(pairs) = query?;
    let ask = review_ask(&pairs)?;
    let write: fn(&Review) -> String = match table.as_str() {
        "coverage.csv" => |r| tessera_review::coverage_csv(&r.coverage),
        "impact.csv" => |r| tessera_review::impact_csv(&r.impacts),
        "returns.csv" => |r| tessera_review::returns_csv(&r.returns),
        other => {
            return Err(ApiError::not_found(format!(
                "no review table {other:?} (coverage.csv, impact.csv, returns.csv)"
            )));
        }
    };
    let pack = read_review(&state, &caller.viewer, ask).await?;
    Ok(download("text/csv; charset=utf-8", &format!("review-{table}"), write(&pack.review).into_bytes()))
}

/// `GET /reports/{name}`: `threat-assessment.html|.pdf|.csv`, `review.html|.pdf`, audited as
/// `export_report` before anything is read.
pub(crate) async fn report(
    State(state): State<AppState>,
    caller: Caller,
    name: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Path(name) = name?;
    let Query(pairs) = query?;
    let Some((paper, format)) = name.rsplit_once('.') else {
        return Err(ApiError::not_found(format!("no report {name:?}")));
    };
    let known = matches!((paper, format), ("threat-assessment", "html" | "pdf" | "csv") | ("review", "html" | "pdf"));
    if !known {
        return Err(ApiError::not_found(format!(
            "no report {name:?} (threat-assessment.html, .pdf, .csv; review.html, .pdf)"
        )));
    }
    let viewer = caller.viewer.clone();
    let prepared = Prepared::for_viewer(&viewer);
    let event = AuditEvent::new("export_report", name.clone());
    let (paper, format) = (paper.to_string(), format.to_string());
    let wants_csv = format == "csv";
    let review_ask = if paper == "review" { Some(review_ask(&pairs)?) } else { None };
    let picture_options = if paper == "threat-assessment" { Some(crate::picture::options(&pairs)?) } else { None };
    let paper = state
        .read_audited(&viewer, event, move |store, viewer| {
            let fail = |e: PictureError| match e {
                PictureError::Invalid(m) => StoreError::Invalid(m),
                PictureError::Store(s) => s,
            };
            if let Some(ask) = review_ask {
                let pack = build_review(store, viewer, &ask).map_err(fail)?;
                return Ok(Paper::Review(documents::review_document(
                    &pack.review,
                    &pack.actions,
                    &pack.disruptions,
                    pack.classification,
                    &prepared,
                )));
            }
            let options = picture_options.unwrap_or_else(PictureOptions::default);
            Ok(Paper::Picture(Box::new(tessera_picture::build(store, viewer, &options).map_err(fail)?), prepared))
        })
        .await?;
    // Making the document and rendering it is CPU work (tens of milliseconds for a long
    // paper): it runs on a blocking thread, not on the server's request threads.
    let (content_type, body) = tokio::task::spawn_blocking(move || match paper {
        Paper::Picture(picture, _) if wants_csv => {
            ("text/csv; charset=utf-8", documents::picture_csv(&picture).into_bytes())
        }
        paper => {
            let document = match paper {
                Paper::Picture(picture, prepared) => {
                    let context = crate::picture::frontex_context(&state, &picture);
                    documents::threat_assessment(&picture, &prepared, world(), &context)
                }
                Paper::Review(document) => document,
            };
            if format == "pdf" {
                ("application/pdf", tessera_report::pdf::render(&document))
            } else {
                ("text/html; charset=utf-8", tessera_report::html::render(&document).into_bytes())
            }
        }
    })
    .await
    .map_err(|e| ApiError::internal(format!("rendering {name} failed: {e}")))?;
    Ok(if content_type.starts_with("text/html") {
        ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-store")], body).into_response()
    } else {
        download(content_type, &name, body)
    })
}

/// What a paper is made from, as read for the caller.
enum Paper {
    /// The review paper, made.
    Review(tessera_report::Document),
    /// The picture the threat assessment (or its CSV) is made from.
    Picture(Box<tessera_picture::Picture>, Prepared),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn review_parameters_are_read_and_bad_ones_named() {
        let ask = review_ask(&pairs(&[("as_of", "2025-06-30"), ("window", "60"), ("period", "month")])).unwrap();
        assert_eq!(ask, ReviewAsk { as_of: Some("2025-06-30".into()), window: Some(60), monthly: true });
        assert_eq!(review_ask(&pairs(&[("as_of", ""), ("window", "")])).unwrap(), ReviewAsk::default());
        for (k, v, named) in [
            ("as_of", "2025-06", "as_of:"),
            ("as_of", "30/06/2025", "as_of:"),
            ("window", "3", "window:"),
            ("window", "many", "window:"),
            ("period", "week", "period:"),
            ("colour", "red", "`colour`"),
        ] {
            let e = review_ask(&pairs(&[(k, v)])).unwrap_err();
            assert!(format!("{e:?}").contains(named), "{k}={v}: {e:?}");
        }
    }

    #[test]
    fn the_world_map_decodes() {
        let world = world();
        assert!(world.len() > 150, "{} countries", world.len());
        assert!(world.iter().any(|s| s.key == "GB") && world.iter().any(|s| s.key == "FR"));
    }
}
