//! The observed impact of each disruption against a group: the group's
//! activity in a window before the disruption against a window after it
//! (report rate, routes, key players, the disruption's subjects), other
//! groups on the same routes whose activity rose (displacement), and an
//! observed impact level from written criteria, set beside the impact the
//! recording agency gave.
//!
//! Windows (see `docs/review.md`): before = the `window_days` days before
//! the disruption date; after = the `window_days` days after it, cut at
//! `as_of`. The disruption day itself is in neither. Rates are reports per
//! [`RATE_DAYS`] days, so that a cut window compares fairly.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::input::{Checked, CheckedDisruption, CheckedGroup, Impact, date_of, same_id};

/// Rates are given per this many days.
pub const RATE_DAYS: f64 = 30.0;
/// An after-window shorter than this many days is too short to judge.
pub const MIN_AFTER_DAYS: i64 = 30;
/// Observed Major: the report rate fell by at least this percentage, and no successor appeared.
pub const MAJOR_FALL_PCT: f64 = 60.0;
/// Observed Moderate: the report rate fell by at least this percentage (or a key player was removed).
pub const MODERATE_FALL_PCT: f64 = 25.0;
/// Key players: this many members most often named in a window.
pub const KEY_PLAYERS: usize = 5;
/// A key player "disappeared" when named in at least this many reports before and none after.
pub const VANISHED_MIN_REPORTS: usize = 2;
/// Displacement: another group on a shared route whose report rate rose by at least this percentage.
pub const DISPLACEMENT_RISE_PCT: f64 = 50.0;
/// Displacement from nothing: another group with no reports before and at least this many after.
pub const DISPLACEMENT_FROM_ZERO: usize = 2;

/// A window of days and the group's reports in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// First day (YYYY-MM-DD).
    pub start: String,
    /// Last day (YYYY-MM-DD); before `start` when the window is empty.
    pub end: String,
    /// Days in the window.
    pub days: i64,
    /// Reports about the group dated in the window.
    pub reports: usize,
    /// Reports per 30 days (0 when the window is empty).
    pub rate: f64,
}

/// A person and the number of distinct reports naming them in a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonCount {
    /// Person id.
    pub id: String,
    /// Distinct reports naming them.
    pub reports: usize,
}

/// Another group whose activity rose on a route it shares with the disrupted group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Displacement {
    /// Group board id.
    pub group: String,
    /// Group name.
    pub name: String,
    /// The routes shared.
    pub shared_routes: Vec<String>,
    /// Its reports per 30 days before.
    pub rate_before: f64,
    /// Its reports per 30 days after.
    pub rate_after: f64,
    /// Percentage change (none when it had no reports before).
    pub change_pct: Option<f64>,
    /// Why it counts.
    pub explanation: String,
}

/// The observed impact of one disruption.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisruptionImpact {
    /// Disruption reference.
    pub reference: String,
    /// Kind (arrest, seizure...).
    pub kind: String,
    /// Date (YYYY-MM-DD).
    pub date: String,
    /// Recording agency.
    pub agency: String,
    /// Group board id.
    pub group: String,
    /// Group name.
    pub group_name: String,
    /// The window before.
    pub before: Window,
    /// The window after (cut at `as_of`).
    pub after: Window,
    /// The after-window is shorter than [`MIN_AFTER_DAYS`]: no observed level.
    pub too_short: bool,
    /// Percentage change of the report rate (none when there were no reports before).
    pub change_pct: Option<f64>,
    /// The rate change in words.
    pub change_explanation: String,
    /// Routes named in the before window.
    pub routes_before: Vec<String>,
    /// Routes named in the after window.
    pub routes_after: Vec<String>,
    /// Routes named before and not after.
    pub routes_dropped: Vec<String>,
    /// Routes named after and not before.
    pub routes_new: Vec<String>,
    /// Top members before (by distinct reports naming them).
    pub key_players_before: Vec<PersonCount>,
    /// Top members after.
    pub key_players_after: Vec<PersonCount>,
    /// Key players before named in at least [`VANISHED_MIN_REPORTS`] reports before and none after.
    pub disappeared: Vec<PersonCount>,
    /// Key players after not named in any report before: possible successors.
    pub successors: Vec<PersonCount>,
    /// The disruption's subjects still named after (with their report counts).
    pub subjects_after: Vec<PersonCount>,
    /// Other groups on a shared route whose activity rose.
    pub displacement: Vec<Displacement>,
    /// The impact the recording agency gave.
    pub recorded: Impact,
    /// The impact observed by the written criteria (none when too short to judge).
    pub observed: Option<Impact>,
    /// Observed and recorded levels differ.
    pub differs: bool,
    /// The assessment in one or two sentences.
    pub assessment: String,
}

/// The impact of every disruption with a group in view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impacts {
    /// One per disruption against a group in view, by date then reference.
    pub disruptions: Vec<DisruptionImpact>,
    /// What was left out and why.
    pub notes: Vec<String>,
}

struct Span {
    start: i64,
    end: i64,
}

impl Span {
    fn days(&self) -> i64 {
        (self.end - self.start + 1).max(0)
    }
}

fn rate(reports: usize, days: i64) -> f64 {
    if days <= 0 { 0.0 } else { reports as f64 * RATE_DAYS / days as f64 }
}

/// The group's reports within the span (they are sorted by day).
fn in_span<'g, 'a>(group: &'g CheckedGroup<'a>, span: &Span) -> &'g [(i64, &'a crate::input::ActivityReport)] {
    let first = group.reports.partition_point(|(day, _)| *day < span.start);
    let end = group.reports.partition_point(|(day, _)| *day <= span.end).max(first);
    &group.reports[first..end]
}

fn window(group: &CheckedGroup<'_>, span: &Span) -> Window {
    let reports = in_span(group, span).len();
    Window {
        start: date_of(span.start),
        end: date_of(span.end.max(span.start - 1)),
        days: span.days(),
        reports,
        rate: rate(reports, span.days()),
    }
}

fn change_pct(before: f64, after: f64) -> Option<f64> {
    (before > 0.0).then(|| (after - before) / before * 100.0)
}

/// The routes the group's reports name within the span (all its routes when `None`).
fn routes_in(group: &CheckedGroup<'_>, span: Option<&Span>) -> BTreeSet<String> {
    let Some(span) = span else { return group.routes.clone() };
    in_span(group, span)
        .iter()
        .flat_map(|(_, r)| r.routes.iter().map(|route| route.trim().to_ascii_lowercase()))
        .filter(|route| !route.is_empty())
        .collect()
}

/// Distinct reports naming each person in the span.
fn mentions(group: &CheckedGroup<'_>, span: &Span) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for (_, report) in in_span(group, span) {
        let named: BTreeSet<&str> = report.members.iter().map(|m| m.trim()).filter(|m| !m.is_empty()).collect();
        for member in named {
            *counts.entry(member.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

fn top(counts: &BTreeMap<String, usize>) -> Vec<PersonCount> {
    let mut people: Vec<PersonCount> =
        counts.iter().map(|(id, &reports)| PersonCount { id: id.clone(), reports }).collect();
    people.sort_by(|a, b| b.reports.cmp(&a.reports).then_with(|| a.id.cmp(&b.id)));
    people.truncate(KEY_PLAYERS);
    people
}

fn ids(people: &[PersonCount]) -> String {
    people.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
}

/// Measures every disruption against a group in view.
pub(crate) fn impacts(checked: &Checked<'_>) -> Impacts {
    let mut notes = Vec::new();
    let mut ordered: Vec<&CheckedDisruption<'_>> = checked.disruptions.iter().collect();
    ordered.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.disruption.reference.cmp(&b.disruption.reference)));
    let mut disruptions = Vec::new();
    let without_group = ordered.iter().filter(|d| d.disruption.group.is_none()).count();
    if without_group > 0 {
        notes.push(format!("{without_group} disruption(s) name no group and have no impact measure."));
    }
    // Groups by id as compared (trimmed, ASCII case ignored); the first of equal ids wins, as a scan would.
    let mut by_id: std::collections::HashMap<String, &CheckedGroup<'_>> = std::collections::HashMap::new();
    for g in &checked.groups {
        by_id.entry(g.group.id.trim().to_ascii_lowercase()).or_insert(g);
    }
    for d in ordered {
        let Some(group_id) = &d.disruption.group else { continue };
        let Some(group) = by_id.get(&group_id.trim().to_ascii_lowercase()).copied() else {
            notes.push(format!("{}: group {group_id} is not in view; no impact measure.", d.disruption.reference));
            continue;
        };
        if d.day > checked.as_of {
            notes.push(format!("{}: dated {} after as_of; no impact measure.", d.disruption.reference, date_of(d.day)));
            continue;
        }
        disruptions.push(measure(d, group, checked));
    }
    Impacts { disruptions, notes }
}

fn measure(d: &CheckedDisruption<'_>, group: &CheckedGroup<'_>, checked: &Checked<'_>) -> DisruptionImpact {
    let disruption = d.disruption;
    let before_span = Span { start: d.day - checked.window, end: d.day - 1 };
    let after_span = Span { start: d.day + 1, end: (d.day + checked.window).min(checked.as_of) };
    let before = window(group, &before_span);
    let after = window(group, &after_span);
    let too_short = after.days < MIN_AFTER_DAYS;
    let change = change_pct(before.rate, after.rate);
    let change_explanation = match change {
        _ if before.reports == 0 => format!(
            "No reports in the {} days before; the change cannot be measured ({} report(s) in {} days after).",
            before.days, after.reports, after.days
        ),
        Some(pct) => format!(
            "{} report(s) in {} days before ({:.1} per 30 days), {} in {} days after ({:.1} per 30 days): {}{:.0}%.",
            before.reports,
            before.days,
            before.rate,
            after.reports,
            after.days,
            after.rate,
            if pct >= 0.0 { "+" } else { "" },
            pct
        ),
        None => String::new(),
    };

    let routes_before = routes_in(group, Some(&before_span));
    let routes_after = routes_in(group, Some(&after_span));
    let routes_dropped = routes_before.difference(&routes_after).cloned().collect();
    let routes_new = routes_after.difference(&routes_before).cloned().collect();

    let named_before = mentions(group, &before_span);
    let named_after = mentions(group, &after_span);
    let key_players_before = top(&named_before);
    let key_players_after = top(&named_after);
    let disappeared: Vec<PersonCount> = key_players_before
        .iter()
        .filter(|p| p.reports >= VANISHED_MIN_REPORTS && !named_after.contains_key(&p.id))
        .cloned()
        .collect();
    let successors: Vec<PersonCount> =
        key_players_after.iter().filter(|p| !named_before.contains_key(&p.id)).cloned().collect();
    let subjects_after: Vec<PersonCount> = disruption
        .subjects
        .iter()
        .map(|s| s.trim())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|s| named_after.get(s).map(|&reports| PersonCount { id: s.to_string(), reports }))
        .collect();

    let displacement =
        if too_short { Vec::new() } else { displaced(group, &before_span, &after_span, &routes_before, checked) };

    let observed = if too_short {
        None
    } else {
        let fall = change.map_or(0.0, |pct| -pct);
        Some(if fall >= MAJOR_FALL_PCT && successors.is_empty() {
            Impact::Major
        } else if fall >= MODERATE_FALL_PCT || !disappeared.is_empty() {
            Impact::Moderate
        } else {
            Impact::Minor
        })
    };
    let differs = observed.is_some_and(|o| o != disruption.impact);

    let mut assessment = match observed {
        None => format!(
            "Recorded {}; too early to judge: {} day(s) after the disruption (at least {MIN_AFTER_DAYS} needed).",
            disruption.impact.label(),
            after.days
        ),
        Some(o) => format!(
            "Recorded {}, observed {}{}: {}",
            disruption.impact.label(),
            o.label(),
            if differs { " (differs)" } else { "" },
            reasons(o, change, &disappeared, &successors)
        ),
    };
    if !subjects_after.is_empty() {
        assessment.push_str(&format!(" Subjects still named after: {}.", ids(&subjects_after)));
    }
    if !displacement.is_empty() {
        let names: Vec<&str> = displacement.iter().map(|x| x.name.as_str()).collect();
        assessment.push_str(&format!(" Possible displacement to {}.", names.join(", ")));
    }

    DisruptionImpact {
        reference: disruption.reference.clone(),
        kind: disruption.kind.clone(),
        date: date_of(d.day),
        agency: disruption.agency.clone(),
        group: group.group.id.clone(),
        group_name: group.group.name.clone(),
        before,
        after,
        too_short,
        change_pct: change,
        change_explanation,
        routes_before: routes_before.into_iter().collect(),
        routes_after: routes_after.into_iter().collect(),
        routes_dropped,
        routes_new,
        key_players_before,
        key_players_after,
        disappeared,
        successors,
        subjects_after,
        displacement,
        recorded: disruption.impact,
        observed,
        differs,
        assessment,
    }
}

fn reasons(observed: Impact, change: Option<f64>, disappeared: &[PersonCount], successors: &[PersonCount]) -> String {
    let rate = match change {
        Some(pct) if pct < 0.0 => format!("the report rate fell {:.0}%", -pct),
        Some(pct) => format!("the report rate did not fall ({}{pct:.0}%)", if pct > 0.0 { "+" } else { "" }),
        None => "no reports before, so no rate change".to_string(),
    };
    let gone = if disappeared.is_empty() {
        "no key player disappeared".to_string()
    } else {
        format!("{} key player(s) disappeared ({})", disappeared.len(), ids(disappeared))
    };
    let new = if successors.is_empty() {
        "no successor appeared".to_string()
    } else {
        format!("{} possible successor(s) appeared ({})", successors.len(), ids(successors))
    };
    let rule = match observed {
        Impact::Major => format!("Major needs a fall of at least {MAJOR_FALL_PCT:.0}% and no successor"),
        Impact::Moderate => {
            format!("Moderate needs a fall of at least {MODERATE_FALL_PCT:.0}% or a key player removed")
        }
        Impact::Minor => format!("neither a fall of {MODERATE_FALL_PCT:.0}% nor a key player removed"),
    };
    format!("{rate}; {gone}; {new} ({rule}).")
}

/// Reports in a window and their rate per [`RATE_DAYS`].
struct Rate {
    reports: usize,
    rate: f64,
}

fn displaced(
    disrupted: &CheckedGroup<'_>,
    before: &Span,
    after: &Span,
    routes_before: &BTreeSet<String>,
    checked: &Checked<'_>,
) -> Vec<Displacement> {
    let routes = if routes_before.is_empty() { routes_in(disrupted, None) } else { routes_before.clone() };
    let mut found = Vec::new();
    for other in checked.groups.iter().filter(|g| !same_id(&g.group.id, &disrupted.group.id)) {
        // Cheap tests first (no allocation): a shared route, then a rise; most groups fail one.
        if !other.routes.iter().any(|r| routes.contains(r)) {
            continue;
        }
        let (reports_before, reports_after) = (in_span(other, before).len(), in_span(other, after).len());
        let b = Rate { reports: reports_before, rate: rate(reports_before, before.days()) };
        let a = Rate { reports: reports_after, rate: rate(reports_after, after.days()) };
        let change = change_pct(b.rate, a.rate);
        let rose = match change {
            Some(pct) => pct >= DISPLACEMENT_RISE_PCT,
            None => a.reports >= DISPLACEMENT_FROM_ZERO,
        };
        if !rose {
            continue;
        }
        let shared: Vec<String> = other.routes.intersection(&routes).cloned().collect();
        let explanation = match change {
            Some(pct) => format!(
                "Shares {}; report rate rose {pct:.0}% ({:.1} to {:.1} per 30 days; at least {DISPLACEMENT_RISE_PCT:.0}% counts).",
                shared.join(", "),
                b.rate,
                a.rate
            ),
            None => format!(
                "Shares {}; no reports before, {} after (at least {DISPLACEMENT_FROM_ZERO} count).",
                shared.join(", "),
                a.reports
            ),
        };
        found.push(Displacement {
            group: other.group.id.clone(),
            name: other.group.name.clone(),
            shared_routes: shared,
            rate_before: b.rate,
            rate_after: a.rate,
            change_pct: change,
            explanation,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{ActivityReport, Disruption, GroupActivity, Options, ReviewInput, check};
    use tessera_model::taxonomy::Stream;

    fn report(id: &str, date: &str, route: &str, members: &[&str]) -> ActivityReport {
        ActivityReport {
            id: id.into(),
            date: date.into(),
            routes: vec![route.into()],
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    fn group(id: &str, reports: Vec<ActivityReport>) -> GroupActivity {
        GroupActivity {
            id: id.into(),
            name: format!("Group {id}"),
            priority: 50,
            band: "High".into(),
            streams: vec![Stream::Facilitation],
            members: vec![],
            reports,
            travellers: vec![],
            prices: vec![],
        }
    }

    fn disruption(group: &str, date: &str, impact: Impact) -> Disruption {
        Disruption {
            reference: "D-1".into(),
            kind: "arrest".into(),
            date: date.into(),
            agency: "NCA".into(),
            group: Some(group.into()),
            subjects: vec!["boss".into()],
            impact,
            assets: vec![],
        }
    }

    /// Ten reports in the 90 days before 2026-01-01 (the boss in each), `after` reports after.
    fn busy_before(after: Vec<ActivityReport>) -> Vec<ActivityReport> {
        let mut reports: Vec<ActivityReport> = (0..10)
            .map(|i| report(&format!("B{i}"), &format!("2025-12-{:02}", 10 + i), "channel", &["boss", "driver"]))
            .collect();
        reports.extend(after);
        reports
    }

    fn run(input: &ReviewInput, as_of: &str) -> Impacts {
        impacts(&check(input, &Options::new(as_of)).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn an_eighty_percent_drop_with_a_vanished_key_player_is_major() {
        let after = vec![
            report("A1", "2026-02-01", "channel", &["driver"]),
            report("A2", "2026-03-01", "channel", &["driver"]),
        ];
        let input = ReviewInput {
            groups: vec![group("g1", busy_before(after))],
            disruptions: vec![disruption("g1", "2026-01-01", Impact::Moderate)],
            ..Default::default()
        };
        let result = run(&input, "2026-06-01");
        let i = &result.disruptions[0];
        assert_eq!((i.before.reports, i.after.reports), (10, 2));
        assert_eq!(i.change_pct.map(f64::round), Some(-80.0));
        assert_eq!(ids(&i.disappeared), "boss");
        assert!(i.successors.is_empty());
        assert_eq!(i.observed, Some(Impact::Major));
        assert!(i.differs);
        assert!(i.assessment.starts_with("Recorded Moderate, observed Major (differs)"), "{}", i.assessment);
        assert!(i.subjects_after.is_empty());
    }

    #[test]
    fn a_successor_stops_it_being_major() {
        let after =
            vec![report("A1", "2026-02-01", "channel", &["heir"]), report("A2", "2026-03-01", "channel", &["heir"])];
        let input = ReviewInput {
            groups: vec![group("g1", busy_before(after))],
            disruptions: vec![disruption("g1", "2026-01-01", Impact::Major)],
            ..Default::default()
        };
        let i = &run(&input, "2026-06-01").disruptions[0];
        assert_eq!(ids(&i.successors), "heir");
        assert_eq!(i.observed, Some(Impact::Moderate));
        assert!(i.differs);
        assert!(i.assessment.contains("possible successor"), "{}", i.assessment);
    }

    #[test]
    fn displacement_to_a_group_on_the_same_route_is_named() {
        let other = group(
            "g2",
            vec![
                report("O1", "2025-12-01", "channel", &[]),
                report("O2", "2026-01-10", "channel", &[]),
                report("O3", "2026-01-20", "channel", &[]),
                report("O4", "2026-02-10", "channel", &[]),
            ],
        );
        let elsewhere = group(
            "g3",
            vec![report("X1", "2026-01-10", "central_med", &[]), report("X2", "2026-01-20", "central_med", &[])],
        );
        let input = ReviewInput {
            groups: vec![group("g1", busy_before(vec![])), other, elsewhere],
            disruptions: vec![disruption("g1", "2026-01-01", Impact::Major)],
            ..Default::default()
        };
        let i = &run(&input, "2026-06-01").disruptions[0];
        assert_eq!(i.displacement.len(), 1);
        assert_eq!(i.displacement[0].group, "g2");
        assert_eq!(i.displacement[0].change_pct.map(f64::round), Some(200.0));
        assert!(i.assessment.contains("displacement to Group g2"), "{}", i.assessment);
        assert_eq!(i.routes_dropped, vec!["channel".to_string()]);
    }

    #[test]
    fn the_after_window_is_cut_at_as_of_and_may_be_too_short() {
        let after =
            vec![report("A1", "2026-01-05", "channel", &["boss"]), report("late", "2026-01-25", "channel", &["boss"])];
        let input = ReviewInput {
            groups: vec![group("g1", busy_before(after))],
            disruptions: vec![disruption("g1", "2026-01-01", Impact::Minor)],
            ..Default::default()
        };
        let i = &run(&input, "2026-01-21").disruptions[0];
        assert_eq!(i.after.days, 20);
        assert_eq!(i.after.end, "2026-01-21");
        assert_eq!(i.after.reports, 1);
        assert!((i.after.rate - 1.5).abs() < 1e-9);
        assert!(i.too_short);
        assert_eq!(i.observed, None);
        assert!(!i.differs);
        assert!(i.assessment.contains("too early to judge"), "{}", i.assessment);
        assert_eq!(ids(&i.subjects_after), "boss");
    }

    #[test]
    fn disruptions_without_a_group_in_view_are_noted() {
        let mut lost = disruption("ghost", "2026-01-01", Impact::Minor);
        lost.reference = "D-2".into();
        let mut none = disruption("g1", "2026-01-01", Impact::Minor);
        none.group = None;
        let input = ReviewInput { disruptions: vec![lost, none], ..Default::default() };
        let result = run(&input, "2026-06-01");
        assert!(result.disruptions.is_empty());
        assert_eq!(result.notes.len(), 2);
    }
}
