//! Ingest errors that name the file, the line, the field and what was wrong.

use std::fmt;

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file (or "-" for standard input).
    pub file: String,
    /// 1-based line number (for CSV, the record's line).
    pub line: usize,
    /// Path of the field inside the record, e.g. `entities[2].properties.iban[0]`.
    pub field: Option<String>,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(field) = &self.field {
            write!(f, "field {field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Why a file was not ingested. Nothing from it was stored.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The read error.
        source: std::io::Error,
    },
    /// The file has invalid records; all of them are listed (up to a limit).
    #[error("{} rejected: {} problem(s), nothing stored; first: {}", .file, .errors.len(), .errors.first().map(ToString::to_string).unwrap_or_default())]
    Invalid {
        /// The file.
        file: String,
        /// Every problem found, in file order.
        errors: Vec<InputError>,
    },
    /// The mapping file of a CSV import is wrong.
    #[error("{file}: {message}")]
    Mapping {
        /// The mapping file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The store refused the batch.
    #[error("{file} rejected, nothing stored: {source}")]
    Store {
        /// The file.
        file: String,
        /// The store's error.
        source: tessera_store::StoreError,
    },
}

/// Collects problems while a file is checked, up to a limit so that a wholly wrong file does not flood the terminal.
#[derive(Debug, Default)]
pub struct Problems {
    /// The problems so far.
    pub errors: Vec<InputError>,
    /// How many more were found past the limit.
    pub more: usize,
}

impl Problems {
    /// Most problems kept per file.
    pub const LIMIT: usize = 100;

    /// Records a problem.
    pub fn push(&mut self, error: InputError) {
        if self.errors.len() < Self::LIMIT {
            self.errors.push(error);
        } else {
            self.more += 1;
        }
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}
