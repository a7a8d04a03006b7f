//! A STIX 2.1 bundle, as OpenCTI and MISP import it.
//!
//! Mapping decisions:
//! - Person / Organization → `identity` (`identity_class` individual /
//!   organization); Address → `location` when a country or both coordinates
//!   are known (STIX requires one of them), else the custom object
//!   `x-tessera-address`; UserAccount → the `user-account` SCO; Email → the
//!   `email-addr` SCO; every other kind (Phone, Vehicle, Vessel,
//!   Identification, BankAccount, CryptoWallet, Event) has no STIX 2.1
//!   object, so it becomes a custom object `x-tessera-<kind>` (STIX 2.1 §11.1:
//!   a type not in the specification, with `spec_version`, `id`, `created`,
//!   `modified`).
//! - Every Tessera property without a STIX equivalent is kept as a custom
//!   property `x_tessera_<snake_case name>` holding the list of values.
//! - Links → `relationship` objects; `relationship_type` is the link name with
//!   underscores turned into hyphens ("member_of" → "member-of").
//! - Grading → `confidence` (0–100) by [`confidence`], the highest among the
//!   statements an object is built from, with the code of that grading in
//!   `x_tessera_grading` ("2B P") and the provider's original grade, when it
//!   was mapped, in `x_tessera_original_grading` ("5x5x5 B2 4"). SCOs carry
//!   no `confidence` in STIX, so they carry only the custom properties.
//! - Markings → one `marking-definition` per distinct classification and
//!   caveats (`definition_type` "statement", the banner as statement) plus the
//!   TLP marking the classification implies ([`tlp_for`]), using the standard
//!   TLP marking-definition objects of the STIX 2.1 specification; objects
//!   reference them in `object_marking_refs`.
//! - Report references (already sanitised) → `external_references` with
//!   `source_name` "tessera".
//! - Ids: `type--uuid` with a UUID derived from the SHA-256 of the Tessera id
//!   ([`crate::deterministic_uuid`]; version 4 shape for SDOs and SROs,
//!   version 5 shape for SCOs), so re-exports match. `created` / `modified`
//!   are the earliest / latest recording time of the object's statements,
//!   with milliseconds.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use tessera_model::{Classification, EntityKind, Grading, IntelligenceAssessment, SourceEvaluation};
use tessera_store::StoredStatement;

use crate::{Assembled, ExportStatement, assemble, deterministic_uuid, export_banner, sanitise};

/// Namespace of every Tessera STIX id.
const NAMESPACE: &str = "tessera-stix";

/// When the UK Government Security Classifications came into force: the fixed
/// `created` time of the marking definitions for them, so their ids never change.
const MARKING_CREATED: &str = "2014-04-02T00:00:00.000Z";

/// A standard TLP marking definition of the STIX 2.1 specification (§7.2.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlp {
    /// Its fixed id.
    pub id: &'static str,
    /// Its name, e.g. "TLP:AMBER".
    pub name: &'static str,
    /// Its colour as written in the definition.
    pub colour: &'static str,
}

/// TLP:WHITE as the STIX 2.1 specification defines it.
pub const TLP_WHITE: Tlp =
    Tlp { id: "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", name: "TLP:WHITE", colour: "white" };

/// TLP:GREEN as the STIX 2.1 specification defines it.
pub const TLP_GREEN: Tlp =
    Tlp { id: "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", name: "TLP:GREEN", colour: "green" };

/// TLP:AMBER as the STIX 2.1 specification defines it.
pub const TLP_AMBER: Tlp =
    Tlp { id: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", name: "TLP:AMBER", colour: "amber" };

/// TLP:RED as the STIX 2.1 specification defines it.
pub const TLP_RED: Tlp =
    Tlp { id: "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", name: "TLP:RED", colour: "red" };

/// The four standard TLP marking definitions, which partners' bundles refer to by id without defining them.
pub const STANDARD_TLP: [Tlp; 4] = [TLP_WHITE, TLP_GREEN, TLP_AMBER, TLP_RED];

impl Tlp {
    /// The marking-definition object exactly as the specification gives it.
    pub fn object(&self) -> Value {
        json!({
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": self.id,
            "created": "2017-01-20T00:00:00.000Z",
            "definition_type": "tlp",
            "name": self.name,
            "definition": { "tlp": self.colour },
        })
    }
}

/// The TLP a classification implies: OFFICIAL and OFFICIAL-SENSITIVE go to
/// the recipient organisation on a need-to-know basis (TLP:AMBER); SECRET and
/// above are for named recipients only (TLP:RED).
pub fn tlp_for(classification: Classification) -> Tlp {
    match classification {
        Classification::Official | Classification::OfficialSensitive => TLP_AMBER,
        Classification::Secret | Classification::TopSecret => TLP_RED,
    }
}

/// The STIX `confidence` (0–100) of a 3x5x2 grading. Rows: intelligence
/// assessment A–E; columns: source evaluation 1 (reliable), 2 (untested),
/// 3 (not reliable). 1A = 90 … 3E = 5; monotone in both codes.
///
/// | | 1 | 2 | 3 |
/// |---|---|---|---|
/// | A | 90 | 75 | 50 |
/// | B | 80 | 65 | 40 |
/// | C | 60 | 45 | 30 |
/// | D | 40 | 30 | 15 |
/// | E | 15 | 10 | 5 |
pub fn confidence(grading: &Grading) -> u8 {
    let column = match grading.source {
        SourceEvaluation::Reliable => 0,
        SourceEvaluation::Untested => 1,
        SourceEvaluation::NotReliable => 2,
    };
    let row: [u8; 3] = match grading.intelligence {
        IntelligenceAssessment::KnownDirectly => [90, 75, 50],
        IntelligenceAssessment::KnownIndirectlyCorroborated => [80, 65, 40],
        IntelligenceAssessment::KnownIndirectly => [60, 45, 30],
        IntelligenceAssessment::NotKnown => [40, 30, 15],
        IntelligenceAssessment::SuspectedFalse => [15, 10, 5],
    };
    row[column]
}

/// A STIX timestamp with milliseconds ("2026-11-28T01:02:03.000Z") from a
/// recorded time (RFC 3339 UTC, with or without fractions) or a date.
pub fn stix_timestamp(recorded: &str) -> String {
    let (main, fraction) = match recorded.trim_end_matches('Z').split_once('.') {
        Some((main, fraction)) => (main, fraction),
        None => (recorded.trim_end_matches('Z'), ""),
    };
    let main = if main.len() == 10 { format!("{main}T00:00:00") } else { main.to_string() };
    let well_formed = main.len() == 19
        && main.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    if !well_formed {
        return "1970-01-01T00:00:00.000Z".into();
    }
    let millis: String = fraction.chars().filter(char::is_ascii_digit).chain("000".chars()).take(3).collect();
    format!("{main}.{millis}Z")
}

/// `camelCase` → `x_tessera_camel_case`.
pub(crate) fn custom_property(name: &str) -> String {
    let mut out = String::from("x_tessera_");
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}

/// The STIX type of an entity.
fn stix_type(kind: EntityKind, properties: &BTreeMap<&str, Vec<&str>>) -> &'static str {
    match kind {
        EntityKind::Person | EntityKind::Organization => "identity",
        EntityKind::Address => {
            let has = |p: &str| properties.get(p).is_some_and(|v| !v.is_empty());
            if has("country")
                || (coordinate(properties, "latitude").is_some() && coordinate(properties, "longitude").is_some())
            {
                "location"
            } else {
                "x-tessera-address"
            }
        }
        EntityKind::SocialAccount => "user-account",
        EntityKind::Email => "email-addr",
        EntityKind::Phone => "x-tessera-phone",
        EntityKind::Vehicle => "x-tessera-vehicle",
        EntityKind::Vessel => "x-tessera-vessel",
        EntityKind::IdentityDocument => "x-tessera-identification",
        EntityKind::BankAccount => "x-tessera-bank-account",
        EntityKind::CryptoWallet => "x-tessera-crypto-wallet",
        EntityKind::Event => "x-tessera-event",
    }
}

/// A coordinate property as a number within its range.
fn coordinate(properties: &BTreeMap<&str, Vec<&str>>, name: &str) -> Option<f64> {
    let value: f64 = properties.get(name)?.first()?.parse().ok()?;
    let limit = if name == "latitude" { 90.0 } else { 180.0 };
    (value.is_finite() && value.abs() <= limit).then_some(value)
}

/// Whether objects of this type are cyber-observables (no `created`, `confidence`, ...).
fn is_sco(stix_type: &str) -> bool {
    matches!(stix_type, "user-account" | "email-addr")
}

/// The id of a statement marking definition for a banner.
fn statement_marking_id(banner: &str) -> String {
    format!("marking-definition--{}", deterministic_uuid(NAMESPACE, &format!("marking:{banner}"), 4))
}

/// Provenance common to SDOs and SROs, and the markings, added to `object`.
fn provenance(object: &mut Map<String, Value>, statements: &[&ExportStatement], sco: bool) {
    let best = statements.iter().max_by_key(|s| (confidence(&s.grading), std::cmp::Reverse(s.statement_id)));
    if let Some(best) = best {
        if !sco {
            object.insert("confidence".into(), json!(confidence(&best.grading)));
        }
        object.insert("x_tessera_grading".into(), json!(best.grading.code()));
        if let Some(original) = &best.grading.original {
            object.insert(
                "x_tessera_original_grading".into(),
                json!(format!("{} {}", original.scheme.name(), original.code)),
            );
        }
    }
    if !sco {
        let created = statements.iter().map(|s| stix_timestamp(&s.recorded)).min();
        let modified = statements.iter().map(|s| stix_timestamp(&s.recorded)).max();
        object.insert("created".into(), json!(created.unwrap_or_else(|| stix_timestamp(""))));
        object.insert("modified".into(), json!(modified.unwrap_or_else(|| stix_timestamp(""))));
        let references: BTreeSet<&str> = statements.iter().map(|s| s.report_ref.as_str()).collect();
        let references: Vec<Value> =
            references.iter().map(|r| json!({ "source_name": "tessera", "external_id": r })).collect();
        if !references.is_empty() {
            object.insert("external_references".into(), Value::Array(references));
        }
    }
    let mut markings = BTreeSet::new();
    for s in statements {
        markings.insert(statement_marking_id(&export_banner(&s.markings)));
        markings.insert(tlp_for(s.markings.classification).id.to_string());
    }
    object.insert("object_marking_refs".into(), json!(markings));
}

/// The STIX object of an entity.
fn entity_object(tessera_id: &str, entity: &Assembled<'_>, stix_id: &str, stix_type: &str) -> Value {
    let mut object = Map::new();
    object.insert("type".into(), json!(stix_type));
    object.insert("spec_version".into(), json!("2.1"));
    object.insert("id".into(), json!(stix_id));
    let first = |p: &str| entity.properties.get(p).and_then(|v| v.first()).copied();
    let mut used: BTreeSet<&str> = BTreeSet::from(["notes"]);
    match stix_type {
        "identity" => {
            let name = first("name").unwrap_or(tessera_id_fallback(tessera_id));
            object.insert("name".into(), json!(name));
            let class = if entity.kind == EntityKind::Person { "individual" } else { "organization" };
            object.insert("identity_class".into(), json!(class));
            used.insert("name");
        }
        "location" => {
            if let Some(full) = first("full") {
                object.insert("name".into(), json!(full));
            }
            if let Some(country) = first("country") {
                object.insert("country".into(), json!(country));
            }
            if let Some(city) = first("city") {
                object.insert("city".into(), json!(city));
            }
            if let (Some(lat), Some(lon)) =
                (coordinate(&entity.properties, "latitude"), coordinate(&entity.properties, "longitude"))
            {
                object.insert("latitude".into(), json!(lat));
                object.insert("longitude".into(), json!(lon));
                used.extend(["latitude", "longitude"]);
            }
            used.extend(["full", "country", "city"]);
        }
        "user-account" => {
            if let Some(username) = first("username") {
                object.insert("account_login".into(), json!(username));
                object.insert("user_id".into(), json!(username));
            }
            if let Some(name) = first("name") {
                object.insert("display_name".into(), json!(name));
            }
            if let Some(service) = first("service") {
                object.insert("account_type".into(), json!(service.to_ascii_lowercase()));
            }
            used.extend(["username", "name", "service"]);
        }
        "email-addr" => {
            object.insert("value".into(), json!(first("address").unwrap_or_default()));
            used.insert("address");
        }
        _ => {
            let caption = first(entity.kind.caption_property()).unwrap_or(tessera_id_fallback(tessera_id));
            object.insert("name".into(), json!(caption));
        }
    }
    for (property, values) in &entity.properties {
        if !used.contains(property) {
            object.insert(custom_property(property), json!(values));
        }
    }
    provenance(
        &mut object,
        &entity.statements.iter().filter(|s| s.link_type().is_none()).copied().collect::<Vec<_>>(),
        is_sco(stix_type),
    );
    Value::Object(object)
}

/// A name for an object whose statements give none (never the Tessera id itself).
fn tessera_id_fallback(_tessera_id: &str) -> &'static str {
    "unnamed"
}

/// The statements as one STIX 2.1 bundle (pretty-printed JSON), and the number
/// of objects in it besides marking definitions.
pub fn to_stix(statements: &[StoredStatement]) -> (String, usize) {
    let sanitised = sanitise(statements);
    let (entities, links) = assemble(&sanitised);
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    let mut objects = Vec::new();
    for (tessera_id, entity) in &entities {
        let stix_type = stix_type(entity.kind, &entity.properties);
        let version = if is_sco(stix_type) { 5 } else { 4 };
        let id = format!("{stix_type}--{}", deterministic_uuid(NAMESPACE, tessera_id, version));
        ids.insert(tessera_id, id.clone());
        objects.push(entity_object(tessera_id, entity, &id, stix_type));
    }
    for link in &links {
        let (Some(source), Some(target)) = (ids.get(link.source), ids.get(link.target)) else { continue };
        let key = format!("link:{}:{}:{}", link.source, link.kind.name(), link.target);
        let mut object = Map::new();
        object.insert("type".into(), json!("relationship"));
        object.insert("spec_version".into(), json!("2.1"));
        object.insert("id".into(), json!(format!("relationship--{}", deterministic_uuid(NAMESPACE, &key, 4))));
        object.insert("relationship_type".into(), json!(link.kind.name().replace('_', "-")));
        object.insert("source_ref".into(), json!(source));
        object.insert("target_ref".into(), json!(target));
        provenance(&mut object, &link.statements, false);
        objects.push(Value::Object(object));
    }
    let count = objects.len();

    let mut markings: BTreeMap<String, Value> = BTreeMap::new();
    for s in &sanitised {
        let banner = export_banner(&s.markings);
        let id = statement_marking_id(&banner);
        markings.entry(id.clone()).or_insert_with(|| {
            json!({
                "type": "marking-definition",
                "spec_version": "2.1",
                "id": id,
                "created": MARKING_CREATED,
                "name": banner,
                "definition_type": "statement",
                "definition": { "statement": banner },
            })
        });
        let tlp = tlp_for(s.markings.classification);
        markings.entry(tlp.id.to_string()).or_insert_with(|| tlp.object());
    }
    let mut all: Vec<Value> = markings.into_values().collect();
    all.extend(objects);
    let mut bundle_key = String::new();
    for s in &sanitised {
        bundle_key.push_str(&s.statement_id.to_string());
        bundle_key.push(',');
    }
    let bundle = json!({
        "type": "bundle",
        "id": format!("bundle--{}", deterministic_uuid(NAMESPACE, &format!("bundle:{bundle_key}"), 4)),
        "objects": all,
    });
    let mut text = serde_json::to_string_pretty(&bundle).unwrap_or_default();
    text.push('\n');
    (text, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{network, st};

    fn bundle() -> Value {
        serde_json::from_str(&to_stix(&network()).0).unwrap_or_else(|e| panic!("{e}"))
    }

    fn objects(bundle: &Value) -> Vec<Value> {
        bundle["objects"].as_array().cloned().unwrap_or_default()
    }

    fn is_uuid(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
            && matches!(&s[14..15], "4" | "5")
            && matches!(&s[19..20], "8" | "9" | "a" | "b")
    }

    /// The structural rules of STIX 2.1 this exporter must follow.
    fn check(object: &Value, all_ids: &BTreeSet<String>) {
        let t = object["type"].as_str().unwrap_or_default();
        let id = object["id"].as_str().unwrap_or_default();
        let (prefix, uuid) = id.split_once("--").unwrap_or_default();
        assert_eq!(prefix, t, "{object}");
        assert!(is_uuid(uuid), "{id}");
        assert_eq!(object["spec_version"], "2.1", "{object}");
        let sco = is_sco(t);
        if t != "marking-definition" && !sco {
            for required in ["created", "modified"] {
                let ts = object[required].as_str().unwrap_or_default();
                assert!(ts.len() == 24 && ts.ends_with('Z') && &ts[19..20] == ".", "{required} {ts}");
            }
        }
        let map = object.as_object().cloned().unwrap_or_default();
        for key in map.keys() {
            assert!(
                (key == "id" || key.len() >= 3)
                    && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{key}"
            );
        }
        if t.starts_with("x-") {
            assert!(
                map.keys()
                    .filter(|k| ![
                        "type",
                        "spec_version",
                        "id",
                        "created",
                        "modified",
                        "name",
                        "confidence",
                        "object_marking_refs",
                        "external_references"
                    ]
                    .contains(&k.as_str()))
                    .all(|k| k.starts_with("x_tessera_")),
                "{object}"
            );
        }
        match t {
            "identity" => assert!(object["name"].is_string() && object["identity_class"].is_string()),
            "relationship" => {
                let rt = object["relationship_type"].as_str().unwrap_or_default();
                assert!(rt.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{rt}");
                for r in ["source_ref", "target_ref"] {
                    assert!(all_ids.contains(object[r].as_str().unwrap_or_default()), "dangling {r}");
                }
            }
            "location" => assert!(object["country"].is_string() || object["latitude"].is_number()),
            _ => {}
        }
        if let Some(confidence) = object.get("confidence") {
            assert!(confidence.as_u64().is_some_and(|c| c <= 100));
        }
        for r in object["object_marking_refs"].as_array().into_iter().flatten() {
            assert!(all_ids.contains(r.as_str().unwrap_or_default()), "marking {r} not in bundle");
        }
    }

    #[test]
    fn the_bundle_is_structurally_valid() {
        let bundle = bundle();
        assert_eq!(bundle["type"], "bundle");
        assert!(is_uuid(bundle["id"].as_str().unwrap_or_default().trim_start_matches("bundle--")));
        let objects = objects(&bundle);
        let ids: BTreeSet<String> = objects.iter().map(|o| o["id"].as_str().unwrap_or_default().to_string()).collect();
        assert_eq!(ids.len(), objects.len(), "duplicate ids");
        for o in &objects {
            check(o, &ids);
        }
    }

    #[test]
    fn kinds_links_gradings_and_markings_map() {
        let objects = objects(&bundle());
        let of = |t: &str| objects.iter().filter(|o| o["type"] == t).cloned().collect::<Vec<_>>();
        let identities = of("identity");
        assert_eq!(identities.len(), 3);
        let person = identities.iter().find(|o| o["name"] == "Mohammed Abdelrahman").cloned().unwrap_or_default();
        assert_eq!(person["identity_class"], "individual");
        assert_eq!(person["confidence"], 65, "2B");
        assert_eq!(person["x_tessera_grading"], "2B P");
        assert_eq!(person["x_tessera_nationality"], json!(["SD"]));
        assert!(person.get("x_tessera_notes").is_none());
        assert_eq!(of("location")[0]["latitude"], 51.0);
        assert_eq!(of("email-addr")[0]["value"], "a@example.org");
        assert_eq!(of("x-tessera-phone")[0]["name"], "+33612345678");
        let types: BTreeSet<String> = of("relationship")
            .iter()
            .map(|r| r["relationship_type"].as_str().unwrap_or_default().to_string())
            .collect();
        assert!(types.contains("member-of") && types.contains("sighted-at") && types.contains("uses"), "{types:?}");
        assert_eq!(of("marking-definition").len(), 2, "one statement marking and TLP:AMBER");
        assert!(objects.iter().any(|o| o["id"] == TLP_AMBER.id && o["definition"]["tlp"] == "amber"));
        let debrief = identities.iter().find(|o| o["name"] == "Muhammad Abd al-Rahman").cloned().unwrap_or_default();
        assert_eq!(debrief["external_references"][0]["external_id"], "LOCAL-1");
    }

    #[test]
    fn original_gradings_and_confidence_table() {
        let mut s = st(1, "P", EntityKind::Person, "name", "X", "EUROPOL");
        s.statement.grading = Grading::parse("europol4x4", "B2 H1", None).unwrap_or_else(|e| panic!("{e}"));
        let bundle: Value = serde_json::from_str(&to_stix(&[s]).0).unwrap_or_default();
        let person = objects(&bundle).into_iter().find(|o| o["type"] == "identity").unwrap_or_default();
        assert!(person["x_tessera_original_grading"].as_str().unwrap_or_default().starts_with("europol4x4 B2"));
        let g = |code: &str| confidence(&Grading::parse("3x5x2", code, None).unwrap_or_else(|e| panic!("{e}")));
        assert_eq!((g("1A P"), g("3E P"), g("2B P")), (90, 5, 65));
        assert!(g("1B P") > g("2B P") && g("2B P") > g("2C P"));
    }

    #[test]
    fn timestamps_have_milliseconds() {
        assert_eq!(stix_timestamp("2026-11-28T01:02:03Z"), "2026-11-28T01:02:03.000Z");
        assert_eq!(stix_timestamp("2026-11-28T01:02:03.5Z"), "2026-11-28T01:02:03.500Z");
        assert_eq!(stix_timestamp("2026-11-28"), "2026-11-28T00:00:00.000Z");
        assert_eq!(stix_timestamp("garbage"), "1970-01-01T00:00:00.000Z");
        assert_eq!(stix_timestamp("é"), "1970-01-01T00:00:00.000Z");
    }
}
