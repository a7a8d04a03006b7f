//! The sufficiency and impact review for one viewer: the plan's actions, the
//! disruptions, the groups' activity and the priority threats, read only
//! from what the viewer may see, handed to the review engine
//! (`tessera_review`, docs/review.md).
//!
//! How the store's records become the engine's plain facts:
//! - Groups are the curated groups of the viewer's board (detected
//!   communities have no records for actions or disruptions to name). A
//!   group's reports are the visible reports that mention one of its
//!   organisation records or members (as resolved for the viewer).
//! - An action's or a disruption's group is the board group holding that
//!   organisation record; people are compared by the entity each resolves
//!   to as the viewer sees it.
//! - Travellers are dated by the first visible report naming them; prices are
//!   the group's payments that carry an amount, dated by their own date or
//!   their first report.
//! - Priority threats are the routes and modi operandi of the visible
//!   reports, each with the streams it is recorded in, most reported first.
//!
//! Partner liaison officers and auditors get no review: it is the threat
//! group's own document (partners have the sanitised picture).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tessera_access::{Role, Viewer};
use tessera_model::Classification;
use tessera_model::taxonomy::{MODI, Route, Stream, StreamCode};
use tessera_review as engine;
use tessera_store::{Action, Disruption, PictureFacts, PictureRequest, Store, StoreError};

use crate::{PictureError, mo};

/// Routes and modi operandi listed as priority threats (each).
pub const PRIORITY_THREATS: usize = 5;

/// Whether a viewer may have the review.
pub fn may_review(viewer: &Viewer) -> bool {
    !matches!(viewer.role, Role::PartnerLiaison | Role::Auditor)
}

/// What a review is asked for (the rest takes its defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewAsk {
    /// The date of the review (default: the latest date of what the viewer may see, or today if earlier).
    pub as_of: Option<String>,
    /// Days before and after each disruption compared (default 90).
    pub window: Option<u32>,
    /// Returns by month instead of by quarter.
    pub monthly: bool,
}

/// A review with what it was built from, for pages and papers.
#[derive(Debug, Clone)]
pub struct ReviewPack {
    /// The review.
    pub review: engine::Review,
    /// The actions it read.
    pub actions: Vec<Action>,
    /// The disruptions it read.
    pub disruptions: Vec<Disruption>,
    /// The highest classification of the material behind it (a paper is marked at least this high).
    pub classification: Classification,
}

/// The review of what `viewer` may see (the caller audits the read). The returns table runs from the
/// first visible report to `as_of`.
pub fn build_review(store: &dyn Store, viewer: &Viewer, ask: &ReviewAsk) -> Result<ReviewPack, PictureError> {
    let Gathered { input, actions, disruptions, facts } = gather(store, viewer)?;
    let latest = facts.reports.iter().map(|r| r.date.as_str()).chain(disruptions.iter().map(|d| d.date.as_str())).max();
    let today = tessera_model::time::today();
    let as_of =
        ask.as_of.clone().unwrap_or_else(|| latest.map_or(today.clone(), |l| l.min(today.as_str()).to_string()));
    let mut options = engine::Options::new(as_of);
    if let Some(w) = ask.window {
        options.window_days = w;
    }
    options.period = if ask.monthly { engine::Period::Month } else { engine::Period::Quarter };
    options.from = facts.reports.iter().map(|r| r.date.as_str()).filter(|d| d.len() == 10).min().map(str::to_string);
    let review = engine::review(&input, &options).map_err(|e| PictureError::Invalid(e.to_string()))?;
    let classification = facts
        .reports
        .iter()
        .map(|r| r.classification)
        .chain(actions.iter().map(|a| a.classification))
        .chain(disruptions.iter().map(|d| d.classification))
        .max()
        .unwrap_or(Classification::Official);
    Ok(ReviewPack { review, actions, disruptions, classification })
}

/// What one review reads from the store (each read once), and the engine's input made from it.
struct Gathered {
    input: engine::ReviewInput,
    actions: Vec<Action>,
    disruptions: Vec<Disruption>,
    facts: PictureFacts,
}

/// The engine's input for `viewer`: everything read through the store's access policy.
pub fn review_input(store: &dyn Store, viewer: &Viewer) -> Result<engine::ReviewInput, PictureError> {
    Ok(gather(store, viewer)?.input)
}

/// Reads the facts, the plan and the log once and makes the engine's input from them.
fn gather(store: &dyn Store, viewer: &Viewer) -> Result<Gathered, PictureError> {
    if !may_review(viewer) {
        return Err(StoreError::Refused(format!(
            "the role {} has no sufficiency and impact review (it is the threat group's document)",
            viewer.role
        ))
        .into());
    }
    let facts = store.picture_facts(viewer, &PictureRequest::default())?;
    let resolved = resolution(&facts);
    let report_dates: HashMap<&str, &str> = facts.reports.iter().map(|r| (r.id.as_str(), r.date.as_str())).collect();
    let first_date = |reports: &[String]| -> Option<String> {
        reports.iter().filter_map(|r| report_dates.get(r.as_str())).min().map(|d| d.to_string())
    };

    // Which reports name each resolved entity, and each organisation record: a group's reports
    // are found through its members and records instead of by reading every report per group.
    let mut naming: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut recording: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in facts.reports.iter().enumerate() {
        for e in &r.entities {
            naming.entry(e.resolved.as_str()).or_default().push(i);
            recording.entry(e.id.as_str()).or_default().push(i);
        }
    }

    let mut groups = Vec::new();
    // Organisation record → board group id.
    let mut group_of_record: HashMap<String, String> = HashMap::new();
    for view in store.curated_groups(viewer)? {
        let summary = &view.summary;
        let records: BTreeSet<String> = view.organisations.iter().map(|o| o.id.clone()).collect();
        for r in &records {
            group_of_record.insert(r.clone(), summary.id.clone());
        }
        let members: BTreeSet<String> = view.profile.members.iter().map(|m| m.subject.clone()).collect();
        let mut reports = Vec::new();
        let mut streams = BTreeSet::new();
        let mut about_group: Vec<usize> = members
            .iter()
            .filter_map(|m| naming.get(m.as_str()))
            .chain(records.iter().filter_map(|r| recording.get(r.as_str())))
            .flatten()
            .copied()
            .collect();
        // In the order of the facts, each once.
        about_group.sort_unstable();
        about_group.dedup();
        for r in about_group.into_iter().map(|i| &facts.reports[i]) {
            let named: BTreeSet<String> =
                r.entities.iter().filter(|e| members.contains(&e.resolved)).map(|e| e.resolved.clone()).collect();
            let about = !named.is_empty() || r.entities.iter().any(|e| records.contains(&e.id));
            if !about || r.date.len() != 10 {
                continue;
            }
            streams.extend(r.streams.iter().filter_map(|s| StreamCode::from_name(s)).map(StreamCode::stream));
            reports.push(engine::ActivityReport {
                id: r.id.clone(),
                date: r.date.clone(),
                routes: r.routes.clone(),
                members: named.into_iter().collect(),
            });
        }
        let travellers = view
            .profile
            .travellers
            .iter()
            .filter_map(|t| Some(engine::Dated { id: t.subject.clone(), date: first_date(&t.reports)? }))
            .collect();
        let prices = view
            .profile
            .payments
            .iter()
            .filter_map(|p| {
                let amount = p.amount.as_ref()?;
                let date = p.date.clone().filter(|d| d.len() == 10).or_else(|| first_date(&p.reports))?;
                Some(engine::Price { date, amount: amount.value, currency: amount.currency.trim().to_uppercase() })
            })
            .collect();
        groups.push(engine::GroupActivity {
            id: summary.id.clone(),
            name: summary.name.clone(),
            priority: summary.priority,
            band: summary.band.label().to_string(),
            streams: streams.into_iter().collect(),
            members: members.into_iter().collect(),
            reports,
            travellers,
            prices,
        });
    }

    let plan_actions = store.actions(viewer)?;
    let actions = plan_actions
        .iter()
        .cloned()
        .map(|a| engine::Action {
            reference: a.reference,
            stream: a.stream,
            objective: a.objective,
            title: a.title,
            agency: a.agency,
            owner: a.owner,
            start: a.start,
            due: a.due,
            status: a.status,
            targets: a.targets.into_iter().filter_map(|t| target(t, &group_of_record)).collect(),
        })
        .collect();

    let log = store.disruptions(viewer, None)?;
    let disruptions = log
        .iter()
        .cloned()
        .map(|d| engine::Disruption {
            reference: d.reference,
            kind: d.kind.name().to_string(),
            date: d.date,
            agency: d.agency,
            group: d.group.and_then(|g| group_of_record.get(&g.id).cloned()),
            subjects: d.subjects.iter().map(|s| resolved.get(&s.id).cloned().unwrap_or_else(|| s.id.clone())).collect(),
            impact: d.impact,
            assets: d
                .assets
                .iter()
                .map(|a| engine::Asset {
                    kind: a.kind.name().to_string(),
                    status: a.status.name().to_string(),
                    value_gbp: a.value_gbp,
                })
                .collect(),
        })
        .collect();

    let input = engine::ReviewInput { actions, disruptions, groups, threats: threats(&facts) };
    Ok(Gathered { input, actions: plan_actions, disruptions: log, facts })
}

/// Record id → the entity it resolves to as the viewer sees it.
fn resolution(facts: &PictureFacts) -> HashMap<String, String> {
    facts.reports.iter().flat_map(|r| r.entities.iter()).map(|e| (e.id.clone(), e.resolved.clone())).collect()
}

/// A plan target as the engine reads it: a group by its board id (left out when the organisation is
/// on no curated group of the viewer's board).
fn target(t: tessera_store::Target, group_of_record: &HashMap<String, String>) -> Option<engine::Target> {
    let id = if t.kind == engine::TargetKind::Group { group_of_record.get(&t.id)?.clone() } else { t.id };
    Some(engine::Target { kind: t.kind, id, label: t.label })
}

/// The most reported routes and modi operandi, each with its streams, reports and agencies.
fn threats(facts: &PictureFacts) -> Vec<engine::Threat> {
    #[derive(Default)]
    struct Tally {
        streams: BTreeSet<Stream>,
        reports: usize,
        agencies: BTreeSet<String>,
    }
    let mut routes: BTreeMap<String, Tally> = BTreeMap::new();
    let mut modi: BTreeMap<&'static str, Tally> = BTreeMap::new();
    for r in &facts.reports {
        let streams: Vec<Stream> =
            r.streams.iter().filter_map(|s| StreamCode::from_name(s)).map(StreamCode::stream).collect();
        let count = |t: &mut Tally| {
            t.streams.extend(streams.iter().copied());
            t.reports += 1;
            t.agencies.insert(r.agency.clone());
        };
        for route in &r.routes {
            count(routes.entry(route.clone()).or_default());
        }
        for m in mo::modi(r) {
            count(modi.entry(m).or_default());
        }
    }
    let ranked = |items: Vec<(engine::Target, Tally)>| {
        let mut items = items;
        items.sort_by(|a, b| b.1.reports.cmp(&a.1.reports).then_with(|| a.0.id.cmp(&b.0.id)));
        items.into_iter().take(PRIORITY_THREATS).map(|(target, t)| engine::Threat {
            target,
            streams: t.streams.into_iter().collect(),
            reports: t.reports,
            agencies: t.agencies.len(),
        })
    };
    let route_threats = routes
        .into_iter()
        .map(|(code, t)| {
            let label = Route::from_name(&code).map_or(code.clone(), |r| r.label().to_string());
            (engine::Target { kind: engine::TargetKind::Route, id: code, label }, t)
        })
        .collect();
    let mo_threats = modi
        .into_iter()
        // Air, land and sea say only the mode: every report has one, so they rank nothing.
        .filter(|(code, _)| !matches!(*code, "air" | "land" | "sea"))
        .map(|(code, t)| {
            let label = MODI.iter().find(|(c, _)| *c == code).map_or(code, |(_, l)| l).to_string();
            (engine::Target { kind: engine::TargetKind::Mo, id: code.to_string(), label }, t)
        })
        .collect();
    ranked(route_threats).chain(ranked(mo_threats)).collect()
}
