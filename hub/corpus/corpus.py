"""The orchestrator: open the store, ingest files into it, keep the derived caches in step."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from hub.config import Settings
from hub.indexing.capped import Limits
from hub.indexing.document import ParseError
from hub.indexing.error_page import NothingToStore
from hub.store.database import make_engine, migrate, session_factory, transaction
from hub.store.origins import origin_for
from hub.store.writing import Result, save_document
from hub.text.counts import count
from hub.vocabulary.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from hub.corpus.related_sync import RelatedSync
    from hub.corpus.search_sync import SearchSync
    from hub.indexing.loader import ParseContext

TAXONOMY_RECHECK_SECONDS = 2.0


@dataclass
class IngestSummary:
    """What one ingest run did: files read, items by result, one line per error and per skip."""

    files: int = 0
    counts: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # read, but nothing to store (404 pages)
    notes: list[str] = field(default_factory=list)  # what parsers guessed, one line per note
    indexed: tuple[int, int] = (0, 0)  # search index entries (updated, removed)

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        c = self.counts
        return (
            f"{count(self.files, 'file')} read: {c[Result.NEW]} new, {c[Result.UPDATED]} updated, "
            f"{c[Result.UNCHANGED]} unchanged, {c[Result.MERGED]} merged"
            + (f", {len(self.skipped)} skipped" if self.skipped else "")
            + f"; {count(len(self.errors), 'error')}"
        )


class Corpus:
    """The store and what reads and writes it; one per process."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        migrate(self.engine)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        self._context: ParseContext | None = None
        self._taxonomy: Taxonomy | None = None
        self._taxonomy_checked = 0.0
        self._search: SearchSync | None = None
        self._related: RelatedSync | None = None
        self._related_checked = False

    @property
    def search(self) -> SearchSync:
        """The store's feed to the search backend, and searches (opened on first use)."""
        if self._search is None:
            # Imported here: Whoosh is only loaded by commands that search or index.
            from hub.corpus.search_sync import SearchSync

            self._search = SearchSync(self)
        return self._search

    @property
    def related(self) -> RelatedSync:
        """The related-items model of this store (brought up to date by `refresh()`)."""
        if self._related is None:
            # Imported here: scikit-learn takes seconds to load, and most commands never need it.
            from hub.corpus.related_sync import RelatedSync

            self._related = RelatedSync(self.sessions, self.settings.model_dir,
                                        lambda: self.taxonomy)
        return self._related

    @property
    def taxonomy(self) -> Taxonomy:
        """The controlled vocabulary from the content folder (files rechecked every 2 s)."""
        now = time.monotonic()
        if self._taxonomy is None or now - self._taxonomy_checked > TAXONOMY_RECHECK_SECONDS:
            # Checking the files' times costs a directory listing: pages ask thousands of
            # times a second, so look at most every couple of seconds.
            self._taxonomy = load_taxonomy(self.settings.taxonomy_dir)
            self._taxonomy_checked = now
        return self._taxonomy

    @property
    def parse_context(self) -> ParseContext:
        """Taxonomy and tagger, rebuilt when the taxonomy files change."""
        # Imported here: the parsers (trafilatura, lxml, pypdf) are for commands that read files.
        from hub.indexing.loader import ParseContext

        taxonomy = self.taxonomy
        if self._context is None or self._context.taxonomy is not taxonomy:
            settings = self.settings
            self._context = ParseContext.for_taxonomy(taxonomy, Limits(
                memory_cap=settings.parse_memory_mb << 20, time_limit=settings.parse_seconds,
                max_text_chars=settings.max_text_chars))
        return self._context

    def ingest(
        self, paths: Iterable[Path | str], progress: Callable[[Path, str], None] | None = None,
        index: bool = True,
    ) -> IngestSummary:
        """Parse and store every supported file under the paths; a bad file changes nothing.

        With index (the default) the search index then follows the change log, so search is current.
        """
        from hub.indexing.loader import discover, parse_files

        files, errors = discover([Path(p) for p in paths])
        summary = IngestSummary(errors=errors)
        read = parse_files([(path, origin_for(path)) for path in files], self.parse_context)
        for path, origin, outcome in read:
            summary.files += 1
            status = self._store_file(origin, outcome, summary)
            if progress:
                progress(path, status)
        if index:
            summary.indexed = self.search.follow()
        return summary

    def refresh_caches(self) -> None:
        """Bring the derived caches (search index, related model) up to date with the store."""
        updated, removed = self.search.follow()
        # The related model checks the whole store's signatures: only when something changed
        # (or on the first call in this process, to catch up with changes made elsewhere).
        if updated or removed or not self._related_checked:
            self.related.refresh()
            self._related_checked = True

    def _store_file(self, origin: str, outcome, summary: IngestSummary) -> str:
        """Store one file's documents (or count why it was not read); its status in words."""
        try:
            if isinstance(outcome, Exception):
                raise outcome
            docs = outcome
            with transaction(self.sessions) as session:
                results = [r for doc in docs for r in save_document(session, doc)]
        except NothingToStore as exc:
            summary.skipped.append(str(exc))
            return "skipped"
        except ParseError as exc:
            summary.errors.append(str(exc))
            return "error"
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
            summary.errors.append(f"{origin}: could not be stored: {type(exc).__name__}: {exc}")
            return "error"
        summary.counts.update(results)
        summary.notes.extend(f"{origin}: {note}" for doc in docs for part in doc.walk()
                             for note in part.notes)
        return ", ".join(f"{n} {r}" for r, n in Counter(results).items())

    def session(self) -> Session:
        """A new session for reading (the caller closes it)."""
        return self.sessions()

    def close(self) -> None:
        """Release the search index and the database connections."""
        if self._search is not None:
            self._search.close()
            self._search = None
        self.engine.dispose()

