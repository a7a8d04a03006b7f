//! The `tessera` binary: glue between the command line and the libraries.
//! Every command acts as the local operator of the data directory (users and
//! login come with the access issue); every read and search is audited.

mod args;
mod commands;
mod progress;
mod render;

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
