//! Decode files as fast as possible and report messages per CPU second and
//! the decoder's counts:
//! `cargo run --release -p tessera-ais --example throughput -- FILE... [--repeat N]`.
//! Files are read into memory first, so only decoding is timed; the time is
//! the thread's own CPU time (from /proc/thread-self/schedstat when present),
//! so other work on a shared machine inflates it less than wall-clock time.

use std::time::Instant;

use tessera_ais::Decoder;

/// Nanoseconds this thread has spent on a CPU, when Linux tells.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let mut files = Vec::new();
    let mut repeat = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--repeat" {
            repeat = args.next().and_then(|v| v.parse().ok()).unwrap_or(1);
        } else {
            files.push(a);
        }
    }
    let data: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).expect("read file")).collect();
    let mut messages = 0u64;
    let mut lines = 0u64;
    let mut checksum = 0u64;
    let start = Instant::now();
    let cpu_start = cpu_ns();
    for _ in 0..repeat {
        for bytes in &data {
            let mut d = Decoder::new();
            for line in bytes.split(|&c| c == b'\n') {
                if let Some(m) = d.feed(line) {
                    messages += 1;
                    checksum = checksum.wrapping_add(u64::from(m.mmsi));
                }
            }
            d.finish();
            lines += d.stats().lines;
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, cpu_ns()) {
        (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
        _ => wall,
    };
    println!(
        "{{\"messages\":{messages},\"lines\":{lines},\"wall_seconds\":{wall:.6},\"cpu_seconds\":{cpu:.6},\"msgs_per_cpu_sec\":{:.0},\"msgs_per_wall_sec\":{:.0},\"checksum\":{checksum}}}",
        messages as f64 / cpu,
        messages as f64 / wall
    );
}
