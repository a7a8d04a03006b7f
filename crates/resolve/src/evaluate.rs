//! Measuring a resolution against the truth: pairwise precision, recall and
//! F1, and cluster-level F1 over the pairs implied by the clusters.

use std::collections::{HashMap, HashSet};

use crate::ResolveError;

/// Precision, recall and F1 of predicted pairs against true pairs.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Metrics {
    /// Predicted pairs that are true.
    pub true_positives: usize,
    /// Predicted pairs that are not true.
    pub false_positives: usize,
    /// True pairs not predicted.
    pub false_negatives: usize,
    /// TP / (TP + FP), 1 when nothing was predicted.
    pub precision: f64,
    /// TP / (TP + FN), 1 when there is nothing to find.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

fn unordered(a: u32, b: u32) -> (u32, u32) {
    (a.min(b), a.max(b))
}

/// Pairwise metrics; pairs are unordered and deduplicated, self-pairs ignored.
pub fn pairwise(predicted: &[(u32, u32)], truth: &[(u32, u32)]) -> Metrics {
    let p: HashSet<(u32, u32)> = predicted.iter().filter(|(a, b)| a != b).map(|&(a, b)| unordered(a, b)).collect();
    let t: HashSet<(u32, u32)> = truth.iter().filter(|(a, b)| a != b).map(|&(a, b)| unordered(a, b)).collect();
    let tp = p.intersection(&t).count();
    let (fp, fn_) = (p.len() - tp, t.len() - tp);
    let precision = if p.is_empty() { 1.0 } else { tp as f64 / p.len() as f64 };
    let recall = if t.is_empty() { 1.0 } else { tp as f64 / t.len() as f64 };
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    Metrics { true_positives: tp, false_positives: fp, false_negatives: fn_, precision, recall, f1 }
}

/// All pairs within each cluster.
pub fn cluster_pairs(clusters: &[Vec<u32>]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for c in clusters {
        for (i, &a) in c.iter().enumerate() {
            for &b in &c[i + 1..] {
                out.push(unordered(a, b));
            }
        }
    }
    out
}

/// Clusters implied by true pairs (their connected components).
pub fn truth_clusters(truth: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let mut parent: HashMap<u32, u32> = HashMap::new();
    fn root(parent: &mut HashMap<u32, u32>, x: u32) -> u32 {
        let mut r = x;
        while let Some(&p) = parent.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        parent.insert(x, r);
        r
    }
    for &(a, b) in truth {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let keys: Vec<u32> = parent.keys().copied().collect();
    let mut groups: HashMap<u32, Vec<u32>> = HashMap::new();
    for k in keys {
        let r = root(&mut parent, k);
        groups.entry(r).or_default().push(k);
    }
    groups.into_values().collect()
}

/// Cluster-level metrics: pairs inside predicted clusters against pairs
/// inside true clusters (the transitive closure of the true pairs), so a
/// wrongly merged or wrongly split cluster costs every pair it affects.
pub fn cluster_metrics(clusters: &[Vec<u32>], truth: &[(u32, u32)]) -> Metrics {
    pairwise(&cluster_pairs(clusters), &cluster_pairs(&truth_clusters(truth)))
}

/// Reads a truth file of identifier pairs (header line, two columns) and
/// maps identifiers to record numbers with `index`; pairs naming unknown
/// identifiers are an error naming the line.
pub fn read_truth(path: &str, index: &HashMap<String, u32>) -> Result<Vec<(u32, u32)>, ResolveError> {
    let file = std::fs::File::open(path).map_err(|source| ResolveError::Io { path: path.to_string(), source })?;
    let mut reader = csv::Reader::from_reader(std::io::BufReader::new(file));
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| ResolveError::Csv {
            path: path.to_string(),
            line: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let mut ids = [0u32; 2];
        for (k, slot) in ids.iter_mut().enumerate() {
            let id = row.get(k).unwrap_or("").trim();
            *slot = *index.get(id).ok_or_else(|| ResolveError::Field {
                path: path.to_string(),
                line,
                column: format!("#{}", k + 1),
                message: format!("unknown record {id:?}"),
            })?;
        }
        out.push((ids[0], ids[1]));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_counts() {
        let m = pairwise(&[(1, 0), (2, 3), (0, 1)], &[(0, 1), (4, 5)]);
        assert_eq!((m.true_positives, m.false_positives, m.false_negatives), (1, 1, 1));
        assert!((m.f1 - 0.5).abs() < 1e-9);
    }

    #[test]
    fn cluster_metrics_use_closure() {
        let truth = [(0, 1), (1, 2)];
        let m = cluster_metrics(&[vec![0, 1, 2], vec![3]], &truth);
        assert_eq!(m.f1, 1.0);
        let m = cluster_metrics(&[vec![0, 1], vec![2]], &truth);
        assert_eq!((m.true_positives, m.false_negatives), (1, 2));
    }
}
