//! Blocking: cheap keys that bring likely matches together so that only
//! records sharing a key are compared, never all pairs.
//!
//! Each rule maps a record to zero or more keys; records sharing a key under
//! the same rule form a block, and every pair inside a block (up to
//! `max_block` members, above which the key is too common to be evidence)
//! becomes a candidate. Several rules are used so that a typo in one field
//! does not lose the match.

use std::collections::HashMap;

use crate::normalise::{Normalised, Value};
use crate::record::{Role, Schema};

/// One blocking rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Rule {
    /// Any name token key together with the birth year.
    NameKeyBirthYear,
    /// Surname token key and postcode.
    SurnamePostcode,
    /// Given-name token key, surname initial and birth month.
    GivenSurnameInitialBirthMonth,
    /// Given-name token key and surname token key (names only).
    GivenSurname,
    /// Full date of birth.
    BirthDate,
    /// Phone number.
    Phone,
    /// Document number.
    DocumentNumber,
    /// Postcode and street number.
    PostcodeStreetNumber,
}

impl Rule {
    /// The rules used when none are configured.
    pub fn defaults() -> Vec<Rule> {
        vec![
            Rule::NameKeyBirthYear,
            Rule::SurnamePostcode,
            Rule::GivenSurnameInitialBirthMonth,
            Rule::GivenSurname,
            Rule::BirthDate,
            Rule::Phone,
            Rule::DocumentNumber,
            Rule::PostcodeStreetNumber,
        ]
    }
}

/// Field indices by role, looked up once.
struct Fields {
    given: Option<usize>,
    surname: Option<usize>,
    full: Option<usize>,
    dob: Option<usize>,
    phone: Option<usize>,
    postcode: Option<usize>,
    doc: Option<usize>,
    street: Option<usize>,
}

fn name_keys(r: &Normalised, f: Option<usize>) -> &[String] {
    match f.and_then(|i| r.values.get(i)) {
        Some(Value::Name { keys, .. }) => keys,
        _ => &[],
    }
}

fn text(r: &Normalised, f: Option<usize>) -> Option<&str> {
    match f.and_then(|i| r.values.get(i)) {
        Some(Value::Text(t)) => Some(t),
        _ => None,
    }
}

fn date(r: &Normalised, f: Option<usize>) -> Option<crate::normalise::PartialDate> {
    match f.and_then(|i| r.values.get(i)) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    }
}

fn keys_of(rule: Rule, f: &Fields, r: &Normalised, out: &mut Vec<String>) {
    let given: Vec<&String> = name_keys(r, f.given).iter().chain(name_keys(r, f.full)).collect();
    let surname: Vec<&String> = name_keys(r, f.surname).iter().chain(name_keys(r, f.full)).collect();
    let dob = date(r, f.dob);
    match rule {
        Rule::NameKeyBirthYear => {
            if let Some(y) = dob.and_then(|d| d.year) {
                for k in given.iter().chain(&surname) {
                    out.push(format!("{k}|{y}"));
                }
            }
        }
        Rule::SurnamePostcode => {
            if let Some(p) = text(r, f.postcode) {
                for k in &surname {
                    out.push(format!("{k}|{p}"));
                }
            }
        }
        Rule::GivenSurnameInitialBirthMonth => {
            if let Some(m) = dob.and_then(|d| d.month) {
                for g in &given {
                    for s in &surname {
                        if let Some(c) = s.chars().next() {
                            out.push(format!("{g}|{c}|{m}"));
                        }
                    }
                }
            }
        }
        Rule::GivenSurname => {
            for g in &given {
                for s in &surname {
                    if g != s {
                        out.push(format!("{g}|{s}"));
                    }
                }
            }
        }
        Rule::BirthDate => {
            if let Some(d) = dob.filter(|d| d.is_full()) {
                out.push(format!("{:?}{:?}{:?}", d.year, d.month, d.day));
            }
        }
        Rule::Phone => out.extend(text(r, f.phone).map(str::to_string)),
        Rule::DocumentNumber => out.extend(text(r, f.doc).map(str::to_string)),
        Rule::PostcodeStreetNumber => {
            if let (Some(p), Some(s)) = (text(r, f.postcode), text(r, f.street)) {
                out.push(format!("{p}|{s}"));
            }
        }
    }
}

/// Candidate pairs `(a, b)` with `a < b`, sorted and deduplicated.
///
/// Records are numbered `0..records.len()`. With `split = Some(n)` the run
/// is a link between two files: records `0..n` are the left file, the rest
/// the right file, and only pairs across the split are produced.
pub fn candidate_pairs(
    schema: &Schema,
    records: &[Normalised],
    rules: &[Rule],
    max_block: usize,
    split: Option<usize>,
) -> Vec<(u32, u32)> {
    let f = Fields {
        given: schema.first(Role::GivenName),
        surname: schema.first(Role::Surname),
        full: schema.first(Role::FullName),
        dob: schema.first(Role::BirthDate),
        phone: schema.first(Role::Phone),
        postcode: schema.first(Role::Postcode),
        doc: schema.first(Role::DocumentNumber),
        street: schema.first(Role::StreetNumber),
    };
    let mut packed: Vec<u64> = Vec::new();
    let mut keys = Vec::new();
    for &rule in rules {
        let mut blocks: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            keys.clear();
            keys_of(rule, &f, r, &mut keys);
            keys.sort_unstable();
            keys.dedup();
            for k in keys.drain(..) {
                blocks.entry(k).or_default().push(i as u32);
            }
        }
        for members in blocks.values() {
            if members.len() < 2 || members.len() > max_block {
                continue;
            }
            for (x, &a) in members.iter().enumerate() {
                for &b in &members[x + 1..] {
                    let (a, b) = if a < b { (a, b) } else { (b, a) };
                    if let Some(n) = split
                        && ((a as usize) < n) == ((b as usize) < n)
                    {
                        continue;
                    }
                    packed.push(((a as u64) << 32) | b as u64);
                }
            }
        }
    }
    packed.sort_unstable();
    packed.dedup();
    packed.into_iter().map(|p| ((p >> 32) as u32, p as u32)).collect()
}

/// Share of true pairs that blocking kept as candidates (1.0 when there are
/// no true pairs): the ceiling on recall for everything after blocking.
pub fn blocking_recall(pairs: &[(u32, u32)], truth: &[(u32, u32)]) -> f64 {
    if truth.is_empty() {
        return 1.0;
    }
    let set: std::collections::HashSet<(u32, u32)> = pairs.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    let found = truth.iter().filter(|&&(a, b)| set.contains(&(a.min(b), a.max(b)))).count();
    found as f64 / truth.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise_record;
    use crate::record::Record;

    fn recs(rows: &[[&str; 3]]) -> (Schema, Vec<Normalised>) {
        let schema = Schema::new([("g", Role::GivenName), ("s", Role::Surname), ("d", Role::BirthDate)]);
        let n = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                normalise_record(
                    &schema,
                    &Record { id: i.to_string(), fields: r.iter().map(|s| s.to_string()).collect() },
                )
            })
            .collect();
        (schema, n)
    }

    #[test]
    fn blocks_variants_together_and_dedupes() {
        let (schema, n) = recs(&[
            ["Mohamed", "Abdelrahman", "1991-03-07"],
            ["Muhammad", "Abd al-Rahman", "07/03/1991"],
            ["John", "Smith", "1950-01-02"],
        ]);
        let pairs = candidate_pairs(&schema, &n, &Rule::defaults(), 100, None);
        assert_eq!(pairs, vec![(0, 1)]);
        assert_eq!(blocking_recall(&pairs, &[(1, 0)]), 1.0);
        assert_eq!(blocking_recall(&pairs, &[(1, 2)]), 0.0);
    }

    #[test]
    fn link_only_crosses_split() {
        let (schema, n) =
            recs(&[["ann", "lee", "1990-01-02"], ["ann", "lee", "1990-01-02"], ["ann", "lee", "1990-01-02"]]);
        let pairs = candidate_pairs(&schema, &n, &Rule::defaults(), 100, Some(2));
        assert_eq!(pairs, vec![(0, 2), (1, 2)]);
    }
}
