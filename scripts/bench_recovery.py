#!/usr/bin/env python3
"""Benchmark recovery from a damaged search index: how long until search answers again.

Stores N items (default 10,000), indexes them, truncates the live generation's table of
contents, then times (medians of several runs) how long the writer's next refresh (what
`hub serve`'s cache worker runs every 2 s) takes to rebuild a new generation, and checks
that search then answers with every item.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import time
from pathlib import Path

from hub.config import Settings, sqlite_url
from hub.corpus import Corpus
from hub.search.base import SearchError, SearchRequest
from hub.store.database import transaction
from hub.store.models import Item


def populate(corpus: Corpus, total: int) -> None:
    """N published articles with a few words each."""
    with transaction(corpus.sessions) as session:
        for n in range(total):
            title = f"Council pooled budgets {n}"
            digest = hashlib.sha256(title.encode()).hexdigest()
            session.add(Item(key=f"bench:{n}", fingerprint=digest, title_key=title.lower(),
                             type="article", status="published", title=title,
                             summary="Pooled budgets.", body_text=f"{title}. Partners shared "
                             "services and saved money across the area.",
                             content_hash=digest, primary_origin="bench"))


def damage(index_dir: Path) -> None:
    """Truncate the live generation's table of contents."""
    generation = index_dir / (index_dir / "CURRENT").read_text().strip()
    toc = max(generation.glob("*.toc"), key=lambda p: p.stat().st_size)
    toc.write_bytes(toc.read_bytes()[:20])


def one_run(total: int) -> float:
    """Seconds from a damaged index to search answering again, in a fresh process state."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        settings = Settings(home=home, database_url=sqlite_url(home / "hub.sqlite3"))
        corpus = Corpus(settings)
        populate(corpus, total)
        corpus.search.rebuild()
        corpus.close()
        damage(settings.index_dir)
        corpus = Corpus(settings)
        try:
            corpus.search.search(SearchRequest(query="council"))
            raise SystemExit("the damaged index was still readable")
        except SearchError:
            pass
        started = time.monotonic()
        corpus.refresh_caches()
        found = corpus.search.search(SearchRequest(query="council", per_page=1))
        elapsed = time.monotonic() - started
        assert found["total"] == total, found["total"]
        corpus.close()
        return elapsed


def main() -> None:
    """Print the median time to recover at each size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = [one_run(args.size) for _ in range(args.runs)]
    print(f"{args.size:,} items: damaged index to search answering again, median of "
          f"{args.runs} runs: {statistics.median(times):.1f} s "
          f"(runs: {', '.join(f'{t:.1f}' for t in times)})")


if __name__ == "__main__":
    main()
