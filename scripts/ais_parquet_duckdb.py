#!/usr/bin/env python3
"""Check that DuckDB reads the Parquet datasets of `tessera ais decode --parquet`.

It installs DuckDB (pinned) from PyPI into a venv, runs

    tessera --json ais decode --stats --parquet DIR FILE...
    tessera ais decode --format jsonl FILE...

on the real AIS files (default: ../shared/data/ais/*.log|*.txt|*.aivdm|*.nmea),
then queries the datasets with DuckDB's Hive partitioning:

    SELECT day, count(*), min(time), max(time)
    FROM read_parquet('DIR/positions/*/*.parquet', hive_partitioning=true)
    GROUP BY day

and checks that the rows per day equal what the CLI reported and what its JSON
Lines hold (position types 1, 2, 3, 18, 19, 27; static types 5, 19, 24), that
min/max time per day equal the JSON Lines' reception times, and that the
columns have the documented types. Then it runs

    tessera ais events --quiet FILE... GFW...
    tessera --json ais events --parquet DIR FILE... GFW...

(the same files plus Global Fishing Watch's JSON tracks in
gfw_gpsdio_segment/*.json) and checks the `events` dataset the same way:
rows per day (UTC day of the event's start) against the CLI's summary and the
JSON Lines, and every row (id, kind, mmsi, other_mmsi, segment, start, end,
lat, lon, the typed detail columns and the details JSON) against its JSON
event. Exit status is non-zero on any difference.
When DuckDB cannot be installed (pip fails), it prints SKIP and exits 0.

    python3 scripts/ais_parquet_duckdb.py [--bin target/debug/tessera] [--venv DIR] [FILE...]
"""

import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pinned_venv  # noqa: E402

DUCKDB = "duckdb==1.5.6"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(os.path.dirname(ROOT), "shared", "data", "ais")
EXTENSIONS = (".log", ".txt", ".aivdm", ".nmea")
POSITION_TYPES = {1, 2, 3, 18, 19, 27}
STATIC_TYPES = {5, 19, 24}
EXPECTED_TYPES = {
    "positions": {"time": "TIMESTAMP WITH TIME ZONE", "mmsi": "UINTEGER", "msg_type": "INTEGER",
                  "lat": "DOUBLE", "lon": "DOUBLE", "sog": "FLOAT", "cog": "FLOAT", "heading": "INTEGER",
                  "nav_status": "INTEGER", "accuracy": "BOOLEAN", "source": "VARCHAR", "channel": "VARCHAR"},
    "static": {"time": "TIMESTAMP WITH TIME ZONE", "mmsi": "UINTEGER", "imo": "UINTEGER", "name": "VARCHAR",
               "callsign": "VARCHAR", "destination": "VARCHAR", "ship_type": "INTEGER", "draught": "FLOAT"},
    "events": {"id": "BIGINT", "kind": "VARCHAR", "mmsi": "UINTEGER", "other_mmsi": "UINTEGER",
               "segment": "BIGINT", "start": "TIMESTAMP WITH TIME ZONE", "end": "TIMESTAMP WITH TIME ZONE",
               "lat": "DOUBLE", "lon": "DOUBLE", "hours": "DOUBLE", "observations": "INTEGER", "field": "VARCHAR",
               "retracted_event": "BIGINT", "details": "VARCHAR"},
}
# Typed detail columns of `events` and their key in the JSON details.
EVENT_DETAILS = {"hours": "hours", "distance_nm": "distance_nm", "implied_knots": "implied_knots",
                 "end_lat": "end_lat", "end_lon": "end_lon", "median_knots": "median_knots",
                 "min_distance_m": "min_distance_m", "observations": "observations",
                 "average_knots": "average_knots", "field": "field", "old": "old", "new": "new", "area": "area",
                 "minutes": "minutes", "retracted_event": "event", "reason": "reason"}


def ensure_duckdb(venv_dir):
    """Re-run this script under a venv that has the pinned DuckDB; SKIP (exit 0) if pip fails."""
    pinned_venv.ensure(DUCKDB, "duckdb", venv_dir, __file__, skip_on_failure=True)


def run(cmd, stderr=False):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return out.stderr if stderr else out.stdout


def same(a, b):
    """Equal, numbers within 1e-9 (the JSON Lines print the shortest decimal)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


def check_events(con, out, files, args, failures):
    """The events dataset against the JSON Lines of `tessera ais events`."""
    import datetime

    expected = [json.loads(line) for line in run([args.bin, "ais", "events", "--quiet"] + files).splitlines()]
    summary = json.loads(run([args.bin, "--json", "ais", "events", "--parquet", out] + files, stderr=True))
    reported = summary["parquet"]["events"]["days"]
    glob_path = os.path.join(out, "events", "*", "*.parquet").replace("'", "''")
    source = f"read_parquet('{glob_path}', hive_partitioning=true)"
    types = {name: typ for name, typ, *_ in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    for column, typ in EXPECTED_TYPES["events"].items():
        if types.get(column) != typ:
            failures.append(f"events.{column}: DuckDB type {types.get(column)}, expected {typ}")
    per_day = collections.Counter(
        datetime.datetime.fromtimestamp(e["start"], datetime.timezone.utc).strftime("%Y-%m-%d") for e in expected)
    got = dict(con.execute(f"SELECT CAST(day AS VARCHAR), count(*) FROM {source} GROUP BY day").fetchall())
    print(f"events: {'day':<10} {'DuckDB':>8} {'CLI':>8} {'JSONL':>8}")
    for day in sorted(set(got) | set(reported) | set(per_day)):
        print(f"        {day:<10} {got.get(day, 0):>8} {reported.get(day, 0):>8} {per_day[day]:>8}")
        if not got.get(day, 0) == reported.get(day, 0) == per_day[day]:
            failures.append(f"events {day}: DuckDB {got.get(day, 0)}, CLI {reported.get(day, 0)}, "
                            f"JSON Lines {per_day[day]}")
    details = ", ".join(f'"{c}"' for c in EVENT_DETAILS)
    rows = con.execute(
        f'SELECT id, kind, mmsi, other_mmsi, segment, epoch(start), epoch("end"), lat, lon, {details}, details '
        f"FROM {source} ORDER BY id").fetchall()
    if len(rows) != len(expected):
        failures.append(f"events: DuckDB {len(rows)} rows, JSON Lines {len(expected)}")
    kinds = collections.Counter()
    for row, e in zip(rows, expected):
        kinds[e["kind"]] += 1
        head = dict(zip(["id", "kind", "mmsi", "other_mmsi", "segment", "start", "end", "lat", "lon"], row[:9]))
        for key, value in head.items():
            if not same(value, e[key]):
                failures.append(f"event {e['id']}: {key} {value!r} in DuckDB, {e[key]!r} in JSON Lines")
        for (column, key), value in zip(EVENT_DETAILS.items(), row[9:-1]):
            if not same(value, e["details"].get(key)):
                failures.append(f"event {e['id']}: {column} {value!r} in DuckDB, {e['details'].get(key)!r} in JSON Lines")
        if json.loads(row[-1]) != e["details"]:
            failures.append(f"event {e['id']}: details {row[-1]} in DuckDB, {e['details']} in JSON Lines")
    print(f"        {len(rows)} rows compared field by field: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))


def iso_ms(s):
    """Milliseconds of YYYY-MM-DDTHH:MM:SS[.mmm]Z (UTC)."""
    import datetime

    base = datetime.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    ms = int(s[20:23]) if len(s) > 20 else 0
    return int(base.timestamp()) * 1000 + ms


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "debug", "tessera"))
    parser.add_argument("--venv", default=os.path.join(ROOT, "target", "venv-duckdb"))
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    ensure_duckdb(args.venv)
    import duckdb

    files = args.files or sorted(f for f in glob.glob(os.path.join(DEFAULT_DATA, "*")) if f.endswith(EXTENSIONS))
    if not files:
        sys.exit(f"no AIS files in {DEFAULT_DATA}")
    gfw = [] if args.files else sorted(glob.glob(os.path.join(DEFAULT_DATA, "gfw_gpsdio_segment", "*.json")))

    # Expected rows and time range per day, from the JSON Lines.
    expected = {"positions": collections.defaultdict(list), "static": collections.defaultdict(list)}
    for line in run([args.bin, "ais", "decode", "--quiet", "--format", "jsonl"] + files).splitlines():
        m = json.loads(line)
        day = m["received"][:10] if m.get("received") else "unknown"
        ms = iso_ms(m["received"]) if m.get("received") else None
        if m["msg_type"] in POSITION_TYPES:
            expected["positions"][day].append(ms)
        if m["msg_type"] in STATIC_TYPES:
            expected["static"][day].append(ms)

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "ais")
        summary = json.loads(run([args.bin, "--json", "ais", "decode", "--stats", "--parquet", out] + files))
        con = duckdb.connect()
        for dataset in ("positions", "static"):
            reported = summary["parquet"][dataset]["days"]
            glob_path = os.path.join(out, dataset, "*", "*.parquet").replace("'", "''")
            source = f"read_parquet('{glob_path}', hive_partitioning=true)"
            types = {name: typ for name, typ, *_ in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
            for column, typ in EXPECTED_TYPES[dataset].items():
                if types.get(column) != typ:
                    failures.append(f"{dataset}.{column}: DuckDB type {types.get(column)}, expected {typ}")
            rows = con.execute(
                f"SELECT CAST(day AS VARCHAR), count(*), epoch_ms(min(time)), epoch_ms(max(time)) "
                f"FROM {source} GROUP BY day ORDER BY 1").fetchall()
            print(f"{dataset}: {'day':<10} {'DuckDB':>8} {'CLI':>8} {'JSONL':>8}  min(time) .. max(time)")
            got = {day: (n, lo, hi) for day, n, lo, hi in rows}
            for day in sorted(set(got) | set(reported) | set(expected[dataset])):
                n, lo, hi = got.get(day, (0, None, None))
                times = [t for t in expected[dataset][day] if t is not None]
                want = (min(times), max(times)) if times else (None, None)
                jsonl = len(expected[dataset][day])
                print(f"{'':<{len(dataset)}}  {day:<10} {n:>8} {reported.get(day, 0):>8} {jsonl:>8}  {lo} .. {hi}")
                if not n == reported.get(day, 0) == jsonl:
                    failures.append(f"{dataset} {day}: DuckDB {n}, CLI {reported.get(day, 0)}, JSON Lines {jsonl}")
                if (lo, hi) != want:
                    failures.append(f"{dataset} {day}: time {lo}..{hi}, JSON Lines {want[0]}..{want[1]}")
        check_events(con, out, files + gfw, args, failures)
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print(f"OK: DuckDB {duckdb.__version__} reads the three datasets; rows per day, time ranges and events match")


if __name__ == "__main__":
    main()
