//! IMO ship identification numbers: seven digits, the last a check digit,
//! assigned for the life of a hull whatever its name, flag or owner.

use super::IdentifierError;

const WHAT: &str = "IMO";

/// Validates an IMO number ("IMO 9074729", "IMO: 9074729" or "9074729") and
/// returns its seven digits. The seventh digit must equal the sum of the first
/// six weighted 7, 6, 5, 4, 3, 2, modulo 10.
pub fn normalize_imo(raw: &str) -> Result<String, IdentifierError> {
    let mut s = raw.trim();
    if s.len() >= 3 && s.is_char_boundary(3) && s[..3].eq_ignore_ascii_case("IMO") {
        s = s[3..].trim_start_matches([':', '.', ' ', '\t', '-', '#']);
    }
    let s = s.trim();
    if s.is_empty() {
        return Err(IdentifierError::Empty(WHAT));
    }
    if s.len() != 7 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdentifierError::malformed(WHAT, s, "must be seven digits"));
    }
    let expected = imo_check_digit(s.as_bytes());
    let actual = s.as_bytes()[6] - b'0';
    if actual != expected {
        return Err(IdentifierError::checksum(WHAT, s, format!("check digit should be {expected}")));
    }
    Ok(s.to_string())
}

/// The check digit of an IMO number's first six digits (ASCII).
fn imo_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits.iter().take(6).zip([7u32, 6, 5, 4, 3, 2]).map(|(&d, w)| u32::from(d - b'0') * w).sum();
    (sum % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_imo_numbers() {
        for (raw, expected) in [
            ("IMO 9074729", "9074729"),
            ("9074729", "9074729"),
            ("imo:9176187", "9176187"),
            ("IMO9321483", "9321483"),
            (" IMO 8814275 ", "8814275"),
        ] {
            assert_eq!(normalize_imo(raw).unwrap(), expected, "{raw}");
        }
    }

    #[test]
    fn rejects_bad_check_digits_and_shapes() {
        assert_eq!(normalize_imo("IMO 9074728").unwrap_err().to_string(), "IMO 9074728: check digit should be 9");
        assert!(normalize_imo("907472").unwrap_err().to_string().contains("seven digits"));
        assert!(normalize_imo("90747290").is_err());
        assert!(normalize_imo("IMO 907472A").is_err());
        assert_eq!(normalize_imo("IMO").unwrap_err(), IdentifierError::Empty("IMO"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = normalize_imo(&s);
        }

        #[test]
        fn exactly_one_check_digit_fits(n in 0u32..1_000_000) {
            let six = format!("{n:06}");
            let valid = (0..10).filter(|d| normalize_imo(&format!("{six}{d}")).is_ok()).count();
            proptest::prop_assert_eq!(valid, 1);
        }
    }
}
