//! Streaming tracks: each position gets its segment id as it arrives (the
//! same online segmentation as the [`crate::Detector`],
//! [`SegmentConfig::join`]), with the static data known at that time, and
//! each segment is summarised when it closes. Memory is bounded by the
//! vessels heard within `evict_after_hours` and their open segments.

use std::sync::Arc;

use serde::Serialize;

use crate::detect::FxMap;
use crate::geo::{NM, distance_m};
use crate::position::{Position, StaticInfo};
use crate::segment::{OpenSegment, SegmentConfig};

/// Settings of the [`Tracker`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrackerConfig {
    /// How positions are split into segments.
    pub segment: SegmentConfig,
    /// Keep every point of the open segments so that a closed [`Track`]
    /// carries its coordinates (for GeoJSON). Memory then grows with the
    /// points of the open segments. Default false.
    pub keep_points: bool,
    /// A vessel silent this long (hours, relative to the latest time of the
    /// stream) is forgotten: its segments are closed and its state, static
    /// data included, dropped. Default 24; at least `max_gap_hours`.
    pub evict_after_hours: f64,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig { segment: SegmentConfig::default(), keep_points: false, evict_after_hours: 24.0 }
    }
}

/// A segment as it closes: its extent, size and the vessel's static data
/// known at its last point.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    /// MMSI of the transmitter.
    pub mmsi: u32,
    /// Segment id (in order of creation, as in the positions' `segment`).
    pub id: u64,
    /// First point.
    pub first: Position,
    /// Last point.
    pub last: Position,
    /// Number of points.
    pub points: u64,
    /// Length along the points, nautical miles.
    pub distance_nm: f64,
    /// Merged static data of the MMSI as known at the last point.
    pub statics: Option<Arc<StaticInfo>>,
    /// `(lon, lat)` of every point, when [`TrackerConfig::keep_points`].
    pub coordinates: Vec<(f64, f64)>,
}

/// What the tracker has seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TrackerStats {
    /// Positions given a segment.
    pub positions: u64,
    /// Positions dropped because they are not on the globe (NaN, 91/181).
    pub invalid: u64,
    /// Positions older than their MMSI's latest, left out (segmentation
    /// needs time order per MMSI).
    pub late: u64,
    /// Segments opened.
    pub segments: u64,
    /// Vessels forgotten after `evict_after_hours` of silence.
    pub evicted: u64,
}

#[derive(Debug)]
struct Open {
    track: Track,
    distance_m: f64,
}

impl OpenSegment for Open {
    fn last(&self) -> &Position {
        &self.track.last
    }
}

#[derive(Debug, Default)]
struct Vessel {
    last: Option<Position>,
    open: Vec<Open>,
    statics: Option<Arc<StaticInfo>>,
}

/// Streaming segmentation with static data joined: feed positions in time
/// order per MMSI ([`Tracker::push`]) and static records
/// ([`Tracker::push_static`]); closed segments are appended to the
/// caller's vector as [`Track`]s, the rest at [`Tracker::finish`].
#[derive(Debug)]
pub struct Tracker {
    cfg: TrackerConfig,
    vessels: FxMap<u32, Vessel>,
    next_segment: u64,
    now: i64,
    next_sweep: i64,
    stats: TrackerStats,
}

/// Stream time between two sweeps for silent vessels (seconds).
const SWEEP_EVERY: i64 = 3600;

impl Tracker {
    /// A tracker with these settings.
    pub fn new(cfg: TrackerConfig) -> Tracker {
        Tracker {
            cfg,
            vessels: FxMap::default(),
            next_segment: 0,
            now: i64::MIN,
            next_sweep: i64::MIN,
            stats: TrackerStats::default(),
        }
    }

    /// What the tracker has done so far.
    pub fn stats(&self) -> TrackerStats {
        self.stats
    }

    /// Vessels whose state is held (heard within `evict_after_hours`).
    pub fn live_vessels(&self) -> usize {
        self.vessels.len()
    }

    /// The merged static data of an MMSI known so far.
    pub fn statics(&self, mmsi: u32) -> Option<&StaticInfo> {
        self.vessels.get(&mmsi).and_then(|v| v.statics.as_deref())
    }

    /// Merges a static record into its MMSI's picture; positions after it
    /// carry it.
    pub fn push_static(&mut self, s: &StaticInfo) {
        let v = self.vessels.entry(s.mmsi).or_default();
        let mut merged = v.statics.as_deref().cloned().unwrap_or_default();
        merged.merge(s);
        v.statics = Some(Arc::new(merged));
    }

    /// Assigns `p` its segment and returns the segment id; `None` for a
    /// position off the globe or older than its MMSI's latest (counted).
    /// Segments that close (silent too long, or the oldest of `max_open`)
    /// are appended to `closed`.
    pub fn push(&mut self, p: Position, closed: &mut Vec<Track>) -> Option<u64> {
        if !p.is_valid() {
            self.stats.invalid += 1;
            return None;
        }
        if p.time > self.now {
            self.now = p.time;
            if self.now >= self.next_sweep {
                self.sweep(closed);
                self.next_sweep = self.now.saturating_add(SWEEP_EVERY);
            }
        }
        let sc = self.cfg.segment;
        let keep = self.cfg.keep_points;
        let v = self.vessels.entry(p.mmsi).or_default();
        if v.last.is_some_and(|l| p.time < l.time) {
            self.stats.late += 1;
            return None;
        }
        self.stats.positions += 1;
        let prev = v.last.map(|l| (l, distance_m(l.lat, l.lon, p.lat, p.lon)));
        let close = |o: Open| closed.push(o.finish());
        let idx = match sc.join(&mut v.open, &p, prev.as_ref().map(|(l, d)| (l, *d)), close) {
            Some(i) => {
                let o = &mut v.open[i];
                let step = match prev {
                    Some((l, d)) if l.same_fix(&o.track.last) => d,
                    _ => distance_m(o.track.last.lat, o.track.last.lon, p.lat, p.lon),
                };
                o.distance_m += step;
                o.track.points += 1;
                o.track.last = p;
                if keep {
                    o.track.coordinates.push((p.lon, p.lat));
                }
                i
            }
            None => {
                sc.make_room(&mut v.open, |o| closed.push(o.finish()));
                let id = self.next_segment;
                self.next_segment += 1;
                self.stats.segments += 1;
                v.open.push(Open {
                    track: Track {
                        mmsi: p.mmsi,
                        id,
                        first: p,
                        last: p,
                        points: 1,
                        distance_nm: 0.0,
                        statics: None,
                        coordinates: if keep { vec![(p.lon, p.lat)] } else { Vec::new() },
                    },
                    distance_m: 0.0,
                });
                v.open.len() - 1
            }
        };
        let o = &mut v.open[idx];
        o.track.statics.clone_from(&v.statics);
        v.last = Some(p);
        Some(o.track.id)
    }

    /// Closes the segments silent for longer than `max_gap_hours` and
    /// forgets the vessels silent for longer than `evict_after_hours`,
    /// relative to the latest time seen.
    fn sweep(&mut self, closed: &mut Vec<Track>) {
        let max_gap = (self.cfg.segment.max_gap_hours * 3600.0) as i64;
        let evict = (self.cfg.evict_after_hours.max(self.cfg.segment.max_gap_hours) * 3600.0) as i64;
        let now = self.now;
        let mut gone = 0;
        let start = closed.len();
        self.vessels.retain(|_, v| {
            let mut k = 0;
            while k < v.open.len() {
                if now.saturating_sub(v.open[k].track.last.time) > max_gap {
                    closed.push(v.open.swap_remove(k).finish());
                } else {
                    k += 1;
                }
            }
            // The latest time heard: a position, else timed static data;
            // vessels with only untimed static data stay until they report.
            let seen = v.last.map(|l| l.time).or_else(|| v.statics.as_ref().and_then(|s| s.time));
            let silent = seen.is_some_and(|t| now.saturating_sub(t) > evict);
            gone += silent as u64;
            !silent
        });
        // Hash order is arbitrary: segments closed together come out by id.
        closed[start..].sort_by_key(|t| t.id);
        self.stats.evicted += gone;
    }

    /// Ends the stream: every open segment closes, in id order.
    pub fn finish(&mut self, closed: &mut Vec<Track>) {
        let start = closed.len();
        for v in self.vessels.values_mut() {
            closed.extend(v.open.drain(..).map(Open::finish));
        }
        closed[start..].sort_by_key(|t| t.id);
    }
}

impl Open {
    fn finish(mut self) -> Track {
        self.track.distance_nm = self.distance_m / NM;
        self.track
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(mmsi: u32, time: i64, lat: f64, lon: f64) -> Position {
        Position { mmsi, time, lat, lon, sog: None, cog: None, heading: None }
    }

    #[test]
    fn splits_where_a_second_transmitter_shares_the_mmsi() {
        let mut t = Tracker::new(TrackerConfig { keep_points: true, ..TrackerConfig::default() });
        let mut closed = Vec::new();
        let mut ids = Vec::new();
        // Two vessels under one MMSI, 10 degrees apart, alternating.
        for i in 0..10 {
            let dlat = i as f64 * 0.01;
            ids.push(t.push(at(1, i * 600, 10.0 + dlat, 20.0), &mut closed).unwrap());
            ids.push(t.push(at(1, i * 600 + 300, 20.0 + dlat, 20.0), &mut closed).unwrap());
        }
        assert_eq!(ids.iter().step_by(2).collect::<std::collections::HashSet<_>>().len(), 1);
        assert_eq!(ids.iter().skip(1).step_by(2).collect::<std::collections::HashSet<_>>().len(), 1);
        assert_ne!(ids[0], ids[1]);
        t.finish(&mut closed);
        assert_eq!(closed.len(), 2);
        assert_eq!(closed[0].points, 10);
        assert_eq!(closed[0].coordinates.len(), 10);
        // 9 steps of 0.01 degree of latitude: 5.4 nm.
        assert!((closed[0].distance_nm - 5.4).abs() < 0.01, "{}", closed[0].distance_nm);
        assert_eq!(t.stats().segments, 2);
    }

    #[test]
    fn long_silence_closes_and_joins_static_data_known_then() {
        let mut t = Tracker::new(TrackerConfig::default());
        let mut closed = Vec::new();
        let a = t.push(at(7, 0, 50.0, 1.0), &mut closed).unwrap();
        t.push_static(&StaticInfo { mmsi: 7, name: Some("ONE".into()), ..StaticInfo::default() });
        t.push(at(7, 600, 50.001, 1.0), &mut closed);
        // Nine hours later: a new segment; the first closes on this push.
        let b = t.push(at(7, 600 + 9 * 3600, 50.0, 1.0), &mut closed).unwrap();
        assert_ne!(a, b);
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0].statics.as_ref().and_then(|s| s.name.as_deref()), Some("ONE"));
        // Late and invalid points are counted, not assigned.
        assert_eq!(t.push(at(7, 10, 50.0, 1.0), &mut closed), None);
        assert_eq!(t.push(at(7, 99_999, 91.0, 181.0), &mut closed), None);
        assert_eq!((t.stats().late, t.stats().invalid), (1, 1));
    }

    #[test]
    fn silent_vessels_are_forgotten() {
        let mut t = Tracker::new(TrackerConfig::default());
        let mut closed = Vec::new();
        // 20,000 vessels, each heard for one hour, one new every 30 s over a week.
        for i in 0..20_000u32 {
            let t0 = i as i64 * 30;
            t.push(at(100_000 + i, t0, 0.0, 0.0), &mut closed);
            t.push(at(100_000 + i, t0 + 3600, 0.001, 0.0), &mut closed);
            assert!(t.live_vessels() < 4_000, "{} live at {i}", t.live_vessels());
        }
        t.finish(&mut closed);
        assert_eq!(closed.len(), 20_000);
        assert!(t.stats().evicted > 15_000);
    }
}
