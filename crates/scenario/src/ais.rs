//! A small AIS encoder: position reports (types 1 and 3) and static and
//! voyage data (type 5) as NMEA 0183 `!AIVDM` sentences with 6-bit armoured
//! payloads, correct checksums and a tag block carrying the reception time
//! (`\c:<unix seconds>*hh\`), as shore stations write them (ITU-R M.1371-5,
//! IEC 61162-1). Enough to write synthetic feeds that any AIS decoder reads.

use std::fmt::Write;

/// A position report to encode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AisPosition {
    /// Message type: 1 (scheduled) or 3 (interrogated); anything else is written as 1.
    pub msg_type: u8,
    /// Maritime Mobile Service Identity (30 bits).
    pub mmsi: u32,
    /// Reception time, seconds since the UNIX epoch (the tag block's `c:`).
    pub time: i64,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Speed over ground in knots (`None`: not available).
    pub sog: Option<f64>,
    /// Course over ground in degrees (`None`: not available).
    pub cog: Option<f64>,
    /// True heading in degrees (`None`: not available).
    pub heading: Option<u16>,
}

/// Static and voyage data (type 5) to encode.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AisStatic {
    /// Maritime Mobile Service Identity.
    pub mmsi: u32,
    /// Reception time, seconds since the UNIX epoch.
    pub time: i64,
    /// IMO number (0: not available).
    pub imo: u32,
    /// Call sign (up to 7 characters).
    pub callsign: String,
    /// Ship name (up to 20 characters).
    pub name: String,
    /// AIS ship and cargo type (30 fishing, 37 pleasure craft, 70 cargo, …).
    pub ship_type: u8,
    /// Destination (up to 20 characters).
    pub destination: String,
}

/// Bits being packed, most significant first.
#[derive(Default)]
struct Bits {
    bits: Vec<bool>,
}

impl Bits {
    fn put(&mut self, value: u64, width: u32) {
        for i in (0..width).rev() {
            self.bits.push((value >> i) & 1 == 1);
        }
    }

    fn put_signed(&mut self, value: i64, width: u32) {
        let mask = if width >= 64 { u64::MAX } else { (1u64 << width) - 1 };
        self.put(value as u64 & mask, width);
    }

    /// Text in the 6-bit ASCII of AIS, padded with `@` (0) to `chars`.
    fn put_text(&mut self, text: &str, chars: usize) {
        let mut codes = text.chars().map(|c| {
            let c = c.to_ascii_uppercase();
            match c as u32 {
                64..=95 => u64::from(c as u32 - 64),
                32..=63 => u64::from(c as u32),
                _ => u64::from(b'?'),
            }
        });
        for _ in 0..chars {
            self.put(codes.next().unwrap_or(0), 6);
        }
    }

    /// The 6-bit armoured payload and the number of fill bits.
    fn armour(&self) -> (String, u8) {
        let fill = (6 - self.bits.len() % 6) % 6;
        let mut out = String::with_capacity(self.bits.len() / 6 + 1);
        for chunk in self.bits.chunks(6) {
            let mut v = 0u8;
            for i in 0..6 {
                v = v << 1 | u8::from(chunk.get(i).copied().unwrap_or(false));
            }
            out.push(char::from(if v < 40 { v + 48 } else { v + 56 }));
        }
        (out, fill as u8)
    }
}

/// The NMEA checksum: XOR of every byte.
fn checksum(body: &str) -> u8 {
    body.bytes().fold(0, |a, b| a ^ b)
}

/// One sentence with its tag block.
fn sentence(time: i64, total: usize, part: usize, seq: Option<u8>, payload: &str, fill: u8) -> String {
    let tag = format!("c:{time}");
    let seq = seq.map(|s| s.to_string()).unwrap_or_default();
    let body = format!("AIVDM,{total},{part},{seq},A,{payload},{fill}");
    let mut out = String::with_capacity(body.len() + tag.len() + 12);
    let _ = write!(out, "\\{tag}*{:02X}\\!{body}*{:02X}", checksum(&tag), checksum(&body));
    out
}

/// Scales a value to an integer field, or the "not available" value.
fn scaled(value: Option<f64>, scale: f64, max: f64, not_available: u64) -> u64 {
    match value {
        Some(v) if v.is_finite() && v >= 0.0 => ((v * scale).round().min(max)) as u64,
        _ => not_available,
    }
}

/// The sentence of a position report (type 1 or 3, 168 bits, one sentence).
pub fn position_sentence(p: &AisPosition) -> String {
    let mut b = Bits::default();
    b.put(if p.msg_type == 3 { 3 } else { 1 }, 6);
    b.put(0, 2);
    b.put(u64::from(p.mmsi & 0x3FFF_FFFF), 30);
    b.put(if p.sog.is_some_and(|s| s > 0.5) { 0 } else { 5 }, 4); // under way using engine / moored
    b.put_signed(-128, 8); // rate of turn not available
    b.put(scaled(p.sog, 10.0, 1022.0, 1023), 10);
    b.put(1, 1);
    let minutes = |deg: f64, limit: f64| {
        if deg.is_finite() && deg.abs() <= limit {
            (deg * 600_000.0).round() as i64
        } else {
            (limit + 1.0) as i64 * 600_000
        }
    };
    b.put_signed(minutes(p.lon, 180.0), 28);
    b.put_signed(minutes(p.lat, 90.0), 27);
    b.put(scaled(p.cog.map(|c| c.rem_euclid(360.0)), 10.0, 3599.0, 3600), 12);
    b.put(p.heading.filter(|h| *h < 360).map_or(511, u64::from), 9);
    b.put(p.time.rem_euclid(60) as u64, 6);
    b.put(0, 2);
    b.put(0, 3);
    b.put(0, 1);
    b.put(0, 19);
    let (payload, fill) = b.armour();
    sentence(p.time, 1, 1, None, &payload, fill)
}

/// The two sentences of static and voyage data (type 5, 424 bits); `seq` (0–9) is the sequential
/// message id that ties the parts together.
pub fn static_sentences(s: &AisStatic, seq: u8) -> [String; 2] {
    let mut b = Bits::default();
    b.put(5, 6);
    b.put(0, 2);
    b.put(u64::from(s.mmsi & 0x3FFF_FFFF), 30);
    b.put(0, 2);
    b.put(u64::from(s.imo & 0x3FFF_FFFF), 30);
    b.put_text(&s.callsign, 7);
    b.put_text(&s.name, 20);
    b.put(u64::from(s.ship_type), 8);
    b.put(10, 9); // to bow
    b.put(5, 9); // to stern
    b.put(2, 6); // to port
    b.put(2, 6); // to starboard
    b.put(1, 4); // GPS
    b.put(0, 4); // ETA month not available
    b.put(0, 5);
    b.put(24, 5);
    b.put(60, 6);
    b.put(20, 8); // draught 2.0 m
    b.put_text(&s.destination, 20);
    b.put(0, 1);
    b.put(0, 1);
    let (payload, fill) = b.armour();
    let (first, second) = payload.split_at(payload.len().min(60));
    let seq = Some(seq % 10);
    [sentence(s.time, 2, 1, seq, first, 0), sentence(s.time, 2, 2, seq, second, fill)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_the_xor_of_the_body() {
        // A sentence from the ITU's examples as gpsd documents it.
        assert_eq!(checksum("AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0"), 0x4A);
    }

    #[test]
    fn six_bit_text_and_armour() {
        let mut b = Bits::default();
        b.put_text("ab@", 4);
        assert_eq!(b.bits.len(), 24);
        let (payload, fill) = b.armour();
        assert_eq!(fill, 0);
        // 'A' = 1 -> '1', 'B' = 2 -> '2', '@' = 0 -> '0', padding '@' -> '0'.
        assert_eq!(payload, "1200");
        let mut b = Bits::default();
        b.put(63, 6);
        b.put(1, 2);
        let (payload, fill) = b.armour();
        assert_eq!((payload.as_str(), fill), ("w@", 4));
    }
}
