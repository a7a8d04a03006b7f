//! End-to-end tests of the real `tessera` binary: init → ingest → search → show → report,
//! refusal of malformed files with the store unchanged, CSV with a mapping file, and the demo.

mod common;
use common::{json, ok, tessera};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
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

#[test]
fn a_partner_export_leaves_out_what_may_not_leave_and_is_recorded_and_audited() {
    let dir = loaded_store();
    let mut files = Vec::new();
    for format in ["stix", "ftm", "csv"] {
        let file = dir.path().join(format!("europol.{format}"));
        let args = ["export", "--format", format, "--to", "EUROPOL", "--clearance", "SECRET", "--out"];
        let mut args: Vec<&str> = args.to_vec();
        args.push(file.to_str().unwrap());
        ok(dir.path(), &args);
        let text = std::fs::read_to_string(&file).expect("export written");
        // Present: Border Force's code-P statements about Mohammed Abdelrahman.
        assert!(text.contains("Mohammed Abdelrahman"), "{format}: {text}");
        // Absent: the SECRET / OP-TIDEWAY report's content, and the code-C / UK EYES ONLY debrief.
        for forbidden in [
            "Mahmoud Hassan",
            "Gravelines",
            "OP-TIDEWAY",
            "NCA-2024-000900",
            "Muhammad Abd al-Rahman",
            "GB82WEST12345698765432",
            "DEBRIEF",
            "Loon-Plage",
            "UK EYES ONLY",
            "BF 3321",
            "Dover eastern docks",
        ] {
            assert!(!text.contains(forbidden), "{format} export leaks {forbidden:?}");
        }
        files.push((format, file));
    }
    // Standard output works too, and is the same bytes as the file.
    let stdout = ok(dir.path(), &["export", "--format", "csv", "--to", "EUROPOL", "--clearance", "SECRET"]);
    assert_eq!(stdout, std::fs::read_to_string(&files[2].1).unwrap());

    // Every export is on the dissemination log, with the hash of what left, and on the audit log.
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3,sys,json; c=sqlite3.connect(sys.argv[1]); \
             print(json.dumps(c.execute('SELECT user, recipient, format, items, statement_ids, sha256 \
             FROM disseminations ORDER BY id').fetchall()))",
        )
        .arg(dir.path().join("tessera.db"))
        .output()
        .expect("python3");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("dissemination rows");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    for (row, (format, file)) in rows.iter().zip(&files) {
        assert_eq!(row[0], "local-operator");
        assert_eq!(row[1], "EUROPOL");
        assert_eq!(row[2], *format);
        assert!(row[3].as_u64().unwrap() > 0);
        let ids: Vec<i64> = serde_json::from_str(row[4].as_str().unwrap()).unwrap();
        assert_eq!(ids.len() as u64, row[3].as_u64().unwrap());
        let hash = Command::new("python3")
            .arg("-c")
            .arg("import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())")
            .arg(file)
            .output()
            .expect("python3");
        assert_eq!(row[5].as_str().unwrap(), String::from_utf8_lossy(&hash.stdout).trim());
    }
    let audited = json(dir.path(), &["audit", "list", "--action", "export"]);
    let audited = audited.as_array().unwrap();
    assert_eq!(audited.len(), 4);
    assert!(audited.iter().all(|r| r["detail"].as_str().unwrap().contains("to EUROPOL")), "{audited:?}");

    // Nothing but a known format, and never without a recipient.
    assert!(!tessera(dir.path(), &["export", "--format", "xml", "--to", "EUROPOL"]).status.success());
    assert!(!tessera(dir.path(), &["export", "--format", "csv", "--to", " "]).status.success());
}

/// Runs tessera with `stdin` as standard input.
fn with_stdin(data: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("--data")
        .arg(data)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run tessera");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait")
}

#[test]
fn agencies_and_users_are_managed_and_passwords_never_shown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();
    ok(data, &["init"]);
    ok(data, &["agency", "add", "NCA", "--name", "National Crime Agency", "--country", "GB"]);
    let fr = json(data, &["agency", "add", "FR-OCRIEST", "--name", "OCRIEST", "--country", "FR", "--partner"]);
    assert_eq!(fr["national"], false);
    let agencies = json(data, &["agency", "list"]);
    assert_eq!(agencies.as_array().map(Vec::len), Some(2));

    let add = ["user", "add", "analyst.nca", "--agency", "NCA", "--role", "analyst", "--clearance", "SECRET"];
    let mut args = add.to_vec();
    args.extend(["--compartment", "OP-TIDEWAY", "--password-stdin"]);
    let short = with_stdin(data, &args, "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"), "the error names the field");
    let empty = with_stdin(data, &args, "");
    assert!(!empty.status.success());
    let added = with_stdin(data, &args, "a long enough password\n");
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));

    let mut bad_role = args.clone();
    bad_role[5] = "spy";
    let refused = with_stdin(data, &bad_role, "a long enough password\n");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("role"), "the error names the field");

    let users = json(data, &["user", "list"]);
    let list = users.as_array().expect("array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], "analyst.nca");
    assert_eq!(list[0]["role"], "analyst");
    let text = ok(data, &["user", "list"]) + &users.to_string();
    assert!(!text.contains("argon2") && !text.contains("a long enough password"), "no hashes or passwords: {text}");

    ok(data, &["user", "disable", "analyst.nca"]);
    assert_eq!(json(data, &["user", "list"])[0]["disabled"], true);
    let passwd = with_stdin(data, &["user", "passwd", "analyst.nca", "--password-stdin"], "another long password\n");
    assert!(passwd.status.success(), "{}", String::from_utf8_lossy(&passwd.stderr));
    assert!(!tessera(data, &["user", "disable", "nobody"]).status.success());
    let audit = ok(data, &["audit", "list", "--action", "user_add"]);
    assert!(audit.contains("analyst.nca"), "{audit}");
}

#[test]
fn deconfliction_inbox_and_opt_out_from_the_command_line() {
    let dir = loaded_store();
    // The local operator sees everything, so no deconfliction arises from the CLI itself; the inbox starts empty.
    let inbox = json(dir.path(), &["deconfliction", "inbox", "--agency", "NCA"]);
    assert_eq!(inbox.as_array().unwrap().len(), 0);
    let out = ok(dir.path(), &["deconfliction", "opt-out", "--agency", "NCA", "--compartment", "OP-TIDEWAY"]);
    assert!(out.contains("off for NCA's compartment OP-TIDEWAY"), "{out}");
    let refused = tessera(dir.path(), &["deconfliction", "opt-out", "--agency", "NCA", "--compartment", "*"]);
    assert!(!refused.status.success());
    let log = json(dir.path(), &["audit", "list", "--action", "deconfliction_opt_out"]);
    assert_eq!(log[0]["detail"], "NCA OP-TIDEWAY");
}

#[test]
fn a_partners_ftm_export_imports_with_its_grading_and_markings() {
    let source = loaded_store();
    let file = source.path().join("to-europol.ftm.jsonl");
    ok(source.path(), &["export", "--format", "ftm", "--to", "EUROPOL", "--out", file.to_str().unwrap()]);

    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init"]);
    let out = ok(
        dir.path(),
        &[
            "import",
            file.to_str().unwrap(),
            "--report-id",
            "EUROPOL-IMPORT-1",
            "--agency",
            "EUROPOL",
            "--date",
            "2026-11-28",
            "--grading",
            "B2 H1",
            "--grading-scheme",
            "europol4x4",
            "--classification",
            "OFFICIAL-SENSITIVE",
        ],
    );
    assert!(out.contains("as report EUROPOL-IMPORT-1"), "{out}");
    let report = json(dir.path(), &["report", "EUROPOL-IMPORT-1"]);
    assert_eq!(report["grading"]["original"]["code"], "B2 H1");
    assert_eq!(report["markings"]["owner"], "EUROPOL");
    assert!(!report["statements"].as_array().unwrap().is_empty());
    // The people came across and are found by name.
    let found = json(dir.path(), &["search", "Mohammed Abdelrahman"]);
    assert!(found["total_entities"].as_u64().unwrap() >= 1, "{found}");
    // A malformed file is refused with nothing stored.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{not json\n").unwrap();
    let refused = tessera(
        dir.path(),
        &[
            "import",
            bad.to_str().unwrap(),
            "--report-id",
            "X-2",
            "--agency",
            "EUROPOL",
            "--date",
            "2026-11-28",
            "--grading",
            "2B P",
            "--classification",
            "OFFICIAL",
        ],
    );
    assert!(!refused.status.success());
    assert!(!tessera(dir.path(), &["report", "X-2"]).status.success());
}

#[test]
fn a_partners_stix_bundle_imports_with_its_grading_and_tlp() {
    let source = loaded_store();
    let file = source.path().join("to-europol.stix.json");
    ok(source.path(), &["export", "--format", "stix", "--to", "EUROPOL", "--out", file.to_str().unwrap()]);

    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init"]);
    let out = ok(
        dir.path(),
        &[
            "import",
            file.to_str().unwrap(),
            "--format",
            "stix",
            "--report-id",
            "EUROPOL-STIX-1",
            "--agency",
            "EUROPOL",
            "--date",
            "2026-11-28",
            "--grading",
            "B2 H1",
            "--grading-scheme",
            "europol4x4",
            "--classification",
            "OFFICIAL-SENSITIVE",
        ],
    );
    assert!(out.contains("as report EUROPOL-STIX-1"), "{out}");
    let report = json(dir.path(), &["report", "EUROPOL-STIX-1"]);
    assert_eq!(report["grading"]["original"]["code"], "B2 H1");
    assert_eq!(report["markings"]["owner"], "EUROPOL");
    assert!(report["markings"]["caveats"].to_string().contains("TLP:"), "{}", report["markings"]);
    assert!(!report["statements"].as_array().unwrap().is_empty());
    let found = json(dir.path(), &["search", "Mohammed Abdelrahman"]);
    assert!(found["total_entities"].as_u64().unwrap() >= 1, "{found}");
}

#[test]
fn resolve_dedupes_a_csv_into_people_and_explains_each_pair() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = dir.path().join("pairs.csv");
    let clusters = dir.path().join("clusters.csv");
    let fields = [
        "--field",
        "name=full_name",
        "--field",
        "dob=birth_date",
        "--field",
        "phone=phone",
        "--field",
        "nationality=other",
    ];
    let people = fixture("people.csv");
    let mut args = vec!["resolve", people.to_str().unwrap(), "--id", "ref"];
    args.extend_from_slice(&fields);
    args.extend_from_slice(&["--pairs", pairs.to_str().unwrap(), "--clusters", clusters.to_str().unwrap()]);
    let run = tessera(dir.path(), &args);
    let summary = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{summary}");
    assert!(summary.contains("prior ") && summary.contains(" bits (the chance that two records"), "{summary}");
    let clusters = std::fs::read_to_string(&clusters).unwrap();
    let cluster_of = |id: &str| cluster_in(&clusters, id);
    let one = cluster_of("BF:NOM-4451");
    assert_eq!(cluster_of("DEBRIEF:SUBJ-0907"), one, "{clusters}");
    assert_eq!(cluster_of("EUROPOL:P-88"), one, "{clusters}");
    assert_ne!(cluster_of("NCA:P-1"), cluster_of("NCA:P-2"), "namesakes stay apart: {clusters}");
    let pairs = std::fs::read_to_string(&pairs).unwrap();
    assert!(pairs.lines().next().unwrap().starts_with("left_id,right_id,probability,weight,evidence"));
    assert!(pairs.contains("BF:NOM-4451") && pairs.contains("dob:"), "{pairs}");
    // Each pair's evidence in brief: the fields, no prior (the run reports it once).
    assert!(!pairs.contains("prior") && pairs.contains("; phone: "), "{pairs}");

    let bad = tessera(
        dir.path(),
        &["resolve", fixture("people.csv").to_str().unwrap(), "--id", "ref", "--field", "name=nickname"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown role \"nickname\""));
}

/// The cluster number of record `id` in a clusters CSV written by `tessera resolve`.
fn cluster_in(clusters: &str, id: &str) -> String {
    clusters.lines().find(|l| l.ends_with(&format!(",{id}"))).and_then(|l| l.split(',').next()).unwrap().to_string()
}

/// The flags the resolve tests run `people.csv` with; `people.resolve.toml` says the same.
const PEOPLE_FIELDS: [&str; 8] = [
    "--field",
    "name=full_name",
    "--field",
    "dob=birth_date",
    "--field",
    "phone=phone",
    "--field",
    "nationality=other",
];

/// `--id ref`, then `extra`, then [`PEOPLE_FIELDS`]: the flags the resolve tests run `people.csv` with.
fn people_flags<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut flags = vec!["--id", "ref"];
    flags.extend_from_slice(extra);
    flags.extend_from_slice(&PEOPLE_FIELDS);
    flags
}

/// Runs `tessera resolve` on `people.csv` with `extra`, writing pairs and clusters to `pairs` and `clusters`
/// in `dir`; returns the process output.
fn resolve_people(dir: &Path, extra: &[&str], pairs: &str, clusters: &str) -> Output {
    let people = fixture("people.csv");
    let (pairs, clusters) = (dir.join(pairs), dir.join(clusters));
    let mut args = vec!["resolve", people.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--pairs", pairs.to_str().unwrap(), "--clusters", clusters.to_str().unwrap()]);
    tessera(dir, &args)
}

#[test]
fn resolve_with_a_config_file_equals_the_flags_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let flags = people_flags(&[]);
    let by_flags = resolve_people(dir.path(), &flags, "flags-pairs.csv", "flags-clusters.csv");
    assert!(by_flags.status.success(), "{}", String::from_utf8_lossy(&by_flags.stderr));
    let config = fixture("people.resolve.toml");
    let by_file =
        resolve_people(dir.path(), &["--config", config.to_str().unwrap()], "file-pairs.csv", "file-clusters.csv");
    assert!(by_file.status.success(), "{}", String::from_utf8_lossy(&by_file.stderr));
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(read("flags-pairs.csv"), read("file-pairs.csv"));
    assert_eq!(read("flags-clusters.csv"), read("file-clusters.csv"));
    assert!(read("file-pairs.csv").lines().count() > 1, "{}", read("file-pairs.csv"));

    // Flags win: a stricter threshold keeps fewer pairs, and --field replaces the file's fields.
    let summary = |out: &Output| -> serde_json::Value {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_str(String::from_utf8_lossy(&out.stderr).trim()).expect("JSON summary on stderr")
    };
    let cfg = config.to_str().unwrap();
    let people = fixture("people.csv");
    let default = summary(&tessera(dir.path(), &["--json", "resolve", people.to_str().unwrap(), "--config", cfg]));
    let strict = summary(&tessera(
        dir.path(),
        &["--json", "resolve", people.to_str().unwrap(), "--config", cfg, "--threshold", "0.999999999"],
    ));
    assert!(strict["pairs"].as_u64() < default["pairs"].as_u64(), "{strict} vs {default}");
    let fewer_fields = resolve_people(
        dir.path(),
        &["--config", cfg, "--field", "name=full_name", "--field", "dob=birth_date"],
        "names-pairs.csv",
        "names-clusters.csv",
    );
    assert!(fewer_fields.status.success(), "{}", String::from_utf8_lossy(&fewer_fields.stderr));
    let pairs = read("names-pairs.csv");
    assert!(pairs.contains("name:") && pairs.contains("dob:") && !pairs.contains("phone:"), "{pairs}");
}

#[test]
fn resolve_obeys_and_learns_from_a_decisions_file_and_names_its_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let decisions = dir.path().join("decisions.csv");
    std::fs::write(
        &decisions,
        "left_id,right_id,decision\nBF:NOM-4451,DEBRIEF:SUBJ-0907,different\nNCA:P-1,NCA:P-2,same\nGHOST-1,NCA:P-1,same\n",
    )
    .unwrap();
    let flags = people_flags(&["--decisions", decisions.to_str().unwrap()]);
    let out = resolve_people(dir.path(), &flags, "pairs.csv", "clusters.csv");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("3 decisions: 1 naming records not in the input were ignored; the model learnt from 2"),
        "{stderr}"
    );
    let clusters = std::fs::read_to_string(dir.path().join("clusters.csv")).unwrap();
    let cluster_of = |id: &str| cluster_in(&clusters, id);
    // Without the file these two are one person and the namesakes two (see the dedupe test above).
    assert_ne!(cluster_of("BF:NOM-4451"), cluster_of("DEBRIEF:SUBJ-0907"), "{clusters}");
    assert_eq!(cluster_of("NCA:P-1"), cluster_of("NCA:P-2"), "{clusters}");

    std::fs::write(&decisions, "left_id,right_id,decision\nNCA:P-1,NCA:P-2,maybe\n").unwrap();
    let bad = resolve_people(dir.path(), &flags, "pairs2.csv", "clusters2.csv");
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("decisions.csv:2: column \"decision\": \"maybe\" is not a decision"), "{stderr}");
    assert!(!dir.path().join("pairs2.csv").exists(), "nothing is written from a run refused");
}

#[test]
fn resolve_refuses_an_output_it_cannot_write_before_reading_anything() {
    let dir = tempfile::tempdir().unwrap();
    let flags = people_flags(&[]);
    std::fs::write(dir.path().join("clusters.csv"), "last run\n").unwrap();
    let out = resolve_people(dir.path(), &flags, "missing/pairs.csv", "clusters.csv");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--pairs ") && stderr.contains("does not exist"), "{stderr}");
    let kept = std::fs::read_to_string(dir.path().join("clusters.csv")).unwrap();
    assert_eq!(kept, "last run\n", "the last run's clusters are left as they were");
}

#[test]
fn resolve_config_errors_name_the_file_the_line_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let people = fixture("people.csv");
    let run = |text: &str| -> String {
        let config = dir.path().join("bad.toml");
        std::fs::write(&config, text).unwrap();
        let out = tessera(dir.path(), &["resolve", people.to_str().unwrap(), "--config", config.to_str().unwrap()]);
        assert!(!out.status.success(), "{text} was accepted");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = run("id = \"ref\"\nthreshhold = 0.5\n[fields]\nname = \"full_name\"\n");
    assert!(e.contains("bad.toml:2:") && e.contains("unknown field `threshhold`"), "{e}");
    let e = run("id = \"ref\"\n[fields]\ndob = \"birth_date\"\nname = \"nickname\"\n");
    assert!(e.contains("bad.toml:4: fields.name: unknown role \"nickname\""), "{e}");
    let e = run("id = \"ref\"\n[fields]\nname = \"full_name\"\nnom = \"surname\"\n");
    assert!(e.contains("bad.toml:4: fields.nom: no column \"nom\" in the header of"), "{e}");
    assert!(e.contains("people.csv") && e.contains("ref, name, dob, phone, nationality"), "{e}");
    let e = run("id = \"reference\"\n[fields]\nname = \"full_name\"\n");
    assert!(e.contains("bad.toml:1: id: no column \"reference\""), "{e}");
    let e = run("id = \"ref\"\nrules = [\"phone\", \"shoe_size\"]\n[fields]\nname = \"full_name\"\n");
    assert!(e.contains("bad.toml:2: rules: unknown blocking rule \"shoe_size\""), "{e}");
    let e = run("id = \"ref\"\nthreshold = \"high\"\n[fields]\nname = \"full_name\"\n");
    assert!(e.contains("bad.toml:2:"), "{e}");
    let e = run("id = \"ref\"\n[fields\nname = \"full_name\"\n");
    assert!(e.contains("bad.toml:2:"), "{e}");
    let e = run("[fields]\nname = \"full_name\"\n");
    assert!(e.contains("no id column") && e.contains("bad.toml"), "{e}");
    let e = run("id = \"ref\"\nthreshold = 1.5\n[fields]\nname = \"full_name\"\n");
    assert!(e.contains("bad.toml:2: threshold: 1.5 is not a probability"), "{e}");
}

#[test]
fn resolve_writes_parquet_with_the_same_rows_as_csv() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;

    let dir = tempfile::tempdir().unwrap();
    let config = fixture("people.resolve.toml");
    let cfg = ["--config", config.to_str().unwrap()];
    let csv = resolve_people(dir.path(), &cfg, "pairs.csv", "clusters.csv");
    assert!(csv.status.success(), "{}", String::from_utf8_lossy(&csv.stderr));
    // Inferred from the extension for one output, and --format for both.
    let pq = resolve_people(dir.path(), &cfg, "pairs.parquet", "clusters.parquet");
    assert!(pq.status.success(), "{}", String::from_utf8_lossy(&pq.stderr));
    let mut forced = cfg.to_vec();
    forced.extend_from_slice(&["--format", "parquet"]);
    let out = resolve_people(dir.path(), &forced, "pairs.out", "clusters.out");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let rows = |name: &str| -> (String, Vec<parquet::record::Row>) {
        let file = std::fs::File::open(dir.path().join(name)).unwrap();
        let reader = SerializedFileReader::new(file).expect("a Parquet file");
        let schema = reader.metadata().file_metadata().schema_descr();
        let columns: Vec<String> = schema
            .columns()
            .iter()
            .map(|c| format!("{}:{:?}:{:?}", c.name(), c.physical_type(), c.logical_type_ref()))
            .collect();
        let rows = reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect();
        (columns.join(" "), rows)
    };
    let table = |name: &str| -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
    };

    let pairs_csv = table("pairs.csv");
    assert!(!pairs_csv.is_empty());
    for name in ["pairs.parquet", "pairs.out"] {
        let (schema, pairs) = rows(name);
        assert_eq!(
            schema,
            "left_id:BYTE_ARRAY:Some(String) right_id:BYTE_ARRAY:Some(String) probability:DOUBLE:None \
             weight:DOUBLE:None evidence:BYTE_ARRAY:Some(String)"
        );
        assert_eq!(pairs.len(), pairs_csv.len());
        for (row, expected) in pairs.iter().zip(&pairs_csv) {
            assert_eq!(row.get_string(0).unwrap(), &expected[0]);
            assert_eq!(row.get_string(1).unwrap(), &expected[1]);
            assert_eq!(format!("{:.6}", row.get_double(2).unwrap()), expected[2]);
            assert_eq!(format!("{:.3}", row.get_double(3).unwrap()), expected[3]);
            assert_eq!(row.get_string(4).unwrap(), &expected[4]);
        }
    }
    let clusters_csv = table("clusters.csv");
    assert_eq!(clusters_csv.len(), 7, "every record in one cluster");
    for name in ["clusters.parquet", "clusters.out"] {
        let (schema, clusters) = rows(name);
        assert_eq!(schema, "cluster:INT64:None file:BYTE_ARRAY:Some(String) record_id:BYTE_ARRAY:Some(String)");
        let clusters: Vec<Vec<String>> = clusters
            .iter()
            .map(|r| {
                vec![
                    r.get_long(0).unwrap().to_string(),
                    r.get_string(1).unwrap().clone(),
                    r.get_string(2).unwrap().clone(),
                ]
            })
            .collect();
        assert_eq!(clusters, clusters_csv);
    }
}

/// Reports for entity resolution: a background population (each person reported by two agencies,
/// so that the model trains without labels), one man reported by three agencies under three
/// spellings, and two different men called Mohammed Ahmed who share a household phone.
fn resolution_reports() -> String {
    let given = ["anna", "omar", "li", "ivan", "sara", "yusuf", "amira", "dawit", "hana", "reza", "leyla", "tuan"];
    let surname = ["kaya", "haddad", "chen", "petrov", "novak", "berisha", "tran", "abebe", "osei", "silva", "hoxha"];
    let mut lines = Vec::new();
    let person = |report: &str, agency: &str, id: &str, name: &str, dob: &str, phone: &str, cls: &str, nat: &str| {
        let mut entities = vec![
            serde_json::json!({"id": id, "schema": "Person", "properties": {"name": [name], "birthDate": [dob], "nationality": [nat]}}),
        ];
        let mut links = vec![];
        if !phone.is_empty() {
            entities.push(serde_json::json!({"schema": "Phone", "properties": {"number": [phone]}}));
            links.push(serde_json::json!({"type": "uses", "source": "#0", "target": "#1"}));
        }
        serde_json::json!({
            "id": report, "agency": agency, "date": "2026-02-01", "grading": "2B P",
            "markings": {"classification": cls}, "text": "Subject reported.", "entities": entities, "links": links
        })
        .to_string()
    };
    for i in 0..150usize {
        let name = format!("{} {}", given[i % given.len()], surname[(i * 7) % surname.len()]);
        let dob = format!("{}-{:02}-{:02}", 1950 + i % 50, 1 + i % 12, 1 + (i * 11) % 28);
        let phone = format!("+4477009{:05}", i * 13);
        let nat = ["IQ", "ER", "AL", "VN", "AF", "SY", "SD"][i % 7];
        lines.push(person(&format!("NCA-POP-{i}"), "NCA", &format!("NCA:P-{i}"), &name, &dob, &phone, "OFFICIAL", nat));
        // The second agency writes names in capitals and, for every third person, in another
        // romanisation, as real holdings do; the engine learns from them what a variant is worth.
        let variant =
            [("omar", "umar"), ("yusuf", "yousef"), ("leyla", "layla"), ("haddad", "hadad"), ("hoxha", "hoxa")]
                .iter()
                .fold(name.clone(), |n, (from, to)| if i % 3 == 0 { n.replace(from, to) } else { n });
        let upper = variant.to_uppercase();
        lines.push(person(&format!("BF-POP-{i}"), "BF", &format!("BF:N-{i}"), &upper, &dob, &phone, "OFFICIAL", nat));
    }
    lines.push(person(
        "BF-2026-1",
        "BF",
        "BF:NOM-4451",
        "Mohamed Abdelrahman",
        "1991-03-07",
        "+447700911111",
        "OFFICIAL",
        "SD",
    ));
    lines.push(person(
        "DEBRIEF-2026-2",
        "DEBRIEF",
        "DEBRIEF:SUBJ-0907",
        "Muhammad Abd al-Rahman",
        "1991-03-07",
        "",
        "OFFICIAL-SENSITIVE",
        "SD",
    ));
    lines.push(person(
        "EUROPOL-2026-3",
        "EUROPOL",
        "EUROPOL:P-88",
        "ABDULRAHMAN Mohammad",
        "1991",
        "+447700911111",
        "OFFICIAL",
        "SD",
    ));
    lines.push(person(
        "NCA-2026-4",
        "NCA",
        "NCA:AHMED-1",
        "Mohammed Ahmed",
        "1984-02-10",
        "+447700922222",
        "OFFICIAL",
        "SD",
    ));
    lines.push(person(
        "IE-2026-5",
        "IE",
        "IE:AHMED-2",
        "Mohamed Ahmed",
        "1962-11-25",
        "+447700922222",
        "OFFICIAL",
        "SD",
    ));
    lines.join("\n") + "\n"
}

fn cluster_members(dir: &Path, id: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["entities", "cluster", id];
    args.extend_from_slice(extra);
    json(dir, &args)["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn three_agencies_reports_become_one_cluster_namesakes_stay_apart_and_a_rejection_is_obeyed() {
    let dir = tempfile::tempdir().expect("temp dir");
    ok(dir.path(), &["init"]);
    let file = dir.path().join("people.jsonl");
    std::fs::write(&file, resolution_reports()).unwrap();
    // Ingest resolves what it brought in: the first time, everything.
    let ingested = json(dir.path(), &["ingest", "--quiet", file.to_str().unwrap()]);
    let run = &ingested["resolution"];
    assert_eq!(run["mode"], "full", "{run}");
    assert_eq!(run["records"], 305);
    let text = ok(dir.path(), &["entities", "resolve"]);
    assert!(text.contains("resolution (incremental): 0 changed entities"), "{text}");

    let one = cluster_members(dir.path(), "BF:NOM-4451", &[]);
    for id in ["BF:NOM-4451", "DEBRIEF:SUBJ-0907", "EUROPOL:P-88"] {
        assert!(one.contains(&id.to_string()), "{id} missing from {one:?}");
    }
    assert!(!cluster_members(dir.path(), "NCA:AHMED-1", &[]).contains(&"IE:AHMED-2".to_string()));
    let queue = json(dir.path(), &["entities", "queue", "--limit", "100"]);
    assert!(queue["total"].is_u64());

    // Users: an analyst decides; a partner's liaison officer may not.
    for (code, national) in [("NCA", true), ("FR-OCRIEST", false)] {
        let mut args = vec!["agency", "add", code, "--name", code, "--country", if national { "GB" } else { "FR" }];
        if !national {
            args.push("--partner");
        }
        ok(dir.path(), &args);
    }
    for (name, agency, role) in [("analyst.nca", "NCA", "analyst"), ("liaison.fr", "FR-OCRIEST", "partner_liaison")] {
        let out = with_stdin(
            dir.path(),
            &[
                "user",
                "add",
                name,
                "--agency",
                agency,
                "--role",
                role,
                "--clearance",
                "OFFICIAL-SENSITIVE",
                "--password-stdin",
            ],
            "a long demo password\n",
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let refused = tessera(
        dir.path(),
        &["entities", "decide", "BF:NOM-4451", "DEBRIEF:SUBJ-0907", "different", "--as", "liaison.fr"],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("may not rule"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let decided =
        ok(dir.path(), &["entities", "decide", "BF:NOM-4451", "DEBRIEF:SUBJ-0907", "different", "--as", "analyst.nca"]);
    assert!(decided.contains("recorded: BF:NOM-4451 is different from DEBRIEF:SUBJ-0907"), "{decided}");
    assert!(decided.contains("OFFICIAL-SENSITIVE"), "marked no lower than the debrief: {decided}");
    // The next runs, incremental and full, obey it.
    assert!(!cluster_members(dir.path(), "BF:NOM-4451", &[]).contains(&"DEBRIEF:SUBJ-0907".to_string()));
    ok(dir.path(), &["entities", "resolve", "--full"]);
    assert!(!cluster_members(dir.path(), "BF:NOM-4451", &[]).contains(&"DEBRIEF:SUBJ-0907".to_string()));
    // The decision is a statement with provenance, shown on the entity, and the decision was audited.
    let entity = json(dir.path(), &["show", "BF:NOM-4451"]);
    let statements = entity["statements"].as_array().unwrap();
    assert!(
        statements
            .iter()
            .any(|s| s["property"] == "differentFrom" && s["value"] == "DEBRIEF:SUBJ-0907" && s["agency"] == "NCA")
    );
    let audit = ok(dir.path(), &["audit", "list", "--action", "resolution_decision"]);
    assert!(audit.contains("analyst.nca"), "{audit}");
    // The liaison officer sees the cluster only as far as the policy lets a partner see it.
    let partner = cluster_members(dir.path(), "BF:NOM-4451", &["--as", "liaison.fr"]);
    assert!(!partner.contains(&"DEBRIEF:SUBJ-0907".to_string()));
}
