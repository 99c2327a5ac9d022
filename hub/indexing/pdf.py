"""The text layer of a PDF, page by page, read in a child process with a memory cap and a time limit.

PDFs are untrusted input: a hostile or broken file can make a parser loop, allocate without
end or crash. pypdf therefore runs in a child process (forked from a forkserver that has
pypdf and the hub's modules loaded, so a file costs milliseconds, not an interpreter start) whose address space is
capped with RLIMIT_AS; the parent waits at most the time limit and kills it after that. Every
way a file can fail ends in a PdfProblem naming the file and a specific reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import multiprocessing
import resource
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, LimitReachedError

from hub.indexing.document import ParseError
from hub.indexing.pdf_salvage import salvage_text
from hub.indexing.typeface import LineStyle, styled_text

MEMORY_CAP = 1 << 30  # bytes of address space for the child
TIME_LIMIT = 60.0  # seconds a file may take
MAX_PAGES = 3000  # more than any report we hold; bounds work on a hostile page tree
# Fewer letters or digits than this over the whole file: no text layer worth the name.
MIN_TEXT_CHARS = 1

_CONTEXT = multiprocessing.get_context("forkserver")


class PdfProblem(ParseError):
    """A PDF whose text cannot be read; `kind` says why in one word."""

    KINDS = ("not-pdf", "encrypted", "damaged", "no-text", "bomb", "timeout", "memory", "crashed")

    def __init__(self, origin: str, kind: str, problem: str):
        super().__init__(origin, problem)
        self.kind = kind


@dataclass
class PdfText:
    """What a PDF's text layer holds: one string per page, and the document metadata."""

    pages: list[str]
    # Per page, one LineStyle per line of its text (split at "\n"); empty when not known.
    styles: list[list[LineStyle]] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    date: dt.date | None = None
    producer: str = ""  # the programs that made it ("Microsoft PowerPoint; macOS Quartz")
    landscape_pages: int = 0  # pages wider than they are tall (slides are)
    peak_memory: int = 0  # the child's peak resident set, in bytes
    failed_pages: list[int] = field(default_factory=list)  # 1-based pages that would not read
    salvaged: bool = False  # read from raw content streams: pypdf could not rebuild the file


def read_pdf(
    path: Path, origin: str, time_limit: float = TIME_LIMIT, memory_cap: int = MEMORY_CAP
) -> PdfText:
    """The text of a PDF read in a child process; PdfProblem if it cannot be read safely."""
    _preload_once()
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(str(path), sender, memory_cap))
    child.start()
    sender.close()
    try:
        message = _receive(receiver, time_limit)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if message is None:
        raise PdfProblem(origin, "timeout", f"reading took longer than {time_limit:g} s (stopped)")
    if message == "died":
        raise _death(origin, child.exitcode, memory_cap)
    if message[0] == "error":
        raise PdfProblem(origin, message[1], message[2])
    return message[1]


@functools.cache
def _preload_once() -> None:
    """Have the forkserver load pypdf and the hub modules this process has loaded.

    A child started from a script re-runs the script's module (multiprocessing does that to
    rebuild __main__); with what it imports already loaded in the server, that costs nothing,
    where importing the command line afresh would cost more than reading most files.
    """
    ours = sorted(name for name in sys.modules if name == "hub" or name.startswith("hub."))
    _CONTEXT.set_forkserver_preload(["pypdf", "hub.indexing.pdf", *ours])


def _receive(receiver, time_limit: float):
    """The child's message; None when it ran out of time, "died" when it ended without one."""
    if not receiver.poll(time_limit):
        return None
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return "died"


def _death(origin: str, exitcode: int | None, memory_cap: int) -> PdfProblem:
    if exitcode == -9:  # the kernel's answer to a process that ran out of memory
        return PdfProblem(origin, "memory", f"the parser exceeded the {memory_cap >> 20} MiB "
                                            "memory cap and was stopped")
    return PdfProblem(origin, "crashed", f"the parser crashed (exit code {exitcode})")


def _child(path: str, sender, memory_cap: int) -> None:
    """Runs in the child: cap memory, read the file, send back text or (error, kind, message)."""
    # What the child inherited stays put: a collection that scanned it would copy every
    # inherited page (copy-on-write) and cost more than reading a small file.
    gc.freeze()
    resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))
    try:
        message = ("ok", _read(path))
    except _Failure as failure:
        message = ("error", failure.kind, failure.message)
    except MemoryError:
        message = ("error", "memory",
                   f"reading needed more than the {memory_cap >> 20} MiB memory cap")
    except RecursionError:
        message = ("error", "damaged", "damaged beyond repair: its objects nest without end")
    sender.send(message)
    sender.close()


class _Failure(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


def _read(path: str) -> PdfText:
    """Read a file's pages; fall back on salvaging raw content streams when it is damaged."""
    with open(path, "rb") as handle:
        data = handle.read()
    if b"%PDF-" not in data[:1024]:
        raise _Failure("not-pdf", "not a PDF file (no %PDF- header)")
    warnings = _WarningCounter.install()
    try:
        text = _read_with_pypdf(path)
    except _Failure as failure:
        if failure.kind not in ("damaged", "no-text"):
            raise
        text = _salvaged(data, failure, damaged=failure.kind == "damaged" or warnings.count > 0)
    text.peak_memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return text


def _salvaged(data: bytes, failure: _Failure, damaged: bool) -> PdfText:
    """Text salvaged from a damaged file's raw streams, or the original failure."""
    salvaged = salvage_text(data) if damaged else ""
    if not salvaged:
        raise failure
    return PdfText(pages=[salvaged], salvaged=True)


class _WarningCounter(logging.Handler):
    """Counts pypdf's warnings: a file it had to repair is damaged even when it opens."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        """Count the record; show nothing."""
        self.count += 1

    @classmethod
    def install(cls) -> _WarningCounter:
        """A counter attached to pypdf's logger, which then stops passing records upwards."""
        counter = cls()
        pypdf_logger = logging.getLogger("pypdf")
        pypdf_logger.addHandler(counter)
        pypdf_logger.propagate = False  # repairs are expected here, not news for the user
        return counter


def _read_with_pypdf(path: str) -> PdfText:
    try:
        reader = PdfReader(path, strict=False)
        _unlock(reader)
        page_count = len(reader.pages)
    except _Failure:
        raise
    except LimitReachedError as exc:
        raise _limit_failure(exc) from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on broken files
        raise _Failure("damaged", f"damaged beyond repair: {_describe(exc)}") from None
    if page_count == 0:
        raise _Failure("damaged", "damaged beyond repair: no pages could be found")
    if page_count > MAX_PAGES:
        raise _Failure("damaged", f"has {page_count} pages, more than the {MAX_PAGES} allowed")
    text = _pages(reader, page_count)
    text.title, text.author, text.date = _metadata(reader)
    text.producer = _producer(reader)
    return text


def _unlock(reader) -> None:
    """Open an encrypted file with the empty password (an owner password only), or fail."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except DependencyError as exc:
        raise _Failure("encrypted", f"encrypted with a method this installation cannot "
                                    f"open ({exc})") from None
    except Exception as exc:  # noqa: BLE001
        raise _Failure("encrypted", f"encrypted, and its encryption is damaged: "
                                    f"{_describe(exc)}") from None
    if not opened:
        raise _Failure("encrypted", "encrypted: a password is needed to open it")


def _pages(reader, page_count: int) -> PdfText:
    pages: list[str] = []
    styles: list[list[LineStyle]] = []
    landscape = 0
    failed: list[int] = []
    first_error = ""
    for number in range(page_count):
        try:
            page = reader.pages[number]
            text, style = styled_text(page)
            pages.append(text)
            styles.append(style)
            landscape += _landscape(page)
        except LimitReachedError as exc:
            raise _limit_failure(exc) from None
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            pages.append("")
            styles.append([])
            failed.append(number + 1)
            first_error = first_error or _describe(exc)
    if sum(ch.isalnum() for page in pages for ch in page) < MIN_TEXT_CHARS:
        if failed:
            raise _Failure("damaged", f"damaged beyond repair: no page could be read "
                                      f"({first_error})")
        raise _Failure("no-text", f"has no text layer ({page_count} page"
                                  f"{'s' * (page_count != 1)} of images or drawings only; "
                                  "it would need OCR)")
    return PdfText(pages=pages, styles=styles, failed_pages=failed, landscape_pages=landscape)


def _landscape(page) -> bool:
    try:
        box = page.mediabox
        return float(box.width) > float(box.height)
    except Exception:  # noqa: BLE001 - a broken box only loses the orientation
        return False


def _producer(reader) -> str:
    """The document information's Creator and Producer, joined ('' when unreadable)."""
    try:
        info = reader.metadata or {}
        return "; ".join(str(info.get(key)) for key in ("/Creator", "/Producer") if info.get(key))
    except Exception:  # noqa: BLE001
        return ""


def _limit_failure(exc: Exception) -> _Failure:
    message = str(exc)
    if "decompress" in message.lower() or "size" in message.lower():
        return _Failure("bomb", f"a stream inflates beyond pypdf's safety limits "
                                f"(decompression bomb?): {message}")
    return _Failure("damaged", f"damaged beyond repair: {message}")


def _describe(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _metadata(reader) -> tuple[str | None, str | None, dt.date | None]:
    """Title, author and creation date from the document information, where readable."""
    try:
        info = reader.metadata
    except Exception:  # noqa: BLE001 - broken metadata must not lose the text
        return None, None, None
    if info is None:
        return None, None, None
    return _field(info, "title"), _field(info, "author"), _date(info)


def _field(info, name: str) -> str | None:
    try:
        value = getattr(info, name)
    except Exception:  # noqa: BLE001
        return None
    value = " ".join(str(value).split()) if value else ""
    return value or None


def _date(info) -> dt.date | None:
    try:
        moment = info.creation_date
    except Exception:  # noqa: BLE001 - malformed date strings are common
        return None
    return moment.date() if moment else None

