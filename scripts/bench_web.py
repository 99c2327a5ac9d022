#!/usr/bin/env python3
"""Benchmark the web front end: server-side p50/p95 of the results page and the item page.

Builds a store of --documents synthetic items (300-3,000 words, real taxonomy tags; every
tenth a report with three sections), rebuilds the search index and the related model, then
times requests in process through Flask's test client (server-side time: routing, queries,
templates) and, bounded in count, over loopback through waitress. The baseline in the same
run is /robots.txt, the cheapest route: what every request costs before any work of ours.
Target: p95 under 100 ms for both pages at 10,000 documents.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.config import DEFAULT_CONTENT_DIR, Settings, sqlite_url  # noqa: E402
from hub.corpus import Corpus  # noqa: E402
from hub.indexing.document import ParsedDocument, TagMatch  # noqa: E402
from hub.indexing.text import text_to_html  # noqa: E402
from hub.store import queries  # noqa: E402
from hub.store.database import transaction  # noqa: E402
from hub.store.writing import save_document  # noqa: E402


def _bench_search():
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "scripts/bench_search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic(number: int, rng: random.Random, taxonomy, words) -> ParsedDocument:
    """One synthetic item with real theme and place tags (regions added as the tagger would)."""
    themes = rng.sample(sorted(taxonomy.themes), rng.randint(1, 3))
    places = rng.sample(sorted(p for p in taxonomy.places if taxonomy.places[p].kind != "region"), 2)
    tags = [TagMatch("theme", t, ["bench"]) for t in themes]
    for place in places:
        tags.append(TagMatch("place", place, ["bench"]))
        tags.extend(TagMatch("place", a.slug, ["bench"], inferred=True)
                    for a in taxonomy.ancestors(place))
    text = words.body_of(number)
    kind = "report" if number % 10 == 0 else rng.choice(["article", "guide", "case_study"])
    doc = ParsedDocument(title=f"Item {number}: {text[:60]}", type=kind, text=text,
                         html=text_to_html(text), origin=f"bench/{number}.txt", key=f"bench:{number}",
                         tags=tags)
    if kind == "report":
        doc.children = [ParsedDocument(title=f"Section {number}.{i}", type="section",
                                       text=words.body_of(number * 7 + i), origin=doc.origin,
                                       anchor=f"s-{i}", number=str(i), page_start=i * 3,
                                       page_end=i * 3 + 2, tags=tags[:2]) for i in range(1, 4)]
    return doc


def build(home: Path, count: int) -> tuple[Settings, list[int]]:
    """A store of synthetic items with its search index and related model; the item ids."""
    settings = Settings(home=home, database_url=sqlite_url(home / "hub.sqlite3"),
                        content_dir=DEFAULT_CONTENT_DIR)
    corpus = Corpus(settings)
    words, rng = _bench_search(), random.Random(11)
    docs = (synthetic(n, rng, corpus.taxonomy, words) for n in range(count))
    batch: list[ParsedDocument] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == 500:
            _store(corpus, batch)
            batch = []
    _store(corpus, batch)
    start = time.perf_counter()
    corpus.search.rebuild()
    print(f"  search index rebuilt in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    corpus.refresh_caches()
    print(f"  caches refreshed (related model) in {time.perf_counter() - start:.1f} s")
    with corpus.session() as session:
        ids = [item.id for item in queries.all_items(session)]
    corpus.close()
    return settings, ids


def _store(corpus: Corpus, batch: list[ParsedDocument]) -> None:
    with transaction(corpus.sessions) as session:
        for doc in batch:
            save_document(session, doc)


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(seconds)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def timed(get, paths: list[str]) -> list[float]:
    """Seconds per request, failing loudly on anything but 200."""
    durations = []
    for path in paths:
        start = time.perf_counter()
        status = get(path)
        durations.append(time.perf_counter() - start)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
    return durations


def workloads(ids: list[int], queries: list[str], requests: int, rng: random.Random) -> dict:
    """The request paths of each workload."""
    return {
        "baseline /robots.txt": ["/robots.txt"] * requests,
        "results page": [f"/search?q={urllib.request.quote(rng.choice(queries))}"
                         + (f"&theme={rng.choice(['worklessness', 'data-sharing'])}"
                            if rng.random() < 0.3 else "")
                         for _ in range(requests)],
        "item page": [f"/items/{rng.choice(ids)}" for _ in range(requests)],
    }


def report(name: str, results: dict[str, list[float]]) -> None:
    """Print p50/p95 per workload, with the ratio to the baseline's p50."""
    base = percentiles(results["baseline /robots.txt"])[0]
    print(f"  {name}:")
    for workload, durations in results.items():
        p50, p95 = percentiles(durations)
        print(f"    {workload:<22} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
              f"({p50 / base:5.1f}x baseline p50)")


def over_loopback(app, paths: dict[str, list[str]]) -> dict[str, list[float]]:
    """The same workloads through waitress on 127.0.0.1, one client, bounded in count."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    def get(path: str) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            response.read()
            return response.status

    try:
        return {name: timed(get, p) for name, p in paths.items()}
    finally:
        server.task_dispatcher.shutdown()  # let the workers finish before the sockets close
        server.close()


def main() -> None:
    """Build the corpus, then time both pages in process and over loopback."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--loopback-requests", type=int, default=100)
    args = parser.parse_args()
    from hub.web import create_app

    with tempfile.TemporaryDirectory() as tmp:
        print(f"building {args.documents} synthetic documents ...")
        settings, ids = build(Path(tmp) / "instance", args.documents)
        app = create_app({"HUB_SETTINGS": settings})
        client = app.test_client()
        rng = random.Random(5)
        queries = _bench_search().queries(60)
        paths = workloads(ids, queries, args.requests, rng)
        timed(lambda p: client.get(p).status_code, [p for ps in paths.values() for p in ps[:20]])
        report("server side (in process)",
               {name: timed(lambda p: client.get(p).status_code, p) for name, p in paths.items()})
        short = {name: p[: args.loopback_requests] for name, p in paths.items()}
        report("over loopback (waitress, one client)", over_loopback(app, short))
        app.extensions["hub.corpus"].close()


if __name__ == "__main__":
    main()
