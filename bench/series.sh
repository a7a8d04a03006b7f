#!/usr/bin/env bash
# Change-point benchmark (issue 7): Tessera's exact PELT against ruptures'
# Pelt (the standard Python change-point library) on every FRONTEX series
# (9 routes and every route x nationality), same signal (ln(1 + count)),
# same cost (l2, i.e. normal change in mean), same penalty (BIC,
# 2 sigma^2 ln n) and minimum segment, in one run; prints both times, their
# ratio and how far the breakpoints agree.
#
# usage: bash bench/series.sh [MIN_SEGMENT]
#
# environment:
#   FRONTEX_DATA   data folder (default ../shared/data/frontex)
#   SERIES_BUILD=0 use the example binary already built
#
# ruptures is installed from PyPI into target/venv-series (never vendored).
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_SEGMENT="${1:-3}"
DATA="${FRONTEX_DATA:-../shared/data/frontex}"
TARGET="${CARGO_TARGET_DIR:-target}"
OUT="$TARGET/series-bench"
mkdir -p "$OUT"

if [ "${SERIES_BUILD:-1}" != 0 ]; then
  echo "== cargo build --release -p tessera-series --example pelt_bench"
  cargo build --release --locked -q -p tessera-series --example pelt_bench
fi
echo "== Tessera PELT"
"$TARGET/release/examples/pelt_bench" "$DATA" "$MIN_SEGMENT" 20 > "$OUT/tessera.json"
echo "== ruptures Pelt (installing ruptures into target/venv-series if needed)"
python3 bench/series.py "$OUT/tessera.json" "$DATA"
