"""How far could any scorer of Tessera's candidate pairs go on synth_200k?

Fits a supervised gradient-boosted classifier to the candidates that the
synth example writes with `DUMP=FILE` (each pair's truth label, the engine's
weight, every field's level and evidence bits, name similarities, years
between the dates of birth), trained on the truth itself with k-fold cross
validation, and prints its pairwise precision, recall and F1 counted over
*all* true pairs (so the pairs blocking never proposed count as missed, as
in the benchmark). Trained on the labels, the model sees far more than an
unsupervised one can, and pairs sharing a record can fall in different
folds; its F1 is an optimistic ceiling for scoring these candidates, not a
peer.

  DUMP=/tmp/cands.csv ./target/release/examples/synth /tmp/synth_200k.csv
  bench/out/venv-er/bin/python bench/er/ceiling.py /tmp/cands.csv --true-pairs 158858

With `--context`, a second learner also sees, for each pair, what the
first learner's out-of-fold probabilities say of the records around it
(the strongest path through a third record, how many such paths, how many
likely partners each record has): the collective evidence a clustering
uses, here learnt from the truth too. With `--truth-csv` (the input file,
whose row order is the dump's record numbering) it also joins the pairs
each learner accepts into connected components and scores every pair
inside them, as the benchmark's cluster columns do.

  bench/out/venv-er/bin/python bench/er/ceiling.py /tmp/cands.csv --true-pairs 158858 \
      --context --truth-csv /tmp/synth_200k.csv

Needs pandas and scikit-learn (both in bench/out/venv-er, which bench/er.sh
makes: recordlinkage depends on them).
"""

import argparse
import csv
import sys
import time
from collections import Counter

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold


def prf(tp, fp, true_pairs):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / true_pairs if true_pairs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def out_of_fold(x, y, groups, folds, label):
    """Each candidate's probability from a model fitted to the other folds."""
    proba = np.zeros(len(y))
    for k, (train, test) in enumerate(GroupKFold(n_splits=folds).split(x, y, groups)):
        t = time.time()
        model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, max_leaf_nodes=63, random_state=k)
        model.fit(x[train], y[train])
        proba[test] = model.predict_proba(x[test])[:, 1]
        print(f"{label} fold {k + 1}/{folds}: {time.time() - t:.0f} s", flush=True)
    return proba


def context_features(left, right, proba, floor=0.05):
    """For each pair (a, b): the strongest two-step path a-c-b (the smaller of
    its two probabilities), the number of such paths above one half, the sum of
    their products, and how many likely partners a and b each have."""
    partners = {}
    for a, b, p in zip(left, right, proba):
        if p > floor:
            partners.setdefault(a, {})[b] = p
            partners.setdefault(b, {})[a] = p
    empty = {}
    out = np.zeros((len(left), 5))
    for i, (a, b) in enumerate(zip(left, right)):
        pa, pb = partners.get(a, empty), partners.get(b, empty)
        small, large = (pa, pb) if len(pa) <= len(pb) else (pb, pa)
        best = strong = total = 0.0
        for c, p in small.items():
            q = large.get(c)
            if q is not None:
                best = max(best, min(p, q))
                strong += min(p, q) > 0.5
                total += p * q
        out[i] = (best, strong, total, len(pa), len(pb))
    return out


def components_prf(left, right, accepted, cluster_of):
    """Pairwise P, R, F1 of every pair inside the connected components of the accepted pairs."""
    parent = list(range(len(cluster_of)))

    def find(v):
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for a, b in zip(left[accepted], right[accepted]):
        ra, rb = find(int(a)), find(int(b))
        if ra != rb:
            parent[ra] = rb
    comp = [find(v) for v in range(len(cluster_of))]

    def pairs(counts):
        return sum(n * (n - 1) // 2 for n in counts.values())

    found = pairs(Counter(comp))
    right_ones = pairs(Counter(zip(comp, cluster_of)))
    return prf(right_ones, found - right_ones, pairs(Counter(cluster_of)))


def report(label, proba, y, true_pairs, left, right, cluster_of):
    pred = proba >= 0.5
    tp, fp = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum())
    p, r, f1 = prf(tp, fp, true_pairs)
    print(f"{label}, threshold 0.5: P {p:.4f} R {r:.4f} F1 {f1:.4f} (tp {tp} fp {fp})")
    # The best threshold chosen on the answers themselves: more optimistic still.
    scored = [
        (prf(int(((proba >= t) & (y == 1)).sum()), int(((proba >= t) & (y == 0)).sum()), true_pairs), t)
        for t in np.linspace(0.05, 0.95, 19)
    ]
    (p, r, f1), t = max(scored, key=lambda s: s[0][2])
    print(f"{label}, best threshold {t:.2f}: P {p:.4f} R {r:.4f} F1 {f1:.4f}")
    if cluster_of is not None:
        for t in (0.5, 0.7, 0.9):
            p, r, f1 = components_prf(left, right, proba >= t, cluster_of)
            print(f"{label}, components of pairs at {t:.1f} or more (cluster columns): P {p:.4f} R {r:.4f} F1 {f1:.4f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump", help="CSV written by the synth example with DUMP=FILE")
    ap.add_argument("--true-pairs", type=int, required=True, help="true pairs in the input (the synth example prints it)")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--engine-only", action="store_true", help="features: the engine's weight alone (a check of the method)")
    ap.add_argument("--save", help="write each candidate's a, b, truth, weight and out-of-fold probability here (CSV)")
    ap.add_argument("--context", action="store_true", help="also fit a second learner that sees the first one's view of each pair's neighbourhood")
    ap.add_argument("--truth-csv", help="the input CSV (row order = record numbers in the dump) to score connected components")
    ap.add_argument("--cluster-col", default="cluster_id", help="truth column of --truth-csv")
    ap.add_argument("--leave-out", default="", help="comma-separated column prefixes to leave out (jw_, years_, bits_, level_, weight, swapped)")
    a = ap.parse_args()

    t0 = time.time()
    df = pd.read_csv(a.dump)
    y = df["truth"].to_numpy()
    left_out = tuple(p for p in a.leave_out.split(",") if p)
    features = ["weight"] if a.engine_only else [
        c for c in df.columns if c not in ("a", "b", "truth") and not (left_out and c.startswith(left_out))
    ]
    x = df[features].to_numpy(dtype=np.float64)
    # Pairs that share their first record stay in one fold.
    groups = df["a"].to_numpy()
    print(f"{len(df):,} candidates, {int(y.sum()):,} of them true, {a.true_pairs:,} true pairs in all; "
          f"{len(features)} features; read in {time.time() - t0:.0f} s", flush=True)

    cluster_of = None
    if a.truth_csv:
        with open(a.truth_csv, newline="") as f:
            cluster_of = [row[a.cluster_col] for row in csv.DictReader(f)]
    left, right = df["a"].to_numpy(), df["b"].to_numpy()
    proba = out_of_fold(x, y, groups, a.folds, "pairs")
    if a.save:
        df[["a", "b", "truth", "weight"]].assign(supervised=proba).to_csv(a.save, index=False)
    candidates_true = int(y.sum())
    print(f"true pairs among the candidates (blocking recall): {candidates_true / a.true_pairs:.4f}; "
          f"F1 if every one of them were found and nothing else: "
          f"{prf(candidates_true, 0, a.true_pairs)[2]:.4f}")
    report("supervised", proba, y, a.true_pairs, left, right, cluster_of)
    if a.context:
        t = time.time()
        ctx = context_features(left, right, proba)
        print(f"context of every pair in {time.time() - t:.0f} s", flush=True)
        proba2 = out_of_fold(np.hstack([x, ctx]), y, groups, a.folds, "pairs and context")
        report("supervised with context", proba2, y, a.true_pairs, left, right, cluster_of)
    return 0


if __name__ == "__main__":
    sys.exit(main())
