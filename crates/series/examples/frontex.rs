//! Prints the change points and seasonality of every FRONTEX route:
//! `cargo run -p tessera-series --example frontex [DIR] [MIN_SEGMENT] [bic|mbic|poisson]`.

use std::path::PathBuf;

use tessera_series::changepoint::{self, CostModel, Penalty};
use tessera_series::{frontex, seasonal};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data/frontex".into()));
    let min_segment = args.next().map_or(Ok(3), |a| a.parse())?;
    let mut options = changepoint::Options { min_segment, ..Default::default() };
    match args.next().as_deref() {
        Some("mbic") => options.penalty = Penalty::Mbic,
        Some("poisson") => options.cost = CostModel::Poisson,
        _ => {}
    }
    let data = frontex::load(&dir)?;
    for series in &data.routes.series {
        let cp = changepoint::change_points(series, &options);
        println!("{} (sigma {:.3}, penalty {:.2})", series.name(), cp.sigma.unwrap_or(0.0), cp.penalty);
        for b in &cp.breaks {
            println!("  {} {:>10.0} -> {:>10.0} size {:+.2}", b.month, b.level_before, b.level_after, b.size);
        }
        if let Some(s) = seasonal::seasonality(series, 2) {
            let factors: Vec<String> = s.factors.iter().map(|f| format!("{f:.2}")).collect();
            println!(
                "  seasonality {:.2} {:?} peak {} trough {} [{}]",
                s.strength,
                s.band,
                s.peak,
                s.trough,
                factors.join(" ")
            );
        }
    }
    Ok(())
}
