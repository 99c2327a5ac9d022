"""Where a Whoosh index lives: generation folders, a CURRENT pointer, and the writer lock.

`index/gen-000007/` holds one complete Whoosh index; `index/CURRENT` names the live one and is
replaced atomically (os.replace) when a rebuild finishes, so readers see either the old index
or the new, never half of one. `index/write.lock` (an flock) lets one process write at a time.
The generation before the live one is kept, so a reader still using it is not cut off.
`index/gen-000007/POSITION` is how far in the store's change log that generation has read.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh.filedb.filestore import FileStorage, RamStorage

from hub.search.base import IndexUnavailable, SearchError

POINTER = "CURRENT"
POSITION = "POSITION"  # in a generation: the change-log position its documents reflect
LOCK_FILE = "write.lock"
LOCK_TIMEOUT = 60.0
_GENERATION = re.compile(r"^gen-(\d{6})$")


class IndexFiles:
    """The index folder on disk, or an index in memory when path is None."""

    def __init__(self, path: Path | str | None, schema_factory):
        self.path = Path(path) if path is not None else None
        self.schema_factory = schema_factory
        self._thread_lock = threading.RLock()
        self._depth = 0  # nesting of writer_lock in the thread that holds it
        self._ram: tuple[str, object] | None = None
        self._ram_count = 0
        self._opened: tuple[str, object] | None = None
        self._ram_positions: dict[str, int] = {}

    def open_current(self):
        """(generation name, Whoosh index) of the live index, creating an empty one if none."""
        if self.path is None:
            if self._ram is None:
                self._ram = self.create_generation()
            return self._ram
        name = self.current_name()
        if name is None:
            with self.writer_lock():
                name = self.current_name()
                if name is None:
                    name, _index = self.create_generation()
                    self.publish(name)
        # Opening an index unpickles its schema: keep the live generation's index object and
        # only ask it (a directory listing) whether a newer commit exists.
        if self._opened is None or self._opened[0] != name:
            with unreadable_index(name):
                index = FileStorage(str(self.path / name)).open_index()
            outdated = set(self.schema_factory().names()) - set(index.schema.names())
            if outdated:
                # Built by an earlier version of the hub: rebuilt like a damaged one.
                raise IndexUnavailable(f"the search index ({name}) lacks the fields "
                                       f"{', '.join(sorted(outdated))}: it must be rebuilt")
            self._opened = (name, index)
        return self._opened

    def current_name(self) -> str | None:
        """The live generation's folder name, or None before the first index is made."""
        if self.path is None:
            return self._ram[0] if self._ram else None
        try:
            return (self.path / POINTER).read_text(encoding="ascii").strip() or None
        except FileNotFoundError:
            return None

    def create_generation(self):
        """A new, empty index beside the live one: (name, index)."""
        if self.path is None:
            self._ram_count += 1
            return f"ram-{self._ram_count:06d}", RamStorage().create_index(self.schema_factory())
        self.path.mkdir(parents=True, exist_ok=True)
        numbers = [int(m.group(1)) for p in self.path.iterdir() if (m := _GENERATION.match(p.name))]
        name = f"gen-{max(numbers, default=0) + 1:06d}"
        folder = self.path / name
        folder.mkdir()
        return name, FileStorage(str(folder)).create_index(self.schema_factory())

    def publish(self, name: str, index=None) -> None:
        """Make a generation the live one (atomically) and drop the ones before the previous."""
        if self.path is None:
            self._ram = (name, index)
            return
        previous = self.current_name()
        temporary = self.path / f"{POINTER}.{os.getpid()}.tmp"
        temporary.write_text(name + "\n", encoding="ascii")
        os.replace(temporary, self.path / POINTER)
        keep = {name, previous}
        for folder in self.path.iterdir():
            if _GENERATION.match(folder.name) and folder.name not in keep and folder.name < name:
                shutil.rmtree(folder, ignore_errors=True)

    def read_position(self, name: str | None) -> int | None:
        """A generation's change-log position, or None when it has none (or no generation)."""
        if name is None:
            return None
        if self.path is None:
            return self._ram_positions.get(name)
        try:
            return int((self.path / name / POSITION).read_text(encoding="ascii"))
        except (FileNotFoundError, ValueError):
            return None  # never recorded, or garbled: the index is rebuilt, which is safe

    def write_position(self, name: str, position: int) -> None:
        """Record a generation's position, atomically (write beside it, then rename)."""
        if self.path is None:
            self._ram_positions[name] = position
            return
        temporary = self.path / name / f"{POSITION}.{os.getpid()}.tmp"
        temporary.write_text(f"{position}\n", encoding="ascii")
        os.replace(temporary, self.path / name / POSITION)

    @contextmanager
    def writer_lock(self, timeout: float = LOCK_TIMEOUT):
        """Hold the single-writer lock (threads and processes); SearchError after timeout."""
        if not self._thread_lock.acquire(timeout=timeout):
            raise SearchError("the search index is being written by another thread")
        self._depth += 1
        try:
            if self.path is None or self._depth > 1:
                yield
                return
            self.path.mkdir(parents=True, exist_ok=True)
            with open(self.path / LOCK_FILE, "a+") as handle:
                _flock(handle, timeout, self.path / LOCK_FILE)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            self._depth -= 1
            self._thread_lock.release()


@contextmanager
def unreadable_index(name: str | None):
    """Turn whatever a damaged index makes Whoosh raise (a truncated table of contents, a
    missing segment, random bytes: EOFError, OSError, pickle and struct errors, and more)
    into IndexUnavailable, naming the generation."""
    try:
        yield
    except SearchError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to read the files is damage
        text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
        raise IndexUnavailable(f"the search index ({name or 'none'}) cannot be read: "
                               f"{type(exc).__name__}{': ' + text if text else ''}") from exc


def _flock(handle, timeout: float, where: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise SearchError(f"{where}: another process is writing the search index; "
                                  f"gave up after {timeout:.0f} s") from None
            time.sleep(0.05)
