//! Every decoded field as a (name, value) pair, in pyais order, so that
//! outputs (JSON Lines, CSV) and comparisons need no per-type code of their
//! own; and a JSON writer built on it.

use crate::message::{Body, Data, Message};

/// One field value, borrowed from the message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// Not available or not present.
    Null,
    /// An unsigned integer.
    Uint(u64),
    /// A signed integer.
    Int(i64),
    /// A number with a fraction (degrees, knots, metres).
    Float(f64),
    /// A flag.
    Bool(bool),
    /// Text.
    Str(&'a str),
    /// Raw binary data: bytes and the number of meaningful bits.
    Data(&'a [u8], usize),
}

/// Conversion of optional field values into [`Value`].
trait IntoValue<'a> {
    fn v(self) -> Value<'a>;
}
macro_rules! uint_value {
    ($($t:ty),*) => {$(
        impl<'a> IntoValue<'a> for Option<$t> {
            fn v(self) -> Value<'a> { self.map_or(Value::Null, |x| Value::Uint(u64::from(x))) }
        }
    )*};
}
uint_value!(u8, u16, u32);
impl<'a> IntoValue<'a> for Option<i8> {
    fn v(self) -> Value<'a> {
        self.map_or(Value::Null, |x| Value::Int(i64::from(x)))
    }
}
impl<'a> IntoValue<'a> for Option<f64> {
    fn v(self) -> Value<'a> {
        self.map_or(Value::Null, Value::Float)
    }
}
impl<'a> IntoValue<'a> for Option<bool> {
    fn v(self) -> Value<'a> {
        self.map_or(Value::Null, Value::Bool)
    }
}
impl<'a, const N: usize> IntoValue<'a> for &'a Option<crate::Text<N>> {
    fn v(self) -> Value<'a> {
        self.as_ref().map_or(Value::Null, |t| Value::Str(t.as_str()))
    }
}
impl<'a> IntoValue<'a> for &'a Option<String> {
    fn v(self) -> Value<'a> {
        self.as_deref().map_or(Value::Null, Value::Str)
    }
}
impl<'a> IntoValue<'a> for &'a Data {
    fn v(self) -> Value<'a> {
        Value::Data(&self.bytes, self.bits)
    }
}

impl Message {
    /// Call `f` with every field of the message: the header (`msg_type`,
    /// `repeat`, `mmsi`), then the type's fields named as pyais names them.
    /// Reception metadata is not included (see [`crate::Meta`]).
    pub fn visit(&self, f: &mut dyn FnMut(&'static str, Value<'_>)) {
        f("msg_type", Value::Uint(u64::from(self.msg_type)));
        f("repeat", Value::Uint(u64::from(self.repeat)));
        f("mmsi", Value::Uint(u64::from(self.mmsi)));
        match &self.body {
            Body::Position(p) => {
                f("status", p.status.v());
                f("turn", p.turn().v());
                f("turn_raw", p.turn_raw.v());
                f("speed", p.speed.v());
                f("accuracy", p.accuracy.v());
                f("lon", p.lon.v());
                f("lat", p.lat.v());
                f("course", p.course.v());
                f("heading", p.heading.v());
                f("second", p.second.v());
                f("maneuver", p.maneuver.v());
                f("raim", p.raim.v());
                f("radio", p.radio.v());
            }
            Body::BaseStation(s) => {
                f("year", s.year.v());
                f("month", s.month.v());
                f("day", s.day.v());
                f("hour", s.hour.v());
                f("minute", s.minute.v());
                f("second", s.second.v());
                f("accuracy", s.accuracy.v());
                f("lon", s.lon.v());
                f("lat", s.lat.v());
                f("epfd", s.epfd.v());
                f("raim", s.raim.v());
                f("radio", s.radio.v());
            }
            Body::StaticVoyage(s) => {
                f("ais_version", s.ais_version.v());
                f("imo", s.imo.v());
                f("callsign", (&s.callsign).v());
                f("shipname", (&s.shipname).v());
                f("ship_type", s.ship_type.v());
                f("to_bow", s.to_bow.v());
                f("to_stern", s.to_stern.v());
                f("to_port", s.to_port.v());
                f("to_starboard", s.to_starboard.v());
                f("epfd", s.epfd.v());
                f("month", s.month.v());
                f("day", s.day.v());
                f("hour", s.hour.v());
                f("minute", s.minute.v());
                f("draught", s.draught.v());
                f("destination", (&s.destination).v());
                f("dte", s.dte.v());
            }
            Body::BinaryAddressed(s) => {
                f("seqno", s.seqno.v());
                f("dest_mmsi", s.dest_mmsi.v());
                f("retransmit", s.retransmit.v());
                f("dac", s.dac.v());
                f("fid", s.fid.v());
                f("data", (&s.data).v());
            }
            Body::Acknowledge(a) => {
                const M: [&str; 4] = ["mmsi1", "mmsi2", "mmsi3", "mmsi4"];
                const S: [&str; 4] = ["mmsiseq1", "mmsiseq2", "mmsiseq3", "mmsiseq4"];
                for (i, ack) in a.acks.iter().enumerate() {
                    f(M[i], ack.map(|x| x.0).v());
                    f(S[i], ack.map(|x| x.1).v());
                }
            }
            Body::BinaryBroadcast(s) => {
                f("dac", s.dac.v());
                f("fid", s.fid.v());
                f("data", (&s.data).v());
            }
            Body::SarAircraft(s) => {
                f("alt", s.alt.v());
                f("speed", s.speed.v());
                f("accuracy", s.accuracy.v());
                f("lon", s.lon.v());
                f("lat", s.lat.v());
                f("course", s.course.v());
                f("second", s.second.v());
                f("reserved_1", s.reserved_1.v());
                f("dte", s.dte.v());
                f("assigned", s.assigned.v());
                f("raim", s.raim.v());
                f("radio", s.radio.v());
            }
            Body::UtcInquiry(s) => f("dest_mmsi", s.dest_mmsi.v()),
            Body::SafetyAddressed(s) => {
                f("seqno", s.seqno.v());
                f("dest_mmsi", s.dest_mmsi.v());
                f("retransmit", s.retransmit.v());
                f("text", (&s.text).v());
            }
            Body::SafetyBroadcast(s) => f("text", (&s.text).v()),
            Body::Interrogation(s) => {
                f("mmsi1", s.mmsi1.v());
                f("type1_1", s.type1_1.v());
                f("offset1_1", s.offset1_1.v());
                f("type1_2", s.type1_2.v());
                f("offset1_2", s.offset1_2.v());
                f("mmsi2", s.mmsi2.v());
                f("type2_1", s.type2_1.v());
                f("offset2_1", s.offset2_1.v());
            }
            Body::AssignedMode(s) => {
                f("mmsi1", s.mmsi1.v());
                f("offset1", s.offset1.v());
                f("increment1", s.increment1.v());
                f("mmsi2", s.mmsi2.v());
                f("offset2", s.offset2.v());
                f("increment2", s.increment2.v());
            }
            Body::Dgnss(s) => {
                f("lon", s.lon.v());
                f("lat", s.lat.v());
                f("data", (&s.data).v());
            }
            Body::ClassB(s) => {
                f("reserved_1", s.reserved_1.v());
                f("speed", s.speed.v());
                f("accuracy", s.accuracy.v());
                f("lon", s.lon.v());
                f("lat", s.lat.v());
                f("course", s.course.v());
                f("heading", s.heading.v());
                f("second", s.second.v());
                f("reserved_2", s.reserved_2.v());
                f("cs", s.cs.v());
                f("display", s.display.v());
                f("dsc", s.dsc.v());
                f("band", s.band.v());
                f("msg22", s.msg22.v());
                f("assigned", s.assigned.v());
                f("raim", s.raim.v());
                f("radio", s.radio.v());
            }
            Body::ClassBExtended(s) => {
                f("reserved_1", s.reserved_1.v());
                f("speed", s.speed.v());
                f("accuracy", s.accuracy.v());
                f("lon", s.lon.v());
                f("lat", s.lat.v());
                f("course", s.course.v());
                f("heading", s.heading.v());
                f("second", s.second.v());
                f("reserved_2", s.reserved_2.v());
                f("shipname", (&s.shipname).v());
                f("ship_type", s.ship_type.v());
                f("to_bow", s.to_bow.v());
                f("to_stern", s.to_stern.v());
                f("to_port", s.to_port.v());
                f("to_starboard", s.to_starboard.v());
                f("epfd", s.epfd.v());
                f("raim", s.raim.v());
                f("dte", s.dte.v());
                f("assigned", s.assigned.v());
            }
            Body::DataLink(s) => {
                const N: [[&str; 4]; 4] = [
                    ["offset1", "number1", "timeout1", "increment1"],
                    ["offset2", "number2", "timeout2", "increment2"],
                    ["offset3", "number3", "timeout3", "increment3"],
                    ["offset4", "number4", "timeout4", "increment4"],
                ];
                for (i, r) in s.reservations.iter().enumerate() {
                    f(N[i][0], r.map(|r| r.offset).v());
                    f(N[i][1], r.map(|r| r.number).v());
                    f(N[i][2], r.map(|r| r.timeout).v());
                    f(N[i][3], r.map(|r| r.increment).v());
                }
            }
            Body::AidToNavigation(s) => {
                f("aid_type", s.aid_type.v());
                f("name", (&s.name).v());
                f("accuracy", s.accuracy.v());
                f("lon", s.lon.v());
                f("lat", s.lat.v());
                f("to_bow", s.to_bow.v());
                f("to_stern", s.to_stern.v());
                f("to_port", s.to_port.v());
                f("to_starboard", s.to_starboard.v());
                f("epfd", s.epfd.v());
                f("second", s.second.v());
                f("off_position", s.off_position.v());
                f("reserved_1", s.reserved_1.v());
                f("raim", s.raim.v());
                f("virtual_aid", s.virtual_aid.v());
                f("assigned", s.assigned.v());
                f("name_ext", (&s.name_ext).v());
                let mut full = crate::Text::<34>::new();
                for part in [s.name.as_ref().map(|t| t.as_str()), s.name_ext.as_ref().map(|t| t.as_str())] {
                    part.unwrap_or("").bytes().for_each(|c| full.push(c));
                }
                f("full_name", Value::Str(full.as_str()));
            }
            Body::ChannelManagement(s) => {
                f("channel_a", s.channel_a.v());
                f("channel_b", s.channel_b.v());
                f("txrx", s.txrx.v());
                f("power", s.power.v());
                f("ne_lon", s.ne_lon.v());
                f("ne_lat", s.ne_lat.v());
                f("sw_lon", s.sw_lon.v());
                f("sw_lat", s.sw_lat.v());
                f("dest1", s.dest1.v());
                f("dest2", s.dest2.v());
                f("addressed", s.addressed.v());
                f("band_a", s.band_a.v());
                f("band_b", s.band_b.v());
                f("zonesize", s.zonesize.v());
            }
            Body::GroupAssignment(s) => {
                f("ne_lon", s.ne_lon.v());
                f("ne_lat", s.ne_lat.v());
                f("sw_lon", s.sw_lon.v());
                f("sw_lat", s.sw_lat.v());
                f("station_type", s.station_type.v());
                f("ship_type", s.ship_type.v());
                f("txrx", s.txrx.v());
                f("interval", s.interval.v());
                f("quiet", s.quiet.v());
            }
            Body::StaticDataA(s) => {
                f("partno", Value::Uint(0));
                f("shipname", (&s.shipname).v());
            }
            Body::StaticDataB(s) => {
                f("partno", Value::Uint(1));
                f("ship_type", s.ship_type.v());
                f("vendorid", (&s.vendorid).v());
                f("model", s.model.v());
                f("serial", s.serial.v());
                f("callsign", (&s.callsign).v());
                f("to_bow", s.to_bow.v());
                f("to_stern", s.to_stern.v());
                f("to_port", s.to_port.v());
                f("to_starboard", s.to_starboard.v());
                f("mothership_mmsi", s.mothership_mmsi.v());
            }
            Body::SlotBinary(s) => {
                f("addressed", s.addressed.v());
                f("structured", s.structured.v());
                f("dest_mmsi", s.dest_mmsi.v());
                f("app_id", s.app_id.v());
                f("data", (&s.data).v());
                if self.msg_type == 26 {
                    f("radio", s.radio.v());
                }
            }
            Body::LongRange(s) => {
                f("accuracy", s.accuracy.v());
                f("raim", s.raim.v());
                f("status", s.status.v());
                f("lon", s.lon.v());
                f("lat", s.lat.v());
                f("speed", s.speed.v());
                f("course", s.course.v());
                f("gnss", s.gnss.v());
            }
        }
    }

    /// Append the message as one JSON object (no newline): reception
    /// metadata (`talker`, `channel`, `source`, `received` as ISO 8601 UTC,
    /// `bits`), then every field of [`Message::visit`]. Binary data is hex
    /// (`data`) with its bit count (`data_bits`).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let m = &self.meta;
        out.extend_from_slice(b"{\"talker\":\"");
        out.extend_from_slice(&sanitize_talker(m.talker));
        out.extend_from_slice(b"\",\"own\":");
        out.extend_from_slice(if m.own { b"true" } else { b"false" });
        out.extend_from_slice(b",\"channel\":");
        match m.channel {
            Some(c) if c.is_ascii_graphic() && c != b'"' && c != b'\\' => {
                out.extend_from_slice(&[b'"', c, b'"']);
            }
            _ => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"source\":");
        match &m.source {
            Some(s) => json_str(out, s.as_str()),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"received\":");
        match m.received_ms {
            Some(ms) => {
                out.push(b'"');
                crate::time::write_iso_ms(ms, out);
                out.push(b'"');
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"bits\":");
        push_u64(out, u64::from(self.bits));
        self.visit(&mut |name, value| {
            out.extend_from_slice(b",\"");
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":");
            write_value(out, value);
            if let Value::Data(_, bits) = value {
                out.extend_from_slice(b",\"");
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(b"_bits\":");
                push_u64(out, bits as u64);
            }
        });
        out.push(b'}');
    }
}

fn sanitize_talker(t: [u8; 2]) -> [u8; 2] {
    t.map(|c| if c.is_ascii_alphanumeric() { c } else { b'?' })
}

/// Append one value as JSON.
pub fn write_value(out: &mut Vec<u8>, value: Value<'_>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Uint(v) => push_u64(out, v),
        Value::Int(v) => push_i64(out, v),
        Value::Float(v) => push_f64(out, v),
        Value::Bool(v) => out.extend_from_slice(if v { b"true" } else { b"false" }),
        Value::Str(s) => json_str(out, s),
        Value::Data(bytes, _) => {
            out.push(b'"');
            hex(out, bytes);
            out.push(b'"');
        }
    }
}

/// Append an unsigned integer in decimal.
pub fn push_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Append a signed integer in decimal.
pub fn push_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    push_u64(out, v.unsigned_abs());
}

/// Append a number rounded to 7 decimals, trailing zeros dropped (`12.3`,
/// `-123.3953833`, `224`): finer than any AIS field's resolution (the finest,
/// 1/10,000 minute, is 1.7e-6 degrees). Not finite → `null`.
pub fn push_f64(out: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        out.extend_from_slice(b"null");
        return;
    }
    if v.abs() >= 1e11 {
        use std::io::Write;
        let _ = write!(out, "{v}");
        return;
    }
    let n = (v * 1e7).round() as i64;
    if n < 0 {
        out.push(b'-');
    }
    let n = n.unsigned_abs();
    push_u64(out, n / 10_000_000);
    let mut frac = n % 10_000_000;
    if frac != 0 {
        let mut digits = 7;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        out.push(b'.');
        let mut buf = [b'0'; 7];
        let mut i = digits;
        while frac > 0 {
            i -= 1;
            buf[i] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        out.extend_from_slice(&buf[..digits]);
    }
}

/// Append bytes as lower-case hexadecimal.
pub fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const H: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(H[(b >> 4) as usize]);
        out.push(H[(b & 15) as usize]);
    }
}

/// Append a JSON string literal.
pub fn json_str(out: &mut Vec<u8>, s: &str) {
    use std::io::Write;
    out.push(b'"');
    if !s.bytes().any(|c| c == b'"' || c == b'\\' || c < 0x20) {
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let f = |v: f64| {
            let mut o = Vec::new();
            push_f64(&mut o, v);
            String::from_utf8(o).unwrap()
        };
        assert_eq!(f(12.3), "12.3");
        assert_eq!(f(224.0), "224");
        assert_eq!(f(0.0), "0");
        assert_eq!(f(-0.05), "-0.05");
        assert_eq!(f(-123.395383333), "-123.3953833");
        assert_eq!(f(48.381633333), "48.3816333");
        assert_eq!(f(f64::NAN), "null");
        let mut o = Vec::new();
        push_i64(&mut o, -128);
        push_u64(&mut o, 0);
        push_u64(&mut o, u64::MAX);
        assert_eq!(o, b"-128018446744073709551615");
        let mut o = Vec::new();
        json_str(&mut o, "A\"B\\\u{1}");
        assert_eq!(o, b"\"A\\\"B\\\\\\u0001\"");
    }
}
