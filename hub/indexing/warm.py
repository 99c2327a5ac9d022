"""Fill the parsers' lazy caches in the forkserver, so that no parse child pays for them.

Every parse runs in a child forked from the forkserver (hub.indexing.capped). What a parser
builds on first use (CSS selectors, which soupsieve compiles into a few dozen Unicode regular
expressions: 0.2-0.7 s; jusText's stop list; the English word list) is lost with each child
unless the server built it before forking: a small web page then cost 0.2 s in its child
against 0.01 s in a warm process. The forkserver imports this module, which reads one small
page of each kind in place; a failure here only costs speed, so it is logged, never raised.
"""

from __future__ import annotations

import logging

from hub.indexing import words
from hub.indexing.web_page import parse_web_html, parse_web_text

log = logging.getLogger(__name__)

_PAGE = """<!doctype html><html><head><title>Sample page - A council</title></head><body>
<nav><a href="/">Home</a></nav><header><h1 class="page-title">Archive</h1></header>
<article><h2><a href="/a">Pooled budgets in a county</a></h2><p class="date">6 December 2026</p>
<p>The council and its health partners pooled their budgets for older people's care, and
residents waited fewer days for help at home. Officers measured the change over two years.</p>
<p>The partnership saved money by sharing one assessment team across the district councils.</p>
</article><footer>Contact us</footer></body></html>"""

_TEXT = """Pooled budgets in a county

6 December 2026

The council and its health partners pooled their budgets for older people's care, and
residents waited fewer days for help at home. Officers measured the change over two years.
"""


def warm() -> None:
    """Parse one small page of each kind in this process, filling every lazy cache."""
    try:
        words.vocabulary()
        parse_web_html(_PAGE, "warm.html")
        parse_web_text(_TEXT, "warm.txt")
    except Exception:  # noqa: BLE001 - a sample that no longer parses must not stop ingest
        log.warning("warming the parsers failed; each file will parse more slowly",
                    exc_info=True)


warm()
