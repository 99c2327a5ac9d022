#!/usr/bin/env python3
"""Benchmark PDF reading: pages per second over ../shared/eval/pdf and over seed 004.

Two workloads, each timed over several runs (medians printed):
- the 221 evaluation PDFs, one after another;
- seed 004 (a text rendering) typeset into a PDF with reportlab at run time, so that it can
  be read back like any report.
Three ways of reading them:
- baseline: plain pypdf in this process, extract_text page by page, no cleaning and no guard;
- hub read: hub.indexing.pdf.read_pdf, the same pypdf in a capped child process;
- hub report: hub.indexing.report.parse_pdf, the child plus layout, OCR repair and structure.
Pages are those of the files each way could read; files that fail count no pages.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hub.config import DEFAULT_CONTENT_DIR
from hub.indexing.document import ParseError
from hub.indexing.pdf import read_pdf
from hub.indexing.report import parse_pdf
from hub.vocabulary.taxonomy import load_taxonomy

SHARED = Path(os.environ.get("HUB_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
LINES_PER_PAGE = 48


def baseline_pages(path: Path) -> int:
    """Pages read by plain pypdf in process (0 when it cannot open the file)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return 0
        pages = 0
        for page in reader.pages:
            page.extract_text()
            pages += 1
        return pages
    except Exception:  # noqa: BLE001 - the baseline just counts what it managed
        return 0


def hub_read_pages(path: Path) -> int:
    """Pages read by the hub's guarded reader."""
    try:
        return len(read_pdf(path, str(path)).pages)
    except ParseError:
        return 0


def hub_report_pages(taxonomy) -> Callable[[Path], int]:
    """Pages turned into a report tree by the hub (read, clean, structure)."""
    def pages(path: Path) -> int:
        """Pages of the report made from one file (0 when it fails)."""
        try:
            report = parse_pdf(path, str(path), {}, taxonomy)
        except ParseError:
            return 0
        return report.page_end or 0
    return pages


def typeset(text: str, path: Path) -> Path:
    """A text rendering set as a PDF, a fixed number of lines to a page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    canv = canvas.Canvas(str(path), pagesize=A4)
    lines = [wrapped for line in text.splitlines() for wrapped in _wrap(line, stringWidth)]
    for start in range(0, len(lines), LINES_PER_PAGE):
        y = A4[1] - 60
        for line in lines[start : start + LINES_PER_PAGE]:
            canv.setFont("Helvetica", 9)
            canv.drawString(50, y, line.encode("latin-1", "replace").decode("latin-1"))
            y -= 15
        canv.showPage()
    canv.save()
    return path


def _wrap(line: str, width_of) -> list[str]:
    out, current = [], ""
    for word in line.replace("\t", " ").split(" "):
        candidate = f"{current} {word}".strip()
        if current and width_of(candidate, "Helvetica", 9) > 490:
            out.append(current)
            current = word
        else:
            current = candidate
    return [*out, current]


def rate(files: list[Path], read: Callable[[Path], int]) -> tuple[int, float]:
    """Pages read and pages per second for one pass over the files."""
    start = time.perf_counter()
    pages = sum(read(path) for path in files)
    return pages, pages / (time.perf_counter() - start)


def main() -> None:
    """Print median pages per second for each workload and way of reading."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    logging.disable(logging.ERROR)  # the in-process baseline's repair chatter
    taxonomy = load_taxonomy(DEFAULT_CONTENT_DIR / "taxonomy")
    root = args.shared / "eval" / "pdf"
    entries = json.loads((root / "manifest.json").read_text())["files"]
    with tempfile.TemporaryDirectory() as tmp:
        seed = next((args.shared / "seeds").glob("004_*.txt"))
        seed_pdf = typeset(seed.read_text(encoding="utf-8"), Path(tmp) / "seed-004.pdf")
        workloads = {"eval/pdf (221 files)": [root / e["path"] for e in entries],
                     "seed 004 as a PDF": [seed_pdf]}
        readers = {"baseline: pypdf in process": baseline_pages, "hub read (child process)":
                   hub_read_pages, "hub report (read + clean + structure)": hub_report_pages(taxonomy)}
        for name, files in workloads.items():
            print(f"{name}, median of {args.runs} runs:")
            base = None
            for label, read in readers.items():
                runs = [rate(files, read) for _ in range(args.runs)]
                median = statistics.median(r for _, r in runs)
                base = base or median
                print(f"  {label:<40} {runs[0][0]:5d} pages  {median:8.1f} pages/s  "
                      f"({median / base:.2f}x baseline)")


if __name__ == "__main__":
    main()
