"""The orchestrator: open the store, ingest files into it, and answer questions about items."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from hub.config import PROJECT_DIR, Settings
from hub.indexing.document import ParseError
from hub.indexing.loader import ParseContext, discover, parse_file
from hub.models import Item, Tag, make_engine, migrate, session_factory, transaction
from hub.related import RelatedItems
from hub.storage import Result, save_document
from hub.taxonomy import Taxonomy, load_taxonomy

TAXONOMY_RECHECK_SECONDS = 2.0


@dataclass
class IngestSummary:
    """What one ingest run did: files read, items by result, and one line per error."""

    files: int = 0
    counts: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    indexed: tuple[int, int] = (0, 0)  # search index entries (updated, removed)

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        c = self.counts
        return (
            f"{self.files} files read: {c[Result.NEW]} new, {c[Result.UPDATED]} updated, "
            f"{c[Result.UNCHANGED]} unchanged, {c[Result.MERGED]} merged; "
            f"{len(self.errors)} error{'s' * (len(self.errors) != 1)}"
        )


def origin_for(path: Path) -> str:
    """How a file is named in provenance: relative to the project when inside it."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(PROJECT_DIR))
    except ValueError:
        return str(resolved)


def path_for(origin: str) -> Path:
    """The file an origin names (origins inside the project are relative to it)."""
    path = Path(origin)
    return path if path.is_absolute() else PROJECT_DIR / path


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
        self._search = None
        self._related: RelatedItems | None = None
        self._related_checked = False

    @property
    def search_index(self):
        """The search index over this store (opened on first use; see hub.search_index)."""
        if self._search is None:
            from hub.search_index import SearchIndex

            self._search = SearchIndex(self)
        return self._search

    @property
    def related(self) -> RelatedItems:
        """The related-items model of this store (brought up to date by `refresh()`)."""
        if self._related is None:
            self._related = RelatedItems(self.sessions, self.settings.model_dir,
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
        taxonomy = self.taxonomy
        if self._context is None or self._context.taxonomy is not taxonomy:
            self._context = ParseContext.for_taxonomy(taxonomy)
        return self._context

    def ingest(
        self, paths: Iterable[Path | str], progress: Callable[[Path, str], None] | None = None,
        index: bool = True,
    ) -> IngestSummary:
        """Parse and store every supported file under the paths; a bad file changes nothing.

        With index (the default) the search index then drains the outbox, so search is current.
        """
        files, errors = discover([Path(p) for p in paths])
        summary = IngestSummary(errors=errors)
        context = self.parse_context
        for path in files:
            summary.files += 1
            status = self._ingest_file(path, context, summary)
            if progress:
                progress(path, status)
        if index:
            summary.indexed = self.search_index.drain()
        return summary

    def refresh_caches(self) -> None:
        """Bring the derived caches (search index, related model) up to date with the store."""
        updated, removed = self.search_index.drain()
        # The related model checks the whole store's signatures: only when something changed
        # (or on the first call in this process, to catch up with changes made elsewhere).
        if updated or removed or not self._related_checked:
            self.related.refresh()
            self._related_checked = True

    def _ingest_file(self, path: Path, context: ParseContext, summary: IngestSummary) -> str:
        origin = origin_for(path)
        try:
            docs = parse_file(path, origin, context)
            with transaction(self.sessions) as session:
                results = [r for doc in docs for r in save_document(session, doc)]
        except ParseError as exc:
            summary.errors.append(str(exc))
            return "error"
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
            summary.errors.append(f"{origin}: could not be stored: {type(exc).__name__}: {exc}")
            return "error"
        summary.counts.update(results)
        return ", ".join(f"{n} {r}" for r, n in Counter(results).items())

    def session(self) -> Session:
        """A new session for reading (the caller closes it)."""
        return self.sessions()

    def items(self, session: Session, type_: str | None = None) -> list[Item]:
        """Items in id order, optionally of one type, with tags and sources loaded."""
        query = select(Item).options(selectinload(Item.tags), selectinload(Item.sources))
        if type_:
            query = query.where(Item.type == type_)
        return list(session.scalars(query.order_by(Item.id)))

    def item(self, session: Session, item_id: int) -> Item | None:
        """One item by id, or None."""
        return session.get(Item, item_id)

    def count(self, session: Session) -> int:
        """How many items the store holds."""
        return session.scalar(select(func.count(Item.id))) or 0

    def stats(self, session: Session) -> dict:
        """Counts of items by type, theme and region, largest first."""
        taxonomy = self.taxonomy
        by_type = session.execute(
            select(Item.type, func.count()).group_by(Item.type).order_by(func.count().desc())
        ).all()
        by_tag = session.execute(
            select(Tag.kind, Tag.value, func.count()).group_by(Tag.kind, Tag.value)
            .order_by(func.count().desc())
        ).all()
        regions = {p.slug for p in taxonomy.regions()}
        return {
            "items": self.count(session),
            "types": [(t, n) for t, n in by_type],
            "themes": [(taxonomy.name_of("theme", v), n) for k, v, n in by_tag if k == "theme"],
            "regions": [(taxonomy.name_of("place", v), n) for k, v, n in by_tag
                        if k == "place" and v in regions],
        }

    def close(self) -> None:
        """Release the search index and the database connections."""
        if self._search is not None:
            self._search.close()
            self._search = None
        self.engine.dispose()


def item_json(item: Item, with_text: bool = False) -> dict:
    """The JSON form of an item used by `hub list`, `hub show` and the API."""
    data = {
        "id": item.id,
        "title": item.title,
        "type": item.type,
        "status": item.status,
        "url": item.url,
        "parent": item.parent_id,
        "date": item.published.isoformat() if item.published else None,
        "themes": item.tag_values("theme"),
        "places": item.tag_values("place"),
        "organisations": item.tag_values("organisation"),
        "sources": [{"origin": s.origin, "label": s.label, "url": s.url} for s in item.sources],
        "outcomes": [
            {"text": o.text, "amount": o.amount_text, "amount_gbp": o.amount_gbp,
             "amount_high_gbp": o.amount_high_gbp, "period": o.period, "kind": o.kind}
            for o in item.outcomes
        ],
        "content_hash": item.content_hash,
    }
    if item.page_start:
        data["pages"] = [item.page_start, item.page_end or item.page_start]
    if with_text:
        data["summary"] = item.summary
        data["text"] = item.body_text
        data["footnotes"] = item.footnotes
        data["children"] = [c.id for c in item.children]
        data["evidence"] = {f"{t.kind}:{t.value}": t.evidence for t in item.tags}
    return data
