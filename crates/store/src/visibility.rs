//! Which markings a viewer may see, decided once per query.
//!
//! Reports point to a row of the `markings` table; a store holds a few dozen
//! distinct markings however many reports it has. A query loads them all,
//! puts each to `tessera_access::Policy` once, and then filters rows by
//! marking id, which keeps reads fast without moving the decision out of the
//! policy.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use tessera_access::{Policy, Viewer};
use tessera_model::{Handling, Markings};

use crate::StoreError;
use crate::codec::{list_to_column, markings_from_columns};

/// Every row of the `markings` table: id, markings, and the handling code the policy decides on
/// (the conditions of a C code are for people to read, so they are not needed here).
pub(crate) fn all_markings(conn: &Connection) -> Result<Vec<(i64, Markings, Handling)>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, classification, owner, compartments, caveats, handling FROM markings")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let compartments: String = row.get(3)?;
        let caveats: String = row.get(4)?;
        let markings = markings_from_columns(row.get(1)?, row.get(2)?, &compartments, &caveats)?;
        let handling = match row.get::<_, String>(5)?.as_str() {
            "P" => Handling::Permitted,
            _ => Handling::Conditions(String::new()),
        };
        out.push((row.get(0)?, markings, handling));
    }
    Ok(out)
}

/// The id of the `markings` row for these markings under this handling code ('P' or 'C'), added if new.
pub(crate) fn marking_id(conn: &Connection, m: &Markings, handling: char) -> Result<i64, StoreError> {
    let columns = (
        m.classification.rank(),
        &m.owner,
        list_to_column(&m.compartments),
        list_to_column(&m.caveats),
        handling.to_string(),
    );
    let found = conn
        .prepare_cached(
            "SELECT id FROM markings
             WHERE classification = ?1 AND owner = ?2 AND compartments = ?3 AND caveats = ?4 AND handling = ?5",
        )?
        .query_row(params![columns.0, columns.1, columns.2, columns.3, columns.4], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    conn.prepare_cached(
        "INSERT INTO markings (classification, owner, compartments, caveats, handling) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![columns.0, columns.1, columns.2, columns.3, columns.4])?;
    Ok(conn.last_insert_rowid())
}

/// The markings one viewer may see, by id.
pub(crate) struct Visibility {
    visible: HashMap<i64, Markings>,
    /// The markings the viewer may not see: only hit / no-hit deconfliction reads them, for their owner.
    hidden: HashMap<i64, Markings>,
}

impl Visibility {
    /// Asks the policy about every marking in the store.
    pub(crate) fn load(conn: &Connection, viewer: &Viewer) -> Result<Self, StoreError> {
        let mut visible = HashMap::new();
        let mut hidden = HashMap::new();
        for (id, markings, handling) in all_markings(conn)? {
            if Policy.may_see(viewer, &markings, &handling) {
                visible.insert(id, markings);
            } else {
                hidden.insert(id, markings);
            }
        }
        Ok(Self { visible, hidden })
    }

    /// The markings with this id, if the viewer may see material carrying them.
    pub(crate) fn get(&self, marking: i64) -> Option<&Markings> {
        self.visible.get(&marking)
    }

    /// The markings with this id if the viewer may NOT see them. For hit / no-hit deconfliction only,
    /// which tells the viewer the owner and nothing else.
    pub(crate) fn hidden(&self, marking: i64) -> Option<&Markings> {
        self.hidden.get(&marking)
    }

    /// The visible marking ids as an SQL list for `IN (...)` (`NULL` when there are none, which matches nothing).
    pub(crate) fn sql_list(&self) -> String {
        if self.visible.is_empty() {
            return "NULL".into();
        }
        let mut ids: Vec<i64> = self.visible.keys().copied().collect();
        ids.sort_unstable();
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    }
}

/// Whether the viewer whose `visibility` this is may see the report `id` (false for a
/// report that is not stored).
pub(crate) fn visible_report(conn: &Connection, visibility: &Visibility, id: &str) -> Result<bool, StoreError> {
    let marking: Option<i64> =
        conn.prepare_cached("SELECT marking FROM reports WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    Ok(marking.is_some_and(|m| visibility.get(m).is_some()))
}
