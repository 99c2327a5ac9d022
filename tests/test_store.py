"""The store: migrations match the models, and the database URL comes from the environment
(and wins over the home, whatever names it)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import func, select

from hub.cli import main
from hub.config import load_settings
from hub.store.database import make_engine, migrate
from hub.store.models import Base, Item
from tests.support.own_data import DATA_DIR


def test_migrations_build_exactly_the_models(tmp_path, new_store):
    engine = make_engine(new_store(tmp_path, migrated=False))
    migrate(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_migrate_twice_is_harmless(tmp_path, new_store):
    engine = make_engine(new_store(tmp_path, migrated=False))
    migrate(engine)
    migrate(engine)


def test_settings_from_environment(tmp_path):
    settings = load_settings({"HUB_HOME": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    url = "postgresql+psycopg://hub@localhost/hub"
    assert load_settings({"HUB_HOME": str(tmp_path), "HUB_DATABASE_URL": url}).database_url == url


def test_the_database_url_wins_over_the_home_whatever_names_it(tmp_path, store_url):
    # load_settings: a home given (the command line's --home) or HUB_HOME, the URL still wins.
    env = {"HUB_HOME": str(tmp_path / "env-home"), "HUB_DATABASE_URL": store_url}
    assert load_settings(env).database_url == store_url
    assert load_settings(env, home=tmp_path / "cli-home").database_url == store_url
    assert load_settings(env, home=tmp_path / "cli-home").home == tmp_path / "cli-home"
    # The command line with HUB_HOME and --home both set (as `make run` exports HUB_HOME):
    # what it ingests is in the store HUB_DATABASE_URL names, and no SQLite file is made.
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "cli-home"), "ingest",
                                       str(DATA_DIR / "case_studies")],
                                env={"HUB_HOME": str(tmp_path / "env-home")})
    assert result.exit_code == 0, result.output
    engine = make_engine(store_url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(func.count(Item.id))) == 2
    finally:
        engine.dispose()
    assert (tmp_path / "cli-home" / "index").is_dir()  # the home still holds the caches
    assert not list((tmp_path / "cli-home").glob("*.sqlite3"))
    assert not (tmp_path / "env-home").exists()
