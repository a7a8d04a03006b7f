#!/usr/bin/env python3
"""The one evaluator of the entity-resolution benchmark: the same metrics for every tool.

  evaluate.py score --input NAME --left FILE [--right FILE] --id COL --cluster-col COL
                    [--true-pairs FILE] --run TOOL=DIR [--run TOOL=DIR ...] >> results.jsonl
  evaluate.py table results.jsonl [--md OUT.md]

Each run DIR holds what one tool process left: pairs.csv (left_id,right_id,probability,...),
clusters.csv (cluster,file,record_id), time.txt (GNU time -v), threshold (the tool's
match-probability threshold) and status (ok / timeout / failed).

Pairwise: the predicted pairs with probability >= the tool's threshold against the
true pairs (the *_true_pairs.csv file when given, otherwise all pairs sharing
the cluster column). Cluster: every pair implied inside a predicted cluster
against every pair inside a true cluster (counted from the contingency table,
so a giant predicted cluster costs no memory); records absent from clusters.csv
are singletons. In a link (--right) only left-right pairs count.
"""
import argparse
import csv
import gzip
import json
import os
import re
import sys
from collections import Counter, defaultdict


def open_text(path):
    return gzip.open(path, "rt", newline="", encoding="utf-8") if path.endswith(".gz") else \
        open(path, newline="", encoding="utf-8")


def read_truth(path, id_col, cluster_col, side):
    with open_text(path) as f:
        return {(side, row[id_col]): row[cluster_col] for row in csv.DictReader(f)}


def prf(tp, pred, true):
    p = tp / pred if pred else 0.0
    r = tp / true if true else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def parse_time(path):
    out = {}
    if not os.path.exists(path):
        return out
    text = open(path, errors="replace").read()
    m = re.search(r"User time \(seconds\): ([\d.]+)", text)
    s = re.search(r"System time \(seconds\): ([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    if m and s:
        out["cpu_s"] = float(m.group(1)) + float(s.group(1))
    if rss:
        out["peak_mib"] = int(rss.group(1)) / 1024
    if wall:
        secs = 0.0
        for part in wall.group(1).split(":"):
            secs = secs * 60 + float(part)
        out["wall_s"] = secs
    return out


def score(a):
    link = a.right is not None
    truth = read_truth(a.left, a.id, a.cluster_col, "left")
    if link:
        truth.update(read_truth(a.right, a.id, a.cluster_col, "right"))

    def key(l, r):
        if link:
            return (l, r)
        return (l, r) if l <= r else (r, l)

    # true pairs
    if a.true_pairs:
        with open_text(a.true_pairs) as f:
            rd = csv.reader(f)
            next(rd)
            true_pairs = {key(row[0], row[1]) for row in rd}
    else:
        members = defaultdict(list)
        for (side, rid), c in truth.items():
            members[c].append(rid)
        true_pairs = set()
        for ids in members.values():
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    true_pairs.add(key(ids[i], ids[j]))
    # true cluster pair count (the cluster metrics' denominator)
    tsize = Counter()
    for (side, rid), c in truth.items():
        tsize[(c, side)] += 1
    if link:
        true_cluster_pairs = sum(tsize[(c, "left")] * tsize[(c, "right")] for c in {c for c, _ in tsize})
    else:
        true_cluster_pairs = sum(n * (n - 1) // 2 for n in tsize.values())
    if true_cluster_pairs != len(true_pairs):
        print(f"note: {a.input}: {len(true_pairs)} true pairs in the pairs file, "
              f"{true_cluster_pairs} implied by the cluster column", file=sys.stderr)

    for spec in a.run:
        tool, d = spec.split("=", 1)
        res = {"input": a.input, "tool": tool, "records": len(truth), "true_pairs": len(true_pairs)}
        res.update(parse_time(os.path.join(d, "time.txt")))
        status = open(os.path.join(d, "status")).read().strip() if os.path.exists(os.path.join(d, "status")) else "failed"
        res["status"] = status
        thr_path = os.path.join(d, "threshold")
        thr = float(open(thr_path).read().strip()) if os.path.exists(thr_path) else 0.5
        res["threshold"] = thr
        if status != "ok":
            print(json.dumps(res))
            continue
        # pairwise
        pred = set()
        with open_text(os.path.join(d, "pairs.csv")) as f:
            rd = csv.DictReader(f)
            for row in rd:
                if float(row["probability"]) >= thr:
                    pred.add(key(row["left_id"], row["right_id"]))
        tp = len(pred & true_pairs)
        res["pred_pairs"] = len(pred)
        res["pair_p"], res["pair_r"], res["pair_f1"] = prf(tp, len(pred), len(true_pairs))
        # clusters: contingency of (predicted cluster, true cluster, side)
        assigned = {}
        with open_text(os.path.join(d, "clusters.csv")) as f:
            for row in csv.DictReader(f):
                side = row.get("file") or "left"
                if not link:
                    side = "left"
                assigned[(side, row["record_id"])] = row["cluster"]
        unknown = sum(1 for k in assigned if k not in truth)
        if unknown:
            print(f"warning: {tool} on {a.input}: {unknown} clustered ids not in the input", file=sys.stderr)
        psize = Counter()
        cell = Counter()
        for k, tc in truth.items():
            pc = assigned.get(k, ("singleton",) + k)
            side = k[0]
            psize[(pc, side)] += 1
            cell[(pc, tc, side)] += 1
        if link:
            pcs = {pc for pc, _ in psize}
            pred_cp = sum(psize[(pc, "left")] * psize[(pc, "right")] for pc in pcs)
            cells = {(pc, tc) for pc, tc, _ in cell}
            tp_c = sum(cell[(pc, tc, "left")] * cell[(pc, tc, "right")] for pc, tc in cells)
        else:
            pred_cp = sum(n * (n - 1) // 2 for n in psize.values())
            tp_c = sum(n * (n - 1) // 2 for n in cell.values())
        res["pred_clusters"] = len({pc for pc, _ in psize})
        res["cluster_p"], res["cluster_r"], res["cluster_f1"] = prf(tp_c, pred_cp, true_cluster_pairs)
        print(json.dumps(res))


def table(a):
    rows = [json.loads(line) for line in open(a.results) if line.strip()]
    tess = {r["input"]: r.get("cpu_s") for r in rows if r["tool"] == "tessera" and r["status"] == "ok"}
    hdr = ["input", "records", "tool", "pair P", "pair R", "pair F1", "cluster P", "cluster R", "cluster F1",
           "CPU s", "wall s", "peak MiB", "CPU ÷ Tessera", "status"]
    lines = ["| " + " | ".join(hdr) + " |", "|" + "|".join("---" for _ in hdr) + "|"]

    def f3(x):
        return f"{x:.3f}" if isinstance(x, float) else "–"

    for r in rows:
        ok = r["status"] == "ok"
        cpu = r.get("cpu_s")
        ratio = f"{cpu / tess[r['input']]:.2f}" if ok and cpu is not None and tess.get(r["input"]) else "–"
        status = {"ok": "ok", "timeout": "did not finish (timeout)"}.get(r["status"], r["status"])
        lines.append("| " + " | ".join([
            r["input"], f"{r['records']:,}", r["tool"],
            f3(r.get("pair_p")) if ok else "–", f3(r.get("pair_r")) if ok else "–", f3(r.get("pair_f1")) if ok else "–",
            f3(r.get("cluster_p")) if ok else "–", f3(r.get("cluster_r")) if ok else "–",
            f3(r.get("cluster_f1")) if ok else "–",
            f"{cpu:.1f}" if cpu is not None else "–", f"{r['wall_s']:.1f}" if "wall_s" in r else "–",
            f"{r['peak_mib']:.0f}" if "peak_mib" in r else "–", ratio, status]) + " |")
    lines.append("")
    for inp in dict.fromkeys(r["input"] for r in rows):
        s = next((r for r in rows if r["input"] == inp and r["tool"] == "splink" and r["status"] == "ok"), None)
        if s and tess.get(inp):
            lines.append(f"- {inp}: Splink CPU / Tessera CPU = {s['cpu_s']:.1f} / {tess[inp]:.1f} = "
                         f"{s['cpu_s'] / tess[inp]:.2f}")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.md:
        with open(a.md, "w") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("score")
    s.add_argument("--input", required=True)
    s.add_argument("--left", required=True)
    s.add_argument("--right")
    s.add_argument("--id", required=True)
    s.add_argument("--cluster-col", required=True)
    s.add_argument("--true-pairs")
    s.add_argument("--run", action="append", default=[])
    t = sub.add_parser("table")
    t.add_argument("results")
    t.add_argument("--md")
    a = ap.parse_args()
    score(a) if a.cmd == "score" else table(a)


if __name__ == "__main__":
    main()
