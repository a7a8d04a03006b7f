//! Property tests of the CSV reader: what is written is read back (months
//! without rows as zeros), any bytes are refused or read without a panic,
//! and a spoiled field is blamed on its own line and column.

use std::collections::BTreeMap;

use proptest::prelude::*;
use tessera_series::read::Problem;
use tessera_series::{Month, read_from};

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) || field.trim() != field {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Distinct (route, nat, month) → count.
fn rows() -> impl Strategy<Value = BTreeMap<(String, String, i32), u64>> {
    let key = prop_oneof!["[A-Za-z][A-Za-z ,\"]{0,8}[A-Za-z]", Just("Central Mediterranean Route".to_string())];
    let nat = "[A-Z]{3}";
    prop::collection::btree_map((key, nat, 2009 * 12..2026 * 12), 0u64..1_000_000, 1..60)
}

fn render(rows: &[((String, String, i32), u64)]) -> String {
    let mut text = String::from("route,nat,month,n\n");
    for ((route, nat, month), n) in rows {
        text.push_str(&format!("{},{},{},{}\n", quote(route), nat, Month::from_index(*month), n));
    }
    text
}

proptest! {
    #[test]
    fn what_is_written_is_read_back(rows in rows(), seed in any::<u64>()) {
        let mut shuffled: Vec<_> = rows.clone().into_iter().collect();
        // A cheap deterministic shuffle: the reader must not care about order.
        shuffled.sort_by_key(|((r, n, m), _)| (seed ^ (*m as u64).wrapping_mul(0x9E37_79B9)) ^ (r.len() + n.len()) as u64);
        let set = read_from("p.csv", render(&shuffled).as_bytes()).unwrap();
        prop_assert_eq!(set.key_columns.clone(), vec!["route".to_string(), "nat".to_string()]);
        let first = rows.keys().map(|k| k.2).min().unwrap();
        let last = rows.keys().map(|k| k.2).max().unwrap();
        prop_assert_eq!(set.span, Some((Month::from_index(first), Month::from_index(last))));
        let mut seen = 0;
        for series in &set.series {
            for (month, count) in series.iter() {
                let expected = rows.get(&(series.key[0].clone(), series.key[1].clone(), month.index())).copied();
                prop_assert_eq!(count, expected.unwrap_or(0), "{} {}", series.name(), month);
                seen += usize::from(expected.is_some());
            }
            prop_assert!(series.counts.first() != Some(&0) || rows.contains_key(&(series.key[0].clone(), series.key[1].clone(), series.start.index())));
        }
        prop_assert_eq!(seen, rows.len());
    }

    #[test]
    fn any_bytes_are_read_or_refused_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_from("junk.csv", &bytes[..]);
        let mut with_header = b"route,month,n\n".to_vec();
        with_header.extend_from_slice(&bytes);
        if let Err(e) = read_from("junk.csv", &with_header[..]) {
            prop_assert!(e.line >= 2 || e.line == 0, "{e}");
            prop_assert!(e.to_string().starts_with("junk.csv:"));
        }
    }

    #[test]
    fn a_spoiled_count_is_blamed_on_its_line_and_column(
        rows in rows(),
        pick in any::<prop::sample::Index>(),
        bad in prop_oneof!["-[1-9][0-9]{0,5}", "[a-z]{1,5}", "[0-9]{1,3}\\.[1-9]", Just(String::new())],
    ) {
        let mut listed: Vec<_> = rows.into_iter().collect();
        let i = pick.index(listed.len());
        let mut text = String::from("route,nat,month,n\n");
        for (j, ((route, nat, month), n)) in listed.iter_mut().enumerate() {
            let count = if j == i { bad.clone() } else { n.to_string() };
            text.push_str(&format!("{},{},{},{}\n", quote(route), nat, Month::from_index(*month), count));
        }
        let error = read_from("p.csv", text.as_bytes()).unwrap_err();
        prop_assert_eq!(error.line, i as u64 + 2, "{}", error);
        prop_assert_eq!(error.column.as_ref().map(|c| (c.index, c.name.as_str())), Some((4, "n")));
        let expected_kind = if bad.starts_with('-') {
            matches!(error.problem, Problem::Negative(_))
        } else {
            matches!(error.problem, Problem::NotNumeric(_))
        };
        prop_assert!(expected_kind, "{}", error);
    }

    #[test]
    fn months_round_trip(index in 0i32..10_000 * 12) {
        let month = Month::from_index(index);
        prop_assert_eq!(Month::parse(&month.to_string()), Some(month));
        prop_assert_eq!(Month::new(month.year(), month.month()), Some(month));
    }
}
