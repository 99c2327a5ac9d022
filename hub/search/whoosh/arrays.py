"""Evaluate a Whoosh query over cached posting arrays: which documents match, and their scores.

Whoosh scores a query by walking a tree of matchers, a few Python calls per posting. For the
hub's queries of common words that is the whole cost of a search on a large index: at 100,000
documents a two-word query walks several hundred thousand postings, and the tier bonus (a
constant-score query) turns off Whoosh's block-max skipping. Here each term's postings are
read once per segment, block by block, into numpy arrays of document numbers and weights
(postings.SegmentStore, kept while the segment lives), turned into BM25F scores once per
searcher (kept in a bounded cache), and a query's boolean structure is evaluated with
vectorised sums, maxima and masks. The top documents are then picked with argpartition.
After a commit only the new segment's postings are read; the scores are recomputed with the
new collection statistics (idf, average length), as Whoosh would score them.

The scores are Whoosh's own: each term's score is computed by the searcher's weighting model
with Whoosh's statistics (idf, stored field lengths, average field length), and combined as
Whoosh's matchers combine them (a union or intersection adds, BestOf takes the best, a
constant-score query gives its constant, a boost multiplies). Queries of other kinds
(phrases, which need positions) are scored by Whoosh's own matchers, over only the documents
that could match. tests/test_array_search.py checks the scores against Whoosh's collector.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.query.wrappers import WrappingQuery

from hub.search import ranking
from hub.search.whoosh.internals import BestOf
from hub.search.whoosh.postings import MAX_CACHED_POSTINGS, Leaves, SegmentStore
from hub.search.whoosh.scoring import HubBM25F


@dataclass
class Matches:
    """A query's matches over the whole index: a mask, and a score for each matching document."""

    mask: np.ndarray  # bool, one per document number
    scores: np.ndarray | None  # float64, zero where the mask is False; None when not scored
    partial: bool = False  # the deadline passed before every part of the query was scored


class _Budget:
    """One evaluation's budget (each call has its own: searchers are shared by threads).

    The work limit counts postings scored, so where it cuts a query depends on the query
    and the index only, never on how busy the machine is; the deadline is a backstop far
    beyond what an ordinary query takes.
    """

    def __init__(self, deadline: float | None, work_limit: int | None = None):
        self.deadline = deadline
        self.work_limit = work_limit
        self.work = 0
        self.spent = False

    def scoring(self, scored: bool, cost: int = 0) -> bool:
        """Whether to score the next part (of `cost` postings): only if asked and neither
        the work limit nor the deadline has been passed."""
        if scored and not self.spent:
            over_work = self.work_limit is not None and self.work + cost > self.work_limit
            late = self.deadline is not None and time.monotonic() > self.deadline
            self.spent = over_work or late
            self.work += cost
        return scored and not self.spent


class ArraySearcher:
    """Masks and scores of queries over one searcher (whose reader never changes); `leaves`
    are its reader's segments in a store shared with the searchers before and after it."""

    def __init__(self, searcher, live: np.ndarray, leaves: Leaves | None = None):
        self.searcher = searcher
        self.live = live
        self.size = len(live)
        self.reader = searcher.reader()
        self.segments = leaves or SegmentStore().leaves(self.reader)
        self.leaves = list(searcher.leaf_searchers())  # (searcher, offset) per segment
        weighting = searcher.weighting
        # Only the hub's BM25F is rebuilt here from weights and lengths (with the parameters
        # of hub.search.ranking); any other model is asked posting by posting.
        self.bm25 = isinstance(weighting, HubBM25F)
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached = 0
        # Web workers share a searcher between threads, and successive searchers share the
        # segments' files: the cache's bookkeeping, and Whoosh's file reads (which seek a
        # shared file), happen under the store's lock.
        self._lock = self.segments.lock
        self._lengths: dict[str, np.ndarray] = {}
        self._dates: np.ndarray | None = None

    # --- postings --------------------------------------------------------------------------

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The document numbers holding a term and the term's score in each (cached)."""
        key = (field, text)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
            ids, weights = self.segments.postings(field, self._term_bytes(field, text))
            found = ids, self._term_scores(field, text, ids, weights)
            self._postings[key] = found
            self._cached += len(ids)
            while self._cached > MAX_CACHED_POSTINGS and len(self._postings) > 1:
                _key, (dropped, _scores) = self._postings.popitem(last=False)
                self._cached -= len(dropped)
            return found

    def _term_scores(self, field: str, text: str, ids: np.ndarray,
                     weights: np.ndarray) -> np.ndarray:
        """Whoosh's score of each posting: BM25F over the stored lengths, or the weight
        (the postings include deleted documents, which matches() masks out)."""
        if not len(ids) or not self.searcher.schema[field].scorable:
            return weights  # Whoosh's WeightScorer: the posting's weight
        if not self.bm25:  # Whoosh's own scores, of the live documents among the postings
            scored, found = self._scores_from_whoosh(wq.Term(field, text))
            scores = np.zeros(len(ids))
            scores[np.searchsorted(ids, scored)] = found
            return scores
        searcher = self.searcher
        return ranking.bm25(weights, self.lengths(field)[ids],
                            searcher.avg_field_length(field) or 1, searcher.idf(field, text), field)

    def lengths(self, field: str) -> np.ndarray:
        """Every document's stored (byte-rounded) length of a field, as Whoosh scores with."""
        found = self._lengths.get(field)
        if found is None:
            with self._lock:
                found = self._lengths[field] = self.segments.lengths(field)
        return found

    def dates(self) -> np.ndarray:
        """Every document's value of the sortable "date" column (0 where it has none)."""
        if self._dates is None:
            with self._lock:
                self._dates = self.segments.column("date")
        return self._dates

    def _term_bytes(self, field: str, text: str) -> bytes | None:
        schema = self.searcher.schema
        return schema[field].to_bytes(text) if field in schema else None

    # --- queries ---------------------------------------------------------------------------

    def mask(self, query: wq.Query) -> np.ndarray:
        """A boolean mask of the live documents the query matches."""
        return self.matches(query, scored=False).mask

    def matches(self, query: wq.Query, scored: bool = True, deadline: float | None = None,
                work_limit: int | None = None) -> Matches:
        """The live documents a query matches and, if scored, their scores.

        Past the work limit (postings scored) or the deadline, the parts of the query not yet
        scored add nothing (what matches is still exact), and the result says it is partial.
        """
        budget = _Budget(deadline, work_limit)
        found = self._eval(query, scored, budget)
        found.mask &= self.live
        if found.scores is None and scored:
            found.scores = np.zeros(self.size)
        if found.scores is not None:
            found.scores[~found.mask] = 0.0
        found.partial = budget.spent
        return found

    def _eval(self, query: wq.Query, scored: bool, budget: _Budget) -> Matches:
        boost = getattr(query, "boost", 1.0)
        if isinstance(query, wq.Term):
            cost = self.reader.doc_frequency(query.fieldname, query.text) \
                if query.fieldname in self.searcher.schema else 0
            return self._term(query, budget.scoring(scored, cost))
        if isinstance(query, wq.Every):
            return Matches(self.live.copy(), np.zeros(self.size) if scored else None)
        if isinstance(query, wq.ConstantScoreQuery):
            found = self._eval(query.child, False, budget)
            return Matches(found.mask, found.mask * query.score if scored else None)
        if isinstance(query, wq.AndMaybe):
            found = self._eval(query.a, scored, budget)
            if scored:
                extra = self._eval(query.b, scored, budget)
                if extra.scores is not None:
                    found.scores += np.where(found.mask, extra.scores, 0.0)
            return self._boosted(found, boost)
        if isinstance(query, wq.AndNot):
            found = self._eval(query.a, scored, budget)
            found.mask &= ~self._eval(query.b, False, budget).mask
            return self._boosted(found, boost)
        if isinstance(query, wq.Or) and _plain_or(query):
            combined = self._combine(query.subqueries, scored, budget, np.add, np.logical_or)
        elif isinstance(query, BestOf) and not query.tiebreak:
            combined = self._combine(query.subqueries, scored, budget, np.maximum,
                                     np.logical_or)
        elif isinstance(query, wq.And):
            combined = self._combine(query.subqueries, scored, budget, np.add, np.logical_and)
        elif isinstance(query, WrappingQuery) and type(query).matcher is WrappingQuery.matcher:
            combined = self._eval(query.child, scored, budget)
        else:
            return self._fallback(query, budget.scoring(scored, query.estimate_size(self.reader)))
        return self._boosted(combined, boost)

    def _term(self, query: wq.Term, scored: bool) -> Matches:
        mask = np.zeros(self.size, dtype=bool)
        if query.fieldname not in self.searcher.schema:
            return Matches(mask, np.zeros(self.size) if scored else None)
        ids, term_scores = self.postings(query.fieldname, query.text)
        mask[ids] = True
        scores = None
        if scored:
            scores = np.zeros(self.size)
            scores[ids] = term_scores * query.boost if query.boost != 1.0 else term_scores
        return Matches(mask, scores)

    def _combine(self, queries, scored: bool, budget: _Budget, add_scores,
                 add_masks) -> Matches:
        parts = [self._eval(q, scored, budget) for q in queries]
        if not parts:
            return Matches(np.zeros(self.size, bool), np.zeros(self.size) if scored else None)
        mask = parts[0].mask.copy()
        for part in parts[1:]:
            add_masks(mask, part.mask, out=mask)
        scores = None
        if scored:
            scores = np.zeros(self.size)
            for part in parts:
                if part.scores is not None:
                    add_scores(scores, part.scores, out=scores)
            if add_masks is np.logical_and:
                scores[~mask] = 0.0
        return Matches(mask, scores)

    def _boosted(self, found: Matches, boost: float) -> Matches:
        if found.scores is not None:
            if boost != 1.0:
                found.scores *= boost
            found.scores[~found.mask] = 0.0
        return found

    def _fallback(self, query: wq.Query, scored: bool) -> Matches:
        """Any other query (phrases, ranges): matched and scored by Whoosh's own matchers."""
        mask = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size) if scored else None
        if isinstance(query, wq.Phrase):
            # A phrase can only match where all its words are; skip the walk when none are.
            words = [self._term(wq.Term(query.fieldname, w), False).mask for w in query.words]
            if not words or not np.logical_and.reduce(words).any():
                return Matches(mask, scores)
        ids, found = self._scores_from_whoosh(query, scored)
        mask[ids] = True
        if scored:
            scores[ids] = found
        return Matches(mask, scores)

    def _scores_from_whoosh(self, query: wq.Query, scored: bool = True):
        """Document numbers and scores of a query, walked with Whoosh's matchers."""
        ids: list[int] = []
        scores: list[float] = []
        with self._lock:
            for sub, offset in self.leaves:
                context = sub.context() if scored else sub.boolean_context()
                matcher = query.matcher(sub, context)
                while matcher.is_active():
                    ids.append(matcher.id() + offset)
                    scores.append(matcher.score() if scored else 0.0)
                    matcher.next()
        return np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64)

    # --- ranking ---------------------------------------------------------------------------

    def top(self, mask: np.ndarray, scores: np.ndarray | None, count: int,
            by_date: bool = False, first_by: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The first `count` (document number, score) pairs of the masked documents.

        By score (ties: lower document number first, as Whoosh), by date, newest first, or
        by a per-document rank (`first_by`, highest first; the evidence level), then score.
        """
        candidates = np.flatnonzero(mask)
        values = scores[candidates] if scores is not None else np.zeros(len(candidates))
        if count <= 0 or not len(candidates):
            return []
        if first_by is not None:
            order = np.lexsort((candidates, -values, -first_by[candidates]))[:count]
        elif by_date:
            order = np.lexsort((candidates, -values, -self.dates()[candidates]))[:count]
        else:
            if len(candidates) > count:
                # Keep everything scoring at least the count-th best, so ties are settled
                # by document number below, not by where argpartition happened to put them.
                kth = np.partition(values, len(values) - count)[len(values) - count]
                keep = values >= kth
                candidates, values = candidates[keep], values[keep]
            order = np.lexsort((candidates, -values))[:count]
        return [(int(candidates[i]), float(values[i])) for i in order]


def _plain_or(query: wq.Or) -> bool:
    """An Or that adds its parts' scores (no minimum match, no coordination scaling)."""
    return not getattr(query, "minmatch", 0) and getattr(query, "scale", None) is None
