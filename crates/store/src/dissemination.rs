//! Exports to partners: which statements may leave for a recipient agency, and
//! the record of what left for whom (the dissemination log).
//!
//! The decision is [`tessera_access::Policy::may_export`], asked once per row
//! of the `markings` table (a store holds a few dozen distinct markings);
//! statements are then read by marking id, so nothing else compares
//! classifications, compartments, caveats or handling codes.

use std::collections::HashMap;

use serde::Serialize;
use tessera_access::{Policy, Recipient, Viewer};
use tessera_model::Markings;

use crate::read::{STATEMENT_COLUMNS, STATEMENT_FROM, statement_row};
use crate::{StoreError, StoredStatement};

/// A dissemination about to be recorded: what left, in which format, for whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewDissemination {
    /// The recipient agency's code.
    pub recipient: String,
    /// Output format ("ftm", "stix", "csv").
    pub format: String,
    /// Number of items (statements) that left.
    pub items: usize,
    /// Store ids of the statements that left.
    pub statement_ids: Vec<i64>,
    /// SHA-256 (hex) of the output exactly as it left.
    pub sha256: String,
}

/// A recorded dissemination: who sent what to whom, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dissemination {
    /// Record id.
    pub id: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// User who exported.
    pub user: String,
    /// That user's agency.
    pub agency: String,
    /// Recipient agency.
    pub recipient: String,
    /// Output format.
    pub format: String,
    /// Number of items that left.
    pub items: usize,
    /// Store ids of the statements that left.
    pub statement_ids: Vec<i64>,
    /// SHA-256 (hex) of the output.
    pub sha256: String,
}

/// The markings that may leave for `recipient`, by marking id.
fn exportable_markings(
    conn: &rusqlite::Connection,
    recipient: &Recipient,
) -> Result<HashMap<i64, Markings>, StoreError> {
    Ok(crate::visibility::all_markings(conn)?
        .into_iter()
        .filter(|(_, markings, handling)| Policy.may_export(recipient, markings, handling))
        .map(|(id, markings, _)| (id, markings))
        .collect())
}

/// Every statement that may leave for `recipient`, in store order.
pub(crate) fn exportable_statements(
    conn: &rusqlite::Connection,
    recipient: &Recipient,
) -> Result<Vec<StoredStatement>, StoreError> {
    let allowed = exportable_markings(conn, recipient)?;
    if allowed.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = allowed.keys().copied().collect();
    ids.sort_unstable();
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    // The marking id is selected once more after the shared columns, so that each row is checked on its own.
    let sql =
        format!("SELECT {STATEMENT_COLUMNS}, r.marking {STATEMENT_FROM} WHERE r.marking IN ({list}) ORDER BY s.id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| Ok((statement_row(r)?, r.get::<_, i64>(18)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (row, marking) = row?;
        // Checked again row by row: the SQL list is an optimisation, not the decision.
        if let Some(markings) = allowed.get(&marking) {
            let markings = markings.clone();
            out.push(row.decode(markings)?);
        }
    }
    Ok(out)
}

/// Appends a dissemination record and returns its id.
pub(crate) fn record(
    conn: &rusqlite::Connection,
    viewer: &Viewer,
    record: &NewDissemination,
) -> Result<i64, StoreError> {
    let ids =
        serde_json::to_string(&record.statement_ids).map_err(|e| StoreError::Corrupt(format!("statement ids: {e}")))?;
    let items = i64::try_from(record.items).map_err(|_| StoreError::Corrupt("item count too large".into()))?;
    conn.execute(
        "INSERT INTO disseminations (at, user, agency, recipient, format, items, statement_ids, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            tessera_model::time::now_rfc3339(),
            viewer.user,
            viewer.agency,
            record.recipient,
            record.format,
            items,
            ids,
            record.sha256
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Every dissemination record, oldest first.
pub(crate) fn list(conn: &rusqlite::Connection) -> Result<Vec<Dissemination>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, user, agency, recipient, format, items, statement_ids, sha256 FROM disseminations ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            [r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
            r.get::<_, i64>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, [at, user, agency, recipient, format], items, ids, sha256) = row?;
        let statement_ids: Vec<i64> =
            serde_json::from_str(&ids).map_err(|e| StoreError::Corrupt(format!("statement ids {ids:?}: {e}")))?;
        let items = usize::try_from(items).map_err(|_| StoreError::Corrupt(format!("item count {items}")))?;
        out.push(Dissemination { id, at, user, agency, recipient, format, items, statement_ids, sha256 });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tessera_model::report::{PropertyValue, ReportEntity};
    use tessera_model::{Classification, EntityKind, Grading, Report};

    use super::*;
    use crate::{SqliteStore, Store};

    fn report(id: &str, agency: &str, grading: &str, markings: Markings, name: &str) -> Report {
        let mut properties = BTreeMap::new();
        properties.insert("name".to_string(), vec![PropertyValue { value: name.to_string(), original: None }]);
        let conditions = grading.ends_with('C').then_some("not for court");
        Report {
            id: id.into(),
            agency: agency.into(),
            author: "DC 1".into(),
            date: "2024-01-02".into(),
            grading: Grading::parse("3x5x2", grading, conditions).unwrap(),
            markings,
            streams: vec![],
            routes: vec![],
            text: format!("{name} was seen at Zuwara harbour."),
            entities: vec![ReportEntity {
                id: format!("{agency}:{id}"),
                kind: EntityKind::Person,
                properties,
                observed: None,
            }],
            links: vec![],
        }
    }

    fn marked(classification: Classification, owner: &str, compartments: &[&str], caveats: &[&str]) -> Markings {
        Markings {
            classification,
            owner: owner.into(),
            compartments: compartments.iter().map(|c| c.to_string()).collect(),
            caveats: caveats.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn loaded() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::init(dir.path()).unwrap();
        let os = Classification::OfficialSensitive;
        let reports = vec![
            report("R1", "BF", "2B P", marked(os, "BF", &[], &[]), "Open Person"),
            report("R2", "NCA", "1A P", marked(Classification::Secret, "NCA", &["OP-TIDEWAY"], &[]), "Covert Person"),
            report("R3", "DEBRIEF", "2C C", marked(os, "DEBRIEF", &[], &[]), "Conditional Person"),
            report("R4", "DEBRIEF", "2C P", marked(os, "DEBRIEF", &[], &["UK EYES ONLY"]), "National Person"),
            report("R5", "EUROPOL", "2B C", marked(os, "EUROPOL", &[], &[]), "Europol Own Person"),
            report("R6", "NCA", "1A P", marked(Classification::TopSecret, "NCA", &[], &[]), "Top Person"),
        ];
        let mut stream = reports.into_iter().map(|r| {
            let s = r.statements("2024-01-03T00:00:00Z");
            Ok((r, s))
        });
        store.ingest("test", &mut stream, &mut |_| {}).unwrap();
        (dir, store)
    }

    fn names(statements: &[StoredStatement]) -> Vec<&str> {
        statements.iter().map(|s| s.statement.value.as_str()).collect()
    }

    #[test]
    fn a_partner_receives_only_what_the_policy_lets_leave() {
        let (_dir, store) = loaded();
        let europol = Recipient { agency: "EUROPOL".into(), national: false, clearance: Classification::Secret };
        let out = store.exportable_statements(&europol).unwrap();
        assert_eq!(names(&out), ["Open Person", "Europol Own Person"], "compartmented, code C, UK EYES ONLY stay");
        for s in &out {
            assert!(s.statement.markings.compartments.is_empty());
        }
    }

    #[test]
    fn a_national_agency_receives_caveated_but_never_compartmented_material() {
        let (_dir, store) = loaded();
        let bf = Recipient { agency: "BF".into(), national: true, clearance: Classification::Secret };
        let out = store.exportable_statements(&bf).unwrap();
        assert_eq!(names(&out), ["Open Person", "National Person"]);
        let nobody = Recipient { agency: "X".into(), national: false, clearance: Classification::Official };
        assert!(store.exportable_statements(&nobody).unwrap().is_empty());
    }

    #[test]
    fn disseminations_are_recorded_and_listed() {
        let (_dir, store) = loaded();
        assert!(store.disseminations().unwrap().is_empty());
        let record = NewDissemination {
            recipient: "EUROPOL".into(),
            format: "stix".into(),
            items: 2,
            statement_ids: vec![1, 5],
            sha256: "ab".repeat(32),
        };
        let viewer = Viewer::local_operator();
        let id = store.record_dissemination(&viewer, &record).unwrap();
        let all = store.disseminations().unwrap();
        assert_eq!(all.len(), 1);
        let d = &all[0];
        assert_eq!(d.id, id);
        assert_eq!((d.user.as_str(), d.agency.as_str()), ("local-operator", "LOCAL"));
        assert_eq!((d.recipient.as_str(), d.format.as_str(), d.items), ("EUROPOL", "stix", 2));
        assert_eq!(d.statement_ids, [1, 5]);
        assert_eq!(d.sha256, record.sha256);
    }
}
