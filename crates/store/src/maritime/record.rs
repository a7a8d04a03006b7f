//! The monitor's writes: positions of watched vessels, alerts raised and
//! retracted, ship names, one batch per transaction. Detection is
//! system-side (every watch is served whoever uploads the feed); what goes
//! back to the uploader counts only the watches the uploader may see.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, params};
use tessera_access::Viewer;

use super::common::now;
use super::{AlertChange, AlertKey, MonitorBatch, NewAlert, ScanReceipt};
use crate::StoreError;
use crate::visibility::Visibility;

/// A watch as the writes need it: its id and whether the uploader may see it.
#[derive(Clone, Copy)]
struct Target {
    id: i64,
    visible: bool,
}

/// The watches of each watched MMSI.
fn targets(conn: &Connection, visibility: &Visibility) -> Result<HashMap<u32, Vec<Target>>, StoreError> {
    let mut stmt = conn.prepare("SELECT id, mmsi, marking FROM watches")?;
    let mut out: HashMap<u32, Vec<Target>> = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?, r.get::<_, i64>(2)?)))? {
        let (id, mmsi, marking) = row?;
        out.entry(mmsi).or_default().push(Target { id, visible: visibility.get(marking).is_some() });
    }
    Ok(out)
}

/// A finite coordinate, else NULL.
fn coordinate(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn raise(conn: &Connection, watches: &HashMap<u32, Vec<Target>>, alert: &NewAlert, at: i64) -> Result<u64, StoreError> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO alerts (watch, mmsi, other_mmsi, kind, start, ends, lat, lon, details, status, raised_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open', ?10)
         ON CONFLICT (watch, kind, mmsi, start) DO UPDATE
            SET ends = excluded.ends, other_mmsi = excluded.other_mmsi, lat = excluded.lat, lon = excluded.lon,
                details = excluded.details, status = 'open', raised_at = excluded.raised_at,
                status_by = NULL, status_at = NULL
            WHERE alerts.status = 'retracted' AND alerts.ends != excluded.ends",
    )?;
    let details = alert.details.to_string();
    // The alert of each watch of the vessel, and of each watch of the other vessel seen from its side.
    let mut sides = vec![(alert.mmsi, alert.other_mmsi)];
    if let Some(other) = alert.other_mmsi
        && other != alert.mmsi
    {
        sides.push((other, Some(alert.mmsi)));
    }
    let mut raised = 0;
    for (mmsi, other) in sides {
        for target in watches.get(&mmsi).into_iter().flatten() {
            let changed = insert.execute(params![
                target.id,
                mmsi,
                other,
                alert.kind,
                alert.start,
                alert.end,
                coordinate(alert.lat),
                coordinate(alert.lon),
                details,
                at
            ])?;
            if changed > 0 && target.visible {
                raised += 1;
            }
        }
    }
    Ok(raised)
}

fn retract(conn: &Connection, watches: &HashMap<u32, Vec<Target>>, key: &AlertKey) -> Result<u64, StoreError> {
    // The alerts of the vessel's own watches, and those of the watches of a vessel it was seen with.
    let mut update = conn.prepare_cached(
        "UPDATE alerts SET status = 'retracted', status_by = NULL, status_at = ?5
         WHERE kind = ?1 AND start = ?2 AND ends = ?3 AND (mmsi = ?4 OR other_mmsi = ?4) AND status != 'retracted'
         RETURNING watch",
    )?;
    let visible: HashSet<i64> = watches.values().flatten().filter(|t| t.visible).map(|t| t.id).collect();
    let mut retracted = 0;
    for watch in update.query_map(params![key.kind, key.start, key.end, key.mmsi, now()], |r| r.get::<_, i64>(0))? {
        if visible.contains(&watch?) {
            retracted += 1;
        }
    }
    Ok(retracted)
}

pub(crate) fn record(conn: &mut Connection, viewer: &Viewer, batch: &MonitorBatch) -> Result<ScanReceipt, StoreError> {
    if !viewer.role.reads_intelligence() {
        return Err(StoreError::Refused(format!("the role {} may not scan AIS feeds", viewer.role)));
    }
    let visibility = Visibility::load(conn, viewer)?;
    let tx = conn.transaction()?;
    let watches = targets(&tx, &visibility)?;
    let mut receipt = ScanReceipt::default();
    {
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO watch_positions (watch, minute, time, lat, lon, sog, cog)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (mmsi, p) in &batch.positions {
            if !(p.lat.is_finite() && p.lon.is_finite() && p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0) {
                continue;
            }
            let finite = |v: Option<f32>| v.filter(|x| x.is_finite()).map(f64::from);
            for target in watches.get(mmsi).into_iter().flatten() {
                let changed = insert.execute(params![
                    target.id,
                    p.time.div_euclid(60),
                    p.time,
                    p.lat,
                    p.lon,
                    finite(p.sog),
                    finite(p.cog)
                ])?;
                if changed > 0 && target.visible {
                    receipt.watched_positions += 1;
                }
            }
        }
        let mut rename =
            tx.prepare_cached("UPDATE watches SET ship_name = ?1 WHERE mmsi = ?2 AND ship_name IS NOT ?1")?;
        for (mmsi, name) in &batch.names {
            rename.execute(params![name, mmsi])?;
        }
        let at = now();
        for change in &batch.changes {
            match change {
                AlertChange::Raise(alert) => receipt.alerts_raised += raise(&tx, &watches, alert, at)?,
                AlertChange::Retract(key) => receipt.alerts_retracted += retract(&tx, &watches, key)?,
            }
        }
    }
    tx.commit()?;
    Ok(receipt)
}
