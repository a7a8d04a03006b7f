//! Turns a report as written in a file (JSON line or mapped CSV row) into a
//! validated [`Report`] and its statements: grading parsed and mapped,
//! markings read, every property value validated and normalised, identifier
//! entities given stable ids, identifiers in the free text extracted.
//! Every problem is reported with the path of the field it concerns.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use tessera_model::identifiers::{IdentifierKind, entity_id_for};
use tessera_model::report::{Origin, PropertyValue, ReportEntity, ReportLink, Statement};
use tessera_model::taxonomy::{Route, StreamCode};
use tessera_model::values::normalize_value;
use tessera_model::{Classification, EntityKind, Grading, LinkType, Markings, Report};

use crate::extract::extract_identifiers;

/// A report as written in a JSON line (see `schema/report.schema.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    /// Report reference.
    pub id: String,
    /// Submitting agency.
    pub agency: String,
    /// Author.
    #[serde(default)]
    pub author: String,
    /// Date, YYYY-MM-DD.
    pub date: String,
    /// Grading.
    pub grading: RawGrading,
    /// Markings.
    pub markings: RawMarkings,
    /// Stream codes.
    #[serde(default)]
    pub streams: Vec<String>,
    /// Route codes.
    #[serde(default)]
    pub routes: Vec<String>,
    /// Free text.
    #[serde(default)]
    pub text: String,
    /// Entities.
    #[serde(default)]
    pub entities: Vec<RawEntity>,
    /// Links.
    #[serde(default)]
    pub links: Vec<RawLink>,
}

/// A grading as written: a bare 3x5x2 code or a scheme with its code.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawGrading {
    /// "1A P".
    Code(String),
    /// {"scheme": "5x5x5", "code": "B2 4", "conditions": "..."}.
    Full {
        /// Scheme name (default 3x5x2).
        #[serde(default)]
        scheme: Option<String>,
        /// Code.
        code: String,
        /// Handling conditions.
        #[serde(default)]
        conditions: Option<String>,
    },
}

/// Markings as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMarkings {
    /// Classification.
    pub classification: String,
    /// Owning agency (default: the submitting agency).
    #[serde(default)]
    pub owner: Option<String>,
    /// Compartments.
    #[serde(default)]
    pub compartments: Vec<String>,
    /// Caveats.
    #[serde(default)]
    pub caveats: Vec<String>,
}

/// An entity as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntity {
    /// Stable id, if the source has one.
    #[serde(default)]
    pub id: Option<String>,
    /// Schema name.
    pub schema: String,
    /// Property → values.
    #[serde(default)]
    pub properties: BTreeMap<String, Vec<String>>,
    /// Observation time.
    #[serde(default)]
    pub observed: Option<String>,
}

/// A link as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    /// Link type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Source: an entity id or "#N".
    pub source: String,
    /// Target: an entity id or "#N".
    pub target: String,
    /// Observation time.
    #[serde(default)]
    pub observed: Option<String>,
}

/// A field-level problem: (field path, message).
pub type FieldError = (String, String);

/// The identifier property through which an entity of each kind gets a stable id when the source gives none.
fn identifying_properties(kind: EntityKind) -> &'static [(&'static str, IdentifierKind)] {
    match kind {
        EntityKind::Phone => &[("number", IdentifierKind::Phone)],
        EntityKind::Email => &[("address", IdentifierKind::Email)],
        EntityKind::BankAccount => &[("iban", IdentifierKind::Iban)],
        EntityKind::CryptoWallet => &[("publicKey", IdentifierKind::Crypto)],
        EntityKind::Vehicle => &[("registrationNumber", IdentifierKind::Plate)],
        EntityKind::Vessel => &[("imoNumber", IdentifierKind::Imo), ("mmsi", IdentifierKind::Mmsi)],
        EntityKind::SocialAccount => &[("username", IdentifierKind::Handle)],
        EntityKind::IdentityDocument => &[("number", IdentifierKind::Passport)],
        _ => &[],
    }
}

/// Validates a raw report; `recorded` stamps its statements. Returns the report
/// and every statement (structured, then extracted from the text), or every
/// field problem found.
pub fn assemble(raw: RawReport, recorded: &str) -> Result<(Report, Vec<Statement>), Vec<FieldError>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut err = |field: &str, message: String| errors.push((field.to_string(), message));

    let id = raw.id.trim().to_string();
    if id.is_empty() || id.len() > 200 {
        err("id", "must be 1 to 200 characters".into());
    }
    let agency = raw.agency.trim().to_string();
    if agency.is_empty() {
        err("agency", "must not be empty".into());
    }
    if tessera_model::time::parse_partial_date(&raw.date).map(|d| d.len() != 10).unwrap_or(true) {
        err("date", format!("{:?} is not a date in the form YYYY-MM-DD", raw.date));
    }
    let grading = match &raw.grading {
        RawGrading::Code(code) => Grading::parse("3x5x2", code, None),
        RawGrading::Full { scheme, code, conditions } => {
            Grading::parse(scheme.as_deref().unwrap_or("3x5x2"), code, conditions.as_deref())
        }
    };
    let grading = grading.map_err(|e| err("grading", e.to_string())).ok();
    let classification = raw
        .markings
        .classification
        .parse::<Classification>()
        .map_err(|e| err("markings.classification", e.to_string()))
        .ok();
    let markings = classification.map(|classification| Markings {
        classification,
        owner: raw
            .markings
            .owner
            .clone()
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .unwrap_or(agency.clone()),
        compartments: clean_list(&raw.markings.compartments),
        caveats: clean_list(&raw.markings.caveats),
    });
    let mut streams = Vec::new();
    for (i, s) in raw.streams.iter().enumerate() {
        match StreamCode::from_name(s.trim()) {
            Some(code) => streams.push(code),
            None => err(&format!("streams[{i}]"), format!("unknown stream {s:?}")),
        }
    }
    let mut routes = Vec::new();
    for (i, r) in raw.routes.iter().enumerate() {
        match Route::from_name(r.trim()) {
            Some(route) => routes.push(route),
            None => err(&format!("routes[{i}]"), format!("unknown route {r:?}")),
        }
    }

    let mut entities: Vec<ReportEntity> = Vec::new();
    for (index, entity) in raw.entities.iter().enumerate() {
        let path = format!("entities[{index}]");
        let Some(kind) = EntityKind::from_name(entity.schema.trim()) else {
            err(&format!("{path}.schema"), format!("unknown schema {:?}", entity.schema));
            continue;
        };
        let mut properties: BTreeMap<String, Vec<PropertyValue>> = BTreeMap::new();
        for (name, values) in &entity.properties {
            let Some(property) = kind.property(name) else {
                err(&format!("{path}.properties.{name}"), format!("{kind} has no property {name:?}"));
                continue;
            };
            for (vi, value) in values.iter().enumerate() {
                match normalize_value(property.kind, value) {
                    Ok(normalized) => {
                        let original = (normalized != *value).then(|| value.clone());
                        properties.entry(name.clone()).or_default().push(PropertyValue { value: normalized, original });
                    }
                    Err(e) => err(&format!("{path}.properties.{name}[{vi}]"), e.to_string()),
                }
            }
        }
        if let Some(observed) = &entity.observed
            && tessera_model::time::parse_partial_date(observed).is_err()
        {
            err(&format!("{path}.observed"), format!("{observed:?} is not a date or date-time"));
        }
        let given = entity.id.as_deref().map(str::trim).filter(|i| !i.is_empty()).map(str::to_string);
        let derived = || {
            identifying_properties(kind).iter().find_map(|(property, identifier)| {
                properties.get(*property).and_then(|v| v.first()).map(|v| entity_id_for(*identifier, &v.value))
            })
        };
        let entity_id = given.or_else(derived).unwrap_or_else(|| format!("{id}#{index}"));
        entities.push(ReportEntity { id: entity_id, kind, properties, observed: entity.observed.clone() });
    }

    // Link ends are "#N" (the N-th entity of this report) or an entity id given in this report.
    let by_given_id: HashMap<&str, usize> =
        raw.entities.iter().enumerate().filter_map(|(i, e)| e.id.as_deref().map(|id| (id.trim(), i))).collect();
    let resolve_end = |end: &str| -> Option<usize> {
        match end.strip_prefix('#') {
            Some(n) => n.parse::<usize>().ok().filter(|n| *n < raw.entities.len()),
            None => by_given_id.get(end.trim()).copied(),
        }
    };
    let mut links = Vec::new();
    for (i, link) in raw.links.iter().enumerate() {
        let path = format!("links[{i}]");
        let kind = LinkType::from_name(link.kind.trim());
        if kind.is_none() {
            err(&format!("{path}.type"), format!("unknown link type {:?}", link.kind));
        }
        let source = resolve_end(&link.source);
        let target = resolve_end(&link.target);
        if source.is_none() {
            err(&format!("{path}.source"), format!("{:?} is not an entity of this report", link.source));
        }
        if target.is_none() {
            err(&format!("{path}.target"), format!("{:?} is not an entity of this report", link.target));
        }
        // An entity with an unknown schema is missing from `entities`, which shifts the indexes; its own
        // error is already reported and the report is refused, so a shifted link never reaches the store.
        let end_id = |n: usize| entities.get(n).map(|e| e.id.clone());
        if let (Some(kind), Some(s), Some(t)) = (kind, source, target)
            && let (Some(source), Some(target)) = (end_id(s), end_id(t))
        {
            links.push(ReportLink { kind, source, target, observed: link.observed.clone() });
        }
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(grading), Some(markings)) = (grading, markings) else {
        return Err(vec![("grading".into(), "missing".into())]);
    };
    let report = Report {
        id,
        agency,
        author: raw.author.trim().to_string(),
        date: raw.date.trim().to_string(),
        grading,
        markings,
        streams,
        routes,
        text: raw.text,
        entities,
        links,
    };
    let mut statements = report.statements(recorded);
    statements.extend(extracted_statements(&report, recorded));
    Ok((report, statements))
}

fn clean_list(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = items.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    out.sort();
    out.dedup();
    out
}

/// Statements for the identifiers found in the report's free text, each on the identifier's own entity.
fn extracted_statements(report: &Report, recorded: &str) -> Vec<Statement> {
    extract_identifiers(&report.text, None)
        .into_iter()
        .map(|found| Statement {
            entity_id: entity_id_for(found.kind, &found.value),
            kind: found.kind.entity_kind(),
            property: found.kind.property().to_string(),
            original: (found.raw != found.value).then(|| found.raw.clone()),
            value: found.value,
            report_id: report.id.clone(),
            agency: report.agency.clone(),
            grading: report.grading.clone(),
            markings: report.markings.clone(),
            observed: report.date.clone(),
            recorded: recorded.to_string(),
            origin: Origin::Extracted,
        })
        .collect()
}
