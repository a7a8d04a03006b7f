//! Fuzz what `tessera ais tracks | events` and the watchlist read besides
//! NMEA: gpsdio / Global Fishing Watch JSON lines mixed with NMEA (any bytes
//! must be read or refused with a line number, never panic), and GeoJSON
//! watched areas (any text must give areas or an error).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_maritime::{Area, Converter, ReadError, read_records};

fuzz_target!(|data: &[u8]| {
    let mut decoder = tessera_ais::Decoder::new();
    let mut converter = Converter::new();
    let lines = data.split(|&c| c == b'\n').count();
    match read_records(data, &mut decoder, &mut converter, |_| std::ops::ControlFlow::Continue(())) {
        Ok(counts) => assert!(counts.lines as usize <= lines),
        Err(ReadError::Record { line, message }) => {
            assert!(line >= 1 && line as usize <= lines);
            assert!(!message.is_empty());
        }
        Err(ReadError::Io { .. }) => {}
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(areas) = Area::from_geojson(text)
    {
        for a in &areas {
            let _ = a.contains(51.0, 1.8);
        }
    }
});
