"""A suggested evidence level on the Maryland Scientific Methods Scale, from the method a text
describes, with the sentence it comes from.

The scale as the What Works Centre for Local Economic Growth uses it, read for the methods
local services write up (the help page cites the definitions):

5  randomised: people or areas allocated to the service at random (an RCT)
4  a matched comparison: a comparison group matched to the treated one (propensity scores,
   the same risk model), or a quasi-experiment (regression discontinuity)
3  a comparison group: outcomes compared with an untreated group or area, or against
   averages and similar areas over the same period
2  before and after: the treated group's outcomes before and after, with no comparison group
1  descriptive or anecdotal (surveys, interviews, monitoring, case studies), or modelled or
   projected (the saving is an estimate, nothing was measured)

Each sentence is matched against the phrases of every level; the strongest level any sentence
supports wins (a study with a matched comparison usually also describes its before-and-after
figures), except that a phrase under a negation ("no control group", "without a comparison")
says nothing. A case study's own `method:` line is read first: it is what the author says was
done. Nothing here knows a particular document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hub.indexing.document import ParseError
from hub.indexing.text import sentences

LEVELS = {
    5: "Randomised trial",
    4: "Matched comparison",
    3: "Comparison group",
    2: "Before and after",
    1: "Descriptive, or modelled",
}
EVALUATED_TYPES = ("case_study", "report", "section")
MAX_WORDS = 80
_NEGATION = re.compile(r"\b(no|not|without|lack(?:ed|ing|s)?|absence of|nor)\b(?:\W+\w+){0,3}\W*$", re.I)
# "A randomised trial was not possible": the method named is the one that was not used.
_NEGATED_AFTER = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:was|were|is|would\s+be|could)\s+(?:not|never)\b"
                            r"|^\W*(?:\w+\W+){0,3}?(?:ruled\s+out|impossible|not\s+(?:possible|feasible))",
                            re.I)

_PHRASES: dict[int, list[str]] = {
    5: [r"randomi[sz]ed(?:\s+control(?:led)?)?\s+(?:trial|experiment|study|evaluation)s?",
        r"\bRCTs?\b", r"randomly\s+(?:allocated|assigned|selected\s+to\s+receive)",
        r"allocated\s+at\s+random", r"random\s+allocation"],
    4: [r"matched\s+(?:comparison|control)", r"matched\s+(?:group|sample|cohort)",
        r"propensity\s+score", r"quasi[- ]experiment\w*", r"regression\s+discontinuity",
        r"statistical(?:ly)?\s+match\w*"],
    3: [r"comparison\s+(?:group|area|cohort|sample|site)s?", r"control\s+(?:group|area|site)s?",
        r"counterfactual", r"difference[- ]in[- ]differences?",
        r"(?:compared|comparison|against|with)\s+(?:\w+\s+){0,3}(?:borough|national|county|"
        r"practice|regional|england|similar)\s+(?:\w+\s+)?(?:averages?|councils|areas|authorities)",
        r"similar\s+(?:areas|councils|authorities|families|people|claimants)\s+(?:that|who)\s+"
        r"(?:did\s+not|had\s+not|were\s+not)"],
    2: [r"before[- ]and[- ]after", r"before\s+and\s+(?:\w+\s+){0,4}after",
        r"(?:before|after)\s+(?:\w+\s+){0,6}(?:compared|against)",
        r"compared\s+with\s+(?:\w+\s+){0,6}before", r"\bbaseline\b",
        r"(?:repeated|re-?run)\s+(?:\w+\s+){0,3}(?:months?|years?)\s+(?:after|later)",
        r"(?:months?|years?)\s+before\s+and\s+after", r"pre[- ]and[- ]post",
        r"trend\s+analysis", r"time\s+series",
        r"comparison\s+of\s+(?:the\s+)?(?:\w+\s+){0,4}budgets"],
    1: [r"survey(?:s|ed)?", r"interview(?:s|ed)?", r"focus\s+groups?",
        r"anecdot\w+", r"feedback", r"workshops?", r"monitoring", r"audit", r"review\s+of",
        r"modell?(?:ed|ing)", r"projected", r"estimated", r"forecast", r"option\s+appraisal",
        r"spend\s+mapping", r"mapping", r"segmentation", r"correlation", r"user\s+testing"],
}
_COMPILED = {level: [re.compile(p, re.I) for p in phrases] for level, phrases in _PHRASES.items()}


@dataclass(frozen=True)
class EvidenceLevel:
    """A level (1-5) on the scale, its name, and the sentence that supports it."""

    level: int
    sentence: str

    def as_extra(self, confirmed: int | None = None) -> dict:
        """The level as an item keeps it in `extra["evidence"]`: the suggestion and its sentence,
        and the level shown, filtered and sorted on (an editor's, when one confirmed it)."""
        return {"suggested": self.level or None, "sentence": self.sentence,
                "level": confirmed or self.level, "confirmed": confirmed is not None}


def check_level(value, origin: str) -> int:
    """An editor's level from front matter or a sidecar: a whole number 1-5, else ParseError."""
    try:
        level = int(str(value).strip())
    except ValueError:
        level = 0
    if level not in LEVELS:
        raise ParseError(origin, f"{value!r} is not a level of the Maryland scale (1-5)",
                         "evidence_level")
    return level


def _sentence_level(sentence: str) -> int | None:
    for level in sorted(_COMPILED, reverse=True):
        for pattern in _COMPILED[level]:
            for match in pattern.finditer(sentence):
                if not (_NEGATION.search(sentence[: match.start()])
                        or _NEGATED_AFTER.search(sentence[match.end():])):
                    return level
    return None


def suggest_level(text: str, method: str | None = None) -> EvidenceLevel | None:
    """The level the `method` line describes, else the strongest the text's sentences
    describe, or None when nothing says how anything was evaluated.

    The method line is what the author says was done; the body may also name stronger
    methods it did not use (an evidence standard's definitions, "a trial was not possible").
    """
    if method and (level := _sentence_level(method)) is not None:
        return EvidenceLevel(level, method.strip())
    best: EvidenceLevel | None = None
    for sentence in sentences(text or ""):
        if len(sentence.split()) > MAX_WORDS:  # a contents page or a table read as one line
            continue
        level = _sentence_level(sentence)
        if level is not None and (best is None or level > best.level):
            best = EvidenceLevel(level, sentence.strip())
    return best


def attach_levels(root) -> None:
    """Put a suggested level on every case study, report and section of a parsed tree that
    describes an evaluation; a case study describing none is descriptive (level 1). A report
    takes the strongest level found anywhere in it; `confirmed` is an editor's level for the
    top document (`evidence_level:` in its front matter or sidecar, kept in its extra)."""
    confirmed = root.extra.pop("evidence_level", None)
    for node in reversed(list(root.walk())):  # children first, so a report sees its parts
        found = suggest_level(node.text, node.extra.get("method"))
        if node.type == "report":
            for part in node.walk():
                level = part.extra.get("evidence") if part is not node else None
                if level and level["suggested"] and (found is None or level["suggested"] > found.level):
                    found = EvidenceLevel(level["suggested"], level["sentence"])
        if found is None and node.type == "case_study":
            found = EvidenceLevel(1, "")
        given = confirmed if node is root else None
        if given and found is None:
            found = EvidenceLevel(0, "")  # nothing suggested: the editor's level stands alone
        if found is not None and (node.type in EVALUATED_TYPES or given):
            node.extra["evidence"] = found.as_extra(given)
