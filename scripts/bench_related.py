#!/usr/bin/env python3
"""Benchmark related items: fit time, memory and top-5 latency at 10,000 and 100,000 documents.

Synthetic documents: a Zipf-distributed background vocabulary of made-up words plus the words
of one or two of 300 topics, 150-600 words each; one document in five is a section of a
ten-section report, so exclusions and the per-report cap do real work. Each size runs in a
child process of its own (so peak RSS is that size's), several times; medians are printed.

Latency for one item's top 5, p50/p95 over many items:
  stored     hub.recommend.related_to_item (precomputed neighbours, plus reasons)
  sparse     a live top-k: one product with the pre-transposed CSR matrix, exclusions, lift,
             diversity (what a free-text query or a refresh costs)
  baseline   cosine of the item against the whole matrix (sklearn linear_kernel on the
             L2-normalised rows: a dense row of n scores, the matrix transposed per call)
             and an argpartition: no exclusions, lift or diversity
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TOPICS = 300
VOCABULARY = 30_000
SAMPLE_ROWS = 300  # rows whose exact neighbours are computed at every size
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gu", "fi", "ho", "ze",
             "ba", "co", "li", "mo", "nu", "ra", "so", "te", "vi", "wa"]


def make_words(count: int, rng: np.random.Generator) -> list[str]:
    """Distinct pronounceable made-up words of two to four syllables."""
    words: set[str] = set()
    while len(words) < count:
        parts = rng.integers(0, len(SYLLABLES), size=(count, 4))
        lengths = rng.integers(2, 5, size=count)
        words.update("".join(SYLLABLES[p] for p in row[:n]) for row, n in zip(parts, lengths,
                                                                              strict=True))
    return sorted(words)[:count]


def make_records(size: int, seed: int = 7):
    """Synthetic Records: background Zipf words plus topic words; some grouped in reports."""
    from hub.recommend import Record

    rng = np.random.default_rng(seed)
    words = np.array(make_words(VOCABULARY, rng))
    topic_words = [rng.choice(VOCABULARY, 80, replace=False) for _ in range(TOPICS)]
    zipf = 1 / np.arange(1, VOCABULARY + 1) ** 1.05
    zipf /= zipf.sum()
    records, report = [], None
    for i in range(1, size + 1):
        topics = rng.choice(TOPICS, rng.integers(1, 3), replace=False)
        length = int(rng.integers(150, 600))
        background = rng.choice(VOCABULARY, int(length * 0.7), p=zipf)
        focus = np.concatenate([rng.choice(topic_words[t], length // (3 * len(topics)))
                                for t in topics])
        tokens = np.concatenate([background, focus])
        rng.shuffle(tokens)
        text = " ".join(words[tokens])
        if i % 50 == 1:
            report = i  # a report; its next ten items are its sections
        ancestors = (report,) if report and 1 < i - report <= 10 else ()
        records.append(Record(i, " ".join(words[rng.choice(topic_words[topics[0]], 4)]), text,
                              "section" if ancestors else "article",
                              tuple(f"theme-{t % 15}" for t in topics), ancestors, f"k{i}",
                              f"s{i}"))
    return records


def recall(found: np.ndarray, exact: np.ndarray) -> float:
    """Recall of neighbour lists against the exact ones: the share of exact neighbours found."""
    hits = total = 0
    for got, want in zip(found, exact, strict=True):
        want = set(want[want >= 0].tolist())
        total += len(want)
        hits += len(want & set(got[got >= 0].tolist()))
    return hits / total if total else 1.0


def recall_of_sample(model, rows: int) -> float:
    """Recall of the fitted neighbours of evenly spaced rows against their exact ones (exact
    for a few rows is cheap at any size, so this checks the large-corpus way where it runs)."""
    from hub.recommend.model import DEPTH
    from hub.recommend.rank import rank_rows

    live = np.flatnonzero(model.alive)
    chosen = live[:: max(1, len(live) // rows)][:rows]
    exact = np.full((len(chosen), DEPTH), -1, np.int64)
    for i, (_row, picks) in enumerate(rank_rows(model, chosen, DEPTH)):
        exact[i, :len(picks)] = [other for other, _ in picks]
    return recall(model.neighbours[chosen], exact)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ms = np.array(samples) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def time_each(function, items) -> list[float]:
    """Seconds per call, one call per item."""
    samples = []
    for item in items:
        start = time.perf_counter()
        function(item)
        samples.append(time.perf_counter() - start)
    return samples


def one_run(size: int, queries: int) -> dict:
    """Fit, memory and latencies for one corpus size (run in a fresh process)."""
    from sklearn.metrics.pairwise import linear_kernel

    from hub import recommend
    from hub.recommend.neighbours import APPROXIMATE_FROM, store_all
    from hub.recommend.rank import item_query, ranked, scores, store_neighbours

    records = make_records(size)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    model = recommend.fit(records)
    fit_seconds = time.perf_counter() - start
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if size < APPROXIMATE_FROM:  # fitted exactly: how near the large-corpus way comes to it
        exact = model.neighbours.copy()
        store_all(model, approximate_from=0)
        found_recall = recall(model.neighbours, exact)
        store_neighbours(model, np.flatnonzero(model.alive))
    else:
        found_recall = None  # the exact neighbours of every row would take hours
    sample_recall = recall_of_sample(model, SAMPLE_ROWS)
    rng = np.random.default_rng(1)
    sample = [int(i) for i in rng.choice([r.id for r in records], queries, replace=False)]
    rows = [model.rows[i] for i in sample]

    def live(row):
        found = scores(model, model.matrix[row])
        return ranked(model, (found.indices, found.data), item_query(model, row), 5)

    def baseline(row):
        cosines = linear_kernel(model.matrix[row], model.matrix).ravel()
        cosines[row] = -1
        top = np.argpartition(-cosines, 5)[:5]
        return top[np.argsort(-cosines[top])]

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        recommend.save(model, Path(folder))
        save_seconds = time.perf_counter() - start
        disk_mb = sum(f.stat().st_size for f in Path(folder).iterdir()) / 2**20
        start = time.perf_counter()
        recommend.load(Path(folder))
        load_seconds = time.perf_counter() - start
    return {
        "size": size, "fit_s": fit_seconds, "save_s": save_seconds, "load_s": load_seconds,
        "disk_mb": disk_mb, "terms": model.matrix.shape[1],
        "nnz": int(model.matrix.nnz), "rss_before_mb": rss_before / 1024,
        "rss_peak_mb": rss_peak / 1024, "recall": found_recall, "sample_recall": sample_recall,
        "stored": percentiles(time_each(lambda i: recommend.related_to_item(model, i, 5), sample)),
        "sparse": percentiles(time_each(live, rows)),
        "baseline": percentiles(time_each(baseline, rows)),
    }


def child(size: int, queries: int) -> dict:
    """One run in a fresh interpreter, so that its peak RSS is its own."""
    out = subprocess.run([sys.executable, __file__, "--child", str(size), "--queries",
                          str(queries)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict], key: str, index: int | None = None) -> float:
    """The median of one figure over runs."""
    return statistics.median(r[key][index] if index is not None else r[key] for r in runs)


def report(size: int, runs: list[dict]) -> None:
    """Print one size's medians."""
    print(f"\n{size:,} documents ({len(runs)} runs; {runs[0]['terms']:,} terms, "
          f"{runs[0]['nnz']:,} non-zeros)")
    print(f"  fit (vectorize + every row's 20 neighbours): {median_of(runs, 'fit_s'):.1f} s")
    print(f"  on disk: {median_of(runs, 'disk_mb'):.0f} MB, saved in {median_of(runs, 'save_s'):.1f} s, "
          f"loaded in {median_of(runs, 'load_s'):.1f} s")
    if runs[0]["recall"] is not None:
        print(f"  recall@20 of the large-corpus neighbours against the exact ones: "
              f"{median_of(runs, 'recall'):.4f}")
    print(f"  recall@20 of the fitted neighbours of {SAMPLE_ROWS} rows against their exact ones: "
          f"{median_of(runs, 'sample_recall'):.4f}")
    print(f"  peak RSS: {median_of(runs, 'rss_peak_mb'):.0f} MB "
          f"(corpus alone {median_of(runs, 'rss_before_mb'):.0f} MB)")
    base = median_of(runs, "baseline", 0)
    for name in ("stored", "sparse", "baseline"):
        p50, p95 = median_of(runs, name, 0), median_of(runs, name, 1)
        print(f"  top-5 {name:<9} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
              f"({base / p50:5.1f}x faster than the baseline at p50)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=500, help="items timed per run")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.child, args.queries)))
        return
    for size in args.sizes:
        report(size, [child(size, args.queries) for _ in range(args.runs)])
        sys.stdout.flush()


if __name__ == "__main__":
    main()
