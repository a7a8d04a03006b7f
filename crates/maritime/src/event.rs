//! Events the behaviour detectors raise.

use serde::Serialize;

/// What kind of behaviour an event reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The vessel went silent for longer than the gap threshold.
    Gap,
    /// Two vessels stayed close and slow together.
    Encounter,
    /// The vessel stayed slow for a long time.
    Loitering,
    /// A name, call sign or IMO number changed for one MMSI, or one IMO
    /// number moved to another MMSI (and flag).
    IdentityChange,
    /// Consecutive points of one MMSI imply an impossible speed.
    SpeedJump,
    /// The vessel entered a watched area.
    AreaEntry,
    /// The vessel left a watched area.
    AreaExit,
    /// A short stop at sea between two periods of transit (small-boat
    /// launch).
    ShortStop,
    /// A late position withdrew an earlier event.
    Retracted,
}

/// Kind-specific evidence of an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Details {
    /// Gap: duration, distance and implied speed across it, and where the
    /// vessel reappeared.
    Gap {
        /// Hours of silence.
        hours: f64,
        /// Distance between the last point before and the first after (nm).
        distance_nm: f64,
        /// Speed implied across the gap (knots).
        implied_knots: f64,
        /// Latitude where the vessel reappeared.
        end_lat: f64,
        /// Longitude where the vessel reappeared.
        end_lon: f64,
    },
    /// Encounter: median speed of both vessels and closest approach.
    Encounter {
        /// Median of both vessels' speeds during the encounter (knots).
        median_knots: f64,
        /// Closest distance seen (metres).
        min_distance_m: f64,
        /// Number of close pairs of points observed.
        observations: u32,
    },
    /// Loitering: average speed (distance / hours) and distance covered.
    Loitering {
        /// Average speed over the period (knots).
        average_knots: f64,
        /// Distance covered (nm).
        distance_nm: f64,
    },
    /// Identity change: which field, from what, to what.
    IdentityChange {
        /// `name`, `callsign`, `imo`, `mmsi` or `flag`.
        field: &'static str,
        /// The value before.
        old: String,
        /// The value after.
        new: String,
    },
    /// Speed jump: distance and implied speed between the two points.
    SpeedJump {
        /// Distance between the points (nm).
        distance_nm: f64,
        /// Implied speed (knots; infinite for two places at one time).
        implied_knots: f64,
    },
    /// Area entry or exit.
    Area {
        /// The area's name.
        area: String,
    },
    /// Short stop: its duration and the watched area it was in, if any.
    ShortStop {
        /// Minutes from the first slow point to the first point moving again.
        minutes: f64,
        /// The watched area the stop began in, if any.
        area: Option<String>,
    },
    /// Retraction: the id of the withdrawn event and why.
    Retracted {
        /// Id of the withdrawn event.
        event: u64,
        /// Why it is withdrawn.
        reason: &'static str,
    },
}

/// One detected behaviour, with where and when it happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Id unique within one [`crate::Detector`], in order of emission, so a
    /// later [`EventKind::Retracted`] can name it.
    pub id: u64,
    /// What happened.
    pub kind: EventKind,
    /// The vessel (the lower MMSI of an encounter).
    pub mmsi: u32,
    /// The other vessel of an encounter, or the previous MMSI of an IMO
    /// number that moved.
    pub other_mmsi: Option<u32>,
    /// The track segment of `mmsi` the event belongs to (none for identity
    /// changes, which concern the MMSI).
    pub segment: Option<u64>,
    /// Start time (seconds).
    pub start: i64,
    /// End time (seconds); equal to `start` for instantaneous events.
    pub end: i64,
    /// Latitude of the event (NaN when no position of the MMSI is known yet).
    pub lat: f64,
    /// Longitude of the event (NaN when no position is known yet).
    pub lon: f64,
    /// Evidence.
    pub details: Details,
}
