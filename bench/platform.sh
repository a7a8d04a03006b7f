#!/usr/bin/env bash
# Platform benchmark: ingest throughput (statements per second, search index
# included) of the demo scenario scaled to about a million statements, against
# a Python baseline on the same file; then search latency (p50/p99) under 16
# concurrent clients with wrk against the real server.
#
# usage: bash bench/platform.sh [REPORTS]   (default 80000 reports ≈ 1M statements)
set -euo pipefail
cd "$(dirname "$0")/.."
REPORTS="${1:-80000}"
OUT="bench/out"
mkdir -p "$OUT"
rm -rf "$OUT/store" "$OUT/baseline.db"* "$OUT/scenario.jsonl"

if ! command -v wrk >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

cargo build --release --locked --bin tessera
BIN=target/release/tessera

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

echo "== generating the scenario ($REPORTS reports)"
$BIN demo --reports "$REPORTS" --seed 7 --write "$OUT/scenario.jsonl" --no-load
ls -l "$OUT/scenario.jsonl" | awk '{printf "%.1f MB\n", $5/1e6}'

echo "== tessera ingest"
$BIN --data "$OUT/store" init >/dev/null
tessera_json=$($BIN --data "$OUT/store" --json ingest --quiet --no-resolve "$OUT/scenario.jsonl")
echo "$tessera_json"

echo "== python baseline ingest (sqlite3 + FTS5, no validation)"
baseline_json=$(python3 bench/baseline_ingest.py "$OUT/scenario.jsonl" "$OUT/baseline.db")
echo "$baseline_json"

python3 - "$tessera_json" "$baseline_json" <<'PY'
import json, sys
t = json.loads(sys.argv[1])["ingested"][0]
b = json.loads(sys.argv[2])
ts = t["statements"] / t["seconds"]
bs = b["statements"] / b["seconds"]
print(f"tessera : {t['statements']:>9} statements in {t['seconds']:.2f}s = {ts:,.0f} statements/s")
print(f"baseline: {b['statements']:>9} statements in {b['seconds']:.2f}s = {bs:,.0f} statements/s")
print(f"ratio   : tessera is {ts / bs:.2f}x the python baseline")
PY

echo "== search latency"
PORT=18089
$BIN --data "$OUT/store" serve --addr "127.0.0.1:$PORT" > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/api/stats" >/dev/null 2>&1 && break
  sleep 0.2
done
echo "== single-client latency per query (warm)"
for q in "Mohammed%20Abdelrahman" "Muhammad%20Abd%20al-Rahman" "Ahmed" "Abdulrahman" "Yusuf%20Hussein" "Tesfaye" \
         "07700%20900123" "%2B218%2091%20234%205678" "Zuwara" "dinghy" "passport" "Calais%20lorry"; do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/api/search?limit=20&q=$q"
  curl -s -o /dev/null -w "  %{time_total}s  $q\n" "http://127.0.0.1:$PORT/api/search?limit=20&q=$q"
done
echo "== 16 concurrent clients"
wrk -t2 -c16 -d20s --latency -s bench/search.lua "http://127.0.0.1:$PORT" | tee "$OUT/wrk.txt"
