//! What the picture is aggregated by, and over which periods.

use std::fmt;

use tessera_model::taxonomy::{Route, StreamCode};
use tessera_series::Month;
use tessera_store::ReportFacts;

use crate::PictureError;

/// A dimension of the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The report's stream codes.
    Stream,
    /// The report's routes.
    Route,
    /// Countries its statements name.
    Country,
    /// Nationalities of the people it mentions.
    Nationality,
    /// Modus operandi ([`crate::mo`]).
    Mo,
}

impl Dimension {
    /// Every dimension, in display order.
    pub const ALL: [Dimension; 5] =
        [Dimension::Stream, Dimension::Route, Dimension::Country, Dimension::Nationality, Dimension::Mo];

    /// The name used in requests (`stream`, `route`, `country`, `nationality`, `mo`).
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Stream => "stream",
            Dimension::Route => "route",
            Dimension::Country => "country",
            Dimension::Nationality => "nationality",
            Dimension::Mo => "mo",
        }
    }

    /// Parses a name; the error names the parameter `by`.
    pub fn parse(name: &str) -> Result<Dimension, PictureError> {
        Dimension::ALL.into_iter().find(|d| d.name() == name.trim()).ok_or_else(|| {
            PictureError::Invalid(format!("by: {name:?} is not one of stream, route, country, nationality, mo"))
        })
    }

    /// The keys of one report in this dimension.
    pub fn keys(self, report: &ReportFacts) -> Vec<String> {
        match self {
            Dimension::Stream => report.streams.clone(),
            Dimension::Route => report.routes.clone(),
            Dimension::Country => report.countries.iter().cloned().collect(),
            Dimension::Nationality => report.nationalities.iter().cloned().collect(),
            Dimension::Mo => crate::mo::modi(report).into_iter().map(str::to_string).collect(),
        }
    }

    /// The dimension's name in headings ("country"), singular.
    pub fn label_singular(self) -> &'static str {
        match self {
            Dimension::Stream => "Stream",
            Dimension::Route => "Route",
            Dimension::Country => "Country",
            Dimension::Nationality => "Nationality",
            Dimension::Mo => "Modus operandi",
        }
    }

    /// The dimension's name in headings, plural ("countries").
    pub fn label_plural(self) -> &'static str {
        match self {
            Dimension::Stream => "stream",
            Dimension::Route => "route",
            Dimension::Country => "country",
            Dimension::Nationality => "nationality",
            Dimension::Mo => "modus operandi",
        }
    }

    /// The label of a key in this dimension.
    pub fn label(self, key: &str) -> String {
        match self {
            Dimension::Stream => StreamCode::from_name(key).map_or(key.to_string(), |s| stream_label(s).to_string()),
            Dimension::Route => Route::from_name(key).map_or(key.to_string(), |r| r.label().to_string()),
            Dimension::Mo => crate::mo::label(key).to_string(),
            Dimension::Country | Dimension::Nationality => {
                tessera_model::taxonomy::country_by_code(key).map_or(key.to_string(), |c| c.name.to_string())
            }
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The label of a stream code.
fn stream_label(s: StreamCode) -> &'static str {
    match s {
        StreamCode::FacilitationAir => "Facilitation by air",
        StreamCode::FacilitationLand => "Facilitation by land",
        StreamCode::FacilitationSea => "Facilitation by sea",
        StreamCode::ClandestineEntry => "Clandestine entry",
        StreamCode::FalseDocumentation => "False documentation",
        StreamCode::AbuseOfLegitimateEntry => "Abuse of legitimate entry",
    }
}

/// The period figures are broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Calendar months (`2025-03`).
    Month,
    /// Calendar quarters (`2025-Q1`).
    Quarter,
}

impl PeriodKind {
    /// Parses `month` or `quarter`; the error names the parameter `period`.
    pub fn parse(name: &str) -> Result<PeriodKind, PictureError> {
        match name.trim() {
            "month" => Ok(PeriodKind::Month),
            "quarter" => Ok(PeriodKind::Quarter),
            other => Err(PictureError::Invalid(format!("period: {other:?} is not month or quarter"))),
        }
    }

    /// The period of a report date, `None` when the date has no month.
    pub fn of(self, date: &str) -> Option<String> {
        let month = month_of(date)?;
        Some(match self {
            PeriodKind::Month => month.to_string(),
            PeriodKind::Quarter => format!("{}-Q{}", month.year(), month.quarter()),
        })
    }
}

/// The month of a report date (`YYYY-MM...`).
pub fn month_of(date: &str) -> Option<Month> {
    Month::parse(date.get(..7)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_bad_ones_name_the_parameter() {
        for d in Dimension::ALL {
            assert_eq!(Dimension::parse(d.name()).unwrap(), d);
        }
        assert!(Dimension::parse("colour").unwrap_err().to_string().starts_with("by:"));
        assert!(PeriodKind::parse("week").unwrap_err().to_string().starts_with("period:"));
        assert_eq!(PeriodKind::Quarter.of("2025-05-17").as_deref(), Some("2025-Q2"));
        assert_eq!(PeriodKind::Month.of("2025-05-17").as_deref(), Some("2025-05"));
        assert_eq!(PeriodKind::Month.of("2025"), None);
        assert_eq!(PeriodKind::Month.of("2025-13-01"), None);
        assert_eq!(Dimension::Route.label("channel"), "English Channel");
        assert_eq!(Dimension::Stream.label("facilitation_sea"), "Facilitation by sea");
    }
}
