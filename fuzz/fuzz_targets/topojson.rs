//! The report engine's TopoJSON reader on arbitrary bytes: countries or an
//! error, never a panic; whatever it returns is drawn into a map and rendered
//! to HTML and PDF without a panic.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use tessera_report::{Block, Document, MapFigure};

fuzz_target!(|data: &[u8]| {
    let Ok(shapes) = tessera_report::topojson::countries(data) else { return };
    let values: HashMap<String, f64> = shapes.iter().enumerate().map(|(i, s)| (s.key.clone(), i as f64)).collect();
    let map =
        MapFigure { title: "fuzz".into(), shapes, values, bounds: (-20.0, 10.0, 70.0, 62.0), legend_title: "n".into() };
    let doc = Document {
        title: "fuzz".into(),
        subtitle: None,
        banner: "OFFICIAL".into(),
        meta: Vec::new(),
        blocks: vec![Block::Map(map)],
    };
    let _ = tessera_report::html::render(&doc);
    let pdf = tessera_report::pdf::render(&doc);
    assert!(pdf.starts_with(b"%PDF-"));
});
