//! Progress bars on the terminal: ingest, and entity-resolution runs.

use indicatif::{ProgressBar, ProgressStyle};
use tessera_ingest::Progress;

/// Shows checking as a spinner and storing as a bar, on standard error.
pub struct Bar {
    bar: Option<ProgressBar>,
    hidden: bool,
}

impl Bar {
    /// A bar, or none when `hidden` (quiet, JSON output, or not a terminal: indicatif hides itself there).
    pub fn new(hidden: bool) -> Self {
        Self { bar: None, hidden }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn checking(&mut self, file: &str, bytes: u64) {
        if self.hidden {
            return;
        }
        self.finish();
        let bar = ProgressBar::new_spinner();
        bar.set_message(format!("checking {file} ({:.1} MB)", bytes as f64 / 1e6));
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        self.bar = Some(bar);
    }

    fn storing(&mut self, reports: usize) {
        if self.hidden {
            return;
        }
        self.finish();
        let bar = ProgressBar::new(reports as u64);
        let style = ProgressStyle::with_template("storing {bar:40} {pos}/{len} reports ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        self.bar = Some(bar);
    }

    fn stored(&mut self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
    }
}

/// Shows the steps of an entity-resolution run (reading, normalising, blocking, training, scoring, clustering,
/// writing) on standard error: a bar when a step's amount of work is known, a spinner otherwise.
pub struct Steps {
    bar: Option<ProgressBar>,
    hidden: bool,
}

impl Steps {
    /// Steps, or none shown when `hidden` (quiet, JSON output, or not a terminal: indicatif hides itself there).
    pub fn new(hidden: bool) -> Self {
        Self { bar: None, hidden }
    }

    /// Announces the reading of a file of `bytes` bytes.
    pub fn reading(&mut self, file: &str, bytes: u64) {
        tessera_resolve::Progress::step(self, &format!("reading {file} ({:.1} MB)", bytes as f64 / 1e6), 0);
    }

    /// Removes the bar from the terminal.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl tessera_resolve::Progress for Steps {
    fn step(&mut self, name: &str, total: u64) {
        if self.hidden {
            return;
        }
        self.finish();
        let (bar, template) = if total == 0 {
            (ProgressBar::new_spinner(), "{spinner} {msg} ({elapsed})")
        } else {
            (ProgressBar::new(total), "{msg:12} {bar:40} {human_pos}/{human_len} ({per_sec}, {eta})")
        };
        bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()));
        bar.set_message(name.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        self.bar = Some(bar);
    }

    fn advance(&mut self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(done);
        }
    }
}

impl Drop for Steps {
    fn drop(&mut self) {
        self.finish();
    }
}
