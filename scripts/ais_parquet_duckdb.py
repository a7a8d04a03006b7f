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
columns have the documented types. Exit status is non-zero on any difference.
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
import venv

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
}


def ensure_duckdb(venv_dir):
    """Re-run this script under a venv that has the pinned DuckDB; SKIP (exit 0) if pip fails."""
    version = DUCKDB.split("==")[1]
    try:
        import duckdb  # noqa: F401

        if duckdb.__version__ == version:
            return
    except ImportError:
        pass
    py = os.path.join(venv_dir, "bin", "python")
    if os.path.realpath(sys.executable) == os.path.realpath(py) and os.environ.get("AIS_PARQUET_REEXEC"):
        sys.exit(f"{DUCKDB} is not importable in {venv_dir}")
    if not os.path.exists(py):
        venv.create(venv_dir, with_pip=True)
    check = subprocess.run([py, "-c", f"import duckdb,sys; sys.exit(duckdb.__version__ != '{version}')"],
                           capture_output=True)
    if check.returncode != 0:
        pip = subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", DUCKDB],
                             capture_output=True, text=True)
        if pip.returncode != 0:
            print(f"SKIP: could not install {DUCKDB} from PyPI into {venv_dir}:\n{pip.stderr.strip()}")
            sys.exit(0)
    env = dict(os.environ, AIS_PARQUET_REEXEC="1")
    os.execve(py, [py, os.path.abspath(__file__)] + sys.argv[1:], env)


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return out.stdout


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
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print(f"OK: DuckDB {duckdb.__version__} reads both datasets; rows per day and time ranges match")


if __name__ == "__main__":
    main()
