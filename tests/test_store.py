"""The store: migrations match the models, and the database URL comes from the environment."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hub.config import load_settings
from hub.store.database import make_engine, migrate
from hub.store.models import Base


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
