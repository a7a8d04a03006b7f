//! The access policy: the one place where Tessera decides whether a viewer
//! may see a report or a statement.
//!
//! Every read path (store queries, search, entity pages, exports) asks
//! [`Policy::may_see`] before it returns anything; nothing else in the code
//! base compares classifications or compartments. A statement inherits the
//! markings of the report it came from, so the same check covers both.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use tessera_model::{Classification, Markings};

/// Who is looking: the facts about a user that access decisions depend on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// User name, written to the audit log.
    pub user: String,
    /// The user's agency code.
    pub agency: String,
    /// Highest classification the user is cleared to see.
    pub clearance: Classification,
    /// Compartments (operations, protected sources) the user is read into.
    pub compartments: BTreeSet<String>,
    /// Whether the user belongs to a UK agency (caveats such as "UK EYES ONLY" need it).
    pub national: bool,
}

impl Viewer {
    /// The operator of a local, single-user installation: the person who owns
    /// the data directory and could read its files anyway. Used by the CLI and
    /// by `serve` until users and login exist.
    pub fn local_operator() -> Self {
        Self {
            user: "local-operator".into(),
            agency: "LOCAL".into(),
            clearance: Classification::TopSecret,
            compartments: BTreeSet::new(),
            national: true,
        }
        .read_into_all()
    }

    /// Marks the viewer as read into every compartment (for the local operator only).
    fn read_into_all(mut self) -> Self {
        self.compartments.insert(ALL_COMPARTMENTS.to_string());
        self
    }

    fn holds(&self, compartment: &str) -> bool {
        self.compartments.contains(ALL_COMPARTMENTS) || self.compartments.contains(compartment)
    }
}

/// The wildcard compartment held only by the local operator.
const ALL_COMPARTMENTS: &str = "*";

/// Caveats that restrict material to UK nationals' agencies.
const NATIONAL_ONLY_CAVEATS: [&str; 2] = ["UK EYES ONLY", "UK-EYES-ONLY"];

/// The access policy. Stateless today; a struct so that agency-specific rules can be configured later without touching callers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy;

impl Policy {
    /// Whether `viewer` may see material carrying `markings`: cleared to its
    /// classification, read into every compartment, and national when it
    /// carries a UK-only caveat.
    pub fn may_see(&self, viewer: &Viewer, markings: &Markings) -> bool {
        viewer.clearance >= markings.classification
            && markings.compartments.iter().all(|c| viewer.holds(c))
            && (viewer.national
                || !markings.caveats.iter().any(|c| NATIONAL_ONLY_CAVEATS.contains(&c.to_ascii_uppercase().as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(clearance: Classification, compartments: &[&str], national: bool) -> Viewer {
        Viewer {
            user: "u".into(),
            agency: "A".into(),
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

    #[test]
    fn clearance_compartments_and_caveats_all_bind() {
        let p = Policy;
        let os = marked(Classification::OfficialSensitive, &[], &[]);
        assert!(p.may_see(&viewer(Classification::OfficialSensitive, &[], true), &os));
        assert!(!p.may_see(&viewer(Classification::Official, &[], true), &os));
        let op = marked(Classification::Official, &["OP-TIDEWAY"], &[]);
        assert!(!p.may_see(&viewer(Classification::TopSecret, &[], true), &op));
        assert!(p.may_see(&viewer(Classification::Official, &["OP-TIDEWAY"], true), &op));
        let uk = marked(Classification::Official, &[], &["UK EYES ONLY"]);
        assert!(!p.may_see(&viewer(Classification::TopSecret, &[], false), &uk));
        assert!(p.may_see(&viewer(Classification::Official, &[], true), &uk));
    }

    #[test]
    fn local_operator_sees_everything() {
        let m = marked(Classification::TopSecret, &["OP-X", "SOURCE-9"], &["UK EYES ONLY"]);
        assert!(Policy.may_see(&Viewer::local_operator(), &m));
    }

    proptest::proptest! {
        #[test]
        fn a_viewer_never_sees_above_clearance(v in 0u8..4, m in 0u8..4) {
            let v = viewer(Classification::from_rank(v).unwrap(), &[], true);
            let m = marked(Classification::from_rank(m).unwrap(), &[], &[]);
            proptest::prop_assert_eq!(Policy.may_see(&v, &m), v.clearance >= m.classification);
        }
    }
}
