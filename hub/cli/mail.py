"""Commands for the weekly digest and its subscribers."""

from __future__ import annotations

import json
from pathlib import Path

import click

from hub.cli.context import open_corpus
from hub.digest import subscribers as subscriptions
from hub.digest.mail import (
    MailConfigError,
    Mailer,
    MailSettings,
    load_mail_settings,
    preview_mail_settings,
)
from hub.digest.run import DigestRun
from hub.digest.subscribers import Choices, SubscriberError, notice_message, subscriber_json
from hub.digest.tokens import MissingSecretError, preview_secret, secret_from_env
from hub.store.database import transaction
from hub.text.counts import count


@click.group()
def digest() -> None:
    """The weekly digest email."""


@digest.command(name="send")
@click.option("--dry-run", "dry_run", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", help="Write the emails as .eml files into DIR; send nothing. Needs "
                                  "no mail settings: unset ones get defaults, which it names.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="Items the hub stored since DATE (default: since each subscriber's last "
                   "digest, or the last 7 days).")
@click.pass_context
def digest_send(ctx: click.Context, dry_run: Path | None, since) -> None:
    """Send this week's digest to every subscriber who has not had it (exit 75: retry later)."""
    corpus = open_corpus(ctx)
    mail, secret = _preview_config() if dry_run else _mail_config()
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


def _preview_config() -> tuple[MailSettings, str]:
    """A preview needs no mail server: unset settings get stated defaults, each said once."""
    try:
        mail, notes = preview_mail_settings()
    except MailConfigError as exc:
        raise click.ClickException(str(exc)) from None
    secret, note = preview_secret()
    for line in [*notes, note] if note else notes:
        click.echo(f"note: {line}", err=True)
    return mail, secret


@click.group()
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
            subscriber = subscriptions.add(session, choices, confirmed)
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
        rows = [subscriber_json(s) for s in subscriptions.listing(session)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        region = f"  region {row['region']}" if row["region"] else ""
        click.echo(f"{row['id']:>6}  {row['status']:<12}  {row['email']}  "
                   f"{', '.join(row['themes'])}{region}")
    click.echo(count(len(rows), "subscriber"), err=True)


@subscribers.command(name="remove")
@click.argument("email")
@click.pass_context
def subscribers_remove(ctx: click.Context, email: str) -> None:
    """Remove a subscriber and their delivery history."""
    corpus = open_corpus(ctx)
    with transaction(corpus.sessions) as session:
        removed = subscriptions.remove(session, email)
    if not removed:
        raise click.ClickException(f"no subscriber with email {email}")
    click.echo(f"removed {email}")
