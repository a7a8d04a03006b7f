//! From a profile to an assessment: factor levels, dimension scores, the
//! priority and its band, the confidence, and the explanations.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tessera_model::{IntelligenceAssessment, SourceEvaluation};

use crate::factors::{
    ACCOUNT_WEIGHT, ASSET_WEIGHT, Dimension, Factor, Inputs, PRIOR_DAYS, RECENT_DAYS, WALLET_WEIGHT, prior_rate,
};
use crate::profile::{Fact, GroupProfile, ProfileError, day_number};

/// Most facts listed under one factor (the count is always complete).
pub const EVIDENCE_SHOWN: usize = 25;

/// Priority at or above which a group is in band [`Band::High`].
pub const HIGH_AT: u8 = 50;
/// Priority at or above which a group is in band [`Band::Significant`].
pub const SIGNIFICANT_AT: u8 = 30;
/// Priority at or above which a group is in band [`Band::Moderate`].
pub const MODERATE_AT: u8 = 15;

/// The priority band of a group (in the spirit of OCGM's bands; the official codes are not public).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Priority 50 or more.
    High,
    /// 30 to 49.
    Significant,
    /// 15 to 29.
    Moderate,
    /// Under 15.
    Low,
}

impl Band {
    /// The band of a priority score.
    pub fn of(priority: u8) -> Self {
        if priority >= HIGH_AT {
            Self::High
        } else if priority >= SIGNIFICANT_AT {
            Self::Significant
        } else if priority >= MODERATE_AT {
            Self::Moderate
        } else {
            Self::Low
        }
    }

    /// Name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::High => "High",
            Self::Significant => "Significant",
            Self::Moderate => "Moderate",
            Self::Low => "Low",
        }
    }
}

/// How far the score can be relied on, apart from how high it is (as MoRiLE keeps them apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfidenceBand {
    /// 70 or more.
    High,
    /// 40 to 69.
    Medium,
    /// Under 40.
    Low,
}

impl ConfidenceBand {
    /// Name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::High => "High",
            Self::Medium => "Medium",
            Self::Low => "Low",
        }
    }
}

/// One factor as assessed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorScore {
    /// Which factor.
    pub factor: Factor,
    /// Its name.
    pub label: &'static str,
    /// The dimension it scores.
    pub dimension: Dimension,
    /// Level 0 to 4; `None` when the factor does not apply (and is left out of its dimension).
    pub level: Option<u8>,
    /// The written descriptor of the level reached (or why it was not assessed).
    pub descriptor: String,
    /// What the factor counts.
    pub counts: &'static str,
    /// Why this level: the numbers and the facts that drove it.
    pub explanation: String,
    /// The facts behind the level (at most [`EVIDENCE_SHOWN`]).
    pub evidence: Vec<Fact>,
    /// How many facts there are in all.
    pub evidence_total: usize,
}

/// One dimension's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionScore {
    /// Which dimension.
    pub dimension: Dimension,
    /// 0 to 100: 100 × (highest level + mean level) / 8 over the assessed factors.
    pub score: u8,
    /// How the score was reached.
    pub explanation: String,
}

/// The confidence of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confidence {
    /// 0 to 100.
    pub score: u8,
    /// Its band.
    pub band: ConfidenceBand,
    /// Distinct reports behind the profile.
    pub reports: usize,
    /// Distinct agencies that reported.
    pub agencies: usize,
    /// Mean weight of the reports' gradings, 0 to 1.
    pub grading: f64,
    /// How the score was reached.
    pub explanation: String,
}

/// The assessment of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The group's id.
    pub id: String,
    /// The group's name.
    pub name: String,
    /// The date it was assessed at.
    pub as_of: String,
    /// Every factor, harm first.
    pub factors: Vec<FactorScore>,
    /// Harm.
    pub harm: DimensionScore,
    /// Capability.
    pub capability: DimensionScore,
    /// Intent.
    pub intent: DimensionScore,
    /// Threat (likelihood): the geometric mean of capability and intent, 0 to 100.
    pub threat: u8,
    /// Priority: harm × threat / 100, 0 to 100.
    pub priority: u8,
    /// The priority's band.
    pub band: Band,
    /// How the priority was reached.
    pub priority_explanation: String,
    /// Confidence, apart from the score.
    pub confidence: Confidence,
    /// The latest dated activity.
    pub last_activity: Option<String>,
}

impl Assessment {
    /// The score of one factor.
    pub fn factor(&self, factor: Factor) -> Option<&FactorScore> {
        self.factors.iter().find(|f| f.factor == factor)
    }
}

/// Counts as the factors take them.
fn n(list: &[Fact]) -> u64 {
    list.len() as u64
}

/// The day of a fact's date, or an error naming the fact.
fn fact_day(field: &str, index: usize, fact: &Fact) -> Result<Option<i64>, ProfileError> {
    match &fact.date {
        None => Ok(None),
        Some(date) => day_number(date).map(Some).ok_or_else(|| ProfileError::BadDate {
            field: format!("{field}[{index}] ({})", fact.subject),
            value: date.clone(),
        }),
    }
}

/// The dated activity and disruptions, checked.
struct Timeline {
    /// (day, index into `activity`), oldest first.
    activity: Vec<(i64, usize)>,
    undated: usize,
    /// The latest disruption: (day, index into `disruptions`).
    latest_disruption: Option<(i64, usize)>,
}

fn timeline(p: &GroupProfile) -> Result<Timeline, ProfileError> {
    let mut activity = Vec::new();
    let mut undated = 0;
    for (i, f) in p.activity.iter().enumerate() {
        match fact_day("activity", i, f)? {
            Some(d) => activity.push((d, i)),
            None => undated += 1,
        }
    }
    activity.sort_unstable();
    let mut latest_disruption: Option<(i64, usize)> = None;
    for (i, f) in p.disruptions.iter().enumerate() {
        if let Some(d) = fact_day("disruptions", i, f)?
            && latest_disruption.is_none_or(|(best, _)| d > best)
        {
            latest_disruption = Some((d, i));
        }
    }
    Ok(Timeline { activity, undated, latest_disruption })
}

/// The inputs of the factors, from the profile and its timeline.
fn inputs(p: &GroupProfile, t: &Timeline, as_of: i64) -> Inputs {
    let last = t.activity.last().map(|(d, _)| *d);
    Inputs {
        travellers: n(&p.travellers),
        crossings: n(&p.crossings),
        small_boats: n(&p.small_boats),
        concealment: n(&p.concealment),
        other_vessels: n(&p.other_vessels),
        minors: n(&p.minors),
        indicators: n(&p.trafficking_indicators),
        deaths: n(&p.deaths),
        injuries: n(&p.injuries),
        members: n(&p.members),
        roles: n(&p.roles),
        vessels: n(&p.vessels),
        vehicles: n(&p.vehicles),
        communications: n(&p.communications),
        payments: n(&p.payments),
        accounts: n(&p.accounts),
        wallets: n(&p.wallets),
        false_documents: n(&p.false_documents),
        countries: n(&p.countries),
        routes: n(&p.routes),
        ties: n(&p.ties),
        days_since_activity: last.map(|d| (as_of - d).max(0) as u64),
        recent: t.activity.iter().filter(|(d, _)| *d > as_of - RECENT_DAYS && *d <= as_of).count() as u64,
        prior: t
            .activity
            .iter()
            .filter(|(d, _)| *d > as_of - RECENT_DAYS - PRIOR_DAYS && *d <= as_of - RECENT_DAYS)
            .count() as u64,
        after_disruption: t
            .latest_disruption
            .map(|(day, _)| t.activity.iter().filter(|(d, _)| *d > day).count() as u64),
    }
}

/// Up to three labels, for a sentence.
fn examples(lists: &[&[Fact]]) -> String {
    let labels: Vec<&str> = lists.iter().flat_map(|l| l.iter()).take(3).map(|f| f.label.as_str()).collect();
    if labels.is_empty() { String::new() } else { format!(" (e.g. {})", labels.join("; ")) }
}

fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Sums of amounts by currency, e.g. "12,400 EUR; 3,000 GBP".
fn money_sums(payments: &[Fact]) -> String {
    let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
    for f in payments {
        if let Some(m) = &f.amount
            && m.value.is_finite()
        {
            *sums.entry(m.currency.as_str()).or_default() += m.value;
        }
    }
    sums.iter().map(|(c, v)| format!("{v:.0} {c}")).collect::<Vec<_>>().join("; ")
}

/// The explanation and evidence of one factor.
fn explain(f: Factor, p: &GroupProfile, i: &Inputs, t: &Timeline) -> (String, Vec<Fact>) {
    let cat = |lists: &[&[Fact]]| -> Vec<Fact> { lists.iter().flat_map(|l| l.iter().cloned()).collect() };
    match f {
        Factor::PeopleMoved => (
            format!(
                "{} and {} recorded: {} in all{}.",
                plural(i.travellers, "traveller identified", "travellers identified"),
                plural(i.crossings, "crossing or interception", "crossings or interceptions"),
                i.travellers + i.crossings,
                examples(&[&p.travellers, &p.crossings])
            ),
            cat(&[&p.travellers, &p.crossings]),
        ),
        Factor::DangerousMethods => (
            format!(
                "{}, {} and {} carrying people{}.",
                plural(i.small_boats, "small-boat record", "small-boat records"),
                plural(i.concealment, "record of concealment in a vehicle", "records of concealment in vehicles"),
                plural(i.other_vessels, "other vessel", "other vessels"),
                examples(&[&p.small_boats, &p.concealment, &p.other_vessels])
            ),
            cat(&[&p.small_boats, &p.concealment, &p.other_vessels]),
        ),
        Factor::Vulnerability => (
            format!(
                "{} among the people moved and {} of trafficking or exploitation{}.",
                plural(i.minors, "minor", "minors"),
                plural(i.indicators, "indicator", "indicators"),
                examples(&[&p.minors, &p.trafficking_indicators])
            ),
            cat(&[&p.minors, &p.trafficking_indicators]),
        ),
        Factor::Casualties => (
            format!(
                "{} and {} recorded{}.",
                plural(i.deaths, "death", "deaths"),
                plural(i.injuries, "injury", "injuries"),
                examples(&[&p.deaths, &p.injuries])
            ),
            cat(&[&p.deaths, &p.injuries]),
        ),
        Factor::Size => {
            (format!("{}{}.", plural(i.members, "member", "members"), examples(&[&p.members])), cat(&[&p.members]))
        }
        Factor::Roles => {
            let roles: Vec<&str> = p.roles.iter().map(|r| r.label.as_str()).collect();
            (
                if roles.is_empty() {
                    "No role recorded for any member.".to_string()
                } else {
                    format!("{}: {}.", plural(i.roles, "role", "roles"), roles.join(", "))
                },
                cat(&[&p.roles]),
            )
        }
        Factor::Assets => (
            format!(
                "{} and {} (×{ASSET_WEIGHT}), {}: {} points{}.",
                plural(i.vessels, "vessel", "vessels"),
                plural(i.vehicles, "vehicle", "vehicles"),
                plural(i.communications, "phone, e-mail or account", "phones, e-mails and accounts"),
                ASSET_WEIGHT * (i.vessels + i.vehicles) + i.communications,
                examples(&[&p.vessels, &p.vehicles, &p.communications])
            ),
            cat(&[&p.vessels, &p.vehicles, &p.communications]),
        ),
        Factor::Finance => {
            let sums = money_sums(&p.payments);
            (
                format!(
                    "{}{}, {} (×{ACCOUNT_WEIGHT}), {} (×{WALLET_WEIGHT}): {} points{}.",
                    plural(i.payments, "payment", "payments"),
                    if sums.is_empty() { String::new() } else { format!(" totalling {sums}") },
                    plural(i.accounts, "bank account", "bank accounts"),
                    plural(i.wallets, "cryptocurrency wallet", "cryptocurrency wallets"),
                    i.payments + ACCOUNT_WEIGHT * i.accounts + WALLET_WEIGHT * i.wallets,
                    examples(&[&p.wallets, &p.accounts, &p.payments])
                ),
                cat(&[&p.payments, &p.accounts, &p.wallets]),
            )
        }
        Factor::FalseDocuments => (
            format!(
                "{}{}.",
                plural(i.false_documents, "false document", "false documents"),
                examples(&[&p.false_documents])
            ),
            cat(&[&p.false_documents]),
        ),
        Factor::Reach => {
            let codes = |l: &[Fact]| l.iter().map(|f| f.subject.as_str()).collect::<Vec<_>>().join(", ");
            (
                format!(
                    "{}{} and {}{}.",
                    plural(i.countries, "country", "countries"),
                    if p.countries.is_empty() { String::new() } else { format!(" ({})", codes(&p.countries)) },
                    plural(i.routes, "route", "routes"),
                    if p.routes.is_empty() { String::new() } else { format!(" ({})", codes(&p.routes)) },
                ),
                cat(&[&p.countries, &p.routes]),
            )
        }
        Factor::Cohesion => {
            let per = if i.members == 0 { 0.0 } else { i.ties as f64 / i.members as f64 };
            (
                format!(
                    "{} between members ({per:.1} per member){}.",
                    plural(i.ties, "tie", "ties"),
                    examples(&[&p.ties])
                ),
                cat(&[&p.ties]),
            )
        }
        Factor::Recency => match t.activity.last() {
            None => (format!("No dated activity ({} undated).", t.undated), Vec::new()),
            Some((_, idx)) => {
                let last = &p.activity[*idx];
                (
                    format!(
                        "Latest activity {} ({}), {} before {}.",
                        last.date.as_deref().unwrap_or(""),
                        last.label,
                        plural(i.days_since_activity.unwrap_or(0), "day", "days"),
                        p.as_of
                    ),
                    vec![last.clone()],
                )
            }
        },
        Factor::Trend => {
            let as_of = day_number(&p.as_of).unwrap_or(0);
            let recent: Vec<Fact> = t
                .activity
                .iter()
                .rev()
                .filter(|(d, _)| *d > as_of - RECENT_DAYS && *d <= as_of)
                .map(|(_, k)| p.activity[*k].clone())
                .collect();
            (
                format!(
                    "{} in the last {RECENT_DAYS} days against {} in the {PRIOR_DAYS} days before (a rate of {:.1} per {RECENT_DAYS} days).",
                    plural(i.recent, "activity", "activities"),
                    i.prior,
                    prior_rate(i.prior)
                ),
                recent,
            )
        }
        Factor::Resilience => match t.latest_disruption {
            None => ("No disruption recorded: not assessed.".to_string(), Vec::new()),
            Some((day, k)) => {
                let d = &p.disruptions[k];
                let after: Vec<Fact> =
                    t.activity.iter().filter(|(x, _)| *x > day).map(|(_, idx)| p.activity[*idx].clone()).collect();
                let mut evidence = vec![d.clone()];
                evidence.extend(after);
                (
                    format!(
                        "Latest disruption {} ({}); {} since.",
                        d.date.as_deref().unwrap_or(""),
                        d.label,
                        plural(i.after_disruption.unwrap_or(0), "activity", "activities")
                    ),
                    evidence,
                )
            }
        },
    }
}

/// 100 × (highest + mean) / 8 over the assessed levels.
fn dimension_score(levels: &[u8]) -> u8 {
    if levels.is_empty() {
        return 0;
    }
    let max = f64::from(*levels.iter().max().unwrap_or(&0));
    let mean = levels.iter().map(|&l| f64::from(l)).sum::<f64>() / levels.len() as f64;
    (100.0 * (max + mean) / 8.0).round().clamp(0.0, 100.0) as u8
}

fn dimension(d: Dimension, factors: &[FactorScore]) -> DimensionScore {
    let assessed: Vec<(&'static str, u8)> =
        factors.iter().filter(|f| f.dimension == d).filter_map(|f| f.level.map(|l| (f.label, l))).collect();
    let levels: Vec<u8> = assessed.iter().map(|(_, l)| *l).collect();
    let score = dimension_score(&levels);
    let max = levels.iter().max().copied().unwrap_or(0);
    let mean =
        if levels.is_empty() { 0.0 } else { levels.iter().map(|&l| f64::from(l)).sum::<f64>() / levels.len() as f64 };
    DimensionScore {
        dimension: d,
        score,
        explanation: format!(
            "Levels {}; highest {max}, mean {mean:.2}: 100 × ({max} + {mean:.2}) / 8 = {score}.",
            assessed.iter().map(|(label, l)| format!("{label} {l}")).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Weight of a source evaluation in the confidence.
fn source_weight(s: SourceEvaluation) -> f64 {
    match s {
        SourceEvaluation::Reliable => 1.0,
        SourceEvaluation::Untested => 0.6,
        SourceEvaluation::NotReliable => 0.2,
    }
}

/// Weight of an intelligence assessment in the confidence.
fn assessment_weight(a: IntelligenceAssessment) -> f64 {
    match a {
        IntelligenceAssessment::KnownDirectly => 1.0,
        IntelligenceAssessment::KnownIndirectlyCorroborated => 0.85,
        IntelligenceAssessment::KnownIndirectly => 0.6,
        IntelligenceAssessment::NotKnown => 0.4,
        IntelligenceAssessment::SuspectedFalse => 0.0,
    }
}

/// Agencies at which corroboration counts in full.
const CORROBORATED_BY: usize = 3;
/// Reports at which volume counts in full.
const ENOUGH_REPORTS: usize = 10;

fn confidence(p: &GroupProfile) -> Confidence {
    let mut by_report: BTreeMap<&str, f64> = BTreeMap::new();
    let mut agencies: BTreeSet<&str> = BTreeSet::new();
    for s in &p.sources {
        let w = source_weight(s.source) * assessment_weight(s.intelligence);
        // A report counted twice keeps its first grading (a report has one grading).
        by_report.entry(s.report.as_str()).or_insert(w);
        agencies.insert(s.agency.as_str());
    }
    let reports = by_report.len();
    let grading = if reports == 0 { 0.0 } else { by_report.values().sum::<f64>() / reports as f64 };
    let corroboration = agencies.len().min(CORROBORATED_BY) as f64 / CORROBORATED_BY as f64;
    let volume = reports.min(ENOUGH_REPORTS) as f64 / ENOUGH_REPORTS as f64;
    let score = (100.0 * (0.5 * grading + 0.3 * corroboration + 0.2 * volume)).round().clamp(0.0, 100.0) as u8;
    let band = if score >= 70 {
        ConfidenceBand::High
    } else if score >= 40 {
        ConfidenceBand::Medium
    } else {
        ConfidenceBand::Low
    };
    Confidence {
        score,
        band,
        reports,
        agencies: agencies.len(),
        grading,
        explanation: format!(
            "{} from {} ({}): grading {grading:.2} (mean of source weight × assessment weight), corroboration {corroboration:.2} (agencies, full at {CORROBORATED_BY}), volume {volume:.2} (full at {ENOUGH_REPORTS} reports): 100 × (0.5 × {grading:.2} + 0.3 × {corroboration:.2} + 0.2 × {volume:.2}) = {score}.",
            plural(reports as u64, "report", "reports"),
            plural(agencies.len() as u64, "agency", "agencies"),
            agencies.iter().copied().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Assesses a group. Fails only on a malformed date (the assessment date, or a dated fact's).
pub fn assess(p: &GroupProfile) -> Result<Assessment, ProfileError> {
    let as_of =
        day_number(&p.as_of).ok_or_else(|| ProfileError::BadDate { field: "as_of".into(), value: p.as_of.clone() })?;
    let t = timeline(p)?;
    let i = inputs(p, &t, as_of);
    let factors: Vec<FactorScore> = Factor::ALL
        .iter()
        .map(|&f| {
            let level = f.level(&i);
            let (explanation, evidence) = explain(f, p, &i, &t);
            let evidence_total = evidence.len();
            FactorScore {
                factor: f,
                label: f.label(),
                dimension: f.dimension(),
                level,
                descriptor: match level {
                    Some(l) => f.descriptors()[usize::from(l)].to_string(),
                    None => "Not assessed".to_string(),
                },
                counts: f.counts(),
                explanation,
                evidence: evidence.into_iter().take(EVIDENCE_SHOWN).collect(),
                evidence_total,
            }
        })
        .collect();
    let harm = dimension(Dimension::Harm, &factors);
    let capability = dimension(Dimension::Capability, &factors);
    let intent = dimension(Dimension::Intent, &factors);
    let threat = (f64::from(capability.score) * f64::from(intent.score)).sqrt().round() as u8;
    let priority = (f64::from(harm.score) * f64::from(threat) / 100.0).round() as u8;
    let band = Band::of(priority);
    let priority_explanation = format!(
        "Threat = √(capability {} × intent {}) = {threat}; priority = harm {} × threat {threat} / 100 = {priority}: band {} (High from {HIGH_AT}, Significant from {SIGNIFICANT_AT}, Moderate from {MODERATE_AT}).",
        capability.score,
        intent.score,
        harm.score,
        band.label()
    );
    let last_activity = t.activity.last().and_then(|(_, k)| p.activity[*k].date.clone());
    Ok(Assessment {
        id: p.id.clone(),
        name: p.name.clone(),
        as_of: p.as_of.clone(),
        factors,
        harm,
        capability,
        intent,
        threat,
        priority,
        band,
        priority_explanation,
        confidence: confidence(p),
        last_activity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Source;

    fn facts(prefix: &str, count: usize) -> Vec<Fact> {
        (0..count).map(|k| Fact::new(format!("{prefix}{k}"), format!("{prefix} {k}"), vec![format!("R-{k}")])).collect()
    }

    fn dated(prefix: &str, dates: &[&str]) -> Vec<Fact> {
        dates
            .iter()
            .enumerate()
            .map(|(k, d)| Fact::new(format!("{prefix}{k}"), format!("{prefix} {k}"), vec![]).dated(*d))
            .collect()
    }

    fn source(report: &str, agency: &str, s: char, a: char) -> Source {
        Source {
            report: report.into(),
            agency: agency.into(),
            source: SourceEvaluation::from_code(s).unwrap(),
            intelligence: IntelligenceAssessment::from_code(a).unwrap(),
        }
    }

    fn busy_group() -> GroupProfile {
        GroupProfile {
            id: "NCA:OCG-1".into(),
            name: "Dunkirk boat crew".into(),
            as_of: "2024-06-30".into(),
            travellers: facts("traveller", 30),
            crossings: facts("crossing", 5),
            small_boats: facts("dinghy", 3),
            members: facts("member", 12),
            roles: ["leader", "organiser", "pilot"].iter().map(|r| Fact::new(*r, *r, vec![])).collect(),
            vessels: facts("vessel", 2),
            communications: facts("phone", 6),
            payments: vec![
                Fact::new("pay1", "payment 1", vec![]).with_amount(2500.0, "EUR"),
                Fact::new("pay2", "payment 2", vec![]).with_amount(1500.0, "EUR"),
                Fact::new("pay3", "payment 3", vec![]).with_amount(900.0, "GBP"),
            ],
            wallets: facts("wallet", 1),
            countries: ["FR", "GB", "BE"].iter().map(|c| Fact::new(*c, *c, vec![])).collect(),
            routes: vec![Fact::new("channel", "channel", vec![])],
            ties: facts("tie", 7),
            activity: dated("act", &["2024-06-20", "2024-05-01", "2024-04-15", "2023-12-01", "2023-09-01"]),
            sources: vec![
                source("R-1", "NCA", '1', 'A'),
                source("R-2", "BF", '2', 'B'),
                source("R-3", "NCA", '1', 'B'),
            ],
            ..GroupProfile::default()
        }
    }

    #[test]
    fn an_active_dangerous_group_is_scored_and_every_factor_explained() {
        let a = assess(&busy_group()).expect("assessed");
        assert_eq!(a.factors.len(), Factor::ALL.len());
        assert_eq!(a.factor(Factor::PeopleMoved).unwrap().level, Some(3));
        assert_eq!(a.factor(Factor::DangerousMethods).unwrap().level, Some(3));
        assert_eq!(a.factor(Factor::Size).unwrap().level, Some(3));
        assert_eq!(a.factor(Factor::Recency).unwrap().level, Some(4));
        assert_eq!(a.factor(Factor::Resilience).unwrap().level, None);
        assert_eq!(a.factor(Factor::Resilience).unwrap().descriptor, "Not assessed");
        // Harm levels 3, 3, 0, 0: 100 × (3 + 1.5) / 8 = 56.25.
        assert_eq!(a.harm.score, 56);
        let finance = a.factor(Factor::Finance).unwrap();
        assert!(finance.explanation.contains("4000 EUR; 900 GBP"), "{}", finance.explanation);
        assert!(finance.explanation.contains("8 points"), "{}", finance.explanation);
        assert_eq!(finance.level, Some(2));
        let people = a.factor(Factor::PeopleMoved).unwrap();
        assert!(people.explanation.contains("30 travellers identified") && people.explanation.contains("traveller 0"));
        assert_eq!(people.evidence_total, 35);
        assert_eq!(people.evidence.len(), EVIDENCE_SHOWN);
        let recency = a.factor(Factor::Recency).unwrap();
        assert!(recency.explanation.contains("2024-06-20") && recency.explanation.contains("10 days"));
        assert_eq!(a.last_activity.as_deref(), Some("2024-06-20"));
        assert_eq!(a.threat, (f64::from(a.capability.score) * f64::from(a.intent.score)).sqrt().round() as u8);
        assert_eq!(a.priority, (f64::from(a.harm.score) * f64::from(a.threat) / 100.0).round() as u8);
        assert_eq!(a.band, Band::of(a.priority));
        assert!(a.priority_explanation.contains(&format!("= {}", a.priority)));
    }

    #[test]
    fn an_empty_group_scores_zero_with_low_confidence() {
        let a = assess(&GroupProfile { as_of: "2024-01-01".into(), ..GroupProfile::default() }).unwrap();
        assert_eq!((a.harm.score, a.capability.score, a.intent.score, a.priority), (0, 0, 0, 0));
        assert_eq!(a.band, Band::Low);
        assert_eq!(a.confidence.score, 0);
        assert_eq!(a.confidence.band, ConfidenceBand::Low);
        assert_eq!(a.last_activity, None);
    }

    #[test]
    fn activity_after_a_disruption_is_counted_from_the_latest_one() {
        let mut p = busy_group();
        p.disruptions = dated("arrest", &["2023-01-10", "2024-04-20"]);
        let a = assess(&p).unwrap();
        let r = a.factor(Factor::Resilience).unwrap();
        assert_eq!(r.level, Some(1), "two activities after 2024-04-20");
        assert!(r.explanation.contains("2024-04-20") && r.explanation.contains("2 activities since"));
        assert_eq!(r.evidence.len(), 3, "the disruption and the two activities");
    }

    #[test]
    fn confidence_rises_with_grading_and_corroboration() {
        let mut weak = busy_group();
        weak.sources = vec![source("R-1", "NCA", '3', 'D')];
        let mut strong = busy_group();
        strong.sources =
            (0..12).map(|k| source(&format!("R-{k}"), ["NCA", "BF", "EUROPOL"][k % 3], '1', 'A')).collect();
        let weak = assess(&weak).unwrap().confidence;
        let strong = assess(&strong).unwrap().confidence;
        assert_eq!(strong.score, 100);
        assert_eq!(strong.band, ConfidenceBand::High);
        assert!(weak.score < 40, "{}", weak.score);
        assert_eq!((weak.reports, weak.agencies), (1, 1));
        assert!(strong.explanation.contains("12 reports from 3 agencies"));
    }

    #[test]
    fn confidence_does_not_change_the_score() {
        let mut other = busy_group();
        other.sources = vec![source("R-9", "BF", '3', 'E')];
        let (a, b) = (assess(&busy_group()).unwrap(), assess(&other).unwrap());
        assert_eq!(a.priority, b.priority);
        assert_ne!(a.confidence.score, b.confidence.score);
    }

    #[test]
    fn malformed_dates_are_refused_naming_the_fact() {
        let mut p = busy_group();
        p.as_of = "30/06/2024".into();
        let e = assess(&p).unwrap_err();
        assert!(e.to_string().starts_with("as_of: \"30/06/2024\""), "{e}");
        let mut p = busy_group();
        p.activity[1].date = Some("2024-02-30".into());
        let e = assess(&p).unwrap_err().to_string();
        assert!(e.contains("activity[1] (act1)") && e.contains("2024-02-30"), "{e}");
    }

    #[test]
    fn bands_have_written_thresholds() {
        assert_eq!(Band::of(100), Band::High);
        assert_eq!(Band::of(HIGH_AT), Band::High);
        assert_eq!(Band::of(HIGH_AT - 1), Band::Significant);
        assert_eq!(Band::of(SIGNIFICANT_AT), Band::Significant);
        assert_eq!(Band::of(SIGNIFICANT_AT - 1), Band::Moderate);
        assert_eq!(Band::of(MODERATE_AT), Band::Moderate);
        assert_eq!(Band::of(MODERATE_AT - 1), Band::Low);
        assert_eq!(Band::of(0), Band::Low);
    }

    #[test]
    fn dimension_scores_weigh_the_worst_and_the_mean() {
        assert_eq!(dimension_score(&[]), 0);
        assert_eq!(dimension_score(&[4, 4, 4]), 100);
        assert_eq!(dimension_score(&[4, 0, 0, 0]), 63);
        assert_eq!(dimension_score(&[2, 2]), 50);
    }
}
