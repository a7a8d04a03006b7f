//! Track segmentation after Global Fishing Watch's gpsdio-segment: one MMSI
//! may be several transmitters (MMSI reuse, spoofing), so a point joins the
//! open segment it could plausibly come from, or starts a new one.

use crate::geo::{distance_m, implied_knots};
use crate::position::{Position, StaticInfo};
use serde::Serialize;

/// Segmentation thresholds (defaults from gpsdio-segment).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SegmentConfig {
    /// A point implying more than this speed (knots) from a segment's last
    /// point cannot join it. Default 25 (gpsdio-segment `max_knots`).
    pub max_knots: f64,
    /// A point more than this many hours after a segment's last point cannot
    /// join it; the segment is closed. Default 8 (gpsdio-segment
    /// `max_hours`).
    pub max_gap_hours: f64,
    /// Moves shorter than this (metres) never count as implausible, so GPS
    /// jitter between reports a second apart does not split tracks.
    /// Default 200 m (Tessera's own).
    pub noise_m: f64,
    /// Most segments open at once per MMSI; opening one more closes the
    /// one that has been silent longest. Bounds memory per vessel.
    /// Default 8 (Tessera's own).
    pub max_open: usize,
}

impl Default for SegmentConfig {
    fn default() -> Self {
        SegmentConfig { max_knots: 25.0, max_gap_hours: 8.0, noise_m: 200.0, max_open: 8 }
    }
}

impl SegmentConfig {
    /// The implied speed from `last` to `p` if `p` may join a segment ending
    /// at `last`, else `None`.
    pub fn plausible(&self, last: &Position, p: &Position) -> Option<f64> {
        let dt = (p.time.saturating_sub(last.time)).abs();
        if dt as f64 > self.max_gap_hours * 3600.0 {
            return None;
        }
        let d = distance_m(last.lat, last.lon, p.lat, p.lon);
        if d <= self.noise_m {
            return Some(0.0);
        }
        let v = implied_knots(d, dt);
        (v <= self.max_knots).then_some(v)
    }

    /// Which of the open segments (given by their last points) `p` joins:
    /// the plausible one with the lowest implied speed, the most recent on
    /// ties; `None` when none is plausible.
    pub fn choose<'a>(&self, lasts: impl Iterator<Item = &'a Position>, p: &Position) -> Option<usize> {
        let mut best: Option<(usize, f64, i64)> = None;
        for (i, last) in lasts.enumerate() {
            if let Some(v) = self.plausible(last, p) {
                let better = match best {
                    None => true,
                    Some((_, bv, bt)) => v < bv || (v == bv && last.time > bt),
                };
                if better {
                    best = Some((i, v, last.time));
                }
            }
        }
        best.map(|b| b.0)
    }
}

/// An open segment of a streaming segmenter: all [`SegmentConfig::join`]
/// needs is its last point. The [`crate::Detector`] and the
/// [`crate::Tracker`] keep their own state per open segment.
pub trait OpenSegment {
    /// The latest point of the segment.
    fn last(&self) -> &Position;
}

impl SegmentConfig {
    /// The streaming step of one MMSI: closes (removes and hands to
    /// `close`) the open segments silent for more than `max_gap_hours`
    /// before `p`, then returns the index of the open segment `p` joins
    /// ([`SegmentConfig::choose`]), or `None` when `p` starts a new one (call
    /// [`SegmentConfig::make_room`] before adding it). `prev` is the MMSI's
    /// latest point with its distance to `p` in metres, if the caller has it:
    /// with one open segment ending there (the common case) no distance is
    /// computed again.
    #[inline]
    pub fn join<S: OpenSegment>(
        &self,
        open: &mut Vec<S>,
        p: &Position,
        prev: Option<(&Position, f64)>,
        mut close: impl FnMut(S),
    ) -> Option<usize> {
        let max_gap = (self.max_gap_hours * 3600.0) as i64;
        let mut k = 0;
        while k < open.len() {
            if p.time.saturating_sub(open[k].last().time) > max_gap {
                close(open.swap_remove(k));
            } else {
                k += 1;
            }
        }
        if open.len() == 1
            && let Some((last, d)) = prev
            && last.same_fix(open[0].last())
        {
            let dt = p.time.saturating_sub(last.time);
            let ok = dt as f64 <= self.max_gap_hours * 3600.0
                && (d <= self.noise_m || implied_knots(d, dt) <= self.max_knots);
            return ok.then_some(0);
        }
        self.choose(open.iter().map(S::last), p)
    }

    /// Before a new segment is opened: if `max_open` are open, closes the
    /// one silent longest (hands it to `close`).
    pub fn make_room<S: OpenSegment>(&self, open: &mut Vec<S>, mut close: impl FnMut(S)) {
        if open.len() >= self.max_open.max(1)
            && let Some((k, _)) = open.iter().enumerate().min_by_key(|(_, s)| s.last().time)
        {
            close(open.swap_remove(k));
        }
    }
}

/// One plausible track of one transmitter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// MMSI the points were sent under.
    pub mmsi: u32,
    /// Segment id, unique within one segmentation run, in order of creation.
    pub id: u64,
    /// Points in the order they were received (time order for sorted input).
    pub points: Vec<Position>,
    /// Time of the earliest point.
    pub start: i64,
    /// Time of the latest point.
    pub end: i64,
    /// Static data of the MMSI seen up to the segment's end, merged, with
    /// the time it was last seen.
    pub statics: Option<StaticInfo>,
}

/// The result of [`segment`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Segmentation {
    /// Segments ordered by id.
    pub segments: Vec<Segment>,
    /// Positions dropped because they are not on the globe (NaN, 91/181).
    pub invalid: u64,
}

/// Splits positions into segments: sorts them by time (stable), then feeds
/// each MMSI's points through [`SegmentConfig::choose`]. Static records
/// (any order) are joined to each segment of their MMSI as the merge of the
/// records seen at or before the segment's end (or at any time, for
/// records without a time).
pub fn segment(positions: &[Position], statics: &[StaticInfo], cfg: &SegmentConfig) -> Segmentation {
    use std::collections::HashMap;
    let mut order: Vec<&Position> = Vec::with_capacity(positions.len());
    let mut invalid = 0;
    for p in positions {
        if p.is_valid() {
            order.push(p);
        } else {
            invalid += 1;
        }
    }
    order.sort_by_key(|p| p.time);
    let mut segments: Vec<Segment> = Vec::new();
    // Per MMSI: indices into `segments` of the open ones.
    let mut open: HashMap<u32, Vec<usize>> = HashMap::new();
    for &p in &order {
        let list = open.entry(p.mmsi).or_default();
        let max_gap = (cfg.max_gap_hours * 3600.0) as i64;
        list.retain(|&i| p.time.saturating_sub(segments[i].end) <= max_gap);
        let lasts: Vec<&Position> = list.iter().filter_map(|&i| segments[i].points.last()).collect();
        match cfg.choose(lasts.into_iter(), p) {
            Some(k) => {
                let s = &mut segments[list[k]];
                s.points.push(*p);
                s.start = s.start.min(p.time);
                s.end = s.end.max(p.time);
            }
            None => {
                if list.len() >= cfg.max_open.max(1)
                    && let Some((k, _)) = list.iter().enumerate().min_by_key(|(_, i)| segments[**i].end)
                {
                    list.swap_remove(k);
                }
                list.push(segments.len());
                segments.push(Segment {
                    mmsi: p.mmsi,
                    id: segments.len() as u64,
                    points: vec![*p],
                    start: p.time,
                    end: p.time,
                    statics: None,
                });
            }
        }
    }
    let mut by_mmsi: HashMap<u32, Vec<&StaticInfo>> = HashMap::new();
    for s in statics {
        by_mmsi.entry(s.mmsi).or_default().push(s);
    }
    for list in by_mmsi.values_mut() {
        list.sort_by_key(|s| s.time.unwrap_or(i64::MIN));
    }
    for seg in &mut segments {
        if let Some(list) = by_mmsi.get(&seg.mmsi) {
            let mut merged: Option<StaticInfo> = None;
            for s in list.iter().filter(|s| s.time.is_none_or(|t| t <= seg.end)) {
                merged.get_or_insert_with(StaticInfo::default).merge(s);
            }
            seg.statics = merged;
        }
    }
    Segmentation { segments, invalid }
}
