//! Maritime monitoring in the API: the watchlist of suspect vessels, the
//! watched areas, the alerts their behaviours raised (each with its track
//! segment as evidence), the stored tracks, and the upload of raw AIS for
//! scanning. Every read is audited before it is answered and every change
//! after it is made; the store decides what is visible (a watch, its alerts
//! and positions carry the watch's markings).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use tessera_model::{Classification, Handling, Markings};
use tessera_monitor::{MonitorError, ScanOptions};
use tessera_store::{
    Alert, AlertFilter, AlertPage, AuditEvent, NewWatch, ScanReceipt, Store, StoreError, TrackPoint, Watch,
};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::Caller;

/// Largest AIS upload (NMEA text) accepted by `POST /api/maritime/ais`.
pub(crate) const MAX_AIS_UPLOAD_BYTES: usize = 256 * 1024 * 1024;
/// Longest upload name accepted.
const MAX_NAME_CHARS: usize = 200;

/// Most alerts in one page.
const MAX_ALERTS: usize = 1000;
/// Alerts in a page when `limit` is not given.
const DEFAULT_ALERTS: usize = 200;
/// Most track points in one answer.
const MAX_TRACK_POINTS: usize = 20_000;
/// Track points when `max_points` is not given.
const DEFAULT_TRACK_POINTS: usize = 2_000;
/// Longest free text (reason) accepted.
const MAX_REASON_CHARS: usize = 2_000;
/// Longest entity id accepted.
const MAX_ID_CHARS: usize = 200;

/// The behaviour kinds an alert may have (`kind` filter).
const KINDS: [&str; 9] = [
    "gap",
    "encounter",
    "loitering",
    "short_stop",
    "area_entry",
    "area_exit",
    "identity_change",
    "speed_jump",
    "retracted",
];
/// The statuses an alert may have.
const STATUSES: [&str; 3] = ["open", "acknowledged", "retracted"];

/// `{"watches": [...]}`.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Watchlist {
    watches: Vec<Watch>,
}

/// `{"watch": ID, "points": [...]}`.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Track {
    watch: i64,
    points: Vec<TrackPoint>,
}

/// A time parameter: Unix seconds, a date `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time.
fn time(name: &str, value: &str) -> Result<i64, ApiError> {
    let v = value.trim();
    if let Ok(seconds) = v.parse::<i64>() {
        return Ok(seconds);
    }
    let bad = || {
        ApiError::bad_request(format!(
            "`{name}` must be Unix seconds, a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ, not {value:?}"
        ))
    };
    let (date, clock) = match v.split_once('T') {
        Some((d, c)) => (d, Some(c)),
        None => (v, None),
    };
    if date.len() != 10 {
        return Err(bad());
    }
    let days = tessera_model::time::day_number(date).ok_or_else(bad)?;
    let mut seconds = days * 86_400;
    if let Some(clock) = clock {
        let clock = clock.strip_suffix('Z').ok_or_else(bad)?;
        let parts: Vec<&str> = clock.split(':').collect();
        let (h, m, s) = match parts.as_slice() {
            [h, m] => (*h, *m, "0"),
            [h, m, s] => (*h, *m, *s),
            _ => return Err(bad()),
        };
        let field = |x: &str, max: i64| x.parse::<i64>().ok().filter(|n| (0..=max).contains(n)).ok_or_else(bad);
        seconds += field(h, 23)? * 3600 + field(m, 59)? * 60 + field(s, 60)?;
    }
    Ok(seconds)
}

/// A count parameter no larger than `max`.
fn count(name: &str, value: &str, max: usize) -> Result<usize, ApiError> {
    let n: usize = value
        .trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("`{name}` must be a whole number, not {value:?}")))?;
    if n > max {
        return Err(ApiError::bad_request(format!("`{name}` must be at most {max}")));
    }
    Ok(n)
}

/// One of a fixed list of words.
fn one_of(name: &str, value: &str, allowed: &[&str]) -> Result<String, ApiError> {
    let v = value.trim();
    if allowed.contains(&v) {
        Ok(v.to_string())
    } else {
        Err(ApiError::bad_request(format!("`{name}` must be one of {}, not {value:?}", allowed.join(", "))))
    }
}

/// Refuses parameters outside `allowed`, naming them.
fn only(pairs: &[(String, String)], allowed: &[&str]) -> Result<(), ApiError> {
    match pairs.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        Some((k, _)) => Err(ApiError::bad_request(format!(
            "unknown parameter `{k}` (expected {})",
            allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        ))),
        None => Ok(()),
    }
}

/// The alert filter of a query string.
fn alert_filter(pairs: &[(String, String)]) -> Result<AlertFilter, ApiError> {
    only(pairs, &["kind", "status", "watch", "since", "until", "limit", "offset"])?;
    let mut f = AlertFilter { limit: DEFAULT_ALERTS, ..AlertFilter::default() };
    for (key, value) in pairs {
        match key.as_str() {
            "kind" => f.kind = Some(one_of("kind", value, &KINDS)?),
            "status" => f.status = Some(one_of("status", value, &STATUSES)?),
            "watch" => {
                f.watch = Some(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| ApiError::bad_request(format!("`watch` must be a watch id, not {value:?}")))?,
                )
            }
            "since" => f.since = Some(time("since", value)?),
            "until" => f.until = Some(time("until", value)?),
            "limit" => f.limit = count("limit", value, MAX_ALERTS)?,
            "offset" => f.offset = count("offset", value, usize::MAX)?,
            _ => {}
        }
    }
    Ok(f)
}

/// `GET /api/maritime/watchlist`: the watched vessels the caller may see.
pub(crate) async fn api_watchlist(State(state): State<AppState>, caller: Caller) -> Result<Json<Watchlist>, ApiError> {
    let watches = state
        .read_audited(&caller.viewer, AuditEvent::new("read_watchlist", String::new()), |store, viewer| {
            store.watchlist(viewer)
        })
        .await?;
    Ok(Json(Watchlist { watches }))
}

/// Body of `POST /api/maritime/watchlist`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WatchBody {
    mmsi: u32,
    #[serde(default)]
    vessel: Option<String>,
    #[serde(default)]
    group: Option<String>,
    reason: String,
    #[serde(default)]
    classification: Option<String>,
    #[serde(default)]
    handling: Option<String>,
    #[serde(default)]
    conditions: Option<String>,
    #[serde(default)]
    compartments: Vec<String>,
    #[serde(default)]
    caveats: Vec<String>,
}

/// An optional entity id from a body, checked.
fn optional_id(name: &str, value: Option<String>) -> Result<Option<String>, ApiError> {
    let Some(v) = value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > MAX_ID_CHARS || v.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "`{name}` must be an entity id of at most {MAX_ID_CHARS} characters without control characters"
        )));
    }
    Ok(Some(v))
}

impl WatchBody {
    /// The new watch, owned by the caller's agency.
    fn into_watch(self, agency: &str) -> Result<NewWatch, ApiError> {
        let reason = self.reason.trim().to_string();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(ApiError::bad_request(format!("`reason` must be 1 to {MAX_REASON_CHARS} characters")));
        }
        let classification = match self.classification.as_deref().map(str::trim) {
            None | Some("") => Classification::OfficialSensitive,
            Some(c) => c.parse().map_err(|_| {
                ApiError::bad_request(format!(
                    "`classification` must be OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET, not {c:?}"
                ))
            })?,
        };
        let handling = match (self.handling.as_deref().map(str::trim), self.conditions) {
            (None | Some("" | "C"), conditions) => Handling::Conditions(
                conditions
                    .unwrap_or_else(|| "Hub agencies only: do not disseminate without the owner's consent".into()),
            ),
            (Some("P"), None) => Handling::Permitted,
            (Some("P"), Some(_)) => return Err(ApiError::bad_request("`conditions` go with handling C, not P")),
            (Some(other), _) => {
                return Err(ApiError::bad_request(format!("`handling` must be P or C, not {other:?}")));
            }
        };
        let markings = Markings {
            classification,
            owner: agency.to_string(),
            compartments: self.compartments.into_iter().map(|c| c.trim().to_string()).collect(),
            caveats: self.caveats.into_iter().map(|c| c.trim().to_string()).collect(),
        };
        Ok(NewWatch {
            mmsi: self.mmsi,
            vessel: optional_id("vessel", self.vessel)?,
            group: optional_id("group", self.group)?,
            reason,
            markings,
            handling,
        })
    }
}

/// `POST /api/maritime/watchlist`: puts a vessel on the caller's agency's watchlist.
pub(crate) async fn api_add_watch(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Watch>), ApiError> {
    let body = body?;
    let parsed: WatchBody = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "expected {{\"mmsi\", \"reason\", and optionally \"vessel\", \"group\", \"classification\", \"handling\", \"conditions\", \"compartments\", \"caveats\"}}: {e}"
        ))
    })?;
    let watch = parsed.into_watch(&caller.viewer.agency)?;
    let detail = format!(
        "mmsi={} vessel={} group={}",
        watch.mmsi,
        watch.vessel.as_deref().unwrap_or(""),
        watch.group.as_deref().unwrap_or("")
    );
    let added = state
        .write_as(caller.viewer, move |store, viewer| {
            let added = store.add_watch(viewer, &watch)?;
            store.audit(viewer, &AuditEvent::new("watch_add", format!("watch {}: {detail}", added.id)))?;
            Ok::<_, StoreError>(added)
        })
        .await
        .map_err(ApiError::store)?
        .map_err(ApiError::from_store)?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// `GET /api/maritime/areas`: the watched areas the caller may see, as a GeoJSON FeatureCollection.
pub(crate) async fn api_areas(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<serde_json::Value>, ApiError> {
    let areas = state
        .read_audited(&caller.viewer, AuditEvent::new("read_areas", String::new()), |store, viewer| store.areas(viewer))
        .await?;
    let features: Vec<serde_json::Value> = areas
        .into_iter()
        .map(|a| {
            let mut f = a.feature;
            if !f.is_object() {
                f = serde_json::json!({ "type": "Feature", "geometry": null });
            }
            f["properties"] = serde_json::json!({
                "id": a.id, "name": a.name, "owner": a.owner, "classification": a.classification,
            });
            f
        })
        .collect();
    Ok(Json(serde_json::json!({ "type": "FeatureCollection", "features": features })))
}

/// `GET /api/maritime/alerts?kind=&status=&watch=&since=&until=&limit=&offset=`: newest first.
pub(crate) async fn api_alerts(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<AlertPage>, ApiError> {
    let Query(pairs) = query?;
    let filter = alert_filter(&pairs)?;
    let detail = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
    let page = state
        .read_audited(&caller.viewer, AuditEvent::new("read_alerts", detail), move |store, viewer| {
            store.alerts(viewer, &filter)
        })
        .await?;
    Ok(Json(page))
}

/// An alert id from the path.
fn alert_id(id: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let Path(id) = id?;
    id.trim().parse().map_err(|_| ApiError::bad_request(format!("an alert id is a number, not {id:?}")))
}

/// `GET /api/maritime/alerts/{id}`: one alert with its evidence (the vessel's track around it).
pub(crate) async fn api_alert(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Alert>, ApiError> {
    let id = alert_id(id)?;
    state
        .read_audited(&caller.viewer, AuditEvent::new("read_alert", id.to_string()), move |store, viewer| {
            store.alert(viewer, id)
        })
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no alert {id}")))
}

/// Body of `POST /api/maritime/alerts/{id}/status`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatusBody {
    status: String,
}

/// `POST /api/maritime/alerts/{id}/status` with `{"status": "acknowledged" | "open"}`.
pub(crate) async fn api_alert_status(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Alert>, ApiError> {
    let id = alert_id(id)?;
    let body = body?;
    let StatusBody { status } = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("expected {{\"status\": \"acknowledged\" or \"open\"}}: {e}")))?;
    let status = one_of("status", &status, &["acknowledged", "open"])?;
    let alert = state
        .write_as(caller.viewer, move |store, viewer| {
            let alert = store.set_alert_status(viewer, id, &status)?;
            store.audit(viewer, &AuditEvent::new("alert_status", format!("alert {id}: {status}")))?;
            Ok::<_, StoreError>(alert)
        })
        .await
        .map_err(ApiError::store)?
        .map_err(ApiError::from_store)?;
    Ok(Json(alert))
}

/// `GET /api/maritime/tracks/{watch}?from=&to=&max_points=`: the stored track of one watched vessel.
pub(crate) async fn api_track(
    State(state): State<AppState>,
    caller: Caller,
    watch: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Track>, ApiError> {
    let Path(watch) = watch?;
    let watch: i64 =
        watch.trim().parse().map_err(|_| ApiError::bad_request(format!("a watch id is a number, not {watch:?}")))?;
    let Query(pairs) = query?;
    only(&pairs, &["from", "to", "max_points"])?;
    let (mut from, mut to, mut max_points) = (None, None, DEFAULT_TRACK_POINTS);
    for (key, value) in &pairs {
        match key.as_str() {
            "from" => from = Some(time("from", value)?),
            "to" => to = Some(time("to", value)?),
            "max_points" => max_points = count("max_points", value, MAX_TRACK_POINTS)?.max(2),
            _ => {}
        }
    }
    let detail = format!("watch {watch}");
    state
        .read_audited(&caller.viewer, AuditEvent::new("read_track", detail), move |store, viewer| {
            store.vessel_track(viewer, watch, from, to, max_points)
        })
        .await?
        .map(|points| Json(Track { watch, points }))
        .ok_or_else(|| ApiError::not_found(format!("no watch {watch}")))
}

/// `POST /api/maritime/ais?name=FILE`: scans raw AIS (NMEA 0183 lines, tag blocks and `$PGHP`
/// allowed) for the behaviours of watched vessels; alerts and positions are recorded for every
/// watch, and the receipt counts only what the caller may see.
pub(crate) async fn api_scan(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ScanReceipt>, ApiError> {
    let Query(pairs) = query?;
    only(&pairs, &["name"])?;
    let name = pairs
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "upload.nmea".to_string());
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "`name` must be at most {MAX_NAME_CHARS} characters without control characters"
        )));
    }
    let body = body?;
    let receipt = state
        .write_as(caller.viewer, move |store, viewer| {
            // On the record before anything is written, and the receipt after, as `tessera watch scan`.
            store.audit(viewer, &AuditEvent::new("watch_scan", format!("{name}: {} bytes", body.len())))?;
            let receipt = tessera_monitor::scan(store, viewer, &body[..], &name, ScanOptions::default())?;
            let detail = format!("{name}: {}", serde_json::to_string(&receipt).unwrap_or_default());
            store.audit(viewer, &AuditEvent::new("watch_scan_receipt", detail))?;
            Ok(receipt)
        })
        .await
        .map_err(ApiError::store)?
        .map_err(|e| match e {
            MonitorError::Store(e) => ApiError::from_store(e),
            e @ MonitorError::Io { .. } => ApiError::bad_request(e.to_string()),
            other => ApiError::internal(other.to_string()),
        })?;
    Ok(Json(receipt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_seconds_dates_or_utc_times() {
        assert_eq!(time("since", "1700000000").unwrap(), 1_700_000_000);
        assert_eq!(time("since", "1970-01-02").unwrap(), 86_400);
        assert_eq!(time("since", "1970-01-02T01:00:30Z").unwrap(), 86_400 + 3_630);
        assert_eq!(time("since", "1970-01-02T01:00Z").unwrap(), 86_400 + 3_600);
        for bad in ["yesterday", "2026-13-01", "2026-01-01T25:00Z", "2026-01-01T10:00", ""] {
            let e = time("since", bad).unwrap_err();
            assert!(e.message.contains("`since`"), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn alert_filters_are_checked_and_named() {
        let pairs = |s: &[(&str, &str)]| s.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let f = alert_filter(&pairs(&[("kind", "gap"), ("status", "open"), ("limit", "10"), ("watch", "3")])).unwrap();
        assert_eq!(
            (f.kind.as_deref(), f.status.as_deref(), f.limit, f.watch),
            (Some("gap"), Some("open"), 10, Some(3))
        );
        assert_eq!(alert_filter(&[]).unwrap().limit, DEFAULT_ALERTS);
        for (k, v, needle) in [
            ("kind", "party", "`kind`"),
            ("status", "closed", "`status`"),
            ("limit", "100000", "at most"),
            ("colour", "red", "unknown parameter `colour`"),
        ] {
            let e = alert_filter(&pairs(&[(k, v)])).unwrap_err();
            assert!(e.message.contains(needle), "{k}={v}: {}", e.message);
        }
    }

    #[test]
    fn a_new_watch_is_owned_by_the_callers_agency_and_defaults_to_hub_only() {
        let body: WatchBody = serde_json::from_str(r#"{"mmsi": 228123456, "reason": " seen launching "}"#).unwrap();
        let w = body.into_watch("NCA").unwrap();
        assert_eq!(w.markings.owner, "NCA");
        assert_eq!(w.markings.classification, Classification::OfficialSensitive);
        assert!(matches!(w.handling, Handling::Conditions(_)));
        assert_eq!(w.reason, "seen launching");
        let p: WatchBody =
            serde_json::from_str(r#"{"mmsi": 1, "reason": "x", "handling": "P", "classification": "OFFICIAL"}"#)
                .unwrap();
        assert_eq!(p.into_watch("BF").unwrap().handling, Handling::Permitted);
        for bad in [
            r#"{"mmsi": 1, "reason": ""}"#,
            r#"{"mmsi": 1, "reason": "x", "handling": "Z"}"#,
            r#"{"mmsi": 1, "reason": "x", "classification": "PUBLIC"}"#,
            r#"{"mmsi": 1, "reason": "x", "vessel": "a\nb"}"#,
        ] {
            let b: WatchBody = serde_json::from_str(bad).unwrap();
            assert!(b.into_watch("NCA").is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<WatchBody>(r#"{"mmsi": 1, "reason": "x", "owner": "EVIL"}"#).is_err());
    }
}
