//! Tessera's entity-resolution engine: finds the records, across agencies
//! and spellings, that describe the same person (or organisation, vessel,
//! vehicle).
//!
//! A library over plain records (DESIGN.md, "Engines are libraries over
//! plain data"): it knows nothing of the store or the server. The pipeline
//! is [`normalise`] (into a [`table`]) → [`blocking`] → [`compare`] → [`fellegi_sunter`]
//! (trained without labels) → [`cluster`] (checked cluster by cluster), and
//! [`evaluate`] measures the result against a truth file.

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod decisions;
mod error;
pub mod evaluate;
pub mod fellegi_sunter;
pub mod fixed;
pub mod normalise;
pub mod organisation;
pub mod record;
pub mod table;

pub use blocking::{Rule, blocking_recall};
pub use cluster::{ClusterConfig, Constraints};
pub use compare::{Comparer, NameMemo};
pub use decisions::{parse_decisions, read_decisions};
pub use error::ResolveError;
pub use fellegi_sunter::{Model, PatternCounts, Scorer, TrainConfig};
pub use record::{Record, Role, Schema, read_csv};
pub use table::Table;

/// Receives a run's progress, so a long run can show a bar. Every step is
/// announced with [`Progress::step`] before its work begins; steps with a
/// known amount of work then report it in [`Progress::advance`] calls.
pub trait Progress {
    /// A new step begins: its name and the units of work it has (0 when
    /// unknown).
    fn step(&mut self, name: &str, total: u64);
    /// `done` more units of the current step are finished.
    fn advance(&mut self, done: u64);
}

/// Progress that goes nowhere, for callers who do not show any.
pub struct Silent;

impl Progress for Silent {
    fn step(&mut self, _: &str, _: u64) {}
    fn advance(&mut self, _: u64) {}
}

/// What an analyst ruled about two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Verdict {
    /// The same entity: the records are always clustered together.
    Same,
    /// Different entities: the records are never put in one cluster, whatever
    /// links the other records make between them.
    Different,
}

/// An analyst's decision on a pair of records, by record id, which every
/// run obeys. A split of a cluster is recorded as `Different` rulings
/// between its parts; when rulings conflict, `Different` wins.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Ruling {
    /// Id of one record.
    pub left: String,
    /// Id of the other record.
    pub right: String,
    /// The decision.
    pub verdict: Verdict,
}

/// Everything a run needs besides the records.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Config {
    /// Field names and roles, matching `Record::fields`.
    pub schema: Schema,
    /// Blocking rules.
    pub rules: Vec<Rule>,
    /// Blocks larger than this are skipped (the key is too common).
    pub max_block: usize,
    /// Model training.
    pub train: TrainConfig,
    /// Match probability from which a pair is a match.
    pub threshold: f64,
    /// Cluster check (its `threshold` is set from `threshold`).
    pub cluster: ClusterConfig,
    /// Analysts' decisions; rulings naming records not in the run are ignored.
    #[serde(default)]
    pub rulings: Vec<Ruling>,
    /// When set below `threshold`, pairs from this probability up are returned as well (for a
    /// review queue: possible matches an analyst should see), though they do not join clusters.
    #[serde(default)]
    pub review_floor: Option<f64>,
}

impl Config {
    /// A configuration with default rules and tuning for `schema`.
    pub fn new(schema: Schema) -> Self {
        Config {
            schema,
            rules: Rule::defaults(),
            max_block: 500,
            train: TrainConfig::default(),
            threshold: 0.5,
            cluster: ClusterConfig::default(),
            rulings: Vec::new(),
            review_floor: None,
        }
    }
}

/// A pair judged to be a match.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ScoredPair {
    /// Index of the first record (in the left file for a link).
    pub left: u32,
    /// Index of the second record (in the right file for a link).
    pub right: u32,
    /// Match weight: sum of `log2(m/u)` over the fields.
    pub weight: f64,
    /// Match probability, prior included.
    pub probability: f64,
    /// The comparison the weight came from, so that explaining the pair
    /// does not compare the two records again (`None` when made elsewhere).
    #[serde(skip)]
    comparison: Option<(compare::Pattern, bool)>,
}

impl ScoredPair {
    /// A pair scored outside a run (its explanation compares the records).
    pub fn new(left: u32, right: u32, weight: f64, probability: f64) -> Self {
        ScoredPair { left, right, weight, probability, comparison: None }
    }
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// Pairs at or above the threshold (or the review floor, when one is set), highest weight first;
    /// each pair's `probability` says which side of the threshold it is on.
    pub pairs: Vec<ScoredPair>,
    /// Clusters of record indices, every record in one. For a link the
    /// left file is `0..left.len()` and the right file follows it.
    pub clusters: Vec<Vec<u32>>,
    /// Candidate pairs blocking produced (combined indices, `a < b`).
    pub candidates: Vec<(u32, u32)>,
    /// The trained model.
    pub model: Model,
    /// The normalised records (combined indices), for explanations.
    pub table: Table,
    /// Where the right file starts, for a link.
    pub split: Option<usize>,
}

impl Resolution {
    /// Evidence behind a pair's score, field by field (see
    /// [`Scorer::explain`]); empty if the pair's indices are out of range.
    /// It sets up an [`Explainer`] each time: for many pairs use one explainer.
    pub fn explain(&self, schema: &Schema, pair: &ScoredPair) -> Vec<(String, String, f64)> {
        self.explainer(schema).explain(pair)
    }

    /// An explainer for many pairs of this run (the comparer and the model's
    /// evidence set up once).
    pub fn explainer(&self, schema: &Schema) -> Explainer<'_> {
        Explainer { resolution: self, comparer: Comparer::new(schema, &self.table), scorer: self.model.scorer() }
    }
}

/// Explains the pairs of one [`Resolution`] ([`Resolution::explainer`]).
pub struct Explainer<'r> {
    resolution: &'r Resolution,
    comparer: Comparer<'r>,
    scorer: Scorer<'r>,
}

impl Explainer<'_> {
    /// Asks for what explaining `pairs[i + VALUES_AHEAD]` will read (the
    /// two records' values, and their ids in the table twice as far ahead),
    /// for a loop explaining many pairs in an order of their own (by weight):
    /// each pair's records are far apart in memory.
    pub fn prefetch_ahead(&self, pairs: &[ScoredPair], i: usize) {
        let table = &self.resolution.table;
        let offset = self.resolution.split.unwrap_or(0);
        let records = |k: usize| {
            let p = pairs.get(k)?;
            Some((p.left as usize, p.right as usize + offset)).filter(|&(_, b)| b < table.len)
        };
        prefetch_records_ahead(table, i, true, records);
    }

    /// [`Resolution::explain`].
    pub fn explain(&self, pair: &ScoredPair) -> Vec<(String, String, f64)> {
        let mut out = Vec::new();
        self.evidence(pair, |field, label, bits| out.push((field.to_string(), label.concat(), bits)));
        out
    }

    /// [`Explainer::explain`] in brief, for files of many pairs: written
    /// into `out` as `field: level ±bits` pieces joined by `; ` (nothing for
    /// a pair out of range). The prior is left out, being the same for every
    /// pair of a run ([`Resolution::model`] has it; the weight leaves it out
    /// too, so the pieces add up to the weight), and each level is named in
    /// brief ([`compare::brief_level_name`]).
    pub fn write_evidence(&self, pair: &ScoredPair, out: &mut String) {
        let mut pieces = 0;
        self.evidence(pair, |field, label, bits| {
            pieces += 1;
            if pieces == 1 {
                return; // the prior comes first
            }
            if pieces > 2 {
                out.push_str("; ");
            }
            out.push_str(field);
            out.push_str(": ");
            if let Some((level, rest)) = label.split_first() {
                out.push_str(compare::brief_level_name(level));
                rest.iter().for_each(|part| out.push_str(part));
            }
            out.push(' ');
            fixed::push_fixed(out, bits, 1, true);
        });
    }

    /// The pair's evidence handed to `each` ([`Scorer::evidence_of`]), from the
    /// comparison kept with the pair when it has one; nothing for a pair out of range.
    fn evidence(&self, pair: &ScoredPair, each: impl FnMut(&str, &[&str], f64)) {
        let table = &self.resolution.table;
        let (a, b) = (pair.left as usize, pair.right as usize + self.resolution.split.unwrap_or(0));
        if a >= table.len || b >= table.len {
            return;
        }
        let comparison = pair.comparison.unwrap_or_else(|| self.comparer.compare(a, b));
        self.scorer.evidence_of(self.comparer.kinds(), table, a, b, comparison, each);
    }
}

fn check(config: &Config, sets: &[&[Record]]) -> Result<(), ResolveError> {
    if !(config.threshold > 0.0 && config.threshold < 1.0) {
        return Err(ResolveError::Config(format!("threshold {} is not a probability in (0, 1)", config.threshold)));
    }
    if let Some(floor) = config.review_floor
        && !(floor > 0.0 && floor < 1.0)
    {
        return Err(ResolveError::Config(format!("review floor {floor} is not a probability in (0, 1)")));
    }
    if config.max_block < 2 {
        return Err(ResolveError::Config(format!(
            "max block {}: a block needs at least 2 records to hold a pair",
            config.max_block
        )));
    }
    if config.schema.len() > compare::MAX_FIELDS {
        return Err(ResolveError::Config(format!(
            "{} fields: at most {} can be compared",
            config.schema.len(),
            compare::MAX_FIELDS
        )));
    }
    for records in sets {
        if let Some(r) = records.iter().find(|r| r.field_count() != config.schema.len()) {
            return Err(ResolveError::Config(format!(
                "record {:?} has {} fields, the schema {}",
                r.id,
                r.field_count(),
                config.schema.len()
            )));
        }
    }
    if records_total(sets) >= u32::MAX as usize {
        return Err(ResolveError::Config("too many records".into()));
    }
    Ok(())
}

fn records_total(sets: &[&[Record]]) -> usize {
    sets.iter().map(|s| s.len()).sum()
}

/// The result of a scoped worker. A worker that panicked is a bug: its panic is passed on
/// rather than a short or partial result returned.
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// Threads worth starting for `items` pieces of work: one below 10,000
/// (starting threads costs more than it saves), else the machine's cores.
/// The table build, the blocking and the per-pair steps all follow it.
pub(crate) fn worker_threads(items: usize) -> usize {
    if items < 10_000 { 1 } else { std::thread::available_parallelism().map_or(1, |n| n.get()) }
}

/// Runs `work` on every index below `len`, split over the machine's cores,
/// and returns the results in index order. Each thread writes its share of
/// one output in place (`fill` first), so the output is allocated once.
fn parallel_map<R: Send + Copy>(len: usize, fill: R, work: impl Fn(usize) -> R + Sync) -> Vec<R> {
    parallel_map_with(len, fill, || (), |_, i| work(i))
}

/// [`parallel_map`] with state of each thread's own, made by `init` (a
/// cache, say) and handed to `work` with each index.
fn parallel_map_with<R: Send + Copy, S>(
    len: usize,
    fill: R,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> R + Sync,
) -> Vec<R> {
    let mut out = vec![fill; len];
    let threads = worker_threads(len).min(16);
    if threads < 2 {
        let mut state = init();
        out.iter_mut().enumerate().for_each(|(i, slot)| *slot = work(&mut state, i));
        return out;
    }
    let chunk = len.div_ceil(threads);
    std::thread::scope(|scope| {
        let (init, work) = (&init, &work);
        for (k, part) in out.chunks_mut(chunk).enumerate() {
            scope.spawn(move || {
                let mut state = init();
                part.iter_mut().enumerate().for_each(|(j, slot)| *slot = work(&mut state, k * chunk + j))
            });
        }
    });
    out
}

/// A candidate pair's comparison, and its second record's frequency slots
/// for scoring ([`Comparer::second_slots`]).
#[derive(Clone, Copy)]
struct Compared {
    pattern: compare::Pattern,
    slots: compare::Slots,
    swapped: bool,
}

impl Default for Compared {
    fn default() -> Self {
        Compared { pattern: compare::Pattern(0), slots: [table::NONE; compare::SLOTTED], swapped: false }
    }
}

/// How many pairs ahead a loop comparing pairs asks for the values of a
/// pair's records (and twice as far for their ids).
pub const VALUES_AHEAD: usize = 8;

/// Asks the processor to bring `value` into its caches: a hint, for loops
/// that will read records far apart in memory (what the engine's own loops
/// do, for callers writing its results in an order of their own).
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    mem_prefetch::prefetch_read_data::<T, 3>(value);
}

/// Asks for what comparing `pairs[i + VALUES_AHEAD]` will read, and for the
/// ids of the pair twice as far ahead: a comparison waits mostly on loads of
/// records far apart in memory, and asking ahead overlaps those waits.
/// `both`: the first records too (candidates come sorted by their first
/// record, so there only the second is far; random pairs need both).
pub(crate) fn prefetch_ahead(table: &Table, pairs: &[(u32, u32)], i: usize, both: bool) {
    prefetch_records_ahead(table, i, both, |k| pairs.get(k).map(|&(a, b)| (a as usize, b as usize)));
}

/// [`prefetch_ahead`] over pairs of record numbers that `pair(k)` gives for
/// the `k`-th pair of a loop.
fn prefetch_records_ahead(table: &Table, i: usize, both: bool, pair: impl Fn(usize) -> Option<(usize, usize)>) {
    if let Some((a, b)) = pair(i + 2 * VALUES_AHEAD) {
        if both {
            table.prefetch_row(a);
        }
        table.prefetch_row(b);
    }
    if let Some((a, b)) = pair(i + VALUES_AHEAD) {
        if both {
            table.prefetch_values(a);
        }
        table.prefetch_values(b);
    }
}

fn run(config: &Config, all: Vec<&Record>, split: Option<usize>, progress: &mut dyn Progress) -> Resolution {
    let schema = &config.schema;
    progress.step("normalising", all.len() as u64);
    let table = Table::build(schema, &all);
    progress.advance(all.len() as u64);
    progress.step("blocking", 0);
    let blocking::Blocked { candidates, training } =
        blocking::block(schema, &table, &config.rules, config.max_block, split);
    progress.step("comparing", (candidates.len() + training.len()) as u64);
    let comparer = Comparer::new(schema, &table);
    // Candidates come sorted by their first record; the second is anywhere
    // in the table, so its ids and values are asked for a few pairs ahead.
    // With each comparison, where scoring will find the second record's name
    // frequencies, read while that record is in the cache.
    // Each thread remembers the levels of the names it compared: pairs of
    // names recur from candidate to candidate.
    let compared: Vec<Compared> = parallel_map_with(candidates.len(), Compared::default(), NameMemo::new, |memo, i| {
        prefetch_ahead(&table, &candidates, i, false);
        let b = candidates[i].1 as usize;
        let (pattern, swapped) = comparer.compare_with(candidates[i].0 as usize, b, Some(memo));
        Compared { pattern, swapped, slots: comparer.second_slots(b, (pattern, swapped)) }
    });
    // The pairs sampled for training only: their patterns, nothing else.
    let sampled = parallel_map_with(training.len(), compare::Pattern(0), NameMemo::new, |memo, i| {
        prefetch_ahead(&table, &training, i, false);
        comparer.compare_with(training[i].0 as usize, training[i].1 as usize, Some(memo)).0
    });
    progress.advance((candidates.len() + training.len()) as u64);
    progress.step("training", 0);
    let constraints = constraints(&config.rulings, &all);
    let decided: Vec<(compare::Pattern, bool)> = constraints
        .decisions()
        .into_iter()
        .map(|((a, b), same)| (comparer.compare(a as usize, b as usize).0, same))
        .collect();
    let mut patterns = PatternCounts::tally(compared.iter().map(|c| c.pattern));
    patterns.add_sample(sampled, blocking::TRAINING_SAMPLE);
    let model = Model::train(schema, &table, &patterns, &decided, split, &config.train);
    progress.step("scoring", candidates.len() as u64);
    let offset = split.unwrap_or(0) as u32;
    let scorer = model.scorer().with_patterns(patterns.patterns());
    let weights: Vec<f64> = parallel_map(candidates.len(), 0.0, |i| {
        let (a, b) = candidates[i];
        let c = &compared[i];
        scorer.weight_slotted(&table, a as usize, b as usize, (c.pattern, c.swapped), &c.slots)
    });
    let mut pairs = Vec::new();
    let keep_from = config.review_floor.map_or(config.threshold, |f| f.min(config.threshold));
    // The probability is worked out only near and above the weight that
    // `keep_from` stands for (an exponential per candidate is not free).
    let keep_weight = (keep_from / (1.0 - keep_from)).log2() - model.prior - 1e-6;
    for (i, (&(a, b), &w)) in candidates.iter().zip(&weights).enumerate() {
        if w < keep_weight {
            continue;
        }
        let p = model.probability(w);
        if p >= keep_from {
            let comparison = Some((compared[i].pattern, compared[i].swapped));
            pairs.push(ScoredPair { left: a, right: b - offset, weight: w, probability: p, comparison });
        }
    }
    drop(compared);
    // The clustering links only pairs at or above the threshold: the others
    // are not handed over (it would drop them first).
    let t = (config.threshold / (1.0 - config.threshold)).log2();
    let scored: Vec<(u32, u32, f64)> = candidates
        .iter()
        .zip(&weights)
        .map(|(&(a, b), &w)| (a, b, model.prior + w))
        .filter(|&(_, _, w)| w >= t)
        .collect();
    progress.advance(candidates.len() as u64);
    pairs.sort_by(|x, y| y.weight.total_cmp(&x.weight).then((x.left, x.right).cmp(&(y.left, y.right))));
    progress.step("clustering", 0);
    let cc = ClusterConfig { threshold: t, ..config.cluster.clone() };
    let clusters = cluster::cluster(table.len, &scored, &cc, &constraints, |a, b| {
        model.prior + scorer.weight(&comparer, &table, a as usize, b as usize)
    });
    drop(scorer);
    Resolution { pairs, clusters, candidates, model, table, split }
}

/// The rulings as record-index constraints for the clustering.
fn constraints(rulings: &[Ruling], all: &[&Record]) -> cluster::Constraints {
    let mut out = cluster::Constraints::default();
    if rulings.is_empty() {
        return out;
    }
    let index: std::collections::HashMap<&str, u32> =
        all.iter().enumerate().map(|(i, r)| (r.id.as_str(), i as u32)).collect();
    for ruling in rulings {
        if let (Some(&a), Some(&b)) = (index.get(ruling.left.as_str()), index.get(ruling.right.as_str()))
            && a != b
        {
            match ruling.verdict {
                Verdict::Same => out.same.push((a.min(b), a.max(b))),
                Verdict::Different => {
                    out.different.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    out
}

/// Finds duplicates within one set of records.
pub fn dedupe(records: &[Record], config: &Config) -> Result<Resolution, ResolveError> {
    dedupe_with(records, config, &mut Silent)
}

/// [`dedupe`], reporting progress.
pub fn dedupe_with(
    records: &[Record],
    config: &Config,
    progress: &mut dyn Progress,
) -> Result<Resolution, ResolveError> {
    check(config, &[records])?;
    Ok(run(config, records.iter().collect(), None, progress))
}

/// Links two sets of records: only pairs with one record from each side are
/// considered. Pair indices are per side; clusters use `left` then `right`
/// numbering (right record `j` is `left.len() + j`).
pub fn link(left: &[Record], right: &[Record], config: &Config) -> Result<Resolution, ResolveError> {
    link_with(left, right, config, &mut Silent)
}

/// [`link`], reporting progress.
pub fn link_with(
    left: &[Record],
    right: &[Record],
    config: &Config,
    progress: &mut dyn Progress,
) -> Result<Resolution, ResolveError> {
    check(config, &[left, right])?;
    Ok(run(config, left.iter().chain(right).collect(), Some(left.len()), progress))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, f: &[&str]) -> Record {
        Record::new(id, f)
    }

    #[test]
    fn rejects_bad_config() {
        let schema = Schema::new([("n", Role::FullName)]);
        let mut config = Config::new(schema);
        assert!(dedupe(&[rec("a", &["x", "y"])], &config).is_err());
        config.threshold = 1.0;
        assert!(dedupe(&[rec("a", &["x"])], &config).is_err());
        config.threshold = 0.5;
        config.max_block = 1;
        assert!(dedupe(&[rec("a", &["x"])], &config).is_err());
        config.max_block = 2;
        assert!(dedupe(&[], &config).is_ok());
    }

    #[test]
    fn written_evidence_names_every_field_briefly_and_adds_up_to_the_weight() {
        let schema = Schema::new([
            ("given", Role::GivenName),
            ("family", Role::Surname),
            ("born", Role::BirthDate),
            ("tel", Role::Phone),
        ]);
        // Thirty people, each reported twice (the second time with a name
        // spelt differently and the phone written another way).
        let given = ["Mohamed", "Omar", "Yusuf", "Amina", "Helen", "Samir"];
        let family = ["Abdelrahman", "Haddad", "Tesfaye", "Rahimi", "Hoxha"];
        let mut records = Vec::new();
        for i in 0..30 {
            let (g, f) = (given[i % 6], family[i % 5]);
            let born = format!("19{:02}-{:02}-{:02}", 60 + i, 1 + i % 12, 1 + i % 28);
            records.push(rec(&format!("a{i}"), &[g, f, &born, &format!("07700 9{i:05}")]));
            records.push(rec(&format!("b{i}"), &[g, &format!("{f}e"), &born, &format!("+44 7700 9{i:05}")]));
        }
        let resolution = dedupe(&records, &Config::new(schema.clone())).unwrap();
        let pair = resolution.pairs.iter().find(|p| (p.left, p.right) == (0, 1)).expect("a0 and b0 match");
        let mut evidence = String::new();
        resolution.explainer(&schema).write_evidence(pair, &mut evidence);
        let pieces: Vec<&str> = evidence.split("; ").collect();
        let fields: Vec<&str> = pieces.iter().map(|p| p.split_once(": ").unwrap().0).collect();
        assert_eq!(fields, ["given", "family", "born", "tel"], "{evidence}");
        assert!(!evidence.contains(" ("), "levels named without their definitions: {evidence}");
        let bits: f64 = pieces.iter().map(|p| p.rsplit_once(' ').unwrap().1.parse::<f64>().unwrap()).sum();
        assert!((bits - pair.weight).abs() < 0.05 * pieces.len() as f64, "{evidence} against {}", pair.weight);
        // The full explanation keeps the prior and the definitions.
        let full = resolution.explain(&schema, pair);
        assert_eq!(full[0].0, "prior");
        assert!(full.iter().any(|(_, level, _)| level.contains(" (")), "{full:?}");
    }

    #[test]
    fn rulings_are_obeyed() {
        let schema = Schema::new([("n", Role::FullName), ("d", Role::BirthDate)]);
        let mut records = Vec::new();
        for i in 0..40 {
            let name = format!("person{} family{}", i % 7, i);
            records.push(rec(&format!("r{i}"), &[&name, &format!("19{:02}-0{}-1{}", 50 + i, 1 + i % 9, i % 10)]));
        }
        records.push(rec("a", &["Omar Haddad", "1980-05-06"]));
        records.push(rec("b", &["Omar Haddad", "1980-05-06"]));
        records.push(rec("c", &["Li Chen", "1970-02-03"]));
        records.push(rec("d", &["Anna Novak", "1999-09-09"]));
        let mut config = Config::new(schema);
        let cluster_of = |res: &Resolution, i: usize| res.clusters.iter().position(|c| c.contains(&(i as u32)));
        let res = dedupe(&records, &config).unwrap();
        assert_eq!(cluster_of(&res, 40), cluster_of(&res, 41));
        assert_ne!(cluster_of(&res, 42), cluster_of(&res, 43));
        let ruling = |l: &str, r: &str, verdict| Ruling { left: l.into(), right: r.into(), verdict };
        config.rulings = vec![
            ruling("a", "b", Verdict::Different),
            ruling("c", "d", Verdict::Same),
            ruling("c", "nobody", Verdict::Same),
        ];
        let res = dedupe(&records, &config).unwrap();
        assert_ne!(cluster_of(&res, 40), cluster_of(&res, 41));
        assert_eq!(cluster_of(&res, 42), cluster_of(&res, 43));
    }

    #[test]
    fn organisations_reported_by_several_agencies_resolve_by_name_alias_and_members() {
        let schema =
            Schema::new([("name", Role::OrganisationName), ("country", Role::Nationality), ("members", Role::Members)]);
        // (group, names and aliases, country, members): each group reported by several
        // agencies, under its name or an alias, sometimes with the other names.
        let rows: &[(usize, &str, &str, &str)] = &[
            (0, "Calais van network", "FR", "a1 | a2"),
            (0, "Calais van network | Coquelles van ring", "FR", "a2 | a3"),
            (0, "Calais van network", "", "a4"),
            (0, "Coquelles van ring", "", ""),
            (0, "Calais van network", "FR", ""),
            (1, "Vlore speedboat ring", "AL", "b1"),
            (1, "the Vlore brothers", "AL", "b1 | b2"),
            (1, "Vlore speedboat ring | the Vlore brothers", "", ""),
            (1, "Vlore speedboat ring", "", "b3"),
            (2, "Dunkirk boat crew", "FR", "c1 | c2"),
            (2, "Dunkirk boat crew", "", "c3"),
            (2, "Dunkirk boat crew", "FR", ""),
            (2, "Dunkirk boat crew", "", "c2"),
            (3, "Boulogne boat crew", "FR", "d1"),
            (3, "Boulogne boat crew | the new Boulogne crew", "FR", "d1 | d2"),
            (3, "the new Boulogne crew", "", ""),
            (3, "Boulogne boat crew", "", "d3"),
            (4, "Kabul hawala network", "AF", "e1 | e2"),
            (4, "Kabul hawala network", "AF", ""),
            (4, "Kabul hawala network", "", "e2"),
            (5, "Izmir crossing ring", "TR", "f1"),
            (5, "Izmir crossing ring", "TR", "f2"),
            (5, "Izmir crossing ring", "", ""),
            (6, "Sfax crossing syndicate", "TN", "g1"),
            (6, "Sfax crossing syndicate", "", "g1 | g2"),
            (6, "Sfax crossing syndicate", "TN", ""),
        ];
        let records: Vec<Record> =
            rows.iter().enumerate().map(|(i, (_, n, c, m))| rec(&format!("r{i}"), &[n, c, m])).collect();
        let res = dedupe(&records, &Config::new(schema.clone())).unwrap();
        let cluster_of = |i: usize| res.clusters.iter().position(|c| c.contains(&(i as u32)));
        for (i, (g, ..)) in rows.iter().enumerate() {
            for (j, (h, ..)) in rows.iter().enumerate().skip(i + 1) {
                assert_eq!(g == h, cluster_of(i) == cluster_of(j), "{:?} and {:?}", rows[i], rows[j]);
            }
        }
        // Repeated names are evidence, not common values: an exact name weighs much.
        let name = &res.model.fields[0];
        assert!(name.weight(4) > 5.0, "{name:?}");
        assert!(res.model.prior > -6.0 && res.model.prior < -1.0, "prior {}", res.model.prior);
        // The evidence names every field, the level in words, and the bits.
        let why = res.explain(&schema, &res.pairs[0]);
        assert_eq!(why.iter().map(|w| w.0.as_str()).collect::<Vec<_>>(), ["prior", "name", "country", "members"]);
        assert!(why[1].1.starts_with("exact"), "{why:?}");
        // Explaining from the run's own comparison says what comparing again says.
        let explainer = res.explainer(&schema);
        for pair in &res.pairs {
            let fresh = ScoredPair::new(pair.left, pair.right, pair.weight, pair.probability);
            assert!(pair.comparison.is_some());
            assert_eq!(explainer.explain(pair), explainer.explain(&fresh));
            let (mut kept, mut again) = (String::new(), String::new());
            explainer.write_evidence(pair, &mut kept);
            explainer.write_evidence(&fresh, &mut again);
            assert_eq!(kept, again);
        }
    }
}
