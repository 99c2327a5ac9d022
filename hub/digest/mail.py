"""Outgoing mail: settings from the environment, safe headers, templates and an SMTP sender."""

from __future__ import annotations

import contextlib
import email.policy
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from hub.text.addresses import HeaderInjectionError, safe_header
from hub.text.counts import TEMPLATE_FILTERS as COUNT_FILTERS
from hub.text.dates import TEMPLATE_FILTERS

SECURITY_MODES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
# Headers are not folded below RFC 5322's hard limit of 998: folding would RFC 2047-encode the
# long, unbreakable List-Unsubscribe URL (which mail clients then cannot use) and trips a
# folding bug that puts a space at the start of a long Subject.
MESSAGE_POLICY = email.policy.default.clone(max_line_length=998)
SMTP_TIMEOUT = 30  # seconds; a stalled server must not hold the weekly run for ever


class MailConfigError(ValueError):
    """A mail setting that is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class MailSettings:
    """How to reach the SMTP server, who mail is from, and where links point."""

    sender: str  # the From header, "Name <address>" or an address
    base_url: str  # https://hub.example.org, no trailing slash
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = None

    @property
    def sender_address(self) -> str:
        """The bare address of the From header (the SMTP envelope sender)."""
        return parseaddr(self.sender)[1]

    @property
    def domain(self) -> str:
        """The sender's domain, used in Message-IDs."""
        return self.sender_address.rpartition("@")[2]

    def url(self, path: str) -> str:
        """An absolute link to a path of the hub."""
        return self.base_url + path


def _required(env, name: str) -> str:
    value = (env.get(name) or "").strip()
    if not value:
        raise MailConfigError(f"{name} is not set")
    try:
        return safe_header(value, name)
    except HeaderInjectionError as exc:
        raise MailConfigError(str(exc)) from None


def _base_url(env) -> str:
    url = _required(env, "HUB_BASE_URL").rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise MailConfigError(f"HUB_BASE_URL: expected an absolute http(s) URL, got {url!r}")
    return url


def _sender(env) -> str:
    sender = _required(env, "HUB_MAIL_FROM")
    address = parseaddr(sender)[1]
    if "@" not in address:
        raise MailConfigError(f"HUB_MAIL_FROM: no email address in {sender!r}")
    return sender


def _port(env, security: str) -> int:
    raw = (env.get("HUB_SMTP_PORT") or "").strip()
    if not raw:
        return DEFAULT_PORTS[security]
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise MailConfigError(f"HUB_SMTP_PORT: expected a port number, got {raw!r}")
    return int(raw)


def load_mail_settings(environ=None) -> MailSettings:
    """Mail settings from HUB_SMTP_*, HUB_MAIL_FROM and HUB_BASE_URL, checked one by one."""
    env = os.environ if environ is None else environ
    security = (env.get("HUB_SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SECURITY_MODES:
        raise MailConfigError(f"HUB_SMTP_SECURITY: expected one of {', '.join(SECURITY_MODES)}, "
                              f"got {security!r}")
    host = (env.get("HUB_SMTP_HOST") or "localhost").strip()
    user = env.get("HUB_SMTP_USER") or None
    if user and security == "none" and host not in ("localhost", "127.0.0.1", "::1"):
        # A password in clear text over the network is refused rather than sent.
        raise MailConfigError("HUB_SMTP_USER: logging in needs HUB_SMTP_SECURITY starttls or ssl")
    return MailSettings(
        sender=_sender(env), base_url=_base_url(env), host=host, port=_port(env, security),
        security=security, user=user, password=env.get("HUB_SMTP_PASSWORD") or None,
    )


# What a preview (`hub digest send --dry-run`) assumes for the settings only a real send needs:
# `make run` serves on this address, and a preview's From line is never sent anywhere.
PREVIEW_DEFAULTS = {"HUB_MAIL_FROM": "Knowledge hub <digest@localhost>",
                    "HUB_BASE_URL": "http://127.0.0.1:8000"}


def preview_mail_settings(environ=None) -> tuple[MailSettings, list[str]]:
    """Mail settings for a preview: the environment's, with PREVIEW_DEFAULTS for what is unset
    (values that are set are still checked), and a note for each default used."""
    env = dict(os.environ if environ is None else environ)
    notes = []
    for name, default in PREVIEW_DEFAULTS.items():
        if not (env.get(name) or "").strip():
            env[name] = default
            notes.append(f"{name} is not set: the preview uses {default}")
    return load_mail_settings(env), notes


_templates = Environment(
    loader=PackageLoader("hub.digest", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_templates.filters.update(TEMPLATE_FILTERS)
_templates.filters.update(COUNT_FILTERS)


def render(name: str, **context) -> str:
    """Render an email template (HTML ones are autoescaped)."""
    return _templates.get_template(name).render(**context)


def new_message(settings: MailSettings, to: str, subject: str) -> EmailMessage:
    """A message with From, To and Subject set, each refused if it carries a line break."""
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = safe_header(settings.sender, "From")
    message["To"] = safe_header(to, "To")
    message["Subject"] = safe_header(subject, "Subject")
    return message


class TransientError(Exception):
    """The server said "try later" (4xx): nothing was delivered, a later run may succeed."""


class PermanentError(Exception):
    """The server refused the message for good (5xx)."""


class UncertainError(Exception):
    """The connection broke mid-send: the server may or may not have taken the message."""


def _code_of(exc: smtplib.SMTPException) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return next(iter(exc.recipients.values()))[0] if exc.recipients else None
    return getattr(exc, "smtp_code", None)


def classify(exc: smtplib.SMTPException) -> Exception:
    """The SMTP failure as TransientError (4xx), PermanentError (5xx) or UncertainError."""
    code = _code_of(exc)
    text = f"{code} {exc}" if code else f"{type(exc).__name__}: {exc}"
    if code and 400 <= code < 500:
        return TransientError(text)
    if code and code >= 500:
        return PermanentError(text)
    return UncertainError(text)


class Mailer:
    """One SMTP connection, opened when first needed and reopened after the server drops it."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def connect(self) -> None:
        """Open the connection if it is not open (raises OSError or SMTPException)."""
        if self._smtp is not None and self._smtp.sock is not None:
            return
        s = self.settings
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=SMTP_TIMEOUT,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT)
            if s.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if s.user:
            smtp.login(s.user, s.password or "")
        self._smtp = smtp

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Send one message; failures come out as Transient, Permanent or UncertainError."""
        self.connect()
        try:
            self._smtp.send_message(message, self.settings.sender_address, [recipient])
        except smtplib.SMTPException as exc:  # before OSError: SMTPException is one
            if isinstance(exc, smtplib.SMTPServerDisconnected):
                self._smtp = None
            raise classify(exc) from exc
        except OSError as exc:  # a timeout or reset mid-send
            self._smtp = None
            raise UncertainError(f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        """Say goodbye to the server, ignoring a connection that is already gone."""
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
