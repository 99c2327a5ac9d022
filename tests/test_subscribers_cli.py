"""`hub subscribers add|list|remove`, with the confirmation email through the test SMTP server."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from hub.cli import main
from hub.store.models import DigestDelivery
from tests.support.rows import add_item, add_subscriber, populate


def hub(settings, env, *args):
    return CliRunner().invoke(main, ["--home", str(settings.home), *args],
                              env={**env, "HUB_CONTENT_DIR": str(settings.content_dir)})


def listed(settings, env) -> list[dict]:
    result = hub(settings, env, "subscribers", "list", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_add_list_remove(settings, mail_env, smtp):
    added = hub(settings, mail_env, "subscribers", "add", "Analyst@Example.org",
                "--theme", "data sharing", "--theme", "worklessness", "--region", "West Midlands",
                "--confirmed")
    assert added.exit_code == 0, added.output
    assert "added analyst@example.org (confirmed)" in added.output
    [row] = listed(settings, mail_env)
    assert (row["email"], row["status"], row["themes"], row["region"]) == (
        "analyst@example.org", "active", ["data-sharing", "worklessness"], "west-midlands")
    assert smtp.messages == []  # --confirmed: no confirmation email

    plain = hub(settings, mail_env, "subscribers", "list")
    assert "analyst@example.org" in plain.output and "region west-midlands" in plain.output

    again = hub(settings, mail_env, "subscribers", "add", "analyst@example.org",
                "--theme", "performance")
    assert again.exit_code == 1 and "already a subscriber" in again.output

    removed = hub(settings, mail_env, "subscribers", "remove", "ANALYST@example.org")
    assert removed.exit_code == 0 and listed(settings, mail_env) == []
    missing = hub(settings, mail_env, "subscribers", "remove", "analyst@example.org")
    assert missing.exit_code == 1 and "no subscriber with email analyst@example.org" in missing.output


def test_add_unconfirmed_sends_the_confirmation_email(settings, mail_env, smtp):
    result = hub(settings, mail_env, "subscribers", "add", "new@example.org",
                 "--theme", "performance")
    assert result.exit_code == 0, result.output
    assert listed(settings, mail_env)[0]["status"] == "unconfirmed"
    [message] = smtp.received()
    assert message["To"] == "new@example.org"
    assert "https://hub.test/subscriptions/confirm/" in message.get_content()


@pytest.mark.parametrize("args, problem", [
    (["bad\r\nBcc: victim@example.org", "--theme", "performance"], "email: line breaks"),
    (["ok@example.org", "--theme", "performance\r\nBcc: victim@example.org"],
     "theme: line breaks"),
    (["ok@example.org", "--theme", "perfomance"], "theme: unknown theme 'perfomance'"),
    (["ok@example.org", "--theme", "performance", "--region", "Coventry"],
     "region: 'Coventry' is not a region"),
    (["ok@", "--theme", "performance"], "email: "),
])
def test_bad_input_is_refused_and_nothing_stored(settings, mail_env, smtp, args, problem):
    result = hub(settings, mail_env, "subscribers", "add", *args, "--confirmed")
    assert result.exit_code == 1 and problem in result.output, result.output
    assert listed(settings, mail_env) == []


def test_remove_takes_the_ledger_rows_too(corpus, settings, mail_env, smtp):
    populate(corpus, lambda s: (add_item(s, "Data note", ["data-sharing"], days_ago=1),
                                add_subscriber(s, "gone@example.org", ["data-sharing"])))
    assert hub(settings, mail_env, "digest", "send").exit_code == 0
    assert hub(settings, mail_env, "subscribers", "remove", "gone@example.org").exit_code == 0
    with corpus.session() as session:
        assert session.scalars(select(DigestDelivery)).all() == []
