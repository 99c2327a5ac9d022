"""Alembic environment: runs migrations on the connection hub.store.database.migrate hands in."""

from alembic import context

from hub.store.models import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    """Run the pending migrations on the caller's connection (online mode only)."""
    connection = context.config.attributes["connection"]
    # Batch mode lets later migrations alter SQLite tables by copy-and-move.
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
