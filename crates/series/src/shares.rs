//! Shifts between series of one set (routes): each series' share of the
//! set's total per calendar year or quarter, and the largest changes of
//! share between consecutive periods.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::month::Month;
use crate::series::SeriesSet;

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Calendar years (`2015`).
    Year,
    /// Calendar quarters (`2015-Q3`).
    Quarter,
}

impl Period {
    fn label(self, month: Month) -> (i32, u32) {
        match self {
            Period::Year => (month.year(), 0),
            Period::Quarter => (month.year(), month.quarter()),
        }
    }

    fn months(self) -> u32 {
        match self {
            Period::Year => 12,
            Period::Quarter => 3,
        }
    }

    fn name(self, (year, quarter): (i32, u32)) -> String {
        match self {
            Period::Year => year.to_string(),
            Period::Quarter => format!("{year}-Q{quarter}"),
        }
    }
}

/// One series' count and share in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyShare {
    /// The series (its key joined by " / ").
    pub key: String,
    /// Its count in the period.
    pub count: u64,
    /// Its share of the period's total (0–1; 0 when the total is 0).
    pub share: f64,
}

/// The shares in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodShares {
    /// `2015` or `2015-Q3`.
    pub period: String,
    /// Whether every month of the period lies within the set's span.
    pub complete: bool,
    /// The total of all series.
    pub total: u64,
    /// Each series, in the set's order.
    pub shares: Vec<KeyShare>,
}

/// A change of share between two consecutive complete periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareShift {
    /// The series.
    pub key: String,
    /// The earlier period.
    pub from: String,
    /// The later period.
    pub to: String,
    /// Share in the earlier period (0–1).
    pub share_before: f64,
    /// Share in the later period (0–1).
    pub share_after: f64,
    /// `share_after − share_before` (0.25 is 25 percentage points).
    pub change: f64,
}

/// Each series' share of the set's total per period, over the set's span.
pub fn shares(set: &SeriesSet, period: Period) -> Vec<PeriodShares> {
    let Some((first, last)) = set.span else { return Vec::new() };
    let mut counts: BTreeMap<(i32, u32), (u32, Vec<u64>)> = BTreeMap::new();
    for i in 0..=first.months_until(last) {
        let month = first.plus(i);
        let entry = counts.entry(period.label(month)).or_insert_with(|| (0, vec![0; set.series.len()]));
        entry.0 += 1;
        for (slot, series) in entry.1.iter_mut().zip(&set.series) {
            *slot = slot.saturating_add(series.get(month));
        }
    }
    counts
        .into_iter()
        .map(|(label, (months, counts))| {
            let total = counts.iter().fold(0u64, |a, &c| a.saturating_add(c));
            let shares = set
                .series
                .iter()
                .zip(counts)
                .map(|(s, count)| KeyShare {
                    key: s.name(),
                    count,
                    share: if total > 0 { count as f64 / total as f64 } else { 0.0 },
                })
                .collect();
            PeriodShares { period: period.name(label), complete: months == period.months(), total, shares }
        })
        .collect()
}

/// The `limit` largest changes of share (by size, either way) between
/// consecutive complete periods with detections; a part period (the
/// first or last of a span) is left out, because its months' seasons would
/// bias the comparison.
pub fn largest_shifts(periods: &[PeriodShares], limit: usize) -> Vec<ShareShift> {
    let complete: Vec<&PeriodShares> = periods.iter().filter(|p| p.complete && p.total > 0).collect();
    let mut shifts: Vec<ShareShift> = complete
        .windows(2)
        .flat_map(|pair| {
            pair[0].shares.iter().zip(&pair[1].shares).map(move |(a, b)| ShareShift {
                key: a.key.clone(),
                from: pair[0].period.clone(),
                to: pair[1].period.clone(),
                share_before: a.share,
                share_after: b.share,
                change: b.share - a.share,
            })
        })
        .collect();
    shifts.sort_by(|a, b| b.change.abs().total_cmp(&a.change.abs()).then_with(|| a.from.cmp(&b.from)));
    shifts.truncate(limit);
    shifts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::Series;

    fn m(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn set() -> SeriesSet {
        // East dominates 2015; West takes over in 2016; 2017 has one month only.
        let east = Series::new(vec!["East".into()], m("2015-01"), [vec![90; 12], vec![10; 12], vec![5]].concat());
        let west = Series::new(vec!["West".into()], m("2015-01"), [vec![10; 12], vec![90; 12], vec![5]].concat());
        SeriesSet {
            key_columns: vec!["route".into()],
            series: vec![east, west],
            span: Some((m("2015-01"), m("2017-01"))),
        }
    }

    #[test]
    fn yearly_shares_and_the_largest_shift() {
        let years = shares(&set(), Period::Year);
        assert_eq!(
            years.iter().map(|p| (p.period.as_str(), p.complete)).collect::<Vec<_>>(),
            vec![("2015", true), ("2016", true), ("2017", false)]
        );
        assert!((years[0].shares[0].share - 0.9).abs() < 1e-12);
        assert_eq!(years[1].total, 1200);
        let shifts = largest_shifts(&years, 1);
        assert_eq!(shifts.len(), 1);
        assert!((shifts[0].change.abs() - 0.8).abs() < 1e-12);
        assert_eq!((shifts[0].from.as_str(), shifts[0].to.as_str()), ("2015", "2016"));
        assert_eq!(largest_shifts(&years, 10).len(), 2, "the part year 2017 is left out");
    }

    #[test]
    fn quarters_are_labelled_and_counted() {
        let quarters = shares(&set(), Period::Quarter);
        assert_eq!(quarters.len(), 9);
        assert_eq!(quarters[4].period, "2016-Q1");
        assert_eq!(quarters[4].shares[1].count, 270);
        assert!(!quarters[8].complete);
        let shifts = largest_shifts(&quarters, 2);
        assert!(shifts.iter().all(|s| s.from == "2015-Q4" && s.to == "2016-Q1"));
    }
}
