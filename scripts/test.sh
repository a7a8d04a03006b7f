#!/usr/bin/env bash
# Tessera's whole test suite on a fresh machine: installs what the tests need
# (Chromium from Debian, playwright-core from npm), checks formatting and lints,
# runs every Rust test with nextest, then the browser tests against the real binary.
set -euo pipefail
cd "$(dirname "$0")/.."

# A clean build gains nothing from incremental compilation and its caches
# would double the target directory (a CI run once failed on a full disk).
export CARGO_INCREMENTAL=0
disk() { df -h --output=avail,target . 2>/dev/null | tail -1 | sed 's/^/   disk free: /'; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

if ! command -v java >/dev/null 2>&1; then
  echo "== installing a Java runtime (Debian package; Spark reads the AIS Parquet datasets)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo build (the binary the browser tests drive, and the examples the checks below run)"
cargo build --workspace --locked --bins --examples
disk

echo "== the published JSON Schema against the demo scenario and the fixtures (reference validator)"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore jsonschema
scenario_dir=$(mktemp -d)
./target/debug/tessera demo --write "$scenario_dir/demo.jsonl" --no-load
python3 scripts/validate_schema.py "$scenario_dir/demo.jsonl" crates/cli/tests/fixtures/reports.jsonl e2e/fixtures/reports.jsonl
rm -rf "$scenario_dir"

echo "== cargo nextest"
cargo nextest run --workspace --locked --no-fail-fast
disk

echo "== AIS decoder against pyais (differential test on the real AIS files, issue 6)"
python3 scripts/ais_diff.py --bin target/debug/tessera

echo "== AIS Parquet datasets read by DuckDB (tessera ais decode --parquet, issue 6)"
python3 scripts/ais_parquet_duckdb.py --bin target/debug/tessera

echo "== AIS Parquet datasets read by Apache Spark (PySpark from PyPI, issue 6)"
python3 scripts/ais_parquet_spark.py --bin target/debug/tessera

echo "== report PDF checked page by page with pypdf (tessera-report sample, issue 7)"
report_dir="$(mktemp -d)"
# Built above with the workspace's features: `cargo run -p` would build the
# dependencies a second time under the package's own feature set.
./target/debug/examples/sample "$report_dir" web/node_modules/world-atlas/countries-110m.json
python3 scripts/report_pdf_check.py "$report_dir/sample.pdf" crates/report/examples/sample_expect.json
rm -rf "$report_dir"

echo "== exports (FtM, STIX 2.1) against the reference validators"
bash scripts/validate_exports.sh

echo "== browser tests (node --test, headless Chromium)"
(cd e2e && npm ci --no-audit --no-fund --silent)
TESSERA_BIN="$PWD/target/debug/tessera" node --test e2e/
