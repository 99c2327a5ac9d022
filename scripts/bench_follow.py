#!/usr/bin/env python3
"""How soon another node finds a one-item change, at --sizes items (default 10,000 and
100,000).

For each size: a store (SQLite, or a throwaway PostgreSQL cluster with --database postgresql)
is filled with synthetic articles written straight through `save_document` (parsing is not
what is measured here), and two nodes' indexes are built from it (two homes, as two `hub
serve` processes have). Then, --runs times, one item is edited in a transaction of its own
and node B's follow step is timed until a search on B finds the edit:

  follow     B's `follow()`: the change log read up to the horizon, the item indexed, the
             position moved (a commit to the index)
  reopen     B's next searcher (`snapshot()`) after that commit, and the search finding it
  found      the two together: what B adds to its worker's wait (at most 1 s between ticks)

p50, p95 and max are printed per size, and --json prints them as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.config import DEFAULT_CONTENT_DIR, Settings, sqlite_url  # noqa: E402
from hub.corpus import Corpus  # noqa: E402
from hub.indexing.document import ParsedDocument  # noqa: E402
from hub.search.base import SearchRequest  # noqa: E402
from hub.store.database import transaction  # noqa: E402
from hub.store.writing import save_document  # noqa: E402

WORDS = ["council", "partnership", "residents", "service", "pilot", "officers", "budget",
         "evidence", "programme", "review", "support", "families", "advisers", "referral",
         "outcomes", "project", "community", "health", "housing", "worklessness", "employment",
         "skills", "data", "sharing", "customer", "insight", "performance", "shared", "savings"]
BATCH = 1000


def document(rng: random.Random, n: int, marker: str = "") -> ParsedDocument:
    """A synthetic article of 150-400 words, stored as if read from a Markdown file."""
    words = " ".join(rng.choices(WORDS, k=rng.randint(150, 400)))
    title = f"Article {n} " + " ".join(rng.sample(WORDS, 4)) + (f" {marker}" if marker else "")
    return ParsedDocument(title=title, type="article", origin=f"bench/a{n}.md", key=f"md:a{n}",
                          text=f"{words}. {marker}".strip())


def fill(corpus: Corpus, size: int) -> None:
    """size articles in the store, a batch per transaction."""
    rng = random.Random(5)
    for start in range(0, size, BATCH):
        with transaction(corpus.sessions) as session:
            for n in range(start, min(start + BATCH, size)):
                save_document(session, document(rng, n))


def measure(size: int, runs: int, url: str, home: Path) -> dict:
    """Fill a store, build two nodes' indexes, and time B finding one-item edits."""
    settings = Settings(home=home / "node-a", database_url=url, content_dir=DEFAULT_CONTENT_DIR)
    writer = Corpus(settings)
    node_b = Corpus(replace(settings, home=home / "node-b"))
    try:
        started = time.perf_counter()
        fill(writer, size)
        filled = time.perf_counter() - started
        node_b.search.rebuild()
        node_b.search.backend.count()  # B is serving: its searcher is open
        follow, reopen = [], []
        rng = random.Random(9)
        for run in range(runs):
            n = rng.randrange(size)
            marker = f"quokka{run}z"
            with transaction(writer.sessions) as session:
                save_document(session, document(random.Random(n), n, marker))
            start = time.perf_counter()
            node_b.search.follow()
            middle = time.perf_counter()
            page = node_b.search.backend.search(SearchRequest(query=marker))
            end = time.perf_counter()
            assert page.total == 1, f"{marker}: B found {page.total} items"
            follow.append(middle - start)
            reopen.append(end - middle)
        found = [a + b for a, b in zip(follow, reopen, strict=True)]
        return {"items": size, "fill_seconds": round(filled, 1), "runs": runs,
                **{name: _summary(values) for name, values in
                   (("follow_ms", follow), ("reopen_ms", reopen), ("found_ms", found))}}
    finally:
        writer.close()
        node_b.close()


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50": round(1000 * statistics.median(ordered), 1),
            "p95": round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
            "max": round(1000 * ordered[-1], 1)}


def main() -> None:
    """Measure each size, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    stores = None
    if args.database == "postgresql":
        from tests.support.databases import open_stores

        stores = open_stores("postgresql")
    results = []
    try:
        for size in args.sizes:
            with tempfile.TemporaryDirectory(prefix="hub-follow-") as tmp:
                home = Path(tmp)
                url = stores.new_url(home) if stores else sqlite_url(home / "hub.sqlite3")
                results.append(measure(size, args.runs, url, home))
                if stores:
                    stores.drop(url)
            if not args.json:
                r = results[-1]
                print(f"{size:,} items ({args.database}; store filled in {r['fill_seconds']} s), "
                      f"{args.runs} one-item edits, ms:")
                for name in ("follow_ms", "reopen_ms", "found_ms"):
                    s = r[name]
                    print(f"  {name[:-3]:<7} p50 {s['p50']:8.1f}  p95 {s['p95']:8.1f}  "
                          f"max {s['max']:8.1f}")
    finally:
        if stores:
            stores.close()
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
