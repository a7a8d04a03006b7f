//! Access tests of the threat picture: a partner liaison's picture contains
//! nothing derived from statements it may not see. Its facts and its whole
//! picture (figures, confidences, series, groups) are byte-identical to those
//! of a store that never held the reports it may not see: a C-handled
//! report, a compartmented one and one above its clearance.

use std::collections::BTreeMap;

use tessera_access::{Role, Viewer};
use tessera_model::report::{PropertyValue, ReportEntity, ReportLink};
use tessera_model::taxonomy::{Route, StreamCode};
use tessera_model::{Classification, EntityKind, Grading, LinkType, Markings, Report};
use tessera_picture::{Count, Dimension, Options, PeriodKind, assemble, build};
use tessera_store::{PictureRequest, SqliteStore, Store};

fn entity(id: &str, kind: EntityKind, props: &[(&str, &str)]) -> ReportEntity {
    let mut properties: BTreeMap<String, Vec<PropertyValue>> = BTreeMap::new();
    for (k, v) in props {
        properties.entry(k.to_string()).or_default().push(PropertyValue { value: v.to_string(), original: None });
    }
    ReportEntity { id: id.into(), kind, properties, observed: None }
}

struct Spec<'a> {
    id: &'a str,
    agency: &'a str,
    date: &'a str,
    grading: &'a str,
    classification: Classification,
    compartments: &'a [&'a str],
    streams: Vec<StreamCode>,
    routes: Vec<Route>,
    entities: Vec<ReportEntity>,
    links: Vec<ReportLink>,
}

fn report(spec: Spec) -> Report {
    Report {
        id: spec.id.into(),
        agency: spec.agency.into(),
        author: "officer".into(),
        date: spec.date.into(),
        grading: Grading::parse(
            "3x5x2",
            spec.grading,
            spec.grading.ends_with('C').then_some("owner's consent before any dissemination"),
        )
        .unwrap(),
        markings: Markings {
            classification: spec.classification,
            owner: spec.agency.into(),
            compartments: spec.compartments.iter().map(|c| c.to_string()).collect(),
            caveats: vec![],
        },
        streams: spec.streams,
        routes: spec.routes,
        text: "Report.".into(),
        entities: spec.entities,
        links: spec.links,
    }
}

/// Reports partners may see: two agencies on the Channel, small boats, one organised crime group.
fn shared() -> Vec<Report> {
    let mut out = Vec::new();
    for (i, (agency, date, grading)) in [
        ("NCA", "2025-01-10", "1A P"),
        ("NCA", "2025-02-11", "2B P"),
        ("BF", "2025-02-20", "2C P"),
        ("BF", "2025-04-02", "1B P"),
        ("NCA", "2025-05-05", "1A P"),
        ("BF", "2025-05-06", "2B P"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut entities = vec![
            entity(&format!("{agency}:P-{i}"), EntityKind::Person, &[("name", "Ali Traveller"), ("nationality", "AF")]),
            entity(&format!("{agency}:V-{i}"), EntityKind::Vessel, &[("name", "Dinghy"), ("type", "rubber dinghy")]),
            entity(&format!("{agency}:E-{i}"), EntityKind::Event, &[("eventType", "crossing"), ("country", "FR")]),
        ];
        let mut links = vec![];
        if i == 0 {
            entities.push(entity(
                "NCA:OCG-1",
                EntityKind::Organization,
                &[("name", "Gravelines crew"), ("topics", "crime.ocg"), ("country", "FR")],
            ));
            links.push(ReportLink {
                kind: LinkType::MemberOf,
                source: format!("{agency}:P-{i}"),
                target: "NCA:OCG-1".into(),
                observed: None,
            });
        }
        out.push(report(Spec {
            id: Box::leak(format!("{agency}-{i}").into_boxed_str()),
            agency,
            date,
            grading,
            classification: Classification::Official,
            compartments: &[],
            streams: vec![StreamCode::FacilitationSea],
            routes: vec![Route::Channel],
            entities,
            links,
        }));
    }
    out
}

/// Reports a partner may not see, each carrying a stream, route, country and nationality of its own.
fn hidden() -> Vec<Report> {
    let secret = |id: &'static str, grading: &'static str, classification, compartments: &'static [&'static str]| {
        report(Spec {
            id,
            agency: "NCA",
            date: "2025-03-15",
            grading,
            classification,
            compartments,
            streams: vec![StreamCode::FalseDocumentation, StreamCode::FacilitationAir],
            routes: vec![Route::Channel, Route::WesternBalkan],
            entities: vec![
                entity(&format!("{id}:P"), EntityKind::Person, &[("name", "Hidden Person"), ("nationality", "IQ")]),
                entity(
                    &format!("{id}:D"),
                    EntityKind::IdentityDocument,
                    &[("number", "X1234567"), ("documentStatus", "forged"), ("country", "GR")],
                ),
                entity(
                    &format!("{id}:L"),
                    EntityKind::Vehicle,
                    &[("registrationNumber", "AB12CDE"), ("type", "lorry")],
                ),
            ],
            links: vec![],
        })
    };
    vec![
        secret("NCA-C", "1A C", Classification::Official, &[]),
        secret("NCA-COMP", "1A P", Classification::Official, &["OP-TIDEWAY"]),
        secret("NCA-SECRET", "1A P", Classification::Secret, &[]),
    ]
}

fn store_with(reports: Vec<Report>) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::init(dir.path()).unwrap();
    let mut stream = reports.into_iter().map(|r| {
        let s = r.statements("2025-06-01T00:00:00Z");
        Ok((r, s))
    });
    store.ingest("test", &mut stream, &mut |_| {}).unwrap();
    store.resolve(true).unwrap();
    (dir, store)
}

fn partner() -> Viewer {
    Viewer {
        user: "liaison".into(),
        agency: "EUROPOL".into(),
        role: Role::PartnerLiaison,
        clearance: Classification::OfficialSensitive,
        compartments: Default::default(),
        national: false,
    }
}

fn owner() -> Viewer {
    Viewer {
        user: "analyst".into(),
        agency: "NCA".into(),
        role: Role::Analyst,
        clearance: Classification::Secret,
        compartments: ["OP-TIDEWAY".to_string()].into(),
        national: true,
    }
}

#[test]
fn a_partners_picture_is_what_it_would_be_had_the_hidden_reports_never_been_stored() {
    let mut all = shared();
    all.extend(hidden());
    let (_d1, with_hidden) = store_with(all);
    let (_d2, without) = store_with(shared());
    let request = PictureRequest::default();

    // The facts themselves: identical.
    let facts = with_hidden.picture_facts(&partner(), &request).unwrap();
    assert_eq!(facts, without.picture_facts(&partner(), &request).unwrap());
    assert_eq!(facts.reports.len(), 6);

    // The picture, every dimension, by month and by quarter: byte-identical.
    for period in [PeriodKind::Month, PeriodKind::Quarter] {
        let options = Options { period, ..Options::default() };
        let seen = serde_json::to_string(&build(&with_hidden, &partner(), &options).unwrap()).unwrap();
        let baseline = serde_json::to_string(&build(&without, &partner(), &options).unwrap()).unwrap();
        assert_eq!(seen, baseline);
        for secret in ["IQ", "GR", "false_documentation", "facilitation_air", "western_balkan", "document_fraud", "hgv"]
        {
            assert!(!seen.contains(&format!("\"{secret}\"")), "the partner's picture mentions {secret}: {seen}");
        }
        assert!(seen.contains("\"sanitised\":true"), "a partner's picture is sanitised");
    }
    // Unsanitised too (as the facts are the same, so is every exact count).
    let exact = Options::default();
    let groups = with_hidden.groups(&partner()).unwrap();
    assert_eq!(
        serde_json::to_string(&assemble(&facts, &groups, &exact)).unwrap(),
        serde_json::to_string(&assemble(&without.picture_facts(&partner(), &request).unwrap(), &groups, &exact))
            .unwrap()
    );

    // The owner sees the hidden reports: they change the picture.
    let mine = build(&with_hidden, &owner(), &Options { by: vec![Dimension::Route], ..Options::default() }).unwrap();
    assert!(!mine.sanitised);
    assert_eq!(mine.reports, Count::Exact(9));
    let routes = &mine.sections[0].figures;
    assert_eq!(routes[0].key, "channel");
    assert_eq!(routes[0].reports, Count::Exact(9));
    assert_eq!(routes[1].key, "western_balkan");
    assert_eq!((routes[1].agencies, routes[1].confidence), (1, 0.9));
    assert_eq!(mine.groups.len(), 1);
}

#[test]
fn a_partners_figures_are_sanitised_and_single_agency_figures_withheld() {
    let (_d, store) = store_with(shared());
    let options = Options { by: vec![Dimension::Route, Dimension::Mo, Dimension::Nationality], ..Options::default() };
    let partner_view = build(&store, &partner(), &options).unwrap();
    assert!(partner_view.sanitised && partner_view.method.as_deref().unwrap().contains("<5"));
    assert_eq!(partner_view.reports, Count::Rounded(5), "6 reports shown as 5");
    let route = &partner_view.sections[0].figures[0];
    assert_eq!((route.key.as_str(), route.reports, route.agencies), ("channel", Count::Rounded(5), 2));
    // NCA's best is 1A (0.9 × 1.0), BF's 1B (0.9 × 0.85): 1 − (1 − 0.9)(1 − 0.765) = 0.9765.
    assert_eq!(route.confidence, 0.98);
    assert!(route.periods.iter().all(|p| p.reports == Count::Below));
    assert!(partner_view.series.iter().all(|s| s.counts.is_none()));
    assert_eq!(partner_view.groups[0].members, Count::Below);

    // The analyst sees exact counts; asked to sanitise, the same figures as the partner.
    let exact = build(&store, &owner(), &options).unwrap();
    assert_eq!(exact.reports, Count::Exact(6));
    assert_eq!(exact.sections[0].figures[0].reports, Count::Exact(6));
    let mo: Vec<&str> = exact.sections[1].figures.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(mo, vec!["sea", "small_boat"]);
    assert_eq!(exact.sections[1].figures[0].by_kind["Vessel"], Count::Exact(6));
    let sanitised = build(&store, &owner(), &Options { sanitise: true, ..options.clone() }).unwrap();
    assert_eq!(sanitised.sections, partner_view.sections);

    // Only one agency's reports in a period: every figure is withheld.
    let one =
        build(&store, &owner(), &Options { until: Some("2025-02-11".into()), sanitise: true, ..options }).unwrap();
    assert!(one.sections.iter().all(|s| s.figures.is_empty() && s.withheld > 0), "{:?}", one.sections);
}

#[test]
fn bad_parameters_are_refused_by_name() {
    let (_d, store) = store_with(shared());
    let e = build(&store, &owner(), &Options { from: Some("yesterday".into()), ..Options::default() }).unwrap_err();
    assert!(e.to_string().starts_with("from:"), "{e}");
    let e = build(&store, &owner(), &Options { groups: 1000, ..Options::default() }).unwrap_err();
    assert!(e.to_string().starts_with("groups:"), "{e}");
}

/// A national investigator not read into OP-TIDEWAY and cleared to OFFICIAL-SENSITIVE.
fn investigator() -> Viewer {
    Viewer {
        user: "investigator".into(),
        agency: "BF".into(),
        role: Role::Investigator,
        clearance: Classification::OfficialSensitive,
        compartments: Default::default(),
        national: true,
    }
}

/// Adds the plan and the log as the owner: one action and one disruption everybody national may see,
/// and, when `hidden`, an action in OP-TIDEWAY and a SECRET disruption naming the compartmented person.
fn record_plan(store: &mut SqliteStore, hidden: bool) {
    use tessera_model::disruption::{ActionStatus, AssetKind, AssetStatus, DisruptionKind, Impact};
    use tessera_model::taxonomy::Stream;
    use tessera_store::{Asset, NewAction, NewDisruption, NewTarget, TargetKind};
    let markings = |classification, compartments: &[&str]| Markings {
        classification,
        owner: "NCA".into(),
        compartments: compartments.iter().map(|c| c.to_string()).collect(),
        caveats: vec![],
    };
    let action = |reference: &str, m: Markings, targets: Vec<NewTarget>| NewAction {
        reference: reference.into(),
        stream: Stream::Facilitation,
        objective: "Stop the Channel launches".into(),
        title: "Pursue the Gravelines crew".into(),
        agency: "NCA".into(),
        owner: "DI Morgan".into(),
        start: Some("2025-01-01".into()),
        due: Some("2025-12-31".into()),
        status: ActionStatus::InProgress,
        targets,
        markings: m,
        handling: tessera_model::Handling::Permitted,
    };
    let group = NewTarget { kind: TargetKind::Group, id: "NCA:OCG-1".into() };
    let balkans = NewTarget { kind: TargetKind::Route, id: "western_balkan".into() };
    store.add_action(&owner(), &action("FAC-1", markings(Classification::Official, &[]), vec![group.clone()])).unwrap();
    let disruption = |reference: &str, m: Markings, subjects: Vec<String>, value: f64| NewDisruption {
        reference: reference.into(),
        kind: DisruptionKind::Seizure,
        date: "2025-03-01".into(),
        agency: "NCA".into(),
        group: Some("NCA:OCG-1".into()),
        subjects,
        summary: "Boats seized.".into(),
        evidence: vec![],
        action: None,
        accounts: 0,
        impact: Impact::Moderate,
        impact_reason: Some("as the test says".into()),
        assets: vec![Asset {
            kind: AssetKind::Boat,
            description: "dinghies".into(),
            quantity: 1,
            value_gbp: Some(value),
            status: AssetStatus::Seized,
        }],
        prosecutions: vec![],
        markings: m,
        handling: tessera_model::Handling::Permitted,
    };
    store
        .record_disruption(&owner(), &disruption("DIS-1", markings(Classification::Official, &[]), vec![], 30_000.0))
        .unwrap();
    if hidden {
        store
            .add_action(
                &owner(),
                &action("FAC-2", markings(Classification::Official, &["OP-TIDEWAY"]), vec![group, balkans]),
            )
            .unwrap();
        let secret = disruption("DIS-2", markings(Classification::Secret, &[]), vec!["NCA-COMP:P".into()], 400_000.0);
        store.record_disruption(&owner(), &secret).unwrap();
    }
}

#[test]
fn a_review_is_what_it_would_be_had_the_hidden_material_never_been_stored() {
    use tessera_picture::review::{ReviewAsk, build_review, review_input};
    let mut all = shared();
    all.extend(hidden());
    let (_d1, mut with_hidden) = store_with(all);
    record_plan(&mut with_hidden, true);
    // The investigator may see the C-handled report (national), not the compartmented or SECRET ones.
    let mut visible = shared();
    visible.extend(hidden().into_iter().filter(|r| r.id == "NCA-C"));
    let (_d2, mut without) = store_with(visible);
    record_plan(&mut without, false);

    let seen = review_input(&with_hidden, &investigator()).unwrap();
    assert_eq!(seen, review_input(&without, &investigator()).unwrap());
    assert_eq!((seen.actions.len(), seen.disruptions.len()), (1, 1));
    let ask = ReviewAsk { as_of: Some("2025-06-30".into()), ..ReviewAsk::default() };
    let review = serde_json::to_string(&build_review(&with_hidden, &investigator(), &ask).unwrap().review).unwrap();
    let baseline = serde_json::to_string(&build_review(&without, &investigator(), &ask).unwrap().review).unwrap();
    assert_eq!(review, baseline);
    assert!(!review.contains("FAC-2") && !review.contains("DIS-2") && !review.contains("400000"), "{review}");

    // The owner's review counts them; partners and auditors get none.
    let mine = review_input(&with_hidden, &owner()).unwrap();
    assert_eq!((mine.actions.len(), mine.disruptions.len()), (2, 2));
    assert!(review_input(&with_hidden, &partner()).is_err());
    let auditor = Viewer { role: Role::Auditor, ..owner() };
    assert!(review_input(&with_hidden, &auditor).is_err());
}
