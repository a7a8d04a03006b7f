//! `tessera ais events`: decoded AIS through the behaviour detector of
//! `crates/maritime` (gaps, encounters, loitering, identity changes, position
//! jumps, watched areas, short mid-sea stops), one event per line as JSON, with
//! a summary on standard error, or (`--parquet DIR`) a Parquet dataset
//! partitioned by day. Streaming: memory grows with the number of vessels,
//! not of messages. See docs/maritime.md.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tessera_maritime::{Area, Converter, Detector, DetectorConfig, EncounterConfig, Event, GapConfig, Record};

use crate::ais_parquet::EventWriter;
use crate::feed;

/// Arguments of `tessera ais events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Files of NMEA sentences with reception times (tag blocks or $PGHP), or JSON Lines of decoded
    /// positions (gpsdio / Global Fishing Watch); standard input for `-` or when neither files nor --tcp are given.
    pub files: Vec<PathBuf>,
    /// Also read NMEA lines from this TCP feed (after the files), until the peer closes.
    #[arg(long, value_name = "HOST:PORT")]
    pub tcp: Option<String>,
    /// Write the events as a Parquet dataset partitioned by day under DIR/events
    /// (then nothing is written to standard output).
    #[arg(long, value_name = "DIR")]
    pub parquet: Option<PathBuf>,
    /// Replace an existing DIR/events.
    #[arg(long, requires = "parquet")]
    pub force: bool,
    /// Watched areas: a GeoJSON FeatureCollection of Polygons or MultiPolygons (entry, exit, launches).
    #[arg(long)]
    pub areas: Option<PathBuf>,
    /// Thresholds: Tessera's defaults (GFW's raw 6 h gaps, 500 m / 2 h encounters) or a published preset.
    #[arg(long, value_enum, default_value_t = Preset::Default)]
    pub preset: Preset,
    /// Report only short stops inside a watched area.
    #[arg(long)]
    pub stops_in_areas_only: bool,
    /// Drop the state of a vessel silent this long (hours), keeping its last position and static data
    /// (never less than the detectors' own windows).
    #[arg(long, default_value_t = 24.0)]
    pub evict_after_hours: f64,
    /// Do not print the summary on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Threshold presets from published practice (docs/maritime.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// Tessera's defaults.
    Default,
    /// Global Fishing Watch's published events: gaps of 12 h and more.
    Gfw,
    /// Skylight's standard rendezvous: 250 m for 30 minutes.
    Skylight,
}

/// Runs `tessera ais events`.
pub fn events(args: EventsArgs, json: bool) -> Result<ExitCode> {
    let areas = match &args.areas {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            Area::from_geojson(&text).with_context(|| format!("{}", path.display()))?
        }
        None => Vec::new(),
    };
    let mut config = DetectorConfig::default();
    match args.preset {
        Preset::Default => {}
        Preset::Gfw => config.gap = GapConfig::gfw_published(),
        Preset::Skylight => config.encounter = EncounterConfig::skylight(),
    }
    config.stop.only_in_areas = args.stops_in_areas_only;
    if !(args.evict_after_hours.is_finite() && args.evict_after_hours > 0.0) {
        anyhow::bail!("--evict-after-hours must be a positive number, not {}", args.evict_after_hours);
    }
    config.evict_after_hours = args.evict_after_hours;
    let area_count = areas.len();
    let inputs = feed::open_inputs(&args.files, args.tcp.as_deref())?;
    let mut parquet = match &args.parquet {
        Some(dir) => Some(EventWriter::create(dir, args.force, Default::default())?),
        None => None,
    };
    let mut detector = Detector::new(config, areas);
    let mut converter = Converter::new();
    let mut events: Vec<Event> = Vec::new();
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut written = 0u64;
    let mut line = Vec::with_capacity(512);
    let mut flush = |events: &mut Vec<Event>, out: &mut BufWriter<_>| -> Result<()> {
        for e in events.drain(..) {
            match parquet.as_mut() {
                Some(w) => w.push(&e)?,
                None => {
                    line.clear();
                    serde_json::to_writer(&mut line, &e)?;
                    line.push(b'\n');
                    out.write_all(&line).context("writing events")?;
                }
            }
            written += 1;
        }
        Ok(())
    };
    let (mut positions, mut statics) = (0u64, 0u64);
    let read = feed::for_each_record(inputs, &mut converter, |record| {
        match record {
            Record::Static(s) => {
                statics += 1;
                detector.push_static(&s, &mut events);
            }
            Record::Position(p) => {
                positions += 1;
                detector.push(p, &mut events);
            }
        }
        if events.len() >= 1024 {
            flush(&mut events, &mut out)?;
        }
        Ok(())
    });
    let totals = match read {
        Ok(t) => t,
        Err(e) if feed::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
    };
    detector.finish(&mut events);
    match flush(&mut events, &mut out).and_then(|()| out.flush().context("writing events")) {
        Err(e) if feed::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        r => r?,
    }
    drop(out);
    let stored = parquet.map(EventWriter::finish).transpose()?;
    let messages = totals.counts.messages;
    let converted = converter.stats;
    let stats = detector.stats();
    if !args.quiet {
        if json {
            let mut summary = serde_json::json!({
                "messages": messages, "read": totals, "conversion": converted, "detector": stats,
                "events": written, "areas": area_count
            });
            if let Some(w) = &stored {
                summary["parquet"] = w.to_json();
            }
            eprintln!("{summary}");
        } else {
            eprintln!(
                "{messages} messages, {} JSON records: {positions} positions, {statics} static records ({} positions without a time, {} without a position skipped); \
                 {} segments; {written} events ({} late positions, {} off the globe); {area_count} watched areas; \
                 {} times a silent vessel's state was dropped",
                totals.counts.json_records,
                converted.no_time,
                converted.no_position + totals.counts.json_no_position,
                stats.segments,
                stats.late,
                stats.invalid,
                stats.evicted
            );
            if let Some(w) = &stored {
                eprintln!("  {}", w.line());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
