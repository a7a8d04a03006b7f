//! The embedded SQLite backend: one database file in the data directory.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};
use tessera_access::Viewer;
use tessera_model::disruption::ImpactCriteria;

use crate::audit::{AuditEvent, AuditFilter, AuditRecord, AuditVerification};
use crate::{
    Aborted, EntityView, IngestReceipt, ReportView, ReportWithStatements, SearchRequest, SearchResults, Stats, Store,
    StoreError, schema,
};

/// Name of the database file inside the data directory.
const DATABASE_FILE: &str = "tessera.db";

/// Name of the file, in the data directory, that changes the thresholds of the impact criteria.
pub const IMPACT_CRITERIA_FILE: &str = "impact-criteria.toml";

/// The impact criteria of a data directory: its [`IMPACT_CRITERIA_FILE`] if there is one, else the defaults.
fn load_criteria(dir: &Path) -> Result<ImpactCriteria, StoreError> {
    let file = dir.join(IMPACT_CRITERIA_FILE);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ImpactCriteria::default()),
        Err(source) => return Err(StoreError::Io { path: file.display().to_string(), source }),
    };
    let criteria: ImpactCriteria =
        toml::from_str(&text).map_err(|e| StoreError::Invalid(format!("{}: {e}", file.display())))?;
    criteria.validate().map_err(|e| StoreError::Invalid(format!("{}: {e}", file.display())))?;
    Ok(criteria)
}

/// The embedded store: one SQLite database in a data directory.
pub struct SqliteStore {
    pub(crate) conn: Connection,
    dir: PathBuf,
    /// The impact criteria of disruptions: `impact-criteria.toml` in the data directory, or the defaults.
    criteria: ImpactCriteria,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("dir", &self.dir).finish()
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    Ok(())
}

impl SqliteStore {
    /// Creates the data directory and the store if needed, and brings the schema up to date.
    pub fn init(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.display().to_string(), source })?;
        let mut conn = Connection::open(dir.join(DATABASE_FILE))?;
        configure(&conn)?;
        schema::migrate(&mut conn)?;
        Ok(Self { conn, dir: dir.to_path_buf(), criteria: load_criteria(dir)? })
    }

    /// Opens an existing store; fails if `tessera init` has not been run in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let file = dir.join(DATABASE_FILE);
        if !file.is_file() {
            return Err(StoreError::NotInitialised(dir.display().to_string()));
        }
        let mut conn = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        configure(&conn)?;
        schema::migrate(&mut conn)?;
        Ok(Self { conn, dir: dir.to_path_buf(), criteria: load_criteria(dir)? })
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Store for SqliteStore {
    fn ingest(
        &mut self,
        source: &str,
        reports: &mut dyn Iterator<Item = Result<ReportWithStatements, Aborted>>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<IngestReceipt, StoreError> {
        crate::write::ingest(&mut self.conn, source, reports, progress)
    }

    fn report(&self, viewer: &Viewer, id: &str) -> Result<Option<ReportView>, StoreError> {
        crate::read::report(&self.conn, viewer, id)
    }

    fn entity(&self, viewer: &Viewer, id: &str) -> Result<Option<EntityView>, StoreError> {
        crate::read::entity(&self.conn, viewer, id)
    }

    fn search(&self, viewer: &Viewer, request: &SearchRequest) -> Result<SearchResults, StoreError> {
        crate::search::search(&self.conn, viewer, request)
    }

    fn stats(&self, viewer: &Viewer) -> Result<Stats, StoreError> {
        crate::read::stats(&self.conn, viewer)
    }

    fn audit(&self, viewer: &Viewer, event: &AuditEvent) -> Result<(), StoreError> {
        crate::audit::append(&self.conn, viewer, event)
    }

    fn audit_records(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        crate::audit::list(&self.conn, filter)
    }

    fn verify_audit(&self, expected_head: Option<&str>) -> Result<AuditVerification, StoreError> {
        crate::audit::verify(&self.conn, expected_head)
    }

    fn deconflictions_for(&self, owner: &str, viewer: &Viewer) -> Result<Vec<crate::Deconfliction>, StoreError> {
        crate::deconfliction::for_owner(&self.conn, owner, viewer)
    }

    fn set_deconfliction_opt_out(&self, agency: &str, compartment: &str, opted_out: bool) -> Result<(), StoreError> {
        crate::deconfliction::set_opt_out(&self.conn, agency, compartment, opted_out)
    }

    fn has_report(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.conn.query_row("SELECT EXISTS(SELECT 1 FROM reports WHERE id = ?1)", [id], |r| r.get(0))?)
    }

    fn exportable_statements(
        &self,
        recipient: &tessera_access::Recipient,
    ) -> Result<Vec<crate::StoredStatement>, StoreError> {
        crate::dissemination::exportable_statements(&self.conn, recipient)
    }

    fn record_dissemination(&self, viewer: &Viewer, record: &crate::NewDissemination) -> Result<i64, StoreError> {
        crate::dissemination::record(&self.conn, viewer, record)
    }

    fn disseminations(&self) -> Result<Vec<crate::Dissemination>, StoreError> {
        crate::dissemination::list(&self.conn)
    }

    fn resolve(&mut self, full: bool) -> Result<crate::ResolutionRun, StoreError> {
        crate::resolution::run(&mut self.conn, full)
    }

    fn match_queue(
        &self,
        viewer: &Viewer,
        status: &str,
        limit: usize,
        offset: usize,
    ) -> Result<crate::MatchQueue, StoreError> {
        crate::resolution::queue(&self.conn, viewer, status, limit, offset)
    }

    fn match_candidate(&self, viewer: &Viewer, a: &str, b: &str) -> Result<Option<crate::MatchCandidate>, StoreError> {
        crate::resolution::candidate(&self.conn, viewer, a, b)
    }

    fn cluster(&self, viewer: &Viewer, entity: &str) -> Result<Option<crate::ClusterView>, StoreError> {
        crate::resolution::cluster(&self.conn, viewer, entity)
    }

    fn decide(&mut self, viewer: &Viewer, decisions: &[crate::Decision]) -> Result<crate::DecisionReceipt, StoreError> {
        crate::resolution::decide(&mut self.conn, viewer, decisions)
    }

    fn groups(&self, viewer: &Viewer) -> Result<Vec<crate::GroupSummary>, StoreError> {
        crate::groups::groups(&self.conn, viewer)
    }

    fn group(&self, viewer: &Viewer, id: &str) -> Result<Option<crate::GroupView>, StoreError> {
        crate::groups::group(&self.conn, viewer, id)
    }

    fn curated_groups(&self, viewer: &Viewer) -> Result<Vec<crate::GroupView>, StoreError> {
        crate::groups::curated_groups(&self.conn, viewer)
    }

    fn picture_facts(
        &self,
        viewer: &Viewer,
        request: &crate::PictureRequest,
    ) -> Result<crate::PictureFacts, StoreError> {
        crate::picture::picture_facts(&self.conn, viewer, request)
    }

    fn network(&self, viewer: &Viewer, request: &crate::NetworkRequest) -> Result<crate::Network, StoreError> {
        crate::network::network(&self.conn, viewer, request)
    }

    fn network_edge(
        &self,
        viewer: &Viewer,
        source: &str,
        target: &str,
        link: tessera_model::LinkType,
    ) -> Result<Option<crate::EdgeProvenance>, StoreError> {
        crate::network::edge(&self.conn, viewer, source, target, link)
    }

    fn network_picture_marking(
        &self,
        viewer: &Viewer,
        nodes: &[String],
        edges: &[(String, String, tessera_model::LinkType)],
    ) -> Result<tessera_model::Classification, StoreError> {
        crate::network::picture_marking(&self.conn, viewer, nodes, edges)
    }

    fn network_paths(&self, viewer: &Viewer, request: &crate::PathRequest) -> Result<crate::PathAnswer, StoreError> {
        crate::network::paths(&self.conn, viewer, request)
    }

    fn network_timeline(
        &self,
        viewer: &Viewer,
        request: &crate::TimelineRequest,
    ) -> Result<crate::TimelineAnswer, StoreError> {
        crate::network::timeline(&self.conn, viewer, request)
    }

    fn network_removal(
        &self,
        viewer: &Viewer,
        request: &crate::NetworkRequest,
        k: usize,
        kinds: &[tessera_model::EntityKind],
    ) -> Result<crate::RemovalPlan, StoreError> {
        crate::network::removal(&self.conn, viewer, request, k, kinds)
    }

    fn add_watch(&mut self, viewer: &Viewer, watch: &crate::NewWatch) -> Result<crate::Watch, StoreError> {
        crate::maritime::add_watch(&mut self.conn, viewer, watch)
    }

    fn watchlist(&self, viewer: &Viewer) -> Result<Vec<crate::Watch>, StoreError> {
        crate::maritime::watchlist(&self.conn, viewer)
    }

    fn add_area(
        &mut self,
        viewer: &Viewer,
        name: &str,
        feature: &serde_json::Value,
        markings: &tessera_model::Markings,
        handling: &tessera_model::Handling,
    ) -> Result<crate::WatchedArea, StoreError> {
        crate::maritime::add_area(&mut self.conn, viewer, name, feature, markings, handling)
    }

    fn areas(&self, viewer: &Viewer) -> Result<Vec<crate::WatchedArea>, StoreError> {
        crate::maritime::areas(&self.conn, viewer)
    }

    fn alerts(&self, viewer: &Viewer, filter: &crate::AlertFilter) -> Result<crate::AlertPage, StoreError> {
        crate::maritime::alerts(&self.conn, viewer, filter)
    }

    fn alert(&self, viewer: &Viewer, id: i64) -> Result<Option<crate::Alert>, StoreError> {
        crate::maritime::alert(&self.conn, viewer, id)
    }

    fn set_alert_status(&mut self, viewer: &Viewer, id: i64, status: &str) -> Result<crate::Alert, StoreError> {
        crate::maritime::set_alert_status(&mut self.conn, viewer, id, status)
    }

    fn vessel_track(
        &self,
        viewer: &Viewer,
        watch: i64,
        from: Option<i64>,
        to: Option<i64>,
        max_points: usize,
    ) -> Result<Option<Vec<crate::TrackPoint>>, StoreError> {
        crate::maritime::vessel_track(&self.conn, viewer, watch, from, to, max_points)
    }

    fn watched_mmsis(&self) -> Result<Vec<u32>, StoreError> {
        crate::maritime::watched_mmsis(&self.conn)
    }

    fn area_features(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        crate::maritime::area_features(&self.conn)
    }

    fn impact_criteria(&self) -> &ImpactCriteria {
        &self.criteria
    }

    fn set_stream_lead(
        &mut self,
        viewer: &Viewer,
        stream: tessera_model::taxonomy::Stream,
        agency: &str,
        lead: &str,
        markings: &tessera_model::Markings,
        handling: &tessera_model::Handling,
    ) -> Result<crate::StreamLead, StoreError> {
        crate::plan::set_stream_lead(&mut self.conn, viewer, stream, agency, lead, markings, handling)
    }

    fn stream_leads(&self, viewer: &Viewer) -> Result<Vec<crate::StreamLead>, StoreError> {
        crate::plan::stream_leads(&self.conn, viewer)
    }

    fn add_action(&mut self, viewer: &Viewer, action: &crate::NewAction) -> Result<crate::Action, StoreError> {
        crate::plan::add_action(&mut self.conn, viewer, action)
    }

    fn actions(&self, viewer: &Viewer) -> Result<Vec<crate::Action>, StoreError> {
        crate::plan::actions(&self.conn, viewer)
    }

    fn set_action_status(
        &mut self,
        viewer: &Viewer,
        id: i64,
        status: tessera_model::disruption::ActionStatus,
        note: &str,
    ) -> Result<crate::Action, StoreError> {
        crate::plan::set_action_status(&mut self.conn, viewer, id, status, note)
    }

    fn record_disruption(
        &mut self,
        viewer: &Viewer,
        disruption: &crate::NewDisruption,
    ) -> Result<crate::Disruption, StoreError> {
        crate::plan::record_disruption(&mut self.conn, viewer, &self.criteria, disruption)
    }

    fn disruptions(&self, viewer: &Viewer, groups: Option<&[String]>) -> Result<Vec<crate::Disruption>, StoreError> {
        crate::plan::disruptions(&self.conn, viewer, groups)
    }

    fn disruption(&self, viewer: &Viewer, id: i64) -> Result<Option<crate::Disruption>, StoreError> {
        crate::plan::disruption(&self.conn, viewer, id)
    }

    fn record_monitoring(
        &mut self,
        viewer: &Viewer,
        batch: &crate::MonitorBatch,
    ) -> Result<crate::ScanReceipt, StoreError> {
        crate::maritime::record(&mut self.conn, viewer, batch)
    }
}

/// A pool of connections to one store, so that a server answers many
/// requests at once (SQLite in WAL mode lets readers run beside a writer).
pub struct ReadPool {
    dir: PathBuf,
    idle: Mutex<Vec<SqliteStore>>,
}

impl ReadPool {
    /// A pool over the store in `dir`, which must exist.
    pub fn new(dir: &Path) -> Result<Self, StoreError> {
        let first = SqliteStore::open(dir)?;
        Ok(Self { dir: dir.to_path_buf(), idle: Mutex::new(vec![first]) })
    }

    /// Runs `f` with a connection from the pool, opening one if none is idle.
    pub fn with<T>(&self, f: impl FnOnce(&mut SqliteStore) -> T) -> Result<T, StoreError> {
        let taken = self.idle.lock().map_err(|_| StoreError::Corrupt("connection pool poisoned".into()))?.pop();
        let mut store = match taken {
            Some(store) => store,
            None => SqliteStore::open(&self.dir)?,
        };
        let out = f(&mut store);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < 32
        {
            idle.push(store);
        }
        Ok(out)
    }
}
