//! Refinement: within each community, start from singletons and merge
//! singleton nodes into well-connected subsets, chosen at random with
//! probability growing with the gain (Traag et al.). Communities are refined
//! independently, in parallel, each with its own random generator derived
//! from the seed and the community's number, and in local numbering (so
//! its buffers are as small as the community): the result depends on the
//! seed, never on the number of threads.

use super::Level;
use super::parallel::{balanced_ranges, map_tasks};
use crate::rng::Rng;

/// Per-thread buffers, indexed by position within the community.
#[derive(Default)]
struct Scratch {
    subset: Vec<u32>,
    weight: Vec<f64>,
    size: Vec<u32>,
    external: Vec<f64>,
    link: Vec<f64>,
    touched: Vec<u32>,
    order: Vec<u32>,
    candidates: Vec<(u32, f64)>,
    chances: Vec<f64>,
}

/// The nodes of each community, grouped: `members[start[c]..start[c + 1]]`
/// in increasing id order, and each node's position within its group.
pub(super) struct Groups {
    pub(super) start: Vec<usize>,
    pub(super) members: Vec<u32>,
    pub(super) position: Vec<u32>,
}

impl Groups {
    /// Groups nodes `0..membership.len()` by `membership` (ids below `count`).
    pub(super) fn new(membership: &[u32], count: usize) -> Groups {
        let mut start = vec![0usize; count + 1];
        for &g in membership {
            start[g as usize + 1] += 1;
        }
        for i in 0..count {
            start[i + 1] += start[i];
        }
        let mut members = vec![0u32; membership.len()];
        let mut position = vec![0u32; membership.len()];
        let mut cursor = start.clone();
        for (v, &g) in membership.iter().enumerate() {
            let g = g as usize;
            members[cursor[g]] = v as u32;
            position[v] = (cursor[g] - start[g]) as u32;
            cursor[g] += 1;
        }
        Groups { start, members, position }
    }

    /// Members of group `g`.
    pub(super) fn of(&self, g: usize) -> &[u32] {
        &self.members[self.start[g]..self.start[g + 1]]
    }
}

/// Mixes the refinement's base seed with a community's number (SplitMix64 finaliser).
fn community_seed(base: u64, community: usize) -> u64 {
    let mut z = base ^ (community as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Refines `partition` (dense ids below `count`); returns the refined
/// membership, each node labelled by a node of its subset.
pub(super) fn refine(
    level: &Level,
    partition: &[u32],
    count: usize,
    scale: f64,
    theta: f64,
    rng: &mut Rng,
    threads: usize,
) -> Vec<u32> {
    let n = level.len();
    let groups = Groups::new(partition, count);
    let base = rng.next_u64();
    let arcs = |c: usize| groups.of(c).iter().map(|&v| level.neighbors(v as usize).len()).sum::<usize>();
    let threads = threads.max(1);
    let ranges = balanced_ranges(count, threads * 8, arcs);
    let mut scratches: Vec<Scratch> = (0..threads).map(|_| Scratch::default()).collect();
    let labelled: Vec<Vec<u32>> = map_tasks(&mut scratches, ranges.len(), |t, scratch| {
        let range = ranges[t].clone();
        let mut out = Vec::with_capacity(groups.start[range.end] - groups.start[range.start]);
        for c in range {
            let mut local_rng = Rng::new(community_seed(base, c));
            refine_one(level, partition, &groups, c, scale, theta, &mut local_rng, scratch, &mut out);
        }
        out
    });
    let mut refined = vec![0u32; n];
    for (&v, label) in groups.members.iter().zip(labelled.into_iter().flatten()) {
        refined[v as usize] = label;
    }
    refined
}

/// Refines community `c`; appends the label of each member (in member order) to `out`.
#[allow(clippy::too_many_arguments)]
fn refine_one(
    level: &Level,
    partition: &[u32],
    groups: &Groups,
    c: usize,
    scale: f64,
    theta: f64,
    rng: &mut Rng,
    s: &mut Scratch,
    out: &mut Vec<u32>,
) {
    let members = groups.of(c);
    let k = members.len();
    if k == 1 {
        out.push(members[0]);
        return;
    }
    s.subset.clear();
    s.subset.extend(0..k as u32);
    s.weight.clear();
    s.weight.extend(members.iter().map(|&v| level.node_weight[v as usize]));
    let community_weight: f64 = s.weight.iter().sum();
    s.size.clear();
    s.size.resize(k, 1);
    s.external.clear();
    s.external.extend(members.iter().map(|&v| {
        let mut inside = 0.0;
        level.for_each_arc(v as usize, |u, w| {
            if u != v as usize && partition[u] as usize == c {
                inside += w;
            }
        });
        inside
    }));
    s.link.clear();
    s.link.resize(k, 0.0);
    s.order.clear();
    s.order.extend(0..k as u32);
    rng.shuffle(&mut s.order);
    for i in 0..k {
        let i = s.order[i] as usize;
        let own = s.subset[i] as usize;
        if s.size[own] != 1 {
            continue;
        }
        let v = members[i] as usize;
        let a = level.node_weight[v];
        if s.external[own] < scale * a * (community_weight - a) {
            continue;
        }
        let (subset, link, touched) = (&s.subset, &mut s.link, &mut s.touched);
        level.for_each_arc(v, |u, w| {
            if u != v && partition[u] as usize == c {
                let r = subset[groups.position[u] as usize] as usize;
                if link[r] == 0.0 {
                    touched.push(r as u32);
                }
                link[r] += w;
            }
        });
        s.candidates.clear();
        let mut max_gain = 0.0f64;
        for &r in &s.touched {
            let r = r as usize;
            if r == own {
                continue;
            }
            let well_connected = s.external[r] >= scale * s.weight[r] * (community_weight - s.weight[r]);
            let gain = s.link[r] - scale * a * s.weight[r];
            if well_connected && gain >= 0.0 {
                max_gain = max_gain.max(gain);
                s.candidates.push((r as u32, gain));
            }
        }
        if !s.candidates.is_empty() {
            s.chances.clear();
            s.chances.extend(s.candidates.iter().map(|&(_, g)| ((g - max_gain) / theta).exp()));
            let stay = ((0.0 - max_gain) / theta).exp();
            let total: f64 = s.chances.iter().sum::<f64>() + stay;
            let mut pick = rng.unit() * total;
            let mut chosen = None;
            for (&(r, _), &p) in s.candidates.iter().zip(&s.chances) {
                if pick < p {
                    chosen = Some(r as usize);
                    break;
                }
                pick -= p;
            }
            if let Some(r) = chosen {
                s.subset[i] = r as u32;
                s.weight[r] += a;
                s.size[r] += 1;
                s.external[r] = s.external[r] + s.external[own] - 2.0 * s.link[r];
                s.size[own] = 0;
                s.weight[own] = 0.0;
            }
        }
        for &r in &s.touched {
            s.link[r as usize] = 0.0;
        }
        s.touched.clear();
    }
    out.extend(s.subset.iter().map(|&r| members[r as usize]));
}
