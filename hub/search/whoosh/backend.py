"""The Whoosh backend: one searcher per process, reopened when the index changes.

Writes take the single-writer lock and use the faster segment writer (internals, writing). A rebuild
writes a new generation (in worker processes when it is large) and swaps it in. Reads use
a snapshot (searcher, facet cache) that is replaced when the live generation or its Whoosh
commit changes, so web workers never need to be told.

Reopening after a small commit is cheap: the new reader shares the open files of every segment
it shares with the one before (internals.open_reader), what was read from a segment is kept
while the segment lives (postings.SegmentStore), and a snapshot's caches over the whole index
are put together from the segments' when first used. A writer finds the documents it replaces
with the snapshot's reader, and a commit merges small segments only.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

from whoosh import query as wq
from whoosh.searching import Searcher

from hub.search import feedback, ranking
from hub.search.analysis import DEFAULT_ANALYZER
from hub.search.base import (
    FACETS,
    MAX_PER_PAGE,
    SORTS,
    BaseSearchBackend,
    FilterResolver,
    Hit,
    IndexDocument,
    SearchError,
    SearchPage,
    SearchRequest,
    TextSource,
)
from hub.search.query import Concepts, ParsedQuery, Synonyms, Term, parse
from hub.search.whoosh import grouping, internals
from hub.search.whoosh.analyzers import text_analyzer
from hub.search.whoosh.arrays import ArraySearcher
from hub.search.whoosh.builder import BuiltQuery, QueryBuilder
from hub.search.whoosh.facets import FacetCache
from hub.search.whoosh.files import IndexFiles, unreadable_index
from hub.search.whoosh.grouping import Families
from hub.search.whoosh.internals import HubSegmentWriter
from hub.search.whoosh.postings import Leaves, SegmentStore
from hub.search.whoosh.schema import SPELL_FIELD, build_schema, index_fields
from hub.search.whoosh.scoring import HubBM25F
from hub.search.whoosh.snippets import Seen, snippet_for
from hub.search.whoosh.spelling import Speller, Vocabularies, Vocabulary
from hub.search.whoosh.writing import build_index

# A search scores at most WORK_LIMIT postings; past that (a pathological query), the parts
# not yet scored still decide what matches but add no score, and the page says so. Counting
# work, not time, keeps the order of an ordinary query the same however busy the machine;
# TIME_LIMIT is only a backstop, far beyond what an ordinary query takes.
WORK_LIMIT = 5_000_000
TIME_LIMIT = 5.0
NOTHING_TO_SEARCH = "Nothing left to search for: try plain words."


class Snapshot:
    """A searcher and the caches that belong to it, each built when first used (from its
    segments' arrays, most of them read for the searchers before it)."""

    def __init__(self, stamp: tuple, searcher, leaves: Leaves):
        self.stamp = stamp
        self.searcher = searcher
        self.leaves = leaves
        self._built: dict[str, object] = {}
        self._lock = threading.RLock()  # one cache is built from another

    def _once(self, name: str, build):
        found = self._built.get(name)
        if found is None:
            with self._lock:
                found = self._built.get(name)
                if found is None:
                    found = self._built[name] = build()
        return found

    @property
    def facets(self) -> FacetCache:
        """Every facet field's values and documents, and the live documents."""
        return self._once("facets", lambda: FacetCache(self.leaves, FACETS))

    @property
    def arrays(self) -> ArraySearcher:
        """Masks and scores of queries."""
        return self._once("arrays", lambda: ArraySearcher(self.searcher, self.facets.live,
                                                          self.leaves))

    @property
    def families(self) -> Families:
        """Each document's report, type prior and whether it folds into its report."""
        return self._once("families", lambda: Families(self.leaves, self.facets))

    def vocabulary(self) -> Vocabularies:
        """The did-you-mean words (each segment's built on the first suggestion it is asked
        for, and kept while the segment lives)."""
        return self._once("vocabulary", lambda: Vocabularies(
            [words for words, _offset in self.leaves.each(
                ("vocabulary", SPELL_FIELD), lambda leaf, _count: Vocabulary(leaf, SPELL_FIELD))]))


class WhooshBackend(BaseSearchBackend):
    """Search over a Whoosh index on disk (path) or in memory (path None)."""

    def __init__(self, path: Path | str | None = None, *, synonyms: Iterable = (),
                 concepts: Mapping[str, Iterable[str]] | None = None,
                 resolve: FilterResolver | None = None, text_source: TextSource | None = None,
                 analyzer: str = DEFAULT_ANALYZER, time_limit: float = TIME_LIMIT,
                 work_limit: int = WORK_LIMIT,
                 procs: int | None = None, weights: Mapping[str, float] | None = None):
        self.analyzer_name = analyzer
        self.analyzer = text_analyzer(analyzer)
        self.files = IndexFiles(path, lambda: build_schema(analyzer))
        self.synonyms = Synonyms(synonyms)
        self.concepts = Concepts(concepts)
        self.resolve = resolve
        self.text_source = text_source
        self.time_limit = time_limit
        self.work_limit = work_limit
        self.procs = procs or min(2, os.cpu_count() or 1)
        self.weights = dict(weights) if weights else None
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._retired: Snapshot | None = None
        self._segments = SegmentStore()

    # --- reading -----------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The current searcher, reopened if the live generation or its commit changed;
        IndexUnavailable when the index cannot be read."""
        name, index = self.files.open_current()
        with unreadable_index(name):
            stamp = (name, index.latest_generation())
        with self._lock:
            if self._snapshot is None or self._snapshot.stamp != stamp:
                before = self._snapshot
                previous = before.searcher.reader() \
                    if before is not None and before.stamp[0] == name else None
                with unreadable_index(name):
                    reader = internals.open_reader(index, previous)
                    searcher = Searcher(reader, weighting=HubBM25F(), fromindex=index)
                    fresh = Snapshot(stamp, searcher, self._segments.leaves(reader))
                # Keep the previous snapshot open: another thread may still be using it. The
                # one before it is closed, but for the segments the two newer ones still read.
                if self._retired is not None:
                    internals.close_segments(self._retired.searcher.reader(),
                                             self._segment_ids(before, fresh))
                self._retired, self._snapshot = before, fresh
            return self._snapshot

    @staticmethod
    def _segment_ids(*snapshots: Snapshot | None) -> set[str]:
        return set().union(*(internals.segment_ids(snap.searcher.reader())
                             for snap in snapshots if snap is not None))

    def _reader_for_writing(self, name: str):
        """The searchers' reader of the latest commit, for a writer to find documents with
        (None if this process has not searched this generation, or it cannot be read)."""
        if self._snapshot is None or self._snapshot.stamp[0] != name:
            return None
        try:
            return self.snapshot().searcher.reader()
        except SearchError:
            return None

    def _writer(self, name: str, index) -> HubSegmentWriter:
        return HubSegmentWriter(index, reader=self._reader_for_writing(name),
                                lock=self._segments.lock)

    def count(self) -> int:
        """How many documents the index holds."""
        return self.snapshot().searcher.doc_count()

    def generation(self) -> str:
        """The live generation's folder name and its Whoosh commit number."""
        name, commit = self.snapshot().stamp
        return f"{name}.{commit}"

    def ids(self) -> set[str]:
        """The ids of every document in the index."""
        return set(self.hashes())

    def hashes(self) -> dict[str, str | None]:
        """Each document's id and the content hash it was indexed with."""
        snap = self.snapshot()
        with unreadable_index(snap.stamp[0]):
            return {fields["id"]: fields["display"].get("hash")
                    for fields in snap.searcher.reader().all_stored_fields()}

    # --- writing -----------------------------------------------------------------------

    def update(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace documents by id in one commit; returns how many were written."""
        with self.files.writer_lock():
            name, index = self.files.open_current()
            writer = self._writer(name, index)
            written = 0
            for doc in documents:
                writer.update_document(**index_fields(doc))
                written += 1
            writer.commit(mergetype=internals.merge_small_segments) if written \
                else writer.cancel()
        return written

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id; returns how many were removed."""
        with self.files.writer_lock():
            name, index = self.files.open_current()
            writer = self._writer(name, index)
            removed = sum(writer.delete_by_term("id", str(i)) for i in ids)
            writer.commit(mergetype=internals.merge_small_segments) if removed \
                else writer.cancel()
        return removed

    def rebuild(self, documents: Iterable[IndexDocument], position: int | None = None) -> int:
        """Build a new generation from the documents, record the change-log position they
        were read at, and swap it in; returns the count."""
        with self.files.writer_lock():
            name, index = self.files.create_generation()
            written = build_index(index, map(index_fields, documents), procs=self.procs)
            if position is not None:
                self.files.write_position(name, position)
            self.files.publish(name, index)
        return written

    def position(self) -> int | None:
        """The change-log position the live generation reflects, or None if it has none."""
        return self.files.read_position(self.files.current_name())

    def set_position(self, position: int) -> None:
        """Record the live generation's position (after the commits it stands for)."""
        with self.files.writer_lock():
            name, _index = self.files.open_current()
            self.files.write_position(name, position)

    def writing(self) -> AbstractContextManager:
        """The single-writer lock (threads and processes), held across a whole step."""
        return self.files.writer_lock()

    def close(self) -> None:
        """Close the searchers."""
        with self._lock:
            closed: set[str] = set()
            for snap in (self._snapshot, self._retired):
                if snap is not None:  # each segment's files once: the two may share them
                    internals.close_segments(snap.searcher.reader(), closed)
                    closed |= internals.segment_ids(snap.searcher.reader())
            self._snapshot = self._retired = None

    # --- searching ---------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchPage:
        """One page of results, facet counts and a suggestion; never raises for bad input
        (IndexUnavailable for an index that cannot be read)."""
        snap = self.snapshot()
        with unreadable_index(snap.stamp[0]):
            return self._search(snap, request)

    def _search(self, snap: Snapshot, request: SearchRequest) -> SearchPage:
        parsed = self.concepts.widen(self.synonyms.widen(parse(request.query)))
        page = SearchPage(total=0, hits=[], page=max(1, request.page),
                          per_page=min(max(1, request.per_page), MAX_PER_PAGE),
                          messages=list(parsed.messages))
        page.filters = self._filters(parsed, request, page.messages)
        if request.sort not in SORTS:
            page.messages.append(f"Unknown sort {request.sort!r}; sorted by relevance.")
        builder = QueryBuilder(self.analyzer, snap.searcher.reader(), self.weights)
        built = builder.build(parsed)
        if (built.scored is not None and request.sort == "relevance" and self.text_source
                and len(parsed.groups) >= ranking.FEEDBACK_MIN_WORDS):
            built = self._with_feedback(snap, builder, parsed, built)
        typed_nothing = parsed.typed and not parsed.groups and not page.filters
        if typed_nothing or (parsed.groups and built.matching is None):
            page.messages.append(NOTHING_TO_SEARCH)
        else:
            by_date = request.sort == "date" or (built.scored is None
                                                 and request.sort != "evidence")
            self._collect(snap, built.scored, request, page, by_date, built.stems, built.tiered)
        if request.suggest:
            page.suggestion = self._suggestion(snap, parsed, request.query)
        return page

    def _with_feedback(self, snap: Snapshot, builder: QueryBuilder, parsed: ParsedQuery,
                       built: BuiltQuery) -> BuiltQuery:
        """The query widened with the words its first results share (hub.search.feedback)."""
        found = snap.arrays.matches(built.scored, scored=True,
                                    deadline=time.monotonic() + self.time_limit,
                                    work_limit=self.work_limit)
        first = snap.arrays.top(found.mask, found.scores, ranking.FEEDBACK_DOCUMENTS)
        ids = [snap.searcher.stored_fields(number)["id"] for number, _ in first]
        texts = self._texts(ids)
        reader = snap.searcher.reader()
        # Scores without the all-words bonus: how well each document matched, not its tier.
        documents = [(texts.get(i, ""), score % ranking.ALL_WORDS_BONUS)
                     for i, (_, score) in zip(ids, first, strict=True)]
        added = feedback.expansion(documents, builder.tokens, built.stems, reader.doc_count(),
                                   lambda term: reader.doc_frequency(ranking.MATCH_FIELD, term),
                                   len(parsed.groups))
        if not added:
            return built
        widened = replace(parsed, extras=[*parsed.extras,
                                          *(Term(term, "stem", weight) for term, weight in added)])
        rebuilt = builder.build(widened)
        rebuilt.stems = built.stems  # highlight what was typed, not what feedback added
        return rebuilt

    def _filters(self, parsed: ParsedQuery, request: SearchRequest,
                 messages: list[str]) -> dict[str, list[str]]:
        wanted: dict[str, list[str]] = {}
        for source in (parsed.filters, request.filters):
            for name, values in source.items():
                if name not in FACETS:
                    messages.append(f"Unknown filter {name!r} was ignored "
                                    f"(filters: {', '.join(FACETS)}).")
                    continue
                for value in ([values] if isinstance(values, str) else values):
                    resolved = self._resolve(name, str(value).strip())
                    if resolved is None:
                        messages.append(f"Unknown {name} {value!r} was ignored.")
                    elif resolved not in wanted.setdefault(name, []):
                        wanted[name].append(resolved)
        return {name: values for name, values in wanted.items() if values}

    def _resolve(self, name: str, value: str) -> str | None:
        if not value:
            return None
        if name not in ("theme", "place", "organisation"):  # plain values, not vocabulary
            return value.lower().replace(" ", "_")
        return self.resolve(name, value) if self.resolve else value

    def _collect(self, snap: Snapshot, scored: wq.Query | None, request: SearchRequest,
                 page: SearchPage, by_date: bool, stems: set[str], tiered: bool = False) -> None:
        # The scored query matches exactly what the matching query matches (the tier bonus
        # only lifts documents that match anyway), so one evaluation gives both; with no
        # words (filters only) every document matches and the newest come first.
        deadline = time.monotonic() + self.time_limit
        found = snap.arrays.matches(scored or wq.Every(), scored=scored is not None,
                                    deadline=deadline, work_limit=self.work_limit)
        if request.ids is not None:
            found.mask &= snap.arrays.mask(wq.Or([wq.Term("id", str(i)) for i in request.ids]))
        if request.within is not None:
            found.mask &= snap.families.within(str(request.within))
        if found.partial:
            page.partial = True
            page.messages.append("The search took too long; the results are ranked by what "
                                 "was scored in time.")
        narrowed, counts = snap.facets.narrow(found.mask, page.filters)
        if request.facets:
            page.facets = counts
        scores, more, demoted = found.scores, None, None
        first_by = snap.facets.ranks("evidence") if request.sort == "evidence" else None
        if scores is not None and request.group and request.within is None:
            grouped = grouping.units(snap.families, narrowed, scores)
            narrowed, scores, more = grouped.mask, grouped.scores, grouped.more
            if not by_date and first_by is None and grouped.demoted.any():
                demoted = grouped.demoted
        page.total = int(narrowed.sum())
        if tiered and scores is not None:
            page.all_words = int((narrowed & (scores >= ranking.ALL_WORDS_BONUS)).sum())
        end = page.page * page.per_page
        if demoted is None:
            ranked = snap.arrays.top(narrowed, scores, end, by_date=by_date, first_by=first_by)
        else:  # deep enough that the first page can be filled past what is held back
            depth = max(end, ranking.FIRST_PAGE) + int(demoted.sum())
            ranked = grouping.spread(snap.arrays.top(narrowed, scores, depth), demoted)[:end]
        shown = ranked[end - page.per_page:]
        stored = [(snap.searcher.stored_fields(number), score,
                   int(more[number]) if more is not None else 0) for number, score in shown]
        texts = self._texts([fields["id"] for fields, _score, _more in stored]) \
            if request.highlight else {}
        seen = Seen()  # sentences already in a snippet: none is shown twice on a page
        page.hits = [self._hit(fields, score, texts, stems if request.highlight else set(), seen,
                               folded) for fields, score, folded in stored]

    def _texts(self, ids: list[str]) -> Mapping[str, str]:
        if self.text_source is None or not ids:
            return {}
        return self.text_source(ids)

    def _hit(self, fields: Mapping, score: float, texts: Mapping[str, str], stems: set[str],
             seen: Seen, more: int = 0) -> Hit:
        shown = fields["display"]
        snippet = snippet_for(shown, texts.get(fields["id"], ""), stems, self.analyzer, seen)
        return Hit(id=fields["id"], score=round(score, 4), snippet=snippet, more_in_report=more,
                   **{k: v for k, v in shown.items() if k not in ("summary", "hash")})

    # --- did you mean ------------------------------------------------------------------

    def suggest(self, text: str) -> str | None:
        """A corrected query from the corpus's own words, or None."""
        return self._suggestion(self.snapshot(), parse(text), text)

    def _suggestion(self, snap: Snapshot, parsed: ParsedQuery, text: str) -> str | None:
        if not parsed.words and not parsed.excluded_words:
            return None
        reader = snap.searcher.reader()

        def known(word: str) -> bool:
            if reader.doc_frequency(SPELL_FIELD, word):
                return True
            return any(reader.doc_frequency("body", t) for t in builder_terms(word))

        builder_terms = QueryBuilder(self.analyzer, reader).tokens
        speller = Speller(snap.searcher, SPELL_FIELD, known, snap.vocabulary())
        # Left-out words are corrected apart: they are not meant to occur with the others.
        corrections = speller.correct(parsed.words) | speller.correct(parsed.excluded_words)
        if not corrections:
            return None
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, corrections)) + r")\b", re.I)
        return pattern.sub(lambda m: corrections[m.group(0).lower()], text)


SearchBackend = WhooshBackend
