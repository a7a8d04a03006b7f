//! Extraction never panics and every span slices the text to the raw match.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for found in tessera_ingest::extract::extract_identifiers(text, None) {
        assert_eq!(&text[found.span.clone()], found.raw);
    }
});
