//! Blocking: cheap keys that bring likely matches together so that only
//! records sharing a key are compared, never all pairs.
//!
//! Each rule maps a record to zero or more keys; records sharing a key under
//! the same rule form a block, and every pair inside a block (up to
//! `max_block` members, above which the key is too common to be evidence)
//! becomes a candidate. Several rules are used so that a typo in one field
//! does not lose the match. Keys are 64-bit hashes of interned ids, sorted
//! rather than hashed into maps, so a million records block in seconds.

use crate::record::{Role, Schema};
use crate::table::{NONE, NameValue, Table};

/// One blocking rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Rule {
    /// Any name token's phonetic key with the birth year and the initial
    /// sound of the other name.
    NameKeyBirthYear,
    /// Surname token key and postcode, for postcodes too crowded for
    /// [`Rule::Postcode`] (a hostel or hotel housing hundreds): with that
    /// rule on, two records sharing a surname at another postcode almost
    /// always share a name's initial sound and meet there already (on
    /// synth_200k keying every record would add 14 candidates of two
    /// million), so only records at a crowded postcode get this rule's keys.
    SurnamePostcode,
    /// Given-name token key, surname initial, birth month and decade
    /// (catches a mistyped year). Not among the defaults: on FEBRL 3 and 4
    /// and the synthetic sets its own candidates (22, 38, 784 and 85,165 on
    /// synth_200k) held at most one true pair the other rules missed.
    GivenSurnameInitialBirthMonth,
    /// Two name tokens' phonetic keys, in either order and from either name
    /// field (names only, so records without a date still meet). Not among
    /// the defaults: [`Rule::LooseNamePair`] pairs almost every record this
    /// rule does (the same tokens' consonant skeletons): without it FEBRL 3
    /// and 4 and the synthetic sets resolve to the same matches.
    GivenSurname,
    /// Any name token's phonetic key with the day and month of birth (any
    /// year) and the initial sound of the other name: catches a year
    /// mistyped across a decade (2000 for 1998), which `NameKeyBirthYear`
    /// and `GivenSurnameInitialBirthMonth` keep apart.
    NameKeyBirthDay,
    /// Two name tokens' consonant skeletons, in either order: catches
    /// spelling variants and typos the phonetic keys keep apart. Its pairs
    /// are compared in small blocks only (up to 100 pairs of an undated
    /// record with another); larger blocks, the spellings of common names,
    /// lend one pair in [`TRAINING_SAMPLE`] to training instead
    /// ([`Blocked::training`]).
    LooseNamePair,
    /// Full date of birth, with the initial sound of either name.
    BirthDate,
    /// Phone number.
    Phone,
    /// Document number.
    DocumentNumber,
    /// Postcode and street number.
    PostcodeStreetNumber,
    /// Postcode (one household or street) with the initial sound of any
    /// name, as for [`Rule::BirthDate`]: neighbours whose names share no
    /// initial sound are not compared. On synth_200k that is 264,000 fewer
    /// candidates (11 %) for 0.05 % less blocking recall; pair F1 0.9165 ->
    /// 0.9170, cluster F1 0.9421 -> 0.9410; FEBRL 3 0.9957 -> 0.9953.
    Postcode,
    /// One distinctive word (phonetic key) of any name or alias of an
    /// organisation, generic words such as "network" or "crew" aside; a name
    /// made of generic words only blocks on the whole name.
    OrganisationName,
    /// One member in common (an organisation's members as resolved ids).
    SharedMember,
}

impl Rule {
    /// Largest block this rule expands, given the configured `max_block`:
    /// a single name token with a birth year is weak evidence, so its
    /// blocks are kept small.
    fn block_limit(self, max_block: usize) -> usize {
        match self {
            Rule::NameKeyBirthYear | Rule::NameKeyBirthDay => max_block.min(100),
            Rule::GivenSurname => max_block.min(200),
            Rule::LooseNamePair => max_block.min(10),
            _ => max_block,
        }
    }

    /// Largest block whose pairs, beyond [`Rule::block_limit`], are sampled
    /// for training: the undated namesakes of common names are no
    /// candidates worth scoring (on synth_200k half of all candidates, the
    /// matches among them found by other rules), but the model must see
    /// them, or it reads the namesakes that the name-and-year rules bring
    /// (born the same year, most of them) as matches.
    fn training_limit(self, max_block: usize) -> usize {
        match self {
            Rule::LooseNamePair => max_block.min(200),
            _ => 0,
        }
    }

    /// Whether the rule pairs only records of which at least one lacks a
    /// full date of birth: names alone are too common to compare every
    /// namesake, and dated records meet through the date rules.
    fn undated_only(self) -> bool {
        matches!(self, Rule::GivenSurname | Rule::LooseNamePair)
    }

    /// The rules used when none are configured.
    pub fn defaults() -> Vec<Rule> {
        vec![
            Rule::NameKeyBirthYear,
            Rule::SurnamePostcode,
            Rule::NameKeyBirthDay,
            Rule::LooseNamePair,
            Rule::BirthDate,
            Rule::Phone,
            Rule::DocumentNumber,
            Rule::PostcodeStreetNumber,
            Rule::Postcode,
            Rule::OrganisationName,
            Rule::SharedMember,
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
    organisation: Option<usize>,
    members: Option<usize>,
    /// Per record, whether its postcode is shared by more records than
    /// [`Rule::Postcode`] pairs (`None`: that rule is off, every record counts
    /// as crowded for [`Rule::SurnamePostcode`]).
    crowded: Option<Vec<bool>>,
}

/// Mixes values into a 64-bit key (SplitMix64 finaliser per step).
fn mix(h: u64, v: u64) -> u64 {
    let mut z = h ^ v.wrapping_add(0x9e37_79b9_7f4a_7c15).wrapping_add(h << 6).wrapping_add(h >> 2);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn key(parts: &[u64]) -> u64 {
    parts.iter().fold(0x5eed, |h, &v| mix(h, v))
}

fn names(t: &Table, f: Option<usize>, r: usize) -> Option<&NameValue> {
    f.and_then(|f| t.name(f, r))
}

/// First symbol of a name's consonant skeleton, which spelling variants
/// (`Qadir`/`Kadir`, `Philemon`/`Filmon`) share more often than first
/// letters.
fn initial(t: &Table, n: &NameValue) -> u64 {
    n.loose.first().and_then(|&k| t.keys.get(k as usize)).and_then(|k| k.as_bytes().get(1)).map_or(0, |&b| b as u64)
}

/// Pushes `base` mixed with the initial sound of each of `names`, or `base`
/// alone for a record without a name (which then meets only the nameless).
fn with_initials<'t>(base: u64, t: &Table, names: impl Iterator<Item = &'t NameValue>, out: &mut Vec<u64>) {
    let before = out.len();
    out.extend(names.map(|n| mix(base, initial(t, n))));
    if out.len() == before {
        out.push(base);
    }
}

fn text(t: &Table, f: Option<usize>, r: usize) -> Option<u64> {
    f.map(|f| t.text_id(f, r)).filter(|&id| id != NONE).map(u64::from)
}

/// Whether `rule` can give any record a key: the fields it reads are there
/// (a pass over every record costs milliseconds even when it finds nothing).
fn can_key(rule: Rule, f: &Fields) -> bool {
    let name = f.given.is_some() || f.surname.is_some() || f.full.is_some();
    match rule {
        Rule::NameKeyBirthYear | Rule::NameKeyBirthDay | Rule::GivenSurnameInitialBirthMonth => name && f.dob.is_some(),
        Rule::GivenSurname | Rule::LooseNamePair => name,
        Rule::BirthDate => f.dob.is_some(),
        Rule::SurnamePostcode => {
            (f.surname.is_some() || f.full.is_some())
                && f.postcode.is_some()
                && f.crowded.as_ref().is_none_or(|c| c.contains(&true))
        }
        Rule::Phone => f.phone.is_some(),
        Rule::DocumentNumber => f.doc.is_some(),
        Rule::PostcodeStreetNumber => f.postcode.is_some() && f.street.is_some(),
        Rule::Postcode => f.postcode.is_some(),
        Rule::OrganisationName => f.organisation.is_some(),
        Rule::SharedMember => f.members.is_some(),
    }
}

fn keys_of(rule: Rule, f: &Fields, t: &Table, r: usize, out: &mut Vec<u64>) {
    let tag = rule as u64;
    let given = names(t, f.given, r);
    let surname = names(t, f.surname, r);
    let full = names(t, f.full, r);
    let all = || given.into_iter().chain(surname).chain(full);
    let dob = f.dob.and_then(|d| t.date(d, r));
    match rule {
        Rule::NameKeyBirthYear => {
            if let Some(y) = dob.and_then(|d| d.year) {
                // Each name's keys with the initial sound of the other name.
                for (n, other) in [(given, surname), (surname, given), (full, None)] {
                    let initial = other.map_or(0, |o| initial(t, o));
                    for &k in n.iter().flat_map(|n| n.keys.iter()) {
                        out.push(key(&[tag, k as u64, y as u64, initial]));
                    }
                }
            }
        }
        Rule::NameKeyBirthDay => {
            // A 1 January placeholder is read as a year alone, so it has no day here.
            if let (Some(m), Some(d)) = (dob.and_then(|d| d.month), dob.and_then(|d| d.day)) {
                let day = u64::from(m) * 32 + u64::from(d);
                for (n, other) in [(given, surname), (surname, given), (full, None)] {
                    let initial = other.map_or(0, |o| initial(t, o));
                    for &k in n.iter().flat_map(|n| n.keys.iter()) {
                        out.push(key(&[tag, k as u64, day, initial]));
                    }
                }
            }
        }
        Rule::SurnamePostcode => {
            if let Some(p) = text(t, f.postcode, r)
                && f.crowded.as_ref().is_none_or(|c| c[r])
            {
                for n in surname.into_iter().chain(full) {
                    for &k in n.keys.iter() {
                        out.push(key(&[tag, k as u64, p]));
                    }
                }
            }
        }
        Rule::GivenSurnameInitialBirthMonth => {
            if let (Some(m), Some(y)) = (dob.and_then(|d| d.month), dob.and_then(|d| d.year)) {
                let decade = y as u64 / 10;
                for g in given.into_iter().chain(full) {
                    for s in surname.into_iter().chain(full) {
                        let Some(initial) = s.folded.bytes().next() else { continue };
                        for &k in g.keys.iter() {
                            out.push(key(&[tag, k as u64, initial as u64, m as u64, decade]));
                        }
                    }
                }
            }
        }
        Rule::GivenSurname | Rule::LooseNamePair => {
            let mut tokens: Vec<u32> = Vec::new();
            for n in all() {
                tokens.extend(if rule == Rule::GivenSurname { &n.keys } else { &n.loose }.iter());
            }
            tokens.sort_unstable();
            tokens.dedup();
            for (i, &x) in tokens.iter().enumerate() {
                for &y in &tokens[i + 1..] {
                    out.push(key(&[tag, x as u64, y as u64]));
                }
            }
        }
        Rule::BirthDate => {
            if let Some(d) = dob.filter(|d| d.is_full()) {
                let date =
                    key(&[tag, d.year.unwrap_or(0) as u64, d.month.unwrap_or(0) as u64, d.day.unwrap_or(0) as u64]);
                // With the initial sound of either name, so a crowd born on
                // one day is not compared pair by pair.
                with_initials(date, t, all(), out);
            }
        }
        Rule::Phone => out.extend(text(t, f.phone, r).map(|p| key(&[tag, p]))),
        Rule::DocumentNumber => out.extend(text(t, f.doc, r).map(|p| key(&[tag, p]))),
        Rule::PostcodeStreetNumber => {
            if let (Some(p), Some(s)) = (text(t, f.postcode, r), text(t, f.street, r)) {
                out.push(key(&[tag, p, s]));
            }
        }
        Rule::Postcode => {
            if let Some(p) = text(t, f.postcode, r) {
                with_initials(key(&[tag, p]), t, all(), out);
            }
        }
        Rule::OrganisationName => {
            for name in f.organisation.and_then(|o| t.organisation(o, r)).into_iter().flatten() {
                if name.keys.is_empty() {
                    // FNV-1a of the folded name: equal names meet.
                    let h = name
                        .folded
                        .bytes()
                        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
                    out.push(key(&[tag, 0, h]));
                }
                out.extend(name.keys.iter().map(|&k| key(&[tag, 1, u64::from(k)])));
            }
        }
        Rule::SharedMember => {
            for &m in f.members.and_then(|c| t.set(c, r)).into_iter().flatten() {
                out.push(key(&[tag, u64::from(m)]));
            }
        }
    }
}

/// One pair in this many of the blocks sampled for training
/// ([`Rule::training_limit`]) is drawn; each stands for as many.
pub const TRAINING_SAMPLE: u32 = 8;

/// What blocking found: the pairs to compare and score, and a sample of
/// pairs that only training reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Blocked {
    /// Candidate pairs `(a, b)` with `a < b`, sorted and deduplicated.
    pub candidates: Vec<(u32, u32)>,
    /// Pairs from blocks too large to score, one in [`TRAINING_SAMPLE`]
    /// drawn by a hash of the pair, sorted, none of them a candidate.
    pub training: Vec<(u32, u32)>,
}

/// Candidate pairs `(a, b)` with `a < b`, sorted and deduplicated.
///
/// Records are numbered `0..table.len`. With `split = Some(n)` the run is a
/// link between two files: records `0..n` are the left file, the rest the
/// right file, and only pairs across the split are produced.
pub fn candidate_pairs(
    schema: &Schema,
    table: &Table,
    rules: &[Rule],
    max_block: usize,
    split: Option<usize>,
) -> Vec<(u32, u32)> {
    block(schema, table, rules, max_block, split).candidates
}

/// The candidate pairs ([`candidate_pairs`]) and the training sample.
pub fn block(schema: &Schema, table: &Table, rules: &[Rule], max_block: usize, split: Option<usize>) -> Blocked {
    block_on(schema, table, rules, max_block, split, crate::worker_threads(table.len))
}

/// [`block`] with the rules shared among `threads` threads.
fn block_on(
    schema: &Schema,
    table: &Table,
    rules: &[Rule],
    max_block: usize,
    split: Option<usize>,
    threads: usize,
) -> Blocked {
    let postcode = schema.first(Role::Postcode);
    // Only `surname_postcode` beside `postcode` asks which postcodes are crowded.
    let both = rules.contains(&Rule::Postcode) && rules.contains(&Rule::SurnamePostcode);
    let f = Fields {
        given: schema.first(Role::GivenName),
        surname: schema.first(Role::Surname),
        full: schema.first(Role::FullName),
        dob: schema.first(Role::BirthDate),
        phone: schema.first(Role::Phone),
        postcode,
        doc: schema.first(Role::DocumentNumber),
        street: schema.first(Role::StreetNumber),
        organisation: schema.first(Role::OrganisationName),
        members: schema.first(Role::Members),
        crowded: both.then(|| crowded_postcodes(table, postcode, max_block)),
    };
    let dated: Vec<bool> =
        (0..table.len).map(|r| f.dob.and_then(|d| table.date(d, r)).is_some_and(|d| d.is_full())).collect();
    let (f, dated) = (&f, &dated);
    let rules: Vec<Rule> = rules.iter().copied().filter(|&rule| can_key(rule, f)).collect();
    let rules = &rules[..];
    let threads = threads.min(rules.len()).max(1);
    let (packed, sampled) = if threads < 2 {
        rule_pairs(rules, f, table, dated, max_block, split)
    } else {
        // Each thread takes every `threads`-th rule; their sorted pair lists
        // are merged.
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let mine: Vec<Rule> = rules.iter().copied().skip(t).step_by(threads).collect();
                    scope.spawn(move || rule_pairs(&mine, f, table, dated, max_block, split))
                })
                .collect();
            let lists = handles.into_iter().map(crate::joined);
            lists.reduce(|(x, sx), (y, sy)| (merge_sorted(&x, &y), merge_sorted(&sx, &sy))).unwrap_or_default()
        })
    };
    let unpack = |p: u64| ((p >> 32) as u32, p as u32);
    // A sampled pair another rule made a candidate is scored, and so trained on, already.
    let training = sampled.into_iter().filter(|p| packed.binary_search(p).is_err()).map(unpack).collect();
    Blocked { candidates: packed.into_iter().map(unpack).collect(), training }
}

/// Per record, whether its postcode is held by more records than
/// [`Rule::Postcode`] puts in one block.
fn crowded_postcodes(table: &Table, postcode: Option<usize>, max_block: usize) -> Vec<bool> {
    let ids: Vec<Option<u64>> = (0..table.len).map(|r| text(table, postcode, r)).collect();
    let mut count = vec![0usize; ids.iter().flatten().max().map_or(0, |&m| m as usize + 1)];
    for &id in ids.iter().flatten() {
        count[id as usize] += 1;
    }
    let limit = Rule::Postcode.block_limit(max_block);
    ids.iter().map(|id| id.is_some_and(|id| count[id as usize] > limit)).collect()
}

/// The candidate pairs of `rules` and their training sample ([`Blocked`]),
/// packed `a << 32 | b`, each sorted and deduplicated.
fn rule_pairs(
    rules: &[Rule],
    f: &Fields,
    table: &Table,
    dated: &[bool],
    max_block: usize,
    split: Option<usize>,
) -> (Vec<u64>, Vec<u64>) {
    let mut packed: Vec<u64> = Vec::new();
    let mut sampled: Vec<u64> = Vec::new();
    let mut keys = Vec::new();
    // Each entry is a key and a record in one integer, the record in the low
    // `bits` bits and the key's low bits above, so that sorting compares
    // integers. Keys are well-mixed hashes: two keys alike in those bits
    // (about once in 2^46 pairs of keys for 200,000 records) only put two
    // blocks together.
    let bits = (usize::BITS - table.len.saturating_sub(1).max(1).leading_zeros()).min(32);
    let record = |e: u64| (e & ((1u64 << bits) - 1)) as u32;
    let mut entries: Vec<u64> = Vec::new();
    for &rule in rules {
        entries.clear();
        for r in 0..table.len {
            keys.clear();
            keys_of(rule, f, table, r, &mut keys);
            entries.extend(keys.iter().map(|&k| (k << bits) | r as u64));
        }
        // Sorted, a record's repeated keys side by side and dropped.
        entries.sort_unstable();
        entries.dedup();
        let limit = rule.block_limit(max_block);
        let training_limit = rule.training_limit(max_block);
        let undated_only = rule.undated_only() && f.dob.is_some();
        for block in entries.chunk_by(|x, y| x >> bits == y >> bits) {
            if block.len() < 2 {
                continue;
            }
            let undated = if undated_only { block.iter().filter(|&&e| !dated[record(e) as usize]).count() } else { 0 };
            // The block's size is judged by the pairs it would make.
            let size = if undated_only { undated * block.len() } else { block.len() * block.len() };
            if size > limit.max(training_limit).pow(2) || (undated_only && undated == 0) {
                continue;
            }
            let for_training = size > limit * limit;
            for (x, &a) in block.iter().enumerate() {
                let a = record(a);
                for &b in &block[x + 1..] {
                    let b = record(b);
                    if undated_only && dated[a as usize] && dated[b as usize] {
                        continue;
                    }
                    // Members are sorted, so a < b.
                    if let Some(n) = split
                        && ((a as usize) < n) == ((b as usize) < n)
                    {
                        continue;
                    }
                    let pair = ((a as u64) << 32) | b as u64;
                    if !for_training {
                        packed.push(pair);
                    } else if mix(0x7a11, pair).is_multiple_of(u64::from(TRAINING_SAMPLE)) {
                        sampled.push(pair);
                    }
                }
            }
        }
        // Keep memory to the distinct pairs found so far.
        if packed.len() > 1 << 24 {
            packed.sort_unstable();
            packed.dedup();
        }
    }
    for list in [&mut packed, &mut sampled] {
        list.sort_unstable();
        list.dedup();
    }
    (packed, sampled)
}

/// The union of two sorted, deduplicated lists, sorted and deduplicated.
fn merge_sorted(x: &[u64], y: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(x.len() + y.len());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => {
                out.push(x[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(y[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(x[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&x[i..]);
    out.extend_from_slice(&y[j..]);
    out
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
    use crate::record::Record;

    fn table(rows: &[[&str; 3]]) -> (Schema, Table) {
        let schema = Schema::new([("g", Role::GivenName), ("s", Role::Surname), ("d", Role::BirthDate)]);
        let recs: Vec<Record> = rows.iter().enumerate().map(|(i, r)| Record::new(i.to_string(), r)).collect();
        let t = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        (schema, t)
    }

    proptest::proptest! {
        #[test]
        fn merging_sorted_lists_is_their_sorted_union(
            mut x in proptest::collection::vec(0u64..50, 0..30),
            mut y in proptest::collection::vec(0u64..50, 0..30),
        ) {
            for v in [&mut x, &mut y] {
                v.sort_unstable();
                v.dedup();
            }
            let mut union: Vec<u64> = x.iter().chain(&y).copied().collect();
            union.sort_unstable();
            union.dedup();
            proptest::prop_assert_eq!(merge_sorted(&x, &y), union);
        }
    }

    #[test]
    fn rules_shared_among_threads_give_the_same_pairs() {
        let rows: Vec<[String; 3]> = (0..400)
            .map(|i| {
                [
                    ["Mohamed", "Muhammad", "Ali", "Omar"][i % 4].to_string(),
                    ["Abd al-Rahman", "Abdelrahman", "Haddad", "Nguyen", "Smith"][i % 5].to_string(),
                    format!("19{:02}-0{}-1{}", 50 + i % 13, 1 + i % 9, i % 10),
                ]
            })
            .collect();
        let rows: Vec<[&str; 3]> = rows.iter().map(|r| [r[0].as_str(), r[1].as_str(), r[2].as_str()]).collect();
        let (schema, t) = table(&rows);
        let one = block_on(&schema, &t, &Rule::defaults(), 100, None, 1);
        assert!(one.candidates.len() > 500, "{}", one.candidates.len());
        for threads in [2, 3, 5] {
            assert_eq!(block_on(&schema, &t, &Rule::defaults(), 100, None, threads), one);
        }
        let linked = block_on(&schema, &t, &Rule::defaults(), 100, Some(150), 1);
        assert_eq!(block_on(&schema, &t, &Rule::defaults(), 100, Some(150), 2), linked);
    }

    #[test]
    fn blocks_variants_together_and_dedupes() {
        let (schema, t) = table(&[
            ["Mohamed", "Abdelrahman", "1991-03-07"],
            ["Muhammad", "Abd al-Rahman", "07/03/1991"],
            ["John", "Smith", "1950-01-02"],
            ["Smith", "John", ""],
        ]);
        let pairs = candidate_pairs(&schema, &t, &Rule::defaults(), 100, None);
        assert_eq!(pairs, vec![(0, 1), (2, 3)]);
        assert_eq!(blocking_recall(&pairs, &[(1, 0)]), 1.0);
        assert_eq!(blocking_recall(&pairs, &[(1, 2)]), 0.0);
    }

    #[test]
    fn a_year_mistyped_across_a_decade_still_meets_on_the_day_of_birth() {
        let (schema, t) = table(&[
            ["Alice", "Storey", "2000-06-23"],
            ["ALICE", "STOREY", "1998-06-23"],
            ["Alice", "Storey", "1998-06-24"],
            ["Alice", "Storey", "1998-01-01"],
            ["Alice", "Storey", "2000-01-01"],
        ]);
        // Only the day rule brings 0 and 1 together: other years, other decades.
        let without: Vec<Rule> = Rule::defaults().into_iter().filter(|&r| r != Rule::NameKeyBirthDay).collect();
        assert!(!candidate_pairs(&schema, &t, &without, 100, None).contains(&(0, 1)));
        assert_eq!(candidate_pairs(&schema, &t, &[Rule::NameKeyBirthDay], 100, None), vec![(0, 1)]);
        // A 1 January placeholder has no day to meet on.
        assert!(!candidate_pairs(&schema, &t, &[Rule::NameKeyBirthDay], 100, None).contains(&(3, 4)));
    }

    #[test]
    fn link_only_crosses_split() {
        let (schema, t) =
            table(&[["ann", "lee", "1990-01-02"], ["ann", "lee", "1990-01-02"], ["ann", "lee", "1990-01-02"]]);
        let pairs = candidate_pairs(&schema, &t, &Rule::defaults(), 100, Some(2));
        assert_eq!(pairs, vec![(0, 2), (1, 2)]);
    }

    #[test]
    fn oversized_blocks_are_skipped() {
        let rows: Vec<[&str; 3]> = (0..10).map(|_| ["ann", "lee", ""]).collect();
        let (schema, t) = table(&rows);
        assert!(candidate_pairs(&schema, &t, &[Rule::GivenSurname], 5, None).is_empty());
        assert_eq!(candidate_pairs(&schema, &t, &[Rule::GivenSurname], 10, None).len(), 45);
    }

    #[test]
    fn surname_and_postcode_pairs_only_where_the_postcode_block_is_too_big() {
        let schema = Schema::new([("s", Role::Surname), ("p", Role::Postcode)]);
        // Six at a hostel's postcode (more than a block of 4 holds), three at a house's.
        let rows = [
            ("Haddad", "H1 1AA"),
            ("Hadad", "H1 1AA"),
            ("Nguyen", "H1 1AA"),
            ("Omar", "H1 1AA"),
            ("Smith", "H1 1AA"),
            ("Nguyen", "H1 1AA"),
            ("Lee", "B2 2BB"),
            ("Li", "B2 2BB"),
            ("Lee", "B2 2BB"),
        ];
        let recs: Vec<Record> = rows.iter().enumerate().map(|(i, (s, p))| Record::new(i.to_string(), [s, p])).collect();
        let t = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        let alone = |rule| candidate_pairs(&schema, &t, &[rule], 4, None);
        let mut union = alone(Rule::Postcode);
        union.extend(alone(Rule::SurnamePostcode));
        union.sort_unstable();
        union.dedup();
        // The crowded postcode meets by surname only; the house's postcode in full.
        assert_eq!(union, vec![(0, 1), (2, 5), (6, 7), (6, 8), (7, 8)]);
        assert_eq!(candidate_pairs(&schema, &t, &[Rule::Postcode, Rule::SurnamePostcode], 4, None), union);
        assert_eq!(block_on(&schema, &t, &[Rule::SurnamePostcode, Rule::Postcode], 4, None, 2).candidates, union);
    }

    #[test]
    fn large_blocks_of_undated_namesakes_are_sampled_for_training_not_scored() {
        // 60 undated spellings of one common name (one block of 1,770 pairs),
        // and a rare name held by three undated records (one small block).
        let mut rows: Vec<[String; 3]> = (0..60)
            .map(|i| [["Mohamed", "Mohammed", "Muhamad"][i % 3].to_string(), "Ahmed".to_string(), String::new()])
            .collect();
        for _ in 0..3 {
            rows.push(["Tesfalem".into(), "Gebremariam".into(), String::new()]);
        }
        let rows: Vec<[&str; 3]> = rows.iter().map(|r| [r[0].as_str(), r[1].as_str(), r[2].as_str()]).collect();
        let (schema, t) = table(&rows);
        let blocked = block(&schema, &t, &[Rule::LooseNamePair], 500, None);
        assert_eq!(blocked.candidates, vec![(60, 61), (60, 62), (61, 62)], "only the small block is scored");
        let sampled = blocked.training.len() as f64;
        let expected = 1770.0 / f64::from(TRAINING_SAMPLE);
        assert!((sampled - expected).abs() < expected * 0.3, "{sampled} pairs sampled of 1770");
        assert!(blocked.training.iter().all(|&(a, b)| a < b && b < 60));
        assert!(blocked.training.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        // A sampled pair that another rule makes a candidate is only scored.
        let both = block(&schema, &t, &[Rule::LooseNamePair, Rule::GivenSurname], 500, None);
        assert!(both.training.is_empty(), "{:?}", both.training);
    }

    #[test]
    fn neighbours_meet_on_the_postcode_only_with_a_name_sound_in_common() {
        let schema = Schema::new([("g", Role::GivenName), ("s", Role::Surname), ("p", Role::Postcode)]);
        let rows = [
            ["Omar", "Haddad", "H1 1AA"],
            ["Zaid", "Nguyen", "H1 1AA"],
            ["Nguyen", "Umar", "H1 1AA"],
            ["", "", "H1 1AA"],
            ["", "", "H1 1AA"],
        ];
        let recs: Vec<Record> = rows.iter().enumerate().map(|(i, r)| Record::new(i.to_string(), r)).collect();
        let t = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        // Omar/Umar and Nguyen, in either name field; nameless records only with each other.
        assert_eq!(candidate_pairs(&schema, &t, &[Rule::Postcode], 100, None), vec![(0, 2), (1, 2), (3, 4)]);
    }

    #[test]
    fn organisations_block_on_distinctive_words_and_members() {
        let schema = Schema::new([("n", Role::OrganisationName), ("m", Role::Members)]);
        let recs: Vec<Record> = [
            ["Zawiya network", ""],
            ["the Zawiya brothers", ""],
            ["Aegean network", "c1"],
            ["Izmir crossing ring", "c1 | c2"],
            ["the network", ""],
            ["The Network", ""],
        ]
        .iter()
        .enumerate()
        .map(|(i, f)| Record::new(i.to_string(), f))
        .collect();
        let t = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        let pairs = candidate_pairs(&schema, &t, &Rule::defaults(), 100, None);
        // "network" alone brings no one together; a common member does.
        assert_eq!(pairs, vec![(0, 1), (2, 3), (4, 5)]);
    }
}
