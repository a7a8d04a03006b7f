//! Dates and timestamps without a calendar dependency: partial dates as
//! intelligence reports write them (a year, a month, a day) and the UTC
//! timestamp stamped on every statement when it is recorded.

use std::time::{SystemTime, UNIX_EPOCH};

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by a time)")]
pub struct DateError(pub String);

/// Validates a possibly partial ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD,
/// optionally with a `T...` time part) and returns it trimmed.
pub fn parse_partial_date(raw: &str) -> Result<String, DateError> {
    let s = raw.trim();
    let err = || DateError(raw.to_string());
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let number = |p: &str, len: usize| -> Result<u32, DateError> {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) { p.parse().map_err(|_| err()) } else { Err(err()) }
    };
    match parts[..] {
        [y] => {
            number(y, 4)?;
        }
        [y, m] => {
            number(y, 4)?;
            if !(1..=12).contains(&number(m, 2)?) {
                return Err(err());
            }
        }
        [y, m, d] => {
            let year = number(y, 4)?;
            let month = number(m, 2)?;
            let day = number(d, 2)?;
            if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
                return Err(err());
            }
        }
        _ => return Err(err()),
    }
    if let Some(time) = time
        && (parts.len() != 3 || !valid_time(time))
    {
        return Err(err());
    }
    Ok(s.to_string())
}

fn valid_time(t: &str) -> bool {
    let t = t.trim_end_matches('Z');
    let t = t.split(['+']).next().unwrap_or(t);
    let hms: Vec<&str> = t.split(':').collect();
    if hms.len() < 2 || hms.len() > 3 {
        return false;
    }
    let limits = [23u32, 59, 60];
    hms.iter().zip(limits).all(|(p, max)| {
        let whole = p.split('.').next().unwrap_or("");
        whole.len() == 2 && whole.bytes().all(|b| b.is_ascii_digit()) && whole.parse::<u32>().is_ok_and(|v| v <= max)
    })
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

/// The civil date (year, month, day) of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date (the inverse of [`civil_from_days`]), so that dates can
/// be used as integer times by the graph engine's time windows.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Howard Hinnant's algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 of a date written YYYY, YYYY-MM or YYYY-MM-DD (a partial date counts from
/// its first day; a time after `T` or a space is ignored), so that dates can be compared and
/// windowed as numbers. `None` if it is not such a date.
pub fn day_number(date: &str) -> Option<i64> {
    let date = parse_partial_date(date).ok()?;
    let date = date.split(['T', ' ']).next().unwrap_or(&date);
    let mut parts = date.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next().map_or(Some(1), |m| m.parse().ok())?;
    let day = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    Some(days_from_civil(year, month, day))
}

/// Formats seconds since the Unix epoch as an RFC 3339 UTC timestamp.
pub fn rfc3339(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// The current time as an RFC 3339 UTC timestamp.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    rfc3339(secs)
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    now_rfc3339().chars().take(10).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_of_partial_dates_count_from_their_first_day() {
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(day_number("2024"), day_number("2024-01-01"));
        assert_eq!(day_number("2024-03"), day_number("2024-03-01"));
        assert_eq!(day_number("2024-03-01T10:00:00Z"), day_number("2024-03-01"));
        assert_eq!(day_number("2023-02-29"), None);
        assert_eq!(day_number("March"), None);
    }

    #[test]
    fn days_and_civil_dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn accepts_partial_and_full_dates() {
        for ok in ["1991", "1991-03", "1991-03-07", "2024-02-29", "2024-05-01T13:45:00Z", "2024-05-01T13:45"] {
            assert_eq!(parse_partial_date(ok).unwrap(), ok);
        }
        for bad in ["", "91", "1991-13", "1991-02-29", "1991-3-7", "07/03/1991", "2024-05-01T25:00", "1991-03T10:00"] {
            assert!(parse_partial_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_timestamps() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    proptest::proptest! {
        #[test]
        fn date_parsing_never_panics(s in ".{0,24}") {
            let _ = parse_partial_date(&s);
        }
    }
}
