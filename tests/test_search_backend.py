"""One conformance suite for the search backend contract, run against every backend.

Parametrised over Whoosh on disk and Whoosh in memory; a test that cannot apply to one of
them says why in its skip.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from hub.search import load_backend
from hub.search.base import BaseSearchBackend, SearchError, SearchRequest
from hub.search.query import MAX_LENGTH, MAX_TERMS
from tests.support.search_documents import DOCS, SYNONYMS, doc

HOSTILE = ["*a*", "?????", "[a TO z]", "probation " * 1200, " OR ".join(["probation"] * 1000),
           '"unbalanced quote', "((( brackets", "probation)]}", "year:2008..", "year:..2008",
           "theme:", "-", '""', "*", "AND OR NOT", "place:\"West", "a" * 300, "\\x00\\", "né*"]


@pytest.fixture(params=["disk", "ram"])
def kind(request):
    return request.param


@pytest.fixture
def make_backend(kind, tmp_path):
    made = []

    def make(**options) -> BaseSearchBackend:
        path = tmp_path / "index" if kind == "disk" else None
        backend = load_backend("whoosh", path=path, synonyms=SYNONYMS, **options)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def backend(make_backend):
    backend = make_backend()
    backend.rebuild(DOCS)
    return backend


def titles(page):
    return [hit.title for hit in page.hits]


def search(backend, query="", **options):
    return backend.search(SearchRequest(query=query, **options))


def test_rebuild_count_and_ids(backend):
    assert backend.count() == len(DOCS)
    assert backend.ids() == {d.id for d in DOCS}


def test_update_replaces_by_id_and_delete_removes(backend):
    backend.update([doc(3, "Good practice in information governance", "consent forms")])
    assert backend.count() == len(DOCS)
    assert titles(search(backend, "governance")) == ["Good practice in information governance"]
    assert search(backend, "protocols").total == 0
    assert backend.delete(["3", "404"]) == 1
    assert "3" not in backend.ids()


def test_rebuild_swaps_everything_and_changes_generation(backend):
    before = backend.generation()
    backend.rebuild([doc(20, "Only this one", "lonely text")])
    assert backend.generation() != before
    assert backend.ids() == {"20"}


def test_all_the_words_rank_above_some_of_them(backend):
    page = search(backend, "probation enforcement")
    # Doc 7 says "probation" forty times but never "enforcement".
    assert titles(page)[0] == "Probation caseloads in a London borough"
    assert page.hits[0].score > page.hits[1].score


def test_phrase_exclusion_or_and_prefix(backend):
    assert titles(search(backend, '"data sharing"')) == ["Good practice in data sharing"]
    assert "Probation caseloads in a London borough" not in titles(
        search(backend, "probation -enforcement"))
    assert set(titles(search(backend, "birmingham OR coventry"))) == {
        "Coventry employment advisers", "Birmingham housing and jobs"}
    assert "Coventry employment advisers" in titles(search(backend, "employ*"))


def test_synonyms_widen_without_pushing_exact_matches_down(backend):
    neet = titles(search(backend, "NEET"))
    assert neet[0] == "Neighbourhood management pilots"  # says NEET itself
    assert "Customer insight in the East Midlands" in neet  # says it in full
    jobless = titles(search(backend, "worklessness"))
    assert jobless[0] == "Good practice in data sharing"
    assert "Coventry employment advisers" in jobless  # "unemployment", "jobless"
    assert titles(search(backend, "VfM"))[0] == "Value for money in shared back offices"


def test_facets_or_within_and_across_ignoring_their_own_filter(backend):
    page = search(backend, "", filters={"place": ["west-midlands"]})
    assert page.total == 3
    assert page.facets["place"]["west-midlands"] == 3
    assert page.facets["place"]["coventry"] == 2
    # The place counts ignore the place filter: east-midlands still shows its count.
    assert page.facets["place"]["east-midlands"] == 1
    assert page.facets["theme"] == {"worklessness": 2, "housing": 1}
    both = search(backend, "", filters={"place": ["coventry", "birmingham"],
                                        "theme": ["worklessness"]})
    assert set(titles(both)) == {"Coventry employment advisers", "Birmingham housing and jobs"}
    assert both.facets["theme"]["worklessness"] == 2
    assert both.facets["theme"].get("housing") == 1
    assert "london" not in both.facets["place"]  # the theme filter still applies to places


def test_filters_in_the_query_string(backend):
    assert titles(search(backend, "theme:data-sharing")) == ["Good practice in data sharing"]
    years = titles(search(backend, "year:2008..2009", sort="date"))
    assert years == ["Probation caseloads in a London borough", "Coventry employment advisers",
                     "Value for money in shared back offices"]
    assert search(backend, "type:case_study").total == 2


def test_sort_by_date_and_pagination(backend):
    first = search(backend, "", sort="date", per_page=3)
    second = search(backend, "", sort="date", per_page=3, page=2)
    assert first.total == second.total == len(DOCS)
    dates = [h.date for h in first.hits + second.hits]
    assert dates == sorted(dates, reverse=True)
    assert not set(titles(first)) & set(titles(second))


def test_a_search_can_be_kept_to_given_documents(backend):
    # The digest asks which of the week's new items a saved search matches.
    kept = search(backend, "", filters={"place": ["west-midlands"]}, ids=["4", "6", "8", "99"])
    assert set(titles(kept)) == {"Coventry employment advisers", "Neighbourhood management pilots"}
    assert kept.total == 2
    assert search(backend, "probation", ids=["2", "3"]).total == 0
    assert search(backend, "probation", ids=[]).total == 0
    assert search(backend, "probation").total > 0


def test_hits_carry_what_result_pages_need(backend):
    hit = search(backend, "probation enforcement").hits[0]
    assert (hit.id, hit.type, hit.parent_id, hit.page) == ("1", "case_study", "9", 42)
    assert hit.breadcrumb == ("Counting the cost", "Case studies")
    assert hit.places == ("lewisham", "london")
    assert "<mark>probation</mark>" in hit.snippet.lower()


def test_snippets_are_escaped(backend):
    snippet = search(backend, "source").hits[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_snippets_come_from_the_text_source_when_given(make_backend):
    backend = make_backend(text_source=lambda ids: {i: "Full text about lighthouses." for i in ids})
    backend.rebuild([doc(1, "Coastal lights", "summary only", summary="summary only")])
    assert "<mark>lighthouses</mark>" in search(backend, "lighthouses coastal").hits[0].snippet


def test_did_you_mean(backend):
    page = search(backend, "custmer insigt")
    assert page.suggestion == "customer insight"
    assert page.total == 0  # offered even when nothing is found
    assert search(backend, "customer insight").suggestion is None
    assert backend.suggest("probaton") == "probation"


def test_did_you_mean_corrects_every_misspelt_word(make_backend):
    backend = make_backend()
    backend.rebuild([*DOCS, doc(40, "Inside the town hall", "A day inside the town hall.")])
    # "insite" is one edit from "inside" and three from "insight", which only its sound finds;
    # the other word decides.
    assert backend.suggest("insite") == "inside"
    assert search(backend, "custmer insite").suggestion == "customer insight"
    assert backend.suggest('"custmer insite" -probaton') == '"customer insight" -probation'
    assert backend.suggest("insite of custmer") == "insight of customer"


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_results_or_a_message(backend, query):
    page = search(backend, query)
    assert page.hits or page.messages or page.total == 0
    assert len(page.hits) <= 10


def test_bounds_are_reported(backend):
    assert any(str(MAX_LENGTH) in m for m in search(backend, "probation " * 200).messages)
    assert any(str(MAX_TERMS) in m
               for m in search(backend, " OR ".join(f"w{i}" for i in range(MAX_TERMS + 10))).messages)
    assert any("end of a word" in m for m in search(backend, "*tion").messages)
    assert any("open ranges" in m for m in search(backend, "year:2008..").messages)


def test_unknown_filters_are_reported_not_fatal(make_backend):
    backend = make_backend(resolve=lambda kind, value: {"data sharing": "data-sharing"}.get(value))
    backend.rebuild(DOCS)
    page = search(backend, 'theme:"data sharing"')
    assert titles(page) == ["Good practice in data sharing"]
    page = search(backend, "theme:nonsense probation")
    assert any("Unknown theme" in m for m in page.messages) and page.hits


def test_a_second_reader_sees_changes(kind, backend, make_backend, tmp_path):
    if kind == "ram":
        pytest.skip("an index in memory belongs to one backend object: no second reader")
    reader = make_backend()
    assert reader.count() == len(DOCS)
    backend.update([doc(30, "Fresh arrival", "new words")])
    assert titles(reader.search(SearchRequest("arrival"))) == ["Fresh arrival"]
    backend.rebuild([doc(31, "After the rebuild")])
    assert reader.ids() == {"31"}


def test_one_writer_at_a_time(kind, backend, tmp_path):
    if kind == "ram":
        pytest.skip("an index in memory has no other process to exclude")
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, sys, time
        handle = open({str(tmp_path / "index" / "write.lock")!r}, "a+")
        fcntl.flock(handle, fcntl.LOCK_EX)
        print("locked", flush=True)
        time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with (pytest.raises(SearchError, match="another process is writing"),
              backend.files.writer_lock(timeout=0.2)):
            pass
    finally:
        holder.kill()
        holder.wait()
    backend.update([doc(40, "Written after the lock was freed")])
    assert "40" in backend.ids()


def test_the_time_limit_gives_what_was_found_and_says_so(make_backend):
    backend = make_backend(time_limit=0.0)
    backend.rebuild(DOCS)
    page = search(backend, "probation")
    assert page.partial and any("took too long" in m for m in page.messages)
    assert page.total == 2  # the total and facets do not depend on the scored walk


def test_the_work_limit_not_the_clock_cuts_a_query(make_backend):
    # However slow the machine (an hour's deadline), a query over the work limit is cut,
    # and one under it never is: the order depends on the query and the index only.
    cut = make_backend(time_limit=3600.0, work_limit=1)
    cut.rebuild(DOCS)
    assert search(cut, "probation").partial
    whole = make_backend(time_limit=3600.0)
    whole.rebuild(DOCS)
    page = search(whole, "probation")
    assert not page.partial and page.total == 2


def test_search_needs_neither_flask_nor_the_store_and_is_clean_under_warnings(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from hub.search import load_backend
        from hub.search.base import IndexDocument, SearchRequest
        backend = load_backend("whoosh", path={str(tmp_path / "index")!r})
        backend.rebuild([IndexDocument(id="1", title="Warnings", type="article")])
        assert backend.search(SearchRequest("warnings")).total == 1
        loaded = [m for m in ("flask", "hub.store.models", "sqlalchemy") if m in sys.modules]
        assert not loaded, loaded
    """)
    from hub.config import PROJECT_DIR

    done = subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=PROJECT_DIR,
                          capture_output=True, text=True, env={"PYTHONPATH": str(PROJECT_DIR)})
    assert done.returncode == 0, done.stderr


def test_an_unknown_backend_is_named_in_the_error():
    with pytest.raises(ValueError, match="HUB_SEARCH_BACKEND: unknown search backend 'solr'"):
        load_backend("solr")
