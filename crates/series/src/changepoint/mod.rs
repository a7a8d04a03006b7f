//! Change points of a monthly count series: where its level breaks.
//!
//! The default model is a change in mean of `ln(1 + count)` with normal
//! noise of one variance, fitted exactly by [`pelt`] with a BIC penalty:
//!
//! - Why the log: detections move multiplicatively (a route that carries
//!   200,000 a month varies by tens of thousands, one that carries 500 by
//!   hundreds), and the log makes that variation comparable across levels;
//!   `1 +` keeps months with no detections.
//! - Why not Poisson: monthly detections are far more dispersed than Poisson
//!   (the same boats arrive in bursts; weather and enforcement swing whole
//!   months), so a Poisson cost with a BIC penalty marks nearly every month
//!   as a change. It is offered ([`CostModel::Poisson`]) for data that is
//!   Poisson-like.
//! - The penalty: BIC counts two parameters per change (its location and the
//!   new mean), `2 ln n` in units of twice the negative log-likelihood, as
//!   the `changepoint` R package's "BIC"/"SIC" penalty for a change in mean;
//!   with the sum-of-squares cost that is `2 σ² ln n`. σ is estimated
//!   robustly from the month-to-month differences,
//!   `σ = MAD(Δy) / (0.6745 √2)`, which the level shifts themselves barely
//!   affect (they are a few outlying differences). MBIC (`3 ln n`, Zhang &
//!   Siegmund 2007) and a fixed value are options.
//! - Seasons: a route's summer peak is not a break, so by default the
//!   month-of-year profile ([`crate::seasonal`]) is taken off the log
//!   counts first when it is at least moderate ([`seasonally_adjusted`]);
//!   without that, a strongly seasonal route such as the Central
//!   Mediterranean gets a break every spring and autumn, and the real
//!   break can hide among them.
//! - A minimum segment length (default 3 months) keeps one odd month from
//!   being reported as two breaks.

mod cost;
mod pelt;

pub use cost::{Cost, NormalMean, Poisson};
pub use pelt::{optimal_partitioning, pelt, penalised_cost};
use serde::Serialize;

use crate::month::Month;
use crate::series::Series;
use crate::stats::median;

/// The segment cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostModel {
    /// Change in mean of `ln(1 + count)`, normal noise of one variance (the default).
    NormalLog1p,
    /// Change in rate of Poisson counts.
    Poisson,
}

/// How the penalty per change is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Penalty {
    /// BIC: `2 ln n` per change (times σ² for the normal cost).
    Bic,
    /// Modified BIC of Zhang & Siegmund (2007): `3 ln n` per change (times σ²).
    Mbic,
    /// This value, in the cost's own units.
    Fixed(f64),
}

/// How to look for change points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Options {
    /// The segment cost.
    pub cost: CostModel,
    /// The penalty per change.
    pub penalty: Penalty,
    /// The shortest segment, in months (at least 1).
    pub min_segment: usize,
    /// Remove the month-of-year profile ([`crate::seasonal`]) before
    /// segmenting the normal cost, so that a summer peak is not a break.
    pub seasonal_adjust: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { cost: CostModel::NormalLog1p, penalty: Penalty::Bic, min_segment: 3, seasonal_adjust: true }
    }
}

/// Up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The level rose.
    Up,
    /// The level fell.
    Down,
}

/// One break in level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangePoint {
    /// The first month of the new level.
    pub month: Month,
    /// Its position in the series.
    pub index: usize,
    /// Typical detections a month over the segment before: exp of the
    /// segment's mean of `ln(1 + count)` (seasons taken off when they were
    /// for segmenting), minus one; the same scale as `size`, so the
    /// direction always agrees with the two levels (the arithmetic mean of
    /// a bursty segment can rise where its typical month falls).
    pub level_before: f64,
    /// Typical detections a month over the segment after (as `level_before`).
    pub level_after: f64,
    /// The size: change in the segments' mean of `ln(1 + count)`, with the
    /// seasons taken off when they were for segmenting (0.69 is a doubling,
    /// −0.69 a halving; −2.3 a fall to a tenth).
    pub size: f64,
    /// Up or down.
    pub direction: Direction,
}

/// A stretch of months at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// The first month.
    pub start: Month,
    /// The last month.
    pub end: Month,
    /// Mean detections a month.
    pub level: f64,
}

/// The change points of a series and the segments between them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangePoints {
    /// The options used.
    pub options: Options,
    /// The penalty per change actually applied, in the cost's units.
    pub penalty: f64,
    /// The noise standard deviation of `ln(1 + count)` behind the penalty (normal cost only).
    pub sigma: Option<f64>,
    /// Whether the seasonal profile was taken off before segmenting.
    pub seasonally_adjusted: bool,
    /// The breaks, in time order.
    pub breaks: Vec<ChangePoint>,
    /// The segments, in time order.
    pub segments: Vec<Segment>,
}

/// `ln(1 + count)` of each month.
pub fn log1p(counts: &[u64]) -> Vec<f64> {
    counts.iter().map(|&c| (c as f64).ln_1p()).collect()
}

/// Robust noise standard deviation from first differences:
/// `MAD(Δy) / (0.6745 √2)`; when more than half the differences are zero
/// (a sparse series), the standard deviation of the differences over √2.
pub fn noise_sigma(values: &[f64]) -> f64 {
    let diffs: Vec<f64> = values.windows(2).map(|w| w[1] - w[0]).collect();
    let Some(centre) = median(&diffs) else { return 0.0 };
    let deviations: Vec<f64> = diffs.iter().map(|d| (d - centre).abs()).collect();
    let mad = median(&deviations).unwrap_or(0.0);
    if mad > 0.0 {
        return mad / (0.674_489_75 * std::f64::consts::SQRT_2);
    }
    (crate::stats::variance(&diffs)).sqrt() / std::f64::consts::SQRT_2
}

/// The penalty per change for `n` points of a series (σ for the normal cost).
pub fn penalty_value(penalty: Penalty, cost: CostModel, n: usize, sigma: f64) -> f64 {
    let scale = match cost {
        CostModel::NormalLog1p => sigma * sigma,
        CostModel::Poisson => 1.0,
    };
    let ln_n = (n.max(2) as f64).ln();
    match penalty {
        Penalty::Bic => 2.0 * ln_n * scale,
        Penalty::Mbic => 3.0 * ln_n * scale,
        Penalty::Fixed(value) => value,
    }
}

/// The change points of a series.
pub fn change_points(series: &Series, options: &Options) -> ChangePoints {
    let logs = log1p(&series.counts);
    let n = series.len();
    let adjusted = match options.cost {
        CostModel::NormalLog1p if options.seasonal_adjust => seasonally_adjusted(series, &logs),
        _ => None,
    };
    let signal = adjusted.as_deref().unwrap_or(&logs);
    let (breaks, penalty, sigma) = match options.cost {
        CostModel::NormalLog1p => {
            let sigma = noise_sigma(signal);
            let penalty = penalty_value(options.penalty, options.cost, n, sigma);
            // Without noise (a constant series) nothing can be a break.
            let breaks = if sigma > 0.0 || matches!(options.penalty, Penalty::Fixed(_)) {
                pelt(&NormalMean::new(signal), penalty, options.min_segment)
            } else {
                Vec::new()
            };
            (breaks, penalty, Some(sigma))
        }
        CostModel::Poisson => {
            let penalty = penalty_value(options.penalty, options.cost, n, 1.0);
            (pelt(&Poisson::new(&series.counts), penalty, options.min_segment), penalty, None)
        }
    };
    let mut found = describe(series, signal, &breaks, *options, penalty, sigma);
    found.seasonally_adjusted = adjusted.is_some();
    found
}

/// `ln(1 + count)` less the log of its month's seasonal factor, when the
/// series has a seasonal profile of at least moderate strength with every
/// factor between 0.1 and 10 (a weak profile is mostly noise, and removing
/// it would add noise).
pub fn seasonally_adjusted(series: &Series, logs: &[f64]) -> Option<Vec<f64>> {
    let profile = crate::seasonal::seasonality(series, 2)?;
    if profile.band == crate::seasonal::Strength::Weak || profile.factors.iter().any(|f| !(0.1..=10.0).contains(f)) {
        return None;
    }
    Some(
        logs.iter()
            .enumerate()
            .map(|(i, y)| y - profile.factors[series.month_at(i).month() as usize - 1].ln())
            .collect(),
    )
}

fn describe(
    series: &Series,
    logs: &[f64],
    breaks: &[usize],
    options: Options,
    penalty: f64,
    sigma: Option<f64>,
) -> ChangePoints {
    let mut bounds = vec![0];
    bounds.extend_from_slice(breaks);
    bounds.push(series.len());
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len().max(1) as f64;
    let segments: Vec<(Segment, f64)> = bounds
        .windows(2)
        .filter(|w| w[1] > w[0])
        .map(|w| {
            let counts: Vec<f64> = series.counts[w[0]..w[1]].iter().map(|&c| c as f64).collect();
            let segment =
                Segment { start: series.month_at(w[0]), end: series.month_at(w[1] - 1), level: mean(&counts) };
            (segment, mean(&logs[w[0]..w[1]]))
        })
        .collect();
    let breaks = breaks
        .iter()
        .zip(segments.windows(2))
        .map(|(&index, pair)| {
            let size = pair[1].1 - pair[0].1;
            ChangePoint {
                month: series.month_at(index),
                index,
                level_before: pair[0].1.exp_m1(),
                level_after: pair[1].1.exp_m1(),
                size,
                direction: if size >= 0.0 { Direction::Up } else { Direction::Down },
            }
        })
        .collect();
    ChangePoints {
        options,
        penalty,
        sigma,
        seasonally_adjusted: false,
        breaks,
        segments: segments.into_iter().map(|(s, _)| s).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Multiplicative noise of up to ±10% from a fixed xorshift sequence.
    fn noisy(levels: &[(usize, f64)]) -> Vec<u64> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut counts = Vec::new();
        for &(months, level) in levels {
            for _ in 0..months {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let uniform = (state >> 11) as f64 / (1u64 << 53) as f64;
                counts.push((level * (1.0 + 0.2 * (uniform - 0.5))).round() as u64);
            }
        }
        counts
    }

    fn series(counts: Vec<u64>) -> Series {
        Series::new(vec!["synthetic".into()], Month::new(2014, 1).unwrap(), counts)
    }

    #[test]
    fn finds_a_collapse_and_a_rise_with_their_levels() {
        let s = series(noisy(&[(27, 50_000.0), (24, 3_000.0), (30, 9_000.0)]));
        let cp = change_points(&s, &Options::default());
        let months: Vec<String> = cp.breaks.iter().map(|b| b.month.to_string()).collect();
        assert_eq!(months, vec!["2016-04", "2018-04"]);
        let collapse = &cp.breaks[0];
        assert_eq!(collapse.direction, Direction::Down);
        assert!((collapse.level_before / 50_000.0 - 1.0).abs() < 0.03, "{}", collapse.level_before);
        assert!((collapse.level_after / 3_000.0 - 1.0).abs() < 0.03, "{}", collapse.level_after);
        assert!((collapse.size - (3_000f64 / 50_000.0).ln()).abs() < 0.05, "{}", collapse.size);
        assert_eq!(cp.breaks[1].direction, Direction::Up);
        assert_eq!(cp.segments.len(), 3);
        assert_eq!(cp.segments[2].end.to_string(), "2020-09");
    }

    #[test]
    fn steady_noise_has_no_breaks() {
        let s = series(noisy(&[(120, 2_000.0)]));
        assert!(change_points(&s, &Options::default()).breaks.is_empty());
        let constant = series(vec![7; 40]);
        let cp = change_points(&constant, &Options::default());
        assert!(cp.breaks.is_empty());
        assert_eq!(cp.segments.len(), 1);
        assert!(change_points(&series(vec![]), &Options::default()).segments.is_empty());
    }

    #[test]
    fn poisson_finds_breaks_in_poisson_like_counts() {
        let s = series(noisy(&[(20, 40.0), (20, 80.0)]));
        let options = Options { cost: CostModel::Poisson, ..Options::default() };
        let cp = change_points(&s, &options);
        assert_eq!(cp.breaks.iter().map(|b| b.index).collect::<Vec<_>>(), vec![20]);
    }

    #[test]
    fn penalties_follow_bic_and_mbic() {
        assert!((penalty_value(Penalty::Bic, CostModel::Poisson, 100, 9.0) - 2.0 * 100f64.ln()).abs() < 1e-12);
        assert!((penalty_value(Penalty::Mbic, CostModel::NormalLog1p, 100, 0.5) - 0.75 * 100f64.ln()).abs() < 1e-12);
        assert_eq!(penalty_value(Penalty::Fixed(4.0), CostModel::NormalLog1p, 100, 0.5), 4.0);
        let sigma = noise_sigma(&[0.0, 1.0, 0.0, 1.0, 0.0, 1.0]);
        assert!(sigma > 0.0);
        assert_eq!(noise_sigma(&[3.0; 10]), 0.0);
    }
}
