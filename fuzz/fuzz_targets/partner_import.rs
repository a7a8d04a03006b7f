//! A partner's FollowTheMoney or STIX 2.1 file of any content is imported or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_exchange::import::{ReportHeader, ftm_to_report};
use tessera_exchange::stix_import::stix_to_report;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let header = ReportHeader {
        id: "FUZZ-1".into(),
        agency: "EUROPOL".into(),
        author: String::new(),
        date: "2026-01-01".into(),
        grading: "2B P".into(),
        classification: "OFFICIAL".into(),
    };
    let _ = ftm_to_report(text, &header);
    let _ = stix_to_report(text, &header);
});
