"""The vocabulary is consistent: unique names, known parents, every place in a region. Checked
here on the test vocabulary; test_bundled_content checks the bundled one by the same rules."""

from __future__ import annotations

import pytest

from hub.indexing.tag import Tagger
from hub.vocabulary.taxonomy import TaxonomyError, load_taxonomy
from tests.support.vocabulary_rules import (
    check_every_place_name_is_unique,
    check_every_place_rolls_up_to_a_region,
    check_organisation_acronyms_are_unique,
    check_required_themes_exist,
)


def test_required_themes_exist(taxonomy):
    check_required_themes_exist(taxonomy)


def test_every_place_name_is_unique(taxonomy):
    check_every_place_name_is_unique(taxonomy)


def test_every_place_rolls_up_to_a_region(taxonomy):
    check_every_place_rolls_up_to_a_region(taxonomy)


def test_organisation_acronyms_are_unique(taxonomy):
    check_organisation_acronyms_are_unique(taxonomy)


def test_broken_taxonomy_names_the_file(tmp_path):
    (tmp_path / "themes.yml").write_text("- {slug: a, name: A}\n")
    (tmp_path / "organisations.yml").write_text("[]\n")
    (tmp_path / "places.yml").write_text("- {slug: x, name: X, kind: district, parent: nowhere}\n")
    with pytest.raises(TaxonomyError, match="places.yml: place 'x': unknown parent 'nowhere'"):
        load_taxonomy(tmp_path)


# The bundled gazetteer covers the UK: Scotland, Wales and Northern Ireland are regions beside
# the nine English ones, with their councils under them.

NATIONS = {"scotland": 32, "wales": 22, "northern-ireland": 11 + 25}  # NI: 2015's 11, 25 before


def test_the_product_gazetteer_has_the_nations_as_regions(product_taxonomy):
    regions = {p.slug for p in product_taxonomy.regions()}
    assert set(NATIONS) <= regions
    for nation, count in NATIONS.items():
        assert product_taxonomy.places[nation].kind == "region"
        members = [p for p in product_taxonomy.places.values() if p.region == nation]
        assert len(members) == count, nation
    check_every_place_name_is_unique(product_taxonomy)
    check_every_place_rolls_up_to_a_region(product_taxonomy)


@pytest.mark.parametrize(("name", "slug", "region"), [
    ("Aberdeenshire Council", "aberdeenshire", "scotland"),
    ("The City of Edinburgh Council", "city-of-edinburgh", "scotland"),
    ("Comhairle nan Eilean Siar", "na-h-eileanan-siar", "scotland"),
    ("Cardiff Council", "cardiff", "wales"),
    ("Cyngor Caerdydd", "cardiff", "wales"),
    ("Newport City Council", "newport", "wales"),
    ("Belfast City Council", "belfast", "northern-ireland"),
    ("Down District Council", "down", "northern-ireland"),
])
def test_council_names_resolve_to_their_nation(product_taxonomy, name, slug, region):
    assert product_taxonomy.resolve("place", name) == slug
    assert product_taxonomy.places[slug].region == region
    assert product_taxonomy.ancestors(slug)[-1].slug == region


def test_a_northern_irish_district_of_2008_rolls_up_through_its_2015_successor(product_taxonomy):
    chain = [p.slug for p in product_taxonomy.ancestors("down")]
    assert chain == ["newry-mourne-and-down", "northern-ireland"]


def test_the_tagger_finds_a_scottish_council_and_infers_its_nation(product_taxonomy):
    tagger = Tagger(product_taxonomy)
    found = tagger.find("place", "Library statistics for Aberdeenshire, 2016-17", "")
    assert [m.value for m in found] == ["aberdeenshire"]
    assert {m.value for m in tagger.with_regions(found)} == {"aberdeenshire", "scotland"}


def test_the_tagger_leaves_common_words_among_the_new_names_alone(product_taxonomy):
    # Bare names that are also ordinary words or name something else are `ambiguous`: only
    # their council forms count, whatever the case.
    prose = ("Visits went down again this year. Down the road, a highland fling at the newry "
             "fair drew a crowd; Angus said Highland cattle and the Moray Firth walk were the "
             "draw, and a trainee from Moray House agreed. Attendance in Newport Pagnell was up.")
    assert Tagger(product_taxonomy).find("place", "", prose) == []
    councils = "The Highland Council and Newport City Council wrote to Down District Council."
    assert {m.value for m in Tagger(product_taxonomy).find("place", "", councils)} == {
        "highland", "newport", "down"}
