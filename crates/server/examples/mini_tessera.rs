//! A stand-in for the `tessera` CLI with just the commands the browser test
//! uses, so the web UI can be tried (and `e2e/` run with
//! `TESSERA_BIN=target/debug/examples/mini_tessera`) without the CLI:
//!
//! ```text
//! mini_tessera --data DIR init
//! mini_tessera --data DIR ingest FILE.jsonl
//! mini_tessera --data DIR serve --addr 127.0.0.1:8080
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use tessera_access::Viewer;
use tessera_store::SqliteStore;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let usage = "usage: mini_tessera --data DIR (init | ingest FILE | serve --addr ADDR)";
    let [flag, data, command, rest @ ..] = args.as_slice() else { return Err(usage.into()) };
    if flag != "--data" {
        return Err(usage.into());
    }
    let data = PathBuf::from(data);
    match (command.as_str(), rest) {
        ("init", []) => SqliteStore::init(&data).map(|_| ()).map_err(|e| e.to_string()),
        ("ingest", [file]) => {
            let mut store = SqliteStore::open(&data).map_err(|e| e.to_string())?;
            let summary = tessera_ingest::ingest_file(&mut store, file.as_ref(), None, &mut tessera_ingest::Silent)
                .map_err(|e| e.to_string())?;
            println!("{} reports, {} statements", summary.reports, summary.statements);
            Ok(())
        }
        ("serve", [flag, addr]) if flag == "--addr" => {
            let addr: SocketAddr = addr.parse().map_err(|e| format!("bad address {addr}: {e}"))?;
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let state =
                    tessera_server::AppState::new(&data, Viewer::local_operator()).map_err(|e| e.to_string())?;
                // Bind first, then announce: the URL is printed only once it answers.
                let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| e.to_string())?;
                let bound = listener.local_addr().map_err(|e| e.to_string())?;
                println!("Tessera is serving on http://{bound}/ (Ctrl-C to stop)");
                tessera_server::serve_on(listener, state).await.map_err(|e| e.to_string())
            })
        }
        _ => Err(usage.into()),
    }
}
