//! Prioritisation of organised crime groups: a [`GroupProfile`] of plain,
//! countable facts goes in, an [`Assessment`] comes out, with a level (0 to 4)
//! per factor, a score per dimension (harm, capability, intent), a priority
//! score and band, and a confidence kept apart from the score. Every factor
//! names the facts that drove it.
//!
//! The method follows the spirit of the two UK practices (see
//! `docs/priority.md`): organised crime group mapping (OCGM) scores a group on
//! its attributes (size, criminality, geographic range, capability and
//! sophistication) and places it in a band; the Management of Risk in Law
//! Enforcement (MoRiLE) scores harm against likelihood, and gives confidence
//! as a separate score. The official scales are not public, so the factors,
//! level descriptors, weights and band thresholds here are Tessera's own,
//! written down in [`Factor::descriptors`] and the constants below so that a
//! reader can check every number by hand.
//!
//! Design decisions:
//! - The engine knows nothing of the store: a profile is plain data, so that
//!   a profile built from what one viewer may see is scored exactly as any
//!   other, and tests need no database.
//! - Levels are step functions of counts with written thresholds, never
//!   fitted weights: an analyst can argue with a threshold, not with a model.
//! - Every aggravating input can only raise its factor, its dimension and the
//!   priority (property-tested); older activity is the one mitigating input
//!   (it lowers the trend of a group whose activity is falling).

mod assess;
mod factors;
mod profile;

pub use assess::{Assessment, Band, Confidence, ConfidenceBand, DimensionScore, EVIDENCE_SHOWN, FactorScore, assess};
pub use factors::{Dimension, Factor};
pub use profile::{Fact, GroupProfile, Money, ProfileError, Source, day_number};
