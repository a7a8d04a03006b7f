//! Reading intelligence reports from JSON Lines, one report per line
//! (`schema/report.schema.json`). Lines are checked in parallel; problems are
//! collected with their line numbers.

use tessera_model::Report;
use tessera_model::report::Statement;

use crate::assemble::{RawReport, assemble};
use crate::error::{InputError, Problems};

/// A report read from a line, with its statements.
pub type Assembled = (usize, Report, Vec<Statement>);

/// The non-blank lines of a file with their 1-based numbers.
pub fn numbered_lines(text: &str) -> Vec<(usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim().is_empty()).collect()
}

/// One checked line: the report, or every problem found on the line.
pub type Checked = Result<Assembled, Vec<InputError>>;

/// Lines checked per unit of work handed to a worker thread.
const CHUNK_LINES: usize = 512;

/// Checks `lines` on worker threads and hands `consume` the results in file
/// order as they become ready, so that the consumer (the store) works while
/// the workers check. The queue between them is bounded, which keeps memory
/// flat however large the file.
pub fn check_in_parallel<T>(
    file: &str,
    lines: &[(usize, &str)],
    recorded: &str,
    consume: impl FnOnce(&mut dyn Iterator<Item = Checked>) -> T,
) -> T {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let chunks: Vec<&[(usize, &str)]> = lines.chunks(CHUNK_LINES).collect();
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
    let next_chunk = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Chunk>(workers * 2);
        for _ in 0..workers {
            let sender = sender.clone();
            let (chunks, next_chunk) = (&chunks, &next_chunk);
            scope.spawn(move || {
                loop {
                    let index = next_chunk.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(index) else { break };
                    let checked = chunk.iter().map(|(n, line)| read_line(file, *n, line, recorded)).collect();
                    // The consumer stopped early (a store error): stop too.
                    if sender.send((index, checked)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut ordered =
            InOrder { receiver, pending: std::collections::BTreeMap::new(), next: 0, current: Vec::new().into_iter() };
        consume(&mut ordered)
        // `ordered` (and with it the receiver) is dropped here, before the scope joins the workers.
    })
}

/// A chunk of checked lines with its position in the file.
type Chunk = (usize, Vec<Checked>);

/// Yields the workers' results in chunk order.
struct InOrder {
    receiver: std::sync::mpsc::Receiver<Chunk>,
    pending: std::collections::BTreeMap<usize, Vec<Checked>>,
    next: usize,
    current: std::vec::IntoIter<Checked>,
}

impl Iterator for InOrder {
    type Item = Checked;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(item);
            }
            if let Some(chunk) = self.pending.remove(&self.next) {
                self.next += 1;
                self.current = chunk.into_iter();
                continue;
            }
            // Every worker gone and the next chunk never came: all chunks have been delivered.
            let (index, chunk) = self.receiver.recv().ok()?;
            self.pending.insert(index, chunk);
        }
    }
}

/// Parses and validates every non-blank line of `text`; `file` names it in errors.
/// Returns the assembled reports in file order, and the problems found.
pub fn read_reports(file: &str, text: &str, recorded: &str) -> (Vec<Assembled>, Problems) {
    let lines = numbered_lines(text);
    let mut reports = Vec::with_capacity(lines.len());
    let mut problems = Problems::default();
    let results: Vec<_> = check_in_parallel(file, &lines, recorded, |records| records.collect());
    for result in results {
        match result {
            Ok(assembled) => reports.push(assembled),
            Err(errors) => errors.into_iter().for_each(|e| problems.push(e)),
        }
    }
    (reports, problems)
}

fn read_line(file: &str, line: usize, text: &str, recorded: &str) -> Checked {
    let raw: RawReport = serde_json::from_str(text).map_err(|e| {
        vec![InputError { file: file.to_string(), line, field: serde_field(&e), message: serde_message(&e) }]
    })?;
    let (report, statements) = assemble(raw, recorded).map_err(|errors| {
        errors
            .into_iter()
            .map(|(field, message)| InputError { file: file.to_string(), line, field: Some(field), message })
            .collect::<Vec<_>>()
    })?;
    Ok((line, report, statements))
}

/// The field a serde error names (`missing field `date``, `unknown field `x``), if any.
fn serde_field(e: &serde_json::Error) -> Option<String> {
    let msg = e.to_string();
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    (msg.contains("field")).then(|| msg[start..start + len].to_string())
}

/// The serde message without its "at line 1 column N" tail (the line is reported separately).
fn serde_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => &msg,
    };
    if e.is_syntax() || e.is_eof() { format!("not valid JSON: {msg} (column {})", e.column()) } else { msg.to_string() }
}
