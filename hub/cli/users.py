"""Commands for editor accounts."""

from __future__ import annotations

import sys

import click

from hub.cli.context import open_corpus
from hub.editor import accounts, audit
from hub.store.database import transaction
from hub.store.models import USER_ROLES
from hub.text.counts import count

ACTOR = "(command line)"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        # One line: the password as a script or secret store hands it over.
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group()
def users() -> None:
    """Editor and admin accounts for the web editor."""


@users.command(name="add")
@click.argument("email")
@click.option("--role", type=click.Choice(USER_ROLES), default="editor", show_default=True,
              help="editor: add, edit, publish and retire; admin: also read the audit log.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input, not a prompt.")
@click.pass_context
def users_add(ctx: click.Context, email: str, role: str, password_stdin: bool) -> None:
    """Add an account (the password is asked for, or read with --password-stdin)."""
    corpus = open_corpus(ctx)
    try:
        with transaction(corpus.sessions) as session:
            user = accounts.add_user(session, email, _password(password_stdin), role)
            audit.record(session, ACTOR, "user-added", target=user.email, detail=role)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"added {user.email} ({user.role})")


@users.command(name="password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input, not a prompt.")
@click.pass_context
def users_password(ctx: click.Context, email: str, password_stdin: bool) -> None:
    """Set a new password for an account; its sessions end."""
    corpus = open_corpus(ctx)
    try:
        with transaction(corpus.sessions) as session:
            user = accounts.set_password(session, email, _password(password_stdin))
            audit.record(session, ACTOR, "password-set", target=user.email)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"new password set for {user.email}")


@users.command(name="list")
@click.pass_context
def users_list(ctx: click.Context) -> None:
    """List the accounts with their roles and last sign-in."""
    corpus = open_corpus(ctx)
    with corpus.session() as session:
        rows = accounts.listing(session)
    for user in rows:
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
        click.echo(f"{user.email:<40} {user.role:<7} last sign-in {last}")
    click.echo(count(len(rows), "account"), err=True)
