//! Writes a scenario as JSON Lines to standard output and its summary to
//! standard error: `cargo run -p tessera-scenario --example scenario -- [reports] [seed]`.

use std::io;

use tessera_scenario::{ScenarioConfig, generate};

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut config = ScenarioConfig::default();
    if let Some(n) = args.next().and_then(|s| s.parse().ok()) {
        config.reports = n;
    }
    if let Some(seed) = args.next().and_then(|s| s.parse().ok()) {
        config.seed = seed;
    }
    let started = std::time::Instant::now();
    let summary = generate(&config, &mut io::stdout().lock())?;
    let secs = started.elapsed().as_secs_f64();
    let n = summary.reports.max(1) as f64;
    eprintln!(
        "{} reports in {secs:.2}s ({:.0}/s); per report: {:.2} entities, {:.2} links, {:.2} statements; {} persons; agencies {:?}",
        summary.reports,
        n / secs,
        summary.entities as f64 / n,
        summary.links as f64 / n,
        summary.statements as f64 / n,
        summary.persons,
        summary.agencies
    );
    Ok(())
}
