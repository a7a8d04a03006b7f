//! The watchlist, watched areas and alerts: who may keep them, who sees
//! them (a partner liaison officer and a partner agency's user see no
//! C-handled watch, nor its alerts, positions or track; a compartmented
//! watch is invisible to someone not read in; counts and receipts leak
//! nothing), idempotent rescans, retraction, downsampling and the evidence
//! window.

mod common;

use common::{entity, markings, report, store_with, user};
use serde_json::json;
use tessera_access::{Role, Viewer};
use tessera_model::{Classification, EntityKind, Handling};
use tessera_store::{
    AlertChange, AlertFilter, AlertKey, MAX_EVIDENCE_POINTS, MonitorBatch, NewAlert, NewWatch, SqliteStore, Store,
    StoreError, TrackPoint,
};

const T0: i64 = 1_726_272_000;
const MMSI: u32 = 227_000_001;
const OTHER: u32 = 235_000_002;

/// A store with the Dunkirk crew and its vessel (NCA, OFFICIAL-SENSITIVE, code C), a vessel partners
/// may see (Border Force, OFFICIAL, code P) and a vessel in a compartment.
fn store() -> (tempfile::TempDir, SqliteStore) {
    let mut hidden = report("NCA-1", "NCA", "1A C", Classification::OfficialSensitive, &[]);
    hidden.entities = vec![
        entity("NCA:V-1", EntityKind::Vessel, "Sea Star", &[]),
        entity("NCA:OCG-1", EntityKind::Organization, "Dunkirk boat crew", &[]),
        entity("NCA:P-1", EntityKind::Person, "Karim HADDAD", &[]),
    ];
    let mut shared = report("BF-1", "BF", "2B P", Classification::Official, &[]);
    shared.entities = vec![entity("BF:V-2", EntityKind::Vessel, "Nour al Bahr", &[])];
    let mut secret = report("NCA-2", "NCA", "1A C", Classification::OfficialSensitive, &["OP-TIDEWAY"]);
    secret.entities = vec![entity("NCA:V-3", EntityKind::Vessel, "Tideway boat", &[])];
    store_with(vec![hidden, shared, secret])
}

fn analyst() -> Viewer {
    user("NCA", Role::Analyst, true, &["OP-TIDEWAY"])
}

fn partner_liaison() -> Viewer {
    user("EUROPOL", Role::PartnerLiaison, false, &[])
}

fn partner_analyst() -> Viewer {
    user("FR-OCRIEST", Role::Analyst, false, &[])
}

fn watch(mmsi: u32, handling: Handling, compartments: &[&str]) -> NewWatch {
    NewWatch {
        mmsi,
        vessel: Some("NCA:V-1".into()),
        group: Some("NCA:OCG-1".into()),
        reason: "Named by aerial surveillance".into(),
        markings: markings("NCA", Classification::OfficialSensitive, compartments),
        handling,
    }
}

fn conditions() -> Handling {
    Handling::Conditions("hub agencies only".into())
}

fn point(time: i64) -> TrackPoint {
    TrackPoint { time, lat: 51.0 + (time - T0) as f64 * 1e-6, lon: 2.0, sog: Some(4.5), cog: Some(270.0) }
}

fn raise(mmsi: u32, other: Option<u32>, kind: &str, start: i64, end: i64) -> AlertChange {
    AlertChange::Raise(NewAlert {
        mmsi,
        other_mmsi: other,
        kind: kind.into(),
        start,
        end,
        lat: 51.0,
        lon: 2.0,
        details: json!({ "type": kind }),
    })
}

fn retract(mmsi: u32, kind: &str, start: i64, end: i64) -> AlertChange {
    AlertChange::Retract(AlertKey { mmsi, kind: kind.into(), start, end })
}

/// Positions every minute over `hours` either side of T0, and a gap and an encounter of `mmsi`.
fn batch(mmsi: u32, hours: i64) -> MonitorBatch {
    MonitorBatch {
        positions: (-hours * 60..=hours * 60).map(|m| (mmsi, point(T0 + m * 60))).collect(),
        changes: vec![
            raise(mmsi, None, "gap", T0, T0 + 7 * 3600),
            raise(OTHER, Some(mmsi), "encounter", T0 + 600, T0 + 3 * 3600),
        ],
        names: vec![(mmsi, "SEA STAR".into())],
    }
}

fn all() -> AlertFilter {
    AlertFilter::default()
}

#[test]
fn only_the_hubs_keepers_add_watches_and_bad_watches_are_refused() {
    let (_dir, mut store) = store();
    for v in [partner_liaison(), user("NCA", Role::Auditor, true, &[]), user("NCA", Role::DebriefingOfficer, true, &[])]
    {
        let err = store.add_watch(&v, &watch(MMSI, conditions(), &[])).unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{}: {err}", v.role);
    }
    let nca = analyst();
    let invalid = |store: &mut SqliteStore, w: NewWatch, needle: &str| {
        let err = store.add_watch(&nca, &w).unwrap_err();
        assert!(matches!(&err, StoreError::Invalid(m) if m.contains(needle)), "{needle}: {err}");
    };
    invalid(&mut store, NewWatch { mmsi: 123, ..watch(MMSI, conditions(), &[]) }, "mmsi");
    invalid(&mut store, NewWatch { mmsi: 1_234_567_890, ..watch(MMSI, conditions(), &[]) }, "mmsi");
    invalid(&mut store, NewWatch { reason: "  ".into(), ..watch(MMSI, conditions(), &[]) }, "reason");
    invalid(&mut store, NewWatch { vessel: Some("NCA:V-404".into()), ..watch(MMSI, conditions(), &[]) }, "vessel");
    invalid(&mut store, NewWatch { vessel: Some("NCA:P-1".into()), ..watch(MMSI, conditions(), &[]) }, "vessel");
    invalid(&mut store, NewWatch { group: Some("NCA:V-1".into()), ..watch(MMSI, conditions(), &[]) }, "group");
    // A vessel the adder may not see is refused as if unknown.
    let outsider = user("NCA", Role::Analyst, true, &[]);
    let err = store
        .add_watch(&outsider, &NewWatch { vessel: Some("NCA:V-3".into()), ..watch(MMSI, conditions(), &[]) })
        .unwrap_err();
    assert!(matches!(&err, StoreError::Invalid(m) if m.contains("NCA:V-3")), "{err}");
    // Another agency's ownership, and markings the adder could not read.
    let err = store.add_watch(&user("BF", Role::Analyst, true, &[]), &watch(MMSI, conditions(), &[])).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    let err =
        store.add_watch(&outsider, &NewWatch { vessel: None, ..watch(MMSI, conditions(), &["OP-X"]) }).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");

    let w = store.add_watch(&nca, &watch(MMSI, conditions(), &[])).unwrap();
    assert_eq!((w.mmsi, w.flag.as_deref(), w.owner.as_str()), (MMSI, Some("FR"), "NCA"));
    assert_eq!(w.vessel.as_ref().map(|v| v.caption.as_str()), Some("Sea Star"));
    assert_eq!(w.group.as_ref().map(|g| g.caption.as_str()), Some("Dunkirk boat crew"));
    assert_eq!((w.classification.as_str(), w.handling.as_str()), ("OFFICIAL-SENSITIVE", "C"));
    assert_eq!((w.open_alerts, w.last_position.is_none(), w.added_by.as_str()), (0, true, "nca-analyst"));
    invalid(&mut store, watch(MMSI, conditions(), &[]), "already watched");
    assert_eq!(store.watchlist(&nca).unwrap(), vec![w]);
}

#[test]
fn partners_see_no_c_handled_watch_nor_anything_that_hangs_from_it() {
    let (_dir, mut store) = store();
    let nca = analyst();
    let hidden = store.add_watch(&nca, &watch(MMSI, conditions(), &[])).unwrap();
    let receipt = store.record_monitoring(&partner_liaison(), &batch(MMSI, 3)).unwrap();
    // The partner uploaded the feed, but learns nothing of the watch it fed.
    assert_eq!((receipt.watched_positions, receipt.alerts_raised, receipt.alerts_retracted), (0, 0, 0));
    let mine = store.alerts(&nca, &all()).unwrap();
    assert_eq!(mine.total, 2);
    let id = mine.alerts[0].id;
    for v in [partner_liaison(), partner_analyst(), user("NCA", Role::Auditor, true, &[])] {
        assert!(store.watchlist(&v).unwrap().is_empty(), "{}", v.agency);
        let page = store.alerts(&v, &all()).unwrap();
        assert_eq!((page.total, page.alerts.len()), (0, 0), "{}", v.agency);
        assert!(store.alert(&v, id).unwrap().is_none());
        assert!(store.vessel_track(&v, hidden.id, None, None, 100).unwrap().is_none());
        assert!(store.set_alert_status(&v, id, "acknowledged").is_err());
    }
    // An analyst of the partner agency may keep a watchlist, but not touch what it cannot see.
    assert!(matches!(store.set_alert_status(&partner_analyst(), id, "acknowledged"), Err(StoreError::NotFound(_))));
    assert_eq!(store.alert(&nca, id).unwrap().unwrap().status, "open");
    // Whoever uploads, the rows were recorded for the watch's owner.
    let w = &store.watchlist(&nca).unwrap()[0];
    assert_eq!((w.open_alerts, w.name.as_deref()), (2, Some("SEA STAR")));
    assert_eq!(w.last_position.as_ref().map(|p| p.time), Some(T0 + 3 * 3600));
}

#[test]
fn a_compartmented_watch_is_invisible_to_someone_not_read_in() {
    let (_dir, mut store) = store();
    let nca = analyst();
    let w = store
        .add_watch(&nca, &NewWatch { vessel: Some("NCA:V-3".into()), ..watch(MMSI, conditions(), &["OP-TIDEWAY"]) })
        .unwrap();
    assert!(w.banner.contains("OP-TIDEWAY"));
    let outsider = user("NCA", Role::Analyst, true, &[]);
    let receipt = store.record_monitoring(&outsider, &batch(MMSI, 1)).unwrap();
    assert_eq!((receipt.watched_positions, receipt.alerts_raised), (0, 0));
    assert!(store.watchlist(&outsider).unwrap().is_empty());
    assert_eq!(store.alerts(&outsider, &all()).unwrap().total, 0);
    assert!(store.vessel_track(&outsider, w.id, None, None, 0).unwrap().is_none());
    assert_eq!(store.alerts(&nca, &all()).unwrap().total, 2);
    assert_eq!(store.vessel_track(&nca, w.id, None, None, 0).unwrap().map(|t| t.len()), Some(121));
}

#[test]
fn a_visible_watch_shows_its_entities_only_to_those_who_may_see_them() {
    let (_dir, mut store) = store();
    let nca = analyst();
    // Code P, OFFICIAL: partners see the watch, but the vessel and group come from a code C report.
    let w = store
        .add_watch(
            &nca,
            &NewWatch {
                markings: markings("NCA", Classification::Official, &[]),
                ..watch(MMSI, Handling::Permitted, &[])
            },
        )
        .unwrap();
    store.record_monitoring(&nca, &batch(MMSI, 1)).unwrap();
    let seen = store.watchlist(&partner_liaison()).unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].id, seen[0].vessel.as_ref(), seen[0].group.as_ref()), (w.id, None, None));
    let page = store.alerts(&partner_liaison(), &all()).unwrap();
    assert_eq!(page.total, 2);
    assert!(page.alerts.iter().all(|a| a.vessel.is_none()));
    let text = serde_json::to_string(&(&seen, &page)).unwrap();
    assert!(!text.contains("NCA:V-1") && !text.contains("Sea Star") && !text.contains("Dunkirk boat crew"), "{text}");
    // The owner sees them.
    let own = store.alerts(&nca, &all()).unwrap();
    assert!(own.alerts.iter().all(|a| a.vessel.as_ref().is_some_and(|v| v.caption == "Sea Star")));
}

#[test]
fn rescanning_the_same_feed_adds_nothing() {
    let (_dir, mut store) = store();
    let nca = analyst();
    let w = store.add_watch(&nca, &watch(MMSI, conditions(), &[])).unwrap();
    // Another agency's watch on the other vessel of the encounter sees it from its side.
    let bf = user("BF", Role::Analyst, true, &[]);
    let other = store
        .add_watch(
            &bf,
            &NewWatch {
                vessel: Some("BF:V-2".into()),
                group: None,
                markings: markings("BF", Classification::Official, &[]),
                ..watch(OTHER, Handling::Permitted, &[])
            },
        )
        .unwrap();
    let first = store.record_monitoring(&nca, &batch(MMSI, 2)).unwrap();
    assert_eq!((first.watched_positions, first.alerts_raised), (241, 3));
    let again = store.record_monitoring(&nca, &batch(MMSI, 2)).unwrap();
    assert_eq!(again, tessera_store::ScanReceipt::default());
    assert_eq!(store.alerts(&nca, &all()).unwrap().total, 3);
    assert_eq!(store.vessel_track(&nca, w.id, None, None, 0).unwrap().unwrap().len(), 241);
    let theirs = store.alerts(&bf, &AlertFilter { watch: Some(other.id), ..all() }).unwrap();
    assert_eq!(theirs.total, 1);
    assert_eq!((theirs.alerts[0].mmsi, theirs.alerts[0].other_mmsi), (OTHER, Some(MMSI)));
}

#[test]
fn positions_are_kept_at_most_once_a_minute() {
    let (_dir, mut store) = store();
    let nca = analyst();
    let w = store.add_watch(&nca, &watch(MMSI, conditions(), &[])).unwrap();
    let positions = (0..60).map(|i| (MMSI, point(T0 + i * 10))).collect();
    let receipt = store.record_monitoring(&nca, &MonitorBatch { positions, ..MonitorBatch::default() }).unwrap();
    assert_eq!(receipt.watched_positions, 10);
    let track = store.vessel_track(&nca, w.id, None, None, 0).unwrap().unwrap();
    assert_eq!(track.iter().map(|p| p.time).collect::<Vec<_>>(), (0..10).map(|m| T0 + m * 60).collect::<Vec<_>>());
    // Off-globe positions are never kept.
    let bad = MonitorBatch {
        positions: vec![(MMSI, TrackPoint { lat: 91.0, ..point(T0 + 3600) })],
        ..MonitorBatch::default()
    };
    assert_eq!(store.record_monitoring(&nca, &bad).unwrap().watched_positions, 0);
}

#[test]
fn a_retracted_gap_is_marked_and_the_part_reported_again_reopens_it() {
    let (_dir, mut store) = store();
    let nca = analyst();
    store.add_watch(&nca, &watch(MMSI, conditions(), &[])).unwrap();
    let (s, e, late) = (T0, T0 + 20 * 3600, T0 + 10 * 3600);
    let changes = vec![
        raise(MMSI, None, "gap", s, e),
        raise(MMSI, None, "gap", T0 + 30 * 3600, T0 + 40 * 3600),
        retract(MMSI, "gap", s, e),
        raise(MMSI, None, "gap", s, late),
        raise(MMSI, None, "gap", late, e),
        retract(MMSI, "gap", T0 + 30 * 3600, T0 + 40 * 3600),
    ];
    let b = MonitorBatch { changes, ..MonitorBatch::default() };
    let first = store.record_monitoring(&nca, &b).unwrap();
    assert_eq!((first.alerts_raised, first.alerts_retracted), (4, 2));
    let page = store.alerts(&nca, &all()).unwrap();
    let summary: Vec<(i64, i64, &str)> = page.alerts.iter().map(|a| (a.start, a.end, a.status.as_str())).collect();
    assert_eq!(summary, vec![(T0 + 30 * 3600, T0 + 40 * 3600, "retracted"), (late, e, "open"), (s, late, "open")]);
    // The same feed again changes nothing.
    let again = store.record_monitoring(&nca, &b).unwrap();
    assert_eq!((again.alerts_raised, again.alerts_retracted), (0, 0));
    assert_eq!(store.alerts(&nca, &all()).unwrap(), page);
    let retracted = store.alerts(&nca, &AlertFilter { status: Some("retracted".into()), ..all() }).unwrap();
    assert_eq!(retracted.total, 1);
    let err = store.set_alert_status(&nca, retracted.alerts[0].id, "acknowledged").unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
}

#[test]
fn the_evidence_is_the_track_around_the_alert() {
    let (_dir, mut store) = store();
    let nca = analyst();
    store.add_watch(&nca, &watch(MMSI, conditions(), &[])).unwrap();
    let mut b = batch(MMSI, 12);
    b.changes = vec![raise(MMSI, None, "short_stop", T0, T0 + 1800)];
    store.record_monitoring(&nca, &b).unwrap();
    let listed = store.alerts(&nca, &all()).unwrap();
    assert!(listed.alerts[0].evidence.is_empty(), "lists carry no evidence");
    let alert = store.alert(&nca, listed.alerts[0].id).unwrap().unwrap();
    let times: Vec<i64> = alert.evidence.iter().map(|p| p.time).collect();
    assert_eq!(times.first(), Some(&(T0 - 3600)));
    assert_eq!(times.last(), Some(&(T0 + 1800 + 3600)));
    assert_eq!(times.len(), 60 + 30 + 60 + 1);
    assert!(!serde_json::to_value(&listed.alerts[0]).unwrap().as_object().unwrap().contains_key("evidence"));

    // A long behaviour: the evidence is thinned, still spanning it.
    let mut b = batch(MMSI, 48);
    b.changes = vec![raise(MMSI, None, "loitering", T0 - 40 * 3600, T0 + 40 * 3600)];
    store.record_monitoring(&nca, &b).unwrap();
    let long = store.alerts(&nca, &AlertFilter { kind: Some("loitering".into()), ..all() }).unwrap();
    let alert = store.alert(&nca, long.alerts[0].id).unwrap().unwrap();
    assert!(alert.evidence.len() <= MAX_EVIDENCE_POINTS && alert.evidence.len() > MAX_EVIDENCE_POINTS / 2);
    assert_eq!(alert.evidence.first().map(|p| p.time), Some(T0 - 41 * 3600));
    assert!(alert.evidence.last().is_some_and(|p| p.time > T0 + 40 * 3600));
    assert!(alert.evidence.windows(2).all(|w| w[0].time < w[1].time));
}

#[test]
fn alerts_are_filtered_paged_newest_first_and_acknowledged() {
    let (_dir, mut store) = store();
    let nca = analyst();
    let w = store.add_watch(&nca, &watch(MMSI, conditions(), &[])).unwrap();
    store.record_monitoring(&nca, &batch(MMSI, 1)).unwrap();
    let page = store.alerts(&nca, &all()).unwrap();
    assert_eq!(page.alerts.iter().map(|a| a.kind.as_str()).collect::<Vec<_>>(), ["encounter", "gap"]);
    let one = |f: AlertFilter| store.alerts(&nca, &f).unwrap();
    assert_eq!(one(AlertFilter { kind: Some("gap".into()), ..all() }).total, 1);
    assert_eq!(one(AlertFilter { watch: Some(w.id + 1), ..all() }).total, 0);
    assert_eq!(one(AlertFilter { since: Some(T0 + 4 * 3600), ..all() }).total, 1);
    assert_eq!(one(AlertFilter { until: Some(T0 + 60), ..all() }).total, 1);
    let second = one(AlertFilter { limit: 1, offset: 1, ..all() });
    assert_eq!((second.total, second.alerts.len(), second.alerts[0].kind.as_str()), (2, 1, "gap"));
    assert!(matches!(
        store.alerts(&nca, &AlertFilter { status: Some("closed".into()), ..all() }),
        Err(StoreError::Invalid(_))
    ));

    let id = page.alerts[0].id;
    let acked = store.set_alert_status(&nca, id, "acknowledged").unwrap();
    assert_eq!(acked.status, "acknowledged");
    assert!(!acked.evidence.is_empty());
    assert_eq!(store.watchlist(&nca).unwrap()[0].open_alerts, 1);
    assert_eq!(store.set_alert_status(&nca, id, "open").unwrap().status, "open");
    assert!(matches!(store.set_alert_status(&nca, id, "retracted"), Err(StoreError::Invalid(_))));
    assert!(matches!(store.set_alert_status(&nca, 9999, "open"), Err(StoreError::NotFound(_))));
    let investigator = user("NCA", Role::DebriefingOfficer, true, &[]);
    assert!(matches!(store.set_alert_status(&investigator, id, "acknowledged"), Err(StoreError::Refused(_))));
}

#[test]
fn watched_areas_are_checked_and_seen_through_their_markings() {
    let (_dir, mut store) = store();
    let nca = analyst();
    let square = json!({
        "type": "Feature",
        "properties": {},
        "geometry": { "type": "Polygon", "coordinates": [[[2.0, 51.0], [2.2, 51.0], [2.2, 51.1], [2.0, 51.1], [2.0, 51.0]]] }
    });
    let m = markings("NCA", Classification::OfficialSensitive, &[]);
    let area = store.add_area(&nca, "Gravelines", &square, &m, &conditions()).unwrap();
    assert_eq!(area.feature["properties"]["name"], "Gravelines");
    let open = markings("NCA", Classification::Official, &[]);
    store.add_area(&nca, "Dunkirk", &square, &open, &Handling::Permitted).unwrap();
    let names = |v: &Viewer| store.areas(v).unwrap().into_iter().map(|a| a.name).collect::<Vec<_>>();
    assert_eq!(names(&nca), ["Dunkirk", "Gravelines"]);
    assert_eq!(names(&partner_liaison()), ["Dunkirk"]);
    assert_eq!(store.area_features().unwrap().len(), 2, "detection uses every area");

    let bad_ring = json!({ "type": "Feature", "geometry": { "type": "Polygon", "coordinates": [[[2.0, 51.0], [2.2, 51.0], [2.0, 51.0]]] } });
    let err = store.add_area(&nca, "Broken", &bad_ring, &m, &conditions()).unwrap_err();
    assert!(matches!(&err, StoreError::Invalid(msg) if msg.contains("Broken") && msg.contains("ring")), "{err}");
    let point = json!({ "type": "Feature", "geometry": { "type": "Point", "coordinates": [2.0, 51.0] } });
    assert!(matches!(store.add_area(&nca, "Point", &point, &m, &conditions()), Err(StoreError::Invalid(_))));
    assert!(matches!(store.add_area(&nca, "Gravelines", &square, &m, &conditions()), Err(StoreError::Invalid(_))));
    assert!(matches!(
        store.add_area(&partner_liaison(), "X", &square, &open, &Handling::Permitted),
        Err(StoreError::Refused(_))
    ));
}

#[test]
fn an_alert_names_a_watched_area_only_to_those_who_may_see_the_area() {
    let (_dir, mut store) = store();
    let nca = analyst();
    // A watch every hub analyst may see; an area in a compartment; another area open to all.
    let w = store.add_watch(&nca, &watch(MMSI, conditions(), &[])).unwrap();
    let square = json!({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
        "coordinates": [[[1.9, 50.9], [2.1, 50.9], [2.1, 51.1], [1.9, 51.1], [1.9, 50.9]]]}});
    let secret = markings("NCA", Classification::OfficialSensitive, &["OP-TIDEWAY"]);
    store.add_area(&nca, "Tideway launch beach", &square, &secret, &conditions()).unwrap();
    let open = markings("NCA", Classification::Official, &[]);
    store.add_area(&nca, "Dunkirk", &square, &open, &Handling::Permitted).unwrap();
    let entry = |area: &str, start: i64| {
        AlertChange::Raise(NewAlert {
            mmsi: MMSI,
            other_mmsi: None,
            kind: "area_entry".into(),
            start,
            end: start,
            lat: 51.0,
            lon: 2.0,
            details: json!({ "type": "area", "area": area }),
        })
    };
    let batch = MonitorBatch {
        changes: vec![entry("Tideway launch beach", T0), entry("Dunkirk", T0 + 60)],
        ..Default::default()
    };
    store.record_monitoring(&nca, &batch).unwrap();

    let areas_of = |viewer: &Viewer| -> Vec<String> {
        let mut names: Vec<String> = store
            .alerts(viewer, &AlertFilter { watch: Some(w.id), ..all() })
            .unwrap()
            .alerts
            .iter()
            .map(|a| a.details["area"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(areas_of(&nca), ["Dunkirk", "Tideway launch beach"]);
    let outsider = user("BF", Role::Analyst, true, &[]);
    assert_eq!(areas_of(&outsider), ["Dunkirk", "a watched area you may not see"]);
    let one = store.alerts(&outsider, &all()).unwrap().alerts.into_iter().find(|a| a.start == T0).unwrap();
    let single = store.alert(&outsider, one.id).unwrap().unwrap();
    assert_eq!(single.details["area"], "a watched area you may not see");
}
