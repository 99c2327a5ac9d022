"""Keep the search index in step with the store, and answer searches as JSON.

Corpus-level code: it reads items (models) and hands the search backend plain IndexDocuments.
The store's index_outbox says which items to redo; whoever runs drain() (the CLI after an
ingest, `hub index update`, a cron job) is the one writer, and a crash leaves the outbox rows
in place to be redone. `hub index rebuild` builds a fresh generation from every item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from hub.corpus import glance
from hub.corpus.answers import page_json
from hub.search import load_backend
from hub.search.base import BaseSearchBackend, IndexDocument, SearchRequest
from hub.store.models import IndexOutbox, Item
from hub.text.normalise import shorten

BATCH = 500
SUMMARY_CHARACTERS = 300
MAX_HEADINGS = 60
_HEADING = re.compile(r"<h[1-4][^>]*>(.*?)</h[1-4]>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _headings(item: Item) -> tuple[str, ...]:
    found = [" ".join(_TAG.sub(" ", h).split()) for h in _HEADING.findall(item.body_html or "")]
    found.extend(child.title for child in item.children)
    return tuple(h for h in found if h)[:MAX_HEADINGS]


def _places(item: Item, taxonomy) -> tuple[str, ...]:
    """The item's places and every place they sit in (county, region): the region roll-up."""
    found = list(item.tag_values("place"))
    if taxonomy is not None:
        found += [p.slug for slug in list(found) for p in taxonomy.ancestors(slug)]
    return tuple(dict.fromkeys(found))


def index_document(item: Item, taxonomy=None) -> IndexDocument:
    """The searchable form of a stored item, indexed under its places and their regions."""
    return IndexDocument(
        id=str(item.id), title=item.title, type=item.type, body=item.body_text or "",
        summary=shorten(item.summary or item.body_text or "", SUMMARY_CHARACTERS), headings=_headings(item), url=item.url,
        themes=tuple(item.tag_values("theme")), places=_places(item, taxonomy),
        organisations=tuple(item.tag_values("organisation")),
        date=item.published.isoformat() if item.published else None,
        parent_id=str(item.parent_id) if item.parent_id else None,
        breadcrumb=tuple(a.title for a in item.ancestors()),
        page=item.page_start, sources=tuple(s.url or s.origin for s in item.sources),
        evidence=glance.evidence_level(item.extra), savings=glance.saving_bands(item.outcomes),
        saving_status=glance.saving_statuses(item.outcomes),
        councils=glance.council_types(item.tag_values("place"), taxonomy),
    )


def _loaded(query):
    return query.options(selectinload(Item.tags), selectinload(Item.sources),
                         selectinload(Item.children), selectinload(Item.outcomes))


class SearchSync:
    """The corpus's search backend, fed from the store and answering in JSON."""

    def __init__(self, corpus, backend: BaseSearchBackend | None = None):
        self.corpus = corpus
        taxonomy = corpus.taxonomy
        self.backend = backend or load_backend(
            corpus.settings.search_backend, path=corpus.settings.index_dir,
            synonyms=taxonomy.synonyms, resolve=taxonomy.resolve, text_source=self.texts)

    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The full text of the items on the shown page, from the store (for snippets)."""
        with self.corpus.session() as session:
            rows = session.execute(select(Item.id, Item.body_text)
                                   .where(Item.id.in_([int(i) for i in ids])))
            return {str(item_id): text or "" for item_id, text in rows}

    def published(self, session: Session) -> Iterator[IndexDocument]:
        """Every searchable item (published, with words of its own) as an IndexDocument, in id
        order, a batch at a time."""
        last = 0
        while True:
            batch = list(session.scalars(_loaded(select(Item)).where(
                Item.id > last).order_by(Item.id).limit(BATCH)))
            yield from (index_document(item, self.corpus.taxonomy) for item in batch
                        if item.is_searchable)
            if len(batch) < BATCH:
                return
            last = batch[-1].id

    def rebuild(self) -> int:
        """Build a new index generation from the store and swap it in; returns the count."""
        with self.corpus.session() as session:
            high_water = session.scalar(select(func.max(IndexOutbox.id))) or 0
            written = self.backend.rebuild(self.published(session))
        with self.corpus.session() as session, session.begin():
            session.execute(delete(IndexOutbox).where(IndexOutbox.id <= high_water))
        return written

    def drain(self) -> tuple[int, int]:
        """Index what the outbox asks for, a batch per commit; returns (updated, removed)."""
        updated = removed = 0
        while True:
            with self.corpus.session() as session:
                rows = session.execute(select(IndexOutbox.id, IndexOutbox.item_id)
                                       .order_by(IndexOutbox.id).limit(BATCH)).all()
                if not rows:
                    return updated, removed
                docs, gone = self._changes(session, {item_id for _, item_id in rows})
            updated += self.backend.update(docs)
            removed += self.backend.delete(gone)
            with self.corpus.session() as session, session.begin():
                session.execute(delete(IndexOutbox).where(
                    IndexOutbox.id.in_([row_id for row_id, _ in rows])))

    def _changes(self, session: Session, item_ids: set[int]):
        items = {i.id: i for i in session.scalars(_loaded(select(Item)).where(
            Item.id.in_(item_ids)))}
        # A changed title changes its children's breadcrumbs: redo them too.
        for item in list(items.values()):
            for child in item.children:
                items.setdefault(child.id, child)
        taxonomy = self.corpus.taxonomy
        docs = [index_document(i, taxonomy) for i in items.values() if i.is_searchable]
        gone = [str(i) for i in items if not items[i].is_searchable]
        gone += [str(i) for i in item_ids if i not in items]
        return docs, gone

    def status(self) -> dict:
        """The live generation, how many documents it holds, and the outbox's length."""
        with self.corpus.session() as session:
            queued = session.scalar(select(func.count(IndexOutbox.id))) or 0
        return {"generation": self.backend.generation(), "documents": self.backend.count(),
                "queued": queued}

    def search(self, request: SearchRequest) -> dict:
        """A page of results as the JSON the API and `hub search --json` give."""
        page = self.backend.search(request)
        return page_json(request, page, self.date_precisions([h.id for h in page.hits if h.date]))

    def date_precisions(self, ids: Sequence[str]) -> dict[str, str]:
        """How much of each shown item's date is known ("year", "month", "day"), from the store."""
        if not ids:
            return {}
        with self.corpus.session() as session:
            rows = session.execute(select(Item.id, Item.date_precision)
                                   .where(Item.id.in_([int(i) for i in ids])))
            return {str(item_id): precision for item_id, precision in rows}

    def close(self) -> None:
        """Close the backend's searchers."""
        self.backend.close()

