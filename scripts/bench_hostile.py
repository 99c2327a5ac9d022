#!/usr/bin/env python3
"""Hostile input: how long each hostile file takes to end, and the peak memory of its parse.

Writes the hostile files of the reliability tests (tests/support/hostile.py), parses each with
`parse_file` under the default limits (its parse runs in a capped child), and prints the
median wall-clock time over several runs, the child's peak resident set, and the one line
the hub reports. Acceptance: every file within 60 s and under 1 GiB in the child.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from hub.config import DEFAULT_CONTENT_DIR  # noqa: E402
from hub.indexing import capped  # noqa: E402
from hub.indexing.document import ParseError  # noqa: E402
from hub.indexing.loader import ParseContext, read_file  # noqa: E402
from hub.vocabulary.taxonomy import load_taxonomy  # noqa: E402
from tests.support.hostile import HOSTILE  # noqa: E402


def one(path: Path, context: ParseContext) -> tuple[float, int, str]:
    """Seconds, the child's peak memory in bytes, and the outcome of one parse."""
    cost = capped.Cost()
    started = time.monotonic()
    try:
        docs = capped.run_capped(read_file, (path, path.name, context.parcel, context.limits),
                                 path.name, context.limits, cost=cost)
        outcome = f"read: {len(docs)} document(s)"
    except ParseError as exc:
        outcome = str(exc)
    return time.monotonic() - started, cost.peak_memory, outcome


def main() -> None:
    """Print one line per hostile file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("names", nargs="*", help="only these files (default: all)")
    args = parser.parse_args()
    context = ParseContext.for_taxonomy(load_taxonomy(DEFAULT_CONTENT_DIR / "taxonomy"))
    print(f"hostile files, median of {args.runs} runs (limits: {context.limits})")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.names or sorted(HOSTILE):
            path = HOSTILE[name](Path(tmp))
            runs = [one(path, context) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(f"  {name:18} {path.stat().st_size / 2**20:6.1f} MiB  {seconds:5.1f} s  "
                  f"child peak {peak / 2**20:6.0f} MiB  {runs[0][2][:110]}", flush=True)


if __name__ == "__main__":
    main()
