//! Properties: segmentation keeps every point exactly once; nothing panics
//! on any positions.

use proptest::prelude::*;
use tessera_maritime::*;

fn coord() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -5.0..5.0f64,
        1 => Just(91.0),
        1 => Just(181.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => any::<f64>(),
    ]
}

fn position() -> impl Strategy<Value = Position> {
    (
        0u32..4,
        prop_oneof![4 => 0i64..200_000, 1 => any::<i64>()],
        coord(),
        coord(),
        proptest::option::of(prop_oneof![0.0f32..30.0, Just(f32::NAN), Just(102.3f32), any::<f32>()]),
    )
        .prop_map(|(mmsi, time, lat, lon, sog)| Position { mmsi, time, lat, lon, sog, cog: None, heading: None })
}

proptest! {
    #[test]
    fn segmentation_never_loses_or_duplicates_a_point(ps in proptest::collection::vec(position(), 0..300)) {
        let seg = segment(&ps, &[], &SegmentConfig::default());
        let mut got: Vec<(u32, i64, u64, u64)> = seg.segments.iter()
            .flat_map(|s| s.points.iter().map(move |p| { assert_eq!(p.mmsi, s.mmsi); (p.mmsi, p.time, p.lat.to_bits(), p.lon.to_bits()) }))
            .collect();
        let mut want: Vec<(u32, i64, u64, u64)> = ps.iter().filter(|p| p.is_valid())
            .map(|p| (p.mmsi, p.time, p.lat.to_bits(), p.lon.to_bits())).collect();
        got.sort_unstable();
        want.sort_unstable();
        prop_assert_eq!(got, want);
        prop_assert_eq!(seg.invalid as usize, ps.iter().filter(|p| !p.is_valid()).count());
        for s in &seg.segments {
            prop_assert!(s.start <= s.end);
            prop_assert!(s.points.iter().all(|p| p.time >= s.start && p.time <= s.end));
        }
    }

    #[test]
    fn detector_never_panics_and_accounts_for_every_position(ps in proptest::collection::vec(position(), 0..300)) {
        let areas = Area::from_geojson(r#"{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":[[[-1,-1],[1,-1],[1,1],[-1,1],[-1,-1]]]}}"#).unwrap();
        let mut d = Detector::new(DetectorConfig::default(), areas);
        let mut out = Vec::new();
        for p in &ps {
            d.push(*p, &mut out);
            d.push_static(&StaticInfo { mmsi: p.mmsi, name: Some(format!("{}", p.time % 3)), imo: Some((p.time % 5) as u32), ..Default::default() }, &mut out);
        }
        d.finish(&mut out);
        let st = d.stats();
        prop_assert_eq!(st.positions + st.invalid + st.late, ps.len() as u64);
        prop_assert_eq!(st.events as usize, out.len());
        for (i, e) in out.iter().enumerate() {
            prop_assert_eq!(e.id, i as u64);
            prop_assert!(e.start <= e.end || e.kind == EventKind::Retracted);
        }
    }
}
