//! The picture's external context: the FRONTEX monthly detections of
//! illegal border-crossings of the routes in a viewer's picture, as series
//! beside the intelligence's own (same shape as [`SeriesView`], so the
//! dashboard and the papers draw both alike), with the change points that
//! `crates/series` finds (docs/series.md).
//!
//! FRONTEX publishes these figures; they are reference data, not
//! intelligence, and the same for every viewer. Which routes are shown
//! follows the viewer's picture, so nothing about hidden reports is implied.

use tessera_model::taxonomy::Route;
use tessera_series::Month;
use tessera_series::frontex::{self, ContextOptions, Data};

use crate::{Change, Dimension, Picture, SeriesView};

/// Years of FRONTEX detections shown before the picture's first month.
pub const YEARS_BEFORE: i32 = 3;

/// The FRONTEX series of `routes` (route codes; the Channel and routes FRONTEX does not report are
/// skipped), from `YEARS_BEFORE` years before `from` (a `YYYY-MM` month; the whole span when `None`)
/// to the end of the data.
pub fn frontex_series(data: &Data, routes: &[String], from: Option<&str>) -> Vec<SeriesView> {
    let start = from.and_then(Month::parse).map(|m| m.plus(-12 * YEARS_BEFORE));
    routes
        .iter()
        .filter_map(|code| {
            let name = Route::from_name(code)?.frontex_name()?;
            let series = data.routes.get(&[name])?;
            let options = ContextOptions { route: Some(name.to_string()), from: start, ..ContextOptions::default() };
            let context = frontex::context(data, &options).ok()?;
            let route = context.routes.into_iter().next()?;
            let first = start.map_or(series.start, |s| if s > series.start { s } else { series.start });
            let counts: Vec<u64> =
                (0..=first.months_until(series.end()).max(0)).map(|i| series.get(first.plus(i))).collect();
            Some(SeriesView {
                by: Dimension::Route,
                key: code.clone(),
                start: first.to_string(),
                last_twelve_months_change: route.trend.last_twelve_months.and_then(|r| r.change),
                changes: route
                    .change_points
                    .breaks
                    .iter()
                    .map(|b| Change {
                        month: b.month.to_string(),
                        direction: b.direction,
                        level_before: Some((b.level_before * 10.0).round() / 10.0),
                        level_after: Some((b.level_after * 10.0).round() / 10.0),
                    })
                    .collect(),
                counts: Some(counts),
            })
        })
        .collect()
}

/// The FRONTEX series of the routes of `picture`, most reported first, from [`YEARS_BEFORE`] years
/// before its first month.
pub fn for_picture(data: &Data, picture: &Picture) -> Vec<SeriesView> {
    let routes: Vec<String> = picture
        .sections
        .iter()
        .filter(|s| s.by == Dimension::Route)
        .flat_map(|s| s.figures.iter().map(|f| f.key.clone()))
        .collect();
    let from = picture.series.iter().map(|s| s.start.as_str()).min();
    frontex_series(data, &routes, from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Option<Data> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/frontex");
        frontex::load(&dir).ok()
    }

    #[test]
    fn the_routes_of_the_picture_get_their_detections_and_breaks() {
        let Some(data) = data() else {
            panic!("the FRONTEX data of ../shared/data/frontex is missing");
        };
        let routes = vec!["channel".to_string(), "eastern_mediterranean".to_string()];
        let series = frontex_series(&data, &routes, Some("2018-01"));
        assert_eq!(series.len(), 1, "FRONTEX does not report the Channel");
        let east = &series[0];
        assert_eq!((east.key.as_str(), east.start.as_str()), ("eastern_mediterranean", "2015-01"));
        // The collapse of spring 2016 (the EU–Turkey statement) is among the breaks found.
        assert!(
            east.changes.iter().any(|c| c.month.as_str() >= "2016-02"
                && c.month.as_str() <= "2016-06"
                && c.direction == tessera_series::changepoint::Direction::Down),
            "{:?}",
            east.changes
        );
        assert!(east.counts.as_ref().is_some_and(|c| c.len() > 100));
    }
}
