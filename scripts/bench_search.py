#!/usr/bin/env python3
"""Benchmark search: index build rate and query latency, beside plain Whoosh defaults.

For each size (--sizes, default 10,000 and 100,000) a synthetic corpus of documents of
300-3,000 words (Zipf-distributed words, taxonomy facets) is generated directly as
IndexDocuments and indexed twice: by the hub's backend (its rebuild) and by a plain Whoosh
index (default analyzer, default writer, QueryParser, groupedby facets, hit.highlights,
correct_query) as the baseline. The same queries then run against both: plain search, search
with facets, and the full results page (facets + highlights + suggestion); p50 and p95 are
printed, and the hostile queries' latency on --hostile-size documents. The hub's searcher is
also timed reopening, and the full page on the fresh searcher (its caches empty), as a web
worker sees it after each index change.
Targets: full page p95 < 60 ms at 10,000 and < 250 ms at 100,000; indexing >= 2x the default.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.config import DEFAULT_CONTENT_DIR  # noqa: E402
from hub.search.base import IndexDocument, SearchRequest  # noqa: E402
from hub.search.whoosh.backend import WhooshBackend  # noqa: E402
from hub.vocabulary.taxonomy import load_taxonomy  # noqa: E402

VOCABULARY_SIZE = 30_000
DOMAIN_WORDS = ["council", "partnership", "residents", "service", "pilot", "officers", "budget", "evidence", "programme", "review", "support", "families", "advisers", "referral", "outcomes", "project", "community", "health", "housing", "worklessness", "employment", "skills", "data", "sharing", "customer", "insight", "performance", "benchmarking", "shared", "services", "value", "money", "neighbourhood", "locality", "offenders", "probation", "young", "people", "efficiency", "savings", "evaluation", "spend", "analysis", "commissioning", "transformation", "safeguarding", "homelessness", "carers", "schools"]
THEMES = [f"theme-{i}" for i in range(15)]
PLACES = [f"place-{i}" for i in range(400)]
REGIONS = [f"region-{i}" for i in range(9)]
ORGANISATIONS = [f"org-{i}" for i in range(90)]
TYPES = ["article", "guide", "report", "section", "case_study"]
HOSTILE = ["*a*", "?????", "[a TO z]", "customer " * 1100, " OR ".join(["council"] * 1000),
           '"unbalanced quote', "((( brackets ]]", "year:1990..", "a" * 400]


@lru_cache(maxsize=1)
def vocabulary() -> np.ndarray:
    """Domain words among the commoner ranks, then made-up words of two to four syllables."""
    rng = np.random.default_rng(7)
    syllables = [c + v for c in "bcdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
    words: list[str] = []
    seen = set(DOMAIN_WORDS)
    while len(words) < VOCABULARY_SIZE - len(DOMAIN_WORDS):
        word = "".join(rng.choice(syllables, size=rng.integers(2, 5)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    for rank, word in enumerate(DOMAIN_WORDS):
        words.insert(40 + rank * 30, word)
    return np.array(words)


@lru_cache(maxsize=1)
def probabilities() -> np.ndarray:
    """Zipf's law over the vocabulary's ranks."""
    weights = 1.0 / np.arange(1, VOCABULARY_SIZE + 1)
    return weights / weights.sum()


def words(rng, count: int) -> str:
    """Some words drawn by Zipf's law."""
    return " ".join(vocabulary()[rng.choice(VOCABULARY_SIZE, size=count, p=probabilities())])


def body_of(number: int) -> str:
    """The body of synthetic document `number` (regenerated on demand, never held)."""
    rng = np.random.default_rng(number)
    length = int(rng.integers(300, 3001))
    paragraphs = [words(rng, 150) for _ in range(length // 150)]
    return ".\n\n".join(paragraphs + [words(rng, length % 150 or 1)])


def document(number: int) -> IndexDocument:
    """Synthetic document `number` with facets like the hub's."""
    rng = np.random.default_rng(10_000_000 + number)
    places = list(rng.choice(PLACES, size=rng.integers(0, 4), replace=False))
    return IndexDocument(
        id=str(number), title=words(rng, int(rng.integers(4, 11))).capitalize(),
        type=str(rng.choice(TYPES)), body=body_of(number),
        summary="", themes=tuple(rng.choice(THEMES, size=rng.integers(1, 4), replace=False)),
        places=tuple(places + [REGIONS[hash(p) % 9] for p in places]),
        organisations=tuple(rng.choice(ORGANISATIONS, size=rng.integers(0, 3), replace=False)),
        date=f"{rng.integers(2000, 2016)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}")


# Queries as practitioners type them, naming themes of the bundled vocabulary, so the
# themes' other words (hub.search.query.Concepts) are part of what is timed.
EVERYDAY = ["customer insight", "reducing worklessness", "data sharing between police and council",
            "shared services", "neighbourhood working evaluation", "value for money housing"]


def queries(count: int = 60) -> list[str]:
    """One to three words of middling frequency (every fifth has a typo), then EVERYDAY."""
    rng = np.random.default_rng(99)
    found = []
    for number in range(count):
        picked = [str(w) for w in vocabulary()[rng.integers(30, 3000, size=rng.integers(1, 4))]]
        if number % 5 == 4:
            picked[0] = picked[0][:2] + picked[0][3:]
        found.append(" ".join(picked))
    return found + EVERYDAY


def percentiles(seconds: list[float]) -> str:
    """p50 and p95 in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    return f"p50 {statistics.median(ms):7.1f} ms  p95 {ms[int(0.95 * (len(ms) - 1))]:7.1f} ms"


def timed(function, items) -> list[float]:
    """Seconds taken by function(item) for each item."""
    found = []
    for item in items:
        started = time.perf_counter()
        function(item)
        found.append(time.perf_counter() - started)
    return found


# --- the baseline: plain Whoosh defaults ----------------------------------------------------


class PlainWhoosh:
    """Whoosh as its tutorial sets it up: default analyzer, writer, parser and facets."""

    def __init__(self, folder: Path):
        from whoosh import fields, index

        schema = fields.Schema(
            id=fields.ID(stored=True, unique=True), title=fields.TEXT(stored=True),
            body=fields.TEXT(), theme=fields.KEYWORD(commas=True), place=fields.KEYWORD(commas=True),
            type=fields.ID(), organisation=fields.KEYWORD(commas=True), year=fields.ID())
        self.index = index.create_in(str(folder), schema)
        self.searcher = None

    def build(self, docs: list[IndexDocument]) -> None:
        """Index every document with the default writer and one commit."""
        writer = self.index.writer()
        for doc in docs:
            writer.add_document(
                id=doc.id, title=doc.title, body=doc.body, theme=",".join(doc.themes),
                place=",".join(doc.places), type=doc.type,
                organisation=",".join(doc.organisations), year=doc.year)
        writer.commit()
        from whoosh.qparser import QueryParser

        self.searcher = self.index.searcher()
        self.parser = QueryParser("body", self.index.schema)

    def search(self, text: str, mode: str, docs: list[IndexDocument]) -> None:
        """One results page: plain, with facets, or full (facets, highlights, suggestion)."""
        from whoosh import sorting

        query = self.parser.parse(text)
        facets = None
        if mode != "plain":
            facets = {name: sorting.FieldFacet(name, allow_overlap=name not in ("type", "year"))
                      for name in ("theme", "place", "type", "organisation", "year")}
        results = self.searcher.search(query, limit=10, groupedby=facets)
        len(results)
        if facets:
            for name in facets:
                results.groups(name)
        if mode == "full":
            for hit in results:
                hit.highlights("body", text=docs[int(hit["id"])].body)
            self.searcher.correct_query(query, text)


# --- the hub ---------------------------------------------------------------------------------


def hub_backend(folder: Path, docs: list[IndexDocument]) -> WhooshBackend:
    """The hub's backend over a folder, reading snippet text from the documents in memory,
    with the bundled vocabulary's synonyms and themes as the hub builds it."""
    taxonomy = load_taxonomy(DEFAULT_CONTENT_DIR / "taxonomy")
    return WhooshBackend(folder, synonyms=taxonomy.synonyms, concepts=taxonomy.concepts(),
                         text_source=lambda ids: {i: docs[int(i)].body for i in ids})


def hub_search(backend: WhooshBackend, text: str, mode: str) -> None:
    """One results page from the hub's backend, in the given mode."""
    full = mode == "full"
    backend.search(SearchRequest(text, facets=mode != "plain", highlight=full, suggest=full))


def latency(function, texts: list[str], repeat: int) -> list[float]:
    """Per query, the median of `repeat` timed runs (after one warm-up run)."""
    for text in texts:
        function(text)
    runs = [timed(function, texts) for _ in range(repeat)]
    return [statistics.median(per_query) for per_query in zip(*runs, strict=True)]


def bench_size(size: int, repeat: int, workdir: Path, baseline: bool = True) -> None:
    """Build both indexes over `size` documents and time the queries on each."""
    started = time.perf_counter()
    docs = [document(n) for n in range(size)]
    print(f"\n== {size:,} documents (generated in {time.perf_counter() - started:.0f} s, "
          f"{sum(len(d.body.split()) for d in docs) / size:,.0f} words on average)", flush=True)
    hub = hub_backend(_fresh(workdir / f"hub-{size}"), docs)
    hub_seconds = sum(timed(hub.rebuild, [docs]))
    hub.count()  # open the searcher and warm its facet cache, as the web app does at start
    line = f"  indexing: hub {size / hub_seconds:6.1f} docs/s"
    plain = None
    if baseline:
        plain = PlainWhoosh(_fresh(workdir / f"plain-{size}"))
        plain_seconds = sum(timed(plain.build, [docs]))
        line += (f"   whoosh default {size / plain_seconds:6.1f} docs/s   "
                 f"ratio {plain_seconds / hub_seconds:.2f}x")
    print(line, flush=True)
    texts = queries()
    # A web worker reopens its searcher after every index change; its caches start empty.
    hub.close()
    reopen = sum(timed(lambda _: hub.count(), [None]))
    cold = timed(lambda t: hub_search(hub, t, "full"), texts)
    print(f"  reopen  hub {reopen * 1000:7.0f} ms; full page on the fresh searcher "
          f"{percentiles(cold)}", flush=True)
    for mode in ("plain", "facets", "full"):
        ours = latency(lambda t, m=mode: hub_search(hub, t, m), texts, repeat)
        line = f"  {mode:<7} hub {percentiles(ours)}"
        if plain is not None:
            theirs = latency(lambda t, m=mode: plain.search(t, m, docs), texts, repeat)
            line += f"   whoosh default {percentiles(theirs)}"
        print(line, flush=True)
    hub.close()


def bench_hostile(size: int, workdir: Path) -> None:
    """The hostile queries' latency (full results page) on an index of `size` documents."""
    docs = [document(n) for n in range(size)]
    hub = hub_backend(_fresh(workdir / f"hostile-{size}"), docs)
    hub.rebuild(docs)
    print(f"\n== hostile queries on {size:,} documents (full results page)")
    for text in HOSTILE:
        seconds = statistics.median(timed(lambda t: hub_search(hub, t, "full"), [text] * 3))
        page = hub.search(SearchRequest(text))
        note = page.messages[0] if page.messages else f"{page.total} results"
        print(f"  {seconds * 1000:7.1f} ms  {text[:28]!r:<32} {note[:70]}")
    hub.close()


def _fresh(folder: Path) -> Path:
    folder.mkdir(parents=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for each size asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--hostile-size", type=int, default=20_000,
                        help="documents for the hostile-query timings (0 to skip)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query")
    parser.add_argument("--baseline-max", type=int, default=None,
                        help="build the plain-Whoosh baseline only up to this many documents")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        for size in args.sizes:
            wanted = args.baseline_max is None or size <= args.baseline_max
            bench_size(size, args.repeat, Path(folder), baseline=wanted)
        if args.hostile_size:
            bench_hostile(args.hostile_size, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
