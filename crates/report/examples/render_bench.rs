//! Rendering benchmark for `bench/report.sh`: builds the sample meeting document
//! (title block, key figures, a line chart, a bar chart, a choropleth map of
//! world-atlas' countries and a table of N rows x 4 columns) for each N, then
//! times `pdf::render_at` and `html::render` alone (the document is built and
//! the topology decoded before the clock starts), median of REPEAT runs.
//!
//! For each N it writes `OUT_DIR/spec-N.json` (the same content as plain JSON,
//! for the reportlab peer in `bench/report.py`) and `OUT_DIR/tessera-N.pdf`, and
//! prints one JSON object with the timings, pages and bytes on stdout.
//!
//! cargo run --release -p tessera-report --example render_bench -- ATLAS OUT_DIR ROWS[,ROWS...] [REPEAT]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::collections::HashMap;
use std::time::Instant;

use fixtures::NATIONALITIES;
use serde_json::{Value, json};
use tessera_report::{
    Align, Block, Chart, Column, Document, KeyFigure, MapFigure, Marker, Series, Shape, Table, html, pdf, topojson,
};

/// Fixed creation date, so that every run writes the same bytes.
const CREATED: i64 = 1_795_000_000;
const BOUNDS: (f64, f64, f64, f64) = (-20.0, -5.0, 75.0, 60.0);
const ROUTES: [&str; 3] = ["Channel", "Central Med", "Balkans"];

/// Everything the document shows, as plain data (written as the peer's spec).
struct Content {
    title: String,
    subtitle: String,
    banner: String,
    meta: Vec<(String, String)>,
    paragraph: String,
    bullets: Vec<String>,
    key_figures: Vec<(String, String, Option<String>)>,
    months: Vec<String>,
    lines: Vec<(String, Vec<f64>)>,
    markers: Vec<(usize, String)>,
    bars: Vec<(String, Vec<f64>)>,
    columns: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

fn content(rows: usize) -> Content {
    let (months, channel, central) = (fixtures::months(), fixtures::channel(), fixtures::central());
    Content {
        title: "Organised immigration crime: threat assessment".into(),
        subtitle: "Sufficiency and impact review, quarter 4".into(),
        banner: "OFFICIAL-SENSITIVE".into(),
        meta: vec![
            ("Prepared for".into(), "Threat group".into()),
            ("Prepared by".into(), "Tessera (benchmark data)".into()),
            ("Date".into(), "28 November 2026".into()),
            ("Basis of the figures".into(), "Illustrative values only.".into()),
        ],
        paragraph: "Crossings rose through the summer with a change in level in 2024-09; the main nationalities \
                    remain stable. Embarkation points moved east and boats carry more people per launch."
            .into(),
        bullets: vec!["Boats carry more people per launch.".into(), "Embarkation points moved east.".into()],
        key_figures: vec![
            ("Detections, Channel, 2025".into(), "31,204".into(), Some("+14% on 2024".into())),
            ("Groups prioritised".into(), "42".into(), None),
            ("Disruptions".into(), "17".into(), Some("of which 5 major".into())),
        ],
        months,
        lines: vec![("Channel".into(), channel), ("Central Mediterranean".into(), central)],
        markers: vec![(8, "change point".into()), (15, "disruption".into())],
        bars: vec![
            ("2025".into(), NATIONALITIES.iter().map(|n| n.2).collect()),
            ("2024".into(), NATIONALITIES.iter().map(|n| n.2 * 0.8).collect()),
        ],
        columns: vec![
            ("Rank".into(), Align::Right),
            ("Group".into(), Align::Left),
            ("Route".into(), Align::Left),
            ("Score".into(), Align::Right),
        ],
        rows: (1..=rows)
            .map(|i| {
                #[allow(clippy::cast_precision_loss)]
                let score = 100.0 - (i % 1000) as f64 * 0.07;
                vec![i.to_string(), format!("Group {i:05}"), ROUTES[i % 3].to_owned(), format!("{score:.1}")]
            })
            .collect(),
    }
}

fn document(c: &Content, shapes: &[Shape]) -> Document {
    let series = |list: &[(String, Vec<f64>)]| -> Vec<Series> {
        list.iter().map(|(name, values)| Series { name: name.clone(), values: values.clone() }).collect()
    };
    Document {
        title: c.title.clone(),
        subtitle: Some(c.subtitle.clone()),
        banner: c.banner.clone(),
        meta: c.meta.clone(),
        blocks: vec![
            Block::Heading { level: 1, text: "Summary".into() },
            Block::KeyFigures(
                c.key_figures
                    .iter()
                    .map(|(label, value, note)| KeyFigure {
                        label: label.clone(),
                        value: value.clone(),
                        note: note.clone(),
                    })
                    .collect(),
            ),
            Block::Paragraph(c.paragraph.clone()),
            Block::Bullets(c.bullets.clone()),
            Block::Chart(Chart::Lines {
                title: "Monthly detections by route".into(),
                x_labels: c.months.clone(),
                series: series(&c.lines),
                markers: c.markers.iter().map(|(x, label)| Marker { x: *x, label: label.clone() }).collect(),
                unit: "detections".into(),
            }),
            Block::Chart(Chart::Bars {
                title: "Detections by nationality".into(),
                categories: NATIONALITIES.iter().map(|n| n.1.to_owned()).collect(),
                series: series(&c.bars),
                unit: "detections".into(),
            }),
            Block::Heading { level: 1, text: "Geography".into() },
            Block::Map(MapFigure {
                title: "Detections by nationality, 2025".into(),
                shapes: shapes.to_vec(),
                values: NATIONALITIES.iter().map(|n| (n.0.to_owned(), n.2)).collect::<HashMap<_, _>>(),
                bounds: BOUNDS,
                legend_title: "Detections".into(),
            }),
            Block::PageBreak,
            Block::Heading { level: 1, text: "Prioritised groups".into() },
            Block::Table(Table {
                caption: "Groups by priority score".into(),
                columns: c
                    .columns
                    .iter()
                    .map(|(title, align)| Column { title: title.clone(), align: *align })
                    .collect(),
                rows: c.rows.clone(),
                note: Some("Scores from the prioritisation engine; benchmark values.".into()),
            }),
        ],
    }
}

/// The same content as JSON for the peer (NaN as null).
fn spec(c: &Content) -> Value {
    let numbers =
        |v: &[f64]| -> Vec<Value> { v.iter().map(|x| if x.is_finite() { json!(x) } else { Value::Null }).collect() };
    json!({
        "title": c.title, "subtitle": c.subtitle, "banner": c.banner,
        "meta": c.meta,
        "paragraph": c.paragraph, "bullets": c.bullets,
        "key_figures": c.key_figures.iter()
            .map(|(l, v, n)| json!({"label": l, "value": v, "note": n})).collect::<Vec<_>>(),
        "line_chart": {"title": "Monthly detections by route", "x_labels": c.months, "unit": "detections",
            "series": c.lines.iter().map(|(n, v)| json!({"name": n, "values": numbers(v)})).collect::<Vec<_>>(),
            "markers": c.markers.iter().map(|(x, l)| json!({"x": x, "label": l})).collect::<Vec<_>>()},
        "bar_chart": {"title": "Detections by nationality", "unit": "detections",
            "categories": NATIONALITIES.iter().map(|n| n.1).collect::<Vec<_>>(),
            "series": c.bars.iter().map(|(n, v)| json!({"name": n, "values": numbers(v)})).collect::<Vec<_>>()},
        "map": {"title": "Detections by nationality, 2025", "legend_title": "Detections",
            "bounds": [BOUNDS.0, BOUNDS.1, BOUNDS.2, BOUNDS.3],
            "values": NATIONALITIES.iter().map(|n| (n.0.to_owned(), json!(n.2))).collect::<serde_json::Map<_, _>>()},
        "table": {"caption": "Groups by priority score",
            "columns": c.columns.iter()
                .map(|(t, a)| json!({"title": t, "align": if *a == Align::Right { "right" } else { "left" }}))
                .collect::<Vec<_>>(),
            "rows": c.rows,
            "note": "Scores from the prioritisation engine; benchmark values."},
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) { (v[mid - 1] + v[mid]) / 2.0 } else { v[mid] }
}

/// Times `f` `repeat` times (after one warm-up run) and returns the milliseconds of each run.
fn time<T>(repeat: usize, mut f: impl FnMut() -> T) -> (Vec<f64>, T) {
    let mut out = f();
    let mut ms = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let started = Instant::now();
        out = std::hint::black_box(f());
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    (ms, out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [atlas, out_dir, rows, rest @ ..] = args.as_slice() else {
        return Err("usage: bench ATLAS OUT_DIR ROWS[,ROWS...] [REPEAT]".into());
    };
    let repeat: usize = rest.first().map_or(Ok(7), |r| r.parse())?;
    let out_dir = std::path::PathBuf::from(out_dir);
    std::fs::create_dir_all(&out_dir)?;
    let bytes = std::fs::read(atlas)?;
    let (decode_ms, shapes) = time(repeat, || topojson::countries(&bytes));
    let shapes = shapes?;
    let mut runs = Vec::new();
    for n in rows.split(',') {
        let n: usize = n.trim().parse()?;
        let c = content(n);
        std::fs::write(out_dir.join(format!("spec-{n}.json")), serde_json::to_vec(&spec(&c))?)?;
        let doc = document(&c, &shapes);
        let (pdf_ms, file) = time(repeat, || pdf::render_at(&doc, CREATED));
        let (html_ms, page) = time(repeat, || html::render(&doc));
        let pages = String::from_utf8_lossy(&file).matches("/Type /Page ").count();
        std::fs::write(out_dir.join(format!("tessera-{n}.pdf")), &file)?;
        runs.push(json!({
            "rows": n,
            "pdf_ms": median(pdf_ms.clone()),
            "pdf_ms_runs": pdf_ms,
            "pdf_bytes": file.len(),
            "pages": pages,
            "html_ms": median(html_ms),
            "html_bytes": page.len(),
        }));
    }
    let shape_count = shapes.len();
    let points: usize = shapes.iter().flat_map(|s| s.rings.iter()).map(Vec::len).sum();
    println!(
        "{}",
        json!({
            "repeat": repeat,
            "atlas": atlas,
            "shapes": shape_count,
            "points": points,
            "topojson_decode_ms": median(decode_ms),
            "runs": runs,
        })
    );
    Ok(())
}
