//! Helpers that build synthetic tracks with known speeds.
#![allow(dead_code)]

use tessera_maritime::{Detector, DetectorConfig, Event, EventKind, Position};

/// One leg: seconds, knots, bearing in degrees.
pub type Leg = (i64, f64, f64);

/// Positions every `step` seconds from `t0` along `legs`; each point's
/// reported speed is the speed of the interval that ends at it.
pub fn track(mmsi: u32, t0: i64, lat0: f64, lon0: f64, legs: &[Leg], step: i64) -> Vec<Position> {
    let total: i64 = legs.iter().map(|l| l.0).sum();
    let leg_at = |dt: i64| {
        let mut acc = 0;
        for l in legs {
            acc += l.0;
            if dt <= acc {
                return *l;
            }
        }
        *legs.last().unwrap()
    };
    let (mut lat, mut lon) = (lat0, lon0);
    let mut out = vec![Position { mmsi, time: t0, lat, lon, sog: Some(legs[0].1 as f32), cog: None, heading: None }];
    let mut dt = 0;
    while dt + step <= total {
        dt += step;
        let (_, kn, brg) = leg_at(dt);
        let m = kn * 1852.0 * step as f64 / 3600.0;
        let b = brg.to_radians();
        lat += m * b.cos() / 111_195.0;
        lon += m * b.sin() / (111_195.0 * lat.to_radians().cos());
        out.push(Position {
            mmsi,
            time: t0 + dt,
            lat,
            lon,
            sog: Some(kn as f32),
            cog: Some(brg as f32),
            heading: None,
        });
    }
    out
}

/// Runs the detector over positions sorted by time (stable).
pub fn run(cfg: DetectorConfig, areas: Vec<tessera_maritime::Area>, mut ps: Vec<Position>) -> Vec<Event> {
    ps.sort_by_key(|p| p.time);
    let mut d = Detector::new(cfg, areas);
    let mut out = Vec::new();
    for p in ps {
        d.push(p, &mut out);
    }
    d.finish(&mut out);
    out
}

/// The events of one kind.
pub fn of(events: &[Event], kind: EventKind) -> Vec<&Event> {
    events.iter().filter(|e| e.kind == kind).collect()
}
