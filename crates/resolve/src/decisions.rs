//! Analysts' decisions from a CSV file, for runs outside the store
//! (`tessera resolve --decisions FILE`): one pair of record ids per line and
//! whether they are the same entity. Inside the store, decisions are
//! statements and reach the engine without a file.

use std::io::Read;

use crate::record::{csv_error, header_column};
use crate::{ResolveError, Ruling, Verdict};

/// Columns a decisions file must have (others are ignored).
pub const DECISION_COLUMNS: [&str; 3] = ["left_id", "right_id", "decision"];

/// Reads the decisions of the CSV file at `path` ([`parse_decisions`]).
pub fn read_decisions(path: &str) -> Result<Vec<Ruling>, ResolveError> {
    let file = std::fs::File::open(path).map_err(|source| ResolveError::Io { path: path.to_string(), source })?;
    parse_decisions(path, std::io::BufReader::new(file))
}

/// Parses decisions: a header with `left_id`, `right_id` and `decision`,
/// then one line per pair, the decision `same` or `different` (any case).
/// Errors name the file (`name`), the line and the column.
pub fn parse_decisions(name: &str, input: impl Read) -> Result<Vec<Ruling>, ResolveError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let csv_err = |e: csv::Error| csv_error(name, e);
    let header = reader.headers().map_err(csv_err)?.clone();
    let column = |wanted: &str| header_column(name, &header, wanted);
    let [left, right, decision] =
        [column(DECISION_COLUMNS[0])?, column(DECISION_COLUMNS[1])?, column(DECISION_COLUMNS[2])?];
    let mut out = Vec::new();
    let mut row = csv::StringRecord::new();
    while reader.read_record(&mut row).map_err(csv_err)? {
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let field = |column: usize, message: &str| ResolveError::Field {
            path: name.to_string(),
            line,
            column: header.get(column).unwrap_or("").trim().to_string(),
            message: message.to_string(),
        };
        let value = |i: usize| row.get(i).unwrap_or("").trim();
        let (a, b) = (value(left), value(right));
        if a.is_empty() {
            return Err(field(left, "empty identifier"));
        }
        if b.is_empty() {
            return Err(field(right, "empty identifier"));
        }
        if a == b {
            return Err(field(right, "a record cannot be decided against itself"));
        }
        let verdict = match value(decision).to_ascii_lowercase().as_str() {
            "same" => Verdict::Same,
            "different" => Verdict::Different,
            other => {
                let message = format!("{other:?} is not a decision: write same or different");
                return Err(field(decision, &message));
            }
        };
        out.push(Ruling { left: a.to_string(), right: b.to_string(), verdict });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Result<Vec<Ruling>, ResolveError> {
        parse_decisions("decisions.csv", text.as_bytes())
    }

    #[test]
    fn decisions_are_read_in_any_column_order_and_case() {
        let rulings = parse("decision,left_id,right_id,note\nSame,A-1,B-7,seen\n different ,A-2,B-9,\n").unwrap();
        assert_eq!(rulings.len(), 2);
        assert_eq!(
            (rulings[0].left.as_str(), rulings[0].right.as_str(), &rulings[0].verdict),
            ("A-1", "B-7", &Verdict::Same)
        );
        assert_eq!(rulings[1].verdict, Verdict::Different);
        assert!(parse("left_id,right_id,decision\n").unwrap().is_empty());
    }

    #[test]
    fn bad_lines_are_named() {
        let error = |text: &str| parse(text).unwrap_err().to_string();
        assert_eq!(error("left_id,right_id\nA,B\n"), "decisions.csv:1: no column \"decision\" in the header");
        assert_eq!(
            error("left_id,right_id,decision\nA,B,same\nA,C,maybe\n"),
            "decisions.csv:3: column \"decision\": \"maybe\" is not a decision: write same or different"
        );
        assert_eq!(
            error("left_id,right_id,decision\n,B,same\n"),
            "decisions.csv:2: column \"left_id\": empty identifier"
        );
        assert_eq!(
            error("left_id,right_id,decision\nA,A,same\n"),
            "decisions.csv:2: column \"right_id\": a record cannot be decided against itself"
        );
        assert!(error("left_id,right_id,decision\nA,B,same,extra\n").starts_with("decisions.csv:2: "));
        assert!(read_decisions("/nonexistent/decisions.csv").unwrap_err().to_string().starts_with("/nonexistent/"));
    }

    proptest! {
        #[test]
        fn any_input_gives_decisions_or_an_error_naming_the_file(
            lines in proptest::collection::vec("[a-zA-Z0-9 ,\"\\-]{0,30}", 0..8),
            header in prop_oneof![
                Just("left_id,right_id,decision".to_string()),
                Just("decision,right_id,left_id".to_string()),
                "[a-z_,]{0,30}",
            ],
        ) {
            let text = format!("{header}\n{}", lines.join("\n"));
            match parse(&text) {
                Ok(rulings) => prop_assert!(rulings.iter().all(|r| !r.left.is_empty() && !r.right.is_empty() && r.left != r.right)),
                Err(e) => prop_assert!(e.to_string().starts_with("decisions.csv:"), "{}", e),
            }
        }
    }
}
