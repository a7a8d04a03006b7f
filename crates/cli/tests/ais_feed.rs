//! `--tcp HOST:PORT` of `tessera ais decode | tracks | events`: a
//! `TcpListener` on 127.0.0.1 serves the lines of a real file in small
//! writes and closes; each command's output must equal its output on the
//! file. A refused connection is an error naming the address.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread::JoinHandle;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais").join(name)
}

fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera")).args(args).stdin(Stdio::null()).output().expect("run tessera")
}

/// Serves `bytes` to the first client, a few lines per write, then closes.
fn serve(bytes: Vec<u8>) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address").to_string();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        for chunk in bytes.chunks(1000) {
            stream.write_all(chunk).expect("send");
        }
    });
    (address, server)
}

fn same_over_tcp(command: &[&str], file: &Path) {
    let path = file.display().to_string();
    let mut args = command.to_vec();
    args.push(&path);
    let from_file = tessera(&args);
    assert!(from_file.status.success(), "{}", String::from_utf8_lossy(&from_file.stderr));
    assert!(!from_file.stdout.is_empty(), "{command:?} wrote nothing");

    let (address, server) = serve(std::fs::read(file).expect("read data"));
    let mut args = command.to_vec();
    args.extend(["--tcp", &address]);
    let from_feed = tessera(&args);
    server.join().expect("server");
    assert!(from_feed.status.success(), "{}", String::from_utf8_lossy(&from_feed.stderr));
    assert!(from_file.stdout == from_feed.stdout, "{command:?}: output over TCP differs from the file's");
}

#[test]
fn decode_over_tcp_equals_the_file() {
    same_over_tcp(&["ais", "decode", "--quiet"], &data("dma_aislib_stream_example.txt"));
}

#[test]
fn tracks_over_tcp_equal_the_file() {
    same_over_tcp(&["ais", "tracks", "--quiet"], &data("dma_aislib_stream_example.txt"));
    same_over_tcp(&["ais", "tracks", "--quiet", "--summary"], &data("gfw_gpsdio_segment/416000000.json"));
}

#[test]
fn events_over_tcp_equal_the_file() {
    same_over_tcp(&["ais", "events", "--quiet"], &data("gfw_gpsdio_segment/416000000.json"));
}

#[test]
fn a_refused_connection_names_the_address() {
    // A port that was free a moment ago: bind it, note it, close it.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let address = format!("127.0.0.1:{port}");
    for command in ["decode", "tracks", "events"] {
        let out = tessera(&["ais", command, "--tcp", &address]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("connecting to AIS feed tcp://{address}")), "{command}: {err}");
    }
}
