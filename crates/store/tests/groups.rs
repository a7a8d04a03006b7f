//! The organised crime group board over the store: a group's facts are read
//! from visible statements only (a partner's board is exactly what it would
//! be had the hidden report never been stored), the same group recorded by two
//! agencies is one group once resolution joins their records, and every fact
//! reaches the factor it drives.

use std::collections::BTreeMap;

use tessera_access::{Role, Viewer};
use tessera_model::report::{PropertyValue, ReportEntity, ReportLink};
use tessera_model::{Classification, EntityKind, Grading, LinkType, Markings, Report};
use tessera_store::priority::{Band, Factor};
use tessera_store::{Decision, GroupOrigin, SqliteStore, Store, Verdict};

fn entity(id: &str, kind: EntityKind, props: &[(&str, &str)]) -> ReportEntity {
    let mut properties: BTreeMap<String, Vec<PropertyValue>> = BTreeMap::new();
    for (k, v) in props {
        properties.entry(k.to_string()).or_default().push(PropertyValue { value: v.to_string(), original: None });
    }
    ReportEntity { id: id.into(), kind, properties, observed: None }
}

fn link(kind: LinkType, source: &str, target: &str) -> ReportLink {
    ReportLink { kind, source: source.into(), target: target.into(), observed: None }
}

struct Spec<'a> {
    id: &'a str,
    agency: &'a str,
    date: &'a str,
    grading: &'a str,
    classification: Classification,
    compartments: &'a [&'a str],
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
        streams: vec![],
        routes: vec![tessera_model::taxonomy::Route::Channel],
        text: "Report.".into(),
        entities: spec.entities,
        links: spec.links,
    }
}

/// What partners may see: the group, two members, a traveller who paid one of them, a payment and a crossing.
fn shared() -> Report {
    report(Spec {
        id: "NCA-1",
        agency: "NCA",
        date: "2025-03-01",
        grading: "1A P",
        classification: Classification::Official,
        compartments: &[],
        entities: vec![
            entity(
                "NCA:OCG-1",
                EntityKind::Organization,
                &[
                    ("name", "Gravelines crew"),
                    ("topics", "crime.ocg"),
                    ("country", "FR"),
                    ("modusOperandi", "Launches overloaded dinghies from the dunes."),
                ],
            ),
            entity("NCA:P-1", EntityKind::Person, &[("name", "Karim HADDAD"), ("role", "organiser")]),
            entity("NCA:P-2", EntityKind::Person, &[("name", "Rebin AZIZ"), ("role", "boat pilot")]),
            entity("NCA:P-3", EntityKind::Person, &[("name", "Dawit TESFAY"), ("birthDate", "1990-04-02")]),
            entity(
                "NCA:EVT-1",
                EntityKind::Event,
                &[("eventType", "payment"), ("date", "2025-02-20"), ("amount", "2000"), ("currency", "EUR")],
            ),
            entity(
                "NCA:EVT-2",
                EntityKind::Event,
                &[("eventType", "crossing"), ("date", "2025-02-25"), ("country", "GB")],
            ),
        ],
        links: vec![
            link(LinkType::MemberOf, "NCA:P-1", "NCA:OCG-1"),
            link(LinkType::MemberOf, "NCA:P-2", "NCA:OCG-1"),
            link(LinkType::Associate, "NCA:P-1", "NCA:P-2"),
            link(LinkType::Paid, "NCA:P-3", "NCA:P-1"),
        ],
    })
}

/// A compartmented SECRET report that would change almost every factor: a third member with a
/// wallet, a child who paid, a crossing in which people drowned, and an arrest.
fn hidden() -> Report {
    report(Spec {
        id: "NCA-2",
        agency: "NCA",
        date: "2025-04-01",
        grading: "1A C",
        classification: Classification::Secret,
        compartments: &["OP-TIDEWAY"],
        entities: vec![
            entity("NCA:OCG-1", EntityKind::Organization, &[("topics", "crime.ocg")]),
            entity("NCA:P-1", EntityKind::Person, &[("name", "Karim HADDAD")]),
            entity("NCA:P-9", EntityKind::Person, &[("name", "Secret MONEYMAN"), ("role", "money handler")]),
            entity("NCA:P-10", EntityKind::Person, &[("name", "Young TRAVELLER"), ("birthDate", "2011-01-01")]),
            entity(
                "wallet:btc:1",
                EntityKind::CryptoWallet,
                &[("publicKey", "1BoatBhdBtcSecretWallet"), ("currency", "BTC")],
            ),
            entity(
                "NCA:EVT-9",
                EntityKind::Event,
                &[
                    ("eventType", "crossing"),
                    ("date", "2025-03-28"),
                    ("summary", "Dinghy capsized; two passengers drowned"),
                ],
            ),
            entity("NCA:EVT-10", EntityKind::Event, &[("eventType", "arrest"), ("date", "2025-03-30")]),
        ],
        links: vec![
            link(LinkType::MemberOf, "NCA:P-9", "NCA:OCG-1"),
            link(LinkType::Owns, "NCA:P-9", "wallet:btc:1"),
            link(LinkType::Paid, "NCA:P-10", "NCA:P-1"),
            link(LinkType::Associate, "NCA:P-9", "NCA:P-1"),
        ],
    })
}

/// The same group as another agency records it, with a member of its own.
fn europol() -> Report {
    report(Spec {
        id: "EUROPOL-1",
        agency: "EUROPOL",
        date: "2025-03-05",
        grading: "2B P",
        classification: Classification::Official,
        compartments: &[],
        entities: vec![
            entity(
                "EUROPOL:OCG-77",
                EntityKind::Organization,
                &[("name", "Gravelines network"), ("topics", "crime.ocg")],
            ),
            entity("EUROPOL:P-5", EntityKind::Person, &[("name", "Hemin QADER"), ("role", "recruiter")]),
            entity("EUROPOL:P-6", EntityKind::Person, &[("name", "Unrelated PERSON")]),
            entity("EUROPOL:ORG-1", EntityKind::Organization, &[("name", "Harbour Logistics Ltd")]),
        ],
        links: vec![
            link(LinkType::MemberOf, "EUROPOL:P-5", "EUROPOL:OCG-77"),
            link(LinkType::EmployedBy, "EUROPOL:P-6", "EUROPOL:ORG-1"),
        ],
    })
}

fn store_with(reports: Vec<Report>) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::init(dir.path()).unwrap();
    let mut stream = reports.into_iter().map(|r| {
        let s = r.statements("2025-04-02T00:00:00Z");
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
fn a_partners_board_is_what_it_would_be_had_the_hidden_report_never_been_stored() {
    let (_d1, with_hidden) =
        store_with(vec![shared(), hidden(), ring_marked("BF-9", Classification::Secret, &["OP-TIDEWAY"])]);
    let (_d2, without) = store_with(vec![shared()]);

    // The partner: exactly the board and the group of a store without the hidden report.
    let board = with_hidden.groups(&partner()).unwrap();
    assert_eq!(board, without.groups(&partner()).unwrap());
    assert_eq!(board.len(), 1);
    assert_eq!(board[0].members, 2);
    let seen = with_hidden.group(&partner(), "NCA:OCG-1").unwrap().expect("the group is visible");
    let baseline = without.group(&partner(), "NCA:OCG-1").unwrap().unwrap();
    assert_eq!(seen, baseline);
    let text = serde_json::to_string(&seen).unwrap();
    for secret in
        ["MONEYMAN", "NCA:P-9", "NCA:P-10", "drowned", "1BoatBhdBtcSecretWallet", "NCA-2", "2025-03-30", "2025-03-28"]
    {
        assert!(!text.contains(secret), "the partner's group mentions {secret}");
    }
    let a = &seen.assessment;
    assert_eq!(a.factor(Factor::Casualties).unwrap().level, Some(0));
    assert_eq!(a.factor(Factor::Resilience).unwrap().level, None, "the arrest is hidden");
    assert_eq!(a.factor(Factor::Vulnerability).unwrap().level, Some(0));
    assert_eq!(a.as_of, "2025-02-25", "the latest date the partner may see");

    // The owner sees the hidden report, and it changes the scores and the explanations.
    assert!(with_hidden.group(&partner(), "community:BF:A").unwrap().is_none());
    let owners_board = with_hidden.groups(&owner()).unwrap();
    assert_eq!(owners_board.len(), 2, "the owner also sees the hidden ring as a detected community");
    let mine = with_hidden.group(&owner(), "NCA:OCG-1").unwrap().unwrap();
    let m = &mine.assessment;
    assert_eq!(mine.summary.members, 3);
    assert_eq!(m.factor(Factor::Casualties).unwrap().level, Some(3), "{:?}", m.factor(Factor::Casualties));
    assert!(m.factor(Factor::Casualties).unwrap().explanation.contains("drowned"));
    assert_eq!(m.factor(Factor::Vulnerability).unwrap().level, Some(2), "one minor");
    assert!(m.factor(Factor::Vulnerability).unwrap().explanation.contains("Young TRAVELLER, aged 14"));
    assert!(m.factor(Factor::Finance).unwrap().explanation.contains("1 cryptocurrency wallet"));
    assert!(m.factor(Factor::Resilience).unwrap().explanation.contains("2025-03-30"));
    assert!(m.priority > a.priority, "{} vs {}", m.priority, a.priority);
    assert_ne!(m.factor(Factor::Size).unwrap().explanation, a.factor(Factor::Size).unwrap().explanation);

    // The recorded groups read at once are the board's recorded groups, each as `group` gives it,
    // in the board's order; the partner's are those of the store without the hidden report.
    for (store, viewer) in [(&with_hidden, owner()), (&with_hidden, partner()), (&without, partner())] {
        let curated = store.curated_groups(&viewer).unwrap();
        let board: Vec<String> = store
            .groups(&viewer)
            .unwrap()
            .into_iter()
            .filter(|g| g.origin == GroupOrigin::Curated)
            .map(|g| g.id)
            .collect();
        assert_eq!(curated.iter().map(|v| v.summary.id.clone()).collect::<Vec<_>>(), board);
        for view in &curated {
            assert_eq!(Some(view), store.group(&viewer, &view.summary.id).unwrap().as_ref());
        }
    }
    assert_eq!(with_hidden.curated_groups(&partner()).unwrap(), without.curated_groups(&partner()).unwrap());
}

#[test]
fn each_fact_reaches_the_factor_it_drives() {
    let (_d, store) = store_with(vec![shared()]);
    let g = store.group(&owner(), "NCA:OCG-1").unwrap().unwrap();
    let a = &g.assessment;
    let level = |f: Factor| a.factor(f).unwrap().level;
    // One traveller (paid a member) and one crossing.
    assert_eq!(level(Factor::PeopleMoved), Some(1));
    assert_eq!(g.profile.travellers.len(), 1);
    assert_eq!(g.profile.travellers[0].subject, "NCA:P-3");
    assert_eq!(g.profile.travellers[0].reports, vec!["NCA-1".to_string()]);
    // The modus operandi names dinghies.
    assert_eq!(level(Factor::DangerousMethods), Some(3));
    assert_eq!(level(Factor::Size), Some(1));
    assert_eq!(level(Factor::Roles), Some(2));
    assert_eq!(level(Factor::Cohesion), Some(1), "one associate tie");
    // A payment event and a payment to a member.
    assert_eq!(g.profile.payments.len(), 2);
    assert!(a.factor(Factor::Finance).unwrap().explanation.contains("2000 EUR"));
    assert_eq!(level(Factor::Reach), Some(2), "FR and GB, and the channel route");
    assert_eq!(g.profile.countries.iter().map(|c| c.subject.as_str()).collect::<Vec<_>>(), ["FR", "GB"]);
    assert_eq!(a.last_activity.as_deref(), Some("2025-03-01"), "the payment to a member, observed with the report");
    assert_eq!(level(Factor::Recency), Some(4));
    assert_eq!(a.confidence.reports, 1);
    assert_eq!(g.summary.band, a.band);
    assert!(matches!(g.summary.band, Band::Low | Band::Moderate | Band::Significant | Band::High));
    // An organisation that is not recorded as a crime group is not on the board.
    let (_d, store) = store_with(vec![shared(), europol()]);
    let ids: Vec<String> = store.groups(&owner()).unwrap().into_iter().map(|g| g.id).collect();
    assert_eq!(ids.len(), 2);
    assert!(!ids.contains(&"EUROPOL:ORG-1".to_string()));
    assert!(store.group(&owner(), "EUROPOL:ORG-1").unwrap().is_none());
    assert!(store.group(&owner(), "no such id").unwrap().is_none());
}

#[test]
fn two_agencies_records_of_one_group_become_one_group_once_resolved() {
    let (_d, mut store) = store_with(vec![shared(), europol()]);
    assert_eq!(store.groups(&owner()).unwrap().len(), 2);
    store
        .decide(&owner(), &[Decision { a: "NCA:OCG-1".into(), b: "EUROPOL:OCG-77".into(), verdict: Verdict::Same }])
        .unwrap();
    store.resolve(false).unwrap();
    let board = store.groups(&owner()).unwrap();
    assert_eq!(board.len(), 1, "{board:?}");
    assert_eq!(board[0].id, "EUROPOL:OCG-77", "the smallest record id names the group");
    assert_eq!(board[0].records, 2);
    assert_eq!(board[0].members, 3, "each agency's members");
    let by_other_record = store.group(&owner(), "NCA:OCG-1").unwrap().unwrap();
    assert_eq!(by_other_record.summary, board[0]);
    let roles: Vec<&str> = by_other_record.profile.roles.iter().map(|r| r.subject.as_str()).collect();
    assert_eq!(roles, ["boat pilot", "organiser", "recruiter"]);
    assert_eq!(by_other_record.assessment.confidence.agencies, 2);
}

/// Three people tied to each other and to no recorded group.
fn ring() -> Report {
    ring_marked("BF-7", Classification::Official, &[])
}

fn ring_marked(id: &str, classification: Classification, compartments: &[&str]) -> Report {
    report(Spec {
        id,
        agency: "BF",
        date: "2025-03-10",
        grading: "2B P",
        classification,
        compartments,
        entities: vec![
            entity("BF:A", EntityKind::Person, &[("name", "Aram SALIH"), ("role", "driver")]),
            entity("BF:B", EntityKind::Person, &[("name", "Bako OMAR")]),
            entity("BF:C", EntityKind::Person, &[("name", "Chra AHMED")]),
            entity("BF:D", EntityKind::Person, &[("name", "Dilan KARIM"), ("birthDate", "1995-05-05")]),
        ],
        links: vec![
            link(LinkType::Associate, "BF:A", "BF:B"),
            link(LinkType::Associate, "BF:B", "BF:C"),
            link(LinkType::Associate, "BF:C", "BF:A"),
        ],
    })
}

#[test]
fn a_community_of_people_in_no_recorded_group_is_detected_and_scored() {
    let (_d, store) = store_with(vec![shared(), ring()]);
    let board = store.groups(&owner()).unwrap();
    let detected: Vec<_> = board.iter().filter(|g| g.origin == tessera_store::GroupOrigin::Detected).collect();
    assert_eq!(detected.len(), 1, "{board:?}");
    let d = detected[0];
    assert_eq!(d.id, "community:BF:A");
    assert_eq!(d.members, 3);
    assert_eq!(d.records, 0);
    assert!(["BF:A", "BF:B", "BF:C"].contains(&d.seed.as_str()));
    let view = store.group(&owner(), "community:BF:A").unwrap().expect("the community opens");
    assert_eq!(view.summary, *d);
    assert_eq!(view.assessment.factor(Factor::Cohesion).unwrap().level, Some(2), "three ties");
    assert_eq!(view.assessment.factor(Factor::Roles).unwrap().level, Some(1));
    // The recorded group's members are not detected again; a person alone is no community.
    assert!(board.iter().filter(|g| g.origin == tessera_store::GroupOrigin::Curated).count() == 1);
    assert!(store.group(&owner(), "community:NCA:P-1").unwrap().is_none());
    // Without the ring's report, nothing is detected.
    let (_d, store) = store_with(vec![shared()]);
    assert!(store.groups(&owner()).unwrap().iter().all(|g| g.origin == tessera_store::GroupOrigin::Curated));
}
