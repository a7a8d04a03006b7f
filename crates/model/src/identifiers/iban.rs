//! International Bank Account Numbers (ISO 13616): country length table and
//! the mod-97 check, so that a mistyped IBAN never links two reports.

use super::IdentifierError;

const WHAT: &str = "IBAN";

/// IBAN length by country, from the SWIFT IBAN registry: every SEPA country and
/// the other registered countries (Türkiye, the Gulf, North Africa, ...).
const LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// The registered length of IBANs of a country (alpha-2, upper case), if it issues them.
pub fn iban_length(country: &str) -> Option<usize> {
    LENGTHS.iter().find(|(code, _)| *code == country).map(|&(_, len)| len)
}

/// Validates an IBAN and returns it compact and upper-cased ("GB29NWBK60161331926819").
/// Spaces, dashes and a leading "IBAN" label are ignored.
pub fn normalize_iban(raw: &str) -> Result<String, IdentifierError> {
    let mut s = raw.trim();
    if s.len() > 4 && s.is_char_boundary(4) && s[..4].eq_ignore_ascii_case("IBAN") {
        s = s[4..].trim_start_matches([':', ' ', '\t']);
    }
    let compact: String =
        s.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    if compact.is_empty() {
        return Err(IdentifierError::Empty(WHAT));
    }
    if !compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(IdentifierError::malformed(WHAT, &compact, "may hold only letters and digits"));
    }
    let bytes = compact.as_bytes();
    if bytes.len() < 5 || !bytes[..2].iter().all(u8::is_ascii_uppercase) || !bytes[2..4].iter().all(u8::is_ascii_digit)
    {
        return Err(IdentifierError::malformed(WHAT, &compact, "must start with a country code and two check digits"));
    }
    let country = &compact[..2];
    let Some(expected) = iban_length(country) else {
        return Err(IdentifierError::malformed(WHAT, &compact, format!("{country} does not issue IBANs")));
    };
    if compact.len() != expected {
        return Err(IdentifierError::malformed(
            WHAT,
            &compact,
            format!("{country} IBANs have {expected} characters, not {}", compact.len()),
        ));
    }
    if matches!(&compact[2..4], "00" | "01" | "99") {
        return Err(IdentifierError::checksum(WHAT, &compact, "check digits 00, 01 and 99 are never issued"));
    }
    if mod97(bytes) != 1 {
        return Err(IdentifierError::checksum(WHAT, &compact, "fails the mod-97 check"));
    }
    Ok(compact)
}

/// ISO 7064 mod 97-10 of an IBAN (upper-case alphanumerics): the first four
/// characters are moved to the end and letters count as 10..=35.
fn mod97(iban: &[u8]) -> u32 {
    iban[4..].iter().chain(&iban[..4]).fold(0u32, |acc, &b| {
        if b.is_ascii_digit() {
            (acc * 10 + u32::from(b - b'0')) % 97
        } else {
            (acc * 100 + u32::from(b - b'A') + 10) % 97
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_registry_examples() {
        for (raw, expected) in [
            ("GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819"),
            ("gb29nwbk60161331926819", "GB29NWBK60161331926819"),
            ("IBAN: DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
            ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
            ("TR33 0006 1005 1978 6457 8413 26", "TR330006100519786457841326"),
            ("AE07 0331 2345 6789 0123 456", "AE070331234567890123456"),
            ("NL91ABNA0417164300", "NL91ABNA0417164300"),
            ("BE68539007547034", "BE68539007547034"),
            ("NO9386011117947", "NO9386011117947"),
            ("MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S"),
            ("IT60 X054 2811 1010 0000 0123 456", "IT60X0542811101000000123456"),
        ] {
            assert_eq!(normalize_iban(raw).unwrap(), expected, "{raw}");
        }
    }

    #[test]
    fn rejects_bad_ibans_with_reasons() {
        let err = |raw: &str| normalize_iban(raw).unwrap_err().to_string();
        assert_eq!(err("GB29NWBK60161331926818"), "IBAN GB29NWBK60161331926818: fails the mod-97 check");
        assert_eq!(err("GB29NWBK6016133192681"), "IBAN GB29NWBK6016133192681: GB IBANs have 22 characters, not 21");
        assert_eq!(err("US29NWBK60161331926819"), "IBAN US29NWBK60161331926819: US does not issue IBANs");
        assert!(err("GB29NWBK6016133192681É").contains("only letters and digits"));
        assert!(err("29GBNWBK60161331926819").contains("country code"));
        assert_eq!(err("  "), "no IBAN given");
        assert!(normalize_iban("IBAN").is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = normalize_iban(&s);
        }

        #[test]
        fn any_single_digit_change_is_caught(pos in 4usize..22, delta in 1u8..10) {
            let good = b"GB29NWBK60161331926819".to_vec();
            let mut bad = good.clone();
            if bad[pos].is_ascii_digit() {
                bad[pos] = b'0' + (bad[pos] - b'0' + delta) % 10;
                let bad = String::from_utf8(bad).unwrap();
                proptest::prop_assert!(normalize_iban(&bad).is_err());
            }
        }
    }
}
