//! Readers for the files analysts and benchmarks bring: edge lists
//! (whitespace or comma separated, optional weight, type and time), square
//! adjacency matrices (CAVIAR phases, UCINET covert networks) and partitions
//! (`node community` per line). Gzip input is recognised by its magic bytes.
//! Errors name the file, the line and what was wrong; no input makes a
//! reader panic.

mod edge_list;
mod lines;
mod matrix;
mod partition;

use std::io::Read;
use std::path::Path;

pub use edge_list::parse_edge_list;
pub use matrix::parse_matrix;
pub use partition::{membership_from, parse_partition};

use crate::edges::EdgeList;

/// Why a file could not be read: which file, which line (1-based; 0 for the
/// file as a whole) and what was wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ReadError {
    /// The file (or other origin) being read.
    pub file: String,
    /// The line, counted from 1; 0 when the problem is not on one line.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

impl ReadError {
    pub(crate) fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        ReadError { file: file.to_string(), line, message: message.into() }
    }
}

/// How a graph file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Decide from the first line: a header naming `source`/`target`, or at
    /// most three fields, means an edge list; more fields, a matrix.
    Auto,
    /// One link per line: `source target [weight [type [time]]]`.
    EdgeList,
    /// A square adjacency matrix with a header row of node names.
    Matrix,
}

/// Reads a whole file, decompressing gzip.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    let name = path.display().to_string();
    let raw = std::fs::read(path).map_err(|e| ReadError::new(&name, 0, format!("cannot read: {e}")))?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(raw.len() * 4);
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(|e| ReadError::new(&name, 0, format!("bad gzip data: {e}")))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Reads a graph file in the given format.
pub fn read_graph(path: &Path, format: Format) -> Result<EdgeList, ReadError> {
    let bytes = read_bytes(path)?;
    parse_graph(&path.display().to_string(), &bytes, format)
}

/// Parses graph text (already decompressed) in the given format; `origin` names it in errors.
pub fn parse_graph(origin: &str, bytes: &[u8], format: Format) -> Result<EdgeList, ReadError> {
    let format = match format {
        Format::Auto => detect(bytes),
        other => other,
    };
    match format {
        Format::Matrix => parse_matrix(origin, bytes),
        _ => parse_edge_list(origin, bytes),
    }
}

/// Reads a partition file (`node community` per line).
pub fn read_partition(path: &Path) -> Result<Vec<(String, String)>, ReadError> {
    let bytes = read_bytes(path)?;
    parse_partition(&path.display().to_string(), &bytes)
}

/// Guesses the layout of graph text from its first meaningful line.
/// The error of an input naming more distinct nodes than an edge list holds
/// ([`crate::edges::MAX_NODES`]), at line `number` of `origin`.
fn too_many_nodes(origin: &str, number: usize) -> ReadError {
    ReadError::new(origin, number, format!("more than {} distinct node names", crate::edges::MAX_NODES))
}

fn detect(bytes: &[u8]) -> Format {
    let first = lines::Lines::new(bytes).find_map(|(_, line)| match line {
        Ok(text) if !lines::is_blank_or_comment(text) => Some(text.to_string()),
        _ => None,
    });
    match first {
        Some(line) => {
            let fields = lines::fields(&line);
            if edge_list::is_header(&fields) || fields.len() <= 3 { Format::EdgeList } else { Format::Matrix }
        }
        None => Format::EdgeList,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_detected() {
        assert_eq!(detect(b"# c\n1 2 3\n"), Format::EdgeList);
        assert_eq!(detect(b"source,target,weight,type,time\n"), Format::EdgeList);
        assert_eq!(detect(b"\"players\",\"1\",\"4\",\"89\"\n"), Format::Matrix);
    }

    #[test]
    fn gzip_is_read_transparently() {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("tessera-graph-gz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("g.edges.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"0 1\n1 2\n").unwrap();
        std::fs::write(&path, enc.finish().unwrap()).unwrap();
        let list = read_graph(&path, Format::Auto).unwrap();
        assert_eq!(list.edges.len(), 2);
        let missing = read_graph(&dir.join("nope"), Format::Auto).unwrap_err();
        assert!(missing.message.starts_with("cannot read"), "{missing}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
