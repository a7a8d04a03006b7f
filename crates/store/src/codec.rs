//! Conversions between model types and their columns.

use tessera_model::grading::{GradingScheme, OriginalGrading};
use tessera_model::{Classification, Grading, Handling, IntelligenceAssessment, Markings, SourceEvaluation};

use crate::StoreError;

/// A list of strings as a JSON array column.
pub fn list_to_column(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// A JSON array column back to a list.
pub fn column_to_list(column: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(column).map_err(|e| StoreError::Corrupt(format!("list column {column:?}: {e}")))
}

/// The columns that hold a grading, in table order.
pub struct GradingColumns {
    /// 1/2/3.
    pub source: String,
    /// A–E.
    pub intelligence: String,
    /// P/C.
    pub handling: String,
    /// Conditions of a C code.
    pub conditions: Option<String>,
    /// Original scheme name.
    pub original_scheme: Option<String>,
    /// Original code.
    pub original_code: Option<String>,
}

impl GradingColumns {
    /// Reads the six grading columns (source_eval, intel_eval, handling, handling_conditions,
    /// original_scheme, original_code) selected in that order from column `first` on.
    pub fn from_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            source: row.get(first)?,
            intelligence: row.get(first + 1)?,
            handling: row.get(first + 2)?,
            conditions: row.get(first + 3)?,
            original_scheme: row.get(first + 4)?,
            original_code: row.get(first + 5)?,
        })
    }

    /// Splits a grading into columns.
    pub fn from_grading(g: &Grading) -> Self {
        Self {
            source: g.source.code().to_string(),
            intelligence: g.intelligence.code().to_string(),
            handling: g.handling.code().to_string(),
            conditions: g.handling.conditions().map(str::to_string),
            original_scheme: g.original.as_ref().map(|o| o.scheme.name().to_string()),
            original_code: g.original.as_ref().map(|o| o.code.clone()),
        }
    }

    /// Rebuilds the grading.
    pub fn into_grading(self) -> Result<Grading, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("grading {what}"));
        let first = |s: &str| s.chars().next().unwrap_or(' ');
        let source = SourceEvaluation::from_code(first(&self.source)).ok_or_else(|| corrupt(&self.source))?;
        let intelligence =
            IntelligenceAssessment::from_code(first(&self.intelligence)).ok_or_else(|| corrupt(&self.intelligence))?;
        let handling = match (self.handling.as_str(), self.conditions) {
            ("P", _) => Handling::Permitted,
            ("C", c) => Handling::Conditions(c.unwrap_or_default()),
            (other, _) => return Err(corrupt(other)),
        };
        let original = match (self.original_scheme, self.original_code) {
            (Some(scheme), Some(code)) => Some(OriginalGrading {
                scheme: GradingScheme::from_name(&scheme).ok_or_else(|| corrupt(&scheme))?,
                code,
            }),
            _ => None,
        };
        Ok(Grading { source, intelligence, handling, original })
    }
}

/// Rebuilds markings from their columns.
pub fn markings_from_columns(
    classification: u8,
    owner: String,
    compartments: &str,
    caveats: &str,
) -> Result<Markings, StoreError> {
    Ok(Markings {
        classification: Classification::from_rank(classification)
            .ok_or_else(|| StoreError::Corrupt(format!("classification rank {classification}")))?,
        owner,
        compartments: column_to_list(compartments)?,
        caveats: column_to_list(caveats)?,
    })
}
