//! Writes a sample meeting document as `sample.html` and `sample.pdf`: two
//! charts, a map from world-atlas' countries-110m.json and a table spanning pages.
//!
//! cargo run -p tessera-report --example sample -- OUT_DIR [countries-110m.json]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::collections::HashMap;

use tessera_report::{
    Align, Block, Chart, Column, Document, KeyFigure, MapFigure, Marker, Series, Table, html, pdf, topojson,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| String::from(".")));
    let atlas = args.next().unwrap_or_else(|| String::from("web/node_modules/world-atlas/countries-110m.json"));
    let shapes = topojson::countries(&std::fs::read(&atlas)?)?;
    let (months, channel, central) = (fixtures::months(), fixtures::channel(), fixtures::central());
    let nationalities = fixtures::NATIONALITIES;
    let doc = Document {
        title: "Organised immigration crime: threat assessment".into(),
        subtitle: Some("Sufficiency and impact review, quarter 4".into()),
        banner: "OFFICIAL-SENSITIVE".into(),
        meta: vec![
            ("Prepared for".into(), "Threat group".into()),
            ("Prepared by".into(), "Tessera (sample data)".into()),
            ("Date".into(), "28 November 2026".into()),
            ("Basis of the figures".into(), "FRONTEX detections to 2025-12; illustrative values only.".into()),
        ],
        blocks: vec![
            Block::Heading { level: 1, text: "Summary".into() },
            Block::KeyFigures(vec![
                KeyFigure { label: "Detections, Channel, 2025".into(), value: "31,204".into(), note: Some("+14% on 2024".into()) },
                KeyFigure { label: "Groups prioritised".into(), value: "42".into(), note: None },
                KeyFigure { label: "Disruptions".into(), value: "17".into(), note: Some("of which 5 major".into()) },
            ]),
            Block::Paragraph("Crossings rose through the summer with a change in level in 2024-09; the main nationalities remain stable. Names such as Ольга, محمد and 张伟 are transliterated in the PDF.".into()),
            Block::Bullets(vec!["Boats carry more people per launch.".into(), "Embarkation points moved east.".into()]),
            Block::Chart(Chart::Lines { title: "Monthly detections by route".into(), x_labels: months, series: vec![
                Series { name: "Channel".into(), values: channel }, Series { name: "Central Mediterranean".into(), values: central }],
                markers: vec![Marker { x: 8, label: "change point".into() }, Marker { x: 15, label: "disruption".into() }], unit: "detections".into() }),
            Block::Chart(Chart::Bars { title: "Detections by nationality".into(),
                categories: nationalities.iter().map(|n| n.1.to_owned()).collect(),
                series: vec![Series { name: "2025".into(), values: nationalities.iter().map(|n| n.2).collect() },
                    Series { name: "2024".into(), values: nationalities.iter().map(|n| n.2 * 0.8).collect() }], unit: "detections".into() }),
            Block::Heading { level: 1, text: "Geography".into() },
            Block::Map(MapFigure { title: "Detections by nationality, 2025".into(), shapes,
                values: nationalities.iter().map(|n| (n.0.to_owned(), n.2)).collect::<HashMap<_, _>>(),
                bounds: (-20.0, -5.0, 75.0, 60.0), legend_title: "Detections".into() }),
            Block::PageBreak,
            Block::Heading { level: 1, text: "Prioritised groups".into() },
            Block::Table(Table { caption: "Groups by priority score".into(),
                columns: vec![Column { title: "Rank".into(), align: Align::Right }, Column { title: "Group".into(), align: Align::Left },
                    Column { title: "Route".into(), align: Align::Left }, Column { title: "Score".into(), align: Align::Right }],
                rows: (1..=120).map(|i| vec![i.to_string(), format!("Group {i:03}"), ["Channel", "Central Med", "Balkans"][i % 3].to_owned(), format!("{:.1}", 100.0 - f64::from(u32::try_from(i).unwrap_or(0)) * 0.7)]).collect(),
                note: Some("Scores from the prioritisation engine; sample values.".into()) }),
        ],
    };
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("sample.html"), html::render(&doc))?;
    std::fs::write(out.join("sample.pdf"), pdf::render(&doc))?;
    println!("wrote {} and {}", out.join("sample.html").display(), out.join("sample.pdf").display());
    Ok(())
}
