#!/usr/bin/env python3
"""Print the AIS benchmark table (markdown) from bench/out/ais/*.json and the
GNU time files beside them: messages, CPU seconds, messages per CPU second,
peak memory, and each tool's speed relative to Tessera's library."""

import json
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "bench/out/ais"
RUNS = [
    ("tessera-lib", "Tessera library (decode only, in memory, 1 core)"),
    ("tessera-cli-stats", "Tessera CLI `ais decode --stats` (read + decode)"),
    ("tessera-cli-jsonl", "Tessera CLI `ais decode` to JSON Lines (read + decode + write)"),
    ("libais", "libais (NmeaQueue)"),
    ("pyais", "pyais (FileReaderStream)"),
]


def load(name):
    try:
        with open(os.path.join(OUT, name + ".json")) as f:
            text = f.read().strip().splitlines()
        data = json.loads(text[-1]) if text else None
    except (OSError, ValueError):
        data = None
    try:
        with open(os.path.join(OUT, name + ".time")) as f:
            wall, user, sys_, rss = f.read().split()[-4:]
        t = {"wall": float(wall), "cpu": float(user) + float(sys_), "rss_mib": int(rss) / 1024}
    except (OSError, ValueError):
        t = None
    return data, t


rows = []
for name, label in RUNS:
    data, t = load(name)
    if not data or not t:
        rows.append((label, None, None, None, None))
        continue
    messages = data.get("messages")
    cpu = data.get("cpu_seconds")
    if cpu is None:  # the CLI: whole-process CPU time from GNU time
        cpu = t["cpu"]
    rows.append((label, messages, cpu, messages / cpu if cpu else None, t["rss_mib"]))

base = rows[0][3]
print("| run | messages | CPU s | messages / CPU s | peak RSS MiB | Tessera library is × faster |")
print("|---|---:|---:|---:|---:|---:|")
for label, messages, cpu, rate, rss in rows:
    if messages is None:
        print(f"| {label} | failed or not run | | | | |")
        continue
    ratio = f"{base / rate:.1f}" if base and rate else ""
    print(f"| {label} | {messages:,} | {cpu:.3f} | {rate:,.0f} | {rss:.1f} | {ratio} |")
