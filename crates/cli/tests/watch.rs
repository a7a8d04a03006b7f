//! End-to-end tests of `tessera watch` through the real binary: the demo's
//! watchlist (suspect vessels linked to their entities and groups, hidden
//! from partner liaison officers, alerts for each behaviour of the scenario's
//! AIS log, nothing added by a second run), and a watchlist built by hand:
//! watches, an area, a scan of standard input, an alert with its evidence,
//! acknowledgement, audit, and bad input refused with the file, field or line.

mod common;
use std::io::Write;
use std::process::{Command, Stdio};

use common::{json, ok, tessera};

fn kinds(alerts: &serde_json::Value) -> Vec<String> {
    alerts["alerts"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_demo_watches_the_scenarios_suspects_and_hides_them_from_partners() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    ok(data, &["demo", "--no-serve", "--reports", "400", "--seed", "8"]);
    assert!(data.join("demo-ais-8-400.nmea").is_file() && data.join("demo-areas.geojson").is_file());

    let watches = json(data, &["watch", "list", "--as", "analyst.nca"]);
    let watches = watches.as_array().unwrap();
    assert_eq!(watches.len(), 4, "{watches:?}");
    for w in watches {
        assert_eq!(
            (w["owner"].as_str(), w["classification"].as_str(), w["handling"].as_str()),
            (Some("NCA"), Some("OFFICIAL-SENSITIVE"), Some("C"))
        );
        assert_eq!(w["added_by"], "analyst.nca");
        assert!(w["group"]["caption"].is_string(), "linked to its group: {w}");
        assert!(w["name"].is_string() && w["last_position"]["time"].is_i64(), "{w}");
    }
    // A watch is linked to its vessel entity whenever the scenario's reports name the vessel's MMSI.
    let vessels = tessera_scenario::channel_vessels(&tessera_scenario::ScenarioConfig { seed: 8, reports: 400 });
    let mut linked = 0;
    for w in watches {
        let v = vessels.iter().find(|v| w["mmsi"].as_u64() == Some(u64::from(v.mmsi))).expect("a scenario vessel");
        assert_eq!(w["vessel"]["id"].is_string(), v.in_reports, "{w}");
        linked += usize::from(v.in_reports);
    }
    assert!(linked >= 2, "{linked} watches linked to their vessel entity");
    let alerts = json(data, &["watch", "alerts", "--as", "analyst.nca", "--limit", "1000"]);
    let found = kinds(&alerts);
    for kind in ["gap", "encounter", "loitering", "short_stop", "area_entry"] {
        assert!(found.iter().any(|k| k == kind), "{kind} in {found:?}");
    }
    let total = alerts["total"].as_u64().unwrap();

    // One alert with its evidence, as text and JSON.
    let gap = alerts["alerts"].as_array().unwrap().iter().find(|a| a["kind"] == "gap").unwrap();
    let id = gap["id"].as_i64().unwrap().to_string();
    let one = json(data, &["watch", "alert", &id, "--as", "analyst.nca"]);
    assert!(one["evidence"].as_array().unwrap().len() > 30, "{one}");
    let text = ok(data, &["watch", "alert", &id, "--as", "analyst.nca"]);
    assert!(text.contains("gap") && text.contains("evidence:"), "{text}");

    // A partner liaison officer sees no watch, no alert, and cannot read one by id; the areas are geography.
    assert_eq!(json(data, &["watch", "list", "--as", "liaison.fr"]), serde_json::json!([]));
    assert_eq!(json(data, &["watch", "alerts", "--as", "liaison.fr"])["total"], 0);
    let out = tessera(data, &["watch", "alert", &id, "--as", "liaison.fr"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("no alert {id}")));
    assert_eq!(json(data, &["watch", "areas", "--as", "liaison.fr"]).as_array().unwrap().len(), 2);
    // Nor does a partner's upload of the same log tell it anything.
    let log = data.join("demo-ais-8-400.nmea");
    let receipt = json(data, &["watch", "scan", log.to_str().unwrap(), "--as", "liaison.fr"]);
    assert_eq!((receipt["alerts_raised"].as_u64(), receipt["watched_positions"].as_u64()), (Some(0), Some(0)));
    assert!(receipt["positions"].as_u64().unwrap() > 1000);

    // The demo again adds nothing.
    ok(data, &["demo", "--no-serve", "--reports", "400", "--seed", "8"]);
    assert_eq!(json(data, &["watch", "list"]).as_array().unwrap().len(), 4);
    assert_eq!(json(data, &["watch", "alerts", "--limit", "1000"])["total"].as_u64(), Some(total));

    // Every read and scan is on the record.
    for action in
        ["watch_add", "area_add", "watch_scan", "watch_scan_receipt", "read_watchlist", "read_alerts", "read_alert"]
    {
        let audit = ok(data, &["audit", "list", "--action", action]);
        assert!(audit.lines().count() >= 1 && audit.contains(action), "{action}: {audit}");
    }
    let partner_reads = ok(data, &["audit", "list", "--action", "read_alerts", "--user", "liaison.fr"]);
    assert!(partner_reads.contains("liaison.fr"), "{partner_reads}");
}

fn scan_stdin(data: &std::path::Path, input: &str) -> serde_json::Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("--data")
        .arg(data)
        .args(["--json", "watch", "scan", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tessera");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sentence(mmsi: u32, seconds: i64, lat: f64, lon: f64, sog: f64) -> String {
    tessera_scenario::ais::position_sentence(&tessera_scenario::ais::AisPosition {
        msg_type: 1,
        mmsi,
        time: tessera_scenario::LOG_START + seconds,
        lat,
        lon,
        sog: Some(sog),
        cog: Some(90.0),
        heading: None,
    })
}

#[test]
fn a_watchlist_by_hand_scans_standard_input_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    ok(data, &["init"]);
    let added = json(
        data,
        &[
            "watch",
            "add",
            "--mmsi",
            "227000123",
            "--reason",
            "Seen at launches",
            "--owner",
            "NCA",
            "--compartment",
            "OP-TIDEWAY",
        ],
    );
    assert_eq!((added["mmsi"].as_u64(), added["flag"].as_str()), (Some(227_000_123), Some("FR")));
    assert!(added["banner"].as_str().unwrap().contains("OP-TIDEWAY"));
    let area = data.join("coast.geojson");
    std::fs::write(
        &area,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
        "coordinates":[[[2.05,50.99],[2.45,50.99],[2.45,51.10],[2.05,51.10],[2.05,50.99]]]}}]}"#,
    )
    .unwrap();
    let text = ok(
        data,
        &["watch", "area", "add", "Gravelines coast", area.to_str().unwrap(), "--handling", "P", "--owner", "NCA"],
    );
    assert!(text.contains("Gravelines coast"), "{text}");
    assert!(ok(data, &["watch", "areas"]).contains("Gravelines coast"));

    // Transit, a ten-minute stop inside the watched coast, transit again: a launch.
    let mut lines = Vec::new();
    for m in 0..=90 {
        let (lon, sog) = match m {
            0..=39 => (2.10 + m as f64 * 0.004, 9.0),
            40..=50 => (2.26, 0.0),
            _ => (2.26 + (m - 50) as f64 * 0.004, 9.0),
        };
        lines.push(sentence(227_000_123, m * 60, 51.03, lon, sog));
    }
    let receipt = scan_stdin(data, &(lines.join("\n") + "\n"));
    assert_eq!(receipt["watched_positions"], 91, "{receipt}");
    assert!(receipt["alerts_raised"].as_u64().unwrap() >= 2, "{receipt}");
    let alerts = json(data, &["watch", "alerts", "--kind", "short_stop"]);
    assert_eq!(alerts["total"], 1, "{alerts}");
    let alert = &alerts["alerts"][0];
    assert_eq!(alert["details"]["area"], "Gravelines coast");
    let id = alert["id"].as_i64().unwrap().to_string();
    let full = json(data, &["watch", "alert", &id]);
    assert_eq!(full["evidence"].as_array().unwrap().len(), 91);
    assert_eq!(json(data, &["watch", "ack", &id])["status"], "acknowledged");
    assert_eq!(json(data, &["watch", "alerts", "--status", "acknowledged"])["total"], 1);
    assert!(ok(data, &["watch", "list"]).contains("watch 1  MMSI 227000123 FR"));
    // Rescanning adds nothing.
    let again = scan_stdin(data, &(lines.join("\n") + "\n"));
    assert_eq!((again["alerts_raised"].as_u64(), again["watched_positions"].as_u64()), (Some(0), Some(0)));

    // Bad input: each error names what is wrong and where.
    let fails = |args: &[&str], needle: &str| {
        let out = tessera(data, args);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success() && err.contains(needle), "{args:?}: {err}");
    };
    fails(&["watch", "add", "--mmsi", "12345", "--reason", "x"], "--mmsi");
    fails(
        &["watch", "add", "--mmsi", "227000124", "--reason", "x", "--classification", "VERY SECRET"],
        "--classification",
    );
    fails(&["watch", "add", "--mmsi", "227000124", "--reason", "x", "--handling", "Q"], "--handling");
    fails(
        &["watch", "add", "--mmsi", "227000124", "--reason", "x", "--vessel", "NCA:V-404", "--owner", "NCA"],
        "vessel",
    );
    let broken = data.join("broken.geojson");
    std::fs::write(&broken, "{\n  \"type\": \"Feature\",\n  oops\n}").unwrap();
    fails(&["watch", "area", "add", "X", broken.to_str().unwrap()], "line 3");
    let ring = data.join("ring.geojson");
    std::fs::write(&ring, r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[2,51],[3,51],[2,51]]]}}"#)
        .unwrap();
    fails(&["watch", "area", "add", "Short ring", ring.to_str().unwrap(), "--owner", "NCA"], "ring.geojson");
    fails(&["watch", "scan", "/nonexistent/feed.nmea"], "/nonexistent/feed.nmea");
    fails(&["watch", "alert", "999"], "no alert 999");
    fails(&["watch", "alerts", "--status", "closed"], "status");
}

#[test]
fn a_live_tcp_feed_raises_alerts_while_it_is_still_open() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    ok(data, &["init"]);
    json(data, &["watch", "add", "--mmsi", "227000456", "--reason", "Goes dark before launches", "--owner", "NCA"]);

    // A receiver on a local port: the watched vessel transits, goes dark for 7 hours and
    // reappears; then another vessel keeps the feed alive, and the feed stays open.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let feeder = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let t0 = 0;
        for m in 0..60 {
            socket
                .write_all(
                    format!("{}\n", sentence(227_000_456, t0 + m * 60, 51.0, 2.0 + m as f64 * 0.002, 6.0)).as_bytes(),
                )
                .unwrap();
        }
        let back = t0 + 3600 + 7 * 3600;
        for m in 0..60 {
            socket
                .write_all(
                    format!("{}\n", sentence(227_000_456, back + m * 60, 51.0, 2.3 + m as f64 * 0.002, 6.0)).as_bytes(),
                )
                .unwrap();
        }
        let mut t = back + 3600;
        while stop_rx.try_recv().is_err() {
            t += 10;
            if socket.write_all(format!("{}\n", sentence(235_000_001, t, 50.9, 1.5, 6.0)).as_bytes()).is_err() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    });

    let mut scan = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["--data", data.to_str().unwrap(), "--json", "watch", "scan", "--tcp", &address])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The gap alert reaches the store while the feed is still open.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let alerts = loop {
        let alerts = json(data, &["watch", "alerts", "--kind", "gap"]);
        if alerts["total"].as_u64() == Some(1) {
            break alerts;
        }
        assert!(std::time::Instant::now() < deadline, "no gap alert while the feed runs: {alerts}");
        assert!(scan.try_wait().unwrap().is_none(), "the scan ended before the feed closed");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(scan.try_wait().unwrap().is_none(), "the feed is still open");
    let hours = alerts["alerts"][0]["details"]["hours"].as_f64().unwrap();
    assert!((hours - 7.0).abs() < 0.05, "{alerts}");

    // Closing the feed ends the scan with its receipt.
    stop_tx.send(()).unwrap();
    feeder.join().unwrap();
    let out = scan.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let receipt: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(receipt["alerts_raised"], 1, "{receipt}");
    assert!(receipt["positions"].as_u64().unwrap() > 120, "{receipt}");

    // A feed that refuses the connection is named.
    let refused = tessera(data, &["watch", "scan", "--tcp", "127.0.0.1:9"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("tcp://127.0.0.1:9"));
}
