#!/usr/bin/env bash
# Validates Tessera's exports with the reference tools partners' platforms use:
# FollowTheMoney entities with the `followthemoney` library (Aleph's model) and
# STIX 2.1 bundles with the OASIS `stix2-validator`. Generates the demo scenario
# into a temporary store, exports it for a partner and for a national agency
# in both formats, and fails on any error (warnings are printed, not fatal).
# Needs target/debug/tessera (cargo build -p tessera-cli).
set -euo pipefail
cd "$(dirname "$0")/.."

# followthemoney depends on PyICU, which pip builds from source against Debian's ICU.
if ! dpkg -s libicu-dev >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1; then
  echo "== installing ICU headers and pkg-config (Debian packages) for PyICU"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null
fi

echo "== installing the reference validators (PyPI: followthemoney, stix2-validator)"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore followthemoney stix2-validator

bin=./target/debug/tessera
[ -x "$bin" ] || cargo build -p tessera-cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== generating the demo scenario into $tmp/store"
"$bin" --data "$tmp/store" --json demo --no-serve >/dev/null

status=0
for recipient in "EUROPOL --clearance SECRET" "BF --national --clearance SECRET"; do
  name=${recipient%% *}
  # shellcheck disable=SC2086
  "$bin" --data "$tmp/store" export --format ftm --to $recipient --out "$tmp/$name.ftm.jsonl"
  # shellcheck disable=SC2086
  "$bin" --data "$tmp/store" export --format stix --to $recipient --out "$tmp/$name.stix.json"

  echo "== FollowTheMoney ($name): every entity, schema, property, value and reference"
  python3 - "$tmp/$name.ftm.jsonl" <<'PY' || status=1
import json, sys
from followthemoney import model
from followthemoney.exc import InvalidData

path = sys.argv[1]
errors, entities = [], {}
with open(path, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        try:
            data = json.loads(line)
        except ValueError as e:
            errors.append(f"line {n}: not JSON: {e}")
            continue
        schema = model.get(data.get("schema", ""))
        if schema is None or schema.abstract:
            errors.append(f"line {n}: unknown or abstract schema {data.get('schema')!r}")
            continue
        if data.get("id") in entities:
            errors.append(f"line {n}: duplicate id {data.get('id')}")
        entities[data.get("id")] = (n, schema, data)
        for prop, values in data.get("properties", {}).items():
            if schema.get(prop) is None:
                errors.append(f"line {n}: {schema.name} has no property {prop!r}")
        # Every value must survive loading without cleaning (nothing silently dropped) ...
        proxy = model.get_proxy(data, cleaned=False)
        for prop, values in data.get("properties", {}).items():
            if sorted(proxy.get(prop, quiet=True)) != sorted(values):
                errors.append(f"line {n}: {schema.name}.{prop} values {values} not kept by FtM")
        # ... and pass FtM's own validation (required properties, value types).
        try:
            schema.validate(data)
        except InvalidData as e:
            errors.append(f"line {n}: {schema.name} invalid: {e} {getattr(e, 'errors', '')}")
for n, schema, data in entities.values():
    for prop, values in data.get("properties", {}).items():
        p = schema.get(prop)
        if p is not None and p.type.name == "entity":
            for ref in values:
                target = entities.get(ref)
                if target is None:
                    errors.append(f"line {n}: {schema.name}.{prop} points at {ref}, not in the export")
                elif p.range is not None and not target[1].is_a(p.range):
                    errors.append(f"line {n}: {schema.name}.{prop} wants {p.range.name}, got {target[1].name}")
for e in errors[:50]:
    print("  ERROR", e)
print(f"  {len(entities)} entities, {len(errors)} error(s)")
sys.exit(1 if errors else 0)
PY

  echo "== STIX 2.1 ($name): stix2-validator"
  python3 - "$tmp/$name.stix.json" <<'PY' || status=1
import json
import re
import sys
from stix2validator import ValidationOptions, validate_file

results = validate_file(sys.argv[1], ValidationOptions(version="2.1"))
errors, warnings = [], {}
for result in results.object_results:
    errors.extend(f"{result.object_id}: {e}" for e in result.errors)
    for w in result.warnings:
        found = re.search(r"\{(\d+)\}", str(w))
        code = found.group(1) if found else "other"
        warnings[code] = warnings.get(code, 0) + 1
errors.extend(str(e) for e in getattr(results, "errors", []) or [])
for e in errors[:50]:
    print("  ERROR", e)
with open(sys.argv[1], encoding="utf-8") as f:
    objects = len(json.load(f).get("objects", []))
print(f"  valid: {results.is_valid}; {objects} objects in the bundle, {len(errors)} error(s);"
      f" best-practice warnings by check: {dict(sorted(warnings.items()))}")
sys.exit(0 if results.is_valid and not errors else 1)
PY
done

if [ "$status" -ne 0 ]; then
  echo "export validation FAILED"
fi
exit "$status"
