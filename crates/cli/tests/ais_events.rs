//! `tessera ais events` end to end: NMEA sentences with tag-block times are
//! built here for a vessel that goes dark for eight hours and then enters a
//! watched area; the real binary must report the gap and the entry, and name a
//! broken GeoJSON file.

use std::io::Write;
use std::process::{Command, Stdio};

/// Pushes `value` as `width` bits (two's complement for negatives).
fn push(bits: &mut Vec<u8>, value: i64, width: usize) {
    for i in (0..width).rev() {
        bits.push(((value >> i) & 1) as u8);
    }
}

/// A type 1 position report as a tag-blocked `!AIVDM` sentence.
fn position(mmsi: i64, time: i64, lat: f64, lon: f64, knots: f64) -> String {
    let mut bits = Vec::new();
    push(&mut bits, 1, 6); // message type
    push(&mut bits, 0, 2); // repeat
    push(&mut bits, mmsi, 30);
    push(&mut bits, 0, 4); // under way using engine
    push(&mut bits, -128, 8); // no turn information
    push(&mut bits, (knots * 10.0).round() as i64, 10);
    push(&mut bits, 1, 1); // accuracy
    push(&mut bits, (lon * 600_000.0).round() as i64, 28);
    push(&mut bits, (lat * 600_000.0).round() as i64, 27);
    push(&mut bits, 900, 12); // course 90.0
    push(&mut bits, 90, 9); // heading
    push(&mut bits, time % 60, 6);
    push(&mut bits, 0, 2);
    push(&mut bits, 0, 3);
    push(&mut bits, 0, 1);
    push(&mut bits, 0, 19);
    let payload: String = bits
        .chunks(6)
        .map(|c| {
            let v = c.iter().fold(0u8, |acc, b| acc << 1 | b);
            char::from(if v < 40 { v + 48 } else { v + 56 })
        })
        .collect();
    let checksum = |s: &str| s.bytes().fold(0u8, |acc, b| acc ^ b);
    let sentence = format!("AIVDM,1,1,,A,{payload},0");
    let tag = format!("c:{time}");
    format!("\\{tag}*{:02X}\\!{sentence}*{:02X}", checksum(&tag), checksum(&sentence))
}

fn run(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tessera");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    child.wait_with_output().expect("wait")
}

#[test]
fn a_vessel_that_goes_dark_and_enters_a_watched_area_raises_both_events() {
    let t0 = 1_700_000_000;
    let mut lines = Vec::new();
    // Two hours eastwards at 10 knots, a report every 10 minutes, off Boulogne.
    for i in 0..=12 {
        let t = t0 + i * 600;
        lines.push(position(235_000_001, t, 50.70, 1.20 + 0.0026 * i as f64, 10.0));
    }
    // Eight hours of silence, then reports from inside the watched box.
    for i in 0..=6 {
        let t = t0 + 7_200 + 8 * 3_600 + i * 600;
        lines.push(position(235_000_001, t, 50.80, 1.50 + 0.0026 * i as f64, 10.0));
    }
    let input = lines.join("\n") + "\n";
    let dir = tempfile::tempdir().unwrap();
    let areas = dir.path().join("areas.geojson");
    std::fs::write(
        &areas,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Watched coast"},
            "geometry":{"type":"Polygon","coordinates":[[[1.45,50.75],[1.60,50.75],[1.60,50.85],[1.45,50.85],[1.45,50.75]]]}}]}"#,
    )
    .unwrap();
    let out = run(&["ais", "events", "--areas", areas.to_str().unwrap()], &input);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let events: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let gap = events.iter().find(|e| e["kind"] == "gap").unwrap_or_else(|| panic!("no gap in {events:?}"));
    assert_eq!(gap["mmsi"], 235_000_001);
    assert_eq!(gap["start"], t0 + 7_200);
    assert_eq!(gap["end"], t0 + 7_200 + 8 * 3_600);
    let entry = events.iter().find(|e| e["kind"] == "area_entry").unwrap_or_else(|| panic!("no entry in {events:?}"));
    assert!(entry.to_string().contains("Watched coast"), "{entry}");
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("20 positions") && summary.contains("1 watched areas"), "{summary}");

    // The GFW preset counts only gaps of 12 hours and more.
    let out = run(&["ais", "events", "--preset", "gfw"], &input);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\"gap\""));

    // A broken area file is named, with what is wrong.
    std::fs::write(&areas, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Bad"},"geometry":{"type":"Polygon","coordinates":[[[1,50],[2,50],[1,50]]]}}]}"#).unwrap();
    let out = run(&["ais", "events", "--areas", areas.to_str().unwrap()], &input);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("areas.geojson") && err.contains("Bad"), "{err}");
}
