"""The `hub` command line: ingest, inspect, search and serve the hub."""

from __future__ import annotations

import json
from pathlib import Path

import click

from hub import subscribers as subscriber_store
from hub.config import load_settings
from hub.corpus import Corpus, item_json
from hub.digest.run import DigestRun
from hub.mail import MailConfigError, Mailer, MailSettings, load_mail_settings
from hub.models import ITEM_TYPES, transaction
from hub.subscribers import Choices, SubscriberError, notice_message, subscriber_json
from hub.tokens import MissingSecretError, secret_from_env


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


@main.group()
def digest() -> None:
    """The weekly digest email."""


@digest.command(name="send")
@click.option("--dry-run", "dry_run", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", help="Write the emails as .eml files into DIR; send nothing.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="Items the hub stored since DATE (default: since each subscriber's last "
                   "digest, or the last 7 days).")
@click.pass_context
def digest_send(ctx: click.Context, dry_run: Path | None, since) -> None:
    """Send this week's digest to every subscriber who has not had it (exit 75: retry later)."""
    corpus = open_corpus(ctx)
    mail, secret = _mail_config()
    run = DigestRun(corpus, mail, secret, since=since)
    if dry_run:
        summary = run.dry_run(dry_run)
    else:
        with Mailer(mail) as mailer:
            summary = run.send(mailer)
    for line in summary.lines():
        click.echo(line)
    ctx.exit(summary.exit_code)


def _mail_config() -> tuple[MailSettings, str]:
    try:
        return load_mail_settings(), secret_from_env()
    except (MailConfigError, MissingSecretError) as exc:
        raise click.ClickException(str(exc)) from None


@main.group()
def subscribers() -> None:
    """Manage digest subscribers."""


@subscribers.command(name="add")
@click.argument("email")
@click.option("--theme", "themes", multiple=True, required=True,
              help="A theme (slug or name) to follow; repeat for more.")
@click.option("--region", help="A region whose items come first (slug or name).")
@click.option("--confirmed", is_flag=True,
              help="Mark as confirmed; otherwise a confirmation email is sent (double opt-in).")
@click.pass_context
def subscribers_add(ctx: click.Context, email: str, themes: tuple[str, ...], region: str | None,
                    confirmed: bool) -> None:
    """Add a subscriber."""
    corpus = open_corpus(ctx)
    mail = None if confirmed else _mail_config()  # checked before anything is stored
    try:
        choices = Choices.check(corpus.taxonomy, email, themes, region)
        with transaction(corpus.sessions) as session:
            subscriber = subscriber_store.add(session, choices, confirmed)
    except SubscriberError as exc:
        raise click.ClickException(str(exc)) from None
    if mail:
        message = notice_message(*mail, subscriber, "confirm", corpus.taxonomy)
        try:
            with Mailer(mail[0]) as mailer:
                mailer.send(message, subscriber.email)
        except Exception as exc:  # noqa: BLE001 - stored already; say what did not happen
            raise click.ClickException(f"{subscriber.email} added, but the confirmation email "
                                       f"was not sent: {exc}") from None
    state = "confirmed" if confirmed else "confirmation email sent"
    click.echo(f"added {subscriber.email} ({state})")


@subscribers.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def subscribers_list(ctx: click.Context, as_json: bool) -> None:
    """List the subscribers."""
    corpus = open_corpus(ctx)
    with corpus.session() as session:
        rows = [subscriber_json(s) for s in subscriber_store.listing(session)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        region = f"  region {row['region']}" if row["region"] else ""
        click.echo(f"{row['id']:>6}  {row['status']:<12}  {row['email']}  "
                   f"{', '.join(row['themes'])}{region}")
    click.echo(f"{len(rows)} subscribers", err=True)


@subscribers.command(name="remove")
@click.argument("email")
@click.pass_context
def subscribers_remove(ctx: click.Context, email: str) -> None:
    """Remove a subscriber and their delivery history."""
    corpus = open_corpus(ctx)
    with transaction(corpus.sessions) as session:
        removed = subscriber_store.remove(session, email)
    if not removed:
        raise click.ClickException(f"no subscriber with email {email}")
    click.echo(f"removed {email}")
