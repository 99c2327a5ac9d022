"""Settings with defaults, read from the environment (HUB_*)."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
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
    # Editors' files (web case studies, uploads, how each upload went): the home, unless web
    # nodes share one folder so that any node can review and publish what another received.
    files_dir: Path | None = None
    # How this node's search index is known in the store's list of change-log followers.
    node_name: str = ""
    search_backend: str = "whoosh"
    max_upload_mb: int = 20
    # Failed logins allowed per account, and per client address, within the window.
    login_max_failures: int = 5
    login_max_failures_per_address: int = 20
    login_window_minutes: int = 15
    # Reverse proxies in front of the web app whose X-Forwarded-For/-Proto to believe (0: none,
    # so a client cannot forge its address past the sign-in limits).
    trusted_proxies: int = 0
    # What one file may cost when it is parsed (in a capped child process).
    parse_memory_mb: int = 1024
    parse_seconds: int = 50
    max_text_chars: int = 5_000_000

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
    def editor_files_dir(self) -> Path:
        """Folder holding editors' files (never the code checkout's content folder)."""
        return self.files_dir or self.home

    @property
    def case_study_dir(self) -> Path:
        """Folder where case studies saved on the web are written, one Markdown file each."""
        return self.editor_files_dir / "case_studies"

    @property
    def upload_dir(self) -> Path:
        """Folder holding files editors uploaded."""
        return self.editor_files_dir / "uploads"

    @property
    def upload_jobs_dir(self) -> Path:
        """Folder holding how each background upload went (JSON), for any node to answer."""
        return self.editor_files_dir / "upload-jobs"

    @property
    def follower_name(self) -> str:
        """This node's name among the change log's followers: HUB_NODE_NAME, else the host
        and the index folder (two homes on one machine are two followers)."""
        return self.node_name or f"{socket.gethostname()}:{self.index_dir}"

def sqlite_url(path: Path) -> str:
    """A SQLAlchemy URL for a SQLite file."""
    return f"sqlite:///{path}"


class SettingsError(ValueError):
    """An environment variable with a value the hub cannot use; the message names it."""


def _whole_number(env, name: str, default: int, low: int = 1, high: int = 100_000) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SettingsError(f"{name}: must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


def load_settings(environ: dict | None = None, home: Path | str | None = None) -> Settings:
    """Settings from the HUB_* variables (see the README's table). `home` (the command line's
    --home) replaces HUB_HOME; the database is HUB_DATABASE_URL whenever that is set, and only
    otherwise the SQLite file in the home, whatever named the home."""
    env = os.environ if environ is None else environ
    home = Path(home or env.get("HUB_HOME") or "instance").resolve()
    url = env.get("HUB_DATABASE_URL") or sqlite_url(home / "hub.sqlite3")
    content = Path(env.get("HUB_CONTENT_DIR") or DEFAULT_CONTENT_DIR).resolve()
    backend = env.get("HUB_SEARCH_BACKEND") or "whoosh"
    files = env.get("HUB_FILES_DIR")
    return Settings(
        home=home, database_url=url, content_dir=content, search_backend=backend,
        files_dir=Path(files).resolve() if files else None,
        node_name=(env.get("HUB_NODE_NAME") or "").strip()[:300],
        max_upload_mb=_whole_number(env, "HUB_MAX_UPLOAD_MB", 20, high=1024),
        login_max_failures=_whole_number(env, "HUB_LOGIN_MAX_FAILURES", 5),
        login_max_failures_per_address=_whole_number(env, "HUB_LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
        login_window_minutes=_whole_number(env, "HUB_LOGIN_WINDOW_MINUTES", 15),
        trusted_proxies=_whole_number(env, "HUB_TRUSTED_PROXIES", 0, low=0, high=10),
        parse_memory_mb=_whole_number(env, "HUB_PARSE_MEMORY_MB", 1024, low=64),
        parse_seconds=_whole_number(env, "HUB_PARSE_SECONDS", 50, high=3600),
        max_text_chars=_whole_number(env, "HUB_MAX_TEXT_CHARS", 5_000_000, low=1000,
                                     high=100_000_000),
    )
