//! Threat streams of the Strategic Action Plan, migratory routes (the
//! FRONTEX routes and the Channel), and ISO 3166-1 countries.

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::countries::{Country, country_by_code, find_country};

/// The four streams of the Strategic Action Plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    /// Facilitation by air, land and sea.
    Facilitation,
    /// Clandestine entry.
    ClandestineEntry,
    /// Use of false documentation.
    FalseDocumentation,
    /// Abuse of legitimate entry.
    AbuseOfLegitimateEntry,
}

impl Stream {
    /// The four streams.
    pub const ALL: [Stream; 4] =
        [Self::Facilitation, Self::ClandestineEntry, Self::FalseDocumentation, Self::AbuseOfLegitimateEntry];

    /// Name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Self::Facilitation => "Facilitation by air, land and sea",
            Self::ClandestineEntry => "Clandestine entry",
            Self::FalseDocumentation => "Use of false documentation",
            Self::AbuseOfLegitimateEntry => "Abuse of legitimate entry",
        }
    }

    /// The code as written in files, the CLI and the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Facilitation => "facilitation",
            Self::ClandestineEntry => "clandestine_entry",
            Self::FalseDocumentation => "false_documentation",
            Self::AbuseOfLegitimateEntry => "abuse_of_legitimate_entry",
        }
    }

    /// Parses a stream's code; a report's stream code (`facilitation_sea`, ...) gives its stream.
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .or_else(|| StreamCode::from_name(&name).map(StreamCode::stream))
    }
}

/// Every modus operandi code of the threat picture with its label, in display order (the picture
/// derives them from structured data; actions of the plan target them).
pub const MODI: &[(&str, &str)] = &[
    ("air", "Facilitation by air"),
    ("land", "Facilitation by land"),
    ("sea", "Facilitation by sea"),
    ("small_boat", "Small boats"),
    ("other_vessel", "Other vessels"),
    ("hgv", "Heavy goods vehicles"),
    ("other_vehicle", "Other vehicles"),
    ("document_fraud", "Document fraud"),
    ("legitimate_entry", "Abuse of legitimate entry"),
    ("clandestine", "Clandestine entry"),
];

/// A stream as reports tag it: facilitation is tagged with its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamCode {
    /// Facilitation by air.
    FacilitationAir,
    /// Facilitation by land.
    FacilitationLand,
    /// Facilitation by sea.
    FacilitationSea,
    /// Clandestine entry.
    ClandestineEntry,
    /// Use of false documentation.
    FalseDocumentation,
    /// Abuse of legitimate entry.
    AbuseOfLegitimateEntry,
}

impl StreamCode {
    /// Every code.
    pub const ALL: [StreamCode; 6] = [
        Self::FacilitationAir,
        Self::FacilitationLand,
        Self::FacilitationSea,
        Self::ClandestineEntry,
        Self::FalseDocumentation,
        Self::AbuseOfLegitimateEntry,
    ];

    /// The code as written in files.
    pub fn name(self) -> &'static str {
        match self {
            Self::FacilitationAir => "facilitation_air",
            Self::FacilitationLand => "facilitation_land",
            Self::FacilitationSea => "facilitation_sea",
            Self::ClandestineEntry => "clandestine_entry",
            Self::FalseDocumentation => "false_documentation",
            Self::AbuseOfLegitimateEntry => "abuse_of_legitimate_entry",
        }
    }

    /// Parses a code.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The Strategic Action Plan stream this code belongs to.
    pub fn stream(self) -> Stream {
        match self {
            Self::FacilitationAir | Self::FacilitationLand | Self::FacilitationSea => Stream::Facilitation,
            Self::ClandestineEntry => Stream::ClandestineEntry,
            Self::FalseDocumentation => Stream::FalseDocumentation,
            Self::AbuseOfLegitimateEntry => Stream::AbuseOfLegitimateEntry,
        }
    }
}

impl fmt::Display for StreamCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A migratory route: the FRONTEX routes (as named in its monthly detections) and the Channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Central Mediterranean Route (Libya, Tunisia → Italy, Malta).
    CentralMediterranean,
    /// Eastern Mediterranean Route (Türkiye → Greece, Cyprus, Bulgaria).
    EasternMediterranean,
    /// Western Mediterranean Route (Morocco, Algeria → Spain).
    WesternMediterranean,
    /// Western African Route (→ Canary Islands).
    WesternAfrican,
    /// Western Balkan Route.
    WesternBalkan,
    /// Eastern Borders Route (land borders with Belarus, Ukraine, Russia, Moldova).
    EasternBorders,
    /// Black Sea Route.
    BlackSea,
    /// Circular Route from Albania to Greece.
    AlbaniaGreeceCircular,
    /// The English Channel (small boats and lorries from France and Belgium to the UK).
    Channel,
    /// Any other route.
    Other,
}

impl Route {
    /// Every route.
    pub const ALL: [Route; 10] = [
        Self::CentralMediterranean,
        Self::EasternMediterranean,
        Self::WesternMediterranean,
        Self::WesternAfrican,
        Self::WesternBalkan,
        Self::EasternBorders,
        Self::BlackSea,
        Self::AlbaniaGreeceCircular,
        Self::Channel,
        Self::Other,
    ];

    /// The code as written in files.
    pub fn name(self) -> &'static str {
        match self {
            Self::CentralMediterranean => "central_mediterranean",
            Self::EasternMediterranean => "eastern_mediterranean",
            Self::WesternMediterranean => "western_mediterranean",
            Self::WesternAfrican => "western_african",
            Self::WesternBalkan => "western_balkan",
            Self::EasternBorders => "eastern_borders",
            Self::BlackSea => "black_sea",
            Self::AlbaniaGreeceCircular => "albania_greece_circular",
            Self::Channel => "channel",
            Self::Other => "other",
        }
    }

    /// Parses a code.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The route's name in the FRONTEX detections data (None for the Channel, which FRONTEX does not report).
    pub fn frontex_name(self) -> Option<&'static str> {
        match self {
            Self::CentralMediterranean => Some("Central Mediterranean Route"),
            Self::EasternMediterranean => Some("Eastern Mediterranean Route"),
            Self::WesternMediterranean => Some("Western Mediterranean Route"),
            Self::WesternAfrican => Some("Western African Route"),
            Self::WesternBalkan => Some("Western Balkan Route"),
            Self::EasternBorders => Some("Eastern Borders Route"),
            Self::BlackSea => Some("Black Sea Route"),
            Self::AlbaniaGreeceCircular => Some("Circular Route from Albania to Greece"),
            Self::Other => Some("Other"),
            Self::Channel => None,
        }
    }

    /// Name shown to users.
    pub fn label(self) -> &'static str {
        self.frontex_name().unwrap_or("English Channel")
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in StreamCode::ALL {
            assert_eq!(StreamCode::from_name(s.name()), Some(s));
        }
        for r in Route::ALL {
            assert_eq!(Route::from_name(r.name()), Some(r));
        }
        assert_eq!(StreamCode::FacilitationSea.stream(), Stream::Facilitation);
    }

    #[test]
    fn frontex_names_match_the_shared_data_set() {
        let csv = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/frontex/frontex_ibc_monthly_by_route.csv"
        ))
        .expect("shared FRONTEX data");
        for route in Route::ALL {
            if let Some(name) = route.frontex_name() {
                assert!(csv.contains(&format!("\n{name},")), "{name} not in the FRONTEX data");
            }
        }
    }
}
