//! A CSV file of any content through a fixed mapping, and any mapping text, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_ingest::csv_mapping::{Mapping, read_csv};

const MAPPING: &str = r#"{"report": {"id": "ref", "agency": {"value": "BF"}, "date": "date", "grading": "grade",
  "classification": "class", "text": "text"},
  "entities": [{"schema": "Person", "id": "who", "properties": {"name": "name", "birthDate": "dob"}},
               {"schema": "Phone", "properties": {"number": "phone"}}],
  "links": [{"type": "uses", "source": 0, "target": 1}]}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Mapping::parse("fuzz.json", text);
    if let Ok(mapping) = Mapping::parse("mapping.json", MAPPING) {
        let csv = format!("ref,date,grade,class,text,who,name,dob,phone\n{text}");
        let _ = read_csv("fuzz.csv", &csv, &mapping, "mapping.json", "2024-01-01T00:00:00Z");
    }
});
