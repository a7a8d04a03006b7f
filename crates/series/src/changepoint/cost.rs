//! Segment costs for PELT: twice the negative maximised log-likelihood of a
//! segment under a constant-level model, computed in O(1) from prefix sums.
//! Both satisfy `C(a, c) >= C(a, b) + C(b, c)` (a split never fits worse),
//! which is what makes PELT's pruning exact with no extra constant.

/// The cost of a segment `start..end` (half-open) of a series.
pub trait Cost {
    /// The number of points.
    fn len(&self) -> usize;
    /// Whether there are no points.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The cost of `start..end` (`start < end <= len`).
    fn cost(&self, start: usize, end: usize) -> f64;
}

/// Change in mean of normal data with a common variance: the segment's sum
/// of squared deviations from its mean (the `l2` cost of `ruptures`). Used
/// on `ln(1 + count)`, where it is twice the negative log-likelihood times
/// the variance.
#[derive(Debug, Clone)]
pub struct NormalMean {
    sum: Vec<f64>,
    sum_sq: Vec<f64>,
}

impl NormalMean {
    /// Prefix sums of `values`.
    pub fn new(values: &[f64]) -> NormalMean {
        let mut sum = Vec::with_capacity(values.len() + 1);
        let mut sum_sq = Vec::with_capacity(values.len() + 1);
        let (mut s, mut q) = (0.0, 0.0);
        sum.push(0.0);
        sum_sq.push(0.0);
        for &v in values {
            s += v;
            q += v * v;
            sum.push(s);
            sum_sq.push(q);
        }
        NormalMean { sum, sum_sq }
    }
}

impl Cost for NormalMean {
    fn len(&self) -> usize {
        self.sum.len() - 1
    }

    fn cost(&self, start: usize, end: usize) -> f64 {
        let n = (end - start) as f64;
        let s = self.sum[end] - self.sum[start];
        let q = self.sum_sq[end] - self.sum_sq[start];
        (q - s * s / n).max(0.0)
    }
}

/// Change in rate of Poisson counts: `2 (S − S ln(S / n))` for a segment of
/// `n` months summing to `S` (the `ln x!` terms, the same for every
/// segmentation, are left out).
#[derive(Debug, Clone)]
pub struct Poisson {
    sum: Vec<f64>,
}

impl Poisson {
    /// Prefix sums of `counts`.
    pub fn new(counts: &[u64]) -> Poisson {
        let mut sum = Vec::with_capacity(counts.len() + 1);
        let mut s = 0.0;
        sum.push(0.0);
        for &c in counts {
            s += c as f64;
            sum.push(s);
        }
        Poisson { sum }
    }
}

impl Cost for Poisson {
    fn len(&self) -> usize {
        self.sum.len() - 1
    }

    fn cost(&self, start: usize, end: usize) -> f64 {
        let s = self.sum[end] - self.sum[start];
        if s <= 0.0 {
            return 0.0;
        }
        2.0 * (s - s * (s / (end - start) as f64).ln())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cost_is_the_sum_of_squares() {
        let c = NormalMean::new(&[1.0, 2.0, 3.0, 10.0]);
        assert!((c.cost(0, 3) - 2.0).abs() < 1e-12);
        assert!((c.cost(3, 4)).abs() < 1e-12);
        assert!(c.cost(0, 4) >= c.cost(0, 3) + c.cost(3, 4));
    }

    #[test]
    fn poisson_cost_rewards_splitting_different_rates() {
        let c = Poisson::new(&[2, 2, 2, 40, 40, 40]);
        assert!(c.cost(0, 6) > c.cost(0, 3) + c.cost(3, 6) + 50.0);
        assert_eq!(Poisson::new(&[0, 0]).cost(0, 2), 0.0);
    }
}
