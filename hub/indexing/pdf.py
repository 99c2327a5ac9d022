"""The text layer of a PDF, page by page, read in a child process with a memory cap and a time limit.

PDFs are untrusted input: pypdf runs in a capped child (hub.indexing.capped); read_pdf starts
one, read_pdf_here is the same reading inside a child that is capped already (the loader's,
which goes on to build the report there). Every way a file can fail ends in a PdfProblem
naming the file and a specific reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import resource
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, LimitReachedError

from hub.indexing.capped import (
    MAX_TEXT_CHARS,
    MEMORY_CAP,
    TIME_LIMIT,
    CappedProblem,
    Limits,
    describe,
    run_capped,
    too_much_text,
)
from hub.indexing.pdf_salvage import salvage_text
from hub.indexing.typeface import LineStyle, styled_text
from hub.text.counts import count

CONTENT_PER_TEXT = 4  # bytes of a page's content stream allowed per character of text allowed
MAX_PAGES = 3000  # more than any report we hold; bounds work on a hostile page tree
# Fewer letters or digits than this over the whole file: no text layer worth the name.
MIN_TEXT_CHARS = 1


class PdfProblem(CappedProblem):
    """A PDF whose text cannot be read; `kind` says why in one word."""

    KINDS = ("not-pdf", "encrypted", "damaged", "no-text", "bomb", *CappedProblem.KINDS)


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
    path: Path, origin: str, time_limit: float = TIME_LIMIT, memory_cap: int = MEMORY_CAP,
    max_text_chars: int = MAX_TEXT_CHARS,
) -> PdfText:
    """The text of a PDF read in a capped child process; PdfProblem if it cannot be read safely."""
    limits = Limits(memory_cap=memory_cap, time_limit=time_limit, max_text_chars=max_text_chars)
    return run_capped(read_pdf_here, (str(path), origin, max_text_chars), origin, limits,
                      problem=PdfProblem)


def read_pdf_here(path: str, origin: str, max_text_chars: int = MAX_TEXT_CHARS) -> PdfText:
    """The text of a PDF read in this process: only inside a capped child (see read_pdf)."""
    try:
        return _read(path, max_text_chars)
    except _Failure as failure:
        raise PdfProblem(origin, failure.kind, failure.message) from None
    except RecursionError:
        raise PdfProblem(origin, "damaged",
                         "damaged beyond repair: its objects nest without end") from None


class _Failure(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


def _read(path: str, max_text_chars: int) -> PdfText:
    """Read a file's pages; fall back on salvaging raw content streams when it is damaged."""
    with open(path, "rb") as handle:
        data = handle.read()
    if b"%PDF-" not in data[:1024]:
        raise _Failure("not-pdf", "not a PDF file (no %PDF- header)")
    warnings = _WarningCounter.install()
    try:
        text = _read_with_pypdf(path, max_text_chars)
    except _Failure as failure:
        if failure.kind not in ("damaged", "no-text"):
            raise
        text = _salvaged(data, failure, damaged=failure.kind == "damaged" or warnings.count > 0)
    characters = sum(map(len, text.pages))
    if characters > max_text_chars:  # salvaged text is counted here, read pages as they come
        raise _Failure("too-much-text", too_much_text(characters, max_text_chars))
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


def _read_with_pypdf(path: str, max_text_chars: int) -> PdfText:
    try:
        reader = PdfReader(path, strict=False)
        _unlock(reader)
        page_count = len(reader.pages)
    except _Failure:
        raise
    except LimitReachedError as exc:
        raise _limit_failure(exc) from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on broken files
        raise _Failure("damaged", f"damaged beyond repair: {describe(exc)}") from None
    if page_count == 0:
        raise _Failure("damaged", "damaged beyond repair: no pages could be found")
    if page_count > MAX_PAGES:
        raise _Failure("damaged", f"has {page_count} pages, more than the {MAX_PAGES} allowed")
    text = _pages(reader, page_count, max_text_chars)
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
                                    f"{describe(exc)}") from None
    if not opened:
        raise _Failure("encrypted", "encrypted: a password is needed to open it")


def _pages(reader, page_count: int, max_text_chars: int) -> PdfText:
    pages: list[str] = []
    styles: list[list[LineStyle]] = []
    landscape = 0
    failed: list[int] = []
    first_error = ""
    characters = 0
    for number in range(page_count):
        try:
            page = reader.pages[number]
            _check_content_size(page, number + 1, max_text_chars)
            text, style = styled_text(page)
            characters += len(text)
            if characters > max_text_chars:
                raise _Failure("too-much-text", too_much_text(characters, max_text_chars,
                                                              f"the first {number + 1} pages"))
            pages.append(text)
            styles.append(style)
            landscape += _landscape(page)
        except LimitReachedError as exc:
            raise _limit_failure(exc) from None
        except (MemoryError, RecursionError, _Failure):
            raise
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            pages.append("")
            styles.append([])
            failed.append(number + 1)
            first_error = first_error or describe(exc)
    if sum(ch.isalnum() for page in pages for ch in page) < MIN_TEXT_CHARS:
        if failed:
            raise _Failure("damaged", f"damaged beyond repair: no page could be read "
                                      f"({first_error})")
        raise _Failure("no-text", f"has no text layer ({count(page_count, 'page')} of images "
                                  "or drawings only; it would need OCR)")
    return PdfText(pages=pages, styles=styles, failed_pages=failed, landscape_pages=landscape)


def _check_content_size(page, number: int, max_text_chars: int) -> None:
    """Fail before reading a page whose drawing instructions alone are past any real page's.

    Reading text costs far more per byte than inflating it: a few MB of PDF can hold a page
    of 40 MiB of text that pypdf would read for minutes; the cap on text would come too late.
    """
    contents = page.get_contents()
    size = len(contents.get_data()) if contents is not None else 0
    if size > CONTENT_PER_TEXT * max_text_chars:
        raise _Failure("too-much-text", f"page {number}'s content is {size >> 20} MiB, more than "
                                        f"a page that held the text allowed could need")


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

