//! The network of resolved entities: clusters become one node, links from
//! several agencies corroborate one edge, hidden links leave no trace, and
//! paths carry the statements behind every hop.

use std::collections::BTreeMap;

use tessera_access::{Role, Viewer};
use tessera_model::report::{PropertyValue, ReportEntity, ReportLink};
use tessera_model::{Classification, EntityKind, Grading, LinkType, Markings, Report};
use tessera_store::{NetworkRequest, PathRequest, SqliteStore, Store, StoreError};

/// A person with a name and a date of birth.
fn person(id: &str, name: &str, dob: &str) -> ReportEntity {
    let value = |v: &str| vec![PropertyValue { value: v.to_string(), original: None }];
    ReportEntity {
        id: id.into(),
        kind: EntityKind::Person,
        properties: BTreeMap::from([("name".to_string(), value(name)), ("birthDate".to_string(), value(dob))]),
        observed: None,
    }
}

fn link(kind: LinkType, source: &str, target: &str, observed: &str) -> ReportLink {
    ReportLink { kind, source: source.into(), target: target.into(), observed: Some(observed.into()) }
}

struct Spec<'a> {
    id: &'a str,
    agency: &'a str,
    grading: &'a str,
    classification: Classification,
    compartments: &'a [&'a str],
    people: Vec<ReportEntity>,
    links: Vec<ReportLink>,
}

fn report(spec: Spec) -> Report {
    Report {
        id: spec.id.into(),
        agency: spec.agency.into(),
        author: "officer".into(),
        date: "2025-01-10".into(),
        grading: Grading::parse("3x5x2", spec.grading, None).unwrap(),
        markings: Markings {
            classification: spec.classification,
            owner: spec.agency.into(),
            compartments: spec.compartments.iter().map(|c| c.to_string()).collect(),
            caveats: vec![],
        },
        streams: vec![],
        routes: vec![],
        text: "Report.".into(),
        entities: spec.people,
        links: spec.links,
    }
}

/// Two agencies describe the same facilitator (Karim Haddad / Karim HADDAD, same date of birth);
/// both report him paying the same boat pilot; a compartmented operation links the pilot to a
/// recruiter nobody else knows, and a driver who is otherwise visible.
fn loaded() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::init(dir.path()).unwrap();
    let official = Classification::Official;
    let reports = vec![
        report(Spec {
            id: "NCA-1",
            agency: "NCA",
            grading: "1A P",
            classification: official,
            compartments: &[],
            people: vec![
                person("NCA:P1", "Karim Haddad", "1985-04-12"),
                person("NCA:P2", "Yusuf Rahimi", "1990-09-01"),
                person("NCA:P3", "Tesfaye Haile", "1979-02-20"),
            ],
            links: vec![
                link(LinkType::Paid, "NCA:P1", "NCA:P2", "2024-03-01"),
                link(LinkType::Associate, "NCA:P3", "NCA:P1", "2024-06-15"),
            ],
        }),
        report(Spec {
            id: "BF-1",
            agency: "BF",
            grading: "2C P",
            classification: official,
            compartments: &[],
            people: vec![person("BF:S9", "Karim HADDAD", "1985-04-12"), person("BF:S10", "Yusuf Rahimi", "1990-09-01")],
            links: vec![link(LinkType::Paid, "BF:S9", "BF:S10", "2024-11-20")],
        }),
        report(Spec {
            id: "NCA-OP",
            agency: "NCA",
            grading: "1A P",
            classification: Classification::Secret,
            compartments: &["OP-KESTREL"],
            people: vec![person("NCA:X1", "Recruiter Omega", "1970-01-01")],
            links: vec![
                link(LinkType::Associate, "NCA:P2", "NCA:X1", "2025-01-05"),
                link(LinkType::CommunicatedWith, "NCA:P2", "NCA:P3", "2025-01-06"),
            ],
        }),
    ];
    let mut stream = reports.into_iter().map(|r| {
        let s = r.statements("2025-01-11T00:00:00Z");
        Ok((r, s))
    });
    store.ingest("test", &mut stream, &mut |_| {}).unwrap();
    store.resolve(true).unwrap();
    (dir, store)
}

fn analyst(clearance: Classification, compartments: &[&str]) -> Viewer {
    Viewer {
        user: "analyst".into(),
        agency: "NCA".into(),
        role: Role::Analyst,
        clearance,
        compartments: compartments.iter().map(|c| c.to_string()).collect(),
        national: true,
    }
}

fn node_of<'a>(network: &'a tessera_store::Network, entity: &str) -> &'a tessera_store::NetworkNode {
    network
        .nodes
        .iter()
        .find(|n| n.members.iter().any(|m| m == entity))
        .unwrap_or_else(|| panic!("no node for {entity}"))
}

#[test]
fn a_resolved_cluster_is_one_node_and_two_agencies_corroborate_one_edge() {
    let (_dir, store) = loaded();
    let viewer = analyst(Classification::Official, &[]);
    let network = store.network(&viewer, &NetworkRequest::default()).unwrap();
    let facilitator = node_of(&network, "NCA:P1");
    assert_eq!(facilitator.members, ["BF:S9", "NCA:P1"], "both agencies' records are one node");
    assert_eq!(facilitator.id, "BF:S9", "the node is named by its smallest member id");
    assert_eq!(network.nodes.len(), 3, "facilitator, pilot, driver: {:?}", network.nodes);
    let paid: Vec<_> = network.edges.iter().filter(|e| e.link_type == LinkType::Paid).collect();
    assert_eq!(paid.len(), 1, "both payments are one edge");
    let paid = paid[0];
    assert_eq!((paid.agencies, paid.statements), (2, 2));
    assert_eq!(paid.source, facilitator.id, "payment keeps its direction");
    assert_eq!((paid.first.as_deref(), paid.last.as_deref()), (Some("2024-03-01"), Some("2024-11-20")));
    let associate = network.edges.iter().find(|e| e.link_type == LinkType::Associate).unwrap();
    assert_eq!(associate.agencies, 1);
    assert!(paid.weight > associate.weight, "corroborated by a second agency: {} vs {}", paid.weight, associate.weight);
    assert_eq!(facilitator.degree, 2);
    assert_eq!(facilitator.betweenness, 1.0, "the facilitator stands between the pilot and the driver");
    assert_eq!(network.period.first.as_deref(), Some("2024-03-01"));
    assert_eq!(network.period.last.as_deref(), Some("2024-11-20"));
    assert_eq!(network.link_types, [LinkType::Associate, LinkType::Paid]);
    assert!(!network.truncated);

    let provenance = store.network_edge(&viewer, &paid.source, &paid.target, LinkType::Paid).unwrap().unwrap();
    let reports: Vec<&str> = provenance.statements.iter().map(|s| s.report_id.as_str()).collect();
    assert_eq!(reports, ["NCA-1", "BF-1"], "oldest observation first");
    assert!(provenance.explanation.contains("2 agencies (BF, NCA)"), "{}", provenance.explanation);
    assert_eq!(provenance.statements[0].grading, "1A P");
    assert!((provenance.weight - paid.weight).abs() < 1e-12);
    // The same edge asked for through any member of either node.
    assert!(store.network_edge(&viewer, "NCA:P1", "BF:S10", LinkType::Paid).unwrap().is_some());
    assert!(store.network_edge(&viewer, "NCA:P2", "NCA:P1", LinkType::Paid).unwrap().is_none(), "paid has a direction");
}

#[test]
fn hidden_links_and_the_people_only_they_mention_leave_no_trace() {
    let (_dir, store) = loaded();
    let low = analyst(Classification::Official, &[]);
    let cleared = analyst(Classification::Secret, &["OP-KESTREL"]);
    let seen = store.network(&low, &NetworkRequest::default()).unwrap();
    let all = store.network(&cleared, &NetworkRequest::default()).unwrap();
    assert_eq!(all.nodes.len(), 4, "the cleared analyst sees the recruiter");
    assert_eq!(all.edges.len(), 4);
    let text = serde_json::to_string(&seen).unwrap();
    for hidden in ["NCA:X1", "Omega", "communicated_with", "2025-01"] {
        assert!(!text.contains(hidden), "{hidden} leaks into {text}");
    }
    // Asking for the hidden edge directly says nothing, the same as for an edge that never existed.
    assert!(store.network_edge(&low, "NCA:P2", "NCA:P3", LinkType::CommunicatedWith).unwrap().is_none());
    assert!(store.network_edge(&cleared, "NCA:P2", "NCA:P3", LinkType::CommunicatedWith).unwrap().is_some());
    // A hidden entity cannot be a seed.
    let seeded = NetworkRequest { seeds: vec!["NCA:X1".into()], ..NetworkRequest::default() };
    assert!(matches!(store.network(&low, &seeded), Err(StoreError::NotFound(_))));
    // Betweenness and communities come from the visible network only.
    let pilot = node_of(&seen, "NCA:P2");
    assert_eq!(pilot.degree, 1);
    assert_eq!(node_of(&all, "NCA:P2").degree, 3);
}

#[test]
fn nodes_and_edges_carry_the_highest_classification_behind_them() {
    let (_dir, store) = loaded();
    let low = analyst(Classification::Official, &[]);
    let cleared = analyst(Classification::Secret, &["OP-KESTREL"]);
    let seen = store.network(&low, &NetworkRequest::default()).unwrap();
    assert!(seen.nodes.iter().all(|n| n.classification == Some(Classification::Official)), "{:?}", seen.nodes);
    assert!(seen.edges.iter().all(|e| e.classification == Classification::Official), "{:?}", seen.edges);
    assert!(
        !serde_json::to_string(&seen).unwrap().contains("SECRET"),
        "nothing hidden raises what the low viewer is told"
    );

    let all = store.network(&cleared, &NetworkRequest::default()).unwrap();
    assert_eq!(node_of(&all, "NCA:X1").classification, Some(Classification::Secret), "known only from the operation");
    // The pilot's SECRET links belong to the edges they draw, not to the pilot's name.
    assert_eq!(node_of(&all, "NCA:P2").classification, Some(Classification::Official));
    let edge = |link: LinkType| all.edges.iter().find(|e| e.link_type == link).unwrap().classification;
    assert_eq!(edge(LinkType::CommunicatedWith), Classification::Secret);
    assert_eq!(edge(LinkType::Paid), Classification::Official);
    let json = serde_json::to_value(&all).unwrap();
    assert_eq!(json["edges"].as_array().unwrap().iter().filter(|e| e["classification"] == "SECRET").count(), 2);

    // A picture of part of the chart is marked by what it shows, and only what the viewer may see.
    let marking = |viewer: &Viewer, nodes: &[&str], edges: &[(&str, &str, LinkType)]| {
        let nodes: Vec<String> = nodes.iter().map(|n| n.to_string()).collect();
        let edges: Vec<_> = edges.iter().map(|(a, b, t)| (a.to_string(), b.to_string(), *t)).collect();
        store.network_picture_marking(viewer, &nodes, &edges)
    };
    let open_part = marking(&cleared, &["NCA:P1", "NCA:P2", "NCA:P3"], &[("NCA:P1", "NCA:P2", LinkType::Paid)]);
    assert_eq!(open_part.unwrap(), Classification::Official);
    let with_link = marking(&cleared, &["NCA:P2", "NCA:P3"], &[("NCA:P3", "NCA:P2", LinkType::CommunicatedWith)]);
    assert_eq!(with_link.unwrap(), Classification::Secret, "a symmetric link, named either way round");
    assert_eq!(marking(&cleared, &["NCA:X1"], &[]).unwrap(), Classification::Secret);
    for (nodes, edges) in [
        (vec!["NCA:X1"], vec![]),
        (vec!["NCA:P2"], vec![("NCA:P2", "NCA:P3", LinkType::CommunicatedWith)]),
        (vec!["NOBODY"], vec![]),
    ] {
        let refused = marking(&low, &nodes, &edges);
        assert!(matches!(refused, Err(StoreError::NotFound(_))), "{nodes:?} {edges:?}: {refused:?}");
    }
}

#[test]
fn expansion_follows_hops_types_and_time() {
    let (_dir, store) = loaded();
    let viewer = analyst(Classification::Secret, &["OP-KESTREL"]);
    let one = NetworkRequest { seeds: vec!["NCA:X1".into()], depth: 1, ..NetworkRequest::default() };
    let network = store.network(&viewer, &one).unwrap();
    let ids: Vec<&str> = network.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["NCA:X1", "BF:S10"], "the recruiter and the pilot (named by the BF record)");
    assert!(network.nodes[0].seed && !network.nodes[1].seed);
    let two = store.network(&viewer, &NetworkRequest { depth: 2, ..one.clone() }).unwrap();
    assert_eq!(two.nodes.len(), 4);
    assert_eq!(two.edges.len(), 4, "links among the outermost nodes are kept");
    let limited = store.network(&viewer, &NetworkRequest { depth: 2, max_nodes: 3, ..one.clone() }).unwrap();
    assert_eq!(limited.nodes.len(), 3);
    assert!(limited.truncated);
    let typed = NetworkRequest { link_types: vec![LinkType::Paid], depth: 2, ..one.clone() };
    assert_eq!(store.network(&viewer, &typed).unwrap().nodes.len(), 1, "no paid link touches the recruiter");
    let windowed = NetworkRequest { seeds: vec![], until: Some("2024-06".into()), ..NetworkRequest::default() };
    let early = store.network(&viewer, &windowed).unwrap();
    let paid = early.edges.iter().find(|e| e.link_type == LinkType::Paid).unwrap();
    assert_eq!(paid.statements, 1, "only the March payment falls before July 2024");
    assert_eq!(early.edges.len(), 2);
    let bad = NetworkRequest { from: Some("2024-13".into()), ..NetworkRequest::default() };
    let err = store.network(&viewer, &bad).unwrap_err().to_string();
    assert!(err.contains("from") && err.contains("2024-13"), "{err}");
}

#[test]
fn paths_list_the_statements_behind_each_hop() {
    let (_dir, store) = loaded();
    let viewer = analyst(Classification::Secret, &["OP-KESTREL"]);
    let request = PathRequest {
        from: "NCA:X1".into(),
        to: "NCA:P3".into(),
        k: 3,
        network: NetworkRequest::default(),
        ordered: false,
    };
    let answer = store.network_paths(&viewer, &request).unwrap();
    assert_eq!(answer.paths.len(), 2, "through the pilot directly, or through the pilot and the facilitator");
    let shortest = &answer.paths[0];
    assert_eq!(shortest.nodes, ["NCA:X1", "BF:S10", "NCA:P3"]);
    assert_eq!(shortest.captions[0], "Recruiter Omega");
    assert_eq!(shortest.hops.len(), 2);
    assert_eq!(shortest.hops[1].edges[0].link_type, LinkType::CommunicatedWith);
    assert_eq!(shortest.hops[1].statement_ids.len(), 1);
    assert_eq!(answer.paths[1].nodes.len(), 4);
    // The official analyst has no path: the recruiter is hidden, and so is the only link to him.
    let low = analyst(Classification::Official, &[]);
    assert!(matches!(store.network_paths(&low, &request), Err(StoreError::NotFound(_))));
    let visible = PathRequest {
        from: "NCA:P2".into(),
        to: "NCA:P3".into(),
        k: 3,
        network: NetworkRequest::default(),
        ordered: false,
    };
    let answer = store.network_paths(&low, &visible).unwrap();
    assert_eq!(answer.paths.len(), 1, "only through the facilitator; the direct contact is compartmented");
    assert_eq!(answer.paths[0].nodes.len(), 3);
    let bad = PathRequest { k: 0, ..visible };
    assert!(matches!(store.network_paths(&low, &bad), Err(StoreError::Invalid(_))));
}

#[test]
fn the_network_over_time_shows_who_came_who_went_and_who_took_over() {
    let (_dir, store) = loaded();
    let viewer = analyst(Classification::Secret, &["OP-KESTREL"]);
    let request = tessera_store::TimelineRequest {
        network: NetworkRequest::default(),
        window_days: 91,
        replaced: Some("NCA:P1".into()),
    };
    let answer = store.network_timeline(&viewer, &request).unwrap();
    let spans: Vec<(&str, &str)> = answer.windows.iter().map(|w| (w.start.as_str(), w.end.as_str())).collect();
    assert_eq!(
        spans,
        [
            ("2024-03-01", "2024-05-30"),
            ("2024-05-31", "2024-08-29"),
            ("2024-08-30", "2024-11-28"),
            ("2024-11-29", "2025-02-27")
        ]
    );
    let ids = |refs: &[tessera_store::NodeRef]| refs.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(answer.windows[1].entered.iter().map(|r| r.caption.as_str()).collect::<Vec<_>>(), ["Tesfaye Haile"]);
    assert_eq!(ids(&answer.windows[1].left), ["BF:S10"], "the pilot is not seen in the summer");
    assert_eq!(ids(&answer.windows[3].left), ["BF:S9"], "the facilitator is gone in the last window");
    assert_eq!(ids(&answer.windows[3].entered), ["NCA:P3", "NCA:X1"]);
    assert_eq!(answer.windows[3].top_broker.as_ref().map(|r| r.id.as_str()), Some("BF:S10"));
    let departure = answer.departure.expect("departure");
    assert_eq!((departure.node.id.as_str(), departure.last_window), ("BF:S9", 2));
    assert!(!departure.successors.is_empty());
    // Without clearance the covert links are not there, so the facilitator never leaves.
    let low = analyst(Classification::Official, &[]);
    let err = store.network_timeline(&low, &request).unwrap_err().to_string();
    assert!(err.contains("still present"), "{err}");
    let quiet =
        store.network_timeline(&low, &tessera_store::TimelineRequest { replaced: None, ..request.clone() }).unwrap();
    assert_eq!(quiet.windows.len(), 3, "nothing after November for the official analyst");
    assert!(quiet.windows.iter().all(|w| w.entered.iter().all(|r| r.id != "NCA:X1")));
    let bad = tessera_store::TimelineRequest { window_days: 0, ..request };
    assert!(matches!(store.network_timeline(&viewer, &bad), Err(StoreError::Invalid(_))));
}

#[test]
fn time_ordered_paths_follow_the_dates_and_removal_targets_people() {
    let (_dir, store) = loaded();
    let viewer = analyst(Classification::Secret, &["OP-KESTREL"]);
    // Driver → facilitator (June 2024) → pilot (November 2024) → recruiter (January 2025) is in
    // time order; the direct contact driver–pilot (January 2025) is shorter in hops.
    let request = PathRequest {
        from: "NCA:P3".into(),
        to: "NCA:X1".into(),
        k: 1,
        network: NetworkRequest::default(),
        ordered: true,
    };
    let answer = store.network_paths(&viewer, &request).unwrap();
    assert_eq!(answer.paths.len(), 1);
    let path = &answer.paths[0];
    let dates: Vec<&str> = path.hops.iter().map(|h| h.observed.as_deref().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert_eq!(path.nodes.first().map(String::as_str), Some("NCA:P3"));
    assert_eq!(path.nodes.last().map(String::as_str), Some("NCA:X1"));
    assert_eq!(dates.last(), Some(&"2025-01-05"), "earliest arrival at the recruiter");
    // Backwards in time there is no way from the recruiter to the facilitator after January 2025.
    let backwards = PathRequest {
        from: "NCA:X1".into(),
        to: "NCA:P1".into(),
        k: 1,
        network: NetworkRequest::default(),
        ordered: true,
    };
    assert!(store.network_paths(&viewer, &backwards).unwrap().paths.is_empty());

    // Disruption: the pilot holds the cleared network together; only people are candidates.
    let plan = store.network_removal(&viewer, &NetworkRequest::default(), 2, &[]).unwrap();
    assert_eq!(plan.initial.largest_component, 4);
    assert_eq!(plan.steps[0].node.id, "BF:S10", "{plan:?}");
    assert!(plan.steps.iter().all(|s| s.kind == EntityKind::Person));
    assert!(plan.steps[0].after.connected_pairs < plan.initial.connected_pairs);
    assert!(matches!(store.network_removal(&viewer, &NetworkRequest::default(), 0, &[]), Err(StoreError::Invalid(_))));
}
