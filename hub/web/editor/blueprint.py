"""The editor blueprint under /editor and what its views share: the sign-in check, roles,
who is acting, where to go after signing in.

Every route needs a signed-in account (checked before any view runs, so a new route cannot
forget it) except the sign-in page itself; admin pages need the admin role as well.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, g, redirect, request, session, url_for

from hub.editor.changes import Editor
from hub.store.models import User
from hub.text.links import has_control_characters
from hub.web.extensions import get_corpus

bp = Blueprint("editor", __name__, url_prefix="/editor")
OPEN_ENDPOINTS = {"editor.login"}


def signed_in_user() -> User | None:
    """The account this session belongs to, if it is still valid (active, same epoch)."""
    user_id = session.get("user_id")
    if user_id is None:
        return None
    with get_corpus().session() as db:
        user = db.get(User, user_id)
    if user is None or not user.active or user.session_epoch != session.get("epoch"):
        session.clear()
        return None
    return user


@bp.before_request
def require_sign_in():
    """Send anyone not signed in to the sign-in page (and back afterwards)."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    g.user = signed_in_user()
    if g.user is None:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("editor.login", next=target), code=303)
    return None


@bp.after_request
def no_store(response):
    """Editor pages hold drafts and personal details: no cache keeps them."""
    response.headers["Cache-Control"] = "no-store"
    return response


def admin_required(view):
    """Refuse (403) anyone but an admin."""

    @wraps(view)
    def checked(*args, **kwargs):
        if g.user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return checked


def acting_editor() -> Editor:
    """Who is acting, for revisions and the audit log."""
    return Editor(g.user.email, request.remote_addr)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path inside the editor, never another site."""
    if has_control_characters(target or ""):  # a line break would split the Location header
        return url_for("editor.dashboard")
    parts = urlsplit(target or "")
    local = not (parts.scheme or parts.netloc or (target or "").startswith(("//", "/\\")))
    return target if local and parts.path.startswith("/editor/") else url_for("editor.dashboard")
