//! The series engine's CSV reader on arbitrary bytes: it must return series
//! or an error naming the origin, never panic; series it returns must be
//! gap-free and go through every analysis (trend, seasonality, change
//! points, shares, mix) without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_series::changepoint::{self, CostModel, Options};
use tessera_series::shares::{self, Period};
use tessera_series::{mix, read_from, seasonal, trend};

fuzz_target!(|data: &[u8]| {
    // Dense series span from their first to last month: keep inputs small
    // enough that a span of ten thousand years stays cheap.
    if data.len() > 2_000 {
        return;
    }
    let set = match read_from("fuzz", data) {
        Ok(set) => set,
        Err(error) => {
            assert!(error.to_string().starts_with("fuzz:"));
            return;
        }
    };
    for series in &set.series {
        assert!(!series.counts.is_empty());
        if series.len() > 600 {
            continue;
        }
        let _ = trend::trend(series);
        let _ = seasonal::seasonality(series, 2);
        for cost in [CostModel::NormalLog1p, CostModel::Poisson] {
            let found = changepoint::change_points(series, &Options { cost, ..Options::default() });
            assert_eq!(found.segments.len(), found.breaks.len() + 1);
        }
    }
    if set.span.is_some_and(|(a, b)| a.months_until(b) <= 600) {
        let _ = shares::largest_shifts(&shares::shares(&set, Period::Quarter), 5);
        if set.key_columns.len() >= 2 {
            let (first, second) = (set.key_columns[0].clone(), set.key_columns[1].clone());
            let _ = mix::mix(&set, &first, &second, 3);
        }
    }
});
