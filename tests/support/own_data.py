"""The data the tests own, under tests/data: a small vocabulary of our own, sample content
written for the tests, and content folders built from them in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# themes.yml, places.yml, organisations.yml and synonyms.yml in the format of
# content/taxonomy, holding only what the tests need.
VOCABULARY_DIR = DATA_DIR / "vocabulary"
# Case studies and guides written for the tests, laid out like a content folder.
SAMPLE_CONTENT_DIR = DATA_DIR / "content"
SAMPLE_CASE_STUDIES = tuple(sorted(p.name for p in
                                   (SAMPLE_CONTENT_DIR / "case_studies").glob("*.md")))


def make_content(folder: Path, case_studies=SAMPLE_CASE_STUDIES) -> Path:
    """A content folder of the tests' own: the test vocabulary copied in as taxonomy/, and
    copies of sample case studies (all of them unless told which) for editors to change."""
    shutil.copytree(VOCABULARY_DIR, folder / "taxonomy")
    (folder / "case_studies").mkdir()
    for name in case_studies:
        shutil.copy(SAMPLE_CONTENT_DIR / "case_studies" / name, folder / "case_studies" / name)
    return folder
