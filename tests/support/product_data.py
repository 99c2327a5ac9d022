"""The product's own files, for the few tests allowed to read them.

Every other test builds its data from tests/data (tests.support.own_data). These may use the
bundled content/ folder, and only through bundled_content():

- test_bundled_content: its subject is the bundled content (and vocabulary) itself.
- the tests whose subject is what the product makes of the real documents in ../shared
  (test_ingest_seeds, test_report_seeds, test_search_seeds, test_related_seeds,
  test_pdf_corpus): tagging real documents depends on the product's gazetteer of English
  councils, so they read content/taxonomy.
- the session `live_hub` of the browser tests, which serves the seeds together with the
  bundled content, as a deployed hub would.
"""

from __future__ import annotations

from pathlib import Path

from hub.config import DEFAULT_CONTENT_DIR, Settings


def bundled_content() -> Path:
    """content/ as the product ships it: its vocabulary (taxonomy/), case studies and guides.
    Only for the tests listed above: the others never depend on what the product bundles."""
    return DEFAULT_CONTENT_DIR


def bundled_settings(home: Path, database_url: str) -> Settings:
    """Settings for an instance folder and store over the bundled content and vocabulary."""
    return Settings(home=home, database_url=database_url, content_dir=bundled_content())
