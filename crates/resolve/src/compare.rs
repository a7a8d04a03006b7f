//! Comparison vectors: for a pair of records, one agreement level per field,
//! which the Fellegi–Sunter model turns into evidence.
//!
//! Levels run `0..LEVELS`, highest = best. A pair's levels are packed four
//! bits per field into a [`Pattern`], so that counting, training and scoring
//! work on integers. Given name and surname are compared crosswise as well,
//! so a record that put the surname first still agrees.

use crate::normalise::PartialDate;
use crate::record::{Role, Schema};
use crate::table::{Column, NONE, NameValue, Table};

/// Number of agreement levels of every field.
pub const LEVELS: usize = 5;

/// Level of a field missing on either side: no evidence either way.
pub const MISSING: u8 = 0xF;

/// Most fields a schema may have (four bits each in a `u64`).
pub const MAX_FIELDS: usize = 16;

/// A pair's agreement level per field, four bits each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pattern(pub u64);

impl Pattern {
    /// Every field missing.
    pub const EMPTY: Pattern = Pattern(u64::MAX);

    /// Level of field `f`.
    pub fn level(self, f: usize) -> u8 {
        ((self.0 >> (4 * f)) & 0xF) as u8
    }

    /// The pattern with field `f` set to `level`.
    pub fn with(self, f: usize, level: u8) -> Pattern {
        let shift = 4 * f;
        Pattern((self.0 & !(0xF << shift)) | ((level as u64 & 0xF) << shift))
    }
}

/// How a field is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Names: exact, same phonetic keys, similar spelling, close spelling.
    Name,
    /// Dates of birth: exact, swapped, one digit off or the same day and
    /// month a few years apart, partial but compatible, same year, different.
    Date,
    /// Text compared by edits (addresses, towns): one or two characters
    /// typed wrong, left out or added.
    Fuzzy,
    /// Numbers and codes (phones, documents, postcodes): exact, or one
    /// character wrong or two swapped.
    Code,
    /// Codes that either agree or not (sex, nationality).
    Exact,
    /// Organisations' names and aliases, every name of one against every
    /// name of the other, on their distinctive words
    /// ([`crate::organisation::level`]).
    Organisation,
    /// Sets of members: how many they share ([`crate::organisation::shared_level`]).
    Members,
}

impl Kind {
    /// How fields of `role` are compared.
    pub fn of(role: Role) -> Kind {
        match role {
            Role::GivenName | Role::Surname | Role::FullName => Kind::Name,
            Role::BirthDate => Kind::Date,
            Role::Sex | Role::Nationality => Kind::Exact,
            Role::Phone | Role::DocumentNumber | Role::Postcode | Role::StreetNumber => Kind::Code,
            Role::OrganisationName => Kind::Organisation,
            Role::Members => Kind::Members,
            _ => Kind::Fuzzy,
        }
    }
}

/// Human-readable name of a level of a field of `kind`.
pub fn level_name(kind: Kind, level: u8) -> &'static str {
    match (kind, level) {
        (_, MISSING) => "missing",
        (Kind::Organisation, 4) => "exact (a name or alias of each, or two names another record gives together)",
        (Kind::Organisation, 3) => "same distinctive words (generic words such as network, group, crew aside)",
        (Kind::Organisation, 2) => "the distinctive words of one name all in the other",
        (Kind::Organisation, 1) => "some distinctive words shared, each name has others",
        (Kind::Members, 4) => "three or more members in common",
        (Kind::Members, 3) => "two members in common",
        (Kind::Members, 2) => "one member in common",
        (Kind::Members, 0) => "no member in common",
        (_, 4) => "exact",
        (Kind::Name, 3) => "same phonetic key (spelling variant)",
        (Kind::Name, 2) => "similar (jaro-winkler >= 0.92 or one name inside the other)",
        (Kind::Name, 1) => "close (jaro-winkler >= 0.80 or same consonants)",
        (Kind::Date, 3) => "day-month swapped, one digit off or up to 3 years apart",
        (Kind::Date, 2) => "same year, one date partial or a placeholder",
        (Kind::Date, 1) => "same year, different day or month",
        (Kind::Fuzzy, 2) => "one character different",
        (Kind::Fuzzy, 1) => "two characters different",
        (Kind::Code, 2) => "one character wrong or two swapped",
        _ => "different",
    }
}

/// A level's name without the definition some names give in brackets
/// (`similar`, not `similar (jaro-winkler >= 0.92 or ...)`): files of many
/// pairs name each pair's levels, and the definitions would repeat on every
/// row. Every name of [`level_name`] is a short name, optionally followed by
/// ` (definition)`; a test checks that the short names still tell a kind's
/// levels apart.
pub fn brief_level_name(name: &str) -> &str {
    name.split_once(" (").map_or(name, |(short, _)| short)
}

/// Compares records of one [`Table`].
pub struct Comparer<'a> {
    table: &'a Table,
    kinds: Vec<Kind>,
    /// Given-name and surname columns, compared crosswise too.
    swap: Option<(usize, usize)>,
    /// The first [`SLOTTED`] name columns ([`Comparer::second_slots`]).
    slotted: Vec<usize>,
}

impl<'a> Comparer<'a> {
    /// A comparer for `table`, whose columns follow `schema`.
    pub fn new(schema: &Schema, table: &'a Table) -> Self {
        let kinds = schema.fields.iter().map(|(_, r)| Kind::of(*r)).collect();
        let swap = schema.first(Role::GivenName).zip(schema.first(Role::Surname));
        let slotted = slotted_fields(schema.fields.iter().map(|(_, r)| *r)).collect();
        Comparer { table, kinds, swap, slotted }
    }

    /// The comparison kind of each field.
    pub fn kinds(&self) -> &[Kind] {
        &self.kinds
    }

    /// Agreement levels of records `a` and `b`, and whether given name and
    /// surname agreed best crosswise.
    pub fn compare(&self, a: usize, b: usize) -> (Pattern, bool) {
        self.compare_with(a, b, None)
    }

    /// [`Comparer::compare`] remembering the levels of the names it compares
    /// in `memo`, for a loop over many pairs.
    pub fn compare_with(&self, a: usize, b: usize, mut memo: Option<&mut NameMemo>) -> (Pattern, bool) {
        let (row_a, row_b) = (self.table.row(a), self.table.row(b));
        let mut p = Pattern::EMPTY;
        for (f, ((column, &x), &y)) in self.table.columns.iter().zip(row_a).zip(row_b).enumerate().take(MAX_FIELDS) {
            let both = x != y && x != NONE && y != NONE;
            let level = if self.kinds[f] == Kind::Fuzzy
                && both
                && (self.table.signature(f, x) ^ self.table.signature(f, y)).count_ones() > 4
            {
                // More than two edits apart: the strings need not be read.
                0
            } else if let (true, Some(p), Some(q)) = (both, self.table.code(f, x), self.table.code(f, y))
                && let (Some(p), Some(q)) = (p.bytes(), q.bytes())
            {
                if one_edit(p, q) { 2 } else { 0 }
            } else if let (true, Column::Name(values), Some(memo)) = (both, column, memo.as_deref_mut()) {
                memo.level(f, x, y, || name_level(&values[x as usize], &values[y as usize]))
            } else {
                column_level(column, self.kinds[f], x, y)
            };
            p = p.with(f, level);
        }
        let mut swapped = false;
        if let Some((g, s)) = self.swap {
            let direct = score(p.level(g)) + score(p.level(s));
            // A swap is worth testing only when a name of one record shares a
            // sound with the other name of the other (most pairs share none).
            let sounds = |f: usize, r: &[u32]| r.get(f).map_or(0, |&id| self.table.signature(f, id));
            let may_share = sounds(g, row_a) & sounds(s, row_b) != 0 || sounds(s, row_a) & sounds(g, row_b) != 0;
            if direct < 8 && may_share {
                let ga = self.table.name(g, a);
                let sa = self.table.name(s, a);
                let gb = self.table.name(g, b);
                let sb = self.table.name(s, b);
                if shares_key(ga, sb) || shares_key(sa, gb) {
                    let x = name_pair(ga, sb);
                    let y = name_pair(sa, gb);
                    if score(x) + score(y) > direct {
                        p = p.with(g, x).with(s, y);
                        swapped = true;
                    }
                }
            }
        }
        (p, swapped)
    }
}

/// Levels of pairs of names already compared, by column and the two names'
/// value ids. Candidate pairs repeat the same pairs of names (on synth_200k
/// 1.7 million name comparisons reach Jaro-Winkler, about 290,000 of them
/// distinct), so a small table remembering the last level seen at each slot
/// answers most of them without reading either name. One per thread.
pub struct NameMemo {
    /// The two value ids of the pair held at each slot.
    keys: Vec<u64>,
    /// Column (high four bits) and level (low four bits) at each slot;
    /// [`NameMemo::EMPTY`] for none, which no name level makes.
    tags: Vec<u8>,
    /// log2 of the number of slots.
    bits: u32,
}

impl NameMemo {
    /// Slots: 2^15, about 290 KB, which stays in a core's second-level cache.
    const BITS: u32 = 15;
    const EMPTY: u8 = 0xFF;

    /// An empty memo.
    pub fn new() -> Self {
        Self::with_bits(Self::BITS)
    }

    /// An empty memo of `2^bits` slots.
    fn with_bits(bits: u32) -> Self {
        NameMemo { keys: vec![0; 1 << bits], tags: vec![Self::EMPTY; 1 << bits], bits }
    }

    /// The level of names `x` and `y` of column `f`, from the memo or from
    /// `compute`. Name levels do not depend on the order of the two names
    /// (a property test checks it), so the pair is keyed in either order.
    fn level(&mut self, f: usize, x: u32, y: u32, compute: impl FnOnce() -> u8) -> u8 {
        let key = (u64::from(x.min(y)) << 32) | u64::from(x.max(y));
        let slot = (key ^ (f as u64)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - self.bits);
        let slot = slot as usize;
        let column = (f as u8 & 0xF) << 4;
        let tag = self.tags[slot];
        if tag != Self::EMPTY && tag & 0xF0 == column && self.keys[slot] == key {
            return tag & 0xF;
        }
        let level = compute();
        self.keys[slot] = key;
        self.tags[slot] = column | (level & 0xF);
        level
    }
}

impl Default for NameMemo {
    fn default() -> Self {
        Self::new()
    }
}

/// How many name columns [`Comparer::second_slots`] covers.
pub(crate) const SLOTTED: usize = 3;

/// Frequency slots of a pair's second record ([`Comparer::second_slots`]).
pub(crate) type Slots = [u32; SLOTTED];

/// The fields whose frequency slots a pair's [`Slots`] hold, in slot order:
/// the first [`SLOTTED`] name fields of a schema with `roles`. The comparer
/// fills the slots and the scorer reads them, so both take them from here.
pub(crate) fn slotted_fields(roles: impl Iterator<Item = Role>) -> impl Iterator<Item = usize> {
    roles.enumerate().filter(|(_, r)| r.is_name()).map(|(f, _)| f).take(SLOTTED)
}

impl Comparer<'_> {
    /// Where scoring will look up the frequency of record `b`'s names, for
    /// the first [`SLOTTED`] name columns, given the pair's comparison: the
    /// slot (`Table::frequency_slot`) of the value compared in that field (in
    /// the other name column for a swap), [`NONE`] when no lookup happens.
    /// Read right after comparing, while `b`'s values are in the cache:
    /// scoring then does not fetch a record far away in memory again.
    pub(crate) fn second_slots(&self, b: usize, (pattern, swapped): (Pattern, bool)) -> Slots {
        let mut slots = [NONE; SLOTTED];
        for (slot, &f) in slots.iter_mut().zip(&self.slotted) {
            let level = pattern.level(f);
            if level != 3 && level != 4 {
                continue;
            }
            let column = if swapped { partner(self.swap, f) } else { Some(f) };
            if let Some(at) = column.and_then(|c| self.table.frequency_slot(c, b, level)) {
                *slot = at as u32;
            }
        }
        slots
    }
}

/// The other name column of field `f` in a given-name / surname swap, when
/// `f` is one of the two `names`.
pub(crate) fn partner(names: Option<(usize, usize)>, f: usize) -> Option<usize> {
    let (given, surname) = names?;
    if f == given {
        Some(surname)
    } else if f == surname {
        Some(given)
    } else {
        None
    }
}

/// Whether two names share a token's phonetic key or consonant skeleton.
fn shares_key(x: Option<&NameValue>, y: Option<&NameValue>) -> bool {
    let (Some(x), Some(y)) = (x, y) else { return false };
    let common = |p: &[u32], q: &[u32]| p.iter().any(|k| q.binary_search(k).is_ok());
    common(&x.keys, &y.keys) || common(&x.loose, &y.loose)
}

/// Ordering of levels for choosing the better of two alignments (missing
/// counts as nothing).
fn score(level: u8) -> u8 {
    if level == MISSING { 0 } else { level }
}

/// Agreement level of value ids `x` and `y` of one column.
fn column_level(column: &Column, kind: Kind, x: u32, y: u32) -> u8 {
    if x == NONE || y == NONE {
        return MISSING;
    }
    let (i, j) = (x as usize, y as usize);
    match column {
        // Values are interned: equal ids are equal values.
        Column::Name(_) | Column::Organisation { .. } | Column::Text(_) if x == y => 4,
        Column::Name(values) => name_level(&values[i], &values[j]),
        Column::Organisation { values, together } => crate::organisation::level(&values[i], &values[j], together),
        Column::Set(values) => crate::organisation::shared_level(&values[i], &values[j]),
        // Two equal partial dates (a year alone) are not an exact agreement.
        Column::Date(values) => date_level(&values[i], &values[j]),
        Column::Text(values) => match kind {
            Kind::Exact => 0,
            Kind::Code => {
                if one_edit(values[i].as_bytes(), values[j].as_bytes()) {
                    2
                } else {
                    0
                }
            }
            _ => match edits_within(values[i].as_bytes(), values[j].as_bytes(), 2) {
                Some(0 | 1) => 2,
                Some(_) => 1,
                None => 0,
            },
        },
    }
}

fn name_pair(x: Option<&NameValue>, y: Option<&NameValue>) -> u8 {
    match (x, y) {
        (Some(x), Some(y)) => {
            if x.folded == y.folded {
                4
            } else {
                name_level(x, y)
            }
        }
        _ => MISSING,
    }
}

/// Whether two codes of the same length differ in one character or by two
/// adjacent characters swapped (the usual keying errors).
fn one_edit(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y).map(|(i, _)| i);
    match (diff.next(), diff.next(), diff.next()) {
        (Some(_), None, _) => true,
        (Some(i), Some(j), None) => j == i + 1 && a[i] == b[j] && a[j] == b[i],
        _ => false,
    }
}

/// Agreement level of two different values of one name column (values of
/// one column are interned, so they are never equal).
pub fn name_level(x: &NameValue, y: &NameValue) -> u8 {
    // Most pairs of different names share too few letters to come near
    // 0.8: their bound settles it without the matching.
    name_level_by(x, y, || {
        if jaro_winkler_bound(x, y) < 0.8 - 1e-9 { 0.0 } else { jaro_winkler(x.folded.as_bytes(), y.folded.as_bytes()) }
    })
}

/// [`name_level`] with the Jaro-Winkler similarity of the two names given
/// by `similarity` (asked for only when the phonetic keys do not settle it).
fn name_level_by(x: &NameValue, y: &NameValue, similarity: impl FnOnce() -> f64) -> u8 {
    if !x.keys.is_empty() && x.key_set == y.key_set {
        return 3;
    }
    let jw = similarity();
    if jw >= 0.92 || subset(&x.keys, &y.keys) || subset(&y.keys, &x.keys) {
        return 2;
    }
    if jw >= 0.8 || (!x.loose.is_empty() && x.loose == y.loose) {
        return 1;
    }
    0
}

/// How many times each character occurs in a string, for
/// [`jaro_winkler_bound`]: `a`–`z`, the space, and every other byte
/// together in one more slot; counts saturate at 255.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LetterCounts([u8; 32]);

impl LetterCounts {
    /// The counts of `s`.
    pub fn of(s: &[u8]) -> Self {
        let mut counts = [0u8; 32];
        for &c in s {
            let slot = letter_slot(c).unwrap_or(27);
            counts[slot] = counts[slot].saturating_add(1);
        }
        LetterCounts(counts)
    }

    /// How many characters the two strings have in common, counted with
    /// their repeats: at least the number Jaro's matching finds.
    fn common(&self, other: &LetterCounts) -> usize {
        self.0.iter().zip(&other.0).map(|(&x, &y)| usize::from(x.min(y))).sum()
    }
}

/// An upper bound of the Jaro-Winkler similarity of two names, from their
/// letters in common: Jaro's matches are at most those, without
/// transpositions. (Strings over 255 bytes, whose counts may saturate, get
/// the bound 1.)
pub fn jaro_winkler_bound(x: &NameValue, y: &NameValue) -> f64 {
    let (a, b) = (x.folded.as_bytes(), y.folded.as_bytes());
    if a.is_empty() || b.is_empty() || a.len() > 255 || b.len() > 255 {
        return 1.0;
    }
    match x.letters.common(&y.letters) {
        0 => 0.0,
        common => finish(a, b, common, 0),
    }
}

/// Whether the non-empty sorted set `a` is inside `b`.
fn subset(a: &[u32], b: &[u32]) -> bool {
    !a.is_empty() && a.len() < b.len() && a.iter().all(|k| b.binary_search(k).is_ok())
}

/// Levenshtein distance of `a` and `b` if it is at most `k`, computed in
/// a band of width `2k + 1` so that unlike strings are rejected early.
pub fn edits_within(a: &[u8], b: &[u8], k: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    // Cells hold distances capped at `k + 1` ("too far"), so 16 bits do.
    let k = k.min(u16::MAX as usize - 1);
    let m = b.len();
    if m < 64 {
        let (mut x, mut y) = ([0u16; 64], [0u16; 64]);
        banded(a, b, k, &mut x[..=m], &mut y[..=m])
    } else {
        banded(a, b, k, &mut vec![0; m + 1], &mut vec![0; m + 1])
    }
}

/// The banded dynamic programme: row `i` holds the distances of `a[..i]` to
/// `b[..j]` for `j` within `k` of `i`, capped at `k + 1`; the cells just
/// outside the band are set to the cap, so no row is cleared whole.
fn banded<'s>(a: &[u8], b: &[u8], k: usize, mut prev: &'s mut [u16], mut cur: &'s mut [u16]) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    let far = k as u16 + 1;
    for (j, p) in prev.iter_mut().enumerate().take(k + 2) {
        *p = (j as u16).min(far);
    }
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur[lo - 1] = if lo == 1 { i.min(far as usize) as u16 } else { far };
        let mut best = cur[lo - 1];
        for j in lo..=hi {
            let sub = prev[j - 1] + u16::from(a[i - 1] != b[j - 1]);
            let v = sub.min(prev[j] + 1).min(cur[j - 1] + 1).min(far);
            cur[j] = v;
            best = best.min(v);
        }
        if hi < m {
            cur[hi + 1] = far;
        }
        if best > k as u16 {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[m] as usize).filter(|&d| d <= k)
}

/// Years apart that a date of birth with the same day and month may still
/// be the same person's: ages estimated by an official, or the year typed
/// from an age, are often off by one to three.
const NEAR_YEARS: u16 = 3;

/// Date agreement: 4 exact; 3 day and month swapped, a single digit
/// different, or the same day and month at most [`NEAR_YEARS`] years apart
/// (so 1999 and 2001 count as 1961 and 1963 do); 2 same year with one date
/// partial (a 1 January placeholder is read as year only) and no known part
/// contradicting; 1 same year otherwise; 0 different.
pub fn date_level(a: &PartialDate, b: &PartialDate) -> u8 {
    if a.year.is_none() || b.year.is_none() {
        return MISSING;
    }
    if a.is_full() && b.is_full() {
        if a == b {
            return 4;
        }
        let swapped = a.year == b.year && a.month == b.day && a.day == b.month;
        let digits = |d: &PartialDate| {
            let (y, m, x) = (d.year.unwrap_or(0) as u32, d.month.unwrap_or(0) as u32, d.day.unwrap_or(0) as u32);
            [y / 1000, y / 100 % 10, y / 10 % 10, y % 10, m / 10, m % 10, x / 10, x % 10]
        };
        let diff = digits(a).iter().zip(digits(b).iter()).filter(|(x, y)| x != y).count();
        let near_year = a.month == b.month
            && a.day == b.day
            && a.year.zip(b.year).is_some_and(|(x, y)| x.abs_diff(y) <= NEAR_YEARS);
        if swapped || diff == 1 || near_year {
            return 3;
        }
        return if a.year == b.year { 1 } else { 0 };
    }
    if a.year != b.year {
        return 0;
    }
    let clash = |x: Option<u8>, y: Option<u8>| matches!((x, y), (Some(x), Some(y)) if x != y);
    if clash(a.month, b.month) || clash(a.day, b.day) { 1 } else { 2 }
}

/// Jaro-Winkler similarity of two byte strings, in `0.0..=1.0`.
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() { 1.0 } else { 0.0 };
    }
    if a.len() > 64 || b.len() > 64 {
        return jaro_winkler_long(a, b);
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let (a_m, b_m, matches) = match letter_masks(b) {
        Some(positions) => matches_by_masks(a, b.len(), window, &positions),
        None => matches_by_scan(a, b, window),
    };
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0;
    let mut j = 0;
    for (i, ca) in a.iter().enumerate() {
        if a_m & (1 << i) != 0 {
            while b_m & (1 << j) == 0 {
                j += 1;
            }
            if *ca != b[j] {
                transpositions += 1;
            }
            j += 1;
        }
    }
    finish(a, b, matches, transpositions / 2)
}

/// Slot of a folded name's character in [`letter_masks`]: `a`–`z` and the
/// space, or `None` for anything else.
fn letter_slot(c: u8) -> Option<usize> {
    match c {
        b'a'..=b'z' => Some((c - b'a') as usize),
        b' ' => Some(26),
        _ => None,
    }
}

/// For each letter (and the space), the positions in `b` holding it, as a
/// bit mask; `None` if `b` has another character.
fn letter_masks(b: &[u8]) -> Option<[u64; 27]> {
    let mut positions = [0u64; 27];
    for (j, &c) in b.iter().enumerate() {
        positions[letter_slot(c)?] |= 1 << j;
    }
    Some(positions)
}

/// Jaro's matching characters found with bit masks: for each character of
/// `a`, the first unmatched position of `b` in the window holding it.
/// Same result as [`matches_by_scan`], without the inner loop.
fn matches_by_masks(a: &[u8], b_len: usize, window: usize, positions: &[u64; 27]) -> (u64, u64, usize) {
    let (mut a_m, mut b_m, mut matches) = (0u64, 0u64, 0usize);
    let below = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    for (i, &ca) in a.iter().enumerate() {
        let Some(slot) = letter_slot(ca) else { continue };
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b_len);
        if lo >= hi {
            continue;
        }
        let free = positions[slot] & !b_m & below(hi) & !below(lo);
        if free != 0 {
            b_m |= free & free.wrapping_neg();
            a_m |= 1 << i;
            matches += 1;
        }
    }
    (a_m, b_m, matches)
}

/// Jaro's matching characters found by scanning the window (any bytes).
fn matches_by_scan(a: &[u8], b: &[u8], window: usize) -> (u64, u64, usize) {
    let (mut a_m, mut b_m, mut matches) = (0u64, 0u64, 0usize);
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for (j, cb) in b.iter().enumerate().take(hi).skip(lo) {
            if b_m & (1 << j) == 0 && cb == ca {
                a_m |= 1 << i;
                b_m |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    (a_m, b_m, matches)
}

fn jaro_winkler_long(a: &[u8], b: &[u8]) -> f64 {
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_m = vec![false; a.len()];
    let mut b_m = vec![false; b.len()];
    let mut matches = 0usize;
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_m[j] && b[j] == *ca {
                a_m[i] = true;
                b_m[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let am = a.iter().zip(&a_m).filter(|(_, m)| **m).map(|(c, _)| c);
    let bm = b.iter().zip(&b_m).filter(|(_, m)| **m).map(|(c, _)| c);
    let transpositions = am.zip(bm).filter(|(x, y)| x != y).count() / 2;
    finish(a, b, matches, transpositions)
}

fn finish(a: &[u8], b: &[u8], matches: usize, transpositions: usize) -> f64 {
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise_date;
    use crate::record::Record;

    #[test]
    fn brief_level_names_tell_levels_apart() {
        let kinds = [Kind::Name, Kind::Date, Kind::Fuzzy, Kind::Code, Kind::Exact, Kind::Organisation, Kind::Members];
        for kind in kinds {
            // Levels a kind does not use are all named "different".
            let mut names: Vec<&str> = (0..LEVELS as u8).chain([MISSING]).map(|l| level_name(kind, l)).collect();
            names.sort_unstable();
            names.dedup();
            let mut brief: Vec<&str> = names.iter().map(|n| brief_level_name(n)).collect();
            assert!(brief.iter().all(|b| !b.is_empty() && !b.contains(" (")), "{kind:?}: {brief:?}");
            brief.sort_unstable();
            brief.dedup();
            assert_eq!(brief.len(), names.len(), "{kind:?}: two levels share a brief name");
        }
        assert_eq!(brief_level_name(level_name(Kind::Name, 2)), "similar");
        assert_eq!(brief_level_name("exact"), "exact");
    }

    fn jw(a: &str, b: &str) -> f64 {
        jaro_winkler(a.as_bytes(), b.as_bytes())
    }

    #[test]
    fn jaro_winkler_known_values() {
        assert!((jw("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!((jw("dixon", "dicksonx") - 0.8133).abs() < 1e-3);
        assert!((jw("dwayne", "duane") - 0.84).abs() < 1e-3);
        assert_eq!(jw("", ""), 1.0);
        assert_eq!(jw("abc", "xyz"), 0.0);
        let long_a = "a".repeat(70) + "bc";
        let long_b = "a".repeat(70) + "cb";
        assert!(
            (jaro_winkler(long_a.as_bytes(), long_b.as_bytes())
                - jaro_winkler_long(long_a.as_bytes(), long_b.as_bytes()))
            .abs()
                < 1e-12
        );
    }

    proptest::proptest! {
        #[test]
        fn masks_and_scan_find_the_same_matches(a in "[a-z ]{1,64}", b in "[a-z ]{1,64}") {
            let (a, b) = (a.as_bytes(), b.as_bytes());
            let window = (a.len().max(b.len()) / 2).saturating_sub(1);
            let positions = letter_masks(b).expect("letters and spaces only");
            proptest::prop_assert_eq!(matches_by_masks(a, b.len(), window, &positions), matches_by_scan(a, b, window));
        }

        /// The bound is never below the similarity, so the levels are those
        /// Jaro-Winkler computed for every pair gives.
        #[test]
        fn the_bound_leaves_name_levels_as_they_were(a in "[a-gé' -]{0,80}", b in "[a-gé' -]{0,80}") {
            let (_, t) = table(&[[a.as_str(), "", ""], [b.as_str(), "", ""]]);
            if let (Some(x), Some(y)) = (t.name(0, 0), t.name(0, 1)) {
                let jw = jaro_winkler(x.folded.as_bytes(), y.folded.as_bytes());
                proptest::prop_assert!(jaro_winkler_bound(x, y) >= jw, "{} {}", x.folded, y.folded);
                proptest::prop_assert_eq!(name_level(x, y), name_level_by(x, y, || jw));
            }
        }

        /// [`NameMemo`] keys a pair of names in either order.
        #[test]
        fn name_levels_do_not_depend_on_the_order(a in "[a-e '-]{0,70}", b in "[a-e '-]{0,70}") {
            proptest::prop_assert_eq!(jaro_winkler(a.as_bytes(), b.as_bytes()), jaro_winkler(b.as_bytes(), a.as_bytes()));
            let (_, t) = table(&[[a.as_str(), "", ""], [b.as_str(), "", ""]]);
            if let (Some(x), Some(y)) = (t.name(0, 0), t.name(0, 1)) {
                proptest::prop_assert_eq!(name_level(x, y), name_level(y, x));
            }
        }

        #[test]
        fn short_and_long_jaro_winkler_agree(a in "[a-e]{0,20}", b in "[a-e]{0,20}") {
            let x = jaro_winkler(a.as_bytes(), b.as_bytes());
            let y = if a.is_empty() || b.is_empty() { x } else { jaro_winkler_long(a.as_bytes(), b.as_bytes()) };
            proptest::prop_assert!((x - y).abs() < 1e-12);
        }
    }

    fn table(rows: &[[&str; 3]]) -> (Schema, Table) {
        let schema = Schema::new([("g", Role::GivenName), ("s", Role::Surname), ("d", Role::BirthDate)]);
        let recs: Vec<Record> = rows.iter().enumerate().map(|(i, f)| Record::new(i.to_string(), f)).collect();
        let t = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        (schema, t)
    }

    #[test]
    fn remembered_name_levels_are_the_levels_compared() {
        let names = [
            ["Mohamed", "Abdelrahman", "1991-03-07"],
            ["MUHAMMAD", "Abd al-Rahman", "07/03/1991"],
            ["Abdulrahman", "Mohammad", "1991"],
            ["Mohammed", "Ahmed", ""],
            ["Muhammad", "Ahmad", "1980"],
            ["Filmon", "Tesfamariam", ""],
            ["Philemon", "Tesfa Mariam", ""],
            ["Kadir", "Qadir", ""],
            ["Qadir", "Kadir", ""],
            ["Neumann", "Smith", ""],
            ["Neuman", "Smyth", ""],
            ["", "Smith", ""],
        ];
        let (schema, t) = table(&names);
        let c = Comparer::new(&schema, &t);
        // Four slots: most pairs collide, in both name columns.
        for mut memo in [NameMemo::new(), NameMemo::with_bits(2)] {
            for _ in 0..2 {
                for a in 0..names.len() {
                    for b in 0..names.len() {
                        assert_eq!(c.compare_with(a, b, Some(&mut memo)), c.compare(a, b), "records {a} and {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn name_levels_and_swaps() {
        let (schema, t) = table(&[
            ["Mohamed", "Abdelrahman", "1991-03-07"],
            ["MUHAMMAD", "Abd al-Rahman", "07/03/1991"],
            ["Abdulrahman", "Mohammad", "1991"],
            ["Neumann", "Smith", "1991-07-03"],
            ["Neuman", "Okonkwo", ""],
        ]);
        let c = Comparer::new(&schema, &t);
        let (p, swapped) = c.compare(0, 1);
        assert_eq!((p.level(0), p.level(1), p.level(2), swapped), (3, 3, 4, false));
        let (p, swapped) = c.compare(0, 2);
        assert!(swapped);
        assert_eq!((p.level(0), p.level(1), p.level(2)), (3, 3, 2));
        let (p, _) = c.compare(3, 4);
        assert_eq!((p.level(0), p.level(1), p.level(2)), (3, 0, MISSING));
        assert_eq!(level_name(Kind::Name, 3), "same phonetic key (spelling variant)");
    }

    #[test]
    fn date_levels() {
        let d = |s| normalise_date(s).unwrap();
        assert_eq!(date_level(&d("1991-03-07"), &d("07/03/1991")), 4);
        assert_eq!(date_level(&d("1991-03-07"), &d("1991-07-03")), 3);
        assert_eq!(date_level(&d("1991-03-07"), &d("1991-03-08")), 3);
        assert_eq!(date_level(&d("1961-11-21"), &d("1963-11-21")), 3);
        // The same day and month a few years apart, across a decade too.
        assert_eq!(date_level(&d("1999-06-23"), &d("2001-06-23")), 3);
        assert_eq!(date_level(&d("1959-06-23"), &d("1962-06-23")), 3);
        assert_eq!(date_level(&d("1958-06-23"), &d("1962-06-23")), 0);
        assert_eq!(date_level(&d("1999-06-23"), &d("2001-06-24")), 0);
        assert_eq!(date_level(&d("1991-03-07"), &d("1991-11-20")), 1);
        assert_eq!(date_level(&d("1991-03-07"), &d("1991")), 2);
        assert_eq!(date_level(&d("1991-03-07"), &d("01/01/1991")), 2);
        assert_eq!(date_level(&d("1991-03-07"), &d("1991-05")), 1);
        assert_eq!(date_level(&d("1991-03-07"), &d("1985-03-07")), 0);
        assert_eq!(date_level(&d("1991"), &d("1985")), 0);
    }

    #[test]
    fn bounded_edits() {
        assert_eq!(edits_within(b"wallisview", b"wkllisview", 2), Some(1));
        assert_eq!(edits_within(b"east linda", b"eass linda", 2), Some(1));
        assert_eq!(edits_within(b"kitten", b"sitting", 2), None);
        assert_eq!(edits_within(b"kitten", b"sitting", 3), Some(3));
        assert_eq!(edits_within(b"abc", b"abc", 0), Some(0));
        assert_eq!(edits_within(b"", b"ab", 2), Some(2));
    }

    proptest::proptest! {
        #[test]
        fn bounded_edits_match_full_levenshtein(a in "[ab]{0,8}", b in "[ab]{0,8}", k in 0usize..4) {
            let full = {
                let (a, b) = (a.as_bytes(), b.as_bytes());
                let mut d: Vec<Vec<usize>> = (0..=a.len()).map(|i| (0..=b.len()).map(|j| if i == 0 { j } else if j == 0 { i } else { 0 }).collect()).collect();
                for i in 1..=a.len() {
                    for j in 1..=b.len() {
                        d[i][j] = (d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1])).min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
                    }
                }
                d[a.len()][b.len()]
            };
            proptest::prop_assert_eq!(edits_within(a.as_bytes(), b.as_bytes(), k), Some(full).filter(|&d| d <= k));
        }
    }

    #[test]
    fn code_edits() {
        assert!(one_edit(b"700900123", b"700900124"));
        assert!(!one_edit(b"700900123", b"700901923"));
        assert!(one_edit(b"700900123", b"709000123"));
        assert!(!one_edit(b"700900123", b"700900321"));
        assert!(one_edit(b"AB1234", b"BA1234"));
        assert!(!one_edit(b"AB1234", b"AB12345"));
    }

    proptest::proptest! {
        /// Codes held inline (up to 15 bytes) and longer ones read as strings
        /// get the levels the string comparison gives.
        #[test]
        fn codes_compare_inline_as_strings_do(a in "[0-9A-C]{1,18}", edit in 0usize..4, at in 0usize..18) {
            let mut b = a.clone().into_bytes();
            let i = at % b.len();
            match edit {
                0 => b[i] = b'7',
                1 if i + 1 < b.len() => b.swap(i, i + 1),
                2 => b.push(b'1'),
                _ => {}
            }
            let b = String::from_utf8(b).unwrap();
            let schema = Schema::new([("phone", Role::Phone), ("doc", Role::DocumentNumber)]);
            let recs = [Record::new("0", [a.as_str(), a.as_str()]), Record::new("1", [b.as_str(), b.as_str()])];
            let t = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
            let (p, _) = Comparer::new(&schema, &t).compare(0, 1);
            let want = |f: usize| match (t.text(f, 0), t.text(f, 1)) {
                (Some(x), Some(y)) if x == y => 4,
                (Some(x), Some(y)) if one_edit(x.as_bytes(), y.as_bytes()) => 2,
                (Some(_), Some(_)) => 0,
                _ => MISSING,
            };
            proptest::prop_assert_eq!((p.level(0), p.level(1)), (want(0), want(1)));
        }
    }

    #[test]
    fn patterns_pack_levels() {
        let p = Pattern::EMPTY.with(0, 4).with(3, 0).with(15, 2);
        assert_eq!((p.level(0), p.level(1), p.level(3), p.level(15)), (4, MISSING, 0, 2));
    }
}
