//! Tessera's vocabulary: the words every other crate speaks.
//!
//! This crate knows nothing of storage, servers or files. It defines what an
//! intelligence report, a statement, a grading and a marking *are*, which
//! kinds of entity and link exist (named after FollowTheMoney wherever FtM
//! has the concept), the threat streams and migratory routes, and how every
//! identifier Tessera handles is validated and normalised.

pub mod countries;
pub mod disruption;
pub mod grading;
pub mod identifiers;
pub mod marking;
pub mod names;
pub mod report;
pub mod schema;
pub mod taxonomy;
pub mod time;
pub mod values;

pub use grading::{Grading, GradingError, Handling, IntelligenceAssessment, SourceEvaluation};
pub use marking::{Classification, Markings};
pub use report::{Report, ReportEntity, ReportLink, Statement};
pub use schema::{EntityKind, LinkType};
