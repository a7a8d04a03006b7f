//! `tessera ais tracks` through the real binary on real files: GFW's
//! MMSI-reuse track of 416000000 (several vessels under one MMSI) splits into
//! several segments, the same ones whether asked per position, per segment or
//! as GeoJSON, and as many as the batch segmentation of `crates/maritime`
//! finds; the DMA file's positions carry the static data sent before them;
//! bad input is refused naming the file and the line.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais").join(name)
}

fn gfw() -> String {
    data("gfw_gpsdio_segment/416000000.json").display().to_string()
}

fn tessera(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tessera");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("wait")
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "tessera failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

#[test]
fn gfw_mmsi_reuse_track_gives_several_segments_in_every_form() {
    let file = gfw();
    let positions = lines(&ok(tessera(&["ais", "tracks", &file], b"")));
    // 1,668 records; the 91/181 "not available" ones are left out.
    let valid = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["lat"].as_f64().is_some_and(|x| x.abs() <= 90.0) && v["lon"].as_f64().is_some_and(|x| x.abs() <= 180.0)
        })
        .count();
    assert_eq!(positions.len(), valid);
    let mut per_segment: BTreeMap<u64, u64> = BTreeMap::new();
    for p in &positions {
        assert_eq!(p["mmsi"], 416000000);
        assert_eq!(p["flag"], "TW");
        assert!(p["time"].as_str().unwrap().ends_with('Z'));
        *per_segment.entry(p["segment"].as_u64().unwrap()).or_default() += 1;
    }
    // The batch segmentation's count on the same file (docs/maritime.md).
    assert_eq!(per_segment.len(), 73, "segments");
    let first = &positions[0];
    assert_eq!(first["time"], "2014-01-01T01:14:25Z");
    assert_eq!(first["sog"], 0.0);

    let summary = lines(&ok(tessera(&["ais", "tracks", "--summary", &file], b"")));
    let from_summary: BTreeMap<u64, u64> =
        summary.iter().map(|s| (s["segment"].as_u64().unwrap(), s["points"].as_u64().unwrap())).collect();
    assert_eq!(from_summary, per_segment);
    for s in &summary {
        assert!(s["start"].as_str().unwrap() <= s["end"].as_str().unwrap());
        assert!(s["distance_nm"].as_f64().unwrap() >= 0.0);
    }
    let longest = summary.iter().map(|s| s["points"].as_u64().unwrap()).max().unwrap();
    assert!(longest >= 100, "longest segment {longest}");

    let out = ok(tessera(&["ais", "tracks", "--format", "geojson", &file], b""));
    let geo: Value = serde_json::from_slice(&out.stdout).expect("GeoJSON");
    assert_eq!(geo["type"], "FeatureCollection");
    let features = geo["features"].as_array().unwrap();
    let multi = per_segment.values().filter(|&&n| n >= 2).count();
    assert_eq!(features.len(), multi);
    for f in features {
        assert_eq!(f["geometry"]["type"], "LineString");
        let id = f["properties"]["segment"].as_u64().unwrap();
        assert_eq!(f["geometry"]["coordinates"].as_array().unwrap().len() as u64, per_segment[&id]);
        let c = &f["geometry"]["coordinates"][0];
        assert!(c[0].as_f64().unwrap().abs() <= 180.0 && c[1].as_f64().unwrap().abs() <= 90.0);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("single-point segments left out of GeoJSON"), "{stderr}");

    // Standard input gives the same as the file.
    let stdin = ok(tessera(&["ais", "tracks", "--summary"], &std::fs::read(&file).unwrap()));
    assert_eq!(lines(&stdin), summary);
}

#[test]
fn nmea_positions_carry_the_static_data_sent_before_them() {
    let file = data("dma_aislib_stream_example.txt").display().to_string();
    let out = ok(tessera(&["ais", "tracks", "--format", "csv", &file], b""));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "mmsi",
            "segment",
            "time",
            "lat",
            "lon",
            "sog",
            "cog",
            "heading",
            "name",
            "callsign",
            "imo",
            "ship_type",
            "length",
            "beam",
            "destination",
            "flag"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(rows.len() > 2_000, "{} rows", rows.len());
    assert!(rows.iter().all(|r| r[2].starts_with("2010-06-11T")));
    // Static data is joined once it has been seen, and never before.
    let named: Vec<&csv::StringRecord> = rows.iter().filter(|r| !r[8].is_empty()).collect();
    assert!(named.len() > 100, "{} named rows", named.len());
    let decoded = lines(&ok(tessera(&["ais", "decode", &file], b"")));
    let mut first_static: BTreeMap<String, usize> = BTreeMap::new();
    let mut first_position: BTreeMap<String, usize> = BTreeMap::new();
    for (i, m) in decoded.iter().enumerate() {
        let mmsi = m["mmsi"].to_string();
        if matches!(m["msg_type"].as_u64(), Some(5 | 19 | 24)) && !m["shipname"].is_null() {
            first_static.entry(mmsi.clone()).or_insert(i);
        }
        if matches!(m["msg_type"].as_u64(), Some(1 | 2 | 3 | 18 | 19 | 27)) {
            first_position.entry(mmsi).or_insert(i);
        }
    }
    let named_mmsis: BTreeSet<&str> = named.iter().map(|r| &r[0]).collect();
    for mmsi in named_mmsis {
        assert!(first_static.contains_key(mmsi), "{mmsi} named without a static message");
    }
    // A vessel whose first position came before any static message has an unnamed first row.
    let early =
        first_position.iter().find(|(m, i)| first_static.get(*m).is_some_and(|s| s > i)).map(|(m, _)| m.clone());
    if let Some(mmsi) = early {
        let first = rows.iter().find(|r| r[0] == *mmsi).unwrap();
        assert_eq!(&first[8], "", "{mmsi}");
    }
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("segments"), "{summary}");
}

#[test]
fn bad_input_is_refused_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"ssvid\": 1, \"timestamp\": \"2014-01-01 00:00:00\", \"lat\": 1, \"lon\": 2}\n\n{\"ssvid\": 1, \"lat\": 1, \"lon\": 2}\n",
    )
    .unwrap();
    let out = tessera(&["ais", "tracks", bad.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl, line 3: no timestamp"), "{err}");

    let out = tessera(&["ais", "tracks", "/no/such/file.nmea"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.nmea"));

    // Broken JSON on standard input names it.
    let out = tessera(&["ais", "tracks"], b"{\"ssvid\": 1,\n");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard input, line 1: not a JSON record"), "{err}");

    // Binary garbage is not NMEA: counted, no rows, no panic.
    // (Lines starting with `{` would be JSON records, refused as above.)
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .map(|b| if b == b'{' { b'x' } else { b })
        .collect();
    let out = ok(tessera(&["ais", "tracks"], &garbage));
    assert!(out.stdout.is_empty());

    let out = tessera(&["ais", "tracks", "--max-gap-hours", "10", "--evict-after-hours", "5"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--evict-after-hours"));
}

#[test]
fn every_real_file_is_read_and_binary_files_never_panic() {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [data(""), data("gfw_gpsdio_segment")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && path.file_name().is_some_and(|n| n != "README.md") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 20, "{files:?}");
    for path in &files {
        let name = path.display().to_string();
        let out = tessera(&["ais", "tracks", "--summary", "--quiet", &name], b"");
        let gzip = name.ends_with(".gz");
        if gzip {
            // Compressed msgpack is not text: read as lines it may give nothing, or
            // a line starting with `{` refused by name and line; never a panic.
            assert!(out.status.code() == Some(0) || out.status.code() == Some(1), "{name}: {:?}", out.status);
            if out.status.code() == Some(1) {
                let err = String::from_utf8_lossy(&out.stderr);
                assert!(err.contains(&name) && err.contains(", line "), "{name}: {err}");
            }
        } else {
            assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
}
