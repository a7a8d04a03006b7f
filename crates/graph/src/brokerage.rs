//! Brokerage roles between groups (Gould and Fernandez 1989): who mediates
//! contact, and between which groups. A node `b` brokers for `a` and `c`
//! when `a → b → c` and there is no direct link `a → c` (an *open* two-path,
//! `a ≠ c`). Given a partition of the nodes into groups (communities from
//! Leiden, or organisations from a file), each open two-path through `b` is
//! one of five roles, by the groups of `a`, `b` and `c`:
//!
//! | role | groups | the broker… |
//! | --- | --- | --- |
//! | coordinator (w_I) | A → A → A | links two members of its own group |
//! | itinerant, consultant (w_O) | A → B → A | links two members of another group |
//! | gatekeeper (b_OI) | A → B → B | lets an outsider reach its own group |
//! | representative (b_IO) | A → A → B | carries its group's contact outside |
//! | liaison (b_O) | A → B → C | links two groups, neither its own |
//!
//! Directed links use that definition as it stands (it is what R's
//! `sna::brokerage` counts in `raw.nli`). Undirected links count as both
//! directions, as `sna::brokerage` does on a symmetric matrix: every open
//! pair `{a, c}` around `b` is counted once as `a → b → c` and once as
//! `c → b → a`. Coordinator, itinerant and liaison counts are then twice the
//! number of unordered open pairs, and gatekeeper equals representative (each
//! unordered pair with one end in the broker's group and one outside counts
//! once in each).

use crate::csr::Graph;
use crate::edges::EdgeList;

/// The five brokerage roles, in the order of [`Roles::counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// w_I: between two members of the broker's own group.
    Coordinator,
    /// w_O: between two members of one group the broker is not in (consultant).
    Itinerant,
    /// b_OI: from an outsider into the broker's group.
    Gatekeeper,
    /// b_IO: from the broker's group to an outsider.
    Representative,
    /// b_O: between two different groups, neither the broker's.
    Liaison,
}

impl Role {
    /// Every role, in column order.
    pub const ALL: [Role; 5] =
        [Role::Coordinator, Role::Itinerant, Role::Gatekeeper, Role::Representative, Role::Liaison];

    /// A lower-case name for output columns.
    pub fn name(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Itinerant => "itinerant",
            Role::Gatekeeper => "gatekeeper",
            Role::Representative => "representative",
            Role::Liaison => "liaison",
        }
    }

    /// The role of the two-path `a → b → c` given the groups of its three nodes.
    pub fn of(a: u32, b: u32, c: u32) -> Role {
        match (a == b, b == c, a == c) {
            (true, true, _) => Role::Coordinator,
            (false, false, true) => Role::Itinerant,
            (false, true, _) => Role::Gatekeeper,
            (true, false, _) => Role::Representative,
            (false, false, false) => Role::Liaison,
        }
    }
}

/// How many open two-paths a node brokers in each role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles {
    /// Counts indexed as [`Role::ALL`].
    pub counts: [u64; 5],
}

impl Roles {
    /// The count of one role.
    pub fn get(&self, role: Role) -> u64 {
        self.counts[role as usize]
    }

    /// Open two-paths brokered in any role.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Directed adjacency with sorted, distinct out- and in-neighbours.
struct Digraph {
    out_offsets: Vec<usize>,
    out: Vec<u32>,
    in_offsets: Vec<usize>,
    inn: Vec<u32>,
}

impl Digraph {
    fn new(n: usize, mut arcs: Vec<(u32, u32)>) -> Digraph {
        arcs.retain(|&(a, b)| a != b);
        arcs.sort_unstable();
        arcs.dedup();
        let rows = |arcs: &[(u32, u32)]| {
            let mut offsets = vec![0usize; n + 1];
            for &(a, _) in arcs {
                offsets[a as usize + 1] += 1;
            }
            for i in 0..n {
                offsets[i + 1] += offsets[i];
            }
            (offsets, arcs.iter().map(|&(_, b)| b).collect::<Vec<u32>>())
        };
        let (out_offsets, out) = rows(&arcs);
        let mut reversed: Vec<(u32, u32)> = arcs.iter().map(|&(a, b)| (b, a)).collect();
        reversed.sort_unstable();
        let (in_offsets, inn) = rows(&reversed);
        Digraph { out_offsets, out, in_offsets, inn }
    }

    fn out(&self, v: u32) -> &[u32] {
        &self.out[self.out_offsets[v as usize]..self.out_offsets[v as usize + 1]]
    }

    fn inn(&self, v: u32) -> &[u32] {
        &self.inn[self.in_offsets[v as usize]..self.in_offsets[v as usize + 1]]
    }

    fn has_arc(&self, a: u32, b: u32) -> bool {
        self.out(a).binary_search(&b).is_ok()
    }
}

fn count(digraph: &Digraph, n: usize, membership: &[u32]) -> Vec<Roles> {
    assert_eq!(membership.len(), n, "one group per node");
    let mut roles = vec![Roles::default(); n];
    for b in 0..n as u32 {
        let gb = membership[b as usize];
        let counts = &mut roles[b as usize].counts;
        for &a in digraph.inn(b) {
            let ga = membership[a as usize];
            for &c in digraph.out(b) {
                if c == a || digraph.has_arc(a, c) {
                    continue;
                }
                counts[Role::of(ga, gb, membership[c as usize]) as usize] += 1;
            }
        }
    }
    roles
}

/// Brokerage roles of every node of a directed network: each link of `list`
/// is an arc from its source to its target (parallel arcs count once,
/// self-loops are ignored). `membership` gives each node's group (length:
/// the list's node count). Panics if the lengths differ (a programming error).
pub fn brokerage_directed(list: &EdgeList, membership: &[u32]) -> Vec<Roles> {
    let n = list.node_count();
    let arcs = list.edges.iter().map(|e| (e.source, e.target)).collect();
    count(&Digraph::new(n, arcs), n, membership)
}

/// Brokerage roles of every node of an undirected graph, each link counted
/// as both directions (see the module documentation). Panics if
/// `membership` does not give one group per node (a programming error).
pub fn brokerage_undirected(graph: &Graph, membership: &[u32]) -> Vec<Roles> {
    let n = graph.node_count();
    let arcs = (0..n as u32).flat_map(|v| graph.neighbors(v).iter().map(move |&u| (v, u))).collect();
    count(&Digraph::new(n, arcs), n, membership)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_list(arcs: &[(&str, &str)]) -> EdgeList {
        let mut list = EdgeList::new();
        for (a, b) in arcs {
            list.add(a, b, 1.0);
        }
        list
    }

    #[test]
    fn each_group_pattern_names_one_role() {
        assert_eq!(Role::of(1, 1, 1), Role::Coordinator);
        assert_eq!(Role::of(1, 2, 1), Role::Itinerant);
        assert_eq!(Role::of(1, 2, 2), Role::Gatekeeper);
        assert_eq!(Role::of(2, 2, 1), Role::Representative);
        assert_eq!(Role::of(1, 2, 3), Role::Liaison);
    }

    #[test]
    fn a_hand_worked_directed_example() {
        // Arcs A→B, A→C, B→C, B→D, C→D, D→A; groups {A, B} = 0, {C, D} = 1.
        // Two-paths x→v→y with x ≠ y, and whether x→y exists:
        //   through A: D→A→B (B is not → ... D→B absent: open; groups 1,0,0: gatekeeper)
        //              D→A→C (D→C absent: open; 1,0,1: itinerant)
        //   through B: A→B→C (A→C present: closed), A→B→D (A→D absent: open; 0,0,1: representative)
        //   through C: A→C→D (A→D absent: open; 0,1,1: gatekeeper), B→C→D (B→D present: closed)
        //   through D: B→D→A (B→A absent: open; 0,1,0: itinerant), C→D→A (C→A absent: open; 1,1,0:
        //              representative)
        let list = names_list(&[("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("D", "A")]);
        let roles = brokerage_directed(&list, &[0, 0, 1, 1]);
        let row = |v: usize| roles[v].counts;
        assert_eq!(row(0), [0, 1, 1, 0, 0]);
        assert_eq!(row(1), [0, 0, 0, 1, 0]);
        assert_eq!(row(2), [0, 0, 1, 0, 0]);
        assert_eq!(row(3), [0, 1, 0, 1, 0]);
        assert_eq!(roles.iter().map(Roles::total).sum::<u64>(), 6);
    }

    #[test]
    fn a_liaison_and_a_coordinator_in_a_directed_chain() {
        // x→b→y with three groups: b is a liaison once; parallel arcs and self-loops change nothing.
        let list = names_list(&[("x", "b"), ("b", "y"), ("x", "b"), ("b", "b")]);
        let roles = brokerage_directed(&list, &[0, 1, 2]);
        assert_eq!(roles[1].get(Role::Liaison), 1);
        assert_eq!(roles[1].total(), 1);
        let same = brokerage_directed(&list, &[4, 4, 4]);
        assert_eq!(same[1].counts, [1, 0, 0, 0, 0]);
        // Reversed arcs: y→b→x is not a two-path of this list.
        assert_eq!(same[0].total() + same[2].total(), 0);
    }

    #[test]
    fn a_hand_worked_undirected_example() {
        // Star centre b with leaves p, q (group 0, like b) and r, s (group 1), plus the link p–q.
        // Open unordered pairs around b: {p,r}, {p,s}, {q,r}, {q,s}, {r,s}; {p,q} is closed.
        // {p,r} etc.: one end in b's group, one outside: one representative + one gatekeeper each.
        // {r,s}: both in group 1, b in group 0: itinerant, counted in both directions.
        let list = names_list(&[("b", "p"), ("b", "q"), ("b", "r"), ("b", "s"), ("p", "q")]);
        let g = Graph::from_edges(&list);
        let roles = brokerage_undirected(&g, &[0, 0, 0, 1, 1]);
        assert_eq!(roles[0].counts, [0, 2, 4, 4, 0]);
        // p brokers nothing: its only neighbours b and q are linked.
        assert_eq!(roles[1].total(), 0);
        // Putting r in a third group turns the itinerant pair into a liaison pair.
        let roles = brokerage_undirected(&g, &[0, 0, 0, 2, 1]);
        assert_eq!(roles[0].counts, [0, 0, 4, 4, 2]);
        // All in one group: every open pair is coordination, twice.
        let roles = brokerage_undirected(&g, &[0; 5]);
        assert_eq!(roles[0].counts, [10, 0, 0, 0, 0]);
    }

    #[test]
    fn undirected_counts_equal_directed_counts_on_both_directions() {
        let pairs = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 4), (4, 5), (5, 6), (2, 6), (1, 5)];
        let mut both = EdgeList::from_pairs(&pairs);
        for &(a, b) in &pairs {
            both.add(&b.to_string(), &a.to_string(), 1.0);
        }
        let membership = [0, 0, 1, 1, 2, 2, 0];
        let g = Graph::from_edges(&both);
        assert_eq!(brokerage_undirected(&g, &membership), brokerage_directed(&both, &membership));
        for r in brokerage_undirected(&g, &membership) {
            assert_eq!(r.get(Role::Gatekeeper), r.get(Role::Representative));
            assert_eq!(r.get(Role::Coordinator) % 2, 0);
        }
    }
}
