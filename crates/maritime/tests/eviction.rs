//! Constant memory: the detector drops the state of vessels silent for
//! longer than `evict_after_hours`, keeping only what reports a gap or an
//! identity change if they reappear.

mod common;

use common::{of, track};
use tessera_maritime::{Details, Detector, DetectorConfig, EventKind, Position, StaticInfo};

#[test]
fn live_state_stays_bounded_over_a_month_of_passing_vessels() {
    let mut d = Detector::new(DetectorConfig::default(), Vec::new());
    let mut out = Vec::new();
    let vessels = 50_000u32;
    let mut most = 0;
    // One vessel every 50 s for 29 days, each heard for two hours.
    for i in 0..vessels {
        let t0 = 1_600_000_000 + i as i64 * 50;
        let lat = -60.0 + (i % 1200) as f64 * 0.1;
        for p in track(200_000_000 + i, t0, lat, (i % 300) as f64 * 0.5 - 75.0, &[(7_200, 10.0, 90.0)], 600) {
            d.push(p, &mut out);
        }
        most = most.max(d.live_vessels());
    }
    // Heard within the last 24 h (plus up to an hour between sweeps): about 1,800.
    assert!(most <= 1_900, "{most} vessels live at once");
    assert!(d.live_vessels() <= 1_900);
    assert_eq!(d.live_vessels() + d.dormant_vessels(), vessels as usize);
    assert_eq!(d.stats().evicted as usize, d.dormant_vessels());
    d.finish(&mut out);
    assert_eq!(d.stats().positions, vessels as u64 * 13);
    assert!(of(&out, EventKind::Gap).is_empty());
}

fn at(mmsi: u32, time: i64, lat: f64, lon: f64, sog: f32) -> Position {
    Position { mmsi, time, lat, lon, sog: Some(sog), cog: None, heading: None }
}

#[test]
fn a_vessel_back_after_its_state_was_dropped_still_reports_its_gap_and_new_name() {
    let cfg = DetectorConfig::default();
    assert_eq!(cfg.evict_after_hours, 24.0);
    let mut d = Detector::new(cfg, Vec::new());
    let mut out = Vec::new();
    let (dark, other) = (227_317_360, 235_000_001);
    let named = |name: &str, time: i64| StaticInfo {
        mmsi: dark,
        time: Some(time),
        name: Some(name.into()),
        ..StaticInfo::default()
    };
    d.push_static(&named("FIRST", 0), &mut out);
    // Two hours drifting (loitering), then silence.
    for k in 0..=12 {
        d.push(at(dark, k * 600, 50.70, 1.20 + k as f64 * 0.0001, 0.3), &mut out);
    }
    // Another vessel keeps the stream going for three days.
    for k in 0..=72 * 6 {
        d.push(at(other, 7_200 + k * 600, 51.0, 2.0 + k as f64 * 0.003, 10.0), &mut out);
    }
    assert_eq!(d.live_vessels(), 1);
    assert_eq!(d.dormant_vessels(), 1);
    // The loitering still running was reported when the state was dropped.
    let loiter: Vec<_> = of(&out, EventKind::Loitering).into_iter().cloned().collect();
    assert_eq!(loiter.len(), 1);
    assert_eq!((loiter[0].mmsi, loiter[0].start, loiter[0].end), (dark, 0, 7_200));
    let before = out.len();
    // Back 70 hours later under a new name.
    let back = 7_200 + 70 * 3_600;
    d.push_static(&named("SECOND", back), &mut out);
    d.push(at(dark, back, 50.90, 1.60, 8.0), &mut out);
    d.finish(&mut out);
    let gaps = of(&out[before..], EventKind::Gap);
    assert_eq!(gaps.len(), 1, "{out:?}");
    assert_eq!((gaps[0].mmsi, gaps[0].start, gaps[0].end), (dark, 7_200, back));
    assert_eq!(gaps[0].segment, loiter[0].segment);
    let Details::Gap { hours, .. } = gaps[0].details else { panic!("{:?}", gaps[0]) };
    assert_eq!(hours, 70.0);
    let change = of(&out[before..], EventKind::IdentityChange);
    assert_eq!(change.len(), 1);
    assert_eq!(change[0].details, Details::IdentityChange { field: "name", old: "FIRST".into(), new: "SECOND".into() });
    assert_eq!(d.live_vessels(), 2);
}

#[test]
fn the_window_is_never_shorter_than_the_detectors_need() {
    let mut cfg = DetectorConfig { evict_after_hours: 1.0, ..DetectorConfig::default() };
    // The 8-hour segmentation window is the longest of the defaults.
    assert_eq!(cfg.evict_after_seconds(), 8 * 3_600);
    cfg.gap.min_hours = 30.0;
    assert_eq!(cfg.evict_after_seconds(), 30 * 3_600);
    cfg.evict_after_hours = f64::NAN;
    assert_eq!(cfg.evict_after_seconds(), 30 * 3_600);
}

#[test]
fn an_encounter_of_two_vessels_that_fall_silent_is_reported_when_they_are_dropped() {
    let mut d = Detector::new(DetectorConfig::default(), Vec::new());
    let mut out = Vec::new();
    // Three hours side by side, 100 m apart, drifting; then both fall silent.
    for k in 0..=18 {
        let t = k * 600;
        d.push(at(1_001, t, 43.0, 5.0, 0.2), &mut out);
        d.push(at(1_002, t + 5, 43.0009, 5.0, 0.2), &mut out);
    }
    // A third vessel carries the stream on for two days.
    for k in 0..=48 * 6 {
        d.push(at(3_003, 10_800 + k * 600, 44.0, 6.0 + k as f64 * 0.003, 10.0), &mut out);
    }
    let encounters = of(&out, EventKind::Encounter);
    assert_eq!(encounters.len(), 1, "{out:?}");
    assert_eq!((encounters[0].mmsi, encounters[0].other_mmsi), (1_001, Some(1_002)));
    assert!(encounters[0].segment.is_some());
    assert_eq!(d.live_vessels(), 1);
    let before = out.len();
    d.finish(&mut out);
    assert!(of(&out[before..], EventKind::Encounter).is_empty());
}
