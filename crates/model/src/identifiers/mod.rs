//! Identifiers validated, not just stored.
//!
//! Every identifier Tessera matches on (phone numbers, e-mail addresses,
//! IBANs, IMO and MMSI numbers, passport numbers and machine-readable zones,
//! vehicle registrations, social handles, cryptocurrency addresses) has a
//! normaliser here that checks it (check digits, checksums, country tables)
//! and returns the one canonical form that two reports must agree on for
//! their entities to meet. [`entity_id_for`] turns that form into a stable
//! entity id.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::schema::EntityKind;

pub mod crypto;
pub mod email;
pub mod handle;
pub mod iban;
pub mod imo;
pub mod mmsi;
pub mod mrz;
pub mod passport;
pub mod phone;
pub mod plate;

/// Why an identifier was rejected. Messages name the identifier and say what is
/// wrong with it, e.g. "IBAN GB29NWBK60161331926818: fails the mod-97 check".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    /// Nothing (or only spaces) was given.
    #[error("no {0} given")]
    Empty(&'static str),
    /// The value has the wrong shape: length, characters or structure.
    #[error("{what} {input}: {problem}")]
    Malformed {
        /// What was being read ("IBAN", "phone number", ...).
        what: &'static str,
        /// The value as read (compacted, and shortened if very long).
        input: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The value is well formed but a check digit or checksum does not match.
    #[error("{what} {input}: {problem}")]
    Checksum {
        /// What was being read ("IBAN", "IMO", ...).
        what: &'static str,
        /// The value as read (compacted, and shortened if very long).
        input: String,
        /// Which check failed and, where useful, what it expected.
        problem: String,
    },
}

impl IdentifierError {
    /// A malformed-value error; `input` is shortened to keep messages readable.
    pub(crate) fn malformed(what: &'static str, input: &str, problem: impl Into<String>) -> Self {
        Self::Malformed { what, input: shorten(input), problem: problem.into() }
    }

    /// A failed-check error; `input` is shortened to keep messages readable.
    pub(crate) fn checksum(what: &'static str, input: &str, problem: impl Into<String>) -> Self {
        Self::Checksum { what, input: shorten(input), problem: problem.into() }
    }

    /// What is wrong, without naming the identifier (for "invalid IBAN: ..." style messages).
    pub fn problem(&self) -> &str {
        match self {
            Self::Empty(_) => "nothing given",
            Self::Malformed { problem, .. } | Self::Checksum { problem, .. } => problem,
        }
    }
}

/// Shortens a value quoted in an error message to at most 60 characters.
fn shorten(input: &str) -> String {
    let input = input.trim();
    if input.chars().count() <= 60 {
        input.to_string()
    } else {
        let mut s: String = input.chars().take(57).collect();
        s.push_str("...");
        s
    }
}

/// The kinds of identifier Tessera validates; each becomes an entity of its own
/// so that reports mentioning the same identifier link up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// Telephone number, E.164.
    Phone,
    /// E-mail address.
    Email,
    /// International Bank Account Number.
    Iban,
    /// IMO ship identification number.
    Imo,
    /// Maritime Mobile Service Identity.
    Mmsi,
    /// Passport or identity-document number.
    Passport,
    /// Vehicle registration plate.
    Plate,
    /// Social-media or messaging handle.
    Handle,
    /// Bitcoin or Ethereum address.
    Crypto,
}

impl IdentifierKind {
    /// Every kind.
    pub const ALL: [IdentifierKind; 9] = [
        Self::Phone,
        Self::Email,
        Self::Iban,
        Self::Imo,
        Self::Mmsi,
        Self::Passport,
        Self::Plate,
        Self::Handle,
        Self::Crypto,
    ];

    /// The kind of entity an identifier of this kind stands for.
    pub fn entity_kind(self) -> EntityKind {
        match self {
            Self::Phone => EntityKind::Phone,
            Self::Email => EntityKind::Email,
            Self::Iban => EntityKind::BankAccount,
            Self::Imo | Self::Mmsi => EntityKind::Vessel,
            Self::Passport => EntityKind::IdentityDocument,
            Self::Plate => EntityKind::Vehicle,
            Self::Handle => EntityKind::SocialAccount,
            Self::Crypto => EntityKind::CryptoWallet,
        }
    }

    /// The property of [`Self::entity_kind`] that holds the identifier's value.
    pub fn property(self) -> &'static str {
        match self {
            Self::Phone | Self::Passport => "number",
            Self::Email => "address",
            Self::Iban => "iban",
            Self::Imo => "imoNumber",
            Self::Mmsi => "mmsi",
            Self::Plate => "registrationNumber",
            Self::Handle => "username",
            Self::Crypto => "publicKey",
        }
    }

    /// The prefix of entity ids derived from identifiers of this kind.
    pub fn id_prefix(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Iban => "iban",
            Self::Imo => "imo",
            Self::Mmsi => "mmsi",
            Self::Passport => "document",
            Self::Plate => "plate",
            Self::Handle => "handle",
            Self::Crypto => "crypto",
        }
    }

    /// Name shown to users and used in error messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Phone => "phone number",
            Self::Email => "e-mail address",
            Self::Iban => "IBAN",
            Self::Imo => "IMO",
            Self::Mmsi => "MMSI",
            Self::Passport => "document number",
            Self::Plate => "vehicle registration",
            Self::Handle => "handle",
            Self::Crypto => "crypto address",
        }
    }

    /// Validates and normalises a raw value of this kind (phones default to the UK).
    pub fn normalize(self, raw: &str) -> Result<String, IdentifierError> {
        match self {
            Self::Phone => phone::normalize_phone(raw, None),
            Self::Email => email::normalize_email(raw),
            Self::Iban => iban::normalize_iban(raw),
            Self::Imo => imo::normalize_imo(raw),
            Self::Mmsi => mmsi::parse_mmsi(raw).map(|m| m.to_string()),
            Self::Passport => passport::normalize_document_number(raw),
            Self::Plate => plate::normalize_plate(raw),
            Self::Handle => handle::normalize_handle(raw),
            Self::Crypto => crypto::normalize_crypto(raw).map(|(_, address)| address),
        }
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The stable entity id of an identifier, from its normalised form: "phone:+447700900123",
/// "iban:GB29NWBK60161331926819", "document:L898902C3", "crypto:btc:1A1z...", "crypto:eth:0x5aae...".
/// Two reports that mention the same identifier thereby assert facts about the same entity.
pub fn entity_id_for(kind: IdentifierKind, normalized: &str) -> String {
    match kind {
        IdentifierKind::Crypto => {
            let chain = if normalized.starts_with("0x") { "eth" } else { "btc" };
            format!("crypto:{chain}:{normalized}")
        }
        _ => format!("{}:{normalized}", kind.id_prefix()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_by_kind() {
        assert_eq!(entity_id_for(IdentifierKind::Phone, "+447700900123"), "phone:+447700900123");
        assert_eq!(entity_id_for(IdentifierKind::Email, "x@y.com"), "email:x@y.com");
        assert_eq!(entity_id_for(IdentifierKind::Imo, "9074729"), "imo:9074729");
        assert_eq!(entity_id_for(IdentifierKind::Mmsi, "235012345"), "mmsi:235012345");
        assert_eq!(entity_id_for(IdentifierKind::Passport, "L898902C3"), "document:L898902C3");
        assert_eq!(entity_id_for(IdentifierKind::Plate, "AB12CDE"), "plate:AB12CDE");
        assert_eq!(entity_id_for(IdentifierKind::Handle, "@name"), "handle:@name");
        assert_eq!(
            entity_id_for(IdentifierKind::Crypto, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            "crypto:btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
        );
        assert_eq!(
            entity_id_for(IdentifierKind::Crypto, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
            "crypto:eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
        );
    }

    #[test]
    fn every_kind_names_a_property_of_its_entity_kind() {
        for kind in IdentifierKind::ALL {
            assert!(kind.entity_kind().property(kind.property()).is_some(), "{kind:?}");
        }
    }

    #[test]
    fn errors_read_well() {
        let err = iban::normalize_iban("GB29 NWBK 6016 1331 9268 18").unwrap_err();
        assert_eq!(err.to_string(), "IBAN GB29NWBK60161331926818: fails the mod-97 check");
        assert_eq!(err.problem(), "fails the mod-97 check");
        let err = imo::normalize_imo("IMO 9074728").unwrap_err();
        assert_eq!(err.to_string(), "IMO 9074728: check digit should be 9");
        assert_eq!(IdentifierError::malformed("x", &"9".repeat(100), "too long").to_string().len(), 72);
    }

    #[test]
    fn normalize_dispatches() {
        assert_eq!(IdentifierKind::Imo.normalize("IMO 9074729").unwrap(), "9074729");
        assert_eq!(IdentifierKind::Mmsi.normalize("235012345").unwrap(), "235012345");
        assert!(IdentifierKind::Iban.normalize("").is_err());
    }
}
