//! Positions per second through segmentation and every detector.
//!
//! `cargo run --release -p tessera-maritime --example behaviour_throughput [vessels] [steps]`
//!
//! Input (built in memory before timing): `vessels` (default 5,000) vessels
//! reporting every 30 s for `steps` (default 1,000) steps, in time order:
//! most steam at 8-14 kn, one in 10 drifts at 0.5 kn in pairs 100 m apart
//! (encounters, loiters), one in 50 stops for 15 minutes (launch stops),
//! one in 100 jumps to a distant position now and then (MMSI reuse) and
//! one in 200 goes silent for 7 hours (gaps); 10 watched areas lie on the routes.

use std::time::Instant;
use tessera_maritime::{Area, Detector, DetectorConfig, Position};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().unwrap_or(0));
    let vessels = args.next().filter(|&n| n > 0).unwrap_or(5_000);
    let steps = args.next().filter(|&n| n > 0).unwrap_or(1_000);
    let step = 30i64;
    let t0 = 1_700_000_000i64;
    let mut state: Vec<(f64, f64, f64)> = (0..vessels)
        .map(|i| {
            // Vessel 10k + 1 drifts 80 m east of vessel 10k.
            let base = if i % 10 == 1 { i - 1 } else { i };
            let lat = 30.0 + (base % 100) as f64 * 0.2;
            let lon = -10.0 + (base / 100) as f64 * 0.3 + if i % 10 == 1 { 0.0009 } else { 0.0 };
            let kn = if i % 10 <= 1 { 0.5 } else { 8.0 + (i % 7) as f64 };
            (lat, lon, kn)
        })
        .collect();
    let mut ps = Vec::with_capacity(vessels * steps);
    for s in 0..steps {
        let t = t0 + s as i64 * step;
        for (i, st) in state.iter_mut().enumerate() {
            if i % 200 == 7 && (3600..3600 + 7 * 3600).contains(&(s as i64 * step)) {
                continue;
            }
            let mut kn = st.2;
            if i % 50 == 3 && (s / 30) % 8 == 1 {
                kn = 0.0;
            }
            st.0 += kn * 1852.0 * step as f64 / 3600.0 / 111_195.0;
            let (mut lat, lon) = (st.0, st.1);
            if i % 100 == 5 && s % 97 == 0 {
                lat += 3.0;
            }
            ps.push(Position {
                mmsi: 200_000_000 + i as u32,
                time: t,
                lat,
                lon,
                sog: Some(kn as f32),
                cog: Some(0.0),
                heading: None,
            });
        }
    }
    let areas: Vec<Area> = (0..10)
        .map(|k| {
            let (x, y) = (-10.0 + k as f64 * 3.0, 30.0 + k as f64);
            let ring = vec![(x, y), (x + 2.0, y), (x + 2.0, y + 2.0), (x, y + 2.0), (x, y)];
            Area::new(format!("area {k}"), vec![tessera_maritime::Polygon { outer: ring, holes: vec![] }])
        })
        .collect();
    // Five passes, each with a fresh detector: the machine is shared, so
    // the best and the median are printed.
    let mut rates = Vec::new();
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for pass in 0..5 {
        let mut d = Detector::new(DetectorConfig::default(), areas.clone());
        let mut out = Vec::new();
        let mut events = 0usize;
        kinds.clear();
        let start = Instant::now();
        for p in &ps {
            d.push(*p, &mut out);
            events += out.len();
            for e in out.drain(..) {
                *kinds.entry(format!("{:?}", e.kind)).or_default() += 1;
            }
        }
        d.finish(&mut out);
        let secs = start.elapsed().as_secs_f64();
        events += out.len();
        for e in out.drain(..) {
            *kinds.entry(format!("{:?}", e.kind)).or_default() += 1;
        }
        let st = d.stats();
        let rate = ps.len() as f64 / secs;
        rates.push(rate);
        println!(
            "pass {pass}: {} positions, {} vessels, {} segments, {} events in {:.3} s: {:.2} million positions/s",
            ps.len(),
            vessels,
            st.segments,
            events,
            secs,
            rate / 1e6
        );
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "segmentation + all detectors: best {:.2}, median {:.2} million positions/s",
        rates[rates.len() - 1] / 1e6,
        rates[rates.len() / 2] / 1e6
    );
    println!("events by kind: {kinds:?}");
}
