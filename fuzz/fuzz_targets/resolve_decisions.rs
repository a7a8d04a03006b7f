//! An analysts' decisions file for `tessera resolve --decisions` (`parse_decisions`): any bytes give
//! decisions or an error naming the file, and the decisions it gives a run are obeyed and learnt from
//! without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_resolve::{Config, Record, Role, Schema, dedupe, parse_decisions};

fuzz_target!(|data: &[u8]| {
    match parse_decisions("decisions.csv", data) {
        Err(e) => assert!(e.to_string().starts_with("decisions.csv:")),
        Ok(rulings) => {
            let schema = Schema::new([("name", Role::FullName), ("dob", Role::BirthDate)]);
            let records: Vec<Record> = ["a", "b", "c", "d"]
                .iter()
                .map(|id| Record::new(id.to_string(), ["Omar Haddad", "1980-05-06"]))
                .collect();
            let mut config = Config::new(schema);
            config.rulings = rulings;
            let _ = dedupe(&records, &config);
        }
    }
});
