//! Clustering: pairs above the threshold are joined into clusters, and then
//! each cluster is checked as a whole, so that a shared household phone or a
//! common name cannot chain different people together.
//!
//! The check is a correlation-clustering pass: inside a connected component
//! every pair of members (linked or not) is scored, and members are grouped
//! agglomeratively, merging two groups only while the summed evidence
//! between them is positive. Two people with one weak link but clearly
//! different birth dates across the rest of the members stay apart.

use foldhash::{HashMap, HashMapExt, HashSet};

/// Analysts' rulings as record-index pairs `(a, b)` with `a < b`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Pairs that must share a cluster.
    pub same: Vec<(u32, u32)>,
    /// Pairs that must never share a cluster (wins over `same`).
    pub different: HashSet<(u32, u32)>,
}

impl Constraints {
    fn forbids(&self, a: u32, b: u32) -> bool {
        !self.different.is_empty() && self.different.contains(&(a.min(b), a.max(b)))
    }

    /// Every decided pair once, with whether it was found to be one entity
    /// (`different` winning over `same`), sorted so that sums over them do
    /// not depend on hashing order.
    pub fn decisions(&self) -> Vec<((u32, u32), bool)> {
        let mut out: Vec<((u32, u32), bool)> = self.different.iter().map(|&pair| (pair, false)).collect();
        out.extend(self.same.iter().filter(|&&(a, b)| !self.forbids(a, b)).map(|&pair| (pair, true)));
        out.sort_unstable();
        out.dedup_by_key(|(pair, _)| *pair);
        out
    }
}

/// Tuning of the cluster check.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClusterConfig {
    /// Log-odds (bits) above which a pair links two records.
    pub threshold: f64,
    /// Components larger than this are first cut to their links at least
    /// `threshold + margin`, so the all-pairs check stays cheap.
    pub max_check: usize,
    /// Extra bits required of links inside oversized components.
    pub margin: f64,
    /// Bound on the evidence one pair contributes to the check, so a single
    /// odd pair neither vetoes nor forces a merge on its own.
    pub cap: f64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig { threshold: 0.0, max_check: 64, margin: 4.0, cap: 16.0 }
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[parent[x as usize] as usize];
        parent[x as usize] = p;
        x = p;
    }
    x
}

/// Connected components of `nodes` under `edges` (edges between listed
/// nodes only), each sorted, in order of their smallest member.
fn components(nodes: &[u32], edges: &[(u32, u32, f64)]) -> Vec<Vec<u32>> {
    let local: HashMap<u32, u32> = nodes.iter().enumerate().map(|(i, &n)| (n, i as u32)).collect();
    let mut parent: Vec<u32> = (0..nodes.len() as u32).collect();
    for &(a, b, _) in edges {
        if let (Some(&x), Some(&y)) = (local.get(&a), local.get(&b)) {
            let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
            if rx != ry {
                parent[rx.max(ry) as usize] = rx.min(ry);
            }
        }
    }
    let mut groups: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, &n) in nodes.iter().enumerate() {
        let r = find(&mut parent, i as u32);
        groups.entry(r).or_default().push(n);
    }
    let mut out: Vec<Vec<u32>> = groups.into_values().collect();
    for g in &mut out {
        g.sort_unstable();
    }
    out.sort_unstable_by_key(|g| g[0]);
    out
}

/// Clusters records `0..n` from scored pairs `(a, b, log-odds)`.
///
/// `score(a, b)` gives the log-odds of any pair, linked or not; it is called
/// only inside components of at most `max_check` members. Every record is
/// in exactly one cluster (singletons included); clusters are sorted.
pub fn cluster(
    n: usize,
    pairs: &[(u32, u32, f64)],
    config: &ClusterConfig,
    constraints: &Constraints,
    score: impl Fn(u32, u32) -> f64,
) -> Vec<Vec<u32>> {
    let mut edges: Vec<(u32, u32, f64)> = pairs
        .iter()
        .copied()
        .filter(|&(a, b, w)| w.is_finite() && w >= config.threshold && (a as usize) < n && (b as usize) < n && a != b)
        .filter(|&(a, b, _)| !constraints.forbids(a, b))
        .collect();
    // Confirmed pairs are links no cut removes.
    edges.extend(
        constraints
            .same
            .iter()
            .filter(|&&(a, b)| (a as usize) < n && (b as usize) < n && a != b && !constraints.forbids(a, b))
            .map(|&(a, b)| (a, b, f64::INFINITY)),
    );
    let score = |a: u32, b: u32| if constraints.forbids(a, b) { f64::NEG_INFINITY } else { score(a, b) };
    let all: Vec<u32> = (0..n as u32).collect();
    let adjacency = Adjacency::new(n, &edges);
    let mut out = Vec::new();
    let mut work = components(&all, &edges);
    let mut cut = config.threshold;
    while !work.is_empty() {
        let mut next = Vec::new();
        cut += config.margin.max(1.0);
        let mut oversized = Vec::new();
        for comp in work {
            if comp.len() == 1 {
                out.push(comp);
            } else if comp.len() <= config.max_check {
                out.extend(check(&comp, &adjacency.within(&comp, &edges), config, &score));
            } else {
                oversized.push(comp);
            }
        }
        if !oversized.is_empty() {
            for comp in oversized {
                let strong: Vec<(u32, u32, f64)> =
                    adjacency.within(&comp, &edges).into_iter().filter(|e| e.2 >= cut).collect();
                next.extend(components(&comp, &strong));
            }
        }
        work = next;
    }
    out.sort_unstable_by_key(|g| g[0]);
    out
}

/// Edge ids by node (compressed rows), so a component finds its own edges
/// without scanning all of them.
struct Adjacency {
    offsets: Vec<usize>,
    edge_ids: Vec<u32>,
}

impl Adjacency {
    fn new(n: usize, edges: &[(u32, u32, f64)]) -> Self {
        let mut offsets = vec![0usize; n + 1];
        for &(a, _, _) in edges {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut edge_ids = vec![0u32; edges.len()];
        for (e, &(a, _, _)) in edges.iter().enumerate() {
            edge_ids[fill[a as usize]] = e as u32;
            fill[a as usize] += 1;
        }
        Adjacency { offsets, edge_ids }
    }

    /// Edges with their first end in `nodes` (each edge once; callers keep
    /// only those with both ends inside).
    fn within(&self, nodes: &[u32], edges: &[(u32, u32, f64)]) -> Vec<(u32, u32, f64)> {
        nodes
            .iter()
            .flat_map(|&a| &self.edge_ids[self.offsets[a as usize]..self.offsets[a as usize + 1]])
            .map(|&e| edges[e as usize])
            .collect()
    }
}

/// Agglomerative correlation clustering of one component.
fn check(
    comp: &[u32],
    edges: &[(u32, u32, f64)],
    config: &ClusterConfig,
    score: &impl Fn(u32, u32) -> f64,
) -> Vec<Vec<u32>> {
    let k = comp.len();
    let local: HashMap<u32, usize> = comp.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let mut known: HashMap<(usize, usize), f64> = HashMap::new();
    for &(a, b, w) in edges {
        if let (Some(&x), Some(&y)) = (local.get(&a), local.get(&b)) {
            known.insert((x.min(y), x.max(y)), w);
        }
    }
    // Pairwise evidence relative to the threshold, bounded.
    let mut s = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in i + 1..k {
            let w = known.get(&(i, j)).copied().unwrap_or_else(|| score(comp[i], comp[j]));
            // Rulings (infinite weights) are not bounded.
            let v = if w.is_infinite() { w } else { (w - config.threshold).clamp(-config.cap, config.cap) };
            s[i][j] = v;
            s[j][i] = v;
        }
    }
    let mut groups: Vec<Vec<usize>> = (0..k).map(|i| vec![i]).collect();
    // Between-group sums, kept up to date as groups merge.
    let mut between = s.clone();
    loop {
        let mut best: Option<(usize, usize, f64)> = None;
        for (x, row) in between.iter().enumerate() {
            for (y, &v) in row.iter().enumerate().skip(x + 1) {
                if v > 0.0 && !v.is_nan() && best.is_none_or(|b| v > b.2) {
                    best = Some((x, y, v));
                }
            }
        }
        let Some((x, y, _)) = best else { break };
        let moved = groups.swap_remove(y);
        groups[x].extend(moved);
        // Rebuild the between matrix for the new grouping (k is small).
        let g = groups.len();
        between = vec![vec![0.0; g]; g];
        for p in 0..g {
            for q in p + 1..g {
                let v: f64 =
                    groups[p].iter().flat_map(|&i| groups[q].iter().map(move |&j| (i, j))).map(|(i, j)| s[i][j]).sum();
                between[p][q] = v;
                between[q][p] = v;
            }
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let mut c: Vec<u32> = g.into_iter().map(|i| comp[i]).collect();
            c.sort_unstable();
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_phone_does_not_chain_two_people() {
        // 0,1 are one man; 2,3 another; 1 and 2 share a household phone,
        // which alone lifts their pair just above the threshold.
        let pairs = [(0, 1, 20.0), (2, 3, 20.0), (1, 2, 2.0)];
        let score = |a: u32, b: u32| match (a.min(b), a.max(b)) {
            (0, 2) | (0, 3) | (1, 3) => -15.0,
            _ => 0.0,
        };
        let c = cluster(5, &pairs, &ClusterConfig::default(), &Constraints::default(), score);
        assert_eq!(c, vec![vec![0, 1], vec![2, 3], vec![4]]);
    }

    #[test]
    fn consistent_cluster_stays_whole() {
        let pairs = [(0, 1, 12.0), (1, 2, 12.0)];
        let c = cluster(3, &pairs, &ClusterConfig::default(), &Constraints::default(), |_, _| 5.0);
        assert_eq!(c, vec![vec![0, 1, 2]]);
    }

    #[test]
    fn oversized_components_are_cut_to_strong_links() {
        // A chain of 10 weak links between strong pairs.
        let mut pairs = Vec::new();
        for i in 0..10u32 {
            pairs.push((2 * i, 2 * i + 1, 30.0));
            if i > 0 {
                pairs.push((2 * i - 1, 2 * i, 1.0));
            }
        }
        let config = ClusterConfig { max_check: 4, ..Default::default() };
        let c = cluster(20, &pairs, &config, &Constraints::default(), |_, _| -20.0);
        assert_eq!(c.len(), 10);
        assert!(c.iter().all(|g| g.len() == 2));
    }

    proptest::proptest! {
        #[test]
        fn every_record_in_exactly_one_cluster(edges in proptest::collection::vec((0u32..30, 0u32..30, -10.0f64..30.0), 0..80)) {
            let c = cluster(25, &edges, &ClusterConfig { max_check: 6, ..Default::default() }, &Constraints::default(), |a, b| (a as f64 - b as f64).abs() - 5.0);
            let mut seen: Vec<u32> = c.into_iter().flatten().collect();
            seen.sort_unstable();
            proptest::prop_assert_eq!(seen, (0..25).collect::<Vec<u32>>());
        }
    }
}
