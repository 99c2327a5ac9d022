"""The relevance harness (scripts/eval_search.py): quality, so asserted, on Cranfield."""

from __future__ import annotations

import sys

import yaml

from hub.config import PROJECT_DIR

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


def test_the_seed_judgements_are_well_formed():
    judgements = yaml.safe_load((PROJECT_DIR / "tests/relevance/seeds.yml").read_text())
    assert len(judgements) >= 10
    for entry in judgements:
        assert entry["query"].strip()
        assert all(grade in (1, 2, 3) for grade in entry["relevant"].values())
