"""Which shared terms may be shown as the reason two items are related.

A reason must tell a reader what the items have in common: not a short word, not a stop word or
a vague one ("believe", "colleagues"), not a personal name ("phil") and not a place name alone
("west", shared by West Cumbria and West Midlands). Names are told from words by their use: a
word is shown only if both texts use it in lower case somewhere, as an ordinary word; a name is
capitalised wherever it stands.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from hub.recommend.vectorize import STOP_WORDS, read_stop_words

WEAK_WORDS = read_stop_words(Path(__file__).with_name("weak_reasons.txt"))
STOP = frozenset(STOP_WORDS)

# Every word of a reason has at least this many letters ("fund", not "job" or "hr").
MIN_LETTERS = 4


def meaningful(term: str, texts: list[str]) -> bool:
    """True when the term may be shown as a reason shared by these texts."""
    words = term.split()
    if any(len(w) < MIN_LETTERS or w in STOP for w in words):
        return False
    if all(w in WEAK_WORDS for w in words):  # "believe colleagues" is as vague as its words
        return False
    return all(_in_lower_case(w).search(text) for w in words for text in texts)


@lru_cache(maxsize=4096)
def _in_lower_case(word: str) -> re.Pattern:
    # As a whole word: not inside another ("west" in "northwest") nor after a hyphen's capital.
    return re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])")
