"""Snippets: whole sentences, clauses with ellipses where cut, tidy spacing, no sentence twice
on a page, and a case study matched in its title shown by its summary (a real Whoosh index)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.search import load_backend
from hub.search.base import SearchRequest
from hub.search.whoosh.analyzers import text_analyzer
from hub.search.whoosh.snippets import SNIPPET_CHARACTERS, Seen, make_snippet, sentences
from hub.text.normalise import shorten
from tests.support.search_documents import doc

ANALYZER = text_analyzer()
LONG = ("The partnership began in 2009. Councils, the police, health services, housing "
        "providers, schools, colleges, the probation service, voluntary groups, employers and "
        "the Jobcentre met every month for two years, shared a case record, agreed a budget, "
        "trained their staff together and wrote a plan that every board signed in the "
        "spring, after which the council, the police and the health service went on meeting "
        "every quarter for three more years. It worked.")


def plain(snippet: str) -> str:
    return re.sub(r"</?mark>", "", snippet).replace("&#x27;", "'").replace("&amp;", "&")


def test_a_snippet_is_whole_sentences_with_the_match_marked():
    text = ("Housing teams met weekly. Offenders on probation saw one key worker. "
            "Costs fell by a third.")
    snippet = make_snippet(text, {"probat"}, ANALYZER)
    assert snippet == ("Offenders on <mark>probation</mark> saw one key worker. "
                       "Costs fell by a third.")


def test_a_long_sentence_is_cut_at_clauses_with_an_ellipsis_each_side_cut():
    snippet = plain(make_snippet(LONG, {"probat"}, ANALYZER))
    assert len(snippet) <= SNIPPET_CHARACTERS
    assert snippet.startswith("…") and snippet.endswith("…")
    # It starts where a clause starts and stops where one ends, without the comma.
    assert re.match(r"…[a-z]", snippet) and LONG.find(snippet[1:-1]) > 0
    assert LONG[LONG.find(snippet[1:-1]) - 2] == ","
    assert "probation" in snippet and not snippet.endswith(",…")


def test_spaces_before_punctuation_are_dropped():
    text = "Worklessness and skills , bringing ( TWR ) partners together ; it worked ."
    assert make_snippet(text, {"skill"}, ANALYZER) == (
        "Worklessness and <mark>skills</mark>, bringing (TWR) partners together; it worked.")


def test_list_numbers_and_bullets_stay_with_their_lines():
    text = "Steps\n\n• Map the journey.\n• Count the cost.\n\n7. Test and measure the change."
    assert sentences(text) == ["Steps", "Map the journey.", "Count the cost.",
                               "7. Test and measure the change."]


def test_no_sentence_is_shown_twice_nor_one_with_a_word_changed():
    seen = Seen()
    first = make_snippet("The local CSP includes the police, the council, the fire service "
                         "and the probation trust. It meets monthly.", {"probat"}, ANALYZER, seen)
    second = make_snippet("Partners fund analysts. The local CSPs includes the police, the "
                          "council, the fire service and the probation trust.", {"probat"},
                          ANALYZER, seen)
    assert "CSP includes" in first
    assert second == "Partners fund analysts."  # the first sentence not yet shown


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(
    ["probation", "housing", "teams", "met", "council", "budget", "offenders", "the"]),
    min_size=1, max_size=40), st.sampled_from([".", ",", ";"])), min_size=1, max_size=12))
def test_every_snippet_starts_and_ends_at_a_boundary_or_an_ellipsis(parts):
    text = " ".join(" ".join(words).capitalize() + end for words, end in parts) + "."
    snippet = plain(make_snippet(text, {"probat", "hous"}, ANALYZER))
    assert len(snippet) <= SNIPPET_CHARACTERS + 1  # a leading ellipsis is the one extra
    assert snippet.startswith("…") or text.startswith(snippet[:20]) or \
        re.search(r"[.!?] " + re.escape(snippet[:20]), text)
    assert snippet.endswith(("…", ".", ",", ";"))
    assert " ," not in snippet and " ." not in snippet


def test_shorten_prefers_a_sentence_then_a_clause_then_a_word():
    assert shorten("One two three four. Five six seven eight.", 30) == "One two three four."
    assert shorten("One two three four, five six seven eight nine.", 30) == \
        "One two three four…"
    assert shorten("One two three four five six seven eight nine ten.", 30) == \
        "One two three four five six…"


@pytest.fixture
def backend(tmp_path):
    partners = "the police, the council, the fire service and the probation trust."
    texts = {"1": f"Our key workers helped families. The local CSP includes {partners}",
             "2": f"Partners fund analysts. The local CSPs includes {partners}",
             "3": "Lewisham reviewed its offenders. Probation officers shared data.",
             "4": "Police and probation staff worked together."}
    made = load_backend("whoosh", path=tmp_path / "index", text_source=lambda ids: {
        i: texts[i] for i in ids})
    made.rebuild([
        doc(1, "Families first", texts["1"], date="2010-01-01"),
        doc(2, "Community safety partnerships", texts["2"], date="2009-01-01"),
        doc(3, "Probation in Lewisham", texts["3"], type="case_study", date="2008-01-01",
            summary="How a London borough moved low-risk offenders to lighter supervision."),
        doc(4, "Drug treatment in Stoke", texts["4"],
            type="case_study", summary="Integrated offender management.", date="2007-01-01"),
    ])
    yield made
    made.close()


def test_a_results_page_shows_each_sentence_once(backend):
    hits = backend.search(SearchRequest("probation", sort="date")).hits
    snippets = [plain(h.snippet) for h in hits]
    assert "The local CSP includes the police" in snippets[0]
    assert snippets[1] == "Partners fund analysts."
    every = [s for snippet in snippets for s in sentences(snippet)]
    assert len(every) == len(set(every))


def test_a_case_study_matched_in_its_title_shows_its_summary(backend):
    by_id = {h.id: h for h in backend.search(SearchRequest("probation")).hits}
    assert plain(by_id["3"].snippet) == ("How a London borough moved low-risk offenders to "
                                         "lighter supervision.")
    # Matched in its text only: the passage that holds the word, as for anything else.
    assert by_id["4"].snippet == "Police and <mark>probation</mark> staff worked together."
