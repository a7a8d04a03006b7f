//! `tessera ais`: the AIS decoder on files, standard input or a TCP feed
//! (`crate::feed`), streaming with constant memory. `decode` writes one
//! message per line (JSON Lines, or CSV with fixed columns) and a summary of
//! sentences, messages and problems by reason (docs/ais.md); `tracks` and
//! `events` are `crate::ais_tracks` and `crate::ais_events`
//! (docs/maritime.md).

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use tessera_ais::{Decoder, Message, Options, Reason, Stats, Value};

/// Subcommands of `tessera ais`.
#[derive(Debug, Subcommand)]
pub enum AisCommand {
    /// Decode NMEA 0183 AIVDM/AIVDO sentences (tag blocks, $PGHP, multi-part) into messages.
    Decode(DecodeArgs),
    /// Detect behaviours (gaps, encounters, loitering, identity changes, jumps, watched areas, short stops).
    Events(crate::ais_events::EventsArgs),
    /// Per-vessel tracks: each position with its segment and static data, or one row per segment.
    Tracks(crate::ais_tracks::TracksArgs),
}

/// Arguments of `tessera ais decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Files to decode; standard input for `-` or when neither files nor --tcp are given.
    pub files: Vec<PathBuf>,
    /// Also read NMEA lines from this TCP feed (after the files), until the peer closes.
    #[arg(long, value_name = "HOST:PORT")]
    pub tcp: Option<String>,
    /// Output format for the messages.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    pub format: OutputFormat,
    /// Print only the summary (on standard output; JSON with --json).
    #[arg(long)]
    pub stats: bool,
    /// Decode sentences whose checksum does not match (counted all the same).
    #[arg(long)]
    pub no_verify_checksum: bool,
    /// Write the messages to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Do not print the summary on standard error.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write position reports and static data as Parquet datasets partitioned by day under DIR
    /// (messages then go to standard output only with --out).
    #[arg(long, value_name = "DIR")]
    pub parquet: Option<PathBuf>,
    /// Replace an existing Parquet dataset under --parquet DIR.
    #[arg(long, requires = "parquet")]
    pub force: bool,
}

/// How messages are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per message with every decoded field.
    Jsonl,
    /// Fixed columns (the fields of tracks and static data); other fields are left out.
    Csv,
}

/// The CSV columns, in order.
const CSV_COLUMNS: [&str; 23] = [
    "received",
    "source",
    "channel",
    "msg_type",
    "repeat",
    "mmsi",
    "lat",
    "lon",
    "speed",
    "course",
    "heading",
    "turn",
    "status",
    "shipname",
    "callsign",
    "imo",
    "ship_type",
    "destination",
    "draught",
    "to_bow",
    "to_stern",
    "to_port",
    "to_starboard",
];

/// Run a `tessera ais` subcommand.
pub fn run(command: AisCommand, json: bool) -> Result<ExitCode> {
    match command {
        AisCommand::Decode(args) => decode(args, json),
        AisCommand::Events(args) => crate::ais_events::events(args, json),
        AisCommand::Tracks(args) => crate::ais_tracks::tracks(args, json),
    }
}

fn decode(args: DecodeArgs, json: bool) -> Result<ExitCode> {
    let options = Options { verify_checksum: !args.no_verify_checksum, ..Options::default() };
    let inputs = crate::feed::open_inputs(&args.files, args.tcp.as_deref())?;
    // Before --out is created, so that a refused dataset leaves it untouched.
    let mut parquet = match &args.parquet {
        Some(dir) => Some(crate::ais_parquet::Writer::create(dir, args.force, Default::default())?),
        None => None,
    };
    let sink: Box<dyn Write> = match (&args.out, args.stats) {
        (_, true) => Box::new(std::io::sink()),
        (Some(path), false) => {
            Box::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?)
        }
        (None, false) if args.parquet.is_some() => Box::new(std::io::sink()),
        (None, false) => Box::new(std::io::stdout().lock()),
    };
    let text = !args.stats && (args.out.is_some() || args.parquet.is_none());
    let mut out = BufWriter::with_capacity(1 << 16, sink);
    let csv = args.format == OutputFormat::Csv && text;
    if csv {
        writeln!(out, "{}", CSV_COLUMNS.join(","))?;
    }
    let mut total = Stats::default();
    let start = Instant::now();
    let mut buf = Vec::with_capacity(512);
    let mut broken_pipe = false;
    for input in inputs {
        let mut decoder = Decoder::with_options(options.clone());
        let mut write_error = None;
        let mut parquet_error = None;
        let result = decoder.decode_all(input.reader, |m| {
            if let Some(w) = parquet.as_mut().filter(|_| parquet_error.is_none())
                && let Err(e) = w.push(&m)
            {
                parquet_error = Some(e);
            }
            if !text || write_error.is_some() {
                return;
            }
            buf.clear();
            if csv {
                csv_row(&m, &mut buf);
            } else {
                m.write_json(&mut buf);
                buf.push(b'\n');
            }
            if let Err(e) = out.write_all(&buf) {
                write_error = Some(e);
            }
        });
        let name = input.label;
        result.with_context(|| format!("reading {name}"))?;
        if let Some(e) = parquet_error {
            return Err(e.context(format!("writing Parquet from {name}")));
        }
        if let Some(e) = write_error {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                broken_pipe = true;
                break;
            }
            return Err(e).context("writing messages");
        }
        add(&mut total, decoder.stats());
    }
    if !broken_pipe {
        match out.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            r => r.context("writing messages")?,
        }
    }
    let written = parquet.map(|w| w.finish()).transpose()?;
    let seconds = start.elapsed().as_secs_f64();
    if args.stats {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", summary(&total, seconds, json, written.as_ref()))?;
    } else if !args.quiet {
        eprintln!("{}", summary(&total, seconds, json, written.as_ref()));
    }
    Ok(ExitCode::SUCCESS)
}

fn add(total: &mut Stats, s: &Stats) {
    total.lines += s.lines;
    total.sentences += s.sentences;
    total.messages += s.messages;
    total.timestamps += s.timestamps;
    total.ignored += s.ignored;
    for (a, b) in total.by_type.iter_mut().zip(s.by_type) {
        *a += b;
    }
    for (a, b) in total.errors.iter_mut().zip(s.errors) {
        *a += b;
    }
}

fn summary(s: &Stats, seconds: f64, json: bool, parquet: Option<&crate::ais_parquet::Written>) -> String {
    if json {
        let errors: serde_json::Map<String, serde_json::Value> =
            Reason::ALL.iter().map(|r| (r.name().to_string(), s.error(*r).into())).collect();
        let by_type: serde_json::Map<String, serde_json::Value> =
            s.by_type.iter().enumerate().filter(|(_, n)| **n > 0).map(|(t, n)| (t.to_string(), (*n).into())).collect();
        let mut summary = serde_json::json!({
            "lines": s.lines,
            "sentences": s.sentences,
            "messages": s.messages,
            "timestamps": s.timestamps,
            "ignored": s.ignored,
            "errors": errors,
            "by_type": by_type,
            "seconds": seconds,
        });
        if let Some(w) = parquet {
            summary["parquet"] = w.to_json();
        }
        return summary.to_string();
    }
    let mut t = format!(
        "lines {}, AIS sentences {}, messages {}, $PGHP time stamps {}, other lines ignored {}, problems {} ({:.3} s)",
        s.lines,
        s.sentences,
        s.messages,
        s.timestamps,
        s.ignored,
        s.total_errors(),
        seconds
    );
    for r in Reason::ALL {
        if s.error(r) > 0 {
            t.push_str(&format!("\n  {}: {}", r.name(), s.error(r)));
        }
    }
    let types: Vec<String> =
        s.by_type.iter().enumerate().filter(|(_, n)| **n > 0).map(|(t, n)| format!("{t}:{n}")).collect();
    if !types.is_empty() {
        t.push_str(&format!("\n  by type: {}", types.join(" ")));
    }
    if let Some(w) = parquet {
        t.push_str(&format!("\n  {}", w.line()));
    }
    t
}

fn csv_row(m: &Message, buf: &mut Vec<u8>) {
    let mut cells: [String; CSV_COLUMNS.len()] = Default::default();
    if let Some(ms) = m.meta.received_ms {
        let mut b = Vec::new();
        tessera_ais::time::write_iso_ms(ms, &mut b);
        cells[0] = String::from_utf8_lossy(&b).into_owned();
    }
    if let Some(s) = &m.meta.source {
        cells[1] = s.to_string();
    }
    if let Some(c) = m.meta.channel {
        cells[2] = char::from(c).to_string();
    }
    m.visit(&mut |name, value| {
        let Some(i) = CSV_COLUMNS.iter().position(|c| *c == name) else {
            return;
        };
        cells[i] = match value {
            Value::Null | Value::Data(..) => String::new(),
            Value::Uint(v) => v.to_string(),
            Value::Int(v) => v.to_string(),
            Value::Float(v) => {
                let mut b = Vec::new();
                tessera_ais::fields::push_f64(&mut b, v);
                String::from_utf8_lossy(&b).into_owned()
            }
            Value::Bool(v) => v.to_string(),
            Value::Str(s) => s.to_string(),
        };
    });
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            buf.push(b'"');
            buf.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            buf.push(b'"');
        } else {
            buf.extend_from_slice(cell.as_bytes());
        }
    }
    buf.push(b'\n');
}
