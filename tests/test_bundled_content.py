"""The bundled content: enough of it, spread across themes, and it ingests with zero errors."""

from __future__ import annotations

from collections import Counter

from hub.config import DEFAULT_CONTENT_DIR
from hub.store import queries


def test_bundled_content_ingests_cleanly(corpus):
    summary = corpus.ingest([DEFAULT_CONTENT_DIR])
    assert summary.errors == []
    with corpus.session() as session:
        items = queries.all_items(session)
        types = Counter(i.type for i in items)
        themes = Counter(t for i in items if i.type == "case_study" for t in i.tag_values("theme"))
        regions = {p.slug for p in corpus.taxonomy.regions()}
        covered = {v for i in items for v in i.tag_values("place") if v in regions}
    assert types["case_study"] >= 20
    assert types["guide"] + types["article"] >= 5
    assert all(themes[slug] >= 2 for slug in corpus.taxonomy.themes if slug in themes)
    assert covered == regions
    again = corpus.ingest([DEFAULT_CONTENT_DIR])
    assert set(again.counts) == {"unchanged"}


def test_slugs_are_unique_across_content():
    stems = Counter(p.stem for p in DEFAULT_CONTENT_DIR.rglob("*.md") if p.name != "README.md")
    assert [s for s, n in stems.items() if n > 1] == []
