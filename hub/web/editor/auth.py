"""Signing in and out."""

from __future__ import annotations

import math

from flask import current_app, flash, g, redirect, render_template, request, session, url_for

from hub.editor import audit
from hub.editor.accounts import LoginLimits, attempt_login
from hub.store.database import transaction
from hub.store.models import User
from hub.text.counts import count
from hub.web.editor.blueprint import bp, safe_next
from hub.web.editor.forms import LoginForm
from hub.web.extensions import get_corpus


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; a new session on success, the attempt counted on failure."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("editor/login.html", form=form), 400 if form.errors else 200
    corpus = get_corpus()
    address = request.remote_addr or "unknown"
    with transaction(corpus.sessions) as db:
        result = attempt_login(db, form.email.data, form.password.data, address,
                               LoginLimits.of(corpus.settings))
        action = ("login" if result.user else
                  "login-locked" if result.retry_after else "login-refused")
        audit.record(db, form.email.data, action, address=address)
    if result.user:
        _start_session(result.user)
        return redirect(safe_next(request.args.get("next")), code=303)
    if result.retry_after:
        minutes = max(1, math.ceil(result.retry_after.total_seconds() / 60))
        message = f"Too many failed sign-in attempts. Try again in {count(minutes, 'minute')}."
        return render_template("editor/login.html", form=form, error=message), 429
    return render_template("editor/login.html", form=form,
                           error="Wrong email address or password."), 401


def _start_session(user: User) -> None:
    # A new session at sign-in: nothing from before (a planted session, its CSRF token)
    # carries over into the signed-in one.
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    session["epoch"] = user.session_epoch
    current_app.logger.info("%s signed in", user.email)


@bp.post("/logout")
def logout():
    """Sign out: this session ends, and so does every copy of it (the epoch moves on)."""
    with transaction(get_corpus().sessions) as db:
        user = db.get(User, g.user.id)
        user.session_epoch += 1
        audit.record(db, user.email, "logout", address=request.remote_addr)
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("editor.login"), code=303)
