//! The vocabulary of the Strategic Action Plan and of disruptions: what an
//! action's status can be, what kinds of disruption, asset and prosecution
//! outcome are recorded, and the written criteria for a disruption's impact.
//!
//! No public source defines the NCA's major / moderate / minor impact levels
//! (see `shared/reference/standards.md`), so Tessera writes its own criteria
//! down here, shows them to users beside every disruption, and lets a
//! deployment change the thresholds ([`ImpactCriteria`]).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares a closed list of codes with their file names and labels.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as written in files, the CLI and the API.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Name shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Parses a code (case-insensitive; `-` and spaces read as `_`).
            pub fn from_name(name: &str) -> Option<Self> {
                let wanted = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                Self::ALL.iter().copied().find(|v| v.name() == wanted)
            }

            /// Every code, comma-separated, for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

vocabulary! {
    /// Where an action of the Strategic Action Plan stands.
    ActionStatus {
        /// Agreed, not started.
        Planned = "planned", "Planned";
        /// Under way.
        InProgress = "in_progress", "In progress";
        /// Done.
        Complete = "complete", "Complete";
        /// Stopped before it was done.
        Cancelled = "cancelled", "Cancelled";
    }
}

vocabulary! {
    /// What was done to a group or a person.
    DisruptionKind {
        /// People arrested.
        Arrest = "arrest", "Arrest";
        /// People charged.
        Charge = "charge", "Charge";
        /// People convicted.
        Conviction = "conviction", "Conviction";
        /// Property seized: cash, vehicles, vessels, documents, boats and engines.
        Seizure = "seizure", "Seizure";
        /// Assets restrained (frozen) pending proceedings.
        AssetRestraint = "asset_restraint", "Asset restraint";
        /// Assets confiscated after conviction.
        Confiscation = "confiscation", "Confiscation";
        /// Social-media accounts or posts advertising crossings taken down.
        SocialMediaTakedown = "social_media_takedown", "Social-media takedown";
        /// A vessel stopped at sea or in port.
        VesselInterdiction = "vessel_interdiction", "Vessel interdiction";
        /// A travel restriction or banning order.
        TravelOrder = "travel_order", "Travel order";
        /// A financial order (account freezing, serious crime prevention order).
        FinancialOrder = "financial_order", "Financial order";
    }
}

vocabulary! {
    /// What an action of the plan targets (and what a priority threat is).
    TargetKind {
        /// An organised crime group (an organisation entity).
        Group = "group", "Group";
        /// A route (`channel`, ...).
        Route = "route", "Route";
        /// A country (ISO alpha-2).
        Country = "country", "Country";
        /// A nationality (ISO alpha-2).
        Nationality = "nationality", "Nationality";
        /// A modus operandi code of the picture (`small_boat`, ...).
        Mo = "mo", "Modus operandi";
        /// A report stream code (`facilitation_sea`, ...).
        Stream = "stream", "Stream";
    }
}

vocabulary! {
    /// What kind of property a disruption took.
    AssetKind {
        /// Cash.
        Cash = "cash", "Cash";
        /// Road vehicles.
        Vehicle = "vehicle", "Vehicle";
        /// Vessels other than small boats.
        Vessel = "vessel", "Vessel";
        /// Small boats (dinghies, inflatables).
        Boat = "boat", "Boat";
        /// Outboard engines.
        Engine = "engine", "Engine";
        /// Identity documents, genuine or false.
        Documents = "documents", "Documents";
        /// Land and buildings.
        Property = "property", "Property";
        /// Money in bank or payment accounts.
        BankFunds = "bank_funds", "Bank funds";
        /// Cryptoassets.
        Crypto = "crypto", "Cryptoassets";
        /// Anything else.
        Other = "other", "Other";
    }
}

vocabulary! {
    /// Where an asset stands.
    AssetStatus {
        /// Taken into custody.
        Seized = "seized", "Seized";
        /// Frozen by an order pending proceedings.
        Restrained = "restrained", "Restrained";
        /// Confiscated by a court after conviction.
        Confiscated = "confiscated", "Confiscated";
        /// Forfeited in civil proceedings.
        Forfeited = "forfeited", "Forfeited";
        /// Given back.
        Returned = "returned", "Returned";
    }
}

impl ActionStatus {
    /// Whether the action is still to be delivered (planned or in progress): the plan board and
    /// the review both call an open action past its due date overdue.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Planned | Self::InProgress)
    }
}

impl AssetStatus {
    /// Whether the asset counts as denied to the criminals (everything but returned).
    pub fn denied(self) -> bool {
        self != Self::Returned
    }
}

vocabulary! {
    /// Where a prosecution stands.
    ProsecutionStatus {
        /// Charged.
        Charged = "charged", "Charged";
        /// Awaiting trial.
        AwaitingTrial = "awaiting_trial", "Awaiting trial";
        /// Convicted.
        Convicted = "convicted", "Convicted";
        /// Acquitted.
        Acquitted = "acquitted", "Acquitted";
        /// Discontinued.
        Discontinued = "discontinued", "Discontinued";
    }
}

vocabulary! {
    /// How much a disruption hurt the group, on the NCA's three levels.
    Impact {
        /// Major.
        Major = "major", "Major";
        /// Moderate.
        Moderate = "moderate", "Moderate";
        /// Minor.
        Minor = "minor", "Minor";
    }
}

/// Words of a person's `role` that make them a leader, organiser or financier for the impact criteria.
pub const LEADING_ROLES: &[&str] = &["leader", "organiser", "organizer", "financier", "head", "boss", "controller"];

/// Whether a `role` as a report states it is a leading one ([`LEADING_ROLES`]).
pub fn is_leading_role(role: &str) -> bool {
    let role = role.to_lowercase();
    LEADING_ROLES.iter().any(|w| role.contains(w))
}

/// The facts of a disruption the impact criteria look at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImpactFacts {
    /// What was done.
    pub kind: Option<DisruptionKind>,
    /// People named as its subjects.
    pub subjects: usize,
    /// Of them, people recorded in a leading role (leader, organiser, financier) of the group.
    pub leaders: usize,
    /// Value of the assets denied, in pounds.
    pub assets_gbp: f64,
    /// Boats, engines and vessels taken.
    pub craft: usize,
    /// Social-media accounts taken down.
    pub accounts: usize,
}

/// The thresholds of the impact criteria; a deployment may change them (the texts follow).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImpactCriteria {
    /// Assets denied (pounds) at or above which a disruption is major.
    pub major_assets_gbp: f64,
    /// Assets denied (pounds) at or above which a disruption is at least moderate.
    pub moderate_assets_gbp: f64,
    /// People arrested, charged or convicted at once at or above which a disruption is major.
    pub major_subjects: usize,
    /// Boats, engines and vessels taken at or above which a disruption is at least moderate.
    pub moderate_craft: usize,
    /// Accounts taken down at or above which a takedown is at least moderate.
    pub moderate_accounts: usize,
}

impl Default for ImpactCriteria {
    fn default() -> Self {
        Self {
            major_assets_gbp: 250_000.0,
            moderate_assets_gbp: 25_000.0,
            major_subjects: 5,
            moderate_craft: 3,
            moderate_accounts: 3,
        }
    }
}

/// One written criterion: the level it gives and the rule in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// The level the rule gives.
    pub level: Impact,
    /// The rule, as users read it.
    pub text: String,
}

/// What the criteria say of one disruption: the level and every rule that gave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactAssessment {
    /// The highest level any rule gives.
    pub level: Impact,
    /// The rules that held, highest level first (the last is always the floor rule).
    pub reasons: Vec<String>,
}

/// An amount of pounds as people read it: "£1,234,567" (whole pounds; negative shown as £0).
pub fn pounds(value: f64) -> String {
    let whole = value.round().max(0.0) as u64;
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("£{out}")
}

impl ImpactCriteria {
    /// The criteria in words, major first: what users read beside every disruption.
    pub fn criteria(&self) -> Vec<Criterion> {
        let major = [
            "a leader, organiser or financier of the group is charged or convicted".to_string(),
            format!(
                "{} or more of its people are arrested, charged or convicted in one operation",
                self.major_subjects
            ),
            format!("assets worth {} or more are denied to it", pounds(self.major_assets_gbp)),
            "a vessel carrying or about to carry people is interdicted".to_string(),
        ];
        let moderate = [
            "any of its people are charged or convicted, or a leader, organiser or financier is arrested".to_string(),
            format!("assets worth {} or more are denied to it", pounds(self.moderate_assets_gbp)),
            format!("{} or more boats, engines or vessels are seized", self.moderate_craft),
            format!("{} or more of its advertising accounts are taken down", self.moderate_accounts),
            "a travel or financial order is made against one of its people".to_string(),
        ];
        let minor = ["any other recorded disruption (an arrest of a peripheral member, a small seizure, \
                      a single takedown): the group can carry on with little delay"
            .to_string()];
        let rules = |level, texts: &[String]| {
            texts.iter().map(move |t| Criterion { level, text: t.clone() }).collect::<Vec<_>>()
        };
        let mut out = rules(Impact::Major, &major);
        out.extend(rules(Impact::Moderate, &moderate));
        out.extend(rules(Impact::Minor, &minor));
        out
    }

    /// The level the criteria give a disruption, with every rule that held.
    pub fn assess(&self, facts: &ImpactFacts) -> ImpactAssessment {
        use DisruptionKind as K;
        let criteria = self.criteria();
        let text = |i: usize| criteria[i].text.clone();
        let prosecuted = matches!(facts.kind, Some(K::Charge | K::Conviction));
        let people = matches!(facts.kind, Some(K::Arrest | K::Charge | K::Conviction));
        let mut reasons = Vec::new();
        let mut level = Impact::Minor;
        let mut hold = |cond: bool, rule: Impact, i: usize| {
            if cond {
                reasons.push(format!("{}: {}", rule.label(), text(i)));
                if rule < level {
                    level = rule;
                }
            }
        };
        hold(prosecuted && facts.leaders > 0, Impact::Major, 0);
        hold(people && facts.subjects >= self.major_subjects, Impact::Major, 1);
        hold(facts.assets_gbp >= self.major_assets_gbp, Impact::Major, 2);
        hold(facts.kind == Some(K::VesselInterdiction), Impact::Major, 3);
        hold((prosecuted && facts.subjects > 0) || (people && facts.leaders > 0), Impact::Moderate, 4);
        hold(facts.assets_gbp >= self.moderate_assets_gbp, Impact::Moderate, 5);
        hold(facts.craft >= self.moderate_craft, Impact::Moderate, 6);
        hold(facts.accounts >= self.moderate_accounts, Impact::Moderate, 7);
        hold(matches!(facts.kind, Some(K::TravelOrder | K::FinancialOrder)), Impact::Moderate, 8);
        hold(true, Impact::Minor, 9);
        ImpactAssessment { level, reasons }
    }

    /// Checks the thresholds: finite, not negative, the major asset threshold not below the moderate one.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in
            [("major_assets_gbp", self.major_assets_gbp), ("moderate_assets_gbp", self.moderate_assets_gbp)]
        {
            if !v.is_finite() || v < 0.0 {
                return Err(format!("{name}: {v} is not an amount of pounds"));
            }
        }
        if self.major_assets_gbp < self.moderate_assets_gbp {
            return Err("major_assets_gbp: below moderate_assets_gbp".into());
        }
        if self.major_subjects == 0 {
            return Err("major_subjects: must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_read_loosely() {
        for kind in DisruptionKind::ALL {
            assert_eq!(DisruptionKind::from_name(kind.name()), Some(*kind));
        }
        assert_eq!(DisruptionKind::from_name("Social-Media Takedown"), Some(DisruptionKind::SocialMediaTakedown));
        assert_eq!(ActionStatus::from_name("in progress"), Some(ActionStatus::InProgress));
        assert_eq!(AssetKind::from_name("spaceship"), None);
        assert!(DisruptionKind::names().contains("vessel_interdiction"));
    }

    #[test]
    fn pounds_are_grouped_in_thousands() {
        assert_eq!(pounds(1_234_567.4), "£1,234,567");
        assert_eq!(pounds(999.0), "£999");
        assert_eq!(pounds(-5.0), "£0");
    }

    #[test]
    fn returned_assets_are_not_denied() {
        assert!(AssetStatus::Seized.denied());
        assert!(AssetStatus::Confiscated.denied());
        assert!(!AssetStatus::Returned.denied());
    }

    fn assess(facts: ImpactFacts) -> ImpactAssessment {
        ImpactCriteria::default().assess(&facts)
    }

    #[test]
    fn the_criteria_grade_what_was_done() {
        use DisruptionKind as K;
        let charged_leader =
            assess(ImpactFacts { kind: Some(K::Charge), subjects: 1, leaders: 1, ..Default::default() });
        assert_eq!(charged_leader.level, Impact::Major);
        assert!(charged_leader.reasons[0].contains("leader"), "{:?}", charged_leader.reasons);

        let arrested_leader =
            assess(ImpactFacts { kind: Some(K::Arrest), subjects: 1, leaders: 1, ..Default::default() });
        assert_eq!(arrested_leader.level, Impact::Moderate);

        let one_arrest = assess(ImpactFacts { kind: Some(K::Arrest), subjects: 1, ..Default::default() });
        assert_eq!(one_arrest.level, Impact::Minor);
        assert_eq!(one_arrest.reasons.len(), 1);

        let five_arrests = assess(ImpactFacts { kind: Some(K::Arrest), subjects: 5, ..Default::default() });
        assert_eq!(five_arrests.level, Impact::Major);

        let big_seizure = assess(ImpactFacts { kind: Some(K::Seizure), assets_gbp: 300_000.0, ..Default::default() });
        assert_eq!(big_seizure.level, Impact::Major);
        let small_seizure = assess(ImpactFacts { kind: Some(K::Seizure), assets_gbp: 24_999.0, ..Default::default() });
        assert_eq!(small_seizure.level, Impact::Minor);
        let boats = assess(ImpactFacts { kind: Some(K::Seizure), craft: 3, ..Default::default() });
        assert_eq!(boats.level, Impact::Moderate);
        let takedown = assess(ImpactFacts { kind: Some(K::SocialMediaTakedown), accounts: 4, ..Default::default() });
        assert_eq!(takedown.level, Impact::Moderate);
        let interdiction = assess(ImpactFacts { kind: Some(K::VesselInterdiction), ..Default::default() });
        assert_eq!(interdiction.level, Impact::Major);
    }

    #[test]
    fn thresholds_change_the_words_and_the_levels() {
        let strict = ImpactCriteria { moderate_assets_gbp: 50_000.0, ..ImpactCriteria::default() };
        assert!(strict.criteria().iter().any(|c| c.text.contains("£50,000")));
        let facts = ImpactFacts { kind: Some(DisruptionKind::Seizure), assets_gbp: 30_000.0, ..Default::default() };
        assert_eq!(strict.assess(&facts).level, Impact::Minor);
        assert_eq!(ImpactCriteria::default().assess(&facts).level, Impact::Moderate);
        assert!(ImpactCriteria { major_assets_gbp: 1.0, ..ImpactCriteria::default() }.validate().is_err());
        assert!(ImpactCriteria::default().validate().is_ok());
    }
}
