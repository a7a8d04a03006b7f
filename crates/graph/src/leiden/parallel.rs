//! Work split over scoped threads for the Leiden phases. Tasks are taken from
//! a shared counter and their results returned in task order, so a phase's
//! result never depends on the number of threads or on scheduling.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work(task, scratch)` for tasks `0..tasks`, one thread per scratch
/// (at most one per task), and returns the results in task order.
pub(super) fn map_tasks<S: Send, T: Send>(
    scratches: &mut [S],
    tasks: usize,
    work: impl Fn(usize, &mut S) -> T + Sync,
) -> Vec<T> {
    let threads = scratches.len().min(tasks);
    if threads <= 1 {
        let state = scratches.first_mut().expect("at least one scratch");
        return (0..tasks).map(|t| work(t, state)).collect();
    }
    let next = AtomicUsize::new(0);
    let run = |state: &mut S| {
        let mut done = Vec::new();
        loop {
            let t = next.fetch_add(1, Ordering::Relaxed);
            if t >= tasks {
                break;
            }
            done.push((t, work(t, state)));
        }
        done
    };
    let mut all: Vec<(usize, T)> = std::thread::scope(|scope| {
        let (first, rest) = scratches[..threads].split_first_mut().expect("at least two scratches");
        let handles: Vec<_> = rest.iter_mut().map(|state| scope.spawn(|| run(state))).collect();
        let mut all = run(first);
        for h in handles {
            all.extend(h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        all
    });
    all.sort_unstable_by_key(|&(t, _)| t);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Splits items `0..count` into about `parts` contiguous ranges of similar
/// total `cost` (each range holds at least one item when `count > 0`).
pub(super) fn balanced_ranges(count: usize, parts: usize, cost: impl Fn(usize) -> usize) -> Vec<Range<usize>> {
    let total: usize = (0..count).map(&cost).sum::<usize>() + count;
    let share = total / parts.max(1) + 1;
    let mut ranges = Vec::with_capacity(parts + 1);
    let (mut begin, mut load) = (0, 0);
    for i in 0..count {
        load += cost(i) + 1;
        if load >= share {
            ranges.push(begin..i + 1);
            begin = i + 1;
            load = 0;
        }
    }
    if begin < count {
        ranges.push(begin..count);
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_task_order_whatever_the_threads() {
        for threads in [1, 2, 5] {
            let mut scratches = vec![0u64; threads];
            let out = map_tasks(&mut scratches, 100, |t, seen| {
                *seen += 1;
                t * t
            });
            assert_eq!(scratches.iter().sum::<u64>(), 100);
            assert_eq!(out, (0..100).map(|t| t * t).collect::<Vec<_>>());
        }
    }

    #[test]
    fn ranges_cover_everything_once() {
        for (count, parts) in [(0, 4), (1, 4), (10, 3), (1000, 16)] {
            let ranges = balanced_ranges(count, parts, |i| i % 7);
            let flat: Vec<usize> = ranges.iter().flat_map(|r| r.clone()).collect();
            assert_eq!(flat, (0..count).collect::<Vec<_>>());
            assert!(ranges.iter().all(|r| !r.is_empty()));
        }
    }
}
