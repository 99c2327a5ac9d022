"""Tagging from the controlled vocabulary: themes by weight, places with their regions."""

from __future__ import annotations

from hub.indexing.document import ParsedDocument
from hub.indexing.tag import Tagger, fold_token


def tagged(parse_context, title, text, **given):
    doc = ParsedDocument(title=title, type="article", text=text, origin="t", **given)
    parse_context.tagger.tag(doc)
    return {kind: {t.value for t in doc.tags if t.kind == kind}
            for kind in ("theme", "place", "organisation")}, doc


def test_place_brings_its_county_and_region(parse_context):
    tags, doc = tagged(parse_context, "Neighbourhood pilots", "Work in Allerdale and in Coventry.")
    assert {"allerdale", "cumbria", "north-west", "coventry", "west-midlands"} <= tags["place"]
    inferred = {t.value: t for t in doc.tags if t.inferred}
    assert "via Allerdale" in inferred["north-west"].evidence


def test_longest_name_wins(parse_context, taxonomy):
    tags, _ = tagged(parse_context, "x", "Central Bedfordshire Council and Luton worked together.")
    assert taxonomy.resolve("place", "Central Bedfordshire") in tags["place"]
    assert taxonomy.resolve("place", "Luton") in tags["place"]


def test_place_names_are_case_sensitive(parse_context, taxonomy):
    tags, _ = tagged(parse_context, "x", "They decided to bury the plan in reading lists.")
    assert tags["place"] == set()


def test_theme_needs_weight_but_title_counts_triple(parse_context):
    tags, _ = tagged(parse_context, "A note", "One passing mention of shared services here.")
    assert "shared-services" not in tags["theme"]
    tags, _ = tagged(parse_context, "Shared services in the county", "Some text.")
    assert "shared-services" in tags["theme"]


def test_acronyms_match_as_written(parse_context):
    tags, _ = tagged(parse_context, "x", "Reducing the number of NEETs. NEET rates fell.")
    assert "children-young-people" in tags["theme"]
    tags, _ = tagged(parse_context, "x", "Neet and tidy; neet again.")
    assert "children-young-people" not in tags["theme"]


def test_organisations_by_acronym_and_name(parse_context, taxonomy):
    tags, _ = tagged(parse_context, "x", "Funded by DWP with the Local Government Association.")
    assert {taxonomy.resolve("organisation", "DWP"),
            taxonomy.resolve("organisation", "LGA")} <= tags["organisation"]


def test_given_tags_replace_found_ones(parse_context):
    tags, _ = tagged(parse_context, "Data sharing", "data sharing data sharing",
                     given_themes=["housing-regeneration"], given_places=["allerdale"])
    assert tags["theme"] == {"housing-regeneration"}
    assert {"allerdale", "north-west"} <= tags["place"]


def test_plural_folding():
    assert fold_token("services") == "service"
    assert fold_token("efficiencies") == "efficiency"
    assert fold_token("process") == "process"


def test_tagger_scales_with_text_not_vocabulary(taxonomy):
    tagger = Tagger(taxonomy)
    assert tagger.books["place"].longest <= 8


def test_possessives_match(parse_context, taxonomy):
    tags, _ = tagged(parse_context, "x", "Coventry's partnership and the LGA's board.")
    assert "coventry" in tags["place"]
    assert taxonomy.resolve("organisation", "LGA") in tags["organisation"]


def test_a_place_inside_an_organisation_name_is_not_a_place(parse_context, taxonomy):
    tags, _ = tagged(parse_context, "x", "Oxford Consultants for Social Inclusion (OCSI) helped.")
    assert taxonomy.resolve("place", "Oxford") not in tags["place"]
    assert taxonomy.resolve("organisation", "OCSI") in tags["organisation"]


def test_a_jurisdiction_phrase_names_no_place(product_taxonomy):
    tagger = Tagger(product_taxonomy)
    found = tagger.find("place", "", "Every council in England and Wales must publish a "
                                     "register; the Prince of Wales opened the Leeds office.")
    assert [t.value for t in found] == ["leeds"]
    both = tagger.find("place", "", "Councils in Wales and in Scotland compared notes.")
    assert sorted(t.value for t in both) == ["scotland", "wales"]
