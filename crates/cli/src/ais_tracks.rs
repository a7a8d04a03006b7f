//! `tessera ais tracks`: per-vessel tracks, streaming. Each position gets
//! its segment (the online segmentation of `crates/maritime`, after GFW's
//! gpsdio-segment) and the static data known at that time; `--summary`
//! gives one row per segment when it closes; `--format geojson` a
//! FeatureCollection of LineStrings, one per segment. See docs/maritime.md.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use tessera_maritime::{
    Converter, Position, Record, SegmentConfig, StaticInfo, Track, Tracker, TrackerConfig, flag_of,
};

use crate::feed::{self, Totals};

/// Arguments of `tessera ais tracks`.
#[derive(Debug, Args)]
pub struct TracksArgs {
    /// NMEA files with reception times (tag blocks or $PGHP), or JSON Lines of decoded positions
    /// (gpsdio / Global Fishing Watch: ssvid or mmsi, timestamp, lat, lon, speed, course);
    /// standard input for `-` or when neither files nor --tcp are given.
    pub files: Vec<PathBuf>,
    /// Also read NMEA lines from this TCP feed (after the files), until the peer closes.
    #[arg(long, value_name = "HOST:PORT")]
    pub tcp: Option<String>,
    /// Output: JSON Lines, CSV, or GeoJSON (a FeatureCollection of one LineString per segment).
    #[arg(long, value_enum, default_value_t = TrackFormat::Jsonl)]
    pub format: TrackFormat,
    /// One row per segment (start, end, points, distance, static data) instead of one per position.
    #[arg(long)]
    pub summary: bool,
    /// A point implying more than this speed (knots) from a segment's last point starts another.
    #[arg(long, default_value_t = 25.0)]
    pub max_knots: f64,
    /// A silence longer than this (hours) closes a segment.
    #[arg(long, default_value_t = 8.0)]
    pub max_gap_hours: f64,
    /// Forget a vessel silent this long (hours), static data included; at least --max-gap-hours.
    #[arg(long, default_value_t = 24.0)]
    pub evict_after_hours: f64,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Do not print the summary on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// How tracks are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackFormat {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// GeoJSON FeatureCollection of LineStrings, one per segment of two points or more.
    Geojson,
}

/// Columns of a position row.
const POSITION_COLUMNS: [&str; 16] = [
    "mmsi",
    "segment",
    "time",
    "lat",
    "lon",
    "sog",
    "cog",
    "heading",
    "name",
    "callsign",
    "imo",
    "ship_type",
    "length",
    "beam",
    "destination",
    "flag",
];

/// Columns of a segment row (`--summary`, and GeoJSON properties).
const SEGMENT_COLUMNS: [&str; 18] = [
    "mmsi",
    "segment",
    "start",
    "end",
    "points",
    "distance_nm",
    "start_lat",
    "start_lon",
    "end_lat",
    "end_lon",
    "name",
    "callsign",
    "imo",
    "ship_type",
    "length",
    "beam",
    "destination",
    "flag",
];

/// ISO 8601 UTC of seconds since the epoch.
fn iso(seconds: i64) -> Value {
    let mut b = Vec::with_capacity(24);
    tessera_ais::time::write_iso_ms(seconds.saturating_mul(1000), &mut b);
    Value::String(String::from_utf8_lossy(&b).into_owned())
}

/// An f32 as the shortest decimal that reads back to it (12.3, not 12.300000190734863).
fn short(x: f32) -> Value {
    x.to_string().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
}

/// The static columns: name, callsign, imo, ship_type, length, beam,
/// destination, flag (from the MMSI when no static data was seen).
fn static_cells(mmsi: u32, s: Option<&StaticInfo>) -> [Value; 8] {
    let d = s.and_then(|s| s.dimensions);
    [
        json!(s.and_then(|s| s.name.clone())),
        json!(s.and_then(|s| s.callsign.clone())),
        json!(s.and_then(|s| s.imo)),
        json!(s.and_then(|s| s.ship_type)),
        json!(d.map(|d| u32::from(d.to_bow) + u32::from(d.to_stern)).filter(|&l| l > 0)),
        json!(d.map(|d| u32::from(d.to_port) + u32::from(d.to_starboard)).filter(|&b| b > 0)),
        json!(s.and_then(|s| s.destination.clone())),
        json!(s.and_then(|s| s.flag).or_else(|| flag_of(mmsi))),
    ]
}

fn position_row(p: &Position, segment: u64, s: Option<&StaticInfo>) -> Vec<Value> {
    let mut row = vec![
        json!(p.mmsi),
        json!(segment),
        iso(p.time),
        json!(p.lat),
        json!(p.lon),
        p.sog.map_or(Value::Null, short),
        p.cog.map_or(Value::Null, short),
        json!(p.heading),
    ];
    row.extend(static_cells(p.mmsi, s));
    row
}

fn segment_row(t: &Track) -> Vec<Value> {
    let mut row = vec![
        json!(t.mmsi),
        json!(t.id),
        iso(t.first.time),
        iso(t.last.time),
        json!(t.points),
        json!((t.distance_nm * 1000.0).round() / 1000.0),
        json!(t.first.lat),
        json!(t.first.lon),
        json!(t.last.lat),
        json!(t.last.lon),
    ];
    row.extend(static_cells(t.mmsi, t.statics.as_deref()));
    row
}

/// The output: rows as JSON Lines or CSV, or GeoJSON features.
struct Output {
    out: BufWriter<Box<dyn Write>>,
    format: TrackFormat,
    columns: &'static [&'static str],
    rows: u64,
    /// Segments left out of GeoJSON for having a single point.
    single: u64,
    buf: Vec<u8>,
}

impl Output {
    fn new(sink: Box<dyn Write>, format: TrackFormat, columns: &'static [&'static str]) -> Result<Output> {
        let mut o = Output {
            out: BufWriter::with_capacity(1 << 16, sink),
            format,
            columns,
            rows: 0,
            single: 0,
            buf: Vec::new(),
        };
        match format {
            TrackFormat::Csv => {
                let mut w = csv::Writer::from_writer(&mut o.buf);
                w.write_record(columns)?;
                drop(w);
            }
            TrackFormat::Geojson => o.buf.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[\n"),
            TrackFormat::Jsonl => {}
        }
        o.write_buf()?;
        Ok(o)
    }

    fn write_buf(&mut self) -> Result<()> {
        self.out.write_all(&self.buf).context("writing tracks")?;
        self.buf.clear();
        Ok(())
    }

    fn row(&mut self, cells: Vec<Value>) -> Result<()> {
        match self.format {
            TrackFormat::Jsonl => {
                // Keys in column order (serde_json's map would sort them).
                for (i, (column, cell)) in self.columns.iter().zip(&cells).enumerate() {
                    self.buf.extend_from_slice(if i == 0 { b"{\"" } else { b",\"" });
                    self.buf.extend_from_slice(column.as_bytes());
                    self.buf.extend_from_slice(b"\":");
                    serde_json::to_writer(&mut self.buf, cell)?;
                }
                self.buf.extend_from_slice(b"}\n");
            }
            TrackFormat::Csv => {
                let mut w = csv::Writer::from_writer(&mut self.buf);
                w.write_record(cells.iter().map(|c| match c {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                }))?;
                drop(w);
            }
            TrackFormat::Geojson => bail!("GeoJSON takes segments, not rows"),
        }
        self.rows += 1;
        self.write_buf()
    }

    fn segment(&mut self, t: &Track) -> Result<()> {
        if self.format != TrackFormat::Geojson {
            return self.row(segment_row(t));
        }
        if t.coordinates.len() < 2 {
            self.single += 1;
            return Ok(());
        }
        let properties: serde_json::Map<String, Value> =
            self.columns.iter().map(|c| c.to_string()).zip(segment_row(t)).collect();
        let coordinates: Vec<[f64; 2]> = t.coordinates.iter().map(|&(lon, lat)| [lon, lat]).collect();
        let feature = json!({
            "type": "Feature",
            "id": t.id,
            "geometry": {"type": "LineString", "coordinates": coordinates},
            "properties": properties,
        });
        if self.rows > 0 {
            self.buf.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut self.buf, &feature)?;
        self.rows += 1;
        self.write_buf()
    }

    fn finish(mut self) -> Result<(u64, u64)> {
        if self.format == TrackFormat::Geojson {
            self.buf.extend_from_slice(b"\n]}\n");
            self.write_buf()?;
        }
        self.out.flush().context("writing tracks")?;
        Ok((self.rows, self.single))
    }
}

/// Runs `tessera ais tracks`.
pub fn tracks(args: TracksArgs, json: bool) -> Result<ExitCode> {
    for (name, value) in [("--max-knots", args.max_knots), ("--max-gap-hours", args.max_gap_hours)] {
        if !(value.is_finite() && value > 0.0) {
            bail!("{name} must be a positive number, not {value}");
        }
    }
    if !(args.evict_after_hours.is_finite() && args.evict_after_hours >= args.max_gap_hours) {
        bail!(
            "--evict-after-hours ({}) must be at least --max-gap-hours ({})",
            args.evict_after_hours,
            args.max_gap_hours
        );
    }
    let geojson = args.format == TrackFormat::Geojson;
    let per_segment = args.summary || geojson;
    let inputs = feed::open_inputs(&args.files, args.tcp.as_deref())?;
    let sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?),
        None => Box::new(std::io::stdout()),
    };
    let columns: &'static [&'static str] = if per_segment { &SEGMENT_COLUMNS } else { &POSITION_COLUMNS };
    let mut output = Output::new(sink, args.format, columns)?;
    let segment =
        SegmentConfig { max_knots: args.max_knots, max_gap_hours: args.max_gap_hours, ..SegmentConfig::default() };
    let mut tracker =
        Tracker::new(TrackerConfig { segment, keep_points: geojson, evict_after_hours: args.evict_after_hours });
    let mut converter = Converter::new();
    let mut closed: Vec<Track> = Vec::new();
    let mut statics = 0u64;
    let read = feed::for_each_record(inputs, &mut converter, |record| {
        match record {
            Record::Static(s) => {
                statics += 1;
                tracker.push_static(&s);
            }
            Record::Position(p) => {
                let Some(segment) = tracker.push(p, &mut closed) else { return Ok(()) };
                if !per_segment {
                    output.row(position_row(&p, segment, tracker.statics(p.mmsi)))?;
                }
            }
        }
        if per_segment {
            for t in closed.drain(..) {
                output.segment(&t)?;
            }
        } else {
            closed.clear();
        }
        Ok(())
    });
    let totals = match read {
        Ok(t) => t,
        Err(e) if feed::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
    };
    tracker.finish(&mut closed);
    if per_segment {
        for t in closed.drain(..) {
            output.segment(&t)?;
        }
    }
    let (rows, single) = match output.finish() {
        Ok(r) => r,
        Err(e) if feed::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
    };
    if !args.quiet {
        eprintln!("{}", summary(&totals, &converter, &tracker, statics, rows, single, json));
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(
    totals: &Totals,
    converter: &Converter,
    tracker: &Tracker,
    statics: u64,
    rows: u64,
    single: u64,
    json: bool,
) -> String {
    let c = converter.stats;
    let t = tracker.stats();
    if json {
        return json!({
            "read": totals, "conversion": c, "static_records": statics, "tracker": t, "rows": rows,
            "single_point_segments_left_out": single,
        })
        .to_string();
    }
    let mut s = format!(
        "{} lines ({} AIS messages, {} JSON records, {} NMEA problems): {} positions in {} segments, {} static records; \
         {rows} rows written",
        totals.counts.lines,
        totals.counts.messages,
        totals.counts.json_records,
        totals.problems,
        t.positions,
        t.segments,
        statics,
    );
    let skipped = [
        (c.no_time, "position reports without a reception time (a tag block c: or $PGHP is needed)"),
        (c.no_position + totals.counts.json_no_position, "records without a position"),
        (t.invalid, "positions off the globe"),
        (t.late, "positions older than their vessel's latest"),
        (single, "single-point segments left out of GeoJSON"),
    ];
    for (n, what) in skipped.iter().filter(|(n, _)| *n > 0) {
        s.push_str(&format!("\n  skipped: {n} {what}"));
    }
    if t.evicted > 0 {
        s.push_str(&format!(
            "\n  {} times a vessel was forgotten after a long silence (--evict-after-hours)",
            t.evicted
        ));
    }
    s
}
