//! Entity resolution over the store: clusters across agencies and spellings,
//! analysts' decisions stored as statements and obeyed, incremental runs that
//! leave unrelated clusters alone, and reads that show only what the viewer may see.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tessera_access::{Role, Viewer};
use tessera_model::report::{PropertyValue, ReportEntity, ReportLink};
use tessera_model::{Classification, EntityKind, Grading, LinkType, Markings, Report};
use tessera_store::{Decision, RunMode, SqliteStore, Store, StoreError, Verdict};

struct Person<'a> {
    id: &'a str,
    name: &'a str,
    dob: &'a str,
    phone: &'a str,
    nationality: &'a str,
}

fn report(id: &str, agency: &str, classification: Classification, compartments: &[&str], people: &[Person]) -> Report {
    let value = |v: &str| vec![PropertyValue { value: v.to_string(), original: None }];
    let mut entities = Vec::new();
    let mut links = Vec::new();
    for p in people {
        let mut properties = BTreeMap::from([("name".to_string(), value(p.name))]);
        if !p.dob.is_empty() {
            properties.insert("birthDate".into(), value(p.dob));
        }
        if !p.nationality.is_empty() {
            properties.insert("nationality".into(), value(p.nationality));
        }
        entities.push(ReportEntity { id: p.id.into(), kind: EntityKind::Person, properties, observed: None });
        if !p.phone.is_empty() {
            let phone = format!("phone:{}", p.phone);
            entities.push(ReportEntity {
                id: phone.clone(),
                kind: EntityKind::Phone,
                properties: BTreeMap::from([("number".to_string(), value(p.phone))]),
                observed: None,
            });
            links.push(ReportLink { kind: LinkType::Uses, source: p.id.into(), target: phone, observed: None });
        }
    }
    Report {
        id: id.into(),
        agency: agency.into(),
        author: "officer".into(),
        date: "2026-01-02".into(),
        grading: Grading::parse("3x5x2", "2B P", None).unwrap(),
        markings: Markings {
            classification,
            owner: agency.into(),
            compartments: compartments.iter().map(|c| c.to_string()).collect(),
            caveats: vec![],
        },
        streams: vec![],
        routes: vec![],
        text: "Report.".into(),
        entities,
        links,
    }
}

fn ingest(store: &mut SqliteStore, reports: Vec<Report>) {
    let mut stream = reports.into_iter().map(|r| {
        let s = r.statements("2026-01-03T00:00:00Z");
        Ok((r, s))
    });
    store.ingest("test", &mut stream, &mut |_| {}).unwrap();
}

/// Romanisation variants the second agency of the background population uses.
const VARIANTS: [(&str, &str); 10] = [
    ("omar", "umar"),
    ("yusuf", "yousef"),
    ("leyla", "layla"),
    ("haddad", "hadad"),
    ("rahimi", "raheemi"),
    ("ahmadi", "ahmedi"),
    ("hoxha", "hoxa"),
    ("tesfaye", "tesfay"),
    ("karimi", "kareemi"),
    ("farah", "faraah"),
];

/// A background population, each person reported twice by two agencies, so that the model trains
/// without labels as on real holdings; then the people the tests are about.
fn population() -> Vec<Report> {
    let given = ["anna", "omar", "li", "ivan", "sara", "yusuf", "amira", "dawit", "hana", "reza", "leyla", "tuan"];
    let surname = [
        "kaya", "haddad", "chen", "petrov", "ali", "novak", "berisha", "tran", "abebe", "osei", "silva", "kowalski",
        "nguyen", "ahmadi", "tesfaye", "rahimi", "hoxha", "mensah", "garcia", "ozturk", "farah", "karimi", "bekele",
    ];
    let mut reports = Vec::new();
    for i in 0..200usize {
        let name = format!("{} {}", given[i % given.len()], surname[(i * 7) % surname.len()]);
        let dob = format!("{}-{:02}-{:02}", 1950 + i % 50, 1 + i % 12, 1 + (i * 11) % 28);
        let phone = format!("+4477009{:05}", i * 13);
        let (a, b) = (format!("NCA:P-{i}"), format!("BF:N-{i}"));
        let nationality = ["IQ", "SD", "ER", "AL", "VN", "AF", "SY"][i % 7];
        reports.push(report(
            &format!("NCA-{i}"),
            "NCA",
            Classification::Official,
            &[],
            &[Person { id: &a, name: &name, dob: &dob, phone: &phone, nationality }],
        ));
        // The second agency writes the name in capitals and, for every third person, in another
        // romanisation: real holdings are full of such variants, and the engine learns from them
        // how much a variant is worth.
        let variant =
            VARIANTS.iter().fold(name.clone(), |n, (from, to)| if i % 3 == 0 { n.replace(from, to) } else { n });
        let upper = variant.to_uppercase();
        let phone2 = if i % 2 == 0 { phone.as_str() } else { "" };
        reports.push(report(
            &format!("BF-{i}"),
            "BF",
            Classification::Official,
            &[],
            &[Person { id: &b, name: &upper, dob: &dob, phone: phone2, nationality }],
        ));
    }
    let p = |id, name, dob, phone| Person { id, name, dob, phone, nationality: "SD" };
    reports.push(report(
        "BF-X1",
        "BF",
        Classification::Official,
        &[],
        &[p("BF:NOM-4451", "Mohamed Abdelrahman", "1991-03-07", "+447700911111")],
    ));
    reports.push(report(
        "DEBRIEF-X2",
        "DEBRIEF",
        Classification::OfficialSensitive,
        &[],
        &[p("DEBRIEF:SUBJ-0907", "Muhammad Abd al-Rahman", "1991-03-07", "")],
    ));
    reports.push(report(
        "EUROPOL-X3",
        "EUROPOL",
        Classification::Official,
        &[],
        &[p("EUROPOL:P-88", "ABDULRAHMAN Mohammad", "1991", "+447700911111")],
    ));
    reports.push(report(
        "NCA-A1",
        "NCA",
        Classification::Official,
        &[],
        &[p("NCA:AHMED-1", "Mohammed Ahmed", "1984-02-10", "+447700933333")],
    ));
    reports.push(report(
        "IE-A2",
        "IE",
        Classification::Official,
        &[],
        &[p("IE:AHMED-2", "Mohamed Ahmed", "1962-11-25", "+447700922222")],
    ));
    reports
}

fn loaded() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::init(dir.path()).unwrap();
    ingest(&mut store, population());
    (dir, store)
}

fn analyst(clearance: Classification, compartments: &[&str]) -> Viewer {
    Viewer {
        user: "analyst.nca".into(),
        agency: "NCA".into(),
        role: Role::Analyst,
        clearance,
        compartments: compartments.iter().map(|c| c.to_string()).collect(),
        national: true,
    }
}

fn members(store: &SqliteStore, viewer: &Viewer, id: &str) -> BTreeSet<String> {
    store.cluster(viewer, id).unwrap().map(|c| c.members.into_iter().map(|m| m.id).collect()).unwrap_or_default()
}

/// Every clustered entity's cluster id, read from the store's database directly (ids are not shown to users).
fn cluster_ids(dir: &std::path::Path) -> HashMap<String, i64> {
    let conn = rusqlite::Connection::open(dir.join("tessera.db")).unwrap();
    let mut stmt = conn.prepare("SELECT entity, cluster FROM clusters").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn three_agencies_one_person_and_two_namesakes_apart() {
    let (_dir, mut store) = loaded();
    let run = store.resolve(false).unwrap();
    assert_eq!(run.mode, RunMode::Full, "the first run resolves everything");
    assert_eq!(run.records, 405);
    let op = Viewer::local_operator();
    let cluster = members(&store, &op, "BF:NOM-4451");
    for id in ["BF:NOM-4451", "DEBRIEF:SUBJ-0907", "EUROPOL:P-88"] {
        assert!(cluster.contains(id), "{id} missing from {cluster:?}");
    }
    assert!(!members(&store, &op, "NCA:AHMED-1").contains("IE:AHMED-2"), "namesakes merged");
    // The background people pair up too.
    assert!(members(&store, &op, "NCA:P-7").contains("BF:N-7"));
    // Phones resolve by their id: a cluster of one.
    let phone = store.cluster(&op, "phone:+447700911111").unwrap().unwrap();
    assert_eq!(phone.members.len(), 1);
    // A second run with nothing new does nothing.
    let again = store.resolve(false).unwrap();
    assert_eq!((again.mode, again.records, again.clusters_changed), (RunMode::Incremental, 0, 0));
}

#[test]
fn a_new_report_about_a_known_person_joins_the_cluster_without_recomputing_the_rest() {
    let (dir, mut store) = loaded();
    let full = store.resolve(true).unwrap();
    let before = cluster_ids(dir.path());
    let op = Viewer::local_operator();
    ingest(
        &mut store,
        vec![report(
            "CPS-X9",
            "CPS",
            Classification::Official,
            &[],
            &[Person {
                id: "CPS:D-1",
                name: "Mohamed ABDELRAHMAN",
                dob: "1991-03-07",
                phone: "+447700911111",
                nationality: "SD",
            }],
        )],
    );
    let run = store.resolve(false).unwrap();
    assert_eq!(run.mode, RunMode::Incremental);
    assert_eq!(run.changed_entities, 1);
    assert!(run.records < full.records / 4, "re-resolved {} of {} records", run.records, full.records);
    assert!(members(&store, &op, "CPS:D-1").contains("BF:NOM-4451"), "{:?}", members(&store, &op, "CPS:D-1"));
    let after = cluster_ids(dir.path());
    assert_eq!(before.len(), 405);
    let moved: Vec<&String> = before.iter().filter(|(e, c)| after.get(*e) != Some(c)).map(|(e, _)| e).collect();
    assert!(moved.is_empty(), "clusters of unrelated entities changed id: {moved:?}");
    assert_eq!(after.get("CPS:D-1"), before.get("BF:NOM-4451"), "the new member joins the existing cluster id");
}

#[test]
fn decisions_are_statements_with_provenance_and_every_later_run_obeys_them() {
    let (_dir, mut store) = loaded();
    store.resolve(false).unwrap();
    let op = Viewer::local_operator();
    assert!(members(&store, &op, "BF:NOM-4451").contains("DEBRIEF:SUBJ-0907"));
    let me = analyst(Classification::OfficialSensitive, &[]);
    let receipt = store
        .decide(
            &me,
            &[Decision { a: "BF:NOM-4451".into(), b: "DEBRIEF:SUBJ-0907".into(), verdict: Verdict::Different }],
        )
        .unwrap();
    assert!(receipt.report.starts_with("RES-NCA-"), "{receipt:?}");
    assert_eq!(receipt.banner, "OFFICIAL-SENSITIVE", "no lower than the debrief it rests on");
    let run = store.resolve(false).unwrap();
    assert_eq!(run.rulings, 1);
    assert_eq!(run.learnt_from, 1, "the rejected pair trains the model as a known non-match");
    assert!(!members(&store, &op, "BF:NOM-4451").contains("DEBRIEF:SUBJ-0907"), "the rejection was not obeyed");
    // Still obeyed by a full run.
    assert_eq!(store.resolve(true).unwrap().learnt_from, 1);
    assert!(!members(&store, &op, "BF:NOM-4451").contains("DEBRIEF:SUBJ-0907"));
    // The decision is a statement of a report the analyst authored.
    let entity = store.entity(&me, "BF:NOM-4451").unwrap().unwrap();
    let ruling = entity.statements.iter().find(|s| s.statement.property == "differentFrom").expect("statement");
    assert_eq!(ruling.statement.value, "DEBRIEF:SUBJ-0907");
    assert_eq!(ruling.statement.agency, "NCA");
    let report = store.report(&me, &receipt.report).unwrap().unwrap();
    assert_eq!(report.author, "analyst.nca");
    // Confirming two namesakes joins them.
    store.decide(&me, &[Decision { a: "NCA:AHMED-1".into(), b: "IE:AHMED-2".into(), verdict: Verdict::Same }]).unwrap();
    store.resolve(false).unwrap();
    assert!(members(&store, &op, "NCA:AHMED-1").contains("IE:AHMED-2"));
    // Decisions are audited.
    let filter = tessera_store::AuditFilter {
        user: None,
        action: Some("resolution_decision".into()),
        contains: None,
        since: None,
        limit: 10,
    };
    assert_eq!(store.audit_records(&filter).unwrap().len(), 2);
}

#[test]
fn auditors_partners_and_the_uncleared_cannot_decide() {
    let (_dir, mut store) = loaded();
    let d = [Decision { a: "BF:NOM-4451".into(), b: "EUROPOL:P-88".into(), verdict: Verdict::Same }];
    for role in [Role::Auditor, Role::PartnerLiaison, Role::DebriefingOfficer] {
        let v = Viewer { role, ..analyst(Classification::Secret, &[]) };
        assert!(matches!(store.decide(&v, &d), Err(StoreError::Refused(_))), "{role}");
    }
    // The debrief is OFFICIAL-SENSITIVE: an OFFICIAL analyst cannot rule on what they cannot see.
    let low = analyst(Classification::Official, &[]);
    let hidden = [Decision { a: "BF:NOM-4451".into(), b: "DEBRIEF:SUBJ-0907".into(), verdict: Verdict::Same }];
    assert!(matches!(store.decide(&low, &hidden), Err(StoreError::NotFound(_))));
    let phone = [Decision { a: "BF:NOM-4451".into(), b: "phone:+447700911111".into(), verdict: Verdict::Same }];
    assert!(matches!(store.decide(&low, &phone), Err(StoreError::Invalid(_))));
    let own = [Decision { a: "BF:NOM-4451".into(), b: "BF:NOM-4451".into(), verdict: Verdict::Same }];
    assert!(matches!(store.decide(&low, &own), Err(StoreError::Invalid(_))));
}

#[test]
fn a_viewer_sees_only_visible_members_statements_and_candidates() {
    let (_dir, mut store) = loaded();
    store.resolve(false).unwrap();
    let low = analyst(Classification::Official, &[]);
    let cluster = store.cluster(&low, "BF:NOM-4451").unwrap().unwrap();
    let ids: BTreeSet<&str> = cluster.members.iter().map(|m| m.id.as_str()).collect();
    assert!(!ids.contains("DEBRIEF:SUBJ-0907"), "hidden member shown: {ids:?}");
    assert!(cluster.statements.iter().all(|s| s.statement.report_id != "DEBRIEF-X2"));
    assert!(store.cluster(&low, "DEBRIEF:SUBJ-0907").unwrap().is_none(), "an invisible entity has no cluster");
    let serialized = serde_json::to_string(&cluster).unwrap();
    assert!(!serialized.contains("Abd al-Rahman") && !serialized.contains("SUBJ-0907"));
    let queue = store.match_queue(&low, "open", 1000, 0).unwrap();
    for c in &queue.candidates {
        assert!(c.a != "DEBRIEF:SUBJ-0907" && c.b != "DEBRIEF:SUBJ-0907", "{c:?}");
    }
    assert!(store.match_candidate(&low, "BF:NOM-4451", "DEBRIEF:SUBJ-0907").unwrap().is_none());
    let all = store.match_queue(&Viewer::local_operator(), "open", 1000, 0).unwrap();
    assert!(all.total >= queue.total);
    let auditor = Viewer { role: Role::Auditor, ..analyst(Classification::TopSecret, &[]) };
    assert_eq!(store.match_queue(&auditor, "open", 1000, 0).unwrap().total, 0);
    assert!(store.cluster(&auditor, "BF:NOM-4451").unwrap().is_none());
}

#[test]
fn search_folds_the_hits_of_one_cluster_into_one_result_listing_visible_members() {
    let (_dir, mut store) = loaded();
    let request = tessera_store::SearchRequest::new("Mohammed Abdelrahman");
    let op = Viewer::local_operator();
    let before = store.search(&op, &request).unwrap();
    store.resolve(false).unwrap();
    let after = store.search(&op, &request).unwrap();
    assert!(after.total_entities < before.total_entities, "{} vs {}", after.total_entities, before.total_entities);
    let ids = |hit: &tessera_store::EntityHit| -> BTreeSet<String> {
        std::iter::once(hit.id.clone()).chain(hit.members.iter().map(|m| m.id.clone())).collect()
    };
    let folded = after.entities.iter().find(|h| ids(h).contains("BF:NOM-4451")).expect("the man is found");
    for id in ["DEBRIEF:SUBJ-0907", "EUROPOL:P-88"] {
        assert!(ids(folded).contains(id), "{id} not folded into {folded:?}");
    }
    // An OFFICIAL viewer gets the same fold without the OFFICIAL-SENSITIVE debrief.
    let low = store.search(&analyst(Classification::Official, &[]), &request).unwrap();
    let serialized = serde_json::to_string(&low.entities).unwrap();
    assert!(!serialized.contains("SUBJ-0907") && !serialized.contains("Abd al-Rahman"), "{serialized}");
}

#[test]
fn records_joined_only_through_hidden_material_are_shown_apart() {
    let (dir, mut store) = loaded();
    store.resolve(false).unwrap();
    let (border, debrief, partner) = ("BF:NOM-4451", "DEBRIEF:SUBJ-0907", "EUROPOL:P-88");
    let low = analyst(Classification::Official, &[]);
    let op = Viewer::local_operator();
    assert!(members(&store, &op, border).contains(partner));
    // Keep only the links through the OFFICIAL-SENSITIVE debrief, as if the border and partner
    // records had matched only through it.
    let conn = rusqlite::Connection::open(dir.path().join("tessera.db")).unwrap();
    let links: Vec<(String, String)> = conn
        .prepare("SELECT a, b FROM cluster_links")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .filter(|(a, b): &(String, String)| [a.as_str(), b.as_str()].iter().all(|x| [border, partner].contains(x)))
        .collect();
    assert!(!links.is_empty(), "the engine linked the border and partner records directly");
    conn.execute("DELETE FROM cluster_links WHERE (a = ?1 AND b = ?2) OR (a = ?2 AND b = ?1)", [border, partner])
        .unwrap();
    for other in [border, partner] {
        let (a, b) = if other < debrief { (other, debrief) } else { (debrief, other) };
        conn.execute(
            "INSERT OR IGNORE INTO cluster_links (a, b, markings)
             SELECT ?1, ?2, markings FROM match_candidates WHERE a = ?1 AND b = ?2
             UNION ALL SELECT ?1, ?2, '[]' WHERE NOT EXISTS (SELECT 1 FROM match_candidates WHERE a = ?1 AND b = ?2)",
            [a, b],
        )
        .unwrap();
    }
    // Whoever may see the debrief still sees all three together; the OFFICIAL analyst sees the
    // border record alone, with nothing saying that anything joins it to the partner's.
    assert!(members(&store, &op, border).contains(partner));
    let seen = members(&store, &low, border);
    assert!(!seen.contains(partner) && !seen.contains(debrief), "{seen:?}");
    let request = tessera_store::SearchRequest::new("Mohammed Abdelrahman");
    let found = store.search(&low, &request).unwrap();
    let lead = found.entities.iter().find(|h| h.id == border || h.id == partner).expect("found");
    assert!(lead.members.is_empty(), "{lead:?}");
}
