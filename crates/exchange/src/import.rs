//! Imports from partners (first step): FollowTheMoney entities, as Aleph
//! exports them, turned into one Tessera report in the ingest format (the
//! JSON Lines of `schema/report.schema.json`), so that everything a partner
//! sends goes through the same validation and normalisation as any other
//! report, and carries the grading and markings the receiving officer gives it.
//!
//! Mapping (the inverse of [`crate::ftm`]):
//! - Person, Organization (and Company, LegalEntity), UserAccount, Vehicle,
//!   Vessel, Identification / Passport, BankAccount, CryptoWallet, Address and
//!   Event become entities of the matching kind, with the properties Tessera
//!   has for that kind; anything else is left out and counted.
//! - `phone` and `email` become Phone and Email entities that the holder
//!   `uses`; a document's `holder` and an account's `owner` become `uses` links.
//! - Associate, Family, Membership, Ownership, Payment, Employment and
//!   UnknownLink (whose `role` names a Tessera link type, else
//!   `communicated_with`) become links.
//! - Entity ids become `AGENCY:ftm-<FtM id>`, so a re-import meets the same
//!   entities; identifier entities (phones, e-mails) get their ids from the
//!   identifier at ingest, where they meet every other report's.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tessera_model::schema::{DOCUMENT_STATUSES, EVENT_TYPES};
use tessera_model::{EntityKind, LinkType};

use crate::ftm::ftm_property;

/// What an import could not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// A line is not a JSON object with `id`, `schema` and `properties`.
    #[error("line {line}: {message}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Nothing importable was found.
    #[error("no importable FollowTheMoney entity in the input")]
    Empty,
    /// The input as a whole is not what the format expects (e.g. not a STIX bundle).
    #[error("{0}")]
    Invalid(String),
}

/// The header of the report an import becomes: who sent it, and how it is graded and marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportHeader {
    /// Report reference (unique in the store).
    pub id: String,
    /// Submitting agency's code.
    pub agency: String,
    /// Officer who received it.
    pub author: String,
    /// Report date (YYYY-MM-DD).
    pub date: String,
    /// 3x5x2 grading code, e.g. "2B P".
    pub grading: String,
    /// Classification, e.g. "OFFICIAL-SENSITIVE".
    pub classification: String,
}

/// What an import produced: the report line and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The report, in the ingest format (one JSON object).
    pub report: Value,
    /// Entities read.
    pub entities: usize,
    /// Links read.
    pub links: usize,
    /// FtM entities left out, by schema.
    pub skipped: BTreeMap<String, usize>,
}

/// The Tessera kind of an FtM schema.
fn kind_of(schema: &str) -> Option<EntityKind> {
    Some(match schema {
        "Person" => EntityKind::Person,
        "Organization" | "Company" | "LegalEntity" | "PublicBody" => EntityKind::Organization,
        "UserAccount" => EntityKind::SocialAccount,
        "Vehicle" => EntityKind::Vehicle,
        "Vessel" => EntityKind::Vessel,
        "Identification" | "Passport" => EntityKind::IdentityDocument,
        "BankAccount" => EntityKind::BankAccount,
        "CryptoWallet" => EntityKind::CryptoWallet,
        "Address" => EntityKind::Address,
        "Event" => EntityKind::Event,
        _ => return None,
    })
}

/// The link type and endpoint properties of an FtM interval schema.
fn link_of(schema: &str) -> Option<(Option<LinkType>, &'static str, &'static str)> {
    Some(match schema {
        "Associate" => (Some(LinkType::Associate), "person", "associate"),
        "Family" => (Some(LinkType::Family), "person", "relative"),
        "Membership" => (Some(LinkType::MemberOf), "member", "organization"),
        "Ownership" => (Some(LinkType::Owns), "owner", "asset"),
        "Payment" => (Some(LinkType::Paid), "payer", "beneficiary"),
        "Employment" => (Some(LinkType::EmployedBy), "employee", "employer"),
        "UnknownLink" => (None, "subject", "object"),
        _ => return None,
    })
}

/// The Tessera property an FtM property of `kind` is read into.
fn tessera_property(kind: EntityKind, ftm: &str) -> Option<&'static str> {
    kind.properties().iter().map(|p| p.name).find(|name| *name != "notes" && ftm_property(kind, name) == Some(ftm))
}

/// The Tessera properties and values an FtM property's values are read into:
/// countries upper-cased; an event's name is its type when it is one of
/// Tessera's event types, else its summary; a document's summary is its
/// status when it is one of Tessera's document statuses.
fn read_property(kind: EntityKind, ftm: &str, values: Vec<String>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for value in values {
        let target = match (kind, ftm) {
            (EntityKind::Event, "name") => {
                if EVENT_TYPES.contains(&value.as_str()) {
                    Some("eventType")
                } else {
                    Some("summary")
                }
            }
            (EntityKind::IdentityDocument, "summary") => {
                DOCUMENT_STATUSES.contains(&value.as_str()).then_some("documentStatus")
            }
            _ => tessera_property(kind, ftm),
        };
        let Some(target) = target else { continue };
        let value =
            if matches!(target, "country" | "nationality" | "flag") { value.to_ascii_uppercase() } else { value };
        out.push((target, value));
    }
    out
}

/// The values of an FtM property as strings.
fn strings(properties: &Value, name: &str) -> Vec<String> {
    properties[name].as_array().into_iter().flatten().filter_map(|v| v.as_str()).map(str::to_string).collect()
}

/// Reads FtM entities (JSON Lines) into one report for `header`.
pub fn ftm_to_report(text: &str, header: &ReportHeader) -> Result<Imported, ImportError> {
    let mut entities: Vec<Value> = Vec::new();
    let mut index: BTreeMap<String, String> = BTreeMap::new();
    let mut links: Vec<Value> = Vec::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut intervals = Vec::new();
    let id_of = |ftm_id: &str| format!("{}:ftm-{ftm_id}", header.agency);
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| ImportError::Line { line: n + 1, message };
        let data: Value = serde_json::from_str(line).map_err(|e| bad(format!("not JSON: {e}")))?;
        let (Some(ftm_id), Some(schema)) = (data["id"].as_str(), data["schema"].as_str()) else {
            return Err(bad("an FtM entity needs \"id\" and \"schema\"".into()));
        };
        let properties = &data["properties"];
        if !properties.is_object() {
            return Err(bad("\"properties\" must be an object".into()));
        }
        if let Some(kind) = kind_of(schema) {
            let mut props: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            for name in properties.as_object().into_iter().flatten().map(|(name, _)| name) {
                for (p, value) in read_property(kind, name, strings(properties, name)) {
                    props.entry(p).or_default().push(value);
                }
            }
            let id = id_of(ftm_id);
            index.insert(ftm_id.to_string(), id.clone());
            entities.push(json!({ "id": id, "schema": kind.name(), "properties": props }));
            for (ftm, contact, property) in [("phone", "Phone", "number"), ("email", "Email", "address")] {
                for value in strings(properties, ftm) {
                    let position = entities.len();
                    entities.push(json!({ "schema": contact, "properties": { property: [value] } }));
                    links.push(json!({ "type": "uses", "source": id, "target": format!("#{position}") }));
                }
            }
            for owner in ["holder", "owner"] {
                for source in strings(properties, owner) {
                    intervals.push((Some(LinkType::Uses), source, ftm_id.to_string(), Vec::new()));
                }
            }
        } else if let Some((link, from, to)) = link_of(schema) {
            let link = link.or_else(|| strings(properties, "role").first().and_then(|r| LinkType::from_name(r)));
            let dates = strings(properties, "date");
            for source in strings(properties, from) {
                for target in strings(properties, to) {
                    intervals.push((link.or(Some(LinkType::CommunicatedWith)), source.clone(), target, dates.clone()));
                }
            }
        } else {
            *skipped.entry(schema.to_string()).or_default() += 1;
        }
    }
    for (link, source, target, dates) in intervals {
        let (Some(link), Some(source), Some(target)) = (link, index.get(&source), index.get(&target)) else {
            *skipped.entry("link to an entity not in the input".into()).or_default() += 1;
            continue;
        };
        let mut value = json!({ "type": link.name(), "source": source, "target": target });
        if let Some(date) = dates.first() {
            value["observed"] = json!(date);
        }
        links.push(value);
    }
    if entities.is_empty() {
        return Err(ImportError::Empty);
    }
    let (entity_count, link_count) = (entities.len(), links.len());
    let report = json!({
        "id": header.id,
        "agency": header.agency,
        "author": header.author,
        "date": header.date,
        "grading": header.grading,
        "markings": { "classification": header.classification },
        "entities": entities,
        "links": links,
    });
    Ok(Imported { report, entities: entity_count, links: link_count, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::network;

    fn header() -> ReportHeader {
        ReportHeader {
            id: "EUROPOL-2026-000001".into(),
            agency: "EUROPOL".into(),
            author: "EMSC".into(),
            date: "2026-11-01".into(),
            grading: "2B P".into(),
            classification: "OFFICIAL-SENSITIVE".into(),
        }
    }

    #[test]
    fn an_ftm_export_reads_back_as_one_report() {
        let (text, _) = crate::ftm::to_ftm(&network());
        let imported = ftm_to_report(&text, &header()).unwrap_or_else(|e| panic!("{e}"));
        let report = &imported.report;
        let entities = report["entities"].as_array().cloned().unwrap_or_default();
        let names: Vec<&str> = entities.iter().filter_map(|e| e["properties"]["name"][0].as_str()).collect();
        assert!(names.contains(&"Mohammed Abdelrahman") && names.contains(&"Zuwara network"), "{names:?}");
        assert!(entities.iter().any(|e| e["schema"] == "Phone" && e["properties"]["number"][0] == "+33612345678"));
        assert!(entities.iter().any(|e| e["schema"] == "Vessel" && e["properties"]["imoNumber"][0] == "IMO9074729"));
        let types: Vec<&str> =
            report["links"].as_array().into_iter().flatten().filter_map(|l| l["type"].as_str()).collect();
        for t in ["member_of", "owns", "associate", "sighted_at", "uses"] {
            assert!(types.contains(&t), "{t} missing from {types:?}");
        }
        let person = entities.iter().find(|e| e["properties"]["name"][0] == "Mohammed Abdelrahman").cloned();
        assert_eq!(person.unwrap_or_default()["properties"]["nationality"][0], "SD");
        assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    }

    #[test]
    fn the_imported_report_passes_ingest_validation() {
        let (text, _) = crate::ftm::to_ftm(&network());
        let imported = ftm_to_report(&text, &header()).unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut store = tessera_store::SqliteStore::init(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let line = imported.report.to_string();
        let summary = tessera_ingest::ingest_text(&mut store, "import.jsonl", &line, None, &mut tessera_ingest::Silent)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(summary.reports, 1);
        assert!(summary.statements > 10, "{summary:?}");
    }

    #[test]
    fn bad_input_is_refused_with_its_line() {
        assert!(matches!(ftm_to_report("{}", &header()), Err(ImportError::Line { line: 1, .. })));
        assert!(matches!(ftm_to_report("\nnot json", &header()), Err(ImportError::Line { line: 2, .. })));
        assert_eq!(ftm_to_report("", &header()), Err(ImportError::Empty));
        let only_unknown = r#"{"id":"x","schema":"Airplane","properties":{}}"#;
        assert_eq!(ftm_to_report(only_unknown, &header()), Err(ImportError::Empty));
    }
}

#[cfg(test)]
mod properties {
    use super::*;

    fn header() -> ReportHeader {
        ReportHeader {
            id: "P-1".into(),
            agency: "EUROPOL".into(),
            author: String::new(),
            date: "2026-01-01".into(),
            grading: "2B P".into(),
            classification: "OFFICIAL".into(),
        }
    }

    proptest::proptest! {
        #[test]
        fn partner_files_never_panic_the_importers(text in "\\PC{0,300}") {
            let _ = ftm_to_report(&text, &header());
            let _ = crate::stix_import::stix_to_report(&text, &header());
        }

        #[test]
        fn json_shaped_input_never_panics_the_importers(
            schema in "(Person|Organization|Vessel|Ownership|identity|relationship|bundle|x-tessera-phone|[a-z]{0,8})",
            key in "(name|type|objects|properties|schema|id|source_ref|target_ref|[a-z_]{0,8})",
            value in "\\PC{0,20}",
        ) {
            let ftm = format!(r#"{{"id":"a","schema":"{schema}","properties":{{"{key}":["{value}"]}}}}"#);
            let stix = format!(r#"{{"type":"bundle","objects":[{{"type":"{schema}","id":"{schema}--1","{key}":"{value}"}}]}}"#);
            let _ = ftm_to_report(&ftm, &header());
            let _ = crate::stix_import::stix_to_report(&stix, &header());
        }
    }
}
