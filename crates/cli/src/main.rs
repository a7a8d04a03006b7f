//! The `tessera` binary: glue between the command line and the libraries.
//! Commands work on the data directory directly and so act as its local
//! operator (whoever can read the files); `serve` asks users to log in as soon
//! as the directory has users. Every read, search, export and change is audited.

mod ais;
mod ais_events;
mod ais_parquet;
mod ais_tracks;
mod args;
mod commands;
mod deconfliction;
mod entities;
mod feed;
mod graph;
mod groups;
mod import;
mod network;
mod output;
mod picture;
mod plan;
mod progress;
mod render;
mod resolve;
mod review;
mod watch;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
