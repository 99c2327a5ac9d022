"""Email addresses and header values checked once, for subscribers and editor accounts alike."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


class AddressError(ValueError):
    """An email address that is not valid; the message starts with the field name."""


class HeaderInjectionError(ValueError):
    """A header value carrying line breaks or other control characters."""


def safe_header(value: str, field: str) -> str:
    """The value unchanged, or HeaderInjectionError if it could start a new header line."""
    if any(ch in value for ch in "\r\n\0") or any(ord(ch) < 32 and ch != "\t" for ch in value):
        raise HeaderInjectionError(f"{field}: line breaks and control characters are not allowed")
    return value


def normalise_email(raw: str) -> str:
    """A checked, lower-cased address, or AddressError saying what is wrong with it."""
    try:
        safe_header(raw, "email")
        # No DNS look-ups: sign-up must not hang on, or leak to, someone else's resolver.
        info = validate_email(raw.strip(), check_deliverability=False, allow_smtputf8=False)
    except (EmailNotValidError, HeaderInjectionError) as exc:
        raise AddressError(f"email: {exc}") from None
    return (info.ascii_email or info.normalized).lower()
