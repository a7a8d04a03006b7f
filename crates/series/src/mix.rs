//! The make-up of a group by its parts per calendar year: for the FRONTEX
//! data, the nationalities detected on each route, the leading ones with
//! their shares, and which grew most on the year before.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::month::Month;
use crate::series::{Series, SeriesSet};

/// One part's count and share of its group in a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartShare {
    /// The part (a nationality).
    pub part: String,
    /// Its count in the year.
    pub count: u64,
    /// Its share of the group's total (0–1).
    pub share: f64,
}

/// The part whose count rose most on the same months of the year before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Growth {
    /// The part.
    pub part: String,
    /// Its count over the same months of the year before.
    pub before: u64,
    /// Its count this year.
    pub after: u64,
    /// `after − before`.
    pub change: i64,
}

/// One year of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearMix {
    /// The year.
    pub year: i32,
    /// Its months within the data's span (12 for a full year).
    pub months: u32,
    /// The group's total.
    pub total: u64,
    /// The leading parts, largest first.
    pub top: Vec<PartShare>,
    /// The part that rose most (absent in the first year, or when none rose).
    pub grew_most: Option<Growth>,
}

/// The make-up of one group over the years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupMix {
    /// The group (a route).
    pub group: String,
    /// Each year of the span.
    pub years: Vec<YearMix>,
}

/// The mix of every group of `set` by `part_column` (summing other key
/// columns), keeping the `top` leading parts a year; `None` when either
/// column is not a key column of the set.
pub fn mix(set: &SeriesSet, group_column: &str, part_column: &str, top: usize) -> Option<Vec<GroupMix>> {
    let grouped = set.group_by(&[group_column, part_column])?;
    let Some((first, last)) = grouped.span else { return Some(Vec::new()) };
    let mut groups: BTreeMap<&str, Vec<&Series>> = BTreeMap::new();
    for series in &grouped.series {
        groups.entry(series.key[0].as_str()).or_default().push(series);
    }
    let years: Vec<(i32, Vec<Month>)> = (first.year()..=last.year())
        .map(|year| {
            let months = (1..=12).filter_map(|m| Month::new(year, m)).filter(|m| *m >= first && *m <= last).collect();
            (year, months)
        })
        .collect();
    Some(
        groups
            .into_iter()
            .map(|(group, parts)| GroupMix {
                group: group.to_string(),
                years: years.iter().map(|(year, months)| year_mix(*year, months, first, &parts, top)).collect(),
            })
            .collect(),
    )
}

fn year_mix(year: i32, months: &[Month], first: Month, parts: &[&Series], top: usize) -> YearMix {
    let sum = |series: &Series, shift: i32| months.iter().map(|m| series.get(m.plus(shift))).sum::<u64>();
    let counts: Vec<(&str, u64, u64)> = parts.iter().map(|s| (s.key[1].as_str(), sum(s, 0), sum(s, -12))).collect();
    let total: u64 = counts.iter().map(|c| c.1).sum();
    let mut leading: Vec<&(&str, u64, u64)> = counts.iter().filter(|c| c.1 > 0).collect();
    leading.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top = leading
        .iter()
        .take(top)
        .map(|c| PartShare { part: c.0.to_string(), count: c.1, share: c.1 as f64 / total.max(1) as f64 })
        .collect();
    let has_year_before = months.first().is_some_and(|m| m.plus(-12) >= first);
    let grew_most = counts
        .iter()
        .filter(|c| has_year_before && c.1 > c.2)
        .max_by(|a, b| (a.1 - a.2).cmp(&(b.1 - b.2)).then(b.0.cmp(a.0)))
        .map(|c| Growth {
            part: c.0.to_string(),
            before: c.2,
            after: c.1,
            change: i64::try_from(c.1 - c.2).unwrap_or(i64::MAX),
        });
    YearMix { year, months: months.len() as u32, total, top, grew_most }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn s(route: &str, kind: &str, nat: &str, counts: Vec<u64>) -> Series {
        Series::new(vec![route.into(), kind.into(), nat.into()], m("2015-01"), counts)
    }

    #[test]
    fn leading_parts_shares_and_growth() {
        let mut series = vec![
            s("East", "Sea", "SYR", [vec![10; 12], vec![2; 12]].concat()),
            s("East", "Land", "SYR", [vec![5; 12], vec![1; 12]].concat()),
            s("East", "Sea", "AFG", [vec![3; 12], vec![4; 12]].concat()),
            s("East", "Sea", "PAK", [vec![1; 12], vec![9; 12]].concat()),
            s("West", "Sea", "MAR", vec![4; 24]),
        ];
        series.sort_by(|a, b| a.key.cmp(&b.key));
        let set = SeriesSet {
            key_columns: vec!["route".into(), "type".into(), "nat".into()],
            series,
            span: Some((m("2015-01"), m("2016-12"))),
        };
        let mixes = mix(&set, "route", "nat", 2).unwrap();
        assert_eq!(mixes.len(), 2);
        let east = &mixes[0];
        assert_eq!(east.group, "East");
        let y2015 = &east.years[0];
        assert_eq!(y2015.total, 12 * 19);
        assert_eq!(
            y2015.top.iter().map(|p| (p.part.as_str(), p.count)).collect::<Vec<_>>(),
            vec![("SYR", 180), ("AFG", 36)]
        );
        assert!((y2015.top[0].share - 180.0 / 228.0).abs() < 1e-12);
        assert_eq!(y2015.grew_most, None);
        let y2016 = &east.years[1];
        assert_eq!(y2016.top[0].part, "PAK");
        assert_eq!(y2016.grew_most.as_ref().map(|g| (g.part.as_str(), g.change)), Some(("PAK", 96)));
        assert_eq!(mixes[1].years[1].grew_most, None, "nothing rose on the West route");
        assert!(mix(&set, "route", "gender", 2).is_none());
    }
}
