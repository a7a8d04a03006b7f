//! End-to-end tests of `tessera groups` through the real binary on a small
//! generated demo: the board as a table, JSON and CSV, ranked by priority;
//! one group with every factor explained; a partner's board built from what
//! the partner may see; every read audited; bad input refused with a message.

mod common;
use common::{json, ok, tessera};

#[test]
fn the_board_ranks_groups_explains_each_and_follows_the_viewer() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    ok(data, &["demo", "--no-serve", "--reports", "400", "--seed", "11"]);

    // JSON: ranked by priority, every score in range.
    let board: serde_json::Value = serde_json::from_str(&ok(data, &["groups", "--format", "json"])).unwrap();
    let rows = board.as_array().expect("an array");
    assert!(rows.len() >= 5, "{} groups", rows.len());
    let priorities: Vec<u64> = rows.iter().map(|g| g["priority"].as_u64().unwrap()).collect();
    assert!(priorities.windows(2).all(|w| w[0] >= w[1]), "not ranked: {priorities:?}");
    for g in rows {
        for key in ["priority", "harm", "capability", "intent", "confidence"] {
            assert!(g[key].as_u64().unwrap() <= 100, "{key} of {g}");
        }
        assert!(["high", "significant", "moderate", "low"].contains(&g["band"].as_str().unwrap()));
    }
    assert!(rows.iter().any(|g| g["members"].as_u64().unwrap() > 0));
    // The global --json is the same as --format json.
    assert_eq!(json(data, &["groups"]), board, "--json and --format json agree");

    // CSV: a header and one row per group, in the same order.
    let csv = ok(data, &["groups", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("rank,id,name,origin,band,priority,harm,capability,intent,confidence,members,last_activity,records")
    );
    let first = lines.next().unwrap();
    assert!(first.starts_with(&format!("1,{},", rows[0]["id"].as_str().unwrap())), "{first}");
    assert_eq!(csv.lines().count(), rows.len() + 1);

    // Table: the header and each group's name.
    let table = ok(data, &["groups"]);
    assert!(table.starts_with("rank  id"), "{table}");
    assert!(table.contains(rows[0]["name"].as_str().unwrap()));

    // One group in full: every factor with its descriptor and explanation.
    let top = rows[0]["id"].as_str().unwrap();
    let group = json(data, &["groups", top, "--format", "json"]);
    let factors = group["assessment"]["factors"].as_array().unwrap();
    assert_eq!(factors.len(), 14);
    assert!(factors.iter().all(|f| !f["explanation"].as_str().unwrap().is_empty()));
    assert_eq!(group["summary"]["priority"], rows[0]["priority"]);
    let text = ok(data, &["groups", top]);
    assert!(text.contains("People moved") && text.contains("Threat = √(capability"), "{text}");
    let factor_csv = ok(data, &["groups", top, "--format", "csv"]);
    assert_eq!(factor_csv.lines().next(), Some("dimension,factor,level,descriptor,explanation,facts"));

    // A partner's board is built from what the partner may see: never more members than the hub sees.
    let partner = json(data, &["groups", "--as", "liaison.fr", "--format", "json"]);
    assert_ne!(partner, board, "a partner sees less than the local operator");
    for p in partner.as_array().unwrap() {
        if let Some(mine) = rows.iter().find(|g| g["id"] == p["id"]) {
            assert!(p["members"].as_u64() <= mine["members"].as_u64(), "{p} vs {mine}");
        }
    }

    // Every read is audited, as whoever read.
    let audit = ok(data, &["audit", "list", "--action", "read_groups", "--user", "liaison.fr"]);
    assert!(audit.contains("liaison.fr"), "{audit}");
    let audit = ok(data, &["audit", "list", "--action", "read_group"]);
    assert!(audit.contains(top), "{audit}");

    // Bad input: a clear message and a non-zero exit.
    let out = tessera(data, &["groups", "no such group"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no organised crime group \"no such group\""));
    let out = tessera(data, &["groups", "--as", "nobody"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as: no user \"nobody\""));
    let out = tessera(data, &["groups", "--format", "xml"]);
    assert!(!out.status.success());
}
