//! Runs the engine on the multi-agency synthetic sets (`synth_20k.csv`,
//! `synth_200k.csv`, gunzipped), printing pairwise and cluster metrics
//! against the `cluster_id` truth, blocking recall, the trained model and
//! CPU seconds.
//!
//! It also prints "oracle-m": the same comparisons scored with m taken from
//! the truth, the ceiling of training. `SHOW_ERRORS=1` prints sample false
//! pairs with their evidence, `SHOW_RULES=1` each blocking rule's candidates
//! and recall, `SHOW_ABLATION=1` the recall without each rule.
//!
//! `cargo run --release -p tessera-resolve --example synth [FILE.csv]`

use std::collections::HashMap;

use tessera_resolve::evaluate::{cluster_metrics, pairwise};
use tessera_resolve::{Config, Role, Schema, blocking_recall, dedupe, read_csv};

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
    let config = Config::new(Schema::new(COLUMNS));
    let t0 = cpu_seconds();
    let recs = read_csv(&path, "record_id", &COLUMNS)?;
    let res = dedupe(&recs, &config)?;
    let cpu = cpu_seconds() - t0;
    // Truth: records sharing a cluster_id.
    let with_truth = read_csv(&path, "record_id", &[("cluster_id", Role::Other)])?;
    let mut by: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, r) in with_truth.iter().enumerate() {
        by.entry(r.fields[0].as_str()).or_default().push(i as u32);
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
        "  EM iterations {}, lambda {:.4}, prior {:.2} bits, CPU seconds {:.2}",
        res.model.iterations, res.model.lambda, res.model.prior, cpu
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
    for &(a, b) in &res.candidates {
        let w = oracle.weight(&comparer, &res.table, a as usize, b as usize);
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
    // Samples of errors, with their evidence.
    if std::env::var("SHOW_ERRORS").is_ok() {
        let mut fp = 0;
        for p in res.pairs.iter().filter(|p| !tset.contains(&(p.left, p.right))).step_by(97) {
            if fp < 10 {
                fp += 1;
                println!(
                    "FP p={:.3} {:?}\n   {:?}",
                    p.probability, recs[p.left as usize].fields, recs[p.right as usize].fields
                );
                let why: Vec<String> =
                    res.explain(&config.schema, p).iter().map(|(f, l, w)| format!("{f}:{l}:{w:+.1}")).collect();
                println!("   {}", why.join(" | "));
            }
        }
        let predicted: std::collections::HashSet<(u32, u32)> = res.pairs.iter().map(|p| (p.left, p.right)).collect();
        let mut fnn = 0;
        for &(a, b) in res.candidates.iter().filter(|c| tset.contains(c) && !predicted.contains(c)).step_by(37) {
            if fnn < 10 {
                fnn += 1;
                let w = res.model.weight(&comparer, &res.table, a as usize, b as usize);
                let p =
                    tessera_resolve::ScoredPair { left: a, right: b, weight: w, probability: res.model.probability(w) };
                println!("FN p={:.3} {:?}\n   {:?}", p.probability, recs[a as usize].fields, recs[b as usize].fields);
                let why: Vec<String> =
                    res.explain(&config.schema, &p).iter().map(|(f, l, w)| format!("{f}:{l}:{w:+.1}")).collect();
                println!("   {}", why.join(" | "));
            }
        }
    }
    // Missed true pairs by blocking.
    let cset: std::collections::HashSet<(u32, u32)> = res.candidates.iter().copied().collect();
    let mut shown = 0;
    for &(a, b) in &tset {
        if !cset.contains(&(a, b)) && shown < 12 {
            shown += 1;
            println!("  missed {:?} | {:?}", recs[a as usize].fields, recs[b as usize].fields);
        }
    }
    Ok(())
}

fn cset_contains(c: &[(u32, u32)], p: &(u32, u32)) -> bool {
    c.binary_search(p).is_ok()
}

fn r(x: &[f64; 5]) -> [f64; 5] {
    x.map(|v| (v * 1000.0).round() / 1000.0)
}
