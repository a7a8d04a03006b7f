#!/usr/bin/env bash
# AIS decoder benchmark (issue 6): Tessera against pyais and libais on the
# same input, in one run: messages per CPU second and peak memory.
#
# usage: bash bench/ais.sh
#
# Input: every real AIS file of ../shared/data/ais (*.log *.txt *.aivdm
# *.nmea) concatenated into bench/out/ais/all.nmea (about 100,000 lines,
# 92,000 messages). Tessera is fast enough that one pass is too short to
# time, so its runs decode the same file several times (REPEAT, default 20;
# the library run holds it in memory, the CLI runs are given the file REPEAT
# times); pyais and libais decode it once. Rates are per CPU second, so the
# number of passes does not change them.
#
# Runs:
#   tessera-lib        crates/ais/examples/throughput.rs: Decoder::feed over the
#                      lines in memory, the thread's own CPU time
#   tessera-cli-stats  `tessera ais decode --stats`: reading and decoding
#   tessera-cli-jsonl  `tessera ais decode` writing JSON Lines to /dev/null
#   pyais              bench/ais/run_pyais.py (FileReaderStream), decode CPU time
#   libais             bench/ais/run_libais.py (NmeaQueue), decode CPU time
# Peak memory is the maximum resident set of each process (GNU time).
#
# environment:
#   AIS_DATA   data folder (default ../shared/data/ais)
#   REPEAT     passes for the Tessera runs (default 20)
#   AIS_BUILD=0  use the release binaries already built
#
# Peers are installed from PyPI into bench/out/venv-ais (pyais pinned to the
# version of the differential test; libais may fail to build, which the table
# then shows). Outputs go to bench/out/ais/, the table to bench/out/ais-results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA="${AIS_DATA:-../shared/data/ais}"
REPEAT="${REPEAT:-20}"
OUT=bench/out/ais
VENV=bench/out/venv-ais
mkdir -p "$OUT"

[ -x /usr/bin/time ] || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
PY="$VENV/bin/python"
"$PY" -c "import pyais" 2>/dev/null || "$PY" -m pip install -q --disable-pip-version-check "pyais==3.3.1"
if ! "$PY" -c "import ais.nmea_queue" 2>/dev/null; then
  "$PY" -m pip install -q --disable-pip-version-check libais > "$OUT/libais-install.log" 2>&1 \
    || echo "   libais failed to install (see $OUT/libais-install.log); its row will say so"
fi
if [ "${AIS_BUILD:-1}" != 0 ]; then
  echo "== cargo build --release (tessera-cli, tessera-ais example)"
  cargo build --release -q -p tessera-cli
  cargo build --release -q -p tessera-ais --example throughput
fi
TARGET="${CARGO_TARGET_DIR:-target}/release"

INPUT="$OUT/all.nmea"
: > "$INPUT"
for f in "$DATA"/*.log "$DATA"/*.txt "$DATA"/*.aivdm "$DATA"/*.nmea; do
  [ -f "$f" ] && cat "$f" >> "$INPUT"
done
echo "input: $INPUT, $(wc -l < "$INPUT") lines, $(du -h "$INPUT" | cut -f1)" | tee "$OUT/machine.txt"
echo "machine: $(nproc) cores (shared with other work), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)" | tee -a "$OUT/machine.txt"
lscpu | head -15 >> "$OUT/machine.txt"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

# run NAME CMD...: CMD under GNU time; stdout to NAME.json.
run() {
  local name=$1; shift
  local rc=0
  echo "== $name"
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/$name.time" "$@" > "$OUT/$name.json" 2> "$OUT/$name.log" || rc=$?
  if [ $rc -ne 0 ]; then echo "   $name: exit $rc"; tail -n 3 "$OUT/$name.log" | sed 's/^/     | /'; rm -f "$OUT/$name.json"; fi
  return 0
}

FILES=()
for _ in $(seq "$REPEAT"); do FILES+=("$INPUT"); done
run tessera-lib "$TARGET/examples/throughput" --repeat "$REPEAT" "$INPUT"
run tessera-cli-stats "$TARGET/tessera" --json ais decode --stats "${FILES[@]}"
# JSON Lines: the messages go to /dev/null, the summary (stderr) is the result.
echo "== tessera-cli-jsonl"
/usr/bin/time -f "%e %U %S %M" -o "$OUT/tessera-cli-jsonl.time" \
  "$TARGET/tessera" --json ais decode "${FILES[@]}" > /dev/null 2> "$OUT/tessera-cli-jsonl.json" || echo "   failed"
sed -i '/^[^{]/d' "$OUT/tessera-cli-jsonl.json"
run pyais "$PY" bench/ais/run_pyais.py "$INPUT"
if "$PY" -c "import ais.nmea_queue" 2>/dev/null; then
  run libais "$PY" bench/ais/run_libais.py "$INPUT"
else
  rm -f "$OUT/libais.json" "$OUT/libais.time"
fi

"$PY" -c "import pyais; print('pyais', pyais.__version__)" >> "$OUT/machine.txt"
"$PY" -m pip show libais 2>/dev/null | awk '/^Version/ {print "libais", $2}' >> "$OUT/machine.txt" || true
python3 bench/ais/table.py "$OUT" | tee bench/out/ais-results.md
