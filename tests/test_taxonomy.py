"""The bundled vocabulary is consistent: unique names, known parents, every place in a region."""

from __future__ import annotations

from collections import Counter

import pytest

from hub.text.normalise import fold
from hub.vocabulary.taxonomy import TaxonomyError, load_taxonomy

REQUIRED_THEMES = {
    "data sharing", "worklessness", "customer insight", "performance", "partnership working",
    "total place", "shared services", "evidence", "neighbourhoods", "children and young people",
    "health and social care", "community safety", "housing", "value for money",
}


def test_required_themes_exist(taxonomy):
    names = " | ".join(t.name.lower() for t in taxonomy.themes.values())
    for theme in REQUIRED_THEMES:
        assert theme in names, theme


def test_every_place_name_is_unique(taxonomy):
    names = Counter(fold(n) for p in taxonomy.places.values() for n in (p.name, *p.aliases))
    assert [n for n, c in names.items() if c > 1] == []


def test_every_place_rolls_up_to_a_region(taxonomy):
    regions = {p.slug for p in taxonomy.regions()}
    assert len(regions) == 9
    for place in taxonomy.places.values():
        if place.kind != "region":
            assert place.region in regions, place.slug
            assert taxonomy.ancestors(place.slug)[-1].slug == place.region, place.slug


def test_organisation_acronyms_are_unique(taxonomy):
    acronyms = Counter(a for o in taxonomy.organisations.values() for a in o.acronyms)
    assert [a for a, c in acronyms.items() if c > 1] == []


def test_broken_taxonomy_names_the_file(tmp_path):
    (tmp_path / "themes.yml").write_text("- {slug: a, name: A}\n")
    (tmp_path / "organisations.yml").write_text("[]\n")
    (tmp_path / "places.yml").write_text("- {slug: x, name: X, kind: district, parent: nowhere}\n")
    with pytest.raises(TaxonomyError, match="places.yml: place 'x': unknown parent 'nowhere'"):
        load_taxonomy(tmp_path)
