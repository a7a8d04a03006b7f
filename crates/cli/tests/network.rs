//! `tessera network` end to end on a generated demo store: a group's
//! neighbourhood, its edge list fed to `tessera graph`, an edge's statements,
//! a path, and a partner who sees less.

mod common;
use common::{json, ok, tessera};

use serde_json::Value;

#[test]
fn a_groups_network_edges_paths_and_what_a_partner_sees() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();
    ok(data, &["demo", "--no-serve", "--reports", "400"]);

    let whole = json(data, &["network", "show", "--as", "analyst.nca", "--limit", "20000"]);
    let nodes = whole["nodes"].as_array().unwrap();
    assert!(nodes.len() > 100, "{} nodes", nodes.len());
    let group = nodes.iter().find(|n| n["kind"] == "Organization" && n["degree"].as_u64().unwrap() >= 3).unwrap();
    let group_id = group["id"].as_str().unwrap();

    // The group's neighbourhood: its members are one hop away.
    let around = json(data, &["network", "show", "--as", "analyst.nca", "--seed", group_id, "--depth", "1"]);
    let around_nodes = around["nodes"].as_array().unwrap();
    assert_eq!(around_nodes[0]["id"], group_id);
    assert_eq!(around_nodes[0]["seed"], true);
    let members: Vec<&Value> = around["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "member_of" && e["target"] == group_id)
        .collect();
    assert!(members.len() >= 3, "{around:#}");

    // Its statements, by report.
    let edge = members[0];
    let provenance = json(
        data,
        &["network", "edge", edge["source"].as_str().unwrap(), group_id, "member_of", "--as", "analyst.nca"],
    );
    assert_eq!(provenance["statements"].as_array().unwrap().len() as u64, edge["statements"].as_u64().unwrap());
    assert!(provenance["statements"][0]["report_id"].as_str().is_some_and(|r| !r.is_empty()));

    // Two members are linked through the group (or more directly).
    let a = members[0]["source"].as_str().unwrap();
    let b = members[1]["source"].as_str().unwrap();
    let paths = json(data, &["network", "path", a, b, "-k", "2", "--as", "analyst.nca"]);
    let first = &paths["paths"][0];
    assert!(first["hops"].as_array().unwrap().len() <= 2, "{paths:#}");
    assert!(!first["hops"][0]["statement_ids"].as_array().unwrap().is_empty());
    let text = ok(data, &["network", "path", a, b, "--as", "analyst.nca"]);
    assert!(text.starts_with("path 1 ("), "{text}");

    // The edge list feeds the graph engine.
    let edges = ok(data, &["network", "show", "--as", "analyst.nca", "--format", "edges", "--limit", "20000"]);
    assert!(edges.starts_with("source,target,weight,type,time\n"));
    let file = data.join("network.csv");
    std::fs::write(&file, &edges).unwrap();
    let communities = json(data, &["graph", "communities", file.to_str().unwrap()]);
    assert!(communities.to_string().contains("modularity"), "{communities}");
    // ... and its change over time, quarter by quarter.
    let timeline = ok(data, &["graph", "timeline", file.to_str().unwrap(), "--window", "91"]);
    assert!(timeline.lines().count() >= 3, "{timeline}");

    // A partner liaison officer sees part of it, and nothing the analyst's view lacks.
    let partner = json(data, &["network", "show", "--as", "liaison.fr", "--limit", "20000"]);
    let partner_nodes = partner["nodes"].as_array().unwrap();
    assert!(partner_nodes.len() < nodes.len(), "{} vs {}", partner_nodes.len(), nodes.len());
    let analyst_members: std::collections::BTreeSet<&str> =
        nodes.iter().flat_map(|n| n["members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap())).collect();
    for n in partner_nodes {
        for m in n["members"].as_array().unwrap() {
            assert!(analyst_members.contains(m.as_str().unwrap()), "{m} only for the partner?");
        }
    }

    // The store's own timeline, quarter by quarter, with a departure explained.
    let quarters = json(data, &["network", "timeline", "--as", "analyst.nca"]);
    let windows = quarters["windows"].as_array().unwrap();
    assert!(windows.len() >= 3, "{quarters:#}");
    let gone = windows.iter().skip(1).flat_map(|w| w["left"].as_array().unwrap()).next().expect("someone left");
    let explained =
        json(data, &["network", "timeline", "--as", "analyst.nca", "--replaced", gone["id"].as_str().unwrap()]);
    assert_eq!(explained["departure"]["node"]["id"], gone["id"]);
    let text = ok(data, &["network", "timeline", "--as", "analyst.nca"]);
    assert!(text.starts_with("window"), "{text}");

    // Disruption planning: people only, each removal shrinking what stays connected.
    let plan = json(data, &["network", "removal", "-k", "3", "--as", "analyst.nca"]);
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3, "{plan:#}");
    assert!(steps.iter().all(|s| s["kind"] == "Person"));
    assert!(steps[0]["after"]["connected_pairs"].as_u64() < plan["initial"]["connected_pairs"].as_u64());
    let ordered = tessera(data, &["network", "path", a, b, "--ordered", "--as", "analyst.nca"]);
    assert!(matches!(ordered.status.code(), Some(0) | Some(3)), "{}", String::from_utf8_lossy(&ordered.stderr));

    // Mistakes are named.
    let bad = tessera(data, &["network", "show", "--types", "bribed"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bribed"));
    let bad = tessera(data, &["network", "show", "--since", "last week"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("from \"last week\""));
    // Every read was audited.
    let audit = json(data, &["audit", "list", "--action", "read_network", "--user", "analyst.nca"]);
    assert!(audit.as_array().is_some_and(|records| records.len() == 3), "{audit:#}");
    let audit = json(data, &["audit", "list", "--action", "read_network_edge"]);
    assert!(audit.to_string().contains("member_of"), "{audit:#}");
}
