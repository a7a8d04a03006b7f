#!/usr/bin/env python3
"""Check a PDF written by tessera-report page by page with pypdf (pinned).

    python3 scripts/report_pdf_check.py PDF EXPECT.json [--venv DIR]

EXPECT.json is an object:

    {
      "pages": 6,                          # exact page count (optional)
      "every_page": ["OFFICIAL-SENSITIVE"], # needles expected on every page (optional)
      "page_numbers": true,                 # each page shows "Page n of N" (optional)
      "text": {"1": ["Threat assessment"], "4": ["Prioritised groups"]},
                                            # needles per 1-based page (optional)
      "figures": {"1": ["Chart1"], "3": ["Map1"]},
                                            # the /ChartN and /MapN XObjects of each listed page,
                                            # exactly (optional)
      "figure_pages": [1, 2, 3],            # the pages carrying at least one /ChartN or /MapN,
                                            # exactly (optional)
      "min_pages": 3,                       # at least this many pages (optional)
      "anywhere": ["Disruption log"],       # needles expected on some page (optional)
      "min_figures": 2                      # at least this many /ChartN or /MapN in all (optional)
    }

Text is compared after pypdf's extract_text() with runs of whitespace collapsed
to one space. The exit status is 1 with one line per failure naming the page and
the needle, 0 with a summary when every check passes. pypdf is installed into a
venv (default /tmp/tessera-pypdf-venv) by scripts/pinned_venv.py.
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pinned_venv  # noqa: E402

PYPDF = "pypdf==7.1.0"
FIGURE = re.compile(r"^/(Chart|Map)\d+$")


def figures_of(page):
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    return sorted(name[1:] for name in xobjects.keys() if FIGURE.match(name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf")
    parser.add_argument("expect")
    parser.add_argument("--venv", default="/tmp/tessera-pypdf-venv")
    args = parser.parse_args()
    pinned_venv.ensure(PYPDF, "pypdf", args.venv, __file__)
    import pypdf

    with open(args.expect, encoding="utf-8") as f:
        expect = json.load(f)
    reader = pypdf.PdfReader(args.pdf, strict=True)
    pages = reader.pages
    count = len(pages)
    failures = []
    if "pages" in expect and expect["pages"] != count:
        failures.append(f"document: expected {expect['pages']} pages, found {count}")
    texts = [" ".join(p.extract_text().split()) for p in pages]
    for n, text in enumerate(texts, start=1):
        needles = list(expect.get("every_page", [])) + list(expect.get("text", {}).get(str(n), []))
        if expect.get("page_numbers"):
            needles.append(f"Page {n} of {count}")
        for needle in needles:
            if " ".join(needle.split()) not in text:
                failures.append(f"page {n}: text {needle!r} not found")
    for key in expect.get("text", {}):
        if not key.isdigit() or not 1 <= int(key) <= count:
            failures.append(f"page {key}: expected text but the document has {count} pages")
    found = {n: figures_of(p) for n, p in enumerate(pages, start=1)}
    for key, names in expect.get("figures", {}).items():
        n = int(key)
        if sorted(names) != found.get(n, []):
            failures.append(f"page {n}: expected figures {sorted(names)}, found {found.get(n, [])}")
    if "figure_pages" in expect:
        actual = [n for n, names in found.items() if names]
        if sorted(expect["figure_pages"]) != actual:
            failures.append(f"document: expected figures on pages {sorted(expect['figure_pages'])}, found on {actual}")
    if count < expect.get("min_pages", 0):
        failures.append(f"document: expected at least {expect['min_pages']} pages, found {count}")
    for needle in expect.get("anywhere", []):
        if not any(" ".join(needle.split()) in text for text in texts):
            failures.append(f"document: text {needle!r} on no page")
    total = sum(len(names) for names in found.values())
    if total < expect.get("min_figures", 0):
        failures.append(f"document: expected at least {expect['min_figures']} figures, found {total}")
    if failures:
        print(f"FAIL {args.pdf}:")
        for failure in failures:
            print("  " + failure)
        sys.exit(1)
    summary = ", ".join(f"p{n}: {'+'.join(v)}" for n, v in found.items() if v)
    print(f"OK {args.pdf}: {count} pages, figures {summary or 'none'}, pypdf {pypdf.__version__}")


if __name__ == "__main__":
    main()
