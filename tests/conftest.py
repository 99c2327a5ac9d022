"""Shared fixtures: a temporary store per test over the tests' own vocabulary and content (in
SQLite, or PostgreSQL with HUB_TEST_DATABASE=postgresql), the shared seeds, a real SMTP server,
a served hub and a browser. Their helpers are in tests.support; the product's own files only
through tests.support.product_data."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config import Settings
from hub.corpus import Corpus
from hub.indexing.loader import ParseContext
from hub.vocabulary.taxonomy import load_taxonomy
from tests.support.databases import chosen_database, open_stores, store_for, stray_sqlite_files
from tests.support.mail import TEST_SECRET, MailSink, start_smtp_server
from tests.support.own_data import VOCABULARY_DIR, make_content
from tests.support.product_data import bundled_content, bundled_settings
from tests.support.shared_folder import shared_dir


def pytest_configure(config):
    config.addinivalue_line("markers", "store: uses a store (given by the `stores` fixture); "
                            "`make test` runs these on PostgreSQL too")
    chosen_database()  # a misspelt HUB_TEST_DATABASE stops the run before it starts


def pytest_collection_modifyitems(items):
    for item in items:
        if "stores" in getattr(item, "fixturenames", ()):
            item.add_marker("store")


SKIPPED_ON_POSTGRES: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and chosen_database() == "postgresql":
        SKIPPED_ON_POSTGRES.append(report.nodeid)


def pytest_sessionfinish(session):
    """The PostgreSQL run passes only if every store test it selected ran."""
    if SKIPPED_ON_POSTGRES:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nskipped on PostgreSQL, which counts as failed: {SKIPPED_ON_POSTGRES}")


@pytest.fixture(scope="session")
def stores():
    """Where the tests' stores live: SQLite files, or databases of a PostgreSQL cluster started
    for the session (HUB_TEST_DATABASE=postgresql). Every store a test uses comes from here."""
    opened = open_stores(chosen_database())
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def _stores_used_as_marked(request):
    """A store test on PostgreSQL leaves no SQLite file; any other test leaves none either (it
    would be touching a store without the `stores` fixture, so never run on PostgreSQL)."""
    folder = request.getfixturevalue("tmp_path") if "tmp_path" in request.fixturenames else None
    yield
    if folder:
        found = stray_sqlite_files(folder)
        on_postgres = chosen_database() == "postgresql"
        if found and (on_postgres or "stores" not in request.fixturenames):
            pytest.fail(f"a SQLite store was made outside the `stores` fixture: {found}")


@pytest.fixture
def new_store(stores):
    """`new_store(home)`: the URL of a new, empty store for the instance folder `home`
    (`migrated=False`: not even migrated, for the tests of migrations; `copy_of=URL`: a copy
    of that store); each is dropped after the test."""
    made = []

    def new(home: Path, migrated: bool = True, copy_of: str | None = None) -> str:
        made.append(stores.new_url(home, migrated, copy_of))
        return made[-1]

    yield new
    for url in made:
        stores.drop(url)


@pytest.fixture
def store_url(new_store, tmp_path, monkeypatch) -> str:
    """The URL of this test's store (its instance folder is tmp_path/instance); it is also
    HUB_DATABASE_URL, so every hub the test starts (the CLI, a subprocess, load_settings())
    uses it."""
    url = new_store(tmp_path / "instance")
    monkeypatch.setenv("HUB_DATABASE_URL", url)
    return url


@pytest.fixture(scope="session", autouse=True)
def no_outside_database():
    """A HUB_DATABASE_URL of the developer's never reaches a test: each store comes from
    `stores`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("HUB_DATABASE_URL", raising=False)
        yield


@pytest.fixture(scope="session", autouse=True)
def default_content_dir(tmp_path_factory) -> Path:
    """A hub that a test starts without naming a content folder (CliRunner, a subprocess,
    load_settings()) reads the test vocabulary, never the bundled content/."""
    content = make_content(tmp_path_factory.mktemp("default") / "content", case_studies=())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUB_CONTENT_DIR", str(content))
        yield content


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder with seeds/ and eval/."""
    return shared_dir()


@pytest.fixture(scope="session")
def seeds(shared) -> dict[str, Path]:
    """Seed files by their number ("000" ... "004")."""
    return {p.name[:3]: p for p in sorted((shared / "seeds").glob("[0-9]*.txt"))}


@pytest.fixture
def settings(tmp_path, store_url) -> Settings:
    """Settings for a fresh instance folder and store, with a content folder holding the test
    vocabulary (and no content to ingest)."""
    return Settings(home=tmp_path / "instance", database_url=store_url,
                    content_dir=make_content(tmp_path / "own-content", case_studies=()))


@pytest.fixture
def editor_settings(tmp_path, store_url) -> Settings:
    """Settings for a fresh instance and store with a content folder of its own for editors to
    write to (the test vocabulary and the sample case studies copied in), a 1 MB upload limit
    and low login limits."""
    return Settings(home=tmp_path / "instance", database_url=store_url,
                    content_dir=make_content(tmp_path / "editor-content"), max_upload_mb=1,
                    login_max_failures=3, login_max_failures_per_address=5)


def _opened(settings: Settings):
    corpus = Corpus(settings)
    yield corpus
    corpus.close()


@pytest.fixture
def corpus(settings):
    """A corpus over a new, empty store on disk."""
    yield from _opened(settings)


@pytest.fixture(scope="session")
def taxonomy():
    """The test vocabulary (tests/data/vocabulary)."""
    return load_taxonomy(VOCABULARY_DIR)


@pytest.fixture(scope="session")
def parse_context(taxonomy) -> ParseContext:
    """A parse context over the test vocabulary."""
    return ParseContext.for_taxonomy(taxonomy)


# The product's vocabulary, for the tests allowed it (see tests.support.product_data): the
# tagging of the real documents in ../shared depends on its gazetteer of English councils.
@pytest.fixture
def product_settings(tmp_path, store_url) -> Settings:
    """Settings for a fresh instance folder and store over the bundled content and vocabulary."""
    return bundled_settings(tmp_path / "instance", store_url)


@pytest.fixture
def product_corpus(product_settings):
    """A corpus over a new, empty store, tagging with the bundled vocabulary."""
    yield from _opened(product_settings)


@pytest.fixture(scope="session")
def product_taxonomy():
    """The controlled vocabulary as bundled (content/taxonomy)."""
    return load_taxonomy(bundled_content() / "taxonomy")


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1, polled until it answers."""
    sink = MailSink()
    controller = start_smtp_server(sink)
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
def live_hub(tmp_path_factory, shared, stores):
    """The bundled content and the seeds, ingested over the bundled vocabulary and served on
    127.0.0.1 for the session (allowed the product's files: see tests.support.product_data)."""
    from tests.support.served_hub import start_hub

    home = tmp_path_factory.mktemp("live") / "instance"
    home.mkdir()
    content = bundled_content()
    with store_for(stores, home) as url:
        hub = start_hub(home, url, [content, shared / "seeds"], HUB_CONTENT_DIR=str(content))
        yield hub
        hub.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's package) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM_ARGS, chromium_path

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
