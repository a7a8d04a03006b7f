//! Property tests over random inputs: the review never panics, and every
//! total is the sum of its rows.

use proptest::prelude::*;

use crate::input::{date_of, day};
use crate::*;

fn date() -> impl Strategy<Value = String> {
    (0i64..500).prop_map(|offset| date_of(day("2025-01-01", "t", "t").unwrap_or_default() + offset))
}

fn stream() -> impl Strategy<Value = Stream> {
    prop::sample::select(Stream::ALL.to_vec())
}

fn id(prefix: &'static str) -> impl Strategy<Value = String> {
    (0u8..4).prop_map(move |n| format!("{prefix}{n}"))
}

fn target() -> impl Strategy<Value = Target> {
    let kinds = vec![TargetKind::Group, TargetKind::Route, TargetKind::Mo, TargetKind::Stream];
    (prop::sample::select(kinds), prop_oneof![id("g"), id("r")]).prop_map(|(kind, id)| Target {
        kind,
        label: id.clone(),
        id,
    })
}

fn action() -> impl Strategy<Value = Action> {
    let statuses =
        vec![ActionStatus::Planned, ActionStatus::InProgress, ActionStatus::Complete, ActionStatus::Cancelled];
    (
        id("A"),
        stream(),
        id("agency"),
        prop::option::of(date()),
        prop::option::of(date()),
        prop::sample::select(statuses),
        prop::collection::vec(target(), 0..3),
    )
        .prop_map(|(reference, stream, agency, start, due, status, targets)| Action {
            reference,
            stream,
            objective: "O".into(),
            title: "T".into(),
            owner: format!("owner of {agency}"),
            agency,
            start,
            due,
            status,
            targets,
        })
}

fn disruption() -> impl Strategy<Value = Disruption> {
    let impacts = vec![Impact::Major, Impact::Moderate, Impact::Minor];
    let statuses = vec!["seized", "restrained", "confiscated", "forfeited", "returned"];
    let asset = (prop::sample::select(statuses), prop::option::of(0.0f64..1e6)).prop_map(|(status, value_gbp)| Asset {
        kind: "cash".into(),
        status: status.into(),
        value_gbp,
    });
    (
        id("D"),
        date(),
        prop::option::of(id("g")),
        prop::collection::vec(id("p"), 0..3),
        prop::sample::select(impacts),
        prop::collection::vec(asset, 0..3),
    )
        .prop_map(|(reference, date, group, subjects, impact, assets)| Disruption {
            reference,
            kind: "arrest".into(),
            date,
            agency: "NCA".into(),
            group,
            subjects,
            impact,
            assets,
        })
}

fn group() -> impl Strategy<Value = GroupActivity> {
    let report = (id("R"), date(), prop::collection::vec(id("r"), 0..2), prop::collection::vec(id("p"), 0..4))
        .prop_map(|(id, date, routes, members)| ActivityReport { id, date, routes, members });
    let traveller = (id("t"), date()).prop_map(|(id, date)| Dated { id, date });
    let currencies = vec!["GBP", "EUR", "usd", "XYZ", ""];
    let price = (date(), 0.0f64..10_000.0, prop::sample::select(currencies))
        .prop_map(|(date, amount, currency)| Price { date, amount, currency: currency.into() });
    (
        id("g"),
        0u8..=100,
        prop::collection::vec(stream(), 0..3),
        prop::collection::vec(report, 0..12),
        prop::collection::vec(traveller, 0..6),
        prop::collection::vec(price, 0..3),
    )
        .prop_map(|(id, priority, streams, reports, travellers, prices)| GroupActivity {
            name: format!("Group {id}"),
            id,
            priority,
            band: String::new(),
            streams,
            members: vec![],
            reports,
            travellers,
            prices,
        })
}

fn threat() -> impl Strategy<Value = Threat> {
    (target(), prop::collection::vec(stream(), 0..3), 0usize..20, 0usize..5)
        .prop_map(|(target, streams, reports, agencies)| Threat { target, streams, reports, agencies })
}

fn input() -> impl Strategy<Value = ReviewInput> {
    (
        prop::collection::vec(action(), 0..8),
        prop::collection::vec(disruption(), 0..5),
        prop::collection::vec(group(), 0..4),
        prop::collection::vec(threat(), 0..3),
    )
        .prop_map(|(actions, disruptions, groups, threats)| ReviewInput { actions, disruptions, groups, threats })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #[test]
    fn random_inputs_never_panic_and_totals_add_up(
        input in input(),
        as_of in date(),
        window in prop_oneof![1u32..200, Just(u32::MAX)],
        monthly in any::<bool>(),
    ) {
        let mut options = Options::new(as_of);
        options.window_days = window;
        options.period = if monthly { Period::Month } else { Period::Quarter };
        let review = review(&input, &options);
        prop_assert!(review.is_ok(), "{:?}", review.as_ref().err());
        let Ok(review) = review else { return Ok(()) };

        let coverage = &review.coverage;
        prop_assert_eq!(coverage.rows.len(), input.groups.len() + input.threats.len());
        for (i, total) in coverage.totals.iter().enumerate() {
            let cells: Vec<&Cell> = coverage.rows.iter().map(|r| &r.cells[i]).collect();
            prop_assert_eq!(total.gaps, cells.iter().filter(|c| c.state == CellState::Gap).count());
            prop_assert_eq!(total.overdue, cells.iter().filter(|c| c.state == CellState::Overdue).count());
            prop_assert_eq!(total.rows_covered, cells.iter().filter(|c| c.relevant && c.state == CellState::Covered).count());
        }
        let row_gaps: usize = coverage.rows.iter().map(|r| r.gaps).sum();
        prop_assert_eq!(row_gaps, coverage.totals.iter().map(|t| t.gaps).sum::<usize>());
        let row_covered: usize = coverage.rows.iter().map(|r| r.covered).sum();
        prop_assert_eq!(row_covered, coverage.totals.iter().map(|t| t.rows_covered).sum::<usize>());
        for row in &coverage.rows {
            prop_assert!(row.covered + row.gaps <= row.relevant.len() + row.overdue);
        }

        let returns = &review.returns;
        let mut travellers = 0;
        let mut revenue = 0.0;
        let mut denied = 0.0;
        let mut disruptions = 0;
        for period in &returns.periods {
            prop_assert_eq!(period.travellers, period.groups.iter().map(|g| g.travellers).sum::<usize>());
            if let Some(r) = period.revenue_gbp {
                prop_assert!(close(r, period.groups.iter().filter_map(|g| g.revenue_gbp).sum::<f64>()));
                revenue += r;
            }
            travellers += period.travellers;
            denied += period.assets_denied_gbp;
            disruptions += period.disruptions.total;
            prop_assert_eq!(period.disruptions.total, period.disruptions.major + period.disruptions.moderate + period.disruptions.minor);
            prop_assert!(close(period.cumulative_denied_gbp, denied));
        }
        prop_assert_eq!(returns.totals.travellers, travellers);
        prop_assert!(close(returns.totals.assets_denied_gbp, denied));
        prop_assert_eq!(returns.totals.disruptions.total, disruptions);
        if let Some(total) = returns.totals.revenue_gbp {
            prop_assert!(close(total, revenue));
        }

        for impact in &review.impacts.disruptions {
            prop_assert!(impact.after.days <= i64::from(window));
            prop_assert_eq!(impact.observed.is_none(), impact.too_short);
        }
        prop_assert!(!review.headlines.is_empty());
        prop_assert_eq!(coverage_csv(coverage).matches("\r\n").count(), 1 + 4 * coverage.rows.len());
        let _ = impact_csv(&review.impacts);
        let _ = returns_csv(returns);
    }
}

proptest! {
    #[test]
    fn malformed_dates_give_errors_not_panics(mut input in input(), bad in "\\PC{0,12}", which in 0usize..4) {
        let options = Options::new("2026-01-01");
        match which {
            0 => if let Some(a) = input.actions.first_mut() { a.due = Some(bad) },
            1 => if let Some(d) = input.disruptions.first_mut() { d.date = bad },
            2 => if let Some(r) = input.groups.first_mut().and_then(|g| g.reports.first_mut()) { r.date = bad },
            _ => {
                let _ = review(&input, &Options { from: Some(bad), ..options.clone() });
                return Ok(());
            }
        }
        let _ = review(&input, &options);
    }
}
