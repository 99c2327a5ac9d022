"""Keep the search index in step with the store, and answer searches as JSON.

Corpus-level code: it reads items (models) and hands the search backend plain IndexDocuments.
Every index follows the store's change log (hub.store.changes) from the position it keeps
beside itself: whoever runs follow() on a node (its `hub serve` worker, `hub ingest`, `hub
index update`) writes that node's index, and a crash only means some changes are applied again.
`hub index rebuild` builds a fresh generation from every item and deletes nothing.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, selectinload

from hub.corpus import glance
from hub.corpus.answers import page_json
from hub.indexing.tag import GIVEN_EVIDENCE
from hub.search import load_backend
from hub.search.base import BaseSearchBackend, IndexDocument, IndexUnavailable, SearchRequest
from hub.store import changes
from hub.store.corrections import EDITOR_EVIDENCE
from hub.store.models import Item
from hub.store.origins import origin_name
from hub.text.links import safe_url
from hub.text.normalise import shorten

log = logging.getLogger(__name__)
BATCH = 500
REGISTER_SECONDS = 60.0
SUMMARY_CHARACTERS = 300
MAX_HEADINGS = 60
_HEADING = re.compile(r"<h[1-4][^>]*>(.*?)</h[1-4]>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# Tags whose evidence says the source or an editor declared them, not the words of the text.
DECLARED = (GIVEN_EVIDENCE, EDITOR_EVIDENCE)
# Fields of a case study shown on its page beside the body (how it was evaluated, who to ask):
# searchable like the body ("focus groups", "customer insight unit").
SHOWN_EXTRAS = ("method", "contact")


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


def searchable_text(item: Item) -> str:
    """The item's text and what its page shows beside it (a case study's method, contact)."""
    shown = [str(item.extra.get(name) or "") for name in SHOWN_EXTRAS] if item.extra else []
    return "\n\n".join(filter(None, [item.body_text or "", *shown]))


def index_document(item: Item, taxonomy=None) -> IndexDocument:
    """The searchable form of a stored item, indexed under its places and their regions."""
    return IndexDocument(
        id=str(item.id), title=item.title, type=item.type, body=searchable_text(item),
        summary=shorten(item.summary or item.body_text or "", SUMMARY_CHARACTERS), headings=_headings(item), url=item.url,
        themes=tuple(item.tag_values("theme")), places=_places(item, taxonomy),
        subjects=tuple(t.value for t in item.tags if t.kind == "theme" and t.evidence in DECLARED),
        organisations=tuple(item.tag_values("organisation")),
        date=item.published.isoformat() if item.published else None,
        parent_id=str(item.parent_id) if item.parent_id else None,
        breadcrumb=tuple(a.title for a in item.ancestors()),
        page=item.page_start,
        sources=tuple(safe_url(s.url) or origin_name(s.origin) for s in item.sources),
        content_hash=item.content_hash,
        evidence=glance.evidence_level(item.extra), savings=glance.saving_bands(item.outcomes),
        saving_status=glance.saving_statuses(item.outcomes),
        councils=glance.council_types(item.tag_values("place"), taxonomy),
        family=_family(item),
    )


def _family(item: Item) -> str | None:
    """The id of the report an item is in, or its own if it is a report with sections."""
    ancestors = item.ancestors()
    if ancestors:
        return str(ancestors[0].id)
    return str(item.id) if item.children else None


def _loaded(query):
    return query.options(selectinload(Item.tags), selectinload(Item.sources),
                         selectinload(Item.children), selectinload(Item.outcomes))


@dataclass
class IndexCheck:
    """What `hub index check` found: ids the index lacks, holds in excess, holds stale, or
    holds more than once."""

    missing: list[str]
    extra: list[str]
    changed: list[str]
    documents: int
    repeated: int = 0  # documents beyond one per id (a change applied as an addition twice)

    @property
    def ok(self) -> bool:
        """True when the index holds exactly the store's searchable items, once, as stored."""
        return not (self.missing or self.extra or self.changed or self.repeated)


class SearchSync:
    """The corpus's search backend, fed from the store and answering in JSON."""

    def __init__(self, corpus, backend: BaseSearchBackend | None = None):
        self.corpus = corpus
        taxonomy = corpus.taxonomy
        self.backend = backend or load_backend(
            corpus.settings.search_backend, path=corpus.settings.index_dir,
            synonyms=taxonomy.synonyms, resolve=taxonomy.resolve, text_source=self.texts,
            concepts=taxonomy.concepts())
        self.damaged: IndexUnavailable | None = None
        self._registered = float("-inf")  # when this process last told the store its position

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
        """Build a new index generation from the store and swap it in; returns the count.

        The generation records the log's horizon taken before the store is read: every change
        below it is in what is read, and the ones after are followed (again, harmlessly)."""
        with self.backend.writing():
            with self.corpus.session() as session, session.begin():
                start = changes.horizon(session)
                # Registered first, so nobody prunes the log past it while it builds.
                changes.register(session, self.corpus.settings.follower_name, start)
            self._registered = time.monotonic()
            with self.corpus.session() as session:
                return self.backend.rebuild(self.published(session), position=start)

    def follow(self) -> tuple[int, int]:
        """Apply the change log from the index's position up to the horizon; returns
        (updated, removed). Each change is applied from the store's current state, so redoing
        one after a crash is harmless; the position moves only after the index has committed.

        An index with no position or one below the pruned floor, or one that cannot be read,
        is rebuilt from the store into a new generation instead, without anyone being asked.
        """
        try:
            if self.damaged:
                raise self.damaged
            with self.backend.writing():
                held = self.backend.count()  # opening it is what notices most damage
                start = self.backend.position()
                with self.corpus.session() as session:
                    if start is None or start < changes.floor(session):
                        # A new node's empty index is built as a matter of course.
                        log.log(logging.WARNING if held else logging.INFO,
                                "the search index has no place in the change log; "
                                "building it from the store")
                        return self._rebuilt()
                    end = changes.horizon(session)
                    changed = changes.changed_items(session, start, end) if end > start else set()
                counts = self._apply(sorted(changed))
                if end > start:
                    self.backend.set_position(end)
            self._register(end, moved=end > start)
            return counts
        except IndexUnavailable as exc:
            log.warning("%s; rebuilding it from the store", exc)
            return self._rebuilt()

    def _rebuilt(self) -> tuple[int, int]:
        written = self.rebuild()
        self.damaged = None
        return written, 0

    def _apply(self, item_ids: list[int]) -> tuple[int, int]:
        updated = removed = 0
        for first in range(0, len(item_ids), BATCH):
            with self.corpus.session() as session:
                docs, gone = self._changes(session, set(item_ids[first:first + BATCH]))
            updated += self.backend.update(docs)
            removed += self.backend.delete(gone)
        return updated, removed

    def _register(self, position: int, moved: bool) -> None:
        """Tell the store how far this index has read, and prune what every follower has."""
        now = time.monotonic()
        if not moved and now - self._registered < REGISTER_SECONDS:
            return  # an idle follower writes to the store once a minute, not every tick
        try:
            with self.corpus.session() as session, session.begin():
                changes.register(session, self.corpus.settings.follower_name, position)
                changes.prune(session)
        except OperationalError as exc:
            # The index is current either way; a store busy with a long write only delays
            # the record (and the pruning it allows) to a later tick.
            log.info("could not record this index's position yet: %s", exc.orig)
            return
        self._registered = now

    def check(self) -> IndexCheck:
        """How the index differs from the store: ids missing, extra, or with another content."""
        with self.corpus.session() as session:
            wanted = {str(item.id): item.content_hash for item in session.scalars(
                _loaded(select(Item))) if item.is_searchable}
        held = self.backend.hashes()
        total = self.backend.count()
        return IndexCheck(
            missing=sorted(set(wanted) - set(held), key=int),
            extra=sorted(set(held) - set(wanted), key=int),
            changed=sorted((i for i in set(wanted) & set(held)
                            if held[i] is not None and held[i] != wanted[i]), key=int),
            documents=len(held), repeated=total - len(held))

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
        """The live generation, its size, its place in the change log and how many changes
        are still to follow, and every follower's position."""
        position = self.backend.position()
        with self.corpus.session() as session:
            return {"generation": self.backend.generation(), "documents": self.backend.count(),
                    "position": position, "floor": changes.floor(session),
                    "behind": changes.pending(session, position),
                    "followers": [{"name": f.name, "position": f.position,
                                   "seen": f.seen_at.isoformat(timespec="seconds")}
                                  for f in changes.followers(session)]}

    def search(self, request: SearchRequest) -> dict:
        """A page of results as the JSON the API and `hub search --json` give;
        IndexUnavailable (remembered for the writer's next follow) when the index is damaged."""
        try:
            page = self.backend.search(request)
        except IndexUnavailable as exc:
            self.damaged = exc  # a damaged segment shows only when it is read
            raise
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

