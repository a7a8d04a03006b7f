//! How a network changes over time: the network in successive windows
//! (given phases, such as CAVIAR's eleven wiretap periods, or fixed-length
//! windows cut from timed links), a summary of each (size, who entered and
//! who left, density, Freeman centralisation, largest component), and who
//! took over the role of a key player who disappeared.
//!
//! A node is *present* in a window when it has at least one link there.
//! Nodes are matched across windows by name.
//!
//! Centralisation (Freeman 1979) compares every node with the most central
//! one, scaled by the largest value any graph of that size reaches (a star):
//! degree Σ(d* − dᵢ) / ((n − 1)(n − 2)); betweenness Σ(b* − bᵢ) / (n − 1)
//! with bᵢ normalised by (n − 1)(n − 2)/2 (pairs counted once). Both are 0
//! for fewer than three nodes. Degrees count neighbours (weights ignored).
//!
//! Replacement: when `x` is present in window t and a successor window t+1
//! follows, each node `y` of t+1 (other than `x`) is scored by how much of
//! `x`'s role it holds in t+1 that it did not hold in t:
//!
//! - *contacts taken over*: the share of `x`'s neighbours in t that `y` is
//!   linked to in t+1 but was not linked to in t;
//! - *brokerage taken over*: `y`'s gain in normalised betweenness from t to
//!   t+1 (0 in t when absent), as a fraction of `x`'s normalised betweenness
//!   in t, clipped to [0, 1] (0 when `x` brokered nothing);
//!
//! and the score is the mean of the two, in [0, 1]. Ties go to the larger
//! betweenness gain, then to the node seen first.

use std::collections::HashMap;

use crate::centrality::betweenness;
use crate::csr::Graph;
use crate::edges::EdgeList;

/// Why a timeline could not be built or queried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TimelineError(pub String);

/// The network in one window.
#[derive(Debug, Clone)]
pub struct Window {
    /// A name for the window (a phase's file name, or `start..end`).
    pub label: String,
    /// For fixed-length windows, the first time in it and the first time after it.
    pub span: Option<(i64, i64)>,
    /// Timeline node id of each of the window's nodes (its local ids), increasing.
    pub nodes: Vec<u32>,
    /// The undirected network among the window's nodes, in local ids.
    pub graph: Graph,
}

impl Window {
    /// The local id of a timeline node, if present in this window.
    pub fn local(&self, node: u32) -> Option<u32> {
        self.nodes.binary_search(&node).ok().map(|i| i as u32)
    }
}

/// A sequence of windows over one set of node names.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    names: Vec<String>,
    index: HashMap<String, u32>,
    windows: Vec<Window>,
}

/// What one window looks like, and how it differs from the one before.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSummary {
    /// Nodes present.
    pub nodes: usize,
    /// Undirected links.
    pub edges: usize,
    /// Links over possible links, 2m / (n(n − 1)).
    pub density: f64,
    /// Freeman degree centralisation.
    pub degree_centralization: f64,
    /// Freeman betweenness centralisation.
    pub betweenness_centralization: f64,
    /// Connected components.
    pub components: usize,
    /// Nodes in the largest component.
    pub largest_component: usize,
    /// `largest_component / nodes` (0 for an empty window).
    pub largest_share: f64,
    /// The node with the highest betweenness (timeline id; the first one on ties), if any node is present.
    pub top_betweenness: Option<u32>,
    /// Nodes present here but not in the previous window (timeline ids; empty for the first window).
    pub entered: Vec<u32>,
    /// Nodes present in the previous window but not here (empty for the first window).
    pub left: Vec<u32>,
}

/// A candidate successor of a node that left, with the evidence for its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Replacement {
    /// The candidate (timeline id).
    pub node: u32,
    /// Mean of `contacts_share` and `brokerage_share`, in [0, 1].
    pub score: f64,
    /// Former neighbours of the node that left, newly linked to the candidate.
    pub contacts_taken: usize,
    /// `contacts_taken` over the departed node's neighbour count.
    pub contacts_share: f64,
    /// Normalised betweenness in the earlier window (0 if absent).
    pub betweenness_before: f64,
    /// Normalised betweenness in the later window.
    pub betweenness_after: f64,
    /// The gain as a fraction of the departed node's betweenness, clipped to [0, 1].
    pub brokerage_share: f64,
}

impl Timeline {
    /// A timeline of given phases, each an edge list with its label (node names matched across phases).
    pub fn from_phases(phases: Vec<(String, EdgeList)>) -> Timeline {
        let mut timeline = Timeline::default();
        for (label, list) in phases {
            let links: Vec<(u32, u32, f64)> =
                list.edges.iter().map(|e| (e.source, e.target, e.weight)).filter(|l| l.0 != l.1).collect();
            let ids: Vec<u32> = list.names().iter().map(|name| timeline.intern(name)).collect();
            timeline.push(label, None, links.into_iter().map(|(a, b, w)| (ids[a as usize], ids[b as usize], w)));
        }
        timeline
    }

    /// Fixed-length windows `[start + i·length, start + (i+1)·length)` over the timed links of a list,
    /// from `start` (default: the earliest time) until the latest time. Links without a time are left
    /// out. Refused when `length` is not positive, no link has a time, or more than `max_windows`
    /// windows would be needed.
    pub fn from_windows(
        list: &EdgeList,
        length: i64,
        start: Option<i64>,
        max_windows: usize,
    ) -> Result<Timeline, TimelineError> {
        if length <= 0 {
            return Err(TimelineError(format!("the window length must be positive, not {length}")));
        }
        let times = list.edges.iter().filter_map(|e| e.time);
        let (Some(first), Some(last)) = (times.clone().min(), times.max()) else {
            return Err(TimelineError("no link has a time, so the links cannot be cut into windows".into()));
        };
        let start = start.unwrap_or(first);
        if last < start {
            return Err(TimelineError(format!("every link is before the start {start} (the last is at {last})")));
        }
        let count = (i128::from(last) - i128::from(start)) / i128::from(length) + 1;
        if count > max_windows as i128 {
            let message = format!("{count} windows of length {length} would be needed (at most {max_windows})");
            return Err(TimelineError(message));
        }
        let count = count as usize;
        let mut buckets: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); count];
        for e in &list.edges {
            let Some(t) = e.time else { continue };
            if t < start || e.source == e.target {
                continue;
            }
            let i = ((i128::from(t) - i128::from(start)) / i128::from(length)) as usize;
            buckets[i].push((e.source, e.target, e.weight));
        }
        let mut timeline = Timeline::default();
        let ids: Vec<u32> = list.names().iter().map(|name| timeline.intern(name)).collect();
        for (i, links) in buckets.into_iter().enumerate() {
            let from = i128::from(start) + i as i128 * i128::from(length);
            let clamp = |x: i128| x.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
            let span = (clamp(from), clamp(from + i128::from(length)));
            let label = format!("{}..{}", span.0, span.1);
            timeline.push(label, Some(span), links.into_iter().map(|(a, b, w)| (ids[a as usize], ids[b as usize], w)));
        }
        Ok(timeline)
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), id);
        id
    }

    fn push(&mut self, label: String, span: Option<(i64, i64)>, links: impl Iterator<Item = (u32, u32, f64)>) {
        let links: Vec<(u32, u32, f64)> = links.collect();
        let mut nodes: Vec<u32> = links.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        nodes.sort_unstable();
        nodes.dedup();
        let local = |v: u32| nodes.binary_search(&v).expect("a node of the window") as u32;
        let arcs: Vec<(u32, u32, f64)> = links.iter().map(|&(a, b, w)| (local(a), local(b), w)).collect();
        let graph = Graph::from_arcs(nodes.len(), arcs.into_iter());
        self.windows.push(Window { label, span, nodes, graph });
    }

    /// Node names, indexed by timeline id.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The timeline id of a node name.
    pub fn id(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The windows, in order.
    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// A summary of every window (betweenness over `threads` threads).
    pub fn summaries(&self, threads: usize) -> Vec<WindowSummary> {
        let mut out: Vec<WindowSummary> = Vec::with_capacity(self.windows.len());
        for (i, w) in self.windows.iter().enumerate() {
            let g = &w.graph;
            let n = g.node_count();
            let degrees: Vec<f64> = (0..n as u32).map(|v| g.degree(v) as f64).collect();
            let between = normalised_betweenness(g, threads);
            let (components, largest) = components(g);
            let top = (0..n).fold(None, |best: Option<usize>, v| match best {
                Some(b) if between[b] >= between[v] => Some(b),
                _ => Some(v),
            });
            let (entered, left) = match i.checked_sub(1).map(|p| &self.windows[p]) {
                Some(previous) => (difference(&w.nodes, &previous.nodes), difference(&previous.nodes, &w.nodes)),
                None => (Vec::new(), Vec::new()),
            };
            let nf = n as f64;
            out.push(WindowSummary {
                nodes: n,
                edges: g.edge_count(),
                density: if n < 2 { 0.0 } else { 2.0 * g.edge_count() as f64 / (nf * (nf - 1.0)) },
                degree_centralization: if n < 3 { 0.0 } else { spread(&degrees) / ((nf - 1.0) * (nf - 2.0)) },
                betweenness_centralization: if n < 3 { 0.0 } else { spread(&between) / (nf - 1.0) },
                components,
                largest_component: largest,
                largest_share: if n == 0 { 0.0 } else { largest as f64 / nf },
                top_betweenness: top.map(|v| w.nodes[v]),
                entered,
                left,
            });
        }
        out
    }

    /// Who took over the role of `node` between window `window` and the next one (see the module
    /// documentation), best first. Refused when `window` has no successor or `node` is absent from it.
    pub fn replacements(&self, window: usize, node: u32, threads: usize) -> Result<Vec<Replacement>, TimelineError> {
        let (Some(before), Some(after)) = (self.windows.get(window), self.windows.get(window + 1)) else {
            return Err(TimelineError(format!("window {} has no next window", window + 1)));
        };
        let name = self.names.get(node as usize).map_or("?", String::as_str);
        let Some(x) = before.local(node) else {
            return Err(TimelineError(format!("{name:?} is not in window {:?}", before.label)));
        };
        let between_before = normalised_betweenness(&before.graph, threads);
        let between_after = normalised_betweenness(&after.graph, threads);
        let x_between = between_before[x as usize];
        let former: Vec<u32> = before.graph.neighbors(x).iter().map(|&v| before.nodes[v as usize]).collect();
        let mut out = Vec::new();
        for (local, &y) in after.nodes.iter().enumerate() {
            if y == node {
                continue;
            }
            let was = before.local(y);
            let linked_before = |z: u32| {
                was.zip(before.local(z)).is_some_and(|(a, b)| before.graph.neighbors(a).binary_search(&b).is_ok())
            };
            let now: Vec<u32> = after.graph.neighbors(local as u32).iter().map(|&v| after.nodes[v as usize]).collect();
            let taken = former.iter().filter(|&&z| now.binary_search(&z).is_ok() && !linked_before(z)).count();
            let contacts_share = if former.is_empty() { 0.0 } else { taken as f64 / former.len() as f64 };
            let b0 = was.map_or(0.0, |a| between_before[a as usize]);
            let b1 = between_after[local];
            let brokerage_share = if x_between > 0.0 { ((b1 - b0) / x_between).clamp(0.0, 1.0) } else { 0.0 };
            out.push(Replacement {
                node: y,
                score: 0.5 * (contacts_share + brokerage_share),
                contacts_taken: taken,
                contacts_share,
                betweenness_before: b0,
                betweenness_after: b1,
                brokerage_share,
            });
        }
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(
                    (b.betweenness_after - b.betweenness_before)
                        .total_cmp(&(a.betweenness_after - a.betweenness_before)),
                )
                .then(a.node.cmp(&b.node))
        });
        Ok(out)
    }
}

/// Betweenness divided by (n − 1)(n − 2)/2, the most a node can have (0 for fewer than three nodes).
fn normalised_betweenness(graph: &Graph, threads: usize) -> Vec<f64> {
    let n = graph.node_count();
    if n < 3 {
        return vec![0.0; n];
    }
    let scale = (n as f64 - 1.0) * (n as f64 - 2.0) / 2.0;
    betweenness(graph, threads).into_iter().map(|b| b / scale).collect()
}

/// Σ (max − xᵢ).
fn spread(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    values.iter().map(|x| max - x).sum()
}

/// Number of connected components and the size of the largest.
fn components(graph: &Graph) -> (usize, usize) {
    let n = graph.node_count();
    let mut seen = vec![false; n];
    let (mut count, mut largest) = (0, 0);
    let mut stack = Vec::new();
    for s in 0..n as u32 {
        if seen[s as usize] {
            continue;
        }
        seen[s as usize] = true;
        stack.push(s);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for &u in graph.neighbors(v) {
                if !seen[u as usize] {
                    seen[u as usize] = true;
                    stack.push(u);
                }
            }
        }
        count += 1;
        largest = largest.max(size);
    }
    (count, largest)
}

/// Elements of sorted `a` not in sorted `b`.
fn difference(a: &[u32], b: &[u32]) -> Vec<u32> {
    a.iter().copied().filter(|x| b.binary_search(x).is_err()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edges::Edge;
    use proptest::prelude::*;

    fn phase(pairs: &[(&str, &str)]) -> EdgeList {
        let mut list = EdgeList::new();
        for (a, b) in pairs {
            list.add(a, b, 1.0);
        }
        list
    }

    #[test]
    fn a_star_is_fully_centralised_and_a_cycle_not_at_all() {
        let star = phase(&[("h", "a"), ("h", "b"), ("h", "c"), ("h", "d")]);
        let ring = phase(&[("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]);
        let timeline = Timeline::from_phases(vec![("star".into(), star), ("ring".into(), ring)]);
        let s = timeline.summaries(1);
        assert_eq!((s[0].nodes, s[0].edges, s[0].components, s[0].largest_component), (5, 4, 1, 5));
        assert!((s[0].degree_centralization - 1.0).abs() < 1e-12);
        assert!((s[0].betweenness_centralization - 1.0).abs() < 1e-12);
        assert!((s[0].density - 0.4).abs() < 1e-12);
        assert_eq!(s[0].top_betweenness, timeline.id("h"));
        assert_eq!((s[1].degree_centralization, s[1].betweenness_centralization), (0.0, 0.0));
        assert_eq!(s[1].left, [timeline.id("h").unwrap()]);
        assert!(s[1].entered.is_empty() && s[0].entered.is_empty());
    }

    #[test]
    fn a_path_of_four_by_hand() {
        // a–b–c–d: degrees 1,2,2,1: Σ(2 − d) = 2, over 3·2 = 1/3. Betweenness b, c: 2 each of a
        // possible 3, so normalised 2/3; Σ(2/3 − bᵢ) = 4/3, over 3 = 4/9.
        let t = Timeline::from_phases(vec![("p".into(), phase(&[("a", "b"), ("b", "c"), ("c", "d")]))]);
        let s = &t.summaries(2)[0];
        assert!((s.degree_centralization - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.betweenness_centralization - 4.0 / 9.0).abs() < 1e-12);
        assert!((s.density - 0.5).abs() < 1e-12);
    }

    #[test]
    fn fixed_windows_split_timed_links_and_report_arrivals_and_departures() {
        let mut list = EdgeList::new();
        for (a, b, t) in [("a", "b", 0), ("b", "c", 9), ("c", "d", 10), ("d", "e", 25), ("x", "y", -5)] {
            let (source, target) = (list.node(a), list.node(b));
            list.edges.push(Edge { source, target, weight: 1.0, kind: None, time: Some(t) });
        }
        let (source, target) = (list.node("q"), list.node("r"));
        list.edges.push(Edge { source, target, weight: 1.0, kind: None, time: None });
        let t = Timeline::from_windows(&list, 10, Some(0), 100).unwrap();
        let labels: Vec<&str> = t.windows().iter().map(|w| w.label.as_str()).collect();
        assert_eq!(labels, ["0..10", "10..20", "20..30"]);
        let s = t.summaries(1);
        assert_eq!(s.iter().map(|w| w.nodes).collect::<Vec<_>>(), [3, 2, 2]);
        let names = |ids: &[u32]| ids.iter().map(|&v| t.names()[v as usize].clone()).collect::<Vec<_>>();
        assert_eq!((names(&s[1].entered), names(&s[1].left)), (vec!["d".to_string()], vec!["a".into(), "b".into()]));
        assert_eq!(names(&s[2].entered), ["e"]);
        assert_eq!(Timeline::from_windows(&list, 10, None, 100).unwrap().windows()[0].label, "-5..5");
        assert!(Timeline::from_windows(&list, 0, None, 100).is_err());
        assert!(Timeline::from_windows(&list, 1, Some(i64::MIN), 100).unwrap_err().0.contains("windows"));
        assert!(Timeline::from_windows(&list, 10, Some(26), 100).is_err());
        assert!(Timeline::from_windows(&phase(&[("a", "b")]), 10, None, 100).is_err());
    }

    #[test]
    fn the_deputy_who_inherits_the_contacts_ranks_first() {
        // Window 1: boss k brokers between two cells {a, b} and {c, d}; deputy z hangs off a.
        // Window 2: k is gone; z now links a and c (and k's contacts b and d).
        let before = phase(&[("k", "a"), ("k", "b"), ("k", "c"), ("k", "d"), ("a", "b"), ("c", "d"), ("z", "a")]);
        let after = phase(&[("z", "a"), ("z", "c"), ("z", "b"), ("a", "b"), ("c", "d"), ("d", "q")]);
        let t = Timeline::from_phases(vec![("1".into(), before), ("2".into(), after)]);
        let k = t.id("k").unwrap();
        let ranking = t.replacements(0, k, 1).unwrap();
        let first = &ranking[0];
        assert_eq!(t.names()[first.node as usize], "z");
        // k's neighbours a, b, c, d: z was linked to a before, so it took over b and c.
        assert_eq!(first.contacts_taken, 2);
        assert!((first.contacts_share - 0.5).abs() < 1e-12);
        assert!(first.brokerage_share > 0.0 && first.score > ranking[1].score);
        assert!(ranking.iter().all(|r| r.node != k && (0.0..=1.0).contains(&r.score)));
        assert_eq!(ranking.len(), t.windows()[1].nodes.len());
        assert!(t.replacements(1, k, 1).is_err());
        assert!(t.replacements(0, t.id("q").unwrap(), 1).is_err());
    }

    proptest! {
        #[test]
        fn a_node_is_in_a_window_exactly_when_it_has_a_link_there(
            links in proptest::collection::vec((0u32..6, 0u32..6, -20i64..40), 1..30),
            length in 1i64..15,
        ) {
            let mut list = EdgeList::new();
            for &(a, b, t) in &links {
                let (source, target) = (list.node(&a.to_string()), list.node(&b.to_string()));
                list.edges.push(Edge { source, target, weight: 1.0, kind: None, time: Some(t) });
            }
            let timeline = Timeline::from_windows(&list, length, None, 1000).unwrap();
            let first = links.iter().map(|l| l.2).min().unwrap();
            let summaries = timeline.summaries(1);
            for (i, w) in timeline.windows().iter().enumerate() {
                let (from, to) = w.span.unwrap();
                prop_assert_eq!((from, to), (first + i as i64 * length, first + (i as i64 + 1) * length));
                let inside = |t: i64| (from..to).contains(&t);
                for (id, name) in timeline.names().iter().enumerate() {
                    let v: u32 = name.parse().unwrap();
                    let linked = links.iter().any(|&(a, b, t)| a != b && (a == v || b == v) && inside(t));
                    prop_assert_eq!(w.local(id as u32).is_some(), linked);
                }
                let s = &summaries[i];
                prop_assert!((0.0..=1.0 + 1e-12).contains(&s.degree_centralization));
                prop_assert!((0.0..=1.0 + 1e-12).contains(&s.betweenness_centralization));
                prop_assert!(s.largest_component <= s.nodes && s.components <= s.nodes);
            }
            prop_assert!(links.iter().all(|l| l.2 < first + timeline.windows().len() as i64 * length));
        }
    }
}
