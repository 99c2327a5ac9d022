#!/usr/bin/env python3
"""Score the suggested evidence levels against the judged set in tests/relevance/.

tests/relevance/evidence_levels.csv names each judged item by its file (under content/, or
../shared's seeds/ or eval/real/) and title, with the level a person gave it on the Maryland
scale and why. Each file is parsed as `hub ingest` parses it; the item's suggested level is
compared with the judged one. Prints exact and within-one accuracy and the confusion table
(rows: judged, columns: suggested; "-" when nothing was suggested).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
JUDGED = PROJECT / "tests" / "relevance" / "evidence_levels.csv"
FOLDERS = {"content": lambda shared: PROJECT / "content", "seeds": lambda shared: shared / "seeds",
           "real": lambda shared: shared / "eval" / "real"}


def judged(path: Path = JUDGED) -> list[dict]:
    """The judged items: source, file, title, level (int) and reason."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [{**row, "level": int(row["level"])} for row in csv.DictReader(handle)]


def suggestions(rows: list[dict], shared: Path) -> list[tuple[int, int | None]]:
    """(judged, suggested) per row; each file parsed once, its items found by title."""
    from hub.indexing.loader import ParseContext, parse_file
    from hub.vocabulary.taxonomy import load_taxonomy

    context = ParseContext.for_taxonomy(load_taxonomy(PROJECT / "content" / "taxonomy"))
    parsed: dict[Path, dict[str, dict]] = {}
    pairs = []
    for row in rows:
        path = FOLDERS[row["source"]](shared) / row["file"]
        if path not in parsed:
            parsed[path] = {node.title: node.extra.get("evidence") or {}
                            for doc in parse_file(path, str(path), context) for node in doc.walk()}
        if row["title"] not in parsed[path]:
            raise KeyError(f"{row['file']}: no item titled {row['title']!r}")
        pairs.append((row["level"], parsed[path][row["title"]].get("suggested")))
    return pairs


def accuracy(pairs: list[tuple[int, int | None]]) -> tuple[float, float]:
    """(exact, within one level) as fractions of the judged items."""
    exact = sum(1 for want, got in pairs if got == want)
    near = sum(1 for want, got in pairs if got is not None and abs(got - want) <= 1)
    return exact / len(pairs), near / len(pairs)


def confusion(pairs: list[tuple[int, int | None]]) -> str:
    """The confusion table as text: judged levels down, suggested levels across."""
    counts = Counter(pairs)
    columns = [1, 2, 3, 4, 5, None]
    lines = ["judged \\ suggested " + " ".join(f"{c or '-':>3}" for c in columns)]
    for want in range(1, 6):
        lines.append(f"{want:>18} " + " ".join(f"{counts[(want, c)]:>3}" for c in columns))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the accuracy and the confusion table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=PROJECT.parent / "shared")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(PROJECT))
    pairs = suggestions(judged(), args.shared)
    exact, near = accuracy(pairs)
    print(f"{len(pairs)} judged items: exact {exact:.0%}, within one level {near:.0%}")
    print(confusion(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
