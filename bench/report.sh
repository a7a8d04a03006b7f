#!/usr/bin/env bash
# Report rendering benchmark: Tessera's PDF renderer (crates/report) against
# reportlab (the standard Python PDF library) on the same document: title
# block, key figures, a line chart and a bar chart, a choropleth map of
# world-atlas' countries-110m TopoJSON, and a table of N rows x 4 columns
# split across pages with its header repeated; N = 120 and 5,000 by default.
# Both sides are timed in-process, rendering only, median of REPEAT runs;
# prints times, the ratio, pages and bytes.
#
# usage: bash bench/report.sh [ROWS,ROWS...] [REPEAT]
#
# environment:
#   ATLAS          TopoJSON (default web/node_modules/world-atlas/countries-110m.json)
#   REPORT_BUILD=0 use the example binary already built ($TARGET/report-bench/tessera-report-bench)
#
# reportlab is installed from PyPI into target/venv-report (never vendored).
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${1:-120,5000}"
REPEAT="${2:-7}"
ATLAS="${ATLAS:-web/node_modules/world-atlas/countries-110m.json}"
TARGET="${CARGO_TARGET_DIR:-target}"
OUT="$TARGET/report-bench"
mkdir -p "$OUT"

if [ "${REPORT_BUILD:-1}" != 0 ]; then
  echo "== cargo build --release -p tessera-report --example render_bench"
  cargo build --release --locked -q -p tessera-report --example render_bench
  cp "$TARGET/release/examples/render_bench" "$OUT/tessera-report-bench"
fi
echo "== Tessera (pdf::render_at, html::render)"
"$OUT/tessera-report-bench" "$ATLAS" "$OUT" "$ROWS" "$REPEAT" > "$OUT/tessera.json"
echo "== reportlab (installing reportlab into $TARGET/venv-report if needed)"
python3 bench/report.py "$OUT/tessera.json" "$OUT"
echo "PDFs: $OUT/tessera-N.pdf, $OUT/reportlab-N.pdf"
