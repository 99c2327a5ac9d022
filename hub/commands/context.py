"""What every command shares: the corpus, opened once per invocation."""

from __future__ import annotations

import click

from hub.config import load_settings
from hub.corpus import Corpus


def open_corpus(ctx: click.Context) -> Corpus:
    """The corpus for this invocation, opened once and closed when the command ends."""
    obj = ctx.ensure_object(dict)
    if "corpus" not in obj:
        obj["corpus"] = Corpus(obj.get("settings") or load_settings())
        ctx.call_on_close(obj["corpus"].close)
    return obj["corpus"]
