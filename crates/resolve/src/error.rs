//! Errors of the resolution engine.

/// Why records could not be read or a run could not be configured; every
/// variant names the file, and where it applies the line and column, so an
/// analyst can fix the input.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// File that failed.
        path: String,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The CSV was malformed at a line.
    #[error("{path}:{line}: {message}")]
    Csv {
        /// File that failed.
        path: String,
        /// 1-based line number.
        line: u64,
        /// What went wrong.
        message: String,
    },
    /// A column named in the configuration is not in the header.
    #[error("{path}:1: no column {column:?} in the header")]
    MissingColumn {
        /// File that failed.
        path: String,
        /// Column asked for.
        column: String,
    },
    /// A field value could not be used.
    #[error("{path}:{line}: column {column:?}: {message}")]
    Field {
        /// File that failed.
        path: String,
        /// 1-based line number.
        line: u64,
        /// Column of the value.
        column: String,
        /// What went wrong.
        message: String,
    },
    /// The run configuration is inconsistent.
    #[error("configuration: {0}")]
    Config(String),
}
