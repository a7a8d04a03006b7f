//! `tessera deconfliction`: an agency's inbox of hit / no-hit deconflictions
//! (who searched for what its holdings matched) and its per-compartment opt-outs.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Subcommand;
use tessera_access::Viewer;
use tessera_store::{AuditEvent, SqliteStore, Store};

/// Deconfliction subcommands.
#[derive(Debug, Subcommand)]
pub enum DeconflictionCommand {
    /// Who searched for something an agency holds and could not see it, newest first.
    Inbox {
        /// The owning agency.
        #[arg(long)]
        agency: String,
    },
    /// Switch deconfliction off for one of an agency's compartments (hits resting on it then say nothing).
    OptOut {
        /// The owning agency.
        #[arg(long)]
        agency: String,
        /// The compartment.
        #[arg(long)]
        compartment: String,
        /// Switch it back on instead.
        #[arg(long)]
        undo: bool,
    },
}

/// Runs a deconfliction subcommand; every use is audited.
pub fn run(data: &std::path::Path, command: DeconflictionCommand, json: bool, viewer: &Viewer) -> Result<ExitCode> {
    let store = SqliteStore::open(data)?;
    match command {
        DeconflictionCommand::Inbox { agency } => {
            store.audit(viewer, &AuditEvent::new("read_deconflictions", agency.clone()))?;
            let inbox = store.deconflictions_for(&agency, viewer)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&inbox)?);
            } else {
                for d in &inbox {
                    println!(
                        "{} {} {} ({}) searched {:?}; matched {}",
                        d.reference,
                        d.at,
                        d.asker_user,
                        d.asker_agency,
                        d.query,
                        d.report_ids.join(", ")
                    );
                }
                println!("{} deconfliction(s) for {agency}", inbox.len());
            }
        }
        DeconflictionCommand::OptOut { agency, compartment, undo } => {
            if !tessera_access::valid_compartment(&compartment) {
                bail!("{compartment:?} is not a compartment name");
            }
            store.set_deconfliction_opt_out(&agency, &compartment, !undo)?;
            let action = if undo { "deconfliction_opt_in" } else { "deconfliction_opt_out" };
            store.audit(viewer, &AuditEvent::new(action, format!("{agency} {compartment}")))?;
            if !json {
                let state = if undo { "on" } else { "off" };
                println!("deconfliction is {state} for {agency}'s compartment {compartment}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
