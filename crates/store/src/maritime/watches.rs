//! Watches and watched areas: adding them and reading them back through
//! the viewer's visibility.

use rusqlite::{Connection, OptionalExtension, Row, params};
use tessera_access::Viewer;
use tessera_model::identifiers::mmsi::parse_mmsi;
use tessera_model::{EntityKind, Handling, Markings};

use super::common::{POINT_COLUMNS, check_markings, entity_ref, now, require_keeper, track_point};
use super::{NewWatch, Watch, WatchedArea};
use crate::StoreError;
use crate::marked::{checked_entity, checked_text};
use crate::visibility::{Visibility, marking_id};

pub(crate) fn add_watch(conn: &mut Connection, viewer: &Viewer, watch: &NewWatch) -> Result<Watch, StoreError> {
    require_keeper(viewer, "add watches")?;
    let mmsi = parse_mmsi(&format!("{:09}", watch.mmsi)).map_err(|e| StoreError::Invalid(format!("mmsi: {e}")))?.number;
    let reason = checked_text("reason", &watch.reason)?;
    check_markings(viewer, &watch.markings, &watch.handling)?;
    let visibility = Visibility::load(conn, viewer)?;
    let vessel = checked_entity(conn, &visibility, "vessel", watch.vessel.as_ref(), EntityKind::Vessel)?;
    let group = checked_entity(conn, &visibility, "group", watch.group.as_ref(), EntityKind::Organization)?;
    let tx = conn.transaction()?;
    let marking = marking_id(&tx, &watch.markings, watch.handling.code())?;
    let existing: Option<i64> = tx
        .query_row("SELECT id FROM watches WHERE mmsi = ?1 AND marking = ?2", params![mmsi, marking], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Err(StoreError::Invalid(format!(
            "mmsi: {mmsi:09} is already watched under these markings (watch {id})"
        )));
    }
    tx.execute(
        "INSERT INTO watches (mmsi, vessel, grp, reason, added_by, added_agency, added_at, marking, handling,
            handling_conditions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            mmsi,
            vessel,
            group,
            reason,
            viewer.user,
            viewer.agency,
            now(),
            marking,
            watch.handling.code().to_string(),
            watch.handling.conditions()
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    let visibility = Visibility::load(conn, viewer)?;
    load_watch(conn, &visibility, id)?.ok_or_else(|| StoreError::Corrupt(format!("watch {id} vanished")))
}

/// The columns of [`watch_row`], to follow `SELECT`.
const WATCH_COLUMNS: &str =
    "id, mmsi, vessel, grp, reason, added_by, added_at, marking, handling, handling_conditions, ship_name";

struct WatchRow {
    id: i64,
    mmsi: u32,
    vessel: Option<String>,
    group: Option<String>,
    reason: String,
    added_by: String,
    added_at: i64,
    marking: i64,
    handling: String,
    handling_conditions: Option<String>,
    name: Option<String>,
}

fn watch_row(r: &Row<'_>) -> rusqlite::Result<WatchRow> {
    Ok(WatchRow {
        id: r.get(0)?,
        mmsi: r.get(1)?,
        vessel: r.get(2)?,
        group: r.get(3)?,
        reason: r.get(4)?,
        added_by: r.get(5)?,
        added_at: r.get(6)?,
        marking: r.get(7)?,
        handling: r.get(8)?,
        handling_conditions: r.get(9)?,
        name: r.get(10)?,
    })
}

/// Builds the watch a viewer sees; `None` if its markings are hidden from the viewer.
fn build_watch(conn: &Connection, visibility: &Visibility, row: WatchRow) -> Result<Option<Watch>, StoreError> {
    let Some(markings) = visibility.get(row.marking) else { return Ok(None) };
    let open_alerts: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM alerts WHERE watch = ?1 AND status = 'open'")?
        .query_row([row.id], |r| r.get(0))?;
    let last_position = conn
        .prepare_cached(&format!(
            "SELECT {POINT_COLUMNS} FROM watch_positions WHERE watch = ?1 ORDER BY minute DESC LIMIT 1"
        ))?
        .query_row([row.id], |r| track_point(r, 0))
        .optional()?;
    let entity = |id: &Option<String>, kind| match id {
        Some(id) => entity_ref(conn, visibility, id, kind),
        None => Ok(None),
    };
    Ok(Some(Watch {
        id: row.id,
        mmsi: row.mmsi,
        flag: flag_of(row.mmsi),
        name: row.name,
        vessel: entity(&row.vessel, EntityKind::Vessel)?,
        group: entity(&row.group, EntityKind::Organization)?,
        reason: row.reason,
        owner: markings.owner.clone(),
        added_by: row.added_by,
        added_at: row.added_at,
        classification: markings.classification.as_str().to_string(),
        handling: row.handling,
        handling_conditions: row.handling_conditions.filter(|c| !c.is_empty()),
        banner: markings.banner(),
        open_alerts: usize::try_from(open_alerts).unwrap_or(0),
        last_position,
    }))
}

/// The flag state (ISO alpha-2) of an MMSI from its Maritime Identification Digits.
fn flag_of(mmsi: u32) -> Option<String> {
    parse_mmsi(&format!("{mmsi:09}")).ok().and_then(|m| m.flag).map(|c| c.alpha2.to_string())
}

/// One watch if the viewer may see it.
pub(super) fn load_watch(conn: &Connection, visibility: &Visibility, id: i64) -> Result<Option<Watch>, StoreError> {
    let row = conn
        .prepare_cached(&format!("SELECT {WATCH_COLUMNS} FROM watches WHERE id = ?1"))?
        .query_row([id], watch_row)
        .optional()?;
    match row {
        Some(row) => build_watch(conn, visibility, row),
        None => Ok(None),
    }
}

pub(crate) fn watchlist(conn: &Connection, viewer: &Viewer) -> Result<Vec<Watch>, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {WATCH_COLUMNS} FROM watches WHERE marking IN ({}) ORDER BY id DESC",
        visibility.sql_list()
    ))?;
    let rows = stmt.query_map([], watch_row)?.collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.extend(build_watch(conn, &visibility, row)?);
    }
    Ok(out)
}

pub(crate) fn watched_mmsis(conn: &Connection) -> Result<Vec<u32>, StoreError> {
    let mut stmt = conn.prepare("SELECT DISTINCT mmsi FROM watches ORDER BY mmsi")?;
    Ok(stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?)
}

/// Checks a GeoJSON Feature with the maritime engine's reader and names it `name`.
fn checked_feature(name: &str, feature: &serde_json::Value) -> Result<serde_json::Value, StoreError> {
    let mut feature = feature.clone();
    let Some(object) = feature.as_object_mut() else {
        return Err(StoreError::Invalid("feature: not a JSON object (a GeoJSON Feature)".into()));
    };
    if object.get("type").and_then(serde_json::Value::as_str) != Some("Feature") {
        return Err(StoreError::Invalid("feature: \"type\" is not \"Feature\"".into()));
    }
    let properties = object.entry("properties").or_insert_with(|| serde_json::json!({}));
    if !properties.is_object() {
        *properties = serde_json::json!({});
    }
    if let Some(p) = properties.as_object_mut() {
        p.insert("name".into(), serde_json::Value::String(name.to_string()));
    }
    tessera_maritime::Area::from_geojson(&feature.to_string())
        .map_err(|e| StoreError::Invalid(format!("feature: {e}")))?;
    Ok(feature)
}

pub(crate) fn add_area(
    conn: &mut Connection,
    viewer: &Viewer,
    name: &str,
    feature: &serde_json::Value,
    markings: &Markings,
    handling: &Handling,
) -> Result<WatchedArea, StoreError> {
    require_keeper(viewer, "add watched areas")?;
    let name = checked_text("name", name)?;
    let feature = checked_feature(&name, feature)?;
    check_markings(viewer, markings, handling)?;
    let tx = conn.transaction()?;
    let marking = marking_id(&tx, markings, handling.code())?;
    let existing: Option<i64> = tx
        .query_row("SELECT id FROM watched_areas WHERE name = ?1 AND marking = ?2", params![name, marking], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(id) = existing {
        return Err(StoreError::Invalid(format!(
            "name: an area {name:?} already exists under these markings (area {id})"
        )));
    }
    tx.execute(
        "INSERT INTO watched_areas (name, feature, added_by, added_at, marking, handling, handling_conditions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            name,
            feature.to_string(),
            viewer.user,
            now(),
            marking,
            handling.code().to_string(),
            handling.conditions()
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(WatchedArea {
        id,
        name,
        feature,
        owner: markings.owner.clone(),
        classification: markings.classification.as_str().to_string(),
    })
}

pub(crate) fn areas(conn: &Connection, viewer: &Viewer) -> Result<Vec<WatchedArea>, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT id, name, feature, marking FROM watched_areas WHERE marking IN ({}) ORDER BY name, id",
        visibility.sql_list()
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, feature, marking): (i64, String, String, i64) = row?;
        let Some(markings) = visibility.get(marking) else { continue };
        out.push(WatchedArea {
            id,
            name,
            feature: parse_feature(id, &feature)?,
            owner: markings.owner.clone(),
            classification: markings.classification.as_str().to_string(),
        });
    }
    Ok(out)
}

fn parse_feature(id: i64, text: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("watched area {id}: {e}")))
}

pub(crate) fn area_features(conn: &Connection) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
    let mut stmt = conn.prepare("SELECT id, name, feature FROM watched_areas ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, feature): (i64, String, String) = row?;
        out.push((name, parse_feature(id, &feature)?));
    }
    Ok(out)
}
