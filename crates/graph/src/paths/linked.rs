//! Paths over only some links (of given types, in a time window), whose hops
//! name the links behind them. An analyst asking "how are these two linked
//! by phone calls alone?" needs, for every hop, the links (and so the
//! statements and reports) that support it: the graph merges parallel links,
//! so each hop lists the indices of every kept link between its two nodes.

use std::collections::HashMap;

use super::{Length, PathFinder, k_shortest_paths};
use crate::csr::Graph;
use crate::edges::{Edge, EdgeList, Filter};

/// A path whose hops carry the links of the edge list that support them.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedPath {
    /// Nodes from start to end.
    pub nodes: Vec<u32>,
    /// Sum of link lengths (hops, or Σ 1/weight of the merged links).
    pub length: f64,
    /// For each hop (`nodes[i]` to `nodes[i + 1]`), the indices into
    /// [`EdgeList::edges`] of the kept links between those two nodes, in
    /// input order (either direction).
    pub links: Vec<Vec<usize>>,
}

/// Whether two edges are the same value (weights compared bit for bit, so
/// that even a NaN weight compares equal to itself).
fn same(a: &Edge, b: &Edge) -> bool {
    a.source == b.source
        && a.target == b.target
        && a.weight.to_bits() == b.weight.to_bits()
        && a.kind == b.kind
        && a.time == b.time
}

/// The indices into `list.edges` of the links `filter` keeps, in order.
///
/// [`EdgeList::filtered`] keeps a subsequence decided by each link's value
/// alone, so walking both lists together recovers exactly which ones.
pub fn kept_links(list: &EdgeList, filter: &Filter) -> Vec<usize> {
    let kept = list.filtered(filter);
    let mut out = Vec::with_capacity(kept.edges.len());
    let mut next = kept.edges.iter().peekable();
    for (i, e) in list.edges.iter().enumerate() {
        if next.peek().is_some_and(|k| same(k, e)) {
            out.push(i);
            next.next();
        }
    }
    out
}

/// Up to `k` shortest simple paths from `from` to `to` using only the links
/// `filter` keeps (link types, time window), shortest first, each hop with
/// its links. `k = 1` with [`Length::Hops`] uses the bidirectional search;
/// otherwise Yen's algorithm on Dijkstra. Node ids must be below the list's
/// node count.
pub fn filtered_paths(
    list: &EdgeList,
    filter: &Filter,
    from: u32,
    to: u32,
    k: usize,
    length: Length,
) -> Vec<LinkedPath> {
    let kept = kept_links(list, filter);
    let view = Graph::from_arcs(
        list.node_count(),
        kept.iter().map(|&i| (list.edges[i].source, list.edges[i].target, list.edges[i].weight)),
    );
    let paths = if k <= 1 && length == Length::Hops {
        PathFinder::new(&view)
            .shortest(from, to)
            .map(|nodes| super::Path { length: (nodes.len() - 1) as f64, nodes })
            .into_iter()
            .collect()
    } else {
        k_shortest_paths(&view, from, to, k.max(1), length)
    };
    let mut by_pair: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
    for p in &paths {
        for w in p.nodes.windows(2) {
            by_pair.insert((w[0].min(w[1]), w[0].max(w[1])), Vec::new());
        }
    }
    for &i in &kept {
        let e = &list.edges[i];
        if let Some(links) = by_pair.get_mut(&(e.source.min(e.target), e.source.max(e.target))) {
            links.push(i);
        }
    }
    paths
        .into_iter()
        .map(|p| {
            let links = p.nodes.windows(2).map(|w| by_pair[&(w[0].min(w[1]), w[0].max(w[1]))].clone()).collect();
            LinkedPath { nodes: p.nodes, length: p.length, links }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// a–b by phone (twice) and by meeting, b–c by meeting, a–d–c by phone.
    fn typed() -> EdgeList {
        let mut list = EdgeList::new();
        for (a, b, kind, time) in [
            ("a", "b", "phone", 1),
            ("b", "c", "meeting", 2),
            ("a", "d", "phone", 3),
            ("d", "c", "phone", 4),
            ("b", "a", "phone", 5),
            ("a", "b", "meeting", 6),
        ] {
            let (source, target) = (list.node(a), list.node(b));
            let kind = Some(list.kind(kind));
            list.edges.push(Edge { source, target, weight: 1.0, kind, time: Some(time) });
        }
        list
    }

    #[test]
    fn kept_links_are_the_indices_the_filter_keeps() {
        let list = typed();
        let phones = Filter { types: vec!["phone".into()], ..Filter::default() };
        assert_eq!(kept_links(&list, &phones), [0, 2, 3, 4]);
        let window = Filter { since: Some(2), until: Some(5), ..Filter::default() };
        assert_eq!(kept_links(&list, &window), [1, 2, 3, 4]);
        assert_eq!(kept_links(&list, &Filter::default()), [0, 1, 2, 3, 4, 5]);
        let nothing = Filter { types: vec!["fax".into()], ..Filter::default() };
        assert!(kept_links(&list, &nothing).is_empty());
    }

    #[test]
    fn paths_use_only_the_kept_types_and_name_their_links() {
        let list = typed();
        let (a, c) = (list.id("a").unwrap(), list.id("c").unwrap());
        let all = filtered_paths(&list, &Filter::default(), a, c, 1, Length::Hops);
        assert_eq!(all[0].nodes.len(), 3);
        let phones = Filter { types: vec!["phone".into()], ..Filter::default() };
        let by_phone = filtered_paths(&list, &phones, a, c, 3, Length::Hops);
        assert_eq!(by_phone.len(), 1, "only a–d–c is made of phone calls");
        assert_eq!(by_phone[0].nodes, [a, list.id("d").unwrap(), c]);
        assert_eq!(by_phone[0].links, [vec![2], vec![3]]);
        let meetings = Filter { types: vec!["meeting".into()], ..Filter::default() };
        let by_meeting = filtered_paths(&list, &meetings, a, c, 1, Length::Hops);
        assert_eq!(by_meeting[0].links, [vec![5], vec![1]]);
        // Every type: the hop a–b is backed by both calls and the meeting.
        let both = filtered_paths(&list, &Filter::default(), a, c, 2, Length::Hops);
        assert_eq!(both.len(), 2);
        let via_b = both.iter().find(|p| p.nodes[1] == list.id("b").unwrap()).unwrap();
        assert_eq!(via_b.links[0], [0, 4, 5]);
        let nothing = Filter { types: vec!["fax".into()], ..Filter::default() };
        assert!(filtered_paths(&list, &nothing, a, c, 1, Length::Hops).is_empty());
    }

    #[test]
    fn inverse_weight_lengths_sum_the_merged_links() {
        let mut list = EdgeList::new();
        list.add("a", "b", 1.0);
        list.add("a", "b", 3.0);
        list.add("b", "c", 2.0);
        list.add("a", "c", 0.5);
        let paths = filtered_paths(&list, &Filter::default(), 0, 2, 2, Length::InverseWeight);
        // a–b merged to weight 4 (length 0.25) + b–c 0.5 = 0.75 beats the direct 2.0.
        assert_eq!(paths[0].nodes, [0, 1, 2]);
        assert!((paths[0].length - 0.75).abs() < 1e-12);
        assert_eq!(paths[0].links, [vec![0, 1], vec![2]]);
        assert_eq!((paths[1].nodes.clone(), paths[1].length), (vec![0, 2], 2.0));
    }

    proptest! {
        #[test]
        fn hops_are_backed_by_kept_links_and_paths_are_shortest(
            links in proptest::collection::vec((0u32..8, 0u32..8, 0usize..3), 0..24),
            wanted in proptest::collection::vec(0usize..3, 1..3),
        ) {
            let kinds = ["phone", "meeting", "money"];
            let mut list = EdgeList::new();
            for v in 0..8 { list.node(&v.to_string()); }
            for &(a, b, k) in &links {
                let kind = Some(list.kind(kinds[k]));
                list.edges.push(Edge { source: a, target: b, weight: 1.0, kind, time: None });
            }
            let filter = Filter { types: wanted.iter().map(|&k| kinds[k].to_string()).collect(), ..Filter::default() };
            let kept = kept_links(&list, &filter);
            let expected: Vec<usize> = (0..links.len()).filter(|&i| wanted.contains(&links[i].2)).collect();
            prop_assert_eq!(&kept, &expected);
            let only = Graph::from_arcs(8, kept.iter().map(|&i| (links[i].0, links[i].1, 1.0)));
            let distance = PathFinder::new(&only).shortest(0, 7).map(|p| p.len() - 1);
            let found = filtered_paths(&list, &filter, 0, 7, 1, Length::Hops);
            prop_assert_eq!(found.first().map(|p| p.links.len()), distance);
            for p in &found {
                for (hop, backing) in p.links.iter().enumerate() {
                    let pair = (p.nodes[hop].min(p.nodes[hop + 1]), p.nodes[hop].max(p.nodes[hop + 1]));
                    let all: Vec<usize> = kept.iter().copied().filter(|&i| (links[i].0.min(links[i].1), links[i].0.max(links[i].1)) == pair).collect();
                    prop_assert!(!backing.is_empty());
                    prop_assert_eq!(backing, &all);
                }
            }
        }
    }
}
