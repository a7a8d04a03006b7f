//! The threat-picture dashboard: `GET /picture` renders the caller's picture
//! (the same `tessera_picture::build` as `GET /api/picture`, audited as
//! `read_picture`) as HTML with charts drawn as inline SVG on the server: a
//! bar per figure, a monthly line per stream and route with its change points
//! marked, and the groups ranked. No script, nothing fetched; partners see
//! the sanitised picture and the method that sanitised it.

use std::fmt::Write as _;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use tessera_picture::{Count, Dimension, Options, PeriodKind, Picture, Section, SeriesView};
use tessera_series::changepoint::Direction;

use crate::AppState;
use crate::auth::Caller;
use crate::html::{Page, esc};
use crate::pages::{OrErrorPage, PageResult, require_intelligence};

/// Width of a figure's bar at the largest count (SVG units).
const BAR_WIDTH: f64 = 220.0;
/// Size of a series chart.
const CHART: (f64, f64) = (560.0, 90.0);

/// The heading of a dimension.
fn title(d: Dimension) -> &'static str {
    match d {
        Dimension::Stream => "By stream of the Strategic Action Plan",
        Dimension::Route => "By route",
        Dimension::Country => "By country",
        Dimension::Nationality => "By nationality",
        Dimension::Mo => "By modus operandi",
    }
}

/// The number a count stands for in a chart (a count below the threshold is drawn at the threshold).
fn magnitude(c: Count) -> f64 {
    match c {
        Count::Exact(n) | Count::Rounded(n) => n as f64,
        Count::Below => tessera_picture::sanitise::THRESHOLD as f64,
    }
}

/// One dimension: a table with a bar per figure.
fn section_html(out: &mut String, s: &Section) {
    let max = s.figures.iter().map(|f| magnitude(f.reports)).fold(1.0, f64::max);
    let _ = write!(
        out,
        r#"<section class="picture-section" data-by="{by}"><h2>{title}</h2><table class="dense picture-figures"><thead><tr><th></th><th>Reports</th><th class="num">Entities</th><th class="num">Agencies</th><th class="num">Confidence</th></tr></thead><tbody>"#,
        by = s.by.name(),
        title = title(s.by),
    );
    for f in &s.figures {
        let width = (magnitude(f.reports) / max * BAR_WIDTH).max(1.0);
        let _ = write!(
            out,
            r##"<tr class="figure" data-key="{key}"><th scope="row">{label}</th><td><svg class="bar" width="{total}" height="14" viewBox="0 0 {total} 14" role="img" aria-label="{n} reports"><rect x="0" y="2" width="{width:.1}" height="10" fill="#2f5f8a"></rect><text x="{tx:.1}" y="11" font-size="11" fill="#1b1f24">{n}</text></svg></td><td class="num">{e}</td><td class="num">{a}</td><td class="num">{c:.2}</td></tr>"##,
            key = esc(&f.key),
            label = esc(&f.label),
            total = BAR_WIDTH + 60.0,
            tx = width + 4.0,
            n = esc(&f.reports.text()),
            e = esc(&f.entities.text()),
            a = f.agencies,
            c = f.confidence,
        );
    }
    out.push_str("</tbody></table>");
    if s.figures.is_empty() {
        out.push_str(r#"<p class="empty">Nothing visible to you in this dimension.</p>"#);
    }
    if s.withheld > 0 {
        let _ = write!(
            out,
            r#"<p class="hint withheld">{} figure(s) withheld: drawn from fewer than {} agencies.</p>"#,
            s.withheld,
            tessera_picture::sanitise::MIN_AGENCIES
        );
    }
    out.push_str("</section>");
}

/// Month index (`YYYY-MM` → months since year 0), for placing change points.
fn month_index(m: &str) -> Option<i64> {
    let (y, mo) = m.split_once('-')?;
    Some(y.parse::<i64>().ok()? * 12 + mo.get(..2)?.parse::<i64>().ok()? - 1)
}

/// Where a series comes from: the intelligence, or FRONTEX's published detections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Intelligence,
    Frontex,
}

/// One monthly series: a line of counts with the change points marked, or (sanitised) the change points only.
fn series_html(out: &mut String, s: &SeriesView, source: Source) {
    let label = s.by.label(&s.key);
    let (source_name, unit) = match source {
        Source::Intelligence => ("intelligence", "Reports"),
        Source::Frontex => ("frontex", "FRONTEX detections"),
    };
    let _ = write!(
        out,
        r#"<figure class="picture-series" data-by="{by}" data-key="{key}" data-source="{source_name}"><figcaption>{label}"#,
        by = s.by.name(),
        key = esc(&s.key),
        label = esc(&label),
    );
    if let Some(change) = s.last_twelve_months_change {
        let _ = write!(out, r#" <span class="trend">last 12 months {:+.0}%</span>"#, change * 100.0);
    }
    out.push_str("</figcaption>");
    let (w, h) = CHART;
    if let Some(counts) = s.counts.as_ref().filter(|c| c.len() > 1) {
        let max = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        let step = w / (counts.len() - 1) as f64;
        let points: Vec<String> = counts
            .iter()
            .enumerate()
            .map(|(i, &c)| format!("{:.1},{:.1}", i as f64 * step, h - 4.0 - c as f64 / max * (h - 8.0)))
            .collect();
        let _ = write!(
            out,
            r##"<svg class="series-chart" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{unit} a month, {label}"><polyline points="{p}" fill="none" stroke="#1f4e79" stroke-width="1.5"></polyline>"##,
            label = esc(&label),
            p = points.join(" "),
        );
        let start = month_index(&s.start);
        for c in &s.changes {
            if let (Some(start), Some(at)) = (start, month_index(&c.month)) {
                let x = (at - start) as f64 * step;
                let colour = if c.direction == Direction::Up { "#b3261e" } else { "#2e7d32" };
                let _ = write!(
                    out,
                    r#"<line class="change-point" x1="{x:.1}" y1="0" x2="{x:.1}" y2="{h}" stroke="{colour}" stroke-dasharray="3 2"></line>"#
                );
            }
        }
        out.push_str("</svg>");
    }
    if s.changes.is_empty() {
        out.push_str(r#"<p class="hint">No change point.</p>"#);
    } else {
        out.push_str(r#"<ul class="changes">"#);
        for c in &s.changes {
            let word = if c.direction == Direction::Up { "up" } else { "down" };
            let levels = match (c.level_before, c.level_after) {
                (Some(a), Some(b)) => format!(": {a:.1} → {b:.1} reports a month"),
                _ => String::new(),
            };
            let _ = write!(out, r#"<li class="change {word}">{} {word}{}</li>"#, esc(&c.month), esc(&levels));
        }
        out.push_str("</ul>");
    }
    out.push_str("</figure>");
}

/// The filters form, keeping what was asked.
fn filters(o: &Options) -> String {
    let selected = |p: PeriodKind| if o.period == p { " selected" } else { "" };
    format!(
        r#"<form class="picture-filters" method="get" action="/picture"><label>Period <select name="period"><option value="month"{m}>month</option><option value="quarter"{q}>quarter</option></select></label> <label>From <input type="text" name="from" value="{from}" placeholder="YYYY-MM" maxlength="10" size="10"></label> <label>Until <input type="text" name="until" value="{until}" placeholder="YYYY-MM" maxlength="10" size="10"></label> <label><input type="checkbox" name="sanitise" value="true"{s}> sanitised, as partners see it</label> <button type="submit">Show</button></form>"#,
        m = selected(PeriodKind::Month),
        q = selected(PeriodKind::Quarter),
        from = esc(o.from.as_deref().unwrap_or("")),
        until = esc(o.until.as_deref().unwrap_or("")),
        s = if o.sanitise { " checked" } else { "" },
    )
}

/// The whole dashboard.
fn body(p: &Picture, asked: &Options, context: &[SeriesView]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<h1 class="page-title">Threat picture</h1><p class="hint">The intelligence you may see, aggregated. A figure's confidence combines the best grading of each independent agency (1 − Π(1 − c)); the method is in <code>docs/picture.md</code>. Machine-readable: <code>/api/picture</code>, <code>tessera picture show</code>.</p>{form}<p class="picture-total"><span id="picture-reports">{r}</span> reports from <span id="picture-agencies">{a}</span> agencies{span}</p>"#,
        form = filters(asked),
        r = esc(&p.reports.text()),
        a = p.agencies,
        span = match (&p.from, &p.until) {
            (None, None) => String::new(),
            (f, u) =>
                format!(", {} to {}", esc(f.as_deref().unwrap_or("the start")), esc(u.as_deref().unwrap_or("now"))),
        },
    );
    if p.sanitised {
        let _ = write!(
            out,
            r#"<div class="sanitised-notice" role="note"><b>Sanitised.</b> {}</div>"#,
            esc(p.method.as_deref().unwrap_or(""))
        );
    }
    out.push_str(r#"<div class="picture-sections">"#);
    for s in &p.sections {
        section_html(&mut out, s);
    }
    out.push_str("</div>");
    if !p.series.is_empty() {
        out.push_str(r#"<section class="picture-trends"><h2>Reports a month, with change points (PELT)</h2>"#);
        for s in &p.series {
            series_html(&mut out, s, Source::Intelligence);
        }
        out.push_str("</section>");
    }
    if !context.is_empty() {
        out.push_str(r#"<section class="picture-context"><h2>External context: FRONTEX detections of illegal border-crossings</h2><p class="hint">Published monthly figures for the routes of your picture (FRONTEX does not report the Channel), with the change points the same method finds; reference data, the same for every reader (<code>tessera picture context</code>, docs/series.md).</p>"#);
        for s in context {
            series_html(&mut out, s, Source::Frontex);
        }
        out.push_str("</section>");
    }
    out.push_str(r#"<section class="picture-groups"><h2>Organised crime groups</h2>"#);
    if p.groups.is_empty() {
        out.push_str(r#"<p class="empty">No group is visible to you.</p>"#);
    } else {
        out.push_str(r#"<ol class="picture-group-list">"#);
        for g in &p.groups {
            let _ = write!(
                out,
                r#"<li><a class="group-link" href="{href}">{name}</a> <span class="band band-{band}">{band_label}</span> priority {p}, confidence {c}, members {m}</li>"#,
                href = esc(&crate::groups::group_href(&g.id)),
                name = esc(&g.name),
                band = format!("{:?}", g.band).to_lowercase(),
                band_label = g.band.label(),
                p = g.priority,
                c = g.confidence,
                m = esc(&g.members.text()),
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</section>");
    out
}

/// `GET /picture?period=&from=&until=&sanitise=`: the dashboard.
pub(crate) async fn page(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> PageResult {
    require_intelligence(&caller, "Your role reads no intelligence.")?;
    // A form sends its empty fields too: an empty date means no bound.
    let Query(mut pairs) = query.or_error_page(&caller)?;
    pairs.retain(|(k, v)| !(matches!(k.as_str(), "from" | "until") && v.trim().is_empty()));
    let asked = crate::picture::options(&pairs).or_error_page(&caller)?;
    let picture = crate::picture::read_picture(&state, &caller.viewer, asked.clone()).await.or_error_page(&caller)?;
    let context = crate::picture::frontex_context(&state, &picture);
    let body = body(&picture, &asked, &context);
    Ok(Page { title: "Threat picture".into(), caller: &caller, query: "", body }.render(StatusCode::OK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_index_for_change_points() {
        assert_eq!(month_index("2024-03").unwrap() - month_index("2023-12").unwrap(), 3);
        assert!(month_index("2024").is_none() && month_index("x-y").is_none());
    }

    #[test]
    fn labels_and_keys_reach_the_page_escaped() {
        let s = Section {
            by: Dimension::Country,
            figures: vec![tessera_picture::Figure {
                key: r#""><script>"#.into(),
                label: "<b>Fr</b>".into(),
                reports: Count::Below,
                entities: Count::Rounded(10),
                by_kind: Default::default(),
                agencies: 2,
                confidence: 0.5,
                periods: Vec::new(),
            }],
            withheld: 1,
        };
        let mut out = String::new();
        section_html(&mut out, &s);
        assert!(!out.contains("<script>") && !out.contains("<b>Fr"), "{out}");
        assert!(out.contains("&lt;5") && out.contains("withheld"), "{out}");
        assert!(out.contains("<svg class=\"bar\""));
    }
}
