//! Edge lists: one link per line, `source target [weight [type [time]]]`,
//! separated by whitespace or commas. An optional header row names the
//! columns (`source`/`from`, `target`/`to`, `weight`, `type`, `time`), in any
//! order; other columns are ignored. Weights must be finite and not negative
//! (a zero weight is no link); times are integers.

use super::ReadError;
use super::lines::{Lines, fields_into, is_blank_or_comment};
use crate::edges::{Edge, EdgeList};

/// Where each value sits in a row.
#[derive(Debug, Clone, Copy)]
struct Columns {
    source: usize,
    target: usize,
    weight: Option<usize>,
    kind: Option<usize>,
    time: Option<usize>,
}

/// Positional columns, for files without a header.
const POSITIONAL: Columns = Columns { source: 0, target: 1, weight: Some(2), kind: Some(3), time: Some(4) };

/// The role a header field names, if any.
fn role(field: &str) -> Option<&'static str> {
    match field.to_ascii_lowercase().as_str() {
        "source" | "from" | "src" | "node1" | "u" => Some("source"),
        "target" | "to" | "dst" | "node2" | "v" => Some("target"),
        "weight" | "w" | "value" => Some("weight"),
        "type" | "kind" | "link_type" | "relation" => Some("type"),
        "time" | "timestamp" | "t" => Some("time"),
        _ => None,
    }
}

/// Whether a row of fields is a header (it names both a source and a target column).
pub(crate) fn is_header(fields: &[&str]) -> bool {
    let roles: Vec<_> = fields.iter().filter_map(|f| role(f)).collect();
    roles.contains(&"source") && roles.contains(&"target")
}

fn header_columns(origin: &str, number: usize, fields: &[&str]) -> Result<Columns, ReadError> {
    let find = |wanted: &str| fields.iter().position(|f| role(f) == Some(wanted));
    let (Some(source), Some(target)) = (find("source"), find("target")) else {
        return Err(ReadError::new(origin, number, "the header names no source or no target column"));
    };
    Ok(Columns { source, target, weight: find("weight"), kind: find("type"), time: find("time") })
}

/// Parses an edge list; `origin` names the input in errors.
pub fn parse_edge_list(origin: &str, bytes: &[u8]) -> Result<EdgeList, ReadError> {
    let mut list = EdgeList::new();
    let mut columns: Option<Columns> = None;
    let mut row = Vec::new();
    for (number, line) in Lines::new(bytes) {
        let line = line.map_err(|e| ReadError::new(origin, number, e))?;
        if is_blank_or_comment(line) {
            continue;
        }
        fields_into(line, &mut row);
        let cols = match columns {
            Some(cols) => cols,
            None if is_header(&row) => {
                columns = Some(header_columns(origin, number, &row)?);
                continue;
            }
            None => *columns.insert(POSITIONAL),
        };
        let get = |i: Option<usize>| i.and_then(|i| row.get(i).copied()).filter(|f| !f.is_empty());
        let (Some(source), Some(target)) = (get(Some(cols.source)), get(Some(cols.target))) else {
            return Err(ReadError::new(origin, number, format!("expected a source and a target, found {line:?}")));
        };
        let weight = match get(cols.weight) {
            None => 1.0,
            Some(text) => match text.parse::<f64>() {
                Ok(w) if w.is_finite() && w >= 0.0 => w,
                _ => {
                    let message = format!("the weight {text:?} is not a finite number at least 0");
                    return Err(ReadError::new(origin, number, message));
                }
            },
        };
        let time = match get(cols.time) {
            None => None,
            Some(text) => Some(
                text.parse::<i64>()
                    .map_err(|_| ReadError::new(origin, number, format!("the time {text:?} is not an integer")))?,
            ),
        };
        let (Some(source), Some(target)) = (list.try_node(source), list.try_node(target)) else {
            return Err(super::too_many_nodes(origin, number));
        };
        if weight == 0.0 {
            continue;
        }
        let kind = get(cols.kind).map(|k| list.kind(k));
        list.edges.push(Edge { source, target, weight, kind, time });
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn whitespace_comma_and_header_forms_are_read() {
        let list = parse_edge_list("t", b"# comment\n0 1\n1\t2 2.5\n\n").unwrap();
        assert_eq!(list.names(), ["0", "1", "2"]);
        assert_eq!(list.edges[1].weight, 2.5);
        let list = parse_edge_list("t", b"time,target,source,type\n7,b,a,phone\n9,c,a,meeting\n").unwrap();
        assert_eq!(list.names(), ["a", "b", "c"]);
        assert_eq!(list.edges[1].time, Some(9));
        assert_eq!(list.types()[list.edges[1].kind.unwrap() as usize], "meeting");
        assert_eq!(list.edges[0].weight, 1.0);
    }

    #[test]
    fn zero_weights_name_nodes_without_linking_them() {
        let list = parse_edge_list("t", b"a b 0\nb c 1\n").unwrap();
        assert_eq!((list.node_count(), list.edges.len()), (3, 1));
    }

    #[test]
    fn errors_name_the_file_line_and_problem() {
        let e = parse_edge_list("f.txt", b"0 1\n1 2 -3\n").unwrap_err();
        assert_eq!(e.to_string(), "f.txt:2: the weight \"-3\" is not a finite number at least 0");
        let e = parse_edge_list("f.txt", b"0 1\nlonely\n").unwrap_err();
        assert_eq!((e.line, e.message.starts_with("expected a source")), (2, true));
        let e = parse_edge_list("f.txt", b"source,target,time\na,b,noon\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse_edge_list("f.txt", b"0 1 NaN\n").is_err());
        assert!(parse_edge_list("f.txt", b"0 1 inf\n").is_err());
    }

    proptest! {
        #[test]
        fn any_bytes_give_a_list_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_edge_list("fuzz", &bytes);
        }

        #[test]
        fn written_edges_read_back(edges in proptest::collection::vec((0u32..50, 0u32..50, 1u32..100), 0..60)) {
            let text: String = edges.iter().map(|(a, b, w)| format!("n{a},n{b},{w}\n")).collect();
            let list = parse_edge_list("p", text.as_bytes()).unwrap();
            prop_assert_eq!(list.edges.len(), edges.len());
            for (e, (a, b, w)) in list.edges.iter().zip(&edges) {
                prop_assert_eq!(&list.names()[e.source as usize], &format!("n{a}"));
                prop_assert_eq!(&list.names()[e.target as usize], &format!("n{b}"));
                prop_assert_eq!(e.weight, f64::from(*w));
            }
        }
    }
}
