#!/usr/bin/env python3
"""Check that Apache Spark reads the Parquet datasets Tessera writes (issue 6 point 5).

It installs PySpark (pinned) from PyPI into a venv (Spark needs a Java 17+
runtime on PATH), writes the datasets with the real binary:

    tessera --json ais decode --stats --parquet DIR/decode FILE...
    tessera --json ais events --parquet DIR/events FILE...

on the real AIS files (default: ../shared/data/ais/*.log|*.txt|*.aivdm|*.nmea),
then reads each dataset (`positions`, `static`, `events`) with Spark's own
partition discovery (`spark.read.parquet(DIR/positions)`, `day=YYYY-MM-DD`
directories become a `day` column) and checks:

- rows per day equal what the CLI reported for that dataset;
- the columns have the expected Spark types (timestamps as TimestampType,
  unsigned MMSIs widened to LongType, coordinates as DoubleType);
- the earliest and latest position time per day (whole seconds) equal the
  reception times of the CLI's JSON Lines.

Exit status is non-zero on any difference. When PySpark cannot be installed
or no Java runtime is found, it prints SKIP and exits 0.

    python3 scripts/ais_parquet_spark.py [--bin target/debug/tessera] [--venv DIR] [FILE...]
"""

import argparse
import collections
import datetime
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pinned_venv  # noqa: E402

PYSPARK = "pyspark==4.3.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(os.path.dirname(ROOT), "shared", "data", "ais")
EXTENSIONS = (".log", ".txt", ".aivdm", ".nmea")
POSITION_TYPES = {1, 2, 3, 18, 19, 27}
EXPECTED_TYPES = {
    "positions": {"time": "timestamp", "mmsi": "bigint", "lat": "double", "lon": "double", "sog": "float",
                  },
    "static": {"time": "timestamp", "mmsi": "bigint", "name": "string"},
    "events": {"id": "bigint", "kind": "string", "mmsi": "bigint", "start": "timestamp", "end": "timestamp",
               "lat": "double", "lon": "double", "details": "string"},
}


def ensure_pyspark(venv_dir):
    """Re-run this script under a venv that has the pinned PySpark; SKIP (exit 0) if that cannot be."""
    if shutil.which("java") is None:
        print("SKIP: no Java runtime on PATH (Spark needs Java 17 or later)")
        sys.exit(0)
    pinned_venv.ensure(PYSPARK, "pyspark", venv_dir, __file__, skip_on_failure=True)


def run(cmd, stderr=False):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return out.stderr if stderr else out.stdout


def check_dataset(spark, path, name, reported, failures):
    """Rows per day and column types of one dataset against the CLI's report."""
    from pyspark.sql import functions as F

    df = spark.read.parquet(path)
    types = dict(df.dtypes)
    for column, typ in EXPECTED_TYPES[name].items():
        if types.get(column) != typ:
            failures.append(f"{name}.{column}: Spark type {types.get(column)}, expected {typ}")
    got = {("unknown" if r["day"] is None else str(r["day"])): r["count"]
           for r in df.groupBy("day").count().collect()}
    print(f"{name}: {'day':<10} {'Spark':>8} {'CLI':>8}")
    for day in sorted(set(got) | set(reported)):
        print(f"  {day:<18} {got.get(day, 0):>8} {reported.get(day, 0):>8}")
        if got.get(day, 0) != reported.get(day, 0):
            failures.append(f"{name} {day}: Spark {got.get(day, 0)}, CLI {reported.get(day, 0)}")
    return df, F


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "debug", "tessera"))
    parser.add_argument("--venv", default=os.path.join(ROOT, "target", "spark-venv"))
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    ensure_pyspark(args.venv)
    from pyspark.sql import SparkSession

    files = args.files or sorted(f for f in glob.glob(os.path.join(DEFAULT_DATA, "*")) if f.endswith(EXTENSIONS))
    if not files:
        sys.exit(f"no AIS files found in {DEFAULT_DATA}")
    failures = []
    with tempfile.TemporaryDirectory(prefix="tessera-spark-") as tmp:
        decode_dir = os.path.join(tmp, "decode")
        events_dir = os.path.join(tmp, "events")
        decoded = json.loads(run([args.bin, "--json", "ais", "decode", "--stats", "--parquet", decode_dir] + files))
        events = json.loads(run([args.bin, "--json", "ais", "events", "--parquet", events_dir] + files, stderr=True))
        # Earliest and latest reception time per day of the position reports, from the JSON Lines.
        times = collections.defaultdict(list)
        for line in run([args.bin, "ais", "decode", "--quiet", "--format", "jsonl"] + files).splitlines():
            m = json.loads(line)
            if m.get("msg_type") in POSITION_TYPES and m.get("received"):
                # RFC 3339 with milliseconds, e.g. 2010-06-11T11:46:11.390Z.
                t = datetime.datetime.fromisoformat(m["received"].replace("Z", "+00:00"))
                times[m["received"][:10]].append(t.timestamp())

        spark = (SparkSession.builder.master("local[2]").appName("tessera-parquet-check")
                 .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        try:
            positions, F = check_dataset(spark, os.path.join(decode_dir, "positions"), "positions",
                                         decoded["parquet"]["positions"]["days"], failures)
            check_dataset(spark, os.path.join(decode_dir, "static"), "static",
                          decoded["parquet"]["static"]["days"], failures)
            check_dataset(spark, os.path.join(events_dir, "events"), "events",
                          events["parquet"]["events"]["days"], failures)
            # Spark infers `day` as a date, or as a string when a `day=unknown` directory (messages
            # without a reception time) is present; either way it is the partition's name.
            dated = positions.where(F.col("day").cast("string") != "unknown")
            bounds = dated.groupBy("day").agg(
                F.min(F.unix_timestamp("time")).alias("lo"), F.max(F.unix_timestamp("time")).alias("hi")).collect()
            for r in bounds:
                day = str(r["day"])
                want = (int(min(times[day]) // 1), int(max(times[day]) // 1)) if times[day] else None
                if want != (r["lo"], r["hi"]):
                    failures.append(f"positions {day}: Spark time range {(r['lo'], r['hi'])}, JSON Lines {want}")
        finally:
            spark.stop()
    if failures:
        print("\n".join(["FAIL"] + failures))
        sys.exit(1)
    print(f"OK: Spark {spark.version} reads positions, static and events as written")


if __name__ == "__main__":
    main()
