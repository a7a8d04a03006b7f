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
//! - Until login exists, every request acts as the viewer the server was
//!   started with ([`ServerConfig::viewer`]).
//! - Nothing reveals whether invisible material exists: an entity or report
//!   the viewer may not see gets the same 404 as one that was never stored.
//! - The web UI works offline: one embedded stylesheet, no scripts, fonts or
//!   anything else fetched from elsewhere. Every value is HTML-escaped.

mod api;
mod html;
pub mod openapi;
mod pages;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::{MethodFilter, MethodRouter, on};
use tessera_access::Viewer;
use tessera_store::{ReadPool, SqliteStore, StoreError};

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The data directory (`tessera init` must have been run in it).
    pub data_dir: PathBuf,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Who every request acts as, until login exists.
    pub viewer: Viewer,
}

/// What can stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store could not be opened.
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    /// The address could not be bound, or serving failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address.
        addr: String,
        /// Underlying error.
        source: std::io::Error,
    },
}

/// What every handler shares: the store connections and the viewer.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    data_dir: PathBuf,
    reads: ReadPool,
    writer: Mutex<SqliteStore>,
    viewer: Viewer,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("data_dir", &self.inner.data_dir).field("viewer", &self.inner.viewer).finish()
    }
}

impl AppState {
    /// Opens the store in `data_dir` (which must have been initialised) for a server acting as `viewer`.
    pub fn new(data_dir: &Path, viewer: Viewer) -> Result<Self, ServerError> {
        let writer = SqliteStore::open(data_dir)?;
        let reads = ReadPool::new(data_dir)?;
        Ok(Self {
            inner: Arc::new(Inner { data_dir: data_dir.to_path_buf(), reads, writer: Mutex::new(writer), viewer }),
        })
    }

    /// The viewer requests act as.
    pub fn viewer(&self) -> &Viewer {
        &self.inner.viewer
    }

    /// Runs `f` on a blocking thread with a read connection and the viewer.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore, &Viewer) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.reads.with(|store| f(store, &inner.viewer))?)
            .await
            .map_err(|e| StoreError::Corrupt(format!("read task failed: {e}")))?
    }

    /// Runs `f` on a blocking thread with the single writer connection and the viewer.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore, &Viewer) -> T + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut store =
                inner.writer.lock().map_err(|_| StoreError::Corrupt("writer connection poisoned".into()))?;
            Ok(f(&mut store, &inner.viewer))
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
];

/// Largest JSON Lines body the ingest endpoint accepts.
pub const MAX_INGEST_BYTES: usize = 64 * 1024 * 1024;

fn method_router(r: &Route) -> MethodRouter<AppState> {
    let f = match r.method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
    };
    let m = match r.endpoint {
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
        Endpoint::Stylesheet => on(f, pages::stylesheet),
    };
    m.fallback(api::method_not_allowed)
}

/// The application: every route in [`ROUTES`], with JSON 404s under `/api/` and an HTML 404 page elsewhere.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for r in ROUTES {
        router = router.route(r.path, method_router(r));
    }
    router.fallback(pages::fallback).with_state(state)
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
    axum::serve(listener, router(state))
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
        assert_eq!(paths.len(), ROUTES.len(), "the document lists a path the router does not serve");
    }

    #[test]
    fn routes_are_unique() {
        for (i, a) in ROUTES.iter().enumerate() {
            assert!(ROUTES[i + 1..].iter().all(|b| b.path != a.path), "duplicate route {}", a.path);
        }
    }
}
