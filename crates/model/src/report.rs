//! Intelligence reports and the statements they carry.
//!
//! A report is what an agency submits: reference, author, date, grading,
//! markings, streams, routes, free text, and the entities and links it
//! asserts. Ingest turns every property value and every link into a
//! [`Statement`] that carries the report's provenance. Statements are never
//! updated: a correction is a new statement from a new report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::grading::Grading;
use crate::marking::Markings;
use crate::schema::{EntityKind, LinkType};
use crate::taxonomy::{Route, StreamCode};

/// A validated intelligence report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report reference, unique across the store.
    pub id: String,
    /// Submitting agency's code.
    pub agency: String,
    /// Author or submitting officer's reference.
    pub author: String,
    /// Date of the report (YYYY-MM-DD).
    pub date: String,
    /// Grading, mapped to 3x5x2 with the original kept.
    pub grading: Grading,
    /// Protective marking.
    pub markings: Markings,
    /// Threat streams the report concerns.
    pub streams: Vec<StreamCode>,
    /// Migratory routes the report concerns.
    pub routes: Vec<Route>,
    /// Free text.
    pub text: String,
    /// Entities asserted by the report, with their properties.
    pub entities: Vec<ReportEntity>,
    /// Links asserted by the report.
    pub links: Vec<ReportLink>,
}

/// An entity as one report describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportEntity {
    /// Stable entity id (given, or derived from a normalised identifier).
    pub id: String,
    /// Kind of entity.
    pub kind: EntityKind,
    /// Property name → values, each already validated and normalised.
    pub properties: BTreeMap<String, Vec<PropertyValue>>,
    /// When the facts were observed, if not on the report date.
    pub observed: Option<String>,
}

/// One property value: the normalised form used for matching, and the text as the source wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyValue {
    /// Canonical form (E.164 phone, compact IBAN, ISO country code, ...).
    pub value: String,
    /// As written by the source, when it differs from `value`.
    pub original: Option<String>,
}

/// A typed link asserted by a report, between two entity ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLink {
    /// Type of link.
    pub kind: LinkType,
    /// Source entity id.
    pub source: String,
    /// Target entity id.
    pub target: String,
    /// When the link was observed, if not on the report date.
    pub observed: Option<String>,
}

/// Where a statement's value came from inside its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A structured field of the report.
    Structured,
    /// Extracted from the report's free text.
    Extracted,
}

impl Origin {
    /// Stable name for storage.
    pub fn name(self) -> &'static str {
        match self {
            Self::Structured => "structured",
            Self::Extracted => "extracted",
        }
    }

    /// Parses a stored name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "structured" => Some(Self::Structured),
            "extracted" => Some(Self::Extracted),
            _ => None,
        }
    }
}

/// One fact with its provenance: which entity, which property, which value,
/// from which report, by which agency, under which grading and markings,
/// observed and recorded when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Entity the fact is about.
    pub entity_id: String,
    /// Kind of that entity, as the report stated it.
    pub kind: EntityKind,
    /// Property name, or a link type name for links.
    pub property: String,
    /// Normalised value (for a link, the target entity id).
    pub value: String,
    /// The value as the source wrote it, when it differs.
    pub original: Option<String>,
    /// Report the fact came from.
    pub report_id: String,
    /// Agency that submitted the report.
    pub agency: String,
    /// Grading of the report.
    pub grading: Grading,
    /// Markings of the report.
    pub markings: Markings,
    /// When the fact was observed.
    pub observed: String,
    /// When Tessera recorded it (RFC 3339, UTC).
    pub recorded: String,
    /// Whether it came from a structured field or the free text.
    pub origin: Origin,
}

impl Statement {
    /// Whether this statement is a link to another entity.
    pub fn link_type(&self) -> Option<LinkType> {
        LinkType::from_name(&self.property)
    }
}

impl Report {
    /// Every statement the report asserts, recorded at `recorded`.
    /// Extracted identifiers are added by ingest, which knows the text.
    pub fn statements(&self, recorded: &str) -> Vec<Statement> {
        let mut out = Vec::new();
        let make =
            |entity: &str, kind: EntityKind, property: &str, value: &PropertyValue, observed: &Option<String>| {
                Statement {
                    entity_id: entity.to_string(),
                    kind,
                    property: property.to_string(),
                    value: value.value.clone(),
                    original: value.original.clone(),
                    report_id: self.id.clone(),
                    agency: self.agency.clone(),
                    grading: self.grading.clone(),
                    markings: self.markings.clone(),
                    observed: observed.clone().unwrap_or_else(|| self.date.clone()),
                    recorded: recorded.to_string(),
                    origin: Origin::Structured,
                }
            };
        for entity in &self.entities {
            for (property, values) in &entity.properties {
                for value in values {
                    out.push(make(&entity.id, entity.kind, property, value, &entity.observed));
                }
            }
        }
        for link in &self.links {
            let kind = self.entities.iter().find(|e| e.id == link.source).map(|e| e.kind).unwrap_or(EntityKind::Person);
            let value = PropertyValue { value: link.target.clone(), original: None };
            out.push(make(&link.source, kind, link.kind.name(), &value, &link.observed));
        }
        out
    }
}
