"""How the store names the file an item came from (its origin), and back."""

from __future__ import annotations

from pathlib import Path

from hub.config import PROJECT_DIR


def origin_for(path: Path) -> str:
    """How a file is named in provenance: relative to the project when inside it."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(PROJECT_DIR))
    except ValueError:
        return str(resolved)


def path_for(origin: str) -> Path:
    """The file an origin names (origins inside the project are relative to it)."""
    path = Path(origin)
    return path if path.is_absolute() else PROJECT_DIR / path


def origin_name(origin: str) -> str:
    """How readers see an origin: its file name, never the server's folders."""
    return origin.replace("\\", "/").rsplit("/", 1)[-1]
