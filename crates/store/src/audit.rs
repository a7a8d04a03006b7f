//! The audit log: every login, read, search, export and ingest, appended to a
//! table in which each record carries the hash of the one before, so that an
//! altered, deleted, inserted or reordered record breaks the chain.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tessera_access::Viewer;

use crate::StoreError;

/// Something that happened and must be on the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// What kind of action: "search", "read_entity", "read_report", "ingest", "export", ...
    pub action: String,
    /// What exactly: the query, the entity or report id, the file.
    pub detail: String,
}

impl AuditEvent {
    /// An event of `action` on `detail`.
    pub fn new(action: &str, detail: impl Into<String>) -> Self {
        Self { action: action.to_string(), detail: detail.into() }
    }
}

/// One stored audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// Position in the log.
    pub seq: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who.
    pub user: String,
    /// Their agency.
    pub agency: String,
    /// What kind of action.
    pub action: String,
    /// What exactly.
    pub detail: String,
    /// Hash of the previous record.
    pub prev_hash: String,
    /// Hash of this record (over the previous hash and every field).
    pub hash: String,
}

/// The hash of a record: SHA-256 over the previous hash and every field, length-prefixed.
pub(crate) fn record_hash(
    prev: &str,
    seq: i64,
    at: &str,
    user: &str,
    agency: &str,
    action: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, user, agency, action, detail] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an event for `viewer` to the log.
pub(crate) fn append(conn: &Connection, viewer: &Viewer, event: &AuditEvent) -> Result<(), StoreError> {
    // IMMEDIATE takes the write lock first, so two writers never pick the same sequence number.
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
    let conn = &*tx;
    let last: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, "0".repeat(64)),
    };
    let at = tessera_model::time::now_rfc3339();
    let hash = record_hash(&prev, seq, &at, &viewer.user, &viewer.agency, &event.action, &event.detail);
    conn.execute(
        "INSERT INTO audit (seq, at, user, agency, action, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![seq, at, viewer.user, viewer.agency, event.action, event.detail, prev, hash],
    )?;
    tx.commit()?;
    Ok(())
}
