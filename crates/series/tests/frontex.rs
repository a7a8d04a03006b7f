//! The engine on the real FRONTEX detections (../shared/data/frontex): the
//! files agree with each other and with FRONTEX's published 2015 totals; the
//! change points include the breaks every sound segmentation of these series
//! finds (checked over several penalties and minimum segment lengths, with a
//! tolerance of a few months); the Central Mediterranean peaks in summer;
//! shares and nationality mix show the 2015–2018 shifts.

use std::path::{Path, PathBuf};

use tessera_series::changepoint::{self, ChangePoint, Direction, Options, Penalty};
use tessera_series::frontex::{self, ContextOptions, Data};
use tessera_series::seasonal::{self, Strength};
use tessera_series::{Month, Series};

const EAST: &str = "Eastern Mediterranean Route";
const CENTRAL: &str = "Central Mediterranean Route";
const WEST: &str = "Western Mediterranean Route";
const BALKANS: &str = "Western Balkan Route";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/frontex")
}

fn data() -> Data {
    frontex::load(&dir()).expect("the FRONTEX files in ../shared/data/frontex")
}

fn m(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn route<'a>(data: &'a Data, name: &str) -> &'a Series {
    data.routes.get(&[name]).unwrap_or_else(|| panic!("route {name}"))
}

/// The options any sound analyst might pick: BIC or MBIC, segments of at
/// least 2, 3 or 4 months, over the whole span or over 2012–2022 only.
fn every_reasonable_choice(series: &Series) -> Vec<(String, Vec<ChangePoint>)> {
    let mut runs = Vec::new();
    for penalty in [Penalty::Bic, Penalty::Mbic] {
        for min_segment in [2, 3, 4] {
            for (from, until) in [(None, None), (Some(m("2012-01")), Some(m("2022-12")))] {
                let options = Options { penalty, min_segment, ..Options::default() };
                let cut = series.clipped(from, until);
                let label = format!("{penalty:?}, min {min_segment}, from {from:?}");
                runs.push((label, changepoint::change_points(&cut, &options).breaks));
            }
        }
    }
    runs
}

/// Asserts a break in `direction` between `earliest` and `latest` under
/// every reasonable choice, the level changing by at least `factor` across
/// the breaks of that direction in the window (a collapse may come in two
/// steps when segments of two months are allowed).
fn assert_break(data: &Data, name: &str, direction: Direction, earliest: &str, latest: &str, factor: f64) {
    for (label, breaks) in every_reasonable_choice(route(data, name)) {
        let within: Vec<&ChangePoint> = breaks
            .iter()
            .filter(|b| b.direction == direction && b.month >= m(earliest) && b.month <= m(latest))
            .collect();
        let months: Vec<String> = breaks.iter().map(|b| format!("{} {:+.2}", b.month, b.size)).collect();
        let (Some(first), Some(last)) = (within.first(), within.last()) else {
            panic!("{name} ({label}): no {direction:?} break in {earliest}..{latest}: {months:?}");
        };
        let (before, after) = (first.level_before, last.level_after);
        let enough = match direction {
            Direction::Down => after * factor <= before,
            Direction::Up => before * factor <= after,
        };
        assert!(enough, "{name} ({label}): {before:.0} -> {after:.0} is less than {factor}x: {months:?}");
    }
}

#[test]
fn the_two_files_agree_and_match_the_published_2015_totals() {
    let data = data();
    assert_eq!(data.routes.span, Some((m("2009-01"), m("2025-04"))));
    assert_eq!(data.routes.series.len(), 9);
    let by_nationality = data.nationalities.group_by(&["route"]).unwrap();
    for series in &data.routes.series {
        let summed = by_nationality.get(&[series.key[0].as_str()]).unwrap();
        assert_eq!(summed.counts, series.counts, "{}", series.name());
    }
    let year = |name: &str| route(&data, name).clipped(Some(m("2015-01")), Some(m("2015-12"))).total();
    assert_eq!(year(EAST), 885_386);
    assert_eq!(year(BALKANS), 764_033);
    assert_eq!(year(CENTRAL), 153_946);
}

#[test]
fn eastern_mediterranean_collapses_after_the_eu_turkey_statement() {
    // EU–Turkey statement, 18 March 2016: 27,343 in March, 4,324 in April.
    assert_break(&data(), EAST, Direction::Down, "2016-02", "2016-05", 8.0);
}

#[test]
fn western_balkans_surge_in_2015_and_collapse_in_early_2016() {
    let data = data();
    assert_break(&data, BALKANS, Direction::Up, "2015-05", "2015-10", 2.0);
    // The route closed in stages from November 2015 to March 2016.
    assert_break(&data, BALKANS, Direction::Down, "2015-11", "2016-04", 8.0);
}

#[test]
fn central_mediterranean_drops_in_mid_2017() {
    assert_break(&data(), CENTRAL, Direction::Down, "2017-06", "2017-09", 2.0);
}

#[test]
fn western_mediterranean_rises_in_2018() {
    assert_break(&data(), WEST, Direction::Up, "2018-03", "2018-07", 2.0);
}

#[test]
fn without_seasonal_adjustment_the_bic_segmentation_still_finds_the_breaks() {
    let data = data();
    let options = Options { seasonal_adjust: false, ..Options::default() };
    let has = |name: &str, direction: Direction, earliest: &str, latest: &str| {
        changepoint::change_points(route(&data, name), &options)
            .breaks
            .iter()
            .any(|b| b.direction == direction && b.month >= m(earliest) && b.month <= m(latest))
    };
    assert!(has(EAST, Direction::Down, "2016-02", "2016-05"));
    assert!(has(BALKANS, Direction::Down, "2015-11", "2016-04"));
    assert!(has(CENTRAL, Direction::Down, "2017-06", "2017-09"));
    assert!(has(WEST, Direction::Up, "2018-03", "2018-07"));
}

#[test]
fn central_mediterranean_peaks_in_summer() {
    let data = data();
    let season = seasonal::seasonality(route(&data, CENTRAL), 2).expect("a profile");
    assert!((6..=9).contains(&season.peak), "peak in month {}", season.peak);
    assert!([12, 1, 2].contains(&season.trough), "trough in month {}", season.trough);
    assert!(season.band != Strength::Weak, "strength {}", season.strength);
    assert!(season.factors[6] > 1.3 && season.factors[7] > 1.3, "{:?}", season.factors);
    assert!(season.factors[0] < 0.6, "{:?}", season.factors);
    assert!(season.years.len() >= 12, "{:?}", season.years);
}

#[test]
fn shares_and_mix_show_the_shifts_between_routes() {
    let data = data();
    let context = frontex::context(&data, &ContextOptions::default()).unwrap();
    let share = |year: &str, name: &str| {
        let period = context.yearly_shares.iter().find(|p| p.period == year).unwrap();
        period.shares.iter().find(|s| s.key == name).unwrap().share
    };
    assert!(share("2015", EAST) + share("2015", BALKANS) > 0.85);
    assert!(share("2014", CENTRAL) > 0.55 && share("2017", CENTRAL) > 0.55);
    let largest = &context.yearly_shifts[0];
    assert_eq!((largest.key.as_str(), largest.from.as_str(), largest.to.as_str()), (CENTRAL, "2014", "2015"));
    assert!((largest.change + 0.52).abs() < 0.01, "{}", largest.change);
    assert!(
        context.quarterly_shifts.len() == 10 && context.quarterly_shifts[0].change.abs() >= largest.change.abs() * 0.5
    );

    let east = context.routes.iter().find(|r| r.route == EAST).unwrap();
    let y2015 = east.nationality_mix.iter().find(|y| y.year == 2015).unwrap();
    assert_eq!(y2015.total, 885_386);
    assert_eq!(y2015.top[0].part, "SYR");
    assert!((y2015.top[0].share - 0.561).abs() < 0.001);
    assert_eq!(y2015.top[1].part, "AFG");
    assert_eq!(y2015.grew_most.as_ref().unwrap().part, "SYR");
    let central = context.routes.iter().find(|r| r.route == CENTRAL).unwrap();
    assert_eq!(central.nationality_mix.iter().find(|y| y.year == 2016).unwrap().top[0].part, "NGA");
    let last = central.nationality_mix.last().unwrap();
    assert_eq!((last.year, last.months), (2025, 4));
}

#[test]
fn one_route_and_a_window() {
    let data = data();
    let options = ContextOptions {
        route: Some(WEST.into()),
        from: Some(m("2016-01")),
        until: Some(m("2019-12")),
        ..ContextOptions::default()
    };
    let context = frontex::context(&data, &options).unwrap();
    assert_eq!(context.routes.len(), 1);
    assert_eq!(context.span, Some((m("2016-01"), m("2019-12"))));
    let west = &context.routes[0];
    assert_eq!(west.trend.years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2016, 2017, 2018, 2019]);
    assert!(west.trend.years[2].change.unwrap() > 1.0, "2018 more than doubled 2017");
    assert!(context.yearly_shifts.iter().all(|s| s.key == WEST));
    let unknown = ContextOptions { route: Some("Channel".into()), ..ContextOptions::default() };
    let error = frontex::context(&data, &unknown).unwrap_err().to_string();
    assert!(error.contains("no route \"Channel\"") && error.contains(CENTRAL), "{error}");
}

#[test]
fn covid_and_the_belarus_crisis() {
    let data = data();
    // Borders closed in March 2020: 1,800 in March, 100 in April on the Eastern Mediterranean.
    assert_break(&data, EAST, Direction::Down, "2020-03", "2020-05", 5.0);
    // Belarus sent migrants to the Lithuanian, Latvian and Polish borders from June 2021.
    assert_break(&data, "Eastern Borders Route", Direction::Up, "2021-05", "2021-08", 5.0);
}

#[test]
fn quiet_years_have_no_collapse_and_a_higher_penalty_never_adds_breaks() {
    let data = data();
    // After the spring 2016 collapse the Eastern Mediterranean stayed between
    // 1,600 and 7,300 a month until 2019: nothing there is a fall to an eighth.
    let quiet = changepoint::change_points(route(&data, EAST), &Options::default());
    assert!(
        !quiet
            .breaks
            .iter()
            .any(|b| b.month >= m("2016-07") && b.month <= m("2019-06") && b.level_after * 8.0 <= b.level_before),
        "{:?}",
        quiet.breaks.iter().map(|b| b.month.to_string()).collect::<Vec<_>>()
    );
    // The optimum's number of changes cannot grow with the penalty.
    for series in &data.routes.series {
        let count =
            |penalty| changepoint::change_points(series, &Options { penalty, ..Options::default() }).breaks.len();
        let (bic, mbic, huge) = (count(Penalty::Bic), count(Penalty::Mbic), count(Penalty::Fixed(1e9)));
        assert!(mbic <= bic && huge == 0, "{}: BIC {bic}, MBIC {mbic}, huge {huge}", series.name());
    }
}
