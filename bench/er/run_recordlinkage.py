#!/usr/bin/env python3
"""recordlinkage (the package the FEBRL data ships in) on one benchmark input.

usage: run_recordlinkage.py febrl3|febrl4|synth FILE [FILE_B] --pairs OUT --clusters OUT [--min-score 3]

Follows the package's documented FEBRL approach: an Index (blocking plus a
sorted-neighbourhood pass), a Compare with string (jaro-winkler, threshold
0.85) and exact features, and the documented simple classification "sum of
the features > 3". The score has no probability meaning: the pairs CSV gives
probability = 1 for each pair kept (left_id,right_id,probability), and the
clusters CSV (cluster,file,record_id) holds the connected components of them.
"""
import argparse
import sys
import time

import pandas as pd
import recordlinkage
from recordlinkage.index import Block, SortedNeighbourhood


def read(path, id_col):
    df = pd.read_csv(path, dtype=str, keep_default_na=False).set_index(id_col)
    return df.replace("", None)


def febrl(df_a, df_b):
    indexer = recordlinkage.Index()
    indexer.add(Block("given_name"))
    indexer.add(Block("surname"))
    indexer.add(SortedNeighbourhood("date_of_birth", window=3))
    links = indexer.index(df_a) if df_b is None else indexer.index(df_a, df_b)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    return links, compare


def synth(df, _):
    df["given_l"] = df.given_name.str.lower()
    df["surname_l"] = df.surname.str.lower()
    df["phone_n"] = df.phone.str.replace(r"[^0-9]", "", regex=True).str[-9:]
    df["passport_n"] = df.passport_no.str.upper()
    df["postcode_n"] = df.postcode.str.replace(" ", "").str.upper()
    indexer = recordlinkage.Index()
    indexer.add(Block(["given_l", "surname_l"]))
    indexer.add(Block("phone_n"))
    indexer.add(Block("passport_n"))
    indexer.add(SortedNeighbourhood("dob", window=3, block_on="surname_l"))
    links = indexer.index(df)
    compare = recordlinkage.Compare()
    compare.string("given_l", "given_l", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname_l", "surname_l", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("dob", "dob", label="dob")
    compare.exact("phone_n", "phone_n", label="phone")
    compare.exact("passport_n", "passport_n", label="passport")
    compare.exact("postcode_n", "postcode_n", label="postcode")
    compare.string("address", "address", threshold=0.85, label="address")
    return links, compare


def components(pairs, nodes):
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return {n: find(n) for n in nodes}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["febrl3", "febrl4", "synth"])
    ap.add_argument("file")
    ap.add_argument("file_b", nargs="?")
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--clusters", required=True)
    ap.add_argument("--min-score", type=float, default=3, help="keep pairs whose feature sum is > this")
    a = ap.parse_args()
    t0 = time.time()
    id_col = "record_id" if a.task == "synth" else "rec_id"
    df_a = read(a.file, id_col)
    df_b = read(a.file_b, id_col) if a.file_b else None
    links, compare = (synth if a.task == "synth" else febrl)(df_a, df_b)
    print(f"recordlinkage {a.task}: {len(links)} candidate pairs", file=sys.stderr)
    features = compare.compute(links, df_a) if df_b is None else compare.compute(links, df_a, df_b)
    matches = features[features.sum(axis=1) > a.min_score].index
    pairs = list(zip(matches.get_level_values(0), matches.get_level_values(1)))
    with open(a.pairs, "w") as f:
        f.write("left_id,right_id,probability\n")
        for l, r in pairs:
            f.write(f"{l},{r},1\n")
    if df_b is None:
        comp = components(pairs, df_a.index)
        rows = (f"{comp[n]},left,{n}\n" for n in df_a.index)
    else:
        comp = components([(("left", l), ("right", r)) for l, r in pairs],
                          [("left", n) for n in df_a.index] + [("right", n) for n in df_b.index])
        rows = (f"{c[0]}:{c[1]},{n[0]},{n[1]}\n" for n, c in comp.items())
    with open(a.clusters, "w") as f:
        f.write("cluster,file,record_id\n")
        f.writelines(rows)
    print(f"recordlinkage {a.task}: {len(pairs)} pairs, done in {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
