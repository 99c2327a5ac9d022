"""Every PDF of ../shared/eval/pdf: text where the manifest expects it, a clear error otherwise,
within the time limit and the memory cap, never a crash or a hang.

Expected text is compared after NFKC normalisation with all whitespace removed: pypdf's line
breaks and spacing differ from the reference files, while the characters and their order are
what matters.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from hub.indexing.document import ParseError
from hub.indexing.pdf import MEMORY_CAP, TIME_LIMIT, PdfProblem, read_pdf
from hub.indexing.report import build_report

WORKERS = 2  # each worker thread drives one child process at a time
SLACK = 5.0  # seconds beyond the time limit for starting and reaping a child


def squash(text: str) -> str:
    """Text compared without regard to whitespace or compatibility forms."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def expected_texts(root, entry) -> list[str]:
    texts = [entry["expected_text"]] if "expected_text" in entry else []
    if "expected_text_file" in entry:
        texts.append((root / entry["expected_text_file"]).read_text(encoding="utf-8"))
    return texts + list(entry.get("expected_contains", []))


def wants_text(entry) -> bool:
    """True when the manifest gives text that the file holds (not just '' for 'no text')."""
    given = [entry.get("expected_text", ""), *entry.get("expected_contains", [])]
    return "expected_text_file" in entry or any(t.strip() for t in given)


def judge(root, entry, taxonomy) -> tuple[str, str]:
    """('text' | 'error' | 'wrong', why) for one manifest entry; text must also make a report."""
    origin = f"eval/{entry['path']}"
    started = time.monotonic()
    try:
        pdf = read_pdf(root / entry["path"], origin)
    except PdfProblem as problem:
        return _judge_error(entry, problem, origin, time.monotonic() - started)
    except Exception as exc:  # noqa: BLE001 - anything else is a crash of ours
        return "wrong", f"crashed: {type(exc).__name__}: {exc}"
    elapsed = time.monotonic() - started
    if elapsed > TIME_LIMIT + SLACK or pdf.peak_memory > MEMORY_CAP:
        return "wrong", f"took {elapsed:.1f} s / {pdf.peak_memory >> 20} MiB"
    text = squash("\n".join(pdf.pages))
    missing = [t[:40] for t in expected_texts(root, entry) if squash(t) not in text]
    if missing:
        return "wrong", f"missing {missing}"
    try:
        build_report(pdf.pages, True, origin, taxonomy)
    except ParseError:
        pass  # text of numbers only: a clear error from the report parser is fine
    except Exception as exc:  # noqa: BLE001
        return "wrong", f"report parser crashed: {type(exc).__name__}: {exc}"
    return "text", ""


def _judge_error(entry, problem: PdfProblem, origin: str, elapsed: float) -> tuple[str, str]:
    if problem.kind not in PdfProblem.KINDS or origin not in str(problem):
        return "wrong", f"unclear error: {problem}"
    if elapsed > TIME_LIMIT + SLACK:
        return "wrong", f"error only after {elapsed:.1f} s"
    locked = problem.kind == "encrypted" and entry.get("user_password")
    if wants_text(entry) and not locked:
        return "wrong", f"text expected, got: {problem}"
    return "error", problem.kind


@pytest.fixture(scope="module")
def verdicts(shared, product_taxonomy):
    root = shared / "eval" / "pdf"
    entries = json.loads((root / "manifest.json").read_text())["files"]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda e: judge(root, e, product_taxonomy), entries))
    return entries, results


def test_every_eval_pdf_gets_its_text_or_a_clear_error(verdicts):
    entries, results = verdicts
    counts = Counter(kind for kind, _ in results)
    kinds = Counter(why for kind, why in results if kind == "error")
    print(f"\n{len(entries)} PDFs: {counts['text']} text extracted, {counts['error']} clear error "
          f"({', '.join(f'{k} {n}' for k, n in kinds.most_common())}), {counts['wrong']} wrong")
    wrong = [(e["path"], why) for e, (kind, why) in zip(entries, results, strict=True)
             if kind == "wrong"]
    assert wrong == []
    assert counts["text"] + counts["error"] == len(entries) == 221


def test_expected_text_is_found_where_the_manifest_gives_it(verdicts):
    entries, results = verdicts
    with_text = [(e, kind) for e, (kind, _) in zip(entries, results, strict=True)
                 if wants_text(e)]
    assert len(with_text) >= 40
    not_extracted = [e for e, kind in with_text if kind != "text"]
    # Only a file locked with a password we were not given may keep its text from us.
    assert all(e.get("user_password") for e in not_extracted), [e["path"] for e in not_extracted]
