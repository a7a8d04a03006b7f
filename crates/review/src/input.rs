//! What the engine is told: the action plan, the disruptions, what the
//! intelligence says about each group's activity, the priority threats, and
//! the options of the review. Plain data, built by the store's adapter from
//! what one viewer may see; `check` validates it once and turns every date
//! into a day number, so that the other modules never meet a bad date.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use tessera_model::taxonomy::Stream;
use tessera_model::time::{civil_from_days, day_number, parse_partial_date};

/// Default length of the impact windows and of the "recently complete" window, in days.
pub const DEFAULT_WINDOW_DAYS: u32 = 90;
/// Most periods a returns table may span (a guard against a mistyped year).
pub const MAX_PERIODS: usize = 240;

pub use tessera_model::disruption::{ActionStatus, Impact, TargetKind};

/// What an action, or a threat, is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The kind of thing.
    pub kind: TargetKind,
    /// Its id (group board id, route code, country code, MO code, stream code).
    pub id: String,
    /// How people read it.
    pub label: String,
}

impl Target {
    /// Whether two targets name the same thing: same kind, ids equal ignoring case and surrounding spaces.
    pub fn same_as(&self, other: &Target) -> bool {
        self.kind == other.kind && same_id(&self.id, &other.id)
    }
}

/// Ids compared ignoring ASCII case and surrounding spaces.
pub(crate) fn same_id(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// One action of the Strategic Action Plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Action reference (e.g. "SAP-FAC-012").
    pub reference: String,
    /// The stream the action sits in.
    pub stream: Stream,
    /// The plan objective it serves.
    pub objective: String,
    /// What is to be done.
    pub title: String,
    /// The agency leading it.
    pub agency: String,
    /// The named owner.
    pub owner: String,
    /// When it started or is to start (YYYY-MM-DD).
    pub start: Option<String>,
    /// When it is due (YYYY-MM-DD).
    pub due: Option<String>,
    /// Where it stands.
    pub status: ActionStatus,
    /// What it is aimed at.
    pub targets: Vec<Target>,
}

/// Asset statuses that count as denied to criminals.
pub const DENIED_STATUSES: [&str; 4] = ["seized", "restrained", "confiscated", "forfeited"];
/// Every asset status the engine accepts (the denied ones and `returned`).
pub const ASSET_STATUSES: [&str; 5] = ["seized", "restrained", "confiscated", "forfeited", "returned"];

/// An asset touched by a disruption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// What it is (cash, vehicle, vessel, property, account...).
    pub kind: String,
    /// One of [`ASSET_STATUSES`]; all but `returned` count as denied.
    pub status: String,
    /// Its value in pounds sterling, when known.
    pub value_gbp: Option<f64>,
}

/// One disruption recorded against the threat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disruption {
    /// Disruption reference.
    pub reference: String,
    /// arrest, charge, conviction, seizure, asset_restraint, confiscation, social_media_takedown,
    /// vessel_interdiction, travel_order, financial_order (any other kind is shown as given).
    pub kind: String,
    /// When it happened (YYYY-MM-DD).
    pub date: String,
    /// The agency that recorded it.
    pub agency: String,
    /// The group disrupted (group board id), if any.
    pub group: Option<String>,
    /// The people disrupted (person ids, the same id space as group members).
    pub subjects: Vec<String>,
    /// The impact the recording agency gave it.
    pub impact: Impact,
    /// Assets seized, restrained, confiscated, forfeited or returned.
    pub assets: Vec<Asset>,
}

/// A report about a group, reduced to what the impact measures need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityReport {
    /// Report reference.
    pub id: String,
    /// Report date (YYYY-MM-DD).
    pub date: String,
    /// Route codes the report places the group on.
    pub routes: Vec<String>,
    /// Members the report mentions (person ids).
    pub members: Vec<String>,
}

/// Something with an id and a date (a traveller, dated by the first report naming them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dated {
    /// The id.
    pub id: String,
    /// The date (YYYY-MM-DD).
    pub date: String,
}

/// A price paid per person, as a report gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// When (YYYY-MM-DD).
    pub date: String,
    /// Amount per person.
    pub amount: f64,
    /// ISO 4217 currency code as written (case is ignored).
    pub currency: String,
}

/// What the visible intelligence says about one group's activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupActivity {
    /// Group board id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// Priority score 0–100 (from the prioritisation engine).
    pub priority: u8,
    /// Priority band as shown on the board.
    pub band: String,
    /// Streams the group is active in.
    pub streams: Vec<Stream>,
    /// Member person ids.
    pub members: Vec<String>,
    /// Reports about the group.
    pub reports: Vec<ActivityReport>,
    /// People recorded as moved by the group.
    pub travellers: Vec<Dated>,
    /// Prices paid per person.
    pub prices: Vec<Price>,
}

/// A priority threat of the picture (a top route or modus operandi).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threat {
    /// What the threat is.
    pub target: Target,
    /// Streams it is recorded in.
    pub streams: Vec<Stream>,
    /// Reports behind it.
    pub reports: usize,
    /// Agencies reporting it.
    pub agencies: usize,
}

/// Everything the review reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewInput {
    /// The action plan.
    pub actions: Vec<Action>,
    /// Disruptions recorded.
    pub disruptions: Vec<Disruption>,
    /// Groups and their activity.
    pub groups: Vec<GroupActivity>,
    /// Priority threats.
    pub threats: Vec<Threat>,
}

/// The length of a returns period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Calendar months.
    Month,
    /// Calendar quarters.
    #[default]
    Quarter,
}

/// Planning exchange rates: pounds sterling per unit of each currency. Planning assumptions, not
/// market rates; override them in [`Options::rates`].
pub fn default_rates() -> BTreeMap<String, f64> {
    [
        ("GBP", 1.0),
        ("EUR", 0.85),
        ("USD", 0.79),
        ("TRY", 0.024),
        ("LYD", 0.16),
        ("TND", 0.25),
        ("MAD", 0.078),
        ("ALL", 0.0085),
        ("DZD", 0.0058),
    ]
    .into_iter()
    .map(|(code, rate)| (code.to_string(), rate))
    .collect()
}

fn default_window() -> u32 {
    DEFAULT_WINDOW_DAYS
}

/// How the review is run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// The date the review is made at (YYYY-MM-DD).
    pub as_of: String,
    /// Impact windows and the "recently complete" window, in days (default 90).
    #[serde(default = "default_window")]
    pub window_days: u32,
    /// Returns period (default quarter).
    #[serde(default)]
    pub period: Period,
    /// Pounds sterling per unit of currency, keyed by ISO 4217 code (default [`default_rates`]).
    #[serde(default = "default_rates")]
    pub rates: BTreeMap<String, f64>,
    /// First day of the returns table (default: the start of the period three quarters, or eleven
    /// months, before the period holding `until`).
    #[serde(default)]
    pub from: Option<String>,
    /// Last day of the returns table (default `as_of`).
    #[serde(default)]
    pub until: Option<String>,
}

impl Options {
    /// Default options for a review made at `as_of`.
    pub fn new(as_of: impl Into<String>) -> Self {
        Self {
            as_of: as_of.into(),
            window_days: DEFAULT_WINDOW_DAYS,
            period: Period::Quarter,
            rates: default_rates(),
            from: None,
            until: None,
        }
    }
}

/// Why the input could not be reviewed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReviewError {
    /// A date is not YYYY-MM-DD.
    #[error("{record}: {field} {value:?} is not a date (expected YYYY-MM-DD)")]
    BadDate {
        /// The record holding it (e.g. "action SAP-1", "options").
        record: String,
        /// The field.
        field: String,
        /// The value as given.
        value: String,
    },
    /// A value is out of range.
    #[error("{record}: {field} {reason}")]
    Invalid {
        /// The record holding it.
        record: String,
        /// The field.
        field: String,
        /// What is wrong.
        reason: String,
    },
}

fn invalid(record: &str, field: &str, reason: impl Into<String>) -> ReviewError {
    ReviewError::Invalid { record: record.to_string(), field: field.to_string(), reason: reason.into() }
}

/// Day number (days since 1970-01-01) of a full YYYY-MM-DD date, or an error naming record and field.
pub(crate) fn day(value: &str, record: &str, field: &str) -> Result<i64, ReviewError> {
    let bad =
        || ReviewError::BadDate { record: record.to_string(), field: field.to_string(), value: value.to_string() };
    let trimmed = value.trim();
    let full = trimmed.len() == 10 && parse_partial_date(trimmed).is_ok();
    if !full {
        return Err(bad());
    }
    day_number(trimmed).ok_or_else(bad)
}

/// The YYYY-MM-DD date of a day number.
pub(crate) fn date_of(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// An action with its dates read.
#[derive(Debug, Clone)]
pub(crate) struct CheckedAction<'a> {
    pub action: &'a Action,
    pub start: Option<i64>,
    pub due: Option<i64>,
}

/// A disruption with its date read.
#[derive(Debug, Clone)]
pub(crate) struct CheckedDisruption<'a> {
    pub disruption: &'a Disruption,
    pub day: i64,
}

/// A group with its dates read.
#[derive(Debug, Clone)]
pub(crate) struct CheckedGroup<'a> {
    pub group: &'a GroupActivity,
    /// Its reports by day (then as given).
    pub reports: Vec<(i64, &'a ActivityReport)>,
    /// Every route its reports name, trimmed and lower case.
    pub routes: BTreeSet<String>,
    pub travellers: Vec<(i64, &'a str)>,
    pub prices: Vec<(i64, &'a Price)>,
}

/// The input, validated, with every date a day number.
#[derive(Debug, Clone)]
pub(crate) struct Checked<'a> {
    pub as_of: i64,
    pub window: i64,
    pub from: i64,
    pub until: i64,
    pub period: Period,
    pub rates: BTreeMap<String, f64>,
    pub actions: Vec<CheckedAction<'a>>,
    pub disruptions: Vec<CheckedDisruption<'a>>,
    /// Ordered by priority (highest first), then name, then id.
    pub groups: Vec<CheckedGroup<'a>>,
    pub threats: &'a [Threat],
}

fn optional_day(value: Option<&String>, record: &str, field: &str) -> Result<Option<i64>, ReviewError> {
    value.map(|v| day(v, record, field)).transpose()
}

/// Validates the input and the options, reading every date once.
pub(crate) fn check<'a>(input: &'a ReviewInput, options: &Options) -> Result<Checked<'a>, ReviewError> {
    let as_of = day(&options.as_of, "options", "as_of")?;
    if options.window_days == 0 {
        return Err(invalid("options", "window_days", "must be at least 1"));
    }
    let mut rates = BTreeMap::new();
    for (code, &rate) in &options.rates {
        if !rate.is_finite() || rate <= 0.0 {
            return Err(invalid("options", &format!("rates.{code}"), format!("{rate} is not a positive rate")));
        }
        rates.insert(code.trim().to_ascii_uppercase(), rate);
    }
    let until = optional_day(options.until.as_ref(), "options", "until")?.unwrap_or(as_of);
    let from = match optional_day(options.from.as_ref(), "options", "from")? {
        Some(from) => from,
        None => crate::returns::default_from(until, options.period),
    };
    if from > until {
        return Err(invalid("options", "from", format!("{} is after until {}", date_of(from), date_of(until))));
    }
    if crate::returns::periods(from, until, options.period).len() > MAX_PERIODS {
        return Err(invalid("options", "from", format!("spans more than {MAX_PERIODS} periods")));
    }

    let mut actions = Vec::with_capacity(input.actions.len());
    for action in &input.actions {
        let record = format!("action {}", action.reference);
        let start = optional_day(action.start.as_ref(), &record, "start")?;
        let due = optional_day(action.due.as_ref(), &record, "due")?;
        actions.push(CheckedAction { action, start, due });
    }

    let mut disruptions = Vec::with_capacity(input.disruptions.len());
    for disruption in &input.disruptions {
        let record = format!("disruption {}", disruption.reference);
        let day = day(&disruption.date, &record, "date")?;
        for (i, asset) in disruption.assets.iter().enumerate() {
            if !ASSET_STATUSES.contains(&asset.status.trim().to_ascii_lowercase().as_str()) {
                return Err(invalid(
                    &record,
                    &format!("assets[{i}].status"),
                    format!("{:?} is not one of {}", asset.status, ASSET_STATUSES.join(", ")),
                ));
            }
            if let Some(value) = asset.value_gbp
                && (!value.is_finite() || value < 0.0)
            {
                return Err(invalid(&record, &format!("assets[{i}].value_gbp"), format!("{value} is not an amount")));
            }
        }
        disruptions.push(CheckedDisruption { disruption, day });
    }

    let mut groups = Vec::with_capacity(input.groups.len());
    for group in &input.groups {
        let record = format!("group {}", group.id);
        if group.priority > 100 {
            return Err(invalid(&record, "priority", format!("{} is above 100", group.priority)));
        }
        let mut reports = Vec::with_capacity(group.reports.len());
        for report in &group.reports {
            reports.push((day(&report.date, &format!("{record} report {}", report.id), "date")?, report));
        }
        let mut travellers = Vec::with_capacity(group.travellers.len());
        for traveller in &group.travellers {
            travellers.push((
                day(&traveller.date, &format!("{record} traveller {}", traveller.id), "date")?,
                traveller.id.as_str(),
            ));
        }
        let mut prices = Vec::with_capacity(group.prices.len());
        for (i, price) in group.prices.iter().enumerate() {
            let price_record = format!("{record} price {i}");
            let day = day(&price.date, &price_record, "date")?;
            if !price.amount.is_finite() || price.amount < 0.0 {
                return Err(invalid(&price_record, "amount", format!("{} is not an amount", price.amount)));
            }
            prices.push((day, price));
        }
        reports.sort_by_key(|(day, _)| *day);
        let routes = reports
            .iter()
            .flat_map(|(_, r)| r.routes.iter().map(|route| route.trim().to_ascii_lowercase()))
            .filter(|route| !route.is_empty())
            .collect();
        groups.push(CheckedGroup { group, reports, routes, travellers, prices });
    }
    groups.sort_by(|a, b| {
        b.group
            .priority
            .cmp(&a.group.priority)
            .then_with(|| a.group.name.cmp(&b.group.name))
            .then_with(|| a.group.id.cmp(&b.group.id))
    });

    Ok(Checked {
        as_of,
        window: i64::from(options.window_days),
        from,
        until,
        period: options.period,
        rates,
        actions,
        disruptions,
        groups,
        threats: &input.threats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_full_days_and_errors_name_the_record() {
        assert_eq!(day("2026-02-28", "r", "f"), Ok(day_number("2026-02-28").unwrap_or_default()));
        let err = day("2026-02", "action SAP-1", "due").unwrap_err();
        assert_eq!(err.to_string(), "action SAP-1: due \"2026-02\" is not a date (expected YYYY-MM-DD)");
        assert!(day("2026-02-30", "r", "f").is_err());
        assert!(day("2026-02-01T10:00", "r", "f").is_err());
        assert_eq!(date_of(day("2024-02-29", "r", "f").unwrap_or_default()), "2024-02-29");
    }

    #[test]
    fn a_bad_record_is_named() {
        let mut input = ReviewInput::default();
        input.disruptions.push(Disruption {
            reference: "D-9".into(),
            kind: "seizure".into(),
            date: "2026-01-01".into(),
            agency: "NCA".into(),
            group: None,
            subjects: vec![],
            impact: Impact::Minor,
            assets: vec![Asset { kind: "cash".into(), status: "lost".into(), value_gbp: Some(1.0) }],
        });
        let err = check(&input, &Options::new("2026-03-01")).unwrap_err();
        assert!(err.to_string().starts_with("disruption D-9: assets[0].status"), "{err}");
        let mut options = Options::new("2026-03-01");
        options.rates.insert("EUR".into(), -1.0);
        assert!(check(&ReviewInput::default(), &options).is_err());
    }

    #[test]
    fn records_read_from_snake_case_json() {
        let json = r#"{"reference":"SAP-1","stream":"clandestine_entry","objective":"O","title":"T","agency":"BF",
            "owner":"X","start":null,"due":"2026-03-01","status":"in_progress",
            "targets":[{"kind":"mo","id":"small_boat","label":"Small boat"}]}"#;
        let action: Action = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(action.status, ActionStatus::InProgress);
        assert_eq!(action.targets[0].kind, TargetKind::Mo);
        let impact: Impact = serde_json::from_str("\"moderate\"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(impact, Impact::Moderate);
    }

    #[test]
    fn options_have_documented_defaults() {
        let options: Options = serde_json::from_str(r#"{"as_of":"2026-03-01"}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(options, Options::new("2026-03-01"));
        assert_eq!(options.rates.get("EUR"), Some(&0.85));
    }
}
