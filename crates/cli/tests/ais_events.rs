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

/// Rows of every part file under `dir/events`, by day directory, in file order.
fn read_events(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<parquet::record::Row>> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let mut out = std::collections::BTreeMap::new();
    for day in std::fs::read_dir(dir.join("events")).unwrap() {
        let day = day.unwrap().path();
        let name = day.file_name().unwrap().to_string_lossy().trim_start_matches("day=").to_string();
        let mut files: Vec<_> = std::fs::read_dir(&day).unwrap().map(|f| f.unwrap().path()).collect();
        files.sort();
        let rows: &mut Vec<_> = out.entry(name).or_default();
        for f in files {
            assert!(f.extension().is_some_and(|e| e == "parquet"), "{}", f.display());
            let reader = SerializedFileReader::new(std::fs::File::open(&f).unwrap()).unwrap();
            rows.extend(reader.get_row_iter(None).unwrap().map(|r| r.unwrap()));
        }
    }
    out
}

#[test]
fn events_of_the_gfw_track_as_parquet_equal_the_json_lines() {
    use parquet::record::RowAccessor;
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ais/gfw_gpsdio_segment/416000000.json")
        .display()
        .to_string();
    let out = run(&["ais", "events", "--quiet", &file], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let events: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // MMSI reuse: jumps at every alternation, and gaps.
    assert!(events.iter().filter(|e| e["kind"] == "speed_jump").count() > 100);
    assert!(events.iter().any(|e| e["kind"] == "gap"));

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ais");
    let out = run(&["--json", "ais", "events", "--parquet", root.to_str().unwrap(), &file], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    let summary: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(summary["parquet"]["events"]["rows"], events.len());

    let days = read_events(&root);
    let mut by_id = std::collections::BTreeMap::new();
    for (day, rows) in &days {
        for r in rows {
            let start = r.get_timestamp_millis(5).unwrap();
            let date = tessera_day(start / 1000);
            assert_eq!(&date, day);
            by_id.insert(r.get_long(0).unwrap() as u64, r.clone());
        }
    }
    assert_eq!(by_id.len(), events.len());
    for e in &events {
        let r = &by_id[&e["id"].as_u64().unwrap()];
        assert_eq!(r.get_string(1).unwrap(), e["kind"].as_str().unwrap());
        assert_eq!(r.get_uint(2).unwrap() as u64, e["mmsi"].as_u64().unwrap());
        assert_eq!(r.get_timestamp_millis(5).unwrap(), e["start"].as_i64().unwrap() * 1000);
        assert_eq!(r.get_timestamp_millis(6).unwrap(), e["end"].as_i64().unwrap() * 1000);
        // (serde_json reads long decimals to within an ulp.)
        assert!((r.get_double(7).unwrap() - e["lat"].as_f64().unwrap()).abs() < 1e-12);
        let details: serde_json::Value = serde_json::from_str(r.get_string(25).unwrap()).unwrap();
        assert_eq!(details, e["details"]);
        if e["kind"] == "gap" {
            assert!((r.get_double(9).unwrap() - e["details"]["hours"].as_f64().unwrap()).abs() < 1e-12);
        }
    }

    // No overwrite without --force.
    let out = run(&["ais", "events", "--parquet", root.to_str().unwrap(), &file], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    let out = run(&["ais", "events", "--quiet", "--force", "--parquet", root.to_str().unwrap(), &file], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `YYYY-MM-DD` of seconds since the epoch (Howard Hinnant's civil_from_days).
fn tessera_day(seconds: i64) -> String {
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
