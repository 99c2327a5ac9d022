"""Real council pages in ../shared/eval/real/web, read at run time, against their hand-made truth:
items per page, titles, first and last words, and no boilerplate in the text."""

from __future__ import annotations

import json

import pytest

from hub.indexing.error_page import NothingToStore
from hub.indexing.web_page import parse_web_html
from hub.text.normalise import fold
from tests.support.shared_folder import shared_dir


def _pages() -> list[dict]:
    return json.loads((shared_dir() / "eval/real/web/truth.json").read_text())


@pytest.mark.parametrize("page", _pages(), ids=lambda page: page["file"][:3])
def test_real_page_holds_its_articles(shared, page):
    html = (shared / "eval/real/web" / page["file"]).read_text(encoding="utf-8", errors="replace")
    try:
        docs = parse_web_html(html, page["file"])
    except NothingToStore:
        docs = []
    assert len(docs) == len(page["articles"])
    for doc, article in zip(docs, page["articles"], strict=True):
        assert fold(doc.title) == fold(article["title"])
        text = fold(doc.text)
        assert fold(article["first_words"]) in text and fold(article["last_words"]) in text
        for junk in article["must_not_contain"]:
            assert fold(junk) not in text, junk
