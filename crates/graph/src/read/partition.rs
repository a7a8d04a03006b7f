//! Partitions (ground-truth communities): `node community` per line,
//! whitespace or comma separated; `#` and `%` lines are comments.

use std::collections::HashMap;

use super::ReadError;
use super::lines::{Lines, fields, is_blank_or_comment};
use crate::edges::EdgeList;

/// Parses a partition into (node name, community name) pairs.
pub fn parse_partition(origin: &str, bytes: &[u8]) -> Result<Vec<(String, String)>, ReadError> {
    let mut pairs = Vec::new();
    for (number, line) in Lines::new(bytes) {
        let line = line.map_err(|e| ReadError::new(origin, number, e))?;
        if is_blank_or_comment(line) {
            continue;
        }
        match fields(line)[..] {
            [node, community] if !node.is_empty() && !community.is_empty() => {
                pairs.push((node.to_string(), community.to_string()))
            }
            _ => return Err(ReadError::new(origin, number, format!("expected `node community`, found {line:?}"))),
        }
    }
    Ok(pairs)
}

/// The community of every node of `list` as dense ids `0..k`, from named
/// pairs; nodes the partition does not name each get a community of their own.
pub fn membership_from(list: &EdgeList, pairs: &[(String, String)]) -> Vec<u32> {
    let mut by_name: HashMap<&str, u32> = HashMap::new();
    let mut membership = vec![u32::MAX; list.node_count()];
    for (node, community) in pairs {
        if let Some(id) = list.id(node) {
            let next = by_name.len() as u32;
            membership[id as usize] = *by_name.entry(community.as_str()).or_insert(next);
        }
    }
    let unnamed = membership.iter_mut().filter(|m| **m == u32::MAX);
    for (next, m) in (by_name.len() as u32..).zip(unnamed) {
        *m = next;
    }
    membership
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn partitions_map_to_dense_ids() {
        let pairs = parse_partition("p", b"a 7\nb 7\n# x\nc,9\n").unwrap();
        let list = EdgeList::from_pairs(&[]);
        assert!(membership_from(&list, &pairs).is_empty());
        let mut list = EdgeList::new();
        list.add("c", "a", 1.0);
        list.add("b", "z", 1.0);
        assert_eq!(membership_from(&list, &pairs), [1, 0, 0, 2]);
        let e = parse_partition("p", b"a 1\nb\n").unwrap_err();
        assert_eq!(e.to_string(), "p:2: expected `node community`, found \"b\"");
    }

    proptest! {
        #[test]
        fn any_bytes_give_pairs_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse_partition("fuzz", &bytes);
        }
    }
}
