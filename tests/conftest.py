"""Shared fixtures: a temporary store per test, the shared seeds, and the real vocabulary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hub.config import DEFAULT_CONTENT_DIR, PROJECT_DIR, Settings, sqlite_url
from hub.corpus import Corpus
from hub.indexing.loader import ParseContext
from hub.taxonomy import load_taxonomy

DATA_DIR = Path(__file__).parent / "data"


def shared_dir() -> Path:
    """../shared (or $HUB_SHARED_DIR): the seeds and evaluation sets, never copied here."""
    candidates = [os.environ.get("HUB_SHARED_DIR"), PROJECT_DIR.parent / "shared", "/work/shared"]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "seeds").is_dir():
            return Path(candidate).resolve()
    # Fail, never skip: CI must not pass without the seeds.
    raise RuntimeError("../shared/seeds not found; set HUB_SHARED_DIR")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder with seeds/ and eval/."""
    return shared_dir()


@pytest.fixture(scope="session")
def seeds(shared) -> dict[str, Path]:
    """Seed files by their number ("000" ... "004")."""
    return {p.name[:3]: p for p in sorted((shared / "seeds").glob("[0-9]*.txt"))}


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings for a fresh instance folder, with the real vocabulary from content/."""
    home = tmp_path / "instance"
    return Settings(home=home, database_url=sqlite_url(home / "hub.sqlite3"),
                    content_dir=DEFAULT_CONTENT_DIR)


@pytest.fixture
def corpus(settings):
    """A corpus over a new, empty store on disk."""
    corpus = Corpus(settings)
    yield corpus
    corpus.close()


@pytest.fixture(scope="session")
def taxonomy():
    """The controlled vocabulary as bundled."""
    return load_taxonomy(DEFAULT_CONTENT_DIR / "taxonomy")


@pytest.fixture(scope="session")
def parse_context(taxonomy) -> ParseContext:
    """A parse context over the bundled vocabulary."""
    return ParseContext.for_taxonomy(taxonomy)
