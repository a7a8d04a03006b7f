//! Passport and identity-document numbers, reduced to one comparable form.

use super::IdentifierError;

const WHAT: &str = "document number";

/// Normalises a passport or identity-document number: upper-cased, with spaces,
/// dashes and MRZ filler (`<`) removed; the result must be 5 to 20 letters and
/// digits including at least one digit (every passport numbering scheme has one,
/// and requiring it keeps words like "UNKNOWN" out).
pub fn normalize_document_number(raw: &str) -> Result<String, IdentifierError> {
    let compact: String =
        raw.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '<')).map(|c| c.to_ascii_uppercase()).collect();
    if compact.is_empty() {
        return Err(IdentifierError::Empty(WHAT));
    }
    if !compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(IdentifierError::malformed(WHAT, &compact, "may hold only letters and digits"));
    }
    if !(5..=20).contains(&compact.len()) {
        return Err(IdentifierError::malformed(WHAT, &compact, "must have 5 to 20 letters and digits"));
    }
    if !compact.bytes().any(|b| b.is_ascii_digit()) {
        return Err(IdentifierError::malformed(WHAT, &compact, "has no digit"));
    }
    Ok(compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_document_numbers() {
        for (raw, expected) in [
            ("L898902C3", "L898902C3"),
            ("l898902c3", "L898902C3"),
            ("123 456 789", "123456789"),
            ("AB1234<<<", "AB1234"),
            ("12-AB-34567", "12AB34567"),
        ] {
            assert_eq!(normalize_document_number(raw).unwrap(), expected, "{raw}");
        }
    }

    #[test]
    fn rejects_bad_numbers() {
        for bad in ["", "1234", "UNKNOWN", "L898902C3!", "123456789012345678901", "L8989ÖC3"] {
            assert!(normalize_document_number(bad).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = normalize_document_number(&s);
        }
    }
}
