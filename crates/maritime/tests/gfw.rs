//! Real data: Global Fishing Watch's gpsdio-segment test track of MMSI
//! 416000000, one MMSI used by several vessels at once.

use std::collections::HashMap;
use tessera_maritime::{Detector, DetectorConfig, EventKind, Position, SegmentConfig, segment};

const DIR: &str = "/work/shared/data/ais/gfw_gpsdio_segment";

/// "2014-01-01 01:14:25.000000" or "2014-01-01T01:14:25.000000Z" to seconds.
fn parse_time(s: &str) -> i64 {
    let n = |a: usize, b: usize| s[a..b].parse::<u32>().unwrap();
    let ms = tessera_ais::time::civil_to_ms(n(0, 4) as i64, n(5, 7), n(8, 10), n(11, 13), n(14, 16), n(17, 19), 0);
    ms.unwrap() / 1000
}

/// Positions with GFW's segment label (empty when unlabelled).
fn read(file: &str) -> Vec<(Position, String)> {
    let text = std::fs::read_to_string(format!("{DIR}/{file}")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let f = |k: &str| v.get(k).and_then(serde_json::Value::as_f64);
            let p = Position {
                mmsi: v["ssvid"].as_u64().unwrap() as u32,
                time: parse_time(v["timestamp"].as_str().unwrap()),
                lat: f("lat").unwrap_or(f64::NAN),
                lon: f("lon").unwrap_or(f64::NAN),
                sog: f("speed").map(|x| x as f32),
                cog: f("course").map(|x| x as f32),
                heading: None,
            };
            (p, v.get("segment").and_then(|s| s.as_str()).unwrap_or("").to_string())
        })
        .collect()
}

/// Share of points whose label is the majority label of their group.
fn purity(groups: &HashMap<u64, Vec<&str>>) -> (usize, usize) {
    let mut agree = 0;
    let mut total = 0;
    for labels in groups.values() {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for l in labels {
            *count.entry(l).or_default() += 1;
        }
        agree += count.values().max().copied().unwrap_or(0);
        total += labels.len();
    }
    (agree, total)
}

/// Segments the file with `cfg` and measures agreement with GFW's labels:
/// (purity of Tessera segments, purity of GFW segments, segments, segments
/// with at least 20 points, points labelled).
fn agreement(cfg: &SegmentConfig) -> (f64, f64, usize, usize, usize) {
    let raw = read("416000000.json");
    let labelled = read("segmented-416000000.json");
    let ps: Vec<Position> = raw.iter().map(|r| r.0).collect();
    let seg = segment(&ps, &[], cfg);
    let valid = ps.iter().filter(|p| p.is_valid()).count();
    // Never loses or duplicates a point.
    assert_eq!(seg.invalid as usize, ps.len() - valid);
    assert_eq!(seg.segments.iter().map(|s| s.points.len()).sum::<usize>(), valid);
    let big = seg.segments.iter().filter(|s| s.points.len() >= 20).count();
    // GFW's label of each point, by (time, lat, lon).
    let key = |p: &Position| (p.time, p.lat.to_bits(), p.lon.to_bits());
    let labels: HashMap<_, &str> = labelled.iter().map(|(p, l)| (key(p), l.as_str())).collect();
    let mut ours: HashMap<u64, Vec<&str>> = HashMap::new();
    let mut theirs: HashMap<&str, Vec<u64>> = HashMap::new();
    for s in &seg.segments {
        for p in &s.points {
            if let Some(l) = labels.get(&key(p)) {
                ours.entry(s.id).or_default().push(l);
                theirs.entry(l).or_default().push(s.id);
            }
        }
    }
    let (a1, n) = purity(&ours);
    let mut a2 = 0;
    for ids in theirs.values() {
        let mut c: HashMap<u64, usize> = HashMap::new();
        for id in ids {
            *c.entry(*id).or_default() += 1;
        }
        a2 += c.values().max().copied().unwrap_or(0);
    }
    (a1 as f64 / n as f64, a2 as f64 / n as f64, seg.segments.len(), big, n)
}

#[test]
fn mmsi_reuse_splits_into_segments_that_agree_with_gpsdio_segment() {
    let labelled = read("segmented-416000000.json");
    let gfw_segments = labelled.iter().map(|r| r.1.as_str()).collect::<std::collections::HashSet<_>>().len();
    assert_eq!(read("416000000.json").len(), 1668);
    let (ours, theirs, segs, big, n) = agreement(&SegmentConfig::default());
    let f = 2.0 * ours * theirs / (ours + theirs);
    println!(
        "416000000 (defaults, 8 h): {segs} Tessera segments ({big} with >= 20 points), {gfw_segments} GFW labels, \
         {n} points compared; purity of Tessera segments {ours:.3}, of GFW segments {theirs:.3}, harmonic mean {f:.3}"
    );
    let long = agreement(&SegmentConfig { max_gap_hours: 24.0, ..SegmentConfig::default() });
    println!("416000000 (24 h): {long:?}");
    assert!(n >= 1600, "labels found for {n} points");
    assert!(big >= 3, "MMSI reuse must give several substantial segments, got {big}");
    // Tessera's segments rarely mix GFW's tracks; they split GFW's tracks at
    // gaps over 8 h (gpsdio-segment of 2017 allowed longer gaps).
    assert!(ours >= 0.9, "{ours}");
    assert!(theirs >= 0.6, "{theirs}");
    assert!(f >= 0.75, "{f}");
}

#[test]
fn detector_on_mmsi_reuse_reports_jumps_and_no_panic() {
    let mut ps: Vec<Position> = read("416000000.json").into_iter().map(|r| r.0).collect();
    ps.sort_by_key(|p| p.time);
    let mut d = Detector::new(DetectorConfig::default(), vec![]);
    let mut out = Vec::new();
    for p in &ps {
        d.push(*p, &mut out);
    }
    d.finish(&mut out);
    let jumps = out.iter().filter(|e| e.kind == EventKind::SpeedJump).count();
    let st = d.stats();
    println!("416000000 detector: {st:?}, {jumps} jumps, {} events", out.len());
    assert!(jumps > 10, "interleaved transmitters imply impossible speeds");
    assert!(st.segments >= 3);
    assert_eq!(st.positions + st.invalid + st.late, ps.len() as u64);
}
