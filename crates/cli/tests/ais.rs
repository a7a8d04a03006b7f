//! End-to-end tests of `tessera ais decode` through the real binary: JSON
//! Lines and CSV output, standard input, several files, the summary with
//! problems counted by reason, and `--stats`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const SAMPLE: &str = "\
# a comment line\n\
!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n\
$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B\n\
!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C\n\
\\s:rORBCOMM104,q:u,c:1418172113*31\\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78\n\
!AIVDM,2,2,1,A,88888888880,2*25\n\
!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B\n\
!AIVDM,1,1,,B,91b55wi;hbOS@OdQAC062Ch2089h,0*30\n\
!AIVDM,1,1,1,,13aI8e?P00PGpU:NR6s00?vT2000,0,0*1C\n";

fn tessera(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tessera");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.unwrap_or("").as_bytes()).expect("write stdin");
    drop(input);
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "tessera {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn decodes_standard_input_to_json_lines_with_a_summary() {
    let out = tessera(&["ais", "decode"], Some(SAMPLE));
    let msgs = lines(&out);
    // Five messages: the bad-checksum copy is refused and counted.
    assert_eq!(msgs.len(), 5);
    let first = &msgs[0];
    assert_eq!(first["msg_type"], 1);
    assert_eq!(first["mmsi"], 371798000);
    assert_eq!(first["speed"], 12.3);
    assert_eq!(first["course"], 224.0);
    assert_eq!(first["heading"], 215);
    assert_eq!(first["lat"].as_f64().map(|v| (v * 1e6).round()), Some(48381633.0));
    assert_eq!(first["channel"], "A");
    assert_eq!(first["received"], serde_json::Value::Null);
    // The tag block's source and time; then the multi-part type 5 with the $PGHP time.
    assert_eq!(msgs[1]["source"], "rORBCOMM104");
    assert_eq!(msgs[1]["received"], "2014-12-10T00:41:53Z");
    assert_eq!(msgs[2]["msg_type"], 5);
    assert_eq!(msgs[2]["shipname"], "EVER DIADEM");
    assert_eq!(msgs[2]["destination"], "NEW YORK");
    assert_eq!(msgs[2]["received"], "2010-06-11T11:46:11.390Z");
    // Type 9 (SAR aircraft) and the GoFree line with its extra field and empty channel.
    assert_eq!(msgs[3]["msg_type"], 9);
    assert_eq!(msgs[4]["channel"], serde_json::Value::Null);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("AIS sentences 7"), "{summary}");
    assert!(summary.contains("messages 5"), "{summary}");
    assert!(summary.contains("checksum: 1"), "{summary}");
}

#[test]
fn stats_only_as_json_and_files_with_dash_for_standard_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("feed.nmea");
    std::fs::write(&file, SAMPLE).expect("write");
    let file = file.to_str().unwrap();
    let out = tessera(&["--json", "ais", "decode", "--stats", file, "-"], Some(SAMPLE));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(s["messages"], 10);
    assert_eq!(s["sentences"], 14);
    assert_eq!(s["errors"]["checksum"], 2);
    assert_eq!(s["timestamps"], 2);
    assert_eq!(s["by_type"]["5"], 2);
    // Without verification the corrupted sentence is decoded too.
    let out = tessera(&["--json", "ais", "decode", "--stats", "--no-verify-checksum", file], None);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(s["messages"], 6);
}

#[test]
fn csv_has_fixed_columns_and_writes_to_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_path = dir.path().join("out.csv");
    tessera(&["ais", "decode", "--format", "csv", "--quiet", "--out", out_path.to_str().unwrap(), "-"], Some(SAMPLE));
    let text = std::fs::read_to_string(&out_path).expect("csv written");
    let mut rows = text.lines();
    let header: Vec<&str> = rows.next().expect("header").split(',').collect();
    assert_eq!(&header[..6], ["received", "source", "channel", "msg_type", "repeat", "mmsi"]);
    let rows: Vec<Vec<&str>> = rows.map(|r| r.split(',').collect()).collect();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(rows[0][col("mmsi")], "371798000");
    assert_eq!(rows[0][col("speed")], "12.3");
    assert_eq!(rows[2][col("shipname")], "EVER DIADEM");
    assert_eq!(rows[2][col("imo")], "9134270");
}
