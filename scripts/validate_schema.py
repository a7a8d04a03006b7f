"""Validates JSON Lines files against the published report schema with the
reference `jsonschema` implementation (Draft 2020-12).

usage: python3 scripts/validate_schema.py FILE.jsonl...
"""
import json
import sys
from pathlib import Path

import jsonschema

schema = json.loads((Path(__file__).parent.parent / "schema" / "report.schema.json").read_text())
validator = jsonschema.Draft202012Validator(schema)
failures = 0
checked = 0
for name in sys.argv[1:]:
    for number, line in enumerate(Path(name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        checked += 1
        for error in validator.iter_errors(json.loads(line)):
            failures += 1
            path = "/".join(str(p) for p in error.absolute_path)
            print(f"{name}:{number}: {path}: {error.message}")
print(f"{checked} reports checked against schema/report.schema.json, {failures} problem(s)")
sys.exit(1 if failures else 0)
