#!/usr/bin/env bash
# Review benchmark: tessera_review::review (crates/review: coverage of the
# plan, impact of each disruption, revenue against assets denied) against a
# pandas baseline computing the same numbers, on the same seeded synthetic
# input (written as JSON by the Rust example, read by both), in one run.
# Times the computation only (not JSON parsing), median of REPEAT runs;
# prints both times, the ratio, and checks that the key numbers agree
# (exit 1 when they do not).
#
# usage: bash bench/review.sh [SCALE...]    (default: small large)
#   SCALE: small (20 groups, 5,000 reports, 50 actions, 100 disruptions),
#          large (1,000 groups, 500,000 reports, 2,000 actions, 5,000 disruptions)
#          or GROUPS,REPORTS,ACTIONS,DISRUPTIONS
#
# environment:
#   REVIEW_REPEAT  runs per side (default 5 for small, 3 otherwise)
#   REVIEW_BUILD=0 use the example binary already built ($TARGET/review-bench/tessera-review-bench)
#
# pandas is installed from PyPI into target/venv-review (never vendored).
set -euo pipefail
cd "$(dirname "$0")/.."

SCALES=("$@")
[ ${#SCALES[@]} -eq 0 ] && SCALES=(small large)
TARGET="${CARGO_TARGET_DIR:-target}"
OUT="$TARGET/review-bench"
mkdir -p "$OUT"

if [ "${REVIEW_BUILD:-1}" != 0 ]; then
  echo "== cargo build --release -p tessera-review --example review_bench"
  cargo build --release --locked -q -p tessera-review --example review_bench
  cp "$TARGET/release/examples/review_bench" "$OUT/tessera-review-bench"
fi
for scale in "${SCALES[@]}"; do
  if [ "$scale" = small ]; then repeat="${REVIEW_REPEAT:-5}"; else repeat="${REVIEW_REPEAT:-3}"; fi
  echo "== Tessera review, $scale"
  "$OUT/tessera-review-bench" "$scale" "$OUT" "$repeat"
  echo "== pandas, $scale (installing pandas into $TARGET/venv-review if needed)"
  python3 bench/review.py "$OUT" "$scale"
done
