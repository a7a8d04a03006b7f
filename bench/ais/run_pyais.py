#!/usr/bin/env python3
"""Decode AIS files with pyais, the way its documentation streams a file
(pyais.stream.FileReaderStream: tag blocks, $PGHP and multi-part assembly),
and print messages decoded, decode CPU seconds and messages per CPU second
as one JSON object. usage: run_pyais.py [--repeat N] FILE..."""

import json
import sys
import time

from pyais import __version__
from pyais.stream import FileReaderStream


def main():
    args = sys.argv[1:]
    repeat = 1
    if args[:1] == ["--repeat"]:
        repeat, args = int(args[1]), args[2:]
    messages = errors = 0
    start = time.process_time()
    for _ in range(repeat):
        for path in args:
            for msg in FileReaderStream(path):
                try:
                    msg.decode()
                    messages += 1
                except Exception:
                    errors += 1
    cpu = time.process_time() - start
    print(json.dumps({"tool": f"pyais {__version__}", "messages": messages, "errors": errors,
                      "cpu_seconds": cpu, "msgs_per_cpu_sec": messages / cpu if cpu else None}))


if __name__ == "__main__":
    main()
