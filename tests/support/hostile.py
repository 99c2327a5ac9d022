"""Hostile input files, written by the tests (and scripts/bench_hostile.py) as an attacker would.

Each writer takes a folder and returns the file it wrote; HOSTILE names them all. The PDFs are
built by hand (tests.support.built_pdfs), since no PDF library writes hostile ones.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.built_pdfs import one_page_pdf

MIB = 1 << 20


def text_page_pdf(folder: Path, mib: int = 40) -> Path:
    """A small PDF holding `mib` MiB of text on one page (it compresses to a few MB)."""
    line = b"BT /F1 10 Tf 50 800 Td (" + b"council services evidence " * 40 + b") Tj ET\n"
    content = line * (mib * MIB // len(line) + 1)
    return one_page_pdf(folder / "text-page.pdf", content)


def nested_flate_pdf(folder: Path) -> Path:
    """A PDF whose content stream is Flate inside Flate (five times) around 200 MiB of zeros."""
    content = b"BT /F1 10 Tf (x) Tj ET\n" + b"0" * (200 * MIB)
    return one_page_pdf(folder / "nested-flate.pdf", content, filters=5)


def nested_markdown(folder: Path, depth: int) -> Path:
    """Markdown nesting `depth` deep: block quotes, then list items, on one line each."""
    path = folder / f"nested-{depth}.md"
    path.write_text("---\ntitle: Nested\nsummary: Nested deep\n---\n\n" + ">" * depth + " deep\n\n" + "- " * depth + "deep\n",
                    encoding="utf-8")
    return path


def long_markdown(folder: Path, paragraphs: int) -> Path:
    """Ordinary Markdown that is only long: slow to render, with nothing to refuse early."""
    path = folder / f"long-{paragraphs}.md"
    path.write_text("---\ntitle: Long\nsummary: Long\n---\n\n"
                    + "A *short* paragraph with a [link](https://example.org/) in it.\n\n"
                    * paragraphs, encoding="utf-8")
    return path


def nested_html(folder: Path, depth: int) -> Path:
    """An HTML page with elements nested `depth` deep."""
    path = folder / f"nested-{depth}.html"
    path.write_text("<html><head><title>Nested</title></head><body>" + "<div>" * depth
                    + "<p>deep</p>" + "</div>" * depth + "</body></html>", encoding="utf-8")
    return path


def large_html(folder: Path, mib: int = 50) -> Path:
    """A web page of `mib` MiB of paragraphs."""
    paragraph = "<p>" + "The council pooled budgets with health partners. " * 20 + "</p>\n"
    path = folder / "large.html"
    path.write_text("<html><head><title>Large</title></head><body><article>"
                    + paragraph * (mib * MIB // len(paragraph)) + "</article></body></html>",
                    encoding="utf-8")
    return path


def long_word(folder: Path, mib: int = 10) -> Path:
    """A text file that is one word of `mib` MiB."""
    path = folder / "word.txt"
    path.write_text("a" * (mib * MIB), encoding="ascii")
    return path


def entity_bomb(folder: Path) -> Path:
    """An XHTML page with a 'billion laughs' internal DTD, and a million character entities."""
    entities = "".join(f'<!ENTITY l{n} "' + f"&l{n - 1};" * 10 + '">' for n in range(1, 10))
    path = folder / "entities.html"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">{entities}]>'
        "<html><head><title>Entities</title></head><body><article><h1>Entities</h1><p>&l9;</p>"
        "<p>" + "&amp;&#x41;&eacute;" * 1_000_000 + "</p></article></body></html>",
        encoding="utf-8")
    return path


def nul_bytes(folder: Path, suffix: str) -> Path:
    """A page or case study with NUL and other control bytes in its text."""
    if suffix == ".md":
        body = ("---\ntitle: Nul case study\nsummary: Pooled budgets\n---\n\n"
                "The council\x00 pooled\x01 budgets with health partners.\n")
    else:
        body = ("<html><head><title>Nul page\x00</title></head><body><article><h1>Nul page</h1>"
                "<p>The council\x00 pooled\x0b budgets with health partners.</p>"
                "</article></body></html>")
    path = folder / f"nul{suffix}"
    path.write_bytes(body.encode("utf-8"))
    return path


def wrong_charset(folder: Path) -> Path:
    """A page declaring UTF-16 whose bytes are Windows-1252."""
    path = folder / "charset.html"
    path.write_bytes('<html><head><meta charset="utf-16"><title>Caf\xe9 services</title></head>'
                     '<body><article><h1>Caf\xe9 services</h1><p>Pay \xa3300 for the '
                     'service \u2013 a saving.</p></article></body></html>'.encode("cp1252"))
    return path


def utf16_page(folder: Path) -> Path:
    """A page saved as UTF-16 with its byte-order mark."""
    path = folder / "utf16.html"
    path.write_bytes("<html><head><title>Sixteen</title></head><body><article><h1>Sixteen"
                     "</h1><p>Pooled budgets with partners.</p></article></body></html>"
                     .encode("utf-16"))
    return path


HOSTILE = {
    "text-page-pdf": text_page_pdf,
    "nested-flate-pdf": nested_flate_pdf,
    "markdown-10000": lambda folder: nested_markdown(folder, 10_000),
    "markdown-100000": lambda folder: nested_markdown(folder, 100_000),
    "html-10000": lambda folder: nested_html(folder, 10_000),
    "html-100000": lambda folder: nested_html(folder, 100_000),
    "large-html": large_html,
    "long-word": long_word,
    "entity-bomb": entity_bomb,
    "nul-html": lambda folder: nul_bytes(folder, ".html"),
    "nul-markdown": lambda folder: nul_bytes(folder, ".md"),
    "wrong-charset": wrong_charset,
    "utf16": utf16_page,
}
