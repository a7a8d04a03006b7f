//! Checking and normalising property values at ingest, one rule per
//! [`PropertyType`]: what a report says is stored in the single canonical form
//! that matching, search and deduplication rely on, or rejected with a reason.

use crate::countries::find_country;
use crate::identifiers::{IdentifierError, crypto, email, handle, iban, imo, mmsi, mrz, phone, plate};
use crate::schema::{DOCUMENT_STATUSES, EVENT_TYPES, PropertyType};
use crate::time::{DateError, parse_partial_date};

/// Why a property value was rejected. Messages are written to follow a field
/// name, as in "field iban: invalid IBAN GB29NWBK60161331926818: fails the mod-97 check".
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// The value is empty or only whitespace.
    #[error("empty value")]
    Empty,
    /// An identifier failed validation.
    #[error("invalid {0}")]
    Identifier(IdentifierError),
    /// A date could not be read.
    #[error(transparent)]
    Date(#[from] DateError),
    /// No country goes by this code or name.
    #[error("unknown country {0:?}")]
    Country(String),
    /// The value is not in the closed list the property allows.
    #[error("{value:?} is not a {what} (expected one of {allowed})")]
    NotAllowed {
        /// The value as given.
        value: String,
        /// What the list is ("document status", "event type").
        what: &'static str,
        /// The allowed values, comma-separated.
        allowed: String,
    },
    /// The value is not a finite decimal number.
    #[error("{0:?} is not a number")]
    Number(String),
    /// A coordinate is outside its range.
    #[error("{what} {value} is outside {min} to {max}")]
    OutOfRange {
        /// "latitude" or "longitude".
        what: &'static str,
        /// The value as read.
        value: f64,
        /// Lowest allowed value.
        min: f64,
        /// Highest allowed value.
        max: f64,
    },
    /// The value is not usable as an entity id.
    #[error("{0}")]
    Invalid(String),
}

impl From<IdentifierError> for ValueError {
    fn from(err: IdentifierError) -> Self {
        match err {
            IdentifierError::Empty(_) => Self::Empty,
            other => Self::Identifier(other),
        }
    }
}

/// Checks a raw property value against its type and returns its canonical form:
/// names and text with whitespace tidied, dates as partial ISO dates, countries
/// as ISO alpha-2 codes, identifiers through their validators (phones read as
/// UK numbers when national), MRZs as "line1\nline2", other identifiers upper-cased
/// without spaces, closed lists as their canonical words, numbers and
/// coordinates as plain decimals.
pub fn normalize_value(kind: PropertyType, raw: &str) -> Result<String, ValueError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ValueError::Empty);
    }
    Ok(match kind {
        PropertyType::Name => trimmed.split_whitespace().collect::<Vec<_>>().join(" "),
        PropertyType::Text => tidy_text(trimmed),
        PropertyType::Date => parse_partial_date(trimmed)?,
        PropertyType::Country => match find_country(trimmed) {
            Some(country) => country.alpha2.to_string(),
            None => return Err(ValueError::Country(trimmed.to_string())),
        },
        PropertyType::Phone => phone::normalize_phone(trimmed, None)?,
        PropertyType::Email => email::normalize_email(trimmed)?,
        PropertyType::Iban => iban::normalize_iban(trimmed)?,
        PropertyType::Imo => imo::normalize_imo(trimmed)?,
        PropertyType::Mmsi => mmsi::parse_mmsi(trimmed)?.to_string(),
        PropertyType::Crypto => crypto::normalize_crypto(trimmed)?.1,
        PropertyType::Plate => plate::normalize_plate(trimmed)?,
        PropertyType::Handle => handle::normalize_handle(trimmed)?,
        PropertyType::Mrz => normalize_mrz(trimmed)?,
        PropertyType::Identifier => {
            trimmed.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
        }
        PropertyType::DocumentStatus => document_status(trimmed)?,
        PropertyType::EventType => {
            let word = fold_word(trimmed);
            match EVENT_TYPES.iter().find(|t| **t == word) {
                Some(t) => (*t).to_string(),
                None => return Err(not_allowed(trimmed, "event type", &EVENT_TYPES)),
            }
        }
        PropertyType::Number => number(trimmed)?.to_string(),
        PropertyType::Latitude => coordinate(trimmed, "latitude", 90.0)?,
        PropertyType::Longitude => coordinate(trimmed, "longitude", 180.0)?,
        PropertyType::EntityRef => entity_ref(trimmed)?,
    })
}

/// Longest entity id accepted as a reference.
const MAX_ENTITY_ID_CHARS: usize = 200;

/// An entity id given as a value: kept as written, without control characters, at most 200 characters.
fn entity_ref(s: &str) -> Result<String, ValueError> {
    if s.chars().count() > MAX_ENTITY_ID_CHARS || s.chars().any(char::is_control) {
        return Err(ValueError::Invalid(format!(
            "{s:?} is not an entity id (at most {MAX_ENTITY_ID_CHARS} characters, no control characters)"
        )));
    }
    Ok(s.to_string())
}

/// Collapses each run of whitespace to one space, or to one newline (two for a
/// paragraph break) when the run holds line breaks, so free text keeps its shape.
fn tidy_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut newlines = 0;
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            in_space = true;
            if c == '\n' {
                newlines += 1;
            }
            continue;
        }
        if in_space {
            out.push_str(match newlines {
                0 => " ",
                1 => "\n",
                _ => "\n\n",
            });
        }
        in_space = false;
        newlines = 0;
        out.push(c);
    }
    out
}

/// Lower-cases and joins words with underscores ("Fraudulently obtained" → "fraudulently_obtained").
fn fold_word(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

fn not_allowed(value: &str, what: &'static str, allowed: &[&str]) -> ValueError {
    ValueError::NotAllowed { value: value.to_string(), what, allowed: allowed.join(", ") }
}

fn document_status(s: &str) -> Result<String, ValueError> {
    let word = fold_word(s);
    let word = match word.as_str() {
        "impostor_use" | "imposter" | "imposter_use" => "impostor",
        "fraudulently_obtained_genuine" | "fog" => "fraudulently_obtained",
        "counterfeited" => "counterfeit",
        "forgery" | "falsified" => "forged",
        other => other,
    };
    DOCUMENT_STATUSES
        .iter()
        .find(|s| **s == word)
        .map(|s| (*s).to_string())
        .ok_or_else(|| not_allowed(s, "document status", &DOCUMENT_STATUSES))
}

/// Two MRZ lines separated by a newline or other whitespace (or run together as
/// 88 characters), validated and returned as "line1\nline2".
fn normalize_mrz(s: &str) -> Result<String, ValueError> {
    let tokens: Vec<&str> = s.split_whitespace().collect();
    let (l1, l2) = match tokens[..] {
        [a, b] => (a.to_string(), b.to_string()),
        _ => {
            let joined: String = tokens.concat();
            if joined.len() != 88 || !joined.is_ascii() {
                return Err(IdentifierError::malformed("MRZ", s, "must be two lines of 44 characters").into());
            }
            (joined[..44].to_string(), joined[44..].to_string())
        }
    };
    mrz::parse_td3(&l1, &l2)?;
    Ok(format!("{}\n{}", l1.to_ascii_uppercase(), l2.to_ascii_uppercase()))
}

/// A finite decimal; thousands separators are accepted only in well-formed groups ("3,500.50").
fn number(s: &str) -> Result<f64, ValueError> {
    let err = || ValueError::Number(s.to_string());
    let mut cleaned = s.replace('_', "");
    if cleaned.contains(',') {
        let int_part = cleaned.split('.').next().unwrap_or("");
        let int_part = int_part.strip_prefix(['-', '+']).unwrap_or(int_part);
        let groups: Vec<&str> = int_part.split(',').collect();
        let grouped = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !grouped {
            return Err(err());
        }
        cleaned = cleaned.replace(',', "");
    }
    if !cleaned.bytes().any(|b| b.is_ascii_digit()) {
        return Err(err());
    }
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(if v == 0.0 { 0.0 } else { v }),
        _ => Err(err()),
    }
}

fn coordinate(s: &str, what: &'static str, limit: f64) -> Result<String, ValueError> {
    let value = number(s)?;
    if !(-limit..=limit).contains(&value) {
        return Err(ValueError::OutOfRange { what, value, min: -limit, max: limit });
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use PropertyType as T;

    fn ok(kind: PropertyType, raw: &str) -> String {
        normalize_value(kind, raw).unwrap_or_else(|e| panic!("{kind:?} {raw:?}: {e}"))
    }

    fn err(kind: PropertyType, raw: &str) -> String {
        normalize_value(kind, raw).expect_err(raw).to_string()
    }

    #[test]
    fn names_and_text_are_tidied() {
        assert_eq!(ok(T::Name, "  Ahmed   Al\tRashid "), "Ahmed Al Rashid");
        assert_eq!(ok(T::Text, " first  line \r\n second\n\n\nnew  para "), "first line\nsecond\n\nnew para");
        assert_eq!(err(T::Name, "   "), "empty value");
        assert_eq!(err(T::Text, ""), "empty value");
    }

    #[test]
    fn dates_and_countries() {
        assert_eq!(ok(T::Date, " 1991-03-07 "), "1991-03-07");
        assert_eq!(ok(T::Date, "1991-03"), "1991-03");
        assert!(err(T::Date, "07/03/1991").contains("is not a date"));
        assert_eq!(ok(T::Country, "Türkiye"), "TR");
        assert_eq!(ok(T::Country, "gbr"), "GB");
        assert_eq!(ok(T::Country, "Eritrean"), "ER");
        assert_eq!(err(T::Country, "Narnia"), "unknown country \"Narnia\"");
    }

    #[test]
    fn identifiers_go_through_their_validators() {
        assert_eq!(ok(T::Phone, "07700 900123"), "+447700900123");
        assert_eq!(ok(T::Email, "X@Example.com"), "x@example.com");
        assert_eq!(ok(T::Iban, "gb29 nwbk 6016 1331 9268 19"), "GB29NWBK60161331926819");
        assert_eq!(
            err(T::Iban, "GB29NWBK60161331926818"),
            "invalid IBAN GB29NWBK60161331926818: fails the mod-97 check"
        );
        assert_eq!(ok(T::Imo, "IMO 9074729"), "9074729");
        assert_eq!(err(T::Imo, "9074728"), "invalid IMO 9074728: check digit should be 9");
        assert_eq!(ok(T::Mmsi, "MMSI 235012345"), "235012345");
        assert_eq!(
            ok(T::Crypto, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
        );
        assert_eq!(ok(T::Plate, "ab12 cde"), "AB12CDE");
        assert_eq!(ok(T::Identifier, " ab 12 cd "), "AB12CD");
        assert!(err(T::Phone, "call me maybe").starts_with("invalid phone number"));
    }

    #[test]
    fn mrz_lines_are_validated_and_joined() {
        let l1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
        let l2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        let expected = format!("{l1}\n{l2}");
        assert_eq!(ok(T::Mrz, &format!("{l1}\r\n{l2}")), expected);
        assert_eq!(ok(T::Mrz, &format!("{l1} {l2}")), expected);
        assert_eq!(ok(T::Mrz, &format!("{l1}{l2}")), expected);
        assert_eq!(ok(T::Mrz, &format!("{}\n{}", l1.to_lowercase(), l2)), expected);
        let bad = l2.replace("7408122", "7408123");
        assert_eq!(
            err(T::Mrz, &format!("{l1}\n{bad}")),
            "invalid MRZ L898902C3: birth date check digit is 3, should be 2"
        );
        assert!(err(T::Mrz, "P<UTO one two three").contains("two lines"));
    }

    #[test]
    fn closed_lists() {
        assert_eq!(ok(T::DocumentStatus, "Fraudulently obtained"), "fraudulently_obtained");
        assert_eq!(ok(T::DocumentStatus, "impostor use"), "impostor");
        assert_eq!(ok(T::DocumentStatus, "FORGED"), "forged");
        assert_eq!(
            err(T::DocumentStatus, "stolen"),
            "\"stolen\" is not a document status (expected one of genuine, forged, counterfeit, fraudulently_obtained, impostor)"
        );
        assert_eq!(ok(T::EventType, " Crossing "), "crossing");
        assert!(err(T::EventType, "party").contains("event type"));
    }

    #[test]
    fn numbers_and_coordinates() {
        assert_eq!(ok(T::Number, "3500"), "3500");
        assert_eq!(ok(T::Number, "3,500.50"), "3500.5");
        assert_eq!(ok(T::Number, "-0"), "0");
        assert_eq!(ok(T::Number, "1e3"), "1000");
        for bad in ["NaN", "inf", "3,5", "12,34,567", "abc", "1.2.3", "e"] {
            assert!(normalize_value(T::Number, bad).is_err(), "{bad}");
        }
        assert_eq!(ok(T::Latitude, "51.1279"), "51.1279");
        assert_eq!(ok(T::Longitude, "-1.3134"), "-1.3134");
        assert_eq!(err(T::Latitude, "91"), "latitude 91 is outside -90 to 90");
        assert_eq!(err(T::Longitude, "-180.5"), "longitude -180.5 is outside -180 to 180");
        assert!(err(T::Latitude, "north").contains("not a number"));
    }

    const ALL: [PropertyType; 19] = [
        T::Name,
        T::Text,
        T::Date,
        T::Country,
        T::Phone,
        T::Email,
        T::Iban,
        T::Imo,
        T::Mmsi,
        T::Mrz,
        T::Crypto,
        T::Plate,
        T::Identifier,
        T::DocumentStatus,
        T::EventType,
        T::Number,
        T::Latitude,
        T::Longitude,
        T::EntityRef,
    ];

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,60}", i in 0usize..19) {
            let _ = normalize_value(ALL[i], &s);
        }

        #[test]
        fn normalised_values_are_fixed_points(s in "[ a-zA-Z0-9.,+-]{0,20}", i in 0usize..19) {
            if let Ok(v) = normalize_value(ALL[i], &s) {
                proptest::prop_assert_eq!(normalize_value(ALL[i], &v), Ok(v.clone()));
            }
        }
    }
}
