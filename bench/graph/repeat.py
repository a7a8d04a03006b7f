"""Does one seed give one partition? Tessera's Leiden against networkit's PLM.

usage: python repeat.py EDGES TESSERA_BINARY OUT_DIR RUNS
  -> prints one markdown row per tool and setting, and OUT_DIR/<graph>.repeat.json

The issue asks for Leiden "deterministic with a seed", and for it to run in
at most half of networkit's time. networkit's PLM is fastest on all cores,
where its threads move nodes against each other's latest moves as they
happen; that makes the partition depend on how the threads happen to be
scheduled. This runs, RUNS times each and always with seed 1:
  - Tessera on all cores and on one thread (`tessera graph communities`);
  - networkit PLM with refinement (as peers.py runs it) on all cores and on
    one thread, seeded with `nk.engineering.setSeed(1, True)`;
and counts the distinct partitions each setting produced (compared up to
the names of the communities), with the median algorithm time: Tessera's
reported `seconds_algorithm`, networkit's `time.perf_counter` around
`PLM.run()` alone (tighter than peers.py, which also times
`detectCommunities`' summary).
"""
import json
import os
import statistics
import sys
import time

from evaluate import read_graph
from seeds import tessera_run


def canonical(membership):
    """The partition with communities numbered by first appearance, so equal partitions compare equal."""
    names = {}
    return tuple(names.setdefault(c, len(names)) for c in membership)


def networkit_graph(g):
    import networkit as nk

    h = nk.Graph(g.vcount())
    for a, b in g.get_edgelist():
        h.addEdge(a, b)
    return h


def networkit_run(nk_graph, threads):
    import networkit as nk

    nk.setNumberOfThreads(threads)
    nk.engineering.setSeed(1, True)
    plm = nk.community.PLM(nk_graph, refine=True)
    wall = time.perf_counter()
    plm.run()
    seconds = time.perf_counter() - wall
    return plm.getPartition().getVector(), seconds


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    edges, binary, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    try:
        runs = int(sys.argv[4])
    except ValueError:
        raise SystemExit(f"RUNS must be a number, not {sys.argv[4]!r}")
    cores = os.cpu_count() or 1
    graph_name = os.path.basename(edges).split(".")[0]
    g, names = read_graph(edges)
    nk_graph = networkit_graph(g)
    out_csv = os.path.join(out_dir, f"{graph_name}.repeat.csv")
    settings = [
        ("tessera", cores, lambda t: tessera_run(binary, edges, 1, out_csv, names, threads=t)),
        ("tessera", 1, lambda t: tessera_run(binary, edges, 1, out_csv, names, threads=t)),
        ("networkit", cores, lambda t: networkit_run(nk_graph, t)),
        ("networkit", 1, lambda t: networkit_run(nk_graph, t)),
    ]
    result = {"graph": graph_name, "runs": runs, "settings": []}
    for tool, threads, run in settings:
        partitions, seconds, modularity = set(), [], []
        for _ in range(runs):
            membership, secs = run(threads)
            partitions.add(canonical(membership))
            seconds.append(secs)
            modularity.append(g.modularity(membership))
        row = {
            "tool": tool,
            "threads": threads,
            "distinct_partitions": len(partitions),
            "median_seconds": statistics.median(seconds),
            "modularity_min": min(modularity),
            "modularity_max": max(modularity),
        }
        result["settings"].append(row)
        print(
            f"| {graph_name} | {tool} | {threads} | {runs} | {row['distinct_partitions']} | "
            f"{row['median_seconds']:.3f} | {row['modularity_min']:.7f} | {row['modularity_max']:.7f} |",
            flush=True,
        )
    with open(os.path.join(out_dir, f"{graph_name}.repeat.json"), "w") as out:
        json.dump(result, out, indent=1)


if __name__ == "__main__":
    main()
