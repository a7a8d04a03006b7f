//! Comparison vectors: for a pair of records, one agreement level per field,
//! which the Fellegi–Sunter model turns into evidence.

use tessera_model::names;

use crate::normalise::{Normalised, PartialDate, Value};
use crate::record::Schema;

/// Number of agreement levels of every field (`0..LEVELS`), highest = best.
pub const LEVELS: usize = 4;

/// Level of a field missing on either side: no evidence either way.
pub const MISSING: u8 = u8::MAX;

/// One level per schema field, `MISSING` where either side lacks a value.
pub type Vector = Vec<u8>;

/// Human-readable name of a level for a field of the given kind.
pub fn level_name(is_date: bool, level: u8) -> &'static str {
    match (is_date, level) {
        (_, MISSING) => "missing",
        (false, 3) => "exact",
        (false, 2) => "similar (jaro-winkler >= 0.92)",
        (false, 1) => "close (jaro-winkler >= 0.80)",
        (true, 3) => "exact",
        (true, 2) => "day-month swapped or one digit off",
        (true, 1) => "same year",
        _ => "different",
    }
}

/// Compares two normalised records field by field.
pub fn compare(schema: &Schema, a: &Normalised, b: &Normalised) -> Vector {
    (0..schema.len())
        .map(|i| match (a.values.get(i), b.values.get(i)) {
            (Some(x), Some(y)) => compare_values(x, y),
            _ => MISSING,
        })
        .collect()
}

/// Agreement level of two values of the same field.
pub fn compare_values(a: &Value, b: &Value) -> u8 {
    match (a, b) {
        (Value::Name { folded: fa, .. }, Value::Name { folded: fb, .. }) => {
            if fa == fb {
                return 3;
            }
            let s = names::similarity(fa, fb).max(jaro_winkler(fa, fb));
            text_level(s)
        }
        (Value::Text(x), Value::Text(y)) => {
            if x == y {
                3
            } else {
                text_level(jaro_winkler(x, y))
            }
        }
        (Value::Date(x), Value::Date(y)) => date_level(x, y),
        _ => MISSING,
    }
}

fn text_level(s: f64) -> u8 {
    if s >= 0.92 {
        2
    } else if s >= 0.8 {
        1
    } else {
        0
    }
}

/// Date agreement: 3 exact, 2 day and month swapped or a single digit
/// different, 1 same year (also when either date is partial), 0 otherwise.
pub fn date_level(a: &PartialDate, b: &PartialDate) -> u8 {
    if a.year.is_none() || b.year.is_none() {
        return MISSING;
    }
    if a.is_full() && b.is_full() {
        if a == b {
            return 3;
        }
        let swapped = a.year == b.year && a.month == b.day && a.day == b.month;
        let digits = |d: &PartialDate| {
            format!("{:04}{:02}{:02}", d.year.unwrap_or(0), d.month.unwrap_or(0), d.day.unwrap_or(0)).into_bytes()
        };
        let diff = digits(a).iter().zip(digits(b).iter()).filter(|(x, y)| x != y).count();
        if swapped || diff == 1 {
            return 2;
        }
    }
    if a.year == b.year { 1 } else { 0 }
}

/// Jaro-Winkler similarity of two strings (by character), in `0.0..=1.0`.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() { 1.0 } else { 0.0 };
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_m = vec![false; a.len()];
    let mut b_m = vec![false; b.len()];
    let mut matches = 0usize;
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_m[j] && b[j] == *ca {
                a_m[i] = true;
                b_m[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let am = a.iter().zip(&a_m).filter(|(_, m)| **m).map(|(c, _)| c);
    let bm = b.iter().zip(&b_m).filter(|(_, m)| **m).map(|(c, _)| c);
    let transpositions = am.zip(bm).filter(|(x, y)| x != y).count() / 2;
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::{normalise, normalise_date};
    use crate::record::Role;

    #[test]
    fn jaro_winkler_known_values() {
        assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler("dixon", "dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(jaro_winkler("", ""), 1.0);
        assert_eq!(jaro_winkler("abc", "xyz"), 0.0);
    }

    #[test]
    fn name_levels() {
        let n = |s| normalise(Role::Surname, s);
        assert_eq!(compare_values(&n("Neumann"), &n("NEUMANN")), 3);
        assert_eq!(compare_values(&n("neumann"), &n("neuman")), 2);
        assert_eq!(compare_values(&n("Mohammed Abdelrahman"), &n("ABDULRAHMAN Mohammad")), 2);
        assert_eq!(compare_values(&n("smith"), &n("okonkwo")), 0);
        assert_eq!(compare_values(&n("smith"), &Value::Missing), MISSING);
    }

    #[test]
    fn date_levels() {
        let d = |s| normalise_date(s).unwrap();
        assert_eq!(date_level(&d("1991-03-07"), &d("07/03/1991")), 3);
        assert_eq!(date_level(&d("1991-03-07"), &d("1991-07-03")), 2);
        assert_eq!(date_level(&d("1991-03-07"), &d("1991-03-08")), 2);
        assert_eq!(date_level(&d("1991-03-07"), &d("1991-11-20")), 1);
        assert_eq!(date_level(&d("1991-03-07"), &d("1991")), 1);
        assert_eq!(date_level(&d("1991-03-07"), &d("1985-03-07")), 0);
    }
}
