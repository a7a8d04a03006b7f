//! Where `tessera ais` reads from: files, standard input, and a TCP feed
//! (a receiver or an aggregator that serves NMEA lines, such as AISHub or
//! `gpsd`'s raw port). Every input is a buffered line reader with a label
//! for messages; [`for_each_record`] turns them into positions and static
//! records for `tracks` and `events`.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::ops::ControlFlow;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use tessera_ais::Decoder;
use tessera_maritime::{Converter, ReadCounts, ReadError, Record, read_records};

/// One input: a label for messages (the file's path, `standard input`, or
/// `tcp://HOST:PORT`) and its lines.
pub struct Input {
    /// Names the input in messages and errors.
    pub label: String,
    /// The input's bytes, buffered.
    pub reader: Box<dyn BufRead + Send>,
}

/// Buffer size of every input.
const BUFFER: usize = 1 << 16;

/// Opens the inputs in order: the files (`-` is standard input; standard
/// input alone when no file and no TCP feed is given), then the TCP feed
/// `HOST:PORT` if any, read until the peer closes. A file that cannot be
/// opened or a feed that refuses the connection is an error naming it; all
/// are opened before any is read, so a typo fails at once.
pub fn open_inputs(files: &[PathBuf], tcp: Option<&str>) -> Result<Vec<Input>> {
    let mut inputs = Vec::with_capacity(files.len() + 1);
    let stdin = || Input {
        label: "standard input".to_string(),
        reader: Box::new(BufReader::with_capacity(BUFFER, std::io::stdin())),
    };
    if files.is_empty() && tcp.is_none() {
        inputs.push(stdin());
    }
    for path in files {
        if path.as_os_str() == "-" {
            inputs.push(stdin());
            continue;
        }
        let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        inputs.push(Input {
            label: path.display().to_string(),
            reader: Box::new(BufReader::with_capacity(BUFFER, file)),
        });
    }
    if let Some(address) = tcp {
        let stream = TcpStream::connect(address).with_context(|| format!("connecting to AIS feed tcp://{address}"))?;
        inputs.push(Input {
            label: format!("tcp://{address}"),
            reader: Box::new(BufReader::with_capacity(BUFFER, stream)),
        });
    }
    Ok(inputs)
}

/// What [`for_each_record`] read from all the inputs.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Totals {
    /// Lines, messages and JSON records, summed over the inputs.
    #[serde(flatten)]
    pub counts: ReadCounts,
    /// NMEA sentences refused by the decoder (by any reason of docs/ais.md).
    pub problems: u64,
}

/// Reads every input in order (each with its own decoder, so multi-part
/// messages never join across inputs) and hands each record to `f`.
/// Stops at the first error: a broken JSON record or a read failure names
/// the input and the line; an error of `f` is returned as it is (see
/// [`is_broken_pipe`]).
pub fn for_each_record(
    inputs: Vec<Input>,
    converter: &mut Converter,
    mut f: impl FnMut(Record) -> Result<()>,
) -> Result<Totals> {
    let mut totals = Totals::default();
    for input in inputs {
        let mut decoder = Decoder::new();
        let mut failure = None;
        let counts = read_records(input.reader, &mut decoder, converter, |r| match f(r) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                failure = Some(e);
                ControlFlow::Break(())
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        let counts = counts.map_err(|e| match e {
            ReadError::Io { line, source } => anyhow!("reading {}, line {line}: {source}", input.label),
            ReadError::Record { line, message } => anyhow!("{}, line {line}: {message}", input.label),
        })?;
        totals.counts.lines += counts.lines;
        totals.counts.messages += counts.messages;
        totals.counts.json_records += counts.json_records;
        totals.counts.json_no_position += counts.json_no_position;
        totals.problems += decoder.stats().total_errors();
    }
    Ok(totals)
}

/// Whether an error is standard output closed by its reader (`| head`):
/// the command then stops quietly.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn files_then_the_feed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.nmea");
        std::fs::write(&path, b"file\n").unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.write_all(b"feed\n").unwrap();
        });
        let inputs = open_inputs(std::slice::from_ref(&path), Some(&address)).unwrap();
        server.join().unwrap();
        let labels: Vec<&str> = inputs.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, [path.display().to_string(), format!("tcp://{address}")]);
        let mut text = String::new();
        for mut i in inputs {
            i.reader.read_to_string(&mut text).unwrap();
        }
        assert_eq!(text, "file\nfeed\n");
    }

    #[test]
    fn errors_name_the_file_and_the_address() {
        let err = format!("{:#}", open_inputs(&[PathBuf::from("/no/such.nmea")], None).err().unwrap());
        assert!(err.contains("/no/such.nmea"), "{err}");
        // A port nobody listens on: bind one, note it, close it.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address = format!("127.0.0.1:{port}");
        let err = format!("{:#}", open_inputs(&[], Some(&address)).err().unwrap());
        assert!(err.contains(&format!("tcp://{address}")), "{err}");
        let err = format!("{:#}", open_inputs(&[], Some("no-port")).err().unwrap());
        assert!(err.contains("tcp://no-port"), "{err}");
    }
}
