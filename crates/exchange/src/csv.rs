//! CSV, one row per (sanitised) statement: `entity_id, kind, property, value,
//! report_id, agency, grading, classification, observed`.
//!
//! Entity ids, and link targets in `value`, are [`crate::exported_id`]s;
//! `report_id` is the sanitised reference (debriefs get a dissemination-local
//! one); `classification` is the export banner (classification and caveats).
//! Fields are quoted as RFC 4180 says when they hold a comma, a quote or a line break.

use tessera_store::StoredStatement;

use crate::{export_banner, exported_id, sanitise};

/// The header row.
pub const HEADER: [&str; 9] =
    ["entity_id", "kind", "property", "value", "report_id", "agency", "grading", "classification", "observed"];

/// One field, quoted when it needs to be.
fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The statements as CSV with a header row (CRLF line ends), and the number of data rows.
pub fn to_csv(statements: &[StoredStatement]) -> (String, usize) {
    let sanitised = sanitise(statements);
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for s in &sanitised {
        let value = if s.link_type().is_some() { exported_id(&s.value) } else { s.value.clone() };
        let row = [
            exported_id(&s.entity),
            s.kind.name().to_string(),
            s.property.clone(),
            value,
            s.report_ref.clone(),
            s.agency.clone(),
            s.grading.code(),
            export_banner(&s.markings),
            s.observed.clone(),
        ];
        out.push_str(&row.iter().map(|f| field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    (out, sanitised.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{network, st};

    #[test]
    fn one_row_per_sanitised_statement() {
        let (text, rows) = to_csv(&network());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], HEADER.join(","));
        assert_eq!(lines.len(), rows + 1);
        assert!(!text.contains("cafe") && !text.contains("BF:P-1") && !text.contains("DEBRIEF-2024"));
        let first = lines[1].split(',').collect::<Vec<_>>();
        assert_eq!(first[0], exported_id("BF:P-1"));
        assert_eq!(
            &first[1..],
            [
                "Person",
                "name",
                "Mohammed Abdelrahman",
                "BF-2024-000001",
                "BF",
                "2B P",
                "OFFICIAL-SENSITIVE",
                "2024-03-02"
            ]
        );
        assert!(text.contains(&format!("member_of,{}", exported_id("NCA:OCG-1"))));
    }

    #[test]
    fn awkward_values_are_quoted() {
        let s = st(1, "A", tessera_model::EntityKind::Address, "full", "1 Quai, \"Nord\"\nCalais", "BF");
        let (text, _) = to_csv(&[s]);
        assert!(text.contains("\"1 Quai, \"\"Nord\"\"\nCalais\""), "{text}");
    }
}
