//! Property tests: arbitrary documents render to HTML and PDF without panic,
//! and the PDF's xref table points at every object's `N 0 obj`.

use std::collections::HashMap;

use proptest::prelude::*;
use tessera_report::{
    Align, Block, Chart, Column, Document, KeyFigure, MapFigure, Marker, Series, Shape, Table, html, pdf,
};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,30}",
        "[a-z ]{0,200}",
        "[\\x00-\\x1f<>&\"'()\\\\]{0,10}",
        Just(String::from("Ольга محمد 张伟 ⚠️ \u{200B}\u{FEFF}")),
        "x{100,300}",
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![-1e6..1e6f64, Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(1e300), Just(0.0)]
}

fn series() -> impl Strategy<Value = Vec<Series>> {
    prop::collection::vec(
        (text(), prop::collection::vec(number(), 0..15)).prop_map(|(name, values)| Series { name, values }),
        0..4,
    )
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        (0u8..5, text()).prop_map(|(level, text)| Block::Heading { level, text }),
        text().prop_map(Block::Paragraph),
        prop::collection::vec(text(), 0..5).prop_map(Block::Bullets),
        prop::collection::vec((text(), text(), prop::option::of(text())), 0..6).prop_map(|v| Block::KeyFigures(
            v.into_iter().map(|(label, value, note)| KeyFigure { label, value, note }).collect()
        )),
        (
            text(),
            prop::collection::vec((text(), any::<bool>()), 0..6),
            prop::collection::vec(prop::collection::vec(text(), 0..8), 0..40),
            prop::option::of(text())
        )
            .prop_map(|(caption, columns, rows, note)| Block::Table(Table {
                caption,
                columns: columns
                    .into_iter()
                    .map(|(title, right)| Column { title, align: if right { Align::Right } else { Align::Left } })
                    .collect(),
                rows,
                note,
            })),
        (text(), prop::collection::vec(text(), 0..12), series(), text()).prop_map(
            |(title, categories, series, unit)| Block::Chart(Chart::Bars { title, categories, series, unit })
        ),
        (
            text(),
            prop::collection::vec(text(), 0..30),
            series(),
            prop::collection::vec((0usize..40, text()), 0..4),
            text()
        )
            .prop_map(|(title, x_labels, series, markers, unit)| Block::Chart(Chart::Lines {
                title,
                x_labels,
                series,
                markers: markers.into_iter().map(|(x, label)| Marker { x, label }).collect(),
                unit,
            })),
        (
            text(),
            prop::collection::vec(prop::collection::vec((number(), number()), 0..8), 0..3),
            number(),
            (number(), number(), number(), number())
        )
            .prop_map(|(title, rings, value, bounds)| Block::Map(MapFigure {
                title: title.clone(),
                shapes: vec![Shape { key: "AA".into(), label: title, rings }],
                values: HashMap::from([("AA".into(), value), (String::new(), 1.0)]),
                bounds,
                legend_title: "n".into(),
            })),
        Just(Block::PageBreak),
    ]
}

fn document() -> impl Strategy<Value = Document> {
    (
        text(),
        prop::option::of(text()),
        text(),
        prop::collection::vec((text(), text()), 0..4),
        prop::collection::vec(block(), 0..12),
    )
        .prop_map(|(title, subtitle, banner, meta, blocks)| Document { title, subtitle, banner, meta, blocks })
}

/// Checks the xref table against the objects and returns the number of pages.
fn check_xref(pdf: &[u8]) -> usize {
    let find_last = |needle: &[u8]| pdf.windows(needle.len()).rposition(|w| w == needle);
    let startxref = find_last(b"startxref\n").expect("startxref");
    let tail = std::str::from_utf8(&pdf[startxref + 10..]).expect("ascii trailer");
    let xref: usize = tail.lines().next().unwrap().parse().unwrap();
    let table = std::str::from_utf8(&pdf[xref..]).expect("ascii xref");
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some("xref"));
    let size: usize = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    lines.next();
    for id in 1..size {
        let offset: usize = lines.next().unwrap()[..10].parse().unwrap();
        let expected = format!("{id} 0 obj\n");
        assert_eq!(&pdf[offset..offset + expected.len()], expected.as_bytes(), "object {id}");
    }
    String::from_utf8_lossy(pdf).matches("/Type /Page ").count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_documents_render(doc in document()) {
        let page = html::render(&doc);
        prop_assert!(page.starts_with("<!DOCTYPE html>"));
        prop_assert!(!page.contains("NaN") && !page.contains("inf\""));
        let file = pdf::render_at(&doc, 0);
        let pages = check_xref(&file);
        prop_assert!(pages >= 1);
        prop_assert!(!String::from_utf8_lossy(&file).contains("NaN"));
    }
}
