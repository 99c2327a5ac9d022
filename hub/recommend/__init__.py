"""TF-IDF related items: fit, persist, keep up to date, and top-k with reasons.

Takes plain Records built by corpus-level code; imports neither Flask nor the models. The
names below load their module (and scikit-learn, which takes seconds) on first use, so a
command that never suggests anything never pays for it.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "hub.recommend.build": ("RefitPolicy", "corpus_signature", "fit", "needs_refit", "update"),
    "hub.recommend.model": ("DEPTH", "MODEL_VERSION", "Record", "RelatedModel"),
    "hub.recommend.persist": ("load", "read_state", "save", "save_state", "stamp"),
    "hub.recommend.suggest": ("Suggestion", "related_to_item", "related_to_text",
                              "related_to_theme"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    """A public name, imported from its module when first asked for."""
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    globals()[name] = value
    return value
