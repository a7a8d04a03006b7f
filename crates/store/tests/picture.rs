//! The threat picture's facts from the store: only reports the viewer may
//! see, with what their statements say (countries, nationalities, entity
//! kinds, types and document statuses), within the requested dates.

use std::collections::BTreeMap;

use tessera_access::{Role, Viewer};
use tessera_model::report::{PropertyValue, ReportEntity};
use tessera_model::taxonomy::{Route, StreamCode};
use tessera_model::{Classification, EntityKind, Grading, Markings, Report};
use tessera_store::{PictureRequest, SqliteStore, Store, StoreError};

fn entity(id: &str, kind: EntityKind, props: &[(&str, &str)]) -> ReportEntity {
    let mut properties: BTreeMap<String, Vec<PropertyValue>> = BTreeMap::new();
    for (k, v) in props {
        properties.entry(k.to_string()).or_default().push(PropertyValue { value: v.to_string(), original: None });
    }
    ReportEntity { id: id.into(), kind, properties, observed: None }
}

fn report(id: &str, date: &str, grading: &str, classification: Classification, nationality: &str) -> Report {
    Report {
        id: id.into(),
        agency: "NCA".into(),
        author: "officer".into(),
        date: date.into(),
        grading: Grading::parse("3x5x2", grading, grading.ends_with('C').then_some("owner's consent")).unwrap(),
        markings: Markings { classification, owner: "NCA".into(), compartments: vec![], caveats: vec![] },
        streams: vec![StreamCode::FacilitationSea],
        routes: vec![Route::Channel],
        text: "Report.".into(),
        entities: vec![
            entity(&format!("{id}:P"), EntityKind::Person, &[("name", "A Person"), ("nationality", nationality)]),
            entity(
                &format!("{id}:V"),
                EntityKind::Vessel,
                &[("name", "Boat"), ("type", "Rubber Dinghy"), ("flag", "BE")],
            ),
            entity(
                &format!("{id}:D"),
                EntityKind::IdentityDocument,
                &[("number", "X1234567"), ("documentStatus", "forged"), ("country", "GR")],
            ),
        ],
        links: vec![],
    }
}

fn viewer(role: Role, agency: &str, clearance: Classification, national: bool) -> Viewer {
    Viewer { user: "u".into(), agency: agency.into(), role, clearance, compartments: Default::default(), national }
}

#[test]
fn facts_are_read_only_from_visible_reports_within_the_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::init(dir.path()).unwrap();
    let reports = vec![
        report("R1", "2025-01-10", "1A P", Classification::Official, "AF"),
        report("R2", "2025-02-10", "2B C", Classification::Official, "IQ"),
        report("R3", "2025-03-10", "1A P", Classification::Secret, "ER"),
    ];
    let mut stream = reports.into_iter().map(|r| {
        let s = r.statements("2025-06-01T00:00:00Z");
        Ok((r, s))
    });
    store.ingest("test", &mut stream, &mut |_| {}).unwrap();

    let partner = viewer(Role::PartnerLiaison, "EUROPOL", Classification::OfficialSensitive, false);
    let facts = store.picture_facts(&partner, &PictureRequest::default()).unwrap();
    assert_eq!(facts.reports.len(), 1, "the C-handled and the Secret reports are hidden");
    let r = &facts.reports[0];
    assert_eq!((r.id.as_str(), r.date.as_str(), r.agency.as_str()), ("R1", "2025-01-10", "NCA"));
    assert_eq!((r.source.as_str(), r.intelligence.as_str(), r.confidence), ("1", "A", 0.9));
    assert_eq!(r.streams, vec!["facilitation_sea"]);
    assert_eq!(r.routes, vec!["channel"]);
    assert_eq!(r.countries.iter().collect::<Vec<_>>(), vec!["BE", "GR"]);
    assert_eq!(r.nationalities.iter().collect::<Vec<_>>(), vec!["AF"]);
    let kinds: Vec<(EntityKind, &[String], &[String])> =
        r.entities.iter().map(|e| (e.kind, e.types.as_slice(), e.statuses.as_slice())).collect();
    assert_eq!(kinds.len(), 3);
    assert!(kinds.contains(&(EntityKind::Vessel, &["rubber dinghy".to_string()][..], &[][..])));
    assert!(kinds.contains(&(EntityKind::IdentityDocument, &[][..], &["forged".to_string()][..])));

    // The owner's analyst with Secret clearance sees all three; the dates bound them.
    let analyst = viewer(Role::Analyst, "NCA", Classification::Secret, true);
    assert_eq!(store.picture_facts(&analyst, &PictureRequest::default()).unwrap().reports.len(), 3);
    let feb = PictureRequest { from: Some("2025-02".into()), until: Some("2025-02".into()) };
    let facts = store.picture_facts(&analyst, &feb).unwrap();
    assert_eq!(facts.reports.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec!["R2"]);
    assert_eq!(facts.reports[0].confidence, 0.6 * 0.85, "2B: untested source, known indirectly and corroborated");
    let until = PictureRequest { from: None, until: Some("2025-02-10".into()) };
    assert_eq!(store.picture_facts(&analyst, &until).unwrap().reports.len(), 2);

    // An auditor sees no intelligence at all.
    let auditor = viewer(Role::Auditor, "NCA", Classification::Secret, true);
    assert!(store.picture_facts(&auditor, &PictureRequest::default()).unwrap().reports.is_empty());

    // Bad bounds are refused by name.
    let bad = PictureRequest { from: Some("soon".into()), until: None };
    match store.picture_facts(&analyst, &bad) {
        Err(StoreError::Invalid(m)) => assert!(m.starts_with("from:"), "{m}"),
        other => panic!("{other:?}"),
    }
}
