//! Passport machine-readable zones (ICAO Doc 9303, TD3: two lines of 44
//! characters), with every check digit verified: a zone that passes is a
//! faithful transcription, whatever it says about the document's genuineness.

use std::ops::Range;

use super::IdentifierError;

const WHAT: &str = "MRZ";
const LINE: usize = 44;

/// The fields of a TD3 (passport) machine-readable zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Td3 {
    /// Document type without filler ("P", or "PD", "PS", ... for special passports).
    pub document_type: String,
    /// Issuing state or organisation (ICAO three-letter code, e.g. "GBR", "D", "UTO").
    pub issuing_state: String,
    /// Primary identifier, fillers turned into spaces ("ERIKSSON").
    pub surname: String,
    /// Secondary identifier, fillers turned into spaces ("ANNA MARIA").
    pub given_names: String,
    /// Document number without filler.
    pub document_number: String,
    /// Nationality (ICAO three-letter code).
    pub nationality: String,
    /// Date of birth as written: YYMMDD ('<' where unknown).
    pub birth_date: String,
    /// Sex: 'M', 'F' or 'X' (unspecified, written '<').
    pub sex: char,
    /// Date of expiry as written: YYMMDD.
    pub expiry: String,
    /// Personal number or other optional data, without filler.
    pub optional_data: String,
}

impl Td3 {
    /// The date of birth as YYYY-MM-DD, taking the century that puts it in the
    /// past (a two-digit year after this year's is read as 19YY); None if the
    /// date is partly unknown or not a calendar date.
    pub fn birth_date_iso(&self) -> Option<String> {
        let (now_year, ..) = crate::time::civil_from_days(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64 / 86_400),
        );
        self.birth_date_iso_in(now_year)
    }

    /// [`Self::birth_date_iso`] as seen in a given year (for reproducible processing and tests).
    pub fn birth_date_iso_in(&self, current_year: i64) -> Option<String> {
        let (yy, mm, dd) = yymmdd(&self.birth_date)?;
        let century = if i64::from(yy) > current_year.rem_euclid(100) { 1900 } else { 2000 };
        iso_date(century + i64::from(yy), mm, dd)
    }

    /// The date of expiry as YYYY-MM-DD (years 70–99 read as 19YY, others 20YY).
    pub fn expiry_iso(&self) -> Option<String> {
        let (yy, mm, dd) = yymmdd(&self.expiry)?;
        let century = if yy >= 70 { 1900 } else { 2000 };
        iso_date(century + i64::from(yy), mm, dd)
    }
}

fn yymmdd(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let two = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    Some((two(0), two(2), two(4)))
}

fn iso_date(year: i64, month: u32, day: u32) -> Option<String> {
    let s = format!("{year:04}-{month:02}-{day:02}");
    crate::time::parse_partial_date(&s).ok()
}

/// The ICAO 9303 check digit of a field: weights 7, 3, 1 repeating, digits at
/// face value, A–Z as 10–35, '<' as 0; None on any other character.
pub fn check_digit(field: &[u8]) -> Option<u8> {
    let mut sum: u32 = 0;
    for (i, &b) in field.iter().enumerate() {
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            b'<' => 0,
            _ => return None,
        };
        sum += u32::from(v) * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

fn is_mrz_byte(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<'
}

fn unfill(field: &[u8]) -> String {
    String::from_utf8_lossy(field).trim_end_matches('<').replace('<', " ").trim().to_string()
}

/// Parses a TD3 machine-readable zone from its two lines (surrounding spaces are
/// ignored, lower case is upper-cased) and verifies the check digits of the
/// document number, birth date, expiry date, optional data and the composite.
/// Errors say which check digit failed and what it should be.
pub fn parse_td3(line1: &str, line2: &str) -> Result<Td3, IdentifierError> {
    let l1 = line1.trim().to_ascii_uppercase();
    let l2 = line2.trim().to_ascii_uppercase();
    if l1.is_empty() && l2.is_empty() {
        return Err(IdentifierError::Empty(WHAT));
    }
    let shown = if l2.len() >= 9 && l2.is_char_boundary(9) { &l2[..9] } else { l2.as_str() };
    let bad = |problem: String| IdentifierError::malformed(WHAT, shown, problem);
    for (n, line) in [(1, &l1), (2, &l2)] {
        if line.len() != LINE || !line.bytes().all(is_mrz_byte) {
            return Err(bad(format!("line {n} must be 44 characters of A-Z, 0-9 and <")));
        }
    }
    let (a, b) = (l1.as_bytes(), l2.as_bytes());
    if a[0] != b'P' {
        return Err(bad("line 1 must start with P (a passport)".to_string()));
    }
    let check = |name: &str, field: &[u8], digit: u8| -> Result<(), IdentifierError> {
        let expected = check_digit(field).unwrap_or(0);
        let actual = if digit == b'<' { 0 } else { digit.wrapping_sub(b'0') };
        if digit != b'<' && !digit.is_ascii_digit() {
            return Err(IdentifierError::malformed(
                WHAT,
                shown,
                format!("{name} check digit {} is not a digit", digit as char),
            ));
        }
        if actual != expected {
            return Err(IdentifierError::checksum(
                WHAT,
                shown,
                format!("{name} check digit is {}, should be {expected}", digit as char),
            ));
        }
        Ok(())
    };
    check("document number", &b[0..9], b[9])?;
    check("birth date", &b[13..19], b[19])?;
    check("expiry date", &b[21..27], b[27])?;
    check("optional data", &b[28..42], b[42])?;
    let composite: Vec<u8> = [&b[0..10], &b[13..20], &b[21..43]].concat();
    check("composite", &composite, b[43])?;
    let sex = match b[20] {
        b'M' => 'M',
        b'F' => 'F',
        b'<' | b'X' => 'X',
        other => return Err(bad(format!("sex must be M, F or <, not {}", other as char))),
    };
    let names = &a[5..];
    let (surname, given) = match names.windows(2).position(|w| w == b"<<") {
        Some(i) => (&names[..i], &names[i + 2..]),
        None => (names, &names[names.len()..]),
    };
    let document_number = unfill(&b[0..9]);
    if document_number.is_empty() {
        return Err(bad("document number is empty".to_string()));
    }
    Ok(Td3 {
        document_type: unfill(&a[0..2]),
        issuing_state: unfill(&a[2..5]),
        surname: unfill(surname),
        given_names: unfill(given),
        document_number: document_number.replace(' ', ""),
        nationality: unfill(&b[10..13]),
        birth_date: String::from_utf8_lossy(&b[13..19]).into_owned(),
        sex,
        expiry: String::from_utf8_lossy(&b[21..27]).into_owned(),
        optional_data: unfill(&b[28..42]),
    })
}

/// Finds every valid TD3 zone in free text: two consecutive whitespace-separated
/// tokens of exactly 44 MRZ characters, the first starting with 'P' (so the two
/// lines may be on separate lines or run together on one). Returns each zone
/// with the byte range from the start of line 1 to the end of line 2.
pub fn find_td3(text: &str) -> Vec<(Td3, Range<usize>)> {
    let mut found = Vec::new();
    if !text.contains("<<") {
        return found;
    }
    let bytes = text.as_bytes();
    let mut previous: Option<Range<usize>> = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let token = start..i;
        let is_line = token.len() == LINE && bytes[token.clone()].iter().all(|&b| is_mrz_byte(b));
        if !is_line {
            previous = None;
            continue;
        }
        if let Some(first) = previous.take()
            && bytes[first.start] == b'P'
            && let Ok(td3) = parse_td3(&text[first.clone()], &text[token.clone()])
        {
            found.push((td3, first.start..token.end));
            continue;
        }
        previous = Some(token);
    }
    found
}

/// The first valid TD3 zone in free text, if any (see [`find_td3`]).
pub fn parse_td3_text(text: &str) -> Option<Td3> {
    find_td3(text).into_iter().next().map(|(td3, _)| td3)
}

#[cfg(test)]
mod tests {
    use super::*;

    const L1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    const L2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn parses_the_icao_specimen() {
        let td3 = parse_td3(L1, L2).unwrap();
        assert_eq!(
            td3,
            Td3 {
                document_type: "P".into(),
                issuing_state: "UTO".into(),
                surname: "ERIKSSON".into(),
                given_names: "ANNA MARIA".into(),
                document_number: "L898902C3".into(),
                nationality: "UTO".into(),
                birth_date: "740812".into(),
                sex: 'F',
                expiry: "120415".into(),
                optional_data: "ZE184226B".into(),
            }
        );
        assert_eq!(td3.birth_date_iso_in(2024).as_deref(), Some("1974-08-12"));
        assert_eq!(td3.birth_date_iso().as_deref(), Some("1974-08-12"));
        assert_eq!(td3.expiry_iso().as_deref(), Some("2012-04-15"));
        assert_eq!(parse_td3(&L1.to_lowercase(), &format!("  {L2}\r")).unwrap(), td3);
    }

    #[test]
    fn centuries_put_birth_in_the_past() {
        let mut td3 = parse_td3(L1, L2).unwrap();
        td3.birth_date = "150101".into();
        assert_eq!(td3.birth_date_iso_in(2024).as_deref(), Some("2015-01-01"));
        td3.birth_date = "250101".into();
        assert_eq!(td3.birth_date_iso_in(2024).as_deref(), Some("1925-01-01"));
        td3.birth_date = "74<<<<".into();
        assert_eq!(td3.birth_date_iso_in(2024), None);
    }

    #[test]
    fn names_the_failing_check_digit() {
        let cases = [
            ("L898902C37UTO7408122F1204159ZE184226B<<<<<10", "document number check digit is 7, should be 6"),
            ("L898902C36UTO7408123F1204159ZE184226B<<<<<10", "birth date check digit is 3, should be 2"),
            ("L898902C36UTO7408122F1204158ZE184226B<<<<<10", "expiry date check digit is 8, should be 9"),
            ("L898902C36UTO7408122F1204159ZE184226B<<<<<20", "optional data check digit is 2, should be 1"),
            ("L898902C36UTO7408122F1204159ZE184226B<<<<<11", "composite check digit is 1, should be 0"),
        ];
        for (line2, message) in cases {
            let err = parse_td3(L1, line2).unwrap_err();
            assert_eq!(err.to_string(), format!("MRZ L898902C3: {message}"));
        }
        assert!(parse_td3(L1, &L2[..43]).unwrap_err().to_string().contains("44 characters"));
        assert!(parse_td3(&L1.replacen('P', "V", 1), L2).is_err());
        assert!(parse_td3("", "").is_err());
    }

    #[test]
    fn check_digits_follow_icao() {
        assert_eq!(check_digit(b"L898902C3"), Some(6));
        assert_eq!(check_digit(b"740812"), Some(2));
        assert_eq!(check_digit(b"<<<<<<<<<<<<<<"), Some(0));
        assert_eq!(check_digit(b"a"), None);
    }

    #[test]
    fn finds_zones_in_text() {
        let text = format!("Scan of passport:\n{L1}\n{L2}\nEnd. Also inline {L1} {L2}.");
        let found = find_td3(&text);
        assert_eq!(found.len(), 1, "the second copy ends in '.' so its token is 45 chars");
        let (td3, span) = &found[0];
        assert_eq!(td3.document_number, "L898902C3");
        assert_eq!(&text[span.clone()], format!("{L1}\n{L2}"));
        let inline = format!("zone {L1} {L2} end");
        assert_eq!(parse_td3_text(&inline).map(|t| t.surname), Some("ERIKSSON".into()));
        assert!(parse_td3_text("no zone here <<").is_none());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(a in "\\PC{0,50}", b in "\\PC{0,50}") {
            let _ = parse_td3(&a, &b);
            let _ = find_td3(&format!("{a}\n{b}"));
        }

        #[test]
        fn never_panics_on_mrz_alphabet(a in "P[A-Z0-9<]{43}", b in "[A-Z0-9<]{44}") {
            let _ = parse_td3(&a, &b);
            let _ = find_td3(&format!("{a} {b}"));
        }
    }
}
