//! Monthly series per stream and per route, with their trend and change
//! points from `tessera_series`.
//!
//! A series counts the visible reports carrying the key each month, from the
//! first to the last month of the whole picture (missing months are zeros),
//! so that every series of one picture spans the same months. Trend: the
//! last twelve months against the twelve before (when 24 months are
//! covered). Change points: exact PELT on `ln(1 + count)` with the BIC
//! penalty and seasons removed first where two years allow
//! (`tessera_series::changepoint`, defaults). A sanitised picture keeps only
//! each change point's month and direction.

use std::collections::BTreeMap;

use serde::Serialize;
use tessera_series::changepoint::{self, Direction};
use tessera_series::{Month, Series, trend};
use tessera_store::ReportFacts;

use crate::dimension::{Dimension, month_of};

/// One change point as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The first month of the new level.
    pub month: String,
    /// Up or down.
    pub direction: Direction,
    /// Mean monthly reports before (not shown when sanitised).
    pub level_before: Option<f64>,
    /// Mean monthly reports after (not shown when sanitised).
    pub level_after: Option<f64>,
}

/// The monthly series of one key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesView {
    /// `stream` or `route`.
    pub by: Dimension,
    /// The key.
    pub key: String,
    /// The first month.
    pub start: String,
    /// Reports per month from `start` (not shown when sanitised).
    pub counts: Option<Vec<u64>>,
    /// The last twelve months against the twelve before, as a relative change (not shown when sanitised).
    pub last_twelve_months_change: Option<f64>,
    /// Change points.
    pub changes: Vec<Change>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The series of every key of `by` (stream or route) over `reports`.
pub fn series(reports: &[ReportFacts], by: Dimension, sanitise: bool) -> Vec<SeriesView> {
    let months: Vec<Option<Month>> = reports.iter().map(|r| month_of(&r.date)).collect();
    let (Some(first), Some(last)) = (months.iter().flatten().min(), months.iter().flatten().max()) else {
        return Vec::new();
    };
    let len = usize::try_from(first.months_until(*last)).unwrap_or(0) + 1;
    let mut counts: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (r, m) in reports.iter().zip(&months) {
        let Some(m) = m else { continue };
        let Ok(i) = usize::try_from(first.months_until(*m)) else { continue };
        for key in by.keys(r) {
            let v = counts.entry(key).or_insert_with(|| vec![0; len]);
            if let Some(c) = v.get_mut(i) {
                *c += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|(key, counts)| {
            let s = Series::new(vec![key.clone()], *first, counts);
            let points = changepoint::change_points(&s, &changepoint::Options::default());
            let t = trend::trend(&s);
            let changes = points
                .breaks
                .iter()
                .map(|b| Change {
                    month: b.month.to_string(),
                    direction: b.direction,
                    level_before: (!sanitise).then(|| round2(b.level_before)),
                    level_after: (!sanitise).then(|| round2(b.level_after)),
                })
                .collect();
            SeriesView {
                by,
                key,
                start: first.to_string(),
                last_twelve_months_change: if sanitise {
                    None
                } else {
                    t.last_twelve_months.and_then(|c| c.change).map(round2)
                },
                counts: (!sanitise).then_some(s.counts),
                changes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn report(date: &str, route: &str) -> ReportFacts {
        ReportFacts {
            classification: tessera_model::Classification::Official,
            id: date.into(),
            date: date.into(),
            agency: "NCA".into(),
            source: "1".into(),
            intelligence: "A".into(),
            confidence: 0.9,
            streams: vec![],
            routes: vec![route.into()],
            countries: BTreeSet::new(),
            nationalities: BTreeSet::new(),
            entities: vec![],
        }
    }

    #[test]
    fn a_step_in_monthly_reports_is_a_change_point() {
        let mut reports = Vec::new();
        for m in 0..36 {
            let (y, mm) = (2022 + m / 12, m % 12 + 1);
            let n = if m < 18 { 2 + m % 2 } else { 20 + m % 3 };
            for _ in 0..n {
                reports.push(report(&format!("{y}-{mm:02}-15"), "channel"));
            }
        }
        reports.push(report("2024-06-01", "black_sea"));
        let s = series(&reports, Dimension::Route, false);
        assert_eq!(s.len(), 2);
        let channel = s.iter().find(|s| s.key == "channel").unwrap();
        assert_eq!(channel.start, "2022-01");
        assert_eq!(channel.counts.as_ref().unwrap().len(), 36);
        assert_eq!(channel.changes.len(), 1, "{:?}", channel.changes);
        assert_eq!(channel.changes[0].month, "2023-07");
        assert_eq!(channel.changes[0].direction, Direction::Up);
        // 252 reports in the last twelve months against 15 + 126 before.
        assert_eq!(channel.last_twelve_months_change, Some(0.79));
        let black = s.iter().find(|s| s.key == "black_sea").unwrap();
        assert_eq!(black.counts.as_ref().unwrap().iter().sum::<u64>(), 1);

        let hidden = series(&reports, Dimension::Route, true);
        let channel = hidden.iter().find(|s| s.key == "channel").unwrap();
        assert!(channel.counts.is_none() && channel.last_twelve_months_change.is_none());
        assert_eq!(channel.changes[0].month, "2023-07");
        assert!(channel.changes[0].level_before.is_none());
        assert!(series(&[], Dimension::Route, false).is_empty());
    }
}
