"""`hub related`: related good practice for an item, with the reasons."""

from __future__ import annotations

import json

import click

from hub.cli.context import open_corpus
from hub.corpus.related_sync import MAX_LIMIT
from hub.store.models import Item


@click.command()
@click.argument("item_id", type=int)
@click.option("--limit", "-n", type=click.IntRange(1, MAX_LIMIT), default=5, show_default=True,
              help="How many related items to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def related(ctx: click.Context, item_id: int, limit: int, as_json: bool) -> None:
    """Show the items related to one item, and why (shared themes and terms)."""
    corpus = open_corpus(ctx)
    with corpus.session() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise click.ClickException(f"no item with id {item_id}")
        if not item.is_published:
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
