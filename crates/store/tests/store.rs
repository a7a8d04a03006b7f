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

fn report_with_phone(id: &str, markings: Markings, handling: &str, phone_entity: &str) -> Report {
    let mut r = report(id, markings.classification, &[], "Shwan Hama Salih", &format!("{id}:P"));
    r.markings = markings;
    let conditions = (handling == "C").then_some("not for court");
    r.grading = Grading::parse("3x5x2", &format!("2B {handling}"), conditions).unwrap();
    let mut properties = BTreeMap::new();
    let number = phone_entity.trim_start_matches("phone:").to_string();
    properties.insert("number".to_string(), vec![PropertyValue { value: number, original: None }]);
    r.entities.push(ReportEntity { id: phone_entity.into(), kind: EntityKind::Phone, properties, observed: None });
    r
}

#[test]
fn a_hidden_hit_names_the_owner_and_tells_the_owner_who_asked() {
    let (_dir, mut store) = store();
    let nca = |compartments: &[&str]| Markings {
        classification: Classification::OfficialSensitive,
        owner: "NCA".into(),
        compartments: compartments.iter().map(|c| c.to_string()).collect(),
        caveats: vec![],
    };
    ingest(&mut store, vec![report_with_phone("NCA-1", nca(&[]), "C", "phone:+33639980112")]).unwrap();
    let partner = Viewer {
        role: tessera_access::Role::PartnerLiaison,
        user: "liaison.fr".into(),
        agency: "FR-OCRIEST".into(),
        clearance: Classification::Secret,
        compartments: Default::default(),
        national: false,
    };
    let results = store.search(&partner, &SearchRequest::new("+33 6 39 98 01 12")).unwrap();
    assert_eq!((results.total_entities, results.total_reports), (0, 0), "no content leaks");
    assert_eq!(results.deconfliction.len(), 1);
    let notice = &results.deconfliction[0];
    assert_eq!(notice.owner, "NCA");
    assert!(notice.message.contains("contact NCA, ref DX-"), "{}", notice.message);
    let serialized = serde_json::to_string(&results).unwrap();
    assert!(!serialized.contains("NCA-1") && !serialized.contains("Shwan"), "{serialized}");

    // The owner's inbox says who asked, and for what; both sides are in the audit log.
    let nca_officer = Viewer { agency: "NCA".into(), ..viewer(Classification::OfficialSensitive, &[]) };
    let inbox = store.deconflictions_for("NCA", &nca_officer).unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!((inbox[0].asker_user.as_str(), inbox[0].asker_agency.as_str()), ("liaison.fr", "FR-OCRIEST"));
    assert_eq!(inbox[0].report_ids, vec!["NCA-1".to_string()]);
    // A member of the owning agency cleared below the report learns nothing of it from the inbox.
    let under_cleared = Viewer { agency: "NCA".into(), ..viewer(Classification::Official, &[]) };
    assert!(store.deconflictions_for("NCA", &under_cleared).unwrap().is_empty());
    let log = store.audit_records(&tessera_store::AuditFilter { limit: 10, ..Default::default() }).unwrap();
    assert!(log.iter().any(|r| r.action == "deconfliction_hit" && r.user == "liaison.fr"));
    assert!(log.iter().any(|r| r.action == "deconfliction_notice" && r.agency == "NCA"));

    // A viewer who can see the material gets the material, and no notice.
    let national = viewer(Classification::OfficialSensitive, &[]);
    let seen = store.search(&national, &SearchRequest::new("+33 6 39 98 01 12")).unwrap();
    assert!(seen.total_entities > 0 && seen.deconfliction.is_empty());

    // An owner can switch deconfliction off for a compartment: hits resting on it say nothing.
    ingest(&mut store, vec![report_with_phone("NCA-2", nca(&["OP-SOURCE"]), "P", "phone:+447700900777")]).unwrap();
    let mut hidden = store.search(&national, &SearchRequest::new("07700 900777")).unwrap();
    assert_eq!(hidden.deconfliction.len(), 1);
    store.set_deconfliction_opt_out("NCA", "OP-SOURCE", true).unwrap();
    hidden = store.search(&national, &SearchRequest::new("07700 900777")).unwrap();
    assert!(hidden.deconfliction.is_empty() && hidden.total_entities == 0);
}

#[test]
fn a_name_with_a_birth_date_narrows_the_search_and_deconflicts_when_hidden() {
    let (_dir, mut store) = store();
    let with_dob = |id: &str, classification, person: &str, name: &str, dob: &str| {
        let mut r = report(id, classification, &[], name, person);
        r.entities[0].properties.insert("birthDate".into(), vec![PropertyValue { value: dob.into(), original: None }]);
        r
    };
    ingest(
        &mut store,
        vec![
            with_dob("BF-1", Classification::Official, "BF:1", "Mohammed Ahmed", "1990-05-01"),
            with_dob("NCA-9", Classification::Secret, "NCA:9", "Mohamed AHMED", "1985-11-23"),
        ],
    )
    .unwrap();
    let analyst = viewer(Classification::OfficialSensitive, &[]);
    // Two namesakes; the date of birth picks the visible one.
    let both = store.search(&analyst, &SearchRequest::new("Mohammed Ahmed")).unwrap();
    assert_eq!(both.total_entities, 1, "the SECRET namesake is not even counted");
    let one = store.search(&analyst, &SearchRequest::new("Mohammed Ahmed 01/05/1990")).unwrap();
    assert_eq!(one.entities.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), vec!["BF:1"]);
    assert!(one.deconfliction.is_empty());
    // The hidden namesake's date of birth: no content, only whom to contact.
    let hidden = store.search(&analyst, &SearchRequest::new("Muhammad Ahmad 1985-11-23")).unwrap();
    assert_eq!(hidden.total_entities, 0);
    assert_eq!(hidden.deconfliction.len(), 1);
    assert_eq!(hidden.deconfliction[0].owner, "NCA");
    let nca_officer = Viewer { agency: "NCA".into(), ..viewer(Classification::Secret, &[]) };
    assert_eq!(store.deconflictions_for("NCA", &nca_officer).unwrap()[0].report_ids, vec!["NCA-9".to_string()]);
    // The inbox names only the matched reports its reader may see.
    assert!(store.deconflictions_for("NCA", &analyst).unwrap().is_empty());
}

#[test]
fn a_name_index_keyed_by_an_older_version_is_rebuilt_when_the_store_opens() {
    let (dir, mut store) = store();
    ingest(&mut store, vec![report("R1", Classification::Official, &[], "Shaukat Karimi", "P1")]).unwrap();
    drop(store);
    let file = dir.path().join("tessera.db");
    let key = tessera_model::names::name_keys("Shawkat").remove(0);
    let hits = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM name_keys WHERE name_keys MATCH ?1", [&key], |r| r.get(0)).unwrap()
    };
    // What an older Tessera left behind: keys made by another function, and its version.
    {
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute_batch(
            "INSERT INTO name_keys (name_keys) VALUES ('delete-all');
             INSERT INTO name_keys (rowid, keys) SELECT rowid, 'kstale lstale' FROM name_rows;
             UPDATE index_versions SET version = 1 WHERE name = 'name_keys';",
        )
        .unwrap();
        assert_eq!(hits(&conn), 0, "the stale index must not hold this build's key");
    }
    let reopened = SqliteStore::open(dir.path()).unwrap();
    let found = reopened.search(&Viewer::local_operator(), &SearchRequest::new("Shawkat Karimi")).unwrap();
    assert_eq!(found.total_entities, 1, "Shawkat finds Shaukat once the index is keyed again");
    drop(reopened);
    let conn = rusqlite::Connection::open(&file).unwrap();
    assert_eq!(hits(&conn), 1);
    let version: u32 =
        conn.query_row("SELECT version FROM index_versions WHERE name = 'name_keys'", [], |r| r.get(0)).unwrap();
    assert_eq!(version, tessera_model::names::KEY_VERSION);
}
