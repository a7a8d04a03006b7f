//! A table written row by row as CSV or Parquet, with the same columns in both.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

/// Output format of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// Apache Parquet, one typed column per field.
    Parquet,
}

impl Format {
    /// `explicit` if given, else Parquet for a `.parquet` file and CSV otherwise.
    pub fn choose(explicit: Option<Format>, path: Option<&Path>) -> Format {
        explicit.unwrap_or_else(|| match path.and_then(Path::extension).and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("parquet") => Format::Parquet,
            _ => Format::Csv,
        })
    }
}

/// The type of a column.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Text (Parquet: BYTE_ARRAY, UTF8).
    Text,
    /// 64-bit integer (Parquet: INT64).
    Integer,
    /// Double, written in CSV with this many decimals (Parquet: DOUBLE, full precision).
    Real(usize),
}

/// A column: name and type.
pub type Column = (&'static str, Kind);

/// One value of a row, matching its column's kind.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// For [`Kind::Text`].
    Text(&'a str),
    /// For [`Kind::Integer`].
    Integer(i64),
    /// For [`Kind::Real`].
    Real(f64),
}

/// Rows per Parquet row group.
const ROW_GROUP: usize = 1 << 20;

enum Buffer {
    Text(Vec<ByteArray>),
    Integer(Vec<i64>),
    Real(Vec<f64>),
}

struct ParquetSink {
    writer: SerializedFileWriter<Box<dyn Write + Send>>,
    buffers: Vec<Buffer>,
    rows: usize,
}

enum Sink {
    Csv(Box<dyn Write + Send>),
    Parquet(Box<ParquetSink>),
}

/// Writes one CSV field as the `csv` crate's default writer would (quoted
/// when it holds a comma, a quote or a line break, quotes doubled). Each
/// pair's evidence is a few hundred bytes, and the generic writer's pass
/// over it byte by byte took 3 % of a run on synth_200k; here the evidence's
/// first comma settles the quoting, and a field without quotes is copied whole.
fn write_csv_field(out: &mut dyn Write, field: &str) -> std::io::Result<()> {
    if !field.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        return out.write_all(field.as_bytes());
    }
    out.write_all(b"\"")?;
    if !field.contains('"') {
        out.write_all(field.as_bytes())?;
        return out.write_all(b"\"");
    }
    for (i, part) in field.split('"').enumerate() {
        if i > 0 {
            out.write_all(b"\"\"")?;
        }
        out.write_all(part.as_bytes())?;
    }
    out.write_all(b"\"")
}

/// Writes `fields` as one CSV line.
fn write_csv_line<'a>(out: &mut dyn Write, fields: impl IntoIterator<Item = &'a str>) -> std::io::Result<()> {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_csv_field(out, field)?;
    }
    out.write_all(b"\n")
}

/// A table being written.
pub struct Table {
    columns: &'static [Column],
    sink: Sink,
    what: String,
    /// A number's text, reused from row to row.
    scratch: String,
}

impl Table {
    /// Creates `path` (standard output when `None`) and writes the header.
    pub fn create(path: Option<&Path>, format: Format, name: &str, columns: &'static [Column]) -> Result<Table> {
        let what = path.map(|p| p.display().to_string()).unwrap_or_else(|| "standard output".into());
        let out: Box<dyn Write + Send> = match path {
            Some(p) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
            )),
            None => {
                if format == Format::Parquet && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                    bail!("not writing Parquet to a terminal: give a file (--pairs FILE) or redirect the output");
                }
                Box::new(std::io::BufWriter::new(std::io::stdout()))
            }
        };
        let sink = match format {
            Format::Csv => {
                let mut out = out;
                write_csv_line(&mut out, columns.iter().map(|(n, _)| *n)).with_context(|| format!("writing {what}"))?;
                Sink::Csv(out)
            }
            Format::Parquet => {
                let writer = SerializedFileWriter::new(out, schema(name, columns)?, Arc::new(WriterProperties::new()))
                    .with_context(|| format!("writing {what}"))?;
                let buffers = columns
                    .iter()
                    .map(|(_, kind)| match kind {
                        Kind::Text => Buffer::Text(Vec::new()),
                        Kind::Integer => Buffer::Integer(Vec::new()),
                        Kind::Real(_) => Buffer::Real(Vec::new()),
                    })
                    .collect();
                Sink::Parquet(Box::new(ParquetSink { writer, buffers, rows: 0 }))
            }
        };
        Ok(Table { columns, sink, what, scratch: String::new() })
    }

    /// Appends a row; `cells` must match the columns in number and kind.
    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        if cells.len() != self.columns.len() {
            bail!("{}: a row of {} values for {} columns", self.what, cells.len(), self.columns.len());
        }
        match &mut self.sink {
            Sink::Csv(writer) => {
                use std::fmt::Write as _;
                let scratch = &mut self.scratch;
                for (n, (cell, (_, kind))) in cells.iter().zip(self.columns).enumerate() {
                    if n > 0 {
                        writer.write_all(b",").with_context(|| format!("writing {}", self.what))?;
                    }
                    scratch.clear();
                    let _ = match (cell, kind) {
                        (Cell::Text(_), _) => Ok(()),
                        (Cell::Integer(i), _) => write!(scratch, "{i}"),
                        (Cell::Real(x), Kind::Real(decimals)) => {
                            tessera_resolve::fixed::push_fixed(scratch, *x, *decimals, false);
                            Ok(())
                        }
                        (Cell::Real(x), _) => write!(scratch, "{x}"),
                    };
                    let field: &str = if let Cell::Text(s) = cell { s } else { scratch };
                    write_csv_field(writer, field).with_context(|| format!("writing {}", self.what))?;
                }
                writer.write_all(b"\n").with_context(|| format!("writing {}", self.what))?;
            }
            Sink::Parquet(sink) => {
                for (cell, buffer) in cells.iter().zip(&mut sink.buffers) {
                    match (cell, buffer) {
                        (Cell::Text(s), Buffer::Text(v)) => v.push(ByteArray::from(*s)),
                        (Cell::Integer(i), Buffer::Integer(v)) => v.push(*i),
                        (Cell::Real(x), Buffer::Real(v)) => v.push(*x),
                        _ => bail!("{}: a value of the wrong type", self.what),
                    }
                }
                sink.rows += 1;
                if sink.rows >= ROW_GROUP {
                    sink.flush().with_context(|| format!("writing {}", self.what))?;
                }
            }
        }
        Ok(())
    }

    /// Writes what is buffered and closes the table.
    pub fn finish(self) -> Result<()> {
        let what = self.what;
        match self.sink {
            Sink::Csv(mut out) => out.flush().with_context(|| format!("writing {what}"))?,
            Sink::Parquet(mut sink) => {
                sink.flush().with_context(|| format!("writing {what}"))?;
                let mut out = sink.writer.into_inner().with_context(|| format!("writing {what}"))?;
                out.flush().with_context(|| format!("writing {what}"))?;
            }
        }
        Ok(())
    }
}

impl ParquetSink {
    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> parquet::errors::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        for buffer in &mut self.buffers {
            let Some(mut column) = group.next_column()? else { break };
            match buffer {
                Buffer::Text(v) => {
                    column.typed::<ByteArrayType>().write_batch(v, None, None)?;
                    v.clear();
                }
                Buffer::Integer(v) => {
                    column.typed::<Int64Type>().write_batch(v, None, None)?;
                    v.clear();
                }
                Buffer::Real(v) => {
                    column.typed::<DoubleType>().write_batch(v, None, None)?;
                    v.clear();
                }
            }
            column.close()?;
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }
}

/// The Parquet schema of `columns`: every column required.
fn schema(name: &str, columns: &[Column]) -> Result<Arc<Type>> {
    let fields = columns
        .iter()
        .map(|(column, kind)| {
            let builder = match kind {
                Kind::Text => Type::primitive_type_builder(column, Physical::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String))
                    .with_converted_type(ConvertedType::UTF8),
                Kind::Integer => Type::primitive_type_builder(column, Physical::INT64),
                Kind::Real(_) => Type::primitive_type_builder(column, Physical::DOUBLE),
            };
            Ok(Arc::new(builder.with_repetition(Repetition::REQUIRED).build()?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Type::group_type_builder(name).with_fields(fields).build()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(fields: &[String]) -> Vec<u8> {
        let mut out = Vec::new();
        write_csv_line(&mut out, fields.iter().map(String::as_str)).unwrap();
        out
    }

    fn csv_crate(fields: &[String]) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(fields).unwrap();
        writer.into_inner().unwrap()
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let line = ours(&["plain".into(), "a, b".into(), "say \"hi\"".into(), "two\nlines".into(), String::new()]);
        assert_eq!(String::from_utf8(line).unwrap(), "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
    }

    proptest::proptest! {
        #[test]
        fn lines_are_what_the_csv_crate_writes(fields in proptest::collection::vec("[a-c ,\"\r\n;é]{0,6}", 2..5)) {
            proptest::prop_assert_eq!(ours(&fields), csv_crate(&fields));
        }
    }
}
