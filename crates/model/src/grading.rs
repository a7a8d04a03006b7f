//! Intelligence grading: the UK 3x5x2 scheme stored natively, with the legacy
//! UK 5x5x5 and the Europol 4x4 (plus handling codes H0–H3) parsed and mapped
//! onto it. The grade as the provider wrote it is always kept beside the
//! mapping, so nothing is lost when a partner's scheme is coarser or finer.
//!
//! Sources and how sure each wording is: `shared/reference/standards.md`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Source evaluation of the UK 3x5x2 scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SourceEvaluation {
    /// 1: reliable.
    Reliable,
    /// 2: untested.
    Untested,
    /// 3: not reliable.
    NotReliable,
}

impl SourceEvaluation {
    /// The one-character code used on forms ("1", "2", "3").
    pub fn code(self) -> char {
        match self {
            Self::Reliable => '1',
            Self::Untested => '2',
            Self::NotReliable => '3',
        }
    }

    /// Parses the one-character code.
    pub fn from_code(code: char) -> Option<Self> {
        match code {
            '1' => Some(Self::Reliable),
            '2' => Some(Self::Untested),
            '3' => Some(Self::NotReliable),
            _ => None,
        }
    }

    /// The wording shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Self::Reliable => "Reliable",
            Self::Untested => "Untested",
            Self::NotReliable => "Not reliable",
        }
    }
}

/// Intelligence assessment of the UK 3x5x2 scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum IntelligenceAssessment {
    /// A: known directly to the source.
    KnownDirectly,
    /// B: known indirectly to the source but corroborated.
    KnownIndirectlyCorroborated,
    /// C: known indirectly to the source.
    KnownIndirectly,
    /// D: not known.
    NotKnown,
    /// E: suspected to be false.
    SuspectedFalse,
}

impl IntelligenceAssessment {
    /// The one-letter code ("A" to "E").
    pub fn code(self) -> char {
        match self {
            Self::KnownDirectly => 'A',
            Self::KnownIndirectlyCorroborated => 'B',
            Self::KnownIndirectly => 'C',
            Self::NotKnown => 'D',
            Self::SuspectedFalse => 'E',
        }
    }

    /// Parses the one-letter code, in either case.
    pub fn from_code(code: char) -> Option<Self> {
        match code.to_ascii_uppercase() {
            'A' => Some(Self::KnownDirectly),
            'B' => Some(Self::KnownIndirectlyCorroborated),
            'C' => Some(Self::KnownIndirectly),
            'D' => Some(Self::NotKnown),
            'E' => Some(Self::SuspectedFalse),
            _ => None,
        }
    }

    /// The wording shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Self::KnownDirectly => "Known directly to the source",
            Self::KnownIndirectlyCorroborated => "Known indirectly to the source but corroborated",
            Self::KnownIndirectly => "Known indirectly to the source",
            Self::NotKnown => "Not known",
            Self::SuspectedFalse => "Suspected to be false",
        }
    }
}

/// Handling code of the UK 3x5x2 scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Handling {
    /// P: lawful sharing permitted.
    Permitted,
    /// C: lawful sharing permitted with conditions; the conditions are kept verbatim.
    Conditions(String),
}

impl Handling {
    /// The one-letter code ("P" or "C").
    pub fn code(&self) -> char {
        match self {
            Self::Permitted => 'P',
            Self::Conditions(_) => 'C',
        }
    }

    /// The conditions of a C code, if any.
    pub fn conditions(&self) -> Option<&str> {
        match self {
            Self::Permitted => None,
            Self::Conditions(c) => Some(c),
        }
    }
}

/// The grading scheme a provider used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradingScheme {
    /// UK 3x5x2 (stored natively).
    Uk3x5x2,
    /// Legacy UK 5x5x5.
    Uk5x5x5,
    /// Europol 4x4 with handling codes H0–H3.
    Europol4x4,
}

impl GradingScheme {
    /// The scheme's name as written in files and shown to users.
    pub fn name(self) -> &'static str {
        match self {
            Self::Uk3x5x2 => "3x5x2",
            Self::Uk5x5x5 => "5x5x5",
            Self::Europol4x4 => "europol4x4",
        }
    }

    /// Parses a scheme name ("3x5x2", "5x5x5", "europol4x4" or "4x4").
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "3x5x2" | "uk3x5x2" => Some(Self::Uk3x5x2),
            "5x5x5" | "uk5x5x5" => Some(Self::Uk5x5x5),
            "4x4" | "europol4x4" | "europol" => Some(Self::Europol4x4),
            _ => None,
        }
    }
}

/// A grade as the provider wrote it, kept when it was mapped from another scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OriginalGrading {
    /// The provider's scheme.
    pub scheme: GradingScheme,
    /// The grade exactly as written, e.g. "B2 4" or "X3 H2".
    pub code: String,
}

/// A grading in the UK 3x5x2 scheme, with the provider's original grade when it was mapped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grading {
    /// Source evaluation.
    pub source: SourceEvaluation,
    /// Intelligence assessment.
    pub intelligence: IntelligenceAssessment,
    /// Handling code with its conditions.
    pub handling: Handling,
    /// The grade in the provider's own scheme, if it was not 3x5x2.
    pub original: Option<OriginalGrading>,
}

/// Why a grade could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GradingError {
    /// The scheme name is not one Tessera knows.
    #[error("unknown grading scheme {0:?} (expected 3x5x2, 5x5x5 or europol4x4)")]
    UnknownScheme(String),
    /// The code does not fit the scheme.
    #[error("{scheme} grade {code:?} is not valid: {reason}")]
    Invalid {
        /// Scheme name.
        scheme: &'static str,
        /// The code as given.
        code: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl Grading {
    /// A native 3x5x2 grade.
    pub fn uk(source: SourceEvaluation, intelligence: IntelligenceAssessment, handling: Handling) -> Self {
        Self { source, intelligence, handling, original: None }
    }

    /// The compact 3x5x2 code, e.g. "1A P" or "2B C".
    pub fn code(&self) -> String {
        format!("{}{} {}", self.source.code(), self.intelligence.code(), self.handling.code())
    }

    /// Parses a grade in the named scheme. `conditions` are the handling
    /// conditions that go with a C code (required for it, refused for P).
    pub fn parse(scheme: &str, code: &str, conditions: Option<&str>) -> Result<Self, GradingError> {
        let scheme = GradingScheme::from_name(scheme).ok_or_else(|| GradingError::UnknownScheme(scheme.to_string()))?;
        match scheme {
            GradingScheme::Uk3x5x2 => parse_uk(code, conditions),
            GradingScheme::Uk5x5x5 => parse_legacy(code, conditions),
            GradingScheme::Europol4x4 => parse_europol(code, conditions),
        }
    }
}

impl fmt::Display for Grading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())?;
        if let Some(original) = &self.original {
            write!(f, " (from {} {})", original.scheme.name(), original.code)?;
        }
        Ok(())
    }
}

/// The code's significant characters: separators (space, slash, dash, dot) removed, upper-cased.
fn compact(code: &str) -> Vec<char> {
    code.chars().filter(|c| !matches!(c, ' ' | '/' | '-' | '.' | ',' | '\t')).map(|c| c.to_ascii_uppercase()).collect()
}

fn invalid(scheme: GradingScheme, code: &str, reason: &'static str) -> GradingError {
    GradingError::Invalid { scheme: scheme.name(), code: code.to_string(), reason }
}

fn clean_conditions(conditions: Option<&str>) -> Option<String> {
    conditions.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string)
}

fn parse_uk(code: &str, conditions: Option<&str>) -> Result<Grading, GradingError> {
    let s = GradingScheme::Uk3x5x2;
    let chars = compact(code);
    let [source, intelligence, handling] = chars[..] else {
        return Err(invalid(
            s,
            code,
            "expected three parts: source 1-3, intelligence A-E, handling P or C (e.g. \"1A P\")",
        ));
    };
    let source =
        SourceEvaluation::from_code(source).ok_or_else(|| invalid(s, code, "source evaluation must be 1, 2 or 3"))?;
    let intelligence = IntelligenceAssessment::from_code(intelligence)
        .ok_or_else(|| invalid(s, code, "intelligence assessment must be A, B, C, D or E"))?;
    let handling = match (handling, clean_conditions(conditions)) {
        ('P', None) => Handling::Permitted,
        ('P', Some(_)) => return Err(invalid(s, code, "handling code P takes no conditions; use C")),
        ('C', Some(c)) => Handling::Conditions(c),
        ('C', None) => return Err(invalid(s, code, "handling code C needs its conditions")),
        _ => return Err(invalid(s, code, "handling code must be P or C")),
    };
    Ok(Grading::uk(source, intelligence, handling))
}

/// Legacy 5x5x5: source A–E, intelligence 1–5, handling 1–5 (e.g. "B2 3").
fn parse_legacy(code: &str, conditions: Option<&str>) -> Result<Grading, GradingError> {
    let s = GradingScheme::Uk5x5x5;
    let chars = compact(code);
    let [source, intelligence, handling] = chars[..] else {
        return Err(invalid(
            s,
            code,
            "expected three parts: source A-E, intelligence 1-5, handling 1-5 (e.g. \"B2 3\")",
        ));
    };
    let source = match source {
        'A' | 'B' => SourceEvaluation::Reliable,
        'C' | 'E' => SourceEvaluation::Untested,
        'D' => SourceEvaluation::NotReliable,
        _ => return Err(invalid(s, code, "source evaluation must be A, B, C, D or E")),
    };
    let intelligence = match intelligence {
        '1' | '2' => IntelligenceAssessment::KnownDirectly,
        '3' => IntelligenceAssessment::KnownIndirectlyCorroborated,
        '4' => IntelligenceAssessment::NotKnown,
        '5' => IntelligenceAssessment::SuspectedFalse,
        _ => return Err(invalid(s, code, "intelligence evaluation must be 1 to 5")),
    };
    let extra = clean_conditions(conditions);
    let with = |base: &str| {
        Handling::Conditions(match &extra {
            Some(e) => format!("{base}; {e}"),
            None => base.to_string(),
        })
    };
    let handling = match handling {
        '1' => match extra {
            Some(e) => Handling::Conditions(e),
            None => Handling::Permitted,
        },
        '2' => with("5x5x5 code 2: UK law-enforcement and prosecuting agencies only"),
        '3' => with("5x5x5 code 3: may be disseminated to non-prosecuting parent agencies only"),
        '4' => with("5x5x5 code 4: within the originating agency only"),
        '5' => with("5x5x5 code 5: no further dissemination; refer to the originator"),
        _ => return Err(invalid(s, code, "handling code must be 1 to 5")),
    };
    Ok(Grading {
        source,
        intelligence,
        handling,
        original: Some(OriginalGrading { scheme: s, code: code.trim().to_string() }),
    })
}

/// Europol 4x4: source A, B, C or X; information 1–4; handling H0–H3 (e.g. "B2 H1").
fn parse_europol(code: &str, conditions: Option<&str>) -> Result<Grading, GradingError> {
    let s = GradingScheme::Europol4x4;
    let chars = compact(code);
    let (source, information, handling) = match chars[..] {
        [source, information, 'H', h] => (source, information, Some(h)),
        [source, information] => (source, information, None),
        _ => {
            return Err(invalid(
                s,
                code,
                "expected source A/B/C/X, information 1-4 and optionally a handling code H0-H3 (e.g. \"B2 H1\")",
            ));
        }
    };
    let source = match source {
        'A' | 'B' => SourceEvaluation::Reliable,
        'C' => SourceEvaluation::NotReliable,
        'X' => SourceEvaluation::Untested,
        _ => return Err(invalid(s, code, "source reliability must be A, B, C or X")),
    };
    let intelligence = match information {
        '1' | '2' => IntelligenceAssessment::KnownDirectly,
        '3' => IntelligenceAssessment::KnownIndirectlyCorroborated,
        '4' => IntelligenceAssessment::KnownIndirectly,
        _ => return Err(invalid(s, code, "information accuracy must be 1, 2, 3 or 4")),
    };
    let extra = clean_conditions(conditions);
    let with = |base: &str| {
        Handling::Conditions(match &extra {
            Some(e) => format!("{base}; {e}"),
            None => base.to_string(),
        })
    };
    let handling = match handling {
        None | Some('0') => with("H0: only for preventing and combating crime, as the Europol Regulation allows"),
        Some('1') => with("H1: not to be disclosed in judicial proceedings without the provider's permission"),
        Some('2') => with("H2: not to be disseminated without the provider's permission"),
        Some('3') => match extra {
            Some(e) => Handling::Conditions(format!("H3: {e}")),
            None => return Err(invalid(s, code, "handling code H3 needs its restrictions")),
        },
        Some(_) => return Err(invalid(s, code, "handling code must be H0, H1, H2 or H3")),
    };
    Ok(Grading {
        source,
        intelligence,
        handling,
        original: Some(OriginalGrading { scheme: s, code: code.trim().to_string() }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_native_grades_in_any_common_spelling() {
        for code in ["1A P", "1AP", "1/A/P", "1-a-p"] {
            let g = Grading::parse("3x5x2", code, None).unwrap();
            assert_eq!(g.code(), "1A P");
            assert_eq!(g.original, None);
        }
        let g = Grading::parse("3x5x2", "3E C", Some("not for court")).unwrap();
        assert_eq!(g.handling, Handling::Conditions("not for court".into()));
    }

    #[test]
    fn refuses_bad_native_grades_with_a_reason() {
        let err = Grading::parse("3x5x2", "4A P", None).unwrap_err();
        assert!(err.to_string().contains("source evaluation must be 1, 2 or 3"), "{err}");
        assert!(Grading::parse("3x5x2", "1F P", None).is_err());
        assert!(Grading::parse("3x5x2", "1A C", None).unwrap_err().to_string().contains("conditions"));
        assert!(Grading::parse("3x5x2", "1A P", Some("x")).is_err());
        assert!(Grading::parse("3x5x2", "1A", None).is_err());
        assert!(matches!(Grading::parse("6x6", "1A", None), Err(GradingError::UnknownScheme(_))));
    }

    #[test]
    fn maps_legacy_5x5x5_and_keeps_the_original() {
        let g = Grading::parse("5x5x5", "B2 4", None).unwrap();
        assert_eq!(g.code(), "1A C");
        assert!(g.handling.conditions().unwrap().contains("originating agency"));
        assert_eq!(g.original.as_ref().unwrap().code, "B2 4");
        assert_eq!(Grading::parse("5x5x5", "E3 1", None).unwrap().code(), "2B P");
        assert_eq!(Grading::parse("5x5x5", "D5 1", None).unwrap().code(), "3E P");
        assert!(Grading::parse("5x5x5", "F1 1", None).is_err());
    }

    #[test]
    fn maps_europol_4x4_with_handling_codes() {
        let g = Grading::parse("europol4x4", "X3 H2", None).unwrap();
        assert_eq!(g.code(), "2B C");
        assert!(g.handling.conditions().unwrap().starts_with("H2"));
        assert_eq!(g.original.unwrap().scheme, GradingScheme::Europol4x4);
        assert_eq!(Grading::parse("4x4", "C4", None).unwrap().code(), "3C C");
        assert!(Grading::parse("4x4", "A1 H3", None).is_err());
        assert!(Grading::parse("4x4", "A1 H3", Some("no onward sharing")).is_ok());
        assert!(Grading::parse("4x4", "D1 H0", None).is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(scheme in "(3x5x2|5x5x5|4x4|.{0,6})", code in ".{0,12}", cond in proptest::option::of(".{0,8}")) {
            let _ = Grading::parse(&scheme, &code, cond.as_deref());
        }

        #[test]
        fn native_code_round_trips(s in 1u8..=3, i in 0u8..5) {
            let code = format!("{}{} P", s, (b'A' + i) as char);
            let g = Grading::parse("3x5x2", &code, None).unwrap();
            proptest::prop_assert_eq!(g.code(), code);
        }
    }
}
