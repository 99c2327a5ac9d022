"""What the blueprints share with the app factory: CSRF protection and the corpus."""

from __future__ import annotations

from flask import current_app
from flask_wtf.csrf import CSRFProtect

from hub.corpus import Corpus

# Every POST is CSRF-checked; a view that cannot carry a token is exempted by name, with a reason.
csrf = CSRFProtect()


def get_corpus() -> Corpus:
    """The corpus of the app handling this request."""
    return current_app.extensions["hub.corpus"]
