//! The document model: plain data that callers fill and the renderers read.

use std::collections::HashMap;

/// A meeting document: a title block, then a flow of blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Main title, on top of the first page and in the HTML `<title>`.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Protective marking (e.g. "OFFICIAL-SENSITIVE"), printed at the top and
    /// bottom of every PDF page and of the HTML.
    pub banner: String,
    /// Label/value pairs of the title block: prepared for, by, date, basis of the figures.
    pub meta: Vec<(String, String)>,
    /// The body, in order.
    pub blocks: Vec<Block>,
}

/// One element of the document's flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading; level 1 or 2 (others are clamped).
    Heading {
        /// 1 (section) or 2 (subsection).
        level: u8,
        /// Heading text.
        text: String,
    },
    /// A paragraph of running text.
    Paragraph(String),
    /// A bulleted list, one string per item.
    Bullets(Vec<String>),
    /// A row of headline figures.
    KeyFigures(Vec<KeyFigure>),
    /// A table (split across PDF pages with its header repeated).
    Table(Table),
    /// A chart (never split across pages).
    Chart(Chart),
    /// A choropleth map (never split across pages).
    Map(MapFigure),
    /// Start a new page (PDF) / a page break when printing (HTML).
    PageBreak,
}

/// A headline figure: "1,234 detections (+12% on last quarter)".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyFigure {
    /// What is counted.
    pub label: String,
    /// The figure, already formatted by the caller.
    pub value: String,
    /// Optional comment (comparison, caveat).
    pub note: Option<String>,
}

/// A table of preformatted cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Caption shown above the table (HTML `<caption>`).
    pub caption: String,
    /// Column headers and alignment.
    pub columns: Vec<Column>,
    /// Rows of cells; rows with too few cells are padded, extra cells dropped.
    pub rows: Vec<Vec<String>>,
    /// Optional note under the table (source, caveats).
    pub note: Option<String>,
}

/// A table column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Column {
    /// Header text.
    pub title: String,
    /// Alignment of the column's cells.
    pub align: Align,
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Align {
    /// Text columns.
    #[default]
    Left,
    /// Numeric columns.
    Right,
}

/// A named series of values, one per category or period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Values; NaN and infinities are treated as missing.
    pub values: Vec<f64>,
}

/// A vertical marker on a line chart (change point, disruption).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marker {
    /// Index into the chart's `x_labels`; out-of-range markers are not drawn.
    pub x: usize,
    /// Short label printed at the top of the marker line.
    pub label: String,
}

/// A chart, drawn as vectors in both outputs.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Grouped horizontal bars: one group per category, one bar per series.
    Bars {
        /// Chart title.
        title: String,
        /// Category labels (rows of the chart).
        categories: Vec<String>,
        /// Series; `values[i]` belongs to `categories[i]`.
        series: Vec<Series>,
        /// Unit of the value axis (e.g. "detections"); may be empty.
        unit: String,
    },
    /// Lines over periods, with optional vertical markers.
    Lines {
        /// Chart title.
        title: String,
        /// Period labels along the x axis (e.g. "2024-03").
        x_labels: Vec<String>,
        /// Series; `values[i]` belongs to `x_labels[i]`; missing values break the line.
        series: Vec<Series>,
        /// Vertical marker lines.
        markers: Vec<Marker>,
        /// Unit of the value axis; may be empty.
        unit: String,
    },
}

/// A polygon feature of a map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    /// Key matched against [`MapFigure::values`] (ISO alpha-2 for countries;
    /// empty for land that is no ISO country, drawn without a value).
    pub key: String,
    /// Display name.
    pub label: String,
    /// Rings of (longitude, latitude) in degrees; holes are filled even-odd.
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// A choropleth: shapes shaded in five classes by their value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapFigure {
    /// Map title.
    pub title: String,
    /// Every shape to draw (values or not).
    pub shapes: Vec<Shape>,
    /// Value per shape key; non-finite values count as no data.
    pub values: HashMap<String, f64>,
    /// Shown area as (west, south, east, north) in degrees; an invalid box shows the world.
    pub bounds: (f64, f64, f64, f64),
    /// Title of the legend (what the values count).
    pub legend_title: String,
}
