//! The published JSON Schema of a report (`schema/report.schema.json`) and the
//! Rust vocabulary must say the same thing: every stream, route, link type and
//! entity schema the code accepts is in the schema, and nothing else.

use std::collections::BTreeSet;

use tessera_model::taxonomy::{Route, StreamCode};
use tessera_model::{EntityKind, LinkType};

fn schema() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/report.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema file")).expect("schema is JSON")
}

fn strings(value: &serde_json::Value) -> BTreeSet<String> {
    value.as_array().expect("an enum").iter().map(|v| v.as_str().expect("a string").to_string()).collect()
}

#[test]
fn enums_match_the_vocabulary() {
    let s = schema();
    let p = &s["properties"];
    assert_eq!(strings(&p["streams"]["items"]["enum"]), StreamCode::ALL.iter().map(|c| c.name().to_string()).collect());
    assert_eq!(strings(&p["routes"]["items"]["enum"]), Route::ALL.iter().map(|r| r.name().to_string()).collect());
    let links = &p["links"]["items"]["properties"]["type"]["enum"];
    assert_eq!(strings(links), LinkType::ALL.iter().map(|l| l.name().to_string()).collect());
    let schemas = strings(&p["entities"]["items"]["properties"]["schema"]["enum"]);
    for kind in EntityKind::ALL {
        assert!(schemas.contains(kind.name()), "{kind} missing from the JSON Schema");
    }
    for name in &schemas {
        assert!(EntityKind::from_name(name).is_some(), "the JSON Schema allows {name}, which ingest refuses");
    }
    let classifications = strings(&p["markings"]["properties"]["classification"]["enum"]);
    for c in tessera_model::Classification::ALL {
        assert!(classifications.contains(c.as_str()));
    }
}

#[test]
fn top_level_fields_match_what_ingest_reads() {
    let s = schema();
    let declared: BTreeSet<String> = s["properties"].as_object().unwrap().keys().cloned().collect();
    let line = r#"{"id":"X-1","agency":"BF","author":"a","date":"2024-01-01","grading":"1A P",
        "markings":{"classification":"OFFICIAL"},"streams":[],"routes":[],"text":"","entities":[],"links":[]}"#;
    let line = line.replace('\n', "");
    let value: serde_json::Value = serde_json::from_str(&line).unwrap();
    let used: BTreeSet<String> = value.as_object().unwrap().keys().cloned().collect();
    assert_eq!(declared, used);
    let (reports, problems) = tessera_ingest::jsonl::read_reports("x.jsonl", &line, "2024-01-02T00:00:00Z");
    assert!(problems.is_empty() && reports.len() == 1);
}
