//! Review of the Strategic Action Plan against the threat, as the national
//! threat group "reviews activity undertaken by stakeholder agencies against
//! the threat, in respect of assessing sufficiency and impact". A
//! [`ReviewInput`] of plain facts goes in (the plan's actions, the
//! disruptions, each group's activity, the priority threats); a [`Review`]
//! comes out with three tables and the headlines a report prints first:
//!
//! 1. *Sufficiency*: the [`Coverage`] matrix — for each priority threat and
//!    each group, and each of the four streams, the live actions aimed at it,
//!    and the gaps where it is active and nobody is acting.
//! 2. *Impact*: [`Impacts`] — each disruption's group before and after
//!    (report rate, routes, key players, successors, displacement), with an
//!    observed impact level from written criteria beside the recorded one.
//! 3. *High risk, low return*: [`Returns`] — estimated criminal revenue
//!    against assets denied, per period and cumulatively.
//!
//! Design decisions (see `docs/review.md` for every rule and threshold):
//! - The engine knows nothing of the store or of access: the adapter builds
//!   the input from what one viewer may see, so a review never shows more
//!   than its reader may know, and tests need no database.
//! - Rules are step functions with written thresholds (the constants of
//!   [`impact`] and [`input`]), never fitted weights, and every number carries
//!   the sentence that explains it.
//! - Nothing is guessed: a price in a currency without a rate is left out and
//!   counted; a window too short to judge says so instead of giving a level.

mod coverage;
mod csv;
pub mod impact;
pub mod input;
mod returns;

#[cfg(test)]
mod proptests;

use serde::Serialize;

pub use coverage::{ActionRef, Cell, CellState, Coverage, CoverageRow, RowKind, StreamTotal};
pub use csv::{coverage_csv, impact_csv, returns_csv};
pub use impact::{Displacement, DisruptionImpact, Impacts, PersonCount, Window};
pub use input::{
    Action, ActionStatus, ActivityReport, Asset, Dated, Disruption, GroupActivity, Impact, Options, Period, Price,
    ReviewError, ReviewInput, Target, TargetKind, Threat, default_rates,
};
pub use returns::{
    ExcludedPrices, GroupPrice, GroupRevenue, ImpactCounts, PeriodReturns, PriceBasis, Returns, ReturnsTotals,
};
pub use tessera_model::taxonomy::Stream;

/// Rows named in a headline before "and n more".
pub const HEADLINE_NAMES: usize = 5;

/// The review: three tables and the headlines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The date the review is made at (YYYY-MM-DD).
    pub as_of: String,
    /// The window used (days).
    pub window_days: u32,
    /// Sufficiency: coverage of threats and groups by live actions.
    pub coverage: Coverage,
    /// Impact of each disruption.
    pub impacts: Impacts,
    /// High risk, low return: revenue against assets denied.
    pub returns: Returns,
    /// Findings a report prints first.
    pub headlines: Vec<String>,
}

/// Reviews the plan: validates the input (every date YYYY-MM-DD, values in range; errors name the
/// record and the field), then builds the coverage matrix, the impacts, the returns and the headlines.
pub fn review(input: &ReviewInput, options: &Options) -> Result<Review, ReviewError> {
    let checked = input::check(input, options)?;
    let coverage = coverage::coverage(&checked);
    let impacts = impact::impacts(&checked);
    let returns = returns::returns(&checked);
    let headlines = headlines(&coverage, &impacts, &returns);
    Ok(Review {
        as_of: input::date_of(checked.as_of),
        window_days: options.window_days,
        coverage,
        impacts,
        returns,
        headlines,
    })
}

fn name_some(names: &[&str]) -> String {
    let shown = names.iter().take(HEADLINE_NAMES).copied().collect::<Vec<_>>().join(", ");
    if names.len() > HEADLINE_NAMES { format!("{shown} and {} more", names.len() - HEADLINE_NAMES) } else { shown }
}

fn headlines(coverage: &Coverage, impacts: &Impacts, returns: &Returns) -> Vec<String> {
    let mut lines = Vec::new();

    // Largest gap: the stream with the most gaps, then the highest-priority group with a gap.
    let worst =
        coverage.totals.iter().enumerate().filter(|(_, t)| t.gaps > 0).max_by_key(|(i, t)| (t.gaps, usize::MAX - i));
    match worst {
        None if coverage.rows.is_empty() => lines.push("No threats or groups in view.".to_string()),
        None => {
            lines.push("No gaps: every threat and group has a live action in each stream it is active in.".to_string())
        }
        Some((index, total)) => {
            let names: Vec<&str> = coverage
                .rows
                .iter()
                .filter(|r| r.cells.get(index).is_some_and(|c| c.state == CellState::Gap))
                .map(|r| r.label.as_str())
                .collect();
            lines.push(format!(
                "Largest gap: {} — {} of {} active row(s) have no live action ({}).",
                total.label,
                total.gaps,
                total.rows_relevant,
                name_some(&names)
            ));
            if let Some(group) = coverage.rows.iter().find(|r| r.kind == RowKind::Group && r.gaps > 0) {
                let streams: Vec<&str> =
                    group.cells.iter().filter(|c| c.state == CellState::Gap).map(|c| c.stream.label()).collect();
                lines.push(format!(
                    "Highest-priority group with a gap: {} (priority {}) in {}.",
                    group.label,
                    group.priority.unwrap_or_default(),
                    streams.join(", ")
                ));
            }
        }
    }
    let overdue: usize = coverage.totals.iter().map(|t| t.overdue).sum();
    if overdue > 0 {
        lines.push(format!("{overdue} cell(s) rest only on overdue actions."));
    }

    // Biggest impact: the largest fall in report rate among disruptions that can be judged.
    let judged: Vec<&DisruptionImpact> = impacts.disruptions.iter().filter(|i| i.observed.is_some()).collect();
    let biggest = judged
        .iter()
        .filter_map(|i| i.change_pct.map(|c| (c, *i)))
        .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.reference.cmp(&b.1.reference)));
    match biggest {
        Some((change, i)) => lines.push(format!(
            "Biggest observed impact: {} ({}, {}) against {}: report rate {}{change:.0}%, observed {} (recorded {}).",
            i.reference,
            i.kind,
            i.date,
            if i.group_name.is_empty() { &i.group } else { &i.group_name },
            if change >= 0.0 { "+" } else { "" },
            i.observed.map_or("", Impact::label),
            i.recorded.label()
        )),
        None if impacts.disruptions.is_empty() => lines.push("No disruptions against groups in view.".to_string()),
        None => lines.push(format!(
            "No disruption's impact can be measured yet ({} too recent or without earlier reports).",
            impacts.disruptions.len()
        )),
    }
    let differs = judged.iter().filter(|i| i.differs).count();
    if differs > 0 {
        lines.push(format!(
            "{differs} of {} judged disruption(s) observed at a different level than recorded.",
            judged.len()
        ));
    }

    // Revenue against assets denied: the trend of the ratio.
    let with_ratio: Vec<&PeriodReturns> = returns.periods.iter().filter(|p| p.ratio.is_some()).collect();
    let pct = |r: Option<f64>| r.map_or_else(String::new, |r| format!("{:.0}%", r * 100.0));
    match (with_ratio.first(), with_ratio.last()) {
        _ if returns.totals.revenue_gbp.is_none() => lines.push(format!(
            "Revenue cannot be estimated (no prices in view); {} denied from {} to {}.",
            returns::gbp(returns.totals.assets_denied_gbp),
            returns.from,
            returns.until
        )),
        (Some(first), Some(last)) if with_ratio.len() > 1 => {
            let (a, b) = (first.ratio.unwrap_or_default(), last.ratio.unwrap_or_default());
            let trend = if b > a + 1e-9 {
                "rising"
            } else if b < a - 1e-9 {
                "falling"
            } else {
                "flat"
            };
            lines.push(format!(
                "Assets denied against estimated revenue: {} in {}, {} in {} ({trend}); cumulative {}.",
                pct(first.ratio),
                first.label,
                pct(last.ratio),
                last.label,
                pct(returns.totals.ratio)
            ));
        }
        (Some(only), _) => lines.push(format!(
            "Assets denied against estimated revenue: {} in {} ({} denied, {} estimated revenue).",
            pct(only.ratio),
            only.label,
            returns::gbp(only.assets_denied_gbp),
            returns::gbp(only.revenue_gbp.unwrap_or_default())
        )),
        _ => lines.push(format!(
            "No estimated revenue from {} to {}; {} denied.",
            returns.from,
            returns.until,
            returns::gbp(returns.totals.assets_denied_gbp)
        )),
    }
    if returns.excluded_prices.count > 0 {
        lines.push(returns.excluded_prices.note.clone());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> GroupActivity {
        GroupActivity {
            id: "g1".into(),
            name: "Kurdish network".into(),
            priority: 70,
            band: "High".into(),
            streams: vec![Stream::Facilitation],
            members: vec!["boss".into()],
            reports: (0..6)
                .map(|i| ActivityReport {
                    id: format!("R{i}"),
                    date: format!("2025-12-{:02}", 10 + i),
                    routes: vec!["channel".into()],
                    members: vec!["boss".into()],
                })
                .collect(),
            travellers: vec![Dated { id: "t1".into(), date: "2025-12-10".into() }],
            prices: vec![Price { date: "2025-12-10".into(), amount: 2000.0, currency: "EUR".into() }],
        }
    }

    #[test]
    fn a_review_has_headlines_for_each_table() {
        let input = ReviewInput {
            groups: vec![group()],
            disruptions: vec![Disruption {
                reference: "D-1".into(),
                kind: "arrest".into(),
                date: "2026-01-01".into(),
                agency: "NCA".into(),
                group: Some("g1".into()),
                subjects: vec!["boss".into()],
                impact: Impact::Major,
                assets: vec![Asset { kind: "cash".into(), status: "seized".into(), value_gbp: Some(850.0) }],
            }],
            ..Default::default()
        };
        let review = review(&input, &Options::new("2026-04-15")).unwrap_or_else(|e| panic!("{e}"));
        assert!(review.headlines[0].starts_with("Largest gap: Facilitation"), "{:?}", review.headlines);
        assert!(review.headlines.iter().any(|h| h.starts_with("Highest-priority group with a gap: Kurdish network")));
        assert!(review.headlines.iter().any(|h| h.contains("Biggest observed impact: D-1")), "{:?}", review.headlines);
        assert!(
            review.headlines.iter().any(|h| h.contains("Assets denied against estimated revenue")),
            "{:?}",
            review.headlines
        );
        let json = serde_json::to_value(&review).unwrap_or_default();
        assert_eq!(json["coverage"]["rows"][0]["cells"][0]["state"], "gap");
        assert_eq!(coverage_csv(&review.coverage).lines().count(), 1 + 4);
        assert_eq!(impact_csv(&review.impacts).lines().count(), 2);
        assert!(returns_csv(&review.returns).starts_with("period,start,end,group"));
    }

    #[test]
    fn a_bad_date_fails_the_review_and_names_the_record() {
        let mut g = group();
        g.reports[2].date = "10/12/2025".into();
        let input = ReviewInput { groups: vec![g], ..Default::default() };
        let err = review(&input, &Options::new("2026-04-15")).unwrap_err();
        assert_eq!(err.to_string(), "group g1 report R2: date \"10/12/2025\" is not a date (expected YYYY-MM-DD)");
    }
}
