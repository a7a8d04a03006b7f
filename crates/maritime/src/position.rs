//! Plain position and static-data records, and their conversion from
//! decoded AIS messages.

use serde::Serialize;
use tessera_ais::{Body, Message};

/// One timed position of one vessel: the only input the track and behaviour
/// engine needs, so that any source (AIS, a CSV of S-AIS, a radar track) can
/// feed it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Position {
    /// Maritime Mobile Service Identity of the transmitter.
    pub mmsi: u32,
    /// Time in seconds since the UNIX epoch.
    pub time: i64,
    /// Latitude in degrees (WGS 84).
    pub lat: f64,
    /// Longitude in degrees (WGS 84).
    pub lon: f64,
    /// Speed over ground in knots, if reported.
    pub sog: Option<f32>,
    /// Course over ground in degrees, if reported.
    pub cog: Option<f32>,
    /// True heading in degrees, if reported.
    pub heading: Option<u16>,
}

impl Position {
    /// Whether the coordinates are finite and on the globe: 91/181 ("not
    /// available") and NaN positions are not.
    pub fn is_valid(&self) -> bool {
        self.lat.is_finite() && self.lon.is_finite() && self.lat.abs() <= 90.0 && self.lon.abs() <= 180.0
    }

    /// Whether both are the same fix: same MMSI, time and coordinates (what
    /// distances and implied speeds depend on; speed and course may differ).
    #[inline]
    pub fn same_fix(&self, other: &Position) -> bool {
        self.time == other.time && self.lat == other.lat && self.lon == other.lon && self.mmsi == other.mmsi
    }

    /// The reported speed over ground if it is a usable number.
    pub fn reported_speed(&self) -> Option<f64> {
        self.sog.filter(|s| s.is_finite() && *s >= 0.0).map(f64::from)
    }

    /// Converts a position report (types 1, 2, 3, 18, 19, 27) with its
    /// time: the reception time of the message's tag block or `$PGHP` line,
    /// else `fallback_time` (seconds). `None` for other types, for reports
    /// without a position and for reports without any time.
    pub fn from_message(m: &Message, fallback_time: Option<i64>) -> Option<Position> {
        let time = message_time(m, fallback_time)?;
        let (lat, lon, sog, cog, heading) = position_fields(m)?;
        Some(Position { mmsi: m.mmsi, time, lat: lat?, lon: lon?, sog, cog, heading })
    }
}

type Fields = (Option<f64>, Option<f64>, Option<f32>, Option<f32>, Option<u16>);

fn position_fields(m: &Message) -> Option<Fields> {
    let f = |v: Option<f64>| v.map(|x| x as f32);
    Some(match &m.body {
        Body::Position(p) => (p.lat, p.lon, f(p.speed), f(p.course), p.heading),
        Body::ClassB(p) => (p.lat, p.lon, f(p.speed), f(p.course), p.heading),
        Body::ClassBExtended(p) => (p.lat, p.lon, f(p.speed), f(p.course), p.heading),
        Body::LongRange(p) => (p.lat, p.lon, p.speed.map(f32::from), p.course.map(f32::from), None),
        _ => return None,
    })
}

fn message_time(m: &Message, fallback_time: Option<i64>) -> Option<i64> {
    m.meta.received_ms.map(|ms| ms.div_euclid(1000)).or(fallback_time)
}

/// A vessel's hull dimensions from the GNSS antenna, in metres, as AIS
/// reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Dimensions {
    /// Antenna to bow.
    pub to_bow: u16,
    /// Antenna to stern.
    pub to_stern: u16,
    /// Antenna to port.
    pub to_port: u16,
    /// Antenna to starboard.
    pub to_starboard: u16,
}

/// What a vessel says about itself (types 5, 19 and 24): joined to its track
/// and watched for identity changes. Fields a message does not carry are
/// `None` (a type 24 part A only names the vessel).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct StaticInfo {
    /// MMSI of the transmitter.
    pub mmsi: u32,
    /// When it was seen (seconds), if known.
    pub time: Option<i64>,
    /// Ship name.
    pub name: Option<String>,
    /// Radio call sign.
    pub callsign: Option<String>,
    /// IMO number.
    pub imo: Option<u32>,
    /// AIS ship and cargo type.
    pub ship_type: Option<u8>,
    /// Hull dimensions.
    pub dimensions: Option<Dimensions>,
    /// Reported destination.
    pub destination: Option<String>,
    /// Flag state (ISO alpha-2) from the MMSI's Maritime Identification
    /// Digits.
    pub flag: Option<&'static str>,
}

fn text(t: Option<impl AsRef<str>>) -> Option<String> {
    t.map(|s| s.as_ref().trim().to_string()).filter(|s| !s.is_empty())
}

fn dims(b: Option<u16>, s: Option<u16>, p: Option<u8>, sb: Option<u8>) -> Option<Dimensions> {
    let d = Dimensions {
        to_bow: b.unwrap_or(0),
        to_stern: s.unwrap_or(0),
        to_port: p.map(u16::from).unwrap_or(0),
        to_starboard: sb.map(u16::from).unwrap_or(0),
    };
    (d != Dimensions::default()).then_some(d)
}

impl StaticInfo {
    /// Converts static data (types 5, 19, 24 A and B); `None` for other
    /// types. The time is the message's reception time, else
    /// `fallback_time`; static data without a time is still useful, so it is
    /// kept with `time: None`.
    pub fn from_message(m: &Message, fallback_time: Option<i64>) -> Option<StaticInfo> {
        let mut s = StaticInfo {
            mmsi: m.mmsi,
            time: message_time(m, fallback_time),
            flag: flag_of(m.mmsi),
            ..StaticInfo::default()
        };
        match &m.body {
            Body::StaticVoyage(v) => {
                s.name = text(v.shipname.as_ref().map(|t| t.as_str()));
                s.callsign = text(v.callsign.as_ref().map(|t| t.as_str()));
                s.imo = v.imo.filter(|&i| i != 0);
                s.ship_type = v.ship_type;
                s.dimensions = dims(v.to_bow, v.to_stern, v.to_port, v.to_starboard);
                s.destination = text(v.destination.as_ref().map(|t| t.as_str()));
            }
            Body::ClassBExtended(v) => {
                s.name = text(v.shipname.as_ref().map(|t| t.as_str()));
                s.ship_type = v.ship_type;
                s.dimensions = dims(v.to_bow, v.to_stern, v.to_port, v.to_starboard);
            }
            Body::StaticDataA(v) => s.name = text(v.shipname.as_ref().map(|t| t.as_str())),
            Body::StaticDataB(v) => {
                s.callsign = text(v.callsign.as_ref().map(|t| t.as_str()));
                s.ship_type = v.ship_type;
                s.dimensions = dims(v.to_bow, v.to_stern, v.to_port, v.to_starboard);
            }
            _ => return None,
        }
        Some(s)
    }

    /// Takes every field `newer` carries, keeping the others: the joined
    /// static picture of one MMSI.
    pub fn merge(&mut self, newer: &StaticInfo) {
        macro_rules! take {
            ($($f:ident),*) => { $( if newer.$f.is_some() { self.$f = newer.$f.clone(); } )* };
        }
        take!(time, name, callsign, imo, ship_type, dimensions, destination, flag);
        self.mmsi = newer.mmsi;
    }
}

/// The flag state (ISO 3166 alpha-2) of a ship station MMSI (`MIDxxxxxx`),
/// from the ITU's Maritime Identification Digits. `None` for other MMSI
/// forms (coast stations, SAR aircraft, AtoN, group calls) and unallocated
/// MIDs.
pub fn flag_of(mmsi: u32) -> Option<&'static str> {
    if !(200_000_000..800_000_000).contains(&mmsi) {
        return None;
    }
    tessera_model::countries::mmsi_mid_country((mmsi / 1_000_000) as u16).map(|c| c.alpha2)
}

/// Counts of what [`Converter`] did with the messages it saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ConvertStats {
    /// Positions produced.
    pub positions: u64,
    /// Static records produced.
    pub statics: u64,
    /// Position reports skipped because neither the message nor the caller
    /// gave a time.
    pub no_time: u64,
    /// Position reports skipped because lat or lon was "not available".
    pub no_position: u64,
}

/// Turns a stream of decoded messages into positions and static records,
/// counting what it skips (a feed without time stamps is otherwise silently
/// empty).
#[derive(Debug, Default)]
pub struct Converter {
    /// What was produced and skipped so far.
    pub stats: ConvertStats,
}

impl Converter {
    /// A converter with zero counts.
    pub fn new() -> Self {
        Self::default()
    }

    /// The position and the static record a message carries (type 19
    /// carries both).
    pub fn convert(&mut self, m: &Message, fallback_time: Option<i64>) -> (Option<Position>, Option<StaticInfo>) {
        let mut pos = None;
        if let Some((lat, lon, ..)) = position_fields(m) {
            if message_time(m, fallback_time).is_none() {
                self.stats.no_time += 1;
            } else if lat.is_none() || lon.is_none() {
                self.stats.no_position += 1;
            } else {
                pos = Position::from_message(m, fallback_time);
                self.stats.positions += pos.is_some() as u64;
            }
        }
        let st = StaticInfo::from_message(m, fallback_time);
        self.stats.statics += st.is_some() as u64;
        (pos, st)
    }
}
