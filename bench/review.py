"""Tessera's review engine against a pandas baseline on the same input (bench/review.sh).

Reads the input Tessera's example wrote (OUT_DIR/review-SCALE.json: options and
ReviewInput as JSON) and Tessera's key numbers (OUT_DIR/tessera-SCALE.json),
and computes the same three tables the obvious dataframe way:

- coverage: actions x targets (json_normalize), live / overdue masks, merged
  with the threat rows on (kind, id) and with the group rows on the group id;
  cells = rows x streams; totals per stream (relevant, covered, gaps,
  overdue, agencies) and the route-wide (indirect) references of group rows;
- impact: per disruption against a group in view (sorted by date then
  reference), the group's reports in the windows before and after (counts by
  binary search on the group's sorted days), routes before / after, key
  players (members named in the most distinct reports, ties by id), those who
  disappeared and the possible successors, subjects named after, and
  displacement (other groups sharing a route whose report rate rose by 50%,
  or from none to 2): window counts for every group at once from the reports
  sorted by day (a searchsorted slice and a bincount per window);
- returns: prices converted at the planning rates and medians per group (or
  over all groups), travellers counted once per group at their first date,
  per period travellers x median price, assets denied / returned / without a
  value, disruptions by recorded impact.

It does not write the sentences. Timed: from the parsed JSON (dicts and lists)
to the three results, frames built and dates converted included (Tessera's
`review` also validates the input and reads every date); JSON parsing is not
timed on either side. Median of the same number of runs as Tessera.

Then every key number is compared with Tessera's (per disruption: report
counts before / after, after-window days, rate change, observed level,
routes, key players, disappeared, successors, subjects after, displaced
groups; per period: travellers, revenue, denied, returned, unvalued,
disruptions by impact; per stream: relevant, covered, gaps, overdue,
agencies; direct and indirect action references) and the script exits 1
naming the differences when they disagree.

usage: python bench/review.py OUT_DIR SCALE
"""

import datetime
import json
import math
import os
import statistics
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
VENV = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "venv-review")
PANDAS = "pandas==3.1.1"

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import pinned_venv  # noqa: E402

pinned_venv.ensure(PANDAS, "pandas", VENV, __file__)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

STREAMS = ["facilitation", "clandestine_entry", "false_documentation", "abuse_of_legitimate_entry"]
DENIED = {"seized", "restrained", "confiscated", "forfeited"}
RATE_DAYS, MIN_AFTER_DAYS, MAJOR, MODERATE, KEY_PLAYERS, VANISHED, RISE, FROM_ZERO = 30.0, 30, 60.0, 25.0, 5, 2, 50.0, 2
EPOCH = datetime.date(1970, 1, 1)


def days(series):
    """YYYY-MM-DD strings to day numbers since 1970-01-01 (invalid dates raise)."""
    parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="raise")
    return (parsed.to_numpy().astype("datetime64[D]").astype(np.int64))


def day_of(text):
    return (datetime.date.fromisoformat(text) - EPOCH).days


def date_of(day):
    return (EPOCH + datetime.timedelta(days=int(day))).isoformat()


def norm(series):
    return series.astype(str).str.strip().str.lower()


# --- frames -------------------------------------------------------------------

def frames(data):
    inp, opt = data["input"], data["options"]
    groups = pd.DataFrame({
        "id": [g["id"] for g in inp["groups"]], "name": [g["name"] for g in inp["groups"]],
        "priority": [g["priority"] for g in inp["groups"]], "streams": [g["streams"] for g in inp["groups"]]})
    groups["key"] = norm(groups["id"])
    groups = groups.sort_values(["priority", "name", "id"], ascending=[False, True, True]).reset_index(drop=True)
    index_of = {g["id"]: i for i, g in enumerate(inp["groups"])}
    order = np.array([index_of[i] for i in groups["id"]])
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))  # input index -> sorted position

    reports = pd.json_normalize(inp["groups"], record_path="reports", meta=["id"], meta_prefix="group_")
    reports["g"] = position[pd.Index([g["id"] for g in inp["groups"]]).get_indexer(reports["group_id"])]
    reports["day"] = days(reports["date"])
    reports["r"] = np.arange(len(reports))
    routes = reports[["r", "g", "day", "routes"]].explode("routes").dropna(subset=["routes"])
    routes["route"] = norm(routes["routes"])
    routes = routes[routes["route"] != ""].drop(columns="routes")
    members = reports[["r", "g", "day", "members"]].explode("members").dropna(subset=["members"])
    members["member"] = members["members"].astype(str).str.strip()
    members = members[members["member"] != ""].drop(columns="members").drop_duplicates(["r", "member"])

    travellers = pd.json_normalize(inp["groups"], record_path="travellers", meta=["id"], meta_prefix="group_")
    prices = pd.json_normalize(inp["groups"], record_path="prices", meta=["id"], meta_prefix="group_")
    for f in (travellers, prices):
        if len(f):
            f["g"] = position[pd.Index([g["id"] for g in inp["groups"]]).get_indexer(f["group_id"])]
            f["day"] = days(f["date"])

    actions = pd.json_normalize(inp["actions"], max_level=0)
    if len(actions):
        actions["start_day"] = days(actions["start"].fillna("1970-01-01")).astype("float")
        actions.loc[actions["start"].isna(), "start_day"] = np.nan
        actions["due_day"] = days(actions["due"].fillna("1970-01-01")).astype("float")
        actions.loc[actions["due"].isna(), "due_day"] = np.nan
    targets = pd.json_normalize(inp["actions"], record_path="targets", meta=["reference"], meta_prefix="action_")

    disruptions = pd.json_normalize(inp["disruptions"], max_level=0)
    disruptions["day"] = days(disruptions["date"])
    assets = pd.json_normalize(inp["disruptions"], record_path="assets", meta=["reference", "date"],
                               meta_prefix="d_")
    if len(assets):
        assets["day"] = days(assets["d_date"])
    threats = pd.json_normalize(inp["threats"], max_level=1)
    return dict(opt=opt, groups=groups, reports=reports, routes=routes, members=members, travellers=travellers,
                prices=prices, actions=actions, targets=targets, disruptions=disruptions, assets=assets,
                threats=threats)


# --- 1. coverage ----------------------------------------------------------------

def coverage(f, as_of, window):
    actions, targets, groups, threats = f["actions"], f["targets"], f["groups"], f["threats"]
    started = actions["start_day"]
    ended = actions["due_day"].fillna(actions["start_day"])
    live = ~(started > as_of) & (
        actions["status"].isin(["planned", "in_progress"])
        | ((actions["status"] == "complete") & (ended >= as_of - window)))
    actions = actions.assign(live=live, overdue=actions["status"].isin(["planned", "in_progress"])
                             & (actions["due_day"] < as_of))
    t = targets.merge(actions[["reference", "stream", "agency", "live", "overdue"]], left_on="action_reference",
                      right_on="reference")
    t = t[t["live"]].assign(id_key=lambda x: norm(x["id"]))

    threat_rows = threats.assign(row=np.arange(len(threats)), id_key=norm(threats["target.id"]))
    direct_threat = t.merge(threat_rows[["row", "target.kind", "id_key"]], left_on=["kind", "id_key"],
                            right_on=["target.kind", "id_key"])
    group_rows = groups.assign(row=len(threats) + np.arange(len(groups)))
    direct_group = t[t["kind"] == "group"].merge(group_rows[["row", "key"]], left_on="id_key", right_on="key")
    direct = pd.concat([direct_threat, direct_group]).drop_duplicates(["row", "stream", "reference"])

    rows = pd.concat([threat_rows[["row", "streams"]], group_rows[["row", "streams"]]], ignore_index=True)
    cells = pd.MultiIndex.from_product([rows["row"], STREAMS], names=["row", "stream"]).to_frame(index=False)
    relevant = rows.explode("streams").dropna().assign(relevant=True).rename(columns={"streams": "stream"})
    cells = cells.merge(relevant.drop_duplicates(), on=["row", "stream"], how="left")
    cells["relevant"] = cells["relevant"].fillna(False).astype(bool)
    agg = direct.groupby(["row", "stream"]).agg(n=("reference", "size"), all_overdue=("overdue", "all"))
    cells = cells.merge(agg.reset_index(), on=["row", "stream"], how="left")
    cells["n"] = cells["n"].fillna(0)
    has = cells["n"] > 0
    cells["covered"] = has & ~cells["all_overdue"].fillna(False).astype(bool)
    cells["overdue_cell"] = has & cells["all_overdue"].fillna(False).astype(bool)
    cells["gap"] = ~has & cells["relevant"]
    totals = []
    for s in STREAMS:
        c = cells[cells["stream"] == s]
        agencies = direct.loc[(direct["stream"] == s) & (direct["agency"].str.strip() != ""), "agency"]
        totals.append({"stream": s, "rows_relevant": int(c["relevant"].sum()),
                       "rows_covered": int((c["relevant"] & c["covered"]).sum()), "gaps": int(c["gap"].sum()),
                       "overdue": int(c["overdue_cell"].sum()), "agencies": sorted(set(agencies))})

    # Route-wide actions touching a group row (not aimed at the group itself).
    group_routes = f["routes"][["g", "route"]].drop_duplicates()
    route_targets = t[t["kind"] == "route"][["reference", "stream", "id_key"]]
    touch = route_targets.merge(group_routes, left_on="id_key", right_on="route")[["reference", "stream", "g"]]
    touch = touch.drop_duplicates(["reference", "g"]).assign(row=lambda x: x["g"] + len(threats))
    aimed = direct_group[["reference", "row"]].drop_duplicates().assign(aimed=True)
    touch = touch.merge(aimed, on=["reference", "row"], how="left")
    indirect = int(touch["aimed"].isna().sum())
    return {"rows": len(rows), "totals": totals, "direct_refs": len(direct), "indirect_refs": indirect}


# --- 2. impact ------------------------------------------------------------------

def rate(n, d):
    return 0.0 if d <= 0 else n * RATE_DAYS / d


def pct(before, after):
    return (after - before) / before * 100.0 if before > 0 else None


def top(counts):
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:KEY_PLAYERS]


def impact(f, as_of, window):
    groups, reports = f["groups"], f["reports"]
    key_to_row = {k: i for i, k in enumerate(groups["key"])}
    by_day = reports.sort_values("day", kind="stable")
    all_days, all_g = by_day["day"].to_numpy(), by_day["g"].to_numpy()
    n_groups = len(groups)
    group_days = {g: np.sort(d.to_numpy()) for g, d in reports.groupby("g")["day"]}
    routes_by_group = {g: r for g, r in f["routes"].groupby("g")}
    members_by_group = {g: m for g, m in f["members"].groupby("g")}
    all_routes = f["routes"].groupby("g")["route"].agg(set)
    empty_r, empty_m = f["routes"].iloc[0:0], f["members"].iloc[0:0]

    def window_counts(start, end):
        lo, hi = np.searchsorted(all_days, [start, end + 1])
        return np.bincount(all_g[lo:hi], minlength=n_groups)

    def count(g, start, end):
        d = group_days.get(g, np.empty(0, dtype=np.int64))
        lo, hi = np.searchsorted(d, [start, end + 1])
        return int(hi - lo)

    d = f["disruptions"]
    d = d.assign(group_key=d["group"].where(d["group"].isna(), d["group"].astype(str).str.strip().str.lower()))
    d = d.sort_values(["day", "reference"])
    notes = int(d["group"].isna().any())
    out = []
    for rec in d.itertuples(index=False):
        if rec.group_key is None or (isinstance(rec.group_key, float) and math.isnan(rec.group_key)):
            continue
        g = key_to_row.get(rec.group_key)
        if g is None or rec.day > as_of:
            notes += 1
            continue
        b0, b1 = rec.day - window, rec.day - 1
        a0, a1 = rec.day + 1, min(rec.day + window, as_of)
        bdays, adays = max(b1 - b0 + 1, 0), max(a1 - a0 + 1, 0)
        before, after = count(g, b0, b1), count(g, a0, a1)
        change = pct(rate(before, bdays), rate(after, adays))
        too_short = adays < MIN_AFTER_DAYS

        rt = routes_by_group.get(g, empty_r)
        routes_before = set(rt.loc[rt["day"].between(b0, b1), "route"])
        routes_after = set(rt.loc[rt["day"].between(a0, a1), "route"])
        mm = members_by_group.get(g, empty_m)
        named_before = mm.loc[mm["day"].between(b0, b1), "member"].value_counts().to_dict()
        named_after = mm.loc[mm["day"].between(a0, a1), "member"].value_counts().to_dict()
        kp_before, kp_after = top(named_before), top(named_after)
        disappeared = [p for p, n in kp_before if n >= VANISHED and p not in named_after]
        successors = [p for p, _ in kp_after if p not in named_before]
        subjects = sorted({s.strip() for s in rec.subjects})
        subjects_after = [[s, int(named_after[s])] for s in subjects if s in named_after]

        displaced = []
        if not too_short:
            wanted = routes_before or all_routes.get(g, set())
            cb, ca = window_counts(b0, b1), window_counts(a0, a1)
            for other, other_routes in all_routes.items():
                if other == g or not (other_routes & wanted):
                    continue
                ch = pct(rate(int(cb[other]), bdays), rate(int(ca[other]), adays))
                if (ch >= RISE) if ch is not None else (ca[other] >= FROM_ZERO):
                    displaced.append(groups["id"].iat[other])
        if too_short:
            observed = None
        else:
            fall = -change if change is not None else 0.0
            observed = ("major" if fall >= MAJOR and not successors
                        else "moderate" if fall >= MODERATE or disappeared else "minor")
        out.append({
            "reference": rec.reference, "group": groups["id"].iat[g], "before": before, "after": after,
            "after_days": adays, "change_pct": change, "observed": observed,
            "routes_before": sorted(routes_before), "routes_after": sorted(routes_after),
            "key_players_before": [[p, int(n)] for p, n in kp_before],
            "key_players_after": [[p, int(n)] for p, n in kp_after],
            "disappeared": disappeared, "successors": successors, "subjects_after": subjects_after,
            "displacement": sorted(displaced)})
    return out, notes


# --- 3. returns -------------------------------------------------------------------

def month_start(index):
    return day_of(f"{index // 12:04d}-{index % 12 + 1:02d}-01")


def periods(start, until, months):
    first = datetime.date.fromisoformat(date_of(start))
    index = (first.year * 12 + first.month - 1) // months * months
    spans = []
    while month_start(index) <= until:
        year = index // 12
        label = f"{year:04d}-Q{index % 12 // 3 + 1}" if months == 3 else f"{year:04d}-{index % 12 + 1:02d}"
        spans.append((label, max(month_start(index), start), min(month_start(index + months) - 1, until)))
        index += months
    return spans


def returns(f, opt, until, months):
    groups, prices = f["groups"], f["prices"]
    rates = {k.strip().upper(): v for k, v in opt["rates"].items()}
    excluded = 0
    if len(prices):
        code = prices["currency"].astype(str).str.strip().str.upper()
        prices = prices.assign(gbp=prices["amount"] * code.map(rates))
        excluded = int(prices["gbp"].isna().sum())
        prices = prices.dropna(subset=["gbp"])
    pooled = float(prices["gbp"].median()) if len(prices) else None
    median = prices.groupby("g")["gbp"].median().reindex(range(len(groups)))
    if pooled is not None:
        median = median.fillna(pooled)

    tr = f["travellers"]
    first_seen = tr.assign(tid=tr["id"].astype(str).str.strip()).groupby(["g", "tid"])["day"].min().reset_index()
    if opt.get("from"):
        start = day_of(opt["from"])
    else:
        u = datetime.date.fromisoformat(date_of(until))
        start = month_start((u.year * 12 + u.month - 1) // months * months - (11 if months == 1 else 9))
    d, assets = f["disruptions"], f["assets"]
    status = assets["status"].astype(str).str.strip().str.lower() if len(assets) else None
    out = []
    for label, a, b in periods(start, until, months):
        inside = first_seen[first_seen["day"].between(a, b)]
        per_group = inside.groupby("g").size()
        travellers = int(per_group.sum())
        revenue = float((per_group * median.reindex(per_group.index)).sum()) if pooled is not None else None
        ds = d[d["day"].between(a, b)]
        counts = ds["impact"].value_counts()
        denied = returned = 0.0
        unvalued = 0
        if len(assets):
            here = assets["day"].between(a, b)
            valued = assets["value_gbp"].notna()
            unvalued = int((here & ~valued).sum())
            denied = float(assets.loc[here & valued & status.isin(DENIED), "value_gbp"].sum())
            returned = float(assets.loc[here & valued & ~status.isin(DENIED), "value_gbp"].sum())
        out.append({"label": label, "start": date_of(a), "end": date_of(b), "travellers": travellers,
                    "revenue_gbp": revenue, "denied_gbp": denied, "returned_gbp": returned, "unvalued": unvalued,
                    "disruptions": [int(counts.get("major", 0)), int(counts.get("moderate", 0)),
                                    int(counts.get("minor", 0)), int(len(ds))]})
    return {"pooled_median_gbp": pooled, "excluded_prices": excluded, "periods": out}


def compute(data):
    opt = data["options"]
    as_of, window = day_of(opt["as_of"]), int(opt.get("window_days", 90))
    until = day_of(opt["until"]) if opt.get("until") else as_of
    months = 1 if opt.get("period") == "month" else 3
    t0 = time.perf_counter()
    f = frames(data)
    t1 = time.perf_counter()
    cov = coverage(f, as_of, window)
    t2 = time.perf_counter()
    imp, notes = impact(f, as_of, window)
    t3 = time.perf_counter()
    ret = returns(f, opt, until, months)
    t4 = time.perf_counter()
    return {"coverage": cov, "impacts": imp, "impact_notes": notes, "returns": ret}, \
        [(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t4 - t3) * 1000]


# --- agreement ------------------------------------------------------------------

def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def compare(tessera, ours):
    problems, checked = [], 0

    def check(where, a, b, approx=False):
        nonlocal checked
        checked += 1
        if not (close(a, b) if approx else a == b):
            problems.append(f"{where}: Tessera {a!r}, pandas {b!r}")

    t_cov, p_cov = tessera["coverage"], ours["coverage"]
    for key in ("rows", "direct_refs", "indirect_refs"):
        check(f"coverage {key}", t_cov[key], p_cov[key])
    for t, p in zip(t_cov["totals"], p_cov["totals"]):
        for key in ("rows_relevant", "rows_covered", "gaps", "overdue", "agencies"):
            check(f"coverage {t['stream']} {key}", t[key], p[key])
    check("impact notes", tessera["impact_notes"], ours["impact_notes"])
    check("impact disruptions measured", len(tessera["impacts"]), len(ours["impacts"]))
    for t, p in zip(tessera["impacts"], ours["impacts"]):
        check("impact order", t["reference"], p["reference"])
        for key in ("group", "before", "after", "after_days", "observed", "routes_before", "routes_after",
                    "key_players_before", "key_players_after", "disappeared", "successors", "subjects_after"):
            check(f"{t['reference']} {key}", t[key], p[key])
        check(f"{t['reference']} change_pct", t["change_pct"], p["change_pct"], approx=True)
        check(f"{t['reference']} displacement", sorted(t["displacement"]), p["displacement"])
    t_ret, p_ret = tessera["returns"], ours["returns"]
    check("pooled median", t_ret["pooled_median_gbp"], p_ret["pooled_median_gbp"], approx=True)
    check("excluded prices", t_ret["excluded_prices"], p_ret["excluded_prices"])
    check("periods", len(t_ret["periods"]), len(p_ret["periods"]))
    for t, p in zip(t_ret["periods"], p_ret["periods"]):
        for key in ("label", "start", "end", "travellers", "unvalued", "disruptions"):
            check(f"{t['label']} {key}", t[key], p[key])
        for key in ("revenue_gbp", "denied_gbp", "returned_gbp"):
            check(f"{t['label']} {key}", t[key], p[key], approx=True)
    return checked, problems


def main():
    out_dir, scale = sys.argv[1], sys.argv[2]
    with open(os.path.join(out_dir, f"tessera-{scale}.json")) as fh:
        tessera = json.load(fh)
    with open(os.path.join(out_dir, f"review-{scale}.json")) as fh:
        data = json.load(fh)
    runs, parts = [], []
    for _ in range(tessera["repeat"]):
        started = time.perf_counter()
        ours, part = compute(data)
        runs.append((time.perf_counter() - started) * 1000)
        parts.append(part)
    ms = statistics.median(runs)
    mid = parts[runs.index(sorted(runs)[len(runs) // 2])]
    c = tessera["counts"]
    print(f"{scale}: {c['groups']:,} groups, {c['reports']:,} reports, {c['actions']:,} actions, "
          f"{c['disruptions']:,} disruptions, {c['travellers']:,} travellers, {c['prices']:,} prices "
          f"({tessera['file_bytes'] / 1e6:.1f} MB of JSON); pandas {pd.__version__}, numpy {np.__version__}")
    print(f"  measured disruptions {len(ours['impacts']):,}, displaced-group findings "
          f"{sum(len(i['displacement']) for i in ours['impacts']):,}, periods {len(ours['returns']['periods'])}")
    print(f"  Tessera review: {tessera['review_ms']:.1f} ms (median of {tessera['repeat']}; runs "
          f"{', '.join(f'{x:.0f}' for x in tessera['review_ms_runs'])})")
    print(f"  pandas:         {ms:.1f} ms (median of {len(runs)}; frames {mid[0]:.0f}, coverage {mid[1]:.0f}, "
          f"impact {mid[2]:.0f}, returns {mid[3]:.0f} ms)")
    print(f"  pandas / Tessera = {ms / tessera['review_ms']:.2f}x")
    checked, problems = compare(tessera, ours)
    if problems:
        print(f"DISAGREEMENT: {len(problems)} of {checked} key numbers differ; first ones:")
        for p in problems[:25]:
            print("  " + p)
        sys.exit(1)
    print(f"  agreement: all {checked:,} key numbers equal (money within 1e-9 relative)")


if __name__ == "__main__":
    main()
