#!/usr/bin/env python3
"""Relevance harness: nDCG@10, MAP and recall@100 of the hub's search, beside the BM25 floor.

Cranfield and CISI (../shared/eval/ir, read at run time) are indexed with the hub's own
analyzer, ranking and query parser; the seeds are ingested into a temporary store and judged
against tests/relevance/seeds.yml. The plain-BM25 floor is read from ../shared/eval/README.md.

    python scripts/eval_search.py                     # cranfield, cisi and the seeds
    python scripts/eval_search.py cranfield --analyzer porter
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import re
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.config import DEFAULT_CONTENT_DIR, PROJECT_DIR, Settings, sqlite_url  # noqa: E402
from hub.search.analysis import DEFAULT_ANALYZER, STEMMERS  # noqa: E402
from hub.search.base import IndexDocument, SearchRequest  # noqa: E402
from hub.search.whoosh.backend import WhooshBackend  # noqa: E402
from hub.store import queries  # noqa: E402

DEPTH = 100  # results per query scored (MAP is therefore MAP@100, a little under MAP@1000)
SEED_JUDGEMENTS = ROOT / "tests" / "relevance" / "seeds.yml"
COLLECTIONS = ("cranfield", "cisi")


def shared_dir() -> Path:
    """../shared (or $HUB_SHARED_DIR)."""
    import os

    for candidate in filter(None, [os.environ.get("HUB_SHARED_DIR"),
                                   PROJECT_DIR.parent / "shared", "/work/shared"]):
        if (Path(candidate) / "eval" / "ir").is_dir():
            return Path(candidate)
    raise SystemExit("../shared/eval/ir not found; set HUB_SHARED_DIR")


def _check_ir(shared: Path):
    spec = importlib.util.spec_from_file_location("check_ir", shared / "eval/ir/check_ir.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def floor(shared: Path, name: str) -> dict[str, float]:
    """The plain-BM25 figures the eval README gives for a collection."""
    readme = (shared / "eval" / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"{name}\s+nDCG@10\s+(\d+\.\d+),\s*MAP\s+(\d+\.\d+),\s*R@100\s+(\d+\.\d+)",
                      readme, re.IGNORECASE)
    if not match:
        raise SystemExit(f"{shared}/eval/README.md: no BM25 floor for {name}")
    return dict(zip(("nDCG@10", "MAP", "R@100"), map(float, match.groups()), strict=True))


def metrics(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean nDCG@10 (graded gains 2^g - 1), average precision and recall@100."""
    ndcg, ap, recall = [], [], []
    for query, judged in qrels.items():
        relevant = {d for d, g in judged.items() if g > 0}
        if not relevant:
            continue
        ranked = run.get(query, [])
        dcg = sum((2 ** judged.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
        ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:10]
        ndcg.append(dcg / sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal)))
        hits, precision_sum = 0, 0.0
        for i, d in enumerate(ranked):
            if d in relevant:
                hits += 1
                precision_sum += hits / (i + 1)
        ap.append(precision_sum / len(relevant))
        recall.append(len(relevant & set(ranked[:100])) / len(relevant))
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
    return {"nDCG@10": mean(ndcg), "MAP": mean(ap), "R@100": mean(recall), "queries": len(ndcg)}


def ranked_ids(backend, text: str) -> list[str]:
    """The ids the hub ranks for a query, best first, to DEPTH."""
    request = SearchRequest(query=text, per_page=DEPTH, facets=False, highlight=False,
                            suggest=False)
    return [hit.id for hit in backend.search(request).hits]


def evaluate_collection(name: str, shared: Path, analyzer: str = DEFAULT_ANALYZER,
                        weights: dict | None = None) -> dict[str, float]:
    """Index one IR collection in memory with the hub's search and score its judged queries."""
    loader = getattr(_check_ir(shared), f"load_{name}")
    docs, queries, qrels = loader(str(shared / "eval" / "ir" / name))
    backend = WhooshBackend(None, analyzer=analyzer, weights=weights)
    backend.rebuild(IndexDocument(id=i, title=d["title"], type="article", body=d["text"])
                    for i, d in docs.items())
    run = {q: ranked_ids(backend, queries[q]) for q in qrels if q in queries}
    backend.close()
    return metrics(run, qrels)


def evaluate_seeds(shared: Path) -> dict[str, float]:
    """Ingest the seeds into a temporary store and score tests/relevance/seeds.yml."""
    from hub.corpus import Corpus

    judgements = yaml.safe_load(SEED_JUDGEMENTS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as home:
        corpus = Corpus(Settings(Path(home), sqlite_url(Path(home) / "hub.sqlite3"),
                                 DEFAULT_CONTENT_DIR))
        corpus.ingest(sorted((shared / "seeds").glob("[0-9]*.txt")))
        with corpus.session() as session:
            ids = {item.title: str(item.id) for item in queries.all_items(session)}
        backend = corpus.search.backend
        run, qrels = {}, {}
        for number, entry in enumerate(judgements, 1):
            key = str(number)
            run[key] = ranked_ids(backend, entry["query"])
            # A judged title the store lacks (a report not yet split) still counts as missed.
            qrels[key] = {ids.get(title, f"missing:{title}"): grade
                          for title, grade in entry["relevant"].items()}
        corpus.close()
    return metrics(run, qrels)


def _line(label: str, figures: dict[str, float]) -> str:
    return f"  {label:<22}" + "  ".join(f"{k} {figures[k]:.3f}" for k in ("nDCG@10", "MAP", "R@100"))


def main(argv: list[str] | None = None) -> int:
    """Print the hub's figures beside the floor for each collection asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collections", nargs="*",
                        help=f"what to evaluate: {', '.join(COLLECTIONS)}, seeds (default: all)")
    parser.add_argument("--analyzer", default=DEFAULT_ANALYZER, choices=sorted(STEMMERS))
    args = parser.parse_args(argv)
    unknown = set(args.collections) - {*COLLECTIONS, "seeds"}
    if unknown:
        parser.error(f"unknown collection {sorted(unknown)[0]!r}")
    shared = shared_dir()
    for name in args.collections or [*COLLECTIONS, "seeds"]:
        started = time.perf_counter()
        if name == "seeds":
            figures = evaluate_seeds(shared)
            print(f"seeds ({figures['queries']} queries, tests/relevance/seeds.yml)")
            print(_line("hub", figures))
            continue
        figures = evaluate_collection(name, shared, args.analyzer)
        base = floor(shared, name)
        seconds = time.perf_counter() - started
        print(f"{name} ({figures['queries']} judged queries, analyzer {args.analyzer}, "
              f"{seconds:.1f} s)")
        print(_line("hub", figures))
        print(_line("plain BM25 floor", base))
        print("  margin                " + "  ".join(
            f"{k} {figures[k] - base[k]:+.3f}" for k in ("nDCG@10", "MAP", "R@100")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
