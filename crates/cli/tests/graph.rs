//! End-to-end tests of `tessera graph` through the real binary: communities,
//! centrality, paths and removal on a small edge list, CSV and JSON output,
//! and refusal of a malformed file with its line named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera")).args(args).output().expect("run tessera")
}

fn ok(args: &[&str]) -> String {
    let out = tessera(args);
    assert!(out.status.success(), "tessera {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(&all)).expect("JSON output")
}

/// Two triangles of smugglers joined through a broker, with typed, timed links.
fn network(dir: &Path) -> PathBuf {
    let path = dir.join("network.csv");
    let text = "source,target,weight,type,time\n\
        ali,bashir,3,phone,10\nbashir,cem,2,phone,11\ncem,ali,4,meeting,12\n\
        cem,broker,1,phone,20\nbroker,dara,1,phone,21\n\
        dara,emre,5,meeting,30\nemre,fadi,2,phone,31\nfadi,dara,2,phone,32\n";
    std::fs::write(&path, text).expect("write network");
    path
}

#[test]
fn communities_centrality_paths_and_removal_on_a_small_network() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = network(dir.path());
    let file = file.to_str().unwrap();

    let result = json(&["graph", "communities", file, "--seed", "3"]);
    assert_eq!(result["nodes"], 7);
    assert_eq!(result["edges"], 8);
    assert_eq!(result["communities"], 2);
    assert!(result["modularity"].as_f64().unwrap() > 0.2);
    let rows = result["rows"].as_array().unwrap();
    let community = |name: &str| rows.iter().find(|r| r["node"] == name).unwrap()["community"].clone();
    assert_eq!(community("ali"), community("cem"));
    assert_ne!(community("ali"), community("emre"));
    // The number of threads is the analyst's to limit, and changes nothing in the result.
    for threads in ["1", "3"] {
        let limited = json(&["graph", "communities", file, "--seed", "3", "--threads", threads]);
        assert_eq!(limited["threads"], threads.parse::<u64>().unwrap());
        assert_eq!(limited["rows"], result["rows"]);
    }

    let csv = ok(&["graph", "centrality", file, "--measure", "betweenness,degree", "--top", "1"]);
    assert_eq!(csv.lines().next(), Some("node,betweenness,degree"));
    assert!(csv.lines().nth(1).unwrap().starts_with("broker,"), "{csv}");

    let paths = json(&["graph", "path", file, "--from", "ali", "--to", "fadi", "--k", "2"]);
    assert_eq!(paths["rows"][0]["nodes"], "ali cem broker dara fadi");
    assert_eq!(paths["rows"][0]["hops"], 4);

    let plan = json(&["graph", "removal", file, "--k", "1"]);
    assert_eq!(plan["rows"][0]["node"], "broker");
    assert_eq!(plan["rows"][0]["largest_component"], 3);

    // Only phone calls up to time 21: the meeting links go, so ali and cem part.
    let window = json(&["graph", "communities", file, "--until", "21", "--link-type", "phone"]);
    assert_eq!(window["edges"], 4);

    let out = dir.path().join("members.csv");
    ok(&["graph", "communities", file, "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 8);
}

#[test]
fn a_malformed_file_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "a b 1\nb c -2\n").unwrap();
    let out = tessera(&["graph", "centrality", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("bad.txt:2: the weight \"-2\""), "{message}");
    let out = tessera(&["graph", "path", bad.to_str().unwrap(), "--from", "a", "--to", "zed"]);
    assert!(!out.status.success());
}

#[test]
fn an_output_that_cannot_be_written_is_refused_before_the_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "a b 1\nb c -2\n").unwrap();
    let out_path = dir.path().join("no-such-folder").join("rows.csv");
    // The input is malformed too: the refusal names the output, so it came before reading.
    let out = tessera(&["graph", "centrality", bad.to_str().unwrap(), "--out", out_path.to_str().unwrap()]);
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("--out ") && message.contains("no-such-folder does not exist"), "{message}");
}

#[test]
fn a_caviar_phase_reads_as_a_matrix() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/graph/caviar_phases/phase3.csv");
    if !path.exists() {
        eprintln!("skipping: {} is absent", path.display());
        return;
    }
    let top = json(&["graph", "centrality", path.to_str().unwrap(), "--measure", "degree", "--top", "1"]);
    assert_eq!((top["nodes"].as_u64(), top["edges"].as_u64()), (Some(33), Some(56)));
    assert_eq!(top["rows"][0]["node"], "1");
}

fn fail(args: &[&str]) -> (Option<i32>, String) {
    let out = tessera(args);
    assert!(!out.status.success(), "tessera {args:?} should fail");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn brokerage_roles_with_a_partition_and_with_leiden() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = network(dir.path());
    let file = file.to_str().unwrap();
    let groups = dir.path().join("groups.txt");
    std::fs::write(&groups, "ali north\nbashir north\ncem north\nbroker middle\ndara south\nemre south\nfadi south\n")
        .unwrap();
    let groups = groups.to_str().unwrap();

    // Each link both ways. cem's open pairs {ali, broker} and {bashir, broker}: one end in its own
    // group, one outside: a representative and a gatekeeper each. The broker's one open pair
    // {cem, dara} spans two other groups: liaison, once in each direction.
    let result = json(&["graph", "brokerage", file, "--partition", groups]);
    let rows = result["rows"].as_array().unwrap();
    let row = |name: &str| rows.iter().find(|r| r["node"] == name).unwrap().clone();
    let counts = |r: &serde_json::Value| {
        ["coordinator", "itinerant", "gatekeeper", "representative", "liaison", "total"].map(|k| r[k].as_u64().unwrap())
    };
    assert_eq!(counts(&row("cem")), [0, 0, 2, 2, 0, 4]);
    assert_eq!(counts(&row("broker")), [0, 0, 0, 0, 2, 2]);
    assert_eq!(counts(&row("ali")), [0; 6]);
    assert_eq!((row("broker")["group"].as_str(), row("dara")["group"].as_str()), (Some("middle"), Some("south")));
    assert_eq!(result["groups"], 3);
    assert_eq!(result["totals"]["liaison"], 2);

    // As written (source → target): bashir → cem → ali is open (no bashir → ali): coordination;
    // bashir → cem → broker: representative; cem → broker → dara: liaison.
    let directed = json(&["graph", "brokerage", file, "--partition", groups, "--directed"]);
    let rows = directed["rows"].as_array().unwrap();
    let cem = rows.iter().find(|r| r["node"] == "cem").unwrap();
    assert_eq!(counts(cem), [1, 0, 0, 1, 0, 2]);

    // Whatever the groups, every open two-path is brokered in exactly one role: Leiden's groups
    // give the same total (five open pairs, both ways).
    let leiden = json(&["graph", "brokerage", file, "--seed", "3"]);
    assert_eq!(leiden["group_source"], "leiden");
    let total: u64 = leiden["rows"].as_array().unwrap().iter().map(|r| r["total"].as_u64().unwrap()).sum();
    assert_eq!(total, 10);
    let csv = ok(&["graph", "brokerage", file, "--partition", groups, "--top", "2"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "node,group,coordinator,itinerant,gatekeeper,representative,liaison,total");
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with("cem,north,") || lines[1].starts_with("dara,south,"), "{csv}");

    let bad = dir.path().join("bad-groups.txt");
    std::fs::write(&bad, "ali north\nbashir\n").unwrap();
    let (code, message) = fail(&["graph", "brokerage", file, "--partition", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(message.contains("bad-groups.txt:2: expected `node community`"), "{message}");
}

#[test]
fn paths_by_link_type_and_in_time_order_name_their_links() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = network(dir.path());
    let file = file.to_str().unwrap();

    // Every link: through the meeting cem–ali (link 3). Phones only: round by bashir (links 1, 2).
    let any = json(&["graph", "path", file, "--from", "ali", "--to", "fadi"]);
    assert_eq!(
        (any["rows"][0]["nodes"].as_str(), any["rows"][0]["links"].as_str()),
        (Some("ali cem broker dara fadi"), Some("3 4 5 8"))
    );
    let phones = json(&["graph", "path", file, "--from", "ali", "--to", "fadi", "--types", "phone"]);
    assert_eq!(phones["rows"][0]["nodes"], "ali bashir cem broker dara fadi");
    assert_eq!(phones["rows"][0]["links"], "1 2 4 5 8");
    let (code, _) = fail(&["graph", "path", file, "--from", "ali", "--to", "fadi", "--types", "meeting"]);
    assert_eq!(code, Some(3), "meetings alone do not link ali to fadi");
    let (code, message) = fail(&["graph", "path", file, "--from", "ali", "--to", "fadi", "--types", "fax"]);
    assert_eq!(code, Some(1));
    assert!(message.contains("no link has the type \"fax\""), "{message}");

    // In time order: dara–fadi (link 8, time 32) comes after dara–emre (30) and emre–fadi (31);
    // the earliest arrival is through emre at 31, the fewest hops straight from dara at 32.
    let earliest = json(&["graph", "path", file, "--from", "ali", "--to", "fadi", "--ordered"]);
    assert_eq!((earliest["hops"].as_u64(), earliest["arrival"].as_i64()), (Some(5), Some(31)));
    let links: Vec<u64> = earliest["rows"].as_array().unwrap().iter().map(|r| r["link"].as_u64().unwrap()).collect();
    assert_eq!(links, [3, 4, 5, 6, 7]);
    assert_eq!(earliest["rows"][0]["type"], "meeting");
    let fewest = json(&["graph", "path", file, "--from", "ali", "--to", "fadi", "--ordered", "--by", "hops"]);
    assert_eq!((fewest["hops"].as_u64(), fewest["arrival"].as_i64()), (Some(4), Some(32)));
    // Backwards in time nothing connects fadi to ali; neither do phone calls alone from ali after
    // time 10 as written source → target (bashir → cem at 11, cem → broker at 20, ...).
    let (code, _) = fail(&["graph", "path", file, "--from", "fadi", "--to", "ali", "--ordered"]);
    assert_eq!(code, Some(3));
    let csv =
        ok(&["graph", "path", file, "--from", "ali", "--to", "dara", "--ordered", "--types", "phone", "--directed"]);
    assert_eq!(csv.lines().next(), Some("hop,from,to,time,type,weight,link"));
    assert_eq!(csv.lines().skip(1).map(|l| l.split(',').nth(6).unwrap()).collect::<Vec<_>>(), ["1", "2", "4", "5"]);
    let (code, _) = fail(&["graph", "path", file, "--from", "ali", "--to", "dara", "--ordered", "--depart", "13"]);
    assert_eq!(code, Some(3), "ali's links are at 10 and 12: none leaves at 13 or later");

    let untimed = dir.path().join("untimed.txt");
    std::fs::write(&untimed, "a b\nb c\n").unwrap();
    let (code, message) = fail(&["graph", "path", untimed.to_str().unwrap(), "--from", "a", "--to", "c", "--ordered"]);
    assert_eq!(code, Some(1));
    assert!(message.contains("no link has a time"), "{message}");
}

#[test]
fn a_timeline_of_phases_and_of_windows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    // Phase 1: boss k runs two cells; phase 2: k is gone, z links the cells and recruits q.
    let p1 = write("p1.txt", "k a\nk b\nk c\nk d\na b\nc d\nz a\n");
    let p2 = write("p2.txt", "z a\nz c\nz b\na b\nc d\nz q\n");
    let result = json(&["graph", "timeline", &p1, &p2]);
    let rows = result["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0]["label"].as_str(), rows[0]["nodes"].as_u64(), rows[0]["top_betweenness"].as_str()),
        (Some("p1.txt"), Some(6), Some("k"))
    );
    assert_eq!((rows[1]["entered"].as_str(), rows[1]["left"].as_str()), (Some("q"), Some("k")));
    assert_eq!(rows[1]["top_betweenness"], "z");

    let ranking = json(&["graph", "timeline", &p1, &p2, "--replaced", "k"]);
    assert_eq!((ranking["before"].as_str(), ranking["after"].as_str()), (Some("p1.txt"), Some("p2.txt")));
    assert_eq!(ranking["rows"][0]["node"], "z");
    assert_eq!(ranking["rows"][0]["contacts_taken"], 2);
    assert_eq!(ranking["still_present"], false);
    let by_number = json(&["graph", "timeline", &p1, &p2, "--replaced", "k", "--after", "1", "--top", "1"]);
    assert_eq!(by_number["rows"].as_array().unwrap().len(), 1);
    let (_, message) = fail(&["graph", "timeline", &p1, &p2, "--replaced", "z"]);
    assert!(message.contains("never leaves"), "{message}");
    let (_, message) = fail(&["graph", "timeline", &p1, &p2, "--replaced", "k", "--after", "p2.txt"]);
    assert!(message.contains("no next window"), "{message}");

    // Fixed windows over timed links.
    let timed = write("timed.csv", "source,target,time\na,b,0\nb,c,5\nc,d,12\nd,e,19\n");
    let csv = ok(&["graph", "timeline", &timed, "--window", "10"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with("1,0..10,0,10,3,2,"), "{csv}");
    assert!(lines[2].starts_with("2,10..20,10,20,3,2,"), "{csv}");
    assert!(lines[2].ends_with(",d e,a b"), "{csv}");

    let (_, message) = fail(&["graph", "timeline", &timed]);
    assert!(message.contains("--window"), "{message}");
    let (_, message) = fail(&["graph", "timeline", &timed, "--window", "0"]);
    assert!(message.contains("must be positive"), "{message}");
    let (_, message) = fail(&["graph", "timeline", &timed, "--window", "1", "--start", "-100000000"]);
    assert!(message.contains("windows"), "{message}");
    let (_, message) = fail(&["graph", "timeline", &p1, &p2, "--window", "3"]);
    assert!(message.contains("one file"), "{message}");
    let bad = write("bad.txt", "a b\nc\n");
    let (_, message) = fail(&["graph", "timeline", &p1, &bad]);
    assert!(message.contains("bad.txt:2: expected a source and a target"), "{message}");
}

#[test]
fn the_caviar_phases_as_a_timeline() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/graph/caviar_phases");
    if !dir.exists() {
        eprintln!("skipping: {} is absent", dir.display());
        return;
    }
    let files: Vec<String> =
        (1..=11).map(|p| dir.join(format!("phase{p}.csv")).to_str().unwrap().to_string()).collect();
    let mut args: Vec<&str> = vec!["graph", "timeline"];
    args.extend(files.iter().map(String::as_str));
    let result = json(&args);
    let rows = result["rows"].as_array().unwrap();
    // Sizes as the data README lists them (caviar_facts.py); n1 the top broker until phase 8.
    let sizes: Vec<u64> = rows.iter().map(|r| r["nodes"].as_u64().unwrap()).collect();
    assert_eq!(sizes, [15, 24, 33, 33, 32, 27, 36, 42, 34, 42, 41]);
    assert!(rows[..8].iter().all(|r| r["top_betweenness"] == "1"));
    args.extend(["--replaced", "89", "--top", "2"]);
    let ranking = json(&args);
    assert_eq!((ranking["before"].as_str(), ranking["after"].as_str()), (Some("phase5.csv"), Some("phase6.csv")));
    assert_eq!(ranking["rows"][0]["node"], "3");
}
