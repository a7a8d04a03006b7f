#!/usr/bin/env bash
# Graph-engine benchmark (issue 5): Tessera's `graph` commands against
# igraph, leidenalg, networkit and networkx on the LFR benchmark graphs, in
# one run, scored by one evaluator (bench/graph/evaluate.py: igraph's
# modularity and NMI against the ground truth for every tool's partition).
#
# usage: bash bench/graph.sh [quick|full|seeds|repeat]
#   quick: lfr10k and lfr100k
#   full : the same plus lfr1m
#   seeds: modularity of Tessera's and igraph's Leiden over seeds 1..GRAPH_SEEDS
#          (default 30) on lfr10k and lfr100k, and 1..GRAPH_SEEDS_1M (default 5)
#          on lfr1m (bench/graph/seeds.py): one seed cannot tell two tools apart
#          when they differ by less than either's seed-to-seed spread
#   repeat: Tessera's Leiden and networkit's PLM, GRAPH_REPEATS times each
#          (default 5) with seed 1, on all cores and on one thread, on every
#          graph (bench/graph/repeat.py): how many distinct partitions one
#          seed gave, and the median time
#
# Three parts:
#   1. communities: Tessera Leiden, igraph Leiden (its default two
#      iterations), leidenalg (not on 1m), networkit PLM (Louvain with
#      refinement), networkx Louvain (10k only)
#   2. exact betweenness on lfr10k: Tessera (all cores) vs igraph
#   3. 1,000 random shortest-path queries on each graph: Tessera vs networkx's
#      bidirectional search (hop counts must agree)
#
# environment:
#   GRAPH_DATA     data folder (default ../shared/data/graph)
#   GRAPH_TIMEOUT  seconds per tool run (default 900)
#   GRAPH_BUILD=0  skip `cargo build --release` and use the binary already built
#   CARGO_TARGET_DIR  where cargo builds (default target/); the binary is taken from there
#   GRAPH_TOOLS    tools to run (default "tessera igraph leidenalg networkit networkx");
#                  results of tools not run are kept from earlier runs
#
# Peers are installed from PyPI into bench/out/venv-graph (never vendored);
# outputs go to bench/out/graph/, the table to bench/out/graph-results.md.
# Times: "algorithm" is the library call alone (wall clock, as each tool
# reports it); "total" is the whole process (reading included) and peak
# memory its maximum resident set, both from GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-quick}"
case "$MODE" in
  quick) GRAPHS="lfr10k lfr100k" ;;
  full|seeds)  GRAPHS="lfr10k lfr100k lfr1m" ;;
  repeat) GRAPHS="lfr10k lfr100k lfr1m" ;;
  *) echo "usage: bash bench/graph.sh [quick|full|seeds|repeat]" >&2; exit 2 ;;
esac
DATA="${GRAPH_DATA:-../shared/data/graph}"
TIMEOUT="${GRAPH_TIMEOUT:-900}"
TOOLS=" ${GRAPH_TOOLS:-tessera igraph leidenalg networkit networkx} "
wanted() { [[ "$TOOLS" == *" $1 "* ]]; }
OUT=bench/out/graph
VENV=bench/out/venv-graph
mkdir -p "$OUT"

[ -x /usr/bin/time ] || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if ! "$VENV/bin/python" -c "import igraph, leidenalg, networkx, networkit" 2>/dev/null; then
  echo "== installing igraph, leidenalg, networkx, networkit into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q igraph leidenalg networkx networkit
fi
PY="$VENV/bin/python"
if [ "${GRAPH_BUILD:-1}" != 0 ]; then
  echo "== cargo build --release -p tessera-cli"
  cargo build --release --locked -q -p tessera-cli
fi
TESSERA="${CARGO_TARGET_DIR:-target}/release/tessera"

# run NAME CMD...: runs CMD under GNU time and a timeout; stdout to NAME.json.
run() {
  local name=$1; shift
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/$name.time" timeout -k 30 "$TIMEOUT" "$@" \
    > "$OUT/$name.json" 2> "$OUT/$name.log" || rc=$?
  if [ $rc -ne 0 ]; then echo "   $name: exit $rc"; tail -n 3 "$OUT/$name.log" | sed 's/^/     | /'; fi
  return 0
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)" | tee "$OUT/machine.txt"
"$PY" -c "import igraph, leidenalg, networkx, networkit; print('peers: igraph', igraph.__version__, '| leidenalg', leidenalg.version, '| networkx', networkx.__version__, '| networkit', networkit.__version__)" | tee -a "$OUT/machine.txt"

if [ "$MODE" = seeds ]; then
  echo "| graph | tool | seeds | mean | median | min | max | median algorithm s |" | tee bench/out/graph-seeds.md
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |" | tee -a bench/out/graph-seeds.md
  for graph in $GRAPHS; do
    seeds="${GRAPH_SEEDS:-30}"
    [ "$graph" = lfr1m ] && seeds="${GRAPH_SEEDS_1M:-5}"
    "$PY" bench/graph/seeds.py "$DATA/lfr/$graph.edges.gz" "$TESSERA" "$OUT" "$seeds" | tee -a bench/out/graph-seeds.md
  done
  exit 0
fi

if [ "$MODE" = repeat ]; then
  echo "| graph | tool | threads | runs | distinct partitions | median algorithm s | min modularity | max modularity |" | tee bench/out/graph-repeat.md
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |" | tee -a bench/out/graph-repeat.md
  for graph in $GRAPHS; do
    "$PY" bench/graph/repeat.py "$DATA/lfr/$graph.edges.gz" "$TESSERA" "$OUT" "${GRAPH_REPEATS:-5}" | tee -a bench/out/graph-repeat.md
  done
  exit 0
fi

for graph in $GRAPHS; do
  edges="$DATA/lfr/$graph.edges.gz"
  truth="$DATA/lfr/$graph.comm.gz"
  echo "== $graph: communities"
  if wanted tessera; then
    run "$graph.communities.tessera" "$TESSERA" --json graph communities "$edges" --seed 1 --out "$OUT/$graph.tessera.csv"
  fi
  for tool in igraph leidenalg networkit networkx; do
    wanted "$tool" || continue
    # networkx Louvain runs on lfr10k only, leidenalg (about 10 times igraph's time) not on lfr1m.
    if [ "$tool" = networkx ] && [ "$graph" != lfr10k ]; then continue; fi
    if [ "$tool" = leidenalg ] && [ "$graph" = lfr1m ]; then continue; fi
    run "$graph.communities.$tool" "$PY" bench/graph/peers.py "$tool" communities "$edges" "$OUT/$graph.$tool.csv"
  done
  for tool in tessera igraph leidenalg networkit networkx; do
    if wanted "$tool" && [ -s "$OUT/$graph.communities.$tool.json" ]; then
      "$PY" bench/graph/evaluate.py "$edges" "$truth" "$OUT/$graph.$tool.csv" > "$OUT/$graph.communities.$tool.score"
    fi
  done

  echo "== $graph: 1,000 shortest-path queries"
  "$PY" - "$edges" "$OUT/$graph.queries" <<'PYEOF'
import gzip, random, sys
nodes = sorted({x for line in gzip.open(sys.argv[1], "rt") for x in line.split()[:2]}, key=int)
rng = random.Random(42)
with open(sys.argv[2], "w") as out:
    for _ in range(1000):
        out.write(f"{rng.choice(nodes)} {rng.choice(nodes)}\n")
PYEOF
  wanted tessera && run "$graph.paths.tessera" "$TESSERA" --json graph path "$edges" --queries "$OUT/$graph.queries" --out "$OUT/$graph.paths.tessera.csv"
  # A networkx graph of lfr1m would need several GiB: its queries run on lfr10k and lfr100k.
  if [ "$graph" != lfr1m ] && wanted networkx; then
    run "$graph.paths.networkx" "$PY" bench/graph/peers.py networkx paths "$edges" "$OUT/$graph.queries"
  fi
done

echo "== lfr10k: exact betweenness"
edges="$DATA/lfr/lfr10k.edges.gz"
wanted tessera && run "lfr10k.betweenness.tessera" "$TESSERA" --json graph centrality "$edges" --measure betweenness --out "$OUT/lfr10k.betweenness.tessera.csv"
wanted igraph && run "lfr10k.betweenness.igraph" "$PY" bench/graph/peers.py igraph betweenness "$edges" "$OUT/lfr10k.betweenness.igraph.csv"

"$PY" bench/graph/table.py "$OUT" $GRAPHS | tee bench/out/graph-results.md
