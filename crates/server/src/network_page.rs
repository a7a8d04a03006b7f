//! The analyst's link chart: `GET /network` serves an HTML shell (the usual
//! layout, the controls, an empty canvas and the side panels) and
//! `GET /static/network.js` the one embedded script that draws the chart from
//! `GET /api/network` and opens edge provenance from `GET /api/network/edge`.
//! The page itself carries no intelligence, only the seed ids the analyst
//! asked for; everything shown comes from the audited JSON reads.

use std::fmt::Write as _;

use axum::extract::RawQuery;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;
use crate::auth::Caller;
use crate::html::{Page, esc};
use crate::pages::{OrErrorPage, PageResult, require_intelligence};

/// The embedded link-chart script.
const SCRIPT: &str = include_str!("../static/network.js");

/// Most seeds one chart starts from.
const MAX_SEEDS: usize = 50;

/// Longest seed id accepted.
const MAX_SEED_LEN: usize = 500;

/// The page's Content-Security-Policy: as every page, plus scripts and `fetch` from this server only.
const CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `GET /static/network.js`.
pub(crate) async fn script() -> Response {
    let mut r = SCRIPT.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// Decodes one `application/x-www-form-urlencoded` component; `None` if it is not valid percent-encoded UTF-8.
fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The `seed` values of a query string, trimmed, without blanks and duplicates, in order.
fn seeds(query: Option<&str>) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = Vec::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if form_decode(key).as_deref() != Some("seed") {
            continue;
        }
        let value =
            form_decode(value).ok_or_else(|| ApiError::bad_request("a seed is not valid percent-encoded UTF-8"))?;
        let value = value.trim();
        if value.is_empty() || out.iter().any(|s| s == value) {
            continue;
        }
        if value.len() > MAX_SEED_LEN {
            return Err(ApiError::bad_request(format!("a seed id is longer than {MAX_SEED_LEN} bytes")));
        }
        if out.len() == MAX_SEEDS {
            return Err(ApiError::bad_request(format!("at most {MAX_SEEDS} seeds")));
        }
        out.push(value.to_string());
    }
    Ok(out)
}

/// The seeds as a JSON array, for the `data-seeds` attribute.
fn seeds_json(seeds: &[String]) -> String {
    serde_json::to_string(seeds).unwrap_or_else(|_| "[]".to_string())
}

/// The page body: the form to add an entity, the toolbar, the canvas and the two side panels;
/// `csrf` is the session's token for the one request that changes state (the audit record of a
/// saved image).
fn body(seeds: &[String], csrf: &str) -> String {
    let mut kept = String::new();
    for s in seeds {
        let _ = write!(kept, r#"<input type="hidden" name="seed" value="{}">"#, esc(s));
    }
    let intro = if seeds.is_empty() {
        "No entity chosen: the chart shows the whole network visible to you, up to its size limit. Open a person or group from search and choose “Link chart” to start from them."
    } else {
        "Starting from the chosen entities and their direct links. Click a node for its details, double-click (or “Expand”) to bring in its neighbours, click a link for its provenance."
    };
    format!(
        r#"<section class="network" id="network" data-seeds="{seeds}" data-api="/api/network" data-edge-api="/api/network/edge" data-paths-api="/api/network/paths" data-removal-api="/api/network/removal" data-timeline-api="/api/network/timeline" data-picture-api="/api/network/pictures" data-csrf="{csrf}" data-limit="2000">
<header class="network-head">
<h1 class="page-title">Link chart</h1>
<p class="hint">{intro}</p>
<form class="network-add" method="get" action="/network">{kept}<label>Add entity id <input type="text" name="seed" required maxlength="{MAX_SEED_LEN}" placeholder="e.g. NCA:P-1021" autocomplete="off"></label> <button type="submit">Add to chart</button></form>
</header>
<div class="network-toolbar" role="toolbar" aria-label="Link chart controls">
<fieldset class="net-types"><legend>Link types</legend><div id="net-types" class="net-type-list"><span class="empty">none loaded</span></div></fieldset>
<fieldset class="net-time"><legend>Time window</legend>
<label>From <input type="date" id="net-from"></label>
<label>Until <input type="date" id="net-until"></label>
<label title="Links whose statements carry no observed date"><input type="checkbox" id="net-undated" checked> undated</label>
<button type="button" id="net-time-reset">All time</button>
<span class="net-period" id="net-period"></span>
</fieldset>
<fieldset class="net-view"><legend>View</legend>
<label>Size by <select id="net-size"><option value="degree">degree</option><option value="betweenness">betweenness</option></select></label>
<label><input type="checkbox" id="net-group"> Group by community</label>
<button type="button" id="net-zoom-in" aria-label="Zoom in" title="Zoom in (+)">+</button>
<button type="button" id="net-zoom-out" aria-label="Zoom out" title="Zoom out (−)">−</button>
<button type="button" id="net-fit" title="Show everything (0)">Fit</button>
<button type="button" id="net-unpin-all">Unpin all</button>
<button type="button" id="net-pause" aria-pressed="false">Pause layout</button>
<button type="button" id="net-save" title="Save the chart as you see it as a PNG image, marked with the highest classification of what it shows (the export is audited)">Save image</button>
</fieldset>
<fieldset class="net-tools"><legend>Analysis</legend>
<button type="button" id="net-disrupt-open" aria-controls="net-disrupt">Disrupt…</button>
<button type="button" id="net-timeline-open" aria-controls="net-timeline">Timeline…</button>
</fieldset>
<fieldset class="net-find"><legend>Find</legend>
<input type="search" id="net-find" list="net-captions" placeholder="Name or id on the chart" aria-label="Find an entity on the chart" autocomplete="off">
<datalist id="net-captions"></datalist>
</fieldset>
</div>
<p class="network-status" id="net-status" role="status" aria-live="polite">Loading the network…</p>
<p class="network-error" id="net-error" role="alert" hidden></p>
<div class="network-stage">
<div class="network-canvas-wrap" id="net-wrap">
<canvas id="net-canvas" tabindex="0" role="img" aria-label="Link chart: entities as nodes, links as lines. Use the side panel to read details and provenance." data-state="loading" data-nodes="0" data-edges="0" data-settled="false"></canvas>
</div>
<div class="network-side">
<p class="net-placeholder" id="net-placeholder">Click a node for its details, or a link for its provenance. Drag the background to pan, the wheel to zoom, a node to pin it. Escape closes a panel.</p>
<aside class="network-panel node-panel" id="net-node" hidden aria-labelledby="net-node-caption">
<button type="button" class="net-close" id="net-node-close" aria-label="Close the entity panel">×</button>
<h2 class="node-caption" id="net-node-caption"></h2>
<p class="node-ident"><span class="kind" id="net-node-kind"></span> <span class="id" id="net-node-id"></span></p>
<dl class="node-metrics">
<div><dt>Degree</dt><dd id="net-node-degree"></dd></div>
<div><dt>Betweenness</dt><dd id="net-node-betweenness"></dd></div>
<div><dt>Community</dt><dd id="net-node-community"></dd></div>
</dl>
<p class="node-actions"><a class="entity-link" id="net-node-link" href="/">Entity page</a> <button type="button" id="net-expand">Expand</button> <button type="button" id="net-pin">Pin</button></p>
<p class="node-actions"><button type="button" id="net-path-start" aria-controls="net-path">Path to…</button> <button type="button" id="net-replaced">Who replaced them?</button></p>
<div class="node-successors" id="net-node-successors" hidden>
<h3>Who replaced them?</h3>
<p class="tool-status" id="net-successors-status" role="status"></p>
<p class="tool-error" id="net-successors-error" role="alert" hidden></p>
<ol class="successor-list" id="net-successors-list"></ol>
</div>
<h3>Records of this entity</h3>
<ul class="node-members" id="net-node-members"></ul>
<h3>Links shown <span class="count" id="net-node-link-count">0</span></h3>
<ul class="node-links" id="net-node-links"></ul>
<p class="hint" id="net-node-hidden" hidden></p>
</aside>
<aside class="network-panel provenance-panel" id="net-provenance" hidden aria-labelledby="net-prov-title">
<button type="button" class="net-close" id="net-prov-close" aria-label="Close the provenance panel">×</button>
<div id="net-prov-banner"></div>
<h2 id="net-prov-title">Provenance</h2>
<p class="prov-weight" id="net-prov-weight"></p>
<p class="prov-explanation" id="net-prov-explanation"></p>
<ol class="prov-statements" id="net-prov-statements"></ol>
</aside>
<aside class="network-panel tool-panel path-panel" id="net-path" hidden aria-labelledby="net-path-title">
<button type="button" class="net-close" id="net-path-close" aria-label="Close the path panel">×</button>
<h2 id="net-path-title">How are these two linked?</h2>
<form class="tool-form" id="net-path-form">
<p class="path-from"><span class="tool-label">From</span> <strong id="net-path-from"></strong></p>
<label><span class="tool-label">To</span> <input type="text" id="net-path-to" list="net-captions" maxlength="200" placeholder="click a node, or a name or id" autocomplete="off"></label>
<label title="Only paths whose links were observed one after the other: how information, money or people could actually have moved"><input type="checkbox" id="net-path-ordered"> in time order</label>
<button type="submit">Find paths</button> <button type="button" id="net-path-clear">Clear</button>
</form>
<p class="hint" id="net-path-hint"></p>
<p class="tool-error" id="net-path-error" role="alert" hidden></p>
<p class="tool-status" id="net-path-summary" role="status"></p>
<div class="path-list" id="net-path-list"></div>
</aside>
<aside class="network-panel tool-panel disrupt-panel" id="net-disrupt" hidden aria-labelledby="net-disrupt-title">
<button type="button" class="net-close" id="net-disrupt-close" aria-label="Close the disruption panel">×</button>
<h2 id="net-disrupt-title">Disruption planning</h2>
<p class="hint">Which removals would break this network apart most: chosen one after another, each the one that leaves the fewest pairs of entities still connected. Phones, places and accounts still carry links but are not removed.</p>
<form class="tool-form" id="net-disrupt-form" novalidate>
<label><span class="tool-label">Removals</span> <input type="number" id="net-disrupt-k" min="1" max="20" value="5" required></label>
<span class="tool-kinds" role="group" aria-label="Who may be removed"><span class="tool-label">Among</span> <label><input type="checkbox" id="net-disrupt-person" value="Person" checked> people</label> <label><input type="checkbox" id="net-disrupt-org" value="Organization"> organisations</label></span>
<button type="submit">Plan</button> <button type="button" id="net-disrupt-clear">Clear</button>
</form>
<p class="hint" id="net-disrupt-scope"></p>
<p class="tool-error" id="net-disrupt-error" role="alert" hidden></p>
<p class="tool-status" id="net-disrupt-summary" role="status"></p>
<ol class="disrupt-steps" id="net-disrupt-steps"></ol>
</aside>
<aside class="network-panel tool-panel timeline-panel" id="net-timeline" hidden aria-labelledby="net-timeline-title">
<button type="button" class="net-close" id="net-timeline-close" aria-label="Close the timeline panel">×</button>
<h2 id="net-timeline-title">Change over time</h2>
<form class="tool-form" id="net-timeline-form">
<label><span class="tool-label">Window</span> <select id="net-timeline-window"><option value="30">30 days</option><option value="91" selected>91 days (a quarter)</option><option value="182">182 days</option><option value="365">365 days</option></select></label>
<button type="submit">Show</button> <button type="button" id="net-timeline-clear">All time</button>
</form>
<p class="hint" id="net-timeline-scope"></p>
<p class="tool-error" id="net-timeline-error" role="alert" hidden></p>
<div class="timeline-body" id="net-timeline-body" hidden>
<div class="timeline-chart" id="net-timeline-chart"></div>
<p class="timeline-legend"><span class="legend-nodes">entities</span> <span class="legend-central">betweenness centralisation</span></p>
<div class="timeline-step"><button type="button" id="net-timeline-prev" aria-label="Previous window">◀</button> <input type="range" id="net-timeline-slider" min="0" max="0" value="0" aria-label="Window"> <button type="button" id="net-timeline-next" aria-label="Next window">▶</button></div>
<p class="timeline-label" id="net-timeline-label" role="status"></p>
<dl class="node-metrics timeline-metrics">
<div><dt>Entities</dt><dd id="net-timeline-nodes"></dd></div>
<div><dt>Links</dt><dd id="net-timeline-edges"></dd></div>
<div><dt>Centralisation</dt><dd id="net-timeline-central"></dd></div>
<div><dt>Components</dt><dd id="net-timeline-components"></dd></div>
</dl>
<p class="timeline-broker"><span class="tool-label">Broker</span> <span id="net-timeline-broker"></span></p>
<h3>Entered <span class="count" id="net-timeline-entered-count">0</span></h3>
<ul class="net-refs" id="net-timeline-entered"></ul>
<h3>Left <span class="count" id="net-timeline-left-count">0</span></h3>
<ul class="net-refs" id="net-timeline-left"></ul>
</div>
</aside>
</div>
</div>
<noscript><p class="hint">The link chart needs JavaScript. Every link is also listed, with its provenance, on the entity pages.</p></noscript>
</section>
<script src="/static/network.js" defer></script>"#,
        seeds = esc(&seeds_json(seeds)),
        csrf = esc(csrf),
    )
}

/// `GET /network?seed=ID&seed=ID2`: the link chart of the given entities (or of the whole visible network).
pub(crate) async fn page(caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    require_intelligence(&caller, "Your role reads no intelligence, so it has no link chart.")?;
    let seeds = seeds(query.as_deref()).or_error_page(&caller)?;
    let mut response =
        Page { title: "Link chart".into(), caller: &caller, query: "", body: body(&seeds, &caller.csrf) }
            .render(StatusCode::OK);
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_decoded_deduplicated_and_limited() {
        let got =
            seeds(Some("seed=NCA%3AP-1&depth=1&seed=phone%3A%2B447700900123&seed=NCA%3AP-1&seed=+&seed=a+b")).unwrap();
        assert_eq!(got, vec!["NCA:P-1", "phone:+447700900123", "a b"]);
        assert!(seeds(None).unwrap().is_empty());
        assert!(seeds(Some("seed=%ZZ")).is_err());
        assert!(seeds(Some("seed=%FF")).is_err());
        let many: Vec<String> = (0..=MAX_SEEDS).map(|i| format!("seed=e{i}")).collect();
        assert!(seeds(Some(&many.join("&"))).is_err());
    }

    #[test]
    fn seeds_reach_the_page_only_escaped() {
        let html = body(&[r#""><script>alert(1)</script>"#.to_string()], r#""><b>"#);
        assert!(!html.contains("<script>alert"));
        assert!(html.contains(r#"data-seeds="[&quot;\&quot;&gt;&lt;script&gt;"#));
        assert!(html.contains(r#"data-csrf="&quot;&gt;&lt;b&gt;""#), "the CSRF token is an escaped attribute");
        let inline_handler = html.split(" on").skip(1).any(|rest| {
            let name: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
            !name.is_empty() && rest[name.len()..].starts_with('=')
        });
        assert!(!inline_handler, "no inline event handlers");
        assert!(html.contains(r#"<script src="/static/network.js" defer></script>"#));
    }

    fn caller(role: tessera_access::Role) -> Caller {
        let viewer = tessera_access::Viewer { role, ..tessera_access::Viewer::local_operator() };
        Caller { viewer, via: crate::auth::Via::SingleUser, csrf: String::new(), token: String::new() }
    }

    #[tokio::test]
    async fn the_page_allows_its_script_and_refuses_roles_without_intelligence() {
        let ok =
            page(caller(tessera_access::Role::Analyst), RawQuery(Some("seed=NCA%3AP-1".into()))).await.into_response();
        assert_eq!(ok.status(), StatusCode::OK);
        let csp = ok.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'") && !csp.contains("unsafe"));
        let refused = page(caller(tessera_access::Role::Auditor), RawQuery(None)).await.into_response();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let bad = page(caller(tessera_access::Role::Analyst), RawQuery(Some("seed=%FF".into()))).await.into_response();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn script_has_no_remote_references() {
        assert!(
            !SCRIPT.contains("http://") && !SCRIPT.contains("https://"),
            "the script fetches nothing from elsewhere"
        );
        assert!(!SCRIPT.contains("innerHTML") && !SCRIPT.contains("eval("), "data reaches the page only as text");
    }
}
