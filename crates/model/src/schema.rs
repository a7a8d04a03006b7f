//! The entity schema: which kinds of entity exist, which properties each has
//! and how each property's values are checked, and which typed links join
//! entities. Names follow FollowTheMoney (FtM) wherever FtM has the concept,
//! so that an FtM export is a mapping, not a translation.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A kind of entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    /// A natural person.
    Person,
    /// A company, agency or organised crime group (topic `crime.ocg`).
    Organization,
    /// A telephone number (FtM models it as a property; Tessera as an entity, so that people sharing one meet).
    Phone,
    /// An e-mail address.
    Email,
    /// An account on a social-media or messaging service (FtM `UserAccount`).
    #[serde(rename = "UserAccount", alias = "SocialAccount")]
    SocialAccount,
    /// A road vehicle.
    Vehicle,
    /// A ship or boat.
    Vessel,
    /// A passport, identity card or other document (FtM `Identification`).
    #[serde(rename = "Identification", alias = "IdentityDocument")]
    IdentityDocument,
    /// A bank account.
    BankAccount,
    /// A cryptocurrency wallet.
    CryptoWallet,
    /// An address or place, with coordinates when known.
    Address,
    /// An event: crossing, interception, arrest, seizure, sighting, payment.
    Event,
}

impl EntityKind {
    /// Every kind, in display order.
    pub const ALL: [EntityKind; 12] = [
        Self::Person,
        Self::Organization,
        Self::Phone,
        Self::Email,
        Self::SocialAccount,
        Self::Vehicle,
        Self::Vessel,
        Self::IdentityDocument,
        Self::BankAccount,
        Self::CryptoWallet,
        Self::Address,
        Self::Event,
    ];

    /// The schema name used in files and the API (FtM's where it has one).
    pub fn name(self) -> &'static str {
        match self {
            Self::Person => "Person",
            Self::Organization => "Organization",
            Self::Phone => "Phone",
            Self::Email => "Email",
            Self::SocialAccount => "UserAccount",
            Self::Vehicle => "Vehicle",
            Self::Vessel => "Vessel",
            Self::IdentityDocument => "Identification",
            Self::BankAccount => "BankAccount",
            Self::CryptoWallet => "CryptoWallet",
            Self::Address => "Address",
            Self::Event => "Event",
        }
    }

    /// Parses a schema name; the issue's own words ("SocialAccount", "IdentityDocument", "Location") are accepted too.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "SocialAccount" => Some(Self::SocialAccount),
            "IdentityDocument" | "Passport" => Some(Self::IdentityDocument),
            "Location" => Some(Self::Address),
            "Company" | "LegalEntity" => Some(Self::Organization),
            _ => Self::ALL.into_iter().find(|k| k.name() == name),
        }
    }

    /// The properties an entity of this kind may carry.
    pub fn properties(self) -> &'static [Property] {
        use PropertyType as T;
        macro_rules! props {
            ($($name:literal : $ty:expr),* $(,)?) => {{
                const P: &[Property] = &[$(Property { name: $name, kind: $ty }),*];
                P
            }};
        }
        match self {
            Self::Person => props!(
                "name": T::Name, "alias": T::Name, "firstName": T::Name, "lastName": T::Name,
                "birthDate": T::Date, "birthPlace": T::Text, "nationality": T::Country, "gender": T::Text,
                "passportNumber": T::Identifier, "idNumber": T::Identifier, "notes": T::Text, "country": T::Country,
                "role": T::Text, "sameAs": T::EntityRef, "differentFrom": T::EntityRef,
            ),
            Self::Organization => props!(
                "name": T::Name, "alias": T::Name, "topics": T::Text, "country": T::Country,
                "registrationNumber": T::Identifier, "notes": T::Text, "modusOperandi": T::Text,
                "sameAs": T::EntityRef, "differentFrom": T::EntityRef,
            ),
            Self::Phone => props!("number": T::Phone, "country": T::Country, "notes": T::Text),
            Self::Email => props!("address": T::Email, "notes": T::Text),
            Self::SocialAccount => props!(
                "username": T::Handle, "service": T::Text, "name": T::Name, "notes": T::Text,
            ),
            Self::Vehicle => props!(
                "registrationNumber": T::Plate, "model": T::Text, "type": T::Text, "country": T::Country,
                "notes": T::Text, "sameAs": T::EntityRef, "differentFrom": T::EntityRef,
            ),
            Self::Vessel => props!(
                "name": T::Name, "imoNumber": T::Imo, "mmsi": T::Mmsi, "callSign": T::Identifier,
                "flag": T::Country, "type": T::Text, "notes": T::Text,
                "sameAs": T::EntityRef, "differentFrom": T::EntityRef,
            ),
            Self::IdentityDocument => props!(
                "number": T::Identifier, "type": T::Text, "country": T::Country, "authority": T::Text,
                "documentStatus": T::DocumentStatus, "mrz": T::Mrz, "notes": T::Text,
            ),
            Self::BankAccount => props!(
                "iban": T::Iban, "accountNumber": T::Identifier, "bankName": T::Text, "country": T::Country,
                "notes": T::Text,
            ),
            Self::CryptoWallet => props!("publicKey": T::Crypto, "currency": T::Text, "notes": T::Text),
            Self::Address => props!(
                "full": T::Text, "city": T::Text, "country": T::Country, "latitude": T::Latitude,
                "longitude": T::Longitude, "notes": T::Text,
            ),
            Self::Event => props!(
                "eventType": T::EventType, "date": T::Date, "summary": T::Text, "country": T::Country,
                "amount": T::Number, "currency": T::Text, "notes": T::Text,
            ),
        }
    }

    /// The property of this kind with the given name.
    pub fn property(self, name: &str) -> Option<&'static Property> {
        self.properties().iter().find(|p| p.name == name)
    }

    /// Whether entities of this kind go through entity resolution. Persons,
    /// organisations, vessels and vehicles do: agencies give them their own
    /// nominal ids. Phones, e-mails, documents, accounts and wallets do not
    /// need to: their entity id is derived from the normalised identifier
    /// (`phone:+447700900123`), so every report that carries the identifier
    /// already names one entity. Addresses and events are not resolved yet.
    pub fn is_resolved(self) -> bool {
        matches!(self, Self::Person | Self::Organization | Self::Vessel | Self::Vehicle)
    }

    /// The property that names an entity of this kind in lists (its caption, as FtM calls it).
    pub fn caption_property(self) -> &'static str {
        match self {
            Self::Phone => "number",
            Self::Email => "address",
            Self::SocialAccount => "username",
            Self::Vehicle => "registrationNumber",
            Self::IdentityDocument => "number",
            Self::BankAccount => "iban",
            Self::CryptoWallet => "publicKey",
            Self::Address => "full",
            Self::Event => "summary",
            Self::Person | Self::Organization | Self::Vessel => "name",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A property of an entity kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Property {
    /// FtM-style camelCase name.
    pub name: &'static str,
    /// How its values are checked and normalised.
    pub kind: PropertyType,
}

/// How the values of a property are checked and normalised at ingest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropertyType {
    /// A person's or organisation's name: indexed for variant-tolerant search.
    Name,
    /// Free text.
    Text,
    /// A date, possibly partial (YYYY, YYYY-MM or YYYY-MM-DD).
    Date,
    /// An ISO 3166-1 country.
    Country,
    /// A telephone number (normalised to E.164).
    Phone,
    /// An e-mail address.
    Email,
    /// An IBAN (mod-97 checked).
    Iban,
    /// An IMO ship number (check digit).
    Imo,
    /// A Maritime Mobile Service Identity (nine digits, MID gives the flag).
    Mmsi,
    /// A passport's machine-readable zone (ICAO 9303 check digits).
    Mrz,
    /// A cryptocurrency address (checksummed).
    Crypto,
    /// A vehicle registration plate.
    Plate,
    /// A social-media or messaging handle ("@name", lower-cased).
    Handle,
    /// Any other identifier: stored upper-cased without spaces for matching.
    Identifier,
    /// The status of an identity document.
    DocumentStatus,
    /// The type of an event.
    EventType,
    /// A decimal number.
    Number,
    /// Latitude in decimal degrees.
    Latitude,
    /// Longitude in decimal degrees.
    Longitude,
    /// The id of another entity of the same kind: the value of an analyst's
    /// resolution decision ([`SAME_AS`], [`DIFFERENT_FROM`]).
    EntityRef,
}

/// An analyst's decision that the entity is the same real-world entity as the
/// one whose id is the value. Stored as a statement of a report the analyst
/// authors, so it carries provenance and markings like any fact, can be undone
/// by a later decision, and every resolution run obeys it.
pub const SAME_AS: &str = "sameAs";

/// An analyst's decision that the entity is NOT the entity whose id is the
/// value (a rejected match, or one side of a split cluster). When decisions
/// conflict, "different" wins.
pub const DIFFERENT_FROM: &str = "differentFrom";

/// Whether a property records a resolution decision rather than a fact about the entity.
pub fn is_decision_property(property: &str) -> bool {
    property == SAME_AS || property == DIFFERENT_FROM
}

/// The typed links that join two entities. A link is stored as a statement
/// on its source entity whose property is the link type and whose value is
/// the target entity's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkType {
    /// Criminal or social associate (FtM `Associate`).
    Associate,
    /// Relative (FtM `Family`).
    Family,
    /// Member of an organisation or group (FtM `Membership`).
    MemberOf,
    /// Uses a phone, account, vehicle, vessel or document.
    Uses,
    /// Owns an asset (FtM `Ownership`).
    Owns,
    /// Paid money to (FtM `Payment`).
    Paid,
    /// Travelled on a vessel or vehicle, or in an event.
    TravelledOn,
    /// Seen at a place or event.
    SightedAt,
    /// Was in contact with.
    CommunicatedWith,
    /// Employed by (FtM `Employment`).
    EmployedBy,
}

/// Reads a comma-separated list of names (link types, entity kinds) as the API and the command line
/// take them: blanks ignored, repeats dropped; `Err` carries the first name `parse` does not know.
pub fn parse_list<T: PartialEq>(list: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, String> {
    let mut out = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let item = parse(name).ok_or_else(|| name.to_string())?;
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

impl LinkType {
    /// Every link type.
    pub const ALL: [LinkType; 10] = [
        Self::Associate,
        Self::Family,
        Self::MemberOf,
        Self::Uses,
        Self::Owns,
        Self::Paid,
        Self::TravelledOn,
        Self::SightedAt,
        Self::CommunicatedWith,
        Self::EmployedBy,
    ];

    /// The name used in files, statements and the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Associate => "associate",
            Self::Family => "family",
            Self::MemberOf => "member_of",
            Self::Uses => "uses",
            Self::Owns => "owns",
            Self::Paid => "paid",
            Self::TravelledOn => "travelled_on",
            Self::SightedAt => "sighted_at",
            Self::CommunicatedWith => "communicated_with",
            Self::EmployedBy => "employed_by",
        }
    }

    /// Parses a link type name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }

    /// Every link type name, comma-separated, for messages that say what is accepted.
    pub fn names() -> String {
        Self::ALL.iter().map(|l| l.name()).collect::<Vec<_>>().join(", ")
    }

    /// The FollowTheMoney schema that represents this link, where FtM has one.
    pub fn ftm_schema(self) -> &'static str {
        match self {
            Self::Associate => "Associate",
            Self::Family => "Family",
            Self::MemberOf => "Membership",
            Self::Owns => "Ownership",
            Self::Paid => "Payment",
            Self::EmployedBy => "Employment",
            Self::Uses | Self::TravelledOn | Self::SightedAt | Self::CommunicatedWith => "UnknownLink",
        }
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The status of an identity document.
pub const DOCUMENT_STATUSES: [&str; 5] = ["genuine", "forged", "counterfeit", "fraudulently_obtained", "impostor"];

/// The types of event.
pub const EVENT_TYPES: [&str; 6] = ["crossing", "interception", "arrest", "seizure", "sighting", "payment"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_lists_drop_blanks_and_repeats_and_name_the_unknown() {
        assert_eq!(parse_list("paid, family,,paid", LinkType::from_name), Ok(vec![LinkType::Paid, LinkType::Family]));
        assert_eq!(parse_list("paid,bribed", LinkType::from_name), Err("bribed".to_string()));
        assert_eq!(parse_list("", EntityKind::from_name), Ok(vec![]));
    }

    #[test]
    fn every_kind_round_trips_its_name_and_has_its_caption_property() {
        for kind in EntityKind::ALL {
            assert_eq!(EntityKind::from_name(kind.name()), Some(kind));
            assert!(kind.property(kind.caption_property()).is_some(), "{kind} lacks its caption property");
        }
        assert_eq!(EntityKind::from_name("IdentityDocument"), Some(EntityKind::IdentityDocument));
        assert_eq!(EntityKind::from_name("Spaceship"), None);
    }

    #[test]
    fn resolved_kinds_carry_the_decision_properties() {
        for kind in EntityKind::ALL {
            let has = kind.property(SAME_AS).is_some() && kind.property(DIFFERENT_FROM).is_some();
            assert_eq!(has, kind.is_resolved(), "{kind}");
        }
        assert!(is_decision_property("sameAs") && !is_decision_property("name"));
    }

    #[test]
    fn link_types_round_trip() {
        for link in LinkType::ALL {
            assert_eq!(LinkType::from_name(link.name()), Some(link));
        }
    }
}
