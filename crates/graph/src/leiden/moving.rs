//! Local moving: every node goes to the neighbouring community (or an empty
//! one) that gains most.
//!
//! Large levels start with batched rounds that run in parallel: the active
//! nodes (all of them, in a random order, in the first round) are cut into
//! batches of a fixed size; within a batch every node's best move is found in
//! parallel against the state at the start of the batch, then the moves are
//! applied one by one in batch order, each checked again against the
//! community weights of the moment (a move that no longer gains is dropped).
//! Nodes whose neighbours moved form the next round. When few nodes remain
//! active, the classic queue (Traag et al.'s fast local moving) finishes.
//! Batches, order and checks depend only on the level and the random order,
//! never on the number of threads, so the result does not either.

use std::collections::VecDeque;

use super::parallel::map_tasks;
use super::{Level, Tuning, prefetch, prefetch_row};
use crate::rng::Rng;

/// A proposal's target meaning "no move".
const STAY: u32 = u32::MAX;
/// A proposal's target meaning "alone, in an empty community".
const ALONE: u32 = u32::MAX - 1;

/// Community weights and sizes, and the empty communities.
struct Communities {
    weight: Vec<f64>,
    size: Vec<u32>,
    empty: Vec<u32>,
}

/// A node's best move found in parallel: where to, and its links to the target and to its own community.
#[derive(Debug, Clone, Copy)]
struct Proposal {
    target: u32,
    link_target: f64,
    link_current: f64,
}

/// Per-thread buffers: link weight to each community, and the communities touched.
struct Scratch {
    link: Vec<f64>,
    touched: Vec<u32>,
    table: Box<Table>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch { link: vec![0.0; n], touched: Vec::new(), table: Table::new() }
    }
}

/// Moves nodes of `level` between communities (`partition`, ids below `level.len()`).
pub(super) fn move_nodes(level: &Level, partition: &mut [u32], scale: f64, rng: &mut Rng, tuning: &Tuning) {
    let n = level.len();
    let mut comms = Communities { weight: vec![0.0; n], size: vec![0; n], empty: Vec::new() };
    for (&c, &a) in partition.iter().zip(&level.node_weight) {
        comms.weight[c as usize] += a;
        comms.size[c as usize] += 1;
    }
    comms.empty = (0..n as u32).filter(|&c| comms.size[c as usize] == 0).collect();
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    if n >= tuning.batched_min_nodes {
        order = batched_rounds(level, partition, &mut comms, scale, order, tuning);
    }
    queue_moves(level, partition, &mut comms, scale, order);
}

/// Nodes with at most this many links sum their links by community in a
/// small hash table (in the first-level cache) instead of the `n`-sized array.
const SMALL_DEGREE: usize = 128;
/// Slots of the small table: a power of two at least twice `SMALL_DEGREE`.
const TABLE: usize = 256;

/// A small open-addressing table from community to link weight.
struct Table {
    communities: [u32; SMALL_DEGREE],
    keys: [u32; TABLE],
    values: [f64; TABLE],
    used: Vec<u32>,
}

impl Table {
    fn new() -> Box<Table> {
        Box::new(Table {
            communities: [0; SMALL_DEGREE],
            keys: [u32::MAX; TABLE],
            values: [0.0; TABLE],
            used: Vec::with_capacity(TABLE),
        })
    }
}

/// The best community for `v` against the current state (not applied).
#[inline]
fn propose(level: &Level, partition: &[u32], weight: &[f64], scale: f64, v: usize, scratch: &mut Scratch) -> Proposal {
    let current = partition[v] as usize;
    let a = level.node_weight[v];
    let degree = level.neighbors(v).len();
    let (best, best_gain, link_target, link_current) = if degree <= SMALL_DEGREE {
        let table = &mut scratch.table;
        let mask = (2 * degree).next_power_of_two().clamp(2, TABLE) - 1;
        let slot_of = |keys: &[u32; TABLE], c: u32| {
            let mut slot = (c.wrapping_mul(0x9e37_79b1) as usize >> 8) & mask;
            while keys[slot] != c && keys[slot] != u32::MAX {
                slot = (slot + 1) & mask;
            }
            slot
        };
        // Read every neighbour's community first: independent loads that the
        // processor overlaps, where the table's probing would serialise them.
        let neighbors = level.neighbors(v);
        for (i, &u) in neighbors.iter().enumerate() {
            table.communities[i] = partition[u as usize];
        }
        let mut i = 0;
        level.for_each_arc(v, |_, w| {
            let c = table.communities[i];
            i += 1;
            let slot = slot_of(&table.keys, c);
            if table.keys[slot] == u32::MAX {
                table.keys[slot] = c;
                table.used.push(slot as u32);
            }
            table.values[slot] += w;
        });
        let own = slot_of(&table.keys, current as u32);
        let link_current = if table.keys[own] == current as u32 { table.values[own] } else { 0.0 };
        let mut best = current;
        let mut best_gain = link_current - scale * a * (weight[current] - a);
        let mut link_best = link_current;
        for &slot in &table.used {
            let c = table.keys[slot as usize] as usize;
            let link = table.values[slot as usize];
            if c != current {
                let gain = link - scale * a * weight[c];
                if gain > best_gain {
                    best = c;
                    best_gain = gain;
                    link_best = link;
                }
            }
        }
        for &slot in &table.used {
            table.keys[slot as usize] = u32::MAX;
            table.values[slot as usize] = 0.0;
        }
        table.used.clear();
        (best, best_gain, link_best, link_current)
    } else {
        let Scratch { link, touched, .. } = scratch;
        level.for_each_arc(v, |u, w| {
            let c = partition[u] as usize;
            if link[c] == 0.0 {
                touched.push(c as u32);
            }
            link[c] += w;
        });
        let link_current = link[current];
        let mut best = current;
        let mut best_gain = link_current - scale * a * (weight[current] - a);
        for &c in touched.iter() {
            let c = c as usize;
            if c != current {
                let gain = link[c] - scale * a * weight[c];
                if gain > best_gain {
                    best = c;
                    best_gain = gain;
                }
            }
        }
        let link_target = link[best];
        for &c in touched.iter() {
            link[c as usize] = 0.0;
        }
        touched.clear();
        (best, best_gain, link_target, link_current)
    };
    let target = if best != current {
        best as u32
    } else if best_gain < 0.0 {
        ALONE
    } else {
        STAY
    };
    Proposal { target, link_target, link_current }
}

/// How many nodes ahead [`propose_all`] asks for a node's row of links, and
/// (twice as far) for its offsets, community and weight.
const ROW_AHEAD: usize = 8;
/// How many nodes ahead [`propose_all`] asks for the communities of a node's neighbours.
const COMMUNITIES_AHEAD: usize = 3;

/// The proposals of `nodes`, in order. On a large level every node's links
/// and its neighbours' communities are scattered over memory larger than the
/// caches, and finding a node's best move waits mostly on those loads; the
/// loop therefore asks the processor to fetch them a few nodes ahead (the
/// node's offsets, community and weight first, which the random order
/// scatters too, then its row, then the communities the row names).
/// Prefetching is only a hint: the proposals are the same with or without it.
fn propose_all(
    level: &Level,
    partition: &[u32],
    weight: &[f64],
    scale: f64,
    nodes: &[u32],
    scratch: &mut Scratch,
) -> Vec<Proposal> {
    let mut out = Vec::with_capacity(nodes.len());
    for (i, &v) in nodes.iter().enumerate() {
        if let Some(&far) = nodes.get(i + 2 * ROW_AHEAD) {
            prefetch(&level.offsets[far as usize]);
            prefetch(&level.node_weight[far as usize]);
            prefetch(&partition[far as usize]);
        }
        if let Some(&near) = nodes.get(i + ROW_AHEAD) {
            prefetch_row(level, near as usize);
        }
        if let Some(&next) = nodes.get(i + COMMUNITIES_AHEAD) {
            for &u in level.neighbors(next as usize) {
                prefetch(&partition[u as usize]);
            }
        }
        out.push(propose(level, partition, weight, scale, v as usize, scratch));
    }
    out
}

/// Parallel rounds over batches; returns the nodes still active at the end.
fn batched_rounds(
    level: &Level,
    partition: &mut [u32],
    comms: &mut Communities,
    scale: f64,
    mut active: Vec<u32>,
    tuning: &Tuning,
) -> Vec<u32> {
    let n = level.len();
    let mut flagged = vec![false; n];
    let mut scratches: Vec<Scratch> = (0..tuning.threads).map(|_| Scratch::new(n)).collect();
    while active.len() >= tuning.batched_min_active {
        let mut next = Vec::new();
        for batch in active.chunks(tuning.batch) {
            let parts = tuning.threads.clamp(1, batch.len().div_ceil(256));
            let part_len = batch.len().div_ceil(parts);
            let shared: &[u32] = partition;
            let weight = &comms.weight;
            let proposals: Vec<Vec<Proposal>> = map_tasks(&mut scratches[..parts], parts, |t, scratch| {
                let slice = &batch[(t * part_len).min(batch.len())..((t + 1) * part_len).min(batch.len())];
                propose_all(level, shared, weight, scale, slice, scratch)
            });
            for (&v, p) in batch.iter().zip(proposals.iter().flatten()) {
                apply(level, partition, comms, scale, v as usize, *p, &mut flagged, &mut next);
            }
        }
        for &v in &next {
            flagged[v as usize] = false;
        }
        active = next;
    }
    active
}

/// Applies one proposal if it still gains with the community weights of the moment.
#[allow(clippy::too_many_arguments)]
#[inline]
fn apply(
    level: &Level,
    partition: &mut [u32],
    comms: &mut Communities,
    scale: f64,
    v: usize,
    p: Proposal,
    flagged: &mut [bool],
    next: &mut Vec<u32>,
) {
    if p.target == STAY {
        return;
    }
    let current = partition[v] as usize;
    let a = level.node_weight[v];
    let mut best = current;
    let mut best_gain = p.link_current - scale * a * (comms.weight[current] - a);
    if p.target != ALONE && comms.size[p.target as usize] > 0 {
        let gain = p.link_target - scale * a * comms.weight[p.target as usize];
        if gain > best_gain {
            best = p.target as usize;
            best_gain = gain;
        }
    }
    if best_gain < 0.0
        && comms.size[current] > 1
        && let Some(e) = comms.empty.pop()
    {
        best = e as usize;
    }
    if best == current {
        return;
    }
    comms.weight[current] -= a;
    comms.size[current] -= 1;
    comms.weight[best] += a;
    comms.size[best] += 1;
    partition[v] = best as u32;
    if comms.size[current] == 0 {
        comms.empty.push(current as u32);
    }
    for &u in level.neighbors(v) {
        let u = u as usize;
        if !flagged[u] && partition[u] as usize != best {
            flagged[u] = true;
            next.push(u as u32);
        }
    }
}

/// Fast local moving: visit nodes from a queue (starting with `queue`), move
/// each to the best neighbouring (or an empty) community, and queue the
/// neighbours that may now want to follow.
fn queue_moves(level: &Level, partition: &mut [u32], comms: &mut Communities, scale: f64, queue: Vec<u32>) {
    let n = level.len();
    let mut queued = vec![false; n];
    for &v in &queue {
        queued[v as usize] = true;
    }
    let mut queue: VecDeque<u32> = queue.into();
    let mut scratch = Scratch::new(n);
    let mut next = Vec::new();
    while let Some(v) = queue.pop_front() {
        let v = v as usize;
        queued[v] = false;
        let p = propose(level, partition, &comms.weight, scale, v, &mut scratch);
        apply(level, partition, comms, scale, v, p, &mut queued, &mut next);
        queue.extend(next.drain(..));
    }
}
