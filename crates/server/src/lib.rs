//! Tessera's server: the HTTP API (JSON everywhere, one error shape, an
//! OpenAPI 3.1 document) and the server-rendered web UI analysts use.
//!
//! Design decisions:
//! - Every route is listed once, in [`ROUTES`]; the router is built from that
//!   table and a unit test checks that the OpenAPI document describes every
//!   entry, so the document cannot drift from the code.
//! - Reads go through a [`ReadPool`] on blocking threads; ingest goes through
//!   one writer connection behind a mutex (SQLite has one writer at a time).
//! - Every read, search and ingest is written to the audit log *before* the
//!   answer is computed; if the audit write fails, the request fails.
//! - Identity: if the data directory's user directory (`identity.db`) has
//!   users, every route but the login routes, the stylesheet and the OpenAPI
//!   document needs a session (cookie for pages, bearer token for the API;
//!   see the `auth` module). With no users the server runs in single-user
//!   mode as the viewer it was started with ([`ServerConfig::viewer`]), and
//!   pages say so. The check is repeated (at most once a second) while in
//!   single-user mode, so adding the first user locks a running server.
//! - Nothing reveals whether invisible material exists: an entity or report
//!   the viewer may not see gets the same 404 as one that was never stored.
//! - The web UI works offline: everything it loads is embedded in the
//!   binary: our stylesheet and scripts (`static/`), and for the map Leaflet,
//!   topojson-client and the Natural Earth basemap of world-atlas, installed
//!   from the npm registry by `build.rs`; no tiles, fonts or anything else
//!   fetched from elsewhere. Every value is HTML-escaped; the scripts write
//!   data only as text.

mod api;
mod audit_log;
mod auth;
mod groups;
mod html;
mod inbox;
mod map_page;
mod maritime;
mod matches;
mod network;
mod network_page;
pub mod openapi;
mod pages;
mod picture;
mod picture_page;
mod plan;
/// The country shapes the papers' maps are drawn with (world-atlas 1:110m, embedded).
pub use plan::world as report_world;
mod plan_page;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::{MethodFilter, MethodRouter, on};
use tessera_access::Viewer;
use tessera_identity::{Directory, IdentityError};
use tessera_store::{ReadPool, SqliteStore, StoreError};

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The data directory (`tessera init` must have been run in it).
    pub data_dir: PathBuf,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Who every request acts as in single-user mode (no users in the directory).
    pub viewer: Viewer,
}

/// What can stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store could not be opened.
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    /// The user directory could not be opened.
    #[error("cannot open the user directory: {0}")]
    Identity(#[from] IdentityError),
    /// The address could not be bound, or serving failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address.
        addr: String,
        /// Underlying error.
        source: std::io::Error,
    },
}

/// What every handler shares: the store connections, the user directory and the single-user viewer.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    data_dir: PathBuf,
    reads: ReadPool,
    writer: Mutex<SqliteStore>,
    /// Who requests act as in single-user mode.
    viewer: Viewer,
    directory: Option<Arc<Directory>>,
    /// Set once users exist; never cleared while the server runs.
    login_required: AtomicBool,
    /// When `has_users` was last asked (milliseconds since the state was made).
    checked_at: AtomicU64,
    started: std::time::Instant,
    limiter: auth::RateLimiter,
    /// The FRONTEX detections shown beside the intelligence, once loaded.
    frontex: std::sync::OnceLock<tessera_series::frontex::Data>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("data_dir", &self.inner.data_dir).field("viewer", &self.inner.viewer).finish()
    }
}

impl AppState {
    /// Opens the store in `data_dir` (which must have been initialised) and its
    /// user directory (created if missing); `viewer` is who requests act as
    /// while the directory has no users.
    pub fn new(data_dir: &Path, viewer: Viewer) -> Result<Self, ServerError> {
        let directory = Directory::open(data_dir)?;
        Self::with_directory(data_dir, viewer, Some(directory))
    }

    /// Like [`AppState::new`] with an explicit directory; `None` means single-user mode for good.
    pub fn with_directory(data_dir: &Path, viewer: Viewer, directory: Option<Directory>) -> Result<Self, ServerError> {
        let writer = SqliteStore::open(data_dir)?;
        let reads = ReadPool::new(data_dir)?;
        let login_required = match &directory {
            Some(d) => d.has_users()?,
            None => false,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                data_dir: data_dir.to_path_buf(),
                reads,
                writer: Mutex::new(writer),
                viewer,
                directory: directory.map(Arc::new),
                login_required: AtomicBool::new(login_required),
                checked_at: AtomicU64::new(0),
                started: std::time::Instant::now(),
                limiter: auth::RateLimiter::default(),
                frontex: std::sync::OnceLock::new(),
            }),
        })
    }

    /// Loads the FRONTEX detections (`frontex_ibc_monthly_by_route*.csv` in `dir`) that the dashboard and
    /// the threat assessment show beside the intelligence; without them those show the intelligence alone.
    pub fn load_frontex(&self, dir: &Path) -> Result<(), tessera_series::frontex::FrontexError> {
        let data = tessera_series::frontex::load(dir)?;
        let _ = self.inner.frontex.set(data);
        Ok(())
    }

    /// The FRONTEX detections, if loaded.
    pub(crate) fn frontex(&self) -> Option<&tessera_series::frontex::Data> {
        self.inner.frontex.get()
    }

    /// The viewer requests act as in single-user mode.
    pub fn single_user_viewer(&self) -> &Viewer {
        &self.inner.viewer
    }

    /// Whether requests need a session: once the directory has users (re-checked at most once a second).
    pub async fn login_required(&self) -> bool {
        let inner = &self.inner;
        if inner.login_required.load(Ordering::Acquire) {
            return true;
        }
        let Some(directory) = inner.directory.clone() else {
            return false;
        };
        let now = u64::try_from(inner.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let last = inner.checked_at.load(Ordering::Acquire);
        if now.saturating_sub(last) < 1000
            || inner.checked_at.compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire).is_err()
        {
            return false;
        }
        // If the directory cannot answer, fail closed: require login.
        let has = tokio::task::spawn_blocking(move || directory.has_users().unwrap_or(true)).await.unwrap_or(true);
        if has {
            inner.login_required.store(true, Ordering::Release);
        }
        has
    }

    /// The viewer and CSRF token of a live session.
    pub(crate) async fn session(&self, token: String) -> Option<(Viewer, String)> {
        let directory = self.inner.directory.clone()?;
        tokio::task::spawn_blocking(move || directory.viewer_for_session(&token, auth::now())).await.ok()?
    }

    /// Runs `f` on a blocking thread with a read connection, acting as `viewer`. Private: every
    /// handler reads through [`AppState::read_audited`], so no read escapes the audit log.
    async fn read<T, F>(&self, viewer: &Viewer, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore, &Viewer) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        let viewer = viewer.clone();
        tokio::task::spawn_blocking(move || inner.reads.with(|store| f(store, &viewer))?)
            .await
            .map_err(|e| StoreError::Corrupt(format!("read task failed: {e}")))?
    }

    /// Writes `event` to the audit log as `viewer`, then runs the read `f`; the read never runs
    /// unless its audit record was written. Store errors keep their meaning (see `ApiError::from_store`).
    pub(crate) async fn read_audited<T, F>(
        &self,
        viewer: &Viewer,
        event: tessera_store::AuditEvent,
        f: F,
    ) -> Result<T, api::ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore, &Viewer) -> Result<T, StoreError> + Send + 'static,
    {
        self.read(viewer, move |store, viewer| {
            tessera_store::Store::audit(store, viewer, &event)?;
            f(store, viewer)
        })
        .await
        .map_err(api::ApiError::from_store)
    }

    /// Runs `f` on a blocking thread with the single writer connection, acting as `viewer`.
    pub(crate) async fn write_as<T, F>(&self, viewer: Viewer, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore, &Viewer) -> T + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut store =
                inner.writer.lock().map_err(|_| StoreError::Corrupt("writer connection poisoned".into()))?;
            Ok(f(&mut store, &viewer))
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("write task failed: {e}")))?
    }
}

/// HTTP method of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
}

impl Method {
    /// Lower-case name, as OpenAPI writes it.
    pub fn openapi_name(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Post => "post",
        }
    }
}

/// Which handler a route runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// JSON search.
    ApiSearch,
    /// JSON entity.
    ApiEntity,
    /// JSON report.
    ApiReport,
    /// JSON Lines ingest.
    ApiIngest,
    /// JSON stats.
    ApiStats,
    /// The OpenAPI document.
    ApiOpenApi,
    /// Home page: stats and search form.
    PageHome,
    /// Search results page.
    PageSearch,
    /// Entity page.
    PageEntity,
    /// Report page.
    PageReport,
    /// The stylesheet.
    Stylesheet,
    /// JSON login: a bearer token.
    ApiLogin,
    /// JSON logout: ends the bearer token's session.
    ApiLogout,
    /// Login form.
    PageLogin,
    /// Login form submission.
    PageLoginSubmit,
    /// Logout button.
    PageLogout,
    /// The audit log for auditors, JSON or CSV.
    ApiAudit,
    /// The audit viewer page.
    PageAudit,
    /// The viewer's agency's deconfliction inbox, JSON.
    ApiDeconflictions,
    /// The deconfliction inbox page.
    PageDeconflictions,
    /// JSON review queue of possible matches.
    ApiMatches,
    /// JSON explanation of one possible match.
    ApiMatch,
    /// JSON decision: same or different.
    ApiDecide,
    /// JSON cluster of an entity.
    ApiCluster,
    /// JSON split of an entity from its cluster.
    ApiSplit,
    /// The "Possible matches" page.
    PageMatches,
    /// Confirm / Reject form submission.
    PageDecide,
    /// Split form submission on an entity page.
    PageSplit,
    /// JSON organised crime group board.
    ApiGroups,
    /// JSON one group with every factor explained.
    ApiGroup,
    /// The organised crime group board page.
    PageGroups,
    /// One group's page.
    PageGroup,
    /// JSON threat picture (aggregates of what the caller may see).
    ApiPicture,
    /// The threat-picture dashboard page.
    PagePicture,
    /// JSON network of resolved entities (the link chart's data).
    ApiNetwork,
    /// JSON statements behind one edge of the network.
    ApiNetworkEdge,
    /// JSON marking and audit reference for a saved image of the link chart.
    ApiNetworkPicture,
    /// JSON shortest paths between two entities with the evidence of each hop.
    ApiNetworkPaths,
    /// JSON network over time: windows, who entered and left, centralisation, successors.
    ApiNetworkTimeline,
    /// JSON disruption plan: which removals fragment the network most.
    ApiNetworkRemoval,
    /// The link chart page.
    PageNetwork,
    /// The link chart's script.
    NetworkScript,
    /// JSON watchlist of suspect vessels.
    ApiWatchlist,
    /// JSON: put a vessel on the watchlist.
    ApiAddWatch,
    /// GeoJSON watched areas.
    ApiAreas,
    /// JSON alerts raised by watched vessels' behaviours.
    ApiAlerts,
    /// JSON one alert with its evidence.
    ApiAlert,
    /// JSON: acknowledge or reopen an alert.
    ApiAlertStatus,
    /// JSON stored track of a watched vessel.
    ApiTrack,
    /// JSON: scan uploaded raw AIS (NMEA) for the watched vessels' behaviours.
    ApiScanAis,
    /// The maritime map page.
    PageMap,
    /// The map's script.
    MapScript,
    /// Leaflet's script (embedded from the npm registry at build time).
    LeafletScript,
    /// Leaflet's stylesheet.
    LeafletStylesheet,
    /// topojson-client's script.
    TopojsonScript,
    /// The Natural Earth basemap (world-atlas TopoJSON).
    WorldBasemap,
    /// JSON Strategic Action Plan: stream leads and actions.
    ApiPlan,
    /// JSON: add an action to the plan.
    ApiAddAction,
    /// JSON: change an action's status.
    ApiActionStatus,
    /// JSON disruption log.
    ApiDisruptions,
    /// JSON one disruption.
    ApiDisruption,
    /// JSON: record a disruption.
    ApiRecordDisruption,
    /// JSON written criteria of the impact levels.
    ApiCriteria,
    /// JSON sufficiency and impact review.
    ApiReview,
    /// CSV tables of the review.
    ApiReviewCsv,
    /// The meeting papers: threat assessment and review as HTML, PDF or CSV.
    Report,
    /// The action-plan board.
    PagePlan,
    /// Status form submission on the board.
    PageActionStatus,
    /// The disruption log page.
    PageDisruptions,
    /// The log's record form submission.
    PageRecordDisruption,
    /// The review page.
    PageReview,
}

/// One route: method, path (axum 0.8 and OpenAPI share the `{param}` syntax) and handler.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// Method.
    pub method: Method,
    /// Path.
    pub path: &'static str,
    /// Handler.
    pub endpoint: Endpoint,
}

const fn route(method: Method, path: &'static str, endpoint: Endpoint) -> Route {
    Route { method, path, endpoint }
}

/// Every route the server answers. The router is built from this table and the OpenAPI document must describe each entry.
pub const ROUTES: &[Route] = &[
    route(Method::Get, "/api/search", Endpoint::ApiSearch),
    route(Method::Get, "/api/entities/{id}", Endpoint::ApiEntity),
    route(Method::Get, "/api/reports/{id}", Endpoint::ApiReport),
    route(Method::Post, "/api/ingest", Endpoint::ApiIngest),
    route(Method::Get, "/api/stats", Endpoint::ApiStats),
    route(Method::Get, "/api/openapi.json", Endpoint::ApiOpenApi),
    route(Method::Get, "/", Endpoint::PageHome),
    route(Method::Get, "/search", Endpoint::PageSearch),
    route(Method::Get, "/entity/{id}", Endpoint::PageEntity),
    route(Method::Get, "/report/{id}", Endpoint::PageReport),
    route(Method::Get, "/static/tessera.css", Endpoint::Stylesheet),
    route(Method::Post, "/api/login", Endpoint::ApiLogin),
    route(Method::Post, "/api/logout", Endpoint::ApiLogout),
    route(Method::Get, "/login", Endpoint::PageLogin),
    route(Method::Post, "/login", Endpoint::PageLoginSubmit),
    route(Method::Post, "/logout", Endpoint::PageLogout),
    route(Method::Get, "/api/audit", Endpoint::ApiAudit),
    route(Method::Get, "/audit", Endpoint::PageAudit),
    route(Method::Get, "/api/deconflictions", Endpoint::ApiDeconflictions),
    route(Method::Get, "/deconflictions", Endpoint::PageDeconflictions),
    route(Method::Get, "/api/matches", Endpoint::ApiMatches),
    route(Method::Get, "/api/matches/{a}/{b}", Endpoint::ApiMatch),
    route(Method::Post, "/api/decisions", Endpoint::ApiDecide),
    route(Method::Get, "/api/entities/{id}/cluster", Endpoint::ApiCluster),
    route(Method::Post, "/api/entities/{id}/split", Endpoint::ApiSplit),
    route(Method::Get, "/matches", Endpoint::PageMatches),
    route(Method::Post, "/matches/decide", Endpoint::PageDecide),
    route(Method::Post, "/entity/{id}/split", Endpoint::PageSplit),
    route(Method::Get, "/api/groups", Endpoint::ApiGroups),
    route(Method::Get, "/api/groups/{id}", Endpoint::ApiGroup),
    route(Method::Get, "/groups", Endpoint::PageGroups),
    route(Method::Get, "/groups/{id}", Endpoint::PageGroup),
    route(Method::Get, "/api/picture", Endpoint::ApiPicture),
    route(Method::Get, "/picture", Endpoint::PagePicture),
    route(Method::Get, "/api/network", Endpoint::ApiNetwork),
    route(Method::Get, "/api/network/edge", Endpoint::ApiNetworkEdge),
    route(Method::Post, "/api/network/pictures", Endpoint::ApiNetworkPicture),
    route(Method::Get, "/api/network/paths", Endpoint::ApiNetworkPaths),
    route(Method::Get, "/api/network/timeline", Endpoint::ApiNetworkTimeline),
    route(Method::Get, "/api/network/removal", Endpoint::ApiNetworkRemoval),
    route(Method::Get, "/network", Endpoint::PageNetwork),
    route(Method::Get, "/static/network.js", Endpoint::NetworkScript),
    route(Method::Get, "/api/maritime/watchlist", Endpoint::ApiWatchlist),
    route(Method::Post, "/api/maritime/watchlist", Endpoint::ApiAddWatch),
    route(Method::Get, "/api/maritime/areas", Endpoint::ApiAreas),
    route(Method::Get, "/api/maritime/alerts", Endpoint::ApiAlerts),
    route(Method::Get, "/api/maritime/alerts/{id}", Endpoint::ApiAlert),
    route(Method::Post, "/api/maritime/alerts/{id}/status", Endpoint::ApiAlertStatus),
    route(Method::Get, "/api/maritime/tracks/{watch}", Endpoint::ApiTrack),
    route(Method::Post, "/api/maritime/ais", Endpoint::ApiScanAis),
    route(Method::Get, "/map", Endpoint::PageMap),
    route(Method::Get, "/static/map.js", Endpoint::MapScript),
    route(Method::Get, "/static/leaflet.js", Endpoint::LeafletScript),
    route(Method::Get, "/static/leaflet.css", Endpoint::LeafletStylesheet),
    route(Method::Get, "/static/topojson-client.js", Endpoint::TopojsonScript),
    route(Method::Get, "/static/world-10m.json", Endpoint::WorldBasemap),
    route(Method::Get, "/api/plan", Endpoint::ApiPlan),
    route(Method::Post, "/api/plan/actions", Endpoint::ApiAddAction),
    route(Method::Post, "/api/plan/actions/{id}/status", Endpoint::ApiActionStatus),
    route(Method::Get, "/api/disruptions", Endpoint::ApiDisruptions),
    route(Method::Post, "/api/disruptions", Endpoint::ApiRecordDisruption),
    route(Method::Get, "/api/disruptions/criteria", Endpoint::ApiCriteria),
    route(Method::Get, "/api/disruptions/{id}", Endpoint::ApiDisruption),
    route(Method::Get, "/api/review", Endpoint::ApiReview),
    route(Method::Get, "/api/review/{table}", Endpoint::ApiReviewCsv),
    route(Method::Get, "/reports/{name}", Endpoint::Report),
    route(Method::Get, "/plan", Endpoint::PagePlan),
    route(Method::Post, "/plan/actions/{id}/status", Endpoint::PageActionStatus),
    route(Method::Get, "/disruptions", Endpoint::PageDisruptions),
    route(Method::Post, "/disruptions", Endpoint::PageRecordDisruption),
    route(Method::Get, "/review", Endpoint::PageReview),
];

/// Largest JSON Lines body the ingest endpoint accepts.
pub const MAX_INGEST_BYTES: usize = 64 * 1024 * 1024;

/// The handler of one route, without the method-not-allowed fallback (added once per path).
fn method_router(r: &Route) -> MethodRouter<AppState> {
    let f = match r.method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
    };
    match r.endpoint {
        Endpoint::ApiSearch => on(f, api::search),
        Endpoint::ApiEntity => on(f, api::entity),
        Endpoint::ApiReport => on(f, api::report),
        Endpoint::ApiIngest => on(f, api::ingest).layer(axum::extract::DefaultBodyLimit::max(MAX_INGEST_BYTES)),
        Endpoint::ApiStats => on(f, api::stats),
        Endpoint::ApiOpenApi => on(f, api::openapi),
        Endpoint::PageHome => on(f, pages::home),
        Endpoint::PageSearch => on(f, pages::search),
        Endpoint::PageEntity => on(f, pages::entity),
        Endpoint::PageReport => on(f, pages::report),
        Endpoint::ApiAudit => on(f, audit_log::api),
        Endpoint::PageAudit => on(f, audit_log::page),
        Endpoint::ApiDeconflictions => on(f, inbox::api),
        Endpoint::PageDeconflictions => on(f, inbox::page),
        Endpoint::ApiMatches => on(f, matches::api_queue),
        Endpoint::ApiMatch => on(f, matches::api_pair),
        Endpoint::ApiDecide => on(f, matches::api_decide),
        Endpoint::ApiCluster => on(f, matches::api_cluster),
        Endpoint::ApiSplit => on(f, matches::api_split),
        Endpoint::PageMatches => on(f, matches::page_queue),
        Endpoint::PageDecide => on(f, matches::page_decide),
        Endpoint::PageSplit => on(f, matches::page_split),
        Endpoint::ApiGroups => on(f, groups::api_groups),
        Endpoint::ApiGroup => on(f, groups::api_group),
        Endpoint::PageGroups => on(f, groups::page_groups),
        Endpoint::PageGroup => on(f, groups::page_group),
        Endpoint::ApiPicture => on(f, picture::api_picture),
        Endpoint::PagePicture => on(f, picture_page::page),
        Endpoint::ApiNetwork => on(f, network::api_network),
        Endpoint::ApiNetworkEdge => on(f, network::api_edge),
        Endpoint::ApiNetworkPicture => on(f, network::api_picture),
        Endpoint::ApiNetworkPaths => on(f, network::api_paths),
        Endpoint::ApiNetworkTimeline => on(f, network::api_timeline),
        Endpoint::ApiNetworkRemoval => on(f, network::api_removal),
        Endpoint::PageNetwork => on(f, network_page::page),
        Endpoint::NetworkScript => on(f, network_page::script),
        Endpoint::ApiWatchlist => on(f, maritime::api_watchlist),
        Endpoint::ApiAddWatch => on(f, maritime::api_add_watch),
        Endpoint::ApiAreas => on(f, maritime::api_areas),
        Endpoint::ApiAlerts => on(f, maritime::api_alerts),
        Endpoint::ApiAlert => on(f, maritime::api_alert),
        Endpoint::ApiAlertStatus => on(f, maritime::api_alert_status),
        Endpoint::ApiTrack => on(f, maritime::api_track),
        Endpoint::ApiScanAis => {
            on(f, maritime::api_scan).layer(axum::extract::DefaultBodyLimit::max(maritime::MAX_AIS_UPLOAD_BYTES))
        }
        Endpoint::PageMap => on(f, map_page::page),
        Endpoint::MapScript => on(f, map_page::script),
        Endpoint::LeafletScript => on(f, map_page::leaflet_js),
        Endpoint::LeafletStylesheet => on(f, map_page::leaflet_css),
        Endpoint::TopojsonScript => on(f, map_page::topojson_js),
        Endpoint::WorldBasemap => on(f, map_page::world),
        Endpoint::ApiPlan => on(f, plan::api_plan),
        Endpoint::ApiAddAction => on(f, plan::api_add_action),
        Endpoint::ApiActionStatus => on(f, plan::api_action_status),
        Endpoint::ApiDisruptions => on(f, plan::api_disruptions),
        Endpoint::ApiDisruption => on(f, plan::api_disruption),
        Endpoint::ApiRecordDisruption => on(f, plan::api_record_disruption),
        Endpoint::ApiCriteria => on(f, plan::api_criteria),
        Endpoint::ApiReview => on(f, plan::api_review),
        Endpoint::ApiReviewCsv => on(f, plan::api_review_csv),
        Endpoint::Report => on(f, plan::report),
        Endpoint::PagePlan => on(f, plan_page::page_plan),
        Endpoint::PageActionStatus => on(f, plan_page::page_action_status),
        Endpoint::PageDisruptions => on(f, plan_page::page_disruptions),
        Endpoint::PageRecordDisruption => on(f, plan_page::page_record),
        Endpoint::PageReview => on(f, plan_page::page_review),
        Endpoint::Stylesheet => on(f, pages::stylesheet),
        Endpoint::ApiLogin => on(f, auth::api_login),
        Endpoint::ApiLogout => on(f, auth::api_logout),
        Endpoint::PageLogin => on(f, auth::login_form),
        Endpoint::PageLoginSubmit => on(f, auth::login_submit),
        Endpoint::PageLogout => on(f, auth::logout),
    }
}

/// The application: every route in [`ROUTES`], with JSON 404s under `/api/` and an HTML 404 page elsewhere.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (i, r) in ROUTES.iter().enumerate() {
        if ROUTES[..i].iter().any(|earlier| earlier.path == r.path) {
            continue;
        }
        let mut methods = method_router(r);
        for other in ROUTES[i + 1..].iter().filter(|o| o.path == r.path) {
            methods = methods.merge(method_router(other));
        }
        router = router.route(r.path, methods.fallback(api::method_not_allowed));
    }
    router
        .fallback(pages::fallback)
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .with_state(state)
}

/// Serves until Ctrl-C. Prints nothing; the caller announces the URL.
pub async fn serve(config: ServerConfig) -> Result<(), ServerError> {
    let state = AppState::new(&config.data_dir, config.viewer)?;
    let addr = config.addr.to_string();
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Io { addr: addr.clone(), source })?;
    serve_on(listener, state).await.map_err(|source| ServerError::Io { addr, source })
}

/// Serves on an already bound listener until Ctrl-C (lets callers bind port 0 and learn the port first).
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            // If the signal handler cannot be installed, serve until the process is killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented_with_its_method() {
        let doc = openapi::document();
        let paths = doc["paths"].as_object().expect("paths object");
        for r in ROUTES {
            let item = paths.get(r.path).unwrap_or_else(|| panic!("{} is not in the OpenAPI document", r.path));
            assert!(
                item.get(r.method.openapi_name()).is_some(),
                "{} {} is not documented",
                r.method.openapi_name(),
                r.path
            );
        }
        let served: std::collections::BTreeSet<&str> = ROUTES.iter().map(|r| r.path).collect();
        assert_eq!(paths.len(), served.len(), "the document lists a path the router does not serve");
        let operations: usize = paths.values().filter_map(|p| p.as_object()).map(|p| p.len()).sum();
        assert_eq!(operations, ROUTES.len(), "the document lists an operation the router does not serve");
    }

    #[test]
    fn routes_are_unique() {
        for (i, a) in ROUTES.iter().enumerate() {
            assert!(
                ROUTES[i + 1..].iter().all(|b| b.path != a.path || b.method != a.method),
                "duplicate route {}",
                a.path
            );
        }
    }
}
