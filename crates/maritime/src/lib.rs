//! Tessera's maritime engine: AIS tracks and the behaviours of smuggling
//! vessels, over plain positions.
//!
//! [`Position`] and [`StaticInfo`] are plain data (converted from
//! `tessera_ais` messages by [`Converter`]); [`segment`] splits one MMSI's
//! positions into plausible tracks after Global Fishing Watch's
//! gpsdio-segment; [`Detector`] streams positions and raises [`Event`]s:
//! AIS gaps, encounters, loitering, identity changes, position jumps,
//! watched-area entries and exits, and short mid-sea stops; [`Tracker`]
//! assigns each position its segment as it streams in and summarises
//! segments as they close; [`read_records`] reads NMEA and gpsdio/GFW JSON
//! lines into positions and static records. Thresholds and
//! their sources are in `docs/maritime.md`.

pub mod detect;
pub mod event;
pub mod geo;
pub mod position;
pub mod segment;
pub mod source;
pub mod track;

pub use detect::{
    Detector, DetectorConfig, DetectorStats, EncounterConfig, GapConfig, JumpConfig, LoiterConfig, StopConfig,
};
pub use event::{Details, Event, EventKind};
pub use geo::{Area, AreaError, Polygon, distance_m, implied_knots};
pub use position::{ConvertStats, Converter, Dimensions, Position, StaticInfo, flag_of};
pub use segment::{OpenSegment, Segment, SegmentConfig, Segmentation, segment};
pub use source::{ReadCounts, ReadError, Record, read_records};
pub use track::{Track, Tracker, TrackerConfig, TrackerStats};
