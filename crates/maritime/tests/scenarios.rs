//! Synthetic scenarios with known events.

mod common;
use common::{of, run, track};
use tessera_maritime::*;

const T0: i64 = 1_700_000_000;

#[test]
fn gap_is_reported_with_its_times_and_retracted_by_late_data() {
    let mut ps = track(1, T0, 36.0, 14.0, &[(7200, 8.0, 90.0)], 300);
    // Silent for 7 hours, then reappears 20 nm east.
    ps.extend(track(1, T0 + 7200 + 7 * 3600, 36.0, 14.8, &[(3600, 8.0, 90.0)], 300));
    let mut d = Detector::new(DetectorConfig::default(), vec![]);
    let mut out = Vec::new();
    for p in &ps {
        d.push(*p, &mut out);
    }
    let gaps = of(&out, EventKind::Gap);
    assert_eq!(gaps.len(), 1, "{out:?}");
    let g = gaps[0];
    assert_eq!((g.start, g.end), (T0 + 7200, T0 + 7200 + 7 * 3600));
    let Details::Gap { hours, implied_knots, .. } = g.details else { panic!() };
    assert!((hours - 7.0).abs() < 1e-9);
    assert!(implied_knots > 0.5 && implied_knots < 8.0, "{implied_knots}");
    // With GFW's published 12 h threshold the same silence is no gap.
    let strict = DetectorConfig { gap: GapConfig::gfw_published(), ..DetectorConfig::default() };
    assert!(of(&run(strict, vec![], ps.clone()), EventKind::Gap).is_empty());

    // A late position in the middle of the gap withdraws it; the halves
    // (3 h and 4 h) are below 6 h, so nothing is reported again.
    let gap_id = g.id;
    let n = out.len();
    let late = Position { time: T0 + 7200 + 3 * 3600, ..ps[0] };
    d.push(late, &mut out);
    let new = &out[n..];
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].kind, EventKind::Retracted);
    assert!(matches!(new[0].details, Details::Retracted { event, .. } if event == gap_id));
    assert_eq!(d.stats().late, 1);
}

#[test]
fn late_data_splits_a_long_gap_into_two_gaps() {
    let mut ps = track(2, T0, 36.0, 14.0, &[(600, 8.0, 90.0)], 300);
    ps.extend(track(2, T0 + 600 + 20 * 3600, 36.0, 14.5, &[(600, 8.0, 90.0)], 300));
    let mut d = Detector::new(DetectorConfig::default(), vec![]);
    let mut out = Vec::new();
    for p in &ps {
        d.push(*p, &mut out);
    }
    assert_eq!(of(&out, EventKind::Gap).len(), 1);
    let n = out.len();
    d.push(Position { time: T0 + 600 + 10 * 3600, ..ps[0] }, &mut out);
    let kinds: Vec<_> = out[n..].iter().map(|e| (e.kind, e.start, e.end)).collect();
    assert_eq!(
        kinds,
        vec![
            (EventKind::Retracted, T0 + 600, T0 + 600 + 20 * 3600),
            (EventKind::Gap, T0 + 600, T0 + 600 + 10 * 3600),
            (EventKind::Gap, T0 + 600 + 10 * 3600, T0 + 600 + 20 * 3600),
        ]
    );
}

/// Two vessels converge at 10 kn, drift together at 0.3 kn 100 m apart for
/// `together` seconds, then part.
fn rendezvous(together: i64) -> (Vec<Position>, i64, i64) {
    let step = 120;
    // A comes from the west, B from the east; both reach the meeting area at T0 + 3600.
    let a = track(
        201_000_001,
        T0,
        36.0,
        14.0 - 10.0 / 60.0 / 36f64.to_radians().cos(),
        &[(3600, 10.0, 90.0), (together, 0.3, 0.0), (3600, 10.0, 270.0)],
        step,
    );
    let lon_b = 14.0 + 10.0 / 60.0 / 36f64.to_radians().cos() + 100.0 / (111_195.0 * 36f64.to_radians().cos());
    let b = track(
        201_000_002,
        T0 + 60,
        36.0,
        lon_b,
        &[(3600, 10.0, 270.0), (together, 0.3, 0.0), (3600, 10.0, 90.0)],
        step,
    );
    let mut ps = a;
    ps.extend(b);
    (ps, T0 + 3600, T0 + 3600 + together)
}

#[test]
fn encounter_of_two_vessels() {
    let (ps, meet, part) = rendezvous(3 * 3600);
    let out = run(DetectorConfig::default(), vec![], ps);
    let enc = of(&out, EventKind::Encounter);
    assert_eq!(enc.len(), 1, "{out:?}");
    let e = enc[0];
    assert_eq!((e.mmsi, e.other_mmsi), (201_000_001, Some(201_000_002)));
    // Within 500 m some minutes before the stop and after it ends.
    assert!((e.start - meet).abs() <= 15 * 60, "start {} vs {}", e.start, meet);
    assert!((e.end - part).abs() <= 15 * 60, "end {} vs {}", e.end, part);
    let Details::Encounter { median_knots, min_distance_m, .. } = e.details else { panic!() };
    assert!(median_knots < 2.0);
    assert!(min_distance_m < 150.0, "{min_distance_m}");
    assert!((e.lat - 36.0).abs() < 0.05);
}

#[test]
fn short_rendezvous_is_a_skylight_encounter_but_not_a_gfw_one() {
    let (ps, _, _) = rendezvous(45 * 60);
    assert!(of(&run(DetectorConfig::default(), vec![], ps.clone()), EventKind::Encounter).is_empty());
    let sky = DetectorConfig { encounter: EncounterConfig::skylight(), ..DetectorConfig::default() };
    assert_eq!(of(&run(sky, vec![], ps), EventKind::Encounter).len(), 1);
}

#[test]
fn loitering_and_not_a_short_stop() {
    let ps = track(3, T0, 36.0, 14.0, &[(3600, 10.0, 0.0), (5400, 0.5, 45.0), (3600, 10.0, 0.0)], 300);
    let out = run(DetectorConfig::default(), vec![], ps);
    let l = of(&out, EventKind::Loitering);
    assert_eq!(l.len(), 1, "{out:?}");
    assert_eq!((l[0].start, l[0].end), (T0 + 3600, T0 + 9000));
    let Details::Loitering { average_knots, .. } = l[0].details else { panic!() };
    assert!((average_knots - 0.5).abs() < 0.01, "{average_knots}");
    assert!(of(&out, EventKind::ShortStop).is_empty(), "90 min is no launch stop");
    assert!(of(&out, EventKind::Gap).is_empty());
    assert!(of(&out, EventKind::SpeedJump).is_empty());
}

#[test]
fn going_dark_and_reappearing_nearby_is_a_gap_not_loitering() {
    // Under way, silent for 7 hours, then under way again 2 nm further on: the step across the
    // silence implies 0.3 kn, but nobody saw the vessel loiter.
    let mut ps = track(4, T0, 36.0, 14.0, &[(3600, 8.0, 90.0)], 300);
    let last = *ps.last().unwrap();
    ps.extend(track(4, last.time + 7 * 3600, last.lat, last.lon + 0.04, &[(3600, 8.0, 90.0)], 300));
    let out = run(DetectorConfig::default(), vec![], ps);
    assert_eq!(of(&out, EventKind::Gap).len(), 1, "{out:?}");
    assert!(of(&out, EventKind::Loitering).is_empty(), "{out:?}");

    // Loitering observed before the silence is still reported, and ends where the vessel went dark.
    let mut ps = track(5, T0, 36.0, 14.0, &[(7200, 0.5, 45.0)], 300);
    let dark = ps.last().unwrap().time;
    ps.extend(track(5, dark + 7 * 3600, 36.01, 14.01, &[(3600, 8.0, 90.0)], 300));
    let out = run(DetectorConfig::default(), vec![], ps);
    let l = of(&out, EventKind::Loitering);
    assert_eq!(l.len(), 1, "{out:?}");
    assert_eq!((l[0].start, l[0].end), (T0, dark));
}

const COAST: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"Gravelines coast"},"geometry":{"type":"Polygon","coordinates":[
  [[1.7,50.95],[2.0,50.95],[2.0,51.05],[1.7,51.05],[1.7,50.95]],
  [[1.95,50.99],[1.98,50.99],[1.98,51.01],[1.95,51.01],[1.95,50.99]]]}}]}"#;

#[test]
fn launch_stop_off_a_watched_coast() {
    let areas = Area::from_geojson(COAST).unwrap();
    assert!(areas[0].contains(51.0, 1.8));
    assert!(!areas[0].contains(51.0, 1.96), "inside the hole");
    assert!(!areas[0].contains(51.0, 1.6));
    // East at 10 kn from 1.5°E: enters at 1.7°E (~7.6 nm, ~45 min), stops
    // 15 minutes at about 1.77°E, goes on, exits at 2.0°E.
    let step = 60;
    let ps = track(4, T0, 51.0, 1.5, &[(3600, 10.0, 90.0), (900, 0.0, 90.0), (3 * 3600, 10.0, 90.0)], step);
    let out = run(DetectorConfig::default(), areas.clone(), ps.clone());
    let kinds: Vec<EventKind> = out.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::AreaEntry,
            EventKind::ShortStop,
            EventKind::AreaExit,
            EventKind::AreaEntry,
            EventKind::AreaExit,
        ],
        "{out:?}"
    );
    let s = &out[1];
    assert_eq!((s.start, s.end), (T0 + 3600 + step, T0 + 4500 + step));
    assert_eq!(s.details, Details::ShortStop { minutes: 15.0, area: Some("Gravelines coast".into()) });
    // The hole is crossed: exit at 1.95°E, entry at 1.98°E.
    assert!((out[2].lon - 1.95).abs() < 0.01 && (out[3].lon - 1.98).abs() < 0.01, "{out:?}");

    // Only in areas: the same stop west of the area is not reported.
    let cfg =
        DetectorConfig { stop: StopConfig { only_in_areas: true, ..StopConfig::default() }, ..Default::default() };
    let west = track(5, T0, 51.0, 1.0, &[(3600, 10.0, 90.0), (900, 0.0, 90.0), (600, 10.0, 90.0)], step);
    assert!(of(&run(cfg, areas.clone(), west.clone()), EventKind::ShortStop).is_empty());
    assert_eq!(of(&run(DetectorConfig::default(), areas, west), EventKind::ShortStop).len(), 1);
    // A stop of 60 minutes is not a launch.
    let long = track(6, T0, 51.0, 1.0, &[(3600, 10.0, 90.0), (3600, 0.0, 90.0), (600, 10.0, 90.0)], step);
    assert!(of(&run(DetectorConfig::default(), vec![], long), EventKind::ShortStop).is_empty());
}

#[test]
fn identity_changes() {
    let mut d = Detector::new(DetectorConfig::default(), vec![]);
    let mut out = Vec::new();
    let gb = 232_000_001;
    d.push(Position { mmsi: gb, time: T0, lat: 51.0, lon: 1.5, sog: None, cog: None, heading: None }, &mut out);
    let s1 = StaticInfo {
        mmsi: gb,
        time: Some(T0 + 10),
        name: Some("SEA STAR".into()),
        callsign: Some("MABC1".into()),
        imo: Some(9_123_456),
        flag: flag_of(gb),
        ..Default::default()
    };
    d.push_static(&s1, &mut out);
    assert!(out.is_empty());
    let s2 = StaticInfo { time: Some(T0 + 20), name: Some("OCEAN GLORY".into()), ..s1.clone() };
    d.push_static(&s2, &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].kind, EventKind::IdentityChange);
    assert_eq!((out[0].start, out[0].lat), (T0 + 20, 51.0));
    assert_eq!(
        out[0].details,
        Details::IdentityChange { field: "name", old: "SEA STAR".into(), new: "OCEAN GLORY".into() }
    );
    assert_eq!(d.statics(gb).and_then(|s| s.name.as_deref()), Some("OCEAN GLORY"));
    // The same IMO number now transmits under an Italian MMSI.
    let it = 247_000_002;
    let s3 = StaticInfo { mmsi: it, time: Some(T0 + 30), flag: flag_of(it), ..s2.clone() };
    d.push_static(&s3, &mut out);
    let fields: Vec<_> = out[1..]
        .iter()
        .map(|e| match &e.details {
            Details::IdentityChange { field, old, new } => (*field, old.clone(), new.clone(), e.other_mmsi),
            _ => panic!(),
        })
        .collect();
    assert_eq!(
        fields,
        vec![("mmsi", gb.to_string(), it.to_string(), Some(gb)), ("flag", "GB".into(), "IT".into(), Some(gb)),]
    );
    // A static record that only adds a destination changes nothing.
    let n = out.len();
    d.push_static(&StaticInfo { mmsi: it, destination: Some("TRIPOLI".into()), ..Default::default() }, &mut out);
    assert_eq!(out.len(), n);
}

#[test]
fn position_jump_and_its_segments() {
    let mut ps = track(7, T0, 36.0, 14.0, &[(3600, 10.0, 90.0)], 300);
    // One point 100 nm north five minutes after the last one.
    let last = *ps.last().unwrap();
    ps.push(Position { time: last.time + 300, lat: last.lat + 100.0 / 60.0, ..last });
    ps.extend(track(7, last.time + 600, last.lat, last.lon + 0.02, &[(1800, 10.0, 90.0)], 300));
    let out = run(DetectorConfig::default(), vec![], ps.clone());
    let jumps = of(&out, EventKind::SpeedJump);
    assert_eq!(jumps.len(), 2, "there and back: {out:?}");
    assert_eq!((jumps[0].start, jumps[0].end), (last.time, last.time + 300));
    let Details::SpeedJump { distance_nm, implied_knots } = jumps[0].details else { panic!() };
    assert!((distance_nm - 100.0).abs() < 0.5, "{distance_nm}");
    assert!((implied_knots - 1200.0).abs() < 10.0, "{implied_knots}");
    assert_ne!(jumps[0].segment, jumps[1].segment);
    // Segmentation: the stray point is its own segment; the track continues.
    let seg = segment(&ps, &[], &SegmentConfig::default());
    let sizes: Vec<usize> = seg.segments.iter().map(|s| s.points.len()).collect();
    assert_eq!(sizes, vec![ps.len() - 1, 1]);
    assert_eq!(seg.segments[1].start, last.time + 300);
}

#[test]
fn statics_are_joined_to_segments_with_their_time() {
    let ps = track(8, T0, 36.0, 14.0, &[(3600, 10.0, 90.0)], 600);
    let early = StaticInfo { mmsi: 8, time: Some(T0 - 5), name: Some("A".into()), ..Default::default() };
    let late = StaticInfo { mmsi: 8, time: Some(T0 + 7200), name: Some("B".into()), ..Default::default() };
    let seg = segment(&ps, &[late, early], &SegmentConfig::default());
    assert_eq!(seg.segments.len(), 1);
    let st = seg.segments[0].statics.as_ref().unwrap();
    assert_eq!((st.name.as_deref(), st.time), (Some("A"), Some(T0 - 5)));
}

#[test]
fn geojson_errors_name_the_feature() {
    let e = Area::from_geojson(
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Cap Gris-Nez"},
        "geometry":{"type":"Polygon","coordinates":[[[1.5,50.8],[1.6,50.8],[1.5,50.8]]]}}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "Cap Gris-Nez: ring 0 has 3 points, a closed ring needs at least 4");
    let e = Area::from_geojson(
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"geometry":{"type":"LineString","coordinates":[]}}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "7: geometry type Some(\"LineString\") is not Polygon or MultiPolygon");
    let e = Area::from_geojson(r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],["x",2]]]]}}]}"#).unwrap_err();
    assert_eq!(e.to_string(), "feature 0: polygon 0: ring 0 point 3 is not [lon, lat]");
    assert!(Area::from_geojson("nope").is_err());
    let multi = Area::from_geojson(
        r#"{"type":"Feature","properties":{"name":"two"},"geometry":{"type":"MultiPolygon","coordinates":[
        [[[0,0],[1,0],[1,1],[0,1],[0,0]]], [[[10,10],[11,10],[11,11],[10,11],[10,10]]]]}}"#,
    )
    .unwrap();
    assert!(multi[0].contains(0.5, 0.5) && multi[0].contains(10.5, 10.5) && !multi[0].contains(5.0, 5.0));
}

#[test]
fn messages_convert_and_untimed_positions_are_counted() {
    let mut dec = tessera_ais::Decoder::new();
    let m = dec.feed(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A").unwrap();
    let mut c = Converter::new();
    assert_eq!(c.convert(&m, None), (None, None));
    assert_eq!(c.stats.no_time, 1);
    let (p, s) = c.convert(&m, Some(42));
    let p = p.unwrap();
    assert!(s.is_none());
    assert_eq!((p.mmsi, p.time, p.sog), (371_798_000, 42, Some(12.3)));
    assert_eq!(c.stats.positions, 1);
    // Type 5 from the gpsd reference vectors.
    let text = std::fs::read_to_string("/work/shared/data/ais/gpsd_sample.aivdm").unwrap();
    let mut dec = tessera_ais::Decoder::new();
    let mut names = 0;
    for line in text.lines() {
        if let Some(m) = dec.feed(line.as_bytes())
            && let (_, Some(s)) = c.convert(&m, Some(0))
            && m.msg_type == 5
            && s.name.is_some()
        {
            names += 1;
            assert_eq!(s.flag, flag_of(m.mmsi));
        }
    }
    assert!(names > 0);
}
