//! `tessera ais decode --parquet DIR` through the real binary, read back with
//! the `parquet` crate: rows per day equal the position and static messages
//! of `--format jsonl` per reception day, every position row equals its JSON
//! message, messages without a time go to `day=unknown`, and an existing
//! dataset is only replaced with `--force`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row, RowAccessor};
use serde_json::Value;

const POSITION_TYPES: [u64; 6] = [1, 2, 3, 18, 19, 27];
const STATIC_TYPES: [u64; 3] = [5, 19, 24];

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais").join(name)
}

fn tessera(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tessera");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("wait")
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "tessera failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// Milliseconds of `YYYY-MM-DDTHH:MM:SS[.mmm]Z`.
fn iso_ms(s: &str) -> i64 {
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().expect("number in time");
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    // Days from civil (Howard Hinnant).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    let ms = if s.len() > 20 { n(20, 23) } else { 0 };
    ((days * 86400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)) * 1000) + ms
}

/// Rows of every part file of `dataset`, by day (`YYYY-MM-DD` or `unknown`), in file order.
fn read_dataset(dataset: &Path) -> BTreeMap<String, Vec<Row>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dataset).expect("dataset directory") {
        let dir = entry.expect("entry").path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let day = name.strip_prefix("day=").unwrap_or_else(|| panic!("not a Hive partition: {name}")).to_string();
        let mut parts: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        parts.sort();
        let rows: &mut Vec<Row> = out.entry(day).or_default();
        for part in parts {
            let file_name = part.file_name().unwrap().to_string_lossy().into_owned();
            assert!(file_name.starts_with("part-") && file_name.ends_with(".parquet"), "{file_name}");
            let reader = SerializedFileReader::new(File::open(&part).unwrap()).expect("a Parquet file");
            rows.extend(reader.get_row_iter(None).unwrap().map(|r| r.expect("row")));
        }
    }
    out
}

fn day_of(m: &Value) -> String {
    m["received"].as_str().map_or("unknown".to_string(), |s| s[..10].to_string())
}

fn column(row: &Row, name: &str) -> Field {
    row.get_column_iter().find(|(n, _)| n.as_str() == name).map(|(_, f)| f.clone()).expect(name)
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn dma_and_tag_block_files_read_back_with_the_parquet_crate() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ais");
    let dma = data("dma_aislib_stream_example.txt");
    let tagged = data("libais_tagblock.nmea");
    let files = [dma.to_str().unwrap(), tagged.to_str().unwrap()];

    let mut args = vec!["--json", "ais", "decode", "--stats", "--parquet", dir.to_str().unwrap()];
    args.extend(files);
    let summary: Value = serde_json::from_slice(&ok(tessera(&args, "")).stdout).expect("JSON summary");
    let mut args = vec!["ais", "decode", "--quiet", "--format", "jsonl"];
    args.extend(files);
    let jsonl = ok(tessera(&args, ""));
    let messages: Vec<Value> =
        String::from_utf8(jsonl.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();

    let of_types = |types: &[u64]| -> BTreeMap<String, Vec<&Value>> {
        let mut by_day: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
        for m in messages.iter().filter(|m| types.contains(&m["msg_type"].as_u64().unwrap())) {
            by_day.entry(day_of(m)).or_default().push(m);
        }
        by_day
    };
    let positions = of_types(&POSITION_TYPES);
    let statics = of_types(&STATIC_TYPES);
    // The DMA file is one day (with $PGHP), the tag-block file another.
    assert_eq!(positions.keys().collect::<Vec<_>>(), ["2010-06-11", "2014-12-10"]);
    assert_eq!(positions["2014-12-10"].len(), 3);
    // All position reports the decoder counted, by type, are in the JSON Lines.
    let by_type = |types: &[u64]| types.iter().filter_map(|t| summary["by_type"][t.to_string()].as_u64()).sum::<u64>();
    assert_eq!(positions.values().map(Vec::len).sum::<usize>() as u64, by_type(&POSITION_TYPES));
    assert_eq!(by_type(&POSITION_TYPES), 2514 + 7 + 369 + 101);
    assert_eq!(summary["parquet"]["positions"]["rows"].as_u64(), Some(by_type(&POSITION_TYPES)));
    assert_eq!(summary["parquet"]["static"]["rows"].as_u64(), Some(by_type(&STATIC_TYPES)));

    let pos_rows = read_dataset(&dir.join("positions"));
    let static_rows = read_dataset(&dir.join("static"));
    let counts = |m: &BTreeMap<String, Vec<Row>>| m.iter().map(|(d, r)| (d.clone(), r.len())).collect::<Vec<_>>();
    let expected = |m: &BTreeMap<String, Vec<&Value>>| m.iter().map(|(d, r)| (d.clone(), r.len())).collect::<Vec<_>>();
    assert_eq!(counts(&pos_rows), expected(&positions));
    assert_eq!(counts(&static_rows), expected(&statics));
    // The summary reports the same counts.
    for (dataset, rows) in [("positions", &pos_rows), ("static", &static_rows)] {
        for (day, r) in rows {
            assert_eq!(summary["parquet"][dataset]["days"][day].as_u64(), Some(r.len() as u64), "{dataset} {day}");
        }
    }

    // Every position row equals its message, in order (JSON has 7 decimals of a degree).
    for (day, msgs) in &positions {
        for (row, m) in pos_rows[day].iter().zip(msgs) {
            assert_eq!(Some(row.get_timestamp_millis(0).unwrap()), m["received"].as_str().map(iso_ms), "{m}");
            assert_eq!(u64::from(row.get_uint(1).unwrap()), m["mmsi"].as_u64().unwrap());
            assert_eq!(row.get_int(2).unwrap() as u64, m["msg_type"].as_u64().unwrap());
            for (col, key, tolerance) in [("lat", "lat", 1e-7_f64), ("lon", "lon", 1e-7), ("sog", "speed", 1e-4)] {
                match (column(row, col), m[key].as_f64()) {
                    (Field::Null, None) => {}
                    (Field::Double(a), Some(b)) => assert!(close(a, b, tolerance), "{col} {a} {m}"),
                    (Field::Float(a), Some(b)) => assert!(close(f64::from(a), b, tolerance), "{col} {a} {m}"),
                    (f, v) => panic!("{col}: {f:?} against {v:?} in {m}"),
                }
            }
            match (column(row, "heading"), m["heading"].as_i64()) {
                (Field::Null, None) => {}
                (Field::Int(a), Some(b)) => assert_eq!(i64::from(a), b),
                (f, v) => panic!("heading: {f:?} against {v:?} in {m}"),
            }
            let channel = m["channel"].as_str().map(|c| Field::Str(c.to_string())).unwrap_or(Field::Null);
            assert_eq!(column(row, "channel"), channel);
        }
    }
    // Tag-block source and time: the first type 1 of libais_tagblock.nmea.
    let first = &pos_rows["2014-12-10"][0];
    assert_eq!(column(first, "source"), Field::Str("rORBCOMM104".into()));
    assert_eq!(first.get_timestamp_millis(0).unwrap(), 1_418_172_113_000);

    // Static rows: name, call sign, IMO and destination of every type 5.
    for (day, msgs) in &statics {
        for (row, m) in static_rows[day].iter().zip(msgs) {
            assert_eq!(u64::from(row.get_uint(1).unwrap()), m["mmsi"].as_u64().unwrap());
            let text = |key: &str| match m[key].as_str() {
                Some(s) if !s.is_empty() => Field::Str(s.to_string()),
                _ => Field::Null,
            };
            assert_eq!(column(row, "name"), text("shipname"), "{m}");
            if m["msg_type"] == 5 {
                assert_eq!(column(row, "callsign"), text("callsign"), "{m}");
                assert_eq!(column(row, "destination"), text("destination"), "{m}");
                let imo = m["imo"].as_u64().map_or(Field::Null, |v| Field::UInt(v as u32));
                assert_eq!(column(row, "imo"), imo, "{m}");
            }
        }
    }

    // No overwrite without --force; the error names the dataset.
    let mut args = vec!["ais", "decode", "--quiet", "--parquet", dir.to_str().unwrap()];
    args.extend(files);
    let refused = tessera(&args, "");
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains(&dir.join("positions").display().to_string()) && err.contains("--force"), "{err}");
    args.push("--force");
    ok(tessera(&args, ""));
    assert_eq!(counts(&read_dataset(&dir.join("positions"))), expected(&positions));
}

#[test]
fn messages_without_a_time_go_to_day_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let input = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n\
                 $PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B\n\
                 !AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n";
    let out = ok(tessera(&["ais", "decode", "--parquet", dir.to_str().unwrap()], input));
    // With --parquet and no --out, no messages on standard output.
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("positions 2 rows in 2 files (2010-06-11:1 unknown:1)"), "{stderr}");
    let rows = read_dataset(&dir.join("positions"));
    assert_eq!(rows.keys().collect::<Vec<_>>(), ["2010-06-11", "unknown"]);
    assert_eq!(column(&rows["unknown"][0], "time"), Field::Null);
    assert_eq!(rows["2010-06-11"][0].get_timestamp_millis(0).unwrap(), 1_276_256_771_390);
    // An empty static dataset is still a directory.
    assert!(read_dataset(&dir.join("static")).is_empty());
    // --out still gets the messages; the dataset is written again with --force.
    let jsonl = tmp.path().join("messages.jsonl");
    let args = ["ais", "decode", "-q", "--parquet", dir.to_str().unwrap(), "--force", "--out", jsonl.to_str().unwrap()];
    ok(tessera(&args, input));
    assert_eq!(std::fs::read_to_string(&jsonl).unwrap().lines().count(), 2);
    assert_eq!(read_dataset(&dir.join("positions")).values().map(Vec::len).sum::<usize>(), 2);
}
