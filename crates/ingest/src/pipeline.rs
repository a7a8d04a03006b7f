//! From a file on disk to the store: read, check every record, refuse the
//! whole file on any problem, otherwise store it in one transaction.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use tessera_store::{IngestBatch, Store};

use crate::csv_mapping::{Mapping, read_csv};
use crate::error::{IngestError, InputError, Problems};
use crate::jsonl::{Assembled, read_reports};

/// The input formats Tessera reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines, one report per line.
    JsonLines,
    /// CSV with a mapping file.
    Csv,
}

impl Format {
    /// The format a file's extension implies.
    pub fn of(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Some(Self::JsonLines),
            "csv" | "tsv" => Some(Self::Csv),
            _ => None,
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileSummary {
    /// The file.
    pub file: String,
    /// Reports stored.
    pub reports: usize,
    /// Statements stored (structured and extracted).
    pub statements: usize,
    /// Of which extracted from free text.
    pub extracted: usize,
    /// Entities seen for the first time.
    pub new_entities: usize,
    /// Seconds spent.
    pub seconds: f64,
}

/// Progress of an ingest, for a progress bar.
pub trait Progress {
    /// Checking is starting; `bytes` is the file size.
    fn checking(&mut self, file: &str, bytes: u64);
    /// Storing is starting; `reports` will be written.
    fn storing(&mut self, reports: usize);
    /// `n` more reports were written.
    fn stored(&mut self, n: usize);
}

/// Progress that goes nowhere (tests, the server).
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn checking(&mut self, _: &str, _: u64) {}
    fn storing(&mut self, _: usize) {}
    fn stored(&mut self, _: usize) {}
}

/// Ingests one file. On any problem nothing from the file is stored and every problem is returned.
pub fn ingest_file(
    store: &mut dyn Store,
    path: &Path,
    mapping: Option<&Path>,
    progress: &mut dyn Progress,
) -> Result<FileSummary, IngestError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| IngestError::Io { file: file.clone(), source })?;
    let format = match (Format::of(path), mapping) {
        (_, Some(_)) => Format::Csv,
        (Some(format), None) => format,
        (None, None) => Format::JsonLines,
    };
    let mapping = match (format, mapping) {
        (Format::Csv, Some(m)) => {
            let mf = m.display().to_string();
            let mt = std::fs::read_to_string(m).map_err(|source| IngestError::Io { file: mf.clone(), source })?;
            Some((Mapping::parse(&mf, &mt)?, mf))
        }
        (Format::Csv, None) => {
            return Err(IngestError::Mapping {
                file,
                message: "a CSV file needs a mapping file (--mapping FILE)".into(),
            });
        }
        (Format::JsonLines, _) => None,
    };
    ingest_text(store, &file, &text, mapping.as_ref().map(|(m, f)| (m, f.as_str())), progress)
}

/// Ingests the text of one file (JSON Lines, or CSV when a mapping is given).
pub fn ingest_text(
    store: &mut dyn Store,
    file: &str,
    text: &str,
    mapping: Option<(&Mapping, &str)>,
    progress: &mut dyn Progress,
) -> Result<FileSummary, IngestError> {
    let started = std::time::Instant::now();
    progress.checking(file, text.len() as u64);
    let recorded = tessera_model::time::now_rfc3339();
    let (reports, mut problems) = match mapping {
        Some((mapping, mapping_file)) => read_csv(file, text, mapping, mapping_file, &recorded)?,
        None => read_reports(file, text, &recorded),
    };
    check_duplicates(store, file, &reports, &mut problems)?;
    if !problems.is_empty() {
        let mut errors = problems.errors;
        if problems.more > 0 {
            errors.push(InputError {
                file: file.to_string(),
                line: 0,
                field: None,
                message: format!("… and {} more problem(s)", problems.more),
            });
        }
        return Err(IngestError::Invalid { file: file.to_string(), errors });
    }
    let extracted =
        reports.iter().flat_map(|(_, _, s)| s).filter(|s| s.origin == tessera_model::report::Origin::Extracted).count();
    progress.storing(reports.len());
    let batch = IngestBatch {
        source: file.to_string(),
        reports: reports.into_iter().map(|(_, report, statements)| (report, statements)).collect(),
    };
    let receipt = store
        .ingest(&batch, &mut |n| progress.stored(n))
        .map_err(|source| IngestError::Store { file: file.to_string(), source })?;
    Ok(FileSummary {
        file: file.to_string(),
        reports: receipt.reports,
        statements: receipt.statements,
        extracted,
        new_entities: receipt.new_entities,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// A report id may appear once in a file and must not be stored already.
fn check_duplicates(
    store: &dyn Store,
    file: &str,
    reports: &[Assembled],
    problems: &mut Problems,
) -> Result<(), IngestError> {
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for (line, report, _) in reports {
        if let Some(first) = first_line.insert(&report.id, *line) {
            problems.push(InputError {
                file: file.to_string(),
                line: *line,
                field: Some("id".into()),
                message: format!("report {:?} appears twice in this file (first on line {first})", report.id),
            });
        } else if store
            .has_report(&report.id)
            .map_err(|source| IngestError::Store { file: file.to_string(), source })?
        {
            problems.push(InputError {
                file: file.to_string(),
                line: *line,
                field: Some("id".into()),
                message: format!("report {:?} is already stored; a correction must come as a new report", report.id),
            });
        }
    }
    Ok(())
}
