//! Reading monthly count series from CSV, one row at a time.
//!
//! The layout is generic: a header row naming the columns, one of them
//! `month` (`YYYY-MM`) and one `n` (a whole, non-negative count); every
//! other column is part of the series key. The FRONTEX files are two cases
//! of it: `route,month,n` and `route,type,nat,month,n`. A key may appear
//! once per month; months without a row count zero within the series' span
//! (see [`crate::series`]). Errors name the file, the line and the column;
//! no input makes the reader panic.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Read;
use std::path::Path;

use crate::month::Month;
use crate::series::{SeriesSet, from_months};

/// A column of the input: its position (from 1) and its header name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Position from 1.
    pub index: usize,
    /// Name in the header row.
    pub name: String,
}

/// What was wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file could not be read (or the CSV structure is broken).
    Io(String),
    /// The input has no header row.
    NoHeader,
    /// The header lacks a required column (`month` or `n`).
    MissingHeaderColumn(&'static str),
    /// Two header columns have the same name.
    DuplicateHeaderColumn(String),
    /// A header column has no name.
    EmptyHeaderColumn,
    /// A row stops before this column.
    MissingField,
    /// A row has more fields than the header (this many).
    ExtraFields(usize),
    /// A field is not UTF-8.
    NotUtf8,
    /// A key field is empty.
    EmptyKey,
    /// A month that is not `YYYY-MM` with a month 01–12.
    BadMonth(String),
    /// A count that is not a whole number.
    NotNumeric(String),
    /// A count below zero.
    Negative(String),
    /// A count too large for 64 bits.
    TooLarge(String),
    /// The same key and month were given on an earlier line.
    Duplicate {
        /// The line where they were first given.
        first_line: u64,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Io(message) => write!(f, "cannot read: {message}"),
            Problem::NoHeader => write!(f, "no header row (expected key columns, `month` and `n`)"),
            Problem::MissingHeaderColumn(name) => write!(f, "missing column `{name}` in the header"),
            Problem::DuplicateHeaderColumn(name) => write!(f, "column `{name}` appears twice in the header"),
            Problem::EmptyHeaderColumn => write!(f, "a header column has no name"),
            Problem::MissingField => write!(f, "missing (the row ends before it)"),
            Problem::ExtraFields(n) => write!(f, "{n} field(s) more than the header has"),
            Problem::NotUtf8 => write!(f, "not UTF-8 text"),
            Problem::EmptyKey => write!(f, "empty key value"),
            Problem::BadMonth(text) => write!(f, "bad month {text:?} (expected YYYY-MM, month 01-12)"),
            Problem::NotNumeric(text) => write!(f, "count {text:?} is not a whole number"),
            Problem::Negative(text) => write!(f, "negative count {text:?}"),
            Problem::TooLarge(text) => write!(f, "count {text:?} is too large"),
            Problem::Duplicate { first_line } => write!(f, "same key and month as line {first_line}"),
        }
    }
}

/// Why an input could not be read: the file, the line (from 1; 0 for the
/// file as a whole), the column when one is to blame, and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReadError {
    /// The file (or other origin) being read.
    pub file: String,
    /// The line, from 1; 0 when the problem is not on one line.
    pub line: u64,
    /// The column at fault, if any.
    pub column: Option<Column>,
    /// What was wrong.
    pub problem: Problem,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(column) = &self.column {
            write!(f, "column {} ({}): ", column.index, column.name)?;
        }
        write!(f, "{}", self.problem)
    }
}

/// Reads a series CSV file.
pub fn read_file(path: &Path) -> Result<SeriesSet, ReadError> {
    let origin = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| ReadError {
        file: origin.clone(),
        line: 0,
        column: None,
        problem: Problem::Io(e.to_string()),
    })?;
    read_from(&origin, std::io::BufReader::new(file))
}

/// Reads series CSV from any reader, streaming; `origin` names it in errors.
pub fn read_from<R: Read>(origin: &str, reader: R) -> Result<SeriesSet, ReadError> {
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
    let fail = |line: u64, column: Option<Column>, problem: Problem| ReadError {
        file: origin.to_string(),
        line,
        column,
        problem,
    };
    let mut record = csv::ByteRecord::new();
    let io = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line());
        fail(line, None, Problem::Io(e.to_string()))
    };
    if !csv.read_byte_record(&mut record).map_err(io)? {
        return Err(fail(0, None, Problem::NoHeader));
    }
    let header_line = record.position().map_or(1, |p| p.line());
    let layout = Layout::from_header(&record).map_err(|(column, problem)| fail(header_line, column, problem))?;

    let mut rows: HashMap<Vec<String>, BTreeMap<Month, (u64, u64)>> = HashMap::new();
    let mut span: Option<(Month, Month)> = None;
    while csv.read_byte_record(&mut record).map_err(io)? {
        let line = record.position().map_or(0, |p| p.line());
        let (key, month, count) =
            layout.parse_row(&record).map_err(|(column, problem)| fail(line, Some(column), problem))?;
        let months = rows.entry(key).or_default();
        if let Some(&(_, first_line)) = months.get(&month) {
            return Err(fail(line, Some(layout.column(layout.month)), Problem::Duplicate { first_line }));
        }
        months.insert(month, (count, line));
        span = Some(span.map_or((month, month), |(a, b)| (a.min(month), b.max(month))));
    }

    let mut series: Vec<_> = rows
        .into_iter()
        .filter_map(|(key, months)| {
            let counts: BTreeMap<Month, u64> = months.into_iter().map(|(m, (n, _))| (m, n)).collect();
            from_months(key, &counts)
        })
        .collect();
    series.sort_by(|a, b| a.key.cmp(&b.key));
    let key_columns = layout.keys.iter().map(|&k| layout.names[k].clone()).collect();
    Ok(SeriesSet { key_columns, series, span })
}

/// Where the key, month and count columns are.
struct Layout {
    names: Vec<String>,
    keys: Vec<usize>,
    month: usize,
    count: usize,
}

type Fault = (Column, Problem);

impl Layout {
    fn from_header(record: &csv::ByteRecord) -> Result<Layout, (Option<Column>, Problem)> {
        let mut names: Vec<String> = Vec::with_capacity(record.len());
        for (i, field) in record.iter().enumerate() {
            let column = |name: &str| Some(Column { index: i + 1, name: name.to_string() });
            let name = std::str::from_utf8(field).map_err(|_| (column("?"), Problem::NotUtf8))?;
            // A byte-order mark may precede the first name.
            let name = name.trim_start_matches('\u{feff}').trim();
            if name.is_empty() {
                return Err((column(""), Problem::EmptyHeaderColumn));
            }
            if names.iter().any(|n| n == name) {
                return Err((column(name), Problem::DuplicateHeaderColumn(name.to_string())));
            }
            names.push(name.to_string());
        }
        let find = |wanted: &'static str| {
            names.iter().position(|n| n == wanted).ok_or((None, Problem::MissingHeaderColumn(wanted)))
        };
        let month = find("month")?;
        let count = find("n")?;
        let keys = (0..names.len()).filter(|&i| i != month && i != count).collect();
        Ok(Layout { names, keys, month, count })
    }

    fn column(&self, index: usize) -> Column {
        Column { index: index + 1, name: self.names[index].clone() }
    }

    fn field<'r>(&self, record: &'r csv::ByteRecord, index: usize) -> Result<&'r str, Fault> {
        let bytes = record.get(index).ok_or_else(|| (self.column(index), Problem::MissingField))?;
        std::str::from_utf8(bytes).map(str::trim).map_err(|_| (self.column(index), Problem::NotUtf8))
    }

    fn parse_row(&self, record: &csv::ByteRecord) -> Result<(Vec<String>, Month, u64), Fault> {
        if record.len() > self.names.len() {
            let extra = Column { index: self.names.len() + 1, name: "(none)".to_string() };
            return Err((extra, Problem::ExtraFields(record.len() - self.names.len())));
        }
        // Report the first column, left to right, that is wrong.
        let mut key = Vec::with_capacity(self.keys.len());
        let mut month = None;
        let mut count = None;
        for index in 0..self.names.len() {
            let text = self.field(record, index)?;
            if index == self.month {
                let parsed = Month::parse(text).ok_or_else(|| (self.column(index), Problem::BadMonth(text.into())))?;
                month = Some(parsed);
            } else if index == self.count {
                count = Some(parse_count(text).map_err(|problem| (self.column(index), problem))?);
            } else if text.is_empty() {
                return Err((self.column(index), Problem::EmptyKey));
            } else {
                key.push(text.to_string());
            }
        }
        match (month, count) {
            (Some(month), Some(count)) => Ok((key, month, count)),
            // The header guarantees both columns; kept total for safety.
            _ => Err((self.column(self.month), Problem::MissingField)),
        }
    }
}

/// A whole, non-negative count: digits, optionally with a zero fraction
/// (`12.0`, as spreadsheets export whole numbers).
fn parse_count(text: &str) -> Result<u64, Problem> {
    let whole = text.strip_suffix(".0").unwrap_or(text);
    let digits = whole.strip_prefix('+').unwrap_or(whole);
    if let Some(rest) = digits.strip_prefix('-') {
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) && rest.bytes().any(|b| b != b'0') {
            return Err(Problem::Negative(text.to_string()));
        }
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(0);
        }
        return Err(Problem::NotNumeric(text.to_string()));
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::NotNumeric(text.to_string()));
    }
    digits.parse::<u64>().map_err(|_| Problem::TooLarge(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SeriesSet, ReadError> {
        read_from("test.csv", text.as_bytes())
    }

    fn error(text: &str) -> String {
        read(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_the_frontex_layouts() {
        let set =
            read("route,type,nat,month,n\nX,Sea,SYR,2016-01,5\nX,Sea,SYR,2016-03,7\nX,Land,AFG,2016-02,1\n").unwrap();
        assert_eq!(set.key_columns, vec!["route", "type", "nat"]);
        assert_eq!(set.series.len(), 2);
        let syr = set.get(&["X", "Sea", "SYR"]).unwrap();
        assert_eq!(syr.counts, vec![5, 0, 7]);
        assert_eq!(set.span.unwrap().0.to_string(), "2016-01");
        let by_route = read("route,month,n\nA,2020-01,3\n").unwrap();
        assert_eq!(by_route.get(&["A"]).unwrap().counts, vec![3]);
    }

    #[test]
    fn accepts_columns_in_any_order_quotes_and_a_bom() {
        let set = read("\u{feff}n,month,\"route\"\n\"4\",2020-02,\"Central, Med\"\n12.0,2020-01,Central\r\n").unwrap();
        assert_eq!(set.get(&["Central, Med"]).unwrap().counts, vec![4]);
        assert_eq!(set.get(&["Central"]).unwrap().counts, vec![12]);
    }

    #[test]
    fn names_file_line_and_column() {
        assert_eq!(
            error("route,month,n\nA,2020-01,3\nA,2020-13,3\n"),
            "test.csv:3: column 2 (month): bad month \"2020-13\" (expected YYYY-MM, month 01-12)"
        );
        assert_eq!(error("route,month,n\nA,2020-01,-3\n"), "test.csv:2: column 3 (n): negative count \"-3\"");
        assert_eq!(
            error("route,month,n\nA,2020-01,many\n"),
            "test.csv:2: column 3 (n): count \"many\" is not a whole number"
        );
        assert_eq!(
            error("route,month,n\nA,2020-01,1.5\n"),
            "test.csv:2: column 3 (n): count \"1.5\" is not a whole number"
        );
        assert_eq!(error("route,month,n\nA,2020-01\n"), "test.csv:2: column 3 (n): missing (the row ends before it)");
        assert_eq!(error("route,month\nA,2020-01\n"), "test.csv:1: missing column `n` in the header");
        assert_eq!(
            error("route,month,n\nA,2020-01,1\nB,2020-01,1\nA,2020-01,2\n"),
            "test.csv:4: column 2 (month): same key and month as line 2"
        );
        assert_eq!(
            error("route,month,n\nA,2020-01,1,9\n"),
            "test.csv:2: column 4 ((none)): 1 field(s) more than the header has"
        );
        assert_eq!(error("route,month,n\n,2020-01,1\n"), "test.csv:2: column 1 (route): empty key value");
        assert_eq!(
            error("route,month,n\nA,2020-01,99999999999999999999999\n"),
            "test.csv:2: column 3 (n): count \"99999999999999999999999\" is too large"
        );
        assert_eq!(
            error("route,route,month,n\n"),
            "test.csv:1: column 2 (route): column `route` appears twice in the header"
        );
        assert_eq!(error(""), "test.csv:0: no header row (expected key columns, `month` and `n`)");
        let bad_utf8 = read_from("x.csv", &b"route,month,n\n\xff,2020-01,1\n"[..]).unwrap_err();
        assert_eq!(bad_utf8.to_string(), "x.csv:2: column 1 (route): not UTF-8 text");
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let e = read_file(Path::new("/nonexistent/series.csv")).unwrap_err();
        assert!(e.to_string().starts_with("/nonexistent/series.csv:0: cannot read:"), "{e}");
    }

    #[test]
    fn counts_accept_whole_numbers_only() {
        assert_eq!(parse_count("0"), Ok(0));
        assert_eq!(parse_count("-0"), Ok(0));
        assert_eq!(parse_count("+7"), Ok(7));
        assert_eq!(parse_count("18446744073709551615"), Ok(u64::MAX));
        assert!(matches!(parse_count("18446744073709551616"), Err(Problem::TooLarge(_))));
        for bad in ["", "-", "+", "1e3", "0x10", "1,000", " ", "--1", "-1.0x"] {
            assert!(parse_count(bad).is_err(), "{bad}");
        }
    }
}
