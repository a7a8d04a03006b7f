//! The network of resolved entities as one viewer sees it, for the link chart,
//! paths between suspects and the group board.
//!
//! - A node is a resolved cluster as the viewer sees it: the members the viewer
//!   reaches through cluster links they may see in full (see
//!   [`crate::resolution`]), named by the smallest member id. Two records joined
//!   only through hidden material are two nodes.
//! - An edge is every visible link statement of one type between two nodes.
//!   Its weight combines the grading of each statement and the number of
//!   agencies that report it (corroboration): each statement is worth
//!   [`statement_confidence`], each agency counts once with its best statement,
//!   and independent agencies combine as `1 − Π(1 − c)`. Symmetric link types
//!   (associate, family, contact) are undirected; the others keep their
//!   direction.
//! - Hidden material leaves no trace: no node, edge, count, weight or date is
//!   computed from a statement the viewer may not see.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use tessera_access::Viewer;
use tessera_graph::Graph;
use tessera_model::{Classification, EntityKind, Grading, IntelligenceAssessment, LinkType, SourceEvaluation};

use crate::read::{caption, link_names_sql, visible_statements};
use crate::resolution::visible_members;
use crate::visibility::Visibility;
use crate::{StoreError, StoredStatement};

/// Largest network one request may build.
pub const MAX_NETWORK_NODES: usize = 20_000;
/// Most hops of expansion from the seeds.
pub const MAX_NETWORK_DEPTH: usize = 4;
/// Most paths one request may ask for.
pub const MAX_PATHS: usize = 10;

/// What part of the network to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkRequest {
    /// Entities to start from; empty means the whole visible network.
    pub seeds: Vec<String>,
    /// Hops of neighbours to add around the seeds.
    pub depth: usize,
    /// Only these link types (empty: every type).
    pub link_types: Vec<LinkType>,
    /// Only links observed on or after this date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub from: Option<String>,
    /// Only links observed on or before this date (same forms; a month or a year counts whole).
    pub until: Option<String>,
    /// Most nodes to return; the answer says when it stopped short.
    pub max_nodes: usize,
}

impl Default for NetworkRequest {
    fn default() -> Self {
        Self { seeds: Vec::new(), depth: 1, link_types: Vec::new(), from: None, until: None, max_nodes: 2_000 }
    }
}

impl NetworkRequest {
    /// Refuses requests that are out of bounds or carry malformed dates, naming the field.
    pub fn check(&self) -> Result<(), StoreError> {
        if self.depth > MAX_NETWORK_DEPTH {
            return Err(StoreError::Invalid(format!("depth must be at most {MAX_NETWORK_DEPTH}")));
        }
        if self.max_nodes == 0 || self.max_nodes > MAX_NETWORK_NODES {
            return Err(StoreError::Invalid(format!("limit must be between 1 and {MAX_NETWORK_NODES}")));
        }
        for (field, value) in [("from", &self.from), ("until", &self.until)] {
            if let Some(v) = value
                && !is_date_prefix(v)
            {
                return Err(StoreError::Invalid(format!("{field} {v:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")));
            }
        }
        if let (Some(from), Some(until)) = (&self.from, &self.until)
            && prefix(from, until.len()) > prefix(until, from.len())
        {
            return Err(StoreError::Invalid(format!("from {from} is after until {until}")));
        }
        Ok(())
    }

    /// Whether a link statement falls inside the request's types and time window.
    fn admits(&self, link: LinkType, observed: &str) -> bool {
        if !self.link_types.is_empty() && !self.link_types.contains(&link) {
            return false;
        }
        if let Some(from) = &self.from
            && prefix(observed, from.len()) < from.as_str()
        {
            return false;
        }
        if let Some(until) = &self.until
            && prefix(observed, until.len()) > until.as_str()
        {
            return false;
        }
        true
    }
}

/// The first `n` bytes of a date string (all of it when shorter).
fn prefix(date: &str, n: usize) -> &str {
    date.get(..n).unwrap_or(date)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real date (no time part: the bound is compared by prefix).
fn is_date_prefix(v: &str) -> bool {
    matches!(v.len(), 4 | 7 | 10) && tessera_model::time::parse_partial_date(v).is_ok()
}

/// One node: a resolved cluster as the viewer sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkNode {
    /// The smallest id among the visible members (stable while the cluster is).
    pub id: String,
    /// Kind of entity.
    pub kind: EntityKind,
    /// Caption from the viewer's visible statements.
    pub caption: String,
    /// Visible members of the cluster, `id` among them.
    pub members: Vec<String>,
    /// Whether the request started from it.
    pub seed: bool,
    /// Community found by Leiden (modularity, seed 1) on the returned network; `None` for a node without links.
    pub community: Option<u32>,
    /// Number of distinct neighbours in the returned network.
    pub degree: usize,
    /// Betweenness in the returned network, scaled so the highest is 1.
    pub betweenness: f64,
    /// The highest classification among the statements other than links that
    /// the viewer sees about its members (what a picture of the node shows:
    /// its name, kind and merged records); `None` for a node known only from
    /// a link pointing at it (the link's edge carries that).
    pub classification: Option<Classification>,
}

/// One edge: every visible link statement of one type between two nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkEdge {
    /// `source|target|type`, stable for the same evidence.
    pub id: String,
    /// Node the link starts from (for symmetric types, the smaller id).
    pub source: String,
    /// Node the link points to.
    pub target: String,
    /// Link type.
    #[serde(rename = "type")]
    pub link_type: LinkType,
    /// Strength in (0, 1]: grading and corroboration combined (see the module documentation).
    pub weight: f64,
    /// Distinct agencies that report the link.
    pub agencies: usize,
    /// Visible statements behind it.
    pub statements: usize,
    /// Earliest observation date.
    pub first: Option<String>,
    /// Latest observation date.
    pub last: Option<String>,
    /// The highest classification among the statements behind it.
    pub classification: Classification,
    /// Ids of the statements behind it (for paths; the edge endpoint lists them in full).
    #[serde(skip)]
    pub statement_ids: Vec<i64>,
    /// Every distinct observation date (YYYY-MM-DD), oldest first: the edge's contacts over time.
    #[serde(skip)]
    pub observed: Vec<String>,
}

/// Observation dates covered by a network.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Earliest link observation.
    pub first: Option<String>,
    /// Latest link observation.
    pub last: Option<String>,
}

/// A network as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    /// Nodes, seeds first, then in the order they were reached.
    pub nodes: Vec<NetworkNode>,
    /// Edges between returned nodes.
    pub edges: Vec<NetworkEdge>,
    /// Link types present among the edges (for the chart's filters).
    pub link_types: Vec<LinkType>,
    /// Dates the edges cover.
    pub period: Period,
    /// Number of communities.
    pub communities: usize,
    /// Whether the node limit stopped the expansion.
    pub truncated: bool,
}

/// One statement behind an edge, as the provenance panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeStatement {
    /// Statement id.
    pub id: i64,
    /// Entity the statement is about.
    pub entity: String,
    /// Link type.
    pub property: String,
    /// Target entity.
    pub value: String,
    /// Report it came from.
    pub report_id: String,
    /// Agency that submitted the report.
    pub agency: String,
    /// Grading code of the report.
    pub grading: String,
    /// Marking banner of the report.
    pub banner: String,
    /// When the link was observed.
    pub observed: String,
    /// Structured field or extracted from free text.
    pub origin: String,
    /// What this statement is worth on its own.
    pub confidence: f64,
}

/// The statements behind one edge and how its weight was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeProvenance {
    /// Source node.
    pub source: String,
    /// Target node.
    pub target: String,
    /// Link type.
    #[serde(rename = "type")]
    pub link_type: LinkType,
    /// Combined weight.
    pub weight: f64,
    /// How the weight was reached, in words.
    pub explanation: String,
    /// Every visible statement behind the edge, oldest observation first.
    pub statements: Vec<EdgeStatement>,
}

/// A path query between two entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRequest {
    /// Start entity.
    pub from: String,
    /// End entity.
    pub to: String,
    /// How many shortest paths (1 to [`MAX_PATHS`]).
    pub k: usize,
    /// Types, window and size of the network searched (its seeds are ignored).
    pub network: NetworkRequest,
    /// Only paths whose links were observed in time order (each hop on or after the one before);
    /// the single earliest-arriving such path is returned.
    pub ordered: bool,
}

/// One hop of a path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    /// Node the hop leaves.
    pub from: String,
    /// Node the hop reaches.
    pub to: String,
    /// Every edge between the two (any type the request admits).
    pub edges: Vec<NetworkEdge>,
    /// Ids of the statements behind the hop.
    pub statement_ids: Vec<i64>,
    /// For a time-ordered path, the observation date of the link used.
    pub observed: Option<String>,
}

/// One path between two entities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkPath {
    /// Node ids from start to end.
    pub nodes: Vec<String>,
    /// Captions of those nodes.
    pub captions: Vec<String>,
    /// The hops, each with its evidence.
    pub hops: Vec<Hop>,
}

/// What a path query found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathAnswer {
    /// Node of the start entity.
    pub from: String,
    /// Node of the end entity.
    pub to: String,
    /// Shortest first.
    pub paths: Vec<NetworkPath>,
}

/// What one statement is worth on its own, from its grading: the source's
/// reliability times the assessment of the intelligence. A stated convention
/// of Tessera (docs/network.md), not a published scale.
pub fn statement_confidence(grading: &Grading) -> f64 {
    let source = match grading.source {
        SourceEvaluation::Reliable => 0.9,
        SourceEvaluation::Untested => 0.6,
        SourceEvaluation::NotReliable => 0.3,
    };
    let intelligence = match grading.intelligence {
        IntelligenceAssessment::KnownDirectly => 1.0,
        IntelligenceAssessment::KnownIndirectlyCorroborated => 0.85,
        IntelligenceAssessment::KnownIndirectly => 0.6,
        IntelligenceAssessment::NotKnown => 0.4,
        IntelligenceAssessment::SuspectedFalse => 0.05,
    };
    source * intelligence
}

/// Link types that say nothing about direction.
fn is_symmetric(link: LinkType) -> bool {
    matches!(link, LinkType::Associate | LinkType::Family | LinkType::CommunicatedWith)
}

/// Combines statements into an edge weight: each agency counts once with its best statement,
/// agencies combine as independent evidence.
fn combined_weight<'a>(statements: impl Iterator<Item = (&'a str, f64)>) -> (f64, usize) {
    let mut best: BTreeMap<&str, f64> = BTreeMap::new();
    for (agency, c) in statements {
        let e = best.entry(agency).or_insert(0.0);
        *e = e.max(c);
    }
    let missing: f64 = best.values().map(|c| 1.0 - c).product();
    (1.0 - missing, best.len())
}

/// A node being built.
struct NodeAcc {
    id: String,
    kind: EntityKind,
    caption: String,
    members: Vec<String>,
    seed: bool,
    /// Set by [`Builder::classify`] for the answers that show it.
    classification: Option<Classification>,
}

/// An edge being built.
#[derive(Default)]
struct EdgeAcc {
    statements: Vec<(i64, String, f64, String)>,
    classification: Option<Classification>,
}

/// Builds a network for one viewer; folds entities into visible clusters as it meets them.
struct Builder<'c> {
    conn: &'c Connection,
    visibility: Visibility,
    nodes: Vec<NodeAcc>,
    node_of: HashMap<String, usize>,
    edges: BTreeMap<(usize, usize, LinkType), EdgeAcc>,
}

impl<'c> Builder<'c> {
    fn new(conn: &'c Connection, viewer: &Viewer) -> Result<Self, StoreError> {
        Ok(Self {
            conn,
            visibility: Visibility::load(conn, viewer)?,
            nodes: Vec::new(),
            node_of: HashMap::new(),
            edges: BTreeMap::new(),
        })
    }

    /// The node of an entity, made on first sight. An entity the viewer sees no statement about
    /// (only a visible link pointing to it) is a node of its own, captioned by its id.
    fn node(&mut self, entity: &str) -> Result<usize, StoreError> {
        if let Some(&i) = self.node_of.get(entity) {
            return Ok(i);
        }
        let members = visible_members(self.conn, &self.visibility, entity)?;
        // The kind from the entities table: `visible_members` has already read the visible captions.
        let kind: Option<String> = self
            .conn
            .prepare_cached("SELECT kind FROM entities WHERE id = ?1")?
            .query_row([entity], |r| r.get(0))
            .optional()?;
        let kind = kind
            .as_deref()
            .and_then(EntityKind::from_name)
            .ok_or_else(|| StoreError::Corrupt(format!("link to unknown entity {entity}")))?;
        let (caption, ids) = if members.is_empty() {
            (entity.to_string(), vec![entity.to_string()])
        } else {
            let mut ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
            ids.sort();
            let lead = &ids[0];
            let caption = members.iter().find(|m| &m.id == lead).map(|m| m.caption.clone()).unwrap_or_default();
            (caption, ids)
        };
        let index = self.nodes.len();
        for id in &ids {
            self.node_of.insert(id.clone(), index);
        }
        self.nodes.push(NodeAcc { id: ids[0].clone(), kind, caption, members: ids, seed: false, classification: None });
        Ok(index)
    }

    /// Sets the classification of `nodes`: the highest among the visible
    /// statements other than links about their members (each edge carries
    /// its own); a node known only from a link pointing at it has no visible
    /// statement and keeps `None`. One query per few hundred members: a
    /// query per member cost a third of the time of a whole-network answer.
    fn classify(&mut self, nodes: &[usize]) -> Result<(), StoreError> {
        const CHUNK: usize = 500;
        let members: Vec<&str> = nodes.iter().flat_map(|&n| self.nodes[n].members.iter().map(String::as_str)).collect();
        let mut highest: HashMap<usize, Classification> = HashMap::new();
        for chunk in members.chunks(CHUNK) {
            let mut query = self.conn.prepare_cached(&format!(
                "SELECT DISTINCT e.id, r.marking FROM statements s JOIN reports r ON r.rowid = s.report
                 JOIN entities e ON e.rowid = s.entity WHERE e.id IN ({}) AND s.property NOT IN ({})",
                vec!["?"; chunk.len()].join(", "),
                link_names_sql()
            ))?;
            let rows =
                query.query_map(rusqlite::params_from_iter(chunk), |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
            for row in rows {
                let (entity, marking): (String, i64) = row?;
                if let (Some(m), Some(&n)) = (self.visibility.get(marking), self.node_of.get(&entity)) {
                    let level = highest.entry(n).or_insert(m.classification);
                    *level = (*level).max(m.classification);
                }
            }
        }
        for (n, level) in highest {
            self.nodes[n].classification = Some(level);
        }
        Ok(())
    }

    /// The visible link statements touching any member of `node`, both directions.
    fn links_of(&self, node: usize) -> Result<Vec<StoredStatement>, StoreError> {
        let names = link_names_sql();
        let mut out = Vec::new();
        for member in &self.nodes[node].members {
            let rowid: Option<i64> = self
                .conn
                .prepare_cached("SELECT rowid FROM entities WHERE id = ?1")?
                .query_row([member], |r| r.get(0))
                .optional()?;
            if let Some(rowid) = rowid {
                out.extend(visible_statements(
                    self.conn,
                    &self.visibility,
                    &format!("WHERE s.entity = ?1 AND s.property IN ({names})"),
                    [rowid],
                )?);
            }
            out.extend(visible_statements(
                self.conn,
                &self.visibility,
                &format!("WHERE s.lookup = 1 AND s.value = ?1 AND s.property IN ({names})"),
                [member],
            )?);
        }
        out.sort_by_key(|s| s.id);
        out.dedup_by_key(|s| s.id);
        Ok(out)
    }

    /// Every visible link statement in the store.
    fn all_links(&self) -> Result<Vec<StoredStatement>, StoreError> {
        visible_statements(
            self.conn,
            &self.visibility,
            &format!("WHERE s.property IN ({}) ORDER BY s.id", link_names_sql()),
            [],
        )
    }

    /// Files one link statement under its edge; `None` when the link is outside the request or
    /// joins a cluster to itself. Makes the nodes at either end unless `grow` is false and an end
    /// is not a node yet (then the link is skipped).
    fn add_link(
        &mut self,
        s: &StoredStatement,
        request: &NetworkRequest,
        grow: bool,
    ) -> Result<Option<(usize, usize)>, StoreError> {
        let Some(link) = s.statement.link_type() else { return Ok(None) };
        if !request.admits(link, &s.statement.observed) {
            return Ok(None);
        }
        let ends = [&s.statement.entity_id, &s.statement.value];
        let mut ids = [0usize; 2];
        for (slot, end) in ids.iter_mut().zip(ends) {
            *slot = match self.node_of.get(end.as_str()) {
                Some(&i) => i,
                None if grow => self.node(end)?,
                None => return Ok(None),
            };
        }
        let [a, b] = ids;
        if a == b {
            return Ok(None);
        }
        let key = if is_symmetric(link) && self.nodes[b].id < self.nodes[a].id { (b, a, link) } else { (a, b, link) };
        let acc = self.edges.entry(key).or_default();
        if !acc.statements.iter().any(|(id, ..)| *id == s.id) {
            acc.statements.push((
                s.id,
                s.statement.agency.clone(),
                statement_confidence(&s.statement.grading),
                s.statement.observed.clone(),
            ));
            acc.classification = acc.classification.max(Some(s.statement.markings.classification));
        }
        Ok(Some((a, b)))
    }

    /// Expands from the seeds, hop by hop, until `depth` or the node limit.
    fn expand(&mut self, request: &NetworkRequest) -> Result<bool, StoreError> {
        let mut frontier = Vec::new();
        for seed in &request.seeds {
            if caption(self.conn, &self.visibility, seed)?.is_none() {
                return Err(StoreError::NotFound(format!("entity {seed} not found")));
            }
            let n = self.node(seed)?;
            self.nodes[n].seed = true;
            if !frontier.contains(&n) {
                frontier.push(n);
            }
        }
        let mut truncated = false;
        let mut expanded = vec![false; self.nodes.len()];
        for hop in 0..=request.depth {
            let grow = hop < request.depth;
            let mut next = Vec::new();
            for &n in &frontier {
                if expanded.get(n).copied().unwrap_or(false) {
                    continue;
                }
                if n >= expanded.len() {
                    expanded.resize(n + 1, false);
                }
                expanded[n] = true;
                for s in self.links_of(n)? {
                    let room = self.nodes.len() < request.max_nodes;
                    let before = self.nodes.len();
                    if self.add_link(&s, request, grow && room)?.is_none() && grow && !room {
                        truncated |= self.would_add(&s, request);
                    }
                    next.extend(before..self.nodes.len());
                }
            }
            frontier = next;
        }
        Ok(truncated)
    }

    /// Whether a link skipped for want of room would have brought a new node.
    fn would_add(&self, s: &StoredStatement, request: &NetworkRequest) -> bool {
        s.statement.link_type().is_some_and(|l| request.admits(l, &s.statement.observed))
            && [&s.statement.entity_id, &s.statement.value].iter().any(|e| !self.node_of.contains_key(e.as_str()))
    }

    /// The whole visible network, up to the node limit (nodes in order of their first link).
    fn everything(&mut self, request: &NetworkRequest) -> Result<bool, StoreError> {
        let mut truncated = false;
        for s in self.all_links()? {
            let room = self.nodes.len() < request.max_nodes;
            if self.add_link(&s, request, room)?.is_none() && !room {
                truncated |= self.would_add(&s, request);
            }
        }
        Ok(truncated)
    }

    /// The finished network with communities and centrality computed on it.
    fn finish(self, truncated: bool) -> Network {
        let n = self.nodes.len();
        let mut edges = Vec::with_capacity(self.edges.len());
        let mut period = Period::default();
        let mut types = BTreeSet::new();
        let mut arcs: BTreeMap<(u32, u32), f64> = BTreeMap::new();
        for ((a, b, link), acc) in self.edges {
            let (weight, agencies) =
                combined_weight(acc.statements.iter().map(|(_, agency, c, _)| (agency.as_str(), *c)));
            let dates: BTreeSet<String> =
                acc.statements.iter().filter_map(|(.., d)| d.get(..10).map(str::to_string)).collect();
            let first = dates.first().cloned();
            let last = dates.last().cloned();
            if period.first.is_none() || first < period.first {
                period.first.clone_from(&first);
            }
            if last > period.last {
                period.last.clone_from(&last);
            }
            types.insert(link);
            let key = (a.min(b) as u32, a.max(b) as u32);
            *arcs.entry(key).or_insert(0.0) += weight;
            let (source, target) = (self.nodes[a].id.clone(), self.nodes[b].id.clone());
            edges.push(NetworkEdge {
                id: format!("{source}|{target}|{link}"),
                source,
                target,
                link_type: link,
                weight,
                agencies,
                statements: acc.statements.len(),
                first,
                last,
                classification: acc.classification.unwrap_or(Classification::Official),
                statement_ids: acc.statements.iter().map(|(id, ..)| *id).collect(),
                observed: dates.into_iter().collect(),
            });
        }
        let graph = Graph::from_arcs(n, arcs.iter().map(|(&(a, b), &w)| (a, b, w)));
        let communities = tessera_graph::leiden::leiden(&graph, &tessera_graph::leiden::Config::default());
        let betweenness = tessera_graph::centrality::betweenness(
            &Graph::from_arcs(n, arcs.keys().map(|&(a, b)| (a, b, 1.0))),
            tessera_graph::centrality::default_threads(),
        );
        let top = betweenness.iter().copied().fold(0.0, f64::max);
        let mut labels: HashMap<u32, u32> = HashMap::new();
        let nodes = self
            .nodes
            .into_iter()
            .enumerate()
            .map(|(i, acc)| {
                let degree = graph.degree(i as u32);
                let community = (degree > 0).then(|| {
                    let next = labels.len() as u32;
                    *labels.entry(communities.membership[i]).or_insert(next)
                });
                NetworkNode {
                    id: acc.id,
                    kind: acc.kind,
                    caption: acc.caption,
                    members: acc.members,
                    seed: acc.seed,
                    community,
                    degree,
                    betweenness: if top > 0.0 { betweenness[i] / top } else { 0.0 },
                    classification: acc.classification,
                }
            })
            .collect();
        Network { nodes, edges, link_types: types.into_iter().collect(), period, communities: labels.len(), truncated }
    }
}

/// The network the request asks for, as the viewer sees it.
pub(crate) fn network(conn: &Connection, viewer: &Viewer, request: &NetworkRequest) -> Result<Network, StoreError> {
    built(conn, viewer, request, true)
}

/// The network the request asks for; with `classified`, each node's classification is read
/// too (the answer shows it; the analyses built on the network do not need it).
fn built(
    conn: &Connection,
    viewer: &Viewer,
    request: &NetworkRequest,
    classified: bool,
) -> Result<Network, StoreError> {
    request.check()?;
    let mut builder = Builder::new(conn, viewer)?;
    let truncated = if request.seeds.is_empty() { builder.everything(request)? } else { builder.expand(request)? };
    if classified {
        let all: Vec<usize> = (0..builder.nodes.len()).collect();
        builder.classify(&all)?;
    }
    Ok(builder.finish(truncated))
}

/// The statements behind the edge of `link` from `source`'s node to `target`'s node (either
/// direction for symmetric types); `None` when the viewer sees no such statement.
pub(crate) fn edge(
    conn: &Connection,
    viewer: &Viewer,
    source: &str,
    target: &str,
    link: LinkType,
) -> Result<Option<EdgeProvenance>, StoreError> {
    let mut builder = Builder::new(conn, viewer)?;
    let Some((a, b, mut statements)) = builder.edge_statements(source, target, link)? else { return Ok(None) };
    statements.sort_by(|x, y| x.statement.observed.cmp(&y.statement.observed).then(x.id.cmp(&y.id)));
    let listed: Vec<EdgeStatement> = statements
        .iter()
        .map(|s| EdgeStatement {
            id: s.id,
            entity: s.statement.entity_id.clone(),
            property: s.statement.property.clone(),
            value: s.statement.value.clone(),
            report_id: s.statement.report_id.clone(),
            agency: s.statement.agency.clone(),
            grading: s.statement.grading.code(),
            banner: s.statement.markings.banner(),
            observed: s.statement.observed.clone(),
            origin: s.statement.origin.name().to_string(),
            confidence: statement_confidence(&s.statement.grading),
        })
        .collect();
    let (weight, agencies) = combined_weight(listed.iter().map(|s| (s.agency.as_str(), s.confidence)));
    let best = listed.iter().max_by(|x, y| x.confidence.total_cmp(&y.confidence)).map(|s| s.grading.clone());
    let explanation = format!(
        "{} statement{} from {agencies} agenc{} ({}); best grading {}; each agency counts once with its best \
         statement and agencies combine as independent evidence: weight {weight:.2}",
        listed.len(),
        if listed.len() == 1 { "" } else { "s" },
        if agencies == 1 { "y" } else { "ies" },
        listed.iter().map(|s| s.agency.as_str()).collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>().join(", "),
        best.unwrap_or_default(),
    );
    Ok(Some(EdgeProvenance {
        source: builder.nodes[a].id.clone(),
        target: builder.nodes[b].id.clone(),
        link_type: link,
        weight,
        explanation,
        statements: listed,
    }))
}

/// The highest classification of what a picture of part of the network
/// shows: `nodes` (their names, kinds and merged records) and `edges`
/// (`source`, `target`, link type: the statements behind them), as the viewer
/// sees them. An entity or edge the viewer does not see is refused as not
/// found, the same answer as for one that does not exist.
pub(crate) fn picture_marking(
    conn: &Connection,
    viewer: &Viewer,
    nodes: &[String],
    edges: &[(String, String, LinkType)],
) -> Result<Classification, StoreError> {
    let mut builder = Builder::new(conn, viewer)?;
    let mut highest = Classification::Official;
    let mut shown = Vec::with_capacity(nodes.len());
    for id in nodes {
        if !builder.is_known(id)? {
            return Err(StoreError::NotFound(format!("entity {id}")));
        }
        shown.push(builder.node(id)?);
    }
    builder.classify(&shown)?;
    for &node in &shown {
        highest = highest.max(builder.nodes[node].classification.unwrap_or(Classification::Official));
    }
    // A chart's links share their ends: each node's links are read once.
    let mut links: HashMap<usize, Vec<StoredStatement>> = HashMap::new();
    for (source, target, link) in edges {
        let refused = || StoreError::NotFound(format!("link {source} {link} {target}"));
        let Some((a, b)) = builder.edge_ends(source, target)? else { return Err(refused()) };
        if let std::collections::hash_map::Entry::Vacant(slot) = links.entry(a) {
            slot.insert(builder.links_of(a)?);
        }
        let between = builder.between(a, b, *link, &links[&a]);
        if between.is_empty() {
            return Err(refused());
        }
        for s in between {
            highest = highest.max(s.statement.markings.classification);
        }
    }
    Ok(highest)
}

impl Builder<'_> {
    /// Whether the viewer knows `entity`: sees a statement about it or a link pointing at it.
    fn is_known(&self, entity: &str) -> Result<bool, StoreError> {
        Ok(caption(self.conn, &self.visibility, entity)?.is_some() || self.is_link_target(entity)?)
    }

    /// The nodes of `source` and `target` and the visible statements of `link` between them
    /// (either direction for symmetric types); `None` when the viewer sees none.
    fn edge_statements(
        &mut self,
        source: &str,
        target: &str,
        link: LinkType,
    ) -> Result<Option<(usize, usize, Vec<StoredStatement>)>, StoreError> {
        let Some((a, b)) = self.edge_ends(source, target)? else { return Ok(None) };
        let links = self.links_of(a)?;
        let statements: Vec<StoredStatement> = self.between(a, b, link, &links).into_iter().cloned().collect();
        Ok((!statements.is_empty()).then_some((a, b, statements)))
    }

    /// The two distinct nodes an edge from `source` to `target` would join; `None` when the
    /// viewer does not know either end or both are one node.
    fn edge_ends(&mut self, source: &str, target: &str) -> Result<Option<(usize, usize)>, StoreError> {
        for end in [source, target] {
            // Nodes are only ever made from entities the viewer knows.
            if !self.node_of.contains_key(end) && !self.is_known(end)? {
                return Ok(None);
            }
        }
        let a = self.node(source)?;
        let b = self.node(target)?;
        Ok((a != b).then_some((a, b)))
    }

    /// Of `links` (node `a`'s, from [`Builder::links_of`]), those of type `link` from `a` to
    /// `b`, or either way for a symmetric type.
    fn between<'s>(
        &self,
        a: usize,
        b: usize,
        link: LinkType,
        links: &'s [StoredStatement],
    ) -> Vec<&'s StoredStatement> {
        links
            .iter()
            .filter(|s| {
                if s.statement.link_type() != Some(link) {
                    return false;
                }
                let from = self.node_of.get(&s.statement.entity_id).copied();
                let to = self.node_of.get(&s.statement.value).copied();
                let forward = from == Some(a) && to == Some(b);
                let backward = from == Some(b) && to == Some(a);
                forward || (backward && is_symmetric(link))
            })
            .collect()
    }

    /// Whether a visible link points at `entity` (so its id is known to the viewer).
    fn is_link_target(&self, entity: &str) -> Result<bool, StoreError> {
        Ok(!visible_statements(
            self.conn,
            &self.visibility,
            &format!("WHERE s.lookup = 1 AND s.value = ?1 AND s.property IN ({}) LIMIT 1", link_names_sql()),
            [entity],
        )?
        .is_empty())
    }
}

/// The `k` shortest paths (in hops) between two entities through the network the request
/// describes, each hop with the edges and statements behind it.
pub(crate) fn paths(conn: &Connection, viewer: &Viewer, request: &PathRequest) -> Result<PathAnswer, StoreError> {
    if request.k == 0 || request.k > MAX_PATHS {
        return Err(StoreError::Invalid(format!("k must be between 1 and {MAX_PATHS}")));
    }
    let mut whole = request.network.clone();
    whole.seeds.clear();
    whole.check()?;
    let mut builder = Builder::new(conn, viewer)?;
    for end in [&request.from, &request.to] {
        if caption(conn, &builder.visibility, end)?.is_none() {
            return Err(StoreError::NotFound(format!("entity {end} not found")));
        }
    }
    let start = builder.node(&request.from)?;
    let end = builder.node(&request.to)?;
    builder.everything(&whole)?;
    let network = builder.finish(false);
    let (from, to) = (network.nodes[start].id.clone(), network.nodes[end].id.clone());
    let index: HashMap<&str, u32> = network.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i as u32)).collect();
    let mut pairs: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
    for (i, e) in network.edges.iter().enumerate() {
        let (a, b) = (index[e.source.as_str()], index[e.target.as_str()]);
        pairs.entry((a.min(b), a.max(b))).or_default().push(i);
    }
    if request.ordered {
        let paths = if start == end { Vec::new() } else { ordered_path(&network, start as u32, end as u32) };
        return Ok(PathAnswer { from, to, paths });
    }
    let graph = Graph::from_arcs(network.nodes.len(), pairs.keys().map(|&(a, b)| (a, b, 1.0)));
    let found = if start == end {
        Vec::new()
    } else {
        tessera_graph::paths::k_shortest_paths(
            &graph,
            start as u32,
            end as u32,
            request.k,
            tessera_graph::paths::Length::Hops,
        )
    };
    let paths = found
        .into_iter()
        .map(|p| {
            let hops = p
                .nodes
                .windows(2)
                .map(|w| {
                    let edges: Vec<NetworkEdge> =
                        pairs[&(w[0].min(w[1]), w[0].max(w[1]))].iter().map(|&i| network.edges[i].clone()).collect();
                    let mut statement_ids: Vec<i64> =
                        edges.iter().flat_map(|e| e.statement_ids.iter().copied()).collect();
                    statement_ids.sort_unstable();
                    Hop {
                        from: network.nodes[w[0] as usize].id.clone(),
                        to: network.nodes[w[1] as usize].id.clone(),
                        edges,
                        statement_ids,
                        observed: None,
                    }
                })
                .collect();
            NetworkPath {
                nodes: p.nodes.iter().map(|&v| network.nodes[v as usize].id.clone()).collect(),
                captions: p.nodes.iter().map(|&v| network.nodes[v as usize].caption.clone()).collect(),
                hops,
            }
        })
        .collect();
    Ok(PathAnswer { from, to, paths })
}

/// The earliest-arriving time-ordered path between two nodes of a network (one link observation
/// per hop, each on or after the one before; links both ways), as a one-element list, or empty.
fn ordered_path(network: &Network, start: u32, end: u32) -> Vec<NetworkPath> {
    let mut list = tessera_graph::EdgeList::new();
    for n in &network.nodes {
        list.node(&n.id);
    }
    // One timed link per edge and observation date; `owner[i]` is the network edge of link i.
    let mut owner = Vec::new();
    for (i, e) in network.edges.iter().enumerate() {
        let (a, b) = (list.node(&e.source), list.node(&e.target));
        for day in e.observed.iter().filter_map(|d| tessera_model::time::day_number(d.as_str())) {
            list.edges.push(tessera_graph::Edge {
                source: a,
                target: b,
                weight: e.weight,
                kind: None,
                time: Some(day),
            });
            owner.push(i);
        }
    }
    let order = tessera_graph::paths::TimeOrder::default();
    let objective = tessera_graph::paths::TimeObjective::EarliestArrival;
    let Some(path) = tessera_graph::paths::time_respecting_path(&list, start, end, &order, objective) else {
        return Vec::new();
    };
    let hops = path
        .nodes
        .windows(2)
        .zip(path.links.iter().zip(&path.times))
        .map(|(w, (&link, &time))| {
            let edge = network.edges[owner[link]].clone();
            Hop {
                from: network.nodes[w[0] as usize].id.clone(),
                to: network.nodes[w[1] as usize].id.clone(),
                statement_ids: edge.statement_ids.clone(),
                edges: vec![edge],
                observed: Some(day_date(time)),
            }
        })
        .collect();
    vec![NetworkPath {
        nodes: path.nodes.iter().map(|&v| network.nodes[v as usize].id.clone()).collect(),
        captions: path.nodes.iter().map(|&v| network.nodes[v as usize].caption.clone()).collect(),
        hops,
    }]
}

/// The network before or after a removal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovalSnapshot {
    /// Connected components.
    pub components: usize,
    /// Nodes in the largest component.
    pub largest_component: usize,
    /// Pairs of nodes still connected by some path.
    pub connected_pairs: u64,
}

/// One removal of a disruption plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovalStep {
    /// Who is removed.
    pub node: NodeRef,
    /// Their kind.
    pub kind: EntityKind,
    /// Their links among those still present.
    pub degree: usize,
    /// The network after the removal.
    pub after: RemovalSnapshot,
}

/// Which `k` removals fragment the visible network most (greedy, pairwise connectivity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovalPlan {
    /// The network before any removal.
    pub initial: RemovalSnapshot,
    /// The removals, in order.
    pub steps: Vec<RemovalStep>,
}

/// Most removals one plan may simulate.
pub const MAX_REMOVALS: usize = 50;

/// The disruption plan for the network the request describes: up to `k` removals chosen among
/// nodes of `kinds` (people, by default: phones and places are not arrested), every node still
/// counting in the connectivity.
pub(crate) fn removal(
    conn: &Connection,
    viewer: &Viewer,
    request: &NetworkRequest,
    k: usize,
    kinds: &[EntityKind],
) -> Result<RemovalPlan, StoreError> {
    if k == 0 || k > MAX_REMOVALS {
        return Err(StoreError::Invalid(format!("k must be between 1 and {MAX_REMOVALS}")));
    }
    let network = built(conn, viewer, request, false)?;
    let index: HashMap<&str, u32> = network.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i as u32)).collect();
    let arcs: BTreeSet<(u32, u32)> = network
        .edges
        .iter()
        .map(|e| {
            let (a, b) = (index[e.source.as_str()], index[e.target.as_str()]);
            (a.min(b), a.max(b))
        })
        .collect();
    let graph = Graph::from_arcs(network.nodes.len(), arcs.iter().map(|&(a, b)| (a, b, 1.0)));
    let kinds = if kinds.is_empty() { &[EntityKind::Person][..] } else { kinds };
    let candidates: Vec<bool> = network.nodes.iter().map(|n| kinds.contains(&n.kind)).collect();
    let mut plan = tessera_graph::removal::greedy_removal_among(&graph, k, &candidates);
    // Once nothing is left connected, further removals say nothing.
    if let Some(done) = plan.steps.iter().position(|s| s.after.connected_pairs == 0) {
        plan.steps.truncate(done + 1);
    }
    let snapshot = |s: &tessera_graph::removal::Snapshot| RemovalSnapshot {
        components: s.components,
        largest_component: s.largest_component,
        connected_pairs: s.connected_pairs,
    };
    Ok(RemovalPlan {
        initial: snapshot(&plan.initial),
        steps: plan
            .steps
            .iter()
            .map(|step| {
                let n = &network.nodes[step.node as usize];
                RemovalStep {
                    node: NodeRef { id: n.id.clone(), caption: n.caption.clone() },
                    kind: n.kind,
                    degree: step.degree,
                    after: snapshot(&step.after),
                }
            })
            .collect(),
    })
}

/// The network over time: fixed windows of days over the links' observation dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRequest {
    /// Which network (seeds, types, period, size).
    pub network: NetworkRequest,
    /// Length of each window in days (e.g. 91 for quarters).
    pub window_days: i64,
    /// An entity whose departure to explain: who took over its links and its brokerage.
    pub replaced: Option<String>,
}

/// A node named in a timeline answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeRef {
    /// Node id.
    pub id: String,
    /// Caption.
    pub caption: String,
}

/// The network in one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineWindow {
    /// First day of the window (YYYY-MM-DD).
    pub start: String,
    /// Last day of the window.
    pub end: String,
    /// Nodes with a link observed in the window.
    pub nodes: usize,
    /// Distinct linked pairs.
    pub edges: usize,
    /// Links over possible links.
    pub density: f64,
    /// Freeman degree centralisation: how much the window's links hang on one node.
    pub degree_centralization: f64,
    /// Freeman betweenness centralisation: how much the window's paths run through one node.
    pub betweenness_centralization: f64,
    /// Connected components.
    pub components: usize,
    /// Share of nodes in the largest component.
    pub largest_share: f64,
    /// The broker of the window (highest betweenness).
    pub top_broker: Option<NodeRef>,
    /// Nodes new in this window.
    pub entered: Vec<NodeRef>,
    /// Nodes of the previous window absent from this one.
    pub left: Vec<NodeRef>,
}

/// A candidate successor of a node that left.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Successor {
    /// The candidate.
    pub node: NodeRef,
    /// Mean of the two shares below, 0 to 1.
    pub score: f64,
    /// Former contacts of the departed node the candidate newly links to.
    pub contacts_taken: usize,
    /// Those contacts over all the departed node's contacts.
    pub contacts_share: f64,
    /// The candidate's gain in betweenness over the departed node's betweenness (at most 1).
    pub brokerage_share: f64,
}

/// Who took over after a node left.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Departure {
    /// The node that left.
    pub node: NodeRef,
    /// The last window it was in (index into `windows`).
    pub last_window: usize,
    /// Candidates, best first.
    pub successors: Vec<Successor>,
}

/// The network over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineAnswer {
    /// Window length in days.
    pub window_days: i64,
    /// The windows, oldest first.
    pub windows: Vec<TimelineWindow>,
    /// When asked: who replaced the departed node.
    pub departure: Option<Departure>,
}

/// Most windows one timeline may have.
pub const MAX_WINDOWS: usize = 400;

/// YYYY-MM-DD of a day number.
fn day_date(day: i64) -> String {
    let (y, m, d) = tessera_model::time::civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The network the request describes, cut into windows of days.
pub(crate) fn timeline(
    conn: &Connection,
    viewer: &Viewer,
    request: &TimelineRequest,
) -> Result<TimelineAnswer, StoreError> {
    if !(1..=3660).contains(&request.window_days) {
        return Err(StoreError::Invalid("window must be between 1 and 3660 days".into()));
    }
    let network = built(conn, viewer, &request.network, false)?;
    let captions: HashMap<&str, &str> = network.nodes.iter().map(|n| (n.id.as_str(), n.caption.as_str())).collect();
    let mut list = tessera_graph::EdgeList::new();
    for n in &network.nodes {
        list.node(&n.id);
    }
    for e in &network.edges {
        let (a, b) = (list.node(&e.source), list.node(&e.target));
        for day in e.observed.iter().filter_map(|d| tessera_model::time::day_number(d.as_str())) {
            list.edges.push(tessera_graph::Edge {
                source: a,
                target: b,
                weight: e.weight,
                kind: None,
                time: Some(day),
            });
        }
    }
    if list.edges.is_empty() {
        return Ok(TimelineAnswer { window_days: request.window_days, windows: Vec::new(), departure: None });
    }
    let timeline = tessera_graph::timeline::Timeline::from_windows(&list, request.window_days, None, MAX_WINDOWS)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let names = timeline.names();
    let node_ref = |id: u32| {
        let name = names[id as usize].as_str();
        NodeRef { id: name.to_string(), caption: captions.get(name).copied().unwrap_or(name).to_string() }
    };
    let threads = tessera_graph::centrality::default_threads();
    let windows = timeline
        .summaries(threads)
        .into_iter()
        .zip(timeline.windows())
        .map(|(summary, window)| {
            let (start, end) = window.span.unwrap_or((0, 1));
            TimelineWindow {
                start: day_date(start),
                end: day_date(end - 1),
                nodes: summary.nodes,
                edges: summary.edges,
                density: summary.density,
                degree_centralization: summary.degree_centralization,
                betweenness_centralization: summary.betweenness_centralization,
                components: summary.components,
                largest_share: summary.largest_share,
                top_broker: summary.top_betweenness.map(node_ref),
                entered: summary.entered.iter().map(|&v| node_ref(v)).collect(),
                left: summary.left.iter().map(|&v| node_ref(v)).collect(),
            }
        })
        .collect::<Vec<_>>();
    let departure = match &request.replaced {
        None => None,
        Some(entity) => {
            let node = network
                .nodes
                .iter()
                .find(|n| n.members.iter().any(|m| m == entity))
                .ok_or_else(|| StoreError::NotFound(format!("entity {entity} is not in this network")))?;
            let id = timeline.id(&node.id).ok_or_else(|| {
                StoreError::Invalid(format!("{entity} has no dated link, so it never enters a window"))
            })?;
            let present: Vec<bool> = timeline.windows().iter().map(|w| w.local(id).is_some()).collect();
            let last = present.iter().rposition(|&p| p).unwrap_or(0);
            if last + 1 >= present.len() {
                return Err(StoreError::Invalid(format!(
                    "{entity} is still present in the last window; nobody has replaced it yet"
                )));
            }
            let successors = timeline
                .replacements(last, id, threads)
                .map_err(|e| StoreError::Invalid(e.to_string()))?
                .into_iter()
                .take(10)
                .map(|r| Successor {
                    node: node_ref(r.node),
                    score: r.score,
                    contacts_taken: r.contacts_taken,
                    contacts_share: r.contacts_share,
                    brokerage_share: r.brokerage_share,
                })
                .collect();
            Some(Departure { node: node_ref(id), last_window: last, successors })
        }
    };
    Ok(TimelineAnswer { window_days: request.window_days, windows, departure })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_by_form_and_range() {
        for ok in ["2024", "2024-03", "2024-03-07", "1999-12-31"] {
            assert!(is_date_prefix(ok), "{ok}");
        }
        for bad in ["", "24", "2024-13", "2024-3-07", "2024-03-32", "2024/03/07", "abcd", "2024-00"] {
            assert!(!is_date_prefix(bad), "{bad}");
        }
    }

    #[test]
    fn the_window_counts_whole_months_and_years() {
        let request =
            NetworkRequest { from: Some("2024-03".into()), until: Some("2024".into()), ..NetworkRequest::default() };
        assert!(request.check().is_ok());
        assert!(request.admits(LinkType::Paid, "2024-03-01"));
        assert!(request.admits(LinkType::Paid, "2024-12-31T23:00:00Z"));
        assert!(!request.admits(LinkType::Paid, "2024-02-29"));
        assert!(!request.admits(LinkType::Paid, "2025-01-01"));
        let typed = NetworkRequest { link_types: vec![LinkType::Family], ..NetworkRequest::default() };
        assert!(typed.admits(LinkType::Family, "2020-01-01"));
        assert!(!typed.admits(LinkType::Paid, "2020-01-01"));
    }

    #[test]
    fn bad_requests_name_the_field() {
        let err = |r: NetworkRequest| r.check().unwrap_err().to_string();
        assert!(err(NetworkRequest { from: Some("March".into()), ..Default::default() }).contains("from"));
        assert!(err(NetworkRequest { depth: 9, ..Default::default() }).contains("depth"));
        assert!(err(NetworkRequest { max_nodes: 0, ..Default::default() }).contains("limit"));
        assert!(
            err(NetworkRequest { from: Some("2025".into()), until: Some("2024".into()), ..Default::default() })
                .contains("after")
        );
    }

    #[test]
    fn each_agency_counts_once_and_agencies_corroborate() {
        let (one, n) = combined_weight([("NCA", 0.5), ("NCA", 0.6)].into_iter());
        assert_eq!(n, 1);
        assert!((one - 0.6).abs() < 1e-12, "the best statement of an agency stands for it");
        let (two, n) = combined_weight([("NCA", 0.6), ("BF", 0.5)].into_iter());
        assert_eq!(n, 2);
        assert!((two - 0.8).abs() < 1e-12, "1 - 0.4 * 0.5");
        assert!(two > one, "a second agency strengthens the link");
    }

    #[test]
    fn confidence_orders_gradings() {
        let g = |source, intelligence| Grading::uk(source, intelligence, tessera_model::Handling::Permitted);
        let best = statement_confidence(&g(SourceEvaluation::Reliable, IntelligenceAssessment::KnownDirectly));
        let middle = statement_confidence(&g(SourceEvaluation::Untested, IntelligenceAssessment::KnownIndirectly));
        let worst = statement_confidence(&g(SourceEvaluation::NotReliable, IntelligenceAssessment::SuspectedFalse));
        assert!(best > middle && middle > worst && worst > 0.0);
        assert!(best <= 1.0);
    }
}
