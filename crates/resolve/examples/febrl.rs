//! Runs the engine on the FEBRL benchmark sets: dedupe of `febrl3.csv` and a
//! link of `febrl4_a.csv` with `febrl4_b.csv`, printing pairwise and cluster
//! metrics, candidate pairs, blocking recall and CPU seconds.
//!
//! `cargo run --release -p tessera-resolve --example febrl [DATA_DIR]`

use std::collections::HashMap;

use tessera_resolve::evaluate::{cluster_metrics, pairwise, read_truth};
use tessera_resolve::{Config, Record, Role, Schema, blocking_recall, dedupe, link, read_csv};

const COLUMNS: [(&str, Role); 10] = [
    ("given_name", Role::GivenName),
    ("surname", Role::Surname),
    ("street_number", Role::StreetNumber),
    ("address_1", Role::Address),
    ("address_2", Role::Address),
    ("suburb", Role::Suburb),
    ("postcode", Role::Postcode),
    ("state", Role::State),
    ("date_of_birth", Role::BirthDate),
    ("soc_sec_id", Role::DocumentNumber),
];

/// CPU seconds (user + system) of this process, from /proc on Linux.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    let rest = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn index(sets: &[&[Record]]) -> HashMap<String, u32> {
    sets.iter().flat_map(|s| s.iter()).enumerate().map(|(i, r)| (r.id.clone(), i as u32)).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/er".to_string());
    let config = Config::new(Schema::new(COLUMNS));

    let t0 = cpu_seconds();
    let recs = read_csv(&format!("{dir}/febrl3.csv"), "rec_id", &COLUMNS)?;
    let res = dedupe(&recs, &config)?;
    let cpu = cpu_seconds() - t0;
    let truth = read_truth(&format!("{dir}/febrl3_true_pairs.csv"), &index(&[&recs]))?;
    report("febrl3 dedupe", &res, &truth, cpu);
    if let Some(p) = res.pairs.iter().find(|p| p.probability < 0.9) {
        println!("  explain {} ~ {}:", recs[p.left as usize].id, recs[p.right as usize].id);
        for (field, level, w) in res.explain(&config.schema, p) {
            println!("    {field:14} {level:45} {w:+.2}");
        }
    }

    let t0 = cpu_seconds();
    let a = read_csv(&format!("{dir}/febrl4_a.csv"), "rec_id", &COLUMNS)?;
    let b = read_csv(&format!("{dir}/febrl4_b.csv"), "rec_id", &COLUMNS)?;
    let res = link(&a, &b, &config)?;
    let cpu = cpu_seconds() - t0;
    let truth = read_truth(&format!("{dir}/febrl4_true_pairs.csv"), &index(&[&a, &b]))?;
    report("febrl4 link", &res, &truth, cpu);
    Ok(())
}

fn report(name: &str, res: &tessera_resolve::Resolution, truth: &[(u32, u32)], cpu: f64) {
    let offset = res.split.unwrap_or(0) as u32;
    let predicted: Vec<(u32, u32)> = res.pairs.iter().map(|p| (p.left, p.right + offset)).collect();
    let pw = pairwise(&predicted, truth);
    let cl = cluster_metrics(&res.clusters, truth);
    println!("{name}:");
    println!(
        "  candidate pairs {}, blocking recall {:.4}",
        res.candidates.len(),
        blocking_recall(&res.candidates, truth)
    );
    println!(
        "  pairwise P {:.4} R {:.4} F1 {:.4} (tp {} fp {} fn {})",
        pw.precision, pw.recall, pw.f1, pw.true_positives, pw.false_positives, pw.false_negatives
    );
    println!("  cluster  P {:.4} R {:.4} F1 {:.4}", cl.precision, cl.recall, cl.f1);
    println!("  EM iterations {}, lambda {:.4}, CPU seconds {:.2}", res.model.iterations, res.model.lambda, cpu);
}
