"""Commands for searching and for keeping the search index in step with the store."""

from __future__ import annotations

import html
import json
import re

import click

from hub.cli.context import open_corpus
from hub.search.base import MAX_PER_PAGE, SORTS, SearchRequest
from hub.store.models import ITEM_TYPES
from hub.text.counts import count


@click.command()
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
    result = open_corpus(ctx).search.search(request)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    _print_results(result)


def _print_results(result: dict) -> None:
    for message in result["messages"]:
        click.echo(f"note: {message}", err=True)
    if result["suggestion"]:
        click.echo(f"Did you mean: {result['suggestion']}")
    click.echo(count(result["total"], "result"))
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
    return html.unescape(re.sub(r"</?mark>", "", " ".join(snippet.split())))


@click.group()
def index() -> None:
    """Keep the search index in step with the store."""


@index.command()
@click.pass_context
def rebuild(ctx: click.Context) -> None:
    """Build a new search index from the store and swap it in."""
    written = open_corpus(ctx).search.rebuild()
    click.echo(f"search index rebuilt: {count(written, 'published item')}")


@index.command()
@click.pass_context
def update(ctx: click.Context) -> None:
    """Apply the store's change log to this node's index, from where it last read."""
    updated, removed = open_corpus(ctx).search.follow()
    click.echo(f"search index: {updated} updated, {removed} removed")


@index.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Show the live index generation, its size and its place in the change log."""
    report = open_corpus(ctx).search.status()
    place = ("no place in the change log (the next update rebuilds it)"
             if report["position"] is None else
             f"at position {report['position']}, {report['behind']} changes to follow")
    click.echo(f"generation {report['generation']}: {count(report['documents'], 'document')}; "
               f"{place}")
    for follower in report["followers"]:
        click.echo(f"  follower {follower['name']}: position {follower['position']}, "
                   f"seen {follower['seen']}")


@index.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Compare the index with the store (ids and content hashes); say what differs."""
    found = open_corpus(ctx).search.check()
    for label, ids in (("missing from the index", found.missing),
                       ("in the index but not searchable in the store", found.extra),
                       ("indexed with other content than the store's", found.changed)):
        if ids:
            shown = ", ".join(ids[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
            click.echo(f"items {label} ({len(ids)}): {shown}")
    if found.repeated:
        click.echo(f"{count(found.repeated, 'document')} in the index more than once")
    if not found.ok:
        click.echo("the index differs from the store: `hub index rebuild` makes it match")
        ctx.exit(1)
    click.echo(f"the index matches the store: {found.documents:,} documents, ids and content")
