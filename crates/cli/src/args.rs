//! The command line, as clap parses it.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Tessera: intelligence fusion and disruption for the teams that fight organised immigration crime.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, about, long_about = None)]
pub struct Cli {
    /// Data directory of the store.
    #[arg(long, global = true, env = "TESSERA_DATA", default_value = "./tessera-data")]
    pub data: PathBuf,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Folder of the FRONTEX monthly detections CSVs, shown beside the intelligence on the dashboard and
    /// in the threat assessment (served without them when the folder is missing).
    #[arg(long, global = true, env = "TESSERA_FRONTEX", default_value = "../shared/data/frontex")]
    pub frontex: PathBuf,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the store in the data directory (safe to repeat).
    Init,
    /// Ingest intelligence reports: JSON Lines, or CSV with a mapping file. Each file lands whole or not at all.
    Ingest {
        /// Files to ingest (.jsonl, or .csv with --mapping).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Column-mapping file for CSV input (see docs/csv-mapping.md).
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Do not show a progress bar.
        #[arg(long)]
        quiet: bool,
        /// Do not re-resolve entities afterwards (by default an incremental resolution run follows a successful
        /// ingest, so the new reports join their clusters and possible matches reach the review queue).
        #[arg(long)]
        no_resolve: bool,
    },
    /// Search names (with transliteration variants and typos), identifiers (normalised) and report text.
    Search {
        /// A name, an identifier (phone, IBAN, passport, IMO, MMSI, e-mail, plate, handle, crypto address) or words.
        query: String,
        /// Only entities of this kind (Person, Organization, Phone, Vessel, ...).
        #[arg(long)]
        kind: Vec<String>,
        /// Results per section.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Results to skip.
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Show every statement about an entity, with its provenance.
    Show {
        /// Entity id, e.g. "NCA:P-000123" or "phone:+447700900123".
        entity_id: String,
    },
    /// Show a report: header, grading, markings, text and its statements.
    Report {
        /// Report reference.
        report_id: String,
    },
    /// Serve the HTTP API and the web UI.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Manage the users who may log in to the server (once any exists, the server requires login).
    User {
        /// What to do with users.
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage the agencies users belong to (UK agencies of the hub, and partners abroad).
    Agency {
        /// What to do with agencies.
        #[command(subcommand)]
        command: AgencyCommand,
    },
    /// Read and check the tamper-evident audit log.
    Audit {
        /// What to do with the log.
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Entity resolution on CSV files: dedupe one file or link two, writing scored pairs (with their evidence) and clusters.
    Resolve(crate::resolve::ResolveArgs),
    /// Network analysis on edge-list or matrix files: communities, centrality, paths, key-player removal.
    Graph {
        /// What to compute.
        #[command(subcommand)]
        command: crate::graph::GraphCommand,
    },
    /// AIS: decode NMEA 0183 AIVDM/AIVDO feeds and files (standard input when no file is given).
    Ais {
        /// What to do.
        #[command(subcommand)]
        command: crate::ais::AisCommand,
    },
    /// The threat picture's external context: FRONTEX detections by route (trend, seasonality, change points,
    /// shifts between routes, nationality mix).
    Picture {
        /// What to show.
        #[command(subcommand)]
        command: crate::picture::PictureCommand,
    },
    /// The network of resolved entities as you may see it: around seeds or whole, an edge's statements, paths.
    Network {
        /// What to do.
        #[command(subcommand)]
        command: crate::network::NetworkCommand,
    },
    /// The organised crime group board: groups ranked by priority (harm, capability, intent), each score explained.
    Groups(crate::groups::GroupsArgs),
    /// The watchlist of suspect vessels: watches, watched areas, AIS scans and alerts.
    Watch(crate::watch::WatchArgs),
    /// The Strategic Action Plan: stream leads, actions with owners, dates and status, and plan-file import.
    Plan {
        /// What to do.
        #[command(subcommand)]
        command: crate::plan::PlanCommand,
    },
    /// The sufficiency and impact review: coverage of threats and groups by the plan's actions, the impact
    /// that followed each disruption, revenue against assets denied; as text, JSON, CSV, HTML or PDF.
    Review(crate::review::ReviewArgs),
    /// The disruption log: arrests, charges, convictions, seizures, orders and takedowns with their impact.
    Disruptions {
        /// What to do.
        #[command(subcommand)]
        command: crate::plan::DisruptionCommand,
    },
    /// Import a partner's FollowTheMoney export (as Aleph writes it) as one graded, marked report.
    Import(crate::import::ImportArgs),
    /// Hit / no-hit deconfliction: an agency's inbox of who searched its holdings, and its opt-outs.
    Deconfliction {
        /// What to do.
        #[command(subcommand)]
        command: crate::deconfliction::DeconflictionCommand,
    },
    /// Entity resolution over the store: resolve, review possible matches, and rule on them.
    Entities {
        /// What to do.
        #[command(subcommand)]
        command: crate::entities::EntitiesCommand,
    },
    /// Generate the synthetic demo scenario, load it into the store, and serve it.
    Demo {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Number of reports to generate.
        #[arg(long, default_value_t = 2400)]
        reports: usize,
        /// Seed of the generator (the same seed gives the same scenario).
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Load the scenario but do not serve it.
        #[arg(long)]
        no_serve: bool,
        /// Write the scenario's JSON Lines to this file as well.
        #[arg(long)]
        write: Option<PathBuf>,
        /// Only generate (with --write): do not load or serve.
        #[arg(long, requires = "write")]
        no_load: bool,
    },
    /// Export what may leave for a recipient agency (FtM for Aleph, STIX 2.1 for OpenCTI/MISP, or CSV),
    /// sanitised, and record the dissemination and audit it.
    Export {
        /// Output format: ftm, stix or csv.
        #[arg(long)]
        format: String,
        /// The recipient agency's code, e.g. EUROPOL.
        #[arg(long)]
        to: String,
        /// The recipient is a UK agency of the hub (receives UK EYES ONLY material).
        #[arg(long)]
        national: bool,
        /// Highest classification the recipient may receive.
        #[arg(long, default_value = "OFFICIAL-SENSITIVE")]
        clearance: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// User subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from the first line of standard input.
    Add {
        /// Login name (A-Z a-z 0-9 . _ - @).
        name: String,
        /// Code of the user's agency (see `tessera agency list`).
        #[arg(long)]
        agency: String,
        /// analyst, investigator, debriefing_officer, stream_lead, partner_liaison, auditor or administrator.
        #[arg(long)]
        role: String,
        /// Highest classification the user may see (OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET).
        #[arg(long)]
        clearance: String,
        /// A compartment the user is read into (repeat for several).
        #[arg(long = "compartment")]
        compartments: Vec<String>,
        /// Read the password from standard input (at least 12 characters).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List users (never their password hashes).
    List,
    /// Disable a user: no more logins, and every open session ends.
    Disable {
        /// Login name.
        name: String,
    },
    /// Set a user's password (read from standard input); ends the user's sessions and clears a lock-out.
    Passwd {
        /// Login name.
        name: String,
        /// Read the password from standard input (at least 12 characters).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

/// Agency subcommands.
#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// Add an agency.
    Add {
        /// Short code, as reports name the agency (e.g. NCA, EUROPOL).
        code: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// ISO 3166-1 country code (e.g. GB, FR).
        #[arg(long)]
        country: String,
        /// A partner agency abroad rather than a UK agency of the hub (sees only code P material and its own).
        #[arg(long)]
        partner: bool,
    },
    /// List agencies.
    List,
}

/// Audit subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every record of the chain; exits non-zero and names each altered, deleted, inserted or reordered record.
    Verify {
        /// A head ("SEQ:HASH") printed by an earlier verify and kept outside the store; catches records removed from the end.
        #[arg(long)]
        checkpoint: Option<String>,
    },
    /// List records, newest first.
    List {
        /// Only this user.
        #[arg(long)]
        user: Option<String>,
        /// Only this action (search, read_entity, read_report, ingest, ...).
        #[arg(long)]
        action: Option<String>,
        /// Only records whose detail contains this text.
        #[arg(long)]
        contains: Option<String>,
        /// Only records at or after this time (e.g. 2026-11-28).
        #[arg(long)]
        since: Option<String>,
        /// Most records to show.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}
