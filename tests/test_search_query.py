"""The query language for people and the analyzers' fast indexing path."""

from __future__ import annotations

import pytest

from hub.search.analysis import index_terms
from hub.search.query import MAX_LENGTH, MAX_TERMS, Synonyms, parse
from hub.search.whoosh.analyzers import spelling_analyzer, text_analyzer


def terms(query):
    return [[(t.text, t.kind) for t in g.terms] for g in query.groups]


def test_words_phrases_exclusions_or_and_filters():
    query = parse('benefits "data sharing" -consent advisers OR mentors employ* '
                  'theme:worklessness place:"West Midlands" year:2008..2010 type:guide')
    assert terms(query) == [[("benefits", "word")], [("data sharing", "phrase")],
                            [("advisers", "word"), ("mentors", "word")], [("employ", "prefix")]]
    assert [t.text for t in query.excluded] == ["consent"]
    assert query.filters == {"theme": ["worklessness"], "place": ["West Midlands"],
                             "year": ["2008", "2009", "2010"], "type": ["guide"]}
    assert query.messages == []


@pytest.mark.parametrize("text, message", [
    ("*tion", "end of a word"), ("ab*", "end of a word"), ("?????", "end of a word"),
    ('"open quote', "Unbalanced"), ("(((", "Unbalanced"), ("year:2008..", "open ranges"),
    ("year:1900..2020", "at most"), ("x" * (MAX_LENGTH + 1), str(MAX_LENGTH)),
    (" ".join(f"w{i}" for i in range(MAX_TERMS + 5)), str(MAX_TERMS)),
    ("-theme:housing", "cannot be negated"),
])
def test_what_is_not_allowed_becomes_a_message(text, message):
    assert any(message in m for m in parse(text).messages)


def test_bounds_hold_for_hostile_input():
    query = parse(" OR ".join(["probation"] * 1000))
    assert terms(query) == [[("probation", "word")]]  # one term, however often it is ORed
    many = parse(" OR ".join(f"word{i}" for i in range(1000)))
    assert sum(len(g.terms) for g in many.groups) == MAX_TERMS
    repeated = parse("probation " * 20)
    assert terms(repeated) == [[("probation", "word")]]
    assert repeated.groups[0].terms[0].weight > 1  # typed again: weighs more
    assert len(parse("a b " * 5000).groups) == 0  # stop words only: nothing to search
    assert not parse("*a*").groups and not parse("[a TO z]").groups


def test_unknown_fields_and_stray_syntax_are_plain_words():
    assert terms(parse("ratio:high")) == [[("ratio", "word")], [("high", "word")]]
    assert terms(parse("probation)]}")) == [[("probation", "word")]]


def test_synonyms_widen_words_acronyms_and_phrases():
    synonyms = Synonyms([("NEET", "not in employment education or training"),
                         ("worklessness", "unemployment"), ("VfM", "value for money"),
                         ("IDeA", "Improvement and Development Agency")])
    neet = synonyms.widen(parse("NEET"))
    assert [(t.text, t.weight) for t in neet.groups[0].terms] == [
        ("NEET", 1.0), ("not in employment education or training", 0.5)]
    assert len(synonyms.widen(parse("idea")).groups[0].terms) == 1  # acronyms as written
    money = synonyms.widen(parse("value for money"))
    assert terms(money) == [[("value", "word")], [("money", "word")]]
    assert [t.text for t in money.extras] == ["value money", "VfM"]
    spelled_out = synonyms.widen(parse("not in employment, education or training"))
    assert "NEET" in [t.text for t in spelled_out.extras]


@pytest.mark.parametrize("text", [
    "Hello World, the NEETs' don't 16-18 year-olds e.g. £4.9m organization’s running café",
    "The  of a in on ... reoffending re-offending Worcestershire’s 2008/09 x y z a_b İstanbul",
])
def test_fast_indexing_path_gives_the_analyzers_terms(text):
    assert index_terms(text)[0] == [t.text for t in text_analyzer()(text)]
    assert index_terms(text, "porter")[0] == [t.text for t in text_analyzer("porter")(text)]
    assert index_terms(text, "unstemmed", 3)[0] == [t.text for t in spelling_analyzer()(text)]
    positions = [t.pos for t in text_analyzer()(text, positions=True)]
    terms_, start = index_terms(text)
    assert positions == list(range(start, start + len(terms_)))


def test_analyzer_folds_american_spelling_and_stems_well():
    assert index_terms("organization organisations running")[0] == ["organis", "organis", "run"]
