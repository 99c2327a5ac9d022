"""Admin pages: the audit log."""

from __future__ import annotations

from flask import render_template, request, url_for

from hub.editor import audit
from hub.web.editor.blueprint import admin_required, bp
from hub.web.extensions import get_corpus

PER_PAGE = 50


@bp.get("/audit")
@admin_required
def audit_log():
    """Editor actions and sign-ins, newest first, optionally of one kind."""
    action = request.args.get("action") or None
    if action not in audit.ACTIONS:
        action = None
    raw = request.args.get("page", "1")
    page = int(raw) if raw.isdigit() and 0 < int(raw) <= 10_000 else 1
    with get_corpus().session() as session:
        entries, total = audit.entries(session, page, PER_PAGE, action)
    return render_template("editor/audit.html", entries=entries, total=total, page=page,
                           pages=max(1, -(-total // PER_PAGE)), action=action,
                           actions=audit.ACTIONS, page_url=lambda n: url_for(
                               "editor.audit_log", page=n, action=action))
