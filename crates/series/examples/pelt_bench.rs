//! Tessera's side of `bench/series.sh`: PELT on every FRONTEX series (each
//! route, and each route × nationality with border types summed), with the
//! normal cost on `ln(1 + count)` (no seasonal adjustment, so that ruptures
//! gets the same signal) and the BIC penalty `2 σ² ln n`. Prints one JSON
//! document: the time of one pass over all series (the median of
//! `REPEAT` passes) and each series' σ, penalty and breaks.
//!
//! `cargo run --release -p tessera-series --example pelt_bench -- DIR [MIN_SEGMENT] [REPEAT]`

use std::path::PathBuf;
use std::time::Instant;

use serde_json::json;
use tessera_series::changepoint::{self, CostModel, NormalMean, Penalty};
use tessera_series::frontex;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data/frontex".into()));
    let min_segment: usize = args.next().map_or(Ok(3), |a| a.parse())?;
    let repeat: usize = args.next().map_or(Ok(20), |a| a.parse())?;
    let data = frontex::load(&dir)?;
    let series: Vec<_> = data.routes.series.iter().chain(&data.nationalities.series).collect();
    let prepared: Vec<(String, Vec<f64>, f64, f64)> = series
        .iter()
        .map(|s| {
            let signal = changepoint::log1p(&s.counts);
            let sigma = changepoint::noise_sigma(&signal);
            let penalty = changepoint::penalty_value(Penalty::Bic, CostModel::NormalLog1p, signal.len(), sigma);
            (s.name(), signal, sigma, penalty)
        })
        .collect();
    let mut times = Vec::with_capacity(repeat);
    let mut breaks = Vec::new();
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        breaks = prepared
            .iter()
            .map(|(_, signal, sigma, penalty)| {
                if *sigma > 0.0 {
                    changepoint::pelt(&NormalMean::new(signal), *penalty, min_segment)
                } else {
                    Vec::new()
                }
            })
            .collect();
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let rows: Vec<_> = prepared
        .iter()
        .zip(&breaks)
        .map(|((key, signal, sigma, penalty), breaks)| {
            json!({"key": key, "n": signal.len(), "sigma": sigma, "penalty": penalty, "breaks": breaks})
        })
        .collect();
    let seconds = times[times.len() / 2];
    println!("{}", json!({"seconds": seconds, "repeat": times.len(), "min_segment": min_segment, "series": rows}));
    Ok(())
}
