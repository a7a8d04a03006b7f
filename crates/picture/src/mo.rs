//! Modus operandi: what a report says about how people were moved, from what
//! its data carries (no free text is read).
//!
//! | modus operandi    | a report has it when                                                        |
//! |-------------------|-----------------------------------------------------------------------------|
//! | `air`             | its streams include `facilitation_air`                                      |
//! | `land`            | its streams include `facilitation_land`                                     |
//! | `sea`             | its streams include `facilitation_sea`                                      |
//! | `small_boat`      | it mentions a vessel whose type names a small boat ([`SMALL_BOAT_WORDS`])   |
//! | `other_vessel`    | it mentions a vessel of another (or no) type                                |
//! | `hgv`             | it mentions a vehicle whose type names a goods vehicle ([`HGV_WORDS`])      |
//! | `other_vehicle`   | it mentions a vehicle of another (or no) type                               |
//! | `document_fraud`  | it mentions a document whose status is false ([`FALSE_STATUSES`]), or its streams include `false_documentation` |
//! | `legitimate_entry`| its streams include `abuse_of_legitimate_entry`                             |
//! | `clandestine`     | its streams include `clandestine_entry`                                     |
//!
//! A report may have several; one with none is counted under no modus operandi.

use std::collections::BTreeSet;

use tessera_model::EntityKind;
use tessera_store::ReportFacts;

/// Words of a vessel type that mean a small boat.
pub const SMALL_BOAT_WORDS: &[&str] =
    &["dinghy", "dinghies", "inflatable", "rigid-hull", "rib", "rubber", "small boat", "wooden boat", "speedboat"];
/// Words of a vehicle type that mean a heavy goods vehicle.
pub const HGV_WORDS: &[&str] = &["hgv", "lorry", "lorries", "truck", "trailer", "refrigerated", "tanker"];
/// Document statuses that make a document false.
pub const FALSE_STATUSES: &[&str] = &["forged", "counterfeit", "impostor", "fraudulently_obtained"];

pub use tessera_model::taxonomy::MODI;

/// The label of a modus operandi code (the code itself when unknown).
pub fn label(code: &str) -> &str {
    MODI.iter().find(|(c, _)| *c == code).map_or(code, |(_, l)| l)
}

fn has_word(values: &[String], words: &[&str]) -> bool {
    values.iter().any(|v| {
        let v = v.to_lowercase();
        words.iter().any(|w| {
            // "rib" must be a word of its own, not part of "tribal".
            if w.len() <= 3 { v.split(|c: char| !c.is_alphanumeric()).any(|t| t == *w) } else { v.contains(w) }
        })
    })
}

/// The modus operandi codes of one report (see the module's table).
pub fn modi(report: &ReportFacts) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for s in &report.streams {
        match s.as_str() {
            "facilitation_air" => out.insert("air"),
            "facilitation_land" => out.insert("land"),
            "facilitation_sea" => out.insert("sea"),
            "false_documentation" => out.insert("document_fraud"),
            "abuse_of_legitimate_entry" => out.insert("legitimate_entry"),
            "clandestine_entry" => out.insert("clandestine"),
            _ => false,
        };
    }
    for e in &report.entities {
        match e.kind {
            EntityKind::Vessel if has_word(&e.types, SMALL_BOAT_WORDS) => out.insert("small_boat"),
            EntityKind::Vessel => out.insert("other_vessel"),
            EntityKind::Vehicle if has_word(&e.types, HGV_WORDS) => out.insert("hgv"),
            EntityKind::Vehicle => out.insert("other_vehicle"),
            EntityKind::IdentityDocument if e.statuses.iter().any(|s| FALSE_STATUSES.contains(&s.as_str())) => {
                out.insert("document_fraud")
            }
            _ => false,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_store::EntityFacts;

    fn report(streams: &[&str], entities: Vec<EntityFacts>) -> ReportFacts {
        ReportFacts {
            classification: tessera_model::Classification::Official,
            id: "R".into(),
            date: "2025-01-01".into(),
            agency: "NCA".into(),
            source: "1".into(),
            intelligence: "A".into(),
            confidence: 0.9,
            streams: streams.iter().map(|s| s.to_string()).collect(),
            routes: vec![],
            countries: BTreeSet::new(),
            nationalities: BTreeSet::new(),
            entities,
        }
    }

    fn entity(kind: EntityKind, types: &[&str], statuses: &[&str]) -> EntityFacts {
        EntityFacts {
            id: "E".into(),
            resolved: "E".into(),
            kind,
            types: types.iter().map(|s| s.to_string()).collect(),
            statuses: statuses.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn streams_and_conveyances_give_the_modus_operandi() {
        let r = report(
            &["facilitation_sea"],
            vec![
                entity(EntityKind::Vessel, &["rubber dinghy"], &[]),
                entity(EntityKind::Vehicle, &["Refrigerated trailer"], &[]),
                entity(EntityKind::IdentityDocument, &["passport"], &["forged"]),
            ],
        );
        assert_eq!(modi(&r).into_iter().collect::<Vec<_>>(), vec!["document_fraud", "hgv", "sea", "small_boat"]);
        let r = report(
            &["facilitation_air"],
            vec![
                entity(EntityKind::Vessel, &["fishing vessel"], &[]),
                entity(EntityKind::Vehicle, &[], &[]),
                entity(EntityKind::IdentityDocument, &["passport"], &["genuine"]),
                entity(EntityKind::Vessel, &["tribal canoe"], &[]),
            ],
        );
        assert_eq!(modi(&r).into_iter().collect::<Vec<_>>(), vec!["air", "other_vehicle", "other_vessel"]);
        assert!(modi(&report(&[], vec![entity(EntityKind::Person, &[], &[])])).is_empty());
        assert_eq!(label("hgv"), "Heavy goods vehicles");
        assert_eq!(label("unknown"), "unknown");
    }
}
