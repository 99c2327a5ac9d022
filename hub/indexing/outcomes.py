"""Extract quantified money outcomes ("£74,000 per year", "£42m over 15 years") from text."""

from __future__ import annotations

import re

from hub.indexing.document import OutcomeRow
from hub.indexing.text import sentences

_SCALE = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6,
    "bn": 1e9, "b": 1e9, "billion": 1e9,
}
_NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNIT = r"(?:\s?(k|thousand|mn|m|bn|b|million|billion)\b)?"
_POUND = rf"£\s?{_NUMBER}{_UNIT}"
# "and" joins a range only after "between" ("between £100k and £250k").
_AMOUNT = re.compile(
    rf"(?P<between>between\s+)?{_POUND}"
    rf"(?:\s?(?:-|\u2013|\u2014|to|(?(between)and|(?!)))\s?(?:£\s?)?{_NUMBER}{_UNIT})?",
    re.IGNORECASE,
)
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "twenty-five": 25,
    "thirty": 30,
}
_SPAN = r"(\d+|" + "|".join(_WORD_NUMBERS) + r")"
_PERIOD_AFTER = re.compile(
    rf"^\s*(?:(?:is|are|was|were|will|be|being|been|saved|spent|gained|a|in|total)\s+){{0,3}}"
    rf"(?:(?:per|a|an|each|every)\s+(?P<unit>year|annum|month|week|day)\b"
    rf"|(?P<pa>p\.?\s?a\.?)(?=\W|$)|(?P<annually>annually|yearly)\b"
    rf"|over\s+(?:the\s+(?:next\s+|first\s+)?)?{_SPAN}\s+(?P<span_unit>years?|months?)\b"
    rf"|(?:a|one)[\s-]off\b(?P<oneoff>))",
    re.IGNORECASE,
)
_PERIOD_BEFORE = re.compile(r"\b(annual|annually|yearly|per year|a year|recurring)\b[^£]{0,40}$", re.I)
_ONE_OFF_BEFORE = re.compile(r"\b(?:one|a)[\s-]off\b[^£]{0,30}$", re.I)
_KINDS = (
    ("saving", re.compile(r"\b(sav(e|es|ed|ing|ings)|cut|reduc\w+|avoid\w*|cashable|lower)\b", re.I)),
    ("benefit", re.compile(r"\b(benefits?|return|gain|value of)\b", re.I)),
    ("funding", re.compile(r"\b(fund(s|ed|ing)?|grant|invest\w*|budget|allocat\w+)\b", re.I)),
    ("cost", re.compile(r"\b(cost(s|ing)?|spen[dt]\w*|expenditure|price)\b", re.I)),
)


def _value(number: str, unit: str | None) -> float:
    return float(number.replace(",", "")) * _SCALE.get((unit or "").lower(), 1.0)


def _range(match: re.Match) -> tuple[float, float | None]:
    """The low and high amounts; in "£2-3m" the unit after the range covers both ends."""
    number, unit, high_number, high_unit = match.group(2, 3, 4, 5)
    if not high_number:
        return _value(number, unit), None
    high = _value(high_number, high_unit or unit)
    low = _value(number, unit)
    if not unit and high_unit and _value(number, high_unit) < high:
        low = _value(number, high_unit)
    return low, high


def _period(after: str, before: str) -> str | None:
    match = _PERIOD_AFTER.match(after)
    if match:
        if match.group("unit"):
            unit = match.group("unit").lower()
            return "per year" if unit == "annum" else f"per {unit}"
        if match.group("pa") or match.group("annually"):
            return "per year"
        if match.group("span_unit"):
            span = match.group(4).lower()
            count = int(span) if span.isdigit() else _WORD_NUMBERS[span]
            unit = match.group("span_unit").lower().rstrip("s")
            return f"over {count} {unit}{'s' if count != 1 else ''}"
        return "one-off"
    if _ONE_OFF_BEFORE.search(before):
        return "one-off"
    return "per year" if _PERIOD_BEFORE.search(before) else None


def _kind(context: str) -> str | None:
    for kind, pattern in _KINDS:
        if pattern.search(context):
            return kind
    return None


def extract_outcomes(text: str) -> list[OutcomeRow]:
    """Every money amount in a text, with its range, period, kind and sentence."""
    rows: list[OutcomeRow] = []
    for sentence in sentences(text):
        for match in _AMOUNT.finditer(sentence):
            low, high = _range(match)
            before = sentence[max(0, match.start() - 60) : match.start()]
            after = sentence[match.end() : match.end() + 40]
            rows.append(
                OutcomeRow(
                    amount_text=match.group()[len(match.group("between") or "") :].strip(),
                    amount_gbp=low,
                    amount_high_gbp=high if high and high > low else None,
                    period=_period(after, before),
                    kind=_kind(before[-40:] + " " + after[:25]),
                    sentence=sentence,
                )
            )
    return rows
