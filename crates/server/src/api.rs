//! The JSON API: handlers, the shared request parsing, and the one error shape.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tessera_ingest::{FileSummary, IngestError, Silent, ingest_text};
use tessera_model::EntityKind;
use tessera_store::{AuditEvent, EntityView, ReportView, SearchRequest, SearchResults, Stats, Store, StoreError};

use crate::AppState;
use crate::auth::Caller;
use tessera_access::Viewer;

/// Default page size of a search.
pub(crate) const DEFAULT_LIMIT: usize = 20;
/// Largest page size of a search.
pub(crate) const MAX_LIMIT: usize = 100;
/// Furthest a search may page (keeps arithmetic and work bounded).
pub(crate) const MAX_OFFSET: usize = 100_000;
/// Longest query accepted.
const MAX_QUERY_CHARS: usize = 500;

/// The stable error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Code {
    NotFound,
    BadRequest,
    InvalidInput,
    Internal,
    Unauthenticated,
    Forbidden,
    RateLimited,
}

/// One problem in an input (an ingest line), as the API reports it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Detail {
    file: String,
    line: usize,
    field: Option<String>,
    message: String,
}

#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    error: &'a ApiError,
}

/// An error as every endpoint reports it: `{"error": {"code", "message", "details"}}`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ApiError {
    #[serde(skip)]
    pub(crate) status: StatusCode,
    pub(crate) code: Code,
    pub(crate) message: String,
    pub(crate) details: Vec<Detail>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: Code, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), details: Vec::new() }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, Code::NotFound, message)
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Code::BadRequest, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, Code::Internal, message)
    }

    pub(crate) fn store(e: StoreError) -> Self {
        Self::internal(format!("the store failed: {e}"))
    }

    /// A store error a caller can act on keeps its meaning (403, 404, 400); anything else is a 500.
    pub(crate) fn from_store(e: StoreError) -> Self {
        match e {
            StoreError::Refused(m) => Self::new(StatusCode::FORBIDDEN, Code::Forbidden, m),
            StoreError::NotFound(m) => Self::not_found(m),
            StoreError::Invalid(m) => Self::bad_request(m),
            other => Self::store(other),
        }
    }

    fn ingest(e: IngestError) -> Self {
        match e {
            IngestError::Invalid { file, errors } => {
                let mut out = Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Code::InvalidInput,
                    format!("{file} rejected: {} problem(s), nothing stored", errors.len()),
                );
                out.details = errors
                    .into_iter()
                    .map(|e| Detail { file: e.file, line: e.line, field: e.field, message: e.message })
                    .collect();
                out
            }
            IngestError::Store { file, source: StoreError::DuplicateReport(id) } => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                Code::InvalidInput,
                format!("{file} rejected, nothing stored: report {id:?} is already stored"),
            ),
            IngestError::Store { file, source } => Self::internal(format!("{file} rejected, nothing stored: {source}")),
            e @ (IngestError::Io { .. } | IngestError::Mapping { .. }) => Self::bad_request(e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: &self })).into_response()
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::bad_request(format!("bad query string: {}", r.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::bad_request(format!("bad path: {}", r.body_text()))
    }
}

impl From<axum::extract::rejection::FormRejection> for ApiError {
    fn from(r: axum::extract::rejection::FormRejection) -> Self {
        Self::bad_request(format!("bad form: {}", r.body_text()))
    }
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> Self {
        let status = r.status();
        Self::new(status, Code::BadRequest, format!("cannot read the request body: {}", r.body_text()))
    }
}

/// Query string of a search (API and web UI).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchParams {
    pub(crate) q: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) limit: Option<usize>,
    pub(crate) offset: Option<usize>,
}

impl SearchParams {
    /// The store request, or why the parameters are wrong.
    pub(crate) fn request(&self) -> Result<SearchRequest, ApiError> {
        let query = self.q.as_deref().unwrap_or("").trim();
        if query.is_empty() {
            return Err(ApiError::bad_request("the query `q` must not be empty"));
        }
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::bad_request(format!("the query is longer than {MAX_QUERY_CHARS} characters")));
        }
        let mut kinds = Vec::new();
        for name in self.kind.as_deref().unwrap_or("").split(',').map(str::trim).filter(|k| !k.is_empty()) {
            match EntityKind::from_name(name) {
                Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
                Some(_) => {}
                None => {
                    let known: Vec<&str> = EntityKind::ALL.iter().map(|k| k.name()).collect();
                    return Err(ApiError::bad_request(format!(
                        "unknown kind {name:?} (expected one of {})",
                        known.join(", ")
                    )));
                }
            }
        }
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        let offset = self.offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(ApiError::bad_request(format!("offset must be at most {MAX_OFFSET}")));
        }
        Ok(SearchRequest { query: query.to_string(), kinds, limit, offset })
    }
}

/// Runs a search for `viewer`, audited.
pub(crate) async fn run_search(
    state: &AppState,
    viewer: &Viewer,
    request: SearchRequest,
) -> Result<SearchResults, ApiError> {
    let event = AuditEvent::new("search", request.query.clone());
    state.read_audited(viewer, event, move |store, viewer| store.search(viewer, &request)).await
}

/// Reads an entity for `viewer`, audited; 404 if invisible or missing.
pub(crate) async fn read_entity(state: &AppState, viewer: &Viewer, id: String) -> Result<EntityView, ApiError> {
    let shown = id.clone();
    state
        .read_audited(viewer, AuditEvent::new("read_entity", id.clone()), move |store, viewer| {
            store.entity(viewer, &id)
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no entity {shown:?}")))
}

/// Reads a report for `viewer`, audited; 404 if invisible or missing.
pub(crate) async fn read_report(state: &AppState, viewer: &Viewer, id: String) -> Result<ReportView, ApiError> {
    let shown = id.clone();
    state
        .read_audited(viewer, AuditEvent::new("read_report", id.clone()), move |store, viewer| {
            store.report(viewer, &id)
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no report {shown:?}")))
}

/// Counts what `viewer` can see, audited.
pub(crate) async fn read_stats(state: &AppState, viewer: &Viewer) -> Result<Stats, ApiError> {
    state.read_audited(viewer, AuditEvent::new("stats", ""), |store, viewer| store.stats(viewer)).await
}

/// `GET /api/search`.
pub(crate) async fn search(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResults>, ApiError> {
    let Query(params) = params?;
    Ok(Json(run_search(&state, &caller.viewer, params.request()?).await?))
}

/// `GET /api/entities/{id}`.
pub(crate) async fn entity(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<EntityView>, ApiError> {
    let Path(id) = id?;
    Ok(Json(read_entity(&state, &caller.viewer, id).await?))
}

/// `GET /api/reports/{id}`.
pub(crate) async fn report(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<ReportView>, ApiError> {
    let Path(id) = id?;
    Ok(Json(read_report(&state, &caller.viewer, id).await?))
}

/// `GET /api/stats`.
pub(crate) async fn stats(State(state): State<AppState>, caller: Caller) -> Result<Json<Stats>, ApiError> {
    Ok(Json(read_stats(&state, &caller.viewer).await?))
}

/// Query string of an ingest.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct IngestParams {
    name: Option<String>,
}

/// Longest file name accepted for an upload.
const MAX_NAME_CHARS: usize = 200;

/// `POST /api/ingest?name=FILE.jsonl` with a JSON Lines body.
pub(crate) async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<IngestParams>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<FileSummary>, ApiError> {
    let Query(params) = params?;
    let body = body?;
    let name = params.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or("upload.jsonl").to_string();
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "`name` must be at most {MAX_NAME_CHARS} characters without control characters"
        )));
    }
    let text = String::from_utf8(body.to_vec()).map_err(|e| {
        ApiError::bad_request(format!("the body is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
    })?;
    let summary = state
        .write_as(caller.viewer, move |store, viewer| {
            store.audit(viewer, &AuditEvent::new("ingest", name.clone())).map_err(ApiError::store)?;
            let summary = ingest_text(store, &name, &text, None, &mut Silent).map_err(ApiError::ingest)?;
            // The new reports join their clusters: an incremental resolution run.
            store.resolve(false).map_err(|e| {
                ApiError::internal(format!("{name} stored, but entity resolution afterwards failed: {e}"))
            })?;
            Ok::<_, ApiError>(summary)
        })
        .await
        .map_err(ApiError::store)??;
    Ok(Json(summary))
}

/// `GET /api/openapi.json`.
pub(crate) async fn openapi() -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}

/// Any method a route does not answer.
pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, Code::BadRequest, "method not allowed on this path")
}
