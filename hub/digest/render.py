"""One subscriber's digest as an email: HTML and plain text, unsubscribe headers, a fixed Message-ID."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from hub.digest import searches
from hub.digest.build import Digest
from hub.digest.mail import MailSettings, new_message, render
from hub.digest.subscribers import link
from hub.store.models import Subscriber
from hub.text.addresses import safe_header


def message_id(subscriber_id: int, week: str, domain: str) -> str:
    """The same Message-ID for the same subscriber and week, whoever sends it and when."""
    return safe_header(f"<digest.{week.lower()}.{subscriber_id}@{domain}>", "Message-ID")


def item_url(settings: MailSettings, item_id: int) -> str:
    """The hub's page for an item (served by the web front end)."""
    return settings.url(f"/items/{item_id}")


def digest_message(settings: MailSettings, secret: str, subscriber: Subscriber, digest: Digest,
                   week: str) -> EmailMessage:
    """The digest email, multipart/alternative, with RFC 8058 one-click unsubscribe headers."""
    message = new_message(settings, subscriber.email, digest.subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id(subscriber.id, week, settings.domain)
    message["List-Id"] = f"Knowledge hub weekly digest <digest.{settings.domain}>"
    message["List-Unsubscribe"] = f"<{link(settings, secret, 'one-click', subscriber)}>"
    # RFC 8058 one-click needs an https URL; over plain http only the ordinary header is given.
    if settings.base_url.startswith("https://"):
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    context = {
        "digest": digest, "week": week,
        "item_url": lambda item_id: item_url(settings, item_id),
        "search_url": lambda saved: settings.url(searches.path(saved)),
        "preferences_url": link(settings, secret, "preferences", subscriber),
        "unsubscribe_url": link(settings, secret, "unsubscribe", subscriber),
    }
    # Quoted-printable keeps both parts readable (and less suspect to filters than base64).
    message.set_content(render("digest.txt", **context), cte="quoted-printable")
    message.add_alternative(render("digest.html", **context), subtype="html",
                            cte="quoted-printable")
    return message
