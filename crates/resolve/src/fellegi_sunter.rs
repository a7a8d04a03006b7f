//! The Fellegi–Sunter model: for each field and agreement level, `m` is the
//! chance of that level among true matches and `u` among non-matches; the
//! evidence a level gives is `log2(m / u)` bits.
//!
//! Training needs no labels:
//! * `u` comes from random pairs, which are almost all non-matches (all
//!   pairs when there are few enough); once the prior is known, the matches
//!   among them are taken out of the identifying fields' `u`
//!   ([`without_matches`]);
//! * `m` comes from expectation maximisation in sessions, as Splink
//!   recommends: among candidate pairs with the same full date of birth, the
//!   names and contact fields are free to show how matches differ from
//!   non-matches; among pairs whose names agree, the date of birth and the
//!   rest are. A field's `m` comes from the sessions that did not fix it.
//!   Fixing one strong field first keeps EM from mistaking "same household"
//!   (shared phone, address, surname) for "same person";
//! * the prior is the chance that two records drawn at random match: the
//!   share of candidates EM finds matching, times the candidates, over all
//!   pairs. Blocking chose the candidates because they agree on something,
//!   and that agreement must not be counted twice.
//!
//! The candidates trained on include a sample of pairs that are never
//! scored ([`crate::blocking::Blocked::training`]): the undated namesakes in
//! the large blocks of common names, which EM needs to see what namesakes
//! look like, but which hold no matches worth scoring.
//!
//! Analysts' decisions, when there are any, join EM as pairs whose answer
//! is known (see [`Model::train`]).
//!
//! Small kinds without person fields (organisations) train differently, on
//! every pair (`Model::train_exhaustive`).

use foldhash::{HashMap, HashMapExt};

use crate::compare::{Comparer, Kind, LEVELS, MISSING, Pattern, Slots, level_name, partner, slotted_fields};
use crate::record::{Role, Schema};
use crate::table::{Column, NONE, Table};

/// Whether a role describes where or how a person is reached, which whole
/// households share.
fn is_household(role: Role) -> bool {
    matches!(role, Role::Phone | Role::Address | Role::StreetNumber | Role::Suburb | Role::Postcode | Role::State)
}

/// Smallest probability kept, so that no level gives infinite evidence.
const FLOOR: f64 = 1e-5;

/// Parameters of one field.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldModel {
    /// Field name (from the schema).
    pub name: String,
    /// Field role.
    pub role: Role,
    /// P(level | match), by level.
    pub m: [f64; LEVELS],
    /// P(level | non-match), by level.
    pub u: [f64; LEVELS],
    /// For names: share of records holding each exact value (by value id of
    /// the run's table), so agreeing on a rare name weighs more than on a
    /// common one.
    #[serde(skip)]
    pub tf_exact: Vec<f64>,
    /// For names: share of records holding each phonetic key set (by key-set
    /// id), used when names agree only as spelling variants.
    #[serde(skip)]
    pub tf_key: Vec<f64>,
    /// For surnames: P(level | non-match) among pairs that share a phone or
    /// an address, where relatives living together make a shared surname
    /// common; `None` when the data has too few such pairs to tell.
    pub u_household: Option<[f64; LEVELS]>,
}

impl FieldModel {
    /// Evidence in bits of a level, without term frequencies.
    pub fn weight(&self, level: u8) -> f64 {
        if level == MISSING {
            return 0.0;
        }
        let l = (level as usize).min(LEVELS - 1);
        (self.m[l].max(FLOOR) / self.u[l].max(FLOOR)).log2()
    }

    /// Evidence in bits of a level when the agreed value has frequency `tf`
    /// among the records: a random pair agrees on it with chance about `tf`,
    /// bounded so one-off typos do not dominate.
    pub fn weight_tf(&self, level: u8, tf: Option<f64>) -> f64 {
        let Some(tf) = tf.filter(|_| level != MISSING) else { return self.weight(level) };
        let l = (level as usize).min(LEVELS - 1);
        let u = tf.clamp(self.u[l] / 10.0, 1.0);
        (self.m[l].max(FLOOR) / u.max(FLOOR)).log2()
    }
}

/// Tuning of model training.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    /// Random pairs drawn to estimate `u`.
    pub u_samples: usize,
    /// Most EM iterations per session.
    pub max_iterations: usize,
    /// Seed of the random pair sampler (runs are reproducible).
    pub seed: u64,
    /// Whether analysts' decisions train the model as pairs whose answer is
    /// known ([`Model::train`]); they are obeyed in clustering either way.
    /// (Small kinds trained on every pair, organisations, do not use them.)
    #[serde(default = "learn_by_default")]
    pub learn_from_decisions: bool,
}

fn learn_by_default() -> bool {
    true
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig { u_samples: 150_000, max_iterations: 100, seed: 0x7e55e7a, learn_from_decisions: true }
    }
}

/// The comparison patterns of the candidate pairs, each distinct pattern
/// once with how many pairs showed it: what training reads, and what the
/// scorer works out once per pattern ([`Scorer::with_patterns`]).
#[derive(Debug, Clone, Default)]
pub struct PatternCounts {
    /// Sorted by pattern, so that EM sums in the same order on every run.
    distinct: Vec<(Pattern, f64)>,
    /// Pairs counted.
    total: usize,
}

impl PatternCounts {
    /// Counts `patterns`, one per candidate pair.
    pub fn tally(patterns: impl IntoIterator<Item = Pattern>) -> Self {
        let mut counts = PatternCounts::default();
        counts.add_sample(patterns, 1);
        counts
    }

    /// Adds `patterns`, each standing for `weight` pairs (a sample of one
    /// pair in `weight`).
    pub fn add_sample(&mut self, patterns: impl IntoIterator<Item = Pattern>, weight: u32) {
        let mut tally: HashMap<Pattern, f64> = self.distinct.iter().copied().collect();
        for p in patterns {
            *tally.entry(p).or_default() += f64::from(weight);
            self.total += weight as usize;
        }
        self.distinct = tally.into_iter().collect();
        self.distinct.sort_unstable_by_key(|(p, _)| *p);
    }

    /// The distinct patterns, in order.
    pub fn patterns(&self) -> impl Iterator<Item = Pattern> + '_ {
        self.distinct.iter().map(|(p, _)| *p)
    }
}

/// A trained model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Model {
    /// Per-field parameters, in schema order.
    pub fields: Vec<FieldModel>,
    /// Share of candidate pairs that are matches, as EM estimated it.
    pub lambda: f64,
    /// Prior evidence in bits that two records drawn at random match.
    pub prior: f64,
    /// EM iterations run, over all sessions.
    pub iterations: usize,
    /// Analysts' decisions EM learnt from, as pairs whose answer it knew.
    pub decisions: usize,
}

/// Small deterministic generator for sampling random pairs.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// `u` of the identifying fields with the matches among the random pairs
/// taken out: a random pair matches with the prior's probability `p`, so
/// the share of random pairs at a level is `p·m + (1 − p)·u`. Where matches
/// are not rare among all pairs (two files of 5,000 with one match each: one
/// random pair in 5,000), they made an exact identity number look several
/// times commoner among non-matches than it is. Names are left as they are (their
/// agreement is weighed by frequency), and so are household fields: their
/// agreement among non-matches comes from households, which random pairs
/// seldom draw, so `u` from random pairs understates it already.
fn without_matches(schema: &Schema, mut u: Vec<[f64; LEVELS]>, m: &[[f64; LEVELS]], prior: f64) -> Vec<[f64; LEVELS]> {
    let p = 1.0 / (1.0 + (-prior).exp2());
    if !(p > 0.0 && p < 1.0) {
        return u;
    }
    for (f, (_, role)) in schema.fields.iter().enumerate() {
        if role.is_name() || is_household(*role) {
            continue;
        }
        u[f] = normalised(std::array::from_fn(|l| ((u[f][l] - p * m[f][l]) / (1.0 - p)).max(0.0)));
    }
    u
}

/// Level counts per field over weighted patterns.
fn count_levels(patterns: &[(Pattern, f64)], fields: usize) -> Vec<[f64; LEVELS]> {
    let mut counts = vec![[0.0; LEVELS]; fields];
    for &(p, w) in patterns {
        for (f, c) in counts.iter_mut().enumerate() {
            let l = p.level(f);
            if l != MISSING {
                c[(l as usize).min(LEVELS - 1)] += w;
            }
        }
    }
    counts
}

fn normalised(c: [f64; LEVELS]) -> [f64; LEVELS] {
    let total: f64 = c.iter().sum();
    let mut out = [1.0 / LEVELS as f64; LEVELS];
    if total > 0.0 {
        for (o, x) in out.iter_mut().zip(c) {
            *o = (x / total).max(FLOOR);
        }
    }
    out
}

/// What an EM run may change.
struct Em<'a> {
    patterns: &'a [(Pattern, f64)],
    /// Fields that take part (the others are fixed by the session).
    free: Vec<bool>,
    /// Whether `u` is re-estimated from the non-match side (else fixed).
    fit_u: bool,
    /// Whether `m` is re-estimated (else fixed).
    fit_m: bool,
    /// Pairs added to every level's count before `m` and `u` are
    /// re-estimated (additive smoothing), so that a level no pair of a small
    /// sample showed keeps a probability in proportion to the sample's size
    /// instead of the bare [`FLOOR`].
    pseudo: f64,
    /// Pairs whose answer is known (analysts' decisions), one each, with
    /// their match probability fixed at 1 or 0 instead of estimated.
    known: &'a [(Pattern, f64)],
}

impl Em<'_> {
    /// Runs EM from `m`, `u` and `lambda`; returns the iterations run.
    fn run(&self, m: &mut [[f64; LEVELS]], u: &mut [[f64; LEVELS]], lambda: &mut f64, max: usize) -> usize {
        let total: f64 = self.patterns.iter().map(|(_, c)| c).sum::<f64>() + self.known.len() as f64;
        if total <= 0.0 {
            return 0;
        }
        let nf = m.len();
        let mut posterior = vec![0.0; self.patterns.len()];
        let mut iterations = 0;
        while iterations < max {
            iterations += 1;
            for (p, &(pattern, _)) in posterior.iter_mut().zip(self.patterns) {
                *p = match_probability(pattern, m, u, *lambda, &self.free);
            }
            let matched: Vec<(Pattern, f64)> = self
                .patterns
                .iter()
                .zip(&posterior)
                .map(|(&(v, c), p)| (v, c * p))
                .chain(self.known.iter().copied())
                .collect();
            let new_lambda = (matched.iter().map(|(_, w)| w).sum::<f64>() / total).clamp(1e-9, 1.0 - 1e-9);
            let mut change = (new_lambda - *lambda).abs();
            if self.fit_m {
                for (f, c) in count_levels(&matched, nf).into_iter().enumerate() {
                    if self.free[f] {
                        let new = normalised(c.map(|x| x + self.pseudo));
                        change = new.iter().zip(&m[f]).map(|(x, y)| (x - y).abs()).fold(change, f64::max);
                        m[f] = new;
                    }
                }
            }
            if self.fit_u {
                let unmatched: Vec<(Pattern, f64)> = self
                    .patterns
                    .iter()
                    .zip(&posterior)
                    .map(|(&(v, c), p)| (v, c * (1.0 - p)))
                    .chain(self.known.iter().map(|&(v, p)| (v, 1.0 - p)))
                    .collect();
                for (f, c) in count_levels(&unmatched, nf).into_iter().enumerate() {
                    if self.free[f] {
                        u[f] = normalised(c.map(|x| x + self.pseudo));
                    }
                }
            }
            *lambda = new_lambda;
            if change < 1e-6 {
                break;
            }
        }
        iterations
    }
}

/// Starting `m`: matches mostly agree.
const M_START: [f64; LEVELS] = [0.05, 0.05, 0.1, 0.1, 0.7];

impl Model {
    /// Trains a model: `u` from random pairs (within the table, or across
    /// `split` for a link), `m` by EM in sessions over the candidates'
    /// `patterns`, the prior from the matches EM finds, and name
    /// frequencies from the table.
    ///
    /// `decided` are the comparisons of pairs analysts ruled on (true: one
    /// person). With [`TrainConfig::learn_from_decisions`], EM takes each as
    /// one more pair whose answer it knows instead of estimating it
    /// (semi-supervised EM). That stays fair although analysts rule on the
    /// pairs the review queue chose by their score: the choice depends only
    /// on what EM sees of the pair (its comparison), so the answers are
    /// missing at random given it, and the likelihood EM maximises is the
    /// same. Learning `m` from the confirmed pairs alone would not be: the
    /// queue holds the pairs whose fields disagree.
    pub fn train(
        schema: &Schema,
        table: &Table,
        patterns: &PatternCounts,
        decided: &[(Pattern, bool)],
        split: Option<usize>,
        config: &TrainConfig,
    ) -> Model {
        let known: Vec<(Pattern, f64)> = if config.learn_from_decisions {
            decided.iter().map(|&(p, same)| (p, if same { 1.0 } else { 0.0 })).collect()
        } else {
            Vec::new()
        };
        let candidates = patterns.total;
        let nf = schema.len();
        let n = table.len;
        let comparer = Comparer::new(schema, table);
        let all_pairs = match split {
            Some(s) if s > 0 && s < n => s as f64 * (n - s) as f64,
            Some(_) => 0.0,
            None => n as f64 * n.saturating_sub(1) as f64 / 2.0,
        };

        // u from random pairs, or all pairs when few enough.
        let mut counts: HashMap<Pattern, f64> = HashMap::new();
        if all_pairs <= config.u_samples as f64 {
            for a in 0..n {
                for b in a + 1..n {
                    if split.is_none_or(|s| a < s && b >= s) {
                        *counts.entry(comparer.compare(a, b).0).or_default() += 1.0;
                    }
                }
            }
        } else {
            let mut rng = SplitMix(config.seed);
            // Drawn first, so that the loop can ask for records ahead.
            let drawn: Vec<(u32, u32)> = (0..config.u_samples)
                .map(|_| {
                    let (a, b) = match split {
                        Some(s) => (rng.below(s), s + rng.below(n - s)),
                        None => {
                            let a = rng.below(n);
                            let b = rng.below(n - 1);
                            (a, if b >= a { b + 1 } else { b })
                        }
                    };
                    (a as u32, b as u32)
                })
                .collect();
            for (i, &(a, b)) in drawn.iter().enumerate() {
                crate::prefetch_ahead(table, &drawn, i, true);
                *counts.entry(comparer.compare(a as usize, b as usize).0).or_default() += 1.0;
            }
        }
        let mut sample: Vec<(Pattern, f64)> = counts.into_iter().collect();
        let u: Vec<[f64; LEVELS]> = count_levels(&sample, nf).into_iter().map(normalised).collect();
        let exhaustive = all_pairs > 0.0 && all_pairs <= config.u_samples as f64;
        let has_sessions = schema.first(Role::BirthDate).is_some() || schema.fields.iter().any(|(_, r)| r.is_name());
        if exhaustive && !has_sessions {
            // Sorted, so that EM sums in the same order on every run.
            sample.sort_unstable_by_key(|(p, _)| *p);
            return Self::train_exhaustive(schema, table, &sample, u, candidates, all_pairs, config);
        }

        let distinct = &patterns.distinct;

        // Sessions: fix the date of birth, then the names.
        let dob = schema.first(Role::BirthDate);
        let name_fields: Vec<usize> = (0..nf).filter(|&f| schema.fields[f].1.is_name()).collect();
        let mut sessions: Vec<Vec<usize>> = Vec::new();
        if let Some(d) = dob {
            sessions.push(vec![d]);
        }
        if !name_fields.is_empty() {
            // Sex and nationality go with the names: namesakes share them
            // (name pools are national, given names gendered), so they would
            // make namesakes look like matches.
            let mut fixed = name_fields.clone();
            fixed.extend((0..nf).filter(|&f| matches!(schema.fields[f].1, Role::Sex | Role::Nationality)));
            sessions.push(fixed);
        }
        let mut m_sum = vec![[0.0; LEVELS]; nf];
        let mut m_n = vec![0usize; nf];
        let mut iterations = 0;
        for fixed in &sessions {
            // Pairs agreeing on the fixed fields: exactly for a date, at
            // least as spelling variants for names.
            let least = |f: usize| match schema.fields[f].1 {
                Role::BirthDate | Role::Sex | Role::Nationality => 4,
                _ => 3,
            };
            let in_session = |p: &Pattern| {
                // A date must be there, and at least one name field (a record may
                // have a full name but no given name and surname, or the reverse);
                // every fixed field that is there must agree.
                let present: Vec<usize> = fixed.iter().copied().filter(|&f| p.level(f) != MISSING).collect();
                let anchored = present.iter().any(|&f| Some(f) == dob || schema.fields[f].1.is_name());
                let complete = dob.is_none_or(|d| !fixed.contains(&d) || p.level(d) != MISSING);
                anchored && complete && present.iter().all(|&f| p.level(f) >= least(f))
            };
            let subset: Vec<(Pattern, f64)> = distinct.iter().copied().filter(|(p, _)| in_session(p)).collect();
            let known_here: Vec<(Pattern, f64)> = known.iter().copied().filter(|(p, _)| in_session(p)).collect();
            if subset.iter().map(|(_, c)| c).sum::<f64>() < 20.0 {
                continue;
            }
            let free: Vec<bool> = (0..nf).map(|f| !fixed.contains(&f)).collect();
            let mut m = vec![M_START; nf];
            let mut u_fixed = u.clone();
            let mut lambda = 0.3;
            let em = Em {
                patterns: &subset,
                free: free.clone(),
                fit_u: false,
                fit_m: true,
                pseudo: 0.0,
                known: &known_here,
            };
            iterations += em.run(&mut m, &mut u_fixed, &mut lambda, config.max_iterations);
            for f in (0..nf).filter(|&f| free[f]) {
                for l in 0..LEVELS {
                    m_sum[f][l] += m[f][l];
                }
                m_n[f] += 1;
            }
        }
        let mut m: Vec<[f64; LEVELS]> = vec![M_START; nf];
        let mut untrained = Vec::new();
        for f in 0..nf {
            if m_n[f] > 0 {
                m[f] = normalised(m_sum[f].map(|x| x / m_n[f] as f64));
            } else {
                untrained.push(f);
            }
        }
        // Fields no session could train (or no sessions at all): plain EM
        // over every candidate, with a separate non-match distribution for
        // the candidates, which blocking made more alike than random pairs.
        let mut u_candidates = u.clone();
        let mut lambda = 0.1;
        if !untrained.is_empty() {
            let free: Vec<bool> = (0..nf).map(|f| untrained.contains(&f) || sessions.is_empty()).collect();
            let em = Em { patterns: distinct, free, fit_u: true, fit_m: true, pseudo: 0.0, known: &known };
            iterations += em.run(&mut m, &mut u_candidates, &mut lambda, config.max_iterations);
        }
        // The share of candidates that match, with m fixed.
        let em = Em { patterns: distinct, free: vec![true; nf], fit_u: true, fit_m: false, pseudo: 0.0, known: &known };
        iterations += em.run(&mut m, &mut u_candidates, &mut lambda, config.max_iterations);
        let household = household_u(schema, distinct, &m, &u_candidates, lambda);
        let expected = lambda * candidates as f64;
        let prior = if all_pairs > expected && expected > 0.0 {
            (expected / (all_pairs - expected)).log2()
        } else {
            (lambda / (1.0 - lambda)).log2()
        };
        let u = without_matches(schema, u, &m, prior);

        let fields = schema
            .fields
            .iter()
            .enumerate()
            .map(|(f, (name, role))| {
                let (tf_exact, tf_key) = frequencies(table, f);
                let u_household = if *role == Role::Surname { household } else { None };
                FieldModel { name: name.clone(), role: *role, m: m[f], u: u[f], tf_exact, tf_key, u_household }
            })
            .collect();
        Model { fields, lambda, prior, iterations, decisions: known.len() }
    }

    /// Training on every pair of a small kind without person fields
    /// (organisations): `sample` counts the patterns of *all* pairs, so
    /// EM fits `m`, `u` and the share of matching pairs jointly over the
    /// whole pair space, as in Fellegi and Sunter's original setting.
    ///
    /// The usual shortcuts fail on such kinds: few records, each reported
    /// by several agencies, make random pairs no longer almost all
    /// non-matches (seven groups in 36 records make one pair in nine a
    /// match), so `u` from random pairs counts the matches' own agreement;
    /// and extrapolating the prior from the share of candidates that match
    /// rests on a handful of pairs. Over the whole pair space, the
    /// non-match class *is* `u` and its complement's share *is* the prior.
    /// Levels are smoothed by half a pair each, so a level no pair showed
    /// weighs in proportion to the sample's size.
    #[allow(clippy::too_many_arguments)]
    fn train_exhaustive(
        schema: &Schema,
        table: &Table,
        sample: &[(Pattern, f64)],
        u: Vec<[f64; LEVELS]>,
        candidates: usize,
        all_pairs: f64,
        config: &TrainConfig,
    ) -> Model {
        let nf = schema.len();
        let mut m = vec![M_START; nf];
        let mut u = u;
        // Members are left out of EM and weighed against its answer: a
        // common member is near-certain evidence but most matching pairs
        // lack one (each agency names the members *it* has seen), and EM,
        // which assumes fields independent given the class, would otherwise
        // narrow "match" down to "shares a member".
        let partial: Vec<bool> = schema.fields.iter().map(|(_, r)| *r == Role::Members).collect();
        let free: Vec<bool> =
            if partial.iter().all(|&p| p) { vec![true; nf] } else { partial.iter().map(|p| !p).collect() };
        // Blocking chose the candidates for agreeing on something: about half
        // of them matching is a start EM corrects either way.
        let mut lambda = (0.5 * candidates as f64 / all_pairs).clamp(1e-6, 0.5);
        let em = Em { patterns: sample, free: free.clone(), fit_u: true, fit_m: true, pseudo: 0.5, known: &[] };
        let iterations = em.run(&mut m, &mut u, &mut lambda, config.max_iterations);
        if free.iter().any(|f| !f) {
            // One M step for the members, from the other fields' posterior.
            let posterior: Vec<f64> =
                sample.iter().map(|&(p, _)| match_probability(p, &m, &u, lambda, &free)).collect();
            let matched: Vec<(Pattern, f64)> = sample.iter().zip(&posterior).map(|(&(p, c), q)| (p, c * q)).collect();
            let unmatched: Vec<(Pattern, f64)> =
                sample.iter().zip(&posterior).map(|(&(p, c), q)| (p, c * (1.0 - q))).collect();
            let (cm, cu) = (count_levels(&matched, nf), count_levels(&unmatched, nf));
            for f in (0..nf).filter(|&f| !free[f]) {
                m[f] = normalised(cm[f].map(|x| x + 0.5));
                u[f] = normalised(cu[f].map(|x| x + 0.5));
            }
        }
        let prior = (lambda / (1.0 - lambda)).log2();
        let fields = schema
            .fields
            .iter()
            .enumerate()
            .map(|(f, (name, role))| {
                let (tf_exact, tf_key) = frequencies(table, f);
                FieldModel { name: name.clone(), role: *role, m: m[f], u: u[f], tf_exact, tf_key, u_household: None }
            })
            .collect();
        let share = if candidates > 0 { (lambda * all_pairs / candidates as f64).min(1.0) } else { lambda };
        Model { fields, lambda: share, prior, iterations, decisions: 0 }
    }

    /// The model's evidence worked out once per field and level, for scoring
    /// many pairs.
    pub fn scorer(&self) -> Scorer<'_> {
        let bits = self
            .fields
            .iter()
            .map(|fm| {
                let mut row = [0.0; 16];
                for (level, slot) in row.iter_mut().enumerate() {
                    *slot = fm.weight(level as u8);
                }
                row
            })
            .collect();
        let given = self.fields.iter().position(|m| m.role == Role::GivenName);
        let surname = self.fields.iter().position(|m| m.role == Role::Surname);
        let names = given.zip(surname);
        let frequency: Vec<Option<FrequencyBits>> = (0..self.fields.len())
            .map(|f| {
                let fm = &self.fields[f];
                if fm.tf_exact.is_empty() {
                    return None;
                }
                Some(FrequencyBits {
                    own: ValueBits::new(fm, fm),
                    partner: partner(names, f).map(|g| ValueBits::new(fm, &self.fields[g])),
                    absent: [fm.weight_tf(3, Some(0.0)), fm.weight_tf(4, Some(0.0))],
                    household: fm.u_household.map(|h| [fm.weight_tf(3, Some(h[3])), fm.weight_tf(4, Some(h[4]))]),
                })
            })
            .collect();
        let mut slotted = vec![None; self.fields.len()];
        for (k, f) in slotted_fields(self.fields.iter().map(|fm| fm.role)).enumerate() {
            slotted[f] = Some(k);
        }
        let by_frequency = frequency.iter().enumerate().filter(|(_, bits)| bits.is_some()).map(|(f, _)| f).collect();
        Scorer { model: self, bits, names, frequency, slotted, by_frequency, known: HashMap::new() }
    }

    /// Whether the pair agrees exactly on a phone, address or postcode.
    fn in_household(&self, pattern: Pattern) -> bool {
        shares_household(self.fields.iter().map(|m| m.role), pattern)
    }

    /// Bits to take off because household fields (phone, address, street
    /// number, suburb, postcode, state) agree together: people of one
    /// household share all of them, so they are one piece of evidence, not
    /// independent ones. Only the strongest agreement among them counts;
    /// their disagreements all count. (A surname shared within a household
    /// is weighed by its own household `u`, see [`FieldModel::u_household`].)
    fn household_discount(&self, contributions: &[f64]) -> f64 {
        let mut sum = 0.0;
        let mut max: f64 = 0.0;
        for (fm, &w) in self.fields.iter().zip(contributions) {
            if w > 0.0 && is_household(fm.role) {
                sum += w;
                max = max.max(w);
            }
        }
        sum - max
    }

    /// Agreement on sex and nationality says little once the names agree:
    /// given names are gendered and name pools national, so namesakes share
    /// them too. Their agreement is dropped when a name field agrees at
    /// least as a spelling variant; their disagreement still counts.
    fn name_discount(&self, pattern: Pattern, c: &mut [f64]) {
        let names_agree =
            self.fields.iter().enumerate().any(|(f, m)| m.role.is_name() && (3..=4).contains(&pattern.level(f)));
        if names_agree {
            for (f, m) in self.fields.iter().enumerate() {
                if matches!(m.role, Role::Sex | Role::Nationality) && c.get(f).is_some_and(|&w| w > 0.0) {
                    c[f] = 0.0;
                }
            }
        }
    }

    /// Match probability for a weight: `1 / (1 + 2^-(prior + weight))`.
    pub fn probability(&self, weight: f64) -> f64 {
        1.0 / (1.0 + (-(self.prior + weight)).exp2())
    }
}

/// A [`Model`] ready to score many pairs: the evidence of each field at each
/// level is worked out once, so a pair costs table lookups, not a logarithm
/// per field.
pub struct Scorer<'m> {
    model: &'m Model,
    /// Bits per field and level (16 levels, so any 4-bit level indexes it).
    bits: Vec<[f64; 16]>,
    /// The given-name and surname fields, for swaps.
    names: Option<(usize, usize)>,
    /// For each name field weighted by frequency, its bits per value.
    frequency: Vec<Option<FrequencyBits>>,
    /// Per field, its place in a pair's [`Slots`] (the first name fields).
    slotted: Vec<Option<usize>>,
    /// The fields weighed by frequency (names) at levels 3 and 4.
    by_frequency: Vec<usize>,
    /// What the pattern alone gives, per pattern seen while training
    /// ([`Scorer::with_patterns`]).
    known: HashMap<Pattern, PatternBits>,
}

/// The part of a pair's weight that its pattern decides, worked out once
/// per distinct pattern rather than once per pair.
#[derive(Debug, Clone, Copy)]
struct PatternBits {
    /// Every field's evidence except the names that agree (levels 3 and 4),
    /// which depend on the names' frequency, with sex and nationality
    /// discounted ([`Model::name_discount`]) and household fields counted
    /// once ([`Model::household_discount`]).
    base: f64,
    /// [`Model::in_household`] of the pattern.
    household: bool,
}

/// The bits of one name field at levels 3 (variants) and 4 (exact) for
/// every value of a name column, worked out once per run: a pair then costs
/// two lookups and a minimum instead of a logarithm. Evidence falls as the
/// frequency rises, so the bits of the larger of two frequencies are the
/// smaller of their bits.
struct FrequencyBits {
    /// Values of the field's own column.
    own: ValueBits,
    /// Values of the other name column, for given-name / surname swaps.
    partner: Option<ValueBits>,
    /// Bits at levels 3 and 4 when a side's value has no frequency.
    absent: [f64; 2],
    /// Bits at levels 3 and 4 with the household `u` ([`FieldModel::u_household`]).
    household: Option<[f64; 2]>,
}

/// Bits of a field for the values of one column ([`FrequencyBits`]).
struct ValueBits {
    /// By value id, for exact agreement.
    exact: Vec<f64>,
    /// By key-set id, for agreement as spelling variants.
    variant: Vec<f64>,
}

impl ValueBits {
    /// The bits of field `fm` for the frequencies of column `column`.
    fn new(fm: &FieldModel, column: &FieldModel) -> Self {
        ValueBits {
            exact: column.tf_exact.iter().map(|&tf| fm.weight_tf(4, Some(tf))).collect(),
            variant: column.tf_key.iter().map(|&tf| fm.weight_tf(3, Some(tf))).collect(),
        }
    }

    /// The bits of record `r`'s value in name column `f` at `level` (3 or
    /// 4); `None` when the record has no value there or it has no frequency.
    fn of(&self, table: &Table, f: usize, r: usize, level: u8) -> Option<f64> {
        self.at(table.frequency_slot(f, r, level)?, level)
    }

    /// The bits at frequency slot `slot` ([`Table::frequency_slot`]).
    fn at(&self, slot: usize, level: u8) -> Option<f64> {
        if level == 4 { self.exact.get(slot) } else { self.variant.get(slot) }.copied()
    }
}

impl Scorer<'_> {
    /// Match weight of records `a` and `b`: the sum of `log2(m / u)` over
    /// the fields, household agreement counted once. The prior is not
    /// included.
    pub fn weight(&self, comparer: &Comparer, table: &Table, a: usize, b: usize) -> f64 {
        let (pattern, swapped) = comparer.compare(a, b);
        self.weight_of(table, a, b, pattern, swapped)
    }

    /// [`Scorer::weight`] for an already computed comparison of `a` and `b`.
    pub fn weight_of(&self, table: &Table, a: usize, b: usize, pattern: Pattern, swapped: bool) -> f64 {
        self.weight_with(table, a, b, (pattern, swapped), None)
    }

    /// [`Scorer::weight_of`] with `b`'s frequency slots read while comparing
    /// ([`Comparer::second_slots`]), so that `b` is not fetched again.
    pub(crate) fn weight_slotted(
        &self,
        table: &Table,
        a: usize,
        b: usize,
        (pattern, swapped): (Pattern, bool),
        second: &Slots,
    ) -> f64 {
        self.weight_with(table, a, b, (pattern, swapped), Some(second))
    }

    /// The scorer with the pattern part of the weight worked out for each of
    /// `patterns` (the candidates' distinct patterns): a pair then costs a
    /// lookup and its agreeing names' frequencies. Other patterns are worked
    /// out as they come; the weights are the same either way.
    pub fn with_patterns(mut self, patterns: impl IntoIterator<Item = Pattern>) -> Self {
        self.known = patterns.into_iter().map(|p| (p, self.pattern_bits(p))).collect();
        self
    }

    /// The weight: the pattern's part, then each name field that agrees
    /// (level 3 or 4) weighed by its frequency.
    fn weight_with(
        &self,
        table: &Table,
        a: usize,
        b: usize,
        (pattern, swapped): (Pattern, bool),
        second: Option<&Slots>,
    ) -> f64 {
        let PatternBits { base, household } =
            self.known.get(&pattern).copied().unwrap_or_else(|| self.pattern_bits(pattern));
        let mut weight = base;
        for &f in &self.by_frequency {
            let level = pattern.level(f);
            if level == 3 || level == 4 {
                let known = second.zip(self.slotted[f]).map(|(slots, k)| slots[k]);
                weight += self.frequency_weight(table, f, a, (b, known), level, swapped, household);
            }
        }
        weight
    }

    /// [`PatternBits`] of `pattern`. Names are never household fields, so
    /// leaving out the ones weighed by frequency changes neither discount.
    fn pattern_bits(&self, pattern: Pattern) -> PatternBits {
        let mut c = [0.0; crate::compare::MAX_FIELDS];
        let n = self.bits.len().min(c.len());
        for (f, slot) in c.iter_mut().enumerate().take(n) {
            let level = pattern.level(f);
            if !(self.frequency[f].is_some() && (level == 3 || level == 4)) {
                *slot = self.bits[f][level as usize];
            }
        }
        self.model.name_discount(pattern, &mut c[..n]);
        let base = c[..n].iter().sum::<f64>() - self.model.household_discount(&c[..n]);
        PatternBits { base, household: self.model.in_household(pattern) }
    }

    /// Each field's evidence, sex and nationality discounted when the names
    /// agree ([`Model::name_discount`]); the first `n` slots are the fields.
    fn discounted(
        &self,
        table: &Table,
        a: usize,
        b: usize,
        pattern: Pattern,
        swapped: bool,
    ) -> ([f64; crate::compare::MAX_FIELDS], usize) {
        let mut c = [0.0; crate::compare::MAX_FIELDS];
        let n = self.bits.len().min(c.len());
        for (f, slot) in c.iter_mut().enumerate().take(n) {
            *slot = self.field_weight(table, f, a, (b, None), pattern, swapped);
        }
        self.model.name_discount(pattern, &mut c[..n]);
        (c, n)
    }

    /// Why a pair got its weight: `(field, level, bits)` for every field,
    /// preceded by the prior, so an analyst can see each piece of evidence.
    pub fn explain(&self, comparer: &Comparer, table: &Table, a: usize, b: usize) -> Vec<(String, String, f64)> {
        let mut out = Vec::with_capacity(self.bits.len() + 2);
        self.evidence(comparer, table, a, b, |field, label, bits| out.push((field.to_string(), label.concat(), bits)));
        out
    }

    /// The evidence of [`Scorer::explain`], handed to `each` piece by piece as
    /// `(field, label in parts, bits)` without building strings, for callers
    /// that write many explanations.
    pub fn evidence(
        &self,
        comparer: &Comparer,
        table: &Table,
        a: usize,
        b: usize,
        each: impl FnMut(&str, &[&str], f64),
    ) {
        self.evidence_of(comparer.kinds(), table, a, b, comparer.compare(a, b), each);
    }

    /// [`Scorer::evidence`] for an already computed comparison of `a` and
    /// `b` (`kinds` of the comparer's fields).
    pub fn evidence_of(
        &self,
        kinds: &[Kind],
        table: &Table,
        a: usize,
        b: usize,
        (pattern, swapped): (Pattern, bool),
        mut each: impl FnMut(&str, &[&str], f64),
    ) {
        let model = self.model;
        each("prior", &["chance that two records drawn at random match"], model.prior);
        let (c, n) = self.discounted(table, a, b, pattern, swapped);
        for (f, fm) in model.fields.iter().enumerate().take(n) {
            let level = pattern.level(f);
            let kind = kinds[f];
            let frequency = kind == Kind::Name && (level == 4 || level == 3) && !fm.tf_exact.is_empty();
            let swap = swapped && matches!(fm.role, Role::GivenName | Role::Surname);
            each(
                &fm.name,
                &[
                    level_name(kind, level),
                    if frequency { ", weighted by name frequency" } else { "" },
                    if swap { ", given name and surname swapped" } else { "" },
                ],
                c[f],
            );
        }
        let discount = model.household_discount(&c[..n]);
        if discount > 0.0 {
            each("household", &["household fields' agreement counted once"], -discount);
        }
    }

    /// Per-field evidence of records `a` and `b` with their comparison.
    #[cfg(test)]
    fn contributions(&self, table: &Table, a: usize, b: usize, pattern: Pattern, swapped: bool) -> Vec<f64> {
        (0..self.bits.len()).map(|f| self.field_weight(table, f, a, (b, None), pattern, swapped)).collect()
    }

    /// Evidence of field `f` for records `a` and `b`, with term frequencies
    /// for names that agree exactly or as spelling variants. A common name
    /// counts for less: the frequency of the agreed value is taken on both
    /// sides (for a swap, in the column each record holds it in) and the
    /// larger used.
    ///
    /// `b` comes with its frequency slot for `f` when the comparing step
    /// read it ([`Comparer::second_slots`]; [`NONE`] for no value).
    fn field_weight(
        &self,
        table: &Table,
        f: usize,
        a: usize,
        (b, b_slot): (usize, Option<u32>),
        pattern: Pattern,
        swapped: bool,
    ) -> f64 {
        let level = pattern.level(f);
        if self.frequency[f].is_none() || !(level == 4 || level == 3) {
            return self.bits[f][level as usize];
        }
        self.frequency_weight(table, f, a, (b, b_slot), level, swapped, self.model.in_household(pattern))
    }

    /// [`Scorer::field_weight`] of a name field `f` weighed by frequency at
    /// `level` 3 or 4; `household`: whether the pair shares a household
    /// ([`Model::in_household`]).
    #[allow(clippy::too_many_arguments)]
    fn frequency_weight(
        &self,
        table: &Table,
        f: usize,
        a: usize,
        (b, b_slot): (usize, Option<u32>),
        level: u8,
        swapped: bool,
        household: bool,
    ) -> f64 {
        let Some(freq) = self.frequency[f].as_ref() else { return self.bits[f][level as usize] };
        let slot = (level - 3) as usize;
        let own = freq.own.of(table, f, a, level);
        let other = match (swapped, self.partner(f), b_slot) {
            (false, _, Some(slot)) => (slot != NONE).then(|| freq.own.at(slot as usize, level)).flatten(),
            (false, _, None) => freq.own.of(table, f, b, level),
            (true, Some(_), Some(slot)) => {
                (slot != NONE).then(|| freq.partner.as_ref().and_then(|p| p.at(slot as usize, level))).flatten()
            }
            (true, Some(g), None) => freq.partner.as_ref().and_then(|p| p.of(table, g, b, level)),
            (true, None, _) => None,
        };
        let frequency = match (own, other) {
            (None, None) => None,
            (x, y) => Some(x.unwrap_or(freq.absent[slot]).min(y.unwrap_or(freq.absent[slot]))),
        };
        // Within a household a shared surname is no surprise.
        let household = freq.household.filter(|_| household).map(|h| h[slot]);
        match (frequency, household) {
            (None, None) => self.bits[f][level as usize],
            (None, Some(h)) => h,
            (Some(t), None) => t,
            (Some(t), Some(h)) => t.min(h),
        }
    }

    /// The other name column of a given-name / surname swap.
    fn partner(&self, f: usize) -> Option<usize> {
        partner(self.names, f)
    }
}

/// Whether a role identifies a household strongly enough that agreeing on it
/// makes a shared surname expected (a phone, an address line, a postcode).
fn is_strong_household(role: Role) -> bool {
    matches!(role, Role::Phone | Role::Address | Role::Postcode)
}

/// Whether a pattern agrees exactly on a strong household field.
fn shares_household(roles: impl IntoIterator<Item = Role>, pattern: Pattern) -> bool {
    roles.into_iter().enumerate().any(|(f, r)| is_strong_household(r) && pattern.level(f) == 4)
}

/// The E step for one pattern: its chance of being a match under `m`, `u`
/// and the match share `lambda`, counting only the `free` fields.
fn match_probability(pattern: Pattern, m: &[[f64; LEVELS]], u: &[[f64; LEVELS]], lambda: f64, free: &[bool]) -> f64 {
    let mut log_ratio = (lambda / (1.0 - lambda)).ln();
    for (f, _) in free.iter().enumerate().filter(|(_, free)| **free) {
        let l = pattern.level(f);
        if l != MISSING {
            let l = (l as usize).min(LEVELS - 1);
            log_ratio += (m[f][l].max(FLOOR) / u[f][l].max(FLOOR)).ln();
        }
    }
    1.0 / (1.0 + (-log_ratio).exp())
}

/// The surname's non-match level distribution among candidate pairs that
/// share a household field, weighted by each pattern's posterior chance of
/// being a non-match; `None` without a surname or with fewer than 50 such
/// non-matches.
fn household_u(
    schema: &Schema,
    patterns: &[(Pattern, f64)],
    m: &[[f64; LEVELS]],
    u: &[[f64; LEVELS]],
    lambda: f64,
) -> Option<[f64; LEVELS]> {
    let surname = schema.first(Role::Surname)?;
    let roles: Vec<Role> = schema.fields.iter().map(|(_, r)| *r).collect();
    let all = vec![true; roles.len()];
    let mut counts = [0.0; LEVELS];
    for &(p, c) in patterns {
        if !shares_household(roles.iter().copied(), p) || p.level(surname) == MISSING {
            continue;
        }
        let non_match = 1.0 - match_probability(p, m, u, lambda, &all);
        counts[(p.level(surname) as usize).min(LEVELS - 1)] += c * non_match;
    }
    (counts.iter().sum::<f64>() >= 50.0).then(|| normalised(counts))
}

/// Shares of records per exact value and per key set of a name column
/// (empty for other columns).
fn frequencies(table: &Table, f: usize) -> (Vec<f64>, Vec<f64>) {
    let Some(Column::Name(values)) = table.columns.get(f) else { return (Vec::new(), Vec::new()) };
    let mut exact = vec![0.0; values.len()];
    let mut key = vec![0.0; table.key_sets];
    let mut total = 0.0;
    for id in (0..table.len).map(|r| table.id(f, r)) {
        if id != NONE {
            exact[id as usize] += 1.0;
            key[values[id as usize].key_set as usize] += 1.0;
            total += 1.0;
        }
    }
    if total > 0.0 {
        exact.iter_mut().chain(key.iter_mut()).for_each(|c| *c /= total);
    }
    (exact, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    type Pairs = Vec<(u32, u32)>;

    /// 60 people, 20 of them recorded twice with small variations.
    fn synthetic() -> (Schema, Table, Pairs, Pairs) {
        let schema =
            Schema::new([("g", Role::GivenName), ("s", Role::Surname), ("d", Role::BirthDate), ("p", Role::Postcode)]);
        let given = ["anna", "omar", "li", "ivan", "sara", "yusuf"];
        let surname = [
            "kaya", "haddad", "chen", "petrov", "ali", "novak", "berisha", "tran", "abebe", "osei", "silva",
            "kowalski", "nguyen", "ahmadi", "tesfaye", "rahimi", "hoxha", "mensah", "garcia", "ozturk",
        ];
        let mut rows = Vec::new();
        for i in 0..60 {
            rows.push([
                given[i % 6].to_string(),
                surname[i % 20].to_string(),
                format!("19{:02}-{:02}-{:02}", 40 + i, 1 + i % 12, 1 + (i * 7) % 28),
                format!("{}", 2000 + i * 37),
            ]);
        }
        let mut truth = Vec::new();
        for i in 0..20 {
            let mut r = rows[i].clone();
            if i % 2 == 0 {
                r[1].push('e');
            }
            if i % 4 == 1 {
                r[3] = "9999".into();
            }
            truth.push((i as u32, rows.len() as u32));
            rows.push(r);
        }
        let recs: Vec<Record> = rows.iter().enumerate().map(|(i, r)| Record::new(i.to_string(), r)).collect();
        let table = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        // All pairs as candidates: EM has to separate them unaided.
        let mut cands = Vec::new();
        for a in 0..recs.len() as u32 {
            for b in a + 1..recs.len() as u32 {
                cands.push((a, b));
            }
        }
        (schema, table, cands, truth)
    }

    /// Term frequency of the value of record `r` in name column `f` at `level`
    /// (exact value or key set), as the reference weighting reads it.
    fn name_tf(fm: &FieldModel, table: &Table, f: usize, r: usize, level: u8) -> Option<f64> {
        let slot = table.frequency_slot(f, r, level)?;
        if level == 4 { fm.tf_exact.get(slot) } else { fm.tf_key.get(slot) }.copied()
    }

    /// The frequency weighting written out directly: a logarithm per pair of
    /// the larger frequency of the two sides (what [`FrequencyBits`] tabulates).
    fn reference_field_weight(
        model: &Model,
        table: &Table,
        f: usize,
        a: usize,
        b: usize,
        p: Pattern,
        swapped: bool,
    ) -> f64 {
        let fm = &model.fields[f];
        let level = p.level(f);
        if fm.tf_exact.is_empty() || !(level == 4 || level == 3) {
            return fm.weight(level);
        }
        let other = if swapped { [1, 0].get(f).copied() } else { Some(f) };
        let tf_a = name_tf(fm, table, f, a, level);
        let tf_b = other.and_then(|g| name_tf(&model.fields[g], table, g, b, level));
        let tf = match (tf_a, tf_b) {
            (None, None) => None,
            (x, y) => Some(x.unwrap_or(0.0).max(y.unwrap_or(0.0))),
        };
        let household = fm.u_household.filter(|_| model.in_household(p)).map(|u| u[level as usize]);
        match (tf, household) {
            (None, None) => fm.weight(level),
            (tf, Some(h)) => {
                fm.weight_tf(level, Some(tf.map_or(h, |t| t.clamp(fm.u[level as usize] / 10.0, 1.0).max(h))))
            }
            (tf, None) => fm.weight_tf(level, tf),
        }
    }

    /// Checks that every way of weighing pair `(a, b)` gives one weight: the
    /// plain scorer with and without the slots read while comparing, the one
    /// that worked the pattern's part out ahead, and the evidence shown,
    /// summed. Returns the pair's household discount.
    fn check_weighings(
        comparer: &Comparer,
        table: &Table,
        (plain, remembering): (&Scorer, &Scorer),
        (a, b): (usize, usize),
        (p, swapped): (Pattern, bool),
    ) -> f64 {
        let slots = comparer.second_slots(b, (p, swapped));
        let weight = plain.weight_of(table, a, b, p, swapped);
        assert_eq!(plain.weight_slotted(table, a, b, (p, swapped), &slots), weight, "pair {a} {b} {p:?}");
        assert_eq!(remembering.weight_slotted(table, a, b, (p, swapped), &slots), weight, "pair {a} {b} {p:?}");
        let (c, n) = plain.discounted(table, a, b, p, swapped);
        let discount = plain.model.household_discount(&c[..n]);
        let shown = c[..n].iter().sum::<f64>() - discount;
        assert!((weight - shown).abs() < 1e-9, "pair {a} {b}: {weight} against {shown}");
        discount
    }

    #[test]
    fn tabulated_frequency_bits_equal_the_weighting_written_out() {
        let (schema, table, cands, _) = synthetic();
        let comparer = Comparer::new(&schema, &table);
        let patterns: Vec<Pattern> = cands.iter().map(|&(a, b)| comparer.compare(a as usize, b as usize).0).collect();
        let mut model = Model::train(
            &schema,
            &table,
            &PatternCounts::tally(patterns.iter().copied()),
            &[],
            None,
            &TrainConfig::default(),
        );
        assert!(!model.fields[0].tf_exact.is_empty() && !model.fields[1].tf_key.is_empty());
        for household in [None, Some([0.3, 0.05, 0.05, 0.001, 0.5]), Some([0.3, 0.05, 0.05, 0.2, 0.0001])] {
            model.fields[1].u_household = household;
            let scorer = model.scorer();
            let patterns = || {
                [(3, 3), (4, 4), (3, 4), (4, 0)].into_iter().flat_map(|names| {
                    [0, 4].map(|postcode| Pattern::EMPTY.with(0, names.0).with(1, names.1).with(2, 4).with(3, postcode))
                })
            };
            let remembering = model.scorer().with_patterns(patterns());
            for &(a, b) in cands.iter().step_by(7) {
                for p in patterns() {
                    for swapped in [false, true] {
                        let (a, b) = (a as usize, b as usize);
                        let got = scorer.contributions(&table, a, b, p, swapped);
                        let want: Vec<f64> =
                            (0..4).map(|f| reference_field_weight(&model, &table, f, a, b, p, swapped)).collect();
                        assert_eq!(got, want, "pair {a} {b} {p:?} swapped {swapped} household {household:?}");
                        check_weighings(&comparer, &table, (&scorer, &remembering), (a, b), (p, swapped));
                    }
                }
            }
        }
    }

    #[test]
    fn the_pattern_part_worked_out_ahead_gives_the_weight_shown() {
        // Households: members share a surname, a phone and a postcode (two
        // household fields agreeing, so their discount is exercised); sex and
        // nationality agree with the names (their discount too).
        let schema = Schema::new([
            ("g", Role::GivenName),
            ("s", Role::Surname),
            ("d", Role::BirthDate),
            ("x", Role::Sex),
            ("n", Role::Nationality),
            ("t", Role::Phone),
            ("p", Role::Postcode),
        ]);
        let given = ["omar", "sara", "yusuf", "amina", "li", "ivan", "helen", "samir"];
        let surname = ["haddad", "kaya", "tesfaye", "rahimi", "hoxha", "osei"];
        let recs: Vec<Record> = (0..72)
            .map(|i| {
                let house = i % 12;
                let row = [
                    given[i % 8].to_string(),
                    surname[house % 6].to_string(),
                    format!("19{:02}-{:02}-{:02}", 60 + i % 30, 1 + i % 12, 1 + (i * 5) % 28),
                    ["M", "F"][i % 2].to_string(),
                    ["ERI", "AFG", "IRQ"][house % 3].to_string(),
                    if i % 5 == 0 { String::new() } else { format!("0770090{house:04}") },
                    format!("E{} 1AA", house + i % 2),
                ];
                Record::new(i.to_string(), row)
            })
            .collect();
        let table = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        let comparer = Comparer::new(&schema, &table);
        let pairs: Vec<(usize, usize)> = (0..72).flat_map(|a| (a + 1..72).map(move |b| (a, b))).collect();
        let counts = PatternCounts::tally(pairs.iter().map(|&(a, b)| comparer.compare(a, b).0));
        let mut model = Model::train(&schema, &table, &counts, &[], None, &TrainConfig::default());
        model.fields[1].u_household = Some([0.3, 0.05, 0.05, 0.2, 0.01]);
        let plain = model.scorer();
        let remembering = model.scorer().with_patterns(counts.patterns());
        let mut household_discounts = 0;
        for &(a, b) in &pairs {
            let discount = check_weighings(&comparer, &table, (&plain, &remembering), (a, b), comparer.compare(a, b));
            household_discounts += usize::from(discount > 0.0);
        }
        assert!(household_discounts > 0, "no pair exercised the household discount");
    }

    #[test]
    fn the_matches_among_random_pairs_are_taken_out_of_u() {
        let schema = Schema::new([
            ("g", Role::GivenName),
            ("d", Role::BirthDate),
            ("doc", Role::DocumentNumber),
            ("t", Role::Phone),
        ]);
        let u = vec![[0.9, 0.02, 0.02, 0.02, 0.04]; 4];
        let m = vec![[0.02, 0.02, 0.02, 0.04, 0.9]; 4];
        // One random pair in 25 matches.
        let prior = (1.0f64 / 24.0).log2();
        let out = without_matches(&schema, u.clone(), &m, prior);
        let p = 1.0 / 25.0;
        for f in [1, 2] {
            let exact = (0.04 - p * 0.9) / (1.0 - p);
            assert!((out[f][4] - exact).abs() < 1e-12, "{:?}", out[f]);
            assert!((out[f].iter().sum::<f64>() - 1.0).abs() < 1e-9);
            assert!(out[f][0] > u[f][0]);
        }
        // Names are weighed by frequency; a household's phone is left as it was.
        assert_eq!((out[0], out[3]), (u[0], u[3]));
        // No prior (no pairs), nothing to take out.
        assert_eq!(without_matches(&schema, u.clone(), &m, f64::NEG_INFINITY), u);
    }

    #[test]
    fn em_converges_and_separates_matches() {
        let (schema, table, cands, truth) = synthetic();
        let comparer = Comparer::new(&schema, &table);
        let patterns: Vec<Pattern> = cands.iter().map(|&(a, b)| comparer.compare(a as usize, b as usize).0).collect();
        let model = Model::train(
            &schema,
            &table,
            &PatternCounts::tally(patterns.iter().copied()),
            &[],
            None,
            &TrainConfig::default(),
        );
        // 20 matches among 3160 pairs.
        assert!(model.lambda > 0.002 && model.lambda < 0.02, "lambda {}", model.lambda);
        let dob = &model.fields[2];
        assert!(dob.m[4] > 0.85 && dob.u[4] < 0.05, "{dob:?}");
        let truth: std::collections::HashSet<_> = truth.into_iter().collect();
        let scorer = model.scorer();
        for &(a, b) in &cands {
            let p = model.probability(scorer.weight(&comparer, &table, a as usize, b as usize));
            assert_eq!(p > 0.5, truth.contains(&(a, b)), "pair {a} {b} p {p}");
        }
        let why = scorer.explain(&comparer, &table, 0, 60);
        assert_eq!(why.len(), 5);
        assert_eq!(why[3].0, "d");
        assert!(why[3].2 > 3.0);
    }

    #[test]
    fn shared_surname_counts_less_within_a_household_and_sex_less_with_names() {
        let schema =
            Schema::new([("g", Role::GivenName), ("s", Role::Surname), ("x", Role::Sex), ("p", Role::Postcode)]);
        let recs: Vec<Record> = [["ann", "haddad", "F", "E1 1AB"], ["lina", "haddad", "F", "E1 1AB"]]
            .iter()
            .enumerate()
            .map(|(i, f)| Record::new(i.to_string(), f))
            .collect();
        let table = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        let field = |name: &str, role, u_household| FieldModel {
            name: name.into(),
            role,
            m: [0.05, 0.05, 0.1, 0.1, 0.7],
            u: [0.9, 0.05, 0.03, 0.01, 0.01],
            tf_exact: if role.is_name() { vec![0.01, 0.01] } else { Vec::new() },
            tf_key: if role.is_name() { vec![0.01, 0.01] } else { Vec::new() },
            u_household,
        };
        let model = Model {
            fields: vec![
                field("g", Role::GivenName, None),
                field("s", Role::Surname, Some([0.3, 0.05, 0.05, 0.1, 0.5])),
                field("x", Role::Sex, None),
                field("p", Role::Postcode, None),
            ],
            lambda: 0.1,
            prior: -10.0,
            iterations: 0,
            decisions: 0,
        };
        let at_home = Pattern::EMPTY.with(0, 0).with(1, 4).with(2, 4).with(3, 4);
        let elsewhere = at_home.with(3, 0);
        let surname = |p| model.scorer().contributions(&table, 0, 1, p, false)[1];
        assert!(surname(at_home) < 1.0, "{}", surname(at_home));
        assert!(surname(elsewhere) > 5.0, "{}", surname(elsewhere));
        // Sex agreement counts only while no name agrees.
        let mut c = model.scorer().contributions(&table, 0, 1, elsewhere, false);
        assert!(c[2] > 0.0);
        model.name_discount(elsewhere, &mut c);
        assert_eq!(c[2], 0.0);
        let mut c = model.scorer().contributions(&table, 0, 1, elsewhere.with(1, 0), false);
        model.name_discount(elsewhere.with(1, 0), &mut c);
        assert!(c[2] > 0.0);
    }

    #[test]
    fn rare_names_weigh_more() {
        let fm = FieldModel {
            name: "s".into(),
            role: Role::Surname,
            m: [0.1, 0.05, 0.05, 0.1, 0.7],
            u: [0.9, 0.05, 0.03, 0.01, 0.01],
            tf_exact: Vec::new(),
            tf_key: Vec::new(),
            u_household: None,
        };
        assert!(fm.weight_tf(4, Some(0.002)) > fm.weight(4));
        assert!(fm.weight_tf(4, Some(0.05)) < fm.weight(4));
        assert_eq!(fm.weight(MISSING), 0.0);
    }

    #[test]
    fn small_kinds_train_on_every_pair_so_repeated_names_are_evidence() {
        // Seven groups, each reported under the same name by five agencies: one pair in
        // nine matches, and an agreed name is no common value but the match itself.
        let schema = Schema::new([("n", Role::OrganisationName), ("c", Role::Nationality), ("m", Role::Members)]);
        let places = ["zawiya", "sfax", "ostend", "durres", "izmir", "calais", "vlore"];
        let countries = ["LY", "TN", "BE", "AL", "TR", "FR", "AL"];
        let recs: Vec<Record> = (0..35)
            .map(|i| {
                let g = i % 7;
                let members = if i % 3 == 0 { format!("{g}a | {g}b") } else { String::new() };
                let country = if i % 2 == 0 { countries[g] } else { "" };
                Record::new(i.to_string(), [format!("{} network", places[g]), country.into(), members])
            })
            .collect();
        let table = Table::build(&schema, &recs.iter().collect::<Vec<_>>());
        let comparer = Comparer::new(&schema, &table);
        let mut patterns = Vec::new();
        for a in 0..35 {
            for b in a + 1..35 {
                if a % 7 == b % 7 {
                    patterns.push(comparer.compare(a, b).0);
                }
            }
        }
        let model = Model::train(
            &schema,
            &table,
            &PatternCounts::tally(patterns.iter().copied()),
            &[],
            None,
            &TrainConfig::default(),
        );
        assert!(model.fields[0].tf_exact.is_empty(), "no term frequencies for organisation names");
        assert!(model.fields[0].weight(4) > 5.0, "{:?}", model.fields[0]);
        // 70 of 595 pairs match: the prior is about log2(70 / 525).
        assert!((model.prior - (70.0f64 / 525.0).log2()).abs() < 1.0, "prior {}", model.prior);
        // Members shared count for, none shared against (weighed from the other fields' posterior).
        let members = &model.fields[2];
        assert!(members.weight(3) > 2.0 && members.weight(0) < 0.0, "{members:?}");
        let scorer = model.scorer();
        let p = |a, b| model.probability(scorer.weight(&comparer, &table, a, b));
        assert!(p(0, 7) > 0.9, "the name alone {}", p(0, 7));
        assert!(p(0, 14) > 0.99, "name and country {}", p(0, 14));
        assert!(p(0, 1) < 0.05, "{}", p(0, 1));
    }
}
