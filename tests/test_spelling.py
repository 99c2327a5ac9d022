"""Did-you-mean's word finder: the same words as Whoosh's terms_within, found without
computing the edit distance to every word."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.filestore import RamStorage
from whoosh.index import FileIndex
from whoosh.support.levenshtein import damerau_levenshtein

from hub.search.whoosh.schema import SPELL_FIELD, build_schema, index_fields
from hub.search.whoosh.spelling import Vocabulary
from tests.support.search_documents import DOCS

ALPHABET = "abcdeinorstuéü19-"


class Lexicon:
    """A stand-in reader with just the lexicon Vocabulary reads."""

    def __init__(self, words):
        self.words = sorted(set(words))

    def lexicon(self, field):
        return iter(w.encode("utf-8") for w in self.words)


def within(words, word, distance, prefix):
    """terms_within, spelled out: every word within the distance that shares the prefix."""
    return {w for w in words if w.startswith(word[:prefix])
            and damerau_levenshtein(w, word, limit=distance) <= distance}


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(ALPHABET, min_size=1, max_size=9), max_size=60),
       word=st.text(ALPHABET, min_size=1, max_size=9),
       distance=st.integers(1, 2), prefix=st.integers(0, 2))
def test_within_finds_exactly_the_words_within_the_distance(words, word, distance, prefix):
    lexicon = Lexicon(words + [word[:-1], word[1:] + "s", word[::-1]])
    found = Vocabulary(lexicon, SPELL_FIELD).within(word, distance, prefix)
    assert set(found) == within(lexicon.words, word, distance, prefix)


def test_within_over_a_real_index_counts_a_swap_as_one_edit():
    # Whoosh's own terms_within differs by segment count: a one-segment reader walks a
    # Levenshtein automaton (a swap is two edits), a multi-segment one uses Damerau (one).
    # Vocabulary always counts a swap as one edit, the commonest typo.
    index = FileIndex.create(RamStorage(), build_schema(), "MAIN")
    writer = index.writer()
    for item in DOCS:
        writer.add_document(**index_fields(item))
    writer.commit()
    reader = index.reader()
    vocabulary = Vocabulary(reader, SPELL_FIELD)
    assert "customer" in vocabulary.words
    for word in ("custmer", "insigt", "probaton", "employmnet", "hosuing", "zzz", "counci"):
        for distance in (1, 2):
            expected = within(vocabulary.words, word, distance, 1)
            assert set(vocabulary.within(word, distance, prefix=1)) == expected, word
            assert set(reader.terms_within(SPELL_FIELD, word, distance, prefix=1)) <= expected
    assert "customer" in vocabulary.within("custmer", 1, prefix=1)
    assert "employment" in vocabulary.within("employmnet", 1, prefix=1)


def test_an_empty_vocabulary_finds_nothing():
    assert Vocabulary(Lexicon([]), SPELL_FIELD).within("custmer", 2, 1) == []


def test_sound_alikes_are_found_beyond_two_edits_but_not_beyond_three():
    vocabulary = Vocabulary(Lexicon(["insight", "inside", "insist", "incite", "customer"]),
                            SPELL_FIELD)
    # Metaphone INST for all three; "insist" is INSST.
    assert set(vocabulary.sounding_like("insite")) == {"insight", "inside", "incite"}
    assert vocabulary.sounding_like("insiteful") == []
    assert vocabulary.sounding_like("custmer") == ["customer"]
