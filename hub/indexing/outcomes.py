"""Extract quantified money outcomes ("£74,000 per year", "£42m over 15 years") from text.

An outcome is a sum a reader would name as what something saved, cost, returned or was
funded with, stated in a sentence. So an amount counts only when:
- it stands in prose (enough words, few other amounts: not a chart's axis labels or a table
  row read out as a line);
- a word near it gives its kind (the nearest one wins: "cost £42m with a benefit of £101m"
  is a cost and a benefit);
- it is not a price, fee or threshold ("the fee is £350", "figures over £45,000 fail the
  check"), unless it is plainly a saving, benefit or funding ("a saving of over £1.6m").
Each outcome says whether it is projected ("will save", "estimated") or achieved ("saved").
"""

from __future__ import annotations

import re

from hub.indexing.document import OutcomeRow
from hub.indexing.text import sentences
from hub.text.counts import count as counted

_SCALE = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6,
    "bn": 1e9, "b": 1e9, "billion": 1e9,
}
_NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNIT = r"(?:\s?(k|thousand|mn|m|bn|b|million|billion)\b)?"
# The sign touches its figure: "£ 139" is a table's currency column meeting a row number.
_POUND = rf"£{_NUMBER}{_UNIT}"
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
    ("benefit", re.compile(r"\b(benefits?|return|gain|value of|income|revenue raised)\b", re.I)),
    ("funding", re.compile(r"\b(fund(s|ed|ing)?|grants?|invest\w*|budget|allocat\w+|awarded|"
                           r"secured)\b", re.I)),
    ("cost", re.compile(r"\b(cost(s|ing)?|spen[dt]\w*|expenditure|los[st]|losses)\b", re.I)),
)
# Prices, fees and thresholds: sums that are charged, paid or compared against.
_PRICE = re.compile(r"\b(fees?|charged?|charges|pric(e|es|ed)|purchased?|buy|bought|sold|pay|"
                    r"paid|paying|valued at|minimum|maximum|at least|no more than|less than|"
                    r"more than|under|below|above|threshold|must|eligib\w+|penalt\w+|fines?)\b",
                    re.I)
_PLAIN_KINDS = frozenset({"saving", "benefit", "funding"})
_PROJECTED = re.compile(r"\b(will|would|could|might|may|expected|expect|estimated?|projected|"
                        r"forecast|potential(ly)?|anticipated|planned|target(ed)?|aims?|"
                        r"predicted|likely|up to|proposed|should)\b", re.I)
_ACHIEVED = re.compile(r"\b(saved|has|have|had|was|were|delivered|achieved|realised|realized|"
                       r"generated|resulted|reduced|cut|made|spent|secured|awarded|since)\b",
                       re.I)
RESTATED = 0.01  # amounts this close in one document are the same amount stated again
MIN_SENTENCE_WORDS = 5
MAX_AMOUNTS = 4  # more amounts than this in one "sentence": a chart or a table, not prose
MIN_LETTER_SHARE = 0.5
MAX_FIGURE_SHARE = 0.25


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
            number = int(span) if span.isdigit() else _WORD_NUMBERS[span]
            unit = match.group("span_unit").lower().rstrip("s")
            return f"over {counted(number, unit)}"
        return "one-off"
    if _ONE_OFF_BEFORE.search(before):
        return "one-off"
    return "per year" if _PERIOD_BEFORE.search(before) else None


def _kind(before: str, after: str) -> str | None:
    """The kind named nearest the amount: before it (closest last), else just after it."""
    nearest: tuple[int, str] | None = None
    for kind, pattern in _KINDS:
        for match in pattern.finditer(before):
            distance = len(before) - match.end()
            if nearest is None or distance < nearest[0]:
                nearest = (distance, kind)
        for match in pattern.finditer(after):
            distance = match.start() + 10  # words after count a little less than before
            if nearest is None or distance < nearest[0]:
                nearest = (distance, kind)
    return nearest[1] if nearest else None


def _status(sentence: str) -> str | None:
    """'projected' or 'achieved', as far as the sentence's verbs tell."""
    if _PROJECTED.search(sentence):
        return "projected"
    return "achieved" if _ACHIEVED.search(sentence) else None


def _prose(sentence: str) -> bool:
    """True for a sentence of running text (not chart labels or a table row)."""
    words = sentence.split()
    visible = [ch for ch in sentence if not ch.isspace()]
    letters = sum(ch.isalpha() for ch in visible)
    # Figures other than sums ("2019", "177"): a sentence made of them is a table row.
    figures = sum(1 for word in words if not word.startswith("£")
                  and any(ch.isdigit() for ch in word))
    return (len(words) >= MIN_SENTENCE_WORDS and sentence.count("£") <= MAX_AMOUNTS
            and letters >= MIN_LETTER_SHARE * len(visible)
            and figures <= MAX_FIGURE_SHARE * len(words))  # else a table read as a line


def parse_amount(text: str) -> OutcomeRow | None:
    """One sum of money as an editor writes it ("£120,000", "£2-3m per year"), or None: no
    prose needed, and the kind is the editor's to give."""
    match = _AMOUNT.search(text)
    if not match:
        return None
    before, after = text[: match.start()], text[match.end():]
    return _row(match, text, before, after, _kind(before, after))


def _row(match: re.Match, sentence: str, before: str, after: str, kind: str | None,
         status: str | None = None) -> OutcomeRow:
    low, high = _range(match)
    return OutcomeRow(amount_text=match.group()[len(match.group("between") or ""):].strip(),
                      amount_gbp=low, amount_high_gbp=high if high and high > low else None,
                      period=_period(after, before), kind=kind, status=status,
                      sentence=sentence)


def extract_outcomes(text: str) -> list[OutcomeRow]:
    """Every money outcome in a text, with its range, period, kind, status and sentence."""
    rows: list[OutcomeRow] = []
    for sentence in sentences(text):
        if "£" not in sentence or not _prose(sentence):
            continue
        for match in _AMOUNT.finditer(sentence):
            before = sentence[max(0, match.start() - 60) : match.start()]
            after = sentence[match.end() : match.end() + 40]
            kind = _kind(before, after[:30])
            if kind is None or (kind not in _PLAIN_KINDS
                                and _PRICE.search(before[-40:] + " " + after[:30])):
                continue
            rows.append(_row(match, sentence, before, after, kind, _status(sentence)))
    return rows


def drop_restatements(nodes: list) -> None:
    """Within one document tree, an amount already stated (a summary restating a finding) is
    kept only where it first appears, case studies first: a lifted case study keeps its own
    outcomes, and the report's sections do not repeat them. Given outcomes are left alone."""
    seen: list[float] = []
    ordered = sorted(nodes, key=lambda node: node.type != "case_study")  # stable: reading order
    for node in ordered:
        if node.given_outcomes is not None:
            continue
        kept = []
        for row in node.outcomes:
            if any(abs(row.amount_gbp - amount) <= RESTATED * amount for amount in seen):
                continue
            kept.append(row)
        seen.extend(row.amount_gbp for row in kept)
        node.outcomes = kept
