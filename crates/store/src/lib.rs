//! Tessera's store: intelligence reports and the statements they carry, the
//! search index over them, and the audit log.
//!
//! The [`Store`] trait is what the rest of Tessera programs against; the
//! embedded SQLite implementation ([`SqliteStore`]) is the default, and a
//! PostgreSQL backend implements the same trait for shared deployments.
//!
//! Design decisions:
//! - Statements are append-only. Nothing is updated or deleted; a correction
//!   is a new statement from a new report.
//! - A statement inherits the grading and markings of its report; they are
//!   stored once, on the report, and joined on read.
//! - Every read takes a [`Viewer`] and returns only what
//!   [`tessera_access::Policy`] lets that viewer see. Hidden material leaves
//!   no trace in counts, captions or rankings.
//! - Ingest is one transaction per batch (one file): a batch either lands
//!   whole, index included, or not at all.
//! - The full-text and name indexes are FTS5 tables in the same database, so
//!   they commit atomically with the statements they index.

mod audit;
mod codec;
mod deconfliction;
mod dissemination;
mod groups;
mod maritime;
mod marked;
mod network;
mod picture;
mod plan;
mod read;
mod resolution;
mod schema;
mod search;
mod sqlite;
mod visibility;
mod write;

use serde::Serialize;
use tessera_access::Viewer;
use tessera_model::report::Statement;
use tessera_model::{EntityKind, Grading, Markings, Report};

pub use audit::{AuditBreak, AuditEvent, AuditFilter, AuditRecord, AuditVerification};
pub use deconfliction::{Deconfliction, DeconflictionNotice};
pub use dissemination::{Dissemination, NewDissemination};
pub use groups::{
    DEATH_WORDS, GroupOrigin, GroupSummary, GroupView, INJURY_WORDS, MIN_COMMUNITY_PEOPLE, TRAFFICKING_WORDS,
};
pub use maritime::{
    Alert, AlertChange, AlertFilter, AlertKey, AlertPage, DEFAULT_ALERT_PAGE, EVIDENCE_MARGIN_S, EntityRef,
    MAX_ALERT_PAGE, MAX_EVIDENCE_POINTS, MAX_TRACK_POINTS, MonitorBatch, NewAlert, NewWatch, ScanReceipt, TrackPoint,
    Watch, WatchedArea, may_keep_watchlist,
};
pub use network::{
    Departure, EdgeProvenance, EdgeStatement, Hop, MAX_NETWORK_DEPTH, MAX_NETWORK_NODES, MAX_PATHS, MAX_REMOVALS,
    MAX_WINDOWS, Network, NetworkEdge, NetworkNode, NetworkPath, NetworkRequest, NodeRef, PathAnswer, PathRequest,
    Period, RemovalPlan, RemovalSnapshot, RemovalStep, Successor, TimelineAnswer, TimelineRequest, TimelineWindow,
    statement_confidence,
};
pub use picture::{EntityFacts, PictureFacts, PictureRequest, ReportFacts};
pub use plan::{
    Action, ActionUpdate, Asset, Disruption, NewAction, NewDisruption, NewProsecution, NewTarget, Prosecution,
    StreamLead, Target, TargetKind, handling_code, may_keep_plan,
};
pub use resolution::{
    ClusterMember, ClusterView, Decision, DecisionReceipt, Evidence, FieldPair, MatchCandidate, MatchQueue,
    REVIEW_BELOW, ResolutionRun, RunMode,
};
pub use schema::SCHEMA_VERSION;
pub use sqlite::{IMPACT_CRITERIA_FILE, ReadPool, SqliteStore};
/// The prioritisation engine the group board is scored with (its types appear in [`GroupView`]).
pub use tessera_priority as priority;
pub use tessera_resolve::Verdict;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The data directory could not be used.
    #[error("data directory {path}: {source}")]
    Io {
        /// Directory or file.
        path: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// No store has been initialised in the directory.
    #[error("no Tessera store in {0} (run `tessera init` first)")]
    NotInitialised(String),
    /// The store was written by a newer Tessera.
    #[error("store schema version {found} is newer than this Tessera supports ({supported})")]
    TooNew {
        /// Version found.
        found: u32,
        /// Highest version supported.
        supported: u32,
    },
    /// The input was found invalid during the ingest; nothing was stored.
    #[error("ingest abandoned: the input is invalid; nothing was stored")]
    Aborted,
    /// A report with this id is already stored.
    #[error("report {0:?} is already stored; a correction must come as a new report")]
    DuplicateReport(String),
    /// A stored row could not be read back (the database was edited by hand or is corrupt).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The viewer's role may not do this.
    #[error("refused: {0}")]
    Refused(String),
    /// The thing asked for does not exist or is not visible to the viewer (the two are not told apart).
    #[error("{0}")]
    NotFound(String),
    /// The request is invalid.
    #[error("{0}")]
    Invalid(String),
}

/// A statement as stored, with its row id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredStatement {
    /// Statement id in the store.
    pub id: i64,
    /// The statement and its provenance.
    #[serde(flatten)]
    pub statement: Statement,
}

/// An entity as one viewer sees it: only the statements that viewer may see.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityView {
    /// Entity id.
    pub id: String,
    /// Kind of entity.
    pub kind: EntityKind,
    /// The entity's caption, from its visible statements.
    pub caption: String,
    /// Every visible statement about the entity, links included, oldest report first.
    pub statements: Vec<StoredStatement>,
    /// Visible links from other entities to this one.
    pub inbound: Vec<StoredStatement>,
    /// Captions of the entities that links mention, by id.
    pub captions: std::collections::BTreeMap<String, String>,
}

/// A report as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportView {
    /// Report reference.
    pub id: String,
    /// Submitting agency.
    pub agency: String,
    /// Author.
    pub author: String,
    /// Report date.
    pub date: String,
    /// Grading.
    pub grading: Grading,
    /// Markings.
    pub markings: Markings,
    /// Stream codes.
    pub streams: Vec<String>,
    /// Route codes.
    pub routes: Vec<String>,
    /// Free text.
    pub text: String,
    /// File it was ingested from.
    pub source_file: String,
    /// When it was recorded.
    pub recorded: String,
    /// Its statements.
    pub statements: Vec<StoredStatement>,
    /// Captions of the entities its statements are about, by id.
    pub captions: std::collections::BTreeMap<String, String>,
}

/// A search request.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// What the user typed: a name, an identifier or words.
    pub query: String,
    /// Restrict entity hits to these kinds (empty: all).
    pub kinds: Vec<EntityKind>,
    /// Page size.
    pub limit: usize,
    /// Results to skip (pagination).
    pub offset: usize,
}

impl SearchRequest {
    /// A request for the first page of results.
    pub fn new(query: impl Into<String>) -> Self {
        Self { query: query.into(), kinds: Vec::new(), limit: 20, offset: 0 }
    }
}

/// Why an entity matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    /// The query is an identifier and the entity carries it.
    Identifier,
    /// The query is a name and the entity's name is a variant of it.
    Name,
}

/// An entity that matched a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityHit {
    /// Entity id.
    pub id: String,
    /// Kind.
    pub kind: EntityKind,
    /// Caption from visible statements.
    pub caption: String,
    /// The visible values that matched.
    pub matched: Vec<String>,
    /// Why it matched.
    pub reason: MatchReason,
    /// Relevance, 0 to 1.
    pub score: f64,
    /// The other members of its resolved cluster that the viewer may see (their hits are folded into this one).
    pub members: Vec<ClusterMember>,
}

/// A report that matched a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportHit {
    /// Report reference.
    pub id: String,
    /// Agency.
    pub agency: String,
    /// Date.
    pub date: String,
    /// Marking banner.
    pub banner: String,
    /// Grading code.
    pub grading: String,
    /// Text around the match, with matches between `[` and `]`.
    pub snippet: String,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// The identifiers the query was read as, e.g. "phone:+447700900123".
    pub identifiers: Vec<String>,
    /// Matching entities, best first (one page).
    pub entities: Vec<EntityHit>,
    /// Number of matching visible entities.
    pub total_entities: usize,
    /// Matching reports, best first (one page).
    pub reports: Vec<ReportHit>,
    /// Number of matching visible reports.
    pub total_reports: usize,
    /// When an identifier matched only material the viewer may not see: whom to contact, never what.
    pub deconfliction: Vec<DeconflictionNotice>,
}

/// What an ingest stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IngestReceipt {
    /// Reports stored.
    pub reports: usize,
    /// Statements stored.
    pub statements: usize,
    /// Entities seen for the first time.
    pub new_entities: usize,
}

/// Counts of what a viewer can see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Visible reports.
    pub reports: usize,
    /// Visible statements.
    pub statements: usize,
    /// Entities with at least one visible statement.
    pub entities: usize,
    /// Visible reports per agency.
    pub agencies: Vec<(String, usize)>,
}

/// Tells the store to abandon an ingest in progress: the input turned out to be
/// invalid, so nothing of it may be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aborted;

/// A report with every statement it carries (structured and extracted), as ingest hands it to the store.
pub type ReportWithStatements = (Report, Vec<Statement>);

/// The interface every backend implements (SQLite embedded; PostgreSQL shared).
pub trait Store {
    /// Stores the reports of one file or feed atomically: all of them, or, if any
    /// write fails or `reports` yields [`Aborted`], nothing. Reports are streamed so
    /// that checking the input and writing it overlap. `source` names the input;
    /// `progress` is told how many more reports were written.
    fn ingest(
        &mut self,
        source: &str,
        reports: &mut dyn Iterator<Item = Result<ReportWithStatements, Aborted>>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<IngestReceipt, StoreError>;
    /// A report, if it exists and the viewer may see it.
    fn report(&self, viewer: &Viewer, id: &str) -> Result<Option<ReportView>, StoreError>;
    /// An entity built from the statements the viewer may see; `None` if there are none.
    fn entity(&self, viewer: &Viewer, id: &str) -> Result<Option<EntityView>, StoreError>;
    /// Searches names, identifiers and report text.
    fn search(&self, viewer: &Viewer, request: &SearchRequest) -> Result<SearchResults, StoreError>;
    /// Counts of what the viewer may see.
    fn stats(&self, viewer: &Viewer) -> Result<Stats, StoreError>;
    /// Appends to the audit log.
    fn audit(&self, viewer: &Viewer, event: &AuditEvent) -> Result<(), StoreError>;
    /// Audit records matching the filter, newest first (the caller audits the reading itself).
    fn audit_records(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError>;
    /// Checks the whole audit chain; `expected_head` is a head kept outside the store.
    fn verify_audit(&self, expected_head: Option<&str>) -> Result<AuditVerification, StoreError>;
    /// The deconflictions on an agency's holdings (who asked for what), newest first, as
    /// `viewer` may see them: only the matched reports the viewer may see are named, and a
    /// deconfliction that matched none of those is left out (a member of the owning agency
    /// without the clearance learns nothing of the reports above it).
    fn deconflictions_for(&self, owner: &str, viewer: &Viewer) -> Result<Vec<Deconfliction>, StoreError>;
    /// Switches hit / no-hit deconfliction off (or back on) for one of an agency's compartments.
    fn set_deconfliction_opt_out(&self, agency: &str, compartment: &str, opted_out: bool) -> Result<(), StoreError>;
    /// Whether a report with this id is stored (any viewer; used by ingest to refuse duplicates early).
    fn has_report(&self, id: &str) -> Result<bool, StoreError>;
    /// Every statement that may leave for `recipient` under [`tessera_access::Policy::may_export`]
    /// (never compartmented, caveats and handling codes respected), in store order.
    fn exportable_statements(&self, recipient: &tessera_access::Recipient) -> Result<Vec<StoredStatement>, StoreError>;
    /// Records what left for whom (the dissemination log); returns the record's id.
    fn record_dissemination(&self, viewer: &Viewer, record: &NewDissemination) -> Result<i64, StoreError>;
    /// Every dissemination record, oldest first.
    fn disseminations(&self) -> Result<Vec<Dissemination>, StoreError>;
    /// Entity resolution as a system process over every resolved entity (`full`), or only over the
    /// entities with statements since the last run, their neighbours and their clusters.
    fn resolve(&mut self, full: bool) -> Result<ResolutionRun, StoreError>;
    /// Possible matches with this status ("open", "confirmed", "rejected") that the viewer may see in full.
    fn match_queue(&self, viewer: &Viewer, status: &str, limit: usize, offset: usize)
    -> Result<MatchQueue, StoreError>;
    /// One possible match with its evidence, if the viewer may see it in full.
    fn match_candidate(&self, viewer: &Viewer, a: &str, b: &str) -> Result<Option<MatchCandidate>, StoreError>;
    /// The cluster of an entity as the viewer sees it: visible members, visible statements.
    fn cluster(&self, viewer: &Viewer, entity: &str) -> Result<Option<ClusterView>, StoreError>;
    /// Records analysts' decisions as one report authored by the viewer (audited); the next run obeys them.
    fn decide(&mut self, viewer: &Viewer, decisions: &[Decision]) -> Result<DecisionReceipt, StoreError>;
    /// The organised crime group board: every group the viewer may see (recorded groups and detected
    /// communities), scored from visible statements only, highest priority first.
    fn groups(&self, viewer: &Viewer) -> Result<Vec<GroupSummary>, StoreError>;
    /// One group in full (facts, every factor explained), by the id of any of its visible organisation
    /// records, or a detected community's id (`community:...`).
    fn group(&self, viewer: &Viewer, id: &str) -> Result<Option<GroupView>, StoreError>;
    /// Every recorded (analyst-curated) group the viewer may see, in full, without looking for
    /// detected communities: what the sufficiency and impact review reads, once per group.
    fn curated_groups(&self, viewer: &Viewer) -> Result<Vec<GroupView>, StoreError>;
    /// The facts the threat picture is aggregated from: every report the viewer may see dated within the
    /// request, with its grading, streams, routes, countries, nationalities and entities (`docs/picture.md`).
    fn picture_facts(&self, viewer: &Viewer, request: &PictureRequest) -> Result<PictureFacts, StoreError>;
    /// The network of resolved entities the viewer may see: around the request's seeds, or all of it.
    fn network(&self, viewer: &Viewer, request: &NetworkRequest) -> Result<Network, StoreError>;
    /// The visible statements behind one edge of the network, with how its weight was reached.
    fn network_edge(
        &self,
        viewer: &Viewer,
        source: &str,
        target: &str,
        link: tessera_model::LinkType,
    ) -> Result<Option<EdgeProvenance>, StoreError>;
    /// The highest classification of a picture of part of the network (a link chart image): the
    /// nodes and edges (`source`, `target`, type) it shows, as the viewer sees them; an entity or
    /// edge the viewer does not see is [`StoreError::NotFound`], as one that does not exist.
    fn network_picture_marking(
        &self,
        viewer: &Viewer,
        nodes: &[String],
        edges: &[(String, String, tessera_model::LinkType)],
    ) -> Result<tessera_model::Classification, StoreError>;
    /// The shortest paths between two entities through the visible network, with the evidence of each hop.
    fn network_paths(&self, viewer: &Viewer, request: &PathRequest) -> Result<PathAnswer, StoreError>;
    /// The visible network over time: windows of days, who entered and left, centralisation, successors.
    fn network_timeline(&self, viewer: &Viewer, request: &TimelineRequest) -> Result<TimelineAnswer, StoreError>;
    /// Disruption planning: which `k` removals among nodes of `kinds` (people when empty) fragment the
    /// visible network most, and what each leaves.
    fn network_removal(
        &self,
        viewer: &Viewer,
        request: &NetworkRequest,
        k: usize,
        kinds: &[EntityKind],
    ) -> Result<RemovalPlan, StoreError>;
    /// Adds a suspect vessel to the watchlist. Refused for roles that do not keep the watchlist
    /// ([`may_keep_watchlist`]) and for markings the viewer could not see or an owner other than the
    /// viewer's agency (administrators excepted); invalid for a bad MMSI, an empty reason, a vessel or
    /// group id that is unknown, invisible to the viewer or of the wrong kind, or a duplicate watch.
    fn add_watch(&mut self, viewer: &Viewer, watch: &NewWatch) -> Result<Watch, StoreError>;
    /// The watches the viewer may see, newest first.
    fn watchlist(&self, viewer: &Viewer) -> Result<Vec<Watch>, StoreError>;
    /// Adds a watched area (a GeoJSON Feature with a Polygon or MultiPolygon geometry); same rules as
    /// [`Store::add_watch`].
    fn add_area(
        &mut self,
        viewer: &Viewer,
        name: &str,
        feature: &serde_json::Value,
        markings: &Markings,
        handling: &tessera_model::Handling,
    ) -> Result<WatchedArea, StoreError>;
    /// The watched areas the viewer may see, by name.
    fn areas(&self, viewer: &Viewer) -> Result<Vec<WatchedArea>, StoreError>;
    /// Alerts of the watches the viewer may see, newest first, without evidence.
    fn alerts(&self, viewer: &Viewer, filter: &AlertFilter) -> Result<AlertPage, StoreError>;
    /// One alert with its evidence: the watched vessel's recorded track from [`EVIDENCE_MARGIN_S`]
    /// before its start to as long after its end (at most [`MAX_EVIDENCE_POINTS`]).
    fn alert(&self, viewer: &Viewer, id: i64) -> Result<Option<Alert>, StoreError>;
    /// Acknowledges ("acknowledged") or reopens ("open") an alert; `NotFound` if the viewer may not
    /// see it, `Refused` for roles that do not keep the watchlist, `Invalid` for other statuses or a
    /// retracted alert.
    fn set_alert_status(&mut self, viewer: &Viewer, id: i64, status: &str) -> Result<Alert, StoreError>;
    /// The recorded track of a watched vessel between `from` and `to` (seconds), thinned evenly to at
    /// most `max_points`; `None` if the viewer may not see the watch.
    fn vessel_track(
        &self,
        viewer: &Viewer,
        watch: i64,
        from: Option<i64>,
        to: Option<i64>,
        max_points: usize,
    ) -> Result<Option<Vec<TrackPoint>>, StoreError>;
    /// Every watched MMSI. System-side, for the monitor: detection runs for every watch whoever
    /// uploads the feed; nothing of a watch but its MMSI leaves through this, and the monitor does
    /// not show it to the uploader.
    fn watched_mmsis(&self) -> Result<Vec<u32>, StoreError>;
    /// Every watched area as (name, GeoJSON Feature). System-side, for the monitor's detector.
    fn area_features(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError>;
    /// The written criteria disruptions are graded against (the deployment's thresholds).
    fn impact_criteria(&self) -> &tessera_model::disruption::ImpactCriteria;
    /// Sets the lead agency and officer of a stream of the Strategic Action Plan, under `markings`.
    /// Refused for roles that do not keep the plan ([`may_keep_plan`]) and for markings the viewer
    /// could not see or owned by another agency (administrators excepted).
    fn set_stream_lead(
        &mut self,
        viewer: &Viewer,
        stream: tessera_model::taxonomy::Stream,
        agency: &str,
        lead: &str,
        markings: &Markings,
        handling: &tessera_model::Handling,
    ) -> Result<StreamLead, StoreError>;
    /// The stream leads the viewer may see, in the order of the streams.
    fn stream_leads(&self, viewer: &Viewer) -> Result<Vec<StreamLead>, StoreError>;
    /// Adds an action to the plan; its targets must be valid codes or organisations the viewer may
    /// see. Same rules on roles and markings as [`Store::set_stream_lead`].
    fn add_action(&mut self, viewer: &Viewer, action: &NewAction) -> Result<Action, StoreError>;
    /// The actions the viewer may see, by stream and reference, each with its history.
    fn actions(&self, viewer: &Viewer) -> Result<Vec<Action>, StoreError>;
    /// Appends a status change to an action's history; `NotFound` if the viewer may not see it.
    fn set_action_status(
        &mut self,
        viewer: &Viewer,
        id: i64,
        status: tessera_model::disruption::ActionStatus,
        note: &str,
    ) -> Result<Action, StoreError>;
    /// Records a disruption: the group, subjects, evidence, action and defendants must be visible to
    /// the viewer; the impact criteria grade it, and a recorded level that differs must give a reason.
    fn record_disruption(&mut self, viewer: &Viewer, disruption: &NewDisruption) -> Result<Disruption, StoreError>;
    /// The disruptions the viewer may see, newest first; with `groups`, only those recorded against
    /// one of these organisation ids (that the viewer may see).
    fn disruptions(&self, viewer: &Viewer, groups: Option<&[String]>) -> Result<Vec<Disruption>, StoreError>;
    /// One disruption, if the viewer may see it.
    fn disruption(&self, viewer: &Viewer, id: i64) -> Result<Option<Disruption>, StoreError>;
    /// Records one batch of the monitor (positions, alerts, retractions, ship names) in one
    /// transaction; rows already recorded are kept as they are, so a rescan adds nothing. Returns
    /// `watched_positions`, `alerts_raised` and `alerts_retracted` counted only over watches `viewer`
    /// may see (the other fields are zero). Refused for roles that read no intelligence.
    fn record_monitoring(&mut self, viewer: &Viewer, batch: &MonitorBatch) -> Result<ScanReceipt, StoreError>;
}
