//! The access policy: the one place where Tessera decides whether a viewer
//! may see a report or a statement, and whether an item may leave for a
//! recipient.
//!
//! Every read path (store queries, search, entity pages, counts, exports) asks
//! [`Policy::may_see`] or [`Policy::may_export`] before it returns anything;
//! nothing else in the code base compares classifications, compartments or
//! handling codes. A statement inherits the markings and grading of the report
//! it came from, so the same decision covers both.
//!
//! The rules, in order (all must hold):
//! 1. Role: auditors review the audit log and see no intelligence.
//! 2. Clearance: the viewer's clearance is at least the classification.
//! 3. Compartments: the viewer is read into every compartment the item carries.
//! 4. Caveats: "UK EYES ONLY" material is seen only by users of UK agencies.
//! 5. Handling: a partner agency's user (not a UK agency) sees material with
//!    handling code P, or material its own agency owns; code C material
//!    carries conditions written for the agencies of the hub, so it stays
//!    with them unless its owner releases it.
//!
//! Export to a recipient agency follows the same rules for that agency, and
//! is stricter: compartmented material never leaves, and only code P leaves
//! an agency that does not own it.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use tessera_model::{Classification, Handling, Markings};

/// What a user does in Tessera; decides what the user may do beyond what the markings allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Intelligence analyst.
    Analyst,
    /// Investigator of a taskforce.
    Investigator,
    /// Officer who debriefs migrants.
    DebriefingOfficer,
    /// Lead of a threat stream of the Strategic Action Plan.
    StreamLead,
    /// Liaison officer of a partner agency abroad.
    PartnerLiaison,
    /// Reviews the audit log; sees no intelligence.
    Auditor,
    /// Manages users and agencies.
    Administrator,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 7] = [
        Self::Analyst,
        Self::Investigator,
        Self::DebriefingOfficer,
        Self::StreamLead,
        Self::PartnerLiaison,
        Self::Auditor,
        Self::Administrator,
    ];

    /// The role's name in files, the CLI and the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Analyst => "analyst",
            Self::Investigator => "investigator",
            Self::DebriefingOfficer => "debriefing_officer",
            Self::StreamLead => "stream_lead",
            Self::PartnerLiaison => "partner_liaison",
            Self::Auditor => "auditor",
            Self::Administrator => "administrator",
        }
    }

    /// Parses a role name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Whether the role reads intelligence at all.
    pub fn reads_intelligence(self) -> bool {
        self != Self::Auditor
    }

    /// Whether the role may rule on entity resolution (confirm, reject or split a
    /// match): the hub's analysts, investigators, stream leads and administrators.
    /// Auditors see no intelligence, and partner liaison officers and debriefing
    /// officers record what they are told rather than judge the holdings.
    pub fn decides_matches(self) -> bool {
        matches!(self, Self::Analyst | Self::Investigator | Self::StreamLead | Self::Administrator)
    }

    /// Whether the role may read and export the audit log.
    pub fn reads_audit(self) -> bool {
        matches!(self, Self::Auditor | Self::Administrator)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who is looking: the facts about a user that access decisions depend on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// User name, written to the audit log.
    pub user: String,
    /// The user's agency code.
    pub agency: String,
    /// What the user does.
    pub role: Role,
    /// Highest classification the user is cleared to see.
    pub clearance: Classification,
    /// Compartments (operations, protected sources) the user is read into.
    pub compartments: BTreeSet<String>,
    /// Whether the user's agency is a UK agency of the hub (not a partner abroad).
    pub national: bool,
}

impl Viewer {
    /// The operator of a local, single-user installation: the person who owns
    /// the data directory and could read its files anyway. Used by the CLI,
    /// which works on the files directly.
    pub fn local_operator() -> Self {
        Self {
            user: "local-operator".into(),
            agency: "LOCAL".into(),
            role: Role::Administrator,
            clearance: Classification::TopSecret,
            compartments: BTreeSet::from([ALL_COMPARTMENTS.to_string()]),
            national: true,
        }
    }

    fn holds(&self, compartment: &str) -> bool {
        self.compartments.contains(ALL_COMPARTMENTS) || self.compartments.contains(compartment)
    }
}

/// The wildcard compartment held only by the local operator. Compartment
/// names given by users are refused if they equal it (see [`valid_compartment`]).
const ALL_COMPARTMENTS: &str = "*";

/// Whether a compartment name may be used in markings or granted to a user.
pub fn valid_compartment(name: &str) -> bool {
    !name.trim().is_empty() && name != ALL_COMPARTMENTS
}

/// Caveats that restrict material to UK agencies.
const NATIONAL_ONLY_CAVEATS: [&str; 2] = ["UK EYES ONLY", "UK-EYES-ONLY"];

fn national_only(markings: &Markings) -> bool {
    markings.caveats.iter().any(|c| NATIONAL_ONLY_CAVEATS.contains(&c.to_ascii_uppercase().as_str()))
}

/// An agency that an export goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// The agency's code.
    pub agency: String,
    /// Whether it is a UK agency of the hub.
    pub national: bool,
    /// The highest classification it may receive.
    pub clearance: Classification,
}

/// The access policy. Stateless today; a struct so that agency-specific rules can be configured later without touching callers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy;

impl Policy {
    /// Whether `viewer` may see material carrying `markings` under `handling` (see the module rules).
    pub fn may_see(&self, viewer: &Viewer, markings: &Markings, handling: &Handling) -> bool {
        viewer.role.reads_intelligence()
            && viewer.clearance >= markings.classification
            && markings.compartments.iter().all(|c| viewer.holds(c))
            && (viewer.national || !national_only(markings))
            && (viewer.national || markings.owner == viewer.agency || *handling == Handling::Permitted)
    }

    /// Whether material carrying `markings` under `handling` may be exported to `recipient`:
    /// never when compartmented; otherwise cleared, caveats respected, and code P unless the recipient owns it.
    pub fn may_export(&self, recipient: &Recipient, markings: &Markings, handling: &Handling) -> bool {
        markings.compartments.is_empty()
            && recipient.clearance >= markings.classification
            && (recipient.national || !national_only(markings))
            && (markings.owner == recipient.agency || *handling == Handling::Permitted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(clearance: Classification, compartments: &[&str], national: bool) -> Viewer {
        Viewer {
            user: "u".into(),
            agency: "A".into(),
            role: Role::Analyst,
            clearance,
            compartments: compartments.iter().map(|c| c.to_string()).collect(),
            national,
        }
    }

    fn marked(classification: Classification, compartments: &[&str], caveats: &[&str]) -> Markings {
        Markings {
            classification,
            owner: "NCA".into(),
            compartments: compartments.iter().map(|c| c.to_string()).collect(),
            caveats: caveats.iter().map(|c| c.to_string()).collect(),
        }
    }

    const P: Handling = Handling::Permitted;

    fn c() -> Handling {
        Handling::Conditions("not for court".into())
    }

    #[test]
    fn clearance_compartments_and_caveats_all_bind() {
        let p = Policy;
        let os = marked(Classification::OfficialSensitive, &[], &[]);
        assert!(p.may_see(&viewer(Classification::OfficialSensitive, &[], true), &os, &P));
        assert!(!p.may_see(&viewer(Classification::Official, &[], true), &os, &P));
        let op = marked(Classification::Official, &["OP-TIDEWAY"], &[]);
        assert!(!p.may_see(&viewer(Classification::TopSecret, &[], true), &op, &P));
        assert!(p.may_see(&viewer(Classification::Official, &["OP-TIDEWAY"], true), &op, &P));
        let uk = marked(Classification::Official, &[], &["UK EYES ONLY"]);
        assert!(!p.may_see(&viewer(Classification::TopSecret, &[], false), &uk, &P));
        assert!(p.may_see(&viewer(Classification::Official, &[], true), &uk, &P));
    }

    #[test]
    fn partners_see_code_p_and_their_own_material_only() {
        let partner = viewer(Classification::Secret, &[], false);
        let m = marked(Classification::Official, &[], &[]);
        assert!(Policy.may_see(&partner, &m, &P));
        assert!(!Policy.may_see(&partner, &m, &c()));
        let own = Markings { owner: "A".into(), ..m.clone() };
        assert!(Policy.may_see(&partner, &own, &c()));
        assert!(Policy.may_see(&viewer(Classification::Official, &[], true), &m, &c()), "hub agencies see code C");
    }

    #[test]
    fn auditors_see_no_intelligence() {
        let auditor = Viewer { role: Role::Auditor, ..viewer(Classification::TopSecret, &[], true) };
        assert!(!Policy.may_see(&auditor, &marked(Classification::Official, &[], &[]), &P));
        assert!(Role::Auditor.reads_audit() && !Role::Analyst.reads_audit());
        assert!(!Role::Auditor.decides_matches() && !Role::PartnerLiaison.decides_matches());
        assert!(Role::Analyst.decides_matches());
    }

    #[test]
    fn exports_are_stricter_than_reading() {
        let europol = Recipient { agency: "EUROPOL".into(), national: false, clearance: Classification::Secret };
        let m = marked(Classification::OfficialSensitive, &[], &[]);
        assert!(Policy.may_export(&europol, &m, &P));
        assert!(!Policy.may_export(&europol, &m, &c()));
        assert!(!Policy.may_export(&europol, &marked(Classification::Official, &["OP-X"], &[]), &P));
        assert!(!Policy.may_export(&europol, &marked(Classification::Official, &[], &["UK EYES ONLY"]), &P));
        assert!(!Policy.may_export(&europol, &marked(Classification::TopSecret, &[], &[]), &P));
        let own = Markings { owner: "EUROPOL".into(), ..m };
        assert!(Policy.may_export(&europol, &own, &c()));
    }

    #[test]
    fn local_operator_sees_everything() {
        let m = marked(Classification::TopSecret, &["OP-X", "SOURCE-9"], &["UK EYES ONLY"]);
        assert!(Policy.may_see(&Viewer::local_operator(), &m, &c()));
        assert!(!valid_compartment("*") && valid_compartment("OP-X"));
    }

    proptest::proptest! {
        #[test]
        fn a_viewer_never_sees_above_clearance(v in 0u8..4, m in 0u8..4, national: bool) {
            let v = viewer(Classification::from_rank(v).unwrap(), &[], national);
            let m = marked(Classification::from_rank(m).unwrap(), &[], &[]);
            if Policy.may_see(&v, &m, &P) {
                proptest::prop_assert!(v.clearance >= m.classification);
            }
        }

        #[test]
        fn nothing_exportable_is_invisible_to_the_recipients_own_users(
            r in 0u8..4, m in 0u8..4, national: bool, compartmented: bool, uk_only: bool, permitted: bool,
        ) {
            let recipient = Recipient { agency: "X".into(), national, clearance: Classification::from_rank(r).unwrap() };
            let compartments: &[&str] = if compartmented { &["OP-1"] } else { &[] };
            let caveats: &[&str] = if uk_only { &["UK EYES ONLY"] } else { &[] };
            let markings = marked(Classification::from_rank(m).unwrap(), compartments, caveats);
            let handling = if permitted { P } else { c() };
            let user = Viewer { agency: "X".into(), ..viewer(recipient.clearance, &["OP-1"], national) };
            if Policy.may_export(&recipient, &markings, &handling) {
                proptest::prop_assert!(Policy.may_see(&user, &markings, &handling));
            }
        }
    }
}
