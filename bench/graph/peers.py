"""Runs one peer library on one graph task and prints a JSON line.

usage: python peers.py TOOL TASK EDGES [ARG]
  TOOL: igraph | leidenalg | networkx | networkit
  TASK: communities  (ARG = where to write `node community` lines)
        betweenness  (ARG = where to write `node betweenness` lines)
        paths        (ARG = a file of `source target` queries; writes nothing)
EDGES is a (gzip) `u v` edge list. Only the algorithm is inside the
"algorithm_seconds" timer; reading and writing are outside it.
"""
import gzip
import json
import sys
import os
import time


def read_pairs(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return [tuple(line.split()[:2]) for line in f if line.strip() and not line.startswith("#")]


def main():
    tool, task, edges, arg = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    pairs = read_pairs(edges)
    names = {}
    for a, b in pairs:
        names.setdefault(a, len(names))
        names.setdefault(b, len(names))
    ids = [(names[a], names[b]) for a, b in pairs]
    label = {i: n for n, i in names.items()}
    result = {"tool": tool, "task": task}
    if tool in ("igraph", "leidenalg"):
        import igraph as ig

        g = ig.Graph(n=len(names), edges=ids)
        g.simplify()
        # igraph draws from Python's `random`: seeded (GRAPH_PEER_SEED, default 1) so that runs repeat;
        # unseeded, its Leiden modularity on lfr100k varied by about 1e-5 from run to run.
        import random

        random.seed(int(os.environ.get("GRAPH_PEER_SEED", "1")))
        start = time.process_time()
        wall = time.perf_counter()
        if task == "communities" and tool == "igraph":
            membership = g.community_leiden(objective_function="modularity").membership  # n_iterations=2, the default
        elif task == "communities":
            import leidenalg

            membership = leidenalg.find_partition(g, leidenalg.ModularityVertexPartition, seed=1).membership
        elif task == "betweenness":
            scores = g.betweenness(directed=False)
        else:
            raise SystemExit(f"{tool} does not run {task} here")
    elif tool == "networkx":
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(len(names)))
        g.add_edges_from(ids)
        start = time.process_time()
        wall = time.perf_counter()
        if task == "communities":
            communities = nx.community.louvain_communities(g, seed=1)
            membership = [0] * len(names)
            for c, nodes in enumerate(communities):
                for v in nodes:
                    membership[v] = c
        elif task == "paths":
            queries = [(names[a], names[b]) for a, b in read_pairs(arg)]
            start = time.process_time()
            wall = time.perf_counter()
            hops = []
            for a, b in queries:
                try:
                    hops.append(len(nx.bidirectional_shortest_path(g, a, b)) - 1)
                except nx.NetworkXNoPath:
                    hops.append(None)
            result["queries"] = len(queries)
            result["hops_sum"] = sum(h for h in hops if h is not None)
        else:
            raise SystemExit(f"networkx does not run {task} here")
    elif tool == "networkit":
        import networkit as nk

        nk.engineering.setSeed(1, True)
        g = nk.Graph(len(names))
        for a, b in ids:
            if a != b and not g.hasEdge(a, b):
                g.addEdge(a, b)
        start = time.process_time()
        wall = time.perf_counter()
        if task == "communities":
            membership = nk.community.detectCommunities(g, algo=nk.community.PLM(g, refine=True)).getVector()
        else:
            raise SystemExit(f"networkit does not run {task} here")
    else:
        raise SystemExit(f"unknown tool {tool}")
    result["algorithm_cpu_seconds"] = time.process_time() - start
    result["algorithm_seconds"] = time.perf_counter() - wall
    if task == "communities":
        with open(arg, "w") as out:
            out.write("node,community\n")
            for v, c in enumerate(membership):
                out.write(f"{label[v]},{c}\n")
    elif task == "betweenness":
        with open(arg, "w") as out:
            out.write("node,betweenness\n")
            for v, s in enumerate(scores):
                out.write(f"{label[v]},{s}\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
