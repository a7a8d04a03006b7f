//! The same data as CSV: one writer per table, RFC 4180 (fields holding a
//! comma, a quote or a line break are quoted, quotes doubled, lines ended
//! with CRLF). Absent numbers are empty fields; lists are joined with "; ".

use tessera_model::taxonomy::Stream;

use crate::coverage::{ActionRef, CellState, Coverage, RowKind};
use crate::impact::{Impacts, PersonCount};
use crate::returns::{PriceBasis, Returns};

/// One field, quoted when it must be.
fn field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn line(out: &mut String, fields: &[String]) {
    let joined: Vec<String> = fields.iter().map(|f| field(f)).collect();
    out.push_str(&joined.join(","));
    out.push_str("\r\n");
}

fn header(out: &mut String, names: &[&str]) {
    line(out, &names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
}

fn number(value: Option<f64>, decimals: usize) -> String {
    value.map(|v| format!("{v:.decimals$}")).unwrap_or_default()
}

fn people(list: &[PersonCount]) -> String {
    list.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join("; ")
}

fn stream_code(stream: Stream) -> &'static str {
    match stream {
        Stream::Facilitation => "facilitation",
        Stream::ClandestineEntry => "clandestine_entry",
        Stream::FalseDocumentation => "false_documentation",
        Stream::AbuseOfLegitimateEntry => "abuse_of_legitimate_entry",
    }
}

fn state_code(state: CellState) -> &'static str {
    match state {
        CellState::Covered => "covered",
        CellState::Gap => "gap",
        CellState::Overdue => "overdue",
        CellState::NotApplicable => "not_applicable",
    }
}

fn basis_code(basis: PriceBasis) -> &'static str {
    match basis {
        PriceBasis::Own => "own",
        PriceBasis::AllGroups => "all_groups",
        PriceBasis::None => "",
    }
}

/// The coverage matrix as CSV: one line per row and stream.
pub fn coverage_csv(coverage: &Coverage) -> String {
    let mut out = String::new();
    header(
        &mut out,
        &[
            "row_kind",
            "target_kind",
            "id",
            "label",
            "priority",
            "stream",
            "state",
            "relevant",
            "actions",
            "indirect_actions",
            "agencies",
            "owners",
            "since",
            "explanation",
        ],
    );
    for row in &coverage.rows {
        for cell in &row.cells {
            let refs = |list: &[ActionRef]| list.iter().map(|a| a.reference.as_str()).collect::<Vec<_>>().join("; ");
            line(
                &mut out,
                &[
                    match row.kind {
                        RowKind::Threat => "threat",
                        RowKind::Group => "group",
                    }
                    .to_string(),
                    row.target_kind.name().to_string(),
                    row.id.clone(),
                    row.label.clone(),
                    row.priority.map(|p| p.to_string()).unwrap_or_default(),
                    stream_code(cell.stream).to_string(),
                    state_code(cell.state).to_string(),
                    cell.relevant.to_string(),
                    refs(&cell.actions),
                    refs(&cell.indirect),
                    cell.agencies.join("; "),
                    cell.owners.join("; "),
                    cell.since.clone().unwrap_or_default(),
                    cell.explanation.clone(),
                ],
            );
        }
    }
    out
}

/// The impact table as CSV: one line per disruption measured.
pub fn impact_csv(impacts: &Impacts) -> String {
    let mut out = String::new();
    header(
        &mut out,
        &[
            "reference",
            "kind",
            "date",
            "agency",
            "group",
            "group_name",
            "before_start",
            "before_end",
            "before_days",
            "before_reports",
            "before_rate_per_30_days",
            "after_start",
            "after_end",
            "after_days",
            "after_reports",
            "after_rate_per_30_days",
            "change_pct",
            "too_short",
            "routes_dropped",
            "routes_new",
            "disappeared",
            "successors",
            "subjects_after",
            "displaced_to",
            "recorded",
            "observed",
            "differs",
            "assessment",
        ],
    );
    for i in &impacts.disruptions {
        line(
            &mut out,
            &[
                i.reference.clone(),
                i.kind.clone(),
                i.date.clone(),
                i.agency.clone(),
                i.group.clone(),
                i.group_name.clone(),
                i.before.start.clone(),
                i.before.end.clone(),
                i.before.days.to_string(),
                i.before.reports.to_string(),
                number(Some(i.before.rate), 2),
                i.after.start.clone(),
                i.after.end.clone(),
                i.after.days.to_string(),
                i.after.reports.to_string(),
                number(Some(i.after.rate), 2),
                number(i.change_pct, 1),
                i.too_short.to_string(),
                i.routes_dropped.join("; "),
                i.routes_new.join("; "),
                people(&i.disappeared),
                people(&i.successors),
                people(&i.subjects_after),
                i.displacement.iter().map(|d| d.group.as_str()).collect::<Vec<_>>().join("; "),
                i.recorded.name().to_string(),
                i.observed.map(|o| o.name().to_string()).unwrap_or_default(),
                i.differs.to_string(),
                i.assessment.clone(),
            ],
        );
    }
    out
}

/// The returns table as CSV: per period, a line with an empty `group` for the period's totals,
/// then one line per group with travellers in it.
pub fn returns_csv(returns: &Returns) -> String {
    let mut out = String::new();
    header(
        &mut out,
        &[
            "period",
            "start",
            "end",
            "group",
            "group_name",
            "travellers",
            "median_price_gbp",
            "price_basis",
            "revenue_gbp",
            "assets_denied_gbp",
            "assets_returned_gbp",
            "assets_unvalued",
            "disruptions_major",
            "disruptions_moderate",
            "disruptions_minor",
            "ratio",
            "cumulative_ratio",
        ],
    );
    for p in &returns.periods {
        line(
            &mut out,
            &[
                p.label.clone(),
                p.start.clone(),
                p.end.clone(),
                String::new(),
                String::new(),
                p.travellers.to_string(),
                String::new(),
                String::new(),
                number(p.revenue_gbp, 2),
                number(Some(p.assets_denied_gbp), 2),
                number(Some(p.assets_returned_gbp), 2),
                p.assets_unvalued.to_string(),
                p.disruptions.major.to_string(),
                p.disruptions.moderate.to_string(),
                p.disruptions.minor.to_string(),
                number(p.ratio, 4),
                number(p.cumulative_ratio, 4),
            ],
        );
        for g in &p.groups {
            line(
                &mut out,
                &[
                    p.label.clone(),
                    p.start.clone(),
                    p.end.clone(),
                    g.group.clone(),
                    g.name.clone(),
                    g.travellers.to_string(),
                    number(g.median_gbp, 2),
                    basis_code(g.basis).to_string(),
                    number(g.revenue_gbp, 2),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Impact, TargetKind};

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn codes_are_the_serde_names() {
        for stream in Stream::ALL {
            assert_eq!(serde_json::to_value(stream).ok(), Some(serde_json::Value::from(stream_code(stream))));
        }
        for state in [CellState::Covered, CellState::Gap, CellState::Overdue, CellState::NotApplicable] {
            assert_eq!(serde_json::to_value(state).ok(), Some(serde_json::Value::from(state_code(state))));
        }
        assert_eq!(serde_json::to_value(TargetKind::Mo).ok(), Some(serde_json::Value::from(TargetKind::Mo.name())));
        assert_eq!(serde_json::to_value(PriceBasis::AllGroups).ok(), Some(serde_json::Value::from("all_groups")));
        assert_eq!(basis_code(PriceBasis::AllGroups), "all_groups");
        assert_eq!(Impact::Moderate.name(), "moderate");
    }
}
