//! Tessera's document renderer: a meeting document as self-contained HTML and as PDF.
//!
//! The threat group meets with a threat assessment and a sufficiency and impact
//! review in hand; both must be produced on closed networks (no fonts, tiles,
//! CDNs or network). This crate knows nothing of the store or the intelligence:
//! callers build a [`Document`] from plain data and ask [`html::render`] or
//! [`pdf::render`] for the bytes.
//!
//! Design note: charts and the map are laid out once, backend-neutrally, into a
//! [`scene`] of vector marks (rectangles, lines, polygons, text) measured with
//! Helvetica's metrics; the HTML writer turns a scene into inline SVG and the PDF
//! writer into a Form XObject, so both outputs show the same figure. Rendering
//! never panics: non-finite numbers are dropped, ragged tables are padded or
//! truncated, text outside WinAnsi is transliterated in the PDF.

mod chart;
mod document;
pub mod html;
mod map;
mod metrics;
pub mod pdf;
mod scene;
mod text;
pub mod topojson;

pub use document::{Align, Block, Chart, Column, Document, KeyFigure, MapFigure, Marker, Series, Shape, Table};

/// An error reading input data (the crate's renderers themselves never fail).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bytes are not JSON.
    #[error("topojson is not valid json: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON is not a topology this reader understands.
    #[error("invalid topology: {0}")]
    Topology(String),
}
