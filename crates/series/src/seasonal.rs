//! Seasonality: the average month-of-year profile as ratios to the trend.
//!
//! Classical multiplicative decomposition: each month's count is divided by
//! the centred 12-month moving average ([`crate::trend::moving_average`]);
//! over the calendar years where every month has that average, the factor of
//! a month of the year is the median of its ratios (the median rather than
//! the mean, so that a year of upheaval, such as 2015–16 on the Balkan
//! routes, does not make the profile), and the twelve factors are scaled to
//! average one. Strength follows Wang, Smith & Hyndman (2006) as in
//! Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed.,
//! §4.3): `max(0, 1 − Var(remainder) / Var(detrended))`, where detrended is
//! the ratio to the trend and remainder that ratio less its month's factor.

use serde::Serialize;

use crate::series::Series;
use crate::stats::{median, variance};
use crate::trend::moving_average;

/// A year counts towards the profile only with at least this many
/// detections (ten a month on average): the ratios of a handful of
/// detections to their average are noise.
pub const MIN_YEAR_TOTAL: u64 = 120;

/// How strong a seasonal pattern is, in bands of [`Seasonality::strength`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Strength below 0.3: the months barely differ beyond noise.
    Weak,
    /// Strength 0.3 to 0.6.
    Moderate,
    /// Strength 0.6 or more: the pattern explains most of the variation around the trend.
    Strong,
}

impl Strength {
    /// The band of a strength value.
    pub fn of(strength: f64) -> Strength {
        if strength >= 0.6 {
            Strength::Strong
        } else if strength >= 0.3 {
            Strength::Moderate
        } else {
            Strength::Weak
        }
    }
}

/// The seasonal profile of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seasonality {
    /// Factor of each month of the year (January first), as a ratio to the
    /// trend; they average one (1.4 = 40% above the trend).
    pub factors: Vec<f64>,
    /// The calendar years used.
    pub years: Vec<i32>,
    /// Strength of seasonality, 0 (none) to 1 (all variation around the trend is seasonal).
    pub strength: f64,
    /// The band of `strength`.
    pub band: Strength,
    /// The month of the year (1–12) with the highest factor.
    pub peak: u32,
    /// The month of the year (1–12) with the lowest factor.
    pub trough: u32,
}

/// The seasonal profile, or `None` when fewer than `min_years` full
/// calendar years (at least 2) have a positive trend for every month and
/// [`MIN_YEAR_TOTAL`] detections.
pub fn seasonality(series: &Series, min_years: usize) -> Option<Seasonality> {
    let ma = moving_average(&series.counts);
    let mut ratios: Vec<[f64; 12]> = Vec::new();
    let mut years = Vec::new();
    let first_january = (0..series.len()).find(|&i| series.month_at(i).month() == 1)?;
    let mut i = first_january;
    while i + 12 <= series.len() {
        let row: Option<Vec<f64>> =
            (i..i + 12).map(|t| ma[t].filter(|&m| m > 0.0).map(|m| series.counts[t] as f64 / m)).collect();
        let total: u64 = series.counts[i..i + 12].iter().sum();
        if let Some(row) = row.filter(|_| total >= MIN_YEAR_TOTAL) {
            let mut fixed = [0.0; 12];
            fixed.copy_from_slice(&row);
            ratios.push(fixed);
            years.push(series.month_at(i).year());
        }
        i += 12;
    }
    if ratios.len() < min_years.max(2) {
        return None;
    }
    let mut factors: Vec<f64> =
        (0..12).map(|m| median(&ratios.iter().map(|r| r[m]).collect::<Vec<_>>()).unwrap_or(1.0)).collect();
    let mean = factors.iter().sum::<f64>() / 12.0;
    if mean <= 0.0 {
        return None;
    }
    factors.iter_mut().for_each(|f| *f /= mean);
    let detrended: Vec<f64> = ratios.iter().flat_map(|r| r.iter().copied()).collect();
    let remainder: Vec<f64> = ratios.iter().flat_map(|r| r.iter().zip(&factors).map(|(x, f)| x - f)).collect();
    let total = variance(&detrended);
    let strength = if total > 0.0 { (1.0 - variance(&remainder) / total).clamp(0.0, 1.0) } else { 0.0 };
    let by = |better: fn(f64, f64) -> bool| {
        (0..12).fold(0usize, |best, m| if better(factors[m], factors[best]) { m } else { best }) as u32 + 1
    };
    Some(Seasonality {
        peak: by(|a, b| a > b),
        trough: by(|a, b| a < b),
        factors,
        years,
        strength,
        band: Strength::of(strength),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::month::Month;

    fn series(start: Month, counts: Vec<u64>) -> Series {
        Series::new(vec![], start, counts)
    }

    #[test]
    fn finds_a_known_summer_peak() {
        // Growing trend times a profile peaking in August, with a little noise.
        let profile = [0.4, 0.5, 0.7, 0.9, 1.1, 1.3, 1.6, 1.8, 1.4, 1.0, 0.7, 0.6];
        let mean: f64 = profile.iter().sum::<f64>() / 12.0;
        let counts: Vec<u64> = (0..96)
            .map(|t| {
                let noise = 1.0 + 0.03 * (((t * 7919) % 13) as f64 / 13.0 - 0.5);
                ((1000.0 + 10.0 * t as f64) * profile[t % 12] / mean * noise).round() as u64
            })
            .collect();
        let s = seasonality(&series(Month::new(2010, 1).unwrap(), counts), 2).unwrap();
        assert_eq!(s.peak, 8);
        assert_eq!(s.trough, 1);
        assert_eq!(s.band, Strength::Strong);
        assert!(s.strength > 0.9, "{}", s.strength);
        assert_eq!(s.years, (2011..=2016).collect::<Vec<_>>(), "2010 and 2017 lack a centred average for six months");
        for (m, f) in s.factors.iter().enumerate() {
            assert!((f - profile[m] / mean).abs() < 0.05, "month {}: {f}", m + 1);
        }
    }

    #[test]
    fn sparse_years_are_left_out() {
        let mut counts = vec![0u64; 60];
        counts[9] = 4;
        counts[33] = 2;
        assert!(seasonality(&series(Month::new(2010, 1).unwrap(), counts), 2).is_none());
    }

    #[test]
    fn a_flat_noisy_series_is_weak_and_short_ones_have_none() {
        let counts: Vec<u64> = (0..72).map(|t| 100 + ((t * 7919 + 13) % 17) as u64).collect();
        let s = seasonality(&series(Month::new(2010, 1).unwrap(), counts.clone()), 2).unwrap();
        assert_eq!(s.band, Strength::Weak, "{}", s.strength);
        assert!(seasonality(&series(Month::new(2010, 1).unwrap(), counts[..24].to_vec()), 2).is_none());
        assert!(seasonality(&series(Month::new(2010, 1).unwrap(), vec![0; 60]), 2).is_none());
    }
}
