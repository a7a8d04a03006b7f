//! Property-based leak tests: random reports under random markings and
//! handling codes, random viewers, and every read the store offers. Nothing
//! that a viewer may not see — no statement, report, count, caption or hint —
//! may come back. The expected visibility of each report is computed from the
//! generated data with the policy; the store must agree on every read path.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use tessera_access::{Policy, Role, Viewer};
use tessera_model::report::{PropertyValue, ReportEntity, ReportLink};
use tessera_model::{Classification, EntityKind, Grading, LinkType, Markings, Report};
use tessera_store::{
    AlertChange, AlertFilter, MonitorBatch, NetworkRequest, NewAlert, NewWatch, SearchRequest, SqliteStore, Store,
    TrackPoint,
};

const AGENCIES: [&str; 4] = ["NCA", "BF", "EUROPOL", "FR-OCRIEST"];
const COMPARTMENTS: [&str; 2] = ["OP-A", "OP-B"];
const NAMES: [&str; 4] = ["Mohammed Abdelrahman", "Muhammad Abd al-Rahman", "Yusuf Hussein", "Tesfaye Haile"];
const PHONES: [&str; 3] = ["+447700900101", "+447700900202", "+33639980303"];
const WORDS: [&str; 3] = ["Zuwara", "Calais", "Gravelines"];

#[derive(Debug, Clone)]
struct GenReport {
    classification: u8,
    owner: usize,
    compartments: Vec<bool>,
    uk_only: bool,
    permitted: bool,
    person: usize,
    name: usize,
    phone: usize,
    word: usize,
    linked_to: Option<usize>,
}

fn gen_report() -> impl Strategy<Value = GenReport> {
    (
        0u8..4,
        0usize..4,
        proptest::collection::vec(proptest::bool::weighted(0.25), 2),
        proptest::bool::weighted(0.2),
        any::<bool>(),
        0usize..5,
        0usize..4,
        0usize..3,
        0usize..3,
        proptest::option::of(0usize..5),
    )
        .prop_map(
            |(classification, owner, compartments, uk_only, permitted, person, name, phone, word, linked_to)| {
                GenReport {
                    classification,
                    owner,
                    compartments,
                    uk_only,
                    permitted,
                    person,
                    name,
                    phone,
                    word,
                    linked_to,
                }
            },
        )
}

#[derive(Debug, Clone)]
struct GenViewer {
    clearance: u8,
    compartments: Vec<bool>,
    agency: usize,
    national: bool,
    auditor: bool,
}

fn gen_viewer() -> impl Strategy<Value = GenViewer> {
    (0u8..4, proptest::collection::vec(any::<bool>(), 2), 0usize..4, any::<bool>(), proptest::bool::weighted(0.1))
        .prop_map(|(clearance, compartments, agency, national, auditor)| GenViewer {
            clearance,
            compartments,
            agency,
            national,
            auditor,
        })
}

fn build(index: usize, g: &GenReport) -> Report {
    let markings = Markings {
        classification: Classification::from_rank(g.classification).unwrap(),
        owner: AGENCIES[g.owner].into(),
        compartments: COMPARTMENTS
            .iter()
            .zip(&g.compartments)
            .filter(|(_, on)| **on)
            .map(|(c, _)| c.to_string())
            .collect(),
        caveats: if g.uk_only { vec!["UK EYES ONLY".into()] } else { vec![] },
    };
    let grading = if g.permitted {
        Grading::parse("3x5x2", "2B P", None).unwrap()
    } else {
        Grading::parse("3x5x2", "2B C", Some("hub only")).unwrap()
    };
    let value = |v: &str| vec![PropertyValue { value: v.to_string(), original: None }];
    let person = format!("P{}", g.person);
    let phone = format!("phone:{}", PHONES[g.phone]);
    let mut entities = vec![
        ReportEntity {
            id: person.clone(),
            kind: EntityKind::Person,
            properties: BTreeMap::from([("name".to_string(), value(NAMES[g.name]))]),
            observed: None,
        },
        ReportEntity {
            id: phone.clone(),
            kind: EntityKind::Phone,
            properties: BTreeMap::from([("number".to_string(), value(PHONES[g.phone]))]),
            observed: None,
        },
    ];
    let mut links = vec![ReportLink { kind: LinkType::Uses, source: person.clone(), target: phone, observed: None }];
    if let Some(other) = g.linked_to {
        let other_id = format!("P{other}");
        entities.push(ReportEntity {
            id: other_id.clone(),
            kind: EntityKind::Person,
            properties: BTreeMap::from([("alias".to_string(), value(&format!("Alias{index}")))]),
            observed: None,
        });
        links.push(ReportLink { kind: LinkType::Associate, source: person, target: other_id, observed: None });
    }
    Report {
        id: format!("R{index}"),
        agency: AGENCIES[g.owner].into(),
        author: "x".into(),
        date: "2024-01-01".into(),
        grading,
        markings,
        streams: vec![],
        routes: vec![],
        text: format!("Seen at {} with token{index}x.", WORDS[g.word]),
        entities,
        links,
    }
}

fn viewer(g: &GenViewer) -> Viewer {
    Viewer {
        user: "u".into(),
        agency: AGENCIES[g.agency].into(),
        role: if g.auditor {
            Role::Auditor
        } else if g.national {
            Role::Analyst
        } else {
            Role::PartnerLiaison
        },
        clearance: Classification::from_rank(g.clearance).unwrap(),
        compartments: COMPARTMENTS
            .iter()
            .zip(&g.compartments)
            .filter(|(_, on)| **on)
            .map(|(c, _)| c.to_string())
            .collect(),
        national: g.national,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_read_path_returns_what_the_viewer_may_not_see(
        generated in proptest::collection::vec(gen_report(), 1..10),
        viewers in proptest::collection::vec(gen_viewer(), 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::init(dir.path()).unwrap();
        let reports: Vec<Report> = generated.iter().enumerate().map(|(i, g)| build(i, g)).collect();
        let mut stream = reports.iter().cloned().map(|r| { let s = r.statements("2024-01-02T00:00:00Z"); Ok((r, s)) });
        store.ingest("gen", &mut stream, &mut |_| {}).unwrap();
        // Resolution runs as a system process over everything; its results are read below as each viewer.
        store.resolve(true).unwrap();

        for g in &viewers {
            let v = viewer(g);
            let visible: BTreeSet<String> = reports
                .iter()
                .filter(|r| Policy.may_see(&v, &r.markings, &r.grading.handling))
                .map(|r| r.id.clone())
                .collect();
            let all_statements: Vec<_> = reports.iter().flat_map(|r| r.statements("t")).collect();
            let visible_statements: Vec<_> = all_statements.iter().filter(|s| visible.contains(&s.report_id)).collect();
            let visible_values: BTreeSet<&str> = visible_statements.iter().map(|s| s.value.as_str()).collect();

            // Reports.
            for r in &reports {
                let got = store.report(&v, &r.id).unwrap();
                prop_assert_eq!(got.is_some(), visible.contains(&r.id), "report {}", r.id);
            }
            // Entities: built only from visible statements, absent when there are none.
            let entity_ids: BTreeSet<&str> = all_statements.iter().map(|s| s.entity_id.as_str()).collect();
            for id in entity_ids {
                let expected: Vec<_> = visible_statements.iter().filter(|s| s.entity_id == id).collect();
                match store.entity(&v, id).unwrap() {
                    None => prop_assert!(expected.is_empty(), "entity {} hidden though visible", id),
                    Some(e) => {
                        prop_assert_eq!(e.statements.len(), expected.len(), "entity {}", id);
                        for s in e.statements.iter().chain(&e.inbound) {
                            prop_assert!(visible.contains(&s.statement.report_id), "{} leaks {}", id, s.statement.report_id);
                        }
                        for caption in e.captions.values() {
                            prop_assert!(visible_values.contains(caption.as_str()) || entity_ids_contains(&all_statements, caption),
                                "caption {} of {} comes from hidden material", caption, id);
                        }
                    }
                }
            }
            // Search: names, identifiers, words, and each report's unique token.
            let mut queries: Vec<String> = NAMES.iter().chain(&PHONES).chain(&WORDS).map(|q| q.to_string()).collect();
            queries.extend((0..reports.len()).map(|i| format!("token{i}x")));
            for q in &queries {
                let results = store.search(&v, &SearchRequest { query: q.clone(), kinds: vec![], limit: 100, offset: 0 }).unwrap();
                for hit in &results.reports {
                    prop_assert!(visible.contains(&hit.id), "search {:?} returned hidden report {}", q, hit.id);
                }
                for hit in &results.entities {
                    prop_assert!(visible_statements.iter().any(|s| s.entity_id == hit.id), "search {:?} returned hidden entity {}", q, hit.id);
                    for m in &hit.matched {
                        prop_assert!(visible_values.contains(m.as_str()), "search {:?} matched hidden value {}", q, m);
                    }
                    for m in &hit.members {
                        prop_assert!(visible_statements.iter().any(|s| s.entity_id == m.id), "search {:?} lists hidden member {}", q, m.id);
                    }
                }
                prop_assert!(results.total_reports <= visible.len());
                // Everything the store says back except the query it was given.
                let serialized = serde_json::to_string(&(&results.entities, &results.reports, &results.deconfliction, &results.identifiers)).unwrap();
                for r in &reports {
                    if !visible.contains(&r.id) {
                        prop_assert!(!serialized.contains(&format!("\"{}\"", r.id)), "search {:?} names hidden report {}", q, r.id);
                        prop_assert!(!serialized.contains(&format!("token{}x", r.id.trim_start_matches('R'))), "hint of {}", r.id);
                    }
                }
            }
            // Clusters: only visible members, only visible statements, nothing of a hidden entity.
            let visible_entities: BTreeSet<&str> = visible_statements.iter().map(|s| s.entity_id.as_str()).collect();
            for id in all_statements.iter().map(|s| s.entity_id.as_str()).collect::<BTreeSet<_>>() {
                match store.cluster(&v, id).unwrap() {
                    None => prop_assert!(!visible_entities.contains(id), "cluster of visible {} missing", id),
                    Some(c) => {
                        prop_assert!(visible_entities.contains(id), "cluster of hidden entity {}", id);
                        for m in &c.members {
                            prop_assert!(visible_entities.contains(m.id.as_str()), "cluster of {} shows hidden member {}", id, m.id);
                            prop_assert!(visible_values.contains(m.caption.as_str()) || entity_ids_contains(&all_statements, &m.caption),
                                "member caption {} from hidden material", m.caption);
                        }
                        for s in &c.statements {
                            prop_assert!(visible.contains(&s.statement.report_id), "cluster of {} leaks {}", id, s.statement.report_id);
                        }
                    }
                }
            }
            // Network: every node and edge rests on visible statements, every visible link between
            // two nodes is counted once, and an edge's provenance lists only visible reports.
            let network = store.network(&v, &NetworkRequest { max_nodes: 1000, ..NetworkRequest::default() }).unwrap();
            let visible_links: Vec<_> = visible_statements.iter().filter(|s| s.link_type().is_some()).collect();
            let linked: BTreeSet<&str> = visible_links.iter().flat_map(|s| [s.entity_id.as_str(), s.value.as_str()]).collect();
            let mut node_of: BTreeMap<&str, &str> = BTreeMap::new();
            for node in &network.nodes {
                for m in &node.members {
                    prop_assert!(visible_entities.contains(m.as_str()) || linked.contains(m.as_str()), "network node shows hidden {}", m);
                    node_of.insert(m.as_str(), node.id.as_str());
                }
                prop_assert!(visible_values.contains(node.caption.as_str()) || entity_ids_contains(&all_statements, &node.caption),
                    "node caption {} from hidden material", node.caption);
            }
            let between_nodes = visible_links
                .iter()
                .filter(|s| node_of.get(s.entity_id.as_str()) != node_of.get(s.value.as_str()))
                .count();
            prop_assert_eq!(network.edges.iter().map(|e| e.statements).sum::<usize>(), between_nodes);
            for e in &network.edges {
                let p = store.network_edge(&v, &e.source, &e.target, e.link_type).unwrap();
                prop_assert!(p.is_some(), "edge {} has no provenance", e.id);
                let p = p.unwrap();
                prop_assert_eq!(p.statements.len(), e.statements);
                for s in &p.statements {
                    prop_assert!(visible.contains(&s.report_id), "edge {} rests on hidden {}", e.id, s.report_id);
                }
            }
            // Possible matches: only when every report the two records rest on is visible.
            let rests_on = |entity: &str| -> BTreeSet<String> {
                all_statements
                    .iter()
                    .filter(|s| s.entity_id == entity && matches!(s.property.as_str(), "name" | "alias" | "uses"))
                    .map(|s| s.report_id.clone())
                    .collect()
            };
            for status in ["open", "confirmed", "rejected"] {
                let queue = store.match_queue(&v, status, 1000, 0).unwrap();
                prop_assert_eq!(queue.total, queue.candidates.len());
                for c in &queue.candidates {
                    for e in [&c.a, &c.b] {
                        for r in rests_on(e) {
                            prop_assert!(visible.contains(&r), "candidate {}/{} rests on hidden {}", c.a, c.b, r);
                        }
                    }
                }
            }
            for a in 0..5 {
                for b in (a + 1)..5 {
                    if let Some(c) = store.match_candidate(&v, &format!("P{a}"), &format!("P{b}")).unwrap() {
                        for r in rests_on(&c.a).into_iter().chain(rests_on(&c.b)) {
                            prop_assert!(visible.contains(&r), "candidate {}/{} rests on hidden {}", c.a, c.b, r);
                        }
                    }
                }
            }
            // Counts.
            let stats = store.stats(&v).unwrap();
            prop_assert_eq!(stats.reports, visible.len());
            prop_assert_eq!(stats.statements, visible_statements.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Watches, areas, alerts and tracks under random markings: each viewer sees exactly the watches
    /// the policy lets them see, and nothing hanging from the others — not in lists, counts, single
    /// reads, tracks, nor in the receipt of a feed the viewer uploads.
    #[test]
    fn the_watchlist_shows_each_viewer_exactly_what_the_policy_allows(
        generated in proptest::collection::vec(gen_report(), 1..8),
        viewers in proptest::collection::vec(gen_viewer(), 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::init(dir.path()).unwrap();
        let system = Viewer::local_operator();
        let markings: Vec<(Markings, tessera_model::Handling)> =
            generated.iter().enumerate().map(|(i, g)| { let r = build(i, g); (r.markings, r.grading.handling) }).collect();
        let square = serde_json::json!({ "type": "Feature", "geometry": { "type": "Polygon",
            "coordinates": [[[2.0, 51.0], [2.1, 51.0], [2.1, 51.1], [2.0, 51.0]]] } });
        let mut watches = Vec::new();
        for (i, (m, h)) in markings.iter().enumerate() {
            let mmsi = 227_000_000 + i as u32;
            let w = NewWatch { mmsi, vessel: None, group: None, reason: format!("reason{i}x"), markings: m.clone(), handling: h.clone() };
            watches.push(store.add_watch(&system, &w).unwrap().id);
            store.add_area(&system, &format!("area{i}x"), &square, m, h).unwrap();
        }
        let batch = |minute: i64| MonitorBatch {
            positions: (0..markings.len()).map(|i| (227_000_000 + i as u32, TrackPoint { time: minute * 60, lat: 51.0, lon: 2.0, sog: None, cog: None })).collect(),
            changes: (0..markings.len()).map(|i| AlertChange::Raise(NewAlert {
                mmsi: 227_000_000 + i as u32, other_mmsi: None, kind: "gap".into(), start: minute * 60, end: minute * 60 + 1,
                lat: 51.0, lon: 2.0, details: serde_json::json!({}),
            })).collect(),
            names: (0..markings.len()).map(|i| (227_000_000 + i as u32, format!("NAME{i}X"))).collect(),
        };
        store.record_monitoring(&system, &batch(1)).unwrap();
        let alerts = store.alerts(&system, &AlertFilter::default()).unwrap();
        prop_assert_eq!(alerts.total, markings.len());

        let mut uploads = 0;
        for (k, g) in viewers.iter().enumerate() {
            let v = viewer(g);
            let visible: Vec<bool> = markings.iter().map(|(m, h)| Policy.may_see(&v, m, h)).collect();
            let expected = visible.iter().filter(|x| **x).count();
            let list = store.watchlist(&v).unwrap();
            prop_assert_eq!(list.len(), expected);
            let serialized = serde_json::to_string(&(&list, &store.areas(&v).unwrap(), &store.alerts(&v, &AlertFilter::default()).unwrap())).unwrap();
            for (i, seen) in visible.iter().enumerate() {
                prop_assert_eq!(list.iter().any(|w| w.id == watches[i]), *seen, "watch {}", i);
                prop_assert_eq!(store.vessel_track(&v, watches[i], None, None, 0).unwrap().is_some(), *seen);
                let alert = alerts.alerts.iter().find(|a| a.watch == watches[i]).unwrap();
                prop_assert_eq!(store.alert(&v, alert.id).unwrap().is_some(), *seen);
                if !*seen {
                    for hint in [format!("reason{i}x"), format!("area{i}x"), format!("NAME{i}X"), format!("{}", 227_000_000 + i)] {
                        prop_assert!(!serialized.contains(&hint), "{} leaks to {:?}", hint, v);
                    }
                }
            }
            // Each earlier upload raised one more alert per watch.
            prop_assert_eq!(store.alerts(&v, &AlertFilter::default()).unwrap().total, expected * (1 + uploads));
            prop_assert_eq!(store.areas(&v).unwrap().len(), expected);
            // A feed uploaded by the viewer: the receipt counts only what the viewer may see.
            match store.record_monitoring(&v, &batch(10 + k as i64)) {
                Ok(receipt) => {
                    uploads += 1;
                    prop_assert_eq!(receipt.watched_positions as usize, expected);
                    prop_assert_eq!(receipt.alerts_raised as usize, expected);
                }
                Err(e) => prop_assert!(!v.role.reads_intelligence(), "{}", e),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Actions and disruptions under random markings, each naming a person and a report under other
    /// random markings: each viewer sees exactly the records the policy lets them see, and in them
    /// only the people and reports they may see — not in lists, single reads, nor the filter by group.
    #[test]
    fn the_plan_and_the_log_show_each_viewer_exactly_what_the_policy_allows(
        generated in proptest::collection::vec(gen_report(), 2..8),
        viewers in proptest::collection::vec(gen_viewer(), 1..4),
    ) {
        use tessera_model::disruption::{ActionStatus, DisruptionKind, Impact};
        use tessera_model::taxonomy::Stream;
        use tessera_store::{NewAction, NewDisruption, NewTarget, TargetKind};
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::init(dir.path()).unwrap();
        let reports: Vec<Report> = generated.iter().enumerate().map(|(i, g)| build(i, g)).collect();
        let mut stream = reports.clone().into_iter().map(|r| { let s = r.statements("2024-01-02T00:00:00Z"); Ok((r, s)) });
        store.ingest("gen", &mut stream, &mut |_| {}).unwrap();
        let system = Viewer::local_operator();
        let n = reports.len();
        let mut records = Vec::new();
        for (i, r) in reports.iter().enumerate() {
            // Record i carries report i's markings and names the person and report of i + 1.
            let other = &reports[(i + 1) % n];
            let person = other.entities[0].id.clone();
            let action = NewAction {
                reference: format!("ACT-{i}"), stream: Stream::Facilitation, objective: format!("objective{i}x"),
                title: format!("title{i}x"), agency: "NCA".into(), owner: format!("owner{i}x"), start: None, due: None,
                status: ActionStatus::Planned, targets: vec![NewTarget { kind: TargetKind::Route, id: "channel".into() }],
                markings: r.markings.clone(), handling: r.grading.handling.clone(),
            };
            let a = store.add_action(&system, &action).unwrap();
            let disruption = NewDisruption {
                reference: format!("DIS-{i}"), kind: DisruptionKind::Arrest, date: "2024-02-01".into(), agency: "NCA".into(),
                group: None, subjects: vec![person.clone()], summary: format!("summary{i}x"), evidence: vec![other.id.clone()],
                action: None, accounts: 0, impact: Impact::Minor, impact_reason: Some("test".into()), assets: vec![],
                prosecutions: vec![], markings: r.markings.clone(), handling: r.grading.handling.clone(),
            };
            let d = store.record_disruption(&system, &disruption).unwrap();
            records.push((a.id, d.id, (i + 1) % n, person));
        }
        for g in &viewers {
            let v = viewer(g);
            let sees: Vec<bool> = reports.iter().map(|r| Policy.may_see(&v, &r.markings, &r.grading.handling)).collect();
            let actions = store.actions(&v).unwrap();
            let log = store.disruptions(&v, None).unwrap();
            prop_assert_eq!(actions.len(), sees.iter().filter(|s| **s).count());
            prop_assert_eq!(log.len(), actions.len());
            let serialized = serde_json::to_string(&(&actions, &log)).unwrap();
            for (i, (_, d, other, person)) in records.iter().enumerate() {
                let one = store.disruption(&v, *d).unwrap();
                prop_assert_eq!(one.is_some(), sees[i], "disruption {}", i);
                if !sees[i] {
                    for hint in [format!("title{i}x"), format!("objective{i}x"), format!("owner{i}x"), format!("summary{i}x")] {
                        prop_assert!(!serialized.contains(&hint), "{} leaks to {:?}", hint, v);
                    }
                    continue;
                }
                let one = one.unwrap();
                // The person is shown only if some report the viewer may see states it.
                let person_visible = reports.iter().enumerate().any(|(k, r)| sees[k] && r.entities.iter().any(|e| &e.id == person));
                prop_assert_eq!(one.subjects.iter().any(|s| &s.id == person), person_visible);
                prop_assert_eq!(one.other_subjects, usize::from(!person_visible));
                prop_assert_eq!(one.evidence.is_empty(), !sees[*other]);
            }
        }
    }
}

/// Captions fall back to the entity id, which the viewer already asked for or saw in a visible link.
fn entity_ids_contains(statements: &[tessera_model::report::Statement], caption: &str) -> bool {
    statements.iter().any(|s| s.entity_id == caption)
}
