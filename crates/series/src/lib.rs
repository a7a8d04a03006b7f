//! Tessera's time-series engine: monthly count series such as the FRONTEX
//! detections of illegal border-crossings, read and analysed as plain data.
//!
//! - [`month`]: months as one integer (`year * 12 + month - 1`).
//! - [`series`]: gap-free monthly series and sets of them by key.
//! - [`read`]: streaming CSV reading (`key...,month,n`); errors name file, line and column.
//! - [`trend`]: centred 12-month moving average, year-on-year change, annual totals.
//! - [`seasonal`]: month-of-year profile as ratios to the trend, and its strength.
//! - [`changepoint`]: exact PELT segmentation with a BIC penalty.
//! - [`shares`]: each key's share of the whole per year or quarter, and the largest shifts.
//! - [`mix`]: the make-up of each group (nationalities of a route) per year.
//! - [`frontex`]: the FRONTEX files, and the whole context of each route in one call.

mod stats;

pub mod changepoint;
pub mod frontex;
pub mod mix;
pub mod month;
pub mod read;
pub mod seasonal;
pub mod series;
pub mod shares;
pub mod trend;

pub use month::Month;
pub use read::{ReadError, read_file, read_from};
pub use series::{Series, SeriesSet};
