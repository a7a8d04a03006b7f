//! The Fellegi–Sunter model: for each field and agreement level, `m` is the
//! chance of that level among true matches and `u` among non-matches; the
//! evidence a level gives is `log2(m / u)` bits. `u` is estimated from
//! random pairs (almost all non-matches), `m` by expectation maximisation on
//! the candidate pairs, without any labels.

use std::collections::HashMap;

use crate::compare::{LEVELS, MISSING, Vector, compare, level_name};
use crate::normalise::{Normalised, Value};
use crate::record::{Role, Schema};

/// Whether a role describes where or how a person is reached, which whole
/// households share.
fn is_household(role: Role) -> bool {
    matches!(role, Role::Phone | Role::Address | Role::StreetNumber | Role::Suburb | Role::Postcode | Role::State)
}

/// Smallest probability kept, so that no level gives infinite evidence.
const FLOOR: f64 = 1e-5;

/// Parameters of one field.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FieldModel {
    /// Field name (from the schema).
    pub name: String,
    /// Field role.
    pub role: Role,
    /// P(level | match), by level.
    pub m: [f64; LEVELS],
    /// P(level | non-match), by level.
    pub u: [f64; LEVELS],
    /// For names: relative frequency of each exact value, so that agreeing on
    /// a rare name weighs more than agreeing on a common one.
    pub tf: HashMap<String, f64>,
}

impl FieldModel {
    /// Evidence in bits of a level, with the term-frequency adjustment for
    /// exact agreement on `value` when the field has frequencies.
    pub fn weight(&self, level: u8, value: Option<&str>) -> f64 {
        if level == MISSING {
            return 0.0;
        }
        let l = (level as usize).min(LEVELS - 1);
        let mut u = self.u[l];
        if l == LEVELS - 1
            && let Some(f) = value.and_then(|v| self.tf.get(v))
        {
            // A random pair agrees on this exact value with chance ~ its
            // frequency; bounded so one-off typos do not dominate.
            u = f.clamp(self.u[l] / 10.0, 1.0);
        }
        (self.m[l].max(FLOOR) / u.max(FLOOR)).log2()
    }
}

/// Tuning of model training.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    /// Random pairs drawn to estimate `u`.
    pub u_samples: usize,
    /// Most EM iterations.
    pub max_iterations: usize,
    /// Seed of the random pair sampler (runs are reproducible).
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig { u_samples: 200_000, max_iterations: 100, seed: 0x7e55e7a }
    }
}

/// A trained model.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Model {
    /// Per-field parameters, in schema order.
    pub fields: Vec<FieldModel>,
    /// Share of candidate pairs that are matches, as EM estimated it.
    pub lambda: f64,
    /// EM iterations run.
    pub iterations: usize,
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

fn count_levels(vectors: &[(Vector, f64)], fields: usize) -> Vec<[f64; LEVELS]> {
    let mut counts = vec![[0.0; LEVELS]; fields];
    for (v, w) in vectors {
        for (f, &l) in v.iter().enumerate() {
            if l != MISSING {
                counts[f][(l as usize).min(LEVELS - 1)] += w;
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

impl Model {
    /// Trains a model for `records`: `u` from random pairs (within the file,
    /// or across the split for a link), `m` and the match share by EM on the
    /// `candidates`, and name frequencies from the records.
    pub fn train(
        schema: &Schema,
        records: &[Normalised],
        candidates: &[(u32, u32)],
        split: Option<usize>,
        config: &TrainConfig,
    ) -> Model {
        let nf = schema.len();
        let n = records.len();
        // u from random pairs.
        let mut rng = SplitMix(config.seed);
        let mut sample = Vec::new();
        let all_pairs = match split {
            Some(s) if s > 0 && s < n => s * (n - s),
            Some(_) => 0,
            None => n * n.saturating_sub(1) / 2,
        };
        if all_pairs <= config.u_samples {
            // Few enough pairs to compare them all: u is then exact rather than sampled.
            for a in 0..n {
                for b in a + 1..n {
                    let crosses = split.is_none_or(|s| a < s && b >= s);
                    if crosses {
                        sample.push((compare(schema, &records[a], &records[b]), 1.0));
                    }
                }
            }
        } else {
            for _ in 0..config.u_samples {
                let (a, b) = match split {
                    Some(s) => (rng.below(s), s + rng.below(n - s)),
                    None => {
                        let a = rng.below(n);
                        let b = rng.below(n - 1);
                        (a, if b >= a { b + 1 } else { b })
                    }
                };
                sample.push((compare(schema, &records[a], &records[b]), 1.0));
            }
        }
        let u: Vec<[f64; LEVELS]> = count_levels(&sample, nf).into_iter().map(normalised).collect();

        // Candidate vectors, collapsed into distinct patterns.
        let mut patterns: HashMap<Vector, f64> = HashMap::new();
        for &(a, b) in candidates {
            if let (Some(x), Some(y)) = (records.get(a as usize), records.get(b as usize)) {
                *patterns.entry(compare(schema, x, y)).or_default() += 1.0;
            }
        }
        let patterns: Vec<(Vector, f64)> = patterns.into_iter().collect();
        let total: f64 = patterns.iter().map(|(_, c)| c).sum();

        let mut m: Vec<[f64; LEVELS]> = vec![[0.05, 0.05, 0.1, 0.8]; nf];
        // Inside EM the non-match class is the candidates' non-matches, which
        // blocking made more alike than random pairs; it gets its own `u`,
        // started from the random-pair one. Weights use the random-pair `u`.
        let mut u_em = u.clone();
        let mut lambda: f64 = 0.1;
        let mut iterations = 0;
        let mut posterior = vec![0.0; patterns.len()];
        while iterations < config.max_iterations && total > 0.0 {
            iterations += 1;
            for (p, (v, _)) in posterior.iter_mut().zip(&patterns) {
                let mut log_ratio = (lambda / (1.0 - lambda)).ln();
                for (f, &l) in v.iter().enumerate() {
                    if l != MISSING {
                        let l = (l as usize).min(LEVELS - 1);
                        log_ratio += (m[f][l].max(FLOOR) / u_em[f][l].max(FLOOR)).ln();
                    }
                }
                *p = 1.0 / (1.0 + (-log_ratio).exp());
            }
            let weighted: Vec<(Vector, f64)> =
                patterns.iter().zip(&posterior).map(|((v, c), p)| (v.clone(), c * p)).collect();
            let new_m: Vec<[f64; LEVELS]> = count_levels(&weighted, nf).into_iter().map(normalised).collect();
            let new_lambda = (weighted.iter().map(|(_, w)| w).sum::<f64>() / total).clamp(1e-6, 1.0 - 1e-6);
            let change = new_m
                .iter()
                .zip(&m)
                .flat_map(|(a, b)| a.iter().zip(b).map(|(x, y)| (x - y).abs()))
                .fold((new_lambda - lambda).abs(), f64::max);
            let non: Vec<(Vector, f64)> =
                patterns.iter().zip(&posterior).map(|((v, c), p)| (v.clone(), c * (1.0 - p))).collect();
            u_em = count_levels(&non, nf).into_iter().map(normalised).collect();
            m = new_m;
            lambda = new_lambda;
            if change < 1e-6 {
                break;
            }
        }

        let fields = schema
            .fields
            .iter()
            .enumerate()
            .map(|(f, (name, role))| {
                let mut tf = HashMap::new();
                if role.is_name() {
                    let mut count = 0.0;
                    for r in records {
                        if let Some(v @ Value::Name { .. }) = r.values.get(f)
                            && let Some(t) = v.text()
                        {
                            *tf.entry(t).or_insert(0.0) += 1.0;
                            count += 1.0;
                        }
                    }
                    tf.values_mut().for_each(|c| *c /= count);
                }
                FieldModel { name: name.clone(), role: *role, m: m[f], u: u[f], tf }
            })
            .collect();
        Model { fields, lambda, iterations }
    }

    /// Prior evidence in bits that a candidate pair is a match.
    pub fn prior(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// Per-field evidence of a pair, in schema order.
    fn contributions(&self, a: &Normalised, b: &Normalised, vector: &[u8]) -> Vec<f64> {
        self.fields
            .iter()
            .enumerate()
            .map(|(f, fm)| {
                let level = vector.get(f).copied().unwrap_or(MISSING);
                let value = a.values.get(f).and_then(Value::text);
                let same = value.is_some() && value == b.values.get(f).and_then(Value::text);
                fm.weight(level, if same { value.as_deref() } else { None })
            })
            .collect()
    }

    /// Bits to take off because household fields (phone, address, street
    /// number, suburb, postcode, state) agree together: people of one
    /// household share all of them, so they are one piece of evidence, not
    /// independent ones. Only the strongest agreement among them counts;
    /// their disagreements all count.
    fn household_discount(&self, contributions: &[f64]) -> f64 {
        let mut sum = 0.0;
        let mut max: f64 = 0.0;
        for (fm, &w) in self.fields.iter().zip(contributions) {
            if is_household(fm.role) && w > 0.0 {
                sum += w;
                max = max.max(w);
            }
        }
        sum - max
    }

    /// Match weight of a pair: the sum of `log2(m / u)` over its fields,
    /// with household fields' agreement counted once.
    pub fn weight(&self, a: &Normalised, b: &Normalised, vector: &[u8]) -> f64 {
        let c = self.contributions(a, b, vector);
        c.iter().sum::<f64>() - self.household_discount(&c)
    }

    /// Match probability for a weight: `1 / (1 + 2^-(prior + weight))`.
    pub fn probability(&self, weight: f64) -> f64 {
        1.0 / (1.0 + (-(self.prior() + weight)).exp2())
    }

    /// Compares and weighs a pair in one go.
    pub fn score(&self, schema: &Schema, a: &Normalised, b: &Normalised) -> f64 {
        self.weight(a, b, &compare(schema, a, b))
    }

    /// Why a pair got its weight: `(field, level, bits)` for every field,
    /// preceded by the prior, so an analyst can see each piece of evidence.
    pub fn explain(&self, schema: &Schema, a: &Normalised, b: &Normalised) -> Vec<(String, String, f64)> {
        let v = compare(schema, a, b);
        let mut out = vec![("prior".to_string(), "share of candidate pairs that match".to_string(), self.prior())];
        for (f, fm) in self.fields.iter().enumerate() {
            let level = v.get(f).copied().unwrap_or(MISSING);
            let value = a.values.get(f).and_then(Value::text);
            let same = value.is_some() && value == b.values.get(f).and_then(Value::text);
            let mut label = level_name(fm.role == Role::BirthDate, level).to_string();
            if same && !fm.tf.is_empty() {
                label.push_str(" (weighted by name frequency)");
            }
            out.push((fm.name.clone(), label, fm.weight(level, if same { value.as_deref() } else { None })));
        }
        let discount = self.household_discount(&self.contributions(a, b, &v));
        if discount > 0.0 {
            out.push(("household".to_string(), "household fields' agreement counted once".to_string(), -discount));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise_record;
    use crate::record::Record;

    type Pairs = Vec<(u32, u32)>;

    /// 60 people, 20 of them recorded twice with small variations.
    fn synthetic() -> (Schema, Vec<Normalised>, Pairs, Pairs) {
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
        let recs: Vec<Normalised> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| normalise_record(&schema, &Record { id: i.to_string(), fields: r.to_vec() }))
            .collect();
        // All pairs as candidates: EM has to separate them unaided.
        let mut cands = Vec::new();
        for a in 0..recs.len() as u32 {
            for b in a + 1..recs.len() as u32 {
                cands.push((a, b));
            }
        }
        (schema, recs, cands, truth)
    }

    #[test]
    fn em_converges_and_separates_matches() {
        let (schema, recs, cands, truth) = synthetic();
        let model = Model::train(&schema, &recs, &cands, None, &TrainConfig { u_samples: 5000, ..Default::default() });
        assert!(model.iterations < 100, "did not converge");
        // 20 matches among 3160 pairs.
        assert!(model.lambda > 0.002 && model.lambda < 0.02, "lambda {}", model.lambda);
        let dob = &model.fields[2];
        assert!(dob.m[3] > 0.85 && dob.u[3] < 0.05, "{dob:?}");
        let truth: std::collections::HashSet<_> = truth.into_iter().collect();
        for &(a, b) in &cands {
            let p = model.probability(model.score(&schema, &recs[a as usize], &recs[b as usize]));
            assert_eq!(p > 0.5, truth.contains(&(a, b)), "pair {a} {b} p {p}");
        }
        let why = model.explain(&schema, &recs[0], &recs[60]);
        assert_eq!(why.len(), 5);
        assert_eq!(why[3].0, "d");
        assert!(why[3].2 > 3.0);
    }

    #[test]
    fn rare_names_weigh_more() {
        let fm = FieldModel {
            name: "s".into(),
            role: Role::Surname,
            m: [0.1, 0.1, 0.1, 0.7],
            u: [0.9, 0.05, 0.04, 0.01],
            tf: HashMap::from([("smith".to_string(), 0.05), ("okonkwo".to_string(), 0.002)]),
        };
        assert!(fm.weight(3, Some("okonkwo")) > fm.weight(3, None));
        assert!(fm.weight(3, Some("smith")) < fm.weight(3, None));
        assert_eq!(fm.weight(MISSING, None), 0.0);
    }
}
