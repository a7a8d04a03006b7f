//! The factors, their written level descriptors, and the step functions that
//! turn counts into levels. Every threshold is here, and nowhere else.

use serde::Serialize;

/// The three dimensions a group is scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The harm the group does (MoRiLE's harm section; OCGM's criminality).
    Harm,
    /// What the group is able to do (OCGM's capability and sophistication, size, geographic range).
    Capability,
    /// Whether the group is active and persisting (the likelihood that the harm goes on).
    Intent,
}

impl Dimension {
    /// Every dimension, in display order.
    pub const ALL: [Dimension; 3] = [Self::Harm, Self::Capability, Self::Intent];

    /// Name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Harm => "Harm",
            Self::Capability => "Capability",
            Self::Intent => "Intent",
        }
    }
}

/// One scored factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// How many people the group is recorded moving.
    PeopleMoved,
    /// How dangerous its methods are.
    DangerousMethods,
    /// Minors and victims of trafficking or exploitation among the people moved.
    Vulnerability,
    /// Deaths and injuries recorded.
    Casualties,
    /// Number of members.
    Size,
    /// Distinct roles among members (specialisation).
    Roles,
    /// Vessels, vehicles and communications.
    Assets,
    /// Payments, bank accounts and cryptocurrency.
    Finance,
    /// False documents supplied or used.
    FalseDocuments,
    /// Countries and routes.
    Reach,
    /// Ties among members.
    Cohesion,
    /// How recently the group was active.
    Recency,
    /// Activity in the last 90 days against the rate of the year before.
    Trend,
    /// Activity continuing after the latest disruption.
    Resilience,
}

/// The counts the factors are computed from (derived from a profile by [`crate::assess`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Inputs {
    pub travellers: u64,
    pub crossings: u64,
    pub small_boats: u64,
    pub concealment: u64,
    pub other_vessels: u64,
    pub minors: u64,
    pub indicators: u64,
    pub deaths: u64,
    pub injuries: u64,
    pub members: u64,
    pub roles: u64,
    pub vessels: u64,
    pub vehicles: u64,
    pub communications: u64,
    pub payments: u64,
    pub accounts: u64,
    pub wallets: u64,
    pub false_documents: u64,
    pub countries: u64,
    pub routes: u64,
    pub ties: u64,
    /// Days from the latest dated activity to the assessment date (`None`: no dated activity).
    pub days_since_activity: Option<u64>,
    /// Dated activity in the last 90 days.
    pub recent: u64,
    /// Dated activity in the 365 days before those 90.
    pub prior: u64,
    /// Dated activity after the latest disruption (`None`: no disruption recorded).
    pub after_disruption: Option<u64>,
}

/// The level of `n` on thresholds `t` (`t[i]` is the least count for level `i + 1`).
fn steps(n: u64, t: [u64; 4]) -> u8 {
    t.iter().filter(|&&least| n >= least).count() as u8
}

/// Weight of a vessel or vehicle in the assets points.
pub(crate) const ASSET_WEIGHT: u64 = 2;
/// Weight of a bank account in the finance points.
pub(crate) const ACCOUNT_WEIGHT: u64 = 3;
/// Weight of a cryptocurrency wallet in the finance points.
pub(crate) const WALLET_WEIGHT: u64 = 5;
/// Days of "recent" activity for the trend.
pub(crate) const RECENT_DAYS: i64 = 90;
/// Days before the recent window that the trend compares against.
pub(crate) const PRIOR_DAYS: i64 = 365;

impl Factor {
    /// Every factor, in display order (harm, then capability, then intent).
    pub const ALL: [Factor; 14] = [
        Self::PeopleMoved,
        Self::DangerousMethods,
        Self::Vulnerability,
        Self::Casualties,
        Self::Size,
        Self::Roles,
        Self::Assets,
        Self::Finance,
        Self::FalseDocuments,
        Self::Reach,
        Self::Cohesion,
        Self::Recency,
        Self::Trend,
        Self::Resilience,
    ];

    /// The dimension the factor scores.
    pub fn dimension(self) -> Dimension {
        match self {
            Self::PeopleMoved | Self::DangerousMethods | Self::Vulnerability | Self::Casualties => Dimension::Harm,
            Self::Size
            | Self::Roles
            | Self::Assets
            | Self::Finance
            | Self::FalseDocuments
            | Self::Reach
            | Self::Cohesion => Dimension::Capability,
            Self::Recency | Self::Trend | Self::Resilience => Dimension::Intent,
        }
    }

    /// Name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::PeopleMoved => "People moved",
            Self::DangerousMethods => "Dangerous methods",
            Self::Vulnerability => "Vulnerable victims and exploitation",
            Self::Casualties => "Deaths and injuries",
            Self::Size => "Size",
            Self::Roles => "Distinct roles",
            Self::Assets => "Vessels, vehicles and communications",
            Self::Finance => "Money flows",
            Self::FalseDocuments => "False documents",
            Self::Reach => "Geographic reach",
            Self::Cohesion => "Network cohesion",
            Self::Recency => "Recency of activity",
            Self::Trend => "Trend of activity",
            Self::Resilience => "Activity after disruption",
        }
    }

    /// What is counted, in one sentence.
    pub fn counts(self) -> &'static str {
        match self {
            Self::PeopleMoved => {
                "Travellers identified (paid a member, or travelled on the group's craft or vehicles) plus crossings and interceptions recorded."
            }
            Self::DangerousMethods => {
                "Small boats (dinghies, inflatables, wooden, iron and fishing boats) and concealment in lorries or vehicles (severity 3), other vessels carrying people (severity 2)."
            }
            Self::Vulnerability => {
                "Minors among the people moved (age at the report date from a recorded date of birth), and recorded indicators of trafficking or exploitation."
            }
            Self::Casualties => "Deaths and injuries recorded in events or notes linked to the group.",
            Self::Size => "Distinct members: people linked to the group by member_of, once per resolved person.",
            Self::Roles => {
                "Distinct roles recorded for members (leader, organiser, recruiter, money handler, driver...)."
            }
            Self::Assets => {
                "Points: 2 per vessel or vehicle used or owned, 1 per phone, e-mail or social-media account members use."
            }
            Self::Finance => {
                "Points: 1 per payment (payment events and payments to members), 3 per bank account, 5 per cryptocurrency wallet."
            }
            Self::FalseDocuments => {
                "Forged, counterfeit, impostor or fraudulently obtained documents used by members or the people they moved."
            }
            Self::Reach => {
                "Countries the group is recorded in (its own, events, places, accounts) and routes its reports concern."
            }
            Self::Cohesion => {
                "Distinct pairs of members tied by association, family, calls between their phones or payments."
            }
            Self::Recency => "Days from the group's latest dated activity to the assessment date.",
            Self::Trend => {
                "Dated activity in the last 90 days against the 90-day rate of the 365 days before (a falling count lowers the level)."
            }
            Self::Resilience => {
                "Dated activity after the latest recorded disruption (arrest); not assessed if none is recorded."
            }
        }
    }

    /// The written descriptor of each level, 0 to 4.
    pub fn descriptors(self) -> [&'static str; 5] {
        match self {
            Self::PeopleMoved => ["None recorded", "1 to 4 people or crossings", "5 to 19", "20 to 99", "100 or more"],
            Self::DangerousMethods => [
                "No dangerous method recorded",
                "(not used: the least severe method is severity 2)",
                "Other vessels carrying people",
                "Small boats or concealment in vehicles",
                "Severity 3 with 10 or more occurrences, or both small boats and concealment",
            ],
            Self::Vulnerability => [
                "No minor and no indicator recorded",
                "One indicator of trafficking or exploitation",
                "2 to 4 indicators, or one minor",
                "5 or more indicators, or 2 to 4 minors",
                "5 or more minors, or minors together with indicators of trafficking",
            ],
            Self::Casualties => [
                "None recorded",
                "(not used)",
                "1 to 4 injuries",
                "One death, or 5 or more injuries",
                "2 or more deaths, or a death with 5 or more injuries",
            ],
            Self::Size => ["One member or none", "2 to 4 members", "5 to 9", "10 to 19", "20 or more"],
            Self::Roles => ["No role recorded", "One role", "2 roles", "3 or 4 roles", "5 or more roles"],
            Self::Assets => ["None", "1 to 3 points", "4 to 9 points", "10 to 19 points", "20 points or more"],
            Self::Finance => ["None", "1 to 4 points", "5 to 14 points", "15 to 39 points", "40 points or more"],
            Self::FalseDocuments => ["None", "One document", "2 or 3", "4 to 9", "10 or more"],
            Self::Reach => [
                "No country or route recorded",
                "One country",
                "2 or 3 countries, or one route",
                "4 or 5 countries, or 2 routes",
                "6 or more countries, or 3 or more routes",
            ],
            Self::Cohesion => ["No tie among members", "1 or 2 ties", "3 to 5", "6 to 11", "12 or more"],
            Self::Recency => [
                "No activity within a year (or none dated)",
                "Latest activity 181 to 365 days ago",
                "91 to 180 days ago",
                "31 to 90 days ago",
                "Within the last 30 days",
            ],
            Self::Trend => [
                "No activity in the last 90 days",
                "Falling: under half the earlier rate",
                "Steady: 0.5 to 1.5 times the earlier rate",
                "Rising (1.5 to 3 times), or new activity with none before",
                "Surging: 3 times the earlier rate or more, with at least 3 recent activities",
            ],
            Self::Resilience => [
                "No activity since the latest disruption",
                "1 or 2 activities since",
                "3 to 9 since",
                "10 to 24 since",
                "25 or more since",
            ],
        }
    }

    /// The factor's level, 0 to 4; `None` when the factor does not apply (no disruption recorded).
    pub(crate) fn level(self, i: &Inputs) -> Option<u8> {
        Some(match self {
            Self::PeopleMoved => steps(i.travellers + i.crossings, [1, 5, 20, 100]),
            Self::DangerousMethods => {
                let severe = i.small_boats + i.concealment;
                let base = if severe > 0 {
                    3
                } else if i.other_vessels > 0 {
                    2
                } else {
                    0
                };
                let both = i.small_boats > 0 && i.concealment > 0;
                if severe >= 10 || both { 4 } else { base }
            }
            Self::Vulnerability => {
                let by_indicators = steps(i.indicators, [1, 2, 5, u64::MAX]);
                let by_minors = match i.minors {
                    0 => 0,
                    1 => 2,
                    2..=4 => 3,
                    _ => 4,
                };
                if i.minors > 0 && i.indicators > 0 { 4 } else { by_indicators.max(by_minors) }
            }
            Self::Casualties => match (i.deaths, i.injuries) {
                (d, _) if d >= 2 => 4,
                (1, j) if j >= 5 => 4,
                (1, _) => 3,
                (0, j) if j >= 5 => 3,
                (0, j) if j >= 1 => 2,
                _ => 0,
            },
            Self::Size => steps(i.members, [2, 5, 10, 20]),
            Self::Roles => steps(i.roles, [1, 2, 3, 5]),
            Self::Assets => steps(ASSET_WEIGHT * (i.vessels + i.vehicles) + i.communications, [1, 4, 10, 20]),
            Self::Finance => {
                steps(i.payments + ACCOUNT_WEIGHT * i.accounts + WALLET_WEIGHT * i.wallets, [1, 5, 15, 40])
            }
            Self::FalseDocuments => steps(i.false_documents, [1, 2, 4, 10]),
            Self::Reach => {
                let by_countries = steps(i.countries, [1, 2, 4, 6]);
                let by_routes = match i.routes {
                    0 => 0,
                    1 => 2,
                    2 => 3,
                    _ => 4,
                };
                by_countries.max(by_routes)
            }
            Self::Cohesion => steps(i.ties, [1, 3, 6, 12]),
            Self::Recency => match i.days_since_activity {
                None => 0,
                Some(d) if d <= 30 => 4,
                Some(d) if d <= 90 => 3,
                Some(d) if d <= 180 => 2,
                Some(d) if d <= 365 => 1,
                Some(_) => 0,
            },
            Self::Trend => trend_level(i.recent, i.prior),
            Self::Resilience => steps(i.after_disruption?, [1, 3, 10, 25]),
        })
    }
}

/// The 90-day rate of `prior` activities spread over [`PRIOR_DAYS`].
pub(crate) fn prior_rate(prior: u64) -> f64 {
    prior as f64 * RECENT_DAYS as f64 / PRIOR_DAYS as f64
}

/// Trend level: recent activity against the earlier rate (see [`Factor::descriptors`]).
fn trend_level(recent: u64, prior: u64) -> u8 {
    if recent == 0 {
        return 0;
    }
    let rate = prior_rate(prior);
    // With nothing before, the ratio is unbounded: "new activity".
    let ratio = if prior == 0 { f64::INFINITY } else { recent as f64 / rate };
    if ratio >= 3.0 && recent >= 3 {
        4
    } else if ratio >= 1.5 {
        3
    } else if ratio >= 0.5 {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(f: Factor, i: Inputs) -> u8 {
        f.level(&i).expect("assessed")
    }

    #[test]
    fn people_moved_boundaries() {
        let at =
            |travellers, crossings| level(Factor::PeopleMoved, Inputs { travellers, crossings, ..Inputs::default() });
        assert_eq!(at(0, 0), 0);
        assert_eq!(at(1, 0), 1);
        assert_eq!(at(2, 2), 1);
        assert_eq!(at(4, 1), 2);
        assert_eq!(at(19, 0), 2);
        assert_eq!(at(10, 10), 3);
        assert_eq!(at(99, 0), 3);
        assert_eq!(at(50, 50), 4);
    }

    #[test]
    fn dangerous_methods_boundaries() {
        let at = |small_boats, concealment, other_vessels| {
            level(Factor::DangerousMethods, Inputs { small_boats, concealment, other_vessels, ..Inputs::default() })
        };
        assert_eq!(at(0, 0, 0), 0);
        assert_eq!(at(0, 0, 30), 2);
        assert_eq!(at(1, 0, 0), 3);
        assert_eq!(at(0, 9, 0), 3);
        assert_eq!(at(0, 10, 0), 4);
        assert_eq!(at(6, 4, 0), 4);
        assert_eq!(at(1, 1, 0), 4);
    }

    #[test]
    fn vulnerability_boundaries() {
        let at = |minors, indicators| level(Factor::Vulnerability, Inputs { minors, indicators, ..Inputs::default() });
        assert_eq!(at(0, 0), 0);
        assert_eq!(at(0, 1), 1);
        assert_eq!(at(0, 2), 2);
        assert_eq!(at(0, 4), 2);
        assert_eq!(at(0, 5), 3);
        assert_eq!(at(0, 500), 3);
        assert_eq!(at(1, 0), 2);
        assert_eq!(at(2, 0), 3);
        assert_eq!(at(4, 0), 3);
        assert_eq!(at(5, 0), 4);
        assert_eq!(at(1, 1), 4);
    }

    #[test]
    fn casualty_boundaries() {
        let at = |deaths, injuries| level(Factor::Casualties, Inputs { deaths, injuries, ..Inputs::default() });
        assert_eq!(at(0, 0), 0);
        assert_eq!(at(0, 1), 2);
        assert_eq!(at(0, 4), 2);
        assert_eq!(at(0, 5), 3);
        assert_eq!(at(1, 0), 3);
        assert_eq!(at(1, 4), 3);
        assert_eq!(at(1, 5), 4);
        assert_eq!(at(2, 0), 4);
    }

    #[test]
    fn size_roles_documents_and_cohesion_boundaries() {
        let size = |members| level(Factor::Size, Inputs { members, ..Inputs::default() });
        assert_eq!(
            [size(0), size(1), size(2), size(4), size(5), size(9), size(10), size(19), size(20)],
            [0, 0, 1, 1, 2, 2, 3, 3, 4]
        );
        let roles = |roles| level(Factor::Roles, Inputs { roles, ..Inputs::default() });
        assert_eq!([roles(0), roles(1), roles(2), roles(3), roles(4), roles(5)], [0, 1, 2, 3, 3, 4]);
        let docs = |false_documents| level(Factor::FalseDocuments, Inputs { false_documents, ..Inputs::default() });
        assert_eq!([docs(0), docs(1), docs(2), docs(3), docs(4), docs(9), docs(10)], [0, 1, 2, 2, 3, 3, 4]);
        let ties = |ties| level(Factor::Cohesion, Inputs { ties, ..Inputs::default() });
        assert_eq!(
            [ties(0), ties(1), ties(2), ties(3), ties(5), ties(6), ties(11), ties(12)],
            [0, 1, 1, 2, 2, 3, 3, 4]
        );
    }

    #[test]
    fn asset_points_weigh_craft_twice() {
        let at = |vessels, vehicles, communications| {
            level(Factor::Assets, Inputs { vessels, vehicles, communications, ..Inputs::default() })
        };
        assert_eq!(at(0, 0, 0), 0);
        assert_eq!(at(0, 0, 3), 1);
        assert_eq!(at(1, 0, 1), 1);
        assert_eq!(at(1, 1, 0), 2);
        assert_eq!(at(0, 0, 9), 2);
        assert_eq!(at(5, 0, 0), 3);
        assert_eq!(at(5, 4, 1), 3);
        assert_eq!(at(5, 5, 0), 4);
    }

    #[test]
    fn finance_points_weigh_accounts_and_wallets() {
        let at = |payments, accounts, wallets| {
            level(Factor::Finance, Inputs { payments, accounts, wallets, ..Inputs::default() })
        };
        assert_eq!(at(0, 0, 0), 0);
        assert_eq!(at(4, 0, 0), 1);
        assert_eq!(at(2, 1, 0), 2);
        assert_eq!(at(0, 0, 1), 2);
        assert_eq!(at(14, 0, 0), 2);
        assert_eq!(at(0, 0, 3), 3);
        assert_eq!(at(39, 0, 0), 3);
        assert_eq!(at(20, 5, 1), 4);
    }

    #[test]
    fn reach_counts_countries_or_routes() {
        let at = |countries, routes| level(Factor::Reach, Inputs { countries, routes, ..Inputs::default() });
        assert_eq!(at(0, 0), 0);
        assert_eq!(at(1, 0), 1);
        assert_eq!(at(3, 0), 2);
        assert_eq!(at(0, 1), 2);
        assert_eq!(at(4, 1), 3);
        assert_eq!(at(1, 2), 3);
        assert_eq!(at(6, 0), 4);
        assert_eq!(at(1, 3), 4);
    }

    #[test]
    fn recency_boundaries() {
        let at = |d| level(Factor::Recency, Inputs { days_since_activity: d, ..Inputs::default() });
        assert_eq!(at(None), 0);
        assert_eq!([at(Some(0)), at(Some(30)), at(Some(31)), at(Some(90)), at(Some(91))], [4, 4, 3, 3, 2]);
        assert_eq!([at(Some(180)), at(Some(181)), at(Some(365)), at(Some(366))], [2, 1, 1, 0]);
    }

    #[test]
    fn trend_compares_with_the_earlier_rate() {
        // 365 days of 8 activities is about 2 per 90 days.
        assert_eq!(trend_level(0, 8), 0);
        assert_eq!(trend_level(0, 0), 0);
        assert_eq!(trend_level(1, 0), 3, "new activity");
        assert_eq!(trend_level(2, 0), 3);
        assert_eq!(trend_level(3, 0), 4, "new and at least three");
        assert_eq!(trend_level(1, 8), 2, "1 against a rate of 1.97 is 0.51 of it");
        assert_eq!(trend_level(1, 9), 1);
        assert_eq!(trend_level(2, 8), 2);
        assert_eq!(trend_level(3, 10), 2);
        assert_eq!(trend_level(3, 8), 3, "3 against 1.97 is 1.52 times");
        assert_eq!(trend_level(3, 5), 3);
        assert_eq!(trend_level(3, 2), 4);
        assert_eq!(trend_level(2, 1), 3, "ratio over 3 but fewer than 3 recent");
    }

    #[test]
    fn resilience_is_not_assessed_without_a_disruption() {
        assert_eq!(Factor::Resilience.level(&Inputs::default()), None);
        let at = |n| level(Factor::Resilience, Inputs { after_disruption: Some(n), ..Inputs::default() });
        assert_eq!([at(0), at(1), at(2), at(3), at(9), at(10), at(24), at(25)], [0, 1, 1, 2, 2, 3, 3, 4]);
    }

    #[test]
    fn every_factor_has_five_descriptors_and_a_dimension() {
        for f in Factor::ALL {
            assert_eq!(f.descriptors().len(), 5);
            assert!(f.descriptors().iter().all(|d| !d.is_empty()), "{f:?}");
            assert!(!f.counts().is_empty());
        }
        for d in Dimension::ALL {
            assert!(Factor::ALL.iter().any(|f| f.dimension() == d));
        }
    }
}
