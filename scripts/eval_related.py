#!/usr/bin/env python3
"""Evaluate related items: P@5 and nDCG@5 on our judgements, and P@5 on Cranfield clusters.

Judged set: content/ and every seed file are ingested into a temporary store; for each judged
item present (tests/relevance/related_judgements.yml: items from content/ and the seeds,
their candidates pooled from our top 10 and the baseline's), precision@5 is the share of its
five suggestions judged related (grade 1 or more; anything not listed is unrelated), and
nDCG@5 weighs them by grade (gain 2^grade - 1: 2 clearly related, 1 partly). A related title
written alone has grade 2. Judged items or titles the store does not hold are reported as
missing, not counted.

    python scripts/eval_related.py              # the judged set, then Cranfield
    python scripts/eval_related.py --only seeds

Cranfield: the documents judged relevant (codes 1-4; -1 means "no interest") to one query form
a cluster; for each document of a cluster of two or more, precision@5 is the share of
related(document) inside the same cluster. Queries are taken from cranqrel alone, so the
numbering trap of cran.qry does not arise; the two empty documents are left out.

Beside each figure, the baseline: scikit-learn's TfidfVectorizer with its defaults on title and
text, cosine against every document, the item itself excluded, nothing else.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml
from sklearn.metrics.pairwise import linear_kernel

from hub import recommend
from hub.config import DEFAULT_CONTENT_DIR, PROJECT_DIR, Settings, sqlite_url
from hub.corpus import Corpus
from hub.corpus.related_sync import load_records, published_signatures
from hub.recommend.vectorize import plain_vectorizer
from hub.text.normalise import fold

JUDGEMENTS = PROJECT_DIR / "tests" / "relevance" / "related_judgements.yml"
K = 5


def shared_dir() -> Path:
    """../shared (or $HUB_SHARED_DIR), with the seeds and evaluation sets."""
    for candidate in filter(None, [os.environ.get("HUB_SHARED_DIR"), PROJECT_DIR.parent / "shared",
                                   "/work/shared"]):
        if (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    sys.exit("../shared/seeds not found: set HUB_SHARED_DIR")


def load_judgements(path: Path = JUDGEMENTS) -> dict[str, dict[str, int]]:
    """Judged title fragment -> {fragment of a title judged related: grade (1 or 2)}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    judgements = data.get("judgements") if isinstance(data, dict) else None
    if not isinstance(judgements, dict):
        raise ValueError(f"{path}: judgements: expected a mapping of title -> list of titles")
    graded = {}
    for title, related in judgements.items():
        if not isinstance(related, list):
            raise ValueError(f"{path}: judgements: {title!r}: expected a list of titles")
        graded[title] = {}
        for entry in related:
            if isinstance(entry, str):
                graded[title][entry] = 2
            elif (isinstance(entry, dict) and len(entry) == 1
                  and all(isinstance(t, str) and g in (1, 2) for t, g in entry.items())):
                graded[title].update(entry)
            else:
                raise ValueError(f"{path}: judgements: {title!r}: {entry!r}: expected a title "
                                 "or {title: grade 1 or 2}")
    return graded


def titled(fragment: str, titles: dict[int, str]) -> list[int]:
    """Ids of the items whose folded title contains the folded fragment."""
    return [i for i, title in titles.items() if fold(fragment) in fold(title)]


def precision(found: list[int], relevant: set[int]) -> float:
    """Precision at K: the share of K slots filled with relevant items."""
    return len(set(found[:K]) & relevant) / K


def ndcg(found: list[int], grades: dict[int, int]) -> float:
    """nDCG at K with gains 2^grade - 1 (0 when nothing is judged related)."""
    dcg = sum((2 ** grades.get(i, 0) - 1) / math.log2(r + 2) for r, i in enumerate(found[:K]))
    ideal = sorted(grades.values(), reverse=True)[:K]
    best = sum((2 ** g - 1) / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / best if best else 0.0


def baseline_top(records: list[recommend.Record]) -> dict[int, list[int]]:
    """Plain TF-IDF cosine top K for every record, excluding only itself."""
    matrix = plain_vectorizer().fit_transform([f"{r.title}\n{r.text}" for r in records])
    ids = np.array([r.id for r in records])
    top = {}
    for row in range(len(records)):
        cosines = linear_kernel(matrix[row], matrix).ravel()
        cosines[row] = -1
        best = np.argsort(-cosines, kind="stable")[:K]
        top[int(ids[row])] = [int(ids[b]) for b in best if cosines[b] > 0]
    return top


def ours_top(model: recommend.RelatedModel) -> dict[int, list[int]]:
    """The recommender's top K for every item it holds."""
    return {i: [s.id for s in recommend.related_to_item(model, i, K)] for i in model.rows}


def seed_records(seeds: Path, content: bool = True) -> list[recommend.Record]:
    """Records of every published item after ingesting content/ (unless told not to) and all
    seed files into a temporary store."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        corpus = Corpus(Settings(home, sqlite_url(home / "hub.sqlite3"), DEFAULT_CONTENT_DIR))
        sources = [DEFAULT_CONTENT_DIR] if content else []
        summary = corpus.ingest(sources + sorted(seeds.glob("[0-9]*.txt")))
        for error in summary.errors:
            print(f"  ingest error: {error}")
        with corpus.session() as session:
            wanted = published_signatures(session)
            records = load_records(session, wanted, wanted)
        corpus.close()
    return records


def evaluate_seeds(seeds: Path) -> dict[str, dict[str, float]]:
    """Print P@5 and nDCG@5 on the judged items of content/ and the seeds, ours beside the
    baseline; return them."""
    records = seed_records(seeds)
    titles = {r.id: r.title for r in records}
    tops = {"ours": ours_top(recommend.fit(records)), "baseline": baseline_top(records)}
    scores, gains, missing, ceiling = defaultdict(list), defaultdict(list), [], []
    for title, related in load_judgements().items():
        item = titled(title, titles)
        grades = {i: g for fragment, g in related.items() for i in titled(fragment, titles)}
        missing += [f for f in [title, *related] if len(titled(f, titles)) != 1]
        if len(item) == 1 and grades:
            ceiling.append(min(len(grades), K) / K)
            for name, top in tops.items():
                scores[name].append(precision(top[item[0]], set(grades)))
                gains[name].append(ndcg(top[item[0]], grades))
    print(f"content/ and seeds: {len(records)} items, {len(scores['ours'])} judged items found; "
          f"best possible P@5 {statistics.mean(ceiling):.3f}")
    report(scores)
    print(f"  nDCG@5 ours {statistics.mean(gains['ours']):.3f}   "
          f"baseline {statistics.mean(gains['baseline']):.3f}")
    if missing:
        print(f"  not in the store (or not one item): {len(set(missing))} titles, e.g. "
              f"{sorted(set(missing))[:3]}")
    return {name: {"P@5": statistics.mean(scores[name]), "nDCG@5": statistics.mean(gains[name])}
            for name in tops}


def read_cranfield(folder: Path) -> tuple[list[recommend.Record], list[set[int]]]:
    """Cranfield documents as records, and the clusters of documents judged relevant together."""
    text = (folder / "cran.all.1400").read_text(encoding="utf-8", errors="replace")
    records = []
    for block in re.split(r"^\.I\s+", text, flags=re.M)[1:]:
        number, _, rest = block.partition("\n")
        fields = dict(re.findall(r"^\.([TAWB])\n(.*?)(?=^\.[TAWB]\n|\Z)", rest, flags=re.M | re.S))
        title, body = fields.get("T", "").strip(), fields.get("W", "").strip()
        if body:  # documents 471 and 995 are empty: nothing to relate
            records.append(recommend.Record(int(number), title, body))
    clusters = defaultdict(set)
    for line in (folder / "cranqrel").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and int(parts[2]) in (1, 2, 3, 4):  # -1: of no interest
            clusters[int(parts[0])].add(int(parts[1]))
    known = {r.id for r in records}
    return records, [c & known for c in clusters.values() if len(c & known) >= 2]


def evaluate_cranfield(folder: Path) -> None:
    """Print mean precision@5 of related(document) within its own cluster."""
    records, clusters = read_cranfield(folder)
    tops = {"ours": ours_top(recommend.fit(records)), "baseline": baseline_top(records)}
    scores = defaultdict(list)
    for cluster in clusters:
        for doc in cluster:
            for name, top in tops.items():
                scores[name].append(precision(top[doc], cluster - {doc}))
    ceiling = statistics.mean(min(len(c) - 1, K) / K for c in clusters for _ in c)
    print(f"cranfield: {len(records)} documents, {len(clusters)} clusters, "
          f"{len(scores['ours'])} (document, cluster) pairs; best possible P@5 {ceiling:.3f}")
    report(scores)


def report(scores: dict[str, list[float]]) -> None:
    """Mean precision@5, ours beside the baseline, and their ratio."""
    ours, base = statistics.mean(scores["ours"]), statistics.mean(scores["baseline"])
    print(f"  P@5 ours {ours:.3f}   baseline {base:.3f}   ratio {ours / base:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["seeds", "cranfield"], help="run one evaluation")
    args = parser.parse_args()
    shared = shared_dir()
    if args.only != "cranfield":
        evaluate_seeds(shared / "seeds")
    if args.only != "seeds":
        evaluate_cranfield(shared / "eval" / "ir" / "cranfield")


if __name__ == "__main__":
    main()
