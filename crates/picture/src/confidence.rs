//! The confidence of a figure, from the grading of the reports behind it and
//! their corroboration across independent agencies.
//!
//! Each report's confidence is `tessera_store::statement_confidence` of its
//! grading: source (reliable 0.9, untested 0.6, not reliable 0.3) times
//! assessment (known directly 1.0, known indirectly and corroborated 0.85,
//! known indirectly 0.6, not known 0.4, suspected false 0.05). Reports of one
//! agency are not independent of each other, so each agency counts once, with
//! its best report; agencies are taken as independent, so the figure's
//! confidence is `1 − Π(1 − best_a)` over the agencies `a`. A figure from
//! one agency has that agency's best confidence; a second agency can only
//! raise it.

use std::collections::BTreeMap;

/// Best confidence per agency, combined as independent evidence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corroboration {
    best: BTreeMap<String, f64>,
}

impl Corroboration {
    /// Adds one report of `agency` with confidence `c` (clamped to 0–1; not a number counts as 0).
    pub fn add(&mut self, agency: &str, c: f64) {
        let c = if c.is_nan() { 0.0 } else { c.clamp(0.0, 1.0) };
        let e = self.best.entry(agency.to_string()).or_insert(0.0);
        *e = e.max(c);
    }

    /// The number of independent agencies.
    pub fn agencies(&self) -> usize {
        self.best.len()
    }

    /// `1 − Π(1 − best_a)`, rounded to two decimals; 0 with no agency.
    pub fn confidence(&self) -> f64 {
        let miss: f64 = self.best.values().map(|c| 1.0 - c).product();
        if self.best.is_empty() { 0.0 } else { ((1.0 - miss) * 100.0).round() / 100.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_agency_counts_once_with_its_best_report() {
        let mut c = Corroboration::default();
        assert_eq!(c.confidence(), 0.0);
        c.add("NCA", 0.36);
        c.add("NCA", 0.9);
        c.add("NCA", 0.5);
        assert_eq!((c.agencies(), c.confidence()), (1, 0.9));
        c.add("BF", 0.6);
        // 1 − (0.1 × 0.4) = 0.96
        assert_eq!((c.agencies(), c.confidence()), (2, 0.96));
        c.add("FR", f64::NAN);
        c.add("DE", 7.0);
        assert_eq!((c.agencies(), c.confidence()), (4, 1.0));
    }

    #[test]
    fn a_second_agency_never_lowers_confidence() {
        for a in [0.05, 0.3, 0.54, 0.9] {
            for b in [0.0, 0.02, 0.4, 1.0] {
                let mut one = Corroboration::default();
                one.add("A", a);
                let mut two = one.clone();
                two.add("B", b);
                assert!(two.confidence() >= one.confidence(), "{a} {b}");
            }
        }
    }
}
