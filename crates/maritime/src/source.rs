//! Positions and static records from a stream of lines: NMEA 0183 AIVDM
//! sentences (through `tessera_ais`) and, on lines that start with `{`,
//! decoded JSON records in the gpsdio / Global Fishing Watch layout
//! (`{"ssvid": 416000000, "timestamp": "2014-01-01 01:14:25.000000",
//! "lat": .., "lon": .., "speed": .., "course": ..}`). Both can be mixed in
//! one stream. Memory is bounded: one line of at most
//! [`tessera_ais::MAX_LINE`] bytes at a time.

use std::io::BufRead;
use std::ops::ControlFlow;

use serde::Serialize;
use serde_json::Value;
use tessera_ais::Decoder;

use crate::position::{Converter, Dimensions, Position, StaticInfo, flag_of};

/// One record read from a stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A timed position.
    Position(Position),
    /// Static data (a type 5, 19 or 24 message, or a JSON record naming the
    /// vessel).
    Static(StaticInfo),
}

/// Why reading stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The stream could not be read.
    #[error("line {line}: {source}")]
    Io {
        /// Line number (1-based) being read.
        line: u64,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A JSON record is broken or lacks what a position needs.
    #[error("line {line}: {message}")]
    Record {
        /// Line number (1-based).
        line: u64,
        /// What is wrong, naming the field.
        message: String,
    },
}

/// Counts of one stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReadCounts {
    /// Lines read.
    pub lines: u64,
    /// AIS messages decoded from NMEA lines.
    pub messages: u64,
    /// JSON records read.
    pub json_records: u64,
    /// JSON records whose lat or lon is null or missing (skipped).
    pub json_no_position: u64,
}

/// Reads `reader` to its end, converting NMEA messages with `converter`
/// (which counts positions without a time or a position) and JSON records
/// with [`parse_json`], and hands each record to `f`; `f` returns
/// [`ControlFlow::Break`] to stop early. `decoder` should be fresh for each
/// stream (a multi-part message never joins parts of two streams); it is
/// finished at the end. A broken JSON record stops reading with its line
/// number; NMEA problems are only counted by the decoder (never fatal).
pub fn read_records<R: BufRead>(
    mut reader: R,
    decoder: &mut Decoder,
    converter: &mut Converter,
    mut f: impl FnMut(Record) -> ControlFlow<()>,
) -> Result<ReadCounts, ReadError> {
    let mut counts = ReadCounts::default();
    let mut line = Vec::with_capacity(256);
    loop {
        let more = tessera_ais::read_line(&mut reader, &mut line)
            .map_err(|source| ReadError::Io { line: counts.lines + 1, source })?;
        if !more {
            break;
        }
        counts.lines += 1;
        let text = line.trim_ascii_start();
        let flow = if text.first() == Some(&b'{') {
            counts.json_records += 1;
            let records = parse_json(text).map_err(|message| ReadError::Record { line: counts.lines, message })?;
            if !records.iter().any(|r| matches!(r, Record::Position(_))) {
                counts.json_no_position += 1;
            }
            let mut flow = ControlFlow::Continue(());
            for r in records {
                flow = f(r);
                if flow.is_break() {
                    break;
                }
            }
            flow
        } else if let Some(m) = decoder.feed(&line) {
            counts.messages += 1;
            let (position, statics) = converter.convert(&m, None);
            let mut flow = ControlFlow::Continue(());
            if let Some(s) = statics {
                flow = f(Record::Static(s));
            }
            if let (Some(p), false) = (position, flow.is_break()) {
                flow = f(Record::Position(p));
            }
            flow
        } else {
            ControlFlow::Continue(())
        };
        if flow.is_break() {
            break;
        }
    }
    decoder.finish();
    Ok(counts)
}

/// The records of one JSON line (gpsdio / GFW layout): a position when it
/// has `lat` and `lon` (null or missing: none), static data when it has any
/// of `shipname`/`name`, `callsign`, `imo`, `shiptype`/`ship_type`,
/// `destination`. `mmsi` or `ssvid` (number or digits) and `timestamp`
/// (ISO 8601 text, `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z]`, or seconds since the
/// epoch) are required. Speed is `speed` or `sog` (knots), course `course`
/// or `cog`, heading `heading`. The error names the field.
pub fn parse_json(line: &[u8]) -> Result<Vec<Record>, String> {
    let v: Value = serde_json::from_slice(line).map_err(|e| format!("not a JSON record: {e}"))?;
    let Value::Object(o) = v else { return Err("not a JSON object".into()) };
    let get = |names: &[&str]| names.iter().find_map(|n| o.get(*n)).filter(|v| !v.is_null());
    let number = |names: &[&str]| -> Result<Option<f64>, String> {
        match get(names) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64().map(|x| exact(line, names, x))),
            Some(Value::String(s)) => {
                s.trim().parse().map(Some).map_err(|_| format!("{}: not a number: {s:?}", names[0]))
            }
            Some(other) => Err(format!("{}: not a number: {other}", names[0])),
        }
    };
    let mmsi = number(&["mmsi", "ssvid"])?.ok_or("no mmsi (or ssvid)")?;
    if !(mmsi.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&mmsi)) {
        return Err(format!("mmsi: not a 32-bit whole number: {mmsi}"));
    }
    let mmsi = mmsi as u32;
    let time = match get(&["timestamp", "time"]) {
        None => return Err("no timestamp".into()),
        Some(Value::String(s)) => parse_time(s).ok_or_else(|| format!("timestamp: not an ISO 8601 UTC time: {s:?}"))?,
        Some(Value::Number(n)) => {
            n.as_f64().filter(|t| t.is_finite() && t.abs() < 1e12).ok_or("timestamp: out of range")?.floor() as i64
        }
        Some(other) => return Err(format!("timestamp: not a time: {other}")),
    };
    let mut out = Vec::with_capacity(1);
    if let (Some(lat), Some(lon)) = (number(&["lat"])?, number(&["lon"])?) {
        let f32_of = |x: Option<f64>| x.filter(|x| x.is_finite()).map(|x| x as f32);
        let heading = number(&["heading"])?.filter(|h| (0.0..360.0).contains(h)).map(|h| h as u16);
        out.push(Record::Position(Position {
            mmsi,
            time,
            lat,
            lon,
            sog: f32_of(number(&["speed", "sog"])?),
            cog: f32_of(number(&["course", "cog"])?),
            heading,
        }));
    }
    let text = |names: &[&str]| match get(names) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let whole = |names: &[&str], max: f64| -> Result<Option<f64>, String> {
        Ok(number(names)?.filter(|x| x.fract() == 0.0 && (0.0..=max).contains(x)))
    };
    let s = StaticInfo {
        mmsi,
        time: Some(time),
        name: text(&["shipname", "name"]),
        callsign: text(&["callsign"]),
        imo: whole(&["imo"], u32::MAX as f64)?.map(|x| x as u32).filter(|&i| i != 0),
        ship_type: whole(&["shiptype", "ship_type"], 255.0)?.map(|x| x as u8),
        dimensions: None::<Dimensions>,
        destination: text(&["destination"]),
        flag: flag_of(mmsi),
    };
    if s.name.is_some() || s.callsign.is_some() || s.imo.is_some() || s.ship_type.is_some() || s.destination.is_some() {
        out.push(Record::Static(s));
    }
    Ok(out)
}

/// serde_json (without its `float_roundtrip` feature) may miss the nearest
/// f64 of a long decimal by an ulp; Rust's parser does not. Re-reads the
/// number after the first of `names` in the raw line and keeps it when it
/// agrees with serde's value to 1e-12 (so a key inside a string value can
/// never change the result more than that).
fn exact(line: &[u8], names: &[&str], approx: f64) -> f64 {
    let Ok(text) = std::str::from_utf8(line) else { return approx };
    for name in names {
        let key = format!("\"{name}\"");
        let Some(at) = text.find(&key) else { continue };
        let rest = text[at + key.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else { continue };
        let rest = rest.trim_start();
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(rest.len());
        return match rest[..end].parse::<f64>() {
            Ok(x) if (x - approx).abs() <= 1e-12 * approx.abs().max(1.0) => x,
            _ => approx,
        };
    }
    approx
}

/// Seconds of `YYYY-MM-DD[T ]HH:MM:SS[.fff…][Z|+00:00]` (UTC).
pub fn parse_time(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n = |a: usize, z: usize| -> Option<u32> {
        let t = &b[a..z];
        t.iter().all(u8::is_ascii_digit).then(|| t.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
    };
    let mut rest = &b[19..];
    if let Some(r) = rest.strip_prefix(b".") {
        let digits = r.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &r[digits..];
    }
    if !matches!(rest, b"" | b"Z" | b"z" | b"+00:00" | b"+0000") {
        return None;
    }
    let ms =
        tessera_ais::time::civil_to_ms(n(0, 4)? as i64, n(5, 7)?, n(8, 10)?, n(11, 13)?, n(14, 16)?, n(17, 19)?, 0)?;
    Some(ms.div_euclid(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str) -> Result<(Vec<Record>, ReadCounts), ReadError> {
        let mut out = Vec::new();
        let counts = read_records(input.as_bytes(), &mut Decoder::new(), &mut Converter::new(), |r| {
            out.push(r);
            ControlFlow::Continue(())
        })?;
        Ok((out, counts))
    }

    #[test]
    fn gfw_records_and_nmea_mixed() {
        let input = concat!(
            "{\"ssvid\": 416000000, \"lat\": 22.5, \"lon\": 120.3, \"timestamp\": \"2014-01-01 01:14:25.000000\", \"course\": 0, \"speed\": 0}\n",
            "\\c:1418169601*5C\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n",
            "{\"mmsi\": \"227317360\", \"timestamp\": \"2014-08-01T00:00:00Z\", \"shipname\": \"BOAT\", \"lat\": null, \"lon\": null}\n",
        );
        let (records, counts) = read(input).unwrap();
        assert_eq!(counts.lines, 3);
        assert_eq!(counts.json_records, 2);
        let Record::Position(p) = &records[0] else { panic!("{records:?}") };
        assert_eq!((p.mmsi, p.time, p.lat, p.sog), (416000000, 1388538865, 22.5, Some(0.0)));
        // Parsed to the nearest f64, as Rust's parser does.
        let line = br#"{"ssvid": 1, "timestamp": 0, "lat": 22.568214416503906, "lon": 120.31088256835938}"#;
        let Record::Position(p) = &parse_json(line).unwrap()[0] else { panic!() };
        assert_eq!(p.lat, "22.568214416503906".parse::<f64>().unwrap());
        let Record::Static(s) = records.last().unwrap() else { panic!("{records:?}") };
        assert_eq!((s.mmsi, s.name.as_deref(), s.flag), (227317360, Some("BOAT"), Some("FR")));
    }

    #[test]
    fn broken_records_name_line_and_field() {
        let ok = "{\"mmsi\": 1, \"timestamp\": 0, \"lat\": 1, \"lon\": 2}\n";
        for (bad, what) in [
            ("{\"mmsi\": 1, \"lat\": 1", "not a JSON record"),
            ("{\"lat\": 1, \"lon\": 2, \"timestamp\": 0}", "no mmsi"),
            ("{\"mmsi\": 1, \"lat\": 1, \"lon\": 2}", "no timestamp"),
            ("{\"mmsi\": 1, \"timestamp\": \"yesterday\"}", "timestamp: not an ISO 8601"),
            ("{\"mmsi\": 1, \"timestamp\": 0, \"lat\": \"north\", \"lon\": 2}", "lat: not a number"),
            ("{\"mmsi\": -5, \"timestamp\": 0}", "mmsi: not a 32-bit"),
            ("{\"mmsi\": 1, \"timestamp\": 0, \"lat\": [1], \"lon\": 2}", "lat: not a number"),
        ] {
            let err = read(&format!("{ok}{bad}\n")).unwrap_err().to_string();
            assert!(err.starts_with("line 2: ") && err.contains(what), "{bad}: {err}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("1970-01-01T00:00:01Z"), Some(1));
        assert_eq!(parse_time("2014-01-01 01:14:25.000000"), Some(1388538865));
        assert_eq!(parse_time("2014-01-01T01:14:25.5+00:00"), Some(1388538865));
        assert_eq!(parse_time("2014-13-01T01:14:25"), None);
        assert_eq!(parse_time("2014-01-01T01:14:25+02:00"), None);
        assert_eq!(parse_time("2014-01-01"), None);
        assert_eq!(parse_time("2014-01-01T01:1x:25"), None);
    }
}
