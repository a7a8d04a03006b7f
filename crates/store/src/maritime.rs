//! The watchlist of suspect vessels, watched areas, and the alerts the
//! behaviours of watched vessels raise (issue 6 point 4).
//!
//! Access: a watch and an area carry markings and a handling code, stored in
//! the `markings` table like a report's, and are seen only through
//! [`crate::visibility::Visibility`]. Alerts and the positions of watched
//! vessels inherit the markings of their watch. The vessel entity and the
//! group a watch is linked to are shown only when the viewer may see a
//! statement about them (the entity's caption), otherwise `None`.
//!
//! Roles: analysts, investigators, stream leads and administrators keep the
//! watchlist (add watches and areas, acknowledge alerts); debriefing officers,
//! partner liaison officers and auditors may not ([`may_keep_watchlist`]).
//! Recording a scan is open to every role that reads intelligence; what it
//! reports back counts only what the uploader may see.

use serde::Serialize;
use tessera_model::{Handling, Markings};

/// A watch to add: an MMSI, optionally linked to the vessel entity and the
/// group of the picture, with why it is watched and its markings.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWatch {
    /// The vessel's Maritime Mobile Service Identity (nine digits).
    pub mmsi: u32,
    /// Id of the vessel entity of the picture, if known.
    pub vessel: Option<String>,
    /// Id of the organised crime group (organisation entity) it is linked to, if known.
    pub group: Option<String>,
    /// Why the vessel is watched.
    pub reason: String,
    /// Markings of the watch (its alerts and positions inherit them).
    pub markings: Markings,
    /// Handling code of the watch.
    pub handling: Handling,
}

/// An entity of the picture as a watch or alert refers to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRef {
    /// Entity id.
    pub id: String,
    /// Caption from the statements the viewer may see.
    pub caption: String,
}

/// One position of a watched vessel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackPoint {
    /// Seconds since the UNIX epoch.
    pub time: i64,
    /// Latitude (WGS 84).
    pub lat: f64,
    /// Longitude (WGS 84).
    pub lon: f64,
    /// Speed over ground in knots, if reported.
    pub sog: Option<f32>,
    /// Course over ground in degrees, if reported.
    pub cog: Option<f32>,
}

/// A watch as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Watch {
    /// Watch id.
    pub id: i64,
    /// The watched MMSI.
    pub mmsi: u32,
    /// Flag state (ISO alpha-2) from the MMSI's Maritime Identification Digits.
    pub flag: Option<String>,
    /// The latest AIS ship name seen for the MMSI.
    pub name: Option<String>,
    /// The linked vessel entity, if the viewer may see it.
    pub vessel: Option<EntityRef>,
    /// The linked group, if the viewer may see it.
    pub group: Option<EntityRef>,
    /// Why the vessel is watched.
    pub reason: String,
    /// Owning agency.
    pub owner: String,
    /// Who added it.
    pub added_by: String,
    /// When (seconds since the UNIX epoch).
    pub added_at: i64,
    /// Classification, e.g. "OFFICIAL-SENSITIVE".
    pub classification: String,
    /// Handling code, "P" or "C".
    pub handling: String,
    /// Conditions of a C handling code, if any.
    pub handling_conditions: Option<String>,
    /// The full marking banner (classification, compartments, caveats).
    pub banner: String,
    /// Alerts of this watch still open.
    pub open_alerts: usize,
    /// The latest recorded position.
    pub last_position: Option<TrackPoint>,
}

/// An alert: a behaviour of a watched vessel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Alert id.
    pub id: i64,
    /// The watch that raised it.
    pub watch: i64,
    /// The watched MMSI.
    pub mmsi: u32,
    /// The other vessel (an encounter's partner, an IMO number's previous MMSI).
    pub other_mmsi: Option<u32>,
    /// The watch's vessel entity, if the viewer may see it.
    pub vessel: Option<EntityRef>,
    /// Behaviour: gap, encounter, loitering, identity_change, speed_jump, area_entry, area_exit, short_stop.
    pub kind: String,
    /// Start (seconds since the UNIX epoch).
    pub start: i64,
    /// End (seconds; equal to start for instantaneous events).
    pub end: i64,
    /// Latitude of the event (NaN, serialised as null, when unknown).
    pub lat: f64,
    /// Longitude of the event (NaN, serialised as null, when unknown).
    pub lon: f64,
    /// The detector's evidence (kind-specific).
    pub details: serde_json::Value,
    /// "open", "acknowledged" or "retracted".
    pub status: String,
    /// When it was raised (seconds since the UNIX epoch).
    pub raised_at: i64,
    /// The watched vessel's track around the event (only when one alert is read).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<TrackPoint>,
}

/// Which alerts to list.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Only this watch.
    pub watch: Option<i64>,
    /// Only alerts ending at or after this time (seconds).
    pub since: Option<i64>,
    /// Only alerts starting at or before this time (seconds).
    pub until: Option<i64>,
    /// Page size; 0 means [`DEFAULT_ALERT_PAGE`]; at most [`MAX_ALERT_PAGE`].
    pub limit: usize,
    /// Alerts to skip.
    pub offset: usize,
}

/// A page of alerts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertPage {
    /// Alerts matching the filter that the viewer may see.
    pub total: usize,
    /// This page, newest first, without evidence.
    pub alerts: Vec<Alert>,
}

/// A watched area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchedArea {
    /// Area id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// A GeoJSON Feature with a Polygon or MultiPolygon geometry.
    pub feature: serde_json::Value,
    /// Owning agency.
    pub owner: String,
    /// Classification.
    pub classification: String,
}

/// What a scan of an AIS file did, counting only what the uploader may see.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanReceipt {
    /// NMEA sentences read.
    pub sentences: u64,
    /// AIS messages decoded.
    pub messages: u64,
    /// Positions of any vessel.
    pub positions: u64,
    /// Positions of watched vessels newly recorded (watches the uploader may see).
    pub watched_positions: u64,
    /// Alerts newly raised (watches the uploader may see).
    pub alerts_raised: u64,
    /// Alerts newly retracted by late data (watches the uploader may see).
    pub alerts_retracted: u64,
    /// Sentences or messages the decoder could not use.
    pub problems: u64,
}

/// A behaviour of a vessel, as the monitor hands it to the store: the store
/// raises one alert per watch of `mmsi` and per watch of `other_mmsi`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    /// The vessel.
    pub mmsi: u32,
    /// The other vessel, if any.
    pub other_mmsi: Option<u32>,
    /// Behaviour name (see [`Alert::kind`]).
    pub kind: String,
    /// Start (seconds).
    pub start: i64,
    /// End (seconds).
    pub end: i64,
    /// Latitude (NaN when unknown).
    pub lat: f64,
    /// Longitude (NaN when unknown).
    pub lon: f64,
    /// Evidence.
    pub details: serde_json::Value,
}

/// Names an earlier behaviour that late data withdrew.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertKey {
    /// The vessel.
    pub mmsi: u32,
    /// Behaviour name.
    pub kind: String,
    /// Start (seconds).
    pub start: i64,
    /// End (seconds): a withdrawn gap and the part of it reported again share their start.
    pub end: i64,
}

/// A change to the alerts, in the order the detector emitted it.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertChange {
    /// A behaviour: raise an alert per watch of its vessels (kept as is if already raised; a
    /// retracted alert with the same start is raised again with the new extent).
    Raise(NewAlert),
    /// A withdrawn behaviour: its alerts become "retracted".
    Retract(AlertKey),
}

/// What one flush of the monitor records, in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonitorBatch {
    /// Positions of watched MMSIs (the store keeps at most one per minute per watch).
    pub positions: Vec<(u32, TrackPoint)>,
    /// Behaviours of watched MMSIs and withdrawals, in order.
    pub changes: Vec<AlertChange>,
    /// The latest AIS ship name seen per watched MMSI.
    pub names: Vec<(u32, String)>,
}

/// Page size of an alert list when none is asked for.
pub const DEFAULT_ALERT_PAGE: usize = 100;
/// Largest page of alerts.
pub const MAX_ALERT_PAGE: usize = 1000;
/// Largest evidence track of one alert.
pub const MAX_EVIDENCE_POINTS: usize = 2000;
/// Evidence spans this long before an alert's start and after its end (seconds).
pub const EVIDENCE_MARGIN_S: i64 = 3600;

/// Whether a role keeps the watchlist: adds watches and areas, acknowledges alerts.
pub fn may_keep_watchlist(role: tessera_access::Role) -> bool {
    use tessera_access::Role;
    matches!(role, Role::Analyst | Role::Investigator | Role::StreamLead | Role::Administrator)
}

/// Largest track [`crate::Store::vessel_track`] returns (also its size when 0 points are asked for).
pub const MAX_TRACK_POINTS: usize = 10_000;

mod alerts;
mod common;
mod record;
mod watches;

pub(crate) use alerts::{alert, alerts, set_alert_status, vessel_track};
pub(crate) use record::record;
pub(crate) use watches::{add_area, add_watch, area_features, areas, watched_mmsis, watchlist};
