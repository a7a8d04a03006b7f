//! Monthly count series and sets of them sharing key columns.
//!
//! A [`Series`] covers every month of its span, from its first to its last
//! month: a month that had no row in the input counts zero (FRONTEX, like
//! most statistical offices, omits rows whose count is zero). A
//! [`SeriesSet`] also remembers the span of its whole input, so a series
//! whose first or last rows are missing can be padded to it
//! ([`SeriesSet::padded`]).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::month::Month;

/// One monthly count series: a key (one value per key column) and a count
/// for every month from `start`, without gaps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The value of each key column, in the set's column order.
    pub key: Vec<String>,
    /// The first month.
    pub start: Month,
    /// One count per month from `start`.
    pub counts: Vec<u64>,
}

impl Series {
    /// A series from `start` with these counts.
    pub fn new(key: Vec<String>, start: Month, counts: Vec<u64>) -> Series {
        Series { key, start, counts }
    }

    /// The key values joined by " / " (for display).
    pub fn name(&self) -> String {
        self.key.join(" / ")
    }

    /// The number of months.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether the series has no months.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The last month (equal to `start` for an empty series).
    pub fn end(&self) -> Month {
        self.start.plus(self.counts.len().saturating_sub(1) as i32)
    }

    /// The month of position `index`.
    pub fn month_at(&self, index: usize) -> Month {
        self.start.plus(index as i32)
    }

    /// The count in `month`: zero outside the span.
    pub fn get(&self, month: Month) -> u64 {
        let offset = self.start.months_until(month);
        if offset < 0 {
            return 0;
        }
        self.counts.get(offset as usize).copied().unwrap_or(0)
    }

    /// The sum of all counts (saturating).
    pub fn total(&self) -> u64 {
        self.counts.iter().fold(0u64, |a, &c| a.saturating_add(c))
    }

    /// `(month, count)` for every month of the span.
    pub fn iter(&self) -> impl Iterator<Item = (Month, u64)> + '_ {
        self.counts.iter().enumerate().map(|(i, &c)| (self.start.plus(i as i32), c))
    }

    /// The same series over exactly `from..=until` (zeros where it had no
    /// months); an empty series when `until` is before `from`.
    pub fn over(&self, from: Month, until: Month) -> Series {
        let len = from.months_until(until) + 1;
        let counts = (0..len.max(0)).map(|i| self.get(from.plus(i))).collect();
        Series { key: self.key.clone(), start: from, counts }
    }

    /// The series cut to the months within `from..=until` (either bound
    /// optional), never extended.
    pub fn clipped(&self, from: Option<Month>, until: Option<Month>) -> Series {
        let first = from.map_or(self.start, |f| f.max(self.start));
        let last = until.map_or(self.end(), |u| u.min(self.end()));
        if self.is_empty() || last < first {
            return Series { key: self.key.clone(), start: first, counts: Vec::new() };
        }
        self.over(first, last)
    }
}

/// Series sharing key columns, sorted by key, with the span of the input
/// they came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesSet {
    /// The names of the key columns (for FRONTEX: `route`, or `route`, `type`, `nat`).
    pub key_columns: Vec<String>,
    /// The series, sorted by key.
    pub series: Vec<Series>,
    /// The first and last month anywhere in the input (`None` when it had no rows).
    pub span: Option<(Month, Month)>,
}

impl SeriesSet {
    /// The series whose key is exactly `key`.
    pub fn get(&self, key: &[&str]) -> Option<&Series> {
        self.series
            .binary_search_by(|s| s.key.iter().map(String::as_str).cmp(key.iter().copied()))
            .ok()
            .map(|i| &self.series[i])
    }

    /// The position of a key column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.key_columns.iter().position(|c| c == name)
    }

    /// The distinct values of one key column, sorted.
    pub fn values(&self, column: usize) -> Vec<String> {
        let mut values: Vec<String> = self.series.iter().filter_map(|s| s.key.get(column).cloned()).collect();
        values.sort();
        values.dedup();
        values
    }

    /// Every series extended with zeros to the set's span (the input had no
    /// row for those months, which FRONTEX means as zero).
    pub fn padded(&self) -> SeriesSet {
        let Some((first, last)) = self.span else { return self.clone() };
        SeriesSet {
            key_columns: self.key_columns.clone(),
            series: self.series.iter().map(|s| s.over(first.min(s.start), last.max(s.end()))).collect(),
            span: self.span,
        }
    }

    /// The series summed over the key columns not named in `columns`
    /// (for example `route, nat` from `route, type, nat`); `None` when a
    /// name is not a key column.
    pub fn group_by(&self, columns: &[&str]) -> Option<SeriesSet> {
        let positions: Vec<usize> = columns.iter().map(|c| self.column(c)).collect::<Option<_>>()?;
        let mut groups: BTreeMap<Vec<String>, BTreeMap<Month, u64>> = BTreeMap::new();
        for series in &self.series {
            let key: Vec<String> = positions.iter().map(|&p| series.key[p].clone()).collect();
            let months = groups.entry(key).or_default();
            for (month, count) in series.iter() {
                let slot = months.entry(month).or_insert(0);
                *slot = slot.saturating_add(count);
            }
        }
        let series = groups.into_iter().filter_map(|(key, months)| from_months(key, &months)).collect();
        Some(SeriesSet { key_columns: columns.iter().map(|c| c.to_string()).collect(), series, span: self.span })
    }

    /// The sum of every series (key empty) over the set's span.
    pub fn total(&self) -> Series {
        let Some((first, last)) = self.span else { return Series::new(Vec::new(), Month::from_index(0), Vec::new()) };
        let mut total = Series::new(Vec::new(), first, vec![0; (first.months_until(last) + 1) as usize]);
        for series in &self.series {
            for (month, count) in series.iter() {
                let offset = first.months_until(month);
                if let Some(slot) = usize::try_from(offset).ok().and_then(|o| total.counts.get_mut(o)) {
                    *slot = slot.saturating_add(count);
                }
            }
        }
        total
    }

    /// The set cut to `from..=until` (either optional): series, and the span.
    pub fn clipped(&self, from: Option<Month>, until: Option<Month>) -> SeriesSet {
        let span = self.span.and_then(|(a, b)| {
            let a = from.map_or(a, |f| f.max(a));
            let b = until.map_or(b, |u| u.min(b));
            (a <= b).then_some((a, b))
        });
        let series = self.series.iter().map(|s| s.clipped(from, until)).filter(|s| !s.is_empty()).collect();
        SeriesSet { key_columns: self.key_columns.clone(), series, span }
    }
}

/// A series from sparse `(month, count)` pairs: its span runs from the
/// first to the last month present, other months zero.
pub(crate) fn from_months(key: Vec<String>, months: &BTreeMap<Month, u64>) -> Option<Series> {
    let (&first, _) = months.first_key_value()?;
    let (&last, _) = months.last_key_value()?;
    let mut counts = vec![0u64; (first.months_until(last) + 1) as usize];
    for (&month, &count) in months {
        counts[first.months_until(month) as usize] = count;
    }
    Some(Series::new(key, first, counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn set() -> SeriesSet {
        let a = Series::new(vec!["A".into(), "Sea".into()], m("2020-02"), vec![1, 0, 3]);
        let b = Series::new(vec!["A".into(), "Land".into()], m("2020-01"), vec![5, 5]);
        let c = Series::new(vec!["B".into(), "Sea".into()], m("2020-05"), vec![7]);
        let mut series = vec![a, b, c];
        series.sort_by(|x, y| x.key.cmp(&y.key));
        SeriesSet { key_columns: vec!["route".into(), "type".into()], series, span: Some((m("2020-01"), m("2020-05"))) }
    }

    #[test]
    fn groups_sums_and_pads() {
        let set = set();
        let by_route = set.group_by(&["route"]).unwrap();
        let a = by_route.get(&["A"]).unwrap();
        assert_eq!((a.start, a.counts.clone()), (m("2020-01"), vec![5, 6, 0, 3]));
        assert_eq!(set.total().counts, vec![5, 6, 0, 3, 7]);
        let padded = by_route.padded();
        assert_eq!(padded.get(&["B"]).unwrap().counts, vec![0, 0, 0, 0, 7]);
        assert!(set.group_by(&["nat"]).is_none());
        assert_eq!(set.values(1), vec!["Land".to_string(), "Sea".to_string()]);
    }

    #[test]
    fn clips_and_reads_outside_the_span_as_zero() {
        let s = Series::new(vec![], m("2020-02"), vec![1, 2, 3]);
        assert_eq!(s.get(m("2020-01")), 0);
        assert_eq!(s.get(m("2020-04")), 3);
        assert_eq!(s.get(m("2020-05")), 0);
        assert_eq!(s.clipped(Some(m("2020-03")), None).counts, vec![2, 3]);
        assert!(s.clipped(Some(m("2021-01")), None).is_empty());
        assert_eq!(s.over(m("2020-01"), m("2020-05")).counts, vec![0, 1, 2, 3, 0]);
        let clipped = set().clipped(Some(m("2020-04")), Some(m("2020-05")));
        assert_eq!(clipped.span, Some((m("2020-04"), m("2020-05"))));
        assert_eq!(clipped.series.len(), 2);
    }
}
