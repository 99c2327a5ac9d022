#!/usr/bin/env python3
"""Benchmark ingestion: items per second over a synthetic corpus of web articles.

Writes N synthetic articles (half as text archive pages of ten articles, half as single HTML
pages), then times, over several runs: parsing alone (the baseline: no store), a full ingest
into a new store, and a re-ingest that finds everything unchanged. Prints medians.

--postgresql also ingests into a PostgreSQL store (a throwaway cluster of Debian's PostgreSQL,
on a Unix socket, as the tests start one) in every run, right after the SQLite ingest, and
prints PostgreSQL's time as a multiple of SQLite's (the two alternate, so load on the machine
falls on both).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support, for --postgresql

from hub.config import DEFAULT_CONTENT_DIR, Settings, sqlite_url
from hub.corpus import Corpus
from hub.indexing.loader import ParseContext, discover, parse_files
from hub.store.origins import origin_for
from hub.vocabulary.taxonomy import load_taxonomy

WORDS = ["council", "partnership", "residents", "service", "pilot", "officers", "budget", "evidence", "programme", "review", "support", "families", "advisers", "referral", "outcomes", "project", "local", "area", "team", "community", "health", "housing", "worklessness", "employment", "skills", "data", "sharing", "customer", "insight", "performance", "benchmarking", "shared", "services", "value", "for", "money", "neighbourhood", "locality", "offenders", "probation", "young", "people", "NEET", "efficiency", "savings", "evaluation", "Total", "Place", "spend", "analysis", "commissioning"]
PLACES = ["Coventry", "Kent", "Lewisham", "Bradford", "Allerdale", "Croydon", "Sheffield",
          "Cornwall", "Leeds", "Norfolk", "Durham", "Luton", "Birmingham", "Manchester"]


def paragraph(rng: random.Random, words: int) -> str:
    """A paragraph of vocabulary words, with a place and sometimes a sum of money."""
    body = " ".join(rng.choice(WORDS) for _ in range(words))
    extra = f" The work in {rng.choice(PLACES)} saved £{rng.randint(10, 900)},000 a year."
    return body.capitalize() + "." + (extra if rng.random() < 0.3 else "")


def article(rng: random.Random, number: int) -> tuple[str, str]:
    """A title and a body of 150-600 words in three to six paragraphs."""
    title = f"Article {number}: " + " ".join(rng.choice(WORDS) for _ in range(5))
    words = rng.randint(150, 600)
    count = rng.randint(3, 6)
    return title, "\n\n".join(paragraph(rng, words // count) for _ in range(count))


def write_corpus(folder: Path, total: int, seed: int = 7) -> None:
    """Half the articles in text archive pages of ten, half as single HTML pages."""
    rng = random.Random(seed)
    text_articles = total // 2
    for page in range(0, text_articles, 10):
        parts = ["Category: Synthetic", ""]
        for n in range(page, min(page + 10, text_articles)):
            title, body = article(rng, n)
            parts += [title, "", body, "", f"Permanent link to this article: https://example.org/?p={n}", ""]
        (folder / f"archive-{page:05d}.txt").write_text("\n".join(parts))
    for n in range(text_articles, total):
        title, body = article(rng, n)
        paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
        (folder / f"page-{n:05d}.html").write_text(
            f"<html><head><title>{title}</title><link rel='canonical' href='https://example.org/"
            f"?p={n}'></head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>"
            f"{paragraphs}</article><footer>Leave a Reply</footer></body></html>"
        )


def parse_only(folder: Path, context: ParseContext) -> tuple[int, float]:
    """Parse and tag every file without storing anything (the baseline)."""
    start = time.perf_counter()
    files, _ = discover([folder])
    read = parse_files([(f, origin_for(f)) for f in files], context)
    count = sum(len(list(d.walk())) for _path, _origin, docs in read for d in docs)
    return count, time.perf_counter() - start


def ingest(folder: Path, home: Path, url: str | None = None) -> tuple[int, float, float]:
    """A first ingest into a new store (SQLite in home, or url), then a re-ingest: items, and
    both durations."""
    settings = Settings(home=home, database_url=url or sqlite_url(home / "hub.sqlite3"),
                        content_dir=DEFAULT_CONTENT_DIR)
    corpus = Corpus(settings)
    start = time.perf_counter()
    first = corpus.ingest([folder])
    middle = time.perf_counter()
    again = corpus.ingest([folder])
    end = time.perf_counter()
    corpus.close()
    assert not first.errors and not again.errors, first.errors + again.errors
    return sum(first.counts.values()), middle - start, end - middle


def main() -> None:
    """Print median items per second for parsing, ingesting and re-ingesting."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgresql", action="store_true",
                        help="also ingest into PostgreSQL and compare with SQLite")
    args = parser.parse_args()
    context = ParseContext.for_taxonomy(load_taxonomy(DEFAULT_CONTENT_DIR / "taxonomy"))
    rates = {"parse only (baseline)": [], "ingest into a new store": [], "re-ingest (unchanged)": []}
    postgres = {"ingest into a new store": [], "re-ingest (unchanged)": []}
    stores = _postgres_stores() if args.postgresql else None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "corpus"
            folder.mkdir()
            write_corpus(folder, args.articles)
            for run in range(args.runs):
                parsed, parse_seconds = parse_only(folder, context)
                items, first, again = ingest(folder, Path(tmp) / f"home{run}")
                rates["parse only (baseline)"].append(parsed / parse_seconds)
                rates["ingest into a new store"].append(items / first)
                rates["re-ingest (unchanged)"].append(items / again)
                if stores is not None:
                    home = Path(tmp) / f"postgres{run}"
                    items, first, again = ingest(folder, home, stores.new_url(home))
                    postgres["ingest into a new store"].append(items / first)
                    postgres["re-ingest (unchanged)"].append(items / again)
    finally:
        if stores is not None:
            stores.close()
    baseline = statistics.median(rates["parse only (baseline)"])
    print(f"{args.articles} synthetic web articles, median of {args.runs} runs:")
    for name, values in rates.items():
        median = statistics.median(values)
        print(f"  {name:<26} {median:8.1f} items/s   ({median / baseline:.2f}x baseline)")
    for name, values in postgres.items():
        median, sqlite = statistics.median(values), statistics.median(rates[name])
        print(f"  {name + ', PostgreSQL':<26} {median:8.1f} items/s   "
              f"(takes {sqlite / median:.2f}x SQLite's time)")


def _postgres_stores():
    from tests.support.databases import open_stores

    return open_stores("postgresql")


if __name__ == "__main__":
    main()
