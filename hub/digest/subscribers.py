"""Digest subscriptions: checked input, double opt-in, preferences and unsubscribing.

Shared by the web pages and the command line; neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.digest import searches
from hub.digest.mail import MailSettings, new_message, render
from hub.digest.tokens import TokenError, email_tag, make_token, read_token
from hub.store.models import Subscriber, utcnow
from hub.text import addresses
from hub.text.addresses import HeaderInjectionError, safe_header
from hub.vocabulary.taxonomy import Taxonomy

# Where each kind of link lands; the web blueprint builds its routes from the same table, so a
# link written into an email always matches a route.
PATHS = {
    "confirm": "/subscriptions/confirm/{token}",
    "preferences": "/subscriptions/preferences/{token}",
    "unsubscribe": "/subscriptions/unsubscribe/{token}",
    "one-click": "/subscriptions/one-click/{token}",
}
TOKEN_PURPOSE = {"one-click": "unsubscribe"}  # the header link reuses the unsubscribe token


class SubscriberError(ValueError):
    """Bad subscription input; the message names the field and the problem."""


def normalise_email(raw: str) -> str:
    """A checked, lower-cased address, or SubscriberError saying what is wrong with it."""
    try:
        return addresses.normalise_email(raw)
    except addresses.AddressError as exc:
        raise SubscriberError(str(exc)) from None


def check_themes(taxonomy: Taxonomy, values, required: bool = True) -> list[str]:
    """Theme slugs for names or slugs, in order without repeats; at least one is needed
    unless `required` is False (a subscriber who follows saved searches)."""
    slugs: list[str] = []
    for value in values:
        try:
            safe_header(value, "theme")
        except HeaderInjectionError as exc:
            raise SubscriberError(str(exc)) from None
        slug = taxonomy.resolve("theme", value) if value not in taxonomy.themes else value
        if slug is None:
            hint = ", ".join(taxonomy.suggest("theme", value))
            raise SubscriberError(f"theme: unknown theme {value!r}"
                                  + (f" (did you mean {hint}?)" if hint else ""))
        if slug not in slugs:
            slugs.append(slug)
    if not slugs and required:
        raise SubscriberError("theme: choose at least one theme")
    return slugs


def check_region(taxonomy: Taxonomy, value: str | None) -> str | None:
    """The slug of a region (by name or slug), None for no region, or SubscriberError."""
    if not value:
        return None
    regions = {p.slug for p in taxonomy.regions()}
    try:
        slug = value if value in regions else taxonomy.resolve("place", safe_header(value, "region"))
    except HeaderInjectionError as exc:
        raise SubscriberError(str(exc)) from None
    if slug not in regions:
        names = ", ".join(p.name for p in taxonomy.regions())
        raise SubscriberError(f"region: {value!r} is not a region (one of: {names})")
    return slug


@dataclass(frozen=True)
class Choices:
    """What a subscriber asked for, already checked."""

    email: str
    themes: list[str]
    region: str | None

    @classmethod
    def check(cls, taxonomy: Taxonomy, email: str, themes, region: str | None,
              has_searches: bool = False) -> Choices:
        """Check every field; the first bad one raises SubscriberError naming it. Themes may
        be left empty by someone who follows saved searches."""
        return cls(normalise_email(email), check_themes(taxonomy, themes, not has_searches),
                   check_region(taxonomy, region))


def check_search(taxonomy: Taxonomy, saved: str) -> str:
    """A saved search's canonical query string (hub.digest.searches), or SubscriberError."""
    try:
        return searches.canonical(searches.pairs(saved), taxonomy)
    except searches.InvalidSearch as exc:
        raise SubscriberError(str(exc)) from None


def find(session: Session, email: str) -> Subscriber | None:
    """The subscriber with this address, whatever its case."""
    return session.scalar(select(Subscriber).where(func.lower(Subscriber.email) == email.lower()))


def sign_up(session: Session, choices: Choices) -> tuple[Subscriber, str]:
    """Record a sign-up; says which email to send: "confirm" or "already" (subscribed).

    An active subscriber's choices are left alone: anyone can type an address into the form,
    so only the owner, through a signed preferences link, may change them.
    """
    subscriber = find(session, choices.email)
    if subscriber is not None and subscriber.status == "active":
        return subscriber, "already"
    if subscriber is None:
        subscriber = Subscriber(email=choices.email)
        session.add(subscriber)
    subscriber.themes, subscriber.region = choices.themes, choices.region
    subscriber.status, subscriber.unsubscribed_at = "unconfirmed", None
    session.flush()
    return subscriber, "confirm"


def sign_up_search(session: Session, email: str) -> Subscriber:
    """Record a request to follow a saved search; the search itself waits in the signed
    confirmation link ("search" email), so nothing is followed until its owner confirms.

    Someone not yet (or no longer) subscribed starts afresh with no themes; an active
    subscriber's choices are left as they are until the link adds the search to them.
    """
    subscriber = find(session, email)
    if subscriber is None:
        subscriber = Subscriber(email=email, themes=[], searches=[])
        session.add(subscriber)
    elif subscriber.status != "active":
        subscriber.themes, subscriber.region, subscriber.searches = [], None, []
        subscriber.status, subscriber.unsubscribed_at = "unconfirmed", None
    session.flush()
    return subscriber


def add(session: Session, choices: Choices, confirmed: bool) -> Subscriber:
    """Add a subscriber from the command line; an address already there is an error."""
    if find(session, choices.email) is not None:
        raise SubscriberError(f"email: {choices.email} is already a subscriber")
    subscriber = Subscriber(email=choices.email, themes=choices.themes, region=choices.region,
                            status="active" if confirmed else "unconfirmed",
                            confirmed_at=utcnow() if confirmed else None)
    session.add(subscriber)
    session.flush()
    return subscriber


def remove(session: Session, email: str) -> bool:
    """Delete a subscriber and their ledger rows; False if there was none."""
    subscriber = find(session, email)
    if subscriber is None:
        return False
    session.delete(subscriber)
    return True


def listing(session: Session) -> list[Subscriber]:
    """Every subscriber, in the order they signed up."""
    return list(session.scalars(select(Subscriber).order_by(Subscriber.id)))


def active(session: Session) -> list[Subscriber]:
    """Subscribers who confirmed and have not unsubscribed, in id order."""
    return list(session.scalars(
        select(Subscriber).where(Subscriber.status == "active").order_by(Subscriber.id)))


def subscriber_json(subscriber: Subscriber) -> dict:
    """The JSON form of a subscriber used by `hub subscribers list --json`."""
    def stamp(value):
        return value.isoformat(timespec="seconds") if value else None

    return {"id": subscriber.id, "email": subscriber.email, "status": subscriber.status,
            "themes": list(subscriber.themes), "region": subscriber.region,
            "searches": list(subscriber.searches or ()),
            "created_at": stamp(subscriber.created_at),
            "confirmed_at": stamp(subscriber.confirmed_at),
            "unsubscribed_at": stamp(subscriber.unsubscribed_at)}


def from_token(session: Session, secret: str, purpose: str, token: str) -> Subscriber:
    """The subscriber a token names; TokenError unless it is good and still matches them."""
    data = read_token(secret, purpose, token)
    subscriber = session.get(Subscriber, data["id"])
    # The address is checked too: a removed subscriber's id may be reused by someone else.
    if subscriber is None or email_tag(subscriber.email) != data["e"]:
        raise TokenError(f"{purpose} link does not match a subscriber")
    return subscriber


def pending_search(secret: str, token: str) -> str | None:
    """The saved search a confirmation token carries, if any (the token is checked)."""
    return read_token(secret, "confirm", token).get("q")


def confirm(session: Session, secret: str, token: str) -> Subscriber:
    """Activate the subscriber a confirmation token names (only one still unconfirmed), and
    follow the saved search it carries (once; the oldest goes past MAX_SEARCHES)."""
    subscriber = from_token(session, secret, "confirm", token)
    if subscriber.status == "unsubscribed":
        # An old confirmation must not undo a later unsubscribe.
        raise TokenError("confirm link is for a subscription that has ended")
    if subscriber.status == "unconfirmed":
        subscriber.status, subscriber.confirmed_at = "active", utcnow()
    search = pending_search(secret, token)
    if search and search not in subscriber.searches:
        subscriber.searches = [*subscriber.searches, search][-searches.MAX_SEARCHES:]
    return subscriber


def unsubscribe(session: Session, secret: str, token: str) -> Subscriber:
    """End the subscription an unsubscribe token names; doing it twice is harmless."""
    subscriber = from_token(session, secret, "unsubscribe", token)
    if subscriber.status != "unsubscribed":
        subscriber.status, subscriber.unsubscribed_at = "unsubscribed", utcnow()
    return subscriber


def path(secret: str, kind: str, subscriber: Subscriber, search: str | None = None) -> str:
    """The signed path of one kind of link (confirm, preferences, unsubscribe, one-click);
    a confirm link may carry a saved search to follow."""
    token = make_token(secret, TOKEN_PURPOSE.get(kind, kind), subscriber.id, subscriber.email,
                       search)
    return PATHS[kind].format(token=token)


def link(settings: MailSettings, secret: str, kind: str, subscriber: Subscriber,
         search: str | None = None) -> str:
    """The same as an absolute link, for emails."""
    return settings.url(path(secret, kind, subscriber, search))


def notice_message(settings: MailSettings, secret: str, subscriber: Subscriber, kind: str,
                   taxonomy: Taxonomy, search: str | None = None):
    """The email a sign-up sends: "confirm" (double opt-in), "already" (subscribed) or
    "search" (confirm following a saved search)."""
    subject = {"confirm": "Knowledge hub: please confirm your digest subscription",
               "already": "Knowledge hub: you already get the weekly digest",
               "search": "Knowledge hub: please confirm emails about your search"}[kind]
    message = new_message(settings, subscriber.email, subject)
    message.set_content(render(
        f"{kind}.txt", themes=[taxonomy.name_of("theme", t) for t in subscriber.themes],
        region=taxonomy.name_of("place", subscriber.region) if subscriber.region else None,
        confirm_url=link(settings, secret, "confirm", subscriber, search),
        preferences_url=link(settings, secret, "preferences", subscriber),
        search=search and searches.describe(search, taxonomy),
        search_url=search and settings.url(searches.path(search)),
    ))
    return message
