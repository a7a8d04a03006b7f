//! Records normalised column by column, with every distinct value stored and
//! normalised once and referred to by a small integer.
//!
//! Agencies' records repeat the same names, towns and dates over and over, so
//! interning makes normalisation cost per distinct value, exact agreement an
//! integer comparison and term frequencies an array lookup. Comparison and
//! blocking work on this table, never on strings per pair.

use std::collections::HashMap;

use tessera_model::names;

use crate::normalise::{PartialDate, Value, normalise};
use crate::organisation::{self, OrgName};
use crate::record::{Record, Role, Schema};

/// Id of a missing value in a column.
pub const NONE: u32 = u32::MAX;

/// A distinct name value.
#[derive(Debug, Clone, PartialEq)]
pub struct NameValue {
    /// Folded lowercase ASCII words.
    pub folded: Box<str>,
    /// Interned phonetic key of each token, sorted.
    pub keys: Box<[u32]>,
    /// Interned loose (consonant skeleton) key of each token, sorted.
    pub loose: Box<[u32]>,
    /// Id of the sorted key set, shared by every spelling with the same keys.
    pub key_set: u32,
}

/// One column of the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Names: per record a value id into `values` (or [`NONE`]).
    Name {
        /// Value id per record.
        ids: Vec<u32>,
        /// Distinct values.
        values: Vec<NameValue>,
    },
    /// Dates of birth, per record.
    Date(Vec<Option<PartialDate>>),
    /// Organisations' names and aliases: per record an id into `values` (or
    /// [`NONE`]), each value every name of the record.
    Organisation {
        /// Value id per record.
        ids: Vec<u32>,
        /// Distinct values: the names of a record, each normalised.
        values: Vec<Box<[OrgName]>>,
        /// Names some record gives together.
        together: organisation::ListedTogether,
    },
    /// Sets of ids (members): per record an id into `values` (or [`NONE`]),
    /// each value a sorted set of interned member ids.
    Set {
        /// Value id per record.
        ids: Vec<u32>,
        /// Distinct sets.
        values: Vec<Box<[u32]>>,
    },
    /// Any other value: per record an id into `values` (or [`NONE`]).
    Text {
        /// Value id per record.
        ids: Vec<u32>,
        /// Distinct canonical values.
        values: Vec<Box<str>>,
    },
}

/// All records of a run, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Number of records.
    pub len: usize,
    /// One column per schema field, in schema order.
    pub columns: Vec<Column>,
    /// Token keys by interned id (shared by all name columns).
    pub keys: Vec<Box<str>>,
    /// Number of distinct key sets.
    pub key_sets: usize,
}

#[derive(Default)]
struct Interner {
    ids: HashMap<Box<str>, u32>,
    values: Vec<Box<str>>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }
}

impl Table {
    /// Normalises `records` under `schema`; fields a record lacks are missing.
    pub fn build<'r>(schema: &Schema, records: &[&'r Record]) -> Table {
        let mut keys = Interner::default();
        let mut key_sets: HashMap<Box<[u32]>, u32> = HashMap::new();
        let mut columns = Vec::with_capacity(schema.len());
        for (f, (_, role)) in schema.fields.iter().enumerate() {
            let raw = |r: &&'r Record| -> &'r str { r.fields.get(f).map(String::as_str).unwrap_or("") };
            let column = match role {
                Role::BirthDate => {
                    let mut cache: HashMap<&str, Option<PartialDate>> = HashMap::new();
                    Column::Date(
                        records
                            .iter()
                            .map(|r| {
                                *cache.entry(raw(r)).or_insert_with_key(|s| match normalise(*role, s) {
                                    Value::Date(d) => Some(d),
                                    _ => None,
                                })
                            })
                            .collect(),
                    )
                }
                Role::OrganisationName => {
                    let mut by_raw: HashMap<&str, u32> = HashMap::new();
                    let mut values: Vec<Box<[OrgName]>> = Vec::new();
                    let mut name_ids = Interner::default();
                    let ids: Vec<u32> = records
                        .iter()
                        .map(|rec| {
                            let s = raw(rec);
                            *by_raw.entry(s).or_insert_with(|| {
                                let mut names: Vec<OrgName> = Vec::new();
                                for n in organisation::split(s) {
                                    let folded = names::fold(n);
                                    if folded.is_empty() || names.iter().any(|x| *x.folded == *folded) {
                                        continue;
                                    }
                                    let mut k: Vec<u32> = organisation::distinctive_tokens(n)
                                        .iter()
                                        .map(|t| names::token_key(t))
                                        .filter(|k| !k.is_empty())
                                        .map(|k| keys.intern(&k))
                                        .collect();
                                    k.sort_unstable();
                                    k.dedup();
                                    let id = name_ids.intern(&folded);
                                    names.push(OrgName { id, folded: folded.into(), keys: k.into() });
                                }
                                if names.is_empty() {
                                    return NONE;
                                }
                                values.push(names.into_boxed_slice());
                                values.len() as u32 - 1
                            })
                        })
                        .collect();
                    let together = organisation::listed_together(values.iter().map(|v| &**v));
                    Column::Organisation { ids, values, together }
                }
                Role::Members => {
                    let mut by_raw: HashMap<&str, u32> = HashMap::new();
                    let mut values: Vec<Box<[u32]>> = Vec::new();
                    let mut members = Interner::default();
                    let ids: Vec<u32> = records
                        .iter()
                        .map(|rec| {
                            *by_raw.entry(raw(rec)).or_insert_with_key(|s| {
                                let mut set: Vec<u32> = organisation::split(s).map(|m| members.intern(m)).collect();
                                set.sort_unstable();
                                set.dedup();
                                if set.is_empty() {
                                    return NONE;
                                }
                                values.push(set.into_boxed_slice());
                                values.len() as u32 - 1
                            })
                        })
                        .collect();
                    Column::Set { ids, values }
                }
                r if r.is_name() => {
                    let mut by_raw: HashMap<&str, u32> = HashMap::new();
                    let mut by_folded: HashMap<Box<str>, u32> = HashMap::new();
                    let mut values: Vec<NameValue> = Vec::new();
                    let ids = records
                        .iter()
                        .map(|rec| {
                            let s = raw(rec);
                            if let Some(&id) = by_raw.get(s) {
                                return id;
                            }
                            let id = match normalise(*role, s) {
                                Value::Name { folded, .. } => match by_folded.get(folded.as_str()) {
                                    Some(&id) => id,
                                    None => {
                                        let tokens = names::name_tokens(s);
                                        let mut k: Vec<u32> = tokens
                                            .iter()
                                            .map(|t| names::token_key(t))
                                            .filter(|k| !k.is_empty())
                                            .map(|k| keys.intern(&k))
                                            .collect();
                                        k.sort_unstable();
                                        let mut l: Vec<u32> = tokens
                                            .iter()
                                            .map(|t| names::loose_key(t))
                                            .filter(|k| !k.is_empty())
                                            .map(|k| keys.intern(&format!("~{k}")))
                                            .collect();
                                        l.sort_unstable();
                                        let next = key_sets.len() as u32;
                                        let key_set = *key_sets.entry(k.clone().into_boxed_slice()).or_insert(next);
                                        let id = values.len() as u32;
                                        values.push(NameValue {
                                            folded: folded.as_str().into(),
                                            keys: k.into_boxed_slice(),
                                            loose: l.into_boxed_slice(),
                                            key_set,
                                        });
                                        by_folded.insert(folded.into_boxed_str(), id);
                                        id
                                    }
                                },
                                _ => NONE,
                            };
                            by_raw.insert(s, id);
                            id
                        })
                        .collect();
                    Column::Name { ids, values }
                }
                _ => {
                    let mut by_raw: HashMap<&str, u32> = HashMap::new();
                    let mut values = Interner::default();
                    let ids = records
                        .iter()
                        .map(|rec| {
                            let s = raw(rec);
                            *by_raw.entry(s).or_insert_with(|| match normalise(*role, s) {
                                Value::Text(t) => values.intern(&t),
                                _ => NONE,
                            })
                        })
                        .collect();
                    Column::Text { ids, values: values.values }
                }
            };
            columns.push(column);
        }
        Table { len: records.len(), columns, keys: keys.values, key_sets: key_sets.len() }
    }

    /// The normalised value of field `f` of record `r`, as the public
    /// [`Value`] type (for explanations and tests).
    pub fn value(&self, f: usize, r: usize) -> Value {
        match self.columns.get(f) {
            Some(Column::Name { ids, values }) => match ids.get(r).and_then(|&id| values.get(id as usize)) {
                Some(v) => Value::Name {
                    folded: v.folded.to_string(),
                    keys: v.keys.iter().map(|&k| self.keys[k as usize].to_string()).collect(),
                },
                None => Value::Missing,
            },
            Some(Column::Date(d)) => d.get(r).copied().flatten().map(Value::Date).unwrap_or(Value::Missing),
            Some(Column::Set { ids, values }) => match ids.get(r).and_then(|&id| values.get(id as usize)) {
                Some(v) => Value::Text(v.iter().map(u32::to_string).collect::<Vec<_>>().join(" | ")),
                None => Value::Missing,
            },
            Some(Column::Organisation { ids, values, .. }) => {
                match ids.get(r).and_then(|&id| values.get(id as usize)) {
                    Some(v) => Value::Text(v.iter().map(|n| &*n.folded).collect::<Vec<_>>().join(" | ")),
                    None => Value::Missing,
                }
            }
            Some(Column::Text { ids, values }) => match ids.get(r).and_then(|&id| values.get(id as usize)) {
                Some(v) => Value::Text(v.to_string()),
                None => Value::Missing,
            },
            None => Value::Missing,
        }
    }

    /// Name value of record `r` in column `f`, if `f` is a name column and
    /// the record has one.
    pub fn name(&self, f: usize, r: usize) -> Option<&NameValue> {
        match self.columns.get(f) {
            Some(Column::Name { ids, values }) => ids.get(r).and_then(|&id| values.get(id as usize)),
            _ => None,
        }
    }

    /// Names of record `r` in organisation-name column `f`, if `f` is one and
    /// the record has any.
    pub fn organisation(&self, f: usize, r: usize) -> Option<&[OrgName]> {
        match self.columns.get(f) {
            Some(Column::Organisation { ids, values, .. }) => {
                ids.get(r).and_then(|&id| values.get(id as usize)).map(|v| &**v)
            }
            _ => None,
        }
    }

    /// Member set of record `r` in set column `f` (interned, sorted), if `f`
    /// is one and the record has any.
    pub fn set(&self, f: usize, r: usize) -> Option<&[u32]> {
        match self.columns.get(f) {
            Some(Column::Set { ids, values }) => ids.get(r).and_then(|&id| values.get(id as usize)).map(|v| &**v),
            _ => None,
        }
    }

    /// Text value id of record `r` in column `f` ([`NONE`] when missing or
    /// not a text column).
    pub fn text_id(&self, f: usize, r: usize) -> u32 {
        match self.columns.get(f) {
            Some(Column::Text { ids, .. }) => ids.get(r).copied().unwrap_or(NONE),
            _ => NONE,
        }
    }

    /// Text value of record `r` in column `f`.
    pub fn text(&self, f: usize, r: usize) -> Option<&str> {
        match self.columns.get(f) {
            Some(Column::Text { ids, values }) => ids.get(r).and_then(|&id| values.get(id as usize)).map(|v| &**v),
            _ => None,
        }
    }

    /// Date of record `r` in column `f`.
    pub fn date(&self, f: usize, r: usize) -> Option<PartialDate> {
        match self.columns.get(f) {
            Some(Column::Date(d)) => d.get(r).copied().flatten(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_values_and_shares_key_sets() {
        let schema = Schema::new([("n", Role::Surname), ("p", Role::Phone), ("d", Role::BirthDate)]);
        let recs: Vec<Record> = [
            ["Abdelrahman", "+44 7700 900123", "1991-03-07"],
            ["ABDELRAHMAN", "07700900123", "07/03/1991"],
            ["Abd al-Rahman", "", "x"],
        ]
        .iter()
        .enumerate()
        .map(|(i, f)| Record { id: i.to_string(), fields: f.iter().map(|s| s.to_string()).collect() })
        .collect();
        let t = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        assert_eq!(t.len, 3);
        let (a, b, c) = (t.name(0, 0).unwrap(), t.name(0, 1).unwrap(), t.name(0, 2).unwrap());
        assert_eq!(a, b);
        assert_ne!(a.folded, c.folded);
        assert_eq!(a.key_set, c.key_set);
        assert_eq!(t.text_id(1, 0), t.text_id(1, 1));
        assert_eq!(t.text_id(1, 2), NONE);
        assert_eq!(t.date(2, 0), t.date(2, 1));
        assert_eq!(t.date(2, 2), None);
        assert_eq!(t.value(1, 0), Value::Text("700900123".into()));
    }

    #[test]
    fn organisation_names_are_split_normalised_and_listed_together() {
        let schema = Schema::new([("n", Role::OrganisationName), ("m", Role::Members)]);
        let recs: Vec<Record> = [
            ["Zawiya network | Al-Zawiya group", "p1 | p2"],
            ["Zawiya network", "p2"],
            ["the network", ""],
            ["Zawiya network | Al-Zawiya group", "p2 | p1"],
        ]
        .iter()
        .enumerate()
        .map(|(i, f)| Record { id: i.to_string(), fields: f.iter().map(|s| s.to_string()).collect() })
        .collect();
        let t = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        let a = t.organisation(0, 0).unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(&*a[1].folded, "al zawiya group");
        assert_eq!(a[0].keys, a[1].keys, "generic words and the article aside, both are Zawiya");
        assert_eq!(a[0].id, t.organisation(0, 1).unwrap()[0].id);
        assert!(t.organisation(0, 2).unwrap()[0].keys.is_empty());
        let Some(Column::Organisation { together, .. }) = t.columns.first() else { panic!("organisation column") };
        assert!(together.contains(&(a[0].id.min(a[1].id), a[0].id.max(a[1].id))));
        assert_eq!(t.set(1, 0), t.set(1, 3), "member sets are sets");
        assert_eq!(t.set(1, 1).map(<[u32]>::len), Some(1));
        assert_eq!(t.set(1, 2), None);
        assert_eq!(t.value(0, 1), Value::Text("zawiya network".into()));
    }
}
