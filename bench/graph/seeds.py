"""Modularity over many seeds: Tessera's Leiden against igraph's on one graph.

usage: python seeds.py EDGES TESSERA_BINARY OUT_DIR SEEDS
  SEEDS: N for seeds 1..N, or A-B for seeds A..B
  -> prints one markdown row per tool and a JSON file OUT_DIR/<graph>.seeds.json

One seed says little when two tools land within 10^-7 of each other: igraph's
own modularity on lfr100k moves by about 10^-5 with its seed. This runs both
tools with seeds 1..SEEDS and scores every partition with the same function
(igraph's modularity on the simple graph, read by evaluate.py's code), so the
comparison is between the two distributions, not two draws.

Tessera runs as its own process (`tessera graph communities --seed S`);
igraph reads the graph once and is seeded through Python's `random` (which
its generator draws from), as peers.py does. Times are the algorithm's own:
Tessera's reported `seconds_algorithm`, igraph's `time.perf_counter` around
`community_leiden`.
"""
import json
import os
import random
import statistics
import subprocess
import sys
import time

from evaluate import read_graph, read_membership


def tessera_run(binary, edges, seed, out_csv, names, threads=None):
    """Tessera's partition (indexed like `names`) and its reported algorithm seconds."""
    command = [binary, "--json", "graph", "communities", edges, "--seed", str(seed), "--out", out_csv]
    if threads is not None:
        command += ["--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: exit {done.returncode}\n{done.stderr.strip()}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return read_membership(out_csv, names), report.get("seconds_algorithm")


def summary(values):
    return {
        "mean": statistics.fmean(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def standard_error(a, b):
    """Standard error of the difference of two means (independent samples)."""
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    return (statistics.variance(a) / len(a) + statistics.variance(b) / len(b)) ** 0.5


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    edges, binary, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    first, _, last = sys.argv[4].rpartition("-")
    try:
        chosen = range(int(first or 1), int(last) + 1)
    except ValueError:
        raise SystemExit(f"SEEDS must be N or A-B, not {sys.argv[4]!r}")
    seeds = len(chosen)
    graph_name = os.path.basename(edges).split(".")[0]
    g, names = read_graph(edges)
    runs = {"tessera": [], "igraph": []}
    for seed in chosen:
        membership, seconds = tessera_run(binary, edges, seed, os.path.join(out_dir, f"{graph_name}.seed.csv"), names)
        runs["tessera"].append({"seed": seed, "modularity": g.modularity(membership), "seconds": seconds})
        random.seed(seed)
        wall = time.perf_counter()
        found = g.community_leiden(objective_function="modularity").membership
        seconds = time.perf_counter() - wall
        runs["igraph"].append({"seed": seed, "modularity": g.modularity(found), "seconds": seconds})
    result = {"graph": graph_name, "seeds": [chosen.start, chosen.stop - 1], "runs": runs}
    for tool, rows in runs.items():
        result[tool] = summary([r["modularity"] for r in rows])
    ahead = sum(t["modularity"] >= i["modularity"] for t, i in zip(runs["tessera"], runs["igraph"]))
    result["tessera_at_least_igraph_same_seed"] = ahead
    with open(os.path.join(out_dir, f"{graph_name}.seeds.json"), "w") as out:
        json.dump(result, out, indent=1)
    for tool in ("tessera", "igraph"):
        s = result[tool]
        secs = statistics.median(r["seconds"] for r in runs[tool] if r["seconds"] is not None)
        print(
            f"| {graph_name} | {tool} | {seeds} | {s['mean']:.7f} | {s['median']:.7f} | "
            f"{s['min']:.7f} | {s['max']:.7f} | {secs:.2f} |"
        )
    difference = result["tessera"]["mean"] - result["igraph"]["mean"]
    error = standard_error([r["modularity"] for r in runs["tessera"]], [r["modularity"] for r in runs["igraph"]])
    print(
        f"{graph_name}: Tessera's modularity at least igraph's for {ahead} of {seeds} seeds (seed by seed); "
        f"mean difference {difference:+.2e} (standard error {error:.1e})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
