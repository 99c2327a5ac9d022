"""The bundled content: enough of it, spread across themes, and it ingests with zero errors;
and the bundled vocabulary keeps the rules test_taxonomy checks on the test vocabulary.

Its subject is the product's own content/, so it reads it (tests.support.product_data)."""

from __future__ import annotations

from collections import Counter

import pytest

from hub.store import queries
from tests.support.product_data import bundled_content
from tests.support.vocabulary_rules import ENGLISH_REGIONS, RULES


def test_bundled_content_ingests_cleanly(product_corpus):
    corpus = product_corpus
    summary = corpus.ingest([bundled_content()])
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
    assert covered >= ENGLISH_REGIONS  # the bundled case studies are English
    again = corpus.ingest([bundled_content()])
    assert set(again.counts) == {"unchanged"}


def test_slugs_are_unique_across_content():
    stems = Counter(p.stem for p in bundled_content().rglob("*.md") if p.name != "README.md")
    assert [s for s, n in stems.items() if n > 1] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__.removeprefix("check_"))
def test_the_bundled_vocabulary_keeps_the_vocabulary_rules(product_taxonomy, rule):
    rule(product_taxonomy)


def test_every_council_has_a_type_and_a_region_and_the_map_draws_every_english_region(
        product_taxonomy):
    from hub.corpus.glance import COUNCIL_TYPES
    from hub.web.region_map import BOUNDARIES, boundaries

    councils = [p for p in product_taxonomy.places.values() if p.kind in COUNCIL_TYPES]
    assert len(councils) > 300
    assert [p.slug for p in councils if p.region not in product_taxonomy.places] == []
    kinds = Counter(p.kind for p in councils if p.region in ENGLISH_REGIONS)
    assert set(kinds) == set(COUNCIL_TYPES)  # county, district, unitary, metropolitan, London
    assert set(boundaries()) == ENGLISH_REGIONS
    assert BOUNDARIES.stat().st_size < 200_000
    assert "Open Government Licence" in (BOUNDARIES.parent / "README.md").read_text()
