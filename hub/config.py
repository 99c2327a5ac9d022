"""Settings with defaults, read from the environment (HUB_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DEFAULT_CONTENT_DIR = PROJECT_DIR / "content"


@dataclass(frozen=True)
class Settings:
    """Where the hub keeps its files and how it reaches its database."""

    home: Path
    database_url: str
    content_dir: Path = DEFAULT_CONTENT_DIR
    search_backend: str = "whoosh"

    @property
    def taxonomy_dir(self) -> Path:
        """Folder holding the controlled vocabulary (themes, places, organisations)."""
        return self.content_dir / "taxonomy"

    @property
    def index_dir(self) -> Path:
        """Folder holding the Whoosh index generations."""
        return self.home / "index"

    @property
    def model_dir(self) -> Path:
        """Folder holding the persisted related-items model."""
        return self.home / "related"

    @property
    def upload_dir(self) -> Path:
        """Folder holding files editors uploaded."""
        return self.home / "uploads"

    def with_home(self, home: Path | str) -> Settings:
        """The same settings with another instance folder (and its default database)."""
        home = Path(home)
        return replace(self, home=home, database_url=sqlite_url(home / "hub.sqlite3"))


def sqlite_url(path: Path) -> str:
    """A SQLAlchemy URL for a SQLite file."""
    return f"sqlite:///{path}"


def load_settings(environ: dict | None = None) -> Settings:
    """Settings from HUB_HOME, HUB_DATABASE_URL, HUB_CONTENT_DIR and HUB_SEARCH_BACKEND."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HUB_HOME") or "instance").resolve()
    url = env.get("HUB_DATABASE_URL") or sqlite_url(home / "hub.sqlite3")
    content = Path(env.get("HUB_CONTENT_DIR") or DEFAULT_CONTENT_DIR).resolve()
    backend = env.get("HUB_SEARCH_BACKEND") or "whoosh"
    return Settings(home=home, database_url=url, content_dir=content, search_backend=backend)
