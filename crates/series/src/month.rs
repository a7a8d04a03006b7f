//! Calendar months as one compact integer: `year * 12 + month - 1`, so that
//! consecutive months are consecutive integers and spans are subtractions.

use std::fmt;

use serde::{Serialize, Serializer};

/// A calendar month, stored as `year * 12 + (month - 1)`; shown and
/// serialised as `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    /// The month `month` (1–12) of `year` (0–9999); `None` outside those ranges.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        if !(0..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        Some(Month(year * 12 + month as i32 - 1))
    }

    /// The month with this compact index (`year * 12 + month - 1`).
    pub fn from_index(index: i32) -> Month {
        Month(index)
    }

    /// The compact index, `year * 12 + month - 1`.
    pub fn index(self) -> i32 {
        self.0
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// The month of the year, 1 (January) to 12 (December).
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// The quarter of the year, 1 to 4.
    pub fn quarter(self) -> u32 {
        (self.month() - 1) / 3 + 1
    }

    /// The month `n` months later (earlier when `n` is negative).
    pub fn plus(self, n: i32) -> Month {
        Month(self.0 + n)
    }

    /// How many months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        later.0 - self.0
    }

    /// Parses `YYYY-MM` exactly (four-digit year, two-digit month 01–12);
    /// surrounding spaces are ignored.
    pub fn parse(text: &str) -> Option<Month> {
        let bytes = text.trim().as_bytes();
        if bytes.len() != 7 || bytes[4] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            bytes[range].iter().try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
        };
        let year = digits(0..4)?;
        let month = digits(5..7)?;
        Month::new(year as i32, month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::str::FromStr for Month {
    type Err = String;

    fn from_str(text: &str) -> Result<Month, String> {
        Month::parse(text).ok_or_else(|| format!("bad month {text:?} (expected YYYY-MM, month 01-12)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_shows_months() {
        let m = Month::parse("2016-03").unwrap();
        assert_eq!(m.index(), 2016 * 12 + 2);
        assert_eq!((m.year(), m.month(), m.quarter()), (2016, 3, 1));
        assert_eq!(m.to_string(), "2016-03");
        assert_eq!(m.plus(10).to_string(), "2017-01");
        assert_eq!(m.plus(-3).to_string(), "2015-12");
        assert_eq!(Month::parse("2015-12").unwrap().months_until(m), 3);
    }

    #[test]
    fn refuses_malformed_months() {
        for bad in
            ["2016-13", "2016-00", "2016-3", "16-03", "2016/03", "2016-03-01", "", "abcd-ef", "+016-03", "2016-+3"]
        {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }
}
