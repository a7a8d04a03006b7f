//! Ingest: from the files partners send to validated reports and statements
//! in the store.
//!
//! A file is read whole, every record checked (grading, markings, every
//! property value validated and normalised, identifiers extracted from the
//! free text), and then stored in one transaction, or refused whole with every
//! problem named by file, line and field. What was stored before is never
//! touched.

pub mod assemble;
pub mod csv_mapping;
pub mod error;
pub mod extract;
pub mod jsonl;
pub mod pipeline;

pub use error::{IngestError, InputError};
pub use pipeline::{FileSummary, Progress, Silent, ingest_file, ingest_text};
