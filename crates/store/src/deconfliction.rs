//! Hit / no-hit deconfliction.
//!
//! When a search for an identifier, or for a name with a date of birth,
//! matches only statements the searcher may not see, the searcher learns that another agency holds information and
//! whom to contact, with a reference, and never the content; the owning
//! agency is told who asked. Both sides are written to the audit log. An
//! owning agency can switch this off for a compartment: hits that rest only
//! on statements in such compartments then say nothing at all.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;
use serde::Serialize;
use tessera_access::{Role, Viewer};

use crate::StoreError;
use crate::audit::{AuditEvent, append};
use crate::visibility::{Visibility, visible_report};

/// What the searcher is told: who to contact, and the reference to quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeconflictionNotice {
    /// The agency that holds information.
    pub owner: String,
    /// The reference to quote when contacting it.
    pub reference: String,
    /// The sentence shown to the searcher.
    pub message: String,
}

/// A deconfliction as its owning agency sees it: who asked, what for, and which of its reports matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deconfliction {
    /// Reference quoted by the searcher.
    pub reference: String,
    /// When.
    pub at: String,
    /// Who asked.
    pub asker_user: String,
    /// Their agency.
    pub asker_agency: String,
    /// What they searched.
    pub query: String,
    /// The owning agency.
    pub owner: String,
    /// The owner's reports that matched.
    pub report_ids: Vec<String>,
}

/// The viewer standing for an agency when the log records what was disclosed to it.
fn agency_viewer(agency: &str) -> Viewer {
    Viewer {
        user: "deconfliction".into(),
        agency: agency.to_string(),
        role: Role::Administrator,
        clearance: tessera_model::Classification::Official,
        compartments: BTreeSet::new(),
        national: true,
    }
}

/// The reports (id, marking id) holding statements with this identifier value.
pub(crate) fn identifier_holders(conn: &Connection, value: &str) -> Result<Vec<(String, i64)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.marking FROM statements s JOIN reports r ON r.rowid = s.report
         WHERE s.lookup = 1 AND s.value = ?1 LIMIT 10000",
    )?;
    let rows = stmt.query_map([value], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The reports (id, marking id) that give a birth date of `dob` to an entity whose name matches
/// the FTS5 name-key expression.
pub(crate) fn name_and_birth_date_holders(
    conn: &Connection,
    name_expression: &str,
    dob: &str,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.marking FROM statements s JOIN reports r ON r.rowid = s.report
         JOIN entities e ON e.rowid = s.entity
         WHERE s.property = 'birthDate' AND s.value = ?2 AND e.id IN
            (SELECT entity FROM name_rows WHERE rowid IN (SELECT rowid FROM name_keys WHERE name_keys MATCH ?1))
         LIMIT 10000",
    )?;
    let rows = match stmt.query_map(rusqlite::params![name_expression, dob], |r| Ok((r.get(0)?, r.get(1)?))) {
        Ok(rows) => rows,
        Err(_) => return Ok(Vec::new()),
    };
    Ok(rows.filter_map(Result::ok).collect())
}

/// Among the reports that hold what the viewer searched, those the viewer may not see are grouped
/// by owning agency; for each owner that has not opted out, a deconfliction is recorded and a notice
/// returned. Call only when the viewer sees no match at all.
pub(crate) fn hidden_hits(
    conn: &Connection,
    viewer: &Viewer,
    visibility: &Visibility,
    query: &str,
    holders: &[(String, i64)],
) -> Result<Vec<DeconflictionNotice>, StoreError> {
    if !viewer.role.reads_intelligence() {
        return Ok(Vec::new());
    }
    let mut by_owner: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (report_id, marking) in holders {
        let Some(markings) = visibility.hidden(*marking) else { continue };
        if opted_out(conn, &markings.owner, &markings.compartments)? {
            continue;
        }
        by_owner.entry(markings.owner.clone()).or_default().insert(report_id.clone());
    }
    let mut notices = Vec::new();
    for (owner, reports) in by_owner {
        let at = tessera_model::time::now_rfc3339();
        let report_ids = serde_json::to_string(&reports).unwrap_or_else(|_| "[]".into());
        conn.execute(
            "INSERT INTO deconflictions (reference, at, asker_user, asker_agency, query, owner, report_ids)
             VALUES ('pending-' || hex(randomblob(8)), ?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![at, viewer.user, viewer.agency, query, owner, report_ids],
        )?;
        let id = conn.last_insert_rowid();
        let reference = format!("DX-{id:06}");
        conn.execute("UPDATE deconflictions SET reference = ?1 WHERE id = ?2", rusqlite::params![reference, id])?;
        append(conn, viewer, &AuditEvent::new("deconfliction_hit", format!("{reference}: told to contact {owner}")))?;
        append(
            conn,
            &agency_viewer(&owner),
            &AuditEvent::new(
                "deconfliction_notice",
                format!("{reference}: {} ({}) searched {query:?}", viewer.user, viewer.agency),
            ),
        )?;
        notices.push(DeconflictionNotice {
            message: format!("Another agency holds information on this; contact {owner}, ref {reference}."),
            owner,
            reference,
        });
    }
    Ok(notices)
}

/// Whether the owner has switched deconfliction off for any of these compartments.
fn opted_out(conn: &Connection, owner: &str, compartments: &[String]) -> Result<bool, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM deconfliction_opt_outs WHERE agency = ?1 AND compartment = ?2)")?;
    for compartment in compartments {
        if stmt.query_row(rusqlite::params![owner, compartment], |r| r.get::<_, bool>(0))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Switches deconfliction on or off for an agency's compartment.
pub(crate) fn set_opt_out(
    conn: &Connection,
    agency: &str,
    compartment: &str,
    opted_out: bool,
) -> Result<(), StoreError> {
    if opted_out {
        conn.execute(
            "INSERT OR IGNORE INTO deconfliction_opt_outs (agency, compartment) VALUES (?1, ?2)",
            rusqlite::params![agency, compartment],
        )?;
    } else {
        conn.execute(
            "DELETE FROM deconfliction_opt_outs WHERE agency = ?1 AND compartment = ?2",
            rusqlite::params![agency, compartment],
        )?;
    }
    Ok(())
}

/// The deconflictions on an agency's holdings, newest first: its notification inbox.
pub(crate) fn for_owner(conn: &Connection, owner: &str, viewer: &Viewer) -> Result<Vec<Deconfliction>, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let mut stmt = conn.prepare_cached(
        "SELECT reference, at, asker_user, asker_agency, query, owner, report_ids FROM deconflictions
         WHERE owner = ?1 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([owner], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get::<_, String>(6)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (reference, at, asker_user, asker_agency, query, owner, report_ids) = row?;
        let mut shown = Vec::new();
        for id in crate::codec::column_to_list(&report_ids)? {
            if visible_report(conn, &visibility, &id)? {
                shown.push(id);
            }
        }
        if !shown.is_empty() {
            out.push(Deconfliction { reference, at, asker_user, asker_agency, query, owner, report_ids: shown });
        }
    }
    Ok(out)
}
