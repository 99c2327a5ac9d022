"""Related items for the corpus: records from the store, the model kept current, JSON out.

The recommender (hub.recommend) knows nothing of the store; this module turns published items
into its records, decides after each ingest whether there is anything to do (one digest of
every item's content hash and place in its report), and turns suggestions back into items.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hub import recommend
from hub.store.models import Item, Tag, walk_up
from hub.text.hashing import sha256_hex
from hub.vocabulary.taxonomy import Taxonomy

MAX_LIMIT = 50
_CHUNK = 500  # ids per IN (...) query: well under SQLite's parameter limit


def published_signatures(session: Session) -> dict[int, tuple[str, tuple[int, ...]]]:
    """For every published item (whose reports are published too): its signature and ancestors."""
    rows = session.execute(select(Item.id, Item.parent_id, Item.is_published.label("shown"),
                                  Item.content_hash)).all()
    parent = {r.id: r.parent_id for r in rows}
    published = {r.id for r in rows if r.shown}
    result = {}
    for row in rows:
        chain = tuple(walk_up(row.id, parent.get))
        if row.id in published and published.issuperset(chain):
            result[row.id] = (sha256_hex(row.content_hash, ",".join(map(str, chain))), chain)
    return result


def load_records(session: Session, wanted: dict[int, tuple[str, tuple[int, ...]]],
                 ids: Iterable[int]) -> list[recommend.Record]:
    """Records for these item ids: title, summary and text, themes, family and signature."""
    records = []
    for chunk in _chunks(sorted(ids)):
        themes = _themes(session, chunk)
        query = select(Item.id, Item.title, Item.summary, Item.body_text, Item.type,
                       Item.fingerprint).where(Item.id.in_(chunk))
        for row in session.execute(query):
            signature, chain = wanted[row.id]
            text = "\n\n".join(filter(None, [row.summary, row.body_text]))
            records.append(recommend.Record(
                id=row.id, title=row.title, text=text, type=row.type,
                themes=tuple(themes[row.id]), ancestors=chain, twin_key=row.fingerprint,
                signature=signature))
    return records


def _themes(session: Session, ids: list[int]) -> dict[int, list[str]]:
    themes = defaultdict(list)
    query = (select(Tag.item_id, Tag.value).where(Tag.kind == "theme", Tag.item_id.in_(ids))
             .order_by(Tag.item_id, Tag.inferred, Tag.value))
    for item_id, value in session.execute(query):
        themes[item_id].append(value)
    return themes


def _chunks(ids: list[int]):
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


class RelatedSync:
    """The related-items model of one store: kept current by the writer, read by everyone."""

    def __init__(self, sessions: sessionmaker[Session], folder: Path,
                 taxonomy: Callable[[], Taxonomy],
                 policy: recommend.RefitPolicy | None = None):
        self.sessions, self.folder, self.taxonomy = sessions, folder, taxonomy
        self.policy = policy or recommend.RefitPolicy()
        self._lock = threading.Lock()
        self._model: recommend.RelatedModel | None = None
        self._stamp: tuple[int, int] | None = None

    def refresh(self, trust_state: bool = True) -> str:
        """Bring the persisted model up to date: "unchanged", "updated" or "refitted"."""
        with self._lock, self.sessions() as session:
            wanted = published_signatures(session)
            signature = recommend.corpus_signature({i: s for i, (s, _) in wanted.items()})
            state = recommend.read_state(self.folder) if trust_state else None
            if state and state["signature"] == signature:
                return "unchanged"
            # A private copy from disk: an update changes it in place while readers in other
            # threads keep using the one they have until it is swapped below.
            model = recommend.load(self.folder)
            outcome, model = self._bring_up_to_date(session, model, wanted, signature)
            self._model, self._stamp = model, recommend.stamp(self.folder)
        return outcome

    def _bring_up_to_date(self, session, model, wanted, signature):
        if model is not None and model.signature == signature:
            recommend.save_state(model, self.folder)  # only the state file was behind
            return "unchanged", model
        known = {r.id: r.signature for r in model.records if r} if model else {}
        changed_ids = [i for i, (s, _) in wanted.items() if known.get(i) != s]
        removed = set(known) - set(wanted)
        changed = load_records(session, wanted, changed_ids)
        if recommend.needs_refit(model, changed, removed, self.policy):
            model = recommend.fit(load_records(session, wanted, wanted), previous=model)
            outcome = "refitted"
        else:
            model = recommend.update(model, changed, removed)
            outcome = "updated"
        recommend.save(model, self.folder)
        return outcome, model

    def _is_current_copy(self) -> bool:
        return self._model is not None and self._stamp == recommend.stamp(self.folder)

    def model(self) -> recommend.RelatedModel:
        """The persisted model, reloaded when another process wrote a new one; built if absent."""
        if not self._is_current_copy():
            with self._lock:
                stamp = recommend.stamp(self.folder)
                model = recommend.load(self.folder) if stamp else None
                self._model, self._stamp = model, stamp
            if model is None:
                self.refresh(trust_state=False)  # missing, damaged or of an older version
        return self._model

    def for_item(self, session: Session, item_id: int, limit: int = 5) -> list[dict]:
        """Suggestions for a published item, as JSON-ready dicts (empty if it has no words)."""
        model = self.model()
        if item_id not in model.rows:
            # Published since the model was last refreshed: readers never refit (that is the
            # writer's job, in `hub ingest` and the serving process's cache worker).
            return []
        # Ask for a few spare in case an item was retired since the model was updated.
        found = recommend.related_to_item(model, item_id, max(limit, min(limit + 5, recommend.DEPTH)))
        return self._as_json(session, found, limit)

    def for_text(self, session: Session, text: str, limit: int = 5,
                 themes: tuple[str, ...] = ()) -> list[dict]:
        """Suggestions for a free text (the search page's "see also")."""
        found = recommend.related_to_text(self.model(), text, limit + 5, themes)
        return self._as_json(session, found, limit)

    def for_theme(self, session: Session, theme: str, limit: int = 5) -> list[dict]:
        """The items that best represent a theme (for the digest)."""
        entry = self.taxonomy().themes.get(theme)
        description = f"{entry.name}. {entry.description}" if entry else ""
        found = recommend.related_to_theme(self.model(), theme, limit + 5, description)
        return self._as_json(session, found, limit)

    def _as_json(self, session: Session, found: list[recommend.Suggestion],
                 limit: int) -> list[dict]:
        # The model may lag the store by an edit: only still-published items are shown.
        items = {i.id: i for i in session.scalars(select(Item).where(
            Item.id.in_([s.id for s in found]), Item.is_published))}
        taxonomy = self.taxonomy()
        return [
            {"id": s.id, "title": items[s.id].title, "type": items[s.id].type,
             "url": items[s.id].url, "score": s.score,
             "reasons": {"themes": [taxonomy.name_of("theme", t) for t in s.themes],
                         "terms": list(s.terms)}}
            for s in found if s.id in items
        ][:limit]
