"""The relevance harness (scripts/eval_search.py): quality, so asserted, on Cranfield."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter

import pytest
import yaml

from hub.config import PROJECT_DIR
from hub.search.base import SearchRequest
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


@pytest.fixture(scope="module")
def content_and_seeds(shared):
    """A corpus holding content/ and the seeds, as both evaluations ingest them."""
    with eval_search.judged_store(shared, content=True) as (corpus, summary):
        assert not summary.errors
        yield corpus


@pytest.fixture(scope="module")
def stored(content_and_seeds) -> list[dict]:
    """Every item once content/ and the seeds are ingested: id, title, type, whether a search
    can return it, and the ids of its report and sections above it."""
    with content_and_seeds.session() as session:
        return [{"id": item.id, "title": item.title, "type": item.type,
                 "searchable": item.is_searchable, "above": {a.id for a in item.ancestors()}}
                for item in queries.all_items(session)]


# Everyday queries typed as a council officer would, each with the item it asks for (our own
# case studies in content/, and the Total Place report among the seeds).
EVERYDAY = {
    "customer insight": "Understanding out-of-work residents in Coventry through customer insight",
    "data sharing between police and council":
        "Safer information sharing for domestic abuse cases in Norfolk",
    "Total Place": "Total Place: Spend Counting Analysis and Customer Insight Status",
    "reducing worklessness":
        "Understanding out-of-work residents in Coventry through customer insight",
}


@pytest.mark.parametrize("text", EVERYDAY)
def test_an_everyday_query_puts_what_it_asks_for_in_the_first_three(content_and_seeds,
                                                                   stored, text):
    """The first page as people see it: a report is one result (its best section, carrying
    the report as its family), so the report counts as found where its result is."""
    wanted = [str(item["id"]) for item in stored if item["title"] == EVERYDAY[text]]
    assert len(wanted) == 1, EVERYDAY[text]
    page = content_and_seeds.search.backend.search(
        SearchRequest(query=text, per_page=3, facets=False, suggest=False))
    shown = [(hit.id, hit.family, hit.title) for hit in page.hits]
    assert any(wanted[0] in (hit_id, family) for hit_id, family, _ in shown), shown


def test_the_practitioner_judgements_are_well_formed_and_name_stored_items(stored):
    judgements = eval_search.load_judged(eval_search.PRACTITIONER_JUDGEMENTS)
    assert len(judgements) >= 60
    asked = [entry["query"] for entry in judgements]
    assert len(set(asked)) == len(asked)
    for entry in judgements:
        words = entry["query"].split()
        assert 2 <= len(words) <= 6 or (len(words) == 1 and words[0].isupper()), entry["query"]
        assert entry["relevant"] and all(g in (1, 2, 3) for g in entry["relevant"].values())
    titles = Counter(item["title"] for item in stored)
    searchable = {item["title"] for item in stored if item["searchable"]}
    for entry in judgements:
        for title in entry["relevant"]:
            # Each judged title names exactly one item, and one a search can return.
            assert titles[title] == 1 and title in searchable, (entry["query"], title)


def test_the_related_judgements_name_one_item_each_and_never_its_own_report(stored):
    spec = importlib.util.spec_from_file_location(
        "eval_related", PROJECT_DIR / "scripts" / "eval_related.py")
    eval_related = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(eval_related)
    judgements = eval_related.load_judgements()
    assert len(judgements) >= 20
    titles = {item["id"]: item["title"] for item in stored}
    by_id = {item["id"]: item for item in stored}
    for title, related in judgements.items():
        found = eval_related.titled(title, titles)
        assert len(found) == 1, title
        item = by_id[found[0]]
        assert related and all(grade in (1, 2) for grade in related.values()), title
        for fragment in related:
            other = eval_related.titled(fragment, titles)
            assert len(other) == 1, (title, fragment)
            # Never itself, its own report or a section of that report (another case study
            # in the same report may be related).
            near = by_id[other[0]]
            assert other[0] != item["id"], title
            assert other[0] not in item["above"] and item["id"] not in near["above"], title
            assert not (item["above"] & near["above"] and near["type"] == "section"), fragment


def test_practitioner_queries_rank_what_they_ask_for(shared):
    """Quality on our own judged queries, in result units: 0.942 nDCG@10 when written."""
    figures = eval_search.evaluate_judged(shared, "practitioner")
    hub, floor = figures["hub"], figures["stemmed_bm25"]
    assert hub["queries"] >= 60
    assert hub["nDCG@10"] >= 0.90, eval_search.shortfalls(hub["per_query"], below=0.8)
    assert hub["nDCG@10"] > floor["nDCG@10"] and hub["P@1"] >= floor["P@1"]


@pytest.mark.parametrize("name", ["cranfield", "cisi"])
def test_five_per_cent_above_the_stemmed_bm25_floor(shared, name):
    """nDCG@10 at least 5 % above standard stemmed BM25 (Cranfield +8 %, CISI +5.5 % when
    written: long queries read whole, and feedback for descriptive queries)."""
    floor = eval_search.stemmed_floor(shared, name)
    figures = eval_search.evaluate_collection(name, shared)
    assert figures["nDCG@10"] >= 1.05 * floor["nDCG@10"], (figures, floor)
