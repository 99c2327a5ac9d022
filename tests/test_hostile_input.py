"""Hostile files end within a minute in a capped child with one clear line, and the child
dies with the process that asked for it."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hub.indexing.capped import CappedProblem, Limits
from hub.indexing.document import ParseError
from hub.indexing.loader import parse_file
from tests.support.hostile import HOSTILE, long_markdown, nul_bytes
from tests.support.served_hub import hub_env

pytestmark = pytest.mark.reliability

# What each hostile file ends in: a ParseError whose line holds these words, or documents.
EXPECTED = {
    "text-page-pdf": "content is 40 MiB",
    "nested-flate-pdf": "decompression bomb",
    "markdown-10000": "nests too deeply",
    "markdown-100000": "nests too deeply",
    "html-10000": None,
    "html-100000": None,
    "large-html": "characters of text, more than",
    "long-word": "characters of text, more than",
    "entity-bomb": None,
    "nul-html": None,
    "nul-markdown": None,
    "wrong-charset": None,
    "utf16": None,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_ends_within_a_minute_with_one_line(name, tmp_path, parse_context):
    path = HOSTILE[name](tmp_path)
    started = time.monotonic()
    try:
        docs = parse_file(path, path.name, parse_context)
        outcome = None
    except ParseError as exc:
        docs, outcome = [], str(exc)
    assert time.monotonic() - started < 60
    expected = EXPECTED[name]
    if expected is None:
        assert docs and outcome is None
        assert all("\x00" not in node.text and "\x00" not in node.title
                   for doc in docs for node in doc.walk())
    else:
        assert outcome is not None and expected in outcome, outcome
        assert outcome.startswith(path.name) and "\n" not in outcome


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_nul_bytes_are_removed_with_a_note(suffix, tmp_path, parse_context):
    [doc] = parse_file(nul_bytes(tmp_path, suffix), f"nul{suffix}", parse_context)
    assert "council pooled budgets" in doc.text
    assert any("control characters" in note for note in doc.notes)


def test_markdown_and_html_parse_under_the_time_limit(tmp_path, parse_context):
    slow = dataclasses.replace(parse_context, limits=Limits(time_limit=0.5))
    # Ordinary Markdown, only long: nesting is refused before parsing, so it would not do.
    path = long_markdown(tmp_path, 40_000)
    started = time.monotonic()
    with pytest.raises(CappedProblem) as problem:
        parse_file(path, "deep.md", slow)
    assert problem.value.kind == "timeout" and time.monotonic() - started < 10
    assert str(problem.value) == "deep.md: reading took longer than 0.5 s (stopped)"


def test_text_cap_has_a_clear_message(tmp_path, parse_context):
    small = dataclasses.replace(parse_context, limits=Limits(max_text_chars=1000))
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><h1>Long</h1><p>" + "word " * 600
                    + "</p></article></body></html>")
    with pytest.raises(ParseError, match=r"page.html: it holds [\d,]+ characters of text, more "
                                         r"than the 1,000 a file may have"):
        parse_file(page, "page.html", small)


def _descendants(pid: int) -> set[int]:
    """Every process below pid, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_parse_child_dies_with_the_ingest(tmp_path, store_url):
    path = long_markdown(tmp_path, 150_000)  # seconds of rendering to be killed during
    env = hub_env(tmp_path / "home", HUB_PARSE_SECONDS="600", HUB_MAX_TEXT_CHARS="50000000")
    ingest = subprocess.Popen([sys.executable, "-m", "hub", "ingest", "-q", str(path)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    children: set[int] = set()
    # The resource tracker, the forkserver and, below the forkserver, the parse child.
    while time.monotonic() < deadline and len(children) < 3:
        time.sleep(0.2)
        children = _descendants(ingest.pid)
    assert len(children) >= 3, "the parse child never started"
    os.kill(ingest.pid, signal.SIGKILL)
    ingest.wait()
    deadline = time.monotonic() + 10  # unbounded before: the parse ran to its end
    while time.monotonic() < deadline and any(map(_alive, children)):
        time.sleep(0.1)
    assert not any(map(_alive, children))
