"""Scores a partition the same way for every tool: modularity (igraph, on
the simple undirected graph) and NMI against the ground truth (igraph's
compare_communities, arithmetic normalisation).

usage: python evaluate.py EDGES TRUTH MEMBERSHIP_CSV   -> prints a JSON line
"""
import csv
import gzip
import json
import sys

import igraph as ig


def lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.replace(",", " ").split()


def read_graph(path):
    """The simple undirected igraph graph of an edge list, and each node name's index."""
    names = {}
    pairs = []
    for a, b, *_ in lines(path):
        pairs.append((names.setdefault(a, len(names)), names.setdefault(b, len(names))))
    g = ig.Graph(n=len(names), edges=pairs)
    g.simplify()
    return g, names


def read_membership(path, names):
    """A `node,community` CSV as a membership list indexed like `names`."""
    found = [0] * len(names)
    with open(path) as f:
        for row in csv.DictReader(f):
            found[names[row["node"]]] = int(row["community"])
    return found


def main():
    edges, truth_path, found_path = sys.argv[1:4]
    g, names = read_graph(edges)
    truth = [0] * len(names)
    for node, c in lines(truth_path):
        if node in names:
            truth[names[node]] = int(c)
    found = read_membership(found_path, names)
    print(json.dumps({
        "modularity": g.modularity(found),
        "nmi": ig.compare_communities(found, truth, method="nmi"),
        "communities": len(set(found)),
    }))


if __name__ == "__main__":
    main()
