//! Per-role normalisation: turns raw field text into the values blocking and
//! comparison work on, so that spelling and format differences between
//! agencies do not hide a match.

use tessera_model::names;

use crate::record::Role;

/// A possibly partial date of birth. Components that could not be read are
/// `None`, so `1991` alone or a date with an impossible month still keeps
/// its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PartialDate {
    /// Four-digit year.
    pub year: Option<u16>,
    /// Month 1–12.
    pub month: Option<u8>,
    /// Day 1–31.
    pub day: Option<u8>,
}

impl PartialDate {
    /// Whether year, month and day are all known.
    pub fn is_full(&self) -> bool {
        self.year.is_some() && self.month.is_some() && self.day.is_some()
    }
}

/// A normalised field value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// Empty or unreadable.
    #[default]
    Missing,
    /// A name: folded text and its phonetic token keys.
    Name {
        /// Folded lowercase ASCII words.
        folded: String,
        /// Exact phonetic key of each token, in token order.
        keys: Vec<String>,
    },
    /// A date of birth.
    Date(PartialDate),
    /// Any other value in canonical text form.
    Text(String),
}

impl Value {
    /// The canonical text of the value (folded name, `YYYY-MM-DD` style date,
    /// text), used for exact agreement and term frequencies.
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Missing => None,
            Value::Name { folded, .. } => Some(folded.clone()),
            Value::Text(t) => Some(t.clone()),
            Value::Date(d) => Some(format!(
                "{}-{}-{}",
                d.year.map(|y| y.to_string()).unwrap_or_default(),
                d.month.map(|m| m.to_string()).unwrap_or_default(),
                d.day.map(|x| x.to_string()).unwrap_or_default()
            )),
        }
    }
}

/// Normalises one raw value according to its role.
pub fn normalise(role: Role, raw: &str) -> Value {
    let raw = raw.trim();
    if raw.is_empty() {
        return Value::Missing;
    }
    match role {
        Role::GivenName | Role::Surname | Role::FullName => {
            let folded = names::fold(raw);
            if folded.is_empty() {
                return Value::Missing;
            }
            let keys: Vec<String> =
                names::name_tokens(raw).iter().map(|t| names::token_key(t)).filter(|k| !k.is_empty()).collect();
            Value::Name { folded, keys }
        }
        Role::BirthDate => match normalise_date(raw) {
            Some(d) => Value::Date(d),
            None => Value::Missing,
        },
        Role::Phone => non_empty(normalise_phone(raw)),
        Role::Postcode | Role::DocumentNumber => non_empty(alnum_upper(raw)),
        Role::Nationality => non_empty(normalise_nationality(raw)),
        Role::Sex => non_empty(normalise_sex(raw)),
        Role::StreetNumber => non_empty(alnum_upper(raw)),
        Role::Suburb | Role::State | Role::Address | Role::Other => non_empty(names::fold(raw)),
        Role::Members => {
            let mut ids: Vec<&str> = crate::organisation::split(raw).collect();
            ids.sort_unstable();
            ids.dedup();
            non_empty(ids.join(" | "))
        }
        Role::OrganisationName => {
            let folded: Vec<String> =
                crate::organisation::split(raw).map(names::fold).filter(|n| !n.is_empty()).collect();
            non_empty(folded.join(" | "))
        }
    }
}

fn non_empty(s: String) -> Value {
    if s.is_empty() { Value::Missing } else { Value::Text(s) }
}

/// ISO 3166-1 alpha-3 code of a nationality written as a code (`SY`,
/// `SYR`, `GBD`), a country name or an adjective (`Syrian`); text that names
/// no country is kept folded, so two records still agree on it.
pub fn normalise_nationality(raw: &str) -> String {
    match tessera_model::countries::find_country(raw) {
        Some(c) => c.alpha3.to_string(),
        None => names::fold(raw),
    }
}

/// `M`, `F` or `X` for the usual ways of writing sex; empty when unknown.
pub fn normalise_sex(raw: &str) -> String {
    match names::fold(raw).as_str() {
        "m" | "male" | "man" | "h" | "homme" | "masculin" => "M".into(),
        "f" | "female" | "woman" | "femme" | "feminin" | "w" => "F".into(),
        "x" | "other" | "non binary" => "X".into(),
        _ => String::new(),
    }
}

/// Uppercase letters and digits only: `ab12 3cd` → `AB123CD`.
pub fn alnum_upper(raw: &str) -> String {
    raw.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// Digits of a phone number comparable across national, `+` and `00` forms:
/// the international prefix and a national trunk `0` are dropped and the last
/// nine digits kept (`+44 7700 900123`, `0044 7700900123` and
/// `07700 900123` all give `700900123`).
pub fn normalise_phone(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return String::new();
    }
    let start = digits.len().saturating_sub(9);
    digits[start..].to_string()
}

/// Reads a date of birth as agencies write it: `YYYYMMDD` (FEBRL),
/// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `DD/MM/YYYY`, `DD.MM.YYYY` and
/// `DD-MM-YYYY` (day first, unless the first number cannot be a day-month
/// reading and the second can, which is read as US `MM/DD/YYYY`), and
/// two-digit years are not guessed. The `1 January` placeholder that many
/// systems write for an unknown day and month is kept as year only.
/// Components out of range are dropped, keeping what is left.
pub fn normalise_date(raw: &str) -> Option<PartialDate> {
    let s = raw.trim();
    let parts: Vec<&str> = s.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).collect();
    let num = |p: &str| p.parse::<u32>().ok();
    let (y, m, d) = match parts.as_slice() {
        [one] if one.len() == 8 => (num(&one[0..4]), num(&one[4..6]), num(&one[6..8])),
        [one] if one.len() == 6 => (num(&one[0..4]), num(&one[4..6]), None),
        [one] if one.len() == 4 => (num(one), None, None),
        [a, b] if a.len() == 4 => (num(a), num(b), None),
        [a, b] if b.len() == 4 => (num(b), num(a), None),
        [a, b, c] if a.len() == 4 => (num(a), num(b), num(c)),
        [a, b, c] if c.len() == 4 => {
            let (x, z) = (num(a), num(b));
            match (x, z) {
                (Some(x), Some(z)) if x <= 12 && z > 12 => (num(c), Some(x), Some(z)),
                _ => (num(c), z, x),
            }
        }
        _ => return None,
    };
    let year = y.filter(|y| (1800..=2100).contains(y)).map(|y| y as u16);
    year?;
    let month = m.filter(|m| (1..=12).contains(m)).map(|m| m as u8);
    let day = d.filter(|d| (1..=31).contains(d) && month.is_some()).map(|d| d as u8);
    if month == Some(1) && day == Some(1) {
        return Some(PartialDate { year, month: None, day: None });
    }
    Some(PartialDate { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: u16, m: u8, d: u8) -> Option<PartialDate> {
        Some(PartialDate { year: Some(y), month: Some(m), day: Some(d) })
    }

    #[test]
    fn date_variants() {
        for raw in ["19910307", "1991-03-07", "07/03/1991", "07.03.1991", "7-3-1991", " 1991/03/07 "] {
            assert_eq!(normalise_date(raw), date(1991, 3, 7), "{raw}");
        }
        // US order only when the day-first reading is impossible.
        assert_eq!(normalise_date("03/27/1991"), date(1991, 3, 27));
        assert_eq!(normalise_date("1991"), Some(PartialDate { year: Some(1991), month: None, day: None }));
        assert_eq!(normalise_date("03/1991"), Some(PartialDate { year: Some(1991), month: Some(3), day: None }));
        // 1 January placeholder is year only.
        assert_eq!(normalise_date("01/01/1980"), Some(PartialDate { year: Some(1980), month: None, day: None }));
        // Impossible month keeps the year.
        assert_eq!(normalise_date("19561409"), Some(PartialDate { year: Some(1956), month: None, day: None }));
        for bad in ["", "abc", "12", "07/03/91", "00000000"] {
            assert_eq!(normalise_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn nationality_and_sex_variants() {
        for raw in ["SYR", "sy", "Syria", "Syrian", "syrian arab republic"] {
            assert_eq!(normalise(Role::Nationality, raw), Value::Text("SYR".into()), "{raw}");
        }
        assert_eq!(normalise(Role::Nationality, "GBD"), normalise(Role::Nationality, "British"));
        for raw in ["M", "male", "Male "] {
            assert_eq!(normalise(Role::Sex, raw), Value::Text("M".into()), "{raw}");
        }
        assert_eq!(normalise(Role::Sex, "unknown"), Value::Missing);
    }

    #[test]
    fn phone_variants() {
        for raw in ["+44 7700 900123", "0044 7700900123", "07700 900123", "(07700) 900-123"] {
            assert_eq!(normalise_phone(raw), "700900123", "{raw}");
        }
        assert_eq!(normalise_phone("123"), "");
    }

    #[test]
    fn name_variants_share_keys() {
        let keys = |s: &str| match normalise(Role::FullName, s) {
            Value::Name { keys, .. } => {
                let mut k = keys;
                k.sort();
                k
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(keys("Mohamed Abdelrahman"), keys("Muhammad Abd al-Rahman"));
        assert_eq!(keys("ABDULRAHMAN Mohammad"), keys("Mohammed Abdelrahman"));
        assert_ne!(keys("Mohammed Ahmed"), keys("Mahmoud Ahmed"));
        assert_eq!(normalise(Role::Surname, "  "), Value::Missing);
        assert_eq!(normalise(Role::Postcode, "sw1a 1aa"), Value::Text("SW1A1AA".into()));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(role in 0usize..16, s in "\\PC{0,24}") {
            let roles = [Role::GivenName, Role::Surname, Role::FullName, Role::BirthDate, Role::Phone, Role::Postcode,
                Role::Suburb, Role::State, Role::StreetNumber, Role::Address, Role::DocumentNumber, Role::Other,
                Role::Nationality, Role::Sex, Role::OrganisationName, Role::Members];
            let _ = normalise(roles[role], &s);
        }
    }
}
