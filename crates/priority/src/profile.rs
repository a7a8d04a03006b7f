//! What the engine is told about a group: lists of facts, each naming what it
//! is about and the reports behind it, so that a score can always be traced
//! back to the intelligence.

use serde::{Deserialize, Serialize};
use tessera_model::{IntelligenceAssessment, SourceEvaluation};

/// An amount of money as a report gave it (no conversion between currencies).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// Amount.
    pub value: f64,
    /// Currency as written (e.g. "EUR", "GBP").
    pub currency: String,
}

/// One fact about a group: a member, a traveller, a vessel, a payment, an
/// event... Counts are numbers of facts; explanations quote their labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// What the fact is about: an entity id, or a code (a country, a route).
    pub subject: String,
    /// How people read it, e.g. "HASSAN Karim (organiser)".
    pub label: String,
    /// When it happened (YYYY, YYYY-MM or YYYY-MM-DD), where that matters.
    pub date: Option<String>,
    /// An amount of money, for payments.
    pub amount: Option<Money>,
    /// The reports the fact rests on.
    pub reports: Vec<String>,
}

impl Fact {
    /// A fact about `subject`, shown as `label`, resting on `reports`.
    pub fn new(subject: impl Into<String>, label: impl Into<String>, reports: Vec<String>) -> Self {
        Self { subject: subject.into(), label: label.into(), date: None, amount: None, reports }
    }

    /// The same fact, dated.
    pub fn dated(mut self, date: impl Into<String>) -> Self {
        self.date = Some(date.into());
        self
    }

    /// The same fact, with an amount.
    pub fn with_amount(mut self, value: f64, currency: impl Into<String>) -> Self {
        self.amount = Some(Money { value, currency: currency.into() });
        self
    }
}

/// A report behind the profile, with the grading that confidence is read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Report reference.
    pub report: String,
    /// Submitting agency.
    pub agency: String,
    /// 3x5x2 source evaluation (1, 2, 3).
    pub source: SourceEvaluation,
    /// 3x5x2 intelligence assessment (A to E).
    pub intelligence: IntelligenceAssessment,
}

/// Plain facts about one group, gathered from the intelligence a viewer may see.
///
/// Each list holds distinct facts (one traveller once, one vessel once); the
/// builder decides what counts as what, and says so in its documentation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupProfile {
    /// The group's id (on the board: an organisation's entity id).
    pub id: String,
    /// The group's name.
    pub name: String,
    /// The date the assessment is made at (YYYY-MM-DD): recency and trend are measured back from it.
    pub as_of: String,

    /// People moved: travellers identified (paid a member, travelled on the group's craft or vehicles).
    pub travellers: Vec<Fact>,
    /// People moved: crossings and interceptions recorded.
    pub crossings: Vec<Fact>,
    /// Dangerous methods: small boats (dinghies, inflatables, wooden, iron and fishing boats) used or launched.
    pub small_boats: Vec<Fact>,
    /// Dangerous methods: people concealed in lorries or other vehicles.
    pub concealment: Vec<Fact>,
    /// Dangerous methods: other sea-going vessels carrying people.
    pub other_vessels: Vec<Fact>,
    /// Vulnerable victims: minors among the people moved.
    pub minors: Vec<Fact>,
    /// Vulnerable victims: indicators of trafficking or exploitation recorded.
    pub trafficking_indicators: Vec<Fact>,
    /// Deaths recorded.
    pub deaths: Vec<Fact>,
    /// Injuries recorded.
    pub injuries: Vec<Fact>,

    /// Members (distinct people).
    pub members: Vec<Fact>,
    /// Distinct roles among members (subject: the role).
    pub roles: Vec<Fact>,
    /// Vessels the group uses or owns.
    pub vessels: Vec<Fact>,
    /// Vehicles the group uses or owns.
    pub vehicles: Vec<Fact>,
    /// Phones, e-mail addresses and social-media accounts members use.
    pub communications: Vec<Fact>,
    /// Payments: payment events and payments to members.
    pub payments: Vec<Fact>,
    /// Bank accounts members hold.
    pub accounts: Vec<Fact>,
    /// Cryptocurrency wallets members control.
    pub wallets: Vec<Fact>,
    /// False documents (forged, counterfeit, impostor, fraudulently obtained) supplied or used.
    pub false_documents: Vec<Fact>,
    /// Countries the group is recorded in (subject: ISO 3166-1 alpha-2).
    pub countries: Vec<Fact>,
    /// Routes the group's reports concern (subject: route code).
    pub routes: Vec<Fact>,
    /// Ties between members (associates, family, calls, payments among them).
    pub ties: Vec<Fact>,

    /// Dated activity (crossings, interceptions, sightings, payments, seizures).
    pub activity: Vec<Fact>,
    /// Dated disruptions (arrests).
    pub disruptions: Vec<Fact>,

    /// The reports behind the facts, with their grading.
    pub sources: Vec<Source>,
}

/// Why a profile cannot be assessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileError {
    /// A date is not YYYY, YYYY-MM or YYYY-MM-DD.
    BadDate {
        /// Where the date was found.
        field: String,
        /// The date as given.
        value: String,
    },
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadDate { field, value } => {
                write!(f, "{field}: {value:?} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
            }
        }
    }
}

impl std::error::Error for ProfileError {}

/// Days since 1970-01-01 of a date (the vocabulary's reading of partial dates).
pub use tessera_model::time::day_number;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_follow_the_calendar() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2024-03-01"), day_number("2024-02-29").map(|d| d + 1));
        assert_eq!(day_number("2023-03-01"), day_number("2023-02-28").map(|d| d + 1));
        assert_eq!(day_number("2024"), day_number("2024-01-01"));
        assert_eq!(day_number("2024-05"), day_number("2024-05-01"));
        assert_eq!(day_number("2024-05-01T10:00:00Z"), day_number("2024-05-01"));
        assert_eq!(day_number("2001-01-01"), Some(11_323));
        for bad in ["", "2024-13-01", "2023-02-29", "24-01-01", "2024-01-32", "yesterday", "2024-1-1"] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }
}
