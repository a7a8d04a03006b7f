//! Runs the engine on the multi-agency synthetic sets (`synth_20k.csv`,
//! `synth_200k.csv`, gunzipped), printing pairwise and cluster metrics
//! against the `cluster_id` truth, blocking recall, the trained model and
//! CPU seconds.
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
    println!("  EM iterations {}, lambda {:.4}, CPU seconds {:.2}", res.model.iterations, res.model.lambda, cpu);
    for f in &res.model.fields {
        let w: Vec<String> = (0..4).map(|l| format!("{:+.1}", f.weight(l, None))).collect();
        println!("  {:12} m {:?} u {:?} bits {}", f.name, r(&f.m), r(&f.u), w.join(" "));
    }
    Ok(())
}

fn r(x: &[f64; 4]) -> [f64; 4] {
    x.map(|v| (v * 1000.0).round() / 1000.0)
}
