"""What every command shares: the corpus, opened once per invocation."""

from __future__ import annotations

import click

from hub.config import Settings, load_settings
from hub.corpus import Corpus


def settings_of(ctx: click.Context) -> Settings:
    """The settings this invocation runs with (--home, else the environment)."""
    return ctx.ensure_object(dict).get("settings") or load_settings()


def open_corpus(ctx: click.Context) -> Corpus:
    """The corpus for this invocation, opened once and closed when the command ends."""
    obj = ctx.ensure_object(dict)
    if "corpus" not in obj:
        obj["corpus"] = Corpus(settings_of(ctx))
        ctx.call_on_close(obj["corpus"].close)
    return obj["corpus"]
