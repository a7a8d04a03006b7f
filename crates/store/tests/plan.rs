//! The Strategic Action Plan and the disruption log: who may keep them, who
//! sees them (a partner sees no C-handled record and no hidden group, person
//! or report a record names), checks on what a record names, the history of
//! an action's status, and the impact criteria (a level that differs from
//! the criteria must say why; the thresholds come from the data directory).

mod common;

use common::{entity, markings, report, store_with, user};
use tessera_access::{Role, Viewer};
use tessera_model::disruption::{ActionStatus, AssetKind, AssetStatus, DisruptionKind, Impact, ProsecutionStatus};
use tessera_model::taxonomy::Stream;
use tessera_model::{Classification, EntityKind, Handling};
use tessera_store::{
    Asset, NewAction, NewDisruption, NewProsecution, NewTarget, SqliteStore, Store, StoreError, TargetKind,
};

/// The Dunkirk crew and two of its people (NCA, code C), a lorry network partners may see (BF, code
/// P), and a person in the OP-TIDEWAY compartment.
fn store() -> (tempfile::TempDir, SqliteStore) {
    let mut hub = report("NCA-1", "NCA", "1A C", Classification::OfficialSensitive, &[]);
    hub.entities = vec![
        entity("NCA:OCG-1", EntityKind::Organization, "Dunkirk boat crew", &[]),
        entity("NCA:P-1", EntityKind::Person, "Karim HADDAD", &[("role", "leader")]),
        entity("NCA:P-2", EntityKind::Person, "Ali REZA", &[("role", "driver")]),
    ];
    let mut shared = report("BF-1", "BF", "2B P", Classification::Official, &[]);
    shared.entities = vec![entity("BF:OCG-2", EntityKind::Organization, "Ostend lorry network", &[])];
    let mut secret = report("NCA-2", "NCA", "1A C", Classification::OfficialSensitive, &["OP-TIDEWAY"]);
    secret.entities = vec![entity("NCA:P-3", EntityKind::Person, "Hidden PERSON", &[("role", "organiser")])];
    store_with(vec![hub, shared, secret])
}

fn analyst() -> Viewer {
    user("NCA", Role::Analyst, true, &["OP-TIDEWAY"])
}

fn analyst_not_read_in() -> Viewer {
    user("NCA", Role::Investigator, true, &[])
}

fn partner() -> Viewer {
    user("EUROPOL", Role::PartnerLiaison, false, &[])
}

fn hub_only() -> Handling {
    Handling::Conditions("hub agencies only".into())
}

fn action(reference: &str, handling: Handling, targets: Vec<NewTarget>) -> NewAction {
    NewAction {
        reference: reference.into(),
        stream: Stream::Facilitation,
        objective: "Dismantle the Channel small-boat groups".into(),
        title: "Arrest and charge the Dunkirk crew's organisers".into(),
        agency: "NCA".into(),
        owner: "DI Morgan".into(),
        start: Some("2024-03-01".into()),
        due: Some("2024-12-31".into()),
        status: ActionStatus::Planned,
        targets,
        markings: markings("NCA", Classification::OfficialSensitive, &[]),
        handling,
    }
}

fn target(kind: TargetKind, id: &str) -> NewTarget {
    NewTarget { kind, id: id.into() }
}

fn disruption(reference: &str, kind: DisruptionKind, impact: Impact) -> NewDisruption {
    NewDisruption {
        reference: reference.into(),
        kind,
        date: "2024-06-18".into(),
        agency: "NCA".into(),
        group: Some("NCA:OCG-1".into()),
        subjects: vec!["NCA:P-1".into()],
        summary: "Organiser charged under section 25.".into(),
        evidence: vec!["NCA-1".into()],
        action: None,
        accounts: 0,
        impact,
        impact_reason: None,
        assets: vec![],
        prosecutions: vec![],
        markings: markings("NCA", Classification::OfficialSensitive, &[]),
        handling: hub_only(),
    }
}

#[test]
fn actions_are_kept_by_the_hub_and_read_through_the_policy() {
    let (_dir, mut store) = store();
    let hidden = store
        .add_action(&analyst(), &action("FAC-1.1", hub_only(), vec![target(TargetKind::Group, "NCA:OCG-1")]))
        .unwrap();
    assert_eq!(hidden.targets[0].label, "Dunkirk boat crew");
    let mut shared = action(
        "FAC-1.2",
        Handling::Permitted,
        vec![
            target(TargetKind::Group, "NCA:OCG-1"),
            target(TargetKind::Route, "channel"),
            target(TargetKind::Mo, "small_boat"),
            target(TargetKind::Nationality, "af"),
        ],
    );
    shared.markings.classification = Classification::Official;
    store.add_action(&analyst(), &shared).unwrap();

    let mine = store.actions(&analyst()).unwrap();
    assert_eq!(mine.iter().map(|a| a.reference.as_str()).collect::<Vec<_>>(), ["FAC-1.1", "FAC-1.2"]);
    let theirs = store.actions(&partner()).unwrap();
    assert_eq!(theirs.len(), 1, "the partner sees only the P-handled action");
    let labels: Vec<&str> = theirs[0].targets.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["English Channel", "Small boats", "Afghanistan"], "the hidden group is left out");
    assert!(matches!(
        store.set_action_status(&partner(), hidden.id, ActionStatus::Complete, ""),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn only_the_hubs_keepers_change_the_plan() {
    let (_dir, mut store) = store();
    for role in [Role::PartnerLiaison, Role::DebriefingOfficer, Role::Auditor] {
        let viewer = user("NCA", role, true, &[]);
        let result = store.add_action(&viewer, &action("X-1", hub_only(), vec![]));
        assert!(matches!(result, Err(StoreError::Refused(_))), "{role}: {result:?}");
        let result = store.record_disruption(&viewer, &disruption("D-1", DisruptionKind::Arrest, Impact::Minor));
        assert!(matches!(result, Err(StoreError::Refused(_))), "{role}: {result:?}");
    }
    let mut foreign = action("X-2", hub_only(), vec![]);
    foreign.markings.owner = "BF".into();
    assert!(matches!(store.add_action(&analyst(), &foreign), Err(StoreError::Refused(_))));
}

#[test]
fn targets_and_dates_are_checked_and_hidden_groups_are_unknown() {
    let (_dir, mut store) = store();
    fn err<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
        match r {
            Err(StoreError::Invalid(m)) => m,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }
    let m = err(store.add_action(&analyst(), &action("A", hub_only(), vec![target(TargetKind::Group, "NCA:NOPE")])));
    assert!(m.starts_with("targets[0]:") && m.contains("NCA:NOPE"), "{m}");
    let m = err(store.add_action(&analyst(), &action("A", hub_only(), vec![target(TargetKind::Group, "NCA:P-1")])));
    assert!(m.contains("organisation"), "a person is not a group: {m}");
    let m = err(store.add_action(&analyst(), &action("A", hub_only(), vec![target(TargetKind::Route, "moon")])));
    assert!(m.contains("route"), "{m}");
    let mut bad_dates = action("A", hub_only(), vec![]);
    bad_dates.due = Some("2024-01-01".into());
    assert!(err(store.add_action(&analyst(), &bad_dates)).starts_with("due:"));
    bad_dates.due = Some("31/12/2024".into());
    assert!(err(store.add_action(&analyst(), &bad_dates)).starts_with("due:"));
    store.add_action(&analyst(), &action("A", hub_only(), vec![])).unwrap();
    assert!(err(store.add_action(&analyst(), &action("A", hub_only(), vec![]))).contains("already"));

    // Someone not read into OP-TIDEWAY cannot name its person: the same answer as for no person.
    let mut d = disruption("D-1", DisruptionKind::Arrest, Impact::Minor);
    d.subjects = vec!["NCA:P-3".into()];
    let m = err(store.record_disruption(&analyst_not_read_in(), &d));
    assert!(m.starts_with("subjects[0]:") && m.contains("that you may see"), "{m}");
    d.subjects = vec!["NCA:P-1".into()];
    d.evidence = vec!["NCA-2".into()];
    let m = err(store.record_disruption(&analyst_not_read_in(), &d));
    assert!(m.starts_with("evidence[0]:"), "{m}");
}

#[test]
fn an_actions_status_is_the_latest_of_its_history() {
    let (_dir, mut store) = store();
    let a = store.add_action(&analyst(), &action("FAC-1.1", hub_only(), vec![])).unwrap();
    assert_eq!(a.status, ActionStatus::Planned);
    let a = store.set_action_status(&analyst(), a.id, ActionStatus::InProgress, "warrants obtained").unwrap();
    let a = store.set_action_status(&analyst_not_read_in(), a.id, ActionStatus::Complete, "charged").unwrap();
    assert_eq!(a.status, ActionStatus::Complete);
    let statuses: Vec<_> = a.history.iter().map(|u| (u.status, u.note.as_str())).collect();
    assert_eq!(
        statuses,
        [
            (ActionStatus::Planned, "added to the plan"),
            (ActionStatus::InProgress, "warrants obtained"),
            (ActionStatus::Complete, "charged")
        ]
    );
    assert!(matches!(
        store.set_action_status(&analyst(), 999, ActionStatus::Complete, ""),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn the_criteria_grade_a_disruption_and_a_different_level_needs_a_reason() {
    let (_dir, mut store) = store();
    // A leader charged: the criteria give major.
    let mut d = disruption("D-1", DisruptionKind::Charge, Impact::Moderate);
    let refused = store.record_disruption(&analyst(), &d);
    match refused {
        Err(StoreError::Invalid(m)) => assert!(m.starts_with("impact_reason:") && m.contains("major"), "{m}"),
        other => panic!("{other:?}"),
    }
    d.impact_reason = Some("only one of three organisers".into());
    d.assets = vec![
        Asset {
            kind: AssetKind::Boat,
            description: "inflatable boats".into(),
            quantity: 3,
            value_gbp: Some(12_000.0),
            status: AssetStatus::Seized,
        },
        Asset {
            kind: AssetKind::Cash,
            description: "cash in a holdall".into(),
            quantity: 1,
            value_gbp: Some(30_000.0),
            status: AssetStatus::Returned,
        },
    ];
    d.prosecutions = vec![NewProsecution {
        defendant: "NCA:P-1".into(),
        charge: "s.25 Immigration Act 1971".into(),
        status: ProsecutionStatus::Charged,
        date: Some("2024-06-20".into()),
        outcome: None,
    }];
    let recorded = store.record_disruption(&analyst(), &d).unwrap();
    assert_eq!(recorded.assessed.level, Impact::Major);
    assert!(recorded.assessed.reasons[0].contains("leader"), "{:?}", recorded.assessed.reasons);
    assert_eq!(recorded.impact, Impact::Moderate);
    assert_eq!(recorded.denied_gbp, 12_000.0, "returned cash is not denied");
    assert_eq!(recorded.prosecutions[0].defendant.as_ref().unwrap().caption, "Karim HADDAD");

    // A conviction needs its sentence.
    let mut c = disruption("D-2", DisruptionKind::Conviction, Impact::Major);
    c.prosecutions = vec![NewProsecution {
        defendant: "NCA:P-1".into(),
        charge: "s.25".into(),
        status: ProsecutionStatus::Convicted,
        date: None,
        outcome: None,
    }];
    assert!(matches!(store.record_disruption(&analyst(), &c), Err(StoreError::Invalid(m)) if m.contains("outcome")));
}

#[test]
fn a_reader_sees_only_what_a_disruption_names_that_they_may_see() {
    let (_dir, mut store) = store();
    let mut d = disruption("D-1", DisruptionKind::Arrest, Impact::Major);
    d.subjects = vec!["NCA:P-1".into(), "NCA:P-2".into(), "NCA:P-3".into(), "NCA:P-1".into()];
    d.evidence = vec!["NCA-1".into(), "NCA-2".into()];
    d.impact_reason = None;
    d.handling = Handling::Permitted;
    d.markings.classification = Classification::Official;
    // Two people, a leader among them, arrested: moderate by the criteria, recorded as major.
    assert!(store.record_disruption(&analyst(), &d).is_err());
    d.impact_reason = Some("the crew stopped launching".into());
    let full = store.record_disruption(&analyst(), &d).unwrap();
    assert_eq!(full.subjects.len(), 3);
    assert_eq!(full.assessed.level, Impact::Moderate);

    let partial = store.disruption(&analyst_not_read_in(), full.id).unwrap().unwrap();
    assert_eq!(partial.subjects.len(), 2);
    assert_eq!(partial.other_subjects, 1);
    assert_eq!(partial.evidence, ["NCA-1"]);
    let json = serde_json::to_string(&partial).unwrap();
    assert!(!json.contains("NCA:P-3") && !json.contains("Hidden PERSON") && !json.contains("NCA-2"), "{json}");

    let partner_view = store.disruption(&partner(), full.id).unwrap().unwrap();
    assert!(partner_view.group.is_none() && partner_view.subjects.is_empty() && partner_view.evidence.is_empty());
    assert_eq!(partner_view.other_subjects, 3);
    // Asking by the hidden group's id finds nothing: the filter tells the partner nothing.
    assert!(store.disruptions(&partner(), Some(&["NCA:OCG-1".to_string()])).unwrap().is_empty());
    assert_eq!(store.disruptions(&analyst(), Some(&["NCA:OCG-1".to_string()])).unwrap().len(), 1);
    assert_eq!(store.disruptions(&partner(), None).unwrap().len(), 1);

    let hub =
        store.record_disruption(&analyst(), &disruption("D-2", DisruptionKind::Arrest, Impact::Moderate)).unwrap();
    assert!(store.disruption(&partner(), hub.id).unwrap().is_none());
    assert_eq!(store.disruptions(&partner(), None).unwrap().len(), 1);
}

#[test]
fn the_data_directory_sets_the_thresholds() {
    let (dir, mut store) = store();
    let mut seizure = disruption("D-1", DisruptionKind::Seizure, Impact::Moderate);
    seizure.subjects.clear();
    seizure.assets = vec![Asset {
        kind: AssetKind::Cash,
        description: "cash".into(),
        quantity: 1,
        value_gbp: Some(5_000.0),
        status: AssetStatus::Seized,
    }];
    assert!(store.record_disruption(&analyst(), &seizure).is_err(), "£5,000 is minor by default");
    drop(store);
    std::fs::write(dir.path().join(tessera_store::IMPACT_CRITERIA_FILE), "moderate_assets_gbp = 1000.0\n").unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    assert!(store.impact_criteria().criteria().iter().any(|c| c.text.contains("£1,000")));
    assert_eq!(store.record_disruption(&analyst(), &seizure).unwrap().assessed.level, Impact::Moderate);
    drop(store);
    std::fs::write(dir.path().join(tessera_store::IMPACT_CRITERIA_FILE), "moderate_assets = 1\n").unwrap();
    let error = SqliteStore::open(dir.path()).unwrap_err().to_string();
    assert!(error.contains("impact-criteria.toml") && error.contains("moderate_assets"), "{error}");
}

#[test]
fn stream_leads_are_marked_records_too() {
    let (_dir, mut store) = store();
    let m = markings("NCA", Classification::Official, &[]);
    store
        .set_stream_lead(&analyst(), Stream::Facilitation, "NCA", "Deputy Director Ellis", &m, &Handling::Permitted)
        .unwrap();
    store.set_stream_lead(&analyst(), Stream::ClandestineEntry, "BF", "Director Okafor", &m, &hub_only()).unwrap();
    let all = store.stream_leads(&analyst()).unwrap();
    assert_eq!(all.iter().map(|l| l.stream).collect::<Vec<_>>(), [Stream::Facilitation, Stream::ClandestineEntry]);
    assert_eq!(store.stream_leads(&partner()).unwrap().len(), 1);
    let changed = store
        .set_stream_lead(&analyst(), Stream::Facilitation, "NCA", "Director Shah", &m, &Handling::Permitted)
        .unwrap();
    assert_eq!(changed.lead, "Director Shah");
    assert_eq!(store.stream_leads(&analyst()).unwrap().len(), 2, "a new lead replaces the old one");
}

#[test]
fn a_disruption_names_only_an_action_its_recorder_may_see() {
    let (_dir, mut store) = store();
    let mut compartmented = action("FAC-9.1", hub_only(), vec![]);
    compartmented.markings = markings("NCA", Classification::OfficialSensitive, &["OP-TIDEWAY"]);
    store.add_action(&analyst(), &compartmented).unwrap();
    store.add_action(&analyst(), &action("FAC-9.2", hub_only(), vec![])).unwrap();

    let mut delivered = disruption("D-9", DisruptionKind::Arrest, Impact::Moderate);
    delivered.action = Some("FAC-9.1".into());
    match store.record_disruption(&analyst_not_read_in(), &delivered) {
        Err(StoreError::Invalid(m)) => assert!(m.contains("no action \"FAC-9.1\""), "{m}"),
        other => panic!("an action the recorder may not see is unknown: {other:?}"),
    }
    delivered.action = Some("FAC-9.3".into());
    assert!(matches!(store.record_disruption(&analyst(), &delivered), Err(StoreError::Invalid(_))));
    delivered.action = Some(" FAC-9.2 ".into());
    let recorded = store.record_disruption(&analyst_not_read_in(), &delivered).unwrap();
    assert_eq!(recorded.action.as_deref(), Some("FAC-9.2"));
}
