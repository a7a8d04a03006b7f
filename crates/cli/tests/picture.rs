//! End-to-end tests of `tessera picture context` through the real binary: on
//! the FRONTEX data in ../shared/data/frontex as text, JSON and CSV, and the
//! refusal of a bad file with its line and column named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn frontex() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/frontex")
}

fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera")).args(args).output().expect("run tessera")
}

fn ok(args: &[&str]) -> String {
    let out = tessera(args);
    assert!(out.status.success(), "tessera {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn context(extra: &[&str]) -> Vec<String> {
    let mut args = vec!["picture".to_string(), "context".into(), "--data-dir".into(), frontex().display().to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn run(extra: &[&str]) -> String {
    let args = context(extra);
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn picture_text_names_each_route_with_its_breaks_and_shifts() {
    let out = run(&[]);
    assert!(
        out.starts_with("FRONTEX detections of illegal border-crossings (source: Frontex), 2009-01..2025-04"),
        "{out}"
    );
    for route in ["Central Mediterranean Route", "Eastern Mediterranean Route", "Western Balkan Route"] {
        assert!(out.contains(&format!("\n{route}: ")), "{route} missing");
    }
    assert!(out.contains("    2016-04 down: "), "the Eastern Mediterranean collapse: {out}");
    assert!(
        out.contains("Largest shifts of share between routes, year on year:\n  Central Mediterranean Route 2014→2015")
    );
    assert!(out.contains("2015: SYR 56%, AFG 24%, IRQ 10%"), "Eastern Mediterranean mix in 2015");
}

#[test]
fn picture_json_for_one_route_and_window() {
    let out =
        run(&["--route", "Eastern Mediterranean Route", "--from", "2014-01", "--until", "2018-12", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(value["span"], serde_json::json!(["2014-01", "2018-12"]));
    let routes = value["routes"].as_array().unwrap();
    assert_eq!(routes.len(), 1);
    let east = &routes[0];
    assert_eq!(east["route"], "Eastern Mediterranean Route");
    assert_eq!(east["trend"]["years"][1]["total"], 885_386);
    let collapse = east["change_points"]["breaks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["direction"] == "down" && b["month"].as_str().is_some_and(|m| ("2016-02".."2016-06").contains(&m)))
        .expect("a break down in spring 2016");
    assert!(collapse["level_before"].as_f64().unwrap() > 8.0 * collapse["level_after"].as_f64().unwrap());
    assert_eq!(east["seasonality"]["factors"].as_array().unwrap().len(), 12);
    // --json is the same as --format json.
    let args = context(&["--route", "Eastern Mediterranean Route", "--from", "2014-01", "--until", "2018-12"]);
    let mut with_flag = vec!["--json"];
    with_flag.extend(args.iter().map(String::as_str));
    assert_eq!(ok(&with_flag), out);
}

#[test]
fn picture_csv_is_long_format() {
    let out = run(&["--route", "Central Mediterranean Route", "--format", "csv", "--penalty", "mbic"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("route,section,period,item,value"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 5), "five fields a row");
    assert!(rows.contains(&vec!["Central Mediterranean Route", "year", "2015", "detections", "153946"]));
    assert!(rows.iter().any(|r| r[1] == "change_point" && r[2] == "2017-07" && r[3] == "size"));
    let peak = rows.iter().find(|r| r[1] == "seasonality" && r[3] == "peak").expect("peak row");
    assert_eq!(peak[4], "8");
    assert!(rows.iter().any(|r| r[0] == "Western Balkan Route" && r[1] == "share" && r[2] == "2015"));
}

#[test]
fn picture_refuses_a_bad_file_with_its_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("frontex_ibc_monthly_by_route.csv"), "route,month,n\nA,2020-01,5\nA,2020-02,-4\n")
        .unwrap();
    std::fs::write(dir.path().join("frontex_ibc_monthly_by_route_nationality.csv"), "route,type,nat,month,n\n")
        .unwrap();
    let out = tessera(&["picture", "context", "--data-dir", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("frontex_ibc_monthly_by_route.csv:3: column 3 (n): negative count \"-4\""), "{stderr}");

    std::fs::write(dir.path().join("frontex_ibc_monthly_by_route.csv"), "route,month,n\nA,2020-01,5\n").unwrap();
    std::fs::write(
        dir.path().join("frontex_ibc_monthly_by_route_nationality.csv"),
        "route,type,nat,month,n\nA,Sea,SYR,2020-01,5\nA,Sea,SYR,2020-1,1\n",
    )
    .unwrap();
    let out = tessera(&["picture", "context", "--data-dir", dir.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nationality.csv:3: column 4 (month): bad month \"2020-1\""), "{stderr}");

    let out = tessera(&[
        "picture",
        "context",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--from",
        "2021-01",
        "--until",
        "2020-01",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from 2021-01 is after --until 2020-01"));
    let out = tessera(&["picture", "context", "--data-dir", "/nonexistent/frontex"]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("/nonexistent/frontex/frontex_ibc_monthly_by_route.csv:0: cannot read")
    );
}
