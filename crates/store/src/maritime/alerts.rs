//! Reading alerts and tracks, and acknowledging alerts. An alert and a
//! position are visible exactly when their watch is.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};
use tessera_access::Viewer;
use tessera_model::EntityKind;

use super::common::{entity_ref, now, require_keeper, track};
use super::{
    Alert, AlertFilter, AlertPage, DEFAULT_ALERT_PAGE, EVIDENCE_MARGIN_S, EntityRef, MAX_ALERT_PAGE,
    MAX_EVIDENCE_POINTS, MAX_TRACK_POINTS, TrackPoint,
};
use crate::StoreError;
use crate::visibility::Visibility;

/// The statuses an alert can have.
const STATUSES: [&str; 3] = ["open", "acknowledged", "retracted"];

/// The columns of [`AlertRow`], to follow `SELECT` (alerts as `a`, watches as `w`).
const ALERT_COLUMNS: &str = "a.id, a.watch, a.mmsi, a.other_mmsi, a.kind, a.start, a.ends, a.lat, a.lon, a.details,
    a.status, a.raised_at, w.vessel";

/// The joins that go with [`ALERT_COLUMNS`].
const ALERT_FROM: &str = "FROM alerts a JOIN watches w ON w.id = a.watch";

struct AlertRow {
    alert: Alert,
    details: String,
    vessel: Option<String>,
}

fn alert_row(r: &Row<'_>) -> rusqlite::Result<AlertRow> {
    Ok(AlertRow {
        alert: Alert {
            id: r.get(0)?,
            watch: r.get(1)?,
            mmsi: r.get(2)?,
            other_mmsi: r.get(3)?,
            vessel: None,
            kind: r.get(4)?,
            start: r.get(5)?,
            end: r.get(6)?,
            lat: r.get::<_, Option<f64>>(7)?.unwrap_or(f64::NAN),
            lon: r.get::<_, Option<f64>>(8)?.unwrap_or(f64::NAN),
            details: serde_json::Value::Null,
            status: r.get(10)?,
            raised_at: r.get(11)?,
            evidence: Vec::new(),
        },
        details: r.get(9)?,
        vessel: r.get(12)?,
    })
}

/// What an alert's details say instead of the name of a watched area the viewer may not see.
pub(crate) const HIDDEN_AREA: &str = "a watched area you may not see";

/// Turns rows into alerts, with the vessel entity shown only if the viewer may see it, and the
/// name of a watched area only if the viewer may see that area (detection runs over every area,
/// so a visible watch can enter a hidden one).
struct Builder<'c> {
    conn: &'c Connection,
    visibility: &'c Visibility,
    vessels: HashMap<String, Option<EntityRef>>,
    areas: Option<std::collections::HashSet<String>>,
}

impl<'c> Builder<'c> {
    fn new(conn: &'c Connection, visibility: &'c Visibility) -> Self {
        Builder { conn, visibility, vessels: HashMap::new(), areas: None }
    }

    /// Names of the watched areas the viewer may see, read once.
    fn visible_areas(&mut self) -> Result<&std::collections::HashSet<String>, StoreError> {
        if self.areas.is_none() {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT name FROM watched_areas WHERE marking IN ({})",
                self.visibility.sql_list()
            ))?;
            let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<_, _>>()?;
            self.areas = Some(names);
        }
        Ok(self.areas.get_or_insert_with(Default::default))
    }

    fn build(&mut self, row: AlertRow) -> Result<Alert, StoreError> {
        let mut alert = row.alert;
        alert.details = serde_json::from_str(&row.details)
            .map_err(|e| StoreError::Corrupt(format!("details of alert {}: {e}", alert.id)))?;
        if let Some(area) = alert.details.get("area").and_then(|a| a.as_str()).map(str::to_string)
            && !self.visible_areas()?.contains(&area)
        {
            alert.details["area"] = serde_json::Value::String(HIDDEN_AREA.to_string());
        }
        if let Some(id) = row.vessel {
            let vessel = match self.vessels.get(&id) {
                Some(v) => v.clone(),
                None => {
                    let v = entity_ref(self.conn, self.visibility, &id, EntityKind::Vessel)?;
                    self.vessels.insert(id, v.clone());
                    v
                }
            };
            alert.vessel = vessel;
        }
        Ok(alert)
    }
}

/// The condition that keeps only the watches the viewer may see.
fn visible_watches(visibility: &Visibility) -> String {
    format!("w.marking IN ({})", visibility.sql_list())
}

pub(crate) fn alerts(conn: &Connection, viewer: &Viewer, filter: &AlertFilter) -> Result<AlertPage, StoreError> {
    if let Some(status) = &filter.status
        && !STATUSES.contains(&status.as_str())
    {
        return Err(StoreError::Invalid(format!("status: {status:?} is not one of {}", STATUSES.join(", "))));
    }
    let visibility = Visibility::load(conn, viewer)?;
    let mut conditions = vec![visible_watches(&visibility)];
    let mut values: Vec<Value> = Vec::new();
    let mut add = |condition: &str, value: Value| {
        values.push(value);
        conditions.push(condition.replace('?', &format!("?{}", values.len())));
    };
    if let Some(kind) = &filter.kind {
        add("a.kind = ?", Value::Text(kind.clone()));
    }
    if let Some(status) = &filter.status {
        add("a.status = ?", Value::Text(status.clone()));
    }
    if let Some(watch) = filter.watch {
        add("a.watch = ?", Value::Integer(watch));
    }
    if let Some(since) = filter.since {
        add("a.ends >= ?", Value::Integer(since));
    }
    if let Some(until) = filter.until {
        add("a.start <= ?", Value::Integer(until));
    }
    let condition = conditions.join(" AND ");
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) {ALERT_FROM} WHERE {condition}"),
        rusqlite::params_from_iter(values.iter()),
        |r| r.get(0),
    )?;
    let limit = match filter.limit {
        0 => DEFAULT_ALERT_PAGE,
        n => n.min(MAX_ALERT_PAGE),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {ALERT_COLUMNS} {ALERT_FROM} WHERE {condition} ORDER BY a.start DESC, a.id DESC LIMIT {limit} OFFSET {}",
        filter.offset.min(i64::MAX as usize)
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), alert_row)?.collect::<Result<Vec<_>, _>>()?;
    let mut builder = Builder::new(conn, &visibility);
    let alerts = rows.into_iter().map(|row| builder.build(row)).collect::<Result<Vec<_>, _>>()?;
    Ok(AlertPage { total: usize::try_from(total).unwrap_or(0), alerts })
}

/// One alert without evidence, if the viewer may see it.
fn visible_alert(conn: &Connection, visibility: &Visibility, id: i64) -> Result<Option<Alert>, StoreError> {
    let row = conn
        .prepare(&format!("SELECT {ALERT_COLUMNS} {ALERT_FROM} WHERE a.id = ?1 AND {}", visible_watches(visibility)))?
        .query_row([id], alert_row)
        .optional()?;
    let mut builder = Builder::new(conn, visibility);
    row.map(|row| builder.build(row)).transpose()
}

pub(crate) fn alert(conn: &Connection, viewer: &Viewer, id: i64) -> Result<Option<Alert>, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let Some(mut alert) = visible_alert(conn, &visibility, id)? else { return Ok(None) };
    alert.evidence = track(
        conn,
        alert.watch,
        alert.start.saturating_sub(EVIDENCE_MARGIN_S),
        alert.end.saturating_add(EVIDENCE_MARGIN_S),
        MAX_EVIDENCE_POINTS,
    )?;
    Ok(Some(alert))
}

pub(crate) fn set_alert_status(
    conn: &mut Connection,
    viewer: &Viewer,
    id: i64,
    status: &str,
) -> Result<Alert, StoreError> {
    require_keeper(viewer, "acknowledge or reopen alerts")?;
    if !matches!(status, "open" | "acknowledged") {
        return Err(StoreError::Invalid(format!("status: {status:?} is not \"open\" or \"acknowledged\"")));
    }
    let not_found = || StoreError::NotFound(format!("no alert {id}"));
    let visibility = Visibility::load(conn, viewer)?;
    let current = visible_alert(conn, &visibility, id)?.ok_or_else(not_found)?;
    if current.status == "retracted" {
        return Err(StoreError::Invalid(format!("alert {id} was retracted by later data; its status stays")));
    }
    conn.execute(
        "UPDATE alerts SET status = ?1, status_by = ?2, status_at = ?3 WHERE id = ?4 AND status != 'retracted'",
        params![status, viewer.user, now(), id],
    )?;
    alert(conn, viewer, id)?.ok_or_else(not_found)
}

pub(crate) fn vessel_track(
    conn: &Connection,
    viewer: &Viewer,
    watch: i64,
    from: Option<i64>,
    to: Option<i64>,
    max_points: usize,
) -> Result<Option<Vec<TrackPoint>>, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let visible: bool = conn
        .prepare(&format!(
            "SELECT EXISTS(SELECT 1 FROM watches w WHERE w.id = ?1 AND {})",
            visible_watches(&visibility)
        ))?
        .query_row([watch], |r| r.get(0))?;
    if !visible {
        return Ok(None);
    }
    let max_points = match max_points {
        0 => MAX_TRACK_POINTS,
        n => n.min(MAX_TRACK_POINTS),
    };
    // Minutes, not seconds, are indexed: keep the bounds where `minute * 60` cannot overflow.
    let (lo, hi) = (i64::MIN / 120, i64::MAX / 120);
    Ok(Some(track(conn, watch, from.unwrap_or(lo).max(lo), to.unwrap_or(hi).min(hi), max_points)?))
}
