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
