//! Vehicle registration plates: one compact form for matching, and
//! recognition of the formats that can be picked out of free text safely.

use super::IdentifierError;

const WHAT: &str = "vehicle registration";

/// Normalises a registration: upper-cased, spaces, dots and dashes removed,
/// 2 to 10 letters and digits ("ab12 cde" → "AB12CDE", "AB-123-CD" → "AB123CD").
pub fn normalize_plate(raw: &str) -> Result<String, IdentifierError> {
    let compact: String =
        raw.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.')).map(|c| c.to_ascii_uppercase()).collect();
    if compact.is_empty() {
        return Err(IdentifierError::Empty(WHAT));
    }
    if !compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(IdentifierError::malformed(WHAT, &compact, "may hold only letters and digits"));
    }
    if !(2..=10).contains(&compact.len()) {
        return Err(IdentifierError::malformed(WHAT, &compact, "must have 2 to 10 letters and digits"));
    }
    Ok(compact)
}

/// The country whose current plate format a registration follows, if one
/// Tessera recognises: "GB" for the UK's 2001 format (AB12 CDE: region letters
/// without I, Q or Z first, an age identifier other than 00 or 01, three
/// random letters without I or Q) and "FR" for the French SIV format (AB-123-CD:
/// no I, O or U, no SS pair, no WW prefix, number 001–999). Spaces and dashes
/// are ignored. Free-text extraction only picks plates in these formats,
/// because looser patterns match too many reference numbers.
pub fn plate_format(plate: &str) -> Option<&'static str> {
    let mut buf = [0u8; 7];
    let mut len = 0;
    for b in plate.bytes() {
        if matches!(b, b' ' | b'-') {
            continue;
        }
        if len == 7 || !b.is_ascii_alphanumeric() {
            return None;
        }
        buf[len] = b.to_ascii_uppercase();
        len += 1;
    }
    if len != 7 {
        return None;
    }
    let letter = |b: u8| b.is_ascii_uppercase();
    let digit = |b: u8| b.is_ascii_digit();
    let b = buf;
    if letter(b[0]) && letter(b[1]) && digit(b[2]) && digit(b[3]) && letter(b[4]) && letter(b[5]) && letter(b[6]) {
        let excluded = matches!(b[0], b'I' | b'Q' | b'Z')
            || matches!(b[1], b'I' | b'Q')
            || (b[2] == b'0' && matches!(b[3], b'0' | b'1'))
            || b[4..].iter().any(|c| matches!(c, b'I' | b'Q'));
        let gb_ok = !excluded;
        return gb_ok.then_some("GB");
    }
    if letter(b[0]) && letter(b[1]) && digit(b[2]) && digit(b[3]) && digit(b[4]) && letter(b[5]) && letter(b[6]) {
        let no_iou = [b[0], b[1], b[5], b[6]].iter().all(|c| !matches!(c, b'I' | b'O' | b'U'));
        let fr_ok = no_iou && &b[0..2] != b"SS" && &b[5..7] != b"SS" && &b[0..2] != b"WW" && &b[2..5] != b"000";
        return fr_ok.then_some("FR");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_plates() {
        for (raw, expected) in
            [("ab12 cde", "AB12CDE"), ("AB-123-CD", "AB123CD"), ("B 123 XYZ", "B123XYZ"), ("W.123.AB", "W123AB")]
        {
            assert_eq!(normalize_plate(raw).unwrap(), expected, "{raw}");
        }
        for bad in ["", "A", "ABCDEFGHIJK", "AB12_CDE", "ÄB12CDE"] {
            assert!(normalize_plate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn recognises_uk_and_french_formats() {
        for (plate, format) in [
            ("AB12 CDE", Some("GB")),
            ("ab12cde", Some("GB")),
            ("LK68 XYZ", Some("GB")),
            ("AB-123-CD", Some("FR")),
            ("FG 456 HJ", Some("FR")),
            ("IB12 CDE", None),
            ("ZA12 CDE", None),
            ("AB01 CDE", None),
            ("AB12 CQE", None),
            ("AO-123-CD", None),
            ("SS-123-CD", None),
            ("WW-123-CD", None),
            ("AB-000-CD", None),
            ("AB12 CD", None),
            ("AB123CDE", None),
            ("NCA-2024", None),
            ("AB12 CDÉ", None),
        ] {
            assert_eq!(plate_format(plate), format, "{plate}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = normalize_plate(&s);
            let _ = plate_format(&s);
        }
    }
}
