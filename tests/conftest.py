"""Shared fixtures: a temporary store per test, the shared seeds, and the real vocabulary."""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import smtplib
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from hub.config import DEFAULT_CONTENT_DIR, PROJECT_DIR, Settings, sqlite_url
from hub.corpus import Corpus
from hub.indexing.loader import ParseContext
from hub.vocabulary.taxonomy import load_taxonomy

DATA_DIR = Path(__file__).parent / "data"
TEST_SECRET = "test-secret-key-not-for-production"


def shared_dir() -> Path:
    """../shared (or $HUB_SHARED_DIR): the seeds and evaluation sets, never copied here."""
    candidates = [os.environ.get("HUB_SHARED_DIR"), PROJECT_DIR.parent / "shared", "/work/shared"]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "seeds").is_dir():
            return Path(candidate).resolve()
    # Fail, never skip: CI must not pass without the seeds.
    raise RuntimeError("../shared/seeds not found; set HUB_SHARED_DIR")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder with seeds/ and eval/."""
    return shared_dir()


@pytest.fixture(scope="session")
def seeds(shared) -> dict[str, Path]:
    """Seed files by their number ("000" ... "004")."""
    return {p.name[:3]: p for p in sorted((shared / "seeds").glob("[0-9]*.txt"))}


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings for a fresh instance folder, with the real vocabulary from content/."""
    home = tmp_path / "instance"
    return Settings(home=home, database_url=sqlite_url(home / "hub.sqlite3"),
                    content_dir=DEFAULT_CONTENT_DIR)


@pytest.fixture
def editor_settings(tmp_path) -> Settings:
    """Settings for a fresh instance with a content folder of its own for editors to write to
    (the real taxonomy linked in), a 1 MB upload limit and low login limits."""
    from editor_support import make_content

    home = tmp_path / "instance"
    return Settings(home=home, database_url=sqlite_url(home / "hub.sqlite3"),
                    content_dir=make_content(tmp_path / "content"), max_upload_mb=1,
                    login_max_failures=3, login_max_failures_per_address=5)


@pytest.fixture
def corpus(settings):
    """A corpus over a new, empty store on disk."""
    corpus = Corpus(settings)
    yield corpus
    corpus.close()


@pytest.fixture(scope="session")
def taxonomy():
    """The controlled vocabulary as bundled."""
    return load_taxonomy(DEFAULT_CONTENT_DIR / "taxonomy")


@pytest.fixture(scope="session")
def parse_context(taxonomy) -> ParseContext:
    """A parse context over the bundled vocabulary."""
    return ParseContext.for_taxonomy(taxonomy)


class MailSink:
    """An aiosmtpd handler that keeps what it is given, and refuses or stalls when told to."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.reset()

    def reset(self, refuse: dict[str, str] | None = None, stall_after: int | None = None,
              hang_up_on: str | None = None):
        """Answer `refuse[address]` to those recipients; hang on the message after N; drop
        the connection, unanswered, once a message for `hang_up_on` is in."""
        self.refuse = refuse or {}
        self.stall_after = stall_after
        self.hang_up_on = hang_up_on
        self.stalled = threading.Event()

    def received(self) -> list:
        """The messages received so far, parsed."""
        return [email.message_from_bytes(data, policy=email.policy.default)
                for _, data in self.messages]

    def count_by_recipient(self) -> Counter:
        """How many messages each recipient got."""
        return Counter(r for rcpts, _ in self.messages for r in rcpts)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        if self.hang_up_on in envelope.rcpt_tos:
            server.transport.close()
            return None
        if self.stall_after is not None and len(self.messages) > self.stall_after:
            # The message is in, but no answer comes: the sender is stuck mid-send.
            self.stalled.set()
            await asyncio.sleep(60)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1, polled until it answers."""
    from aiosmtpd.controller import Controller

    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    deadline = time.monotonic() + 10
    while True:
        try:
            with smtplib.SMTP("127.0.0.1", controller.port, timeout=2) as probe:
                if probe.noop()[0] == 250:
                    break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield controller, sink
    controller.stop()


@pytest.fixture
def smtp(smtp_server):
    """The SMTP server's sink, emptied and set to accept everything."""
    _, sink = smtp_server
    sink.messages.clear()
    sink.reset()
    return sink


@pytest.fixture
def mail_env(smtp_server) -> dict[str, str]:
    """Environment variables for sending through the test SMTP server."""
    controller, _ = smtp_server
    return {
        "HUB_SMTP_HOST": "127.0.0.1", "HUB_SMTP_PORT": str(controller.port),
        "HUB_SMTP_SECURITY": "none", "HUB_MAIL_FROM": "Knowledge hub <digest@hub.test>",
        "HUB_BASE_URL": "https://hub.test", "HUB_SECRET_KEY": TEST_SECRET,
    }


@pytest.fixture(scope="session")
def live_hub(tmp_path_factory, shared):
    """The bundled content and the seeds, ingested and served on 127.0.0.1 for the session."""
    from live import start_hub

    home = tmp_path_factory.mktemp("live") / "instance"
    home.mkdir()
    hub = start_hub(home, [DEFAULT_CONTENT_DIR, shared / "seeds"])
    yield hub
    hub.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's package) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from live import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (its own cookies), closed after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
