//! FollowTheMoney entities, one JSON object per line (`{"id", "schema",
//! "properties": {name: [values]}}`), as Aleph imports them.
//!
//! Mapping decisions:
//! - Kinds map to the FtM schema of the same name (Tessera names its kinds
//!   after FtM); an identity document whose `type` says passport becomes a
//!   `Passport`, any other an `Identification`.
//! - FtM has no Phone or Email entity: a phone number or e-mail address is
//!   written as the `phone` / `email` property of each entity that `uses` it
//!   (where that entity's schema has the property), and the standalone
//!   Phone and Email entities, and their other links, are dropped.
//! - A document that a person or organisation `uses` gets it as its `holder`,
//!   and a user account its `owner`, instead of a link entity. FtM requires a
//!   holder and a number of a document, so a document without both is left
//!   out of this format (CSV and STIX carry it).
//! - A Person, Organization, Vessel or Event without a name (FtM requires
//!   one) is named from an identifier it has, else "unnamed <schema>".
//! - Links become FtM interval entities: associate → Associate(person,
//!   associate), family → Family(person, relative), member_of →
//!   Membership(member, organization), owns → Ownership(owner, asset), paid →
//!   Payment(payer, beneficiary), employed_by
//!   → Employment(employee, employer), when both ends are in the ranges FtM
//!   sets for that schema; any other link → UnknownLink(subject, object,
//!   role = the link type). The observation dates go to `date`. Links to
//!   entities left out are left out too.
//! - Organisation topics are kept when FtM knows them; other `crime.*`
//!   topics (Tessera's "crime.ocg") are written as "crime".
//! - Only properties FtM defines for the schema are written (see
//!   [`ftm_property`]), in the form FtM keeps: countries in lower case, IMO
//!   numbers with their "IMO" prefix, and only phone numbers that are valid
//!   in libphonenumber's metadata (FtM drops the others on import, e.g. the
//!   reserved fictional ranges the demo scenario uses; CSV and STIX keep them).
//! - Ids are [`crate::exported_id`] of the Tessera id (of
//!   `link:SOURCE:TYPE:TARGET` for links), so re-exports match.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tessera_model::{EntityKind, LinkType};
use tessera_store::StoredStatement;

use crate::{Assembled, assemble, exported_id, sanitise};

/// The FtM schema of an entity of `kind` with these properties; `None` for kinds FtM models as properties.
pub fn ftm_schema(kind: EntityKind, document_types: &[&str]) -> Option<&'static str> {
    Some(match kind {
        EntityKind::Person => "Person",
        EntityKind::Organization => "Organization",
        EntityKind::SocialAccount => "UserAccount",
        EntityKind::Vehicle => "Vehicle",
        EntityKind::Vessel => "Vessel",
        EntityKind::IdentityDocument => {
            if document_types.iter().any(|t| t.to_ascii_lowercase().contains("passport")) {
                "Passport"
            } else {
                "Identification"
            }
        }
        EntityKind::BankAccount => "BankAccount",
        EntityKind::CryptoWallet => "CryptoWallet",
        EntityKind::Address => "Address",
        EntityKind::Event => "Event",
        EntityKind::Phone | EntityKind::Email => return None,
    })
}

/// The FtM property a Tessera property of `kind` is written as; `None` when FtM has no such property.
pub fn ftm_property(kind: EntityKind, property: &str) -> Option<&'static str> {
    use EntityKind as K;
    Some(match (kind, property) {
        (K::Person, "name") => "name",
        (K::Person, "alias") => "alias",
        (K::Person, "firstName") => "firstName",
        (K::Person, "lastName") => "lastName",
        (K::Person, "birthDate") => "birthDate",
        (K::Person, "birthPlace") => "birthPlace",
        (K::Person, "nationality") => "nationality",
        (K::Person, "gender") => "gender",
        (K::Person, "passportNumber") => "passportNumber",
        (K::Person, "idNumber") => "idNumber",
        (K::Person, "country") => "country",
        (K::Person, "role") => "position",
        (K::Organization, "name") => "name",
        (K::Organization, "alias") => "alias",
        (K::Organization, "country") => "country",
        (K::Organization, "topics") => "topics",
        (K::Organization, "registrationNumber") => "registrationNumber",
        (K::Organization, "modusOperandi") => "description",
        (K::SocialAccount, "username") => "username",
        (K::SocialAccount, "service") => "service",
        (K::SocialAccount, "name") => "name",
        (K::Vehicle, "registrationNumber") => "registrationNumber",
        (K::Vehicle, "model") => "model",
        (K::Vehicle, "type") => "type",
        (K::Vehicle, "country") => "country",
        (K::Vessel, "name") => "name",
        (K::Vessel, "imoNumber") => "imoNumber",
        (K::Vessel, "mmsi") => "mmsi",
        (K::Vessel, "callSign") => "callSign",
        (K::Vessel, "flag") => "flag",
        (K::Vessel, "type") => "type",
        (K::IdentityDocument, "number") => "number",
        (K::IdentityDocument, "type") => "type",
        (K::IdentityDocument, "country") => "country",
        (K::IdentityDocument, "authority") => "authority",
        (K::IdentityDocument, "documentStatus") => "summary",
        (K::BankAccount, "iban") => "iban",
        (K::BankAccount, "accountNumber") => "accountNumber",
        (K::BankAccount, "bankName") => "bankName",
        (K::BankAccount, "country") => "country",
        (K::CryptoWallet, "publicKey") => "publicKey",
        (K::CryptoWallet, "currency") => "currencySymbol",
        (K::Address, "full") => "full",
        (K::Address, "city") => "city",
        (K::Address, "country") => "country",
        (K::Address, "latitude") => "latitude",
        (K::Address, "longitude") => "longitude",
        (K::Event, "eventType") => "name",
        (K::Event, "date") => "date",
        (K::Event, "summary") => "summary",
        (K::Event, "country") => "country",
        _ => return None,
    })
}

/// Whether FtM writes this property in its lower-case country-code form.
fn is_country(property: &str) -> bool {
    matches!(property, "country" | "nationality" | "flag" | "jurisdiction")
}

/// Whether an entity of this kind is an FtM LegalEntity (a Person or an Organization).
fn legal_entity(kind: EntityKind) -> bool {
    matches!(kind, EntityKind::Person | EntityKind::Organization)
}

/// Whether an entity of this kind is an FtM Asset.
fn asset(kind: EntityKind) -> bool {
    matches!(kind, EntityKind::Vehicle | EntityKind::Vessel | EntityKind::BankAccount)
}

/// The FtM interval schema and its endpoint properties for `link` between
/// these kinds: the link's own schema when both ends are in its ranges,
/// otherwise UnknownLink (with the link type as role).
fn interval(link: LinkType, source: EntityKind, target: EntityKind) -> (&'static str, &'static str, &'static str) {
    use EntityKind::{Organization, Person};
    let fits = match link {
        LinkType::Associate | LinkType::Family => source == Person && target == Person,
        LinkType::MemberOf => legal_entity(source) && target == Organization,
        LinkType::Owns => legal_entity(source) && asset(target),
        LinkType::Paid => legal_entity(source) && legal_entity(target),
        LinkType::EmployedBy => source == Person && target == Organization,
        LinkType::Uses | LinkType::TravelledOn | LinkType::SightedAt | LinkType::CommunicatedWith => false,
    };
    if !fits {
        return ("UnknownLink", "subject", "object");
    }
    let (from, to) = match link {
        LinkType::Associate => ("person", "associate"),
        LinkType::Family => ("person", "relative"),
        LinkType::MemberOf => ("member", "organization"),
        LinkType::Owns => ("owner", "asset"),
        LinkType::Paid => ("payer", "beneficiary"),
        LinkType::EmployedBy => ("employee", "employer"),
        LinkType::Uses | LinkType::TravelledOn | LinkType::SightedAt | LinkType::CommunicatedWith => {
            ("subject", "object")
        }
    };
    (link.ftm_schema(), from, to)
}

/// FtM topics Tessera may carry; any other `crime.*` topic is written as "crime", anything else dropped.
const FTM_TOPICS: [&str; 9] = [
    "crime",
    "crime.boss",
    "crime.fin",
    "crime.fraud",
    "crime.traffick",
    "crime.traffick.human",
    "crime.traffick.drug",
    "forced.labor",
    "wanted",
];

/// The FtM form of a value of FtM property `name`, if it has one.
fn ftm_value(name: &str, value: &str) -> Option<String> {
    if is_country(name) {
        return Some(value.to_ascii_lowercase());
    }
    if name == "imoNumber" {
        // FtM writes IMO numbers with their prefix.
        return Some(if value.starts_with("IMO") { value.to_string() } else { format!("IMO{value}") });
    }
    if name == "phone" {
        // FtM keeps only numbers valid in libphonenumber's metadata (reserved fictional ranges are not).
        let valid = phonenumber::parse(None, value).is_ok_and(|n| phonenumber::is_valid(&n));
        return valid.then(|| value.to_string());
    }
    if name == "topics" {
        return if FTM_TOPICS.contains(&value) {
            Some(value.to_string())
        } else {
            value.starts_with("crime").then(|| "crime".to_string())
        };
    }
    Some(value.to_string())
}

/// Pushes `value` to `props[name]` unless it is there already.
fn add(props: &mut BTreeMap<&'static str, Vec<String>>, name: &'static str, value: String) {
    let values = props.entry(name).or_default();
    if !values.contains(&value) {
        values.push(value);
    }
}

/// Fills the properties FtM requires of `schema` from others where it can;
/// `false` when the entity cannot be written validly (then it is left out).
fn complete(schema: &str, props: &mut BTreeMap<&'static str, Vec<String>>) -> bool {
    let has = |props: &BTreeMap<&'static str, Vec<String>>, p: &str| props.get(p).is_some_and(|v| !v.is_empty());
    match schema {
        "Person" | "Organization" | "Vessel" | "Event" => {
            if !has(props, "name") {
                let fallback = ["imoNumber", "mmsi", "callSign", "summary", "alias", "registrationNumber"]
                    .iter()
                    .find_map(|p| props.get(p).and_then(|v| v.first()).cloned());
                add(props, "name", fallback.unwrap_or_else(|| format!("unnamed {}", schema.to_ascii_lowercase())));
            }
            true
        }
        "UserAccount" => has(props, "username"),
        "Identification" | "Passport" => has(props, "holder") && has(props, "number"),
        _ => true,
    }
}

/// The statements as FtM entities, one JSON object per line, sorted by id; and
/// the number of entities written.
pub fn to_ftm(statements: &[StoredStatement]) -> (String, usize) {
    let sanitised = sanitise(statements);
    let (entities, links) = assemble(&sanitised);
    let schema_of = |e: &Assembled<'_>| {
        let types = e.properties.get("type").map(Vec::as_slice).unwrap_or_default();
        ftm_schema(e.kind, types)
    };

    let mut out: BTreeMap<String, (&'static str, BTreeMap<&'static str, Vec<String>>)> = BTreeMap::new();
    for (id, entity) in &entities {
        let Some(schema) = schema_of(entity) else { continue };
        let mut props = BTreeMap::new();
        for (property, values) in &entity.properties {
            let Some(name) = ftm_property(entity.kind, property) else { continue };
            for value in values {
                if let Some(value) = ftm_value(name, value) {
                    add(&mut props, name, value);
                }
            }
        }
        out.insert(exported_id(id), (schema, props));
    }

    // Links that FtM writes as properties: phones, e-mail addresses, document holders, account owners.
    let mut intervals = Vec::new();
    for link in &links {
        let (Some(source), Some(target)) = (entities.get(link.source), entities.get(link.target)) else { continue };
        let (source_id, target_id) = (exported_id(link.source), exported_id(link.target));
        if link.kind == LinkType::Uses && matches!(target.kind, EntityKind::Phone | EntityKind::Email) {
            let (property, name) =
                if target.kind == EntityKind::Phone { ("number", "phone") } else { ("address", "email") };
            if let Some((schema, props)) = out.get_mut(&source_id)
                && (legal_entity(source.kind) || *schema == "UserAccount")
            {
                for value in target.properties.get(property).into_iter().flatten() {
                    if let Some(value) = ftm_value(name, value) {
                        add(props, name, value);
                    }
                }
            }
            continue;
        }
        if link.kind == LinkType::Uses
            && legal_entity(source.kind)
            && matches!(target.kind, EntityKind::IdentityDocument | EntityKind::SocialAccount)
            && let Some((_, props)) = out.get_mut(&target_id)
        {
            let name = if target.kind == EntityKind::IdentityDocument { "holder" } else { "owner" };
            add(props, name, source_id);
            continue;
        }
        intervals.push(link);
    }
    out.retain(|_, (schema, props)| complete(schema, props));

    for link in intervals {
        let (Some(source), Some(target)) = (entities.get(link.source), entities.get(link.target)) else { continue };
        let (source_id, target_id) = (exported_id(link.source), exported_id(link.target));
        if !out.contains_key(&source_id) || !out.contains_key(&target_id) {
            continue;
        }
        let (schema, from, to) = interval(link.kind, source.kind, target.kind);
        let mut props = BTreeMap::new();
        add(&mut props, from, source_id);
        add(&mut props, to, target_id);
        if schema == "UnknownLink" {
            add(&mut props, "role", link.kind.name().to_string());
        }
        for s in &link.statements {
            add(&mut props, "date", s.observed.clone());
        }
        let id = exported_id(&format!("link:{}:{}:{}", link.source, link.kind.name(), link.target));
        out.insert(id, (schema, props));
    }

    let mut text = String::new();
    for (id, (schema, properties)) in &out {
        let line: Value = json!({ "id": id, "schema": schema, "properties": properties });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    (text, out.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::network;

    fn parse(text: &str) -> Vec<Value> {
        text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
    }

    fn by_schema<'a>(entities: &'a [Value], schema: &str) -> Vec<&'a Value> {
        entities.iter().filter(|e| e["schema"] == schema).collect()
    }

    #[test]
    fn kinds_map_to_schemata_and_phones_become_properties() {
        let (text, count) = to_ftm(&network());
        let entities = parse(&text);
        assert_eq!(entities.len(), count);
        let people = by_schema(&entities, "Person");
        assert_eq!(people.len(), 2);
        let person = people.iter().find(|p| p["id"] == exported_id("BF:P-1")).unwrap();
        assert_eq!(person["properties"]["phone"], json!(["+33612345678"]));
        assert_eq!(person["properties"]["email"], json!(["a@example.org"]));
        assert_eq!(person["properties"]["nationality"], json!(["sd"]));
        assert!(person["properties"].get("notes").is_none(), "notes left");
        assert!(text.find("cafe").is_none());
        assert!(by_schema(&entities, "Phone").is_empty() && by_schema(&entities, "Email").is_empty());
        let passport = by_schema(&entities, "Passport");
        assert_eq!(passport.len(), 1);
        assert_eq!(passport[0]["properties"]["holder"], json!([exported_id("BF:P-1")]));
        assert_eq!(by_schema(&entities, "Vessel")[0]["properties"]["imoNumber"], json!(["IMO9074729"]));
    }

    #[test]
    fn links_become_interval_entities() {
        let entities = parse(&to_ftm(&network()).0);
        let person = exported_id("BF:P-1");
        let membership = by_schema(&entities, "Membership");
        assert_eq!(membership.len(), 1);
        assert_eq!(membership[0]["properties"]["member"], json!([person]));
        assert_eq!(membership[0]["properties"]["organization"], json!([exported_id("NCA:OCG-1")]));
        let ownership = by_schema(&entities, "Ownership");
        assert_eq!(ownership[0]["properties"]["asset"], json!([exported_id("imo:9074729")]));
        let associate = by_schema(&entities, "Associate");
        assert_eq!(associate.len(), 1, "the link to a withheld entity is dropped");
        assert_eq!(associate[0]["properties"]["associate"], json!([person]));
        let unknown = by_schema(&entities, "UnknownLink");
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0]["properties"]["role"], json!(["sighted_at"]));
        assert_eq!(unknown[0]["properties"]["date"], json!(["2024-03-02"]));
    }

    #[test]
    fn ids_are_stable_across_exports_and_never_tessera_ids() {
        let (a, _) = to_ftm(&network());
        let (b, _) = to_ftm(&network());
        assert_eq!(a, b);
        for forbidden in ["BF:P-1", "DEBRIEF", "SUBJ-1", "orig "] {
            assert!(!a.contains(forbidden), "{forbidden} left in {a}");
        }
        for e in parse(&a) {
            let id = e["id"].as_str().unwrap_or_default();
            assert!(id.len() == 40 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
        }
    }

    #[test]
    fn values_are_written_in_the_form_ftm_keeps() {
        assert_eq!(ftm_value("phone", "+447700900123"), None, "Ofcom drama range: FtM drops it");
        assert_eq!(ftm_value("phone", "+33612345678").as_deref(), Some("+33612345678"));
        assert_eq!(ftm_value("phone", "not a number"), None);
        assert_eq!(ftm_value("imoNumber", "9074729").as_deref(), Some("IMO9074729"));
        assert_eq!(ftm_value("nationality", "SD").as_deref(), Some("sd"));
        assert_eq!(ftm_value("topics", "crime.ocg").as_deref(), Some("crime"));
        assert_eq!(ftm_value("topics", "crime.traffick.human").as_deref(), Some("crime.traffick.human"));
        assert_eq!(ftm_value("topics", "misc"), None);
    }

    #[test]
    fn only_ftm_properties_are_written() {
        for kind in EntityKind::ALL {
            for p in kind.properties() {
                if p.name == "notes" {
                    assert_eq!(ftm_property(kind, p.name), None);
                }
            }
        }
        assert_eq!(ftm_property(EntityKind::IdentityDocument, "mrz"), None);
        assert_eq!(ftm_property(EntityKind::Event, "amount"), None);
    }
}
