//! End-to-end dedupe of FEBRL3 (5,000 records, 6,538 true pairs), asserting
//! only facts measured with a wide margin: blocking keeps nearly all true
//! pairs and the unsupervised model finds nearly all of them precisely.

use std::collections::HashMap;

use tessera_resolve::evaluate::{cluster_metrics, pairwise, read_truth};
use tessera_resolve::{Config, Role, Schema, blocking_recall, dedupe, read_csv};

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

/// FEBRL3's records and its true pairs by record number.
type Febrl3 = (Vec<tessera_resolve::Record>, Vec<(u32, u32)>);

/// FEBRL3, or `None` when the shared data set is not there.
fn febrl3() -> Option<Febrl3> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/er");
    let path = format!("{dir}/febrl3.csv");
    if !std::path::Path::new(&path).exists() {
        eprintln!("skipping: {path} not found");
        return None;
    }
    let recs = read_csv(&path, "rec_id", &COLUMNS).unwrap();
    let index: HashMap<String, u32> = recs.iter().enumerate().map(|(i, r)| (r.id.clone(), i as u32)).collect();
    let truth = read_truth(&format!("{dir}/febrl3_true_pairs.csv"), &index).unwrap();
    Some((recs, truth))
}

#[test]
fn febrl3_dedupe() {
    let Some((recs, truth)) = febrl3() else { return };
    assert_eq!(recs.len(), 5000);
    assert_eq!(truth.len(), 6538);

    let config = Config::new(Schema::new(COLUMNS));
    let res = dedupe(&recs, &config).unwrap();
    // Measured: 8,384 candidates of 12.5 million pairs, recall 0.9965.
    assert!(res.candidates.len() < 50_000, "{} candidates", res.candidates.len());
    let recall = blocking_recall(&res.candidates, &truth);
    assert!(recall >= 0.98, "blocking recall {recall}");
    // Measured: pairwise F1 0.9977, cluster F1 0.9994.
    let predicted: Vec<(u32, u32)> = res.pairs.iter().map(|p| (p.left, p.right)).collect();
    let pw = pairwise(&predicted, &truth);
    assert!(pw.f1 >= 0.97, "{pw:?}");
    let cl = cluster_metrics(&res.clusters, &truth);
    assert!(cl.f1 >= 0.97, "{cl:?}");
    let mut seen: Vec<u32> = res.clusters.iter().flatten().copied().collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..5000).collect::<Vec<u32>>());
}

/// Analysts' decisions train the model: deciding (by the answer key) the
/// pairs a review queue shows (probability from 0.1 to 0.99), EM learns
/// from them as pairs whose answer it knows, the pairs' own probabilities
/// move towards the decisions, and the run stays as good on all pairs.
#[test]
fn decisions_on_the_review_queue_train_the_model() {
    let Some((recs, truth)) = febrl3() else { return };
    let true_pairs: std::collections::HashSet<(u32, u32)> = truth.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();

    let mut config = Config::new(Schema::new(COLUMNS));
    config.review_floor = Some(0.1);
    let before = dedupe(&recs, &config).unwrap();
    assert_eq!(before.model.decisions, 0);
    let queue: Vec<(u32, u32)> =
        before.pairs.iter().filter(|p| p.probability < 0.99).map(|p| (p.left, p.right)).collect();
    // Enough pairs for the decisions to teach something (48 in 2026-11).
    assert!(queue.len() >= 40, "{} pairs in the queue", queue.len());
    config.rulings = queue
        .iter()
        .map(|&(a, b)| tessera_resolve::Ruling {
            left: recs[a as usize].id.clone(),
            right: recs[b as usize].id.clone(),
            verdict: if true_pairs.contains(&(a, b)) {
                tessera_resolve::Verdict::Same
            } else {
                tessera_resolve::Verdict::Different
            },
        })
        .collect();
    let after = dedupe(&recs, &config).unwrap();
    assert_eq!(after.model.decisions, queue.len());
    // How far the decided pairs' probabilities are from the decisions, on average.
    let gap = |res: &tessera_resolve::Resolution| {
        let probability: HashMap<(u32, u32), f64> =
            res.pairs.iter().map(|p| ((p.left, p.right), p.probability)).collect();
        let sum: f64 = queue
            .iter()
            .map(|pair| {
                let p = probability.get(pair).copied().unwrap_or(0.0);
                if true_pairs.contains(pair) { 1.0 - p } else { p }
            })
            .sum();
        sum / queue.len() as f64
    };
    let (gap_before, gap_after) = (gap(&before), gap(&after));
    eprintln!("{} decisions: mean gap to them {gap_before:.4} -> {gap_after:.4}", queue.len());
    assert!(gap_after < gap_before, "{gap_before} -> {gap_after}");
    let predicted: Vec<(u32, u32)> =
        after.pairs.iter().filter(|p| p.probability >= 0.5).map(|p| (p.left, p.right)).collect();
    let pw = pairwise(&predicted, &truth);
    assert!(pw.f1 >= 0.99, "{pw:?}");
}
