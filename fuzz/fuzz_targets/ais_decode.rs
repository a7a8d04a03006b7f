//! Fuzz the AIS decoder: any bytes, split into lines, must never panic, and
//! the counts must stay consistent (every message counted once, by type).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_ais::{Decoder, Options};

fuzz_target!(|data: &[u8]| {
    // A small table and short expiry so that eviction and expiry paths run.
    let mut d =
        Decoder::with_options(Options { max_pending: 3, max_age: 4, verify_checksum: data.first() != Some(&b'x') });
    let mut n = 0u64;
    let mut out = Vec::new();
    for line in data.split(|&c| c == b'\n') {
        if let Some(m) = d.feed(line) {
            n += 1;
            assert!((1..=27).contains(&m.msg_type));
            out.clear();
            m.write_json(&mut out);
            assert!(std::str::from_utf8(&out).is_ok());
        }
    }
    d.finish();
    let s = d.stats();
    assert_eq!(s.messages, n);
    assert_eq!(s.by_type.iter().sum::<u64>(), n);
});
