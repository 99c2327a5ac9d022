"""Full-text and faceted search: a backend contract (base.py), its Whoosh implementation,
and the bounded query language for people (query.py). Imports neither Flask nor the models.
"""

from __future__ import annotations

import importlib

from hub.search.base import BaseSearchBackend

BACKENDS = {"whoosh": "hub.search.whoosh"}


def load_backend(name: str = "whoosh", **options) -> BaseSearchBackend:
    """The backend named in the settings (HUB_SEARCH_BACKEND), built with the options."""
    try:
        module = importlib.import_module(BACKENDS[name])
    except KeyError:
        raise ValueError(f"HUB_SEARCH_BACKEND: unknown search backend {name!r} "
                         f"(known: {', '.join(BACKENDS)})") from None
    return module.SearchBackend(**options)
