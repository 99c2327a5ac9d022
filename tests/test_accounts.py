"""Editor accounts: argon2 hashes, checked input, failed logins counted in the store, and
the `hub users` commands."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from hub.cli import main
from hub.corpus import Corpus
from hub.editor import accounts
from hub.store.database import transaction
from hub.store.models import AuditEntry, User, utcnow

PASSWORD = "a long test passphrase"
LIMITS = accounts.LoginLimits(per_account=3, per_address=5, window=dt.timedelta(minutes=15))


@pytest.fixture
def corpus(settings):
    corpus = Corpus(settings)
    with transaction(corpus.sessions) as session:
        accounts.add_user(session, "Editor@Example.org", PASSWORD, "editor")
        accounts.add_user(session, "other@example.org", PASSWORD, "admin")
    yield corpus
    corpus.close()


def attempt(corpus, email, password, address="10.0.0.1", now=None):
    with transaction(corpus.sessions) as session:
        result = accounts.attempt_login(session, email, password, address, LIMITS, now)
        return result.user.email if result.user else None, result.retry_after


def test_passwords_are_stored_as_argon2id_hashes(corpus):
    with corpus.session() as session:
        user = accounts.find_user(session, "editor@example.org")
    assert user.email == "editor@example.org" and user.role == "editor"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert attempt(corpus, "EDITOR@example.org ", PASSWORD) == ("editor@example.org", None)


@pytest.mark.parametrize("email, password, role, problem", [
    ("not an address", PASSWORD, "editor", "email:"),
    ("new@example.org", "short", "editor", "at least 12 characters"),
    ("new@example.org", "x" * 1025, "editor", "at most 1024"),
    ("long.address@example.org", "Long.Address@example.org", "editor", "not be the email"),
    ("new@example.org", PASSWORD, "owner", "not one of editor, admin"),
    ("editor@example.org", PASSWORD, "editor", "already has an account"),
])
def test_bad_account_input_is_refused(corpus, email, password, role, problem):
    with transaction(corpus.sessions) as session, pytest.raises(accounts.AccountError,
                                                                match=problem):
        accounts.add_user(session, email, password, role)


def test_an_account_is_refused_after_the_limit_even_with_the_right_password(corpus):
    for _ in range(3):
        assert attempt(corpus, "editor@example.org", "wrong password!") == (None, None)
    user, wait = attempt(corpus, "editor@example.org", PASSWORD)
    assert user is None and dt.timedelta(minutes=14) < wait <= dt.timedelta(minutes=15)
    # Another account from the same address is not locked out by these failures...
    assert attempt(corpus, "other@example.org", PASSWORD)[0] == "other@example.org"
    # ...and once the window has moved on, the right password works again.
    later = utcnow() + dt.timedelta(minutes=16)
    assert attempt(corpus, "editor@example.org", PASSWORD, now=later)[0] == "editor@example.org"


def test_an_address_is_refused_after_its_limit_across_accounts(corpus):
    for number in range(5):
        attempt(corpus, f"guess{number}@example.org", "wrong password!")
    assert attempt(corpus, "other@example.org", PASSWORD)[1] is not None
    assert attempt(corpus, "other@example.org", PASSWORD, address="10.0.0.2")[0]


def test_a_success_clears_the_account_count_and_unknown_accounts_count_too(corpus):
    for _ in range(2):
        attempt(corpus, "editor@example.org", "wrong password!")
    attempt(corpus, "editor@example.org", PASSWORD)
    with corpus.session() as session:
        assert accounts.failure_count(session, "account", "editor@example.org", LIMITS) == 0
        assert accounts.failure_count(session, "address", "10.0.0.1", LIMITS) == 2
    for _ in range(3):
        assert attempt(corpus, "nobody@example.org", PASSWORD, "10.0.0.9") == (None, None)
    assert attempt(corpus, "nobody@example.org", PASSWORD, "10.0.0.9")[1] is not None


def test_a_new_password_ends_the_sessions(corpus):
    with transaction(corpus.sessions) as session:
        epoch = accounts.find_user(session, "editor@example.org").session_epoch
        accounts.set_password(session, "editor@example.org", "another long passphrase")
    with corpus.session() as session:
        assert accounts.find_user(session, "editor@example.org").session_epoch == epoch + 1
    assert attempt(corpus, "editor@example.org", "another long passphrase")[0]


def run(settings, *args, stdin=None):
    env = {"HUB_HOME": str(settings.home), "HUB_CONTENT_DIR": str(settings.content_dir)}
    return CliRunner().invoke(main, list(args), input=stdin, env=env)


def test_hub_users_add_list_and_password(settings):
    added = run(settings, "users", "add", "chief@example.org", "--role", "admin",
                "--password-stdin", stdin=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "added chief@example.org (admin)" in added.output
    prompted = run(settings, "users", "add", "second@example.org",
                   stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0 and "(editor)" in prompted.output
    listed = run(settings, "users", "list")
    assert "chief@example.org" in listed.output and "never" in listed.output
    again = run(settings, "users", "add", "chief@example.org", "--password-stdin",
                stdin=PASSWORD + "\n")
    assert again.exit_code == 1 and "already has an account" in again.output
    weak = run(settings, "users", "password", "chief@example.org", "--password-stdin",
               stdin="short\n")
    assert weak.exit_code == 1 and "at least 12 characters" in weak.output
    changed = run(settings, "users", "password", "chief@example.org", "--password-stdin",
                  stdin="a different long passphrase\n")
    assert changed.exit_code == 0
    corpus = Corpus(settings)
    try:
        with corpus.session() as session:
            assert session.query(User).count() == 2
            actions = [e.action for e in session.query(AuditEntry).order_by(AuditEntry.id)]
        assert actions == ["user-added", "user-added", "password-set"]
    finally:
        corpus.close()


def test_a_bad_setting_names_the_variable(settings):
    result = CliRunner().invoke(main, ["users", "list"], env={
        "HUB_HOME": str(settings.home), "HUB_LOGIN_MAX_FAILURES": "lots"})
    assert result.exit_code == 1
    assert "HUB_LOGIN_MAX_FAILURES: must be a whole number" in result.output
