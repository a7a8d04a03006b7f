//! `tessera ais decode --parquet DIR`: position reports and static/voyage
//! data as Parquet datasets partitioned by UTC day in Hive style,
//! `DIR/positions/day=YYYY-MM-DD/part-NNNNN.parquet` and
//! `DIR/static/day=…/…`, readable by DuckDB and Spark (docs/ais.md, "Storage");
//! `tessera ais events --parquet DIR`: behaviour events the same way in
//! `DIR/events/day=…/…` ([`EventWriter`], docs/maritime.md).
//!
//! Streaming with bounded memory: each open file buffers at most one row
//! group ([`ROW_GROUP`] rows) before writing it; at most [`MAX_OPEN`] files
//! are open per dataset, and the least recently used is closed when another
//! day needs one (that day then continues in its next part file). Files are
//! written under a hidden name (`.part-NNNNN.parquet.inprogress`, which
//! DuckDB's `*.parquet` globs and Spark skip) and renamed when complete, so
//! a failed run leaves no file that a reader would take as complete.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use parquet::basic::{LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, FloatType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use tessera_ais::{Body, Message};
use tessera_maritime::Event;

/// Rows buffered per file before they are written as one row group.
pub const ROW_GROUP: usize = 65_536;
/// Files open at the same time per dataset.
pub const MAX_OPEN: usize = 8;
/// Partition of messages without a reception time.
pub const UNKNOWN_DAY: &str = "unknown";

const DAY_MS: i64 = 86_400_000;

/// Physical and logical type of a column.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// INT64, TIMESTAMP(MILLIS, UTC).
    Time,
    /// INT32, UINT_32 (MMSI and IMO numbers: 30 bits).
    U32,
    /// INT32.
    I32,
    /// INT64.
    I64,
    /// FLOAT.
    F32,
    /// DOUBLE.
    F64,
    /// BYTE_ARRAY, STRING.
    Str,
    /// BOOLEAN.
    Bool,
}

/// A column: name, kind, and whether it may be null.
type Column = (&'static str, Kind, bool);

/// Columns of `positions` (types 1, 2, 3, 18, 19, 27).
const POSITION_COLUMNS: [Column; 15] = [
    ("time", Kind::Time, true),
    ("mmsi", Kind::U32, false),
    ("msg_type", Kind::I32, false),
    ("lat", Kind::F64, true),
    ("lon", Kind::F64, true),
    ("sog", Kind::F32, true),
    ("cog", Kind::F32, true),
    ("heading", Kind::I32, true),
    ("nav_status", Kind::I32, true),
    ("rot", Kind::F32, true),
    ("accuracy", Kind::Bool, true),
    ("second", Kind::I32, true),
    ("repeat", Kind::I32, false),
    ("source", Kind::Str, true),
    ("channel", Kind::Str, true),
];

/// Columns of `static` (types 5, 19, 24).
const STATIC_COLUMNS: [Column; 21] = [
    ("time", Kind::Time, true),
    ("mmsi", Kind::U32, false),
    ("msg_type", Kind::I32, false),
    ("part", Kind::I32, true),
    ("imo", Kind::U32, true),
    ("callsign", Kind::Str, true),
    ("name", Kind::Str, true),
    ("ship_type", Kind::I32, true),
    ("to_bow", Kind::I32, true),
    ("to_stern", Kind::I32, true),
    ("to_port", Kind::I32, true),
    ("to_starboard", Kind::I32, true),
    ("epfd", Kind::I32, true),
    ("eta_month", Kind::I32, true),
    ("eta_day", Kind::I32, true),
    ("eta_hour", Kind::I32, true),
    ("eta_minute", Kind::I32, true),
    ("draught", Kind::F32, true),
    ("destination", Kind::Str, true),
    ("source", Kind::Str, true),
    ("channel", Kind::Str, true),
];

/// Columns of `events`: the event, then the details of every kind as typed
/// nullable columns (named as in the JSON details; a retraction's `event`
/// is `retracted_event`), then the details as JSON text.
const EVENT_COLUMNS: [Column; 26] = [
    ("id", Kind::I64, false),
    ("kind", Kind::Str, false),
    ("mmsi", Kind::U32, false),
    ("other_mmsi", Kind::U32, true),
    ("segment", Kind::I64, true),
    ("start", Kind::Time, false),
    ("end", Kind::Time, false),
    ("lat", Kind::F64, true),
    ("lon", Kind::F64, true),
    ("hours", Kind::F64, true),
    ("distance_nm", Kind::F64, true),
    ("implied_knots", Kind::F64, true),
    ("end_lat", Kind::F64, true),
    ("end_lon", Kind::F64, true),
    ("median_knots", Kind::F64, true),
    ("min_distance_m", Kind::F64, true),
    ("observations", Kind::I32, true),
    ("average_knots", Kind::F64, true),
    ("field", Kind::Str, true),
    ("old", Kind::Str, true),
    ("new", Kind::Str, true),
    ("area", Kind::Str, true),
    ("minutes", Kind::F64, true),
    ("retracted_event", Kind::I64, true),
    ("reason", Kind::Str, true),
    ("details", Kind::Str, false),
];

/// Columns of `events` before the details.
const EVENT_HEAD: usize = 9;

/// One value of a row; `Null` only in nullable columns.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Null, Into::into)
    }
}
macro_rules! int_cell {
    ($($t:ty),*) => {$(impl From<$t> for Cell { fn from(v: $t) -> Self { Cell::Int(i64::from(v)) } })*};
}
int_cell!(u8, u16, u32, i64);
impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Real(v)
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}
impl<const N: usize> From<tessera_ais::Text<N>> for Cell {
    fn from(v: tessera_ais::Text<N>) -> Self {
        if v.is_empty() { Cell::Null } else { Cell::Text(v.as_str().to_string()) }
    }
}

/// Time, MMSI, type; then the dataset's own columns; then source and channel.
fn head(m: &Message) -> [Cell; 3] {
    [m.meta.received_ms.into(), m.mmsi.into(), m.msg_type.into()]
}
fn tail(m: &Message) -> [Cell; 2] {
    [m.meta.source.into(), m.meta.channel.map_or(Cell::Null, |c| Cell::Text(char::from(c).to_string()))]
}

/// The `positions` row of a message, if it is a position report.
fn position_row(m: &Message) -> Option<Vec<Cell>> {
    // lat, lon, sog, cog, heading, nav_status, rot, accuracy, second
    let own: [Cell; 9] = match &m.body {
        Body::Position(p) => [
            p.lat.into(),
            p.lon.into(),
            p.speed.into(),
            p.course.into(),
            p.heading.into(),
            p.status.into(),
            p.turn().into(),
            p.accuracy.into(),
            p.second.into(),
        ],
        Body::ClassB(p) => [
            p.lat.into(),
            p.lon.into(),
            p.speed.into(),
            p.course.into(),
            p.heading.into(),
            Cell::Null,
            Cell::Null,
            p.accuracy.into(),
            p.second.into(),
        ],
        Body::ClassBExtended(p) => [
            p.lat.into(),
            p.lon.into(),
            p.speed.into(),
            p.course.into(),
            p.heading.into(),
            Cell::Null,
            Cell::Null,
            p.accuracy.into(),
            p.second.into(),
        ],
        Body::LongRange(p) => [
            p.lat.into(),
            p.lon.into(),
            p.speed.map(f64::from).into(),
            p.course.map(f64::from).into(),
            Cell::Null,
            p.status.into(),
            Cell::Null,
            p.accuracy.into(),
            Cell::Null,
        ],
        _ => return None,
    };
    let mut row = Vec::with_capacity(POSITION_COLUMNS.len());
    row.extend(head(m));
    row.extend(own);
    row.push(m.repeat.into());
    row.extend(tail(m));
    Some(row)
}

/// The `static` row of a message, if it carries static or voyage data.
fn static_row(m: &Message) -> Option<Vec<Cell>> {
    use Cell::Null;
    // part, imo, callsign, name, ship_type, to_bow, to_stern, to_port,
    // to_starboard, epfd, eta_month, eta_day, eta_hour, eta_minute, draught,
    // destination
    let own: [Cell; 16] = match &m.body {
        Body::StaticVoyage(s) => [
            Null,
            s.imo.into(),
            s.callsign.into(),
            s.shipname.into(),
            s.ship_type.into(),
            s.to_bow.into(),
            s.to_stern.into(),
            s.to_port.into(),
            s.to_starboard.into(),
            s.epfd.into(),
            s.month.into(),
            s.day.into(),
            s.hour.into(),
            s.minute.into(),
            s.draught.into(),
            s.destination.into(),
        ],
        Body::ClassBExtended(s) => [
            Null,
            Null,
            Null,
            s.shipname.into(),
            s.ship_type.into(),
            s.to_bow.into(),
            s.to_stern.into(),
            s.to_port.into(),
            s.to_starboard.into(),
            s.epfd.into(),
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
        ],
        Body::StaticDataA(s) => [
            Cell::Int(0),
            Null,
            Null,
            s.shipname.into(),
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
        ],
        Body::StaticDataB(s) => [
            Cell::Int(1),
            Null,
            s.callsign.into(),
            Null,
            s.ship_type.into(),
            s.to_bow.into(),
            s.to_stern.into(),
            s.to_port.into(),
            s.to_starboard.into(),
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
            Null,
        ],
        _ => return None,
    };
    let mut row = Vec::with_capacity(STATIC_COLUMNS.len());
    row.extend(head(m));
    row.extend(own);
    row.extend(tail(m));
    Some(row)
}

/// The `events` row of an event (times in milliseconds; NaN and infinite
/// numbers, such as the position of an identity change before any position
/// or the speed across a jump at one instant, are null).
fn event_row(e: &Event) -> Result<Vec<Cell>> {
    let real = |x: f64| if x.is_finite() { Cell::Real(x) } else { Cell::Null };
    let kind = match serde_json::to_value(e.kind)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    let mut row = Vec::with_capacity(EVENT_COLUMNS.len());
    row.extend([
        Cell::Int(i64::try_from(e.id)?),
        Cell::Text(kind),
        e.mmsi.into(),
        e.other_mmsi.into(),
        e.segment.map(i64::try_from).transpose()?.into(),
        Cell::Int(e.start.saturating_mul(1000)),
        Cell::Int(e.end.saturating_mul(1000)),
        real(e.lat),
        real(e.lon),
    ]);
    let details = serde_json::to_value(&e.details)?;
    for (name, kind, _) in &EVENT_COLUMNS[EVENT_HEAD..EVENT_COLUMNS.len() - 1] {
        let key = if *name == "retracted_event" { "event" } else { name };
        let v = details.get(key).unwrap_or(&serde_json::Value::Null);
        row.push(match (kind, v) {
            (Kind::F64, v) => v.as_f64().map_or(Cell::Null, real),
            (Kind::I32 | Kind::I64, v) => v.as_i64().map_or(Cell::Null, Cell::Int),
            (Kind::Str, serde_json::Value::String(s)) => Cell::Text(s.clone()),
            _ => Cell::Null,
        });
    }
    row.push(Cell::Text(details.to_string()));
    Ok(row)
}

/// The values of one column of the buffered row group, with definition
/// levels (1 = value, 0 = null).
#[derive(Debug)]
enum Values {
    I32(Vec<i32>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    Bytes(Vec<ByteArray>),
    Bool(Vec<bool>),
}

#[derive(Debug)]
struct Buffer {
    values: Values,
    levels: Vec<i16>,
}

impl Buffer {
    fn new(kind: Kind) -> Self {
        let values = match kind {
            Kind::Time | Kind::I64 => Values::I64(Vec::new()),
            Kind::U32 | Kind::I32 => Values::I32(Vec::new()),
            Kind::F32 => Values::F32(Vec::new()),
            Kind::F64 => Values::F64(Vec::new()),
            Kind::Str => Values::Bytes(Vec::new()),
            Kind::Bool => Values::Bool(Vec::new()),
        };
        Buffer { values, levels: Vec::new() }
    }

    /// Appends a value; `false` when it does not fit the column.
    fn push(&mut self, cell: Cell, nullable: bool) -> bool {
        match (cell, &mut self.values) {
            (Cell::Null, _) if nullable => {
                self.levels.push(0);
                return true;
            }
            (Cell::Int(i), Values::I32(v)) => match i32::try_from(i) {
                Ok(i) => v.push(i),
                Err(_) => return false,
            },
            (Cell::Int(i), Values::I64(v)) => v.push(i),
            (Cell::Real(x), Values::F32(v)) => v.push(x as f32),
            (Cell::Real(x), Values::F64(v)) => v.push(x),
            (Cell::Text(s), Values::Bytes(v)) => v.push(ByteArray::from(s.into_bytes())),
            (Cell::Bool(b), Values::Bool(v)) => v.push(b),
            _ => return false,
        }
        self.levels.push(1);
        true
    }
}

/// Partition key: UTC days since 1970-01-01, `None` for no reception time.
type Day = Option<i64>;

/// Directory name of a partition: `day=YYYY-MM-DD` or `day=unknown`.
fn day_dir(day: Day) -> String {
    match day {
        Some(d) => {
            let mut iso = Vec::new();
            tessera_ais::time::write_iso_ms(d.saturating_mul(DAY_MS), &mut iso);
            let date = iso.split(|b| *b == b'T').next().unwrap_or_default();
            format!("day={}", String::from_utf8_lossy(date))
        }
        None => format!("day={UNKNOWN_DAY}"),
    }
}

/// One open part file of one day.
struct Part {
    day: Day,
    tmp: PathBuf,
    path: PathBuf,
    writer: SerializedFileWriter<BufWriter<File>>,
    buffers: Vec<Buffer>,
    rows: usize,
    used: u64,
}

impl Part {
    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let what = || format!("writing {}", self.tmp.display());
        let mut group = self.writer.next_row_group().with_context(what)?;
        for buffer in &mut self.buffers {
            let Some(mut column) = group.next_column().with_context(what)? else {
                bail!("{}: fewer columns than the schema", self.tmp.display());
            };
            let levels = Some(buffer.levels.as_slice());
            let written = match &mut buffer.values {
                Values::I32(v) => column.typed::<Int32Type>().write_batch(v, levels, None),
                Values::I64(v) => column.typed::<Int64Type>().write_batch(v, levels, None),
                Values::F32(v) => column.typed::<FloatType>().write_batch(v, levels, None),
                Values::F64(v) => column.typed::<DoubleType>().write_batch(v, levels, None),
                Values::Bytes(v) => column.typed::<ByteArrayType>().write_batch(v, levels, None),
                Values::Bool(v) => column.typed::<BoolType>().write_batch(v, levels, None),
            };
            written.with_context(what)?;
            column.close().with_context(what)?;
            match &mut buffer.values {
                Values::I32(v) => v.clear(),
                Values::I64(v) => v.clear(),
                Values::F32(v) => v.clear(),
                Values::F64(v) => v.clear(),
                Values::Bytes(v) => v.clear(),
                Values::Bool(v) => v.clear(),
            }
            buffer.levels.clear();
        }
        group.close().with_context(what)?;
        self.rows = 0;
        Ok(())
    }

    /// Writes what is buffered and the footer, and gives the file its final name.
    fn close(mut self) -> Result<()> {
        self.flush()?;
        let what = || format!("writing {}", self.tmp.display());
        let out = self.writer.into_inner().with_context(what)?;
        let file = out.into_inner().map_err(|e| e.into_error()).with_context(what)?;
        file.sync_all().with_context(what)?;
        drop(file);
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("renaming {} to {}", self.tmp.display(), self.path.display()))
    }
}

/// One dataset (`positions` or `static`): its open files and counts.
struct Dataset {
    dir: PathBuf,
    columns: &'static [Column],
    schema: Arc<Type>,
    props: Arc<WriterProperties>,
    open: Vec<Part>,
    next_part: HashMap<Day, u32>,
    rows: BTreeMap<Day, u64>,
    files: usize,
    tick: u64,
    row_group: usize,
    max_open: usize,
}

impl Dataset {
    fn new(dir: PathBuf, name: &str, columns: &'static [Column], options: &Options) -> Result<Self> {
        Ok(Dataset {
            dir,
            columns,
            schema: schema(name, columns)?,
            props: Arc::new(WriterProperties::new()),
            open: Vec::new(),
            next_part: HashMap::new(),
            rows: BTreeMap::new(),
            files: 0,
            tick: 0,
            row_group: options.row_group.max(1),
            max_open: options.max_open.max(1),
        })
    }

    fn push(&mut self, day: Day, row: Vec<Cell>) -> Result<()> {
        self.tick += 1;
        let i = match self.open.iter().position(|p| p.day == day) {
            Some(i) => i,
            None => self.open_part(day)?,
        };
        let part = &mut self.open[i];
        part.used = self.tick;
        for ((cell, buffer), (name, _, nullable)) in row.into_iter().zip(&mut part.buffers).zip(self.columns) {
            if !buffer.push(cell, *nullable) {
                bail!("{}: a value that does not fit column {name}", part.tmp.display());
            }
        }
        part.rows += 1;
        *self.rows.entry(day).or_default() += 1;
        if part.rows >= self.row_group {
            part.flush()?;
        }
        Ok(())
    }

    /// Opens the next part file of `day`, closing the least recently used
    /// file first when the cap is reached; returns its index in `open`.
    fn open_part(&mut self, day: Day) -> Result<usize> {
        if self.open.len() >= self.max_open
            && let Some((i, _)) = self.open.iter().enumerate().min_by_key(|(_, p)| p.used)
        {
            self.open.swap_remove(i).close()?;
        }
        let dir = self.dir.join(day_dir(day));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let n = self.next_part.entry(day).or_default();
        let name = format!("part-{:05}.parquet", *n);
        *n += 1;
        let path = dir.join(&name);
        let tmp = dir.join(format!(".{name}.inprogress"));
        let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let writer =
            SerializedFileWriter::new(BufWriter::with_capacity(1 << 16, file), self.schema.clone(), self.props.clone())
                .with_context(|| format!("writing {}", tmp.display()))?;
        let buffers = self.columns.iter().map(|(_, kind, _)| Buffer::new(*kind)).collect();
        self.open.push(Part { day, tmp, path, writer, buffers, rows: 0, used: self.tick });
        self.files += 1;
        Ok(self.open.len() - 1)
    }

    fn finish(mut self) -> Result<Counts> {
        // Close in day order so that errors come out deterministically.
        self.open.sort_by_key(|p| p.day);
        for part in self.open.drain(..) {
            part.close()?;
        }
        Ok(Counts { rows: self.rows.into_iter().map(|(d, n)| (day_name(d), n)).collect(), files: self.files })
    }
}

/// `YYYY-MM-DD` or `unknown`.
fn day_name(day: Day) -> String {
    day_dir(day).trim_start_matches("day=").to_string()
}

/// The Parquet schema of `columns`.
fn schema(name: &str, columns: &[Column]) -> Result<Arc<Type>> {
    let fields = columns
        .iter()
        .map(|(column, kind, nullable)| {
            let builder = match kind {
                Kind::Time => Type::primitive_type_builder(column, Physical::INT64)
                    .with_logical_type(Some(LogicalType::timestamp(true, TimeUnit::MILLIS))),
                Kind::U32 => Type::primitive_type_builder(column, Physical::INT32)
                    .with_logical_type(Some(LogicalType::integer(32, false))),
                Kind::I32 => Type::primitive_type_builder(column, Physical::INT32),
                Kind::I64 => Type::primitive_type_builder(column, Physical::INT64),
                Kind::F32 => Type::primitive_type_builder(column, Physical::FLOAT),
                Kind::F64 => Type::primitive_type_builder(column, Physical::DOUBLE),
                Kind::Str => Type::primitive_type_builder(column, Physical::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String)),
                Kind::Bool => Type::primitive_type_builder(column, Physical::BOOLEAN),
            };
            let repetition = if *nullable { Repetition::OPTIONAL } else { Repetition::REQUIRED };
            Ok(Arc::new(builder.with_repetition(repetition).build()?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Type::group_type_builder(name).with_fields(fields).build()?))
}

/// Limits of the writer; [`Options::default`] is [`ROW_GROUP`] and [`MAX_OPEN`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Rows per row group.
    pub row_group: usize,
    /// Open files per dataset.
    pub max_open: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { row_group: ROW_GROUP, max_open: MAX_OPEN }
    }
}

/// Rows written per day (`YYYY-MM-DD` or `unknown`) and files of one dataset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Rows per day, in day order.
    pub rows: BTreeMap<String, u64>,
    /// Part files written.
    pub files: usize,
}

impl Counts {
    /// `{"rows", "files", "days"}` for JSON summaries.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"rows": self.rows.values().sum::<u64>(), "files": self.files, "days": self.rows})
    }

    /// `N rows in F files (day:n …)` for text summaries.
    pub fn line(&self) -> String {
        let days: Vec<String> = self.rows.iter().map(|(d, n)| format!("{d}:{n}")).collect();
        format!("{} rows in {} files ({})", self.rows.values().sum::<u64>(), self.files, days.join(" "))
    }
}

/// What [`Writer::finish`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The dataset root (`DIR`).
    pub dir: PathBuf,
    /// `DIR/positions`.
    pub positions: Counts,
    /// `DIR/static`.
    pub statics: Counts,
}

impl Written {
    /// The summary's `parquet` object.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "dir": self.dir.display().to_string(),
            "positions": self.positions.to_json(),
            "static": self.statics.to_json(),
        })
    }

    /// One line for the text summary.
    pub fn line(&self) -> String {
        format!("parquet {}: positions {}; static {}", self.dir.display(), self.positions.line(), self.statics.line())
    }
}

/// Creates the datasets `names` under `dir`: an existing one is an error
/// unless `force`, which removes it (and nothing else in `dir`) first.
fn prepare<const N: usize>(
    dir: &Path,
    sets: [(&str, &'static [Column]); N],
    force: bool,
    options: &Options,
) -> Result<[Dataset; N]> {
    for (name, _) in sets {
        let path = dir.join(name);
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if !force {
            bail!("{} already exists; pass --force to replace the dataset", path.display());
        }
        if meta.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) }
            .with_context(|| format!("removing {}", path.display()))?;
    }
    let mut out = Vec::with_capacity(N);
    for (name, columns) in sets {
        let path = dir.join(name);
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        out.push(Dataset::new(path, name, columns, options)?);
    }
    out.try_into().map_err(|_| anyhow::anyhow!("dataset count"))
}

/// Writes behaviour events into `DIR/events`, partitioned by the UTC day of
/// their start.
pub struct EventWriter {
    dir: PathBuf,
    events: Dataset,
}

impl EventWriter {
    /// Creates `dir/events`; an existing one is an error unless `force`,
    /// which removes it first.
    pub fn create(dir: &Path, force: bool, options: Options) -> Result<Self> {
        let [events] = prepare(dir, [("events", &EVENT_COLUMNS[..])], force, &options)?;
        Ok(EventWriter { dir: dir.to_path_buf(), events })
    }

    /// Adds one event.
    pub fn push(&mut self, e: &Event) -> Result<()> {
        let day = Some(e.start.div_euclid(DAY_MS / 1000));
        self.events.push(day, event_row(e)?)
    }

    /// Writes what is buffered, closes every file and returns the counts.
    pub fn finish(self) -> Result<WrittenEvents> {
        Ok(WrittenEvents { dir: self.dir, events: self.events.finish()? })
    }
}

/// What [`EventWriter::finish`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenEvents {
    /// The dataset root (`DIR`).
    pub dir: PathBuf,
    /// `DIR/events`.
    pub events: Counts,
}

impl WrittenEvents {
    /// The summary's `parquet` object.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"dir": self.dir.display().to_string(), "events": self.events.to_json()})
    }

    /// One line for the text summary.
    pub fn line(&self) -> String {
        format!("parquet {}: events {}", self.dir.display(), self.events.line())
    }
}

/// Writes decoded messages into `DIR/positions` and `DIR/static`.
pub struct Writer {
    dir: PathBuf,
    positions: Dataset,
    statics: Dataset,
}

impl Writer {
    /// Creates the two datasets under `dir`; an existing `positions` or
    /// `static` is an error unless `force`, which removes them first.
    pub fn create(dir: &Path, force: bool, options: Options) -> Result<Self> {
        let [positions, statics] =
            prepare(dir, [("positions", &POSITION_COLUMNS[..]), ("static", &STATIC_COLUMNS[..])], force, &options)?;
        Ok(Writer { dir: dir.to_path_buf(), positions, statics })
    }

    /// Adds a message to the datasets it belongs to (type 19 to both; others to none).
    pub fn push(&mut self, m: &Message) -> Result<()> {
        let day = m.meta.received_ms.map(|ms| ms.div_euclid(DAY_MS));
        if let Some(row) = position_row(m) {
            self.positions.push(day, row)?;
        }
        if let Some(row) = static_row(m) {
            self.statics.push(day, row)?;
        }
        Ok(())
    }

    /// Writes what is buffered, closes every file and returns the counts.
    pub fn finish(self) -> Result<Written> {
        let positions = self.positions.finish()?;
        let statics = self.statics.finish()?;
        Ok(Written { dir: self.dir, positions, statics })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::{Field, RowAccessor};
    use tessera_ais::Decoder;

    const PGHP_2010: &[u8] = b"$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B";
    const POS: &[u8] = b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";
    const TAGGED: &[u8] = b"\\s:rORBCOMM104,q:u,c:1418172113*31\\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78";
    const STATIC5: [&[u8]; 2] = [
        b"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
        b"!AIVDM,2,2,1,A,88888888880,2*25",
    ];

    fn messages(lines: &[&[u8]]) -> Vec<Message> {
        let mut d = Decoder::new();
        lines.iter().filter_map(|l| d.feed(l)).collect()
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for day in std::fs::read_dir(dir).unwrap() {
            let day = day.unwrap().path();
            for f in std::fs::read_dir(&day).unwrap() {
                let f = f.unwrap().path();
                out.push(f.strip_prefix(dir).unwrap().display().to_string());
            }
        }
        out.sort();
        out
    }

    fn rows(path: &Path) -> Vec<parquet::record::Row> {
        let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
        reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect()
    }

    #[test]
    fn day_directories() {
        assert_eq!(day_dir(Some(0)), "day=1970-01-01");
        assert_eq!(day_dir(Some(1276256771390 / DAY_MS)), "day=2010-06-11");
        assert_eq!(day_dir(None), "day=unknown");
        assert_eq!(day_name(Some(-1)), "1969-12-31");
    }

    #[test]
    fn partitions_by_day_with_typed_nullable_columns() {
        let tmp = tempfile::tempdir().unwrap();
        let mut lines: Vec<&[u8]> = vec![POS, PGHP_2010, POS, STATIC5[0], STATIC5[1], TAGGED];
        lines.push(POS);
        let msgs = messages(&lines);
        assert_eq!(msgs.len(), 5);
        let mut w = Writer::create(tmp.path(), false, Options::default()).unwrap();
        for m in &msgs {
            w.push(m).unwrap();
        }
        let written = w.finish().unwrap();
        // The untimed first report; two after $PGHP (the last inherits it);
        // the tag-blocked one on 2014-12-10.
        let days: Vec<(&str, u64)> = written.positions.rows.iter().map(|(d, n)| (d.as_str(), *n)).collect();
        assert_eq!(days, [("2010-06-11", 2), ("2014-12-10", 1), ("unknown", 1)]);
        assert_eq!(written.statics.rows.get("2010-06-11"), Some(&1));
        assert_eq!(
            files(&tmp.path().join("positions")),
            [
                "day=2010-06-11/part-00000.parquet",
                "day=2014-12-10/part-00000.parquet",
                "day=unknown/part-00000.parquet"
            ]
        );

        let pos = rows(&tmp.path().join("positions/day=2010-06-11/part-00000.parquet"));
        assert_eq!(pos.len(), 2);
        let r = &pos[0];
        assert_eq!(r.get_timestamp_millis(0).unwrap(), 1276256771390);
        assert_eq!(r.get_uint(1).unwrap(), 371798000);
        assert_eq!(r.get_int(2).unwrap(), 1);
        let Body::Position(p) = &msgs[1].body else { panic!("type 1 expected") };
        assert_eq!(r.get_double(3).unwrap(), p.lat.unwrap());
        assert_eq!(r.get_double(4).unwrap(), p.lon.unwrap());
        assert_eq!(r.get_float(5).unwrap(), 12.3);
        assert_eq!(r.get_float(6).unwrap(), p.course.unwrap() as f32);
        assert_eq!(r.get_int(7).unwrap(), i32::from(p.heading.unwrap()));
        assert_eq!(r.get_int(8).unwrap(), i32::from(p.status.unwrap()));
        let unknown = rows(&tmp.path().join("positions/day=unknown/part-00000.parquet"));
        assert_eq!(unknown[0].get_column_iter().next().map(|(_, f)| f.clone()), Some(Field::Null));
        // Channel is a string; source is null without a tag block.
        assert_eq!(r.get_string(14).unwrap(), "A");
        assert_eq!(r.get_column_iter().nth(13).map(|(_, f)| f.clone()), Some(Field::Null));
        let tagged = rows(&tmp.path().join("positions/day=2014-12-10/part-00000.parquet"));
        assert_eq!(tagged[0].get_string(13).unwrap(), "rORBCOMM104");

        let st = rows(&tmp.path().join("static/day=2010-06-11/part-00000.parquet"));
        assert_eq!(st.len(), 1);
        let s = &st[0];
        let name = STATIC_COLUMNS.iter().position(|c| c.0 == "name").unwrap();
        let m = &msgs[2];
        let Body::StaticVoyage(v) = &m.body else { panic!("type 5 expected, got {:?}", m.body) };
        assert_eq!(s.get_string(name).unwrap(), v.shipname.unwrap().as_str());
        assert_eq!(s.get_uint(1).unwrap(), m.mmsi);
    }

    #[test]
    fn schema_has_logical_types() {
        let tmp = tempfile::tempdir().unwrap();
        let mut w = Writer::create(tmp.path(), false, Options::default()).unwrap();
        for m in messages(&[PGHP_2010, POS]) {
            w.push(&m).unwrap();
        }
        w.finish().unwrap();
        let reader = SerializedFileReader::new(
            File::open(tmp.path().join("positions/day=2010-06-11/part-00000.parquet")).unwrap(),
        )
        .unwrap();
        let schema = reader.metadata().file_metadata().schema_descr();
        let col = |name: &str| schema.columns().iter().find(|c| c.name() == name).unwrap().clone();
        assert_eq!(col("time").logical_type_ref(), Some(&LogicalType::timestamp(true, TimeUnit::MILLIS)));
        assert_eq!(col("mmsi").logical_type_ref(), Some(&LogicalType::integer(32, false)));
        assert_eq!(col("source").logical_type_ref(), Some(&LogicalType::String));
        assert_eq!(col("lat").physical_type(), Physical::DOUBLE);
        assert_eq!(col("sog").physical_type(), Physical::FLOAT);
        assert!(col("lat").self_type().is_optional());
        assert!(!col("mmsi").self_type().is_optional());
    }

    #[test]
    fn row_groups_and_the_cap_on_open_files() {
        let tmp = tempfile::tempdir().unwrap();
        let mut w = Writer::create(tmp.path(), false, Options { row_group: 3, max_open: 2 }).unwrap();
        let mut m = messages(&[POS]).remove(0);
        // Days 0, 1, 0, 2 (closes day 1, the least recently used), 1 again
        // (closes day 0; day 1 continues in part-00001).
        for (day, n) in [(0, 4), (1, 1), (0, 2), (2, 1), (1, 2)] {
            for _ in 0..n {
                m.meta.received_ms = Some(day * DAY_MS + 5);
                w.push(&m).unwrap();
            }
        }
        let written = w.finish().unwrap();
        assert_eq!(written.positions.files, 4);
        assert_eq!(
            files(&tmp.path().join("positions")),
            [
                "day=1970-01-01/part-00000.parquet",
                "day=1970-01-02/part-00000.parquet",
                "day=1970-01-02/part-00001.parquet",
                "day=1970-01-03/part-00000.parquet"
            ]
        );
        let path = tmp.path().join("positions/day=1970-01-01/part-00000.parquet");
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        // Six rows in row groups of three.
        assert_eq!(reader.metadata().num_row_groups(), 2);
        assert_eq!(rows(&path).len(), 6);
        assert_eq!(rows(&tmp.path().join("positions/day=1970-01-02/part-00001.parquet")).len(), 2);
    }

    #[test]
    fn events_by_day_with_typed_details() {
        use tessera_maritime::{Details, EventKind};
        let tmp = tempfile::tempdir().unwrap();
        let gap = Event {
            id: 0,
            kind: EventKind::Gap,
            mmsi: 416000000,
            other_mmsi: None,
            segment: Some(3),
            start: 86_400 - 10,
            end: 86_400 + 7 * 3600,
            lat: 1.5,
            lon: 2.5,
            details: Details::Gap { hours: 7.0, distance_nm: 4.0, implied_knots: 0.5, end_lat: 1.6, end_lon: 2.6 },
        };
        let change = Event {
            id: 1,
            kind: EventKind::IdentityChange,
            mmsi: 2,
            other_mmsi: Some(1),
            segment: None,
            start: 86_400 * 2,
            end: 86_400 * 2,
            lat: f64::NAN,
            lon: f64::NAN,
            details: Details::IdentityChange { field: "name", old: "A".into(), new: "B".into() },
        };
        let retracted = Event {
            id: 2,
            kind: EventKind::Retracted,
            details: Details::Retracted { event: 0, reason: "late position inside the gap" },
            ..gap.clone()
        };
        let mut w = EventWriter::create(tmp.path(), false, Options::default()).unwrap();
        for e in [&gap, &change, &retracted] {
            w.push(e).unwrap();
        }
        let written = w.finish().unwrap();
        let days: Vec<(&str, u64)> = written.events.rows.iter().map(|(d, n)| (d.as_str(), *n)).collect();
        assert_eq!(days, [("1970-01-01", 2), ("1970-01-03", 1)]);
        let col = |name: &str| EVENT_COLUMNS.iter().position(|c| c.0 == name).unwrap();
        let first = rows(&tmp.path().join("events/day=1970-01-01/part-00000.parquet"));
        let r = &first[0];
        assert_eq!(r.get_long(col("id")).unwrap(), 0);
        assert_eq!(r.get_string(col("kind")).unwrap(), "gap");
        assert_eq!(r.get_uint(col("mmsi")).unwrap(), 416000000);
        assert_eq!(r.get_long(col("segment")).unwrap(), 3);
        assert_eq!(r.get_timestamp_millis(col("start")).unwrap(), (86_400 - 10) * 1000);
        assert_eq!(r.get_double(col("hours")).unwrap(), 7.0);
        assert_eq!(r.get_double(col("end_lon")).unwrap(), 2.6);
        let nulls =
            |r: &parquet::record::Row, name: &str| r.get_column_iter().nth(col(name)).unwrap().1 == &Field::Null;
        assert!(nulls(r, "field") && nulls(r, "other_mmsi") && nulls(r, "retracted_event"));
        let details: serde_json::Value = serde_json::from_str(r.get_string(col("details")).unwrap()).unwrap();
        assert_eq!(details["type"], "gap");
        assert_eq!(first[1].get_long(col("retracted_event")).unwrap(), 0);
        assert_eq!(first[1].get_string(col("reason")).unwrap(), "late position inside the gap");
        let third = rows(&tmp.path().join("events/day=1970-01-03/part-00000.parquet"));
        let r = &third[0];
        assert!(nulls(r, "lat") && nulls(r, "segment") && nulls(r, "hours"));
        assert_eq!(r.get_uint(col("other_mmsi")).unwrap(), 1);
        assert_eq!(
            (r.get_string(col("old")).unwrap().as_str(), r.get_string(col("new")).unwrap().as_str()),
            ("A", "B")
        );
        // Only DIR/events is replaced; the message datasets stay.
        Writer::create(tmp.path(), false, Options::default()).unwrap().finish().unwrap();
        let err = EventWriter::create(tmp.path(), false, Options::default()).err().unwrap().to_string();
        assert!(err.contains("events") && err.contains("--force"), "{err}");
        EventWriter::create(tmp.path(), true, Options::default()).unwrap().finish().unwrap();
        assert!(tmp.path().join("positions").is_dir());
        assert!(!tmp.path().join("events/day=1970-01-01").exists());
    }

    #[test]
    fn refuses_an_existing_dataset_unless_forced() {
        let tmp = tempfile::tempdir().unwrap();
        Writer::create(tmp.path(), false, Options::default()).unwrap().finish().unwrap();
        let stale = tmp.path().join("positions/day=2000-01-01");
        std::fs::create_dir_all(&stale).unwrap();
        let err = Writer::create(tmp.path(), false, Options::default()).err().unwrap().to_string();
        assert!(err.contains(&tmp.path().join("positions").display().to_string()), "{err}");
        assert!(err.contains("--force"), "{err}");
        Writer::create(tmp.path(), true, Options::default()).unwrap().finish().unwrap();
        assert!(!stale.exists());
        // A file where the root should be: the error names it.
        let file = tmp.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let err = format!("{:#}", Writer::create(&file, false, Options::default()).err().unwrap());
        assert!(err.contains(&file.display().to_string()), "{err}");
    }
}
