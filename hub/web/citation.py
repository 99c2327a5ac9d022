"""Citations of an item as plain text, RIS and BibTeX."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hub.store.models import Item
from hub.store.queries import root_of

BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                 "dec")
RIS_TYPES = {"report": "RPRT", "newsletter": "NEWS", "slides": "SLIDE", "section": "CHAP",
             "case_study": "GEN", "guide": "GEN",
             "article": "ELEC"}


@dataclass
class Citation:
    """What a reference needs: who, when, what, where it sits, and where to find it."""

    item_id: int
    title: str
    type: str
    author: str | None
    published: dt.date | None  # only its first `precision` parts are known; None: undated
    precision: str
    container: str | None  # the report a section or case study sits in
    pages: str | None
    url: str  # the hub's permalink
    source_url: str | None
    accessed: dt.date

    @classmethod
    def of(cls, item: Item, permalink: str) -> Citation:
        """The citation of a stored item, with the hub permalink to cite."""
        root = root_of(item)
        author = item.extra.get("author") or item.extra.get("publisher") or \
            root.extra.get("author") or root.extra.get("publisher")
        pages = None
        if item.page_start:
            end = item.page_end or item.page_start
            pages = str(item.page_start) if end == item.page_start else f"{item.page_start}-{end}"
        published, precision = item.publication()  # a section's date is its report's
        return cls(item.id, item.title, item.type, author, published, precision,
                   root.title if root is not item else None, pages, permalink, item.url or root.url,
                   dt.date.today())

    @property
    def year(self) -> int | None:
        """The year of publication, if the source gives one."""
        return self.published.year if self.published else None

    @property
    def month(self) -> int | None:
        """The month of publication, if the source gives one."""
        return self.published.month if self.published and self.precision != "year" else None

    def plain(self) -> str:
        """A Harvard-style reference."""
        who = f"{self.author} " if self.author else ""
        year = f"({self.year}) " if self.year else "(n.d.) "  # Harvard: the year alone
        where = f"In: {self.container}" + (f", p. {self.pages}" if self.pages else "") + ". " \
            if self.container else ""
        return (f"{who}{year}{self.title}. {where}Knowledge hub. Available at: {self.url} "
                f"(accessed {self.accessed:%d %B %Y}).")

    def ris(self) -> str:
        """An RIS record."""
        lines = [f"TY  - {RIS_TYPES.get(self.type, 'GEN')}", f"TI  - {self.title}"]
        if self.author:
            lines.append(f"AU  - {self.author}")
        if self.year:
            lines.append(f"PY  - {self.year}")
            # DA is YYYY/MM/DD/other; parts not known stay empty rather than invented.
            day = self.published.day if self.precision == "day" else None
            lines.append(f"DA  - {self.year}/{_two_digits(self.month)}/{_two_digits(day)}/")
        if self.container:
            lines.append(f"T2  - {self.container}")
        if self.pages:
            start, _, end = self.pages.partition("-")
            lines += [f"SP  - {start}"] + ([f"EP  - {end}"] if end else [])
        lines += [f"UR  - {self.url}", f"Y2  - {self.accessed.isoformat()}", "ER  - "]
        return "\r\n".join(_one_line(line) for line in lines) + "\r\n"

    def bibtex(self) -> str:
        """A BibTeX entry (@misc, or @incollection for a part of a report)."""
        kind = "incollection" if self.container else "techreport" if self.type == "report" else "misc"
        fields = {"title": self.title, "author": self.author, "year": self.year,
                  "month": self.month and BIBTEX_MONTHS[self.month - 1],
                  "booktitle": self.container, "pages": self.pages and self.pages.replace("-", "--"),
                  "institution": self.author if kind == "techreport" else None,
                  "howpublished": f"\\url{{{self.url}}}", "note": f"Accessed {self.accessed.isoformat()}"}
        body = ",\n".join(f"  {name} = {_bibtex_value(name, value)}"
                          for name, value in fields.items() if value)
        return f"@{kind}{{hub{self.item_id},\n{body}\n}}\n"


def _two_digits(number: int | None) -> str:
    return f"{number:02d}" if number else ""


def _bibtex_value(name: str, value) -> str:
    # Months are BibTeX's own macros (jan ... dec), unbraced, so every style can name them.
    return str(value) if name == "month" else f"{{{_bibtex_escape(str(value))}}}"


def _one_line(line: str) -> str:
    # "XX  - value": the tag and its separator are fixed; the value must not break the line.
    return line[:6] + " ".join(line[6:].split())


def _bibtex_escape(text: str) -> str:
    if text.startswith("\\url{"):
        return text
    return re.sub(r"([&%$#_{}])", r"\\\1", text)
