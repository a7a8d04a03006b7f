//! Adjacency matrices as CSV: a header row of column node names (its first
//! cell is ignored), then one row per node: its name and one non-negative
//! number per column (the count of contacts from the row to the column node).
//! This is the layout of the CAVIAR phase files and the UCINET covert-network
//! files. Non-zero cells become links row → column; a symmetric matrix gives
//! each link once, an asymmetric one keeps both directions (summed when the
//! undirected graph is built).

use std::collections::HashMap;

use super::ReadError;
use super::lines::{Lines, fields, is_blank_or_comment};
use crate::edges::{Edge, EdgeList};

/// Parses an adjacency matrix; `origin` names the input in errors.
pub fn parse_matrix(origin: &str, bytes: &[u8]) -> Result<EdgeList, ReadError> {
    let mut list = EdgeList::new();
    let mut columns: Option<Vec<u32>> = None;
    let mut cells: HashMap<(u32, u32), f64> = HashMap::new();
    let mut seen_rows = std::collections::HashSet::new();
    for (number, line) in Lines::new(bytes) {
        let line = line.map_err(|e| ReadError::new(origin, number, e))?;
        if is_blank_or_comment(line) {
            continue;
        }
        let row = fields(line);
        let Some(cols) = &columns else {
            if row.len() < 2 {
                return Err(ReadError::new(origin, number, "the header row names no column"));
            }
            let mut ids = Vec::with_capacity(row.len() - 1);
            for name in &row[1..] {
                if name.is_empty() {
                    return Err(ReadError::new(origin, number, "a column has no name"));
                }
                let id = list.try_node(name).ok_or_else(|| super::too_many_nodes(origin, number))?;
                if ids.contains(&id) {
                    return Err(ReadError::new(origin, number, format!("the column {name:?} appears twice")));
                }
                ids.push(id);
            }
            columns = Some(ids);
            continue;
        };
        if row.len() != cols.len() + 1 {
            let message = format!("expected a name and {} values, found {} fields", cols.len(), row.len());
            return Err(ReadError::new(origin, number, message));
        }
        if row[0].is_empty() {
            return Err(ReadError::new(origin, number, "the row has no name"));
        }
        let from = list.try_node(row[0]).ok_or_else(|| super::too_many_nodes(origin, number))?;
        if !seen_rows.insert(from) {
            return Err(ReadError::new(origin, number, format!("the row {:?} appears twice", row[0])));
        }
        for (cell, &to) in row[1..].iter().zip(cols) {
            let value = match cell.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => v,
                _ => {
                    let message = format!("the value {cell:?} is not a finite number at least 0");
                    return Err(ReadError::new(origin, number, message));
                }
            };
            if value > 0.0 && from != to {
                cells.insert((from, to), value);
            }
        }
    }
    if columns.is_none() {
        return Err(ReadError::new(origin, 0, "the file has no header row"));
    }
    let symmetric = cells.iter().all(|(&(a, b), v)| cells.get(&(b, a)) == Some(v));
    let mut links: Vec<((u32, u32), f64)> = cells.into_iter().filter(|&((a, b), _)| !symmetric || a < b).collect();
    links.sort_unstable_by_key(|x| x.0);
    list.edges = links
        .into_iter()
        .map(|((source, target), weight)| Edge { source, target, weight, kind: None, time: None })
        .collect();
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_asymmetric_matrix_keeps_both_directions() {
        let text = b"\"players\",\"1\",\"4\",\"9\"\n\"1\",0,2,0\n\"4\",3,0,1\n\"9\",0,0,0\n";
        let list = parse_matrix("m", text).unwrap();
        assert_eq!(list.names(), ["1", "4", "9"]);
        let arcs: Vec<_> = list.edges.iter().map(|e| (e.source, e.target, e.weight)).collect();
        assert_eq!(arcs, [(0, 1, 2.0), (1, 0, 3.0), (1, 2, 1.0)]);
    }

    #[test]
    fn a_symmetric_matrix_gives_each_link_once() {
        let list = parse_matrix("m", b"\xEF\xBB\xBF\"\",a,b\na,0,1\nb,1,0\n").unwrap();
        assert_eq!(list.edges.len(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_matrix("m.csv", b",a,b\na,0,1\nb,1\n").unwrap_err();
        assert_eq!(e.to_string(), "m.csv:3: expected a name and 2 values, found 2 fields");
        let e = parse_matrix("m.csv", b",a,b\na,0,x\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(parse_matrix("m.csv", b"").unwrap_err().line, 0);
        assert!(parse_matrix("m.csv", b",a,a\n").is_err());
    }

    proptest! {
        #[test]
        fn any_bytes_give_a_list_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_matrix("fuzz", &bytes);
        }

        #[test]
        fn written_matrices_read_back(values in proptest::collection::vec(0u8..4, 16)) {
            let mut text = String::from("x,a,b,c,d\n");
            for (i, row) in values.chunks(4).enumerate() {
                text.push_str(&format!("{},{}\n", ["a", "b", "c", "d"][i], row.iter().map(u8::to_string).collect::<Vec<_>>().join(",")));
            }
            let list = parse_matrix("p", text.as_bytes()).unwrap();
            let expected = values.iter().enumerate().filter(|&(i, &v)| v > 0 && i / 4 != i % 4).count();
            let symmetric = (0..4).all(|i| (0..4).all(|j| i == j || values[i * 4 + j] == values[j * 4 + i]));
            if !symmetric {
                prop_assert_eq!(list.edges.len(), expected);
            }
            for e in &list.edges {
                prop_assert_eq!(e.weight, f64::from(values[e.source as usize * 4 + e.target as usize]));
            }
        }
    }
}
