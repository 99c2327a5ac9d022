"""Counts with their nouns: "1 account", "5 case studies", "1,204 items". The one place that
knows how English makes plurals, for the pages (the `counted` filter), the CLI and the emails."""

from __future__ import annotations

import re

# Nouns the hub counts whose plural no rule below makes.
IRREGULAR = {"person": "people", "child": "children", "analysis": "analyses",
             "criterion": "criteria", "datum": "data"}
_SIBILANT = re.compile(r"(s|x|z|ch|sh)$")
_CONSONANT_Y = re.compile(r"[^aeiou]y$")


def plural(noun: str) -> str:
    """The plural of a noun or a phrase ending in one: "case study" -> "case studies"."""
    head, space, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in IRREGULAR:
        made = IRREGULAR[lower]
        made = made.capitalize() if last[:1].isupper() else made
    elif _CONSONANT_Y.search(lower):
        made = last[:-1] + "ies"
    elif _SIBILANT.search(lower):
        made = last + "es"
    else:
        made = last + "s"
    return head + space + made


def noun_for(number: int, noun: str, plural_form: str | None = None) -> str:
    """The noun as `number` of them needs it: singular for exactly one, else plural."""
    return noun if number == 1 else plural_form or plural(noun)


def count(number: int, noun: str, plural_form: str | None = None) -> str:
    """The number (with thousands separators) and its noun: "1 subscriber", "12 results"."""
    return f"{number:,} {noun_for(number, noun, plural_form)}"


# For Jinja: {{ total | counted('case study') }}, or {{ total | noun_for('result') }} beside a
# number styled on its own. (Not "count": that is Jinja's own name for length.)
TEMPLATE_FILTERS = {"counted": count, "noun_for": noun_for}
