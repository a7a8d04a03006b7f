//! Builders the store's integration tests share: entities, reports, markings and viewers.

#![allow(dead_code)]

use std::collections::BTreeMap;

use tessera_access::{Role, Viewer};
use tessera_model::report::{PropertyValue, ReportEntity};
use tessera_model::{Classification, EntityKind, Grading, Markings, Report};
use tessera_store::{SqliteStore, Store};

/// An entity with a name and, optionally, other properties.
pub fn entity(id: &str, kind: EntityKind, name: &str, extra: &[(&str, &str)]) -> ReportEntity {
    let mut properties =
        BTreeMap::from([("name".to_string(), vec![PropertyValue { value: name.into(), original: None }])]);
    for (k, v) in extra {
        properties.entry(k.to_string()).or_default().push(PropertyValue { value: v.to_string(), original: None });
    }
    ReportEntity { id: id.into(), kind, properties, observed: None }
}

/// Markings owned by `owner`.
pub fn markings(owner: &str, classification: Classification, compartments: &[&str]) -> Markings {
    Markings {
        classification,
        owner: owner.into(),
        compartments: compartments.iter().map(|c| c.to_string()).collect(),
        caveats: vec![],
    }
}

/// A report of `agency` graded `grading` (a `C` code gets hub-only conditions), without entities.
pub fn report(id: &str, agency: &str, grading: &str, classification: Classification, compartments: &[&str]) -> Report {
    Report {
        id: id.into(),
        agency: agency.into(),
        author: "officer".into(),
        date: "2024-09-01".into(),
        grading: Grading::parse("3x5x2", grading, grading.ends_with('C').then_some("hub agencies only")).unwrap(),
        markings: markings(agency, classification, compartments),
        streams: vec![],
        routes: vec![],
        text: "Report.".into(),
        entities: vec![],
        links: vec![],
    }
}

/// A fresh store holding `reports`.
pub fn store_with(reports: Vec<Report>) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::init(dir.path()).unwrap();
    let mut stream = reports.into_iter().map(|r| {
        let s = r.statements("2024-09-02T00:00:00Z");
        Ok((r, s))
    });
    store.ingest("test", &mut stream, &mut |_| {}).unwrap();
    (dir, store)
}

/// A user of `agency` with SECRET clearance.
pub fn user(agency: &str, role: Role, national: bool, compartments: &[&str]) -> Viewer {
    Viewer {
        user: format!("{}-{}", agency.to_lowercase(), role),
        agency: agency.into(),
        role,
        clearance: Classification::Secret,
        compartments: compartments.iter().map(|c| c.to_string()).collect(),
        national,
    }
}
