//! A progress bar for ingest on the terminal.

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
