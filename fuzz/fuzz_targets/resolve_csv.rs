//! The entity-resolution engine on arbitrary CSV: `read_csv` (header, identifiers, quoting), then
//! the whole pipeline (normalising every role, blocking, comparing, training, clustering,
//! explaining), deduplicating the file and linking its halves. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_resolve::{Config, Role, Schema, dedupe, link, read_csv};

const COLUMNS: [(&str, Role); 8] = [
    ("given", Role::GivenName),
    ("surname", Role::Surname),
    ("dob", Role::BirthDate),
    ("phone", Role::Phone),
    ("address", Role::Address),
    ("doc", Role::DocumentNumber),
    ("org", Role::OrganisationName),
    ("members", Role::Members),
];

fuzz_target!(|data: &[u8]| {
    let mut text = b"id,given,surname,dob,phone,address,doc,org,members\n".to_vec();
    text.extend_from_slice(data);
    let path = std::env::temp_dir().join(format!("tessera-fuzz-resolve-{}.csv", std::process::id()));
    if std::fs::write(&path, &text).is_err() {
        return;
    }
    let Ok(records) = read_csv(&path.to_string_lossy(), "id", &COLUMNS) else { return };
    let config = Config::new(Schema::new(COLUMNS));
    if let Ok(resolution) = dedupe(&records, &config) {
        let explainer = resolution.explainer(&config.schema);
        let mut evidence = String::new();
        for pair in &resolution.pairs {
            explainer.write_evidence(pair, &mut evidence);
        }
    }
    let (left, right) = records.split_at(records.len() / 2);
    let _ = link(left, right, &config);
});
