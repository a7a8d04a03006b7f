//! "High risk, low return": per period, the criminal revenue the groups are
//! estimated to have made (travellers moved × the group's median price per
//! person) set against the assets denied to them by disruptions.
//!
//! Rules (see `docs/review.md`):
//! - Prices are converted to pounds at the planning rates of the options; a
//!   price in a currency without a rate is left out and counted, never
//!   guessed.
//! - A group's price is the median of its own converted prices (all dates);
//!   a group with none takes the median over every group's prices; with no
//!   prices at all there is no estimate, and the table says so.
//! - A traveller counts once per group, in the period of their earliest date.
//! - Assets seized, restrained, confiscated or forfeited count as denied in
//!   the period of the disruption's date; returned assets do not, and are
//!   shown apart; assets without a value are counted, not valued.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tessera_model::time::{civil_from_days, days_from_civil};

use crate::input::{Checked, CheckedGroup, DENIED_STATUSES, Impact, MAX_PERIODS, Period, date_of};

/// Where a group's price per person comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceBasis {
    /// The median of the group's own prices.
    Own,
    /// The median over all groups' prices (the group has none of its own).
    AllGroups,
    /// No prices in view at all: no estimate.
    None,
}

/// A group's price per person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupPrice {
    /// Group board id.
    pub group: String,
    /// Group name.
    pub name: String,
    /// Its own prices converted to pounds.
    pub prices_used: usize,
    /// Its own prices left out (currency without a rate).
    pub prices_excluded: usize,
    /// The median price per person in pounds used for the estimate.
    pub median_gbp: Option<f64>,
    /// Where the median comes from.
    pub basis: PriceBasis,
    /// How the price was reached.
    pub explanation: String,
}

/// Prices left out because their currency has no rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcludedPrices {
    /// How many.
    pub count: usize,
    /// Their currencies, as normalised (upper case).
    pub currencies: Vec<String>,
    /// The note a report prints.
    pub note: String,
}

/// Disruptions by recorded impact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImpactCounts {
    /// Recorded Major.
    pub major: usize,
    /// Recorded Moderate.
    pub moderate: usize,
    /// Recorded Minor.
    pub minor: usize,
    /// All of them.
    pub total: usize,
}

impl ImpactCounts {
    fn add(&mut self, impact: Impact) {
        match impact {
            Impact::Major => self.major += 1,
            Impact::Moderate => self.moderate += 1,
            Impact::Minor => self.minor += 1,
        }
        self.total += 1;
    }

    fn plus(self, other: Self) -> Self {
        Self {
            major: self.major + other.major,
            moderate: self.moderate + other.moderate,
            minor: self.minor + other.minor,
            total: self.total + other.total,
        }
    }
}

/// One group's estimated revenue in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRevenue {
    /// Group board id.
    pub group: String,
    /// Group name.
    pub name: String,
    /// Travellers first dated in the period.
    pub travellers: usize,
    /// Price per person in pounds.
    pub median_gbp: Option<f64>,
    /// Where the price comes from.
    pub basis: PriceBasis,
    /// travellers × price, when there is a price.
    pub revenue_gbp: Option<f64>,
}

/// One period of the returns table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodReturns {
    /// E.g. "2026-Q1" or "2026-03".
    pub label: String,
    /// First day counted (the period's, or `from`).
    pub start: String,
    /// Last day counted (the period's, or `until`).
    pub end: String,
    /// Groups with travellers in the period.
    pub groups: Vec<GroupRevenue>,
    /// Travellers in the period (sum over groups).
    pub travellers: usize,
    /// Estimated revenue in pounds (sum over groups); none when there are no prices at all.
    pub revenue_gbp: Option<f64>,
    /// Assets denied, in pounds.
    pub assets_denied_gbp: f64,
    /// Assets returned, in pounds (not denied).
    pub assets_returned_gbp: f64,
    /// Assets without a value (not in the sums).
    pub assets_unvalued: usize,
    /// Disruptions dated in the period, by recorded impact.
    pub disruptions: ImpactCounts,
    /// assets denied / revenue (none without revenue).
    pub ratio: Option<f64>,
    /// Revenue up to and including this period.
    pub cumulative_revenue_gbp: Option<f64>,
    /// Assets denied up to and including this period.
    pub cumulative_denied_gbp: f64,
    /// Cumulative assets denied / cumulative revenue.
    pub cumulative_ratio: Option<f64>,
    /// The period in words.
    pub explanation: String,
}

/// Totals over all periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReturnsTotals {
    /// Travellers.
    pub travellers: usize,
    /// Estimated revenue in pounds.
    pub revenue_gbp: Option<f64>,
    /// Assets denied in pounds.
    pub assets_denied_gbp: f64,
    /// Assets returned in pounds.
    pub assets_returned_gbp: f64,
    /// Assets without a value.
    pub assets_unvalued: usize,
    /// Disruptions by recorded impact.
    pub disruptions: ImpactCounts,
    /// Assets denied / revenue.
    pub ratio: Option<f64>,
}

/// The returns table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Returns {
    /// Period length.
    pub period: Period,
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day (YYYY-MM-DD).
    pub until: String,
    /// The planning rates used (pounds per unit).
    pub rates: BTreeMap<String, f64>,
    /// Each group's price per person.
    pub prices: Vec<GroupPrice>,
    /// Median over all groups' converted prices.
    pub pooled_median_gbp: Option<f64>,
    /// Prices left out.
    pub excluded_prices: ExcludedPrices,
    /// One per period, oldest first.
    pub periods: Vec<PeriodReturns>,
    /// Sums over the periods.
    pub totals: ReturnsTotals,
    /// What a reader must know (no estimate, planning rates...).
    pub notes: Vec<String>,
}

/// A calendar period clipped to the table's days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PeriodSpan {
    pub label: String,
    pub start: i64,
    pub end: i64,
}

fn months(period: Period) -> i64 {
    match period {
        Period::Month => 1,
        Period::Quarter => 3,
    }
}

fn month_index(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    y * 12 + i64::from(m) - 1
}

fn month_start(index: i64) -> i64 {
    days_from_civil(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

fn period_index(day: i64, period: Period) -> i64 {
    month_index(day).div_euclid(months(period)) * months(period)
}

/// The default first day: the start of the period three quarters (or eleven months) before the one holding `until`.
pub(crate) fn default_from(until: i64, period: Period) -> i64 {
    let back = match period {
        Period::Month => 11,
        Period::Quarter => 9,
    };
    month_start(period_index(until, period) - back)
}

/// The calendar periods from `from` to `until`, clipped to them (at most [`MAX_PERIODS`] + 1, as a guard).
pub(crate) fn periods(from: i64, until: i64, period: Period) -> Vec<PeriodSpan> {
    let step = months(period);
    let mut index = period_index(from, period);
    let mut spans = Vec::new();
    while month_start(index) <= until && spans.len() <= MAX_PERIODS {
        let year = index.div_euclid(12);
        let label = match period {
            Period::Month => format!("{year:04}-{:02}", index.rem_euclid(12) + 1),
            Period::Quarter => format!("{year:04}-Q{}", index.rem_euclid(12) / 3 + 1),
        };
        spans.push(PeriodSpan {
            label,
            start: month_start(index).max(from),
            end: (month_start(index + step) - 1).min(until),
        });
        index += step;
    }
    spans
}

/// The median of some values (none when empty).
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

/// Pounds, rounded, with thousands separators: "£12,345".
pub(crate) fn gbp(value: f64) -> String {
    let whole = value.round().abs();
    let digits = format!("{whole:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}£{out}", if value < -0.5 { "-" } else { "" })
}

fn ratio(denied: f64, revenue: Option<f64>) -> Option<f64> {
    revenue.filter(|r| *r > 0.0).map(|r| denied / r)
}

fn percent(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "no ratio".to_string(), |r| format!("{:.0}%", r * 100.0))
}

struct Priced {
    prices: Vec<GroupPrice>,
    pooled: Option<f64>,
    excluded: ExcludedPrices,
}

fn price_groups(checked: &Checked<'_>) -> Priced {
    let mut converted: Vec<Vec<f64>> = Vec::new();
    let mut excluded_per_group = Vec::new();
    let mut excluded_currencies = BTreeSet::new();
    for group in &checked.groups {
        let mut own = Vec::new();
        let mut excluded = 0;
        for (_, price) in &group.prices {
            let code = price.currency.trim().to_ascii_uppercase();
            match checked.rates.get(&code) {
                Some(rate) => own.push(price.amount * rate),
                None => {
                    excluded += 1;
                    excluded_currencies.insert(if code.is_empty() { "(none)".to_string() } else { code });
                }
            }
        }
        converted.push(own);
        excluded_per_group.push(excluded);
    }
    let pooled = median(&mut converted.iter().flatten().copied().collect::<Vec<_>>());
    let prices = checked
        .groups
        .iter()
        .zip(converted.iter_mut().zip(&excluded_per_group))
        .map(|(group, (own, &excluded))| {
            let used = own.len();
            let (median_gbp, basis, explanation) = match (median(own), pooled) {
                (Some(m), _) => (Some(m), PriceBasis::Own, format!("Median of its {used} own price(s): {}.", gbp(m))),
                (None, Some(p)) => (
                    Some(p),
                    PriceBasis::AllGroups,
                    format!("No prices of its own; median over all groups: {}.", gbp(p)),
                ),
                (None, None) => (None, PriceBasis::None, "No prices in view for any group: no estimate.".to_string()),
            };
            GroupPrice {
                group: group.group.id.clone(),
                name: group.group.name.clone(),
                prices_used: used,
                prices_excluded: excluded,
                median_gbp,
                basis,
                explanation,
            }
        })
        .collect();
    let count: usize = excluded_per_group.iter().sum();
    let currencies: Vec<String> = excluded_currencies.into_iter().collect();
    let note = if count == 0 {
        "No prices excluded.".to_string()
    } else {
        format!(
            "{count} price(s) excluded: no planning rate for {} (add one to the options to count them).",
            currencies.join(", ")
        )
    };
    Priced { prices, pooled, excluded: ExcludedPrices { count, currencies, note } }
}

/// Each traveller once per group, at their earliest date.
fn first_dates(group: &CheckedGroup<'_>) -> Vec<i64> {
    let mut first: BTreeMap<&str, i64> = BTreeMap::new();
    for &(day, id) in &group.travellers {
        let entry = first.entry(id.trim()).or_insert(day);
        *entry = (*entry).min(day);
    }
    first.into_values().collect()
}

/// Builds the returns table.
pub(crate) fn returns(checked: &Checked<'_>) -> Returns {
    let priced = price_groups(checked);
    let travellers: Vec<Vec<i64>> = checked.groups.iter().map(first_dates).collect();
    let any_price = priced.pooled.is_some();
    let mut cumulative_revenue = any_price.then_some(0.0);
    let mut cumulative_denied = 0.0;
    let mut totals = ReturnsTotals {
        travellers: 0,
        revenue_gbp: cumulative_revenue,
        assets_denied_gbp: 0.0,
        assets_returned_gbp: 0.0,
        assets_unvalued: 0,
        disruptions: ImpactCounts::default(),
        ratio: None,
    };
    let mut periods_out = Vec::new();
    for span in periods(checked.from, checked.until, checked.period) {
        let inside = |day: i64| (span.start..=span.end).contains(&day);
        let groups: Vec<GroupRevenue> = checked
            .groups
            .iter()
            .zip(&travellers)
            .zip(&priced.prices)
            .filter_map(|((group, days), price)| {
                let count = days.iter().filter(|d| inside(**d)).count();
                (count > 0).then(|| GroupRevenue {
                    group: group.group.id.clone(),
                    name: group.group.name.clone(),
                    travellers: count,
                    median_gbp: price.median_gbp,
                    basis: price.basis,
                    revenue_gbp: price.median_gbp.map(|m| m * count as f64),
                })
            })
            .collect();
        let traveller_count: usize = groups.iter().map(|g| g.travellers).sum();
        let revenue = any_price.then(|| groups.iter().filter_map(|g| g.revenue_gbp).sum::<f64>());

        let (mut denied, mut returned, mut unvalued) = (0.0, 0.0, 0);
        let mut disruptions = ImpactCounts::default();
        for d in checked.disruptions.iter().filter(|d| inside(d.day)) {
            disruptions.add(d.disruption.impact);
            for asset in &d.disruption.assets {
                let status = asset.status.trim().to_ascii_lowercase();
                match asset.value_gbp {
                    None => unvalued += 1,
                    Some(value) if DENIED_STATUSES.contains(&status.as_str()) => denied += value,
                    Some(value) => returned += value,
                }
            }
        }
        cumulative_revenue = cumulative_revenue.map(|c| c + revenue.unwrap_or(0.0));
        cumulative_denied += denied;
        let period_ratio = ratio(denied, revenue);
        let cumulative_ratio = ratio(cumulative_denied, cumulative_revenue);
        let revenue_words = match revenue {
            Some(r) => {
                format!("{traveller_count} traveller(s) at the groups' median prices: {} estimated revenue", gbp(r))
            }
            None => format!("{traveller_count} traveller(s); no prices in view, so no revenue estimate"),
        };
        let explanation = format!(
            "{revenue_words}; {} denied by {} disruption(s){}; ratio {} (cumulative {}).",
            gbp(denied),
            disruptions.total,
            if unvalued > 0 { format!(" ({unvalued} asset(s) without a value)") } else { String::new() },
            percent(period_ratio),
            percent(cumulative_ratio)
        );

        totals.travellers += traveller_count;
        totals.revenue_gbp = totals.revenue_gbp.map(|t| t + revenue.unwrap_or(0.0));
        totals.assets_denied_gbp += denied;
        totals.assets_returned_gbp += returned;
        totals.assets_unvalued += unvalued;
        totals.disruptions = totals.disruptions.plus(disruptions);
        periods_out.push(PeriodReturns {
            label: span.label,
            start: date_of(span.start),
            end: date_of(span.end),
            groups,
            travellers: traveller_count,
            revenue_gbp: revenue,
            assets_denied_gbp: denied,
            assets_returned_gbp: returned,
            assets_unvalued: unvalued,
            disruptions,
            ratio: period_ratio,
            cumulative_revenue_gbp: cumulative_revenue,
            cumulative_denied_gbp: cumulative_denied,
            cumulative_ratio,
            explanation,
        });
    }
    totals.ratio = ratio(totals.assets_denied_gbp, totals.revenue_gbp);

    let mut notes =
        vec!["Prices are converted at fixed planning rates (pounds per unit), not market rates.".to_string()];
    if !any_price {
        notes.push("No prices in view for any group: revenue cannot be estimated.".to_string());
    }
    if priced.excluded.count > 0 {
        notes.push(priced.excluded.note.clone());
    }
    Returns {
        period: checked.period,
        from: date_of(checked.from),
        until: date_of(checked.until),
        rates: checked.rates.clone(),
        prices: priced.prices,
        pooled_median_gbp: priced.pooled,
        excluded_prices: priced.excluded,
        periods: periods_out,
        totals,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Asset, Dated, Disruption, GroupActivity, Options, Price, ReviewInput, check, day};

    fn group(id: &str, travellers: &[&str], prices: &[(f64, &str)]) -> GroupActivity {
        GroupActivity {
            id: id.into(),
            name: format!("Group {id}"),
            priority: 50,
            band: "High".into(),
            streams: vec![],
            members: vec![],
            reports: vec![],
            travellers: travellers
                .iter()
                .enumerate()
                .map(|(i, d)| Dated { id: format!("t{i}"), date: d.to_string() })
                .collect(),
            prices: prices
                .iter()
                .map(|&(amount, c)| Price { date: "2026-01-01".into(), amount, currency: c.into() })
                .collect(),
        }
    }

    fn run(input: &ReviewInput, options: &Options) -> Returns {
        returns(&check(input, options).unwrap_or_else(|e| panic!("{e}")))
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-6)
    }

    #[test]
    fn revenue_is_travellers_times_the_median_price_in_pounds() {
        let input = ReviewInput {
            groups: vec![group(
                "g1",
                &["2026-01-10", "2026-02-10", "2026-04-02"],
                &[(1000.0, "EUR"), (2000.0, "eur"), (3000.0, "EUR")],
            )],
            ..Default::default()
        };
        let mut options = Options::new("2026-06-30");
        options.from = Some("2026-01-01".into());
        let r = run(&input, &options);
        assert_eq!(r.periods.len(), 2);
        assert_eq!(r.periods[0].label, "2026-Q1");
        assert!(close(r.prices[0].median_gbp, 1700.0));
        assert_eq!(r.periods[0].travellers, 2);
        assert!(close(r.periods[0].revenue_gbp, 3400.0));
        assert!(close(r.periods[1].revenue_gbp, 1700.0));
        assert!(close(r.totals.revenue_gbp, 5100.0));
        assert!(r.periods[0].explanation.contains("£3,400"), "{}", r.periods[0].explanation);
    }

    #[test]
    fn an_unknown_currency_is_excluded_with_a_note_and_others_fall_back_to_the_pool() {
        let input = ReviewInput {
            groups: vec![
                group("g1", &["2026-01-10"], &[(500.0, "GBP"), (9999.0, "XYZ")]),
                group("g2", &["2026-01-11", "2026-01-12"], &[(100.0, "IQD")]),
            ],
            ..Default::default()
        };
        let r = run(&input, &Options::new("2026-03-31"));
        assert_eq!(r.excluded_prices.count, 2);
        assert_eq!(r.excluded_prices.currencies, vec!["IQD".to_string(), "XYZ".to_string()]);
        assert!(r.notes.iter().any(|n| n.contains("2 price(s) excluded")), "{:?}", r.notes);
        assert!(close(r.prices[0].median_gbp, 500.0));
        assert_eq!(r.prices[1].basis, PriceBasis::AllGroups);
        assert!(close(r.totals.revenue_gbp, 1500.0));
    }

    #[test]
    fn no_prices_means_no_estimate() {
        let input = ReviewInput { groups: vec![group("g1", &["2026-01-10"], &[])], ..Default::default() };
        let r = run(&input, &Options::new("2026-03-31"));
        assert_eq!(r.totals.revenue_gbp, None);
        assert_eq!(r.totals.travellers, 1);
        assert!(r.notes.iter().any(|n| n.contains("cannot be estimated")));
    }

    #[test]
    fn denied_assets_count_by_status_and_date_and_give_the_ratio() {
        let asset =
            |status: &str, value: Option<f64>| Asset { kind: "cash".into(), status: status.into(), value_gbp: value };
        let input = ReviewInput {
            groups: vec![group("g1", &["2026-01-10", "2026-01-11"], &[(1000.0, "GBP")])],
            disruptions: vec![Disruption {
                reference: "D-1".into(),
                kind: "seizure".into(),
                date: "2026-02-01".into(),
                agency: "NCA".into(),
                group: None,
                subjects: vec![],
                impact: Impact::Moderate,
                assets: vec![asset("seized", Some(400.0)), asset("returned", Some(50.0)), asset("forfeited", None)],
            }],
            ..Default::default()
        };
        let r = run(&input, &Options::new("2026-03-31"));
        let q1 = r.periods.last().unwrap_or_else(|| panic!("no period"));
        assert!((q1.assets_denied_gbp - 400.0).abs() < 1e-9);
        assert!((q1.assets_returned_gbp - 50.0).abs() < 1e-9);
        assert_eq!(q1.assets_unvalued, 1);
        assert_eq!(q1.disruptions.moderate, 1);
        assert!(close(q1.ratio, 0.2));
        assert!(close(q1.cumulative_ratio, 0.2));
    }

    #[test]
    fn periods_are_calendar_periods_clipped_to_the_table() {
        let d = |s: &str| day(s, "t", "t").unwrap_or_else(|e| panic!("{e}"));
        let q = periods(d("2025-11-15"), d("2026-02-10"), Period::Quarter);
        let labels: Vec<&str> = q.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2025-Q4", "2026-Q1"]);
        assert_eq!((date_of(q[0].start), date_of(q[0].end)), ("2025-11-15".into(), "2025-12-31".into()));
        assert_eq!(date_of(q[1].end), "2026-02-10");
        assert_eq!(date_of(default_from(d("2026-02-10"), Period::Quarter)), "2025-04-01");
        assert_eq!(date_of(default_from(d("2026-02-10"), Period::Month)), "2025-03-01");
        assert_eq!(periods(d("2026-01-01"), d("2026-12-31"), Period::Month).len(), 12);
        assert_eq!(gbp(1_234_567.4), "£1,234,567");
    }
}
