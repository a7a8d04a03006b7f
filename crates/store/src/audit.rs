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
        None => (1, genesis()),
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

/// Which records to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this user's records.
    pub user: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only records whose detail contains this text.
    pub contains: Option<String>,
    /// Only records at or after this time (RFC 3339 prefix, e.g. "2026-11-28").
    pub since: Option<String>,
    /// Most records to return (newest first).
    pub limit: usize,
}

/// Lists audit records, newest first.
pub(crate) fn list(conn: &Connection, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, user, agency, action, detail, prev_hash, hash FROM audit
         WHERE (?1 IS NULL OR user = ?1) AND (?2 IS NULL OR action = ?2)
           AND (?3 IS NULL OR instr(detail, ?3) > 0) AND (?4 IS NULL OR at >= ?4)
         ORDER BY seq DESC LIMIT ?5",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![filter.user, filter.action, filter.contains, filter.since, filter.limit as i64],
        record_from_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn record_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRecord> {
    Ok(AuditRecord {
        seq: r.get(0)?,
        at: r.get(1)?,
        user: r.get(2)?,
        agency: r.get(3)?,
        action: r.get(4)?,
        detail: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

/// A break in the audit chain, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditBreak {
    /// The record's fields no longer give its hash: it was altered.
    Altered {
        /// The record.
        seq: i64,
    },
    /// Sequence numbers jump: records were deleted.
    Missing {
        /// Last intact record before the gap.
        after: i64,
        /// First record after the gap.
        before: i64,
    },
    /// The record does not follow the one before it (it was inserted, moved, or the chain was rewritten from here).
    OutOfChain {
        /// The record.
        seq: i64,
    },
    /// A checkpoint kept outside the store ("SEQ:HASH", a head printed earlier) is not in the log:
    /// records were removed from the end, or the log was rewritten.
    CheckpointMissing {
        /// The checkpoint.
        checkpoint: String,
    },
}

impl std::fmt::Display for AuditBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Altered { seq } => write!(f, "record {seq} was altered (its contents do not give its hash)"),
            Self::Missing { after, before } => write!(f, "records between {after} and {before} were deleted"),
            Self::OutOfChain { seq } => {
                write!(f, "record {seq} does not follow the record before it (inserted, moved, or rewritten from here)")
            }
            Self::CheckpointMissing { checkpoint } => write!(
                f,
                "checkpoint {checkpoint} is not in the log (records removed from the end, or the log rewritten)"
            ),
        }
    }
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    /// Records checked.
    pub records: usize,
    /// The head: "seq:hash" of the last record, to be kept outside the store.
    pub head: String,
    /// Every break found, in log order.
    pub breaks: Vec<AuditBreak>,
}

/// The hash every chain starts from.
fn genesis() -> String {
    "0".repeat(64)
}

/// Checks every record against its own hash and against the one before it;
/// `checkpoint` (a head "SEQ:HASH" printed earlier and kept outside the store) must
/// still be in the log, which catches records removed from the end.
pub(crate) fn verify(conn: &Connection, checkpoint: Option<&str>) -> Result<AuditVerification, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, at, user, agency, action, detail, prev_hash, hash FROM audit ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut breaks = Vec::new();
    let mut previous: Option<(i64, String)> = None;
    let mut records = 0;
    let checkpoint = checkpoint.map(str::trim);
    let mut checkpoint_found = false;
    while let Some(row) = rows.next()? {
        let r = record_from_row(row)?;
        records += 1;
        let recomputed = record_hash(&r.prev_hash, r.seq, &r.at, &r.user, &r.agency, &r.action, &r.detail);
        if recomputed != r.hash {
            breaks.push(AuditBreak::Altered { seq: r.seq });
        }
        let (expected_seq, expected_prev) = match &previous {
            Some((seq, hash)) => (seq + 1, hash.clone()),
            None => (1, genesis()),
        };
        if r.seq != expected_seq {
            breaks.push(AuditBreak::Missing { after: expected_seq - 1, before: r.seq });
        } else if r.prev_hash != expected_prev {
            breaks.push(AuditBreak::OutOfChain { seq: r.seq });
        }
        if checkpoint == Some(format!("{}:{}", r.seq, r.hash).as_str()) {
            checkpoint_found = true;
        }
        previous = Some((r.seq, r.hash));
    }
    let head = match &previous {
        Some((seq, hash)) => format!("{seq}:{hash}"),
        None => format!("0:{}", genesis()),
    };
    if let Some(checkpoint) = checkpoint
        && !checkpoint_found
    {
        breaks.push(AuditBreak::CheckpointMissing { checkpoint: checkpoint.to_string() });
    }
    Ok(AuditVerification { records, head, breaks })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(n: usize) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        let viewer = Viewer::local_operator();
        for i in 0..n {
            append(&conn, &viewer, &AuditEvent::new("search", format!("query {i}"))).unwrap();
        }
        conn
    }

    fn breaks(conn: &Connection) -> Vec<AuditBreak> {
        verify(conn, None).unwrap().breaks
    }

    #[test]
    fn an_intact_log_verifies_and_reports_its_head() {
        let conn = log(5);
        let v = verify(&conn, None).unwrap();
        assert_eq!((v.records, v.breaks.len()), (5, 0));
        assert!(v.head.starts_with("5:"));
        assert!(verify(&conn, Some(&v.head)).unwrap().breaks.is_empty());
    }

    #[test]
    fn an_altered_record_is_found() {
        let conn = log(5);
        conn.execute("UPDATE audit SET detail = 'nothing to see' WHERE seq = 3", []).unwrap();
        assert_eq!(breaks(&conn), vec![AuditBreak::Altered { seq: 3 }]);
    }

    #[test]
    fn a_deleted_record_is_found() {
        let conn = log(5);
        conn.execute("DELETE FROM audit WHERE seq = 2", []).unwrap();
        assert_eq!(breaks(&conn), vec![AuditBreak::Missing { after: 1, before: 3 }]);
    }

    #[test]
    fn an_inserted_record_is_found_even_with_a_valid_hash_of_its_own() {
        let conn = log(4);
        // Make room after record 2 and insert a record whose own hash is right.
        conn.execute("UPDATE audit SET seq = seq + 100 WHERE seq > 2", []).unwrap();
        conn.execute("UPDATE audit SET seq = seq - 99 WHERE seq > 100", []).unwrap();
        let prev: String = conn.query_row("SELECT hash FROM audit WHERE seq = 2", [], |r| r.get(0)).unwrap();
        let hash = record_hash(&prev, 3, "2026-01-01T00:00:00Z", "mallory", "X", "search", "planted");
        conn.execute(
            "INSERT INTO audit VALUES (3, '2026-01-01T00:00:00Z', 'mallory', 'X', 'search', 'planted', ?1, ?2)",
            [prev, hash],
        )
        .unwrap();
        let found = breaks(&conn);
        // The planted record is consistent; the one after it no longer follows, and has been renumbered.
        assert!(found.contains(&AuditBreak::OutOfChain { seq: 4 }), "{found:?}");
        assert!(found.contains(&AuditBreak::Altered { seq: 4 }), "{found:?}");
    }

    #[test]
    fn reordered_records_are_found() {
        let conn = log(5);
        conn.execute("UPDATE audit SET seq = -1 WHERE seq = 2", []).unwrap();
        conn.execute("UPDATE audit SET seq = 2 WHERE seq = 4", []).unwrap();
        conn.execute("UPDATE audit SET seq = 4 WHERE seq = -1", []).unwrap();
        let found = breaks(&conn);
        assert!(
            found.contains(&AuditBreak::Altered { seq: 2 }) && found.contains(&AuditBreak::Altered { seq: 4 }),
            "{found:?}"
        );
    }

    #[test]
    fn records_removed_from_the_end_are_found_against_a_kept_checkpoint() {
        let conn = log(5);
        let head = verify(&conn, None).unwrap().head;
        append(&conn, &Viewer::local_operator(), &AuditEvent::new("search", "later")).unwrap();
        assert!(verify(&conn, Some(&head)).unwrap().breaks.is_empty(), "a log that grew still holds the checkpoint");
        conn.execute("DELETE FROM audit WHERE seq >= 5", []).unwrap();
        assert!(breaks(&conn).is_empty(), "without a kept checkpoint, truncation at the end is invisible");
        assert!(matches!(verify(&conn, Some(&head)).unwrap().breaks[..], [AuditBreak::CheckpointMissing { .. }]));
    }
}
