//! Runs the engine on the multi-agency synthetic sets (`synth_20k.csv`,
//! `synth_200k.csv`, gunzipped), printing pairwise and cluster metrics
//! against the `cluster_id` truth, blocking recall, the trained model and
//! CPU seconds.
//!
//! It also prints "oracle-m": the same comparisons scored with m taken from
//! the truth, the ceiling of training. `SHOW_ERRORS=1` prints sample false
//! pairs with their evidence, `SHOW_TALLY=1` the false pairs counted by the
//! levels that decided them, `SHOW_RULES=1` each blocking rule's candidates
//! and recall, `SHOW_ABLATION=1` the recall without each rule,
//! `SKIP_RULES=A,B` runs without those blocking rules (names as printed), and
//! `TIME_COMPARE=1` the nanoseconds per comparison, all fields and each
//! field alone, over the candidates and over random pairs; `SWEEP=1` the
//! pairwise metrics at other thresholds and of the candidate pairs that
//! ended in one cluster; `EXPLAIN=A:B,C:D` the evidence for those pairs of
//! record numbers; `DUMP=FILE` every candidate pair with its features and
//! truth label, for `bench/er/ceiling.py`; `DECIDE_QUEUE=K` first decides
//! every K-th pair of the review queue by the truth, as an analyst would,
//! and measures the run that learns from and obeys those decisions
//! (`NO_LEARN=1`: only obeys them). The run's steps are timed (wall
//! and CPU) on every run.
//!
//! `cargo run --release -p tessera-resolve --example synth [FILE.csv]`

use std::collections::HashMap;

use tessera_resolve::evaluate::{cluster_metrics, pairwise};
use tessera_resolve::{Config, Progress, Role, Schema, blocking_recall, dedupe_with, read_csv};

/// Wall and CPU time of each step of the run, printed at the end.
#[derive(Default)]
struct Phases {
    current: Option<(String, std::time::Instant, f64)>,
    done: Vec<(String, f64, f64)>,
}

impl Phases {
    fn close(&mut self) {
        if let Some((name, start, cpu)) = self.current.take() {
            self.done.push((name, start.elapsed().as_secs_f64(), cpu_seconds() - cpu));
        }
    }
}

impl Progress for Phases {
    fn step(&mut self, name: &str, _: u64) {
        self.close();
        self.current = Some((name.to_string(), std::time::Instant::now(), cpu_seconds()));
    }
    fn advance(&mut self, _: u64) {}
}

const COLUMNS: [(&str, Role); 10] = [
    ("given_name", Role::GivenName),
    ("surname", Role::Surname),
    ("dob", Role::BirthDate),
    ("sex", Role::Sex),
    ("nationality", Role::Nationality),
    ("phone", Role::Phone),
    ("passport_no", Role::DocumentNumber),
    ("address", Role::Address),
    ("city", Role::Suburb),
    ("postcode", Role::Postcode),
];

fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    let rest = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "/tmp/synth_20k.csv".to_string());
    // Truth: records sharing a cluster_id (read before the CPU clock starts).
    let with_truth = read_csv(&path, "record_id", &[("cluster_id", Role::Other)])?;
    let mut config = Config::new(Schema::new(COLUMNS));
    if let Ok(skip) = std::env::var("SKIP_RULES") {
        config.rules.retain(|r| !skip.split(',').any(|s| format!("{r:?}") == s));
    }
    let mut t0 = cpu_seconds();
    let recs = read_csv(&path, "record_id", &COLUMNS)?;
    let mut phases = Phases::default();
    if let Some(k) = std::env::var("DECIDE_QUEUE").ok().and_then(|k| k.parse::<usize>().ok()).filter(|&k| k > 0) {
        decide_queue(&recs, &with_truth, &mut config, k)?;
        // `NO_LEARN=1`: the decisions only bind the clusters.
        config.train.learn_from_decisions = std::env::var_os("NO_LEARN").is_none();
        // The CPU seconds printed are the measured run's (reading aside).
        t0 = cpu_seconds();
    }
    let res = dedupe_with(&recs, &config, &mut phases)?;
    phases.close();
    let cpu = cpu_seconds() - t0;
    let steps: Vec<String> =
        phases.done.iter().map(|(n, wall, cpu)| format!("{n} {wall:.2}s wall {cpu:.2}s cpu")).collect();
    println!("  steps: {}", steps.join(" | "));
    let mut by: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, r) in with_truth.iter().enumerate() {
        by.entry(r.field(0)).or_default().push(i as u32);
    }
    let mut truth = Vec::new();
    for members in by.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                truth.push((a, b));
            }
        }
    }
    let predicted: Vec<(u32, u32)> = res.pairs.iter().map(|p| (p.left, p.right)).collect();
    let pw = pairwise(&predicted, &truth);
    let cl = cluster_metrics(&res.clusters, &truth);
    println!("{path}: {} records, {} true pairs", recs.len(), truth.len());
    println!(
        "  candidate pairs {}, blocking recall {:.4}",
        res.candidates.len(),
        blocking_recall(&res.candidates, &truth)
    );
    println!(
        "  pairwise P {:.4} R {:.4} F1 {:.4} (tp {} fp {} fn {})",
        pw.precision, pw.recall, pw.f1, pw.true_positives, pw.false_positives, pw.false_negatives
    );
    println!("  cluster  P {:.4} R {:.4} F1 {:.4}", cl.precision, cl.recall, cl.f1);
    println!(
        "  EM iterations {}, lambda {:.4}, prior {:.2} bits, {} decisions learnt from, CPU seconds {:.2}",
        res.model.iterations, res.model.lambda, res.model.prior, res.model.decisions, cpu
    );
    for f in &res.model.fields {
        let w: Vec<String> = (0..5).map(|l| format!("{:+.1}", f.weight(l))).collect();
        println!("  {:12} m {:?} u {:?} bits {}", f.name, r(&f.m), r(&f.u), w.join(" "));
    }
    // Oracle: level frequencies among true matches and non-matches of the candidates.
    let tset: std::collections::HashSet<(u32, u32)> = truth.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    let nf = config.schema.len();
    let comparer = tessera_resolve::Comparer::new(&config.schema, &res.table);
    let mut counts = vec![[[0usize; 6]; 2]; nf];
    for &(a, b) in &res.candidates {
        let (p, _) = comparer.compare(a as usize, b as usize);
        let t = tset.contains(&(a, b)) as usize;
        for (f, c) in counts.iter_mut().enumerate() {
            let l = p.level(f);
            c[t][if l == 15 { 5 } else { l as usize }] += 1;
        }
    }
    for (f, c) in counts.iter().enumerate() {
        println!("  oracle {:12} match {:?} non-match {:?}", config.schema.fields[f].0, c[1], c[0]);
    }
    // Ceiling: the same comparisons scored with m taken from the truth.
    let mut oracle = res.model.clone();
    for (f, fm) in oracle.fields.iter_mut().enumerate() {
        let c = counts[f][1];
        let total: usize = c[..5].iter().sum();
        if total > 0 {
            for (m, &count) in fm.m.iter_mut().zip(&c[..5]) {
                *m = (count as f64 / total as f64).max(1e-5);
            }
        }
    }
    let matches = tset.iter().filter(|p| cset_contains(&res.candidates, p)).count() as f64;
    let n = recs.len() as f64;
    oracle.prior = (matches / (n * (n - 1.0) / 2.0)).log2();
    let mut pred = Vec::new();
    let oracle_scorer = oracle.scorer();
    for &(a, b) in &res.candidates {
        let w = oracle_scorer.weight(&comparer, &res.table, a as usize, b as usize);
        if oracle.probability(w) >= 0.5 {
            pred.push((a, b));
        }
    }
    let pw = pairwise(&pred, &truth);
    println!("  oracle-m pairwise P {:.4} R {:.4} F1 {:.4}", pw.precision, pw.recall, pw.f1);
    if std::env::var("SHOW_ABLATION").is_ok() {
        let all = tessera_resolve::Rule::defaults();
        for skip in &all {
            let rules: Vec<_> = all.iter().copied().filter(|r| r != skip).collect();
            let c =
                tessera_resolve::blocking::candidate_pairs(&config.schema, &res.table, &rules, config.max_block, None);
            println!("  without {skip:?}: {} candidates, recall {:.4}", c.len(), blocking_recall(&c, &truth));
        }
    }
    if std::env::var("SHOW_RULES").is_ok() {
        for rule in tessera_resolve::Rule::defaults() {
            {
                let max = config.max_block;
                let c = tessera_resolve::blocking::candidate_pairs(&config.schema, &res.table, &[rule], max, None);
                println!(
                    "  rule {rule:?} max {max}: {} candidates, recall {:.4}",
                    c.len(),
                    blocking_recall(&c, &truth)
                );
            }
        }
    }
    // Nanoseconds per comparison, per field alone, over the candidates and
    // over random pairs.
    if std::env::var("TIME_COMPARE").is_ok() {
        let refs: Vec<&tessera_resolve::Record> = recs.iter().collect();
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        let random: Vec<(u32, u32)> =
            (0..1_000_000).map(|_| (next(recs.len()) as u32, next(recs.len()) as u32)).collect();
        let time = |schema: &Schema, refs: &[&tessera_resolve::Record], pairs: &[(u32, u32)]| {
            let started = std::time::Instant::now();
            let table = tessera_resolve::Table::build(schema, refs);
            if pairs.len() != 1_000_000 {
                print!("  [normalised in {:.0} ms]", started.elapsed().as_secs_f64() * 1000.0);
            }
            let c = tessera_resolve::Comparer::new(schema, &table);
            let t = std::time::Instant::now();
            let mut sink = 0u64;
            for &(a, b) in pairs {
                sink = sink.wrapping_add(c.compare(a as usize, b as usize).0.0);
            }
            std::hint::black_box(sink);
            t.elapsed().as_nanos() as f64 / pairs.len() as f64
        };
        println!(
            "  ns per comparison: all fields {:.0} (candidates) {:.0} (random)",
            time(&config.schema, &refs, &res.candidates),
            time(&config.schema, &refs, &random)
        );
        // The same, on the given name and surname together and on each field alone.
        let mut subsets: Vec<(&str, Vec<usize>)> = vec![("both names", vec![0, 1])];
        subsets.extend(COLUMNS.iter().enumerate().map(|(k, (name, _))| (*name, vec![k])));
        for (label, fields) in subsets {
            let schema = Schema::new(fields.iter().map(|&k| COLUMNS[k]));
            let projected: Vec<tessera_resolve::Record> = recs
                .iter()
                .map(|r| tessera_resolve::Record::new(r.id.clone(), fields.iter().map(|&k| r.field(k))))
                .collect();
            let refs: Vec<&tessera_resolve::Record> = projected.iter().collect();
            println!(
                "    {label:12} {:5.0} (candidates) {:5.0} (random)",
                time(&schema, &refs, &res.candidates),
                time(&schema, &refs, &random)
            );
        }
    }
    // Pairwise F1 at other thresholds (what a threshold chosen with the truth would give).
    if std::env::var("SWEEP").is_ok() {
        let scorer = res.model.scorer();
        let probability: Vec<(f64, bool)> = res
            .candidates
            .iter()
            .map(|&(a, b)| {
                let w = scorer.weight(&comparer, &res.table, a as usize, b as usize);
                (res.model.probability(w), tset.contains(&(a, b)))
            })
            .collect();
        let mut cluster_of = vec![0u32; recs.len()];
        for (c, members) in res.clusters.iter().enumerate() {
            for &m in members {
                cluster_of[m as usize] = c as u32;
            }
        }
        let same: Vec<(u32, u32)> =
            res.candidates.iter().copied().filter(|&(a, b)| cluster_of[a as usize] == cluster_of[b as usize]).collect();
        let m = pairwise(&same, &truth);
        println!("  candidates inside one cluster: P {:.4} R {:.4} F1 {:.4}", m.precision, m.recall, m.f1);
        for t in [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.97, 0.99] {
            let tp = probability.iter().filter(|(p, m)| *p >= t && *m).count() as f64;
            let fp = probability.iter().filter(|(p, m)| *p >= t && !*m).count() as f64;
            let (p, r) = (tp / (tp + fp), tp / truth.len() as f64);
            println!("  threshold {t}: P {p:.4} R {r:.4} F1 {:.4}", 2.0 * p * r / (p + r));
        }
    }
    // Errors tallied by the evidence that decided them: household (phone or
    // address equal), date of birth, given name and surname levels.
    if std::env::var("SHOW_TALLY").is_ok() {
        let predicted: std::collections::HashSet<(u32, u32)> = res.pairs.iter().map(|p| (p.left, p.right)).collect();
        let mut tally: HashMap<(bool, String), usize> = HashMap::new();
        for &(a, b) in &res.candidates {
            let is_true = tset.contains(&(a, b));
            if is_true == predicted.contains(&(a, b)) {
                continue;
            }
            let (p, sw) = comparer.compare(a as usize, b as usize);
            let l = |f: usize| match p.level(f) {
                15 => "-".to_string(),
                x => x.to_string(),
            };
            let key = format!(
                "hh{} dob{} g{} s{} sex{} nat{} ph{} pp{} ad{}{}",
                (p.level(5) == 4 || p.level(7) == 4) as u8,
                l(2),
                l(0),
                l(1),
                l(3),
                l(4),
                l(5),
                l(6),
                l(7),
                if sw { " swapped" } else { "" }
            );
            *tally.entry((is_true, key)).or_default() += 1;
        }
        for kind in [false, true] {
            let mut rows: Vec<_> = tally.iter().filter(|((t, _), _)| *t == kind).collect();
            rows.sort_by(|x, y| y.1.cmp(x.1));
            let total: usize = rows.iter().map(|r| r.1).sum();
            println!("  {} {total}:", if kind { "FN (among candidates)" } else { "FP" });
            for ((_, k), c) in rows.iter().take(25) {
                println!("    {c:6} {k}");
            }
        }
    }
    // A pair of record numbers scored and printed with its evidence, `label` first.
    let show = |label: &str, a: u32, b: u32| {
        let w = res.model.scorer().weight(&comparer, &res.table, a as usize, b as usize);
        let p = tessera_resolve::ScoredPair::new(a, b, w, res.model.probability(w));
        println!(
            "{label} p={:.3} {:?}\n   {:?}",
            p.probability,
            recs[a as usize].fields().collect::<Vec<_>>(),
            recs[b as usize].fields().collect::<Vec<_>>()
        );
        let why: Vec<String> =
            res.explain(&config.schema, &p).iter().map(|(f, l, w)| format!("{f}:{l}:{w:+.1}")).collect();
        println!("   {}", why.join(" | "));
    };
    // Samples of errors, with their evidence.
    if std::env::var("SHOW_ERRORS").is_ok() {
        for p in res.pairs.iter().filter(|p| !tset.contains(&(p.left, p.right))).step_by(97).take(10) {
            show("FP", p.left, p.right);
        }
        let predicted: std::collections::HashSet<(u32, u32)> = res.pairs.iter().map(|p| (p.left, p.right)).collect();
        for &(a, b) in res.candidates.iter().filter(|c| tset.contains(c) && !predicted.contains(c)).step_by(37).take(10)
        {
            show("FN", a, b);
        }
    }
    if let Ok(list) = std::env::var("EXPLAIN") {
        for pair in list.split(',') {
            match pair.split_once(':').and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?))) {
                Some((a, b)) if (a.max(b) as usize) < recs.len() => show(pair, a, b),
                _ => println!("EXPLAIN: {pair:?} is not A:B with two record numbers below {}", recs.len()),
            }
        }
    }
    if let Ok(out) = std::env::var("DUMP") {
        dump(&out, &res, &comparer, &tset)?;
        println!("  candidates with their features written to {out}");
    }
    // Missed true pairs by blocking.
    let cset: std::collections::HashSet<(u32, u32)> = res.candidates.iter().copied().collect();
    let mut shown = 0;
    for &(a, b) in &tset {
        if !cset.contains(&(a, b)) && shown < 12 {
            shown += 1;
            println!(
                "  missed {:?} | {:?}",
                recs[a as usize].fields().collect::<Vec<_>>(),
                recs[b as usize].fields().collect::<Vec<_>>()
            );
        }
    }
    Ok(())
}

/// Plays an analyst who works through the review queue: runs once with the
/// queue's floor (0.1), decides every `k`-th pair with a probability below
/// 0.99 by the truth, and puts the decisions in `config` for the run that
/// is measured (where they train the model and bind the clusters).
fn decide_queue(
    recs: &[tessera_resolve::Record],
    truth: &[tessera_resolve::Record],
    config: &mut Config,
    k: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut first = config.clone();
    first.review_floor = Some(0.1);
    let queued = dedupe_with(recs, &first, &mut Phases::default())?;
    let queue: Vec<_> = queued.pairs.iter().filter(|p| p.probability < 0.99).collect();
    config.rulings = queue
        .iter()
        .step_by(k)
        .map(|p| tessera_resolve::Ruling {
            left: recs[p.left as usize].id.clone(),
            right: recs[p.right as usize].id.clone(),
            verdict: if truth[p.left as usize].field(0) == truth[p.right as usize].field(0) {
                tessera_resolve::Verdict::Same
            } else {
                tessera_resolve::Verdict::Different
            },
        })
        .collect();
    let same = config.rulings.iter().filter(|r| r.verdict == tessera_resolve::Verdict::Same).count();
    println!("  review queue {} pairs; {} decided, {same} of them one person", queue.len(), config.rulings.len());
    Ok(())
}

/// Writes every candidate pair with what a learner could use: its truth
/// label, the engine's weight, each field's level and evidence bits, the
/// jaro-winkler similarity of the names (straight and crosswise) and the
/// years between the dates of birth. `bench/er/ceiling.py` fits a supervised
/// model to it: how far any scorer of these pairs could go.
fn dump(
    path: &str,
    res: &tessera_resolve::Resolution,
    comparer: &tessera_resolve::Comparer,
    truth: &std::collections::HashSet<(u32, u32)>,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    let level_cols: Vec<String> = names.iter().map(|n| format!("level_{n}")).collect();
    let bit_cols: Vec<String> = names.iter().map(|n| format!("bits_{n}")).collect();
    writeln!(
        w,
        "a,b,truth,weight,swapped,{},{},jw_given,jw_surname,jw_cross1,jw_cross2,years_apart",
        level_cols.join(","),
        bit_cols.join(",")
    )?;
    let scorer = res.model.scorer();
    let table = &res.table;
    let folded = |f: usize, r: usize| table.name(f, r).map(|v| v.folded.as_bytes());
    let jw = |x: Option<&[u8]>, y: Option<&[u8]>| match (x, y) {
        (Some(x), Some(y)) => format!("{:.4}", tessera_resolve::compare::jaro_winkler(x, y)),
        _ => String::new(),
    };
    for &(a, b) in &res.candidates {
        let (ai, bi) = (a as usize, b as usize);
        let comparison = comparer.compare(ai, bi);
        let weight = scorer.weight_of(table, ai, bi, comparison.0, comparison.1);
        let levels: Vec<String> = (0..names.len()).map(|f| comparison.0.level(f).to_string()).collect();
        let mut bits = Vec::with_capacity(names.len());
        scorer.evidence_of(comparer.kinds(), table, ai, bi, comparison, |field, _, v| {
            if names.contains(&field) {
                bits.push(format!("{v:.3}"));
            }
        });
        bits.resize(names.len(), String::new());
        let years = match (table.date(2, ai).and_then(|d| d.year), table.date(2, bi).and_then(|d| d.year)) {
            (Some(x), Some(y)) => x.abs_diff(y).to_string(),
            _ => String::new(),
        };
        writeln!(
            w,
            "{a},{b},{},{weight:.3},{},{},{},{},{},{},{},{years}",
            truth.contains(&(a, b)) as u8,
            comparison.1 as u8,
            levels.join(","),
            bits.join(","),
            jw(folded(0, ai), folded(0, bi)),
            jw(folded(1, ai), folded(1, bi)),
            jw(folded(0, ai), folded(1, bi)),
            jw(folded(1, ai), folded(0, bi)),
        )?;
    }
    w.flush()
}

fn cset_contains(c: &[(u32, u32)], p: &(u32, u32)) -> bool {
    c.binary_search(p).is_ok()
}

fn r(x: &[f64; 5]) -> [f64; 5] {
    x.map(|v| (v * 1000.0).round() / 1000.0)
}
