"""Reference values for Tessera's CAVIAR tests, from networkx and igraph.

Reads each CAVIAR phase matrix the way Tessera does (links row -> column,
both directions summed into one undirected weighted link; every named node
kept), then prints per phase: nodes, links, the top nodes by degree and by
(unweighted) betweenness with their values, PageRank of the top node, and
igraph's best Leiden modularity (weighted) over 20 seeds.

usage: bench/out/venv-graph/bin/python bench/graph/crosscheck_caviar.py ../shared/data/graph/caviar_phases
"""
import csv
import random
import sys
from pathlib import Path

import igraph as ig
import networkx as nx


def read_matrix(path):
    rows = list(csv.reader(open(path, encoding="utf-8-sig")))
    cols = rows[0][1:]
    cells = {}
    for row in rows[1:]:
        for c, v in zip(cols, row[1:]):
            v = float(v)
            if v > 0 and row[0] != c:
                cells[(row[0], c)] = v
    symmetric = all(cells.get((b, a)) == v for (a, b), v in cells.items())
    g = nx.Graph()
    names = list(cols) + [r[0] for r in rows[1:] if r[0] not in cols]
    g.add_nodes_from(names)
    for (a, b), v in cells.items():
        if symmetric and (names.index(a) > names.index(b)):
            continue
        w = g[a][b]["weight"] + v if g.has_edge(a, b) else v
        g.add_edge(a, b, weight=w)
    return g


def main(folder):
    for phase in range(1, 12):
        g = read_matrix(Path(folder) / f"phase{phase}.csv")
        deg = dict(g.degree())
        btw = nx.betweenness_centrality(g, normalized=False)
        pr = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
        top_deg = sorted(deg, key=lambda v: (-deg[v], list(g).index(v)))[:3]
        top_btw = sorted(btw, key=lambda v: (-btw[v], list(g).index(v)))[:3]
        h = ig.Graph.from_networkx(g)
        best = -1.0
        for seed in range(20):
            random.seed(seed)
            part = h.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
            best = max(best, h.modularity(part.membership, weights="weight"))
        print(
            f"phase {phase}: n={g.number_of_nodes()} m={g.number_of_edges()}"
            f" degree={[(v, deg[v]) for v in top_deg]}"
            f" betweenness={[(v, round(btw[v], 6)) for v in top_btw]}"
            f" pagerank[{top_deg[0]}]={pr[top_deg[0]]:.10f}"
            f" leiden_modularity={best:.6f}"
        )


if __name__ == "__main__":
    main(sys.argv[1])
