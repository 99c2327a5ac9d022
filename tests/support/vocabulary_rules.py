"""The rules any vocabulary must keep (unique names, known parents, every place in one of the
nine regions, unique acronyms, the hub's core themes), checked on the test vocabulary by
test_taxonomy and on the bundled one by test_bundled_content."""

from __future__ import annotations

from collections import Counter

from hub.text.normalise import fold
from hub.vocabulary.taxonomy import Taxonomy

REQUIRED_THEMES = {
    "data sharing", "worklessness", "customer insight", "performance", "partnership working",
    "total place", "shared services", "evidence", "neighbourhoods", "children and young people",
    "health and social care", "community safety", "housing", "value for money",
}


def check_required_themes_exist(taxonomy: Taxonomy) -> None:
    names = " | ".join(t.name.lower() for t in taxonomy.themes.values())
    for theme in REQUIRED_THEMES:
        assert theme in names, theme


def check_every_place_name_is_unique(taxonomy: Taxonomy) -> None:
    names = Counter(fold(n) for p in taxonomy.places.values() for n in (p.name, *p.aliases))
    assert [n for n, c in names.items() if c > 1] == []


def check_every_place_rolls_up_to_a_region(taxonomy: Taxonomy) -> None:
    regions = {p.slug for p in taxonomy.regions()}
    assert len(regions) == 9
    for place in taxonomy.places.values():
        if place.kind != "region":
            assert place.region in regions, place.slug
            assert taxonomy.ancestors(place.slug)[-1].slug == place.region, place.slug


def check_organisation_acronyms_are_unique(taxonomy: Taxonomy) -> None:
    acronyms = Counter(a for o in taxonomy.organisations.values() for a in o.acronyms)
    assert [a for a, c in acronyms.items() if c > 1] == []


RULES = [check_required_themes_exist, check_every_place_name_is_unique,
         check_every_place_rolls_up_to_a_region, check_organisation_acronyms_are_unique]
