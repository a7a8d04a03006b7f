//! The Strategic Action Plan and the disruption log: records users keep under
//! markings, read back through the viewer's visibility like every other read.
//!
//! - A stream of the plan has a lead (agency and officer).
//! - An action belongs to a stream and an objective, is assigned to an agency
//!   and an owner, has dates and a status, and names its targets (groups,
//!   routes, countries, nationalities, modi operandi, report streams). A
//!   status change is appended to the action's history; nothing is erased.
//! - A disruption is recorded against a group and people: what was done, by
//!   whom, when, on which evidence, with the assets taken and the
//!   prosecutions that followed, and an impact level. The written criteria
//!   ([`tessera_model::disruption::ImpactCriteria`]) give a level of their
//!   own, stored beside the recorded one; a recorded level that differs
//!   from the criteria must say why.
//!
//! Entities a record names (groups, people, report evidence) are checked
//! against what the recorder may see, and shown to each reader only if that
//! reader may see them; a record's own markings decide who sees the record.

mod actions;
mod disruptions;

use serde::{Deserialize, Serialize};
use tessera_access::Role;
pub use tessera_model::disruption::TargetKind;
use tessera_model::disruption::{
    ActionStatus, AssetKind, AssetStatus, DisruptionKind, Impact, ImpactAssessment, ProsecutionStatus,
};
use tessera_model::taxonomy::Stream;
use tessera_model::{Handling, Markings};

use actions::visible_action;
pub(crate) use actions::{actions, add_action, set_action_status, set_stream_lead, stream_leads};
pub(crate) use disruptions::{disruption, disruptions, record_disruption};

use crate::maritime::EntityRef;

/// Whether a role keeps the action plan and the disruption log: the hub's analysts, investigators,
/// stream leads and administrators. Partners, debriefing officers and auditors only read them (as
/// their markings allow).
pub fn may_keep_plan(role: Role) -> bool {
    matches!(role, Role::Analyst | Role::Investigator | Role::StreamLead | Role::Administrator)
}

/// The lead of one stream of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamLead {
    /// The stream.
    pub stream: Stream,
    /// The stream's name.
    pub label: String,
    /// The lead agency.
    pub agency: String,
    /// The lead officer.
    pub lead: String,
    /// Who set it.
    pub updated_by: String,
    /// When (seconds since the epoch).
    pub updated_at: i64,
    /// The record's marking banner.
    pub banner: String,
}

/// A target as given when an action is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTarget {
    /// What kind of target.
    pub kind: TargetKind,
    /// Its id: an organisation entity id, a route or stream code, an ISO country code, an MO code.
    pub id: String,
}

/// A target as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// What kind of target.
    pub kind: TargetKind,
    /// Its id.
    pub id: String,
    /// How people read it (a group's caption as the viewer sees it, a route's name, ...).
    pub label: String,
}

/// An action to add to the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    /// The plan's reference, e.g. "FAC-2.3"; unique under one marking.
    pub reference: String,
    /// The stream it belongs to.
    pub stream: Stream,
    /// The objective it serves.
    pub objective: String,
    /// What is to be done.
    pub title: String,
    /// The agency that carries it out.
    pub agency: String,
    /// The officer who owns it.
    pub owner: String,
    /// When it started or starts (`YYYY-MM-DD`).
    #[serde(default)]
    pub start: Option<String>,
    /// When it is due (`YYYY-MM-DD`).
    #[serde(default)]
    pub due: Option<String>,
    /// Where it stands.
    #[serde(default = "planned")]
    pub status: ActionStatus,
    /// What it targets.
    #[serde(default)]
    pub targets: Vec<NewTarget>,
    /// Its markings.
    pub markings: Markings,
    /// Its handling code: `"P"`, or `"C: conditions"`.
    #[serde(default = "permissive", with = "handling_code")]
    pub handling: Handling,
}

fn planned() -> ActionStatus {
    ActionStatus::Planned
}

fn permissive() -> Handling {
    Handling::Permitted
}

/// A handling code in files: `"P"`, or `"C: conditions"` (serde `with` module).
pub mod handling_code {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use tessera_model::Handling;

    /// Writes `"P"` or `"C: conditions"`.
    pub fn serialize<S: Serializer>(handling: &Handling, out: S) -> Result<S::Ok, S::Error> {
        match handling {
            Handling::Permitted => out.serialize_str("P"),
            Handling::Conditions(c) => out.serialize_str(&format!("C: {c}")),
        }
    }

    /// Reads `"P"` or `"C: conditions"`.
    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Handling, D::Error> {
        let text = String::deserialize(input)?;
        let text = text.trim();
        if text.eq_ignore_ascii_case("P") {
            return Ok(Handling::Permitted);
        }
        match text.split_once(':') {
            Some((code, conditions)) if code.trim().eq_ignore_ascii_case("C") && !conditions.trim().is_empty() => {
                Ok(Handling::Conditions(conditions.trim().to_string()))
            }
            _ => Err(D::Error::custom(format!("handling {text:?}: expected \"P\" or \"C: conditions\""))),
        }
    }
}

/// One change of an action's status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionUpdate {
    /// When (seconds since the epoch).
    pub at: i64,
    /// Who.
    pub by: String,
    /// The new status.
    pub status: ActionStatus,
    /// Why, or what was done.
    pub note: String,
}

/// An action of the plan as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// Row id.
    pub id: i64,
    /// The plan's reference.
    pub reference: String,
    /// Its stream.
    pub stream: Stream,
    /// Its objective.
    pub objective: String,
    /// What is to be done.
    pub title: String,
    /// The agency that carries it out.
    pub agency: String,
    /// The officer who owns it.
    pub owner: String,
    /// Start date.
    pub start: Option<String>,
    /// Due date.
    pub due: Option<String>,
    /// Current status (the latest in its history).
    pub status: ActionStatus,
    /// Its targets the viewer may see (a group the viewer may not see is left out).
    pub targets: Vec<Target>,
    /// Every status it has had, oldest first (the first is its status when added).
    pub history: Vec<ActionUpdate>,
    /// Who added it.
    pub created_by: String,
    /// The record's classification.
    pub classification: tessera_model::Classification,
    /// The agency that owns the record.
    pub owner_agency: String,
    /// Marking banner.
    pub banner: String,
}

/// An asset a disruption took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// What kind.
    pub kind: AssetKind,
    /// What it is ("2 outboard engines, 40 hp", "Ford Transit AB12 CDE").
    pub description: String,
    /// How many.
    #[serde(default = "one")]
    pub quantity: u32,
    /// Value in pounds, when known.
    #[serde(default)]
    pub value_gbp: Option<f64>,
    /// Where it stands.
    pub status: AssetStatus,
}

fn one() -> u32 {
    1
}

/// A prosecution as given when a disruption is recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewProsecution {
    /// The defendant (a person entity id).
    pub defendant: String,
    /// The charge.
    pub charge: String,
    /// Where it stands.
    pub status: ProsecutionStatus,
    /// The date of that status (`YYYY-MM-DD`).
    #[serde(default)]
    pub date: Option<String>,
    /// The outcome (sentence, order).
    #[serde(default)]
    pub outcome: Option<String>,
}

/// A prosecution as read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prosecution {
    /// The defendant, if the viewer may see the person (otherwise `None`: "a defendant").
    pub defendant: Option<EntityRef>,
    /// The charge.
    pub charge: String,
    /// Where it stands.
    pub status: ProsecutionStatus,
    /// The date of that status.
    pub date: Option<String>,
    /// The outcome.
    pub outcome: Option<String>,
}

/// A disruption to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDisruption {
    /// The log's reference, e.g. "DIS-2024-017"; unique under one marking.
    pub reference: String,
    /// What was done.
    pub kind: DisruptionKind,
    /// When (`YYYY-MM-DD`).
    pub date: String,
    /// The agency that did it.
    pub agency: String,
    /// The group disrupted (an organisation entity id).
    #[serde(default)]
    pub group: Option<String>,
    /// The people it was done to (person entity ids).
    #[serde(default)]
    pub subjects: Vec<String>,
    /// What happened, in a few sentences.
    pub summary: String,
    /// The reports that evidence it.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The action of the plan it delivers (its reference).
    #[serde(default)]
    pub action: Option<String>,
    /// Social-media accounts taken down (takedowns).
    #[serde(default)]
    pub accounts: u32,
    /// The impact level the recorder gives it.
    pub impact: Impact,
    /// Why, when it differs from what the criteria give.
    #[serde(default)]
    pub impact_reason: Option<String>,
    /// The assets taken.
    #[serde(default)]
    pub assets: Vec<Asset>,
    /// The prosecutions that follow.
    #[serde(default)]
    pub prosecutions: Vec<NewProsecution>,
    /// Its markings.
    pub markings: Markings,
    /// Its handling code: `"P"`, or `"C: conditions"`.
    #[serde(default = "permissive", with = "handling_code")]
    pub handling: Handling,
}

/// A disruption as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disruption {
    /// Row id.
    pub id: i64,
    /// The log's reference.
    pub reference: String,
    /// What was done.
    pub kind: DisruptionKind,
    /// When.
    pub date: String,
    /// The agency that did it.
    pub agency: String,
    /// The group, if the viewer may see it.
    pub group: Option<EntityRef>,
    /// The subjects the viewer may see.
    pub subjects: Vec<EntityRef>,
    /// How many subjects the record names that the viewer may not see.
    pub other_subjects: usize,
    /// What happened.
    pub summary: String,
    /// The evidence reports the viewer may see.
    pub evidence: Vec<String>,
    /// The action of the plan it delivers.
    pub action: Option<String>,
    /// Accounts taken down.
    pub accounts: u32,
    /// The recorded impact level.
    pub impact: Impact,
    /// Why the recorded level differs from the criteria's, if it does.
    pub impact_reason: Option<String>,
    /// What the written criteria gave when it was recorded, and why.
    pub assessed: ImpactAssessment,
    /// The assets taken.
    pub assets: Vec<Asset>,
    /// Value of the assets denied (all but returned), in pounds.
    pub denied_gbp: f64,
    /// The prosecutions.
    pub prosecutions: Vec<Prosecution>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (seconds since the epoch).
    pub recorded_at: i64,
    /// The record's classification.
    pub classification: tessera_model::Classification,
    /// The agency that owns the record.
    pub owner_agency: String,
    /// Marking banner.
    pub banner: String,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Wrapped {
        #[serde(with = "handling_code")]
        handling: Handling,
    }

    fn read(text: &str) -> Result<Handling, String> {
        serde_json::from_value::<Wrapped>(serde_json::json!({ "handling": text }))
            .map(|w| w.handling)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn handling_codes_read_as_files_write_them() {
        assert_eq!(read("P"), Ok(Handling::Permitted));
        assert_eq!(read(" p "), Ok(Handling::Permitted));
        assert_eq!(read("C: hub agencies only"), Ok(Handling::Conditions("hub agencies only".into())));
        for bad in ["", "C", "C:", "C:   ", "X: y", "permitted"] {
            assert!(read(bad).is_err_and(|e| e.contains("expected")), "{bad:?}");
        }
    }

    proptest! {
        /// Any handling code a file holds reads back as written, and any text is read or refused
        /// without a panic.
        #[test]
        fn handling_codes_round_trip(conditions in "[^\\x00]{0,40}", noise in ".{0,40}") {
            let _ = read(&noise);
            let trimmed = conditions.trim();
            prop_assume!(!trimmed.is_empty());
            let handling = Handling::Conditions(trimmed.to_string());
            let text = serde_json::to_value(Wrapped { handling: handling.clone() }).unwrap();
            let back: Wrapped = serde_json::from_value(text).unwrap();
            prop_assert_eq!(back.handling, handling);
        }
    }
}
