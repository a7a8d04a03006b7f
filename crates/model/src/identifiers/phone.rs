//! Telephone numbers, normalised to E.164 with libphonenumber's metadata.
//!
//! Decision on validity: a number is accepted when libphonenumber deems it
//! *valid* (its digits match a number range in use) or, failing that, when it
//! is *possible* (its country code exists and its national number has a length
//! used in that country). The looser rule is deliberate: libphonenumber rejects
//! Ofcom's drama ranges (07700 900000–900999, 020 7946 0xxx, ...), which
//! synthetic and training data use on purpose, and ranges freshly opened by a
//! regulator lag behind the metadata. Numbers with an unknown country code or
//! an impossible length are still rejected.

use std::panic::{AssertUnwindSafe, catch_unwind};

use phonenumber::{Mode, PhoneNumber, country};

use super::IdentifierError;

const WHAT: &str = "phone number";

/// Normalises a telephone number to E.164 ("+447700900123").
///
/// International numbers may be written with "+" or the "00" prefix; national
/// numbers are read in `default_region` (an ISO alpha-2 code, "GB" when none
/// is given). Spaces, dots, dashes, slashes, brackets and the UK habit of
/// "+44 (0)" are ignored; letters and other characters are rejected.
pub fn normalize_phone(raw: &str, default_region: Option<&str>) -> Result<String, IdentifierError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(IdentifierError::Empty(WHAT));
    }
    let bad = |problem: &str| IdentifierError::malformed(WHAT, s, problem);
    if s.len() > 40 {
        return Err(bad("is too long"));
    }
    // Reduce to "+digits" or "digits" ourselves: the parser is only ever handed clean input.
    let without_trunk = s.replacen("(0)", "", 1);
    let mut digits = String::with_capacity(20);
    let mut plus = false;
    for (i, c) in without_trunk.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '\u{a0}' | '.' | '-' | '/' | '(' | ')' => {}
            _ => return Err(bad("has a character that is not part of a phone number")),
        }
    }
    if !plus && digits.starts_with("00") {
        digits.drain(..2);
        plus = true;
    }
    if !(4..=17).contains(&digits.len()) {
        return Err(bad("must have 4 to 17 digits"));
    }
    let region_code = default_region.unwrap_or("GB").trim().to_ascii_uppercase();
    if let Some(e164) = fast_path(plus, &digits, &region_code) {
        return Ok(e164);
    }
    let region: country::Id = region_code
        .parse()
        .map_err(|_| IdentifierError::malformed(WHAT, s, format!("{region_code} is not a known region")))?;
    let input = if plus { format!("+{digits}") } else { digits };
    let parsed = catch_unwind(AssertUnwindSafe(|| phonenumber::parse(Some(region), &input)))
        .map_err(|_| bad("could not be parsed"))?
        .map_err(|_| bad("could not be parsed"))?;
    if !phonenumber::is_valid(&parsed) && !is_possible(&parsed) {
        return Err(bad("is not a valid or possible number for its country"));
    }
    Ok(parsed.format().mode(Mode::E164).to_string())
}

/// Country codes whose numbers libphonenumber reads trivially (the national
/// significant number follows the country code, or a trunk "0" in national
/// form, and never starts with 0), with their main region and whether national
/// numbers carry the trunk "0". The `fast_path_agrees_with_libphonenumber`
/// test holds every entry to libphonenumber's own result.
const SIMPLE: &[(&str, &str, bool)] = &[
    ("44", "GB", true),
    ("33", "FR", true),
    ("49", "DE", true),
    ("32", "BE", true),
    ("31", "NL", true),
    ("34", "ES", false),
    ("30", "GR", false),
    ("90", "TR", true),
    ("41", "CH", true),
    ("43", "AT", true),
    ("353", "IE", true),
    ("48", "PL", false),
    ("40", "RO", true),
    ("216", "TN", false),
    ("218", "LY", true),
    ("20", "EG", true),
    ("212", "MA", true),
    ("213", "DZ", true),
    ("93", "AF", true),
    ("98", "IR", true),
    ("964", "IQ", true),
    ("963", "SY", true),
    ("355", "AL", true),
    ("291", "ER", true),
    ("249", "SD", true),
    ("380", "UA", true),
    ("92", "PK", true),
    ("880", "BD", true),
    ("84", "VN", true),
];

/// E.164 without the parser for the common countries in [`SIMPLE`], when the
/// national number has a possible length (parsing costs tens of microseconds,
/// this well under one). None means "ask libphonenumber".
fn fast_path(plus: bool, digits: &str, region: &str) -> Option<String> {
    let (cc, nsn) = if plus {
        SIMPLE.iter().find_map(|&(cc, _, _)| digits.strip_prefix(cc).map(|rest| (cc, rest)))?
    } else {
        // National numbers only where a trunk "0" marks them: elsewhere the parser may read a leading
        // country code into them, and it should be the one to decide.
        let &(cc, _, _) = SIMPLE.iter().find(|&&(_, r, trunk)| r == region && trunk)?;
        (cc, digits.strip_prefix('0')?)
    };
    if nsn.is_empty() || nsn.starts_with('0') {
        return None;
    }
    let code: u16 = cc.parse().ok()?;
    possible_length(code, nsn.len()).then(|| format!("+{cc}{nsn}"))
}

/// Whether the national number's length is one that a full (not short-code)
/// number type uses in some region sharing its country code. The metadata
/// leaves the general descriptor's lengths empty, so each type is consulted.
fn is_possible(number: &PhoneNumber) -> bool {
    possible_length(number.code().value(), number.national().to_string().len())
}

/// Whether a national significant number of `len` digits is possible under country code `code`.
fn possible_length(code: u16, len: usize) -> bool {
    let Ok(len) = u16::try_from(len) else { return false };
    let Some(regions) = phonenumber::metadata::DATABASE.by_code(&code) else {
        return false;
    };
    regions.iter().any(|meta| {
        let d = meta.descriptors();
        [
            Some(d.general()),
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ]
        .into_iter()
        .flatten()
        .any(|desc| desc.possible_length().contains(&len))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_to_e164() {
        for (raw, region, expected) in [
            ("07700 900123", None, "+447700900123"),
            ("07700900123", Some("GB"), "+447700900123"),
            ("+44 (0)7700 900123", None, "+447700900123"),
            ("+44 7700 900 123", None, "+447700900123"),
            ("+33 6 12 34 56 78", None, "+33612345678"),
            ("06 12 34 56 78", Some("FR"), "+33612345678"),
            ("00 218 91 234 5678", None, "+218912345678"),
            ("00 218 91 234 5678", Some("US"), "+218912345678"),
            ("020 7946 0123", None, "+442079460123"),
            ("+90 532 123 45 67", None, "+905321234567"),
            ("+39 347 123 4567", None, "+393471234567"),
            ("+1 (202) 555-0143", None, "+12025550143"),
            ("+216 20 123 456", Some("gb"), "+21620123456"),
        ] {
            assert_eq!(normalize_phone(raw, region).unwrap(), expected, "{raw}");
        }
    }

    #[test]
    fn drama_numbers_are_accepted_as_possible() {
        let n = phonenumber::parse(Some(country::Id::GB), "07700900123").unwrap();
        // libphonenumber's ranges leave Ofcom's drama block out; we accept it as a possible number.
        assert!(!phonenumber::is_valid(&n));
        assert!(is_possible(&n));
        assert_eq!(normalize_phone("07700 900001", None).unwrap(), "+447700900001");
    }

    #[test]
    fn rejects_non_numbers() {
        for (raw, region) in [
            ("", None),
            ("07700 9001", None),
            ("+999 123 456 789", None),
            ("NCA-2024-001234", None),
            ("call me", None),
            ("07700 900123 ext 5", None),
            ("++447700900123", None),
            ("0770090012345678901", None),
            ("07700 900123", Some("XX")),
        ] {
            assert!(normalize_phone(raw, region).is_err(), "{raw}");
        }
    }

    /// libphonenumber's own answer, bypassing the fast path.
    fn slow(raw: &str, region: country::Id) -> Option<String> {
        let n = phonenumber::parse(Some(region), raw).ok()?;
        (phonenumber::is_valid(&n) || is_possible(&n)).then(|| n.format().mode(Mode::E164).to_string())
    }

    #[test]
    fn fast_path_agrees_with_libphonenumber_on_examples() {
        for &(cc, region, trunk) in SIMPLE {
            let id: country::Id = region.parse().unwrap();
            for nsn in ["7700900123", "612345678", "2079460123", "15123456789", "912345678", "5321234567"] {
                let international = format!("+{cc}{nsn}");
                if let Some(fast) = fast_path(true, &international[1..], "GB") {
                    assert_eq!(Some(fast), slow(&international, id), "{international}");
                }
                let national = if trunk { format!("0{nsn}") } else { nsn.to_string() };
                if let Some(fast) = fast_path(false, &national, region) {
                    assert_eq!(Some(fast), slow(&national, id), "{national} in {region}");
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        #[test]
        fn fast_path_agrees_with_libphonenumber(i in 0usize..SIMPLE.len(), nsn in "[1-9][0-9]{5,12}", national in proptest::bool::ANY) {
            let (cc, region, trunk) = SIMPLE[i];
            let id: country::Id = region.parse().unwrap();
            let (plus, digits) = if national {
                (false, if trunk { format!("0{nsn}") } else { nsn.clone() })
            } else {
                (true, format!("{cc}{nsn}"))
            };
            if let Some(fast) = fast_path(plus, &digits, region) {
                let raw = if plus { format!("+{digits}") } else { digits.clone() };
                proptest::prop_assert_eq!(Some(fast), slow(&raw, id), "{} in {}", raw, region);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = normalize_phone(&s, None);
        }

        #[test]
        fn never_panics_on_phone_like_input(s in "[+0-9 ()./-]{0,30}", region in "[A-Z]{2}") {
            let _ = normalize_phone(&s, Some(&region));
        }
    }
}
