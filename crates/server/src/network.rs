//! The network in the API: the link chart's nodes and edges around seeds (or
//! all of what the viewer may see), the statements behind one edge, and the
//! shortest paths between two entities with the evidence of every hop. Every
//! read is audited before it is answered; the store decides what is visible.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use tessera_model::schema::parse_list;
use tessera_model::{EntityKind, LinkType};
use tessera_store::{
    AuditEvent, EdgeProvenance, MAX_NETWORK_NODES, Network, NetworkRequest, PathAnswer, PathRequest, RemovalPlan,
    Store, TimelineAnswer, TimelineRequest,
};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::Caller;

/// Longest entity id accepted.
const MAX_ID_CHARS: usize = 200;
/// Most seeds in one request.
const MAX_SEEDS: usize = 50;

/// An entity id parameter, checked.
fn entity_id(name: &str, value: &str) -> Result<String, ApiError> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > MAX_ID_CHARS || v.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "`{name}` must be an entity id of 1 to {MAX_ID_CHARS} characters without control characters"
        )));
    }
    Ok(v.to_string())
}

/// Link types from a comma-separated list, naming the unknown one.
fn link_types(value: &str) -> Result<Vec<LinkType>, ApiError> {
    parse_list(value, LinkType::from_name).map_err(|name| {
        ApiError::bad_request(format!("unknown link type {name:?} in `types` (expected one of {})", LinkType::names()))
    })
}

/// A count parameter, naming it when it is not a number.
fn count(name: &str, value: &str) -> Result<usize, ApiError> {
    value.trim().parse().map_err(|_| ApiError::bad_request(format!("`{name}` must be a whole number, not {value:?}")))
}

/// The parameters shared by the network and path endpoints; `seed` may repeat.
#[derive(Debug, Default)]
struct Params {
    request: NetworkRequest,
    source: Option<String>,
    target: Option<String>,
    link: Option<LinkType>,
    k: Option<usize>,
    window: Option<usize>,
    replaced: Option<String>,
    ordered: bool,
    kinds: Vec<EntityKind>,
}

impl Params {
    fn parse(pairs: &[(String, String)], allowed: &[&str]) -> Result<Self, ApiError> {
        let mut p = Params::default();
        for (key, value) in pairs {
            if !allowed.contains(&key.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{key}` (expected {})",
                    allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                )));
            }
            match key.as_str() {
                "seed" => {
                    let id = entity_id("seed", value)?;
                    if !p.request.seeds.contains(&id) {
                        p.request.seeds.push(id);
                    }
                }
                "depth" => p.request.depth = count("depth", value)?,
                "limit" => p.request.max_nodes = count("limit", value)?,
                "types" => p.request.link_types = link_types(value)?,
                // On the path endpoint `from` and `to` are entities (`after` and `until` bound the time).
                "from" if !allowed.contains(&"to") => p.request.from = non_empty(value),
                "from" | "source" => p.source = Some(entity_id(key, value)?),
                "until" => p.request.until = non_empty(value),
                "to" | "target" => p.target = Some(entity_id(key, value)?),
                "after" => p.request.from = non_empty(value),
                "type" => p.link = Some(single_link(value)?),
                "k" => p.k = Some(count("k", value)?),
                "window" => p.window = Some(count("window", value)?),
                "ordered" => p.ordered = flag("ordered", value)?,
                "kinds" => p.kinds = kinds(value)?,
                "replaced" => p.replaced = Some(entity_id("replaced", value)?),
                _ => {}
            }
        }
        if p.request.seeds.len() > MAX_SEEDS {
            return Err(ApiError::bad_request(format!("at most {MAX_SEEDS} seeds")));
        }
        if p.request.max_nodes > MAX_NETWORK_NODES {
            return Err(ApiError::bad_request(format!("`limit` must be at most {MAX_NETWORK_NODES}")));
        }
        Ok(p)
    }
}

/// A boolean parameter: `true`/`1` or `false`/`0`.
fn flag(name: &str, value: &str) -> Result<bool, ApiError> {
    match value.trim() {
        "true" | "1" | "" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(ApiError::bad_request(format!("`{name}` must be true or false, not {other:?}"))),
    }
}

/// Entity kinds from a comma-separated list, naming the unknown one.
fn kinds(value: &str) -> Result<Vec<EntityKind>, ApiError> {
    parse_list(value, EntityKind::from_name)
        .map_err(|name| ApiError::bad_request(format!("unknown kind {name:?} in `kinds`")))
}

fn non_empty(value: &str) -> Option<String> {
    Some(value.trim().to_string()).filter(|v| !v.is_empty())
}

fn single_link(value: &str) -> Result<LinkType, ApiError> {
    let mut types = link_types(value)?;
    match (types.pop(), types.is_empty()) {
        (Some(link), true) => Ok(link),
        _ => Err(ApiError::bad_request("`type` must name exactly one link type")),
    }
}

/// What an audit record says about a network request.
fn describe(request: &NetworkRequest) -> String {
    let types: Vec<&str> = request.link_types.iter().map(|l| l.name()).collect();
    format!(
        "seeds={} depth={} types={} from={} until={} limit={}",
        request.seeds.join(","),
        request.depth,
        types.join(","),
        request.from.as_deref().unwrap_or(""),
        request.until.as_deref().unwrap_or(""),
        request.max_nodes
    )
}

/// Most entities one picture of the chart may show.
const MAX_PICTURE_NODES: usize = 20_000;
/// Most links one picture of the chart may show.
const MAX_PICTURE_EDGES: usize = 100_000;

/// What the chart is about to save as an image: the entities and links drawn.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PictureBody {
    nodes: Vec<String>,
    edges: Vec<PictureEdge>,
}

/// One link drawn, as the chart names it.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PictureEdge {
    source: String,
    target: String,
    #[serde(rename = "type")]
    link: String,
}

/// The marking and audit reference to print on a saved picture of the chart.
#[derive(Debug, serde::Serialize)]
pub(crate) struct PictureStamp {
    /// Quotes the audit record of the export.
    reference: String,
    /// The highest classification of what the picture shows.
    classification: tessera_model::Classification,
    /// Who exported it, and for which agency.
    user: String,
    agency: String,
    /// When (UTC, RFC 3339).
    at: String,
    nodes: usize,
    edges: usize,
}

/// `POST /api/network/pictures` (JSON: `nodes`, the entity ids drawn, and `edges`, each
/// `{source, target, type}`): the marking a saved image of the link chart must carry, from
/// what it shows as the caller sees it, with a reference to the audit record of the export.
/// The export is audited whether it is allowed or refused; an entity or link the caller does
/// not see is a 404, the same as one that does not exist.
pub(crate) async fn api_picture(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<PictureStamp>, ApiError> {
    let body = body?;
    let PictureBody { nodes, edges } = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "expected {{\"nodes\": [entity ids], \"edges\": [{{\"source\", \"target\", \"type\"}}]}}: {e}"
        ))
    })?;
    if nodes.len() > MAX_PICTURE_NODES || edges.len() > MAX_PICTURE_EDGES {
        return Err(ApiError::bad_request(format!(
            "a picture shows at most {MAX_PICTURE_NODES} entities and {MAX_PICTURE_EDGES} links"
        )));
    }
    let nodes = nodes.iter().map(|n| entity_id("nodes", n)).collect::<Result<Vec<_>, _>>()?;
    let edges = edges
        .iter()
        .map(|e| Ok((entity_id("source", &e.source)?, entity_id("target", &e.target)?, single_link(&e.link)?)))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let at = tessera_model::time::now_rfc3339();
    let millis = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let reference = format!("LC-{millis}-{}", caller.viewer.user);
    let listed = format!(
        "{} entities, {} links; entities: {}; links: {}",
        nodes.len(),
        edges.len(),
        nodes.join(" "),
        edges.iter().map(|(a, b, t)| format!("{a} {t} {b}")).collect::<Vec<_>>().join("; ")
    );
    let (n, m) = (nodes.len(), edges.len());
    let shown_reference = reference.clone();
    let classification = state
        .read(&caller.viewer, move |store, viewer| {
            let marking = store.network_picture_marking(viewer, &nodes, &edges);
            let outcome = match &marking {
                Ok(c) => format!("marked {c}"),
                Err(e) => format!("refused ({e})"),
            };
            store.audit(
                viewer,
                &AuditEvent::new("export_network_image", format!("{shown_reference}: {outcome}; {listed}")),
            )?;
            marking
        })
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(PictureStamp {
        reference,
        classification,
        user: caller.viewer.user.clone(),
        agency: caller.viewer.agency.clone(),
        at,
        nodes: n,
        edges: m,
    }))
}

/// `GET /api/network?seed=ID&depth=1&types=associate,paid&from=2024-01&until=2025&limit=2000`.
pub(crate) async fn api_network(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Network>, ApiError> {
    let Query(pairs) = query?;
    let request = Params::parse(&pairs, &["seed", "depth", "types", "from", "until", "limit"])?.request;
    request.check().map_err(ApiError::from_store)?;
    let network = state
        .read_audited(&caller.viewer, AuditEvent::new("read_network", describe(&request)), move |store, viewer| {
            store.network(viewer, &request)
        })
        .await?;
    Ok(Json(network))
}

/// `GET /api/network/edge?source=A&target=B&type=paid`.
pub(crate) async fn api_edge(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<EdgeProvenance>, ApiError> {
    let Query(pairs) = query?;
    let p = Params::parse(&pairs, &["source", "target", "type"])?;
    let (Some(source), Some(target), Some(link)) = (p.source, p.target, p.link) else {
        return Err(ApiError::bad_request("`source`, `target` and `type` are required"));
    };
    let shown = format!("{source} {link} {target}");
    let detail = shown.clone();
    state
        .read_audited(&caller.viewer, AuditEvent::new("read_network_edge", detail), move |store, viewer| {
            store.network_edge(viewer, &source, &target, link)
        })
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no link {shown}")))
}

/// `GET /api/network/paths?from=A&to=B&k=3&types=...&after=2024-01&until=2025`.
pub(crate) async fn api_paths(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<PathAnswer>, ApiError> {
    let Query(pairs) = query?;
    let p = Params::parse(&pairs, &["from", "to", "k", "types", "after", "until", "limit", "ordered"])?;
    let (Some(from), Some(to)) = (p.source, p.target) else {
        return Err(ApiError::bad_request("`from` and `to` are required"));
    };
    let mut network = p.request;
    if !pairs.iter().any(|(k, _)| k == "limit") {
        network.max_nodes = MAX_NETWORK_NODES;
    }
    let request = PathRequest { from, to, k: p.k.unwrap_or(3), network, ordered: p.ordered };
    let detail = format!("{} -> {} k={} {}", request.from, request.to, request.k, describe(&request.network));
    let answer = state
        .read_audited(&caller.viewer, AuditEvent::new("read_network_paths", detail), move |store, viewer| {
            store.network_paths(viewer, &request)
        })
        .await?;
    Ok(Json(answer))
}

/// `GET /api/network/timeline?window=91&seed=...&types=...&from=...&until=...&replaced=ID`.
pub(crate) async fn api_timeline(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<TimelineAnswer>, ApiError> {
    let Query(pairs) = query?;
    let p = Params::parse(&pairs, &["seed", "depth", "types", "from", "until", "limit", "window", "replaced"])?;
    let mut network = p.request;
    if !pairs.iter().any(|(k, _)| k == "limit") {
        network.max_nodes = MAX_NETWORK_NODES;
    }
    network.check().map_err(ApiError::from_store)?;
    let window_days = i64::try_from(p.window.unwrap_or(91)).unwrap_or(i64::MAX);
    let request = TimelineRequest { network, window_days, replaced: p.replaced };
    let detail = format!(
        "window={window_days} replaced={} {}",
        request.replaced.as_deref().unwrap_or(""),
        describe(&request.network)
    );
    let answer = state
        .read_audited(&caller.viewer, AuditEvent::new("read_network_timeline", detail), move |store, viewer| {
            store.network_timeline(viewer, &request)
        })
        .await?;
    Ok(Json(answer))
}

/// `GET /api/network/removal?k=5&kinds=Person&seed=...&types=...`: disruption planning.
pub(crate) async fn api_removal(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<RemovalPlan>, ApiError> {
    let Query(pairs) = query?;
    let p = Params::parse(&pairs, &["seed", "depth", "types", "from", "until", "limit", "k", "kinds"])?;
    let mut network = p.request;
    if !pairs.iter().any(|(k, _)| k == "limit") {
        network.max_nodes = MAX_NETWORK_NODES;
    }
    network.check().map_err(ApiError::from_store)?;
    let k = p.k.unwrap_or(5);
    let kinds = p.kinds;
    let detail = format!("k={k} {}", describe(&network));
    let plan = state
        .read_audited(&caller.viewer, AuditEvent::new("read_network_removal", detail), move |store, viewer| {
            store.network_removal(viewer, &network, k, &kinds)
        })
        .await?;
    Ok(Json(plan))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn seeds_repeat_and_types_are_checked() {
        let all = ["seed", "depth", "types", "from", "until", "limit"];
        let p = Params::parse(&pairs(&[("seed", "a"), ("seed", "b"), ("seed", "a"), ("types", "paid, family")]), &all)
            .unwrap();
        assert_eq!(p.request.seeds, ["a", "b"]);
        assert_eq!(p.request.link_types, [LinkType::Paid, LinkType::Family]);
        let err = Params::parse(&pairs(&[("types", "bribed")]), &all).unwrap_err();
        assert!(err.message.contains("bribed") && err.message.contains("types"), "{}", err.message);
        let err = Params::parse(&pairs(&[("depth", "two")]), &all).unwrap_err();
        assert!(err.message.contains("depth"), "{}", err.message);
        let err = Params::parse(&pairs(&[("colour", "red")]), &all).unwrap_err();
        assert!(err.message.contains("colour"), "{}", err.message);
    }

    #[test]
    fn path_parameters_read_from_and_to_as_entities() {
        let allowed = ["from", "to", "k", "types", "after", "until", "limit"];
        let p = Params::parse(&pairs(&[("from", "A"), ("to", "B"), ("after", "2024"), ("k", "2")]), &allowed).unwrap();
        assert_eq!((p.source.as_deref(), p.target.as_deref(), p.k), (Some("A"), Some("B"), Some(2)));
        assert_eq!(p.request.from.as_deref(), Some("2024"));
        assert!(Params::parse(&pairs(&[("type", "paid,family")]), &["type"]).is_err());
    }
}
