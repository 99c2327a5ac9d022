"""TF-IDF related items: fit, persist, keep up to date, and top-k with reasons.

Takes plain Records built by corpus-level code; imports neither Flask nor the models.
"""

from hub.recommend.build import RefitPolicy, corpus_signature, fit, needs_refit, update
from hub.recommend.model import DEPTH, MODEL_VERSION, Record, RelatedModel
from hub.recommend.persist import load, read_state, save, save_state, stamp
from hub.recommend.suggest import Suggestion, related_to_item, related_to_text, related_to_theme

__all__ = [
    "DEPTH", "MODEL_VERSION", "Record", "RefitPolicy", "RelatedModel", "Suggestion",
    "corpus_signature", "fit", "load", "needs_refit", "read_state", "related_to_item",
    "related_to_text", "related_to_theme", "save", "save_state", "stamp", "update",
]
