"""Prints the benchmark tables (markdown) from bench/out/graph/.

usage: python table.py OUT_DIR GRAPH...
"""
import csv
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return json.loads(text.splitlines()[-1]) if text else None
    except (OSError, ValueError):
        return None


def process(out, name):
    """(wall seconds, CPU seconds, peak MiB) of a run, from GNU time."""
    try:
        wall, user, system, rss = open(os.path.join(out, name + ".time")).read().split()[-4:]
        return float(wall), float(user) + float(system), int(rss) / 1024
    except (OSError, ValueError):
        return None, None, None


def cpu_of(run):
    """CPU seconds of the algorithm alone, as the tool reported them."""
    return run.get("cpu_seconds_algorithm", run.get("algorithm_cpu_seconds"))


def fmt(x, digits=2):
    return "–" if x is None else f"{x:.{digits}f}"


def main():
    out, graphs = sys.argv[1], sys.argv[2:]
    print("### Communities (LFR, μ = 0.3)\n")
    print("| graph | tool | algorithm s | algorithm CPU s | total s | total CPU s | peak MiB | modularity | NMI | communities |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for graph in graphs:
        for tool in ["tessera", "igraph", "leidenalg", "networkit", "networkx"]:
            run = load(os.path.join(out, f"{graph}.communities.{tool}.json"))
            if run is None:
                continue
            score = load(os.path.join(out, f"{graph}.communities.{tool}.score")) or {}
            wall, cpu, rss = process(out, f"{graph}.communities.{tool}")
            algorithm = run.get("seconds_algorithm", run.get("algorithm_seconds"))
            print(f"| {graph} | {tool} | {fmt(algorithm)} | {fmt(cpu_of(run))} | {fmt(wall)} | {fmt(cpu)} | {fmt(rss, 0)} | "
                  f"{fmt(score.get('modularity'), 4)} | {fmt(score.get('nmi'), 4)} | {score.get('communities', '–')} |")
    print("\n### Exact betweenness (lfr10k)\n")
    print("| tool | algorithm s | algorithm CPU s | total s | total CPU s | peak MiB | max relative difference to igraph |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    scores = {}
    for tool in ["tessera", "igraph"]:
        path = os.path.join(out, f"lfr10k.betweenness.{tool}.csv")
        if os.path.exists(path):
            scores[tool] = {row["node"]: float(row["betweenness"]) for row in csv.DictReader(open(path))}
    for tool in ["tessera", "igraph"]:
        run = load(os.path.join(out, f"lfr10k.betweenness.{tool}.json"))
        if run is None:
            continue
        wall, cpu, rss = process(out, f"lfr10k.betweenness.{tool}")
        diff = None
        if "igraph" in scores and tool in scores:
            diff = max(abs(scores[tool][v] - s) / max(abs(s), 1.0) for v, s in scores["igraph"].items())
        algorithm = run.get("seconds_algorithm", run.get("algorithm_seconds"))
        print(f"| {tool} | {fmt(algorithm)} | {fmt(cpu_of(run))} | {fmt(wall)} | {fmt(cpu)} | {fmt(rss, 0)} | {fmt(diff, 9) if diff is not None else '–'} |")
    print("\n### 1,000 shortest-path queries (hops, bidirectional)\n")
    print("| graph | tool | algorithm s | algorithm CPU s | per query µs | total s | peak MiB | sum of hops |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for graph in graphs:
        for tool in ["tessera", "networkx"]:
            run = load(os.path.join(out, f"{graph}.paths.{tool}.json"))
            if run is None:
                continue
            wall, cpu, rss = process(out, f"{graph}.paths.{tool}")
            hops = run.get("hops_sum")
            if tool == "tessera":
                rows = list(csv.DictReader(open(os.path.join(out, f"{graph}.paths.tessera.csv"))))
                hops = sum(int(r["hops"]) for r in rows if r["hops"])
            algorithm = run.get("seconds_algorithm", run.get("algorithm_seconds"))
            per = None if algorithm is None else algorithm / max(run.get("queries", 1000), 1) * 1e6
            print(f"| {graph} | {tool} | {fmt(algorithm, 3)} | {fmt(cpu_of(run), 2)} | {fmt(per, 1)} | {fmt(wall)} | {fmt(rss, 0)} | {hops} |")


if __name__ == "__main__":
    main()
