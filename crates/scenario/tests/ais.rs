//! The AIS encoder read back by Tessera's decoder, and the synthetic log
//! through the behaviour detector: every suspect shows its behaviour.

use tessera_ais::{Body, Decoder};
use tessera_maritime::{Area, Converter, Details, Detector, DetectorConfig, Event, EventKind};
use tessera_scenario::ais::{AisPosition, AisStatic, position_sentence, static_sentences};
use tessera_scenario::{LOG_START, ScenarioConfig, ais_log, channel_vessels, watched_areas};

#[test]
fn positions_round_trip_through_the_decoder() {
    let cases = [
        AisPosition {
            msg_type: 1,
            mmsi: 227_123_456,
            time: LOG_START + 61,
            lat: 51.0343,
            lon: 2.3768,
            sog: Some(7.4),
            cog: Some(251.3),
            heading: Some(250),
        },
        AisPosition {
            msg_type: 3,
            mmsi: 235_000_001,
            time: LOG_START,
            lat: -33.8688,
            lon: -151.2093,
            sog: None,
            cog: None,
            heading: None,
        },
    ];
    for p in cases {
        let line = position_sentence(&p);
        let mut decoder = Decoder::new();
        let m = decoder.feed(line.as_bytes()).unwrap_or_else(|| panic!("{line}: {:?}", decoder.stats()));
        assert_eq!(decoder.stats().total_errors(), 0, "{line}");
        assert_eq!((m.msg_type, m.mmsi), (p.msg_type, p.mmsi));
        assert_eq!(m.meta.received_ms, Some(p.time * 1000));
        let Body::Position(r) = m.body else { panic!("{line}: not a position report") };
        let (lat, lon) = (r.lat.expect("lat"), r.lon.expect("lon"));
        assert!((lat - p.lat).abs() < 1e-5 && (lon - p.lon).abs() < 1e-5, "{line}: {lat} {lon}");
        assert_eq!(r.speed, p.sog.map(|s| (s * 10.0).round() / 10.0));
        assert_eq!(r.course, p.cog.map(|c| (c * 10.0).round() / 10.0));
        assert_eq!(r.heading, p.heading);
    }
}

#[test]
fn static_data_round_trips_across_two_sentences() {
    let s = AisStatic {
        mmsi: 227_123_456,
        time: LOG_START,
        imo: 9_074_729,
        callsign: "FQWE".into(),
        name: "Nour al Bahr".into(),
        ship_type: 30,
        destination: "DUNKERQUE".into(),
    };
    let [a, b] = static_sentences(&s, 7);
    let mut decoder = Decoder::new();
    assert!(decoder.feed(a.as_bytes()).is_none(), "the first part alone completes nothing");
    let m = decoder.feed(b.as_bytes()).unwrap_or_else(|| panic!("{a}\n{b}: {:?}", decoder.stats()));
    assert_eq!(decoder.stats().total_errors(), 0);
    assert_eq!((m.msg_type, m.mmsi), (5, 227_123_456));
    let Body::StaticVoyage(v) = m.body else { panic!("not type 5") };
    assert_eq!(v.imo, Some(9_074_729));
    assert_eq!(v.shipname.map(|t| t.as_str().to_string()).as_deref(), Some("NOUR AL BAHR"));
    assert_eq!(v.callsign.map(|t| t.as_str().to_string()).as_deref(), Some("FQWE"));
    assert_eq!(v.destination.map(|t| t.as_str().to_string()).as_deref(), Some("DUNKERQUE"));
    assert_eq!(v.ship_type, Some(30));
}

#[test]
fn a_corrupted_sentence_fails_its_checksum() {
    let p = AisPosition {
        msg_type: 1,
        mmsi: 227_123_456,
        time: LOG_START,
        lat: 51.0,
        lon: 2.0,
        sog: Some(1.0),
        cog: Some(1.0),
        heading: None,
    };
    let line = position_sentence(&p).replacen(",A,", ",B,", 1);
    let mut decoder = Decoder::new();
    assert!(decoder.feed(line.as_bytes()).is_none());
    assert_eq!(decoder.stats().total_errors(), 1);
}

fn events_of_the_log() -> (tessera_scenario::AisLogSummary, Vec<Event>, u64) {
    let config = ScenarioConfig::default();
    let mut log = Vec::new();
    let summary = ais_log(&config, &mut log).expect("log");
    let areas = Area::from_geojson(&watched_areas().to_string()).expect("areas");
    let mut detector = Detector::new(DetectorConfig::default(), areas);
    let mut converter = Converter::new();
    let mut events = Vec::new();
    let mut decoder = Decoder::new();
    decoder
        .decode_all(log.as_slice(), |m| {
            let (p, s) = converter.convert(&m, None);
            if let Some(s) = s {
                detector.push_static(&s, &mut events);
            }
            if let Some(p) = p {
                detector.push(p, &mut events);
            }
        })
        .expect("decode");
    detector.finish(&mut events);
    (summary, events, decoder.stats().total_errors())
}

#[test]
fn every_suspect_of_the_log_shows_its_behaviour() {
    let (summary, events, problems) = events_of_the_log();
    assert_eq!(problems, 0);
    assert_eq!(summary.suspects.len(), 4, "{summary:?}");
    let vessels = channel_vessels(&ScenarioConfig::default());
    for s in &summary.suspects {
        assert!(vessels.contains(&s.vessel), "{s:?} is one of the scenario's vessels");
        let kind = match s.behaviour {
            "gap" => EventKind::Gap,
            "encounter" => EventKind::Encounter,
            "loitering" => EventKind::Loitering,
            "short_stop" => EventKind::ShortStop,
            other => panic!("unexpected behaviour {other}"),
        };
        let found: Vec<&Event> = events
            .iter()
            .filter(|e| e.kind == kind && (e.mmsi == s.vessel.mmsi || e.other_mmsi == Some(s.vessel.mmsi)))
            .collect();
        assert_eq!(found.len(), 1, "{} ({}): {found:?}", s.vessel.name, s.behaviour);
        let e = found[0];
        match (&e.details, s.behaviour) {
            (Details::Gap { hours, .. }, _) => assert!((6.5..7.5).contains(hours), "{hours}"),
            (Details::Encounter { .. }, _) => {
                let other = if e.mmsi == s.vessel.mmsi { e.other_mmsi } else { Some(e.mmsi) };
                assert_eq!(other, Some(summary.encounter_partner));
            }
            (Details::ShortStop { minutes, area }, _) => {
                assert!((10.0..20.0).contains(minutes), "{minutes}");
                assert_eq!(area.as_deref(), Some("Gravelines–Dunkirk coast"));
            }
            (Details::Loitering { .. }, _) => assert!(e.end - e.start >= 2 * 3600),
            (other, b) => panic!("{b}: {other:?}"),
        }
    }
}

#[test]
fn the_log_is_deterministic_and_in_time_order() {
    let config = ScenarioConfig::default();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let summary = ais_log(&config, &mut a).expect("log");
    ais_log(&config, &mut b).expect("log");
    assert_eq!(a, b);
    let text = String::from_utf8(a).expect("ascii");
    assert_eq!(text.lines().count(), summary.sentences);
    let times: Vec<i64> = text
        .lines()
        .map(|l| l.strip_prefix("\\c:").and_then(|r| r.split('*').next()).and_then(|t| t.parse().ok()).expect("tag"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(summary.period, (times[0], times[times.len() - 1]));
}

#[test]
fn suspects_are_the_channel_vessels_the_reports_name_first() {
    let config = ScenarioConfig { seed: 8, reports: 400 };
    let vessels = channel_vessels(&config);
    let texts: Vec<String> = tessera_scenario::reports(&config).map(|r| r.to_string()).collect();
    for v in &vessels {
        let named = texts.iter().any(|t| t.contains(&format!("\"{}\"", v.mmsi)));
        assert_eq!(v.in_reports, named, "{v:?}");
    }
    assert!(vessels.iter().any(|v| v.in_reports) && vessels.iter().any(|v| !v.in_reports));
    let summary = ais_log(&config, &mut std::io::sink()).unwrap();
    for group in ["OCG-3", "OCG-7"] {
        let first_named = vessels.iter().filter(|v| v.group == group).map(|v| v.in_reports).collect::<Vec<_>>();
        assert!(first_named.windows(2).all(|w| w[0] >= w[1]), "named vessels come first in {group}");
    }
    assert_eq!(summary.suspects[0].vessel, vessels[0]);
}
