"""Main-text extraction quality on ../shared/eval/html, scored as its README describes."""

from __future__ import annotations

import importlib.util

from hub.config import PROJECT_DIR


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, PROJECT_DIR / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scorer_reproduces_the_published_figures(shared):
    eval_html = load_script("eval_html")
    folder = shared / "eval/html/scrapinghub-aeb"
    assert abs(eval_html.published(folder, "trafilatura")["f1"] - 0.958) < 0.01
    assert eval_html.published(folder, "beautifulsoup")["f1"] < 0.72


def test_hub_extraction_keeps_trafilatura_quality(shared):
    eval_html = load_script("eval_html")
    result = eval_html.evaluate(shared / "eval/html/scrapinghub-aeb", eval_html.hub_text)
    assert result["f1"] >= 0.93, result
