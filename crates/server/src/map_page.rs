//! The maritime map: `GET /map` serves an HTML shell (the usual layout, the
//! filters, the watchlist and alert panels and an empty map) and the embedded
//! scripts draw it: Leaflet over Natural Earth coastlines and borders from
//! world-atlas (both from the npm registry, embedded at build time, so the map
//! works on closed networks without a tile server), the watched areas, the
//! tracks of watched vessels and their alerts from the audited
//! `/api/maritime/*` reads. The page itself carries no intelligence.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::html::{Page, esc};
use crate::pages::{PageResult, require_intelligence};

/// The map's own script.
const SCRIPT: &str = include_str!("../static/map.js");
/// Leaflet 1.9 (BSD-2-Clause), from `web/node_modules`.
const LEAFLET_JS: &[u8] = include_bytes!(concat!(env!("TESSERA_WEB_MODULES"), "/leaflet/dist/leaflet.js"));
/// Leaflet's stylesheet.
const LEAFLET_CSS: &[u8] = include_bytes!(concat!(env!("TESSERA_WEB_MODULES"), "/leaflet/dist/leaflet.css"));
/// topojson-client (ISC), which turns the TopoJSON basemap into GeoJSON in the browser.
const TOPOJSON_JS: &[u8] =
    include_bytes!(concat!(env!("TESSERA_WEB_MODULES"), "/topojson-client/dist/topojson-client.min.js"));
/// Natural Earth 1:10m countries (public domain) as TopoJSON, from world-atlas: coastlines and borders.
const WORLD_10M: &[u8] = include_bytes!(concat!(env!("TESSERA_WEB_MODULES"), "/world-atlas/countries-10m.json"));

/// The page's Content-Security-Policy: scripts, styles and `fetch` from this server only.
const CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// A static asset with its type, cached for an hour.
fn asset(body: &'static [u8], content_type: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// `GET /static/map.js`.
pub(crate) async fn script() -> Response {
    asset(SCRIPT.as_bytes(), "text/javascript; charset=utf-8")
}

/// `GET /static/leaflet.js`.
pub(crate) async fn leaflet_js() -> Response {
    asset(LEAFLET_JS, "text/javascript; charset=utf-8")
}

/// `GET /static/leaflet.css`.
pub(crate) async fn leaflet_css() -> Response {
    asset(LEAFLET_CSS, "text/css; charset=utf-8")
}

/// `GET /static/topojson-client.js`.
pub(crate) async fn topojson_js() -> Response {
    asset(TOPOJSON_JS, "text/javascript; charset=utf-8")
}

/// `GET /static/world-10m.json`.
pub(crate) async fn world() -> Response {
    asset(WORLD_10M, "application/json")
}

/// The behaviours an alert can report, with the label analysts read (the API's `kind` values).
pub(crate) const ALERT_KINDS: [(&str, &str); 9] = [
    ("gap", "AIS gap (going dark)"),
    ("encounter", "Encounter at sea"),
    ("loitering", "Loitering"),
    ("short_stop", "Short stop (possible launch)"),
    ("area_entry", "Entered a watched area"),
    ("area_exit", "Left a watched area"),
    ("identity_change", "Identity change"),
    ("speed_jump", "Impossible speed or position jump"),
    ("retracted", "Retracted"),
];

/// The page body: filters, map, watchlist, alerts and the alert's detail.
fn body(csrf: &str) -> String {
    let kinds: String = ALERT_KINDS
        .iter()
        .filter(|(k, _)| *k != "retracted")
        .map(|(k, label)| format!(r#"<option value="{k}">{label}</option>"#))
        .collect();
    format!(
        r#"<link rel="stylesheet" href="/static/leaflet.css">
<section class="maritime" id="maritime" data-csrf="{csrf}">
<header class="maritime-head">
<h1 class="page-title">Maritime picture</h1>
<p class="hint">Watched vessels, their tracks and the behaviours that raised alerts. Coastlines and borders: Natural Earth 1:10m (public domain), drawn locally; nothing is fetched from outside this server.</p>
</header>
<div class="map-toolbar" role="toolbar" aria-label="Map filters">
<label>Behaviour <select id="map-kind"><option value="">all</option>{kinds}</select></label>
<label>Status <select id="map-status"><option value="open" selected>open</option><option value="acknowledged">acknowledged</option><option value="retracted">retracted</option><option value="">all</option></select></label>
<label>Since <input type="date" id="map-since"></label>
<label><input type="checkbox" id="map-show-tracks" checked> tracks</label>
<label><input type="checkbox" id="map-show-areas" checked> watched areas</label>
<button type="button" id="map-fit">Fit to vessels</button>
</div>
<p class="map-status" id="map-status-line" role="status" aria-live="polite">Loading the map…</p>
<p class="network-error" id="map-error" role="alert" hidden></p>
<div class="map-stage">
<div class="map-canvas" id="map-canvas" role="region" aria-label="Map of watched vessels, their tracks and alerts" data-state="loading" data-land="0" data-tracks="0" data-alerts="0" data-areas="0"></div>
<div class="map-side">
<aside class="network-panel alert-panel" id="map-alert" hidden aria-labelledby="map-alert-title">
<button type="button" class="net-close" id="map-alert-close" aria-label="Close the alert">×</button>
<h2 id="map-alert-title"></h2>
<p class="alert-vessel" id="map-alert-vessel"></p>
<dl class="alert-facts" id="map-alert-facts"></dl>
<p class="hint" id="map-alert-evidence"></p>
<p class="node-actions"><button type="button" id="map-alert-ack">Acknowledge</button> <button type="button" id="map-alert-reopen">Reopen</button></p>
</aside>
<h2 class="map-list-title">Watchlist <span class="count" id="map-watch-count">0</span></h2>
<ul class="map-watchlist" id="map-watchlist"></ul>
<h2 class="map-list-title">Alerts <span class="count" id="map-alert-count">0</span></h2>
<ol class="map-alerts" id="map-alerts"></ol>
</div>
</div>
<noscript><p class="hint">The map needs JavaScript. Alerts are also available from <code>/api/maritime/alerts</code> and <code>tessera watch alerts</code>.</p></noscript>
</section>
<script src="/static/leaflet.js" defer></script>
<script src="/static/topojson-client.js" defer></script>
<script src="/static/map.js" defer></script>"#,
        csrf = esc(csrf),
    )
}

/// `GET /map`: the maritime map of watched vessels and their alerts.
pub(crate) async fn page(caller: Caller) -> PageResult {
    require_intelligence(&caller, "Your role reads no intelligence, so it has no map.")?;
    let body = body(&caller.csrf);
    let mut response =
        Page { title: "Maritime picture".into(), caller: &caller, query: "", body }.render(StatusCode::OK);
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: tessera_access::Role) -> Caller {
        let viewer = tessera_access::Viewer { role, ..tessera_access::Viewer::local_operator() };
        Caller { viewer, via: crate::auth::Via::SingleUser, csrf: r#""><x>"#.into(), token: String::new() }
    }

    #[tokio::test]
    async fn the_page_loads_only_local_scripts_and_refuses_roles_without_intelligence() {
        let ok = page(caller(tessera_access::Role::Analyst)).await.into_response();
        assert_eq!(ok.status(), StatusCode::OK);
        let csp = ok.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe"));
        let bytes = axum::body::to_bytes(ok.into_body(), usize::MAX).await.unwrap();
        let html = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(html.contains(r#"<script src="/static/leaflet.js" defer></script>"#));
        assert!(!html.contains("<x>"), "the CSRF token reaches the page escaped");
        let refused = page(caller(tessera_access::Role::Auditor)).await.into_response();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn scripts_reference_nothing_remote_and_write_data_only_as_text() {
        assert!(
            !SCRIPT.contains("http://") && !SCRIPT.contains("https://"),
            "the script fetches nothing from elsewhere"
        );
        assert!(!SCRIPT.contains("innerHTML") && !SCRIPT.contains("eval("), "data reaches the page only as text");
        assert!(!SCRIPT.contains("tileLayer"), "no map tiles");
    }

    #[test]
    fn the_basemap_is_natural_earth_topojson() {
        let topo: serde_json::Value = serde_json::from_slice(WORLD_10M).unwrap();
        assert_eq!(topo["type"], "Topology");
        let countries = topo["objects"]["countries"]["geometries"].as_array().unwrap();
        assert!(countries.len() > 200, "{} countries", countries.len());
        assert!(countries.iter().any(|c| c["properties"]["name"] == "France"));
    }
}
