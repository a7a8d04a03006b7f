//! Behaviour every `Store` backend must have: atomic batches, append-only
//! statements, and reads that show a viewer only what the policy allows.

use std::collections::BTreeMap;

use tessera_access::Viewer;
use tessera_model::report::{PropertyValue, ReportEntity};
use tessera_model::{Classification, EntityKind, Grading, Markings, Report};
use tessera_store::{Aborted, SearchRequest, SqliteStore, Store, StoreError};

fn report(id: &str, classification: Classification, compartments: &[&str], name: &str, person: &str) -> Report {
    let mut properties = BTreeMap::new();
    properties.insert("name".to_string(), vec![PropertyValue { value: name.to_string(), original: None }]);
    Report {
        id: id.into(),
        agency: "NCA".into(),
        author: "DC 1".into(),
        date: "2024-01-02".into(),
        grading: Grading::parse("3x5x2", "1A P", None).unwrap(),
        markings: Markings {
            classification,
            owner: "NCA".into(),
            compartments: compartments.iter().map(|c| c.to_string()).collect(),
            caveats: vec![],
        },
        streams: vec![],
        routes: vec![],
        text: format!("{name} was seen at Zuwara harbour."),
        entities: vec![ReportEntity { id: person.into(), kind: EntityKind::Person, properties, observed: None }],
        links: vec![],
    }
}

fn ingest(store: &mut SqliteStore, reports: Vec<Report>) -> Result<tessera_store::IngestReceipt, StoreError> {
    let mut stream = reports.into_iter().map(|r| {
        let s = r.statements("2024-01-03T00:00:00Z");
        Ok((r, s))
    });
    store.ingest("test", &mut stream, &mut |_| {})
}

fn viewer(clearance: Classification, compartments: &[&str]) -> Viewer {
    Viewer {
        role: tessera_access::Role::Analyst,
        user: "analyst".into(),
        agency: "BF".into(),
        clearance,
        compartments: compartments.iter().map(|c| c.to_string()).collect(),
        national: true,
    }
}

fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::init(dir.path()).unwrap();
    (dir, store)
}

#[test]
fn a_batch_with_a_duplicate_stores_nothing() {
    let (_dir, mut store) = store();
    ingest(&mut store, vec![report("R1", Classification::Official, &[], "Yusuf Hussein", "P1")]).unwrap();
    let before = store.stats(&Viewer::local_operator()).unwrap();
    let second = vec![
        report("R2", Classification::Official, &[], "Tesfaye Haile", "P2"),
        report("R1", Classification::Official, &[], "Yusuf Hussein", "P1"),
    ];
    assert!(matches!(ingest(&mut store, second), Err(StoreError::DuplicateReport(id)) if id == "R1"));
    assert_eq!(store.stats(&Viewer::local_operator()).unwrap(), before);
    // An input found invalid part-way through is rolled back too.
    let r3 = report("R3", Classification::Official, &[], "Tesfaye Haile", "P3");
    let s3 = r3.statements("2024-01-03T00:00:00Z");
    let mut stream = vec![Ok((r3, s3)), Err(Aborted)].into_iter();
    assert!(matches!(store.ingest("test", &mut stream, &mut |_| {}), Err(StoreError::Aborted)));
    assert!(!store.has_report("R3").unwrap());
    // Nothing of R2 reached the index either.
    let hits = store.search(&Viewer::local_operator(), &SearchRequest::new("Tesfaye Haile")).unwrap();
    assert_eq!(hits.total_entities, 0);
    assert_eq!(hits.total_reports, 0);
}

#[test]
fn reads_show_only_what_the_viewer_may_see() {
    let (_dir, mut store) = store();
    ingest(
        &mut store,
        vec![
            report("OPEN-1", Classification::OfficialSensitive, &[], "Yusuf Hussein", "P1"),
            report("SECRET-1", Classification::Secret, &[], "Youssef Husein", "P1"),
            report("OP-1", Classification::Official, &["OP-KESTREL"], "Yousef Hussain", "P2"),
        ],
    )
    .unwrap();
    let analyst = viewer(Classification::OfficialSensitive, &[]);
    let entity = store.entity(&analyst, "P1").unwrap().unwrap();
    assert_eq!(entity.statements.len(), 1);
    assert_eq!(entity.statements[0].statement.report_id, "OPEN-1");
    assert!(store.entity(&analyst, "P2").unwrap().is_none(), "an entity known only from hidden reports is not shown");
    assert!(store.report(&analyst, "SECRET-1").unwrap().is_none());
    assert!(store.report(&analyst, "OP-1").unwrap().is_none());

    let results = store.search(&analyst, &SearchRequest::new("Yusuf Hussein")).unwrap();
    assert_eq!(results.total_entities, 1);
    assert_eq!(results.entities[0].matched, vec!["Yusuf Hussein".to_string()]);
    let words = store.search(&analyst, &SearchRequest::new("Zuwara")).unwrap();
    assert_eq!(words.total_reports, 1);
    assert_eq!(words.reports[0].id, "OPEN-1");

    let stats = store.stats(&analyst).unwrap();
    assert_eq!((stats.reports, stats.statements, stats.entities), (1, 1, 1));

    let cleared = viewer(Classification::Secret, &["OP-KESTREL"]);
    assert_eq!(store.search(&cleared, &SearchRequest::new("Yusuf Hussein")).unwrap().total_entities, 2);
    assert_eq!(store.entity(&cleared, "P1").unwrap().unwrap().statements.len(), 2);
    assert_eq!(store.stats(&cleared).unwrap().reports, 3);
}

#[test]
fn reopening_keeps_everything_and_refuses_a_missing_store() {
    let (dir, mut store) = store();
    ingest(&mut store, vec![report("R1", Classification::Official, &[], "Ahmed Ali", "P1")]).unwrap();
    drop(store);
    let reopened = SqliteStore::open(dir.path()).unwrap();
    assert!(reopened.has_report("R1").unwrap());
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(SqliteStore::open(empty.path()), Err(StoreError::NotInitialised(_))));
}
