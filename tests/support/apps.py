"""The web app over a store of its own with our content ingested, for module-wide fixtures
whose tests only read."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from hub.config import Settings
from hub.web import create_app
from tests.support.databases import store_for
from tests.support.own_data import make_content


@contextmanager
def ingested_app(stores, root: Path, inputs: list[Path], **config):
    """A Flask app in test mode over a new store for root/instance, with the test vocabulary
    in root/content and `inputs` ingested (each without an error); closed afterwards."""
    with store_for(stores, root / "instance") as url:
        settings = Settings(home=root / "instance", database_url=url,
                            content_dir=make_content(root / "content", case_studies=()))
        app = create_app({"TESTING": True, "HUB_SETTINGS": settings, **config})
        corpus = app.extensions["hub.corpus"]
        try:
            assert corpus.ingest(inputs).errors == []
            yield app
        finally:
            corpus.close()
