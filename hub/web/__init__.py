"""The Flask application factory: one blueprint per URL area, the corpus as an extension."""

from __future__ import annotations

import os
import secrets

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from hub.config import load_settings
from hub.corpus import Corpus
from hub.corpus.glance import pounds
from hub.search.base import SearchError
from hub.store.origins import origin_name
from hub.text.counts import TEMPLATE_FILTERS as COUNT_FILTERS
from hub.text.dates import TEMPLATE_FILTERS
from hub.web import (
    api,
    case_studies,
    editor,
    exports,
    feeds,
    items,
    pages,
    search_pages,
    subscriptions,
)
from hub.web.extensions import csrf, get_corpus
from hub.web.text_links import linkify

__all__ = ["create_app", "csrf", "get_corpus"]

DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,  # an editor's working day, then sign in again
    # A case study's Markdown may be long; Werkzeug's default allows 500 kB of form fields.
    "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
}
# Room for the form fields and multipart framing around an upload of the largest size allowed
# (the upload itself is measured exactly as it is saved).
FORM_OVERHEAD = 1024 * 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
TYPE_NAMES = {"article": "Article", "guide": "Guide", "report": "Report",
              "newsletter": "Newsletter", "slides": "Slide deck",
              "section": "Report section", "case_study": "Case study"}


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; test_config overrides defaults (HUB_SETTINGS gives a Settings object)."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.json.sort_keys = False  # keep the documented field order (Flask 3 ignores the config key)
    # The secret comes from the environment; without one, a random key per process (sessions
    # then do not survive a restart, which is safe if inconvenient).
    app.config["SECRET_KEY"] = os.environ.get("HUB_SECRET_KEY") or secrets.token_hex(32)
    app.config["SESSION_COOKIE_SECURE"] = os.environ.get("HUB_INSECURE_COOKIES") != "1"
    if test_config:
        app.config.update(test_config)
    settings = app.config.get("HUB_SETTINGS") or load_settings()
    app.config["HUB_SETTINGS"] = settings
    app.config["HUB_MAX_UPLOAD_MB"] = settings.max_upload_mb
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_mb * 2**20 + FORM_OVERHEAD
    corpus = app.extensions["hub.corpus"] = Corpus(settings)
    # Open the searcher and warm its facet cache now, not on the first request; a damaged
    # index takes down search only (503 until the cache worker has rebuilt it).
    try:
        corpus.search.backend.count()
    except SearchError as exc:
        app.logger.warning("search is unavailable until the index is rebuilt: %s", exc)

    if settings.trusted_proxies:
        # Behind N proxies the client is the Nth address from the right of X-Forwarded-For:
        # the sign-in limits and the audit log then see people, not the proxy.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies)
    csrf.init_app(app)
    _register_blueprints(app)
    _register_filters(app)
    _register_errors(app)
    app.after_request(_security_headers)
    return app


def _register_blueprints(app: Flask) -> None:
    for module in (api, pages, items, case_studies, search_pages, exports, feeds, subscriptions,
                   editor):
        app.register_blueprint(module.bp)


def _register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(TEMPLATE_FILTERS)
    app.jinja_env.filters.update(COUNT_FILTERS)
    app.jinja_env.filters["pounds"] = pounds
    app.jinja_env.filters["linkify"] = linkify

    @app.template_filter("vocab")
    def vocab(slug: str, kind: str) -> str:
        """A vocabulary slug's display name."""
        return get_corpus().taxonomy.name_of(kind, slug)

    @app.template_filter("basename")
    def basename(origin: str) -> str:
        """The file name of a source, never the server's folders."""
        return origin_name(origin)

    @app.template_filter("type_name")
    def type_name(item_type: str) -> str:
        """A readable name for an item type."""
        return TYPE_NAMES.get(item_type, item_type)


ERROR_PAGES = (403, 404, 413, 500)
RETRY_AFTER_SECONDS = 30  # a rebuild of 10,000 items takes well under a minute  # each rendered from templates/errors/<code>.html


def _register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        return render_template("errors/csrf.html", reason=error.description), 400

    def error_page(error):
        return render_template(f"errors/{error.code}.html"), error.code

    for code in ERROR_PAGES:
        app.register_error_handler(code, error_page)

    @app.errorhandler(SearchError)
    def search_unavailable(error):
        """Search is down (the index is being rebuilt): 503, as JSON for the API."""
        if request.path.startswith("/api/"):
            response = jsonify(error="Search is unavailable while its index is rebuilt; "
                                     "try again shortly.")
        else:
            response = make_response(render_template("errors/503.html"))
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
