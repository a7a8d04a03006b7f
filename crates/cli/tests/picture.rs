//! End-to-end tests of `tessera picture context` through the real binary: on
//! the FRONTEX data in ../shared/data/frontex as text, JSON and CSV, and the
//! refusal of a bad file with its line and column named; and `tessera
//! picture show` on a generated demo: figures by dimension and period, a
//! partner's sanitised picture built from what it may see, every read audited.

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

fn in_store(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera")).arg("--data").arg(data).args(args).output().expect("run tessera")
}

fn ok_in(data: &Path, args: &[&str]) -> String {
    let out = in_store(data, args);
    assert!(out.status.success(), "tessera {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn count(v: &serde_json::Value) -> u64 {
    v.as_u64().unwrap_or_else(|| {
        assert_eq!(v, "<5", "a count is a number or \"<5\"");
        0
    })
}

#[test]
fn picture_show_aggregates_what_each_user_may_see() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    ok_in(data, &["demo", "--no-serve", "--reports", "300", "--seed", "7"]);

    // The analyst: exact counts by route and quarter, the periods adding up to each figure.
    let hub: serde_json::Value = serde_json::from_str(&ok_in(
        data,
        &["picture", "show", "--as", "analyst.nca", "--by", "route", "--period", "quarter", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(hub["sanitised"], false);
    let total = hub["reports"].as_u64().unwrap();
    assert!(total > 100, "{total} reports");
    let routes = hub["sections"][0]["figures"].as_array().unwrap();
    assert!(routes.len() >= 2);
    for f in routes {
        let sum: u64 = f["periods"].as_array().unwrap().iter().map(|p| p["reports"].as_u64().unwrap()).sum();
        assert_eq!(sum, f["reports"].as_u64().unwrap(), "{f}");
        assert!(f["periods"][0]["period"].as_str().unwrap().contains("-Q"));
        let c = f["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c) && f["agencies"].as_u64().unwrap() >= 1);
    }
    assert!(hub["series"].as_array().unwrap().iter().all(|s| s["counts"].is_array()));
    assert!(!hub["groups"].as_array().unwrap().is_empty());

    // The partner liaison: sanitised, and never more than the hub sees.
    let partner: serde_json::Value =
        serde_json::from_str(&ok_in(data, &["--json", "picture", "show", "--as", "liaison.fr"])).unwrap();
    assert_eq!(partner["sanitised"], true);
    assert!(partner["method"].as_str().unwrap().contains("<5"));
    assert!(count(&partner["reports"]) <= total + 2, "rounding adds at most 2");
    assert_eq!(partner["sections"].as_array().unwrap().len(), 5, "every dimension");
    for section in partner["sections"].as_array().unwrap() {
        for f in section["figures"].as_array().unwrap() {
            assert!(f["agencies"].as_u64().unwrap() >= 2, "single-agency figures are withheld: {f}");
            let n = count(&f["reports"]);
            assert!(n.is_multiple_of(5), "rounded to 5: {f}");
        }
    }
    assert!(partner["series"].as_array().unwrap().iter().all(|s| s["counts"].is_null()));

    // Text and CSV.
    let text = ok_in(data, &["picture", "show", "--as", "analyst.nca", "--by", "mo"]);
    assert!(text.starts_with(&format!("Threat picture: {total} reports from ")), "{text}");
    assert!(text.contains("By mo:") && text.contains("Organised crime groups:"), "{text}");
    // Several dimensions, repeated or comma-separated, in the order asked.
    for by in [&["--by", "nationality,stream"][..], &["--by", "nationality", "--by", "stream", "--by", "nationality"]] {
        let two: serde_json::Value =
            serde_json::from_str(&ok_in(data, &[&["--json", "picture", "show"][..], by].concat())).unwrap();
        let dims: Vec<&str> = two["sections"].as_array().unwrap().iter().map(|s| s["by"].as_str().unwrap()).collect();
        assert_eq!(dims, ["nationality", "stream"], "{by:?}");
    }
    let csv = ok_in(data, &["picture", "show", "--by", "stream", "--format", "csv", "--from", "2024-01"]);
    assert_eq!(csv.lines().next(), Some("dimension,key,label,period,reports,entities,agencies,confidence"));
    assert!(csv.lines().skip(1).all(|l| l.starts_with("stream,")), "{csv}");
    let periods: Vec<&str> =
        csv.lines().skip(1).filter_map(|l| l.split(',').nth(3)).filter(|p| !p.is_empty()).collect();
    assert!(!periods.is_empty() && periods.iter().all(|p| *p >= "2024-01"), "{periods:?}");

    // Every read is audited as whoever read.
    let audit = ok_in(data, &["audit", "list", "--action", "read_picture", "--user", "liaison.fr"]);
    assert!(audit.contains("liaison.fr"), "{audit}");

    // Bad input is refused with the parameter named.
    let out = in_store(data, &["picture", "show", "--from", "last week"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("from:"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = in_store(data, &["picture", "show", "--as", "nobody"]);
    assert!(!out.status.success());
}
