//! Imports of STIX 2.1 bundles (as OpenCTI and MISP write them, and as
//! [`crate::stix`] exports them) into one Tessera report in the ingest format,
//! like [`crate::import::ftm_to_report`]: the report is graded and classified
//! as the receiving officer records it ([`ReportHeader`]), and goes through the
//! same validation and normalisation as any other report.
//!
//! Mapping (the inverse of [`crate::stix`] where Tessera exported it):
//! - `identity`: `identity_class` individual → Person; organization, group,
//!   class → Organization (other classes are left out and counted); `name` →
//!   name, `aliases` → alias.
//! - `threat-actor`, `intrusion-set` → Organization with topic `crime.ocg`
//!   (partners use them for organised crime groups); `name`, `aliases`.
//! - `location` (and `x-tessera-address`) → Address: `name` and
//!   `street_address` → full, `city`, `country` (ISO alpha-2), `latitude`,
//!   `longitude`.
//! - `email-addr` → Email (`value` → address); `user-account` → UserAccount:
//!   `account_login` / `user_id` → username when it is a valid handle,
//!   `display_name` → name, `account_type` → service.
//! - `x-tessera-<kind>` → that kind; its `name` is the kind's caption when no
//!   custom property gives it.
//! - On every object, `x_tessera_<snake_case>` custom properties are read back
//!   into the kind's camelCase property of that name (notes excepted).
//! - `relationship` → a link when `relationship_type` (hyphens → underscores)
//!   is a Tessera link type, or is "related-to" (associate) or
//!   "attributed-to" (uses); others, `sighting`s and every other object type
//!   are left out and counted. Marking definitions are read, not counted.
//! - Values Tessera would refuse at ingest are left out and counted, so one
//!   odd value never refuses the whole bundle.
//! - Markings and grading: the report's classification and grading are the
//!   header's (the receiving officer grades); the TLP markings the objects
//!   reference become caveats ("TLP:AMBER"); the partner's statement markings
//!   and highest `confidence` are recorded in the report's text
//!   ("Partner confidence: 65"), with the bundle id and object counts.
//! - Entity ids: `AGENCY:stix-<uuid of the STIX id>`, so a re-import meets
//!   the same entities; identifier entities (phones, e-mails, IBANs, ...)
//!   get their ids from the identifier at ingest.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use tessera_model::identifiers::handle::normalize_handle;
use tessera_model::values::normalize_value;
use tessera_model::{EntityKind, LinkType};

use crate::import::{ImportError, Imported, ReportHeader};
use crate::stix::custom_property;

/// The kind of an `x-tessera-<kind>` custom object.
fn custom_kind(stix_type: &str) -> Option<EntityKind> {
    Some(match stix_type.strip_prefix("x-tessera-")? {
        "phone" => EntityKind::Phone,
        "vehicle" => EntityKind::Vehicle,
        "vessel" => EntityKind::Vessel,
        "identification" => EntityKind::IdentityDocument,
        "bank-account" => EntityKind::BankAccount,
        "crypto-wallet" => EntityKind::CryptoWallet,
        "event" => EntityKind::Event,
        "address" => EntityKind::Address,
        _ => return None,
    })
}

/// The Tessera link type of a STIX `relationship_type`.
fn link_type(relationship_type: &str) -> Option<LinkType> {
    match relationship_type {
        "related-to" => Some(LinkType::Associate),
        "attributed-to" => Some(LinkType::Uses),
        other => LinkType::from_name(&other.replace('-', "_")),
    }
}

/// The properties whose value gives an identifier entity its id at ingest.
fn identifying(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Phone => &["number"],
        EntityKind::Email => &["address"],
        EntityKind::BankAccount => &["iban"],
        EntityKind::CryptoWallet => &["publicKey"],
        EntityKind::Vehicle => &["registrationNumber"],
        EntityKind::Vessel => &["imoNumber", "mmsi"],
        _ => &[],
    }
}

/// A JSON value as strings: a string, a number, or an array of them.
fn strings(value: Option<&Value>) -> Vec<String> {
    fn one(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The properties of one entity being read, values checked as ingest will check them.
struct Props<'a> {
    kind: EntityKind,
    values: BTreeMap<&'static str, Vec<String>>,
    skipped: &'a mut BTreeMap<String, usize>,
}

impl Props<'_> {
    /// Adds `value` to `property` when the kind has it and ingest would accept it.
    fn push(&mut self, property: &str, value: &str) {
        let Some(p) = self.kind.property(property) else { return };
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let value = if matches!(p.name, "country" | "nationality" | "flag") {
            value.to_ascii_uppercase()
        } else {
            value.into()
        };
        if normalize_value(p.kind, &value).is_err() {
            *self.skipped.entry(format!("invalid {} {}", self.kind.name(), p.name)).or_default() += 1;
            return;
        }
        let values = self.values.entry(p.name).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    }

    /// Adds every value of the STIX property `field` to `property`.
    fn read(&mut self, object: &Value, field: &str, property: &str) {
        for value in strings(object.get(field)) {
            self.push(property, &value);
        }
    }

    /// Whether `property` has a value.
    fn has(&self, property: &str) -> bool {
        self.values.get(property).is_some_and(|v| !v.is_empty())
    }
}

/// The kind of a STIX object, or the label it is counted under when left out.
fn kind_of(object: &Value, stix_type: &str) -> Result<EntityKind, String> {
    match stix_type {
        "identity" => match object.get("identity_class").and_then(Value::as_str).unwrap_or_default() {
            "individual" => Ok(EntityKind::Person),
            "organization" | "group" | "class" => Ok(EntityKind::Organization),
            other => Err(format!("identity ({})", if other.is_empty() { "no class" } else { other })),
        },
        "threat-actor" | "intrusion-set" => Ok(EntityKind::Organization),
        "location" => Ok(EntityKind::Address),
        "email-addr" => Ok(EntityKind::Email),
        "user-account" => Ok(EntityKind::SocialAccount),
        other => custom_kind(other).ok_or_else(|| other.to_string()),
    }
}

/// Reads the properties of an object of `kind`.
fn read_entity(
    object: &Value,
    stix_type: &str,
    kind: EntityKind,
    skipped: &mut BTreeMap<String, usize>,
) -> BTreeMap<&'static str, Vec<String>> {
    let mut props = Props { kind, values: BTreeMap::new(), skipped };
    match stix_type {
        "identity" | "threat-actor" | "intrusion-set" => {
            props.read(object, "name", "name");
            props.read(object, "aliases", "alias");
            if stix_type != "identity" {
                props.push("topics", "crime.ocg");
            }
        }
        "location" => {
            props.read(object, "name", "full");
            props.read(object, "street_address", "full");
            props.read(object, "city", "city");
            props.read(object, "country", "country");
            props.read(object, "latitude", "latitude");
            props.read(object, "longitude", "longitude");
        }
        "email-addr" => props.read(object, "value", "address"),
        "user-account" => {
            let handle = ["account_login", "user_id"]
                .iter()
                .flat_map(|field| strings(object.get(*field)))
                .find(|v| normalize_handle(v).is_ok());
            if let Some(handle) = handle {
                props.push("username", &handle);
            }
            props.read(object, "display_name", "name");
            props.read(object, "account_type", "service");
        }
        _ => {}
    }
    for property in kind.properties() {
        if property.name != "notes" {
            props.read(object, &custom_property(property.name), property.name);
        }
    }
    if custom_kind(stix_type).is_some() {
        let caption = kind.caption_property();
        if !props.has(caption) {
            for name in strings(object.get("name")).into_iter().filter(|n| n != "unnamed") {
                props.push(caption, &name);
            }
        }
    }
    props.values
}

/// Reads a STIX 2.1 bundle (or a bare JSON array of STIX objects) into one report for `header`.
pub fn stix_to_report(text: &str, header: &ReportHeader) -> Result<Imported, ImportError> {
    let invalid = |message: String| ImportError::Invalid(message);
    let data: Value = serde_json::from_str(text).map_err(|e| invalid(format!("not JSON: {e}")))?;
    let (bundle_id, objects): (Option<&str>, &[Value]) = match &data {
        Value::Array(items) => (None, items),
        Value::Object(map) => match map.get("type").and_then(Value::as_str) {
            Some("bundle") => {
                let objects = match map.get("objects") {
                    Some(Value::Array(items)) => items.as_slice(),
                    None => &[],
                    Some(_) => return Err(invalid("the STIX bundle's \"objects\" is not an array".into())),
                };
                (map.get("id").and_then(Value::as_str), objects)
            }
            Some(other) => return Err(invalid(format!("a STIX {other:?} object, not a bundle"))),
            None => return Err(invalid("not a STIX bundle: the JSON object has no \"type\"".into())),
        },
        _ => return Err(invalid("not a STIX bundle: expected a JSON object or an array of STIX objects".into())),
    };

    // Marking definitions: TLP ones (the standard ids, and any the bundle defines) and statements.
    let mut tlp: BTreeMap<String, String> =
        crate::stix::STANDARD_TLP.iter().map(|t| (t.id.to_string(), t.name.to_string())).collect();
    let mut statements: BTreeMap<String, String> = BTreeMap::new();
    for object in objects.iter().filter(|o| o["type"] == "marking-definition") {
        let Some(id) = object["id"].as_str() else { continue };
        let definition = &object["definition"];
        let kind = object["definition_type"].as_str().unwrap_or_default().to_ascii_lowercase();
        if let Some(colour) = definition["tlp"].as_str().filter(|_| kind == "tlp") {
            tlp.entry(id.to_string()).or_insert_with(|| format!("TLP:{}", colour.to_ascii_uppercase()));
        } else if let Some(name) = object["name"].as_str().filter(|n| n.to_ascii_uppercase().starts_with("TLP:")) {
            tlp.entry(id.to_string()).or_insert_with(|| name.to_ascii_uppercase());
        } else if let Some(statement) = definition["statement"].as_str() {
            statements.insert(id.to_string(), statement.to_string());
        }
    }

    let mut entities: Vec<Value> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    let mut caveats: BTreeSet<String> = BTreeSet::new();
    let mut partner_markings: BTreeSet<String> = BTreeSet::new();
    let mut confidence: Option<u64> = None;
    let mut relationships: Vec<&Value> = Vec::new();
    for object in objects {
        let Some(stix_type) = object.get("type").and_then(Value::as_str) else {
            *skipped.entry("object without a type".into()).or_default() += 1;
            continue;
        };
        *types.entry(stix_type).or_default() += 1;
        if stix_type == "marking-definition" {
            continue;
        }
        for reference in object["object_marking_refs"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if let Some(name) = tlp.get(reference) {
                caveats.insert(name.clone());
            } else if let Some(statement) = statements.get(reference) {
                partner_markings.insert(statement.clone());
            }
        }
        if let Some(c) = object["confidence"].as_u64().filter(|c| *c <= 100) {
            confidence = confidence.max(Some(c));
        }
        if stix_type == "relationship" {
            relationships.push(object);
            continue;
        }
        let kind = match kind_of(object, stix_type) {
            Ok(kind) => kind,
            Err(label) => {
                *skipped.entry(label).or_default() += 1;
                continue;
            }
        };
        let Some(stix_id) = object["id"].as_str() else {
            *skipped.entry(format!("{stix_type} without an id")).or_default() += 1;
            continue;
        };
        let properties = read_entity(object, stix_type, kind, &mut skipped);
        let mut entity = json!({ "schema": kind.name(), "properties": properties });
        if !identifying(kind).iter().any(|p| properties.get(p).is_some_and(|v| !v.is_empty())) {
            let uuid = stix_id.split_once("--").map_or(stix_id, |(_, uuid)| uuid);
            entity["id"] = json!(format!("{}:stix-{uuid}", header.agency));
        }
        index.insert(stix_id, entities.len());
        entities.push(entity);
    }

    let mut links: Vec<Value> = Vec::new();
    for relationship in relationships {
        let rt = relationship["relationship_type"].as_str().unwrap_or_default();
        let Some(link) = link_type(rt) else {
            *skipped.entry(format!("relationship {rt}")).or_default() += 1;
            continue;
        };
        let end = |field: &str| relationship[field].as_str().and_then(|id| index.get(id)).copied();
        let (Some(source), Some(target)) = (end("source_ref"), end("target_ref")) else {
            *skipped.entry("relationship to an object not imported".into()).or_default() += 1;
            continue;
        };
        links.push(json!({ "type": link.name(), "source": format!("#{source}"), "target": format!("#{target}") }));
    }

    if entities.is_empty() {
        let found: Vec<String> = types.iter().map(|(t, n)| format!("{n} {t}")).collect();
        let found = if found.is_empty() { "no objects".to_string() } else { found.join(", ") };
        return Err(invalid(format!("no importable STIX object in the input ({found})")));
    }

    let mut text = format!(
        "STIX 2.1 bundle {} from {}: {} objects ({}).",
        bundle_id.unwrap_or("(no bundle id)"),
        header.agency,
        objects.len(),
        types.iter().map(|(t, n)| format!("{n} {t}")).collect::<Vec<_>>().join(", ")
    );
    text.push_str(&format!(" Imported {} entities and {} links.", entities.len(), links.len()));
    if !skipped.is_empty() {
        let left: Vec<String> = skipped.iter().map(|(what, n)| format!("{n} {what}")).collect();
        text.push_str(&format!(" Left out: {}.", left.join(", ")));
    }
    if let Some(c) = confidence {
        text.push_str(&format!(" Partner confidence: {c}."));
    }
    if !partner_markings.is_empty() {
        let m: Vec<&str> = partner_markings.iter().map(String::as_str).collect();
        text.push_str(&format!(" Partner markings: {}.", m.join("; ")));
    }

    let mut markings = json!({ "classification": header.classification });
    if !caveats.is_empty() {
        markings["caveats"] = json!(caveats);
    }
    let (entity_count, link_count) = (entities.len(), links.len());
    let report = json!({
        "id": header.id,
        "agency": header.agency,
        "author": header.author,
        "date": header.date,
        "grading": header.grading,
        "markings": markings,
        "text": text,
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
            id: "EUROPOL-2026-000002".into(),
            agency: "EUROPOL".into(),
            author: "EMSC".into(),
            date: "2026-11-01".into(),
            grading: "2B P".into(),
            classification: "OFFICIAL-SENSITIVE".into(),
        }
    }

    const BUNDLE: &str = r#"{
      "type": "bundle",
      "id": "bundle--0f6d2a4e-7d1c-4c57-9b3e-2c1f2a3b4c5d",
      "objects": [
        { "type": "marking-definition", "spec_version": "2.1",
          "id": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "created": "2017-01-20T00:00:00.000Z",
          "definition_type": "tlp", "name": "TLP:RED", "definition": { "tlp": "red" } },
        { "type": "identity", "spec_version": "2.1", "id": "identity--11111111-1111-4111-8111-111111111111",
          "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
          "name": "Ahmed Karim", "identity_class": "individual", "confidence": 70,
          "x_tessera_nationality": ["iq"], "x_opencti_score": 50,
          "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"] },
        { "type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--22222222-2222-4222-8222-222222222222",
          "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
          "name": "Dunkirk crew", "aliases": ["Les Passeurs"], "confidence": 85,
          "object_marking_refs": ["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"] },
        { "type": "location", "spec_version": "2.1", "id": "location--33333333-3333-4333-8333-333333333333",
          "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
          "name": "Grande-Synthe camp", "city": "Grande-Synthe", "country": "FR",
          "latitude": 51.01, "longitude": 2.3 },
        { "type": "email-addr", "spec_version": "2.1", "id": "email-addr--44444444-4444-5444-8444-444444444444",
          "value": "karim@example.org" },
        { "type": "relationship", "spec_version": "2.1", "id": "relationship--55555555-5555-4555-8555-555555555555",
          "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
          "relationship_type": "member-of",
          "source_ref": "identity--11111111-1111-4111-8111-111111111111",
          "target_ref": "threat-actor--22222222-2222-4222-8222-222222222222" },
        { "type": "relationship", "spec_version": "2.1", "id": "relationship--66666666-6666-4666-8666-666666666666",
          "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
          "relationship_type": "uses",
          "source_ref": "identity--11111111-1111-4111-8111-111111111111",
          "target_ref": "email-addr--44444444-4444-5444-8444-444444444444" },
        { "type": "sighting", "spec_version": "2.1", "id": "sighting--77777777-7777-4777-8777-777777777777",
          "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
          "sighting_of_ref": "threat-actor--22222222-2222-4222-8222-222222222222" }
      ]
    }"#;

    fn imported(text: &str) -> Imported {
        stix_to_report(text, &header()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn entities(imported: &Imported) -> Vec<Value> {
        imported.report["entities"].as_array().cloned().unwrap_or_default()
    }

    fn link_types(imported: &Imported) -> Vec<String> {
        let links = imported.report["links"].as_array().cloned().unwrap_or_default();
        links.iter().filter_map(|l| l["type"].as_str()).map(str::to_string).collect()
    }

    fn ingest(imported: &Imported) -> tessera_ingest::FileSummary {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut store = tessera_store::SqliteStore::init(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let line = imported.report.to_string();
        tessera_ingest::ingest_text(&mut store, "import.json", &line, None, &mut tessera_ingest::Silent)
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn a_partner_bundle_maps_to_one_report() {
        let imported = imported(BUNDLE);
        let entities = entities(&imported);
        let find = |schema: &str| entities.iter().find(|e| e["schema"] == schema).cloned().unwrap_or_default();
        let person = find("Person");
        assert_eq!(person["id"], "EUROPOL:stix-11111111-1111-4111-8111-111111111111");
        assert_eq!(person["properties"]["name"], json!(["Ahmed Karim"]));
        assert_eq!(person["properties"]["nationality"], json!(["IQ"]));
        let ocg = find("Organization");
        assert_eq!(ocg["properties"]["topics"], json!(["crime.ocg"]));
        assert_eq!(ocg["properties"]["alias"], json!(["Les Passeurs"]));
        let place = find("Address");
        assert_eq!(place["properties"]["country"], json!(["FR"]));
        assert_eq!(place["properties"]["city"], json!(["Grande-Synthe"]));
        assert_eq!(place["properties"]["latitude"], json!(["51.01"]));
        let email = find("Email");
        assert_eq!(email["properties"]["address"], json!(["karim@example.org"]));
        assert!(email.get("id").is_none(), "identifier entities take their id at ingest");
        assert_eq!(link_types(&imported), ["member_of", "uses"]);
        assert_eq!((imported.entities, imported.links), (4, 2));
        assert_eq!(imported.skipped.get("sighting"), Some(&1), "{:?}", imported.skipped);
        let report = &imported.report;
        assert_eq!(report["grading"], "2B P", "the receiving officer's grading");
        assert_eq!(report["markings"]["classification"], "OFFICIAL-SENSITIVE");
        assert_eq!(report["markings"]["caveats"], json!(["TLP:AMBER", "TLP:RED"]));
        let text = report["text"].as_str().unwrap_or_default();
        assert!(text.contains("bundle--0f6d2a4e-7d1c-4c57-9b3e-2c1f2a3b4c5d"), "{text}");
        assert!(text.contains("Partner confidence: 85"), "{text}");
        assert!(text.contains("1 sighting") && text.contains("2 relationship"), "{text}");
        let summary = ingest(&imported);
        assert_eq!(summary.reports, 1);
    }

    #[test]
    fn a_tessera_export_round_trips() {
        let (text, _) = crate::stix::to_stix(&network());
        let imported = imported(&text);
        let entities = entities(&imported);
        let names: Vec<&str> = entities.iter().filter_map(|e| e["properties"]["name"][0].as_str()).collect();
        for name in ["Mohammed Abdelrahman", "Muhammad Abd al-Rahman", "Zuwara network", "SEA STAR"] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        let person = entities.iter().find(|e| e["properties"]["name"][0] == "Mohammed Abdelrahman").cloned();
        assert_eq!(person.unwrap_or_default()["properties"]["nationality"], json!(["SD"]));
        assert!(entities.iter().any(|e| e["schema"] == "Phone" && e["properties"]["number"][0] == "+33612345678"));
        assert!(entities.iter().any(|e| e["schema"] == "Vessel" && e["properties"]["imoNumber"][0] == "IMO9074729"));
        let types = link_types(&imported);
        for t in ["member_of", "owns", "associate", "sighted_at", "uses"] {
            assert!(types.iter().any(|x| x == t), "{t} missing from {types:?}");
        }
        assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
        assert_eq!(imported.report["markings"]["caveats"], json!(["TLP:AMBER"]));
        let text = imported.report["text"].as_str().unwrap_or_default();
        assert!(text.contains("Partner confidence: 65") && text.contains("Partner markings: OFFICIAL-SENSITIVE"));
        // A re-import meets the same entities.
        assert_eq!(stix_to_report(&crate::stix::to_stix(&network()).0, &header()).ok(), Some(imported.clone()));
        let summary = ingest(&imported);
        assert_eq!(summary.reports, 1);
        assert!(summary.statements > 10, "{summary:?}");
    }

    #[test]
    fn bare_arrays_are_read_and_odd_objects_counted() {
        let text = r#"[
          { "type": "user-account", "id": "user-account--1", "account_login": "karim_uk", "display_name": "Karim",
            "account_type": "telegram" },
          { "type": "user-account", "id": "user-account--2", "account_login": "not a handle!" },
          { "type": "identity", "id": "identity--3", "name": "A system", "identity_class": "system" },
          { "type": "relationship", "id": "relationship--4", "relationship_type": "targets",
            "source_ref": "user-account--1", "target_ref": "user-account--2" },
          { "type": "indicator", "id": "indicator--5" },
          42
        ]"#;
        let imported = imported(text);
        let entities = entities(&imported);
        assert_eq!(entities[0]["properties"]["username"], json!(["karim_uk"]));
        assert_eq!(entities[0]["properties"]["service"], json!(["telegram"]));
        assert!(entities[1]["properties"].get("username").is_none());
        assert_eq!(imported.skipped.get("identity (system)"), Some(&1));
        assert_eq!(imported.skipped.get("relationship targets"), Some(&1));
        assert_eq!(imported.skipped.get("indicator"), Some(&1));
        assert_eq!(imported.skipped.get("object without a type"), Some(&1));
        assert!(imported.report["text"].as_str().unwrap_or_default().contains("(no bundle id)"));
        ingest(&imported);
    }

    #[test]
    fn bad_input_is_refused_with_what_is_wrong() {
        let message = |text: &str| match stix_to_report(text, &header()) {
            Err(ImportError::Invalid(m)) => m,
            other => panic!("{other:?}"),
        };
        assert!(message("{not json").starts_with("not JSON"));
        assert!(message(r#"{"type":"identity","id":"identity--1"}"#).contains("not a bundle"));
        assert!(message("\"bundle\"").contains("not a STIX bundle"));
        assert!(message(r#"{"type":"bundle","objects":{}}"#).contains("not an array"));
        assert!(message(r#"{"type":"bundle","id":"bundle--1","objects":[]}"#).contains("no importable"));
        let only_sighting = r#"{"type":"bundle","objects":[{"type":"sighting","id":"sighting--1"}]}"#;
        assert!(message(only_sighting).contains("1 sighting"));
    }

    /// Arbitrary strings, and mutilations of a real bundle, never panic.
    /// (A small deterministic generator: the crate has no proptest dependency.)
    #[test]
    fn arbitrary_input_never_panics() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet: Vec<char> =
            "{}[]\":,0123456789.-eE truefalsnul\\bundleobjectstypeidrelationship—é\u{0}\n".chars().collect();
        let (export, _) = crate::stix::to_stix(&network());
        let pieces: Vec<char> = BUNDLE.chars().chain(export.chars()).collect();
        for round in 0..2000 {
            let len = (next() % 200) as usize;
            let text: String = if round % 2 == 0 {
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
            } else {
                let mut chars: Vec<char> =
                    if round % 4 == 1 { BUNDLE.chars().collect() } else { export.chars().collect() };
                for _ in 0..=(next() % 4) {
                    let at = (next() % chars.len().max(1) as u64) as usize;
                    match next() % 3 {
                        0 if at < chars.len() => {
                            chars.remove(at);
                        }
                        1 => chars.insert(at.min(chars.len()), pieces[(next() % pieces.len() as u64) as usize]),
                        _ => chars.truncate(at),
                    }
                }
                chars.into_iter().collect()
            };
            let _ = stix_to_report(&text, &header());
        }
        // Well-formed JSON of the wrong shapes.
        for text in [
            "null",
            "[]",
            "[[]]",
            r#"[{"type":7}]"#,
            r#"[{"type":"relationship"}]"#,
            r#"[{"type":"identity","identity_class":"individual","id":"x","name":[1,{"a":2}],"aliases":"A"}]"#,
            r#"{"type":"bundle","objects":[{"type":"location","id":"location--1","latitude":1e308,"country":"zz"}]}"#,
            r#"[{"type":"x-tessera-event","id":"x-tessera-event--1","name":"unnamed","confidence":-1}]"#,
        ] {
            let _ = stix_to_report(text, &header());
        }
    }
}
