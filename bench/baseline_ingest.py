"""Python baseline for Tessera's ingest: the same JSON Lines into SQLite with
FTS5, the way a careful Python service would do it (one transaction, executemany
per report, FTS5 on report text and on names). It validates nothing beyond JSON
parsing, so it is an upper bound for a Python implementation of the same job.

usage: python3 baseline_ingest.py SCENARIO.jsonl DB_PATH
prints: JSON {"reports": N, "statements": N, "seconds": S}
"""
import json
import sqlite3
import sys
import time


def main() -> None:
    path, db = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(
        """
        CREATE TABLE reports (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, agency TEXT, date TEXT,
            grading TEXT, markings TEXT, text TEXT);
        CREATE TABLE entities (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, kind TEXT);
        CREATE TABLE statements (id INTEGER PRIMARY KEY, entity INTEGER, property TEXT, value TEXT,
            report INTEGER, observed TEXT);
        CREATE INDEX statements_entity ON statements(entity);
        CREATE INDEX statements_value ON statements(value);
        CREATE VIRTUAL TABLE report_text USING fts5(text, content='reports', content_rowid='rowid');
        CREATE VIRTUAL TABLE names USING fts5(name);
        """
    )
    entity_rows: dict[str, int] = {}
    reports = statements = 0
    cur = conn.cursor()
    cur.execute("BEGIN")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            cur.execute(
                "INSERT INTO reports (id, agency, date, grading, markings, text) VALUES (?,?,?,?,?,?)",
                (r["id"], r["agency"], r["date"], json.dumps(r["grading"]), json.dumps(r["markings"]), r.get("text", "")),
            )
            report_row = cur.lastrowid
            cur.execute("INSERT INTO report_text (rowid, text) VALUES (?, ?)", (report_row, r.get("text", "")))
            reports += 1
            ids = []
            for i, e in enumerate(r.get("entities", [])):
                eid = e.get("id") or f'{r["id"]}#{i}'
                ids.append(eid)
                row = entity_rows.get(eid)
                if row is None:
                    cur.execute("INSERT OR IGNORE INTO entities (id, kind) VALUES (?, ?)", (eid, e["schema"]))
                    row = cur.execute("SELECT rowid FROM entities WHERE id = ?", (eid,)).fetchone()[0]
                    entity_rows[eid] = row
                rows = [(row, p, v, report_row, r["date"]) for p, vs in e.get("properties", {}).items() for v in vs]
                cur.executemany(
                    "INSERT INTO statements (entity, property, value, report, observed) VALUES (?,?,?,?,?)", rows
                )
                statements += len(rows)
                for p, vs in e.get("properties", {}).items():
                    if p in ("name", "alias"):
                        cur.executemany("INSERT INTO names (name) VALUES (?)", [(v,) for v in vs])
            for link in r.get("links", []):
                def end(x: str) -> str:
                    return ids[int(x[1:])] if x.startswith("#") else x
                src = entity_rows.get(end(link["source"]))
                cur.execute(
                    "INSERT INTO statements (entity, property, value, report, observed) VALUES (?,?,?,?,?)",
                    (src, link["type"], end(link["target"]), report_row, r["date"]),
                )
                statements += 1
    conn.commit()
    print(json.dumps({"reports": reports, "statements": statements, "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
