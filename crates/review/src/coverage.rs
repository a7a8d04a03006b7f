//! The coverage matrix: for each priority threat and each group (by
//! priority), and for each stream, which live actions of the plan are aimed
//! at it, and where the row is active but nobody is acting (a gap).
//!
//! Rules (see `docs/review.md`):
//! - An action is *live* when it is planned or in progress, or complete with
//!   its due date (its start when it has no due date) no earlier than the
//!   window before `as_of`; and, when it has a start, it has started
//!   (`start` ≤ `as_of`). Cancelled actions are never live.
//! - A live action is *overdue* when it is not complete and its due date is
//!   before `as_of`.
//! - An action covers a threat row when one of its targets is the threat's
//!   target (same kind, same id), and a group row when one of its targets is
//!   the group. An action aimed at a route the group's reports place it on is
//!   listed beside the group as *indirect*, and does not close a gap: a
//!   route-wide action is not activity against that group.

use std::collections::BTreeSet;

use serde::Serialize;
use tessera_model::taxonomy::Stream;

use crate::input::{ActionStatus, Checked, CheckedAction, CheckedGroup, TargetKind, Threat, date_of, same_id};

/// Whether a row is a priority threat or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A priority threat (a route, modus operandi, country...).
    Threat,
    /// An organised crime group.
    Group,
}

/// The state of one cell (row × stream).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    /// At least one live action that is not overdue.
    Covered,
    /// The row is active in the stream and no live action targets it.
    Gap,
    /// Every live action targeting it is past its due date and not complete.
    Overdue,
    /// The row is not active in the stream and no live action targets it.
    NotApplicable,
}

impl CellState {
    /// Name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Covered => "Covered",
            Self::Gap => "Gap",
            Self::Overdue => "Overdue",
            Self::NotApplicable => "Not applicable",
        }
    }
}

/// An action as listed in a cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionRef {
    /// Action reference.
    pub reference: String,
    /// What is to be done.
    pub title: String,
    /// Lead agency.
    pub agency: String,
    /// Named owner.
    pub owner: String,
    /// Where it stands.
    pub status: ActionStatus,
    /// Start (YYYY-MM-DD).
    pub start: Option<String>,
    /// Due (YYYY-MM-DD).
    pub due: Option<String>,
    /// Past its due date and not complete.
    pub overdue: bool,
    /// How it reaches the row (e.g. "targets the group", "targets route channel").
    pub via: String,
}

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The stream.
    pub stream: Stream,
    /// Its state.
    pub state: CellState,
    /// Whether the row is recorded as active in this stream.
    pub relevant: bool,
    /// Live actions aimed at the row in this stream.
    pub actions: Vec<ActionRef>,
    /// Live actions aimed at a route of the group (group rows only); they do not close a gap.
    pub indirect: Vec<ActionRef>,
    /// Distinct agencies of `actions`.
    pub agencies: Vec<String>,
    /// Distinct owners of `actions`.
    pub owners: Vec<String>,
    /// The earliest start among `actions`.
    pub since: Option<String>,
    /// Why this state.
    pub explanation: String,
}

/// One row: a threat or a group, with a cell per stream.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    /// Threat or group.
    pub kind: RowKind,
    /// What the row is (for groups: [`TargetKind::Group`]).
    pub target_kind: TargetKind,
    /// Id (group board id, route code, MO code...).
    pub id: String,
    /// How people read it.
    pub label: String,
    /// Group priority (groups only).
    pub priority: Option<u8>,
    /// Group band (groups only).
    pub band: Option<String>,
    /// Streams the row is active in.
    pub relevant: Vec<Stream>,
    /// One cell per stream, in [`Stream::ALL`] order.
    pub cells: Vec<Cell>,
    /// Relevant streams covered.
    pub covered: usize,
    /// Relevant streams with no live action.
    pub gaps: usize,
    /// Streams where every live action is overdue.
    pub overdue: usize,
    /// E.g. "1 of 2 relevant streams covered; gap in Clandestine entry."
    pub summary: String,
}

/// Totals of one stream over all rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamTotal {
    /// The stream.
    pub stream: Stream,
    /// Its name.
    pub label: &'static str,
    /// Rows active in the stream.
    pub rows_relevant: usize,
    /// Rows active in the stream and covered.
    pub rows_covered: usize,
    /// Gaps.
    pub gaps: usize,
    /// Overdue cells.
    pub overdue: usize,
    /// Distinct agencies with a live action aimed at some row in the stream.
    pub agencies: Vec<String>,
    /// E.g. "3 of 5 active rows covered by 2 agencies; 2 gaps."
    pub explanation: String,
}

/// The coverage matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Threat rows (as given), then group rows (by priority, highest first).
    pub rows: Vec<CoverageRow>,
    /// One per stream, in [`Stream::ALL`] order.
    pub totals: Vec<StreamTotal>,
}

/// Whether an action counts at `as_of` (see the module documentation).
pub(crate) fn is_live(action: &CheckedAction<'_>, as_of: i64, window: i64) -> bool {
    if action.start.is_some_and(|start| start > as_of) {
        return false;
    }
    match action.action.status {
        ActionStatus::Planned | ActionStatus::InProgress => true,
        ActionStatus::Complete => action.due.or(action.start).is_some_and(|end| end >= as_of - window),
        ActionStatus::Cancelled => false,
    }
}

/// Whether a live action is past its due date and not complete.
pub(crate) fn is_overdue(action: &CheckedAction<'_>, as_of: i64) -> bool {
    action.action.status.is_open() && action.due.is_some_and(|due| due < as_of)
}

fn action_ref(action: &CheckedAction<'_>, as_of: i64, via: String) -> ActionRef {
    let a = action.action;
    ActionRef {
        reference: a.reference.clone(),
        title: a.title.clone(),
        agency: a.agency.clone(),
        owner: a.owner.clone(),
        status: a.status,
        start: action.start.map(date_of),
        due: action.due.map(date_of),
        overdue: is_overdue(action, as_of),
        via,
    }
}

/// Builds the matrix.
pub(crate) fn coverage(checked: &Checked<'_>) -> Coverage {
    let live: Vec<&CheckedAction<'_>> =
        checked.actions.iter().filter(|a| is_live(a, checked.as_of, checked.window)).collect();
    let mut rows: Vec<CoverageRow> = checked.threats.iter().map(|t| threat_row(t, &live, checked)).collect();
    rows.extend(checked.groups.iter().map(|g| group_row(g, &live, checked)));
    let totals = Stream::ALL.iter().enumerate().map(|(i, &stream)| stream_total(stream, i, &rows)).collect();
    Coverage { rows, totals }
}

fn threat_row(threat: &Threat, live: &[&CheckedAction<'_>], checked: &Checked<'_>) -> CoverageRow {
    let cells = Stream::ALL
        .iter()
        .map(|&stream| {
            let direct = live
                .iter()
                .filter(|a| a.action.stream == stream && a.action.targets.iter().any(|t| t.same_as(&threat.target)))
                .map(|a| {
                    action_ref(
                        a,
                        checked.as_of,
                        format!("targets {} {}", threat.target.kind.label().to_lowercase(), threat.target.id),
                    )
                })
                .collect();
            cell(stream, threat.streams.contains(&stream), direct, Vec::new())
        })
        .collect();
    let label = if threat.target.label.is_empty() { threat.target.id.clone() } else { threat.target.label.clone() };
    finish_row(RowKind::Threat, threat.target.kind, threat.target.id.clone(), label, None, None, &threat.streams, cells)
}

fn group_row(group: &CheckedGroup<'_>, live: &[&CheckedAction<'_>], checked: &Checked<'_>) -> CoverageRow {
    let g = group.group;
    let routes: BTreeSet<String> = group
        .reports
        .iter()
        .flat_map(|(_, r)| r.routes.iter().map(|route| route.trim().to_ascii_lowercase()))
        .collect();
    let cells = Stream::ALL
        .iter()
        .map(|&stream| {
            let in_stream = live.iter().filter(|a| a.action.stream == stream);
            let mut direct = Vec::new();
            let mut indirect = Vec::new();
            for action in in_stream {
                let targets = &action.action.targets;
                if targets.iter().any(|t| t.kind == TargetKind::Group && same_id(&t.id, &g.id)) {
                    direct.push(action_ref(action, checked.as_of, "targets the group".into()));
                } else if let Some(route) = targets
                    .iter()
                    .find(|t| t.kind == TargetKind::Route && routes.contains(&t.id.trim().to_ascii_lowercase()))
                {
                    indirect.push(action_ref(action, checked.as_of, format!("targets route {}", route.id.trim())));
                }
            }
            cell(stream, g.streams.contains(&stream), direct, indirect)
        })
        .collect();
    let label = if g.name.is_empty() { g.id.clone() } else { g.name.clone() };
    finish_row(
        RowKind::Group,
        TargetKind::Group,
        g.id.clone(),
        label,
        Some(g.priority),
        Some(g.band.clone()),
        &g.streams,
        cells,
    )
}

fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    values.filter(|v| !v.trim().is_empty()).collect::<BTreeSet<_>>().into_iter().collect()
}

fn list_refs(refs: &[ActionRef]) -> String {
    refs.iter()
        .map(|r| {
            let due = match (&r.due, r.overdue) {
                (Some(due), true) => format!(", due {due}, overdue"),
                _ => String::new(),
            };
            format!("{} by {}{due}", r.reference, if r.agency.is_empty() { "unknown agency" } else { &r.agency })
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn cell(stream: Stream, relevant: bool, actions: Vec<ActionRef>, indirect: Vec<ActionRef>) -> Cell {
    let agencies = distinct(actions.iter().map(|a| a.agency.clone()));
    let owners = distinct(actions.iter().map(|a| a.owner.clone()));
    let since = actions.iter().filter_map(|a| a.start.clone()).min();
    let state = if actions.is_empty() {
        if relevant { CellState::Gap } else { CellState::NotApplicable }
    } else if actions.iter().all(|a| a.overdue) {
        CellState::Overdue
    } else {
        CellState::Covered
    };
    let mut explanation = match state {
        CellState::Covered => {
            let since = since.as_ref().map(|s| format!(" since {s}")).unwrap_or_default();
            let note = if relevant { "" } else { " (the row is not recorded as active in this stream)" };
            format!("{} live action(s){since}: {}{note}.", actions.len(), list_refs(&actions))
        }
        CellState::Overdue => format!("Only overdue actions: {}.", list_refs(&actions)),
        CellState::Gap => "Active in this stream and no live action is aimed at it.".to_string(),
        CellState::NotApplicable => "Not recorded as active in this stream; no live action.".to_string(),
    };
    if !indirect.is_empty() {
        explanation.push_str(&format!(
            " Route-wide action(s) touch it without targeting the group: {}.",
            list_refs(&indirect)
        ));
    }
    Cell { stream, state, relevant, actions, indirect, agencies, owners, since, explanation }
}

#[allow(clippy::too_many_arguments)]
fn finish_row(
    kind: RowKind,
    target_kind: TargetKind,
    id: String,
    label: String,
    priority: Option<u8>,
    band: Option<String>,
    streams: &[Stream],
    cells: Vec<Cell>,
) -> CoverageRow {
    let relevant: Vec<Stream> = Stream::ALL.iter().copied().filter(|s| streams.contains(s)).collect();
    let covered = cells.iter().filter(|c| c.relevant && c.state == CellState::Covered).count();
    let gaps = cells.iter().filter(|c| c.state == CellState::Gap).count();
    let overdue = cells.iter().filter(|c| c.state == CellState::Overdue).count();
    let names = |state: CellState| {
        cells.iter().filter(|c| c.state == state).map(|c| c.stream.label()).collect::<Vec<_>>().join(", ")
    };
    let mut summary = if relevant.is_empty() {
        "Not recorded as active in any stream".to_string()
    } else {
        format!("{covered} of {} relevant stream(s) covered", relevant.len())
    };
    if gaps > 0 {
        summary.push_str(&format!("; gap in {}", names(CellState::Gap)));
    }
    if overdue > 0 {
        summary.push_str(&format!("; only overdue actions in {}", names(CellState::Overdue)));
    }
    summary.push('.');
    CoverageRow { kind, target_kind, id, label, priority, band, relevant, cells, covered, gaps, overdue, summary }
}

fn stream_total(stream: Stream, index: usize, rows: &[CoverageRow]) -> StreamTotal {
    let cells: Vec<&Cell> = rows.iter().filter_map(|r| r.cells.get(index)).collect();
    let rows_relevant = cells.iter().filter(|c| c.relevant).count();
    let rows_covered = cells.iter().filter(|c| c.relevant && c.state == CellState::Covered).count();
    let gaps = cells.iter().filter(|c| c.state == CellState::Gap).count();
    let overdue = cells.iter().filter(|c| c.state == CellState::Overdue).count();
    let agencies = distinct(cells.iter().flat_map(|c| c.agencies.iter().cloned()));
    let explanation = format!(
        "{rows_covered} of {rows_relevant} active row(s) covered by {} agenc{}; {gaps} gap(s); {overdue} overdue.",
        agencies.len(),
        if agencies.len() == 1 { "y" } else { "ies" }
    );
    StreamTotal { stream, label: stream.label(), rows_relevant, rows_covered, gaps, overdue, agencies, explanation }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Action, ActivityReport, GroupActivity, Options, ReviewInput, Target, check};

    fn group(id: &str, priority: u8, streams: Vec<Stream>) -> GroupActivity {
        GroupActivity {
            id: id.into(),
            name: format!("Group {id}"),
            priority,
            band: "High".into(),
            streams,
            members: vec![],
            reports: vec![ActivityReport {
                id: format!("R-{id}"),
                date: "2026-01-10".into(),
                routes: vec!["channel".into()],
                members: vec![],
            }],
            travellers: vec![],
            prices: vec![],
        }
    }

    fn action(reference: &str, stream: Stream, target: Target, status: ActionStatus, due: Option<&str>) -> Action {
        Action {
            reference: reference.into(),
            stream,
            objective: "O1".into(),
            title: "Pursue".into(),
            agency: "NCA".into(),
            owner: "J. Smith".into(),
            start: Some("2026-01-05".into()),
            due: due.map(String::from),
            status,
            targets: vec![target],
        }
    }

    fn target(kind: TargetKind, id: &str) -> Target {
        Target { kind, id: id.into(), label: id.to_uppercase() }
    }

    fn matrix(input: &ReviewInput) -> Coverage {
        let options = Options::new("2026-03-01");
        coverage(&check(input, &options).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn a_gap_is_found_and_closed_by_an_action() {
        let mut input = ReviewInput { groups: vec![group("g1", 60, vec![Stream::Facilitation])], ..Default::default() };
        let before = matrix(&input);
        assert_eq!(before.rows[0].cells[0].state, CellState::Gap);
        assert_eq!(before.rows[0].cells[1].state, CellState::NotApplicable);
        assert_eq!(before.rows[0].gaps, 1);
        assert!(before.rows[0].summary.contains("gap in Facilitation"), "{}", before.rows[0].summary);
        assert_eq!(before.totals[0].gaps, 1);

        input.actions.push(action(
            "SAP-1",
            Stream::Facilitation,
            target(TargetKind::Group, "G1"),
            ActionStatus::InProgress,
            None,
        ));
        let after = matrix(&input);
        let cell = &after.rows[0].cells[0];
        assert_eq!(cell.state, CellState::Covered);
        assert_eq!(cell.agencies, vec!["NCA".to_string()]);
        assert_eq!(cell.since.as_deref(), Some("2026-01-05"));
        assert_eq!(after.rows[0].covered, 1);
        assert_eq!(after.totals[0].rows_covered, 1);
        assert_eq!(after.totals[0].gaps, 0);
    }

    #[test]
    fn an_overdue_action_does_not_cover() {
        let input = ReviewInput {
            groups: vec![group("g1", 60, vec![Stream::ClandestineEntry])],
            actions: vec![action(
                "SAP-2",
                Stream::ClandestineEntry,
                target(TargetKind::Group, "g1"),
                ActionStatus::Planned,
                Some("2026-02-01"),
            )],
            ..Default::default()
        };
        let m = matrix(&input);
        let cell = &m.rows[0].cells[1];
        assert_eq!(cell.state, CellState::Overdue);
        assert!(cell.actions[0].overdue);
        assert!(cell.explanation.contains("overdue"), "{}", cell.explanation);
        assert_eq!(m.totals[1].overdue, 1);
    }

    #[test]
    fn liveness_follows_status_start_and_window() {
        let mut input = ReviewInput { groups: vec![group("g1", 60, vec![Stream::Facilitation])], ..Default::default() };
        let g = || target(TargetKind::Group, "g1");
        input.actions = vec![
            action("cancelled", Stream::Facilitation, g(), ActionStatus::Cancelled, None),
            action("old", Stream::Facilitation, g(), ActionStatus::Complete, Some("2025-10-01")),
        ];
        let mut future = action("future", Stream::Facilitation, g(), ActionStatus::Planned, None);
        future.start = Some("2026-04-01".into());
        input.actions.push(future);
        assert_eq!(matrix(&input).rows[0].cells[0].state, CellState::Gap);
        input.actions.push(action("recent", Stream::Facilitation, g(), ActionStatus::Complete, Some("2026-02-01")));
        let m = matrix(&input);
        assert_eq!(m.rows[0].cells[0].state, CellState::Covered);
        assert_eq!(m.rows[0].cells[0].actions.len(), 1);
    }

    #[test]
    fn threats_match_their_target_and_route_actions_are_indirect_for_groups() {
        let input = ReviewInput {
            groups: vec![group("g1", 60, vec![Stream::Facilitation])],
            threats: vec![Threat {
                target: target(TargetKind::Route, "channel"),
                streams: vec![Stream::Facilitation],
                reports: 12,
                agencies: 3,
            }],
            actions: vec![action(
                "SAP-3",
                Stream::Facilitation,
                target(TargetKind::Route, "Channel"),
                ActionStatus::InProgress,
                None,
            )],
            ..Default::default()
        };
        let m = matrix(&input);
        assert_eq!(m.rows[0].kind, RowKind::Threat);
        assert_eq!(m.rows[0].cells[0].state, CellState::Covered);
        let group_cell = &m.rows[1].cells[0];
        assert_eq!(group_cell.state, CellState::Gap);
        assert_eq!(group_cell.indirect.len(), 1);
        assert!(group_cell.explanation.contains("Route-wide"), "{}", group_cell.explanation);
    }

    #[test]
    fn groups_are_ordered_by_priority() {
        let input = ReviewInput {
            groups: vec![group("low", 10, vec![]), group("high", 90, vec![]), group("mid", 50, vec![])],
            ..Default::default()
        };
        let ids: Vec<String> = matrix(&input).rows.into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["high", "mid", "low"]);
    }
}
