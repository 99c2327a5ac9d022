"""The database the tests' stores live in, chosen by HUB_TEST_DATABASE: `sqlite` (the default:
a file in the instance folder, as a hub makes by itself) or `postgresql` (Debian's PostgreSQL,
a cluster of its own started for the session in a temporary folder, listening on a Unix socket
only, run as an unprivileged user when the tests run as root; one database per store a test
asks for, copied from a migrated template and dropped after the test)."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hub.config import sqlite_url

DATABASE_ENV = "HUB_TEST_DATABASE"
CHOICES = ("sqlite", "postgresql")
# Who runs the cluster when the tests run as root (initdb refuses root): a user Debian has.
CLUSTER_USER = "nobody"
# Speed over durability: the cluster lives as long as one test run.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                 "max_connections": "200", "shared_buffers": "64MB"}
TEMPLATE = "hub_migrated"


def chosen_database() -> str:
    """The database HUB_TEST_DATABASE names (sqlite unless set); anything else is an error."""
    value = (os.environ.get(DATABASE_ENV) or "sqlite").strip().lower()
    if value not in CHOICES:
        raise ValueError(f"{DATABASE_ENV}={value!r}: use one of {', '.join(CHOICES)}")
    return value


class SqliteStores:
    """Stores as a hub makes them by itself: a SQLite file in the instance folder."""

    name = "sqlite"

    def new_url(self, home: Path, migrated: bool = True, copy_of: str | None = None) -> str:
        """The URL of a new store for the instance folder `home`: empty (`migrated` does not
        matter: a SQLite store is made and migrated when first opened), or a copy of the
        store at `copy_of` (closed by then)."""
        path = home / "hub.sqlite3"
        if copy_of:
            home.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(copy_of.removeprefix("sqlite:///"), path)
        return sqlite_url(path)

    def drop(self, url: str) -> None:
        """Nothing to do: the file goes with the test's temporary folder."""

    def close(self) -> None:
        """Nothing to do."""


def postgres_bin_dir() -> Path:
    """Debian's PostgreSQL programs (the newest version installed), else those on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    initdb = found[-1] if found else shutil.which("initdb")
    if not initdb:
        raise RuntimeError("PostgreSQL is not installed (`make system-deps` installs Debian's)")
    return Path(initdb).parent


class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temporary folder, reached through a Unix socket in
    that folder (it listens on no TCP port)."""

    def __init__(self) -> None:
        self.bin = postgres_bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="hub-postgres-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.log = self.root / "server.log"
        self.run_as = CLUSTER_USER if os.geteuid() == 0 else None
        self.superuser = "hub"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              cwd=self.root)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}{log}")

    def start(self) -> PostgresCluster:
        """initdb, then start the server and wait until it accepts connections."""
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run("initdb", "--pgdata", str(self.data), "--username", self.superuser,
                  "--auth", "trust", "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync")
        options = " ".join(["-c listen_addresses=''",
                            f"-c unix_socket_directories='{self.socket_dir}'",
                            *(f"-c {name}={value}" for name, value in FAST_SETTINGS.items())])
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.log),
                  "--options", options, "--wait", "--timeout", "60", "start")
        return self

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "immediate", "--wait",
                          "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of a database in this cluster (psycopg 3, over the socket)."""
        return f"postgresql+psycopg://{self.superuser}@/{database}?host={self.socket_dir}"

    def conninfo(self, database: str) -> str:
        """The libpq connection string of a database in this cluster."""
        return f"host={self.socket_dir} user={self.superuser} dbname={database}"


class PostgresStores:
    """Stores as databases of one cluster: each new store a copy of a migrated template (or an
    empty database, for tests of the migrations themselves)."""

    name = "postgresql"

    def __init__(self, cluster: PostgresCluster) -> None:
        import psycopg

        from hub.store.database import make_engine, migrate

        self.cluster = cluster
        self.admin = psycopg.connect(cluster.conninfo("postgres"), autocommit=True)
        self.numbers = itertools.count(1)
        self.admin.execute(f"CREATE DATABASE {TEMPLATE}")
        engine = make_engine(cluster.url(TEMPLATE))
        try:
            migrate(engine)
        finally:
            engine.dispose()  # a template takes copies only while no one is connected to it

    def new_url(self, home: Path, migrated: bool = True, copy_of: str | None = None) -> str:
        """The URL of a new database: a copy of the migrated template, an empty one, or a
        copy of the store at `copy_of` (no one may be connected to it)."""
        name = f"store_{next(self.numbers)}"
        template = _database_name(copy_of) if copy_of else TEMPLATE if migrated else "template0"
        self.admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.cluster.url(name)

    def drop(self, url: str) -> None:
        """Drop the store's database, ending any connection a test left open."""
        self.admin.execute(f"DROP DATABASE IF EXISTS {_database_name(url)} WITH (FORCE)")

    def close(self) -> None:
        """Close the admin connection and stop the cluster."""
        try:
            self.admin.close()
        finally:
            self.cluster.stop()


def _database_name(url: str) -> str:
    return url.split("?")[0].rsplit("/", 1)[1]


def open_stores(database: str) -> SqliteStores | PostgresStores:
    """The stores for `database` ("sqlite" or "postgresql"), a cluster started if needed."""
    if database == "sqlite":
        return SqliteStores()
    cluster = PostgresCluster().start()
    try:
        return PostgresStores(cluster)
    except BaseException:
        cluster.stop()
        raise


@contextmanager
def store_for(stores: SqliteStores | PostgresStores, home: Path, migrated: bool = True):
    """A new store for `home` for as long as the block lasts (for fixtures wider than a test)."""
    url = stores.new_url(home, migrated)
    try:
        yield url
    finally:
        stores.drop(url)


def stray_sqlite_files(folder: Path) -> list[str]:
    """The SQLite stores under `folder` (a hub names its file hub.sqlite3)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.sqlite3"))


def refuse_inserts(url: str, table: str, message: str) -> None:
    """A real failure inside the store: from now on the database refuses every new row of
    `table` with `message` (a trigger, in the dialect of the store at `url`)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    statements = [
        f"CREATE TRIGGER refuse BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END"
    ] if engine.dialect.name == "sqlite" else [
        f"CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$",
        f"CREATE TRIGGER refuse BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()",
    ]
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()
