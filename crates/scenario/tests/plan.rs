//! The demo's action plan and disruption log: it reads as the store's types, is deterministic, and
//! imports into a store holding the default scenario, telling the scenario's story.

use std::collections::BTreeSet;

use tessera_access::{Role, Viewer};
use tessera_model::disruption::{DisruptionKind, Impact};
use tessera_model::taxonomy::Stream;
use tessera_model::{Classification, Handling, Markings};
use tessera_scenario::{ScenarioConfig, action_plan, generate};
use tessera_store::{NewAction, NewDisruption, SqliteStore, Store, TargetKind, handling_code};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Lead {
    stream: Stream,
    agency: String,
    lead: String,
    markings: Markings,
    #[serde(with = "handling_code")]
    handling: Handling,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Plan {
    stream_leads: Vec<Lead>,
    actions: Vec<NewAction>,
    disruptions: Vec<NewDisruption>,
}

fn plan(config: &ScenarioConfig) -> Plan {
    serde_json::from_value(action_plan(config)).expect("the plan reads as the store's types")
}

#[test]
fn the_plan_reads_as_the_store_types_and_is_deterministic() {
    let config = ScenarioConfig::default();
    let first = serde_json::to_string(&action_plan(&config)).expect("json");
    let second = serde_json::to_string(&action_plan(&config)).expect("json");
    assert_eq!(first, second, "the same config gives the same bytes");

    let plan = plan(&config);
    assert_eq!(plan.stream_leads.len(), 4);
    let streams: BTreeSet<Stream> = plan.stream_leads.iter().map(|l| l.stream).collect();
    assert_eq!(streams.len(), 4, "one lead per stream");
    assert!((14..=20).contains(&plan.actions.len()), "{} actions", plan.actions.len());
    assert!((10..=16).contains(&plan.disruptions.len()), "{} disruptions", plan.disruptions.len());
    for a in &plan.actions {
        for date in [&a.start, &a.due].into_iter().flatten() {
            assert!(("2023-01-01".."2026-01-01").contains(&date.as_str()), "{}: {date}", a.reference);
        }
    }
    for d in &plan.disruptions {
        assert!(("2023-01-01"..="2025-06-30").contains(&d.date.as_str()), "{}: {}", d.reference, d.date);
        for p in &d.prosecutions {
            let date = p.date.as_deref().unwrap_or(&d.date);
            assert!(("2023-01-01"..="2025-06-30").contains(&date), "{}: {date}", d.reference);
        }
        let known = plan.actions.iter().any(|a| Some(&a.reference) == d.action.as_ref());
        assert!(known, "{} delivers {:?}, not in the plan", d.reference, d.action);
    }
    let overdue = plan
        .actions
        .iter()
        .filter(|a| a.due.as_deref().is_some_and(|due| due < "2025-06-30") && a.status.name() != "complete")
        .count();
    assert_eq!(overdue, 1, "one action is overdue");
}

fn administrator(operations: &[String]) -> Viewer {
    Viewer {
        user: "demo-admin".into(),
        agency: "NCA".into(),
        role: Role::Administrator,
        clearance: Classification::TopSecret,
        compartments: operations.iter().cloned().collect(),
        national: true,
    }
}

#[test]
fn the_plan_imports_into_the_default_scenario_and_tells_its_story() {
    let config = ScenarioConfig::default();
    let mut text = Vec::new();
    let summary = generate(&config, &mut text).expect("scenario");
    let text = String::from_utf8(text).expect("utf-8");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = SqliteStore::init(dir.path()).expect("init");
    tessera_ingest::ingest_text(&mut store, "scenario.jsonl", &text, None, &mut tessera_ingest::Silent)
        .expect("scenario ingests");
    let operations: Vec<String> = summary.groups.iter().map(|g| g.operation.clone()).collect();
    let viewer = administrator(&operations);

    let plan = plan(&config);
    for l in &plan.stream_leads {
        store
            .set_stream_lead(&viewer, l.stream, &l.agency, &l.lead, &l.markings, &l.handling)
            .unwrap_or_else(|e| panic!("lead {}: {e}", l.stream.name()));
    }
    for a in &plan.actions {
        store.add_action(&viewer, a).unwrap_or_else(|e| panic!("action {}: {e}", a.reference));
    }
    let mut recorded = Vec::new();
    for d in &plan.disruptions {
        let r = store.record_disruption(&viewer, d).unwrap_or_else(|e| panic!("disruption {}: {e}", d.reference));
        if r.impact != r.assessed.level {
            assert!(r.impact_reason.is_some(), "{}: differs from the criteria without a reason", r.reference);
        }
        recorded.push(r);
    }
    assert_eq!(store.actions(&viewer).expect("actions").len(), plan.actions.len());

    // The Dunkirk crew's strike day: a major disruption of several people that denied it assets.
    let dunkirk = &summary.groups[2];
    assert_eq!(dunkirk.name, "Dunkirk boat crew");
    let strike = recorded.iter().find(|d| {
        d.date == "2024-06-18"
            && d.impact == Impact::Major
            && d.subjects.len() >= 3
            && d.denied_gbp > 0.0
            && d.group.as_ref().is_some_and(|g| dunkirk.entity_ids.contains(&g.id))
    });
    assert!(strike.is_some(), "no major disruption of the Dunkirk crew on 2024-06-18");
    let dunkirk_kinds: BTreeSet<DisruptionKind> = recorded
        .iter()
        .filter(|d| d.group.as_ref().is_some_and(|g| dunkirk.entity_ids.contains(&g.id)))
        .map(|d| d.kind)
        .collect();
    for kind in [DisruptionKind::Arrest, DisruptionKind::Charge, DisruptionKind::Conviction] {
        assert!(dunkirk_kinds.contains(&kind), "no {kind} of the Dunkirk crew");
    }

    // The gap: no facilitation action against the Izmir crossing ring.
    let izmir = &summary.groups[5];
    assert_eq!(izmir.name, "Izmir crossing ring");
    let against_izmir = store.actions(&viewer).expect("actions").into_iter().filter(|a| {
        a.stream == Stream::Facilitation
            && a.targets.iter().any(|t| t.kind == TargetKind::Group && izmir.entity_ids.contains(&t.id))
    });
    assert_eq!(against_izmir.count(), 0, "the Izmir ring should have no facilitation action");
}

#[test]
fn smaller_scenarios_of_other_seeds_still_give_a_plan() {
    for config in [ScenarioConfig { seed: 7, reports: 300 }, ScenarioConfig { seed: 1, reports: 40 }] {
        let plan = plan(&config);
        assert_eq!(plan.stream_leads.len(), 4);
        assert!(!plan.actions.is_empty());
    }
}
