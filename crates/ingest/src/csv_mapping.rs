//! Reading intelligence reports from CSV with a column-mapping file. Each
//! row is one report; the mapping (JSON) says which column feeds which field
//! of the report, its entities and its links. See `docs/csv-mapping.md`.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::assemble::{RawEntity, RawGrading, RawLink, RawMarkings, RawReport, assemble};
use crate::error::{IngestError, InputError, Problems};
use crate::jsonl::Assembled;

/// Where a field's value comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Source {
    /// A column, by header name.
    Column(String),
    /// A column with options, or a constant.
    Spec {
        /// Header name of the column.
        #[serde(default)]
        column: Option<String>,
        /// A constant value (used when no column is given, or the cell is empty).
        #[serde(default)]
        value: Option<String>,
        /// Split the cell into several values on this separator.
        #[serde(default)]
        split: Option<String>,
        /// Put this before the value (e.g. an agency prefix on nominal references).
        #[serde(default)]
        prefix: Option<String>,
    },
}

/// How the report fields map to columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportMapping {
    /// Report reference.
    pub id: Source,
    /// Agency.
    pub agency: Source,
    /// Author.
    #[serde(default)]
    pub author: Option<Source>,
    /// Report date.
    pub date: Source,
    /// Grading code.
    pub grading: Source,
    /// Grading scheme (default 3x5x2).
    #[serde(default)]
    pub grading_scheme: Option<Source>,
    /// Handling conditions.
    #[serde(default)]
    pub conditions: Option<Source>,
    /// Classification.
    pub classification: Source,
    /// Owning agency.
    #[serde(default)]
    pub owner: Option<Source>,
    /// Compartments.
    #[serde(default)]
    pub compartments: Option<Source>,
    /// Caveats.
    #[serde(default)]
    pub caveats: Option<Source>,
    /// Streams.
    #[serde(default)]
    pub streams: Option<Source>,
    /// Routes.
    #[serde(default)]
    pub routes: Option<Source>,
    /// Free text.
    #[serde(default)]
    pub text: Option<Source>,
}

/// How one entity of each row maps to columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityMapping {
    /// Schema name.
    pub schema: String,
    /// Entity id.
    #[serde(default)]
    pub id: Option<Source>,
    /// Property → source.
    pub properties: BTreeMap<String, Source>,
}

/// A link between two mapped entities, by their position in `entities`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkMapping {
    /// Link type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Index of the source entity mapping.
    pub source: usize,
    /// Index of the target entity mapping.
    pub target: usize,
}

/// A whole mapping file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Field delimiter (default ",").
    #[serde(default)]
    pub delimiter: Option<String>,
    /// Order of day, month and year in dates written with slashes or dots: "dmy" (default), "mdy" or "ymd".
    #[serde(default)]
    pub date_order: Option<String>,
    /// Report fields.
    pub report: ReportMapping,
    /// Entities of each row.
    #[serde(default)]
    pub entities: Vec<EntityMapping>,
    /// Links of each row.
    #[serde(default)]
    pub links: Vec<LinkMapping>,
}

impl Mapping {
    /// Reads a mapping file's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, IngestError> {
        let mapping: Mapping = serde_json::from_str(text).map_err(|e| IngestError::Mapping {
            file: file.to_string(),
            message: format!("not a valid mapping: {e}"),
        })?;
        for (i, link) in mapping.links.iter().enumerate() {
            if link.source >= mapping.entities.len() || link.target >= mapping.entities.len() {
                return Err(IngestError::Mapping {
                    file: file.to_string(),
                    message: format!("links[{i}] refers to an entity mapping that does not exist"),
                });
            }
        }
        if let Some(order) = &mapping.date_order
            && !matches!(order.as_str(), "dmy" | "mdy" | "ymd")
        {
            return Err(IngestError::Mapping {
                file: file.to_string(),
                message: format!("date_order {order:?} must be dmy, mdy or ymd"),
            });
        }
        Ok(mapping)
    }

    fn sources(&self) -> Vec<&Source> {
        let r = &self.report;
        let mut out = vec![&r.id, &r.agency, &r.date, &r.grading, &r.classification];
        out.extend(
            [
                &r.author,
                &r.grading_scheme,
                &r.conditions,
                &r.owner,
                &r.compartments,
                &r.caveats,
                &r.streams,
                &r.routes,
                &r.text,
            ]
            .into_iter()
            .flatten(),
        );
        for e in &self.entities {
            out.extend(e.id.iter());
            out.extend(e.properties.values());
        }
        out
    }
}

/// One row's cells by header name.
struct Row<'a> {
    cells: &'a csv::StringRecord,
    columns: &'a HashMap<String, usize>,
}

impl Row<'_> {
    fn values(&self, source: &Source) -> Vec<String> {
        let (column, constant, split, prefix) = match source {
            Source::Column(c) => (Some(c), None, None, None),
            Source::Spec { column, value, split, prefix } => {
                (column.as_ref(), value.as_ref(), split.as_ref(), prefix.as_ref())
            }
        };
        let cell =
            column.and_then(|c| self.columns.get(c)).and_then(|i| self.cells.get(*i)).map(str::trim).unwrap_or("");
        let cell = if cell.is_empty() { constant.map(String::as_str).unwrap_or("") } else { cell };
        let parts: Vec<&str> = match split {
            Some(sep) if !sep.is_empty() => cell.split(sep.as_str()).map(str::trim).collect(),
            _ => vec![cell],
        };
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .map(|p| format!("{}{p}", prefix.map(String::as_str).unwrap_or("")))
            .collect()
    }

    fn one(&self, source: &Source) -> String {
        self.values(source).into_iter().next().unwrap_or_default()
    }
}

/// Rewrites a date written with slashes or dots ("07/03/1991") as ISO in the given order; ISO dates pass through.
fn iso_date(value: &str, order: &str) -> String {
    let parts: Vec<&str> = value.split(['/', '.']).collect();
    if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return value.to_string();
    }
    let (d, m, y) = match order {
        "mdy" => (parts[1], parts[0], parts[2]),
        "ymd" => (parts[2], parts[1], parts[0]),
        _ => (parts[0], parts[1], parts[2]),
    };
    format!("{y:0>4}-{m:0>2}-{d:0>2}")
}

/// Reads every row of a CSV file through the mapping.
pub fn read_csv(
    file: &str,
    text: &str,
    mapping: &Mapping,
    mapping_file: &str,
    recorded: &str,
) -> Result<(Vec<Assembled>, Problems), IngestError> {
    let delimiter = mapping.delimiter.as_deref().and_then(|d| d.bytes().next()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| IngestError::Invalid {
        file: file.to_string(),
        errors: vec![InputError {
            file: file.to_string(),
            line: 1,
            field: None,
            message: format!("unreadable header: {e}"),
        }],
    })?;
    let columns: HashMap<String, usize> = headers.iter().enumerate().map(|(i, h)| (h.trim().to_string(), i)).collect();
    for source in mapping.sources() {
        let column = match source {
            Source::Column(c) => Some(c),
            Source::Spec { column, .. } => column.as_ref(),
        };
        if let Some(column) = column
            && !columns.contains_key(column)
        {
            return Err(IngestError::Mapping {
                file: mapping_file.to_string(),
                message: format!("column {column:?} is not in the header of {file}"),
            });
        }
    }
    let order = mapping.date_order.as_deref().unwrap_or("dmy");
    let mut out = Vec::new();
    let mut problems = Problems::default();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                problems.push(InputError {
                    file: file.to_string(),
                    line,
                    field: None,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let row = Row { cells: &record, columns: &columns };
        let r = &mapping.report;
        let opt_list = |s: &Option<Source>| s.as_ref().map(|s| row.values(s)).unwrap_or_default();
        let mut entity_index: Vec<Option<usize>> = Vec::new();
        let mut entities = Vec::new();
        for e in &mapping.entities {
            let mut properties = BTreeMap::new();
            for (name, source) in &e.properties {
                let mut values = row.values(source);
                if matches!(name.as_str(), "birthDate" | "date") {
                    values = values.into_iter().map(|v| iso_date(&v, order)).collect();
                }
                if !values.is_empty() {
                    properties.insert(name.clone(), values);
                }
            }
            let id = e.id.as_ref().map(|s| row.one(s)).filter(|s| !s.is_empty());
            if properties.is_empty() && id.is_none() {
                entity_index.push(None);
                continue;
            }
            entity_index.push(Some(entities.len()));
            entities.push(RawEntity { id, schema: e.schema.clone(), properties, observed: None });
        }
        let links = mapping
            .links
            .iter()
            .filter_map(|l| {
                let s = entity_index.get(l.source).copied().flatten()?;
                let t = entity_index.get(l.target).copied().flatten()?;
                Some(RawLink { kind: l.kind.clone(), source: format!("#{s}"), target: format!("#{t}"), observed: None })
            })
            .collect();
        let raw = RawReport {
            id: row.one(&r.id),
            agency: row.one(&r.agency),
            author: r.author.as_ref().map(|s| row.one(s)).unwrap_or_default(),
            date: iso_date(&row.one(&r.date), order),
            grading: RawGrading::Full {
                scheme: r.grading_scheme.as_ref().map(|s| row.one(s)).filter(|s| !s.is_empty()),
                code: row.one(&r.grading),
                conditions: r.conditions.as_ref().map(|s| row.one(s)).filter(|s| !s.is_empty()),
            },
            markings: RawMarkings {
                classification: row.one(&r.classification),
                owner: r.owner.as_ref().map(|s| row.one(s)).filter(|s| !s.is_empty()),
                compartments: opt_list(&r.compartments),
                caveats: opt_list(&r.caveats),
            },
            streams: opt_list(&r.streams),
            routes: opt_list(&r.routes),
            text: r.text.as_ref().map(|s| row.values(s).join(" ")).unwrap_or_default(),
            entities,
            links,
        };
        match assemble(raw, recorded) {
            Ok((report, statements)) => out.push((line, report, statements)),
            Err(errors) => {
                for (field, message) in errors {
                    problems.push(InputError {
                        file: file.to_string(),
                        line,
                        field: Some(csv_field(&field, mapping)),
                        message,
                    });
                }
            }
        }
    }
    Ok((out, problems))
}

/// Names a field by its CSV column where the mapping makes that possible.
fn csv_field(path: &str, mapping: &Mapping) -> String {
    let column_of = |s: &Source| match s {
        Source::Column(c) => Some(c.clone()),
        Source::Spec { column, .. } => column.clone(),
    };
    let r = &mapping.report;
    let direct = match path {
        "id" => column_of(&r.id),
        "agency" => column_of(&r.agency),
        "date" => column_of(&r.date),
        "grading" => column_of(&r.grading),
        "markings.classification" => column_of(&r.classification),
        _ => None,
    };
    if let Some(c) = direct {
        return format!("{path} (column {c:?})");
    }
    // entities[N].properties.NAME[i] → the column mapped to that property.
    if let Some(rest) = path.strip_prefix("entities[")
        && let Some((n, tail)) = rest.split_once(']')
        && let (Ok(n), Some(prop)) = (n.parse::<usize>(), tail.strip_prefix(".properties."))
    {
        let prop = prop.split('[').next().unwrap_or(prop);
        if let Some(column) = mapping.entities.get(n).and_then(|e| e.properties.get(prop)).and_then(column_of) {
            return format!("{path} (column {column:?})");
        }
    }
    path.to_string()
}
