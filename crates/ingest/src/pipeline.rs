//! From a file on disk to the store: read, check every record, refuse the
//! whole file on any problem, otherwise store it in one transaction.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use tessera_model::report::Origin;
use tessera_store::{Aborted, IngestReceipt, ReportWithStatements, Store, StoreError};

use crate::csv_mapping::{Mapping, read_csv};
use crate::error::{IngestError, InputError, Problems};
use crate::jsonl::Assembled;

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
///
/// JSON Lines are checked by worker threads while the store writes what has
/// been checked, in file order, inside one transaction; the first problem
/// turns the rest of the run into checking only, and the transaction is
/// rolled back, so a refused file leaves no trace.
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
    let outcome = match mapping {
        Some((mapping, mapping_file)) => {
            let (reports, problems) = read_csv(file, text, mapping, mapping_file, &recorded)?;
            progress.storing(reports.len());
            let mut records = problems.errors.into_iter().map(|e| Err(vec![e])).chain(reports.into_iter().map(Ok));
            write_checked(store, file, &mut records, progress)
        }
        None => {
            let lines = crate::jsonl::numbered_lines(text);
            progress.storing(lines.len());
            crate::jsonl::check_in_parallel(file, &lines, &recorded, |records| {
                write_checked(store, file, records, progress)
            })
        }
    };
    let (receipt, extracted) = outcome?;
    Ok(FileSummary {
        file: file.to_string(),
        reports: receipt.reports,
        statements: receipt.statements,
        extracted,
        new_entities: receipt.new_entities,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Streams checked records into the store; returns the receipt and the number of extracted statements.
fn write_checked(
    store: &mut dyn Store,
    file: &str,
    records: &mut dyn Iterator<Item = Result<Assembled, Vec<InputError>>>,
    progress: &mut dyn Progress,
) -> Result<(IngestReceipt, usize), IngestError> {
    let mut checked =
        Checked { file, records, problems: Problems::default(), lines: HashMap::new(), extracted: 0, done: false };
    let result = store.ingest(file, &mut checked, &mut |n| progress.stored(n));
    let Checked { mut problems, lines, extracted, .. } = checked;
    match result {
        Ok(receipt) if problems.is_empty() => Ok((receipt, extracted)),
        Ok(_) | Err(StoreError::Aborted) => Err(invalid(file, problems)),
        Err(StoreError::DuplicateReport(id)) => {
            problems.push(InputError {
                file: file.to_string(),
                line: lines.get(&id).copied().unwrap_or(0),
                field: Some("id".into()),
                message: format!("report {id:?} is already stored; a correction must come as a new report"),
            });
            Err(invalid(file, problems))
        }
        Err(source) => Err(IngestError::Store { file: file.to_string(), source }),
    }
}

fn invalid(file: &str, problems: Problems) -> IngestError {
    let mut errors = problems.errors;
    if problems.more > 0 {
        errors.push(InputError {
            file: file.to_string(),
            line: 0,
            field: None,
            message: format!("… and {} more problem(s)", problems.more),
        });
    }
    IngestError::Invalid { file: file.to_string(), errors }
}

/// The records of a file as the store receives them: valid reports while all
/// is well; after the first problem, nothing but a final [`Aborted`], once
/// every remaining record has been checked so that all problems are reported.
struct Checked<'a> {
    file: &'a str,
    records: &'a mut dyn Iterator<Item = Result<Assembled, Vec<InputError>>>,
    problems: Problems,
    /// Line of each report id seen, to catch a report given twice and to place a store-side duplicate.
    lines: HashMap<String, usize>,
    extracted: usize,
    done: bool,
}

impl Iterator for Checked<'_> {
    type Item = Result<ReportWithStatements, Aborted>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        while let Some(record) = self.records.next() {
            match record {
                Err(errors) => errors.into_iter().for_each(|e| self.problems.push(e)),
                Ok((line, report, statements)) => {
                    if let Some(first) = self.lines.insert(report.id.clone(), line) {
                        self.problems.push(InputError {
                            file: self.file.to_string(),
                            line,
                            field: Some("id".into()),
                            message: format!(
                                "report {:?} appears twice in this file (first on line {first})",
                                report.id
                            ),
                        });
                        self.lines.insert(report.id.clone(), first);
                    } else if self.problems.is_empty() {
                        self.extracted += statements.iter().filter(|s| s.origin == Origin::Extracted).count();
                        return Some(Ok((report, statements)));
                    }
                }
            }
        }
        self.done = true;
        (!self.problems.is_empty()).then_some(Err(Aborted))
    }
}
