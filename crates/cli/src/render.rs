//! Plain-text rendering of results for the terminal.

use std::collections::BTreeMap;
use std::fmt::Write;

use tessera_ingest::FileSummary;
use tessera_store::{EntityView, ReportView, SearchResults, StoredStatement};

/// One line per ingested file.
pub fn file_summary(s: &FileSummary) -> String {
    let rate = if s.seconds > 0.0 { s.statements as f64 / s.seconds } else { 0.0 };
    format!(
        "{}: {} reports, {} statements ({} extracted from text), {} new entities in {:.2}s ({:.0} statements/s)",
        s.file, s.reports, s.statements, s.extracted, s.new_entities, s.seconds, rate
    )
}

/// Search results: entities then reports.
pub fn search(r: &SearchResults) -> String {
    let mut out = String::new();
    if !r.identifiers.is_empty() {
        let _ = writeln!(out, "read as: {}", r.identifiers.join(", "));
    }
    let _ = writeln!(out, "entities ({}):", r.total_entities);
    for hit in &r.entities {
        let _ = writeln!(
            out,
            "  {:<28} {:<14} {:<32} {:.2}  {}",
            hit.id,
            hit.kind.name(),
            hit.caption,
            hit.score,
            hit.matched.join(" | ")
        );
    }
    let _ = writeln!(out, "reports ({}):", r.total_reports);
    for hit in &r.reports {
        let _ = writeln!(out, "  {:<22} {:<11} {} {}  {}", hit.id, hit.agency, hit.date, hit.grading, hit.banner);
        let _ = writeln!(out, "      {}", hit.snippet.replace('\n', " "));
    }
    out
}

fn provenance(s: &StoredStatement) -> String {
    let st = &s.statement;
    let mut grading = st.grading.code();
    if let Some(original) = &st.grading.original {
        let _ = write!(grading, " (from {} {})", original.scheme.name(), original.code);
    }
    format!(
        "{} {} {} {} [{}] {}",
        st.report_id,
        st.agency,
        st.observed,
        grading,
        st.markings.banner(),
        st.origin.name()
    )
}

fn value(s: &StoredStatement, captions: &BTreeMap<String, String>) -> String {
    let st = &s.statement;
    if st.link_type().is_some() {
        return match captions.get(&st.value) {
            Some(caption) => format!("{caption} ({})", st.value),
            None => st.value.clone(),
        };
    }
    match &st.original {
        Some(original) => format!("{} (as written: {original})", st.value),
        None => st.value.clone(),
    }
}

/// An entity with every visible statement and its provenance.
pub fn entity(e: &EntityView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} ({})", e.caption, e.kind.name(), e.id);
    for s in &e.statements {
        let _ = writeln!(out, "  {:<18} {:<40} {}", s.statement.property, value(s, &e.captions), provenance(s));
    }
    if !e.inbound.is_empty() {
        let _ = writeln!(out, "linked from:");
        for s in &e.inbound {
            let from = e.captions.get(&s.statement.entity_id).cloned().unwrap_or_else(|| s.statement.entity_id.clone());
            let _ = writeln!(
                out,
                "  {:<18} {:<40} {}",
                s.statement.property,
                format!("{from} ({})", s.statement.entity_id),
                provenance(s)
            );
        }
    }
    out
}

/// A report with its statements.
pub fn report(r: &ReportView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", r.markings.banner());
    let _ = writeln!(out, "{} — {} — {} — author {}", r.id, r.agency, r.date, r.author);
    let _ = write!(
        out,
        "grading {}: source {}, intelligence {}",
        r.grading.code(),
        r.grading.source.label(),
        r.grading.intelligence.label()
    );
    if let Some(c) = r.grading.handling.conditions() {
        let _ = write!(out, ", conditions: {c}");
    }
    if let Some(o) = &r.grading.original {
        let _ = write!(out, " (graded {} {} by the provider)", o.scheme.name(), o.code);
    }
    let _ = writeln!(out);
    let _ =
        writeln!(out, "owner {}; streams {}; routes {}", r.markings.owner, r.streams.join(", "), r.routes.join(", "));
    let _ = writeln!(out, "\n{}\n", r.text);
    for s in &r.statements {
        let subject = r.captions.get(&s.statement.entity_id).cloned().unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<26} {:<24} {:<18} {} [{}]",
            s.statement.entity_id,
            subject,
            s.statement.property,
            value(s, &r.captions),
            s.statement.origin.name()
        );
    }
    out
}
