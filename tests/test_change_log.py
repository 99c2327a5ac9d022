"""The change log every search index follows (hub.store.changes): exact under commits out of
order, idempotent after a crash, never emptied by a reader, pruned below the slowest follower."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import func, select

from hub.corpus import Corpus
from hub.indexing.document import ParsedDocument
from hub.store import changes
from hub.store.database import transaction
from hub.store.models import Change, Follower, Item
from hub.store.writing import save_document


def _doc(n: int) -> ParsedDocument:
    return ParsedDocument(title=f"Change {n}", type="article", origin=f"c{n}.md", key=f"md:c{n}",
                          text=f"Item number {n} about shared services and {n} councils.")


def _save(corpus: Corpus, *numbers: int) -> None:
    with transaction(corpus.sessions) as session:
        for n in numbers:
            save_document(session, _doc(n))


def _indexed(corpus: Corpus) -> set[str]:
    with corpus.session() as session:
        ids = dict(session.execute(select(Item.key, Item.id)).all())
    held = corpus.search.backend.ids()
    return {key for key, item_id in ids.items() if str(item_id) in held}


def test_a_change_committed_after_a_later_numbered_one_is_never_skipped(corpus, stores):
    corpus.search.rebuild()
    late = corpus.sessions()  # a writer that takes its number first and commits last
    save_document(late, _doc(1))
    late.flush()  # its change is numbered now
    try:
        if stores.name == "postgresql":
            # Transactions commit in any order: this change is numbered after the open one's
            # and commits first. Following it now and moving past it would skip the open one
            # for good: the index waits below the oldest transaction still running.
            _save(corpus, 2)
        corpus.search.follow()
        assert _indexed(corpus) == set()
        late.commit()
    finally:
        late.close()
    if stores.name == "sqlite":
        _save(corpus, 2)  # SQLite lets one transaction write at a time: nothing overtakes it
    _save(corpus, 3)
    corpus.search.follow()
    assert _indexed(corpus) == {"md:c1", "md:c2", "md:c3"}


def test_reading_the_log_deletes_nothing_and_every_index_follows_it(corpus, settings, tmp_path):
    corpus.search.rebuild()
    other = Corpus(replace(settings, home=tmp_path / "node-b"))  # a second node, same store
    try:
        other.search.rebuild()
        _save(corpus, 1, 2)
        assert corpus.search.follow() == (2, 0)
        with corpus.session() as session:
            logged = session.scalar(select(func.count(Change.id)))
        assert logged == 2  # node A read them; node B has not yet
        assert other.search.follow() == (2, 0)
        assert _indexed(other) == _indexed(corpus) == {"md:c1", "md:c2"}
        # A rebuild deletes nothing and records where it was built from: nothing is redone.
        other.search.rebuild()
        assert other.search.follow() == (0, 0)
    finally:
        other.close()


def test_a_crash_before_the_position_moves_only_redoes_changes(corpus):
    corpus.search.rebuild()
    start = corpus.search.backend.position()
    _save(corpus, 1, 2)
    corpus.search.follow()
    corpus.search.backend.set_position(start)  # as if it died after the commit, before this
    assert corpus.search.follow() == (2, 0)  # applied again, to the same state
    assert corpus.search.backend.count() == 2
    assert corpus.search.check().ok


def test_the_log_is_pruned_below_the_slowest_live_follower(corpus):
    corpus.search.rebuild()
    with transaction(corpus.sessions) as session:
        changes.register(session, "slow node", corpus.search.backend.position())
    _save(corpus, 1)
    corpus.search.follow()  # follows and prunes what every live follower has read
    with transaction(corpus.sessions) as session:
        assert session.scalar(select(func.count(Change.id))) == 1  # the slow node needs it
        # A follower not seen for longer than FOLLOWER_EXPIRY holds nothing back.
        long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - changes.FOLLOWER_EXPIRY * 2
        session.execute(Follower.__table__.update().where(Follower.name == "slow node")
                        .values(seen_at=long_ago))
        assert changes.prune(session) == 1
        assert changes.floor(session) == corpus.search.backend.position()


def test_an_index_below_the_pruned_floor_is_rebuilt(corpus):
    corpus.search.rebuild()
    stale = corpus.search.backend.position()
    _save(corpus, 1, 2)
    corpus.search.follow()
    with transaction(corpus.sessions) as session:
        changes.prune(session)
    corpus.search.backend.set_position(stale)  # a node that was away while the log was pruned
    generation = corpus.search.backend.generation()
    assert corpus.search.follow() == (2, 0)
    assert corpus.search.backend.generation() != generation  # a new generation, from the store
    assert corpus.search.check().ok
