"""Editor accounts: argon2 password hashes, roles, and failed logins counted in the store.

Failed logins are rows in the store, not counters in memory, so every worker process (and
every server sharing the database) sees the same counts. An account is refused after
`login_max_failures` failures within the window, and a client address after
`login_max_failures_per_address` failures on any accounts; while refused, no password is
even checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hub.config import Settings
from hub.store.models import USER_ROLES, LoginFailure, User, utcnow
from hub.text.addresses import AddressError, normalise_email

MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing a megabyte "password" would be a cheap way to load the server
_hasher = PasswordHasher()  # argon2id with the RFC 9106 low-memory parameters


class AccountError(ValueError):
    """Bad account input; the message names the field and the problem."""


def check_email(raw: str) -> str:
    """A checked, lower-cased email address, or AccountError."""
    try:
        return normalise_email(raw)
    except AddressError as exc:
        raise AccountError(str(exc)) from None


def check_password(password: str, email: str) -> str:
    """The password if it is long enough and not the address itself, else AccountError."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"password: must be at most {MAX_PASSWORD} characters")
    if password.strip().lower() == email.lower():
        raise AccountError("password: must not be the email address")
    return password


def find_user(session: Session, email: str) -> User | None:
    """The account with this email (compared lower-cased), or None."""
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def add_user(session: Session, email: str, password: str, role: str) -> User:
    """A new account; AccountError for a bad address, a weak password, an unknown role or
    an address already in use."""
    email = check_email(email)
    if role not in USER_ROLES:
        raise AccountError(f"role: {role!r} is not one of {', '.join(USER_ROLES)}")
    if find_user(session, email):
        raise AccountError(f"email: {email} already has an account")
    user = User(email=email, role=role, password_hash=_hasher.hash(check_password(password, email)))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, email: str, password: str) -> User:
    """Give an account a new password and end all its sessions."""
    user = find_user(session, email)
    if user is None:
        raise AccountError(f"email: no account for {email}")
    user.password_hash = _hasher.hash(check_password(password, user.email))
    user.session_epoch += 1
    return user


def listing(session: Session) -> list[User]:
    """Every account, by email."""
    return list(session.scalars(select(User).order_by(User.email)))


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    # Checked against when the account does not exist, so that an unknown address takes as
    # long to refuse as a wrong password and the timing says nothing about who has an account.
    return _hasher.hash("not a password anyone has")


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _decoy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class LoginLimits:
    """How many failed logins an account and an address may have within the window."""

    per_account: int
    per_address: int
    window: dt.timedelta

    @classmethod
    def of(cls, settings: Settings) -> LoginLimits:
        """The limits configured for this hub (HUB_LOGIN_*)."""
        return cls(settings.login_max_failures, settings.login_max_failures_per_address,
                   dt.timedelta(minutes=settings.login_window_minutes))


@dataclass(frozen=True)
class LoginResult:
    """The account that logged in, or None; `retry_after` when refused for too many failures."""

    user: User | None
    retry_after: dt.timedelta | None = None


def _failures(session: Session, scope: str, key: str, since: dt.datetime) -> list[dt.datetime]:
    return list(session.scalars(
        select(LoginFailure.at).where(LoginFailure.scope == scope, LoginFailure.key == key,
                                      LoginFailure.at > since).order_by(LoginFailure.at.desc())))


def _wait(session: Session, keys: dict[str, str], limits: LoginLimits,
          now: dt.datetime) -> dt.timedelta | None:
    """How long until a locked account or address may try again; None if neither is locked."""
    waits = []
    for scope, limit in (("account", limits.per_account), ("address", limits.per_address)):
        recent = _failures(session, scope, keys[scope], now - limits.window)
        if len(recent) >= limit:
            # Once the limit-th most recent failure leaves the window, one more try is allowed.
            waits.append(recent[limit - 1] + limits.window - now)
    return max(waits) if waits else None


def _record_failure(session: Session, keys: dict[str, str], limits: LoginLimits,
                    now: dt.datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - limits.window))
    session.add_all(LoginFailure(scope=scope, key=key, at=now) for scope, key in keys.items())


def attempt_login(session: Session, email: str, password: str, address: str,
                  limits: LoginLimits, now: dt.datetime | None = None) -> LoginResult:
    """Check a login against the limits and the stored hash; the caller commits."""
    now = now or utcnow()
    keys = {"account": email.strip().lower()[:300], "address": (address or "unknown")[:300]}
    wait = _wait(session, keys, limits, now)
    if wait is not None:
        return LoginResult(None, wait)
    user = find_user(session, keys["account"]) if len(password) <= MAX_PASSWORD else None
    usable = user is not None and user.active
    if not _verify(user.password_hash if usable else None, password[:MAX_PASSWORD]):
        _record_failure(session, keys, limits, now)
        return LoginResult(None)
    session.execute(delete(LoginFailure).where(LoginFailure.scope == "account",
                                               LoginFailure.key == keys["account"]))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = now
    return LoginResult(user)


def failure_count(session: Session, scope: str, key: str, limits: LoginLimits) -> int:
    """Failed logins of an account or address within the window (for tests and admins)."""
    return session.scalar(select(func.count(LoginFailure.id)).where(
        LoginFailure.scope == scope, LoginFailure.key == key,
        LoginFailure.at > utcnow() - limits.window)) or 0
