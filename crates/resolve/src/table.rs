//! Records normalised column by column, with every distinct value stored and
//! normalised once and referred to by a small integer.
//!
//! Agencies' records repeat the same names, towns and dates over and over, so
//! interning makes normalisation cost per distinct value, exact agreement an
//! integer comparison and term frequencies an array lookup. Comparison and
//! blocking work on this table, never on strings per pair.
//!
//! The value ids are stored record by record (one row of ids per record), so
//! comparing a pair reads two short rows instead of one scattered entry per
//! column: at a million records that is the difference between two cache
//! misses per pair and twenty.

use foldhash::HashMap;
use foldhash::HashMapExt;
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use std::hash::BuildHasher;

use tessera_model::names;

use crate::compare::Kind;
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
    /// The letters of `folded`, counted ([`crate::compare::jaro_winkler_bound`]).
    pub letters: crate::compare::LetterCounts,
}

/// The distinct values of one column; records refer to them by id
/// ([`Table::id`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Names.
    Name(Vec<NameValue>),
    /// Dates of birth with at least a year.
    Date(Vec<PartialDate>),
    /// Organisations' names and aliases: each value every name of a record,
    /// normalised.
    Organisation {
        /// Distinct values.
        values: Vec<Box<[OrgName]>>,
        /// Names some record gives together.
        together: organisation::ListedTogether,
    },
    /// Sets of ids (members), each a sorted set of interned member ids.
    Set(Vec<Box<[u32]>>),
    /// Any other value, in canonical text form.
    Text(Vec<Box<str>>),
}

/// All records of a run, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Number of records.
    pub len: usize,
    /// One column per schema field, in schema order.
    pub columns: Vec<Column>,
    /// Value ids, record by record: record `r`'s id in column `f` is at
    /// `r * columns.len() + f` ([`NONE`] when missing).
    ids: Vec<u32>,
    /// Per column, a 64-bit summary of each value that rules most pairs out
    /// before their strings are read (see [`Table::signature`]).
    signatures: Vec<Vec<u64>>,
    /// Per column of codes (phones, document numbers, postcodes), each
    /// value held inline ([`Table::code`]); empty for other columns.
    codes: Vec<Vec<Code>>,
    /// Token keys by interned id (shared by all name columns).
    pub keys: Vec<Box<str>>,
    /// Number of distinct key sets.
    pub key_sets: usize,
}

/// Distinct strings numbered in order of first appearance. Each is stored
/// once: the table of ids finds it by hash and compares against `values`.
#[derive(Default)]
struct Interner {
    ids: HashTable<u32>,
    values: Vec<Box<str>>,
    hasher: foldhash::fast::FixedState,
}

impl Interner {
    /// An interner with room for `n` strings.
    fn with_capacity(n: usize) -> Interner {
        Interner { ids: HashTable::with_capacity(n), values: Vec::with_capacity(n), ..Interner::default() }
    }

    fn intern(&mut self, s: &str) -> u32 {
        self.intern_with(s, Box::from)
    }

    /// [`Interner::intern`] of a string the caller owns, kept without a copy
    /// when it is new.
    fn intern_owned(&mut self, s: String) -> u32 {
        self.intern_with(s, String::into_boxed_str)
    }

    fn intern_with<S: AsRef<str>>(&mut self, s: S, store: impl FnOnce(S) -> Box<str>) -> u32 {
        let Interner { ids, values, hasher } = self;
        let hash = hasher.hash_one(s.as_ref());
        let found =
            ids.entry(hash, |&id| *values[id as usize] == *s.as_ref(), |&id| hasher.hash_one(&*values[id as usize]));
        match found {
            Entry::Occupied(found) => *found.get(),
            Entry::Vacant(slot) => {
                let id = values.len() as u32;
                values.push(store(s));
                slot.insert(id);
                id
            }
        }
    }
}

/// Phonetic keys shared by every name and organisation column of a table, so
/// that a given name can be compared with a surname.
#[derive(Default)]
struct Keys {
    tokens: Interner,
    sets: HashMap<Box<[u32]>, u32>,
}

impl Keys {
    /// The interned phonetic keys of `tokens` (tokens without one left out), sorted.
    fn phonetic(&mut self, tokens: &[impl AsRef<str>]) -> Vec<u32> {
        let mut k: Vec<u32> = tokens
            .iter()
            .map(|t| names::token_key(t.as_ref()))
            .filter(|k| !k.is_empty())
            .map(|k| self.tokens.intern(&k))
            .collect();
        k.sort_unstable();
        k
    }
}

/// A column's value id per record, and its distinct values.
type Built = (Vec<u32>, Column);

/// Ids per record of a column whose values are normalised by `value`, called
/// once per distinct raw text; `None` is a missing value.
fn intern_raw<'r, T>(
    raw: impl Iterator<Item = &'r str> + Clone,
    values: &mut Vec<T>,
    mut value: impl FnMut(&'r str, &[T]) -> Option<ValueId<T>>,
) -> Vec<u32> {
    let mut by_raw = raw_map(raw.clone());
    raw.map(|s| {
        *by_raw.entry(s).or_insert_with(|| match value(s, values) {
            Some(ValueId::New(v)) => {
                values.push(v);
                values.len() as u32 - 1
            }
            Some(ValueId::Existing(id)) => id,
            None => NONE,
        })
    })
    .collect()
}

/// An empty map from a column's raw texts to ids, sized for the distinct
/// texts that its first values suggest: most columns hold either a few
/// values (sex, nationality) or nearly one per record (phones), and growing
/// a map of the latter step by step rehashed it a dozen times.
fn raw_map<'r>(raw: impl Iterator<Item = &'r str>) -> HashMap<&'r str, u32> {
    const SAMPLE: usize = 1024;
    let total = raw.size_hint().0;
    let mut sample: HashMap<&str, ()> = HashMap::with_capacity(SAMPLE);
    let mut seen = 0;
    for s in raw.take(SAMPLE) {
        sample.insert(s, ());
        seen += 1;
    }
    HashMap::with_capacity(total.checked_div(seen).map_or(0, |per| per * sample.len()))
}

/// What normalising a raw text gave: a value seen before or a new one.
enum ValueId<T> {
    Existing(u32),
    New(T),
}

fn build_names<'r>(role: Role, raw: impl Iterator<Item = &'r str> + Clone, keys: &mut Keys) -> Built {
    let mut values = Vec::new();
    let mut by_folded: HashMap<Box<str>, u32> = HashMap::new();
    let ids = intern_raw(raw, &mut values, |s, values: &[NameValue]| {
        let Value::Name { folded, .. } = normalise(role, s) else { return None };
        if let Some(&id) = by_folded.get(folded.as_str()) {
            return Some(ValueId::Existing(id));
        }
        let tokens = names::name_tokens(s);
        let k = keys.phonetic(&tokens);
        let mut l: Vec<u32> = tokens
            .iter()
            .map(|t| names::loose_key(t))
            .filter(|k| !k.is_empty())
            .map(|k| keys.tokens.intern(&format!("~{k}")))
            .collect();
        l.sort_unstable();
        let next = keys.sets.len() as u32;
        let key_set = *keys.sets.entry(k.clone().into_boxed_slice()).or_insert(next);
        by_folded.insert(folded.as_str().into(), values.len() as u32);
        Some(ValueId::New(NameValue {
            letters: crate::compare::LetterCounts::of(folded.as_bytes()),
            folded: folded.into_boxed_str(),
            keys: k.into_boxed_slice(),
            loose: l.into_boxed_slice(),
            key_set,
        }))
    });
    (ids, Column::Name(values))
}

fn build_organisations<'r>(raw: impl Iterator<Item = &'r str> + Clone, keys: &mut Keys) -> Built {
    let mut values = Vec::new();
    let mut name_ids = Interner::default();
    let ids = intern_raw(raw, &mut values, |s, _| {
        let mut names: Vec<OrgName> = Vec::new();
        for n in organisation::split(s) {
            let folded = names::fold(n);
            if folded.is_empty() || names.iter().any(|x| *x.folded == *folded) {
                continue;
            }
            let mut k = keys.phonetic(&organisation::distinctive_tokens(n));
            k.dedup();
            let id = name_ids.intern(&folded);
            names.push(OrgName { id, folded: folded.into(), keys: k.into() });
        }
        (!names.is_empty()).then(|| ValueId::New(names.into_boxed_slice()))
    });
    let values: Vec<Box<[OrgName]>> = values;
    let together = organisation::listed_together(values.iter().map(|v| &**v));
    (ids, Column::Organisation { values, together })
}

fn build_members<'r>(raw: impl Iterator<Item = &'r str> + Clone) -> Built {
    let mut values = Vec::new();
    let mut members = Interner::default();
    let ids = intern_raw(raw, &mut values, |s, _| {
        let mut set: Vec<u32> = organisation::split(s).map(|m| members.intern(m)).collect();
        set.sort_unstable();
        set.dedup();
        (!set.is_empty()).then(|| ValueId::New(set.into_boxed_slice()))
    });
    (ids, Column::Set(values))
}

fn build_dates<'r>(role: Role, raw: impl Iterator<Item = &'r str> + Clone) -> Built {
    let mut values = Vec::new();
    let mut seen: HashMap<PartialDate, u32> = HashMap::new();
    let ids = intern_raw(raw, &mut values, |s, values: &[PartialDate]| match normalise(role, s) {
        Value::Date(d) if d.year.is_some() => Some(match seen.get(&d) {
            Some(&id) => ValueId::Existing(id),
            None => {
                seen.insert(d, values.len() as u32);
                ValueId::New(d)
            }
        }),
        _ => None,
    });
    (ids, Column::Date(values))
}

fn build_text<'r>(role: Role, raw: impl Iterator<Item = &'r str> + Clone) -> Built {
    let mut by_raw = raw_map(raw.clone());
    let mut values = Interner::with_capacity(by_raw.capacity());
    let ids = raw
        .map(|s| {
            *by_raw.entry(s).or_insert_with(|| match normalise(role, s) {
                Value::Text(t) => values.intern_owned(t),
                _ => NONE,
            })
        })
        .collect();
    (ids, Column::Text(values.values))
}

/// Asks the processor to bring `value`, if any, into every cache level (a hint only).
#[inline(always)]
fn prefetch<T>(value: Option<&T>) {
    if let Some(value) = value {
        mem_prefetch::prefetch_read_data::<T, 3>(value);
    }
}

/// A code of up to [`Code::INLINE`] bytes held inline, so that comparing two
/// codes reads no string far away in memory (phones of the same length
/// usually differ in their first digits, and the string's load was most of
/// their comparison). Longer codes are marked and compared as strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Code {
    bytes: [u8; Code::INLINE],
    /// The length, or [`Code::LONG`].
    len: u8,
}

impl Code {
    /// Longest code held inline.
    pub(crate) const INLINE: usize = 15;
    const LONG: u8 = u8::MAX;

    fn of(s: &str) -> Code {
        let mut bytes = [0; Code::INLINE];
        match bytes.get_mut(..s.len()) {
            Some(head) => {
                head.copy_from_slice(s.as_bytes());
                Code { bytes, len: s.len() as u8 }
            }
            None => Code { bytes, len: Code::LONG },
        }
    }

    /// The code's bytes, `None` when it is too long to be held inline.
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        self.bytes.get(..usize::from(self.len))
    }
}

/// Signatures of a column's values ([`Table::signature`]).
fn signatures(column: &Column) -> Vec<u64> {
    match column {
        Column::Name(values) => values
            .iter()
            .map(|v| v.keys.iter().chain(v.loose.iter()).fold(0u64, |bits, &k| bits | 1 << (k % 64)))
            .collect(),
        Column::Text(values) => values.iter().map(|v| characters_present(v.as_bytes())).collect(),
        _ => Vec::new(),
    }
}

/// One bit per byte value present in `s` (byte value modulo 64).
pub fn characters_present(s: &[u8]) -> u64 {
    s.iter().fold(0u64, |bits, &c| bits | 1 << (c % 64))
}

/// Whether a column of `role` uses the shared phonetic keys.
fn uses_keys(role: Role) -> bool {
    role == Role::OrganisationName || role.is_name()
}

impl Table {
    /// Normalises `records` under `schema`; fields a record lacks are missing.
    ///
    /// Columns that share the phonetic keys are built on one thread and the
    /// others on a second one.
    pub fn build(schema: &Schema, records: &[&Record]) -> Table {
        Table::build_on(schema, records, crate::worker_threads(records.len()) >= 2)
    }

    /// [`Table::build`], on two threads or one.
    fn build_on(schema: &Schema, records: &[&Record], two_threads: bool) -> Table {
        let raw = |f: usize| records.iter().map(move |r| r.field(f));
        let build_one = |f: usize, role: Role, keys: &mut Keys| -> Built {
            match role {
                Role::BirthDate => build_dates(role, raw(f)),
                Role::OrganisationName => build_organisations(raw(f), keys),
                Role::Members => build_members(raw(f)),
                r if r.is_name() => build_names(r, raw(f), keys),
                r => build_text(r, raw(f)),
            }
        };
        let roles: Vec<(usize, Role)> = schema.fields.iter().map(|(_, r)| *r).enumerate().collect();
        let (keyed, plain): (Vec<_>, Vec<_>) = roles.into_iter().partition(|(_, r)| uses_keys(*r));
        let mut keys = Keys::default();
        let run = |fields: &[(usize, Role)], keys: &mut Keys| -> Vec<(usize, Built)> {
            fields.iter().map(|&(f, role)| (f, build_one(f, role, keys))).collect()
        };
        let (mut built, other) = if !two_threads || keyed.is_empty() || plain.is_empty() {
            (run(&keyed, &mut keys), run(&plain, &mut Keys::default()))
        } else {
            std::thread::scope(|scope| {
                let other = scope.spawn(|| run(&plain, &mut Keys::default()));
                let built = run(&keyed, &mut keys);
                (built, crate::joined(other))
            })
        };
        built.extend(other);
        built.sort_by_key(|(f, _)| *f);
        let width = built.len();
        let mut ids = vec![NONE; records.len() * width];
        let mut columns = Vec::with_capacity(width);
        for (f, (column_ids, column)) in built {
            for (r, id) in column_ids.into_iter().enumerate() {
                ids[r * width + f] = id;
            }
            columns.push(column);
        }
        let signatures = columns.iter().map(signatures).collect();
        let codes = columns
            .iter()
            .zip(&schema.fields)
            .map(|(column, (_, role))| match column {
                Column::Text(values) if Kind::of(*role) == Kind::Code => values.iter().map(|v| Code::of(v)).collect(),
                _ => Vec::new(),
            })
            .collect();
        Table {
            len: records.len(),
            columns,
            ids,
            signatures,
            codes,
            keys: keys.tokens.values,
            key_sets: keys.sets.len(),
        }
    }

    /// The signature of value `id` of column `f` (0 when the column has
    /// none): for a name, one bit per phonetic and consonant key (two names
    /// that share a key share a bit); for text, one bit per character present
    /// (each edit changes at most two bits, so strings whose bits differ in
    /// more than `2k` places are more than `k` edits apart).
    pub fn signature(&self, f: usize, id: u32) -> u64 {
        self.signatures.get(f).and_then(|s| s.get(id as usize)).copied().unwrap_or(0)
    }

    /// Value `id` of code column `f` held inline, when the column is one.
    pub(crate) fn code(&self, f: usize, id: u32) -> Option<&Code> {
        self.codes.get(f).and_then(|c| c.get(id as usize))
    }

    /// Asks the processor to load record `r`'s value ids. Comparing a
    /// candidate pair waits mostly on loads from records far apart in memory;
    /// asking a few pairs ahead overlaps those waits. Only a hint.
    pub fn prefetch_row(&self, r: usize) {
        let w = self.columns.len();
        prefetch(self.ids.get(r * w));
        prefetch(((r + 1) * w).checked_sub(1).and_then(|last| self.ids.get(last)));
    }

    /// Asks the processor to load what comparing record `r` reads first in
    /// each column: the value (the head of a name or text) and its signature.
    /// Best called once [`Table::prefetch_row`] has brought the ids in.
    pub fn prefetch_values(&self, r: usize) {
        for (f, (column, &id)) in self.columns.iter().zip(self.row(r)).enumerate() {
            if id == NONE {
                continue;
            }
            let i = id as usize;
            match column {
                Column::Name(values) => prefetch(values.get(i)),
                Column::Date(values) => prefetch(values.get(i)),
                Column::Text(_) if self.codes.get(f).is_some_and(|c| !c.is_empty()) => prefetch(self.code(f, id)),
                Column::Text(values) => prefetch(values.get(i)),
                Column::Organisation { .. } | Column::Set(_) => {}
            }
            prefetch(self.signatures.get(f).and_then(|s| s.get(i)));
        }
    }

    /// Where record `r`'s value in name column `f` is counted at `level`: its
    /// value id for exact agreement (4), its key-set id for spelling variants
    /// (3); `None` when `f` is no name column or the record has no value.
    pub(crate) fn frequency_slot(&self, f: usize, r: usize, level: u8) -> Option<usize> {
        let Some(Column::Name(values)) = self.columns.get(f) else { return None };
        let id = self.id(f, r);
        if id == NONE {
            return None;
        }
        if level == 4 { Some(id as usize) } else { values.get(id as usize).map(|v| v.key_set as usize) }
    }

    /// Value ids of record `r`, one per column ([`NONE`] when missing).
    pub fn row(&self, r: usize) -> &[u32] {
        let w = self.columns.len();
        self.ids.get(r * w..(r + 1) * w).unwrap_or(&[])
    }

    /// Value id of record `r` in column `f` ([`NONE`] when missing).
    pub fn id(&self, f: usize, r: usize) -> u32 {
        if f >= self.columns.len() {
            return NONE;
        }
        self.ids.get(r * self.columns.len() + f).copied().unwrap_or(NONE)
    }

    /// The normalised value of field `f` of record `r`, as the public
    /// [`Value`] type (for explanations and tests).
    pub fn value(&self, f: usize, r: usize) -> Value {
        let id = self.id(f, r) as usize;
        match self.columns.get(f) {
            Some(Column::Name(values)) => match values.get(id) {
                Some(v) => Value::Name {
                    folded: v.folded.to_string(),
                    keys: v.keys.iter().map(|&k| self.keys[k as usize].to_string()).collect(),
                },
                None => Value::Missing,
            },
            Some(Column::Date(values)) => values.get(id).copied().map(Value::Date).unwrap_or(Value::Missing),
            Some(Column::Set(values)) => match values.get(id) {
                Some(v) => Value::Text(v.iter().map(u32::to_string).collect::<Vec<_>>().join(" | ")),
                None => Value::Missing,
            },
            Some(Column::Organisation { values, .. }) => match values.get(id) {
                Some(v) => Value::Text(v.iter().map(|n| &*n.folded).collect::<Vec<_>>().join(" | ")),
                None => Value::Missing,
            },
            Some(Column::Text(values)) => match values.get(id) {
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
            Some(Column::Name(values)) => values.get(self.id(f, r) as usize),
            _ => None,
        }
    }

    /// Names of record `r` in organisation-name column `f`, if `f` is one and
    /// the record has any.
    pub fn organisation(&self, f: usize, r: usize) -> Option<&[OrgName]> {
        match self.columns.get(f) {
            Some(Column::Organisation { values, .. }) => values.get(self.id(f, r) as usize).map(|v| &**v),
            _ => None,
        }
    }

    /// Member set of record `r` in set column `f` (interned, sorted), if `f`
    /// is one and the record has any.
    pub fn set(&self, f: usize, r: usize) -> Option<&[u32]> {
        match self.columns.get(f) {
            Some(Column::Set(values)) => values.get(self.id(f, r) as usize).map(|v| &**v),
            _ => None,
        }
    }

    /// Text value id of record `r` in column `f` ([`NONE`] when missing or
    /// not a text column).
    pub fn text_id(&self, f: usize, r: usize) -> u32 {
        match self.columns.get(f) {
            Some(Column::Text(_)) => self.id(f, r),
            _ => NONE,
        }
    }

    /// Text value of record `r` in column `f`.
    pub fn text(&self, f: usize, r: usize) -> Option<&str> {
        match self.columns.get(f) {
            Some(Column::Text(values)) => values.get(self.id(f, r) as usize).map(|v| &**v),
            _ => None,
        }
    }

    /// Date of record `r` in column `f`.
    pub fn date(&self, f: usize, r: usize) -> Option<PartialDate> {
        match self.columns.get(f) {
            Some(Column::Date(values)) => values.get(self.id(f, r) as usize).copied(),
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
        .map(|(i, f)| Record::new(i.to_string(), f))
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
    fn two_threads_build_the_same_table_as_one() {
        let schema = Schema::new([
            ("g", Role::GivenName),
            ("p", Role::Phone),
            ("s", Role::Surname),
            ("d", Role::BirthDate),
            ("a", Role::Address),
        ]);
        let recs: Vec<Record> = (0..300)
            .map(|i| {
                Record::new(
                    i.to_string(),
                    [
                        ["Mohamed", "Muhammad", "Ali", ""][i % 4].to_string(),
                        format!("+44 7700 {:06}", i % 37),
                        ["Abd al-Rahman", "Haddad", "Nguyen"][i % 3].to_string(),
                        format!("19{:02}-0{}-1{}", 50 + i % 40, 1 + i % 9, i % 10),
                        format!("{} High Street", i % 11),
                    ],
                )
            })
            .collect();
        let refs: Vec<&Record> = recs.iter().collect();
        assert_eq!(Table::build_on(&schema, &refs, true), Table::build_on(&schema, &refs, false));
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
        .map(|(i, f)| Record::new(i.to_string(), f))
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
