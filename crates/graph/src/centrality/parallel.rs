//! Work split over sources on scoped threads: each thread takes chunks of
//! sources from a shared counter, keeps its own scores, and the scores are
//! summed at the end (so the result does not depend on scheduling, apart
//! from floating-point summation order across threads).

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work(source, scratch, scores)` for every source in `sources` on
/// `threads` threads and returns the sum of the per-thread scores (length `n`).
pub(crate) fn over_sources<S>(
    n: usize,
    sources: &[u32],
    threads: usize,
    scratch: impl Fn() -> S + Sync,
    work: impl Fn(u32, &mut S, &mut [f64]) + Sync,
) -> Vec<f64> {
    let threads = threads.clamp(1, sources.len().max(1));
    let next = AtomicUsize::new(0);
    let chunk = (sources.len() / (threads * 16)).clamp(1, 64);
    let run = || {
        let mut state = scratch();
        let mut scores = vec![0.0; n];
        loop {
            let start = next.fetch_add(chunk, Ordering::Relaxed);
            if start >= sources.len() {
                break;
            }
            for &s in &sources[start..(start + chunk).min(sources.len())] {
                work(s, &mut state, &mut scores);
            }
        }
        scores
    };
    if threads == 1 {
        return run();
    }
    let partials: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(run)).collect();
        handles.into_iter().map(|h| h.join().expect("a centrality thread panicked")).collect()
    });
    let mut total = vec![0.0; n];
    for part in partials {
        for (t, p) in total.iter_mut().zip(part) {
            *t += p;
        }
    }
    total
}

/// Like [`over_sources`], but hands `work` batches of up to `batch` consecutive sources.
pub(crate) fn over_batches<S>(
    n: usize,
    sources: &[u32],
    batch: usize,
    threads: usize,
    scratch: impl Fn() -> S + Sync,
    work: impl Fn(&[u32], &mut S, &mut [f64]) + Sync,
) -> Vec<f64> {
    let batches: Vec<&[u32]> = sources.chunks(batch.max(1)).collect();
    let threads = threads.clamp(1, batches.len().max(1));
    let next = AtomicUsize::new(0);
    let run = || {
        let mut state = scratch();
        let mut scores = vec![0.0; n];
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(b) = batches.get(i) else { break };
            work(b, &mut state, &mut scores);
        }
        scores
    };
    if threads == 1 {
        return run();
    }
    let partials: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(run)).collect();
        handles.into_iter().map(|h| h.join().expect("a centrality thread panicked")).collect()
    });
    let mut total = vec![0.0; n];
    for part in partials {
        for (t, p) in total.iter_mut().zip(part) {
            *t += p;
        }
    }
    total
}
