//! `tessera ais events`: decoded AIS through the behaviour detector of
//! `crates/maritime` (gaps, encounters, loitering, identity changes, position
//! jumps, watched areas, short mid-sea stops), one event per line as JSON, with
//! a summary on standard error. Streaming: memory grows with the number of
//! vessels, not of messages. See docs/maritime.md.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tessera_ais::Decoder;
use tessera_maritime::{Area, Converter, Detector, DetectorConfig, EncounterConfig, Event, GapConfig};

/// Arguments of `tessera ais events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Files of NMEA sentences with reception times (tag blocks or $PGHP); standard input for `-` or none.
    pub files: Vec<PathBuf>,
    /// Watched areas: a GeoJSON FeatureCollection of Polygons or MultiPolygons (entry, exit, launches).
    #[arg(long)]
    pub areas: Option<PathBuf>,
    /// Thresholds: Tessera's defaults (GFW's raw 6 h gaps, 500 m / 2 h encounters) or a published preset.
    #[arg(long, value_enum, default_value_t = Preset::Default)]
    pub preset: Preset,
    /// Report only short stops inside a watched area.
    #[arg(long)]
    pub stops_in_areas_only: bool,
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
    let area_count = areas.len();
    let mut detector = Detector::new(config, areas);
    let mut converter = Converter::new();
    let mut events: Vec<Event> = Vec::new();
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut written = 0u64;
    let mut flush = |events: &mut Vec<Event>, out: &mut BufWriter<_>| -> Result<()> {
        for e in events.drain(..) {
            serde_json::to_writer(&mut *out, &e)?;
            out.write_all(b"\n")?;
            written += 1;
        }
        Ok(())
    };
    let inputs: Vec<Option<PathBuf>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files.iter().map(|f| if f.as_os_str() == "-" { None } else { Some(f.clone()) }).collect()
    };
    let mut messages = 0u64;
    for input in &inputs {
        let reader: Box<dyn BufRead> = match input {
            Some(path) => Box::new(BufReader::with_capacity(
                1 << 16,
                std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?,
            )),
            None => Box::new(BufReader::with_capacity(1 << 16, std::io::stdin().lock())),
        };
        let name = input.as_ref().map_or("standard input".to_string(), |p| p.display().to_string());
        let mut decoder = Decoder::new();
        let mut failure = None;
        decoder
            .decode_all(reader, |m| {
                messages += 1;
                let (position, statics) = converter.convert(&m, None);
                if let Some(s) = statics {
                    detector.push_static(&s, &mut events);
                }
                if let Some(p) = position {
                    detector.push(p, &mut events);
                }
                if events.len() >= 1024
                    && failure.is_none()
                    && let Err(e) = flush(&mut events, &mut out)
                {
                    failure = Some(e);
                }
            })
            .with_context(|| format!("reading {name}"))?;
        if let Some(e) = failure {
            return Err(e);
        }
    }
    detector.finish(&mut events);
    flush(&mut events, &mut out)?;
    out.flush()?;
    drop(out);
    let converted = converter.stats;
    let stats = detector.stats();
    if !args.quiet {
        if json {
            let summary = serde_json::json!({
                "messages": messages, "conversion": converted, "detector": stats, "events": written, "areas": area_count
            });
            eprintln!("{summary}");
        } else {
            eprintln!(
                "{messages} messages: {} positions, {} static records ({} positions without a time, {} without a position skipped); \
                 {} segments; {written} events ({} late positions, {} off the globe); {area_count} watched areas",
                converted.positions,
                converted.statics,
                converted.no_time,
                converted.no_position,
                stats.segments,
                stats.late,
                stats.invalid
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
