//! Protective markings: the Government Security Classification, the owning
//! agency, compartments (named operations, protected sources) and caveats.
//! Every report and every statement carries one; the access policy reads it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// UK Government Security Classification, ordered from least to most sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Classification {
    /// OFFICIAL.
    #[serde(rename = "OFFICIAL")]
    Official,
    /// OFFICIAL-SENSITIVE: OFFICIAL with a need-to-know rigorously enforced.
    #[serde(rename = "OFFICIAL-SENSITIVE")]
    OfficialSensitive,
    /// SECRET.
    #[serde(rename = "SECRET")]
    Secret,
    /// TOP SECRET.
    #[serde(rename = "TOP SECRET")]
    TopSecret,
}

impl Classification {
    /// Every level, least sensitive first.
    pub const ALL: [Classification; 4] = [Self::Official, Self::OfficialSensitive, Self::Secret, Self::TopSecret];

    /// The marking as written on documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Official => "OFFICIAL",
            Self::OfficialSensitive => "OFFICIAL-SENSITIVE",
            Self::Secret => "SECRET",
            Self::TopSecret => "TOP SECRET",
        }
    }

    /// The level as a small integer (0 = OFFICIAL … 3 = TOP SECRET), for storage and comparison.
    pub fn rank(self) -> u8 {
        self as u8
    }

    /// The level of a stored rank.
    pub fn from_rank(rank: u8) -> Option<Self> {
        Self::ALL.get(usize::from(rank)).copied()
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A classification that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown classification {0:?} (expected OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET)")]
pub struct UnknownClassification(pub String);

impl FromStr for Classification {
    type Err = UnknownClassification;

    /// Accepts the usual spellings: case-insensitive, with a space, dash or underscore.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String =
            s.trim().chars().map(|c| if c == ' ' || c == '_' { '-' } else { c.to_ascii_uppercase() }).collect();
        match key.as_str() {
            "OFFICIAL" | "O" => Ok(Self::Official),
            "OFFICIAL-SENSITIVE" | "OS" => Ok(Self::OfficialSensitive),
            "SECRET" | "S" => Ok(Self::Secret),
            "TOP-SECRET" | "TS" => Ok(Self::TopSecret),
            _ => Err(UnknownClassification(s.to_string())),
        }
    }
}

/// The protective marking of a report or statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Markings {
    /// Security classification.
    pub classification: Classification,
    /// The agency that owns the material and decides on its release.
    pub owner: String,
    /// Compartments: named operations or protected sources; a reader must hold every one.
    #[serde(default)]
    pub compartments: Vec<String>,
    /// Caveats such as "UK EYES ONLY" or descriptors such as "LOCSEN".
    #[serde(default)]
    pub caveats: Vec<String>,
}

impl Markings {
    /// The banner line, e.g. "OFFICIAL-SENSITIVE [OP-TIDEWAY] - UK EYES ONLY".
    pub fn banner(&self) -> String {
        let mut out = self.classification.as_str().to_string();
        if !self.compartments.is_empty() {
            out.push_str(" [");
            out.push_str(&self.compartments.join(", "));
            out.push(']');
        }
        for caveat in &self.caveats {
            out.push_str(" - ");
            out.push_str(caveat);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifications_parse_and_order() {
        assert_eq!("official sensitive".parse::<Classification>().unwrap(), Classification::OfficialSensitive);
        assert_eq!("TOP_SECRET".parse::<Classification>().unwrap(), Classification::TopSecret);
        assert!("RESTRICTED".parse::<Classification>().is_err());
        assert!(Classification::Official < Classification::Secret);
        for c in Classification::ALL {
            assert_eq!(Classification::from_rank(c.rank()), Some(c));
        }
    }

    #[test]
    fn banner_reads_like_a_document_header() {
        let m = Markings {
            classification: Classification::Secret,
            owner: "NCA".into(),
            compartments: vec!["OP-TIDEWAY".into()],
            caveats: vec!["UK EYES ONLY".into()],
        };
        assert_eq!(m.banner(), "SECRET [OP-TIDEWAY] - UK EYES ONLY");
    }
}
