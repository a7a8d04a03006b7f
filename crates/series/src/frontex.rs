//! The FRONTEX monthly detections of illegal border-crossings (by route, and
//! by route, border type and nationality), and the context of each route in
//! one call: total, trend, seasonality, change points, shifts of share
//! between routes and nationality mix. FRONTEX omits months with no
//! detections, so every series is padded with zeros to the file's span.

use std::path::Path;

use serde::Serialize;

use crate::changepoint::{self, ChangePoints};
use crate::mix::{self, YearMix};
use crate::month::Month;
use crate::read::{ReadError, read_file};
use crate::seasonal::{self, Seasonality};
use crate::series::SeriesSet;
use crate::shares::{self, Period, PeriodShares, ShareShift};
use crate::trend::{self, Trend};

/// The file of detections by route (`route,month,n`).
pub const ROUTE_FILE: &str = "frontex_ibc_monthly_by_route.csv";
/// The file of detections by route, border type and nationality (`route,type,nat,month,n`).
pub const NATIONALITY_FILE: &str = "frontex_ibc_monthly_by_route_nationality.csv";

/// Both FRONTEX files, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Data {
    /// Detections by route, padded to the file's span.
    pub routes: SeriesSet,
    /// Detections by route and nationality (border types summed), padded to the file's span.
    pub nationalities: SeriesSet,
}

/// Why the FRONTEX data could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrontexError {
    /// A file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A file lacks a key column the layout needs.
    #[error("{file}: expected key columns {expected}, found {found}")]
    Layout {
        /// The file.
        file: String,
        /// The key columns expected.
        expected: String,
        /// The key columns found.
        found: String,
    },
    /// No route of that name.
    #[error("no route {route:?} in the data; routes: {known}")]
    UnknownRoute {
        /// The route asked for.
        route: String,
        /// The routes present, comma separated.
        known: String,
    },
}

/// Reads both files from the directory that holds them.
pub fn load(dir: &Path) -> Result<Data, FrontexError> {
    let route_path = dir.join(ROUTE_FILE);
    let nationality_path = dir.join(NATIONALITY_FILE);
    let routes = read_file(&route_path)?;
    let nationalities = read_file(&nationality_path)?;
    let layout_error = |path: &Path, expected: &str, set: &SeriesSet| FrontexError::Layout {
        file: path.display().to_string(),
        expected: expected.to_string(),
        found: set.key_columns.join(","),
    };
    let by_route = routes.group_by(&["route"]).ok_or_else(|| layout_error(&route_path, "route", &routes))?;
    let by_nat = nationalities
        .group_by(&["route", "nat"])
        .ok_or_else(|| layout_error(&nationality_path, "route,nat", &nationalities))?;
    Ok(Data { routes: by_route.padded(), nationalities: by_nat.padded() })
}

/// What to include in a context.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextOptions {
    /// Only this route (all when `None`); shares are still of all routes.
    pub route: Option<String>,
    /// The first month analysed.
    pub from: Option<Month>,
    /// The last month analysed.
    pub until: Option<Month>,
    /// How change points are found.
    pub change_points: changepoint::Options,
    /// Nationalities listed per route and year.
    pub top: usize,
    /// Largest shifts of share listed (per period length).
    pub shifts: usize,
}

impl Default for ContextOptions {
    fn default() -> ContextOptions {
        ContextOptions {
            route: None,
            from: None,
            until: None,
            change_points: changepoint::Options::default(),
            top: 5,
            shifts: 10,
        }
    }
}

/// Everything about one route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteContext {
    /// The route, as FRONTEX names it.
    pub route: String,
    /// Detections over the months analysed.
    pub total: u64,
    /// Trend: moving average, year-on-year change, annual totals.
    pub trend: Trend,
    /// Seasonal profile (absent with fewer than two full years).
    pub seasonality: Option<Seasonality>,
    /// Breaks in level.
    pub change_points: ChangePoints,
    /// Leading nationalities per year and which grew most.
    pub nationality_mix: Vec<YearMix>,
}

/// The FRONTEX context beside the intelligence: every route (or one), and
/// how detections shifted between routes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Context {
    /// The first and last month analysed.
    pub span: Option<(Month, Month)>,
    /// Detections over all routes.
    pub total: u64,
    /// Each route.
    pub routes: Vec<RouteContext>,
    /// Each route's share of all detections per year.
    pub yearly_shares: Vec<PeriodShares>,
    /// The largest changes of share between consecutive years.
    pub yearly_shifts: Vec<ShareShift>,
    /// The largest changes of share between consecutive quarters.
    pub quarterly_shifts: Vec<ShareShift>,
}

/// The context of the routes, as `options` asks.
pub fn context(data: &Data, options: &ContextOptions) -> Result<Context, FrontexError> {
    let routes = data.routes.clipped(options.from, options.until);
    let nationalities = data.nationalities.clipped(options.from, options.until);
    if let Some(route) = &options.route
        && data.routes.get(&[route.as_str()]).is_none()
    {
        return Err(FrontexError::UnknownRoute { route: route.clone(), known: data.routes.values(0).join(", ") });
    }
    let wanted = |name: &str| options.route.as_deref().is_none_or(|r| r == name);
    let mut mixes = mix::mix(&nationalities, "route", "nat", options.top).unwrap_or_default();
    let route_contexts = routes
        .series
        .iter()
        .filter(|s| wanted(&s.key[0]))
        .map(|s| {
            let nationality_mix = mixes
                .iter_mut()
                .find(|g| g.group == s.key[0])
                .map(|g| std::mem::take(&mut g.years))
                .unwrap_or_default();
            RouteContext {
                route: s.key[0].clone(),
                total: s.total(),
                trend: trend::trend(s),
                seasonality: seasonal::seasonality(s, 2),
                change_points: changepoint::change_points(s, &options.change_points),
                nationality_mix,
            }
        })
        .collect();
    let yearly_shares = shares::shares(&routes, Period::Year);
    let only_wanted = |shifts: Vec<ShareShift>| shifts.into_iter().filter(|s| wanted(&s.key)).collect::<Vec<_>>();
    let per_route = if options.route.is_some() { usize::MAX } else { options.shifts };
    let mut yearly_shifts = only_wanted(shares::largest_shifts(&yearly_shares, per_route));
    yearly_shifts.truncate(options.shifts);
    let mut quarterly_shifts =
        only_wanted(shares::largest_shifts(&shares::shares(&routes, Period::Quarter), per_route));
    quarterly_shifts.truncate(options.shifts);
    Ok(Context {
        span: routes.span,
        total: routes.total().total(),
        routes: route_contexts,
        yearly_shares,
        yearly_shifts,
        quarterly_shifts,
    })
}
