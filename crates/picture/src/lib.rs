//! The threat picture: the intelligence a viewer may see, aggregated by
//! stream, route, country, nationality, modus operandi and period, each
//! figure with its confidence and the number of independent agencies behind
//! it; monthly series per stream and route with trend and change points; and
//! the organised crime groups ranked. Partners see sanitised counts.
//!
//! Access: everything is built from [`Store::picture_facts`] and
//! [`Store::groups`], which read only what the viewer may see; nothing here
//! reads the store otherwise. See `docs/picture.md`.

pub mod aggregate;
pub mod confidence;
pub mod context;
pub mod dimension;
pub mod documents;
pub mod mo;
pub mod review;
pub mod sanitise;
pub mod trends;

use serde::Serialize;
use tessera_access::{Role, Viewer};
use tessera_store::priority::Band;
use tessera_store::{GroupSummary, PictureFacts, PictureRequest, Store, StoreError};

pub use aggregate::{Figure, PeriodCount, Section};
pub use dimension::{Dimension, PeriodKind};
pub use sanitise::Count;
pub use trends::{Change, SeriesView};

/// What can go wrong building a picture.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    /// A parameter is invalid (the message names it).
    #[error("{0}")]
    Invalid(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Most groups a picture may list.
pub const MAX_GROUPS: usize = 100;

/// What picture to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The dimensions aggregated by (all when empty).
    pub by: Vec<Dimension>,
    /// The period figures are broken down by.
    pub period: PeriodKind,
    /// First report date (`YYYY[-MM[-DD]]`).
    pub from: Option<String>,
    /// Last report date (`YYYY[-MM[-DD]]`).
    pub until: Option<String>,
    /// Sanitise counts ([`sanitise`]); partner liaison viewers are always sanitised.
    pub sanitise: bool,
    /// Groups listed, highest priority first (at most [`MAX_GROUPS`]).
    pub groups: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { by: Vec::new(), period: PeriodKind::Month, from: None, until: None, sanitise: false, groups: 10 }
    }
}

impl Options {
    /// What was asked, as the audit record of a picture read states it (the
    /// CLI and the API write the same words).
    pub fn audit_detail(&self) -> String {
        let by: Vec<&str> = self.by.iter().map(|d| d.name()).collect();
        format!(
            "by={} period={:?} from={} until={} sanitise={}",
            if by.is_empty() { "all".to_string() } else { by.join(",") },
            self.period,
            self.from.as_deref().unwrap_or(""),
            self.until.as_deref().unwrap_or(""),
            self.sanitise
        )
    }
}

/// One ranked organised crime group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupLine {
    /// Rank, 1 first.
    pub rank: usize,
    /// The group's id on the board.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Priority band.
    pub band: Band,
    /// Priority, 0 to 100.
    pub priority: u8,
    /// Confidence of the assessment, 0 to 100.
    pub confidence: u8,
    /// Distinct members.
    pub members: Count,
    /// Latest dated activity.
    pub last_activity: Option<String>,
}

/// A viewer's threat picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Picture {
    /// First report date included, as asked.
    pub from: Option<String>,
    /// Last report date included, as asked.
    pub until: Option<String>,
    /// The period of the breakdowns.
    pub period: PeriodKind,
    /// Whether counts are sanitised.
    pub sanitised: bool,
    /// The sanitising method in words, when sanitised.
    pub method: Option<String>,
    /// Visible reports in the period.
    pub reports: Count,
    /// Agencies behind them.
    pub agencies: usize,
    /// The highest classification among them (OFFICIAL when there are none): a document built from
    /// the picture is marked at least this high.
    pub classification: tessera_model::Classification,
    /// One section per dimension asked.
    pub sections: Vec<Section>,
    /// Monthly series per stream and route (when those dimensions are asked).
    pub series: Vec<SeriesView>,
    /// Organised crime groups, highest priority first.
    pub groups: Vec<GroupLine>,
}

/// Whether a viewer's picture is always sanitised: partner liaison officers'.
pub fn always_sanitised(viewer: &Viewer) -> bool {
    viewer.role == Role::PartnerLiaison
}

/// Builds a viewer's picture from the store (both reads follow the viewer's access).
pub fn build(store: &dyn Store, viewer: &Viewer, options: &Options) -> Result<Picture, PictureError> {
    if options.groups > MAX_GROUPS {
        return Err(PictureError::Invalid(format!("groups: {} is more than {MAX_GROUPS}", options.groups)));
    }
    let request = PictureRequest { from: options.from.clone(), until: options.until.clone() };
    let facts = store.picture_facts(viewer, &request).map_err(|e| match e {
        StoreError::Invalid(m) => PictureError::Invalid(m),
        other => PictureError::Store(other),
    })?;
    let groups = if options.groups == 0 { Vec::new() } else { store.groups(viewer)? };
    let options = Options { sanitise: options.sanitise || always_sanitised(viewer), ..options.clone() };
    Ok(assemble(&facts, &groups, &options))
}

/// Assembles a picture from facts and the group board already read for one viewer.
pub fn assemble(facts: &PictureFacts, groups: &[GroupSummary], options: &Options) -> Picture {
    let sanitise = options.sanitise;
    let by: Vec<Dimension> = if options.by.is_empty() { Dimension::ALL.to_vec() } else { options.by.clone() };
    let reports = &facts.reports;
    let sections = by.iter().map(|d| aggregate::section(reports, *d, options.period, sanitise)).collect();
    let series = by
        .iter()
        .filter(|d| matches!(d, Dimension::Stream | Dimension::Route))
        .flat_map(|d| trends::series(reports, *d, sanitise))
        .collect();
    let groups = groups
        .iter()
        .take(options.groups)
        .enumerate()
        .map(|(i, g)| GroupLine {
            rank: i + 1,
            id: g.id.clone(),
            name: g.name.clone(),
            band: g.band,
            priority: g.priority,
            confidence: g.confidence,
            members: Count::show(g.members as u64, sanitise),
            last_activity: g.last_activity.clone(),
        })
        .collect();
    Picture {
        from: options.from.clone(),
        until: options.until.clone(),
        period: options.period,
        sanitised: sanitise,
        method: sanitise.then(sanitise::method),
        reports: Count::show(reports.len() as u64, sanitise),
        agencies: aggregate::agencies(reports),
        classification: reports
            .iter()
            .map(|r| r.classification)
            .max()
            .unwrap_or(tessera_model::Classification::Official),
        sections,
        series,
        groups,
    }
}
