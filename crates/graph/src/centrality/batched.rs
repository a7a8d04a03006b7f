//! Brandes' betweenness for a batch of up to 64 sources at once (multi-source
//! breadth-first search in the manner of Then et al. 2014): each node keeps a
//! 64-bit mask of the sources that have reached it, so one scan of a node's
//! links serves every source of the batch whose search front is at that node.
//! Small levels are searched outwards (push), large ones inwards from the
//! nodes not yet reached (pull, direction-optimising as Beamer et al. 2012).
//! On lfr10k this reads each link about six times per 64 sources instead of
//! 64 times, and runs about 2.5 times faster than one source at a time.
//! Path counts and dependencies are still kept per source (`σ_s(v)`,
//! `δ_s(v)`), stored node-major so that one node's values for the whole
//! batch are adjacent in memory. Shortest-path counts are integers held
//! exactly in `f64`; dependencies are summed over successors in adjacency
//! order, so the scores equal the one-source-at-a-time algorithm's up to
//! floating-point rounding.

use crate::csr::Graph;

/// The most sources in one batch (bits of the masks).
pub(super) const MAX_BATCH: usize = 64;

/// Sources per batch for a graph of `n` nodes: 64, fewer on large graphs so
/// that the per-source arrays (`n` × batch × 8 bytes) stay within 32 MiB.
pub(super) fn batch_size(n: usize) -> usize {
    ((1usize << 22) / n.max(1)).clamp(1, MAX_BATCH)
}

/// Per-thread buffers, reused from batch to batch.
pub(super) struct Scratch {
    /// Sources that have reached each node (at this level or before).
    seen: Vec<u64>,
    /// Sources whose search reaches each node at the next level.
    next: Vec<u64>,
    /// Masks of the level after the one being accumulated, by node.
    below: Vec<u64>,
    /// σ_s(v) during the search, then (1 + δ_s(v)) / σ_s(v); at `v * batch + s`.
    paths: Vec<f64>,
    /// Nodes of each level with their masks, level after level.
    levels: Vec<(u32, u64)>,
    /// Where each level starts in `levels`.
    level_starts: Vec<usize>,
    batch: usize,
}

impl Scratch {
    /// Buffers for a graph of `n` nodes and batches of `batch` sources.
    pub(super) fn new(n: usize, batch: usize) -> Self {
        Scratch {
            seen: vec![0; n],
            next: vec![0; n],
            below: vec![0; n],
            paths: vec![0.0; n * batch],
            levels: Vec::new(),
            level_starts: Vec::new(),
            batch,
        }
    }
}

/// A level whose nodes hold fewer than 1/`PUSH_RATIO` of the arcs is
/// searched from its nodes outwards (push); a larger one from the nodes not
/// yet reached inwards (pull), which reads instead of scattering writes.
const PUSH_RATIO: usize = 16;

/// Push step of the search: σ_s(u) += σ_s(v) from the level `levels[start..end]`;
/// the nodes reached are appended to `levels` with their masks in `next`.
#[allow(clippy::too_many_arguments)]
fn push_level(
    graph: &Graph,
    k: usize,
    start: usize,
    end: usize,
    levels: &mut Vec<(u32, u64)>,
    seen: &[u64],
    next: &mut [u64],
    paths: &mut [f64],
) {
    for i in start..end {
        let (v, mask) = levels[i];
        let v = v as usize;
        for &u in graph.neighbors(v as u32) {
            let u = u as usize;
            let fresh = mask & !seen[u];
            if fresh != 0 {
                if next[u] == 0 {
                    levels.push((u as u32, 0));
                }
                next[u] |= fresh;
                let (from, to) = (v * k, u * k);
                let mut bits = fresh;
                while bits != 0 {
                    let s = bits.trailing_zeros() as usize;
                    paths[to + s] += paths[from + s];
                    bits &= bits - 1;
                }
            }
        }
    }
}

/// `sums[s] += node[s]` for every source `s` whose bit is set in `lanes`
/// (`node` starts at a node's values). An empty mask does nothing, without a
/// branch of its own: a third of the masks read are empty, unpredictably.
#[inline(always)]
fn add_lanes(sums: &mut [f64; MAX_BATCH], node: &[f64], lanes: u64) {
    let mut bits = lanes;
    while bits != 0 {
        let s = bits.trailing_zeros() as usize;
        sums[s] += node[s];
        bits &= bits - 1;
    }
}

/// Adds `scale` times the dependencies of every source in `sources` (at most
/// the scratch's batch size; repeats allowed) to `scores`.
pub(super) fn accumulate_batch(graph: &Graph, sources: &[u32], scratch: &mut Scratch, scores: &mut [f64], scale: f64) {
    let Scratch { seen, next, below, paths, levels, level_starts, batch } = scratch;
    let k = *batch;
    debug_assert!(sources.len() <= k && k <= MAX_BATCH);
    levels.clear();
    level_starts.clear();
    level_starts.push(0);
    for (bit, &s) in sources.iter().enumerate() {
        let s = s as usize;
        if next[s] == 0 {
            levels.push((s as u32, 0));
        }
        next[s] |= 1 << bit;
        paths[s * k + bit] = 1.0;
    }
    for entry in levels.iter_mut() {
        let v = entry.0 as usize;
        entry.1 = next[v];
        seen[v] = next[v];
        next[v] = 0;
    }
    // Forward, level by level, pulling: each node not yet reached by every
    // source gathers from its neighbours on the current level the sources that
    // reach it now, and σ_s(u) = Σ σ_s(v) over those neighbours.
    let full = if sources.len() == MAX_BATCH { u64::MAX } else { (1u64 << sources.len()) - 1 };
    let mut sums = [0.0f64; MAX_BATCH];
    loop {
        let (start, end) = (level_starts[level_starts.len() - 1], levels.len());
        if start == end {
            break;
        }
        let front_arcs: usize = levels[start..end].iter().map(|&(v, _)| graph.degree(v)).sum();
        if front_arcs * PUSH_RATIO < graph.arc_count() {
            push_level(graph, k, start, end, levels, seen, next, paths);
            level_starts.push(end);
            for entry in levels[end..].iter_mut() {
                let u = entry.0 as usize;
                entry.1 = next[u];
                seen[u] |= next[u];
                next[u] = 0;
            }
            continue;
        }
        for &(v, mask) in &levels[start..end] {
            below[v as usize] = mask;
        }
        for (u, &seen_u) in seen.iter().enumerate() {
            let unseen = !seen_u & full;
            if unseen == 0 {
                continue;
            }
            let mut reached = 0u64;
            for &v in graph.neighbors(u as u32) {
                let fresh = below[v as usize] & unseen;
                reached |= fresh;
                add_lanes(&mut sums, &paths[v as usize * k..], fresh);
            }
            if reached != 0 {
                levels.push((u as u32, reached));
                let to = u * k;
                let mut bits = reached;
                while bits != 0 {
                    let s = bits.trailing_zeros() as usize;
                    paths[to + s] = sums[s];
                    sums[s] = 0.0;
                    bits &= bits - 1;
                }
            }
        }
        for &(v, _) in &levels[start..end] {
            below[v as usize] = 0;
        }
        level_starts.push(end);
        for &(u, mask) in &levels[end..] {
            seen[u as usize] |= mask;
        }
    }
    // Backward: deepest level first, δ_s(v) = σ_s(v) Σ_{u succ v} (1 + δ_s(u)) / σ_s(u);
    // the slot of σ_s(v) then holds (1 + δ_s(v)) / σ_s(v) for the level above.
    // Level 0 holds the sources themselves, which score nothing.
    let depth = level_starts.len() - 1;
    for d in (1..depth).rev() {
        let (start, end) = (level_starts[d], level_starts[d + 1]);
        let (after_start, after_end) = (end, level_starts.get(d + 2).copied().unwrap_or(levels.len()));
        for &(u, mask) in &levels[after_start..after_end] {
            below[u as usize] = mask;
        }
        // The deepest level has no successors: its links need not be read.
        let deepest = after_start == after_end;
        for &(v, mask) in &levels[start..end] {
            let v = v as usize;
            let links = if deepest { &[][..] } else { graph.neighbors(v as u32) };
            for &u in links {
                add_lanes(&mut sums, &paths[u as usize * k..], mask & below[u as usize]);
            }
            let mut total = 0.0;
            let mut bits = mask;
            while bits != 0 {
                let s = bits.trailing_zeros() as usize;
                let slot = &mut paths[v * k + s];
                let delta = *slot * sums[s];
                *slot = (1.0 + delta) / *slot;
                total += delta;
                sums[s] = 0.0;
                bits &= bits - 1;
            }
            scores[v] += total * scale;
        }
        for &(u, _) in &levels[after_start..after_end] {
            below[u as usize] = 0;
        }
    }
    for &(v, _) in levels.iter() {
        let v = v as usize;
        seen[v] = 0;
        paths[v * k..(v + 1) * k].fill(0.0);
    }
}
