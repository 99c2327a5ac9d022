"""The `hub` command line: ingest, inspect, search and serve the hub."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from hub.cli import mail, related, search, serve, users
from hub.cli.context import open_corpus
from hub.config import SettingsError, load_settings
from hub.corpus.answers import item_json
from hub.search.base import SearchError
from hub.store import queries
from hub.store.models import ITEM_TYPES, Item
from hub.text.counts import count as counted
from hub.text.dates import format_added, format_date


class OneLineErrors(click.Group):
    """A failure no command handles ends in one line, `Error: ...`, not a traceback
    (HUB_DEBUG=1 shows the traceback)."""

    def invoke(self, ctx: click.Context):
        """Run the command; turn an unexpected exception into a ClickException."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except SearchError as exc:
            if os.environ.get("HUB_DEBUG") == "1":
                raise
            raise click.ClickException(f"{exc} (`hub index rebuild` builds it again)") from None
        except Exception as exc:  # noqa: BLE001 - the command line's last word on a failure
            if os.environ.get("HUB_DEBUG") == "1":
                raise
            raise click.ClickException(f"{type(exc).__name__}: {exc}".splitlines()[0]) from None


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="HUB_HOME",
              help="Instance folder (default ./instance, or $HUB_HOME).")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """The hub: what-works evidence, good practice and case studies."""
    try:
        settings = load_settings(home=home)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    ctx.ensure_object(dict)["settings"] = settings


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary and errors.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], quiet: bool) -> None:
    """Ingest web pages, reports and Markdown case studies from files or folders."""
    corpus = open_corpus(ctx)
    summary = corpus.ingest(paths, progress=None if quiet else _progress_printer())
    for error in summary.errors:
        click.echo(f"error: {error}", err=True)
    for skipped in summary.skipped:
        click.echo(f"skipped: {skipped}")
    for note in summary.notes:
        click.echo(f"note: {note}")
    click.echo(summary.line())
    updated, removed = summary.indexed
    click.echo(f"search index: {updated} updated, {removed} removed")
    try:
        click.echo(f"related model: {corpus.related.refresh()}")
    except OSError as exc:  # the store is written; only the derived model could not be
        click.echo(f"error: related model: {corpus.settings.model_dir}: {exc.strerror or exc}",
                   err=True)
        ctx.exit(1)
    if summary.errors:
        ctx.exit(1)


def _progress_printer():
    count = {"n": 0}

    def show(path: Path, status: str) -> None:
        count["n"] += 1
        click.echo(f"[{count['n']}] {path}: {status}", err=True)

    return show


@main.command(name="list")
@click.option("--type", "type_", type=click.Choice(ITEM_TYPES), help="Only items of this type.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_items(ctx: click.Context, type_: str | None, as_json: bool) -> None:
    """List the items in the store."""
    corpus = open_corpus(ctx)
    with corpus.session() as session:
        items = queries.all_items(session, type_)
        if as_json:
            click.echo(json.dumps([item_json(i, whole_origins=True) for i in items], indent=2))
            return
        for item in items:
            click.echo(f"{item.id:>6}  {item.type:<10}  {item.title}")
        click.echo(counted(len(items), "item"), err=True)


@main.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Print what the store holds: items by type, theme and region."""
    corpus = open_corpus(ctx)
    with corpus.session() as session:
        report = queries.stats(session, corpus.taxonomy)
    click.echo(f"{counted(report['items'], 'item')} in {corpus.settings.database_url}")
    for heading in ("types", "themes", "regions"):
        counts = ", ".join(f"{name} {n}" for name, n in report[heading])
        click.echo(f"  {heading}: {counts or 'none'}")


@main.command()
@click.argument("item_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show(ctx: click.Context, item_id: int, as_json: bool) -> None:
    """Show one item, with its clean text."""
    corpus = open_corpus(ctx)
    with corpus.session() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise click.ClickException(f"no item with id {item_id}")
        data = item_json(item, with_text=True, whole_origins=True)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for name in ("id", "title", "type", "url", "parent", "date", "themes", "places",
                 "organisations"):
        value = data[name]
        if name == "date":  # as far as the source says, and the day it was added apart
            value = f"{format_date(value, data['date_precision'])} ({format_added(data['added'])})"
        click.echo(f"{name}: {', '.join(value) if isinstance(value, list) else value}")
    for source in data["sources"]:
        click.echo(f"source: {source['origin']}" + (f" ({source['label']})" if source["label"] else ""))
    for outcome in data["outcomes"]:
        click.echo(f"outcome: {outcome['amount']} {outcome['period'] or ''} - {outcome['text']}")
    click.echo("")
    click.echo(data["text"])


for command in (search.search, search.index, related.related, mail.digest, mail.subscribers,
                users.users,
                serve.serve):
    main.add_command(command)
