"""Result units (hub.search.whoosh.grouping): a report's sections fold into one result, a
search within the report shows them all, case studies stand alone, no report fills a page."""

from __future__ import annotations

import pytest

from hub.search.base import IndexDocument, SearchRequest
from hub.search.whoosh.backend import WhooshBackend
from hub.search.whoosh.files import IndexFiles

WORDS = "pooled budgets for troubled families"


def report(number: int, sections: int, case_studies: int = 0) -> list[IndexDocument]:
    """A report, its sections and its lifted case studies, all about the same words."""
    root = str(number * 100)
    docs = [IndexDocument(id=root, title=f"Report {number} on {WORDS}", type="report",
                          body=f"An introduction to {WORDS}.", family=root)]
    for n in range(1, sections + 1):
        docs.append(IndexDocument(id=f"{root}{n:02d}", title=f"Section {n}", type="section",
                                  body=f"{WORDS} " * n + "in practice.", parent_id=root,
                                  family=root, breadcrumb=(f"Report {number}",)))
    for n in range(1, case_studies + 1):
        docs.append(IndexDocument(id=f"{root}9{n}", title=f"Case study {n}", type="case_study",
                                  body=f"{WORDS} in a council, case {n}.", parent_id=root,
                                  family=root))
    return docs


@pytest.fixture
def backend():
    backend = WhooshBackend(None)
    others = [IndexDocument(id=str(9000 + n), title=f"Guide {n}", type="guide",
                            body=f"{WORDS} guide number {n}.") for n in range(12)]
    backend.rebuild([*report(1, sections=8, case_studies=5), *report(2, sections=3), *others])
    yield backend
    backend.close()


def hits(backend, **options):
    return backend.search(SearchRequest(query=WORDS, per_page=10, **options))


def test_a_reports_sections_are_one_result_with_the_rest_counted(backend):
    page = hits(backend)
    members = [h for h in page.hits if h.family == "100" and h.type != "case_study"]
    assert len(members) == 1  # the report and its eight sections: one result
    assert members[0].more_in_report == 8  # the other eight of the nine that matched
    # 2 reports + 5 case studies + 12 guides
    assert page.total == 2 + 5 + 12
    ungrouped = hits(backend, group=False)
    assert ungrouped.total == 9 + 4 + 5 + 12


def test_search_within_a_report_shows_all_of_it_and_nothing_else(backend):
    page = backend.search(SearchRequest(query=WORDS, per_page=50, within="100"))
    assert page.total == 1 + 8 + 5
    assert {h.family for h in page.hits} == {"100"}
    assert all(h.more_in_report == 0 for h in page.hits)


def test_no_report_holds_more_than_two_of_the_first_ten(backend):
    first = hits(backend).hits
    by_report = {}
    for hit in first:
        if hit.family:
            by_report[hit.family] = by_report.get(hit.family, 0) + 1
    assert max(by_report.values()) <= 2, [(h.title, h.family) for h in first]
    # The case studies are still found, further down.
    everything = backend.search(SearchRequest(query=WORDS, per_page=50)).hits
    assert sum(h.type == "case_study" for h in everything) == 5


def test_an_index_built_without_the_family_field_is_rebuilt_not_misread(tmp_path):
    from whoosh import fields
    from whoosh.filedb.filestore import FileStorage

    from hub.search.base import IndexUnavailable
    from hub.search.whoosh.schema import build_schema

    old = build_schema()
    old.remove("family")
    files = IndexFiles(tmp_path, build_schema)
    folder = tmp_path / "gen-old"
    folder.mkdir()
    FileStorage(str(folder)).create_index(old)
    files.publish("gen-old")
    with pytest.raises(IndexUnavailable, match="family"):
        files.open_current()
    assert isinstance(old["id"], fields.ID)


def test_the_total_says_how_many_have_all_the_words(backend):
    backend.update([IndexDocument(id="7001", title="Troubled families", type="guide",
                                  body="Troubled families and nothing else.")])
    page = backend.search(SearchRequest(query="pooled troubled", per_page=50))
    assert page.all_words is not None and 0 < page.all_words < page.total
    assert "7001" not in {h.id for h in page.hits[:page.all_words]}
    assert page.hits[-1].id == "7001"  # the one with only one of the words comes last
    assert backend.search(SearchRequest(query="pooled")).all_words is None  # one word
