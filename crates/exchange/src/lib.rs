//! Interchange with the tools partners run: exports of statements as
//! FollowTheMoney entities (Aleph), STIX 2.1 bundles (OpenCTI, MISP) and CSV.
//!
//! Everything here is a pure function from the statements the store has
//! already cleared for a recipient ([`tessera_store::Store::exportable_statements`],
//! which asks [`tessera_access::Policy::may_export`]) to the bytes that leave.
//! This crate decides nothing about access; it decides what a statement looks
//! like outside Tessera, and it sanitises.
//!
//! # Sanitisation rules (applied by [`sanitise`] before every format)
//!
//! Nothing that identifies a source leaves:
//! 1. Only statements leave: never a report's author, free text, source file
//!    or handling conditions (statements do not carry them; the formats
//!    below never ask the store for reports).
//! 2. `notes` properties are dropped (they are the officer's words about the
//!    subject and often name how the fact was learnt), and so are analysts'
//!    resolution decisions (`sameAs`, `differentFrom`): their values are
//!    Tessera entity ids, and they are the hub's analysis, not a fact.
//! 3. The value "as the source wrote it" (`original`) is dropped; only the
//!    normalised value leaves.
//! 4. Statements from migrant debriefs (agency `DEBRIEF`) carry no report
//!    reference: it is replaced by a reference local to this dissemination
//!    (`LOCAL-1`, `LOCAL-2`, ... in order of first appearance), which cannot
//!    be matched to the debrief or across disseminations.
//! 5. Entity ids never leave as Tessera ids (which embed agency references
//!    such as a debrief subject number): every format uses [`exported_id`],
//!    a SHA-256 of the Tessera id, stable across exports so that a partner's
//!    re-import updates the same entities.
//! 6. A link leaves only when its target entity leaves too (it has at least
//!    one exported statement), so no export points at something withheld.
//!
//! # Formats
//! - [`ftm`]: FollowTheMoney entities, one JSON object per line, as Aleph's
//!   `ftm` tools and `alephclient write-entities` import them.
//! - [`stix`]: one STIX 2.1 bundle, with gradings mapped to `confidence` and
//!   markings to marking definitions (TLP included).
//! - [`csv`]: one row per statement with its provenance.
//!
//! Imports (first step): [`import::ftm_to_report`] reads a partner's FtM
//! entities into one Tessera report in the ingest format.

pub mod csv;
pub mod ftm;
pub mod import;
pub mod stix;
pub mod stix_import;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};
use tessera_model::{EntityKind, Grading, LinkType, Markings};
use tessera_store::StoredStatement;

/// The agency whose report references are never exported (migrant debriefs).
pub const DEBRIEF_AGENCY: &str = "DEBRIEF";

/// An output format, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// FollowTheMoney entities as JSON lines (Aleph).
    Ftm,
    /// A STIX 2.1 bundle (OpenCTI, MISP).
    Stix,
    /// CSV, one row per statement.
    Csv,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Self::Ftm, Self::Stix, Self::Csv];

    /// The format's name ("ftm", "stix", "csv"), as recorded in the dissemination log.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ftm => "ftm",
            Self::Stix => "stix",
            Self::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of "ftm", "stix", "csv".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format {0:?} (expected ftm, stix or csv)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ftm" | "followthemoney" => Ok(Self::Ftm),
            "stix" | "stix2" | "stix2.1" => Ok(Self::Stix),
            "csv" => Ok(Self::Csv),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

/// A statement after sanitisation: what may be written out.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportStatement {
    /// Store id of the statement (kept for the dissemination record, never written out).
    pub statement_id: i64,
    /// Tessera entity id (only ever written out through [`exported_id`]).
    pub entity: String,
    /// Kind of the entity.
    pub kind: EntityKind,
    /// Property name, or link type name.
    pub property: String,
    /// Normalised value (for a link, the target's Tessera id).
    pub value: String,
    /// Report reference, or a dissemination-local reference for debriefs.
    pub report_ref: String,
    /// Agency that submitted the report.
    pub agency: String,
    /// Grading of the report.
    pub grading: Grading,
    /// Markings of the report.
    pub markings: Markings,
    /// When the fact was observed.
    pub observed: String,
    /// When Tessera recorded it.
    pub recorded: String,
}

impl ExportStatement {
    /// The link type, if this statement is a link.
    pub fn link_type(&self) -> Option<LinkType> {
        LinkType::from_name(&self.property)
    }
}

/// Applies the sanitisation rules of the crate documentation, keeping store order.
pub fn sanitise(statements: &[StoredStatement]) -> Vec<ExportStatement> {
    let mut local_refs: BTreeMap<&str, String> = BTreeMap::new();
    let mut kept: Vec<ExportStatement> = Vec::new();
    for stored in statements {
        let s = &stored.statement;
        if s.property == "notes" || tessera_model::schema::is_decision_property(&s.property) {
            continue;
        }
        let report_ref = if s.agency.eq_ignore_ascii_case(DEBRIEF_AGENCY) {
            let next = local_refs.len() + 1;
            local_refs.entry(s.report_id.as_str()).or_insert_with(|| format!("LOCAL-{next}")).clone()
        } else {
            s.report_id.clone()
        };
        kept.push(ExportStatement {
            statement_id: stored.id,
            entity: s.entity_id.clone(),
            kind: s.kind,
            property: s.property.clone(),
            value: s.value.clone(),
            report_ref,
            agency: s.agency.clone(),
            grading: s.grading.clone(),
            markings: s.markings.clone(),
            observed: s.observed.clone(),
            recorded: s.recorded.clone(),
        });
    }
    let present: BTreeSet<String> = kept.iter().map(|s| s.entity.clone()).collect();
    kept.retain(|s| s.link_type().is_none() || present.contains(&s.value));
    kept
}

/// Hex of the SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// The id an entity carries outside Tessera: the first 40 hex digits of the
/// SHA-256 of `"tessera:" + id`. Stable, so re-exports update the same entities.
pub fn exported_id(tessera_id: &str) -> String {
    let mut hex = sha256_hex(format!("tessera:{tessera_id}").as_bytes());
    hex.truncate(40);
    hex
}

/// A deterministic UUID-shaped identifier from the SHA-256 of `namespace` and
/// `name`, with the version nibble set to `version` (4 or 5) and the RFC 4122
/// variant bits, so that STIX and other consumers accept it.
pub fn deterministic_uuid(namespace: &str, name: &str, version: u8) -> String {
    let digest = Sha256::digest(format!("{namespace}\u{0}{name}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | ((version & 0x0f) << 4);
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The markings banner that goes out with exported material: classification
/// and caveats (exported material is never compartmented).
pub fn export_banner(markings: &Markings) -> String {
    let mut out = markings.classification.as_str().to_string();
    for caveat in &markings.caveats {
        out.push_str(" - ");
        out.push_str(caveat);
    }
    out
}

/// An entity assembled from its exported statements.
#[derive(Debug, Clone)]
pub(crate) struct Assembled<'a> {
    /// Kind (of its first statement).
    pub kind: EntityKind,
    /// Property → distinct values, in order of first appearance.
    pub properties: BTreeMap<&'a str, Vec<&'a str>>,
    /// Every statement about it (links included).
    pub statements: Vec<&'a ExportStatement>,
}

/// A link assembled from the statements that assert it.
#[derive(Debug, Clone)]
pub(crate) struct AssembledLink<'a> {
    /// Type of link.
    pub kind: LinkType,
    /// Source entity (Tessera id).
    pub source: &'a str,
    /// Target entity (Tessera id).
    pub target: &'a str,
    /// The statements asserting it.
    pub statements: Vec<&'a ExportStatement>,
}

/// Entities by Tessera id and distinct links, from sanitised statements.
pub(crate) fn assemble(statements: &[ExportStatement]) -> (BTreeMap<&str, Assembled<'_>>, Vec<AssembledLink<'_>>) {
    let mut entities: BTreeMap<&str, Assembled<'_>> = BTreeMap::new();
    let mut links: BTreeMap<(&str, LinkType, &str), Vec<&ExportStatement>> = BTreeMap::new();
    for s in statements {
        let entity = entities.entry(s.entity.as_str()).or_insert_with(|| Assembled {
            kind: s.kind,
            properties: BTreeMap::new(),
            statements: Vec::new(),
        });
        entity.statements.push(s);
        match s.link_type() {
            Some(kind) => links.entry((s.entity.as_str(), kind, s.value.as_str())).or_default().push(s),
            None => {
                let values = entity.properties.entry(s.property.as_str()).or_default();
                if !values.contains(&s.value.as_str()) {
                    values.push(s.value.as_str());
                }
            }
        }
    }
    let links = links
        .into_iter()
        .map(|((source, kind, target), statements)| AssembledLink { kind, source, target, statements })
        .collect();
    (entities, links)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Statements for the tests of every format.

    use tessera_model::report::{Origin, Statement};
    use tessera_model::{Classification, EntityKind, Grading, Markings};
    use tessera_store::StoredStatement;

    /// A statement with the given essentials, graded 2B P, OFFICIAL-SENSITIVE.
    pub fn st(id: i64, entity: &str, kind: EntityKind, property: &str, value: &str, agency: &str) -> StoredStatement {
        StoredStatement {
            id,
            statement: Statement {
                entity_id: entity.into(),
                kind,
                property: property.into(),
                value: value.into(),
                original: Some(format!("orig {value}")),
                report_id: format!("{agency}-2024-{id:06}"),
                agency: agency.into(),
                grading: Grading::parse("3x5x2", "2B P", None).unwrap_or_else(|e| panic!("{e}")),
                markings: Markings {
                    classification: Classification::OfficialSensitive,
                    owner: agency.into(),
                    compartments: vec![],
                    caveats: vec![],
                },
                observed: "2024-03-02".into(),
                recorded: "2026-11-28T01:02:03Z".into(),
                origin: Origin::Structured,
            },
        }
    }

    /// A small network: a person using a phone, an e-mail and a passport, member of an OCG,
    /// owning a vessel, with a debrief statement and a note.
    pub fn network() -> Vec<StoredStatement> {
        use EntityKind as K;
        vec![
            st(1, "BF:P-1", K::Person, "name", "Mohammed Abdelrahman", "BF"),
            st(2, "BF:P-1", K::Person, "nationality", "SD", "BF"),
            st(3, "BF:P-1", K::Person, "notes", "met the source at the cafe", "BF"),
            st(4, "phone:+33612345678", K::Phone, "number", "+33612345678", "BF"),
            st(5, "BF:P-1", K::Person, "uses", "phone:+33612345678", "BF"),
            st(6, "email:a@example.org", K::Email, "address", "a@example.org", "BF"),
            st(7, "BF:P-1", K::Person, "uses", "email:a@example.org", "BF"),
            st(8, "NCA:OCG-1", K::Organization, "name", "Zuwara network", "NCA"),
            st(9, "BF:P-1", K::Person, "member_of", "NCA:OCG-1", "NCA"),
            st(10, "imo:9074729", K::Vessel, "name", "SEA STAR", "NCA"),
            st(11, "imo:9074729", K::Vessel, "imoNumber", "IMO9074729", "NCA"),
            st(12, "BF:P-1", K::Person, "owns", "imo:9074729", "NCA"),
            st(13, "DEBRIEF:SUBJ-1", K::Person, "name", "Muhammad Abd al-Rahman", "DEBRIEF"),
            st(14, "DEBRIEF:SUBJ-1", K::Person, "associate", "BF:P-1", "DEBRIEF"),
            st(15, "passport:X123", K::IdentityDocument, "number", "X123", "BF"),
            st(16, "passport:X123", K::IdentityDocument, "type", "passport", "BF"),
            st(17, "BF:P-1", K::Person, "uses", "passport:X123", "BF"),
            st(18, "BF:P-1", K::Person, "associate", "WITHHELD:P-9", "BF"),
            st(19, "addr:1", K::Address, "full", "Loon-Plage, France", "BF"),
            st(20, "addr:1", K::Address, "country", "FR", "BF"),
            st(21, "addr:1", K::Address, "latitude", "51.0", "BF"),
            st(22, "addr:1", K::Address, "longitude", "2.2", "BF"),
            st(23, "BF:P-1", K::Person, "sighted_at", "addr:1", "BF"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::testing::network;
    use super::*;

    #[test]
    fn sanitising_drops_notes_debrief_references_and_dangling_links() {
        let out = sanitise(&network());
        assert!(out.iter().all(|s| s.property != "notes"));
        assert!(out.iter().all(|s| s.value != "WITHHELD:P-9"), "link to a withheld entity left");
        let debrief: Vec<_> = out.iter().filter(|s| s.agency == DEBRIEF_AGENCY).collect();
        assert!(!debrief.is_empty());
        assert!(debrief.iter().all(|s| s.report_ref.starts_with("LOCAL-")), "{debrief:?}");
        assert!(out.iter().any(|s| s.report_ref == "BF-2024-000001"));
    }

    #[test]
    fn ids_are_stable_and_uuids_well_formed() {
        assert_eq!(exported_id("BF:P-1"), exported_id("BF:P-1"));
        assert_ne!(exported_id("BF:P-1"), exported_id("BF:P-2"));
        assert_eq!(exported_id("BF:P-1").len(), 40);
        let u = deterministic_uuid("ns", "x", 4);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(u, deterministic_uuid("ns", "x", 4));
        assert!(deterministic_uuid("ns", "x", 5).chars().nth(14) == Some('5'));
    }

    #[test]
    fn formats_parse() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert!("xml".parse::<Format>().is_err());
    }
}
