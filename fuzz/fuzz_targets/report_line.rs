//! A JSON line of any shape must be accepted or refused with errors, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tessera_ingest::jsonl::read_reports("fuzz.jsonl", text, "2024-01-01T00:00:00Z");
    }
});
