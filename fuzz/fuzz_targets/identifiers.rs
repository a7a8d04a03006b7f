//! Every validator, the grading parser, dates, names and property values on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_model::identifiers::{IdentifierKind, mrz};
use tessera_model::schema::EntityKind;
use tessera_model::{Grading, names, time, values};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for kind in IdentifierKind::ALL {
        let _ = kind.normalize(text);
    }
    for scheme in ["3x5x2", "5x5x5", "europol4x4"] {
        let _ = Grading::parse(scheme, text, None);
        let _ = Grading::parse(scheme, text, Some(text));
    }
    let _ = time::parse_partial_date(text);
    let _ = names::name_keys(text);
    let _ = names::query_keys(text);
    let _ = names::similarity(text, "Mohammed Abdelrahman");
    let (a, b) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i));
    let _ = mrz::parse_td3(a, b);
    for kind in EntityKind::ALL {
        for property in kind.properties() {
            let _ = values::normalize_value(property.kind, text);
        }
    }
});
