//! Exact optimal segmentation under a linear penalty: PELT (Killick,
//! Fearnhead & Eckley 2012, "Optimal detection of changepoints with a linear
//! computational cost", JASA 107(500)), with a minimum segment length.
//!
//! `F(t) = min over τ of F(τ) + C(τ, t) + β`, `F(0) = −β`. A candidate τ with
//! `F(τ) + C(τ, t) > F(t)` can never be the last change before any later
//! `s >= t + m` (m the minimum segment length), because `t` itself is then
//! an admissible last change for `s` and does better; so it is dropped, but
//! only from `t + m` on (the usual statement, with m = 1, drops it at once).
//! That keeps the result equal to the quadratic optimal partitioning
//! ([`optimal_partitioning`]), which the tests check on random series.

use super::cost::Cost;

/// Where each segment after the first starts (indices into the series,
/// ascending), for the segmentation minimising total cost plus `penalty`
/// per change, with every segment at least `min_segment` long (1 or more).
pub fn pelt<C: Cost + ?Sized>(cost: &C, penalty: f64, min_segment: usize) -> Vec<usize> {
    let n = cost.len();
    let m = min_segment.max(1);
    if n < 2 * m {
        return Vec::new();
    }
    let mut best = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    best[0] = -penalty;
    // (τ, the time from which it is pruned)
    let mut candidates: Vec<(usize, Option<usize>)> = Vec::new();
    for t in m..=n {
        let admitted = t - m;
        if admitted == 0 || admitted >= m {
            candidates.push((admitted, None));
        }
        candidates.retain(|&(_, pruned)| pruned.is_none_or(|p| t < p + m));
        let mut value = f64::INFINITY;
        let mut arg = 0;
        let mut totals = Vec::with_capacity(candidates.len());
        for &(tau, _) in &candidates {
            let total = best[tau] + cost.cost(tau, t);
            totals.push(total);
            if total < value {
                value = total;
                arg = tau;
            }
        }
        best[t] = value + penalty;
        last[t] = arg;
        let slack = 1e-9 * (1.0 + best[t].abs());
        for ((_, pruned), total) in candidates.iter_mut().zip(totals) {
            if pruned.is_none() && total > best[t] + slack {
                *pruned = Some(t);
            }
        }
    }
    backtrack(&last, n)
}

/// The same optimum by plain dynamic programming over every admissible last
/// change (quadratic; the reference PELT is checked against).
pub fn optimal_partitioning<C: Cost + ?Sized>(cost: &C, penalty: f64, min_segment: usize) -> Vec<usize> {
    let n = cost.len();
    let m = min_segment.max(1);
    if n < 2 * m {
        return Vec::new();
    }
    let mut best = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    best[0] = -penalty;
    for t in m..=n {
        for tau in (0..=t - m).filter(|&tau| tau == 0 || tau >= m) {
            let total = best[tau] + cost.cost(tau, t) + penalty;
            if total < best[t] {
                best[t] = total;
                last[t] = tau;
            }
        }
    }
    backtrack(&last, n)
}

/// The total penalised cost of a segmentation (changes at `breaks`).
pub fn penalised_cost<C: Cost + ?Sized>(cost: &C, breaks: &[usize], penalty: f64) -> f64 {
    let mut bounds = vec![0];
    bounds.extend_from_slice(breaks);
    bounds.push(cost.len());
    bounds.windows(2).map(|w| cost.cost(w[0], w[1])).sum::<f64>() + penalty * breaks.len() as f64
}

fn backtrack(last: &[usize], n: usize) -> Vec<usize> {
    let mut breaks = Vec::new();
    let mut t = n;
    while t > 0 {
        t = last[t];
        if t > 0 {
            breaks.push(t);
        }
    }
    breaks.reverse();
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changepoint::cost::{NormalMean, Poisson};
    use proptest::prelude::*;

    #[test]
    fn finds_two_clear_mean_shifts() {
        let mut values = vec![0.0; 30];
        values.extend(vec![5.0; 20]);
        values.extend(vec![1.0; 25]);
        let noise: Vec<f64> =
            values.iter().enumerate().map(|(i, v)| v + 0.1 * ((i * 37 % 11) as f64 - 5.0) / 5.0).collect();
        let cost = NormalMean::new(&noise);
        assert_eq!(pelt(&cost, 1.0, 1), vec![30, 50]);
        assert_eq!(pelt(&cost, 1.0, 3), vec![30, 50]);
        assert_eq!(pelt(&cost, 1e6, 1), Vec::<usize>::new(), "a huge penalty allows no change");
    }

    #[test]
    fn short_series_have_no_changes() {
        assert!(pelt(&NormalMean::new(&[1.0, 9.0, 1.0]), 0.0, 2).is_empty());
        assert!(pelt(&NormalMean::new(&[]), 1.0, 1).is_empty());
    }

    proptest! {
        #[test]
        fn pelt_equals_optimal_partitioning_normal(
            values in prop::collection::vec(prop_oneof![0.0f64..1.0, 3.0f64..4.0, 8.0f64..9.0], 0..60),
            penalty in 0.0f64..6.0,
            m in 1usize..5,
        ) {
            let cost = NormalMean::new(&values);
            let fast = pelt(&cost, penalty, m);
            let slow = optimal_partitioning(&cost, penalty, m);
            let (a, b) = (penalised_cost(&cost, &fast, penalty), penalised_cost(&cost, &slow, penalty));
            prop_assert!((a - b).abs() <= 1e-7 * (1.0 + b.abs()), "{fast:?} {a} vs {slow:?} {b}");
            let mut bounds = vec![0];
            bounds.extend(&fast);
            bounds.push(values.len());
            prop_assert!(fast.is_empty() || bounds.windows(2).all(|w| w[1] - w[0] >= m), "{fast:?}");
        }

        #[test]
        fn pelt_equals_optimal_partitioning_poisson(
            counts in prop::collection::vec(prop_oneof![0u64..3, 20u64..30, 200u64..260], 0..60),
            penalty in 0.0f64..20.0,
            m in 1usize..4,
        ) {
            let cost = Poisson::new(&counts);
            let fast = pelt(&cost, penalty, m);
            let slow = optimal_partitioning(&cost, penalty, m);
            let (a, b) = (penalised_cost(&cost, &fast, penalty), penalised_cost(&cost, &slow, penalty));
            prop_assert!((a - b).abs() <= 1e-7 * (1.0 + b.abs()), "{fast:?} {a} vs {slow:?} {b}");
        }
    }
}
