"""The Flask application factory: one blueprint per URL area, the corpus as an extension."""

from __future__ import annotations

import os
import secrets

from flask import Flask, current_app
from flask_wtf.csrf import CSRFProtect

from hub.config import load_settings
from hub.corpus import Corpus

# Every POST is CSRF-checked; a view that cannot carry a token is exempted by name, with a reason.
csrf = CSRFProtect()

DEFAULTS = {
    "JSON_SORT_KEYS": False,
    "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
}


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; test_config overrides defaults (HUB_SETTINGS gives a Settings object)."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    # The secret comes from the environment; without one, a random key per process (sessions
    # then do not survive a restart, which is safe if inconvenient).
    app.config["SECRET_KEY"] = os.environ.get("HUB_SECRET_KEY") or secrets.token_hex(32)
    if test_config:
        app.config.update(test_config)
    settings = app.config.get("HUB_SETTINGS") or load_settings()
    app.config["HUB_SETTINGS"] = settings
    corpus = app.extensions["hub.corpus"] = Corpus(settings)
    # Open the searcher and warm its facet cache now, not on the first request.
    corpus.search_index.backend.count()

    csrf.init_app(app)

    from hub.web import api, subscriptions

    app.register_blueprint(api.bp)
    app.register_blueprint(subscriptions.bp)
    return app


def get_corpus() -> Corpus:
    """The corpus of the app handling this request."""
    return current_app.extensions["hub.corpus"]
