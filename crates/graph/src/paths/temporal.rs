//! Time-respecting ("time-ordered") paths: a chain of links in which each
//! hop happens no earlier than the one before (a call from A to B, then one
//! from B to C, can carry an instruction from A to C; the reverse order
//! cannot). The answer lists, per hop, the link of the edge list it uses,
//! so a caller can show the statements behind it.
//!
//! One search serves both objectives. Level k holds, for every node, the
//! earliest time it can be reached in at most k hops (Bellman–Ford over
//! hops): reaching a node earlier never rules out a continuation, so that
//! one time per node and level is enough. Only nodes improved at level k − 1
//! are expanded at level k, scanning their links from their arrival time on
//! (links sorted by time per node). Fewest hops stops at the first level
//! that reaches the target (the earliest arrival among those paths);
//! earliest arrival runs until nothing improves and returns the fewest hops
//! among the earliest-arriving paths. Cost: O(L · m) at worst for L levels,
//! and L < n.

use crate::edges::{EdgeList, Filter};

use super::linked::kept_links;

/// What a time-respecting path minimises first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeObjective {
    /// Arrive as early as possible; fewest hops among those.
    EarliestArrival,
    /// Fewest hops; earliest arrival among those.
    FewestHops,
}

/// How a time-respecting path may be built.
#[derive(Debug, Clone, Default)]
pub struct TimeOrder {
    /// Follow links only from source to target (calls, payments); otherwise both ways.
    pub directed: bool,
    /// Require each hop strictly later than the previous one (otherwise equal times may chain).
    pub strict: bool,
    /// Leave the start no earlier than this time.
    pub depart: Option<i64>,
    /// Which links may be used (types, time window); links without a time are never used.
    pub filter: Filter,
}

/// A time-respecting path: nodes, and the link used for each hop.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedPath {
    /// Nodes from start to end.
    pub nodes: Vec<u32>,
    /// For hop i (`nodes[i]` to `nodes[i + 1]`), its index into [`EdgeList::edges`].
    pub links: Vec<usize>,
    /// For hop i, the time of its link (non-decreasing; increasing when strict).
    pub times: Vec<i64>,
}

impl TimedPath {
    /// Time of the last hop (`None` for the empty path from a node to itself).
    pub fn arrival(&self) -> Option<i64> {
        self.times.last().copied()
    }
}

/// One arc of the time index: the link, its time and the node it leads to.
#[derive(Debug, Clone, Copy)]
struct Arc {
    time: i64,
    to: u32,
    link: u32,
}

/// A node's improvement: at `level`, reached through `link` from `prev`.
#[derive(Debug, Clone, Copy)]
struct Reached {
    level: u32,
    link: u32,
    prev: u32,
}

/// A time-respecting path from `from` to `to` under `order`, minimising
/// `objective`, or `None` when none exists. Node ids must be below the
/// list's node count. Ties between equally good paths go to the links met
/// first (by time, then input order).
pub fn time_respecting_path(
    list: &EdgeList,
    from: u32,
    to: u32,
    order: &TimeOrder,
    objective: TimeObjective,
) -> Option<TimedPath> {
    if from == to {
        return Some(TimedPath { nodes: vec![from], links: Vec::new(), times: Vec::new() });
    }
    let n = list.node_count();
    let (offsets, arcs) = time_index(list, order);
    let mut best: Vec<Option<i64>> = vec![None; n];
    let mut history: Vec<Vec<Reached>> = vec![Vec::new(); n];
    let start = order.depart.unwrap_or(i64::MIN);
    best[from as usize] = Some(start);
    let mut changed: Vec<(u32, i64)> = vec![(from, start)];
    let mut stamp = vec![u32::MAX; n];
    let mut found = false;
    for level in 1..=n as u32 {
        let mut next: Vec<u32> = Vec::new();
        for &(u, arrival) in &changed {
            let row = &arcs[offsets[u as usize]..offsets[u as usize + 1]];
            let first = if order.strict && u != from {
                row.partition_point(|a| a.time <= arrival)
            } else {
                row.partition_point(|a| a.time < arrival)
            };
            for arc in &row[first..] {
                let v = arc.to;
                if v == from || best[v as usize].is_some_and(|b| b <= arc.time) {
                    continue;
                }
                best[v as usize] = Some(arc.time);
                let entry = Reached { level, link: arc.link, prev: u };
                let past = &mut history[v as usize];
                if stamp[v as usize] == level {
                    *past.last_mut().expect("an entry at this level") = entry;
                } else {
                    past.push(entry);
                    stamp[v as usize] = level;
                    next.push(v);
                }
            }
        }
        if best[to as usize].is_some() {
            found = true;
            if objective == TimeObjective::FewestHops {
                break;
            }
        }
        if next.is_empty() {
            break;
        }
        changed = next.into_iter().map(|v| (v, best[v as usize].expect("improved nodes are reached"))).collect();
    }
    found.then(|| trace(list, &history, from, to))
}

/// Arcs of the usable links, grouped by the node they leave from, sorted by time then link.
fn time_index(list: &EdgeList, order: &TimeOrder) -> (Vec<usize>, Vec<Arc>) {
    let n = list.node_count();
    let mut arcs: Vec<(u32, Arc)> = Vec::new();
    for i in kept_links(list, &order.filter) {
        let e = &list.edges[i];
        let Some(time) = e.time else { continue };
        if e.source == e.target || order.depart.is_some_and(|d| time < d) {
            continue;
        }
        arcs.push((e.source, Arc { time, to: e.target, link: i as u32 }));
        if !order.directed {
            arcs.push((e.target, Arc { time, to: e.source, link: i as u32 }));
        }
    }
    arcs.sort_unstable_by_key(|&(from, a)| (from, a.time, a.link, a.to));
    let mut offsets = vec![0usize; n + 1];
    for &(from, _) in &arcs {
        offsets[from as usize + 1] += 1;
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    (offsets, arcs.into_iter().map(|(_, a)| a).collect())
}

/// Follows the improvements back from the target's last one.
fn trace(list: &EdgeList, history: &[Vec<Reached>], from: u32, to: u32) -> TimedPath {
    let mut nodes = vec![to];
    let mut links = Vec::new();
    let mut v = to;
    let mut level = u32::MAX;
    while v != from {
        let past = &history[v as usize];
        let at = past.partition_point(|r| r.level <= level);
        let step = past[at - 1];
        links.push(step.link as usize);
        nodes.push(step.prev);
        v = step.prev;
        level = step.level - 1;
    }
    nodes.reverse();
    links.reverse();
    let times = links.iter().map(|&i| list.edges[i].time.expect("timed links only")).collect();
    TimedPath { nodes, links, times }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edges::Edge;
    use proptest::prelude::*;

    fn timed(links: &[(&str, &str, i64)]) -> EdgeList {
        let mut list = EdgeList::new();
        for &(a, b, t) in links {
            let (source, target) = (list.node(a), list.node(b));
            list.edges.push(Edge { source, target, weight: 1.0, kind: None, time: Some(t) });
        }
        list
    }

    fn path(list: &EdgeList, from: &str, to: &str, order: &TimeOrder, objective: TimeObjective) -> Option<TimedPath> {
        time_respecting_path(list, list.id(from).unwrap(), list.id(to).unwrap(), order, objective)
    }

    fn names(list: &EdgeList, p: &TimedPath) -> Vec<String> {
        p.nodes.iter().map(|&v| list.names()[v as usize].clone()).collect()
    }

    #[test]
    fn hops_must_not_go_back_in_time() {
        // a–b at 5, b–c at 3: the static path a–b–c is not time-respecting; a–d–e–c is.
        let list = timed(&[("a", "b", 5), ("b", "c", 3), ("a", "d", 1), ("d", "e", 2), ("e", "c", 4)]);
        let order = TimeOrder::default();
        let p = path(&list, "a", "c", &order, TimeObjective::FewestHops).unwrap();
        assert_eq!(names(&list, &p), ["a", "d", "e", "c"]);
        assert_eq!(p.links, [2, 3, 4]);
        assert_eq!((p.times.clone(), p.arrival()), (vec![1, 2, 4], Some(4)));
        // From c back to a: c–b at 3 then b–a at 5 works.
        let back = path(&list, "c", "a", &order, TimeObjective::FewestHops).unwrap();
        assert_eq!((names(&list, &back), back.links), (vec!["c".to_string(), "b".into(), "a".into()], vec![1, 0]));
    }

    #[test]
    fn earliest_arrival_and_fewest_hops_can_differ() {
        // Direct a–c late (at 10), or a–b–c early (1, 2).
        let list = timed(&[("a", "c", 10), ("a", "b", 1), ("b", "c", 2)]);
        let order = TimeOrder::default();
        let fewest = path(&list, "a", "c", &order, TimeObjective::FewestHops).unwrap();
        assert_eq!((fewest.links.clone(), fewest.arrival()), (vec![0], Some(10)));
        let earliest = path(&list, "a", "c", &order, TimeObjective::EarliestArrival).unwrap();
        assert_eq!((earliest.links.clone(), earliest.arrival()), (vec![1, 2], Some(2)));
        // Departing at 2 or later, only the direct link remains.
        let late = TimeOrder { depart: Some(2), ..TimeOrder::default() };
        assert_eq!(path(&list, "a", "c", &late, TimeObjective::EarliestArrival).unwrap().links, [0]);
    }

    #[test]
    fn equal_times_chain_unless_strict_and_direction_counts_when_directed() {
        let list = timed(&[("b", "c", 5), ("a", "b", 5)]);
        let p = path(&list, "a", "c", &TimeOrder::default(), TimeObjective::EarliestArrival).unwrap();
        assert_eq!(p.links, [1, 0]);
        let strict = TimeOrder { strict: true, ..TimeOrder::default() };
        assert_eq!(path(&list, "a", "c", &strict, TimeObjective::EarliestArrival), None);
        let directed = TimeOrder { directed: true, ..TimeOrder::default() };
        assert!(path(&list, "a", "c", &directed, TimeObjective::FewestHops).is_some());
        assert_eq!(path(&list, "c", "a", &directed, TimeObjective::FewestHops), None);
        assert_eq!(path(&list, "a", "a", &directed, TimeObjective::FewestHops).unwrap().nodes.len(), 1);
    }

    #[test]
    fn untimed_and_filtered_links_are_not_used() {
        let mut list = timed(&[("a", "b", 1)]);
        let (b, c) = (list.node("b"), list.node("c"));
        let phone = Some(list.kind("phone"));
        list.edges.push(Edge { source: b, target: c, weight: 1.0, kind: phone, time: None });
        assert_eq!(path(&list, "a", "c", &TimeOrder::default(), TimeObjective::FewestHops), None);
        list.edges.push(Edge { source: b, target: c, weight: 1.0, kind: phone, time: Some(4) });
        assert_eq!(path(&list, "a", "c", &TimeOrder::default(), TimeObjective::FewestHops).unwrap().links, [0, 2]);
        let phones =
            TimeOrder { filter: Filter { types: vec!["phone".into()], ..Filter::default() }, ..Default::default() };
        assert_eq!(path(&list, "a", "c", &phones, TimeObjective::FewestHops), None);
    }

    /// Every time-respecting simple path by exhaustive search: (hops, arrival) of each.
    fn all_paths(list: &EdgeList, from: u32, to: u32, strict: bool) -> Vec<(usize, i64)> {
        fn go(
            list: &EdgeList,
            at: u32,
            to: u32,
            t: Option<i64>,
            strict: bool,
            seen: &mut Vec<u32>,
            out: &mut Vec<(usize, i64)>,
        ) {
            if at == to {
                out.push((seen.len() - 1, t.unwrap_or(i64::MIN)));
                return;
            }
            for e in &list.edges {
                let time = e.time.unwrap();
                for (x, y) in [(e.source, e.target), (e.target, e.source)] {
                    let ok = t.is_none_or(|t| if strict { time > t } else { time >= t });
                    if x == at && ok && !seen.contains(&y) {
                        seen.push(y);
                        go(list, y, to, Some(time), strict, seen, out);
                        seen.pop();
                    }
                }
            }
        }
        let mut out = Vec::new();
        go(list, from, to, None, strict, &mut vec![from], &mut out);
        out
    }

    proptest! {
        #[test]
        fn answers_are_valid_and_optimal(
            links in proptest::collection::vec((0u32..7, 0u32..7, 0i64..6), 0..14),
            strict in any::<bool>(),
        ) {
            let mut list = EdgeList::new();
            for v in 0..7 { list.node(&v.to_string()); }
            for &(a, b, t) in &links {
                list.edges.push(Edge { source: a, target: b, weight: 1.0, kind: None, time: Some(t) });
            }
            let order = TimeOrder { strict, ..TimeOrder::default() };
            let all = all_paths(&list, 0, 6, strict);
            for objective in [TimeObjective::FewestHops, TimeObjective::EarliestArrival] {
                let found = time_respecting_path(&list, 0, 6, &order, objective);
                prop_assert_eq!(found.is_some(), !all.is_empty());
                let Some(p) = found else { continue };
                prop_assert_eq!(p.nodes[0], 0);
                prop_assert_eq!(*p.nodes.last().unwrap(), 6);
                for (i, &link) in p.links.iter().enumerate() {
                    let e = &list.edges[link];
                    let (x, y) = (p.nodes[i], p.nodes[i + 1]);
                    prop_assert!((e.source, e.target) == (x, y) || (e.source, e.target) == (y, x));
                    prop_assert_eq!(Some(p.times[i]), e.time);
                }
                for w in p.times.windows(2) {
                    let ordered = if strict { w[1] > w[0] } else { w[1] >= w[0] };
                    prop_assert!(ordered, "times {:?}", p.times);
                }
                let got = (p.links.len(), p.arrival().unwrap());
                let best = match objective {
                    TimeObjective::FewestHops => all.iter().copied().min_by_key(|&(h, t)| (h, t)),
                    TimeObjective::EarliestArrival => all.iter().copied().min_by_key(|&(h, t)| (t, h)),
                };
                prop_assert_eq!(Some(got), best);
            }
        }
    }
}
