"""The relevance harness (scripts/eval_search.py): quality, so asserted, on Cranfield."""

from __future__ import annotations

import sys
from collections import Counter

import yaml

from hub.config import PROJECT_DIR
from hub.store import queries

sys.path.insert(0, str(PROJECT_DIR / "scripts"))

import eval_search  # noqa: E402

MARGIN = 0.01  # measured +0.016 nDCG@10; anything under this is a regression


def test_cranfield_beats_the_plain_bm25_floor(shared):
    floor = eval_search.floor(shared, "cranfield")
    figures = eval_search.evaluate_collection("cranfield", shared)
    assert figures["queries"] == 225
    assert figures["nDCG@10"] >= floor["nDCG@10"] + MARGIN, figures
    assert figures["R@100"] > floor["R@100"], figures


def test_metrics_on_a_hand_worked_run():
    qrels = {"q": {"a": 3, "b": 1, "c": 0}}
    perfect = eval_search.metrics({"q": ["a", "b", "x"]}, qrels)
    assert perfect["nDCG@10"] == 1.0 and perfect["MAP"] == 1.0 and perfect["R@100"] == 1.0
    swapped = eval_search.metrics({"q": ["b", "a"]}, qrels)
    assert 0.5 < swapped["nDCG@10"] < 1.0 and swapped["MAP"] == 1.0
    assert eval_search.metrics({"q": ["x"]}, qrels)["R@100"] == 0.0
    assert perfect["P@1"] == 1.0 and perfect["MRR"] == 1.0
    late = eval_search.metrics({"q": ["x", "y", "b", "a"]}, qrels)
    assert late["P@1"] == 0.0 and late["MRR"] == 1 / 3


def test_shortfalls_name_what_ranked_above_the_answer():
    per_query = [{"query": "fine", "nDCG@10": 1.0, "ranked": ["A"], "judged": {"A": 3}},
                 {"query": "poor", "nDCG@10": 0.4, "ranked": ["X", "B", "A"],
                  "judged": {"A": 3, "B": 1}}]
    lines = eval_search.shortfalls(per_query)
    assert lines[0].split() == ["0.400", "poor"]
    assert "'A' at 3" in lines[1]
    assert lines[2].split() == ["1.", "[0]", "X"] and lines[3].split() == ["2.", "[1]", "B"]
    assert lines[4].split() == ["1.000", "fine"] and len(lines) == 5


def test_the_seed_judgements_are_well_formed():
    judgements = yaml.safe_load((PROJECT_DIR / "tests/relevance/seeds.yml").read_text())
    assert len(judgements) >= 10
    for entry in judgements:
        assert entry["query"].strip()
        assert all(grade in (1, 2, 3) for grade in entry["relevant"].values())


def test_the_practitioner_judgements_are_well_formed_and_name_stored_items(shared):
    judgements = eval_search.load_judged(eval_search.PRACTITIONER_JUDGEMENTS)
    assert len(judgements) >= 60
    asked = [entry["query"] for entry in judgements]
    assert len(set(asked)) == len(asked)
    for entry in judgements:
        words = entry["query"].split()
        assert 2 <= len(words) <= 6 or (len(words) == 1 and words[0].isupper()), entry["query"]
        assert entry["relevant"] and all(g in (1, 2, 3) for g in entry["relevant"].values())
    with eval_search.judged_store(shared, content=True) as (corpus, summary):
        assert not summary.errors
        with corpus.session() as session:
            items = queries.all_items(session)
            stored = Counter(item.title for item in items)
            searchable = {item.title for item in items if item.is_searchable}
    for entry in judgements:
        for title in entry["relevant"]:
            # Each judged title names exactly one item, and one a search can return.
            assert stored[title] == 1 and title in searchable, (entry["query"], title)
