//! Chart layout: nice axis ticks, grouped horizontal bars and line charts with
//! markers, laid out into a [`Scene`] of a fixed width.

use crate::document::{Chart, Marker, Series};
use crate::scene::{Anchor, GREY, GRID, INK, Mark, Rgb, Scene};
use crate::text::{Font, format_number, str_width, truncate};

/// Width of every figure, in points (the PDF text column is 483 pt wide).
pub(crate) const FIGURE_WIDTH: f64 = 480.0;

/// Series colours: the Okabe–Ito palette, distinguishable with colour-vision deficiencies.
const PALETTE: [Rgb; 7] = [
    Rgb(0x00, 0x72, 0xB2),
    Rgb(0xE6, 0x9F, 0x00),
    Rgb(0x00, 0x9E, 0x73),
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0xCC, 0x79, 0xA7),
    Rgb(0x56, 0xB4, 0xE9),
    Rgb(0x00, 0x00, 0x00),
];
const MARKER: Rgb = Rgb(0xB0, 0x00, 0x20);

const TITLE_SIZE: f64 = 11.0;
const LABEL_SIZE: f64 = 8.0;

/// Axis ticks: evenly spaced "nice" values (1, 2 or 5 × 10^k apart).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    pub min: f64,
    pub max: f64,
    pub values: Vec<f64>,
    /// Digits after the decimal point needed to print the ticks.
    pub decimals: usize,
}

/// Nice ticks covering `[lo, hi]` with about `target` intervals. Non-finite or
/// empty ranges give `[0, 1]`; a zero-width range is widened.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let fallback = Ticks { min: 0.0, max: 1.0, values: vec![0.0, 0.25, 0.5, 0.75, 1.0], decimals: 2 };
    if !lo.is_finite() || !hi.is_finite() || lo > hi {
        return fallback;
    }
    let (lo, hi) = if lo == hi {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.5 };
        (if lo >= 0.0 && lo - pad < 0.0 { 0.0 } else { lo - pad }, hi + pad)
    } else {
        (lo, hi)
    };
    #[allow(clippy::cast_precision_loss)] // target is a small count
    let raw = (hi - lo) / target.max(1) as f64;
    if !raw.is_finite() || raw <= 0.0 {
        return fallback;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let residual = raw / magnitude;
    let step = magnitude
        * if residual <= 1.0 {
            1.0
        } else if residual <= 2.0 {
            2.0
        } else if residual <= 5.0 {
            5.0
        } else {
            10.0
        };
    let min = (lo / step).floor() * step;
    let max = (hi / step).ceil() * step;
    if !min.is_finite() || !max.is_finite() || !step.is_finite() || step <= 0.0 {
        return fallback;
    }
    let mut values = Vec::new();
    let mut i = 0.0;
    while min + i * step <= max + step * 1e-9 && values.len() < 50 {
        let v = min + i * step;
        values.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        i += 1.0;
    }
    let decimals = if step >= 1.0 {
        0
    } else {
        // step < 1 here, so -log10(step) is positive and small.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let d = (-step.log10()).ceil().clamp(0.0, 10.0) as usize;
        d
    };
    Ticks { min, max, values, decimals }
}

fn finite(values: impl Iterator<Item = f64>) -> Vec<f64> {
    values.filter(|v| v.is_finite()).collect()
}

/// Lays a chart out as a scene.
pub(crate) fn layout(chart: &Chart) -> Scene {
    match chart {
        Chart::Bars { title, categories, series, unit } => bars(title, categories, series, unit),
        Chart::Lines { title, x_labels, series, markers, unit } => lines(title, x_labels, series, markers, unit),
    }
}

fn describe(kind: &str, title: &str, series: &[Series], unit: &str) -> String {
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).filter(|n| !n.is_empty()).collect();
    let mut label = format!("{kind}: {title}");
    if !names.is_empty() {
        label.push_str(&format!("; series: {}", names.join(", ")));
    }
    if !unit.is_empty() {
        label.push_str(&format!("; unit: {unit}"));
    }
    label
}

/// Title and legend at the top; returns the y below them.
fn header(marks: &mut Vec<Mark>, title: &str, series: &[Series]) -> f64 {
    let title = truncate(title, Font::Bold, TITLE_SIZE, FIGURE_WIDTH);
    marks.push(Mark::Text {
        x: 0.0,
        y: 12.0,
        text: title,
        size: TITLE_SIZE,
        anchor: Anchor::Start,
        font: Font::Bold,
        fill: INK,
    });
    let mut y = 22.0;
    if series.len() > 1 || series.first().is_some_and(|s| !s.name.is_empty()) {
        let mut x = 0.0;
        y += 10.0;
        for (i, s) in series.iter().enumerate() {
            let name = truncate(&s.name, Font::Regular, LABEL_SIZE, FIGURE_WIDTH / 2.0);
            let w = 14.0 + str_width(&name, Font::Regular, LABEL_SIZE) + 12.0;
            if x > 0.0 && x + w > FIGURE_WIDTH {
                x = 0.0;
                y += 12.0;
            }
            marks.push(Mark::Rect { x, y: y - 7.0, w: 10.0, h: 8.0, fill: PALETTE[i % PALETTE.len()] });
            marks.push(Mark::Text {
                x: x + 14.0,
                y,
                text: name,
                size: LABEL_SIZE,
                anchor: Anchor::Start,
                font: Font::Regular,
                fill: INK,
            });
            x += w;
        }
        y += 6.0;
    }
    y
}

fn no_data(mut marks: Vec<Mark>, top: f64, label: String) -> Scene {
    let height = top + 60.0;
    marks.push(Mark::Rect { x: 0.0, y: top + 5.0, w: FIGURE_WIDTH, h: 50.0, fill: Rgb(0xf4, 0xf4, 0xf4) });
    marks.push(Mark::Text {
        x: FIGURE_WIDTH / 2.0,
        y: top + 34.0,
        text: String::from("No data"),
        size: 10.0,
        anchor: Anchor::Middle,
        font: Font::Regular,
        fill: GREY,
    });
    Scene { width: FIGURE_WIDTH, height, label: format!("{label}; no data"), marks }
}

fn bars(title: &str, categories: &[String], series: &[Series], unit: &str) -> Scene {
    let label = describe("Bar chart", title, series, unit);
    let mut marks = Vec::new();
    let top = header(&mut marks, title, series);
    let values = finite(series.iter().flat_map(|s| s.values.iter().take(categories.len()).copied()));
    if categories.is_empty() || series.is_empty() || values.is_empty() {
        return no_data(marks, top, label);
    }
    let lo = values.iter().copied().fold(0.0, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let ticks = nice_ticks(lo, hi, 5);
    let label_width = categories
        .iter()
        .map(|c| str_width(c, Font::Regular, LABEL_SIZE))
        .fold(0.0, f64::max)
        .clamp(20.0, FIGURE_WIDTH * 0.3);
    let plot_x = label_width + 6.0;
    let plot_w = FIGURE_WIDTH - plot_x - 16.0;
    let bar_h = (14.0 / series.len().max(1) as f64).max(3.0);
    #[allow(clippy::cast_precision_loss)] // a handful of series
    let group_h = bar_h * series.len() as f64 + 6.0;
    let plot_top = top + 4.0;
    #[allow(clippy::cast_precision_loss)] // category counts are small
    let plot_h = group_h * categories.len() as f64;
    let scale = |v: f64| plot_x + (v - ticks.min) / (ticks.max - ticks.min) * plot_w;
    for &t in &ticks.values {
        let x = scale(t);
        marks.push(Mark::Line {
            from: (x, plot_top),
            to: (x, plot_top + plot_h),
            stroke: GRID,
            width: 0.5,
            dashed: false,
        });
        marks.push(Mark::Text {
            x,
            y: plot_top + plot_h + 11.0,
            text: format_number(t, ticks.decimals),
            size: LABEL_SIZE,
            anchor: Anchor::Middle,
            font: Font::Regular,
            fill: GREY,
        });
    }
    let zero = scale(0.0_f64.clamp(ticks.min, ticks.max));
    for (ci, category) in categories.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let gy = plot_top + group_h * ci as f64 + 3.0;
        marks.push(Mark::Text {
            x: plot_x - 4.0,
            y: gy + group_h / 2.0,
            text: truncate(category, Font::Regular, LABEL_SIZE, label_width),
            size: LABEL_SIZE,
            anchor: Anchor::End,
            font: Font::Regular,
            fill: INK,
        });
        for (si, s) in series.iter().enumerate() {
            let Some(&v) = s.values.get(ci) else { continue };
            if !v.is_finite() {
                continue;
            }
            let x = scale(v);
            #[allow(clippy::cast_precision_loss)]
            let y = gy + bar_h * si as f64;
            marks.push(Mark::Rect {
                x: x.min(zero),
                y,
                w: (x - zero).abs(),
                h: bar_h - 0.5,
                fill: PALETTE[si % PALETTE.len()],
            });
        }
    }
    marks.push(Mark::Line {
        from: (zero, plot_top),
        to: (zero, plot_top + plot_h),
        stroke: INK,
        width: 0.8,
        dashed: false,
    });
    let mut height = plot_top + plot_h + 16.0;
    if !unit.is_empty() {
        height += 10.0;
        marks.push(Mark::Text {
            x: plot_x + plot_w / 2.0,
            y: height - 2.0,
            text: truncate(unit, Font::Regular, LABEL_SIZE, plot_w),
            size: LABEL_SIZE,
            anchor: Anchor::Middle,
            font: Font::Regular,
            fill: GREY,
        });
    }
    Scene { width: FIGURE_WIDTH, height: height + 2.0, label, marks }
}

fn lines(title: &str, x_labels: &[String], series: &[Series], markers: &[Marker], unit: &str) -> Scene {
    let label = describe("Line chart", title, series, unit);
    let mut marks = Vec::new();
    let mut top = header(&mut marks, title, series);
    let values = finite(series.iter().flat_map(|s| s.values.iter().take(x_labels.len()).copied()));
    if x_labels.is_empty() || series.is_empty() || values.is_empty() {
        return no_data(marks, top, label);
    }
    let markers: Vec<&Marker> = markers.iter().filter(|m| m.x < x_labels.len()).collect();
    if !markers.is_empty() {
        top += 20.0;
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min).min(0.0);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ticks = nice_ticks(lo, hi, 5);
    let tick_texts: Vec<String> = ticks.values.iter().map(|&t| format_number(t, ticks.decimals)).collect();
    let axis_w = tick_texts.iter().map(|t| str_width(t, Font::Regular, LABEL_SIZE)).fold(0.0, f64::max);
    let plot_x = axis_w + 8.0;
    let plot_w = FIGURE_WIDTH - plot_x - 8.0;
    let plot_top = top + 6.0;
    let plot_h = 170.0;
    let scale_y = |v: f64| plot_top + plot_h - (v - ticks.min) / (ticks.max - ticks.min) * plot_h;
    #[allow(clippy::cast_precision_loss)]
    let step = if x_labels.len() > 1 { plot_w / (x_labels.len() - 1) as f64 } else { 0.0 };
    #[allow(clippy::cast_precision_loss)]
    let scale_x = |i: usize| if x_labels.len() > 1 { plot_x + step * i as f64 } else { plot_x + plot_w / 2.0 };
    for (&t, text) in ticks.values.iter().zip(tick_texts) {
        let y = scale_y(t);
        marks.push(Mark::Line { from: (plot_x, y), to: (plot_x + plot_w, y), stroke: GRID, width: 0.5, dashed: false });
        marks.push(Mark::Text {
            x: plot_x - 4.0,
            y: y + 3.0,
            text,
            size: LABEL_SIZE,
            anchor: Anchor::End,
            font: Font::Regular,
            fill: GREY,
        });
    }
    // Label every k-th period so that labels never overlap.
    let widest = x_labels.iter().map(|l| str_width(l, Font::Regular, LABEL_SIZE)).fold(0.0, f64::max).min(80.0) + 6.0;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let every = if step > 0.0 { ((widest / step).ceil() as usize).max(1) } else { 1 };
    for (i, x_label) in x_labels.iter().enumerate().step_by(every) {
        let x = scale_x(i);
        marks.push(Mark::Line {
            from: (x, plot_top + plot_h),
            to: (x, plot_top + plot_h + 3.0),
            stroke: INK,
            width: 0.5,
            dashed: false,
        });
        marks.push(Mark::Text {
            x,
            y: plot_top + plot_h + 13.0,
            text: truncate(x_label, Font::Regular, LABEL_SIZE, 80.0),
            size: LABEL_SIZE,
            anchor: Anchor::Middle,
            font: Font::Regular,
            fill: GREY,
        });
    }
    marks.push(Mark::Line {
        from: (plot_x, plot_top + plot_h),
        to: (plot_x + plot_w, plot_top + plot_h),
        stroke: INK,
        width: 0.8,
        dashed: false,
    });
    for (mi, marker) in markers.iter().enumerate() {
        let x = scale_x(marker.x);
        marks.push(Mark::Line {
            from: (x, plot_top - 2.0),
            to: (x, plot_top + plot_h),
            stroke: MARKER,
            width: 0.8,
            dashed: true,
        });
        let text = truncate(&marker.label, Font::Regular, 7.0, 140.0);
        let w = str_width(&text, Font::Regular, 7.0);
        let (tx, anchor) = if x + w / 2.0 > FIGURE_WIDTH {
            (x, Anchor::End)
        } else if x - w / 2.0 < 0.0 {
            (x, Anchor::Start)
        } else {
            (x, Anchor::Middle)
        };
        let row = if mi % 2 == 0 { 0.0 } else { 9.0 };
        marks.push(Mark::Text {
            x: tx,
            y: plot_top - 14.0 + row,
            text,
            size: 7.0,
            anchor,
            font: Font::Regular,
            fill: MARKER,
        });
    }
    for (si, s) in series.iter().enumerate() {
        let colour = PALETTE[si % PALETTE.len()];
        let mut run: Vec<(f64, f64)> = Vec::new();
        let flush = |run: &mut Vec<(f64, f64)>, marks: &mut Vec<Mark>| {
            match run.len() {
                0 => {}
                1 => marks.push(Mark::Rect { x: run[0].0 - 1.5, y: run[0].1 - 1.5, w: 3.0, h: 3.0, fill: colour }),
                _ => marks.push(Mark::Polyline { points: std::mem::take(run), stroke: colour, width: 1.5 }),
            }
            run.clear();
        };
        for (i, &v) in s.values.iter().take(x_labels.len()).enumerate() {
            if v.is_finite() {
                run.push((scale_x(i), scale_y(v)));
            } else {
                flush(&mut run, &mut marks);
            }
        }
        flush(&mut run, &mut marks);
    }
    let mut height = plot_top + plot_h + 18.0;
    if !unit.is_empty() {
        marks.push(Mark::Text {
            x: 0.0,
            y: top - 1.0,
            text: truncate(unit, Font::Regular, LABEL_SIZE, plot_w),
            size: LABEL_SIZE,
            anchor: Anchor::Start,
            font: Font::Regular,
            fill: GREY,
        });
        height += 2.0;
    }
    Scene { width: FIGURE_WIDTH, height, label, marks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_nice() {
        let t = nice_ticks(0.0, 947.0, 5);
        assert_eq!(t.values, vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]);
        assert_eq!(t.decimals, 0);
        let t = nice_ticks(-3.0, 7.0, 5);
        assert_eq!((t.min, t.max), (-4.0, 8.0));
        let t = nice_ticks(0.0, 0.37, 4);
        assert_eq!(t.values.last(), Some(&0.4));
        assert_eq!(t.decimals, 1);
        let t = nice_ticks(5.0, 5.0, 5);
        assert!(t.min <= 5.0 && t.max > 5.0 && t.values.len() >= 2);
        assert_eq!(nice_ticks(0.0, 0.0, 5).max, 1.0);
        for (lo, hi) in [(f64::NAN, 1.0), (0.0, f64::INFINITY), (2.0, 1.0), (-1e308, 1e308)] {
            let t = nice_ticks(lo, hi, 5);
            assert!(t.values.iter().all(|v| v.is_finite()) && t.min < t.max, "{lo} {hi}");
        }
        let t = nice_ticks(0.0, 1e300, 5);
        assert!(t.values.len() <= 50 && t.max >= 1e300);
    }

    fn finite_scene(scene: &Scene) -> bool {
        let ok = |v: f64| v.is_finite();
        scene.marks.iter().all(|m| match m {
            Mark::Rect { x, y, w, h, .. } => ok(*x) && ok(*y) && ok(*w) && ok(*h),
            Mark::Line { from, to, .. } => ok(from.0) && ok(from.1) && ok(to.0) && ok(to.1),
            Mark::Polyline { points, .. } => points.iter().all(|p| ok(p.0) && ok(p.1)),
            Mark::Area { rings, .. } => rings.iter().flatten().all(|p| ok(p.0) && ok(p.1)),
            Mark::Text { x, y, .. } => ok(*x) && ok(*y),
        })
    }

    #[test]
    fn empty_and_nan_charts_say_no_data() {
        let chart = Chart::Bars {
            title: "t".into(),
            categories: vec!["a".into()],
            series: vec![Series { name: "s".into(), values: vec![f64::NAN] }],
            unit: String::new(),
        };
        let scene = layout(&chart);
        assert!(scene.to_svg().contains("No data"));
        let chart =
            Chart::Lines { title: "t".into(), x_labels: vec![], series: vec![], markers: vec![], unit: String::new() };
        assert!(layout(&chart).to_svg().contains("No data"));
    }

    #[test]
    fn lines_break_at_missing_values_and_draw_markers() {
        let chart = Chart::Lines {
            title: "Detections".into(),
            x_labels: (1..=12).map(|m| format!("2024-{m:02}")).collect(),
            series: vec![Series {
                name: "Channel".into(),
                values: vec![1.0, 2.0, f64::NAN, 4.0, 5.0, f64::INFINITY, 7.0, 1.0, 2.0, 3.0, 4.0, 5.0],
            }],
            markers: vec![Marker { x: 3, label: "change".into() }, Marker { x: 99, label: "ignored".into() }],
            unit: "crossings".into(),
        };
        let scene = layout(&chart);
        assert!(finite_scene(&scene));
        let polylines = scene.marks.iter().filter(|m| matches!(m, Mark::Polyline { .. })).count();
        assert_eq!(polylines, 3);
        let dashed = scene.marks.iter().filter(|m| matches!(m, Mark::Line { dashed: true, .. })).count();
        assert_eq!(dashed, 1);
    }

    #[test]
    fn bars_handle_negative_and_huge_values() {
        let chart = Chart::Bars {
            title: "Change".into(),
            categories: vec!["Eritrea".into(), "Afghanistan".into(), "Iran".into()],
            series: vec![
                Series { name: "2024".into(), values: vec![-5.0, 1e300, 3.0] },
                Series { name: "2025".into(), values: vec![2.0] },
            ],
            unit: "people".into(),
        };
        let scene = layout(&chart);
        assert!(finite_scene(&scene));
        let bars = scene.marks.iter().filter(|m| matches!(m, Mark::Rect { .. })).count();
        assert_eq!(bars, 2 + 4, "two legend swatches and four bars");
    }
}
