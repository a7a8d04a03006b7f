//! End-to-end tests of the real `tessera` binary: init → ingest → search → show → report,
//! refusal of malformed files with the store unchanged, CSV with a mapping file, and the demo.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn tessera(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera")).arg("--data").arg(data).args(args).output().expect("run tessera")
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = tessera(data, args);
    assert!(out.status.success(), "tessera {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(data, &all)).expect("JSON output")
}

fn loaded_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    ok(dir.path(), &["init"]);
    let out = ok(dir.path(), &["ingest", "--quiet", fixture("reports.jsonl").to_str().unwrap()]);
    assert!(out.contains("4 reports"), "{out}");
    dir
}

fn entity_ids(results: &serde_json::Value) -> Vec<String> {
    results["entities"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_name_search_finds_every_agency_spelling() {
    let dir = loaded_store();
    let results = json(dir.path(), &["search", "Mohammed Abdelrahman"]);
    let ids = entity_ids(&results);
    for expected in ["BF:NOM-4451", "DEBRIEF:SUBJ-0907", "EUROPOL:P-88"] {
        assert!(ids.contains(&expected.to_string()), "{expected} missing from {ids:?}");
    }
    assert!(!ids.contains(&"NCA:P-000123".to_string()), "Mahmoud Hassan is not a variant: {ids:?}");
    // Order swapped and upper-cased, as a foreign partner writes it.
    let swapped = entity_ids(&json(dir.path(), &["search", "ABDULRAHMAN Mohammad"]));
    assert!(swapped.contains(&"BF:NOM-4451".to_string()), "{swapped:?}");
    // A typo still finds him.
    let typo = entity_ids(&json(dir.path(), &["search", "Mohammed Abdelrahmn"]));
    assert!(typo.contains(&"BF:NOM-4451".to_string()), "{typo:?}");
}

#[test]
fn an_identifier_search_is_normalised() {
    let dir = loaded_store();
    let results = json(dir.path(), &["search", "07700 900123"]);
    assert_eq!(results["identifiers"][0], "phone:+447700900123");
    assert!(entity_ids(&results).contains(&"phone:+447700900123".to_string()));
    let reports: Vec<&str> = results["reports"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    // Structured in the Border Force report, structured in the Europol one, and in the free text of the first.
    assert!(reports.contains(&"BF-2024-000101") && reports.contains(&"EUROPOL-2024-000077"), "{reports:?}");
    // An IBAN extracted from free text is found written with or without spaces.
    let iban = json(dir.path(), &["search", "gb82west12345698765432"]);
    assert!(entity_ids(&iban).contains(&"iban:GB82WEST12345698765432".to_string()), "{iban}");
    // Text search.
    let text = json(dir.path(), &["search", "Gravelines"]);
    assert_eq!(text["reports"][0]["id"], "NCA-2024-000900");
}

#[test]
fn show_lists_every_statement_with_its_provenance() {
    let dir = loaded_store();
    let entity = json(dir.path(), &["show", "phone:+447700900123"]);
    let statements = entity["statements"].as_array().unwrap();
    let agencies: Vec<&str> = statements.iter().map(|s| s["agency"].as_str().unwrap()).collect();
    assert!(agencies.contains(&"BF") && agencies.contains(&"EUROPOL"), "{agencies:?}");
    let europol = statements.iter().find(|s| s["agency"] == "EUROPOL").unwrap();
    assert_eq!(europol["report_id"], "EUROPOL-2024-000077");
    assert_eq!(europol["grading"]["original"]["code"], "B2 H1");
    assert_eq!(europol["markings"]["classification"], "OFFICIAL-SENSITIVE");
    // Who uses the phone: both people link to it.
    let inbound: Vec<&str> =
        entity["inbound"].as_array().unwrap().iter().map(|s| s["entity_id"].as_str().unwrap()).collect();
    assert!(inbound.contains(&"BF:NOM-4451") && inbound.contains(&"EUROPOL:P-88"), "{inbound:?}");

    let text = ok(dir.path(), &["show", "BF:NOM-4451"]);
    assert!(text.contains("BF-2024-000101") && text.contains("2B P") && text.contains("OFFICIAL-SENSITIVE"), "{text}");

    let report = ok(dir.path(), &["report", "NCA-2024-000900"]);
    assert!(report.contains("SECRET [OP-TIDEWAY]") && report.contains("5x5x5 B2 4"), "{report}");
    let missing = tessera(dir.path(), &["show", "NCA:P-999999"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no entity"));
}

fn statement_count(dir: &Path) -> u64 {
    let store = tessera_store::SqliteStore::open(dir).unwrap();
    use tessera_store::Store;
    let stats = store.stats(&tessera_access::Viewer::local_operator()).unwrap();
    stats.statements as u64 + stats.reports as u64 * 1_000_000
}

#[test]
fn malformed_files_are_refused_whole_naming_file_line_and_field() {
    let dir = loaded_store();
    let before = statement_count(dir.path());
    let cases = [
        ("bad_json.jsonl", "bad_json.jsonl:2:", "not valid JSON"),
        ("bad_grading.jsonl", "bad_grading.jsonl:2: field grading:", "source evaluation must be 1, 2 or 3"),
        ("bad_iban.jsonl", "bad_iban.jsonl:2: field entities[0].properties.iban[0]:", "mod-97"),
    ];
    for (file, location, reason) in cases {
        let out = tessera(dir.path(), &["ingest", "--quiet", fixture(file).to_str().unwrap()]);
        assert!(!out.status.success(), "{file} was accepted");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(location), "{file}: {stderr}");
        assert!(stderr.contains(reason), "{file}: {stderr}");
        assert!(stderr.contains("nothing from it was stored"), "{stderr}");
        assert_eq!(statement_count(dir.path()), before, "{file} changed the store");
    }
    // The good first lines of those files were not stored either.
    assert!(!tessera(dir.path(), &["report", "BAD-1"]).status.success());
    // Ingesting the same file twice is refused: reports are never overwritten.
    let again = tessera(dir.path(), &["ingest", "--quiet", fixture("reports.jsonl").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already stored"));
    assert_eq!(statement_count(dir.path()), before);
}

#[test]
fn csv_with_a_mapping_file_is_ingested() {
    let dir = loaded_store();
    let out = ok(
        dir.path(),
        &[
            "ingest",
            "--quiet",
            "--mapping",
            fixture("stops.mapping.json").to_str().unwrap(),
            fixture("stops.csv").to_str().unwrap(),
        ],
    );
    assert!(out.contains("2 reports"), "{out}");
    let person = json(dir.path(), &["show", "BF:NOM-9001"]);
    let values: Vec<&str> =
        person["statements"].as_array().unwrap().iter().map(|s| s["value"].as_str().unwrap()).collect();
    assert!(
        values.contains(&"1988-02-03") && values.contains(&"ER") && values.contains(&"phone:+447700900456"),
        "{values:?}"
    );
    // The vehicle in the CSV is the one the Border Force report's text mentions.
    let vehicle = json(dir.path(), &["show", "plate:AB12CDE"]);
    let reports: Vec<&str> =
        vehicle["statements"].as_array().unwrap().iter().map(|s| s["report_id"].as_str().unwrap()).collect();
    assert!(reports.contains(&"BF-2024-000101") && reports.contains(&"BF-CSV-0001"), "{reports:?}");
}

#[test]
fn bad_command_lines_fail_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = tessera(dir.path(), &["search", "x"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("tessera init"), "{}", String::from_utf8_lossy(&out.stderr));
    let help = ok(dir.path(), &["ingest", "--help"]);
    assert!(help.contains("--mapping"));
}

#[test]
fn the_demo_scenario_loads_and_is_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(dir.path(), &["demo", "--no-serve"]);
    assert!(out.contains("reports"), "{out}");
    let stats = {
        use tessera_store::Store;
        let store = tessera_store::SqliteStore::open(dir.path()).unwrap();
        store.stats(&tessera_access::Viewer::local_operator()).unwrap()
    };
    assert!(stats.reports >= 2000, "{stats:?}");
    assert!(stats.agencies.len() >= 8, "{stats:?}");
    // Loading again keeps what is there.
    let again = ok(dir.path(), &["demo", "--no-serve"]);
    assert!(again.contains("already loaded"), "{again}");
}

#[test]
fn every_read_is_audited_and_tampering_is_located() {
    let dir = loaded_store();
    ok(dir.path(), &["search", "Mohammed Abdelrahman"]);
    ok(dir.path(), &["show", "BF:NOM-4451"]);
    let records = json(dir.path(), &["audit", "list", "--limit", "100"]);
    let actions: Vec<&str> = records.as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert!(
        actions.contains(&"ingest") && actions.contains(&"search") && actions.contains(&"read_entity"),
        "{actions:?}"
    );
    let searches = json(dir.path(), &["audit", "list", "--action", "search"]);
    assert_eq!(searches[0]["detail"], "Mohammed Abdelrahman");

    let intact = ok(dir.path(), &["audit", "verify"]);
    assert!(intact.contains("0 break(s)"), "{intact}");
    let head = intact.trim().rsplit("head ").next().unwrap().to_string();

    // Tamper with the log behind Tessera's back: alter one record, delete another.
    rusqlite_free_sql(
        dir.path(),
        "UPDATE audit SET detail = 'nothing' WHERE seq = 2; DELETE FROM audit WHERE seq = 4;",
    );
    let out = tessera(dir.path(), &["audit", "verify", "--checkpoint", &head]);
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("record 2 was altered"), "{text}");
    assert!(text.contains("records between 3 and 5 were deleted"), "{text}");
    // Cutting the log back to before the checkpoint is caught too.
    let last: i64 = head.split(':').next().unwrap().parse().unwrap();
    rusqlite_free_sql(dir.path(), &format!("DELETE FROM audit WHERE seq >= {last}"));
    let cut = tessera(dir.path(), &["audit", "verify", "--checkpoint", &head]);
    assert!(
        String::from_utf8_lossy(&cut.stdout).contains("is not in the log"),
        "{}",
        String::from_utf8_lossy(&cut.stdout)
    );
}

/// Runs SQL on the store directly, as an insider with file access would.
fn rusqlite_free_sql(dir: &Path, sql: &str) {
    let status = Command::new("python3")
        .arg("-c")
        .arg("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()")
        .arg(dir.join("tessera.db"))
        .arg(sql)
        .status()
        .expect("python3");
    assert!(status.success());
}
