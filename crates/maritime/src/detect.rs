//! The streaming behaviour detector: positions in, events out, with bounded
//! state per vessel.

use crate::event::{Details, Event, EventKind};
use crate::geo::{Area, AreaIndex, NM, cos_lat, distance_m, implied_knots};
use crate::position::{Position, StaticInfo};
use crate::segment::{OpenSegment, SegmentConfig};
use serde::Serialize;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// AIS gap ("going dark") thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GapConfig {
    /// Silence of at least this many hours between consecutive positions of
    /// one MMSI is a gap. Default 6 h: GFW's raw gap tables and Skylight's
    /// "potential dark activity". GFW's published events (and Welch et al.
    /// 2022) use 12 h: see [`GapConfig::gfw_published`].
    pub min_hours: f64,
}

impl Default for GapConfig {
    fn default() -> Self {
        GapConfig { min_hours: 6.0 }
    }
}

impl GapConfig {
    /// GFW's published gap events: 12 hours or longer.
    pub fn gfw_published() -> Self {
        GapConfig { min_hours: 12.0 }
    }
}

/// Encounter (rendezvous at sea) thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EncounterConfig {
    /// Two positions at most this far apart (metres) are close. Default 500
    /// (GFW).
    pub max_distance_m: f64,
    /// The median speed of both vessels during the encounter must be below
    /// this (knots). Default 2 (GFW).
    pub max_median_knots: f64,
    /// Minimum duration in hours. Default 2 (GFW).
    pub min_hours: f64,
    /// Two positions are compared only if at most this many seconds apart;
    /// a partner silent for longer ends the encounter. Default 600 (GFW
    /// interpolates tracks to 10-minute steps).
    pub max_time_diff_s: i64,
}

impl Default for EncounterConfig {
    fn default() -> Self {
        EncounterConfig { max_distance_m: 500.0, max_median_knots: 2.0, min_hours: 2.0, max_time_diff_s: 600 }
    }
}

impl EncounterConfig {
    /// Skylight's "standard rendezvous": within 250 m for more than 30
    /// minutes. Skylight publishes no speed limit; GFW's 2 kn median is kept
    /// so that vessels in convoy are not reported.
    pub fn skylight() -> Self {
        EncounterConfig { max_distance_m: 250.0, min_hours: 0.5, ..Self::default() }
    }
}

/// Loitering thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LoiterConfig {
    /// Speed between consecutive points (distance / hours, as GFW's
    /// pipeline computes it) below this is slow. Default 2 kn (GFW).
    pub max_knots: f64,
    /// Minimum duration in hours. Default 1 (GFW carrier portal).
    /// GFW also requires 20 nm from shore; Tessera has no coastline data
    /// here, so no distance from shore is applied.
    pub min_hours: f64,
}

impl Default for LoiterConfig {
    fn default() -> Self {
        LoiterConfig { max_knots: 2.0, min_hours: 1.0 }
    }
}

/// Impossible speed / position jump thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct JumpConfig {
    /// Implied speed between consecutive points of one MMSI above this is
    /// impossible. Default 25 kn (gpsdio-segment `max_knots`).
    pub max_knots: f64,
    /// Moves shorter than this (metres) are never jumps (GPS noise between
    /// reports seconds apart). Default 1000 m (Tessera's own).
    pub min_distance_m: f64,
}

impl Default for JumpConfig {
    fn default() -> Self {
        JumpConfig { max_knots: 25.0, min_distance_m: 1000.0 }
    }
}

/// Short mid-sea stop (small-boat launch) thresholds. These are Tessera's
/// own: published encounter and loitering thresholds (1-2 h) are far longer
/// than a launch (about 15 minutes).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StopConfig {
    /// Below this speed (knots) the vessel is stopped. Default 1.
    pub stop_knots: f64,
    /// Above this speed (knots) the vessel is in transit. Default 5.
    pub transit_knots: f64,
    /// Shortest stop reported, minutes. Default 5.
    pub min_minutes: f64,
    /// Longest stop reported, minutes. Default 45.
    pub max_minutes: f64,
    /// Report only stops that begin inside a watched area. Default false.
    pub only_in_areas: bool,
}

impl Default for StopConfig {
    fn default() -> Self {
        StopConfig { stop_knots: 1.0, transit_knots: 5.0, min_minutes: 5.0, max_minutes: 45.0, only_in_areas: false }
    }
}

/// All thresholds of the [`Detector`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectorConfig {
    /// Track segmentation.
    pub segment: SegmentConfig,
    /// AIS gaps.
    pub gap: GapConfig,
    /// Encounters.
    pub encounter: EncounterConfig,
    /// Loitering.
    pub loiter: LoiterConfig,
    /// Position jumps.
    pub jump: JumpConfig,
    /// Short stops.
    pub stop: StopConfig,
    /// A vessel silent this long (hours, relative to the latest time of the
    /// stream) has its state dropped: open segments close (loitering still
    /// running is reported), encounters end, and only its last position,
    /// last segment id and merged static data are kept, so that a gap and
    /// an identity change are still reported if it reappears. Default 24;
    /// never less than the segmentation, gap, loitering and encounter
    /// windows (the largest of them is used if it is).
    pub evict_after_hours: f64,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            segment: SegmentConfig::default(),
            gap: GapConfig::default(),
            encounter: EncounterConfig::default(),
            loiter: LoiterConfig::default(),
            jump: JumpConfig::default(),
            stop: StopConfig::default(),
            evict_after_hours: 24.0,
        }
    }
}

impl DetectorConfig {
    /// The silence (seconds) after which a vessel's state is dropped:
    /// `evict_after_hours`, raised to the longest window a detector needs.
    pub fn evict_after_seconds(&self) -> i64 {
        let hours = [
            self.evict_after_hours,
            self.segment.max_gap_hours,
            self.gap.min_hours,
            self.loiter.min_hours,
            self.encounter.min_hours,
            self.encounter.max_time_diff_s as f64 / 3600.0,
            self.stop.max_minutes / 60.0,
        ]
        .into_iter()
        .filter(|h| h.is_finite())
        .fold(0.0, f64::max);
        (hours * 3600.0).min(i64::MAX as f64 / 2.0) as i64
    }
}

/// Counts of what the detector did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DetectorStats {
    /// Positions processed in time order.
    pub positions: u64,
    /// Positions dropped because not on the globe (NaN, 91/181).
    pub invalid: u64,
    /// Positions older than the MMSI's latest: used only to retract gaps.
    pub late: u64,
    /// Segments opened.
    pub segments: u64,
    /// Events emitted (retractions included).
    pub events: u64,
    /// Times a vessel's state was dropped after `evict_after_hours` of
    /// silence.
    pub evicted: u64,
}

/// A fast hasher for integer keys (FxHash's multiply-rotate).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    fn write_i32(&mut self, i: i32) {
        self.write_u64(i as u32 as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

const MAX_GAPS: usize = 8;
const MAX_PARTNERS: usize = 16;
const MAX_SPEEDS: usize = 1024;

#[derive(Debug, Clone)]
enum StopPhase {
    Idle,
    Transit,
    Stopped { first: Position, moving_since: Option<i64> },
}

#[derive(Debug, Clone)]
struct Loiter {
    first: i64,
    last: i64,
    dist_m: f64,
    sum_lat: f64,
    sum_lon: f64,
    n: u32,
}

#[derive(Debug, Clone)]
struct Seg {
    id: u64,
    last: Position,
    loiter: Option<Loiter>,
    stop: StopPhase,
    inside: Vec<u16>,
}

impl OpenSegment for Seg {
    fn last(&self) -> &Position {
        &self.last
    }
}

#[derive(Debug, Clone, Copy)]
struct GapRec {
    id: u64,
    segment: Option<u64>,
    from: Position,
    to: Position,
}

#[derive(Debug, Default)]
struct Vessel {
    mmsi: u32,
    last: Option<Position>,
    last_seg: Option<u64>,
    speed: f64,
    segs: Vec<Seg>,
    gaps: Vec<GapRec>,
    cell: Option<(i32, i32)>,
    partners: Vec<u32>,
    statics: Option<StaticInfo>,
}

/// What is kept of a vessel whose state was dropped.
#[derive(Debug)]
struct Dormant {
    last: Option<Position>,
    last_seg: Option<u64>,
    statics: Option<StaticInfo>,
}

#[derive(Debug)]
struct Pair {
    start: i64,
    end: i64,
    speeds: Vec<f32>,
    min_m: f64,
    sum_lat: f64,
    sum_lon: f64,
    n: u32,
}

/// The streaming behaviour engine: feed positions in time order (per MMSI;
/// across vessels the order matters only for encounters, which compare a
/// position with the other vessel's latest) and static records; it
/// segments tracks and emits [`Event`]s as soon as they are certain.
///
/// State per vessel is bounded: at most `segment.max_open` open segments,
/// 8 recent gaps, 16 encounter partners, one merged static record.
///
/// Late data: a position older than its MMSI's latest is not fed to the
/// detectors (they assume order); if it falls inside a gap already
/// reported, that gap is withdrawn with a [`EventKind::Retracted`] event
/// and the parts of it still long enough are reported again. Late data can
/// in principle contradict other events too (a late fast point inside a
/// loiter); those are not retracted.
pub struct Detector {
    core: Core,
    vessels: Vec<Vessel>,
    index: FxMap<u32, usize>,
    grid: FxMap<(i32, i32), Vec<u32>>,
    pairs: FxMap<(u32, u32), Pair>,
    imo_owner: FxMap<u32, u32>,
    dormant: FxMap<u32, Dormant>,
    scratch_kept: Vec<u32>,
    scratch_found: Vec<u32>,
    cell_deg: f64,
    now: i64,
    next_sweep: i64,
}

/// Stream time between two sweeps for silent vessels (seconds).
const SWEEP_EVERY: i64 = 3600;

/// Thresholds, areas and counters: what every detector step needs, apart
/// from the vessels, so that a vessel can be borrowed while events are
/// emitted.
struct Core {
    cfg: DetectorConfig,
    areas: Vec<Area>,
    area_index: AreaIndex,
    next_event: u64,
    next_segment: u64,
    stats: DetectorStats,
}

impl Core {
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        out: &mut Vec<Event>,
        kind: EventKind,
        mmsi: u32,
        other_mmsi: Option<u32>,
        segment: Option<u64>,
        (start, end): (i64, i64),
        (lat, lon): (f64, f64),
        details: Details,
    ) -> u64 {
        let id = self.next_event;
        self.next_event += 1;
        self.stats.events += 1;
        out.push(Event { id, kind, mmsi, other_mmsi, segment, start, end, lat, lon, details });
        id
    }

    fn gap_event(&mut self, v: &mut Vessel, seg: Option<u64>, from: Position, to: Position, out: &mut Vec<Event>) {
        let dt = to.time.saturating_sub(from.time);
        let d = distance_m(from.lat, from.lon, to.lat, to.lon);
        let details = Details::Gap {
            hours: dt as f64 / 3600.0,
            distance_nm: d / NM,
            implied_knots: implied_knots(d, dt),
            end_lat: to.lat,
            end_lon: to.lon,
        };
        let id =
            self.emit(out, EventKind::Gap, to.mmsi, None, seg, (from.time, to.time), (from.lat, from.lon), details);
        if v.gaps.len() >= MAX_GAPS {
            v.gaps.remove(0);
        }
        v.gaps.push(GapRec { id, segment: seg, from, to });
    }

    fn retract_gaps(&mut self, v: &mut Vessel, p: &Position, out: &mut Vec<Event>) {
        let Some(k) = v.gaps.iter().position(|g| g.from.time < p.time && p.time < g.to.time) else {
            return;
        };
        let g = v.gaps.remove(k);
        let details = Details::Retracted { event: g.id, reason: "late position inside the gap" };
        self.emit(
            out,
            EventKind::Retracted,
            p.mmsi,
            None,
            g.segment,
            (g.from.time, g.to.time),
            (p.lat, p.lon),
            details,
        );
        let min = self.cfg.gap.min_hours * 3600.0;
        if p.time.saturating_sub(g.from.time) as f64 >= min {
            self.gap_event(v, g.segment, g.from, *p, out);
        }
        if g.to.time.saturating_sub(p.time) as f64 >= min {
            self.gap_event(v, g.segment, *p, g.to, out);
        }
    }

    fn close_segment(&mut self, mmsi: u32, mut s: Seg, out: &mut Vec<Event>) {
        if let Some(l) = s.loiter.take() {
            self.loiter_close(mmsi, s.id, l, out);
        }
    }

    fn loiter_step(&mut self, mmsi: u32, seg: &mut Seg, prev: &Position, p: &Position, d: f64, out: &mut Vec<Event>) {
        let dt = p.time.saturating_sub(prev.time);
        if dt <= 0 {
            return;
        }
        if dt as f64 >= self.cfg.gap.min_hours * 3600.0 {
            // A silence long enough to be a gap is not loitering that anyone observed: the
            // loitering running when the vessel went dark ends there, and the slow-looking step
            // across the silence does not start one.
            if let Some(l) = seg.loiter.take() {
                self.loiter_close(mmsi, seg.id, l, out);
            }
            return;
        }
        if implied_knots(d, dt) < self.cfg.loiter.max_knots {
            let l = seg.loiter.get_or_insert(Loiter {
                first: prev.time,
                last: prev.time,
                dist_m: 0.0,
                sum_lat: prev.lat,
                sum_lon: prev.lon,
                n: 1,
            });
            l.last = p.time;
            l.dist_m += d;
            l.sum_lat += p.lat;
            l.sum_lon += p.lon;
            l.n += 1;
        } else if let Some(l) = seg.loiter.take() {
            self.loiter_close(mmsi, seg.id, l, out);
        }
    }

    fn loiter_close(&mut self, mmsi: u32, seg: u64, l: Loiter, out: &mut Vec<Event>) {
        let secs = l.last.saturating_sub(l.first);
        if secs as f64 >= self.cfg.loiter.min_hours * 3600.0 {
            let details =
                Details::Loitering { average_knots: implied_knots(l.dist_m, secs), distance_nm: l.dist_m / NM };
            let n = l.n as f64;
            self.emit(
                out,
                EventKind::Loitering,
                mmsi,
                None,
                Some(seg),
                (l.first, l.last),
                (l.sum_lat / n, l.sum_lon / n),
                details,
            );
        }
    }

    fn area_step(&mut self, mmsi: u32, seg: &mut Seg, p: &Position, out: &mut Vec<Event>) {
        let candidates = self.area_index.candidates(p.lat, p.lon);
        if candidates.is_empty() && seg.inside.is_empty() {
            return;
        }
        // (area, now inside) for every area whose state changes, in area order.
        let mut changes: Vec<(u16, bool)> = Vec::new();
        for &i in candidates {
            let now = self.areas[usize::from(i)].contains(p.lat, p.lon);
            if now != seg.inside.contains(&i) {
                changes.push((i, now));
            }
        }
        // Areas the segment was in whose box the point is not even near.
        changes.extend(seg.inside.iter().filter(|i| !candidates.contains(i)).map(|&i| (i, false)));
        if changes.is_empty() {
            return;
        }
        changes.sort_unstable();
        for (i, now) in changes {
            let kind = if now {
                seg.inside.push(i);
                EventKind::AreaEntry
            } else {
                seg.inside.retain(|&a| a != i);
                EventKind::AreaExit
            };
            let details = Details::Area { area: self.areas[usize::from(i)].name.clone() };
            self.emit(out, kind, mmsi, None, Some(seg.id), (p.time, p.time), (p.lat, p.lon), details);
        }
    }

    fn stop_step(&mut self, mmsi: u32, seg: &mut Seg, p: &Position, speed: f64, out: &mut Vec<Event>) {
        let c = self.cfg.stop;
        let max_s = c.max_minutes * 60.0;
        seg.stop = match std::mem::replace(&mut seg.stop, StopPhase::Idle) {
            StopPhase::Idle if speed > c.transit_knots => StopPhase::Transit,
            StopPhase::Idle => StopPhase::Idle,
            StopPhase::Transit if speed < c.stop_knots => StopPhase::Stopped { first: *p, moving_since: None },
            StopPhase::Transit => StopPhase::Transit,
            StopPhase::Stopped { first, moving_since } => {
                let end = moving_since.unwrap_or(p.time);
                if speed > c.transit_knots {
                    let secs = end.saturating_sub(first.time) as f64;
                    if secs >= c.min_minutes * 60.0 && secs <= max_s {
                        let area = self.areas.iter().find(|a| a.contains(first.lat, first.lon)).map(|a| a.name.clone());
                        if area.is_some() || !c.only_in_areas {
                            let details = Details::ShortStop { minutes: secs / 60.0, area };
                            self.emit(
                                out,
                                EventKind::ShortStop,
                                mmsi,
                                None,
                                Some(seg.id),
                                (first.time, end),
                                (first.lat, first.lon),
                                details,
                            );
                        }
                    }
                    StopPhase::Transit
                } else if p.time.saturating_sub(first.time) as f64 > max_s && speed < c.stop_knots {
                    StopPhase::Idle
                } else if speed < c.stop_knots {
                    StopPhase::Stopped { first, moving_since: None }
                } else {
                    StopPhase::Stopped { first, moving_since: Some(end) }
                }
            }
        };
    }
}

impl Detector {
    /// A detector with these thresholds and watched areas.
    pub fn new(cfg: DetectorConfig, areas: Vec<Area>) -> Detector {
        let cell_deg = (cfg.encounter.max_distance_m / 111_195.0).clamp(1e-4, 10.0);
        Detector {
            core: Core {
                cfg,
                area_index: AreaIndex::new(&areas),
                areas,
                next_event: 0,
                next_segment: 0,
                stats: DetectorStats::default(),
            },
            vessels: Vec::new(),
            index: FxMap::default(),
            grid: FxMap::default(),
            pairs: FxMap::default(),
            imo_owner: FxMap::default(),
            dormant: FxMap::default(),
            scratch_kept: Vec::new(),
            scratch_found: Vec::new(),
            cell_deg,
            now: i64::MIN,
            next_sweep: i64::MIN,
        }
    }

    /// Vessels whose full state is held (heard within `evict_after_hours`).
    pub fn live_vessels(&self) -> usize {
        self.vessels.len()
    }

    /// Vessels reduced to their last position and static data.
    pub fn dormant_vessels(&self) -> usize {
        self.dormant.len()
    }

    /// What the detector has processed and emitted so far.
    pub fn stats(&self) -> DetectorStats {
        self.core.stats
    }

    fn vessel(&self, mmsi: u32) -> Option<&Vessel> {
        self.index.get(&mmsi).map(|&i| &self.vessels[i])
    }

    fn vessel_mut(&mut self, mmsi: u32) -> Option<&mut Vessel> {
        self.index.get(&mmsi).map(|&i| &mut self.vessels[i])
    }

    /// The slot of an MMSI, created on first sight (from what was kept if
    /// it is dormant).
    fn slot(&mut self, mmsi: u32) -> usize {
        let n = self.vessels.len();
        let i = *self.index.entry(mmsi).or_insert(n);
        if i == n {
            let mut v = Vessel { mmsi, ..Vessel::default() };
            if let Some(d) = self.dormant.remove(&mmsi) {
                v.last = d.last;
                v.last_seg = d.last_seg;
                v.statics = d.statics;
            }
            self.vessels.push(v);
        }
        i
    }

    /// Every [`SWEEP_EVERY`] seconds of stream time: drops the state of the
    /// vessels silent for longer than the eviction window.
    fn advance(&mut self, time: i64, out: &mut Vec<Event>) {
        if time <= self.now {
            return;
        }
        self.now = time;
        if time < self.next_sweep {
            return;
        }
        self.next_sweep = time.saturating_add(SWEEP_EVERY);
        let cutoff = time.saturating_sub(self.core.cfg.evict_after_seconds());
        let mut silent: Vec<u32> = self
            .index
            .iter()
            .filter(|&(_, &i)| {
                let v = &self.vessels[i];
                let seen = v.last.map(|l| l.time).or_else(|| v.statics.as_ref().and_then(|s| s.time));
                seen.is_some_and(|t| t < cutoff)
            })
            .map(|(&m, _)| m)
            .collect();
        silent.sort_unstable();
        for mmsi in silent {
            self.evict(mmsi, out);
        }
    }

    /// Ends a vessel's encounters and segments and keeps only its last
    /// position, segment and static data.
    fn evict(&mut self, mmsi: u32, out: &mut Vec<Event>) {
        let Some(&i) = self.index.get(&mmsi) else { return };
        // Encounters end first, while the vessel can still name its segment.
        let partners = std::mem::take(&mut self.vessels[i].partners);
        for other in partners {
            self.close_pair((mmsi.min(other), mmsi.max(other)), out);
            if let Some(ov) = self.vessel_mut(other) {
                ov.partners.retain(|&m| m != mmsi);
            }
        }
        self.index.remove(&mmsi);
        let mut v = self.vessels.swap_remove(i);
        if let Some(moved) = self.vessels.get(i) {
            self.index.insert(moved.mmsi, i);
        }
        if let Some(c) = v.cell
            && let Some(list) = self.grid.get_mut(&c)
        {
            list.retain(|&m| m != mmsi);
            if list.is_empty() {
                self.grid.remove(&c);
            }
        }
        v.segs.sort_by_key(|s| s.id);
        for s in v.segs {
            self.core.close_segment(mmsi, s, out);
        }
        self.core.stats.evicted += 1;
        self.dormant.insert(mmsi, Dormant { last: v.last, last_seg: v.last_seg, statics: v.statics });
    }

    /// The merged static data of an MMSI, if any was seen.
    pub fn statics(&self, mmsi: u32) -> Option<&StaticInfo> {
        self.vessel(mmsi).and_then(|v| v.statics.as_ref())
    }

    /// The segment the MMSI's latest position joined.
    pub fn current_segment(&self, mmsi: u32) -> Option<u64> {
        self.vessel(mmsi).and_then(|v| v.last_seg)
    }

    /// Feeds one position; events it completes are appended to `out`.
    pub fn push(&mut self, p: Position, out: &mut Vec<Event>) {
        if !p.is_valid() {
            self.core.stats.invalid += 1;
            return;
        }
        if p.time > self.now {
            self.advance(p.time, out);
        }
        let vi = match self.index.get(&p.mmsi) {
            Some(&i) => i,
            None => self.slot(p.mmsi),
        };
        let core = &mut self.core;
        let v = &mut self.vessels[vi];
        if let Some(last) = v.last
            && p.time < last.time
        {
            core.stats.late += 1;
            core.retract_gaps(v, &p, out);
            return;
        }
        core.stats.positions += 1;

        // Gaps and jumps: between consecutive points of the MMSI.
        let mut from_last = None;
        if let Some(last) = v.last {
            let dt = p.time.saturating_sub(last.time);
            let d = distance_m(last.lat, last.lon, p.lat, p.lon);
            from_last = Some((last, d));
            let knots = implied_knots(d, dt);
            if dt as f64 >= core.cfg.gap.min_hours * 3600.0 {
                let seg = v.last_seg;
                core.gap_event(v, seg, last, p, out);
            }
            if knots > core.cfg.jump.max_knots && d >= core.cfg.jump.min_distance_m {
                let details = Details::SpeedJump { distance_nm: d / NM, implied_knots: knots };
                let seg = v.last_seg;
                core.emit(out, EventKind::SpeedJump, p.mmsi, None, seg, (last.time, p.time), (p.lat, p.lon), details);
            }
        }

        // Segmentation: close stale segments, then join or open one.
        let sc = core.cfg.segment;
        let prev = from_last.as_ref().map(|(l, d)| (l, *d));
        let chosen = sc.join(&mut v.segs, &p, prev, |s| core.close_segment(p.mmsi, s, out));
        let (idx, new_seg) = match chosen {
            Some(i) => (i, false),
            None => {
                sc.make_room(&mut v.segs, |s| core.close_segment(p.mmsi, s, out));
                let id = core.next_segment;
                core.next_segment += 1;
                core.stats.segments += 1;
                v.segs.push(Seg { id, last: p, loiter: None, stop: StopPhase::Idle, inside: Vec::new() });
                (v.segs.len() - 1, true)
            }
        };
        let seg = &mut v.segs[idx];
        let prev = seg.last;
        let d_prev = match from_last {
            Some((l, d)) if l.same_fix(&prev) => d,
            _ => distance_m(prev.lat, prev.lon, p.lat, p.lon),
        };
        let speed = match p.reported_speed() {
            Some(s) => s,
            None if new_seg => 0.0,
            None => implied_knots(d_prev, p.time.saturating_sub(prev.time)).min(1e6),
        };
        if !new_seg {
            core.loiter_step(p.mmsi, seg, &prev, &p, d_prev, out);
        }
        if !core.areas.is_empty() {
            core.area_step(p.mmsi, seg, &p, out);
        }
        core.stop_step(p.mmsi, seg, &p, speed, out);
        seg.last = p;
        let seg_id = seg.id;
        v.last = Some(p);
        v.last_seg = Some(seg_id);
        v.speed = speed;
        self.encounter_step(vi, &p, speed, out);
    }

    fn cell(&self, lat: f64, lon: f64) -> (i32, i32) {
        ((lat / self.cell_deg).floor() as i32, (lon / self.cell_deg).floor() as i32)
    }

    fn encounter_step(&mut self, vi: usize, p: &Position, speed: f64, out: &mut Vec<Event>) {
        let c = self.core.cfg.encounter;
        let slow = speed < c.max_median_knots;
        // Grid membership: only slow vessels can start an encounter.
        let cell = slow.then(|| self.cell(p.lat, p.lon));
        let v = &mut self.vessels[vi];
        if cell.is_none() && v.cell.is_none() && v.partners.is_empty() {
            return;
        }
        let old_cell = v.cell;
        v.cell = cell;
        let mut partners = std::mem::take(&mut v.partners);
        if old_cell != cell {
            if let Some(oc) = old_cell
                && let Some(list) = self.grid.get_mut(&oc)
            {
                if let Some(k) = list.iter().position(|&m| m == p.mmsi) {
                    list.swap_remove(k);
                }
                if list.is_empty() {
                    self.grid.remove(&oc);
                }
            }
            if let Some(nc) = cell {
                self.grid.entry(nc).or_default().push(p.mmsi);
            }
        }
        // Ongoing encounters continue or end.
        // Buffers reused from one position to the next: no allocation in
        // the steady state.
        let mut kept = std::mem::take(&mut self.scratch_kept);
        kept.clear();
        for other in partners.drain(..) {
            let near = self.near(p, other);
            let key = (p.mmsi.min(other), p.mmsi.max(other));
            match (near, self.pairs.get_mut(&key)) {
                (Some((d, os)), Some(pair)) => {
                    pair.end = p.time;
                    pair.min_m = pair.min_m.min(d);
                    pair.sum_lat += p.lat;
                    pair.sum_lon += p.lon;
                    pair.n += 1;
                    if pair.speeds.len() < MAX_SPEEDS {
                        pair.speeds.push(speed as f32);
                        pair.speeds.push(os as f32);
                    }
                    kept.push(other);
                }
                (None, Some(_)) => {
                    self.close_pair(key, out);
                    if let Some(ov) = self.vessel_mut(other) {
                        ov.partners.retain(|&m| m != p.mmsi);
                    }
                }
                _ => {}
            }
        }
        // New encounters: slow vessels near a slow position.
        if let Some((cy, cx)) = cell {
            let coslat = cos_lat(p.lat.to_radians()).max(1e-3);
            let dx = ((1.0 / coslat).ceil() as i32).min(64);
            let mut found = std::mem::take(&mut self.scratch_found);
            found.clear();
            for y in cy - 1..=cy + 1 {
                for x in cx - dx..=cx + dx {
                    if let Some(list) = self.grid.get(&(y, x)) {
                        found.extend(list.iter().copied().filter(|&m| m != p.mmsi && !kept.contains(&m)));
                    }
                }
            }
            for other in found.drain(..) {
                if kept.len() >= MAX_PARTNERS {
                    break;
                }
                let Some((d, os)) = self.near(p, other) else { continue };
                let ov = match self.vessel_mut(other) {
                    Some(ov) if ov.partners.len() < MAX_PARTNERS => ov,
                    _ => continue,
                };
                ov.partners.push(p.mmsi);
                let start = ov.last.map_or(p.time, |l| l.time.min(p.time));
                kept.push(other);
                self.pairs.insert(
                    (p.mmsi.min(other), p.mmsi.max(other)),
                    Pair {
                        start,
                        end: p.time,
                        speeds: vec![speed as f32, os as f32],
                        min_m: d,
                        sum_lat: p.lat,
                        sum_lon: p.lon,
                        n: 1,
                    },
                );
            }
            self.scratch_found = found;
        }
        if let Some(v) = self.vessel_mut(p.mmsi) {
            v.partners = kept;
        }
        self.scratch_kept = partners;
    }

    /// Distance to `other`'s latest position and its speed, if close in
    /// space and time.
    fn near(&self, p: &Position, other: u32) -> Option<(f64, f64)> {
        let o = self.vessel(other)?;
        let l = o.last?;
        if p.time.saturating_sub(l.time).saturating_abs() > self.core.cfg.encounter.max_time_diff_s {
            return None;
        }
        let d = distance_m(p.lat, p.lon, l.lat, l.lon);
        (d <= self.core.cfg.encounter.max_distance_m).then_some((d, o.speed))
    }

    fn close_pair(&mut self, key: (u32, u32), out: &mut Vec<Event>) {
        let Some(mut pair) = self.pairs.remove(&key) else { return };
        let secs = pair.end.saturating_sub(pair.start);
        if (secs as f64) < self.core.cfg.encounter.min_hours * 3600.0 || pair.speeds.is_empty() {
            return;
        }
        pair.speeds.sort_by(f32::total_cmp);
        let n = pair.speeds.len();
        let median = if n % 2 == 1 {
            pair.speeds[n / 2] as f64
        } else {
            (pair.speeds[n / 2 - 1] as f64 + pair.speeds[n / 2] as f64) / 2.0
        };
        if median >= self.core.cfg.encounter.max_median_knots {
            return;
        }
        let details = Details::Encounter { median_knots: median, min_distance_m: pair.min_m, observations: pair.n };
        let seg = self.vessel(key.0).and_then(|v| v.last_seg);
        let k = pair.n as f64;
        self.core.emit(
            out,
            EventKind::Encounter,
            key.0,
            Some(key.1),
            seg,
            (pair.start, pair.end),
            (pair.sum_lat / k, pair.sum_lon / k),
            details,
        );
    }

    /// Feeds one static record: merges it into the MMSI's static picture
    /// and reports name, call sign and IMO changes, and an IMO number that
    /// moves to another MMSI (with the flag change its MID implies; one
    /// MMSI always has one flag, so a flag change shows only this way).
    pub fn push_static(&mut self, s: &StaticInfo, out: &mut Vec<Event>) {
        let vi = self.slot(s.mmsi);
        let mut v = std::mem::take(&mut self.vessels[vi]);
        let time = s.time.or(v.last.map(|l| l.time)).unwrap_or(0);
        let (lat, lon) = v.last.map_or((f64::NAN, f64::NAN), |l| (l.lat, l.lon));
        let seg = v.last_seg;
        let mut changes: Vec<(&'static str, String, String)> = Vec::new();
        if let Some(old) = &v.statics {
            let mut cmp = |field: &'static str, a: Option<String>, b: Option<String>| {
                if let (Some(a), Some(b)) = (a, b)
                    && a != b
                {
                    changes.push((field, a, b));
                }
            };
            cmp("name", old.name.clone(), s.name.clone());
            cmp("callsign", old.callsign.clone(), s.callsign.clone());
            cmp("imo", old.imo.map(|i| i.to_string()), s.imo.map(|i| i.to_string()));
        }
        for (field, old, new) in changes {
            let details = Details::IdentityChange { field, old, new };
            self.core.emit(out, EventKind::IdentityChange, s.mmsi, None, seg, (time, time), (lat, lon), details);
        }
        if let Some(imo) = s.imo
            && let Some(prev) = self.imo_owner.insert(imo, s.mmsi).filter(|&m| m != s.mmsi)
        {
            let details = Details::IdentityChange { field: "mmsi", old: prev.to_string(), new: s.mmsi.to_string() };
            self.core.emit(out, EventKind::IdentityChange, s.mmsi, Some(prev), seg, (time, time), (lat, lon), details);
            let (fo, fnew) = (crate::position::flag_of(prev), crate::position::flag_of(s.mmsi));
            if fo != fnew {
                let show = |f: Option<&str>| f.unwrap_or("unknown").to_string();
                let details = Details::IdentityChange { field: "flag", old: show(fo), new: show(fnew) };
                self.core.emit(
                    out,
                    EventKind::IdentityChange,
                    s.mmsi,
                    Some(prev),
                    seg,
                    (time, time),
                    (lat, lon),
                    details,
                );
            }
        }
        v.statics.get_or_insert_with(StaticInfo::default).merge(s);
        self.vessels[vi] = v;
    }

    /// Ends the stream: closes every open segment and encounter, emitting
    /// loiters and encounters still running.
    pub fn finish(&mut self, out: &mut Vec<Event>) {
        let mut keys: Vec<(u32, u32)> = self.pairs.keys().copied().collect();
        keys.sort_unstable();
        for key in keys {
            self.close_pair(key, out);
        }
        let mut mmsis: Vec<u32> = self.index.keys().copied().collect();
        mmsis.sort_unstable();
        for m in mmsis {
            let segs = match self.vessel_mut(m) {
                Some(v) => {
                    v.partners.clear();
                    std::mem::take(&mut v.segs)
                }
                None => continue,
            };
            let mut segs = segs;
            segs.sort_by_key(|s| s.id);
            for s in segs {
                self.core.close_segment(m, s, out);
            }
        }
    }
}
