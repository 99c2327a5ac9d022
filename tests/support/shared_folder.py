"""Where ../shared is: the real seed documents and the evaluation sets, never copied here."""

from __future__ import annotations

import os
from pathlib import Path

from hub.config import PROJECT_DIR


def shared_dir() -> Path:
    """../shared (or $HUB_SHARED_DIR): the seeds and evaluation sets, never copied here."""
    candidates = [os.environ.get("HUB_SHARED_DIR"), PROJECT_DIR.parent / "shared", "/work/shared"]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "seeds").is_dir():
            return Path(candidate).resolve()
    # Fail, never skip: CI must not pass without the seeds.
    raise RuntimeError("../shared/seeds not found; set HUB_SHARED_DIR")
