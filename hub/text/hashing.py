"""Stable hashes of text: content hashes and the identity of a text without a permalink."""

from __future__ import annotations

import hashlib

from hub.text.normalise import fold


def sha256_hex(*parts: str) -> str:
    """A stable SHA-256 hex digest of some strings (each part ends with a NUL)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def fingerprint(title: str, text: str) -> str:
    """The identity of a text without a permalink: its folded title and body, hashed."""
    return sha256_hex(fold(title), fold(text))
