"""Digest subscription pages: sign-up, confirmation, preferences and unsubscribing.

Every link a subscriber follows carries a signed token (hub.digest.tokens); a GET never changes
anything (mail scanners open links), only a POST with a CSRF token does - except the RFC 8058
one-click POST, which mail clients send without one and which is authenticated by its token.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import EmailField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from hub.digest import searches, subscribers
from hub.digest.mail import Mailer, load_mail_settings
from hub.digest.tokens import TokenError
from hub.store.models import Subscriber
from hub.web.choices import options
from hub.web.extensions import csrf, get_corpus

bp = Blueprint("subscriptions", __name__)


def rule(kind: str) -> str:
    """The route of a kind of link, taken from the table the emails are written from."""
    return subscribers.PATHS[kind].format(token="<token>")


class ChoicesForm(FlaskForm):
    """Themes (at least one) and an optional region, offered from the taxonomy."""

    themes = SelectMultipleField("Themes", widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())
    region = SelectField("Region (optional): items from it come first", default="")

    def offer(self, taxonomy) -> ChoicesForm:
        """Fill the choices from the vocabulary."""
        self.themes.choices = options((t.slug, t.name) for t in taxonomy.themes.values())
        self.region.choices = options([("", "No region"),
                                       *((p.slug, p.name) for p in taxonomy.regions())])
        return self

    def validate_themes(self, field) -> None:
        """At least one theme."""
        if not field.data:
            raise ValidationError("Choose at least one theme.")


class PreferencesForm(ChoicesForm):
    """A subscriber's themes and region, and the saved searches they keep (unticked: gone)."""

    searches = SelectMultipleField("Your saved searches", widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())

    def offer_searches(self, taxonomy, saved: list[str]) -> PreferencesForm:
        """Offer the subscriber's own saved searches, in words."""
        self.offer(taxonomy)
        self.searches.choices = options((s, searches.describe(s, taxonomy)) for s in saved)
        return self

    def validate_themes(self, field) -> None:
        """At least one theme, or one saved search kept."""
        if not field.data and not self.searches.data:
            raise ValidationError("Choose at least one theme or keep one saved search.")


class SignupForm(ChoicesForm):
    """The sign-up form."""

    email = EmailField("Email address", validators=[InputRequired(), Length(max=254)])

    def validate_email(self, field) -> None:
        """A real-looking address without line breaks."""
        try:
            field.data = subscribers.normalise_email(field.data or "")
        except subscribers.SubscriberError as exc:
            raise ValidationError(str(exc).removeprefix("email: ")) from None


class SearchSignupForm(FlaskForm):
    """Emails about one search (which stays in the query string): an address."""

    email = EmailField("Email address", validators=[InputRequired(), Length(max=254)])
    validate_email = SignupForm.validate_email


class ButtonForm(FlaskForm):
    """A single button (confirm, unsubscribe): a POST with a CSRF token and nothing else."""


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _invalid(error: TokenError):
    return render_template("subscriptions/invalid.html", error=error), 400


def _send_notice(subscriber: Subscriber, kind: str, search: str | None = None) -> bool:
    """Email a confirmation (or an "already subscribed" note); False if it could not go."""
    try:
        settings = current_app.config.get("HUB_MAIL_SETTINGS") or load_mail_settings()
        message = subscribers.notice_message(settings, _secret(), subscriber, kind,
                                       get_corpus().taxonomy, search)
        with Mailer(settings) as mailer:
            mailer.send(message, subscriber.email)
    except Exception as exc:  # noqa: BLE001 - config or SMTP: the page says so, the log says why
        current_app.logger.error("could not send the %s email: %s", kind, exc)
        return False
    return True


@bp.route("/subscriptions/", methods=["GET", "POST"])
def signup():
    """Sign up: email, themes and an optional region; a confirmation email follows."""
    corpus = get_corpus()
    form = SignupForm().offer(corpus.taxonomy)
    if not form.validate_on_submit():
        return render_template("subscriptions/signup.html", form=form), 400 if form.errors else 200
    choices = subscribers.Choices.check(corpus.taxonomy, form.email.data, form.themes.data,
                                  form.region.data)
    with corpus.session() as session:
        subscriber, kind = subscribers.sign_up(session, choices)
        session.commit()
    # The same page whether or not the address was known: it tells nobody who subscribes.
    if not _send_notice(subscriber, kind):
        return render_template("subscriptions/mail_failed.html"), 503
    return render_template("subscriptions/check_email.html", email=subscriber.email)


def saved_search(args) -> str | None:
    """The canonical form of the search in these arguments (request.args, or a dict such as
    {"theme": slug}), if it can be saved."""
    try:
        return searches.canonical(MultiDict(args).items(multi=True), get_corpus().taxonomy)
    except searches.InvalidSearch:
        return None


@bp.app_template_global()
def follow_links(args) -> dict | None:
    """Where to get emails about, or the feed of, the search these arguments make (the
    results page's, or a theme or place page's); None when there is nothing to follow."""
    saved = saved_search(args)
    if saved is None:
        return None
    return {"subscribe": f"{url_for('subscriptions.search_signup')}?{saved}",
            "feed": f"{url_for('feeds.atom')}?{saved}"}


@bp.route("/subscriptions/search", methods=["GET", "POST"])
def search_signup():
    """Emails about one search, given as a results page's query string (the form posts back
    to its canonical form); the confirmation email carries it, so it is followed only once
    its owner confirms."""
    corpus = get_corpus()
    try:
        saved = subscribers.check_search(corpus.taxonomy, request.query_string.decode())
    except subscribers.SubscriberError as exc:
        return render_template("subscriptions/bad_search.html", error=exc), 400
    form = SearchSignupForm()
    if not form.validate_on_submit():
        return render_template("subscriptions/search.html", form=form, saved=saved,
                               search=searches.describe(saved, corpus.taxonomy)), \
            400 if form.errors else 200
    with corpus.session() as session:
        subscriber = subscribers.sign_up_search(session, form.email.data)
        session.commit()
    # The same page whether or not the address was known: it tells nobody who subscribes.
    if not _send_notice(subscriber, "search", saved):
        return render_template("subscriptions/mail_failed.html"), 503
    return render_template("subscriptions/check_email.html", email=subscriber.email)


def _button_step(token: str, purpose: str, page: str, act):
    """A token link: GET shows a page with a button; its POST (CSRF-checked) runs `act`.

    Returns the subscriber once `act` is done and committed, or the response to send.
    """
    form = ButtonForm()
    with get_corpus().session() as session:
        try:
            subscriber = subscribers.from_token(session, _secret(), purpose, token)
            if not form.validate_on_submit():
                search = subscribers.pending_search(_secret(), token) \
                    if purpose == "confirm" else None
                return render_template(page, form=form, subscriber=subscriber, search=search
                                       and searches.describe(search, get_corpus().taxonomy))
            act(session, _secret(), token)
        except TokenError as exc:
            return _invalid(exc)
        session.commit()
        return subscriber


@bp.route(rule("confirm"), methods=["GET", "POST"])
def confirm(token: str):
    """GET shows a button; the POST confirms (scanners that open links confirm nothing)."""
    outcome = _button_step(token, "confirm", "subscriptions/confirm.html", subscribers.confirm)
    if not isinstance(outcome, Subscriber):
        return outcome
    return render_template("subscriptions/confirmed.html",
                           preferences=subscribers.path(_secret(), "preferences", outcome))


@bp.route(rule("preferences"), methods=["GET", "POST"])
def preferences(token: str):
    """Change themes and region through a signed link."""
    corpus = get_corpus()
    with corpus.session() as session:
        try:
            subscriber = subscribers.from_token(session, _secret(), "preferences", token)
        except TokenError as exc:
            return _invalid(exc)
        if subscriber.status == "unsubscribed":
            return _invalid(TokenError("this subscription has ended; sign up again to restart it"))
        form = PreferencesForm(data={
            "themes": subscriber.themes, "region": subscriber.region or "",
            "searches": subscriber.searches}).offer_searches(corpus.taxonomy, subscriber.searches)
        saved = form.validate_on_submit()
        if saved:
            choices = subscribers.Choices.check(corpus.taxonomy, subscriber.email, form.themes.data,
                                          form.region.data, has_searches=bool(form.searches.data))
            subscriber.themes, subscriber.region = choices.themes, choices.region
            subscriber.searches = [s for s in subscriber.searches if s in form.searches.data]
            session.commit()
        unsubscribe = subscribers.path(_secret(), "unsubscribe", subscriber)
        status = 400 if form.errors else 200
        return render_template("subscriptions/preferences.html", form=form, saved=saved,
                               subscriber=subscriber, unsubscribe=unsubscribe), status


@bp.route(rule("unsubscribe"), methods=["GET", "POST"])
def unsubscribe(token: str):
    """The link in the email body: GET shows a button, the POST (with CSRF) unsubscribes."""
    outcome = _button_step(token, "unsubscribe", "subscriptions/unsubscribe.html",
                           subscribers.unsubscribe)
    if not isinstance(outcome, Subscriber):
        return outcome
    return render_template("subscriptions/unsubscribed.html")


@bp.get(rule("one-click"))
def one_click_page(token: str):
    """Someone opened the List-Unsubscribe URL in a browser: show the page with the button."""
    return redirect(subscribers.PATHS["unsubscribe"].format(token=token), code=303)


# CSRF exemption, deliberately for this one view only: RFC 8058 one-click unsubscribe is a POST
# sent by the mail client, which cannot hold a CSRF token. The signed, salted, timed token in
# the URL authenticates it instead, and the body must be "List-Unsubscribe=One-Click".
@csrf.exempt
@bp.post(rule("one-click"))
def one_click(token: str):
    """RFC 8058 one-click unsubscribe (List-Unsubscribe-Post): a POST from the mail client."""
    if request.form.get("List-Unsubscribe") != "One-Click":
        return "expected List-Unsubscribe=One-Click\n", 400, {"Content-Type": "text/plain"}
    with get_corpus().session() as session:
        try:
            subscribers.unsubscribe(session, _secret(), token)
        except TokenError as exc:
            return f"{exc}\n", 400, {"Content-Type": "text/plain"}
        session.commit()
    return "unsubscribed\n", 200, {"Content-Type": "text/plain"}
