"""Write a new Alembic migration by comparing hub.store.models with a scratch database.

Usage: python scripts/new_migration.py "what changed" 0002
"""

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from hub.store.database import make_engine, migrate


def main() -> None:
    """Upgrade a scratch database to head, then autogenerate the next revision."""
    message, rev_id = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.sqlite3'}")
        migrate(engine)
        config = Config()
        config.set_main_option("script_location", str(Path("hub/store/migrations").resolve()))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main()
