//! Figures: the visible reports counted by one dimension and period.
//!
//! For each key of a dimension (a stream, a route, a country...), over the
//! reports that carry it:
//! - `reports`: how many reports;
//! - `entities`: how many distinct entities those reports mention, and per
//!   kind (`Person`, `Vessel`, `Vehicle`, `Identification`...); records that
//!   resolution joined, as the viewer sees their cluster, count once;
//! - `agencies` and `confidence`: see [`crate::confidence`];
//! - `periods`: the reports per month or quarter.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tessera_store::ReportFacts;

use crate::confidence::Corroboration;
use crate::dimension::{Dimension, PeriodKind};
use crate::sanitise::{Count, MIN_AGENCIES};

/// One period's count of a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodCount {
    /// The month (`2025-03`) or quarter (`2025-Q1`).
    pub period: String,
    /// Reports in it.
    pub reports: Count,
}

/// One key of a dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The key (stream or route code, ISO country, modus operandi code).
    pub key: String,
    /// Its label.
    pub label: String,
    /// Reports that carry it.
    pub reports: Count,
    /// Distinct (resolved) entities those reports mention.
    pub entities: Count,
    /// Distinct (resolved) entities by kind.
    pub by_kind: BTreeMap<String, Count>,
    /// Independent agencies whose reports carry it.
    pub agencies: usize,
    /// `1 − Π(1 − best confidence of each agency)`.
    pub confidence: f64,
    /// Reports per period, oldest first.
    pub periods: Vec<PeriodCount>,
}

/// The figures of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The dimension.
    pub by: Dimension,
    /// Its figures, most reports first (then by key).
    pub figures: Vec<Figure>,
    /// Figures withheld by sanitising (drawn from too few agencies).
    pub withheld: usize,
}

#[derive(Default)]
struct Tally<'r> {
    reports: usize,
    entities: BTreeMap<&'r str, &'static str>,
    corroboration: Corroboration,
    periods: BTreeMap<String, u64>,
}

/// The figures of `by` over `reports`.
pub fn section(reports: &[ReportFacts], by: Dimension, period: PeriodKind, sanitise: bool) -> Section {
    let mut tallies: BTreeMap<String, Tally<'_>> = BTreeMap::new();
    for r in reports {
        let period_key = period.of(&r.date);
        for key in by.keys(r) {
            let t = tallies.entry(key).or_default();
            t.reports += 1;
            t.corroboration.add(&r.agency, r.confidence);
            for e in &r.entities {
                t.entities.insert(e.resolved.as_str(), e.kind.name());
            }
            if let Some(p) = &period_key {
                *t.periods.entry(p.clone()).or_default() += 1;
            }
        }
    }
    let mut withheld = 0;
    let mut figures = Vec::new();
    for (key, t) in tallies {
        if sanitise && t.corroboration.agencies() < MIN_AGENCIES {
            withheld += 1;
            continue;
        }
        let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
        for kind in t.entities.values() {
            *kinds.entry((*kind).to_string()).or_default() += 1;
        }
        // A sanitised picture is ranked by the counts it shows, so that its order tells no more than they do.
        let rank = match Count::show(t.reports as u64, sanitise) {
            Count::Exact(n) | Count::Rounded(n) => n,
            Count::Below => 0,
        };
        figures.push((
            rank,
            Figure {
                label: by.label(&key),
                key,
                reports: Count::show(t.reports as u64, sanitise),
                entities: Count::show(t.entities.len() as u64, sanitise),
                by_kind: kinds.into_iter().map(|(k, n)| (k, Count::show(n, sanitise))).collect(),
                agencies: t.corroboration.agencies(),
                confidence: t.corroboration.confidence(),
                periods: t
                    .periods
                    .into_iter()
                    .map(|(period, n)| PeriodCount { period, reports: Count::show(n, sanitise) })
                    .collect(),
            },
        ));
    }
    // Most reports first, ties in key order.
    figures.sort_by(|(a, fa), (b, fb)| b.cmp(a).then(fa.key.cmp(&fb.key)));
    Section { by, figures: figures.into_iter().map(|(_, f)| f).collect(), withheld }
}

/// The agencies behind a set of reports.
pub fn agencies(reports: &[ReportFacts]) -> usize {
    reports.iter().map(|r| r.agency.as_str()).collect::<BTreeSet<_>>().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_model::EntityKind;
    use tessera_store::EntityFacts;

    fn report(id: &str, agency: &str, date: &str, confidence: f64, routes: &[&str], people: &[&str]) -> ReportFacts {
        ReportFacts {
            classification: tessera_model::Classification::Official,
            id: id.into(),
            date: date.into(),
            agency: agency.into(),
            source: "1".into(),
            intelligence: "A".into(),
            confidence,
            streams: vec!["facilitation_sea".into()],
            routes: routes.iter().map(|s| s.to_string()).collect(),
            countries: BTreeSet::new(),
            nationalities: BTreeSet::new(),
            entities: people
                .iter()
                .map(|p| EntityFacts {
                    id: p.to_string(),
                    resolved: p.trim_end_matches('b').to_string(),
                    kind: EntityKind::Person,
                    types: vec![],
                    statuses: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn figures_count_reports_entities_agencies_and_periods() {
        let reports = vec![
            report("R1", "NCA", "2025-01-03", 0.9, &["channel"], &["P1", "P2"]),
            // P2b is another record of P2, joined by resolution: one entity.
            report("R2", "NCA", "2025-02-03", 0.36, &["channel"], &["P2b"]),
            report("R3", "BF", "2025-04-03", 0.6, &["channel", "central_mediterranean"], &["P3"]),
        ];
        let s = section(&reports, Dimension::Route, PeriodKind::Quarter, false);
        assert_eq!(s.figures.len(), 2);
        let channel = &s.figures[0];
        assert_eq!(channel.key, "channel");
        assert_eq!(channel.reports, Count::Exact(3));
        assert_eq!(channel.entities, Count::Exact(3));
        assert_eq!(channel.by_kind["Person"], Count::Exact(3));
        assert_eq!((channel.agencies, channel.confidence), (2, 0.96));
        let periods: Vec<(&str, Count)> = channel.periods.iter().map(|p| (p.period.as_str(), p.reports)).collect();
        assert_eq!(periods, vec![("2025-Q1", Count::Exact(2)), ("2025-Q2", Count::Exact(1))]);
        assert_eq!((s.figures[1].agencies, s.figures[1].confidence), (1, 0.6));
        assert_eq!(agencies(&reports), 2);

        // Sanitised: the one-agency route is withheld, small counts hidden.
        let s = section(&reports, Dimension::Route, PeriodKind::Quarter, true);
        assert_eq!((s.figures.len(), s.withheld), (1, 1));
        assert_eq!(s.figures[0].reports, Count::Below);
        assert_eq!(s.figures[0].periods[0].reports, Count::Below);
    }
}
