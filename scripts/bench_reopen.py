#!/usr/bin/env python3
"""Benchmark small commits: what a node pays to apply one change and search again.

Each web node follows the store's change log and applies its small changes (one item
published, edited or retired) every second or two, then reopens its searcher. For each size
(--sizes, default 10,000 and 100,000) an index of the synthetic documents of
scripts/bench_search.py is built once with the hub's backend; then, --runs times, 1 document
is edited, 10 documents are edited and 1 is deleted, and after each change this script times
- commit: backend.update / backend.delete;
- snapshot: the next backend.snapshot() (the searcher reopened, and whatever is built with it);
- first page: a full results page (facets, snippets, a suggestion) right after, for a query
  asked before the change: whatever it costs beyond a warm page is what the searcher's caches
  had to build or read again because of the reopen;
- warm page: the same page again, once those caches are warm (median of 3);
- reopen: snapshot + first page - warm page, what the change cost the next reader.
The snippet texts are regenerated for every page (bench_search.body_of: about 25 ms of each
page at any size), in the first page and the warm page alike.
Medians and p95 per size and change are printed as a table, or as JSON with --json.
Target (issue 17): a reopen after a small commit costs at most 100 ms at 100,000 items.

Building a 100,000-document index takes several minutes: --keep DIR keeps the built indexes
(DIR/hub-SIZE) for the next run, which then copies one (segments hard-linked: Whoosh never
rewrites a segment file) and edits the copy, so before and after a change are measured on
the same index.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_search import body_of, document, hub_search, queries  # noqa: E402

import hub  # noqa: E402
from hub.search.base import IndexDocument  # noqa: E402
from hub.search.whoosh.backend import WhooshBackend  # noqa: E402

CHANGES = (("edit 1", 1), ("edit 10", 10), ("delete 1", -1))
METRICS = ("commit", "snapshot", "first page", "warm page", "reopen")
WARM_REPEAT = 3


class Corpus:
    """The synthetic documents, made on demand: the index holds `size` of them."""

    def __init__(self, size: int):
        self.size = size
        self.edits = 0
        self._edited: dict[int, int] = {}  # document number: the number of its new body

    def documents(self):
        """Every document, one at a time (a 100,000-document corpus is never held)."""
        return (document(n) for n in range(self.size))

    def text(self, ids) -> dict[str, str]:
        """The body of each document, as the index holds it (edited ones included)."""
        return {i: self.body(int(i)) for i in ids}

    def body(self, number: int) -> str:
        """The body document `number` has now."""
        return body_of(self._edited.get(number, number))

    def edited(self, number: int) -> IndexDocument:
        """Document `number` with a new title and another body (its facets kept)."""
        self.edits += 1
        source = self.size + self.edits  # a body no document of the index has
        self._edited[number] = source
        original = document(number)
        return replace(original, title=f"{original.title} (revised {self.edits})",
                       body=body_of(source))


def copy_index(source: Path, target: Path) -> None:
    """A copy of an index folder, segment files hard-linked (written once, never changed)."""

    def link_or_copy(src: str, dst: str) -> None:
        if src.endswith(".seg"):
            os.link(src, dst)
        else:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link_or_copy)


def built_index(size: int, corpus: Corpus, keep: Path | None, work: Path) -> Path:
    """The folder of a fresh copy of the built index of `size` documents."""
    kept = (keep or work) / f"hub-{size}"
    if not (kept / "CURRENT").exists():
        shutil.rmtree(kept, ignore_errors=True)
        kept.mkdir(parents=True)
        started = time.perf_counter()
        backend = WhooshBackend(kept)
        backend.rebuild(corpus.documents())
        backend.close()
        print(f"  built {size:,} documents in {time.perf_counter() - started:.0f} s",
              file=sys.stderr, flush=True)
    copy = work / f"copy-{size}"
    shutil.rmtree(copy, ignore_errors=True)
    copy_index(kept, copy)
    return copy


def seconds(function) -> float:
    """How long a call took."""
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def bench_size(size: int, runs: int, keep: Path | None, work: Path) -> dict:
    """Per change, each metric's timings (seconds) over the runs."""
    corpus = Corpus(size)
    folder = built_index(size, corpus, keep, work)
    backend = WhooshBackend(folder, text_source=corpus.text)
    texts = queries(runs * len(CHANGES))
    for text in texts:  # a serving node: its searcher open, its caches warm for these queries
        hub_search(backend, text, "full")
    rng = np.random.default_rng(size)
    untouched = [int(n) for n in rng.permutation(size)]
    timings = {name: {metric: [] for metric in METRICS} for name, _count in CHANGES}
    for run in range(runs):
        for number, (name, count) in enumerate(CHANGES):
            text = texts[run * len(CHANGES) + number]
            if count > 0:
                changed = [corpus.edited(untouched.pop()) for _ in range(count)]
                commit = seconds(lambda changed=changed: backend.update(changed))
            else:
                gone = [str(untouched.pop())]
                commit = seconds(lambda gone=gone: backend.delete(gone))
            snapshot = seconds(backend.snapshot)
            first = seconds(lambda text=text: hub_search(backend, text, "full"))
            warm = statistics.median(seconds(lambda text=text: hub_search(backend, text, "full"))
                                     for _ in range(WARM_REPEAT))
            found = timings[name]
            for metric, value in zip(METRICS, (commit, snapshot, first, warm,
                                               snapshot + first - warm), strict=True):
                found[metric].append(value)
        print(f"  {size:,}: run {run + 1} of {runs} done", file=sys.stderr, flush=True)
    segments = len(list(backend.snapshot().searcher.leaf_searchers()))
    backend.close()
    shutil.rmtree(folder, ignore_errors=True)
    return {"segments_after": segments, "changes": timings}


def summary(values: list[float]) -> dict:
    """Median and p95 in milliseconds."""
    ms = sorted(v * 1000 for v in values)
    return {"median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[math.ceil(0.95 * len(ms)) - 1], 1),  # nearest rank
            "runs_ms": [round(v, 1) for v in ms]}


def table(results: dict) -> str:
    """The medians (p95) of every metric, one row per size and change."""
    lines = [f"{'size':>8}  {'change':<9}" + "".join(f"{m:>20}" for m in METRICS)]
    for size, found in results.items():
        for name, metrics in found["changes"].items():
            cells = "".join(f"{m['median_ms']:>10.1f} ({m['p95_ms']:>6.1f})"
                            for m in metrics.values())
            lines.append(f"{size:>8}  {name:<9}{cells}")
        lines.append(f"{'':>8}  ({found['segments_after']} segments at the end)")
    return "\n".join(lines) + "\n(milliseconds: median (p95))"


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) each size's index and time the small changes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help="rounds of changes per size")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the built indexes here and reuse them on the next run")
    parser.add_argument("--build-only", action="store_true",
                        help="only build the indexes kept in --keep (nothing is timed)")
    parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    args = parser.parse_args(argv)
    print(f"  the hub from {Path(hub.__file__).parent}", file=sys.stderr, flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-reopen-") as work:
        for size in args.sizes:
            if args.build_only:
                built_index(size, Corpus(size), args.keep, Path(work))
                continue
            found = bench_size(size, args.runs, args.keep, Path(work))
            results[size] = {"segments_after": found["segments_after"],
                             "changes": {name: {m: summary(v) for m, v in metrics.items()}
                                         for name, metrics in found["changes"].items()}}
    if results:
        print(json.dumps(results, indent=2) if args.json else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
