"""The vocabulary is consistent: unique names, known parents, every place in a region. Checked
here on the test vocabulary; test_bundled_content checks the bundled one by the same rules."""

from __future__ import annotations

import pytest

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
