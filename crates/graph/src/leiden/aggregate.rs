//! Aggregation: the graph of groups, one node per group, links between
//! groups summed and links inside a group dropped (their weight kept as the
//! group's `inside`). Rows are built in parallel over ranges of groups and
//! joined in order, so the result does not depend on the number of threads.

use std::borrow::Cow;
use std::sync::Mutex;

use super::parallel::{balanced_ranges, map_tasks};
use super::refine::Groups;
use super::{Level, prefetch, prefetch_row};

/// How many members ahead the aggregation asks for a member's row of links.
const ROW_AHEAD: usize = 8;
/// How many members ahead it asks for the groups of a member's neighbours.
const GROUPS_AHEAD: usize = 3;

/// What one range of groups wrote: its groups' node and inside weights, and
/// where each group's row ends (relative to the range's share of the output).
#[derive(Default)]
struct Rows {
    node_weight: Vec<f64>,
    inside: Vec<f64>,
    ends: Vec<usize>,
}

/// One range's share of the output targets and weights, taken by the task that fills it.
type Share<'a> = Mutex<Option<(&'a mut [u32], &'a mut [f64])>>;

/// The graph of `groups` (ids below `count`) over `level`.
///
/// The output arrays are allocated once, with room for every link of the
/// level (no group has more links than its members), and each range of
/// groups writes its rows into its own share of them; one pass then closes
/// the gaps between the shares. (A buffer grown per range and joined
/// afterwards writes every new link into fresh memory more than once.)
pub(super) fn aggregate<'a>(level: &Level, groups: &[u32], count: usize, threads: usize) -> Level<'a> {
    let grouped = Groups::new(groups, count);
    let arcs = |g: usize| grouped.of(g).iter().map(|&v| level.neighbors(v as usize).len()).sum::<usize>();
    let threads = threads.max(1);
    let ranges = balanced_ranges(count, threads * 4, arcs);
    let room: Vec<usize> = ranges.iter().map(|r| r.clone().map(arcs).sum()).collect();
    let mut targets = vec![0u32; room.iter().sum()];
    let mut weights = vec![0.0f64; targets.len()];
    let shares: Vec<Share> = {
        let (mut rest_targets, mut rest_weights) = (&mut targets[..], &mut weights[..]);
        room.iter()
            .map(|&r| {
                let (t, more_t) = std::mem::take(&mut rest_targets).split_at_mut(r);
                let (w, more_w) = std::mem::take(&mut rest_weights).split_at_mut(r);
                (rest_targets, rest_weights) = (more_t, more_w);
                Mutex::new(Some((t, w)))
            })
            .collect()
    };
    let mut scratches: Vec<(Vec<f64>, Vec<u32>)> = (0..threads).map(|_| (Vec::new(), Vec::new())).collect();
    let parts: Vec<Rows> = map_tasks(&mut scratches, ranges.len(), |t, (link, touched)| {
        if link.len() < count {
            link.resize(count, 0.0);
        }
        let (out_targets, out_weights) =
            shares[t].lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take().expect("each share is taken once");
        let mut rows = Rows::default();
        let mut written = 0;
        let range = ranges[t].clone();
        // The range's members, in the order they are read: rows and group ids
        // are asked for a few members ahead (see `moving::propose_all`).
        let members = &grouped.members[grouped.start[range.start]..grouped.start[range.end]];
        let mut k = 0;
        for g in range {
            let (mut weight, mut inside) = (0.0, 0.0);
            for &v in grouped.of(g) {
                if let Some(&ahead) = members.get(k + ROW_AHEAD) {
                    prefetch_row(level, ahead as usize);
                }
                if let Some(&ahead) = members.get(k + GROUPS_AHEAD) {
                    for &u in level.neighbors(ahead as usize) {
                        prefetch(&groups[u as usize]);
                    }
                }
                k += 1;
                weight += level.node_weight[v as usize];
                inside += level.inside[v as usize];
                level.for_each_arc(v as usize, |u, w| {
                    let h = groups[u] as usize;
                    if h != g {
                        if link[h] == 0.0 {
                            touched.push(h as u32);
                        }
                        link[h] += w;
                    } else {
                        // Both arcs of a link inside the group pass here: each counts half.
                        inside += w / 2.0;
                    }
                });
            }
            rows.node_weight.push(weight);
            rows.inside.push(inside);
            debug_assert!(written + touched.len() <= out_targets.len(), "a group has no more links than its members");
            for (&h, (target, weight)) in
                touched.iter().zip(out_targets[written..].iter_mut().zip(&mut out_weights[written..]))
            {
                *target = h;
                *weight = link[h as usize];
                link[h as usize] = 0.0;
            }
            written += touched.len();
            touched.clear();
            rows.ends.push(written);
        }
        rows
    });
    drop(shares);
    let mut node_weight = Vec::with_capacity(count);
    let mut inside = Vec::with_capacity(count);
    let mut offsets = Vec::with_capacity(count + 1);
    offsets.push(0);
    let (mut from, mut to) = (0, 0);
    for (part, room) in parts.into_iter().zip(room) {
        let len = part.ends.last().copied().unwrap_or(0);
        targets.copy_within(from..from + len, to);
        weights.copy_within(from..from + len, to);
        node_weight.extend(part.node_weight);
        inside.extend(part.inside);
        offsets.extend(part.ends.iter().map(|e| to + e));
        from += room;
        to += len;
    }
    targets.truncate(to);
    targets.shrink_to_fit();
    weights.truncate(to);
    weights.shrink_to_fit();
    Level {
        offsets: Cow::Owned(offsets),
        targets: Cow::Owned(targets),
        weights: Some(Cow::Owned(weights)),
        node_weight,
        inside,
    }
}

/// The same level with its nodes renumbered so that each community of
/// `partition` (ids below `count`) is a contiguous run, in increasing old id
/// within it: the later phases then read memory close together. Returns the
/// new level, the partition in new ids, and the new id of every old node.
/// Rows are copied in parallel over ranges of the new order and joined in
/// order; the result does not depend on the number of threads.
pub(super) fn relabel<'a>(
    level: &Level,
    partition: &[u32],
    count: usize,
    threads: usize,
) -> (Level<'a>, Vec<u32>, Vec<u32>) {
    let grouped = Groups::new(partition, count);
    let order = &grouped.members;
    let mut new_id = vec![0u32; level.len()];
    for (i, &v) in order.iter().enumerate() {
        new_id[v as usize] = i as u32;
    }
    let mut offsets = Vec::with_capacity(level.len() + 1);
    offsets.push(0);
    for &v in order {
        offsets.push(offsets[offsets.len() - 1] + level.neighbors(v as usize).len());
    }
    let threads = threads.max(1);
    let ranges = balanced_ranges(order.len(), threads * 4, |i| level.neighbors(order[i] as usize).len());
    let mut scratches = vec![(); threads];
    let parts: Vec<(Vec<u32>, Vec<f64>)> = map_tasks(&mut scratches, ranges.len(), |t, _| {
        let range = ranges[t].clone();
        let nodes = &order[range.clone()];
        let mut targets = Vec::with_capacity(offsets[range.end] - offsets[range.start]);
        let mut weights = Vec::with_capacity(if level.weights.is_some() { targets.capacity() } else { 0 });
        for (k, &v) in nodes.iter().enumerate() {
            if let Some(&ahead) = nodes.get(k + ROW_AHEAD) {
                prefetch_row(level, ahead as usize);
            }
            if let Some(&ahead) = nodes.get(k + GROUPS_AHEAD) {
                for &u in level.neighbors(ahead as usize) {
                    prefetch(&new_id[u as usize]);
                }
            }
            let (start, end) = (level.offsets[v as usize], level.offsets[v as usize + 1]);
            targets.extend(level.targets[start..end].iter().map(|&u| new_id[u as usize]));
            if let Some(w) = level.weights.as_deref() {
                weights.extend_from_slice(&w[start..end]);
            }
        }
        (targets, weights)
    });
    let mut targets = Vec::with_capacity(level.targets.len());
    let mut weights = level.weights.as_ref().map(|w| Vec::with_capacity(w.len()));
    for (part_targets, part_weights) in parts {
        targets.extend_from_slice(&part_targets);
        if let Some(out) = weights.as_mut() {
            out.extend_from_slice(&part_weights);
        }
    }
    let node_weight = order.iter().map(|&v| level.node_weight[v as usize]).collect();
    let inside = order.iter().map(|&v| level.inside[v as usize]).collect();
    let new_partition = order.iter().map(|&v| partition[v as usize]).collect();
    let relabelled = Level {
        offsets: Cow::Owned(offsets),
        targets: Cow::Owned(targets),
        weights: weights.map(Cow::Owned),
        node_weight,
        inside,
    };
    (relabelled, new_partition, new_id)
}
