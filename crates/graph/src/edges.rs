//! Edge lists as read: named nodes, and links with a weight and optionally a
//! type and a time. Filtering by type or time window happens here, before a
//! [`Graph`](crate::Graph) is built.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash (as in rustc): node names are hashed once per line read, so a fast hasher matters.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        // The product's low bits depend only on the input's low bits; the table
        // indexes by the low bits, so bring the well-mixed high bits down.
        self.0.rotate_left(26)
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// One link as observed: from `source` to `target` (node ids of the list).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// Node id of one end.
    pub source: u32,
    /// Node id of the other end.
    pub target: u32,
    /// Strength of the link (a count of contacts, a corroboration weight); positive.
    pub weight: f64,
    /// Index into [`EdgeList::types`], when the input gives link types.
    pub kind: Option<u32>,
    /// Time of the link (any integer clock, e.g. Unix seconds), when the input gives one.
    pub time: Option<i64>,
}

/// Nodes with their names, and the links between them.
#[derive(Debug, Clone, Default)]
pub struct EdgeList {
    names: Vec<String>,
    index: FxMap<String, u32>,
    /// Ids of nodes named by small decimal numbers, indexed by the number
    /// (`u32::MAX` where absent): most benchmark and export files number their
    /// nodes, and a direct index avoids hashing and comparing strings.
    numbered: Vec<u32>,
    types: Vec<String>,
    /// The links, in input order.
    pub edges: Vec<Edge>,
    /// A lower node limit, for testing what happens at [`MAX_NODES`].
    #[cfg(test)]
    test_limit: Option<usize>,
}

/// Most nodes an edge list holds: ids are 32 bits and `u32::MAX` marks an
/// absent node.
pub const MAX_NODES: usize = u32::MAX as usize;

/// Which links to keep: a time window (inclusive) and a set of link types.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Keep links at or after this time; links without a time are dropped when set.
    pub since: Option<i64>,
    /// Keep links at or before this time; links without a time are dropped when set.
    pub until: Option<i64>,
    /// Keep only links of these type names (empty: every type).
    pub types: Vec<String>,
}

impl EdgeList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of a node name, adding the node if it is new. For lists built
    /// by code; readers of input use [`EdgeList::try_node`].
    pub fn node(&mut self, name: &str) -> u32 {
        self.try_node(name).expect("an edge list holds at most 2^32 - 1 nodes")
    }

    /// [`EdgeList::node`], or `None` when the name is new and the list
    /// already holds [`MAX_NODES`] nodes (ids are 32 bits, one value kept
    /// for "absent"), so that a reader can name the line instead of failing.
    pub fn try_node(&mut self, name: &str) -> Option<u32> {
        if let Some(number) = small_number(name) {
            if number >= self.numbered.len() {
                self.numbered.resize((number + 1).next_power_of_two(), u32::MAX);
            }
            if self.numbered[number] == u32::MAX {
                self.numbered[number] = self.push_name(name)?;
            }
            return Some(self.numbered[number]);
        }
        if let Some(&id) = self.index.get(name) {
            return Some(id);
        }
        let id = self.push_name(name)?;
        self.index.insert(name.to_string(), id);
        Some(id)
    }

    fn push_name(&mut self, name: &str) -> Option<u32> {
        let id = u32::try_from(self.names.len()).ok().filter(|&id| (id as usize) < self.max_nodes())?;
        self.names.push(name.to_string());
        Some(id)
    }

    /// [`MAX_NODES`], lowered in tests.
    fn max_nodes(&self) -> usize {
        #[cfg(test)]
        if let Some(limit) = self.test_limit {
            return limit;
        }
        MAX_NODES
    }

    /// The id of a link type name, adding it if it is new.
    pub fn kind(&mut self, name: &str) -> u32 {
        match self.types.iter().position(|t| t == name) {
            Some(i) => i as u32,
            None => {
                self.types.push(name.to_string());
                (self.types.len() - 1) as u32
            }
        }
    }

    /// Adds a link between two named nodes with a weight.
    pub fn add(&mut self, source: &str, target: &str, weight: f64) {
        let (source, target) = (self.node(source), self.node(target));
        self.edges.push(Edge { source, target, weight, kind: None, time: None });
    }

    /// Adds links between numbered nodes named by their number (`0`, `1`, ...), creating missing ones.
    pub fn from_pairs(pairs: &[(u32, u32)]) -> Self {
        let mut list = EdgeList::new();
        for &(a, b) in pairs {
            list.add(&a.to_string(), &b.to_string(), 1.0);
        }
        list
    }

    /// Number of nodes (every node named, linked or not).
    pub fn node_count(&self) -> usize {
        self.names.len()
    }

    /// Node names, indexed by node id.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The id of a node name, if the list has it.
    pub fn id(&self, name: &str) -> Option<u32> {
        match small_number(name) {
            Some(number) => self.numbered.get(number).copied().filter(|&id| id != u32::MAX),
            None => self.index.get(name).copied(),
        }
    }

    /// Link type names, indexed by [`Edge::kind`].
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// The same nodes with only the links the filter keeps (node ids are unchanged).
    pub fn filtered(&self, filter: &Filter) -> EdgeList {
        let wanted: Vec<u32> =
            filter.types.iter().filter_map(|t| self.types.iter().position(|k| k == t)).map(|i| i as u32).collect();
        let keep = |e: &Edge| {
            let in_window = match (filter.since, filter.until, e.time) {
                (None, None, _) => true,
                (_, _, None) => false,
                (since, until, Some(t)) => since.is_none_or(|s| t >= s) && until.is_none_or(|u| t <= u),
            };
            let of_type = filter.types.is_empty() || e.kind.is_some_and(|k| wanted.contains(&k));
            in_window && of_type
        };
        EdgeList {
            names: self.names.clone(),
            index: self.index.clone(),
            numbered: self.numbered.clone(),
            types: self.types.clone(),
            edges: self.edges.iter().copied().filter(keep).collect(),
            #[cfg(test)]
            test_limit: self.test_limit,
        }
    }
}

/// The value of a name written as a canonical decimal number below 2^24
/// (no sign, no leading zero), which is indexed directly.
fn small_number(name: &str) -> Option<usize> {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > 8 || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    let mut value = 0usize;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + usize::from(b - b'0');
    }
    (value < 1 << 24).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_list_refuses_new_names_and_still_finds_its_own() {
        let mut list = EdgeList { test_limit: Some(2), ..EdgeList::new() };
        assert_eq!((list.try_node("a"), list.try_node("7")), (Some(0), Some(1)));
        assert_eq!((list.try_node("b"), list.try_node("8")), (None, None));
        assert_eq!((list.try_node("a"), list.try_node("7")), (Some(0), Some(1)));
        assert_eq!(list.node_count(), 2);
    }

    #[test]
    fn nodes_are_numbered_in_order_of_first_appearance() {
        let mut list = EdgeList::new();
        list.add("b", "a", 1.0);
        list.add("a", "c", 2.0);
        assert_eq!(list.names(), ["b", "a", "c"]);
        assert_eq!(list.id("c"), Some(2));
        assert_eq!(list.edges[1], Edge { source: 1, target: 2, weight: 2.0, kind: None, time: None });
    }

    #[test]
    fn numbered_and_named_nodes_share_one_numbering() {
        let mut list = EdgeList::new();
        for name in ["7", "007", "x", "16777216", "0", "7"] {
            list.node(name);
        }
        assert_eq!(list.names(), ["7", "007", "x", "16777216", "0"]);
        assert_eq!(
            [list.id("7"), list.id("007"), list.id("0"), list.id("16777216")],
            [Some(0), Some(1), Some(4), Some(3)]
        );
        assert_eq!((list.id("8"), list.id("99999999"), list.id("y")), (None, None, None));
        assert_eq!(small_number("12"), Some(12));
        assert_eq!(small_number("-1"), None);
    }

    #[test]
    fn a_filter_keeps_a_time_window_and_link_types() {
        let mut list = EdgeList::new();
        for (t, kind) in [(1, "phone"), (5, "meeting"), (9, "phone")] {
            let (a, b) = (list.node("x"), list.node(&format!("y{t}")));
            let kind = Some(list.kind(kind));
            list.edges.push(Edge { source: a, target: b, weight: 1.0, kind, time: Some(t) });
        }
        let window = Filter { since: Some(2), until: Some(9), ..Filter::default() };
        assert_eq!(list.filtered(&window).edges.len(), 2);
        let phones = Filter { types: vec!["phone".into()], ..Filter::default() };
        assert_eq!(list.filtered(&phones).edges.iter().filter_map(|e| e.time).collect::<Vec<_>>(), [1, 9]);
        assert_eq!(list.filtered(&phones).node_count(), 4);
    }
}
