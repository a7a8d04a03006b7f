//! The 27 AIS message types of ITU-R M.1371-5, decoded from a [`BitBuf`].
//!
//! Field names follow pyais (and gpsd's AIVDM/AIVDO protocol decoding), so
//! that output can be compared field by field. Values that the standard marks
//! "not available" (latitude 91, longitude 181, speed 102.3, course 360,
//! heading 511, rate of turn -128, invalid type-4 date parts, ETA 0/24/60,
//! draught 0) are `None`; so is any field that a short payload does not
//! contain in full. Nothing here fails once the header has been read.

use crate::Text;
use crate::bits::BitBuf;

/// Fields every message starts with, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Message type, 1..=27.
    pub msg_type: u8,
    /// Repeat indicator, 0..=3.
    pub repeat: u8,
    /// Maritime Mobile Service Identity of the sender.
    pub mmsi: u32,
    /// Number of payload bits after fill bits were removed.
    pub bits: u16,
    /// Where and when it was received.
    pub meta: Meta,
    /// The fields of this type.
    pub body: Body,
}

/// Reception metadata from the sentence, its tag block or a `$PGHP` line.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Meta {
    /// Talker id of the (first) sentence, e.g. `AI`, `BS`, `AB`.
    pub talker: [u8; 2],
    /// True for `VDO` (own ship), false for `VDM`.
    pub own: bool,
    /// Radio channel as sent (`A`, `B`, `1`, `2`), `None` when empty.
    pub channel: Option<u8>,
    /// Number of sentences the message was assembled from.
    pub parts: u8,
    /// Receiving station from the tag block's `s:` field.
    pub source: Option<Text<32>>,
    /// Reception time in milliseconds since the UNIX epoch, from the tag
    /// block's `c:` field or the last `$PGHP` line.
    pub received_ms: Option<i64>,
}

/// The type-specific fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Types 1, 2, 3: Class A position report.
    Position(PositionReport),
    /// Types 4 and 11: base station report and UTC/date response.
    BaseStation(BaseStation),
    /// Type 5: Class A static and voyage data.
    StaticVoyage(StaticVoyage),
    /// Type 6: addressed binary message.
    BinaryAddressed(BinaryAddressed),
    /// Types 7 and 13: binary and safety acknowledgement.
    Acknowledge(Acknowledge),
    /// Type 8: broadcast binary message.
    BinaryBroadcast(BinaryBroadcast),
    /// Type 9: standard SAR aircraft position report.
    SarAircraft(SarAircraft),
    /// Type 10: UTC/date inquiry.
    UtcInquiry(UtcInquiry),
    /// Type 12: addressed safety-related message.
    SafetyAddressed(SafetyAddressed),
    /// Type 14: safety-related broadcast.
    SafetyBroadcast(SafetyBroadcast),
    /// Type 15: interrogation.
    Interrogation(Interrogation),
    /// Type 16: assigned mode command.
    AssignedMode(AssignedMode),
    /// Type 17: DGNSS broadcast binary message.
    Dgnss(Dgnss),
    /// Type 18: standard Class B position report.
    ClassB(ClassB),
    /// Type 19: extended Class B position report.
    ClassBExtended(ClassBExtended),
    /// Type 20: data link management.
    DataLink(DataLink),
    /// Type 21: aid-to-navigation report.
    AidToNavigation(AidToNavigation),
    /// Type 22: channel management.
    ChannelManagement(ChannelManagement),
    /// Type 23: group assignment command.
    GroupAssignment(GroupAssignment),
    /// Type 24 part A: Class B static data, name.
    StaticDataA(StaticDataA),
    /// Type 24 part B: Class B static data, type, call sign, dimensions.
    StaticDataB(StaticDataB),
    /// Types 25 (single slot) and 26 (multiple slot) binary messages.
    SlotBinary(SlotBinary),
    /// Type 27: long-range position report (satellite).
    LongRange(LongRange),
}

/// Class A position report (types 1, 2, 3).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PositionReport {
    /// Navigational status 0..=15 (15 = not defined).
    pub status: Option<u8>,
    /// Rate of turn as transmitted (ROT_AIS, -128 = not available).
    pub turn_raw: Option<i8>,
    /// Speed over ground in knots.
    pub speed: Option<f64>,
    /// Position accuracy flag (true = better than 10 m).
    pub accuracy: Option<bool>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Course over ground in degrees.
    pub course: Option<f64>,
    /// True heading in degrees.
    pub heading: Option<u16>,
    /// UTC second of the position (60..=63 are status codes, kept as sent).
    pub second: Option<u8>,
    /// Manoeuvre indicator.
    pub maneuver: Option<u8>,
    /// RAIM flag.
    pub raim: Option<bool>,
    /// Radio status (communication state).
    pub radio: Option<u32>,
}

impl PositionReport {
    /// Rate of turn in degrees per minute, `None` when not available or when
    /// only the direction is known (±127).
    pub fn turn(&self) -> Option<f64> {
        turn_rate(self.turn_raw)
    }
}

/// ROT_AIS = 4.733 √ROT (degrees per minute), signed; rounded to whole
/// degrees per minute, the precision the encoding carries.
fn turn_rate(raw: Option<i8>) -> Option<f64> {
    let r = raw?;
    if r == -128 || r == 127 || r == -127 {
        return None;
    }
    let v = (f64::from(r) / 4.733).powi(2).round();
    Some(if r < 0 { -v } else { v })
}

/// Base station report (type 4) and UTC/date response (type 11).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BaseStation {
    /// UTC year 1..=9999.
    pub year: Option<u16>,
    /// Month 1..=12.
    pub month: Option<u8>,
    /// Day 1..=31.
    pub day: Option<u8>,
    /// Hour 0..=23.
    pub hour: Option<u8>,
    /// Minute 0..=59.
    pub minute: Option<u8>,
    /// Second 0..=59.
    pub second: Option<u8>,
    /// Position accuracy flag.
    pub accuracy: Option<bool>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Type of position-fixing device.
    pub epfd: Option<u8>,
    /// RAIM flag.
    pub raim: Option<bool>,
    /// Radio status.
    pub radio: Option<u32>,
}

impl BaseStation {
    /// The reported UTC time as seconds since the UNIX epoch, when every part
    /// of the date is valid (including the day of the month).
    pub fn timestamp(&self) -> Option<i64> {
        let (y, m, d) = (self.year?, self.month?, self.day?);
        if d > days_in_month(i64::from(y), m) {
            return None;
        }
        let days = days_from_civil(i64::from(y), u32::from(m), u32::from(d));
        Some(days * 86400 + i64::from(self.hour?) * 3600 + i64::from(self.minute?) * 60 + i64::from(self.second?))
    }
}

fn days_in_month(y: i64, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Class A static and voyage related data (type 5).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StaticVoyage {
    /// AIS version indicator.
    pub ais_version: Option<u8>,
    /// IMO ship identification number (0 = not available, kept as sent).
    pub imo: Option<u32>,
    /// Call sign.
    pub callsign: Option<Text<7>>,
    /// Vessel name.
    pub shipname: Option<Text<20>>,
    /// Ship and cargo type.
    pub ship_type: Option<u8>,
    /// Dimension to bow in metres.
    pub to_bow: Option<u16>,
    /// Dimension to stern in metres.
    pub to_stern: Option<u16>,
    /// Dimension to port in metres.
    pub to_port: Option<u8>,
    /// Dimension to starboard in metres.
    pub to_starboard: Option<u8>,
    /// Type of position-fixing device.
    pub epfd: Option<u8>,
    /// ETA month 1..=12.
    pub month: Option<u8>,
    /// ETA day 1..=31.
    pub day: Option<u8>,
    /// ETA hour 0..=23.
    pub hour: Option<u8>,
    /// ETA minute 0..=59.
    pub minute: Option<u8>,
    /// Maximum present static draught in metres.
    pub draught: Option<f64>,
    /// Destination.
    pub destination: Option<Text<20>>,
    /// Data terminal equipment flag (false = available).
    pub dte: Option<bool>,
}

/// Raw application data of a binary message, MSB first, zero-padded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Data {
    /// The bits packed into bytes.
    pub bytes: Vec<u8>,
    /// Number of meaningful bits.
    pub bits: usize,
}

/// Addressed binary message (type 6).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BinaryAddressed {
    /// Sequence number 0..=3.
    pub seqno: Option<u8>,
    /// Destination MMSI.
    pub dest_mmsi: Option<u32>,
    /// Retransmit flag.
    pub retransmit: Option<bool>,
    /// Designated area code.
    pub dac: Option<u16>,
    /// Function identifier.
    pub fid: Option<u8>,
    /// Application data after dac/fid.
    pub data: Data,
}

/// Binary or safety acknowledgement (types 7 and 13).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Acknowledge {
    /// Up to four acknowledged (MMSI, sequence number) pairs; `None` when the
    /// message is shorter.
    pub acks: [Option<(u32, u8)>; 4],
}

/// Broadcast binary message (type 8).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BinaryBroadcast {
    /// Designated area code.
    pub dac: Option<u16>,
    /// Function identifier.
    pub fid: Option<u8>,
    /// Application data after dac/fid.
    pub data: Data,
}

/// Standard SAR aircraft position report (type 9).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SarAircraft {
    /// Altitude in metres (4095 = not available → `None`; 4094 = 4094 m or higher).
    pub alt: Option<u16>,
    /// Speed over ground in knots (1023 = not available → `None`).
    pub speed: Option<u16>,
    /// Position accuracy flag.
    pub accuracy: Option<bool>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Course over ground in degrees.
    pub course: Option<f64>,
    /// UTC second.
    pub second: Option<u8>,
    /// Regional reserved bits (altitude sensor in M.1371-5).
    pub reserved_1: Option<u8>,
    /// Data terminal equipment flag.
    pub dte: Option<bool>,
    /// Assigned mode flag.
    pub assigned: Option<bool>,
    /// RAIM flag.
    pub raim: Option<bool>,
    /// Radio status.
    pub radio: Option<u32>,
}

/// UTC/date inquiry (type 10).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UtcInquiry {
    /// Destination MMSI.
    pub dest_mmsi: Option<u32>,
}

/// Addressed safety-related message (type 12).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SafetyAddressed {
    /// Sequence number.
    pub seqno: Option<u8>,
    /// Destination MMSI.
    pub dest_mmsi: Option<u32>,
    /// Retransmit flag.
    pub retransmit: Option<bool>,
    /// The text.
    pub text: Option<String>,
}

/// Safety-related broadcast (type 14).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SafetyBroadcast {
    /// The text.
    pub text: Option<String>,
}

/// Interrogation (type 15).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Interrogation {
    /// First interrogated MMSI.
    pub mmsi1: Option<u32>,
    /// First message type asked of station 1.
    pub type1_1: Option<u8>,
    /// Its slot offset.
    pub offset1_1: Option<u16>,
    /// Second message type asked of station 1.
    pub type1_2: Option<u8>,
    /// Its slot offset.
    pub offset1_2: Option<u16>,
    /// Second interrogated MMSI.
    pub mmsi2: Option<u32>,
    /// Message type asked of station 2.
    pub type2_1: Option<u8>,
    /// Its slot offset.
    pub offset2_1: Option<u16>,
}

/// Assigned mode command (type 16).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AssignedMode {
    /// Destination A.
    pub mmsi1: Option<u32>,
    /// Offset A.
    pub offset1: Option<u16>,
    /// Increment A.
    pub increment1: Option<u16>,
    /// Destination B (only in the 144-bit form).
    pub mmsi2: Option<u32>,
    /// Offset B.
    pub offset2: Option<u16>,
    /// Increment B.
    pub increment2: Option<u16>,
}

/// DGNSS broadcast binary message (type 17).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dgnss {
    /// Longitude of the reference station in degrees (sent in 1/10 minute).
    pub lon: Option<f64>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// DGNSS correction data.
    pub data: Data,
}

/// Standard Class B position report (type 18).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClassB {
    /// Regional reserved bits.
    pub reserved_1: Option<u8>,
    /// Speed over ground in knots.
    pub speed: Option<f64>,
    /// Position accuracy flag.
    pub accuracy: Option<bool>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Course over ground in degrees.
    pub course: Option<f64>,
    /// True heading in degrees.
    pub heading: Option<u16>,
    /// UTC second.
    pub second: Option<u8>,
    /// Regional reserved bits.
    pub reserved_2: Option<u8>,
    /// Class B unit flag (true = carrier-sense unit).
    pub cs: Option<bool>,
    /// Display flag.
    pub display: Option<bool>,
    /// DSC flag.
    pub dsc: Option<bool>,
    /// Band flag.
    pub band: Option<bool>,
    /// Message 22 flag.
    pub msg22: Option<bool>,
    /// Assigned mode flag.
    pub assigned: Option<bool>,
    /// RAIM flag.
    pub raim: Option<bool>,
    /// Radio status.
    pub radio: Option<u32>,
}

/// Extended Class B position report (type 19).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClassBExtended {
    /// Regional reserved bits.
    pub reserved_1: Option<u8>,
    /// Speed over ground in knots.
    pub speed: Option<f64>,
    /// Position accuracy flag.
    pub accuracy: Option<bool>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Course over ground in degrees.
    pub course: Option<f64>,
    /// True heading in degrees.
    pub heading: Option<u16>,
    /// UTC second.
    pub second: Option<u8>,
    /// Regional reserved bits.
    pub reserved_2: Option<u8>,
    /// Vessel name.
    pub shipname: Option<Text<20>>,
    /// Ship and cargo type.
    pub ship_type: Option<u8>,
    /// Dimension to bow.
    pub to_bow: Option<u16>,
    /// Dimension to stern.
    pub to_stern: Option<u16>,
    /// Dimension to port.
    pub to_port: Option<u8>,
    /// Dimension to starboard.
    pub to_starboard: Option<u8>,
    /// Type of position-fixing device.
    pub epfd: Option<u8>,
    /// RAIM flag.
    pub raim: Option<bool>,
    /// Data terminal equipment flag.
    pub dte: Option<bool>,
    /// Assigned mode flag.
    pub assigned: Option<bool>,
}

/// One slot reservation of a data link management message.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Reservation {
    /// Offset number.
    pub offset: u16,
    /// Number of slots.
    pub number: u8,
    /// Timeout in minutes.
    pub timeout: u8,
    /// Increment.
    pub increment: u16,
}

/// Data link management (type 20).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DataLink {
    /// One to four reservations (`None` where the message is shorter).
    pub reservations: [Option<Reservation>; 4],
}

/// Aid-to-navigation report (type 21).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AidToNavigation {
    /// Type of aid to navigation.
    pub aid_type: Option<u8>,
    /// Name (first 20 characters).
    pub name: Option<Text<20>>,
    /// Position accuracy flag.
    pub accuracy: Option<bool>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Dimension to bow.
    pub to_bow: Option<u16>,
    /// Dimension to stern.
    pub to_stern: Option<u16>,
    /// Dimension to port.
    pub to_port: Option<u8>,
    /// Dimension to starboard.
    pub to_starboard: Option<u8>,
    /// Type of position-fixing device.
    pub epfd: Option<u8>,
    /// UTC second.
    pub second: Option<u8>,
    /// Off-position indicator.
    pub off_position: Option<bool>,
    /// Regional reserved bits.
    pub reserved_1: Option<u8>,
    /// RAIM flag.
    pub raim: Option<bool>,
    /// Virtual aid flag.
    pub virtual_aid: Option<bool>,
    /// Assigned mode flag.
    pub assigned: Option<bool>,
    /// Name extension (up to 14 more characters).
    pub name_ext: Option<Text<14>>,
}

impl AidToNavigation {
    /// Name and name extension together.
    pub fn full_name(&self) -> String {
        let mut s = self.name.map(|n| n.to_string()).unwrap_or_default();
        if let Some(e) = self.name_ext {
            s.push_str(e.as_str());
        }
        s
    }
}

/// Channel management (type 22).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ChannelManagement {
    /// Channel A number.
    pub channel_a: Option<u16>,
    /// Channel B number.
    pub channel_b: Option<u16>,
    /// Transmit/receive mode.
    pub txrx: Option<u8>,
    /// Power flag.
    pub power: Option<bool>,
    /// North-east corner longitude in degrees (broadcast form).
    pub ne_lon: Option<f64>,
    /// North-east corner latitude in degrees.
    pub ne_lat: Option<f64>,
    /// South-west corner longitude in degrees.
    pub sw_lon: Option<f64>,
    /// South-west corner latitude in degrees.
    pub sw_lat: Option<f64>,
    /// First addressed MMSI (addressed form).
    pub dest1: Option<u32>,
    /// Second addressed MMSI (addressed form).
    pub dest2: Option<u32>,
    /// Addressed flag.
    pub addressed: Option<bool>,
    /// Channel A bandwidth flag.
    pub band_a: Option<bool>,
    /// Channel B bandwidth flag.
    pub band_b: Option<bool>,
    /// Transitional zone size.
    pub zonesize: Option<u8>,
}

/// Group assignment command (type 23).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GroupAssignment {
    /// North-east corner longitude in degrees.
    pub ne_lon: Option<f64>,
    /// North-east corner latitude in degrees.
    pub ne_lat: Option<f64>,
    /// South-west corner longitude in degrees.
    pub sw_lon: Option<f64>,
    /// South-west corner latitude in degrees.
    pub sw_lat: Option<f64>,
    /// Station type.
    pub station_type: Option<u8>,
    /// Ship and cargo type.
    pub ship_type: Option<u8>,
    /// Transmit/receive mode.
    pub txrx: Option<u8>,
    /// Reporting interval code.
    pub interval: Option<u8>,
    /// Quiet time in minutes.
    pub quiet: Option<u8>,
}

/// Class B static data, part A (type 24, part number 0).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StaticDataA {
    /// Vessel name.
    pub shipname: Option<Text<20>>,
}

/// Class B static data, part B (type 24, part number 1).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StaticDataB {
    /// Ship and cargo type.
    pub ship_type: Option<u8>,
    /// Vendor id (three characters).
    pub vendorid: Option<Text<3>>,
    /// Unit model code.
    pub model: Option<u8>,
    /// Serial number.
    pub serial: Option<u32>,
    /// Call sign.
    pub callsign: Option<Text<7>>,
    /// Dimension to bow (not for auxiliary craft).
    pub to_bow: Option<u16>,
    /// Dimension to stern.
    pub to_stern: Option<u16>,
    /// Dimension to port.
    pub to_port: Option<u8>,
    /// Dimension to starboard.
    pub to_starboard: Option<u8>,
    /// Mother ship MMSI (auxiliary craft, MMSI 98xxxxxxx, only).
    pub mothership_mmsi: Option<u32>,
}

/// Single-slot (type 25) or multiple-slot (type 26) binary message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SlotBinary {
    /// Addressed flag.
    pub addressed: Option<bool>,
    /// Structured flag (an application id follows).
    pub structured: Option<bool>,
    /// Destination MMSI when addressed.
    pub dest_mmsi: Option<u32>,
    /// Application id when structured.
    pub app_id: Option<u16>,
    /// The data.
    pub data: Data,
    /// Radio status (type 26 only: the last 20 bits).
    pub radio: Option<u32>,
}

/// Long-range AIS broadcast (type 27).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LongRange {
    /// Position accuracy flag.
    pub accuracy: Option<bool>,
    /// RAIM flag.
    pub raim: Option<bool>,
    /// Navigational status.
    pub status: Option<u8>,
    /// Longitude in degrees (sent in 1/10 minute).
    pub lon: Option<f64>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Speed over ground in whole knots (63 = not available).
    pub speed: Option<u8>,
    /// Course over ground in whole degrees (511 = not available).
    pub course: Option<u16>,
    /// GNSS position latency flag (false = current).
    pub gnss: Option<bool>,
}

// --- field readers -------------------------------------------------------

#[inline(always)]
fn u8f(b: &BitBuf, off: usize, w: usize) -> Option<u8> {
    b.u(off, w).map(|v| v as u8)
}
#[inline(always)]
fn u16f(b: &BitBuf, off: usize, w: usize) -> Option<u16> {
    b.u(off, w).map(|v| v as u16)
}
#[inline(always)]
fn u32f(b: &BitBuf, off: usize, w: usize) -> Option<u32> {
    b.u(off, w).map(|v| v as u32)
}

/// Longitude in 1/10,000 minute (28 bits): 181° and anything beyond ±180° is
/// not available.
#[inline(always)]
fn lon28(b: &BitBuf, off: usize) -> Option<f64> {
    let v = b.i(off, 28)?;
    if v.abs() > 108_000_000 { None } else { Some(v as f64 / 600_000.0) }
}
#[inline(always)]
fn lat27(b: &BitBuf, off: usize) -> Option<f64> {
    let v = b.i(off, 27)?;
    if v.abs() > 54_000_000 { None } else { Some(v as f64 / 600_000.0) }
}
/// Longitude in 1/10 minute (18 bits).
fn lon18(b: &BitBuf, off: usize) -> Option<f64> {
    let v = b.i(off, 18)?;
    if v.abs() > 108_000 { None } else { Some(v as f64 / 600.0) }
}
fn lat17(b: &BitBuf, off: usize) -> Option<f64> {
    let v = b.i(off, 17)?;
    if v.abs() > 54_000 { None } else { Some(v as f64 / 600.0) }
}
/// Speed in 1/10 knot (10 bits), 1023 = not available.
#[inline(always)]
fn speed10(b: &BitBuf, off: usize) -> Option<f64> {
    let v = b.u(off, 10)?;
    if v == 1023 { None } else { Some(v as f64 / 10.0) }
}
/// Course in 1/10 degree (12 bits), 3600 and above = not available.
#[inline(always)]
fn course12(b: &BitBuf, off: usize) -> Option<f64> {
    let v = b.u(off, 12)?;
    if v >= 3600 { None } else { Some(v as f64 / 10.0) }
}
/// Heading in degrees (9 bits), 511 (and anything from 360) = not available.
#[inline(always)]
fn heading9(b: &BitBuf, off: usize) -> Option<u16> {
    let v = b.u(off, 9)?;
    if v >= 360 { None } else { Some(v as u16) }
}
fn ranged(v: Option<u64>, lo: u64, hi: u64) -> Option<u8> {
    v.filter(|v| (lo..=hi).contains(v)).map(|v| v as u8)
}

/// Why a payload could not be decoded as a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadError {
    /// Fewer than the 38 bits of type, repeat indicator and MMSI.
    TooShort,
    /// Type 0 or above 27.
    UnknownType,
    /// Type 24 with part number 2 or 3 (only parts A = 0 and B = 1 exist).
    UnknownPart,
}

/// Decode the message held in `b`. Only the header can fail; the fields a
/// short payload lacks are `None`.
pub fn decode(b: &BitBuf, meta: Meta) -> Result<Message, PayloadError> {
    if b.len() < 38 {
        return Err(PayloadError::TooShort);
    }
    let msg_type = b.u(0, 6).unwrap_or(0) as u8;
    let repeat = b.u(6, 2).unwrap_or(0) as u8;
    let mmsi = b.u(8, 30).unwrap_or(0) as u32;
    let body = match msg_type {
        1..=3 => Body::Position(position(b)),
        4 | 11 => Body::BaseStation(base_station(b)),
        5 => Body::StaticVoyage(static_voyage(b)),
        6 => Body::BinaryAddressed(BinaryAddressed {
            seqno: u8f(b, 38, 2),
            dest_mmsi: u32f(b, 40, 30),
            retransmit: b.b(70),
            dac: u16f(b, 72, 10),
            fid: u8f(b, 82, 6),
            data: data(b, 88, usize::MAX),
        }),
        7 | 13 => {
            let mut acks = [None; 4];
            for (i, a) in acks.iter_mut().enumerate() {
                let off = 40 + i * 32;
                *a = b.u(off, 30).zip(b.u(off + 30, 2)).map(|(m, s)| (m as u32, s as u8));
            }
            Body::Acknowledge(Acknowledge { acks })
        }
        8 => Body::BinaryBroadcast(BinaryBroadcast {
            dac: u16f(b, 40, 10),
            fid: u8f(b, 50, 6),
            data: data(b, 56, usize::MAX),
        }),
        9 => Body::SarAircraft(SarAircraft {
            alt: b.u(38, 12).filter(|&v| v != 4095).map(|v| v as u16),
            speed: b.u(50, 10).filter(|&v| v != 1023).map(|v| v as u16),
            accuracy: b.b(60),
            lon: lon28(b, 61),
            lat: lat27(b, 89),
            course: course12(b, 116),
            second: u8f(b, 128, 6),
            reserved_1: u8f(b, 134, 8),
            dte: b.b(142),
            assigned: b.b(146),
            raim: b.b(147),
            radio: u32f(b, 148, 20),
        }),
        10 => Body::UtcInquiry(UtcInquiry { dest_mmsi: u32f(b, 40, 30) }),
        12 => Body::SafetyAddressed(SafetyAddressed {
            seqno: u8f(b, 38, 2),
            dest_mmsi: u32f(b, 40, 30),
            retransmit: b.b(70),
            text: b.text_to_end(72),
        }),
        14 => Body::SafetyBroadcast(SafetyBroadcast { text: b.text_to_end(40) }),
        15 => Body::Interrogation(Interrogation {
            mmsi1: u32f(b, 40, 30),
            type1_1: u8f(b, 70, 6),
            offset1_1: u16f(b, 76, 12),
            type1_2: u8f(b, 90, 6),
            offset1_2: u16f(b, 96, 12),
            mmsi2: u32f(b, 110, 30),
            type2_1: u8f(b, 140, 6),
            offset2_1: u16f(b, 146, 12),
        }),
        16 => {
            let long = b.len() > 96;
            Body::AssignedMode(AssignedMode {
                mmsi1: u32f(b, 40, 30),
                offset1: u16f(b, 70, 12),
                increment1: u16f(b, 82, 10),
                mmsi2: if long { u32f(b, 92, 30) } else { None },
                offset2: if long { u16f(b, 122, 12) } else { None },
                increment2: if long { u16f(b, 134, 10) } else { None },
            })
        }
        17 => Body::Dgnss(Dgnss { lon: lon18(b, 40), lat: lat17(b, 58), data: data(b, 80, usize::MAX) }),
        18 => Body::ClassB(ClassB {
            reserved_1: u8f(b, 38, 8),
            speed: speed10(b, 46),
            accuracy: b.b(56),
            lon: lon28(b, 57),
            lat: lat27(b, 85),
            course: course12(b, 112),
            heading: heading9(b, 124),
            second: u8f(b, 133, 6),
            reserved_2: u8f(b, 139, 2),
            cs: b.b(141),
            display: b.b(142),
            dsc: b.b(143),
            band: b.b(144),
            msg22: b.b(145),
            assigned: b.b(146),
            raim: b.b(147),
            radio: u32f(b, 148, 20),
        }),
        19 => Body::ClassBExtended(ClassBExtended {
            reserved_1: u8f(b, 38, 8),
            speed: speed10(b, 46),
            accuracy: b.b(56),
            lon: lon28(b, 57),
            lat: lat27(b, 85),
            course: course12(b, 112),
            heading: heading9(b, 124),
            second: u8f(b, 133, 6),
            reserved_2: u8f(b, 139, 4),
            shipname: b.text(143, 120),
            ship_type: u8f(b, 263, 8),
            to_bow: u16f(b, 271, 9),
            to_stern: u16f(b, 280, 9),
            to_port: u8f(b, 289, 6),
            to_starboard: u8f(b, 295, 6),
            epfd: u8f(b, 301, 4),
            raim: b.b(305),
            dte: b.b(306),
            assigned: b.b(307),
        }),
        20 => {
            let mut reservations = [None; 4];
            for (i, r) in reservations.iter_mut().enumerate() {
                let off = 40 + i * 30;
                let offset = u16f(b, off, 12);
                *r = offset.and_then(|offset| {
                    Some(Reservation {
                        offset,
                        number: u8f(b, off + 12, 4)?,
                        timeout: u8f(b, off + 16, 3)?,
                        increment: u16f(b, off + 19, 11)?,
                    })
                });
            }
            Body::DataLink(DataLink { reservations })
        }
        21 => Body::AidToNavigation(AidToNavigation {
            aid_type: u8f(b, 38, 5),
            name: b.text(43, 120),
            accuracy: b.b(163),
            lon: lon28(b, 164),
            lat: lat27(b, 192),
            to_bow: u16f(b, 219, 9),
            to_stern: u16f(b, 228, 9),
            to_port: u8f(b, 237, 6),
            to_starboard: u8f(b, 243, 6),
            epfd: u8f(b, 249, 4),
            second: u8f(b, 253, 6),
            off_position: b.b(259),
            reserved_1: u8f(b, 260, 8),
            raim: b.b(268),
            virtual_aid: b.b(269),
            assigned: b.b(270),
            name_ext: if b.len() > 272 { b.text(272, 88) } else { None },
        }),
        22 => {
            let addressed = b.b(139);
            let a = addressed == Some(true);
            Body::ChannelManagement(ChannelManagement {
                channel_a: u16f(b, 40, 12),
                channel_b: u16f(b, 52, 12),
                txrx: u8f(b, 64, 4),
                power: b.b(68),
                ne_lon: if a { None } else { lon18(b, 69) },
                ne_lat: if a { None } else { lat17(b, 87) },
                sw_lon: if a { None } else { lon18(b, 104) },
                sw_lat: if a { None } else { lat17(b, 122) },
                dest1: if a { u32f(b, 69, 30) } else { None },
                dest2: if a { u32f(b, 104, 30) } else { None },
                addressed,
                band_a: b.b(140),
                band_b: b.b(141),
                zonesize: u8f(b, 142, 3),
            })
        }
        23 => Body::GroupAssignment(GroupAssignment {
            ne_lon: lon18(b, 40),
            ne_lat: lat17(b, 58),
            sw_lon: lon18(b, 75),
            sw_lat: lat17(b, 93),
            station_type: u8f(b, 110, 4),
            ship_type: u8f(b, 114, 8),
            txrx: u8f(b, 144, 2),
            interval: u8f(b, 146, 4),
            quiet: u8f(b, 150, 4),
        }),
        24 => match b.u(38, 2) {
            Some(0) | None => Body::StaticDataA(StaticDataA { shipname: b.text(40, 120) }),
            Some(2..) => return Err(PayloadError::UnknownPart),
            Some(1) => {
                let aux = (980_000_000..=989_999_999).contains(&mmsi);
                Body::StaticDataB(StaticDataB {
                    ship_type: u8f(b, 40, 8),
                    vendorid: b.text(48, 18),
                    model: u8f(b, 66, 4),
                    serial: u32f(b, 70, 20),
                    callsign: b.text(90, 42),
                    to_bow: if aux { None } else { u16f(b, 132, 9) },
                    to_stern: if aux { None } else { u16f(b, 141, 9) },
                    to_port: if aux { None } else { u8f(b, 150, 6) },
                    to_starboard: if aux { None } else { u8f(b, 156, 6) },
                    mothership_mmsi: if aux { u32f(b, 132, 30) } else { None },
                })
            }
        },
        25 | 26 => {
            let addressed = b.b(38);
            let structured = b.b(39);
            let mut off = 40;
            let dest_mmsi = if addressed == Some(true) {
                off += 30;
                u32f(b, 40, 30)
            } else {
                None
            };
            let app_id = if structured == Some(true) {
                let v = u16f(b, off, 16);
                off += 16;
                v
            } else {
                None
            };
            let (end, radio) = if msg_type == 26 && b.len() >= off + 20 {
                (b.len() - 20, u32f(b, b.len() - 20, 20))
            } else {
                (usize::MAX, None)
            };
            Body::SlotBinary(SlotBinary { addressed, structured, dest_mmsi, app_id, data: data(b, off, end), radio })
        }
        27 => Body::LongRange(LongRange {
            accuracy: b.b(38),
            raim: b.b(39),
            status: u8f(b, 40, 4),
            lon: lon18(b, 44),
            lat: lat17(b, 62),
            speed: b.u(79, 6).filter(|&v| v != 63).map(|v| v as u8),
            course: b.u(85, 9).filter(|&v| v != 511).map(|v| v as u16),
            gnss: b.b(94),
        }),
        _ => return Err(PayloadError::UnknownType),
    };
    Ok(Message { msg_type, repeat, mmsi, bits: b.len() as u16, meta, body })
}

#[inline(always)]
fn position(b: &BitBuf) -> PositionReport {
    PositionReport {
        status: u8f(b, 38, 4),
        turn_raw: b.i(42, 8).map(|v| v as i8),
        speed: speed10(b, 50),
        accuracy: b.b(60),
        lon: lon28(b, 61),
        lat: lat27(b, 89),
        course: course12(b, 116),
        heading: heading9(b, 128),
        second: u8f(b, 137, 6),
        maneuver: u8f(b, 143, 2),
        raim: b.b(148),
        radio: u32f(b, 149, 19),
    }
}

fn base_station(b: &BitBuf) -> BaseStation {
    BaseStation {
        year: b.u(38, 14).filter(|v| (1..=9999).contains(v)).map(|v| v as u16),
        month: ranged(b.u(52, 4), 1, 12),
        day: ranged(b.u(56, 5), 1, 31),
        hour: ranged(b.u(61, 5), 0, 23),
        minute: ranged(b.u(66, 6), 0, 59),
        second: ranged(b.u(72, 6), 0, 59),
        accuracy: b.b(78),
        lon: lon28(b, 79),
        lat: lat27(b, 107),
        epfd: u8f(b, 134, 4),
        raim: b.b(148),
        radio: u32f(b, 149, 19),
    }
}

fn static_voyage(b: &BitBuf) -> StaticVoyage {
    StaticVoyage {
        ais_version: u8f(b, 38, 2),
        imo: u32f(b, 40, 30),
        callsign: b.text(70, 42),
        shipname: b.text(112, 120),
        ship_type: u8f(b, 232, 8),
        to_bow: u16f(b, 240, 9),
        to_stern: u16f(b, 249, 9),
        to_port: u8f(b, 258, 6),
        to_starboard: u8f(b, 264, 6),
        epfd: u8f(b, 270, 4),
        month: ranged(b.u(274, 4), 1, 12),
        day: ranged(b.u(278, 5), 1, 31),
        hour: ranged(b.u(283, 5), 0, 23),
        minute: ranged(b.u(288, 6), 0, 59),
        draught: b.u(294, 8).filter(|&v| v != 0).map(|v| v as f64 / 10.0),
        destination: b.text(302, 120),
        dte: b.b(422),
    }
}

fn data(b: &BitBuf, off: usize, end: usize) -> Data {
    let (bytes, bits) = b.bytes(off, end);
    Data { bytes, bits }
}

/// Build the bits of a message from `(value, width)` fields; for tests and
/// tools that need to encode.
pub fn build(fields: &[(u64, usize)]) -> BitBuf {
    let mut b = BitBuf::new();
    for &(v, w) in fields {
        b.push_bits(v, w);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(payload: &str, fill: usize) -> Message {
        let mut b = BitBuf::new();
        b.push_armored(payload.as_bytes()).unwrap();
        b.truncate_by(fill);
        decode(&b, Meta::default()).unwrap()
    }

    #[test]
    fn type_1_gpsd_vector() {
        let m = dec("15RTgt0PAso;90TKcjM8h6g208CQ", 0);
        assert_eq!((m.msg_type, m.mmsi), (1, 371798000));
        let Body::Position(p) = m.body else { panic!() };
        assert_eq!(p.status, Some(0));
        assert_eq!(p.turn_raw, Some(-127));
        assert_eq!(p.turn(), None);
        assert_eq!(p.speed, Some(12.3));
        assert!((p.lon.unwrap() - -123.395383).abs() < 1e-6);
        assert!((p.lat.unwrap() - 48.381633).abs() < 1e-6);
        assert_eq!(p.course, Some(224.0));
        assert_eq!(p.heading, Some(215));
        assert_eq!(p.second, Some(33));
    }

    #[test]
    fn type_5_gpsd_vector() {
        let m = dec("55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp888888888880", 2);
        assert_eq!(m.mmsi, 351759000);
        let Body::StaticVoyage(s) = m.body else { panic!() };
        assert_eq!(s.imo, Some(9134270));
        assert_eq!(s.callsign.unwrap().as_str(), "3FOF8");
        assert_eq!(s.shipname.unwrap().as_str(), "EVER DIADEM");
        assert_eq!(s.ship_type, Some(70));
        assert_eq!((s.to_bow, s.to_stern, s.to_port, s.to_starboard), (Some(225), Some(70), Some(1), Some(31)));
        assert_eq!((s.month, s.day, s.hour, s.minute), (Some(5), Some(15), Some(14), Some(0)));
        assert_eq!(s.draught, Some(12.2));
        assert_eq!(s.destination.unwrap().as_str(), "NEW YORK");
    }

    #[test]
    fn not_available_values_are_none() {
        // Type 1 with lon 181, lat 91, speed 1023, course 3600, heading 511.
        let b = build(&[
            (1, 6),
            (0, 2),
            (123456789, 30),
            (15, 4),
            (0x80, 8),
            (1023, 10),
            (0, 1),
            (108_600_000, 28),
            (54_600_000, 27),
            (3600, 12),
            (511, 9),
            (60, 6),
            (0, 2),
            (0, 3),
            (0, 1),
            (0, 19),
        ]);
        let m = decode(&b, Meta::default()).unwrap();
        let Body::Position(p) = m.body else { panic!() };
        assert_eq!((p.lon, p.lat, p.speed, p.course, p.heading), (None, None, None, None, None));
        assert_eq!(p.second, Some(60));
    }

    #[test]
    fn invalid_base_station_date_parts_are_none() {
        let b = build(&[
            (4, 6),
            (0, 2),
            (2_190_000, 30),
            (0, 14),
            (13, 4),
            (0, 5),
            (24, 5),
            (60, 6),
            (61, 6),
            (1, 1),
            (0, 28),
            (0, 27),
            (1, 4),
            (0, 10),
            (0, 1),
            (0, 19),
        ]);
        let m = decode(&b, Meta::default()).unwrap();
        let Body::BaseStation(s) = m.body else { panic!() };
        assert_eq!((s.year, s.month, s.day, s.hour, s.minute, s.second), (None, None, None, None, None, None));
        assert_eq!(s.timestamp(), None);
        assert_eq!(s.accuracy, Some(true));
    }

    #[test]
    fn base_station_timestamp() {
        let s = BaseStation {
            year: Some(2012),
            month: Some(3),
            day: Some(14),
            hour: Some(11),
            minute: Some(31),
            second: Some(0),
            ..Default::default()
        };
        assert_eq!(s.timestamp(), Some(1331724660));
        let s = BaseStation { day: Some(30), month: Some(2), ..s };
        assert_eq!(s.timestamp(), None);
    }

    #[test]
    fn short_payload_keeps_header_and_drops_missing_fields() {
        let b = build(&[(18, 6), (0, 2), (244_000_000, 30), (0, 8), (55, 10)]);
        let m = decode(&b, Meta::default()).unwrap();
        let Body::ClassB(c) = m.body else { panic!() };
        assert_eq!(c.speed, Some(5.5));
        assert_eq!(c.lon, None);
        assert_eq!(decode(&build(&[(1, 6), (0, 2), (7, 20)]), Meta::default()), Err(PayloadError::TooShort));
        assert_eq!(decode(&build(&[(0, 6), (0, 2), (7, 30)]), Meta::default()), Err(PayloadError::UnknownType));
        assert_eq!(
            decode(&build(&[(24, 6), (0, 2), (7, 30), (3, 2), (0, 120)]), Meta::default()),
            Err(PayloadError::UnknownPart)
        );
    }

    #[test]
    fn type_27_long_range() {
        let b = build(&[
            (27, 6),
            (3, 2),
            (206914217, 30),
            (0, 1),
            (0, 1),
            (2, 4),
            (80_131u64, 18),
            (46_400u64, 17),
            (57, 6),
            (167, 9),
            (0, 1),
            (0, 1),
        ]);
        let m = decode(&b, Meta::default()).unwrap();
        let Body::LongRange(l) = m.body else { panic!() };
        assert!((l.lon.unwrap() - 80_131.0 / 600.0).abs() < 1e-9);
        assert!((l.lat.unwrap() - 46_400.0 / 600.0).abs() < 1e-9);
        assert_eq!((l.speed, l.course, l.status), (Some(57), Some(167), Some(2)));
    }
}
