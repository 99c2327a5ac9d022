"""Result units a reader wants: a report's sections as one result, case studies and guides
ahead of sections when scores are close, and no report filling the first page.

Every document inside a report carries its report's id (the "family" field; the report itself
too). Per searcher, that becomes one array: each document's family number, or -1. A query's
matches are then
1. weighed by type (ranking.TYPE_PRIOR), within their tier, so the all-words tier still comes
   first and a prior only settles close scores;
2. collapsed: of a report and its sections only the best-scoring one stays, carrying how many
   more of them matched (its "n more sections in this report");
3. spread: a report's third and later results (its lifted case studies) wait until after the
   first page, so one report never holds more than ranking.MOST_PER_REPORT of its places
   while anything else matched.
All of it is vectorised over the matches: a few sorts of the matching documents per query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hub.search import ranking
from hub.search.whoosh.facets import FacetCache, FacetField
from hub.search.whoosh.postings import Leaves

FAMILY_FIELD = "family"
STANDALONE_TYPES = ("case_study",)  # inside a report, still results of their own


class Families:
    """Each document's report (family number, -1 for none), its type prior and whether it
    folds into its report's one result; built once per searcher (from arrays of pairs, not a
    loop over the reports)."""

    def __init__(self, leaves: Leaves, facets: FacetCache):
        doc_count = facets.doc_count
        self.field = FacetField.of(leaves, FAMILY_FIELD)
        self.family = np.full(doc_count, -1, dtype=np.int64)
        # Documents in no report carry the empty value. The pairs are grouped by value, so
        # a document given two values keeps the last, as a loop over the values would.
        named = self.field.value_of_pair != self.field.number.get("", -1)
        self.family[self.field.doc_of_pair[named]] = self.field.value_of_pair[named]
        types = facets.fields["type"]
        prior_of = np.array([ranking.TYPE_PRIOR.get(v, 1.0) for v in types.values] or [1.0])
        standalone = np.array([v in STANDALONE_TYPES for v in types.values] or [False])
        self.prior = np.ones(doc_count, dtype=np.float64)
        self.prior[types.doc_of_pair] = prior_of[types.value_of_pair]
        self.collapsible = self.family >= 0
        self.collapsible[types.doc_of_pair[standalone[types.value_of_pair]]] = False

    def within(self, family_id: str) -> np.ndarray:
        """A mask of a report and everything inside it."""
        return self.field.mask([family_id])

    def name(self, number: int) -> str:
        """The report id of a family number."""
        return self.field.values[number]


@dataclass
class Units:
    """The matches as results: which documents are shown, their scores, and for a report's
    one result, how many more of its sections matched."""

    mask: np.ndarray
    scores: np.ndarray
    more: np.ndarray  # per document: the other matches folded into it (0 for most)
    demoted: np.ndarray  # per document: a report's result beyond the first few


def weighed(scores: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Scores times each type's prior, the all-words tier bonus left as it is."""
    tier = np.floor(scores / ranking.ALL_WORDS_BONUS) * ranking.ALL_WORDS_BONUS
    return tier + (scores - tier) * prior


def units(families: Families, mask: np.ndarray, scores: np.ndarray) -> Units:
    """Fold each report's matching sections into its best one and mark what to spread."""
    scores = weighed(scores, families.prior)
    folding = mask & families.collapsible
    members = np.flatnonzero(folding)
    more = np.zeros(len(mask), dtype=np.int64)
    shown = mask.copy()
    if len(members):
        family = families.family[members]
        # Best first within each family (ties: the lower document number, the report first).
        order = np.lexsort((members, -scores[members], family))
        firsts = np.ones(len(order), dtype=bool)
        firsts[1:] = family[order][1:] != family[order][:-1]
        shown[members[order[~firsts]]] = False
        leaders = members[order[firsts]]
        more[leaders] = np.bincount(family, minlength=len(families.field.values))[
            families.family[leaders]] - 1
    return Units(shown, scores, more, _beyond_first(families.family, shown, scores))


def _beyond_first(family: np.ndarray, shown: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The shown documents that are their report's third or later result, by score."""
    demoted = np.zeros(len(shown), dtype=bool)
    candidates = np.flatnonzero(shown & (family >= 0))
    if len(candidates) <= ranking.MOST_PER_REPORT:
        return demoted
    fam = family[candidates]
    order = np.lexsort((candidates, -scores[candidates], fam))
    sorted_fam = fam[order]
    starts = np.flatnonzero(np.r_[True, sorted_fam[1:] != sorted_fam[:-1]])
    place = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    demoted[candidates[order[place >= ranking.MOST_PER_REPORT]]] = True
    return demoted


def spread(ranked: list[tuple[int, float]], demoted: np.ndarray,
           page: int = ranking.FIRST_PAGE) -> list[tuple[int, float]]:
    """The ranking with a report's third and later results moved after the first page (unless
    too little else matched to fill it); their order among themselves, and everything after
    the first page, stay as ranked."""
    head: list[tuple[int, float]] = []
    held: list[tuple[int, float]] = []
    for position, pair in enumerate(ranked):
        if len(head) == page:
            return head + held + ranked[position:]
        (held if demoted[pair[0]] else head).append(pair)
    return head + held
