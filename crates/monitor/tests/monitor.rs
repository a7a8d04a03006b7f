//! The monitor over synthetic NMEA logs with known behaviours: the scenario's
//! day in the Dover Strait (a vessel going dark, an encounter at sea,
//! loitering, a launch off the watched Gravelines–Dunkirk coast) raises the
//! right alert on the right watch with its evidence; a late position retracts
//! a gap; a rescan adds nothing; the uploader's receipt counts only what the
//! uploader may see; bad lines are counted, never fatal.

use std::collections::BTreeMap;

use tessera_access::{Role, Viewer};
use tessera_model::{Classification, Handling, Markings};
use tessera_monitor::{MonitorError, ScanOptions, scan};
use tessera_scenario::ais::{AisPosition, position_sentence};
use tessera_scenario::{AisLogSummary, LOG_START, ScenarioConfig, ais_log, watched_areas};
use tessera_store::{Alert, AlertFilter, NewWatch, SqliteStore, Store, StoreError};

fn nca() -> Viewer {
    Viewer {
        user: "analyst".into(),
        agency: "NCA".into(),
        role: Role::Analyst,
        clearance: Classification::Secret,
        compartments: Default::default(),
        national: true,
    }
}

fn partner() -> Viewer {
    Viewer {
        user: "liaison".into(),
        agency: "EUROPOL".into(),
        role: Role::PartnerLiaison,
        clearance: Classification::Secret,
        compartments: Default::default(),
        national: false,
    }
}

fn sensitive() -> Markings {
    Markings {
        classification: Classification::OfficialSensitive,
        owner: "NCA".into(),
        compartments: vec![],
        caveats: vec![],
    }
}

fn conditions() -> Handling {
    Handling::Conditions("hub agencies only".into())
}

fn watch(store: &mut SqliteStore, mmsi: u32) -> i64 {
    let w = NewWatch {
        mmsi,
        vessel: None,
        group: None,
        reason: "suspect".into(),
        markings: sensitive(),
        handling: conditions(),
    };
    store.add_watch(&nca(), &w).unwrap().id
}

/// A store watching the scenario's suspects, with the scenario's watched areas.
fn scenario_store() -> (tempfile::TempDir, SqliteStore, AisLogSummary, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::init(dir.path()).unwrap();
    let mut log = Vec::new();
    let summary = ais_log(&ScenarioConfig::default(), &mut log).unwrap();
    for feature in watched_areas()["features"].as_array().unwrap() {
        let name = feature["properties"]["name"].as_str().unwrap();
        store.add_area(&nca(), name, feature, &sensitive(), &conditions()).unwrap();
    }
    for s in &summary.suspects {
        watch(&mut store, s.vessel.mmsi);
    }
    (dir, store, summary, log)
}

fn all_alerts(store: &SqliteStore, viewer: &Viewer) -> Vec<Alert> {
    store.alerts(viewer, &AlertFilter { limit: 1000, ..AlertFilter::default() }).unwrap().alerts
}

#[test]
fn each_suspect_of_the_scenario_raises_its_alert_with_evidence() {
    let (_dir, mut store, summary, log) = scenario_store();
    let receipt = scan(&mut store, &nca(), log.as_slice(), "log", ScanOptions::default()).unwrap();
    assert_eq!(receipt.sentences as usize, summary.sentences);
    assert_eq!(receipt.problems, 0);
    assert!(receipt.positions > receipt.watched_positions && receipt.watched_positions > 500, "{receipt:?}");
    let watches: BTreeMap<u32, i64> = store.watchlist(&nca()).unwrap().into_iter().map(|w| (w.mmsi, w.id)).collect();
    let alerts = all_alerts(&store, &nca());
    assert_eq!(receipt.alerts_raised as usize, alerts.len());
    for s in &summary.suspects {
        let found: Vec<&Alert> =
            alerts.iter().filter(|a| a.watch == watches[&s.vessel.mmsi] && a.kind == s.behaviour).collect();
        assert_eq!(found.len(), 1, "{} {}: {found:?}", s.vessel.name, s.behaviour);
        let a = store.alert(&nca(), found[0].id).unwrap().unwrap();
        assert_eq!((a.mmsi, a.status.as_str()), (s.vessel.mmsi, "open"));
        // The evidence is the vessel's own track around the behaviour.
        assert!(a.evidence.len() >= 30, "{} {}: {} points", s.vessel.name, s.behaviour, a.evidence.len());
        assert!(a.evidence.first().is_some_and(|p| p.time <= a.start) || a.start - LOG_START < 3600);
        assert!(a.evidence.iter().all(|p| p.time >= a.start - 3600 && p.time <= a.end + 3600));
        match s.behaviour {
            "encounter" => assert_eq!(a.other_mmsi, Some(summary.encounter_partner)),
            "short_stop" => assert_eq!(a.details["area"], "Gravelines–Dunkirk coast"),
            "gap" => {
                let hours = a.details["hours"].as_f64().unwrap();
                assert!((6.5..7.5).contains(&hours), "{hours}");
                // Nothing was heard during the gap: the evidence stops and resumes around it.
                assert!(a.evidence.iter().all(|p| p.time <= a.start || p.time >= a.end));
            }
            _ => {}
        }
    }
    // The launch vessel entered and left the watched coast.
    let launch = summary.suspects.iter().find(|s| s.behaviour == "short_stop").unwrap();
    for kind in ["area_entry", "area_exit"] {
        assert!(alerts.iter().any(|a| a.mmsi == launch.vessel.mmsi && a.kind == kind), "{kind}");
    }
    let names: Vec<Option<String>> = store.watchlist(&nca()).unwrap().into_iter().map(|w| w.name).collect();
    assert!(names.iter().all(Option::is_some), "{names:?}");

    // The same log again adds nothing.
    let again = scan(&mut store, &nca(), log.as_slice(), "log", ScanOptions::default()).unwrap();
    assert_eq!((again.watched_positions, again.alerts_raised, again.alerts_retracted), (0, 0, 0));
    assert_eq!(all_alerts(&store, &nca()).len(), alerts.len());
}

#[test]
fn small_flushes_record_the_same_alerts() {
    let (_dir, mut store, _, log) = scenario_store();
    let options = ScanOptions { flush_positions: 7, flush_changes: 1, ..ScanOptions::default() };
    let small = scan(&mut store, &nca(), log.as_slice(), "log", options).unwrap();
    let (_dir2, mut other, _, _) = scenario_store();
    let whole = scan(&mut other, &nca(), log.as_slice(), "log", ScanOptions::default()).unwrap();
    assert_eq!(small, whole);
    let key = |a: &Alert| (a.mmsi, a.kind.clone(), a.start, a.end, a.status.clone());
    let a: Vec<_> = all_alerts(&store, &nca()).iter().map(key).collect();
    let b: Vec<_> = all_alerts(&other, &nca()).iter().map(key).collect();
    assert_eq!(a, b);
}

#[test]
fn a_partner_uploading_the_feed_learns_nothing_of_the_hubs_watches() {
    let (_dir, mut store, _, log) = scenario_store();
    let receipt = scan(&mut store, &partner(), log.as_slice(), "log", ScanOptions::default()).unwrap();
    assert_eq!((receipt.watched_positions, receipt.alerts_raised, receipt.alerts_retracted), (0, 0, 0));
    assert!(receipt.positions > 0);
    // The detection ran for the hub all the same.
    assert!(!all_alerts(&store, &nca()).is_empty());
    assert!(all_alerts(&store, &partner()).is_empty());
    let auditor = Viewer { role: Role::Auditor, ..nca() };
    let err = scan(&mut store, &auditor, log.as_slice(), "log", ScanOptions::default()).err();
    assert!(matches!(err, Some(MonitorError::Store(StoreError::Refused(_)))), "{err:?}");
}

fn position(mmsi: u32, seconds: i64, lon: f64) -> String {
    position_sentence(&AisPosition {
        msg_type: 1,
        mmsi,
        time: LOG_START + seconds,
        lat: 51.05,
        lon,
        sog: Some(6.0),
        cog: Some(90.0),
        heading: None,
    })
}

#[test]
fn a_late_position_inside_a_gap_retracts_its_alert() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::init(dir.path()).unwrap();
    let mmsi = 227_000_042;
    watch(&mut store, mmsi);
    let mut lines: Vec<String> = Vec::new();
    // An hour of reports, seven hours of silence, an hour of reports.
    for m in 0..=60 {
        lines.push(position(mmsi, m * 60, 2.0 + m as f64 * 0.002));
    }
    for m in 480..=540 {
        lines.push(position(mmsi, m * 60, 2.6 + (m - 480) as f64 * 0.002));
    }
    let first = lines.join("\n");
    let receipt = scan(&mut store, &nca(), first.as_bytes(), "first", ScanOptions::default()).unwrap();
    assert_eq!(receipt.alerts_raised, 1, "{:?}", all_alerts(&store, &nca()));
    let gap = all_alerts(&store, &nca()).into_iter().find(|a| a.kind == "gap").unwrap();
    assert_eq!((gap.start, gap.end), (LOG_START + 3600, LOG_START + 8 * 3600));

    // The same feed with a position received late from the middle of the silence.
    lines.push(position(mmsi, 4 * 3600, 2.35));
    let late = lines.join("\n");
    let receipt = scan(&mut store, &nca(), late.as_bytes(), "late", ScanOptions::default()).unwrap();
    assert_eq!((receipt.alerts_raised, receipt.alerts_retracted), (0, 1), "{receipt:?}");
    let gap = store.alert(&nca(), gap.id).unwrap().unwrap();
    assert_eq!(gap.status, "retracted");
    let again = scan(&mut store, &nca(), late.as_bytes(), "late", ScanOptions::default()).unwrap();
    assert_eq!((again.alerts_raised, again.alerts_retracted), (0, 0));
}

#[test]
fn bad_lines_are_counted_and_never_stop_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::init(dir.path()).unwrap();
    let mmsi = 227_000_043;
    watch(&mut store, mmsi);
    let good = position(mmsi, 0, 2.0);
    let corrupt = good.replacen(",A,", ",B,", 1);
    let untimed = good.split_once('\\').map(|(_, rest)| rest).and_then(|r| r.split_once('\\')).unwrap().1.to_string();
    let input = format!("{good}\n{corrupt}\n!AIVDM,1,1,,A,garbage\n\u{0}\u{ff}binary\n{untimed}\n");
    let receipt = scan(&mut store, &nca(), input.as_bytes(), "bad", ScanOptions::default()).unwrap();
    assert_eq!((receipt.messages, receipt.positions, receipt.watched_positions), (2, 1, 1), "{receipt:?}");
    assert_eq!(receipt.problems, 3, "{receipt:?}");
}
