"""Tessera's PELT against ruptures' Pelt on every FRONTEX series (bench/series.sh).

Reads the FRONTEX CSVs itself (each route, and each route x nationality with
border types summed, zero-filled over the file's span 2009-01..2025-04),
takes ln(1 + count), and runs ruptures.Pelt(model="l2", min_size, jump=1)
(exact PELT; ruptures' default jump=5 only tries every fifth month) with the
penalty Tessera used for that series (BIC, 2 sigma^2 ln n, sigma from the MAD
of first differences; sigma is recomputed here and must agree). Compares the
breakpoints: identical lists, breaks matched within +-2 months, and, where
the lists differ, the penalised cost of each (equal costs are ties).

usage: python bench/series.py TESSERA_JSON DATA_DIR
"""

import csv
import json
import math
import os
import statistics
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
VENV = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "venv-series")
RUPTURES = "ruptures==1.1.10"


sys.path.insert(0, os.path.join(ROOT, "scripts"))
import pinned_venv  # noqa: E402

pinned_venv.ensure(RUPTURES, "ruptures", VENV, __file__)

import numpy as np  # noqa: E402
import ruptures as rpt  # noqa: E402


def month_index(text):
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def read(path, key_fields):
    series, first, last = {}, None, None
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            m = month_index(row["month"])
            key = " / ".join(row[k] for k in key_fields)
            series.setdefault(key, {})
            series[key][m] = series[key].get(m, 0) + int(row["n"])
            first = m if first is None else min(first, m)
            last = m if last is None else max(last, m)
    return {k: [v.get(m, 0) for m in range(first, last + 1)] for k, v in series.items()}


def sigma(signal):
    diffs = np.diff(signal)
    mad = np.median(np.abs(diffs - np.median(diffs)))
    if mad > 0:
        return mad / (0.67448975 * math.sqrt(2))
    return float(np.std(diffs)) / math.sqrt(2)


def cost(signal, breaks):
    bounds = [0] + list(breaks) + [len(signal)]
    return sum(float(((signal[a:b] - signal[a:b].mean()) ** 2).sum()) for a, b in zip(bounds, bounds[1:]))


def main():
    tessera_json, data_dir = sys.argv[1], sys.argv[2]
    with open(tessera_json) as f:
        tessera = json.load(f)
    min_size = tessera["min_segment"]
    counts = read(os.path.join(data_dir, "frontex_ibc_monthly_by_route.csv"), ["route"])
    counts.update(read(os.path.join(data_dir, "frontex_ibc_monthly_by_route_nationality.csv"), ["route", "nat"]))

    work, sigma_gap = [], 0.0
    for row in tessera["series"]:
        signal = np.log1p(np.array(counts[row["key"]], dtype=float))
        assert len(signal) == row["n"], row["key"]
        sigma_gap = max(sigma_gap, abs(sigma(signal) - row["sigma"]))
        work.append((row, signal))

    started = time.perf_counter()
    found = []
    for row, signal in work:
        if row["sigma"] > 0:
            found.append(rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(signal).predict(pen=row["penalty"])[:-1])
        else:
            found.append([])
    seconds = time.perf_counter() - started

    identical = within = total_t = total_r = ties = tessera_better = ruptures_better = 0
    for (row, signal), theirs in zip(work, found):
        ours = row["breaks"]
        identical += ours == theirs
        total_t += len(ours)
        total_r += len(theirs)
        within += sum(any(abs(a - b) <= 2 for b in theirs) for a in ours)
        if ours != theirs:
            a = cost(signal, ours) + row["penalty"] * len(ours)
            b = cost(signal, theirs) + row["penalty"] * len(theirs)
            if abs(a - b) <= 1e-9 * (1 + abs(b)):
                ties += 1
            elif a < b:
                tessera_better += 1
            else:
                ruptures_better += 1
    n = len(work)
    print(f"series: {n} (9 routes, {n - 9} route x nationality), {work[0][1].size} months each, min segment {min_size}")
    print(f"largest difference of sigma (Tessera vs numpy): {sigma_gap:.2e}")
    print(f"time, one pass over all series: Tessera {tessera['seconds'] * 1000:.1f} ms "
          f"(median of {tessera['repeat']}), ruptures {seconds * 1000:.0f} ms; "
          f"ruptures / Tessera = {seconds / tessera['seconds']:.0f}x")
    print(f"breaks: Tessera {total_t}, ruptures {total_r}; identical lists {identical}/{n}; "
          f"Tessera breaks within 2 months of a ruptures break {within}/{total_t}")
    print(f"where the lists differ: equal penalised cost {ties}, Tessera lower {tessera_better}, "
          f"ruptures lower {ruptures_better}")


if __name__ == "__main__":
    main()
