"""The rules any vocabulary must keep (unique names, known parents, the nine English regions and
every place in one of them or in one of the other nations of the UK, unique acronyms, the hub's
core themes), checked on the test vocabulary by test_taxonomy and on the bundled one by
test_bundled_content."""

from __future__ import annotations

from collections import Counter

from hub.text.normalise import fold
from hub.vocabulary.taxonomy import Taxonomy

ENGLISH_REGIONS = {
    "north-east", "north-west", "yorkshire-and-the-humber", "east-midlands", "west-midlands",
    "east-of-england", "london", "south-east", "south-west",
}
# Scotland, Wales and Northern Ireland are regions too (the bundled gazetteer has them; the
# test vocabulary need not).
OTHER_NATIONS = {"scotland", "wales", "northern-ireland"}

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
    assert regions >= ENGLISH_REGIONS
    assert regions <= ENGLISH_REGIONS | OTHER_NATIONS
    for place in taxonomy.places.values():
        if place.kind != "region":
            assert place.region in regions, place.slug
            assert taxonomy.ancestors(place.slug)[-1].slug == place.region, place.slug


def check_organisation_acronyms_are_unique(taxonomy: Taxonomy) -> None:
    acronyms = Counter(a for o in taxonomy.organisations.values() for a in o.acronyms)
    assert [a for a, c in acronyms.items() if c > 1] == []


RULES = [check_required_themes_exist, check_every_place_name_is_unique,
         check_every_place_rolls_up_to_a_region, check_organisation_acronyms_are_unique]
