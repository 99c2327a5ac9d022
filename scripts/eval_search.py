#!/usr/bin/env python3
"""Relevance harness: nDCG@10, MAP and recall@100 of the hub's search, beside two BM25 floors.

Every collection ../shared/eval/ir/check_ir.py names in its COLLECTIONS whose folder is present
(read at run time, with that file's own loaders) is indexed with the hub's own analyzer, ranking
and query parser; the seeds are ingested into a temporary store and judged against
tests/relevance/seeds.yml. Two floors, each ranked to the same depth and scored by the same
metrics as the hub:
  plain BM25    check_ir.py's own (k1 1.2, b 0.75, small stop list, no stemming)
  stemmed BM25  the bm25s package: Snowball English stemmer (PyStemmer), English stop words,
                k1 1.2, b 0.75 (Lucene's idf): the standard a search engine should beat

    python scripts/eval_search.py                     # every collection present, and the seeds
    python scripts/eval_search.py cranfield --analyzer porter
    python scripts/eval_search.py --json              # per collection: hub and both floors
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
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
METRICS = ("nDCG@10", "MAP", "R@100")


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


def collections(shared: Path) -> list[str]:
    """The collections check_ir.py names whose folder is present, in its order."""
    names = _check_ir(shared).COLLECTIONS
    return [name for name in names if (shared / "eval" / "ir" / name).is_dir()]


def load_collection(shared: Path, name: str):
    """(docs, queries, qrels) by check_ir.py's own loader for the collection."""
    loader = _check_ir(shared).COLLECTIONS[name][0]
    return loader(str(shared / "eval" / "ir" / name))


def floor(shared: Path, name: str) -> dict[str, float]:
    """The plain-BM25 floor: check_ir.py's own BM25, to this harness's depth and metrics."""
    docs, queries, qrels = load_collection(shared, name)
    run = _check_ir(shared).bm25_run(docs, {q: queries[q] for q in qrels if q in queries},
                                     depth=DEPTH)
    return metrics(run, qrels)


def stemmed_floor(shared: Path, name: str) -> dict[str, float]:
    """The stemmed-BM25 floor: bm25s with the Snowball English stemmer and English stop words."""
    import bm25s
    import Stemmer

    docs, queries, qrels = load_collection(shared, name)
    ids = list(docs)
    stemmer = Stemmer.Stemmer("english")

    def tokens(texts):
        return bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)

    retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    retriever.index(tokens([f"{docs[i]['title']} {docs[i]['text']}" for i in ids]),
                    show_progress=False)
    asked = [q for q in qrels if q in queries]
    found, _ = retriever.retrieve(tokens([queries[q] for q in asked]),
                                  k=min(DEPTH, len(ids)), show_progress=False)
    return metrics({q: [ids[j] for j in row] for q, row in zip(asked, found, strict=True)}, qrels)


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
    docs, queries, qrels = load_collection(shared, name)
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
    return f"  {label:<22}" + "  ".join(f"{k} {figures[k]:.3f}" for k in METRICS)


def compare(name: str, shared: Path, analyzer: str = DEFAULT_ANALYZER) -> dict[str, dict]:
    """The hub's figures on one collection beside both floors."""
    return {"hub": evaluate_collection(name, shared, analyzer),
            "plain_bm25": floor(shared, name), "stemmed_bm25": stemmed_floor(shared, name)}


def main(argv: list[str] | None = None) -> int:
    """Print the hub's figures beside both floors for each collection asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collections", nargs="*",
                        help="what to evaluate: the collections present, seeds (default: all)")
    parser.add_argument("--analyzer", default=DEFAULT_ANALYZER, choices=sorted(STEMMERS))
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: per collection, the hub and both floors")
    args = parser.parse_args(argv)
    shared = shared_dir()
    present = collections(shared)
    unknown = set(args.collections) - {*present, "seeds"}
    if unknown:
        parser.error(f"unknown or absent collection {sorted(unknown)[0]!r} "
                     f"(present: {', '.join(present)})")
    names = args.collections or [*present, "seeds"]
    if args.json:
        out = {name: compare(name, shared, args.analyzer) for name in names if name != "seeds"}
        if "seeds" in names:
            out["seeds"] = {"hub": evaluate_seeds(shared)}
        print(json.dumps(out, indent=2))
        return 0
    for name in names:
        started = time.perf_counter()
        if name == "seeds":
            figures = evaluate_seeds(shared)
            print(f"seeds ({figures['queries']} queries, tests/relevance/seeds.yml)")
            print(_line("hub", figures))
            continue
        found = compare(name, shared, args.analyzer)
        seconds = time.perf_counter() - started
        print(f"{name} ({found['hub']['queries']} judged queries, analyzer {args.analyzer}, "
              f"{seconds:.1f} s)")
        for label, key in (("hub", "hub"), ("plain BM25 floor", "plain_bm25"),
                           ("stemmed BM25 floor", "stemmed_bm25")):
            print(_line(label, found[key]))
        print("  margin over stemmed   " + "  ".join(
            f"{k} {found['hub'][k] - found['stemmed_bm25'][k]:+.3f}" for k in METRICS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
