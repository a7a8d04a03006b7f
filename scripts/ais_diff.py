#!/usr/bin/env python3
"""Differential test of Tessera's AIS decoder against pyais.

For every real AIS file (default: ../shared/data/ais/*.log|*.txt|*.aivdm|*.nmea)
it decodes the file with pyais (pinned, installed from PyPI into a venv by this
script) and with `tessera ais decode --format jsonl`, then checks that

  1. Tessera decodes at least as many messages as pyais, and
  2. every field of every message both decode is equal, under the mapping of
     names and units below (documented in docs/ais.md).

pyais does not verify checksums by default, so the comparison runs Tessera
with --no-verify-checksum as well; the table also shows Tessera's default
(verified) count, and the sentences only pyais accepts are listed in docs/ais.md.

Exit status is non-zero on any shortfall or mismatch; the first mismatches are
printed. Usage:

    python3 scripts/ais_diff.py [--bin target/debug/tessera] [--venv DIR] [FILE...]
"""

import argparse
import collections
import glob
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pinned_venv  # noqa: E402

PYAIS = "pyais==3.3.1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(os.path.dirname(ROOT), "shared", "data", "ais")
EXTENSIONS = (".log", ".txt", ".aivdm", ".nmea")


def ensure_pyais(venv_dir):
    """Re-run this script under a venv that has the pinned pyais."""
    pinned_venv.ensure(PYAIS, "pyais", venv_dir, __file__)


def pyais_messages(path):
    """Every message pyais decodes from the file, as (dict with enums as ints,
    facts about how pyais read it)."""
    import enum

    from pyais import messages as pm
    from pyais.stream import FileReaderStream

    out = []
    for msg in FileReaderStream(path):
        try:
            decoded = msg.decode()
        except Exception:  # pyais raises on messages it cannot decode; those are simply not decoded
            continue
        nbits = len(msg.bv)
        info = {"truncated": set(), "partial_text": set(), "enums": {}, "fill_ignored": False}
        # pyais takes fill bits and checksum from the last comma field, so on
        # lines with receiver fields after the checksum it reads the fill bits
        # as 0: the message is that many bits shorter than pyais believes.
        real_fill = sentence_fill(msg.raw)
        if real_fill is not None and real_fill != msg.fill_bits:
            nbits -= real_fill - msg.fill_bits
            info["fill_ignored"] = True
        for name, offset, width, _signed, kind, converter in type(decoded).decoder_plan():
            if kind in (pm.INT, pm.FLOAT, pm.BOOL) and offset + width > nbits:
                # pyais reads the bits that are there; the field is not in the message.
                info["truncated"].add(name)
            if kind == pm.STR and (min(offset + width, nbits) - offset) % 6 != 0:
                # pyais decodes a last character from fewer than six bits.
                info["partial_text"].add(name)
            owner = getattr(converter, "__self__", None)
            if isinstance(owner, type) and issubclass(owner, enum.Enum):
                info["enums"][name] = converter
        out.append((decoded.asdict(enum_as_int=True), info))
    return out


def sentence_fill(raw):
    """The fill-bit field of the last sentence in `raw` (the field before `*`)."""
    last = raw[raw.rfind(b"!"):]
    star = last.find(b"*")
    if star < 0:
        return None
    field = last[:star].split(b",")[-1]
    return int(field) if field.isdigit() else None


def tessera_messages(binary, path, verify):
    cmd = [binary, "ais", "decode", "--format", "jsonl", "--quiet", path]
    if not verify:
        cmd.insert(-1, "--no-verify-checksum")
    res = subprocess.run(cmd, capture_output=True, check=True)
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


# --- mapping of pyais values to what Tessera reports -----------------------

NA = object()  # marker: "Tessera reports null here"


def in_range(v, lo, hi):
    return v if v is not None and lo <= v <= hi else None


def sign_extend(raw, bits):
    raw &= (1 << bits) - 1
    return raw - (1 << bits) if raw & (1 << (bits - 1)) else raw


def tenth_minutes(raw, limit):
    """A coordinate in 1/10 minute: degrees, or None when not available."""
    return None if abs(raw) > limit else raw / 600.0


def expected(t, key, v):
    """What Tessera should report for pyais field `key` = `v` of type `t`."""
    if v is None:
        return None
    if isinstance(v, bytes):
        return v.hex()
    if key == "lat" and t in (1, 2, 3, 4, 9, 11, 18, 19, 21, 27):
        return None if abs(v) > 90 else v
    if key == "lon" and t in (1, 2, 3, 4, 9, 11, 18, 19, 21, 27):
        return None if abs(v) > 180 else v
    if t in (1, 2, 3, 18, 19):
        if key == "speed":
            return None if round(v * 10) == 1023 else v
        if key == "course":
            return None if round(v * 10) >= 3600 else v
        if key == "heading":
            return None if v >= 360 else v
        if key == "turn":
            return None if v in (127, -127, -128) else v
    if t in (4, 11):
        if key == "year":
            return in_range(v, 1, 9999)
        if key in ("month", "day", "hour", "minute", "second"):
            return in_range(v, *{"month": (1, 12), "day": (1, 31), "hour": (0, 23),
                                 "minute": (0, 59), "second": (0, 59)}[key])
    if t == 5:
        if key in ("month", "day", "hour", "minute"):
            return in_range(v, *{"month": (1, 12), "day": (1, 31), "hour": (0, 23), "minute": (0, 59)}[key])
        if key == "draught":
            return None if v == 0 else v
    if t == 9:
        if key == "alt":
            return None if v == 4095 else v
        if key == "speed":
            return None if v == 1023 else int(v)
        if key == "course":
            return None if round(v * 10) >= 3600 else v
    if t == 17 and key in ("lon", "lat"):
        # pyais: unsigned raw / 10 (minutes); Tessera: signed degrees.
        bits = 18 if key == "lon" else 17
        return tenth_minutes(sign_extend(round(v * 10), bits), 108000 if key == "lon" else 54000)
    if t in (22, 23) and key in ("ne_lon", "ne_lat", "sw_lon", "sw_lat"):
        # pyais: signed raw / 10, i.e. minutes; Tessera: degrees.
        return tenth_minutes(round(v * 10), 108000 if key.endswith("lon") else 54000)
    if t == 27:
        if key == "speed":
            return None if v == 63 else int(v)
        if key == "course":
            return None if v == 511 else int(v)
    return v


TOLERANCE = {"lat": 1e-6, "lon": 1e-6, "ne_lon": 1e-6, "ne_lat": 1e-6, "sw_lon": 1e-6, "sw_lat": 1e-6, "turn": 0.5}

# pyais fields that Tessera deliberately does not report (see docs/ais.md):
# application-specific fields pyais decodes for some DAC/FID pairs of types 6
# and 8 (Tessera keeps dac, fid and the raw data), and pyais's fixed-width
# data/radio slices of types 25 and 26 (Tessera takes the data to the end, and
# type 26's radio status from the last 20 bits).
SKIPPED = {25: {"data", "radio"}, 26: {"data", "radio"}, 22: {"empty_1", "empty_2"}}


def equal(key, want, got):
    if want is None or want == "":
        return got is None or got == ""
    if got is None:
        return False
    if isinstance(want, bool) or isinstance(got, bool):
        return bool(want) == bool(got) and type(got) is bool
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(want, got, rel_tol=0, abs_tol=TOLERANCE.get(key, 1e-9))
    return want == got


def ais_trim(text):
    return text.rstrip("@").strip()


def accepted(mt, key, value, want, got, info, t, p, tally):
    """Documented differences (docs/ais.md): True when pyais and Tessera
    disagree for a reason that is pyais's, and count it."""
    if got is None and key in info["truncated"]:
        tally["field not in a short message (pyais reads the bits that are there)"] += 1
        return True
    conv = info["enums"].get(key)
    if conv is not None and isinstance(got, int) and not isinstance(got, bool):
        try:
            if int(conv(got)) == value and value != got:
                tally["code outside pyais's enum (pyais maps it to a default)"] += 1
                return True
        except Exception:
            pass
    if isinstance(value, str) and isinstance(got, str):
        if key in info["partial_text"] and ais_trim(value[:-1]) == got:
            tally["pyais decodes a last text character from fewer than 6 bits"] += 1
            return True
        if key == "name_ext" and mt == 21 and ais_trim(value[:14]) == got:
            tally["pyais reads a 15th character of the 14-character name extension"] += 1
            return True
        if key == "full_name" and mt == 21 and got == (t.get("name") or "") + (t.get("name_ext") or ""):
            ext = p.get("name_ext") or ""
            if value == (p.get("name") or "") + ext and (
                equal("name_ext", ext, t.get("name_ext"))
                or accepted(mt, "name_ext", ext, ext, t.get("name_ext"), info, t, p, tally)
            ):
                return True
    if mt in (25, 26) and key == "app_id" and t.get("structured") is False:
        tally["pyais reads an application id in unstructured type 25/26"] += 1
        return True
    return False


def compare(p, info, t, mismatches, limit, where, tally):
    """Compare one pair of messages; return the number of field mismatches."""
    n = 0
    mt = p.get("msg_type")
    for key, value in p.items():
        if key in SKIPPED.get(mt, ()):
            continue
        if key not in t:
            if mt in (6, 8) and key not in ("seqno", "dest_mmsi", "retransmit", "dac", "fid"):
                tally["application field of a DAC/FID variant (Tessera keeps raw data)"] += 1
                continue
            n += 1
            if len(mismatches) < limit:
                mismatches.append(f"{where}: type {mt} mmsi {p.get('mmsi')}: field {key!r} missing in Tessera")
            continue
        want = expected(mt, key, value)
        got = t[key]
        if key == "data" and isinstance(want, str) and isinstance(got, str) and want != got:
            # pyais slices variable-length data at a fixed maximum (types 6,
            # 8) and pads the last byte; compare the bits both hold.
            bits = min(len(want) * 4, t.get("data_bits", 0))
            if bin_prefix(want, bits) == bin_prefix(got, bits) and (mt in (6, 8) or info["fill_ignored"]):
                tally["binary data: pyais cuts it at a fixed length or counts ignored fill bits"] += 1
                continue
        if equal(key, want, got) or accepted(mt, key, value, want, got, info, t, p, tally):
            continue
        n += 1
        if len(mismatches) < limit:
            mismatches.append(f"{where}: type {mt} mmsi {p.get('mmsi')}: {key}: pyais {value!r} "
                              f"(expected {want!r}) vs Tessera {got!r}")
    return n


def bin_prefix(hexstr, bits):
    if not hexstr:
        return ""
    return bin(int(hexstr, 16))[2:].zfill(len(hexstr) * 4)[:bits]


def align(py, te):
    """Pair messages in file order: both decoders emit a message when its last
    part arrives. Tessera may decode messages pyais does not; those are skipped."""
    pairs, unmatched = [], []
    j = 0
    for p, info in py:
        key = (p.get("msg_type"), p.get("mmsi"))
        k = j
        while k < len(te) and k - j <= 64 and (te[k].get("msg_type"), te[k].get("mmsi")) != key:
            k += 1
        if k < len(te) and (te[k].get("msg_type"), te[k].get("mmsi")) == key:
            pairs.append((p, info, te[k]))
            j = k + 1
        else:
            unmatched.append(p)
    return pairs, unmatched


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--bin", default=os.environ.get("TESSERA_BIN"))
    ap.add_argument("--venv", default=os.environ.get("AIS_DIFF_VENV", os.path.join(ROOT, "target", "venv-ais-diff")))
    ap.add_argument("--show", type=int, default=20, help="mismatches to print")
    args = ap.parse_args()
    ensure_pyais(args.venv)

    binary = args.bin
    if not binary:
        # The most recently built of the release and debug binaries.
        cands = [os.path.join(ROOT, c) for c in ("target/release/tessera", "target/debug/tessera")]
        cands = [c for c in cands if os.path.exists(c)]
        if cands:
            binary = max(cands, key=os.path.getmtime)
    if not binary:
        sys.exit("no tessera binary: build it (cargo build -p tessera-cli) or pass --bin")
    files = args.files or sorted(f for f in glob.glob(os.path.join(os.environ.get("TESSERA_AIS_DATA", DEFAULT_DATA), "*"))
                                 if f.endswith(EXTENSIONS))
    if not files:
        sys.exit("no AIS files found")

    import pyais

    print(f"pyais {pyais.__version__} vs {binary}")
    print(f"{'file':40} {'pyais':>7} {'tessera':>8} {'(verified)':>10} {'compared':>9} {'fields':>8} {'mismatch':>8}")
    failed = False
    mismatches = []
    tally = collections.Counter()
    for path in files:
        name = os.path.basename(path)
        py = pyais_messages(path)
        te = tessera_messages(binary, path, verify=False)
        te_verified = tessera_messages(binary, path, verify=True)
        pairs, unmatched = align(py, te)
        fields = sum(len(p) for p, _, _ in pairs)
        bad = sum(compare(p, info, t, mismatches, args.show, name, tally) for p, info, t in pairs)
        for p in unmatched[:3]:
            if len(mismatches) < args.show:
                mismatches.append(f"{name}: pyais message not decoded by Tessera: {p}")
        # Both Tessera's default (checksums verified) and the lenient run must
        # decode at least as many messages as pyais.
        short = min(len(te), len(te_verified)) < len(py)
        failed |= short or bad > 0 or bool(unmatched)
        flag = "  FEWER" if short else ""
        print(f"{name:40} {len(py):>7} {len(te):>8} {len(te_verified):>10} {len(pairs):>9} {fields:>8} "
              f"{bad + len(unmatched):>8}{flag}")
    if tally:
        print("\naccepted differences (documented in docs/ais.md):")
        for what, count in tally.most_common():
            print(f"  {count:>6}  {what}")
    if mismatches:
        print("\nfirst mismatches:")
        for m in mismatches:
            print("  " + m)
    print("\nFAIL" if failed else "\nOK: Tessera decodes at least as many messages as pyais on every file, "
                                  "and every compared field is equal")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
