"""The `hub` command line: ingest, inspect, search and serve the hub."""

from __future__ import annotations

import json
from pathlib import Path

import click

from hub.config import load_settings
from hub.corpus import Corpus, item_json
from hub.models import ITEM_TYPES
from hub.search.base import MAX_PER_PAGE, SORTS, SearchRequest


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
    updated, removed = summary.indexed
    click.echo(f"search index: {updated} updated, {removed} removed")
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
@click.argument("words", nargs=-1, required=True)
@click.option("--theme", multiple=True, help="Only items on this theme (repeat for any of several).")
@click.option("--place", multiple=True, help="Only items about this place or region.")
@click.option("--type", "type_", multiple=True, type=click.Choice(ITEM_TYPES),
              help="Only items of this type.")
@click.option("--organisation", multiple=True, help="Only items naming this organisation.")
@click.option("--year", multiple=True, help="Only items from this year.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_PER_PAGE),
              help="Results per page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, 1000),
              help="Which page of results.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="Order of the results.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def search(ctx: click.Context, words: tuple[str, ...], theme, place, type_, organisation, year,
           limit: int, page: int, sort: str, as_json: bool) -> None:
    """Search the published items: plain words, "phrases", -exclusions, OR, theme:/place: filters."""
    filters = {"theme": theme, "place": place, "type": type_, "organisation": organisation,
               "year": year}
    request = SearchRequest(query=" ".join(words), filters={k: v for k, v in filters.items() if v},
                            page=page, per_page=limit, sort=sort)
    result = open_corpus(ctx).search_index.search(request)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    _print_results(result)


def _print_results(result: dict) -> None:
    for message in result["messages"]:
        click.echo(f"note: {message}", err=True)
    if result["suggestion"]:
        click.echo(f"Did you mean: {result['suggestion']}")
    click.echo(f"{result['total']} results")
    for hit in result["results"]:
        where = ""
        if hit["parent"]:
            page = f", page {hit['parent']['page']}" if hit["parent"]["page"] else ""
            where = f"  ({hit['parent']['breadcrumb']}{page})"
        click.echo(f"{hit['id']:>6}  {hit['type']:<10}  {hit['title']}{where}")
        click.echo(f"        {_plain(hit['snippet'])}")
    for name, counts in result["facets"].items():
        top = ", ".join(f"{value} {n}" for value, n in list(counts.items())[:8])
        click.echo(f"  {name}: {top or 'none'}")


def _plain(snippet: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"</?mark>", "", " ".join(snippet.split())))


@main.group()
def index() -> None:
    """Keep the search index in step with the store."""


@index.command()
@click.pass_context
def rebuild(ctx: click.Context) -> None:
    """Build a new search index from the store and swap it in."""
    written = open_corpus(ctx).search_index.rebuild()
    click.echo(f"search index rebuilt: {written} published items")


@index.command()
@click.pass_context
def update(ctx: click.Context) -> None:
    """Index what the store has queued (the outbox) since the last update."""
    updated, removed = open_corpus(ctx).search_index.drain()
    click.echo(f"search index: {updated} updated, {removed} removed")


@index.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Show the live index generation, its size and what is still queued."""
    report = open_corpus(ctx).search_index.status()
    click.echo(f"generation {report['generation']}: {report['documents']} documents; "
               f"{report['queued']} queued for indexing")
