//! The threat group's meeting papers as documents (`tessera_report`): the
//! threat assessment from a viewer's picture, and the sufficiency and impact
//! review with the action plan and the disruption log. The renderer turns
//! them into HTML or PDF; nothing here reads the store.
//!
//! A document is marked with the highest classification of the reports it
//! is built from (never lower than the records it lists), and names the
//! reader it was prepared for: it holds what that reader may see.

use std::collections::HashMap;

use tessera_model::Classification;
use tessera_model::disruption::pounds;
use tessera_model::taxonomy::Stream;
use tessera_report::{Align, Block, Chart, Column, Document, KeyFigure, MapFigure, Marker, Series, Shape, Table};
use tessera_review::{CellState, Review};
use tessera_series::Month;
use tessera_store::{Action, Disruption};

use crate::{Dimension, Picture, SeriesView};

/// Bars and rows shown per dimension.
pub const TOP: usize = 10;

/// FRONTEX routes charted in the threat assessment (their change points are all tabled).
pub const CONTEXT_ROUTES: usize = 3;

/// Who a document is for and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The reader: user name and agency.
    pub reader: String,
    /// When (`YYYY-MM-DD HH:MM UTC`).
    pub at: String,
}

impl Prepared {
    /// A paper prepared now for `viewer` ("user (agency, role)").
    pub fn for_viewer(viewer: &tessera_access::Viewer) -> Self {
        let now = tessera_model::time::now_rfc3339();
        Prepared {
            reader: format!("{} ({}, {})", viewer.user, viewer.agency, viewer.role),
            at: format!("{} {} UTC", now.get(..10).unwrap_or(""), now.get(11..16).unwrap_or("")),
        }
    }
}

/// The map's window on Europe, the Mediterranean and the Middle East (west, south, east, north).
pub const MAP_BOUNDS: (f64, f64, f64, f64) = (-20.0, 10.0, 70.0, 62.0);

fn column(title: &str, align: Align) -> Column {
    Column { title: title.to_string(), align }
}

fn left(title: &str) -> Column {
    column(title, Align::Left)
}

fn right(title: &str) -> Column {
    column(title, Align::Right)
}

fn heading(level: u8, text: impl Into<String>) -> Block {
    Block::Heading { level, text: text.into() }
}

/// The banner: the classification and "prepared for".
fn banner(classification: Classification) -> String {
    classification.as_str().to_string()
}

/// A count as a chart value (a sanitised "<5" has none).
fn value(count: crate::Count) -> f64 {
    match count {
        crate::Count::Exact(n) | crate::Count::Rounded(n) => n as f64,
        crate::Count::Below => f64::NAN,
    }
}

/// The monthly series of one dimension as a line chart, with change points marked.
fn series_chart(title: &str, unit: &str, series: &[&SeriesView]) -> Option<Chart> {
    let with_counts: Vec<(Month, &[u64], &SeriesView)> =
        series.iter().filter_map(|s| Some((Month::parse(&s.start)?, s.counts.as_deref()?, *s))).collect();
    let first = with_counts.iter().map(|(start, _, _)| *start).min()?;
    let last = with_counts.iter().map(|(start, counts, _)| start.plus(counts.len() as i32 - 1)).max()?;
    let span = usize::try_from(first.months_until(last) + 1).ok()?;
    let x_labels: Vec<String> = (0..span).map(|i| first.plus(i as i32).to_string()).collect();
    let mut markers = Vec::new();
    let mut lines = Vec::new();
    for (start, counts, s) in with_counts {
        let offset = usize::try_from(first.months_until(start)).ok()?;
        let mut values = vec![f64::NAN; span];
        for (i, c) in counts.iter().enumerate() {
            if let Some(v) = values.get_mut(offset + i) {
                *v = *c as f64;
            }
        }
        for change in &s.changes {
            if let Some(x) = Month::parse(&change.month).and_then(|m| usize::try_from(first.months_until(m)).ok()) {
                markers.push(Marker { x, label: format!("{} {:?}", s.key, change.direction).to_lowercase() });
            }
        }
        lines.push(Series { name: s.by.label(&s.key), values });
    }
    Some(Chart::Lines { title: title.to_string(), x_labels, series: lines, markers, unit: unit.into() })
}

/// The threat assessment from a viewer's picture; `world` holds the country shapes for the map and
/// `context` the FRONTEX series of the picture's routes ([`crate::context::frontex_series`]).
pub fn threat_assessment(picture: &Picture, prepared: &Prepared, world: &[Shape], context: &[SeriesView]) -> Document {
    let mut blocks = Vec::new();
    let top_of = |by: Dimension| picture.sections.iter().find(|s| s.by == by).and_then(|s| s.figures.first());
    blocks.push(Block::KeyFigures(vec![
        KeyFigure {
            label: "Reports".into(),
            value: picture.reports.text(),
            note: Some(format!("from {} agencies", picture.agencies)),
        },
        KeyFigure {
            label: "Most reported route".into(),
            value: top_of(Dimension::Route).map_or("none".into(), |f| f.label.clone()),
            note: top_of(Dimension::Route).map(|f| format!("{} reports", f.reports.text())),
        },
        KeyFigure {
            label: "Groups ranked".into(),
            value: picture.groups.len().to_string(),
            note: picture.groups.first().map(|g| format!("first: {}", g.name)),
        },
    ]));
    if let Some(method) = &picture.method {
        blocks.push(Block::Paragraph(format!("Sanitised figures: {method}.")));
    }
    blocks.push(heading(1, "Organised crime groups"));
    blocks.push(Block::Table(Table {
        caption: "Groups ranked by priority (harm, capability, intent)".into(),
        columns: vec![
            right("Rank"),
            left("Group"),
            left("Band"),
            right("Priority"),
            right("Confidence"),
            right("Members"),
            left("Last activity"),
        ],
        rows: picture
            .groups
            .iter()
            .map(|g| {
                vec![
                    g.rank.to_string(),
                    g.name.clone(),
                    g.band.label().to_string(),
                    g.priority.to_string(),
                    g.confidence.to_string(),
                    g.members.text(),
                    g.last_activity.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        note: Some(
            "Scored under the documented method (docs/priority.md) from the intelligence the reader may see.".into(),
        ),
    }));
    let series_of = |by: Dimension| -> Vec<&SeriesView> { picture.series.iter().filter(|s| s.by == by).collect() };
    for section in &picture.sections {
        let name = section.by.label_plural();
        blocks.push(heading(1, format!("By {name}")));
        let top: Vec<_> = section.figures.iter().take(TOP).collect();
        if !top.is_empty() {
            blocks.push(Block::Chart(Chart::Bars {
                title: format!("Reports by {name} (top {})", top.len()),
                categories: top.iter().map(|f| f.label.clone()).collect(),
                series: vec![Series { name: "Reports".into(), values: top.iter().map(|f| value(f.reports)).collect() }],
                unit: "reports".into(),
            }));
        }
        if section.by == Dimension::Country && !world.is_empty() {
            let values: HashMap<String, f64> = section
                .figures
                .iter()
                .map(|f| (f.key.clone(), value(f.reports)))
                .filter(|(_, v)| v.is_finite())
                .collect();
            blocks.push(Block::Map(MapFigure {
                title: "Reports naming each country".into(),
                shapes: world.to_vec(),
                values,
                bounds: MAP_BOUNDS,
                legend_title: "Reports".into(),
            }));
        }
        if matches!(section.by, Dimension::Stream | Dimension::Route)
            && let Some(chart) = series_chart(
                &format!("Reports per month by {name}, change points marked"),
                "reports",
                &series_of(section.by),
            )
        {
            blocks.push(Block::Chart(chart));
        }
        blocks.push(Block::Table(Table {
            caption: format!("Figures by {name}"),
            columns: vec![
                left(section.by.label_singular()),
                right("Reports"),
                right("Entities"),
                right("Agencies"),
                right("Confidence"),
            ],
            rows: section
                .figures
                .iter()
                .map(|f| {
                    vec![
                        f.label.clone(),
                        f.reports.text(),
                        f.entities.text(),
                        f.agencies.to_string(),
                        format!("{:.2}", f.confidence),
                    ]
                })
                .collect(),
            note: (section.withheld > 0)
                .then(|| format!("{} figures from fewer than two agencies withheld.", section.withheld)),
        }));
    }
    if !context.is_empty() {
        blocks.push(heading(1, "External context: FRONTEX detections"));
        blocks.push(Block::Paragraph(
            "FRONTEX's published monthly detections of illegal border-crossings on the routes of this picture \
             (FRONTEX does not report the Channel), with the change points the same method finds: reference data \
             beside the intelligence, not intelligence."
                .into(),
        ));
        for s in context.iter().take(CONTEXT_ROUTES) {
            if let Some(chart) =
                series_chart(&format!("FRONTEX detections a month: {}", s.by.label(&s.key)), "detections", &[s])
            {
                blocks.push(Block::Chart(chart));
            }
        }
        blocks.push(Block::Table(Table {
            caption: "Change points in the FRONTEX detections".into(),
            columns: vec![
                left("Route"),
                left("Month"),
                left("Direction"),
                right("Typical month before"),
                right("After"),
            ],
            rows: context
                .iter()
                .flat_map(|s| {
                    s.changes.iter().map(move |c| {
                        vec![
                            s.by.label(&s.key),
                            c.month.clone(),
                            format!("{:?}", c.direction).to_lowercase(),
                            c.level_before.map_or(String::new(), |v| format!("{v:.0}")),
                            c.level_after.map_or(String::new(), |v| format!("{v:.0}")),
                        ]
                    })
                })
                .collect(),
            note: Some("PELT on ln(1 + detections) with the seasons taken off, BIC penalty (docs/series.md).".into()),
        }));
    }
    let period = match (&picture.from, &picture.until) {
        (None, None) => "all dates".to_string(),
        (f, u) => format!("{} to {}", f.as_deref().unwrap_or("the start"), u.as_deref().unwrap_or("today")),
    };
    Document {
        title: "Threat assessment: organised immigration crime".into(),
        subtitle: Some(format!("The single threat picture, {period}")),
        banner: banner(picture.classification),
        meta: vec![
            ("Prepared for".into(), prepared.reader.clone()),
            ("Generated".into(), prepared.at.clone()),
            (
                "Basis".into(),
                format!(
                    "{} reports from {} agencies that the reader may see; confidence 1 − Π(1 − best grading per agency)",
                    picture.reports.text(),
                    picture.agencies
                ),
            ),
        ],
        blocks,
    }
}

fn state(s: CellState) -> &'static str {
    match s {
        CellState::Covered => "covered",
        CellState::Gap => "GAP",
        CellState::Overdue => "overdue",
        CellState::NotApplicable => "–",
    }
}

fn short_stream(s: Stream) -> &'static str {
    match s {
        Stream::Facilitation => "Facilitation",
        Stream::ClandestineEntry => "Clandestine entry",
        Stream::FalseDocumentation => "False documents",
        Stream::AbuseOfLegitimateEntry => "Legitimate entry",
    }
}

/// The sufficiency and impact review, with the plan and the disruption log behind it; `classification`
/// is the highest of the material the reader's review is built from.
pub fn review_document(
    review: &Review,
    actions: &[Action],
    disruptions: &[Disruption],
    classification: Classification,
    prepared: &Prepared,
) -> Document {
    let mut blocks = vec![heading(1, "Headlines"), Block::Bullets(review.headlines.clone())];

    blocks.push(heading(1, "Sufficiency: who is acting against each threat"));
    let mut columns = vec![left("Threat or group")];
    columns.extend(Stream::ALL.iter().map(|s| left(short_stream(*s))));
    blocks.push(Block::Table(Table {
        caption: "Coverage of the priority threats and groups by live actions, per stream".into(),
        columns,
        rows: review
            .coverage
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![r.label.clone()];
                row.extend(Stream::ALL.iter().map(|s| {
                    r.cells.iter().find(|c| c.stream == *s).map_or(String::new(), |c| {
                        let who = c.agencies.join(", ");
                        match (c.state, c.since.as_deref()) {
                            (CellState::Covered | CellState::Overdue, Some(since)) => {
                                format!("{} ({who} since {since})", state(c.state))
                            }
                            (CellState::Covered | CellState::Overdue, None) => format!("{} ({who})", state(c.state)),
                            (other, _) => state(other).to_string(),
                        }
                    })
                }));
                row
            })
            .collect(),
        note: Some("GAP: active in the stream with no live action; – : not active in that stream.".into()),
    }));
    blocks.push(Block::Chart(Chart::Bars {
        title: "Rows covered and gaps per stream".into(),
        categories: review.coverage.totals.iter().map(|t| short_stream(t.stream).to_string()).collect(),
        series: vec![
            Series {
                name: "Covered".into(),
                values: review.coverage.totals.iter().map(|t| t.rows_covered as f64).collect(),
            },
            Series { name: "Gaps".into(), values: review.coverage.totals.iter().map(|t| t.gaps as f64).collect() },
        ],
        unit: "threats and groups".into(),
    }));

    blocks.push(heading(1, "Impact: what followed each disruption"));
    let impacts = &review.impacts.disruptions;
    if !impacts.is_empty() {
        blocks.push(Block::Chart(Chart::Bars {
            title: format!("Group reports per 30 days, {} days before and after", review.window_days),
            categories: impacts.iter().map(|i| format!("{} {}", i.reference, i.group_name)).collect(),
            series: vec![
                Series { name: "Before".into(), values: impacts.iter().map(|i| i.before.rate).collect() },
                Series { name: "After".into(), values: impacts.iter().map(|i| i.after.rate).collect() },
            ],
            unit: "reports per 30 days".into(),
        }));
    }
    blocks.push(Block::Table(Table {
        caption: "Disruptions and the group's activity afterwards".into(),
        columns: vec![
            left("Disruption"),
            left("Date"),
            left("Group"),
            right("Change"),
            left("Recorded"),
            left("Observed"),
            left("Successors"),
            left("Displacement"),
        ],
        rows: impacts
            .iter()
            .map(|i| {
                vec![
                    format!("{} ({})", i.reference, i.kind.replace('_', " ")),
                    i.date.clone(),
                    i.group_name.clone(),
                    i.change_pct.map_or("–".into(), |c| format!("{c:+.0}%")),
                    i.recorded.label().to_string(),
                    i.observed.map_or("too early".to_string(), |o| o.label().to_string()),
                    i.successors.len().to_string(),
                    i.displacement.iter().map(|d| d.name.clone()).collect::<Vec<_>>().join(", "),
                ]
            })
            .collect(),
        note: Some(
            "Observed impact from the written criteria of docs/review.md; each row's assessment is in the CSV.".into(),
        ),
    }));
    blocks.extend(impacts.iter().map(|i| Block::Paragraph(format!("{}: {}", i.reference, i.assessment))));

    blocks.push(heading(1, "High risk, low return"));
    let periods = &review.returns.periods;
    blocks.push(Block::Chart(Chart::Lines {
        title: "Estimated criminal revenue against assets denied (cumulative)".into(),
        x_labels: periods.iter().map(|p| p.label.clone()).collect(),
        series: vec![
            Series {
                name: "Revenue (estimated)".into(),
                values: periods.iter().map(|p| p.cumulative_revenue_gbp.unwrap_or(f64::NAN)).collect(),
            },
            Series { name: "Assets denied".into(), values: periods.iter().map(|p| p.cumulative_denied_gbp).collect() },
        ],
        markers: Vec::new(),
        unit: "£".into(),
    }));
    blocks.push(Block::Table(Table {
        caption: "Revenue and assets denied per period".into(),
        columns: vec![
            left("Period"),
            right("Travellers"),
            right("Revenue"),
            right("Denied"),
            right("Disruptions"),
            right("Denied / revenue"),
        ],
        rows: periods
            .iter()
            .map(|p| {
                vec![
                    p.label.clone(),
                    p.travellers.to_string(),
                    p.revenue_gbp.map_or("no estimate".into(), pounds),
                    pounds(p.assets_denied_gbp),
                    (p.disruptions.major + p.disruptions.moderate + p.disruptions.minor).to_string(),
                    p.ratio.map_or("–".into(), |r| format!("{r:.2}")),
                ]
            })
            .collect(),
        note: Some(review.returns.notes.join(" ")),
    }));

    blocks.push(Block::PageBreak);
    blocks.push(heading(1, "The Strategic Action Plan"));
    blocks.push(Block::Table(Table {
        caption: "Actions by stream".into(),
        columns: vec![
            left("Ref"),
            left("Stream"),
            left("Action"),
            left("Agency"),
            left("Owner"),
            left("Status"),
            left("Due"),
        ],
        rows: actions
            .iter()
            .map(|a| {
                vec![
                    a.reference.clone(),
                    short_stream(a.stream).to_string(),
                    a.title.clone(),
                    a.agency.clone(),
                    a.owner.clone(),
                    a.status.label().to_string(),
                    a.due.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        note: None,
    }));
    blocks.push(heading(1, "Disruption log"));
    blocks.push(Block::Table(Table {
        caption: "Disruptions, newest first".into(),
        columns: vec![
            left("Ref"),
            left("Date"),
            left("Kind"),
            left("Group"),
            left("Agency"),
            left("Impact"),
            right("Denied"),
        ],
        rows: disruptions
            .iter()
            .map(|d| {
                vec![
                    d.reference.clone(),
                    d.date.clone(),
                    d.kind.label().to_string(),
                    d.group.as_ref().map_or(String::new(), |g| g.caption.clone()),
                    d.agency.clone(),
                    d.impact.label().to_string(),
                    pounds(d.denied_gbp),
                ]
            })
            .collect(),
        note: None,
    }));
    Document {
        title: "Sufficiency and impact review".into(),
        subtitle: Some(format!("The Strategic Action Plan against the threat, as of {}", review.as_of)),
        banner: banner(classification),
        meta: vec![
            ("Prepared for".into(), prepared.reader.clone()),
            ("Generated".into(), prepared.at.clone()),
            ("Impact window".into(), format!("{} days before and after each disruption", review.window_days)),
        ],
        blocks,
    }
}

/// The picture's figures as CSV: one row per figure (`period` empty) and one per figure and period;
/// sanitised counts as shown ("<5").
pub fn picture_csv(p: &Picture) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows: Vec<[String; 8]> = Vec::new();
    for section in &p.sections {
        let by = section.by.name().to_string();
        for f in &section.figures {
            rows.push([
                by.clone(),
                f.key.clone(),
                f.label.clone(),
                String::new(),
                f.reports.text(),
                f.entities.text(),
                f.agencies.to_string(),
                format!("{:.2}", f.confidence),
            ]);
            for period in &f.periods {
                rows.push([
                    by.clone(),
                    f.key.clone(),
                    f.label.clone(),
                    period.period.clone(),
                    period.reports.text(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
    }
    // Writing to memory cannot fail; a record that could not be written would be dropped, never half-written.
    let _ = w.write_record(["dimension", "key", "label", "period", "reports", "entities", "agencies", "confidence"]);
    for row in rows {
        let _ = w.write_record(&row);
    }
    w.into_inner().ok().and_then(|b| String::from_utf8(b).ok()).unwrap_or_default()
}
