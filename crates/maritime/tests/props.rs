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

/// JSON-ish and NMEA-ish lines: real field names with arbitrary values, truncations, junk.
fn input_line() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("null".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|x| format!("{x:?}")),
        "[0-9 :.TZ+-]{0,30}".prop_map(|s| format!("{s:?}")),
        ".{0,12}".prop_map(|s| format!("{s:?}")),
    ];
    let key = prop_oneof![
        Just("mmsi"),
        Just("ssvid"),
        Just("timestamp"),
        Just("lat"),
        Just("lon"),
        Just("speed"),
        Just("course"),
        Just("heading"),
        Just("shipname"),
        Just("imo"),
        Just("callsign"),
        Just("shiptype"),
    ];
    let json = proptest::collection::vec((key, value), 0..8).prop_map(|fields| {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", body.join(","))
    });
    prop_oneof![
        4 => json,
        1 => ".{0,80}",
        1 => "!AIVDM,[0-9],[0-9],[0-9]?,[AB]?,[0-9A-Za-w`]{0,40},[0-5]\\*[0-9A-F]{2}",
        1 => "\\{.{0,40}",
    ]
}

proptest! {
    #[test]
    fn any_input_lines_are_read_or_refused_by_line_never_panicking(lines in proptest::collection::vec(input_line(), 0..40)) {
        let text = lines.join("\n");
        let mut decoder = tessera_ais::Decoder::new();
        let mut converter = Converter::default();
        let mut records = 0usize;
        match read_records(text.as_bytes(), &mut decoder, &mut converter, |_| { records += 1; std::ops::ControlFlow::Continue(()) }) {
            Ok(counts) => prop_assert!(counts.lines as usize <= lines.len().max(1)),
            Err(ReadError::Record { line, message }) => {
                prop_assert!(line >= 1 && line as usize <= lines.len(), "line {} of {}", line, lines.len());
                prop_assert!(!message.is_empty());
            }
            Err(other) => prop_assert!(false, "{}", other),
        }
    }

    #[test]
    fn any_geojson_is_read_or_refused_never_panicking(
        coords in proptest::collection::vec((coord(), coord()), 0..8),
        kind in prop_oneof![Just("Polygon"), Just("MultiPolygon"), Just("Point"), Just("LineString"), Just("")],
        wrap in 0u8..4,
    ) {
        let ring: Vec<String> = coords.iter().map(|(a, b)| format!("[{a:?},{b:?}]")).collect();
        let ring = format!("[{}]", ring.join(",")).replace("NaN", "null").replace("inf", "1e999");
        let coordinates = if kind == "MultiPolygon" { format!("[[{ring}]]") } else { format!("[{ring}]") };
        let geometry = format!(r#"{{"type":"{kind}","coordinates":{coordinates}}}"#);
        let text = match wrap {
            0 => geometry,
            1 => format!(r#"{{"type":"Feature","properties":{{"name":"x"}},"geometry":{geometry}}}"#),
            2 => format!(r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":{geometry}}}]}}"#),
            _ => geometry[..geometry.len() / 2].to_string(),
        };
        if let Ok(areas) = Area::from_geojson(&text) {
            for a in &areas {
                let _ = a.contains(0.0, 0.0);
            }
        }
    }
}
