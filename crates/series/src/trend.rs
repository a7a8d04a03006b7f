//! Trend: the centred 12-month moving average, the change on the same month
//! a year before, and calendar-year totals with their year-on-year change.

use serde::Serialize;

use crate::month::Month;
use crate::series::Series;

/// A calendar year's total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearTotal {
    /// The year.
    pub year: i32,
    /// The sum of its months within the series' span.
    pub total: u64,
    /// How many of its months lie within the span (12 for a full year).
    pub months: u32,
    /// Relative change from the previous year over the same months
    /// (`0.25` is +25%); `None` for the first year or when the previous year was zero.
    pub change: Option<f64>,
}

/// The trend of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// The first month.
    pub start: Month,
    /// Centred 12-month moving average (a 2×12 average, weights 1/24 at both
    /// ends), for each month; `None` for the first and last six months.
    pub moving_average: Vec<Option<f64>>,
    /// Relative change on the same month a year before, for each month;
    /// `None` in the first year and when that month was zero.
    pub year_on_year: Vec<Option<f64>>,
    /// Calendar-year totals.
    pub years: Vec<YearTotal>,
    /// The last twelve months against the twelve before, when the series has 24 months.
    pub last_twelve_months: Option<RecentChange>,
}

/// The latest twelve months against the twelve before them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecentChange {
    /// The last month of the latest twelve.
    pub until: Month,
    /// The sum of the latest twelve months.
    pub latest: u64,
    /// The sum of the twelve months before them.
    pub previous: u64,
    /// Relative change (`None` when the previous twelve were zero).
    pub change: Option<f64>,
}

/// The centred 12-month moving average (2×12 MA), `None` where the window
/// does not fit in the series.
pub fn moving_average(counts: &[u64]) -> Vec<Option<f64>> {
    let n = counts.len();
    (0..n)
        .map(|t| {
            if t < 6 || t + 6 >= n {
                return None;
            }
            let inner: f64 = counts[t - 5..=t + 5].iter().map(|&c| c as f64).sum();
            Some((inner + (counts[t - 6] as f64 + counts[t + 6] as f64) / 2.0) / 12.0)
        })
        .collect()
}

fn relative(now: u64, before: u64) -> Option<f64> {
    (before > 0).then(|| now as f64 / before as f64 - 1.0)
}

/// The trend of a series.
pub fn trend(series: &Series) -> Trend {
    let counts = &series.counts;
    let year_on_year =
        (0..counts.len()).map(|t| if t < 12 { None } else { relative(counts[t], counts[t - 12]) }).collect();
    let mut years: Vec<YearTotal> = Vec::new();
    for (month, count) in series.iter() {
        match years.last_mut() {
            Some(y) if y.year == month.year() => {
                y.total = y.total.saturating_add(count);
                y.months += 1;
            }
            _ => years.push(YearTotal { year: month.year(), total: count, months: 1, change: None }),
        }
    }
    for year in &mut years {
        // The same months of the previous year, so a part year compares like with like.
        let first = series.start.max(Month::new(year.year, 1).unwrap_or(series.start));
        let months: Vec<Month> = (0..year.months as i32).map(|i| first.plus(i)).collect();
        let covered = months.iter().all(|m| m.plus(-12) >= series.start);
        if covered && year.year > series.start.year() {
            let before: u64 = months.iter().map(|m| series.get(m.plus(-12))).sum();
            year.change = relative(year.total, before);
        }
    }
    let n = counts.len();
    let last_twelve_months = (n >= 24).then(|| {
        let latest: u64 = counts[n - 12..].iter().sum();
        let previous: u64 = counts[n - 24..n - 12].iter().sum();
        RecentChange { until: series.end(), latest, previous, change: relative(latest, previous) }
    });
    Trend { start: series.start, moving_average: moving_average(counts), year_on_year, years, last_twelve_months }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_average_of_a_line_is_the_line() {
        let counts: Vec<u64> = (0..30).map(|t| 10 + 2 * t).collect();
        let ma = moving_average(&counts);
        assert_eq!(ma.iter().filter(|v| v.is_some()).count(), 30 - 12);
        for (t, v) in ma.iter().enumerate() {
            if let Some(v) = v {
                assert!((v - counts[t] as f64).abs() < 1e-9, "{t}: {v}");
            }
        }
    }

    #[test]
    fn moving_average_removes_a_pure_seasonal_pattern() {
        let pattern = [1u64, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        let counts: Vec<u64> = pattern.iter().cycle().take(48).copied().collect();
        for v in moving_average(&counts).into_iter().flatten() {
            assert!((v - 6.5).abs() < 1e-9, "{v}");
        }
    }

    #[test]
    fn annual_totals_compare_like_with_like() {
        // 2019-07 .. 2021-03: part year, full year, part year.
        let start = Month::new(2019, 7).unwrap();
        let counts: Vec<u64> = (0..21)
            .map(|t| {
                if t < 6 {
                    10
                } else if t < 18 {
                    20
                } else {
                    40
                }
            })
            .collect();
        let t = trend(&Series::new(vec![], start, counts));
        assert_eq!(
            t.years.iter().map(|y| (y.year, y.total, y.months)).collect::<Vec<_>>(),
            vec![(2019, 60, 6), (2020, 240, 12), (2021, 120, 3)]
        );
        assert_eq!(t.years[0].change, None);
        assert_eq!(t.years[1].change, None, "2020-01..06 lie before the start");
        assert!((t.years[2].change.unwrap() - 1.0).abs() < 1e-12, "40 a month against 20");
        assert!((t.year_on_year[18].unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(t.year_on_year[11], None);
        assert!(t.last_twelve_months.is_none());
    }
}
