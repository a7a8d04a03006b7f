//! What the watchlist, the alerts and the monitor's writes share: who may
//! keep the watchlist, the checks on markings, entity references and tracks.

use rusqlite::{Connection, Row, params};
use tessera_access::Viewer;

use super::{TrackPoint, may_keep_watchlist};
use crate::StoreError;
pub(super) use crate::marked::{check_markings, entity_ref, now};

/// Refuses roles that do not keep the watchlist.
pub(super) fn require_keeper(viewer: &Viewer, what: &str) -> Result<(), StoreError> {
    if may_keep_watchlist(viewer.role) {
        Ok(())
    } else {
        Err(StoreError::Refused(format!("the role {} may not {what}", viewer.role)))
    }
}

/// The columns of [`track_point`], to follow `SELECT`.
pub(super) const POINT_COLUMNS: &str = "time, lat, lon, sog, cog";

/// Reads a row selected with [`POINT_COLUMNS`] from column `first` on.
pub(super) fn track_point(row: &Row<'_>, first: usize) -> rusqlite::Result<TrackPoint> {
    Ok(TrackPoint {
        time: row.get(first)?,
        lat: row.get(first + 1)?,
        lon: row.get(first + 2)?,
        sog: row.get::<_, Option<f64>>(first + 3)?.map(|v| v as f32),
        cog: row.get::<_, Option<f64>>(first + 4)?.map(|v| v as f32),
    })
}

/// The recorded positions of a watch between two times (inclusive), thinned evenly to at most
/// `max_points` (the first point kept, then every n-th).
pub(super) fn track(
    conn: &Connection,
    watch: i64,
    from: i64,
    to: i64,
    max_points: usize,
) -> Result<Vec<TrackPoint>, StoreError> {
    if from > to || max_points == 0 {
        return Ok(Vec::new());
    }
    let (lo, hi) = (from.div_euclid(60), to.div_euclid(60));
    let count: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM watch_positions WHERE watch = ?1 AND minute BETWEEN ?2 AND ?3")?
        .query_row(params![watch, lo, hi], |r| r.get(0))?;
    let max = i64::try_from(max_points).unwrap_or(i64::MAX);
    let stride = if count > max { (count + max - 1) / max } else { 1 };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {POINT_COLUMNS} FROM (
            SELECT {POINT_COLUMNS}, ROW_NUMBER() OVER (ORDER BY minute) - 1 AS n
            FROM watch_positions WHERE watch = ?1 AND minute BETWEEN ?2 AND ?3)
         WHERE n % ?4 = 0 AND time BETWEEN ?5 AND ?6 ORDER BY time"
    ))?;
    let rows = stmt.query_map(params![watch, lo, hi, stride, from, to], |r| track_point(r, 0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_access::Role;

    #[test]
    fn only_the_hubs_keepers_keep_the_watchlist() {
        for role in Role::ALL {
            let expected = matches!(role, Role::Analyst | Role::Investigator | Role::StreamLead | Role::Administrator);
            assert_eq!(may_keep_watchlist(role), expected, "{role}");
        }
    }
}
