"""Signed, timed tokens for subscription links: one salt per purpose, so they never cross over."""

from __future__ import annotations

import hashlib
import os
import secrets

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

DAY = 24 * 3600
# How long a link stays good: a confirmation soon goes stale; links in a digest should still
# work when someone digs out an old one.
MAX_AGE = {"confirm": 7 * DAY, "preferences": 90 * DAY, "unsubscribe": 365 * DAY}


class TokenError(ValueError):
    """A token that is forged, expired, malformed or made for another purpose."""


class MissingSecretError(RuntimeError):
    """HUB_SECRET_KEY is not set where links must outlive the process."""


def secret_from_env(environ=None) -> str:
    """HUB_SECRET_KEY, which the sender and the web app must share for links to work."""
    env = os.environ if environ is None else environ
    secret = env.get("HUB_SECRET_KEY") or ""
    if len(secret) < 16:
        raise MissingSecretError("HUB_SECRET_KEY must be set (16 characters or more) so that "
                                 "links in emails can be checked by the web app")
    return secret


def preview_secret(environ=None) -> tuple[str, str | None]:
    """HUB_SECRET_KEY for a preview, else a throwaway key and a note that its links will not
    be accepted by the web app."""
    try:
        return secret_from_env(environ), None
    except MissingSecretError:
        return secrets.token_hex(16), ("HUB_SECRET_KEY is not set: the preview's subscription "
                                       "links use a throwaway key and will not work")


def salt_for(purpose: str) -> str:
    """The salt that keeps one purpose's tokens from being accepted for another."""
    if purpose not in MAX_AGE:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return f"hub.subscription.{purpose}"


def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=salt_for(purpose))


def email_tag(email: str) -> str:
    """A short digest of an address: tokens are signed, not encrypted, and end up in logs."""
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def make_token(secret: str, purpose: str, subscriber_id: int, email: str,
               search: str | None = None) -> str:
    """A token naming one subscriber (by id and a digest of the address) for one purpose;
    a confirmation may carry the saved search it confirms (signed, so it cannot be changed)."""
    data = {"id": subscriber_id, "e": email_tag(email)}
    if search is not None:
        data["q"] = search
    return _serializer(secret, purpose).dumps(data)


def read_token(secret: str, purpose: str, token: str) -> dict:
    """The {"id", "e"} (and "q") a token carries, or TokenError if it is not good for this
    purpose."""
    try:
        data = _serializer(secret, purpose).loads(token, max_age=MAX_AGE[purpose])
    except SignatureExpired as exc:
        raise TokenError(f"{purpose} link has expired") from exc
    except BadData as exc:
        raise TokenError(f"{purpose} link is not valid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("id"), int) \
            or not isinstance(data.get("e"), str) or not isinstance(data.get("q", ""), str):
        raise TokenError(f"{purpose} link is not valid")
    return data
