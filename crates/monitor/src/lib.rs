//! Vessel monitoring (issue 6 point 4): an AIS feed through the behaviour
//! detector of `crates/maritime`, and the behaviours of watched vessels
//! recorded in the store as alerts, with the positions that are their
//! evidence.
//!
//! One [`Monitor`] runs one [`Detector`] over every vessel of the feed, with
//! every watched area of the store (detection is system-side: every watch is
//! served whoever uploads the feed). For each event whose vessel or other
//! vessel is watched, the store raises an alert per watch of that MMSI; a
//! `retracted` event (a late position inside a reported gap) marks the gap's
//! alerts "retracted". Positions of watched vessels are kept, at most one per
//! minute per vessel.
//!
//! Memory: the detector's own state is bounded per vessel; the monitor keeps
//! at most [`ScanOptions::flush_positions`] pending positions of watched
//! vessels and [`ScanOptions::flush_changes`] pending alert changes before it
//! writes them in one transaction ([`Store::record_monitoring`]), the last
//! minute written per watched vessel, and the gaps of watched vessels that a
//! later position could still retract (at most [`MAX_RETRACTABLE`]).
//!
//! Security: the [`ScanReceipt`] goes back to the uploader, so the store
//! counts positions and alerts only over the watches the uploader may see;
//! the counts of the feed itself (sentences, messages, positions, problems)
//! describe the uploader's own file. Audit is the caller's: `tessera watch
//! scan` appends `watch_scan` (the inputs) before it starts and
//! `watch_scan_receipt` (the receipt) when it is done; a server upload should
//! do the same.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::time::{Duration, Instant};

use tessera_access::Viewer;
use tessera_ais::Decoder;
use tessera_maritime::{Area, Converter, Details, Detector, DetectorConfig, Event, EventKind, Position, StaticInfo};
use tessera_store::{AlertChange, AlertKey, MonitorBatch, NewAlert, ScanReceipt, Store, StoreError, TrackPoint};

/// Most gaps of watched vessels remembered for retraction (the oldest are forgotten first).
pub const MAX_RETRACTABLE: usize = 100_000;

/// What can stop a scan.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The input could not be read.
    #[error("reading {name}: {source}")]
    Io {
        /// The input's name.
        name: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A stored watched area is not a usable GeoJSON feature.
    #[error("watched area {name}: {problem}")]
    Area {
        /// The area's name.
        name: String,
        /// What is wrong with it.
        problem: String,
    },
}

/// Thresholds and buffer sizes of a scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// The detector's thresholds (docs/maritime.md).
    pub detector: DetectorConfig,
    /// Pending positions of watched vessels written at once.
    pub flush_positions: usize,
    /// Pending alert changes written at once.
    pub flush_changes: usize,
    /// Longest wall-clock time anything stays pending while messages keep
    /// arriving: on a live feed (a TCP receiver that never closes) alerts
    /// reach the store within this, and watches added meanwhile are picked
    /// up. (A feed that falls silent writes what is pending when it resumes
    /// or closes.)
    pub flush_interval: Duration,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            detector: DetectorConfig::default(),
            flush_positions: 50_000,
            flush_changes: 1_000,
            flush_interval: Duration::from_secs(2),
        }
    }
}

/// Messages between two looks at the clock (a receiver sends tens to thousands a second, so
/// this adds at most a few seconds on the quietest feed, and nothing measurable on a file).
const CLOCK_EVERY: u32 = 64;

/// The name of an event kind as alerts carry it (`None` for retractions, which are not alerts).
pub fn alert_kind(kind: EventKind) -> Option<&'static str> {
    Some(match kind {
        EventKind::Gap => "gap",
        EventKind::Encounter => "encounter",
        EventKind::Loitering => "loitering",
        EventKind::IdentityChange => "identity_change",
        EventKind::SpeedJump => "speed_jump",
        EventKind::AreaEntry => "area_entry",
        EventKind::AreaExit => "area_exit",
        EventKind::ShortStop => "short_stop",
        EventKind::Retracted => return None,
    })
}

/// Reads the store's watched areas into the detector's areas.
fn stored_areas<S: Store + ?Sized>(store: &S) -> Result<Vec<Area>, MonitorError> {
    let mut areas = Vec::new();
    for (name, feature) in store.area_features()? {
        let parsed = Area::from_geojson(&feature.to_string())
            .map_err(|e| MonitorError::Area { name: name.clone(), problem: e.to_string() })?;
        areas.extend(parsed);
    }
    Ok(areas)
}

/// A streaming scan: feed it inputs in time order, then [`Monitor::finish`].
pub struct Monitor {
    viewer: Viewer,
    options: ScanOptions,
    watched: HashSet<u32>,
    detector: Detector,
    converter: Converter,
    events: Vec<Event>,
    batch: MonitorBatch,
    names: HashMap<u32, String>,
    last_minute: HashMap<u32, i64>,
    retractable: BTreeMap<u64, AlertKey>,
    receipt: ScanReceipt,
    last_flush: Instant,
    since_clock: u32,
}

impl Monitor {
    /// A scan for `viewer` over the store's watches and areas as they are now.
    pub fn new<S: Store + ?Sized>(store: &S, viewer: &Viewer, options: ScanOptions) -> Result<Self, MonitorError> {
        if !viewer.role.reads_intelligence() {
            return Err(StoreError::Refused(format!("the role {} may not scan AIS feeds", viewer.role)).into());
        }
        let watched = store.watched_mmsis()?.into_iter().collect();
        let detector = Detector::new(options.detector.clone(), stored_areas(store)?);
        Ok(Monitor {
            viewer: viewer.clone(),
            options,
            watched,
            detector,
            converter: Converter::new(),
            events: Vec::new(),
            batch: MonitorBatch::default(),
            names: HashMap::new(),
            last_minute: HashMap::new(),
            retractable: BTreeMap::new(),
            receipt: ScanReceipt::default(),
            last_flush: Instant::now(),
            since_clock: 0,
        })
    }

    /// Decodes one input (NMEA lines with reception times) and records what it shows; `name` names
    /// it in errors.
    pub fn feed<S: Store + ?Sized>(
        &mut self,
        store: &mut S,
        input: impl BufRead,
        name: &str,
    ) -> Result<(), MonitorError> {
        let mut decoder = Decoder::new();
        let mut failure: Option<StoreError> = None;
        decoder
            .decode_all(input, |m| {
                if failure.is_some() {
                    return;
                }
                let (position, statics) = self.converter.convert(&m, None);
                if let Some(s) = statics {
                    self.on_static(&s);
                }
                if let Some(p) = position {
                    self.on_position(p);
                }
                if let Err(e) = self.flush_if_full(store) {
                    failure = Some(e);
                }
            })
            .map_err(|source| MonitorError::Io { name: name.to_string(), source })?;
        if let Some(e) = failure {
            return Err(e.into());
        }
        let stats = decoder.stats();
        self.receipt.sentences += stats.sentences;
        self.receipt.messages += stats.messages;
        self.receipt.problems += stats.total_errors();
        Ok(())
    }

    /// Ends the stream: events still open (encounters, loitering in progress) are emitted and
    /// everything pending is written. Returns what the scan did, as the viewer may see it.
    pub fn finish<S: Store + ?Sized>(mut self, store: &mut S) -> Result<ScanReceipt, MonitorError> {
        let mut events = std::mem::take(&mut self.events);
        self.detector.finish(&mut events);
        self.take_events(&mut events);
        self.flush(store)?;
        let converted = self.converter.stats;
        self.receipt.positions = converted.positions;
        self.receipt.problems += converted.no_time + converted.no_position;
        Ok(self.receipt)
    }

    fn on_static(&mut self, s: &StaticInfo) {
        if self.watched.contains(&s.mmsi)
            && let Some(name) = &s.name
        {
            self.names.insert(s.mmsi, name.clone());
        }
        let mut events = std::mem::take(&mut self.events);
        self.detector.push_static(s, &mut events);
        self.take_events(&mut events);
        self.events = events;
    }

    fn on_position(&mut self, p: Position) {
        if self.watched.contains(&p.mmsi) && p.is_valid() {
            let minute = p.time.div_euclid(60);
            if self.last_minute.insert(p.mmsi, minute) != Some(minute) {
                let point = TrackPoint { time: p.time, lat: p.lat, lon: p.lon, sog: p.sog, cog: p.cog };
                self.batch.positions.push((p.mmsi, point));
            }
        }
        let mut events = std::mem::take(&mut self.events);
        self.detector.push(p, &mut events);
        self.take_events(&mut events);
        self.events = events;
    }

    /// Turns the detector's events into alert changes for watched vessels.
    fn take_events(&mut self, events: &mut Vec<Event>) {
        for e in events.drain(..) {
            if let Some(change) = self.change(&e) {
                self.batch.changes.push(change);
            }
        }
    }

    fn change(&mut self, e: &Event) -> Option<AlertChange> {
        if let Details::Retracted { event, .. } = e.details {
            return self.retractable.remove(&event).map(AlertChange::Retract);
        }
        let watched = self.watched.contains(&e.mmsi) || e.other_mmsi.is_some_and(|o| self.watched.contains(&o));
        let kind = alert_kind(e.kind)?;
        if !watched {
            return None;
        }
        if e.kind == EventKind::Gap {
            let key = AlertKey { mmsi: e.mmsi, kind: kind.to_string(), start: e.start, end: e.end };
            self.retractable.insert(e.id, key);
            if self.retractable.len() > MAX_RETRACTABLE {
                self.retractable.pop_first();
            }
        }
        Some(AlertChange::Raise(NewAlert {
            mmsi: e.mmsi,
            other_mmsi: e.other_mmsi,
            kind: kind.to_string(),
            start: e.start,
            end: e.end,
            lat: e.lat,
            lon: e.lon,
            details: serde_json::to_value(&e.details).unwrap_or(serde_json::Value::Null),
        }))
    }

    fn flush_if_full<S: Store + ?Sized>(&mut self, store: &mut S) -> Result<(), StoreError> {
        if self.batch.positions.len() >= self.options.flush_positions
            || self.batch.changes.len() >= self.options.flush_changes
        {
            self.flush(store)?;
        }
        self.since_clock += 1;
        if self.since_clock >= CLOCK_EVERY {
            self.since_clock = 0;
            if self.last_flush.elapsed() >= self.options.flush_interval {
                self.flush(store)?;
                // A long-running feed serves the watches added since it started.
                self.watched = store.watched_mmsis()?.into_iter().collect();
            }
        }
        Ok(())
    }

    fn flush<S: Store + ?Sized>(&mut self, store: &mut S) -> Result<(), StoreError> {
        self.last_flush = Instant::now();
        self.batch.names = self.names.drain().collect();
        if self.batch == MonitorBatch::default() {
            return Ok(());
        }
        let done = store.record_monitoring(&self.viewer, &self.batch)?;
        self.receipt.watched_positions += done.watched_positions;
        self.receipt.alerts_raised += done.alerts_raised;
        self.receipt.alerts_retracted += done.alerts_retracted;
        self.batch = MonitorBatch::default();
        Ok(())
    }
}

/// Scans one input: [`Monitor::new`], [`Monitor::feed`], [`Monitor::finish`].
pub fn scan<S: Store + ?Sized>(
    store: &mut S,
    viewer: &Viewer,
    input: impl BufRead,
    name: &str,
    options: ScanOptions,
) -> Result<ScanReceipt, MonitorError> {
    let mut monitor = Monitor::new(store, viewer, options)?;
    monitor.feed(store, input, name)?;
    monitor.finish(store)
}
