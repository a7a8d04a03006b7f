#!/usr/bin/env python3
"""Decode AIS files with libais (C++ decoders behind Python), through its
stream API ais.nmea_queue.NmeaQueue (tag blocks, multi-part assembly), and
print messages decoded, decode CPU seconds and messages per CPU second as one
JSON object. usage: run_libais.py [--repeat N] FILE..."""

import json
import logging
import sys
import time

import ais
import ais.nmea_queue

logging.disable(logging.CRITICAL)  # libais logs every dropped part


def main():
    args = sys.argv[1:]
    repeat = 1
    if args[:1] == ["--repeat"]:
        repeat, args = int(args[1]), args[2:]
    messages = other = 0
    start = time.process_time()
    for _ in range(repeat):
        for path in args:
            q = ais.nmea_queue.NmeaQueue()
            with open(path, "rb") as f:
                for raw in f:
                    q.put(raw.decode("ascii", "replace").rstrip("\r\n"))
                    while q.qsize():
                        if "decoded" in q.get():
                            messages += 1
                        else:
                            other += 1
    cpu = time.process_time() - start
    version = getattr(ais, "__version__", "?")
    print(json.dumps({"tool": f"libais {version}", "messages": messages, "undecoded": other,
                      "cpu_seconds": cpu, "msgs_per_cpu_sec": messages / cpu if cpu else None}))


if __name__ == "__main__":
    main()
