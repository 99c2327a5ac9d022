#!/usr/bin/env python3
"""Relevance harness: nDCG@10, MAP and recall@100 of the hub's search, beside two BM25 floors.

Every collection ../shared/eval/ir/check_ir.py names in its COLLECTIONS whose folder is present
(read at run time, with that file's own loaders) is indexed with the hub's own analyzer, ranking
and query parser. Our own judged sets are scored in a temporary store: seeds
(tests/relevance/seeds.yml, the seeds alone) and practitioner (tests/relevance/practitioner.yml,
content/ and the seeds together), each by nDCG@10, P@1 and MRR. Two floors, each ranked to the
same depth and scored by the same metrics as the hub:
  plain BM25    check_ir.py's own (k1 1.2, b 0.75, small stop list, no stemming)
  stemmed BM25  the bm25s package: Snowball English stemmer (PyStemmer), English stop words,
                k1 1.2, b 0.75 (Lucene's idf): the standard a search engine should beat

    python scripts/eval_search.py                     # every collection present, and our sets
    python scripts/eval_search.py cranfield --analyzer porter
    python scripts/eval_search.py practitioner -v     # and each query's nDCG@10, with what
                                                      # ranked above its best-graded item
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
from contextlib import contextmanager
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
PRACTITIONER_JUDGEMENTS = ROOT / "tests" / "relevance" / "practitioner.yml"
# Our judged sets: name -> (judgements, whether content/ is ingested beside the seeds).
JUDGED_SETS = {"seeds": (SEED_JUDGEMENTS, False),
               "practitioner": (PRACTITIONER_JUDGEMENTS, True)}
METRICS = ("nDCG@10", "MAP", "R@100")
JUDGED_METRICS = ("nDCG@10", "P@1", "MRR")


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


def plain_run(shared: Path, docs: dict, queries: dict[str, str]) -> dict[str, list[str]]:
    """check_ir.py's own BM25 over docs ({id: {"title", "text"}}), to this harness's depth."""
    return _check_ir(shared).bm25_run(docs, queries, depth=DEPTH)


def stemmed_run(docs: dict, queries: dict[str, str]) -> dict[str, list[str]]:
    """bm25s with the Snowball English stemmer and English stop words over docs, to DEPTH."""
    import bm25s
    import Stemmer

    ids = list(docs)
    stemmer = Stemmer.Stemmer("english")

    def tokens(texts):
        return bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)

    retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    retriever.index(tokens([f"{docs[i]['title']} {docs[i]['text']}" for i in ids]),
                    show_progress=False)
    asked = list(queries)
    found, scores = retriever.retrieve(tokens([queries[q] for q in asked]),
                                       k=min(DEPTH, len(ids)), show_progress=False)
    # A document sharing no term with the query scores 0: it is not retrieved.
    return {q: [ids[j] for j, score in zip(row, row_scores, strict=True) if score > 0]
            for q, row, row_scores in zip(asked, found, scores, strict=True)}


def floor(shared: Path, name: str) -> dict[str, float]:
    """The plain-BM25 floor: check_ir.py's own BM25, to this harness's depth and metrics."""
    docs, queries, qrels = load_collection(shared, name)
    return metrics(plain_run(shared, docs, {q: queries[q] for q in qrels if q in queries}), qrels)


def stemmed_floor(shared: Path, name: str) -> dict[str, float]:
    """The stemmed-BM25 floor: bm25s with the Snowball English stemmer and English stop words."""
    docs, queries, qrels = load_collection(shared, name)
    return metrics(stemmed_run(docs, {q: queries[q] for q in qrels if q in queries}), qrels)


def query_figures(ranked: list[str], judged: dict[str, int]) -> dict[str, float]:
    """One query's nDCG@10 (graded gains 2^g - 1), average precision, recall@100, precision at 1
    and reciprocal rank (of the first item judged relevant, any grade)."""
    relevant = {d for d, g in judged.items() if g > 0}
    dcg = sum((2 ** judged.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:10]
    hits, precision_sum, first = 0, 0.0, None
    for i, d in enumerate(ranked):
        if d in relevant:
            hits += 1
            precision_sum += hits / (i + 1)
            first = first or i + 1
    return {"nDCG@10": dcg / sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal)),
            "MAP": precision_sum / len(relevant),
            "R@100": len(relevant & set(ranked[:100])) / len(relevant),
            "P@1": float(bool(ranked) and ranked[0] in relevant),
            "MRR": 1 / first if first else 0.0}


def metrics(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean nDCG@10, average precision, recall@100, P@1 and MRR over the queries judged with
    at least one relevant item."""
    per_query = [query_figures(run.get(query, []), judged) for query, judged in qrels.items()
                 if any(g > 0 for g in judged.values())]
    means = {k: sum(f[k] for f in per_query) / len(per_query) if per_query else 0.0
             for k in (*METRICS, "P@1", "MRR")}
    return {**means, "queries": len(per_query)}


def ranked_ids(backend, text: str) -> list[str]:
    """The ids the hub ranks for a query, best first, to DEPTH."""
    request = SearchRequest(query=text, per_page=DEPTH, facets=False, highlight=False,
                            suggest=False)
    return [hit.id for hit in backend.search(request).hits]


def evaluate_collection(name: str, shared: Path, analyzer: str = DEFAULT_ANALYZER,
                        weights: dict | None = None) -> dict[str, float]:
    """Index one IR collection in memory with the hub's search and score its judged queries."""
    docs, queries, qrels = load_collection(shared, name)
    # The hub's backend reads full texts from the store; here, from the collection.
    texts = {str(i): f"{d['title']}\n{d['text']}" for i, d in docs.items()}
    backend = WhooshBackend(None, analyzer=analyzer, weights=weights,
                            text_source=lambda ids: {i: texts[i] for i in ids if i in texts})
    backend.rebuild(IndexDocument(id=i, title=d["title"], type="article", body=d["text"])
                    for i, d in docs.items())
    run = {q: ranked_ids(backend, queries[q]) for q in qrels if q in queries}
    backend.close()
    return metrics(run, qrels)


@contextmanager
def judged_store(shared: Path, content: bool):
    """A corpus over a temporary store holding the seeds, and content/ as well when asked;
    yields it with the ingest summary and closes it after."""
    from hub.corpus import Corpus

    with tempfile.TemporaryDirectory() as home:
        corpus = Corpus(Settings(Path(home), sqlite_url(Path(home) / "hub.sqlite3"),
                                 DEFAULT_CONTENT_DIR))
        try:
            summary = corpus.ingest(([DEFAULT_CONTENT_DIR] if content else [])
                                    + sorted((shared / "seeds").glob("[0-9]*.txt")))
            yield corpus, summary
        finally:
            corpus.close()


def load_judged(path: Path) -> list[dict]:
    """A judged set: a list of {"query": text, "relevant": {stored title: grade 1-3}}."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def evaluate_judged(shared: Path, name: str) -> dict:
    """Ingest what one of our judged sets (JUDGED_SETS) is judged over into a temporary store;
    score the hub and both BM25 floors on it. The floors rank the items the search index holds
    (title and text), so all three rank the same items. Returns, per ranker, the mean figures
    and each query's (query, its figures, the titles ranked and the judgements by title).

    Every ranker is scored in result units, as the hub shows them: a report and its sections
    are one unit (the hub shows its best section with "n more sections in this report"), a
    case study is a unit of its own wherever it sits. A unit's grade is the best grade of the
    items in it, and each ranking keeps a unit's first place only."""
    path, content = JUDGED_SETS[name]
    judgements = load_judged(path)
    with judged_store(shared, content) as (corpus, _):
        with corpus.session() as session:
            items = queries.all_items(session)
            titles = {str(item.id): item.title for item in items}
            docs = {str(item.id): {"title": item.title, "text": item.body_text}
                    for item in items if item.is_searchable}
            unit = {str(item.id): result_unit(item) for item in items}
        ids = {title: key for key, title in titles.items()}
        asked = {str(number): entry["query"] for number, entry in enumerate(judgements, 1)}
        # A judged title the store lacks (a report not yet split) still counts as missed.
        qrels = {key: {ids.get(title, f"missing:{title}"): grade
                       for title, grade in entry["relevant"].items()}
                 for key, entry in zip(asked, judgements, strict=True)}
        qrels = {key: in_units(judged, unit) for key, judged in qrels.items()}
        runs = {"hub": {key: ranked_ids(corpus.search.backend, text)
                        for key, text in asked.items()},
                "plain_bm25": plain_run(shared, docs, asked),
                "stemmed_bm25": stemmed_run(docs, asked)}
        runs = {ranker: {key: list(dict.fromkeys(unit.get(i, i) for i in ranked))
                         for key, ranked in run.items()} for ranker, run in runs.items()}
    found = {}
    for ranker, run in runs.items():
        found[ranker] = metrics(run, qrels)
        found[ranker]["per_query"] = [
            {"query": asked[key], **query_figures(run[key], qrels[key]),
             "ranked": [titles.get(d, d) for d in run[key][:10]],
             "judged": {titles.get(u, u): g for u, g in qrels[key].items()}}
            for key in asked]
    return found


def result_unit(item) -> str:
    """The id of the result an item is shown in: its report's, unless it is a case study."""
    ancestors = item.ancestors()
    return str(ancestors[0].id) if ancestors and item.type != "case_study" else str(item.id)


def in_units(judged: dict[str, int], unit: dict[str, str]) -> dict[str, int]:
    """Judgements by result unit: each unit's best grade."""
    grades: dict[str, int] = {}
    for key, grade in judged.items():
        shown = unit.get(key, key)
        grades[shown] = max(grade, grades.get(shown, 0))
    return grades


def evaluate_seeds(shared: Path) -> dict[str, float]:
    """The hub's figures on tests/relevance/seeds.yml, over the seeds alone."""
    figures = evaluate_judged(shared, "seeds")["hub"]
    return {k: v for k, v in figures.items() if k != "per_query"}


def shortfalls(per_query: list[dict], below: float = 1.0) -> list[str]:
    """Lines for a verbose report: each query's nDCG@10, and for those under `below`, where
    its best-graded item ranked and what the hub put above it (grade in brackets, 0 unjudged)."""
    lines = []
    for entry in sorted(per_query, key=lambda e: (e["nDCG@10"], e["query"])):
        lines.append(f"    {entry['nDCG@10']:.3f}  {entry['query']}")
        if entry["nDCG@10"] >= below:
            continue
        judged, ranked = entry["judged"], entry["ranked"]
        best = max(judged.values())
        answers = [t for t, g in judged.items() if g == best]
        rank = next((i for i, t in enumerate(ranked) if t in answers), None)
        where = f"at {rank + 1}" if rank is not None else "not in the top 10"
        lines.append(f"           grade {best} {answers[0]!r} {where}"
                     + (f" (and {len(answers) - 1} more of grade {best})"
                        if len(answers) > 1 else ""))
        for i, title in enumerate(ranked[:rank if rank is not None else 5]):
            lines.append(f"             {i + 1}. [{judged.get(title, 0)}] {title}")
    return lines


def _line(label: str, figures: dict[str, float], names: tuple[str, ...] = METRICS) -> str:
    return f"  {label:<22}" + "  ".join(f"{k} {figures[k]:.3f}" for k in names)


def compare(name: str, shared: Path, analyzer: str = DEFAULT_ANALYZER) -> dict[str, dict]:
    """The hub's figures on one collection beside both floors."""
    return {"hub": evaluate_collection(name, shared, analyzer),
            "plain_bm25": floor(shared, name), "stemmed_bm25": stemmed_floor(shared, name)}


def main(argv: list[str] | None = None) -> int:
    """Print the hub's figures beside both floors for each collection asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collections", nargs="*",
                        help="what to evaluate: the collections present, seeds, practitioner "
                             "(default: all)")
    parser.add_argument("--analyzer", default=DEFAULT_ANALYZER, choices=sorted(STEMMERS))
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: per collection, the hub and both floors "
                             "(for our judged sets, with each query's figures)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="for our judged sets, each query's nDCG@10 and, where under 1, "
                             "what the hub ranked above its best-graded item")
    args = parser.parse_args(argv)
    shared = shared_dir()
    present = collections(shared)
    unknown = set(args.collections) - {*present, *JUDGED_SETS}
    if unknown:
        parser.error(f"unknown or absent collection {sorted(unknown)[0]!r} "
                     f"(present: {', '.join([*present, *JUDGED_SETS])})")
    names = args.collections or [*present, *JUDGED_SETS]
    if args.json:
        out = {name: evaluate_judged(shared, name) if name in JUDGED_SETS
               else compare(name, shared, args.analyzer) for name in names}
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    for name in names:
        started = time.perf_counter()
        if name in JUDGED_SETS:
            found = evaluate_judged(shared, name)
            seconds = time.perf_counter() - started
            print(f"{name} ({found['hub']['queries']} queries, "
                  f"{JUDGED_SETS[name][0].relative_to(ROOT)}, {seconds:.1f} s)")
            for label, key in (("hub", "hub"), ("plain BM25 floor", "plain_bm25"),
                               ("stemmed BM25 floor", "stemmed_bm25")):
                print(_line(label, found[key], JUDGED_METRICS))
            if args.verbose:
                print("  hub, per query (nDCG@10, worst first):")
                print("\n".join(shortfalls(found["hub"]["per_query"])))
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
