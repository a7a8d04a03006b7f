//! Reception times: UNIX milliseconds from civil dates and back to ISO 8601.

use crate::message::days_from_civil;

/// Milliseconds since the UNIX epoch of a UTC date and time, or `None` when a
/// part is out of range.
pub fn civil_to_ms(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> Option<i64> {
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 || ms > 999 {
        return None;
    }
    if !(0..=9999).contains(&y) {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some(((days * 86400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)) * 1000) + i64::from(ms))
}

/// Append `ms` as `YYYY-MM-DDTHH:MM:SS[.mmm]Z` (milliseconds only when not zero).
pub fn write_iso_ms(ms: i64, out: &mut Vec<u8>) {
    use std::io::Write;
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000);
    let days = secs.div_euclid(86400);
    let sod = secs.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", sod / 3600, sod / 60 % 60, sod % 60);
    if milli != 0 {
        let _ = write!(out, ".{milli:03}");
    }
    out.push(b'Z');
}

/// Civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let ms = civil_to_ms(2010, 6, 11, 11, 46, 11, 390).unwrap();
        assert_eq!(ms, 1276256771390);
        let mut out = Vec::new();
        write_iso_ms(ms, &mut out);
        assert_eq!(out, b"2010-06-11T11:46:11.390Z");
        let mut out = Vec::new();
        write_iso_ms(1418169601000, &mut out);
        assert_eq!(out, b"2014-12-10T00:00:01Z");
    }
}
