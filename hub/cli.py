"""The `hub` command line: ingest, inspect, search and serve the hub."""

from __future__ import annotations

import json
from pathlib import Path

import click

from hub.config import load_settings
from hub.corpus import Corpus, item_json
from hub.models import ITEM_TYPES
from hub.related import MAX_LIMIT


def open_corpus(ctx: click.Context) -> Corpus:
    """The corpus for this invocation, opened once and closed when the command ends."""
    obj = ctx.ensure_object(dict)
    if "corpus" not in obj:
        obj["corpus"] = Corpus(obj.get("settings") or load_settings())
        ctx.call_on_close(obj["corpus"].close)
    return obj["corpus"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="HUB_HOME",
              help="Instance folder (default ./instance, or $HUB_HOME).")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """The hub: what-works evidence, good practice and case studies."""
    settings = load_settings()
    ctx.ensure_object(dict)["settings"] = settings.with_home(home) if home else settings


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
    click.echo(summary.line())
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
        items = corpus.items(session, type_)
        if as_json:
            click.echo(json.dumps([item_json(i) for i in items], indent=2))
            return
        for item in items:
            click.echo(f"{item.id:>6}  {item.type:<10}  {item.title}")
        click.echo(f"{len(items)} items", err=True)


@main.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Print what the store holds: items by type, theme and region."""
    corpus = open_corpus(ctx)
    with corpus.session() as session:
        report = corpus.stats(session)
    click.echo(f"{report['items']} items in {corpus.settings.database_url}")
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
        item = corpus.item(session, item_id)
        if item is None:
            raise click.ClickException(f"no item with id {item_id}")
        data = item_json(item, with_text=True)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for name in ("id", "title", "type", "url", "parent", "date", "themes", "places",
                 "organisations"):
        value = data[name]
        click.echo(f"{name}: {', '.join(value) if isinstance(value, list) else value}")
    for source in data["sources"]:
        click.echo(f"source: {source['origin']}" + (f" ({source['label']})" if source["label"] else ""))
    for outcome in data["outcomes"]:
        click.echo(f"outcome: {outcome['amount']} {outcome['period'] or ''} - {outcome['text']}")
    click.echo("")
    click.echo(data["text"])


@main.command()
@click.argument("item_id", type=int)
@click.option("--limit", "-n", type=click.IntRange(1, MAX_LIMIT), default=5, show_default=True,
              help="How many related items to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def related(ctx: click.Context, item_id: int, limit: int, as_json: bool) -> None:
    """Show the items related to one item, and why (shared themes and terms)."""
    corpus = open_corpus(ctx)
    with corpus.session() as session:
        item = corpus.item(session, item_id)
        if item is None:
            raise click.ClickException(f"no item with id {item_id}")
        if item.status != "published":
            raise click.ClickException(f"item {item_id} is {item.status}, not published")
        corpus.related.refresh()
        found = corpus.related.for_item(session, item_id, limit)
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    click.echo(f"related to {item_id}: {item.title}")
    for entry in found:
        click.echo(f"{entry['id']:>6}  {entry['score']:.3f}  {entry['type']:<10}  {entry['title']}")
        click.echo(f"        {reasons_line(entry['reasons'])}")
    if not found:
        click.echo("nothing related found", err=True)


def reasons_line(reasons: dict) -> str:
    """Reasons as a reader sees them: "also about: data sharing; shared terms: referral"."""
    parts = []
    if reasons["themes"]:
        parts.append("also about: " + ", ".join(t.lower() for t in reasons["themes"]))
    if reasons["terms"]:
        parts.append("shared terms: " + ", ".join(reasons["terms"]))
    return "; ".join(parts)
