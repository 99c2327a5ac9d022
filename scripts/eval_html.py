#!/usr/bin/env python3
"""Score main-text extraction on ../shared/eval/html (scrapinghub article-extraction benchmark).

Scoring, as the eval README describes it: split both texts into word tokens, take the multiset
of 4-token shingles, count true positives, false positives and false negatives per page, sum
them over all pages, then precision, recall and F1. Prints the hub's own extraction (the text
that ingestion stores for a single page) beside trafilatura with its defaults and two published
extractor outputs, so that the scorer itself is checked against the published figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = 4) -> Counter:
    """The multiset of word shingles of a text."""
    words = _WORD.findall(text.lower())
    return Counter(tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1)))


def score(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Micro-averaged precision, recall and F1 of (extracted, truth) text pairs."""
    tp = fp = fn = 0
    for extracted, truth in pairs:
        got, want = shingles(extracted), shingles(truth)
        overlap = sum((got & want).values())
        tp += overlap
        fp += sum(got.values()) - overlap
        fn += sum(want.values()) - overlap
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def hub_text(html: str) -> str:
    """What hub ingestion keeps of a page: the title and text of every article it finds."""
    from hub.indexing.web_page import parse_web_html

    try:
        docs = parse_web_html(html, "eval.html")
    except Exception:  # noqa: BLE001 - a page we cannot parse scores as empty
        return ""
    return "\n".join(f"{d.title}\n{d.text}" for d in docs)


def trafilatura_default(html: str) -> str:
    """trafilatura.extract with its defaults: the baseline."""
    import trafilatura

    return trafilatura.extract(html) or ""


def evaluate(folder: Path, extract: Callable[[str], str]) -> dict[str, float]:
    """Run one extractor over every page and score it."""
    truth = json.loads((folder / "ground-truth.json").read_text())
    pairs = []
    for page_id, expected in sorted(truth.items()):
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pairs.append((extract(html.decode("utf-8", errors="replace")), expected["articleBody"]))
    return score(pairs)


def published(folder: Path, name: str) -> dict[str, float]:
    """Score a published extractor's stored output with the same scorer."""
    truth = json.loads((folder / "ground-truth.json").read_text())
    output = json.loads((folder / "output" / f"{name}.json").read_text())["output"]
    return score([(output.get(k, {}).get("articleBody") or "", v["articleBody"])
                  for k, v in sorted(truth.items())])


def main() -> None:
    """Print precision, recall and F1 for each extractor."""
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(os.environ.get("HUB_SHARED_DIR", "../shared")) / "eval/html/scrapinghub-aeb"
    parser.add_argument("--folder", type=Path, default=default)
    args = parser.parse_args()
    if not (args.folder / "ground-truth.json").exists():
        sys.exit(f"{args.folder}: no ground-truth.json (set HUB_SHARED_DIR)")
    rows = {
        "hub ingestion (trafilatura + our splitting)": evaluate(args.folder, hub_text),
        "trafilatura defaults, this run (baseline)": evaluate(args.folder, trafilatura_default),
        "published trafilatura output": published(args.folder, "trafilatura"),
        "published BeautifulSoup get_text output": published(args.folder, "beautifulsoup"),
    }
    for name, result in rows.items():
        print(f"{name:<46} P {result['precision']:.3f}  R {result['recall']:.3f}  "
              f"F1 {result['f1']:.3f}")


if __name__ == "__main__":
    main()
