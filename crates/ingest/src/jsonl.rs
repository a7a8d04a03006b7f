//! Reading intelligence reports from JSON Lines, one report per line
//! (`schema/report.schema.json`). Lines are checked in parallel; problems are
//! collected with their line numbers.

use tessera_model::Report;
use tessera_model::report::Statement;

use crate::assemble::{RawReport, assemble};
use crate::error::{InputError, Problems};

/// A report read from a line, with its statements.
pub type Assembled = (usize, Report, Vec<Statement>);

/// Parses and validates every non-blank line of `text`; `file` names it in errors.
/// Returns the assembled reports in file order, and the problems found.
pub fn read_reports(file: &str, text: &str, recorded: &str) -> (Vec<Assembled>, Problems) {
    let lines: Vec<(usize, &str)> =
        text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim().is_empty()).collect();
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
    let chunk = lines.len().div_ceil(workers).max(1);
    let results: Vec<Vec<Result<Assembled, Vec<InputError>>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|(n, line)| read_line(file, *n, line, recorded)).collect()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut reports = Vec::with_capacity(lines.len());
    let mut problems = Problems::default();
    for result in results.into_iter().flatten() {
        match result {
            Ok(assembled) => reports.push(assembled),
            Err(errors) => errors.into_iter().for_each(|e| problems.push(e)),
        }
    }
    (reports, problems)
}

fn read_line(file: &str, line: usize, text: &str, recorded: &str) -> Result<Assembled, Vec<InputError>> {
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
