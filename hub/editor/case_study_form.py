"""A case study's fields as an editor fills them in, and the Markdown file they are kept in.

The web form and a hand-written file meet here: fields become front matter and a body, and
they are checked by writing that file and handing it to the Markdown parser, so the web and
`hub ingest` accept and refuse exactly the same things.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import yaml

from hub.indexing.case_study import html_to_text, parse_markdown, split_front_matter
from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.outcomes import extract_outcomes
from hub.indexing.sanitize import render_markdown
from hub.indexing.tag import Tagger
from hub.vocabulary.taxonomy import Taxonomy

OUTCOME_KINDS = ("saving", "benefit", "cost", "funding")
TEXT_FIELDS = ("summary", "date", "method", "contact", "source_url", "evidence_level")
VOCABULARY = {"themes": "theme", "places": "place", "organisations": "organisation"}
# Fields a file may carry that the form does not show; kept as they are when it is saved.
KEPT = ("type", "slug")
PROBE_TITLE = "Checking one field"


@dataclass
class OutcomeInput:
    """One outcome row: an amount of money, its period, what it is, and its kind."""

    amount: str = ""
    period: str = ""
    description: str = ""
    kind: str = "saving"

    def front_matter(self) -> dict:
        """The row as a front-matter entry (empty parts left out)."""
        entry = {"amount": self.amount.strip()}
        for name in ("period", "description", "kind"):
            if value := getattr(self, name).strip():
                entry[name] = value
        return entry

    def blank(self) -> bool:
        """True for a row the editor left empty."""
        return not (self.amount.strip() or self.period.strip() or self.description.strip())


@dataclass
class CaseStudyFields:
    """Everything the case-study form edits; vocabulary as slugs."""

    title: str = ""
    summary: str = ""
    date: str = ""
    themes: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    outcomes: list[OutcomeInput] = field(default_factory=list)
    method: str = ""
    contact: str = ""
    source_url: str = ""
    evidence_level: str = ""  # an editor's confirmed level, "1"-"5"; "" keeps the suggestion
    body: str = ""
    status: str = "draft"
    kept: dict = field(default_factory=dict)

    def front_matter(self, taxonomy: Taxonomy) -> dict:
        """The front matter, in the order the content README shows; empty fields left out."""
        meta: dict = {"title": self.title.strip()}
        meta.update({k: v for k, v in self.kept.items() if k in KEPT})
        for name in TEXT_FIELDS[:2]:
            if value := one_newline(getattr(self, name)).strip():
                meta[name] = value
        for name, kind in VOCABULARY.items():
            if values := getattr(self, name):
                # Themes by slug, places and organisations by name, as hand-written files have them.
                meta[name] = list(values) if kind == "theme" else [
                    taxonomy.name_of(kind, v) for v in values]
        if rows := [o.front_matter() for o in self.outcomes if not o.blank()]:
            meta["outcomes"] = rows
        for name in TEXT_FIELDS[2:]:
            if value := one_newline(getattr(self, name)).strip():
                meta[name] = value
        meta["status"] = self.status
        return meta

    def text(self, taxonomy: Taxonomy) -> str:
        """The whole Markdown file: front matter, then the body."""
        return markdown_file(self.front_matter(taxonomy), self.body)

    @classmethod
    def from_text(cls, text: str, origin: str, taxonomy: Taxonomy) -> CaseStudyFields:
        """The fields of an existing file (names resolved to slugs where they resolve)."""
        meta, body = split_front_matter(text, origin)
        found = cls(body=body.strip("\n"), kept={k: meta[k] for k in KEPT if k in meta},
                    status="published")  # what the parser assumes when a file names none
        for name in ("title", *TEXT_FIELDS, "status"):
            if meta.get(name) is not None:
                setattr(found, name, str(meta[name]))
        for name, kind in VOCABULARY.items():
            values = meta.get(name) or []
            values = values.split(",") if isinstance(values, str) else values
            setattr(found, name, [taxonomy.resolve(kind, str(v)) or str(v) for v in values])
        found.outcomes = [
            OutcomeInput(**{k: str(e.get(k) or "") for k in ("amount", "period", "description")},
                         kind=str(e.get("kind") or "saving"))
            for e in meta.get("outcomes") or [] if isinstance(e, dict)]
        return found

    def changes_from(self, other: CaseStudyFields) -> list[str]:
        """The names of the fields that differ from another version."""
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name)]


def one_newline(text: str) -> str:
    """Text with \n line ends only (browsers send \r\n from a textarea)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def markdown_file(meta: dict, body: str) -> str:
    """A Markdown file with YAML front matter."""
    dumped = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{dumped}---\n\n{one_newline(body).strip()}\n"


def field_errors(fields_: CaseStudyFields, taxonomy: Taxonomy, origin: str) -> dict[str, str]:
    """Every problem the Markdown parser finds, by its field name ("outcomes[2].amount").

    Each field is checked in a file of its own (the parser stops at the first problem), then
    the whole file, so the editor sees all the problems at once.
    """
    meta = fields_.front_matter(taxonomy)
    errors: dict[str, str] = {}
    title = meta["title"] or PROBE_TITLE
    for name, value in meta.items():
        if name == "outcomes":  # one row at a time, renumbered: every bad row is named
            for number, row in enumerate(value, 1):
                found: dict[str, str] = {}
                _check(markdown_file({"title": title, name: [row]}, ""), origin, taxonomy,
                       found, name)
                errors.update({k.replace("[1]", f"[{number}]", 1): v for k, v in found.items()})
            continue
        _check(markdown_file({"title": title, name: value}, ""), origin, taxonomy, errors, name)
    if not errors:
        _check(markdown_file(meta, fields_.body), origin, taxonomy, errors, "body")
    return errors


def _check(text: str, origin: str, taxonomy: Taxonomy, errors: dict, name: str) -> None:
    try:
        parse_markdown(text, origin, taxonomy)
    except ParseError as exc:
        errors.setdefault(exc.field_name or name, exc.problem)


def parse_fields(fields_: CaseStudyFields, taxonomy: Taxonomy, origin: str) -> ParsedDocument:
    """The document the fields make, as `hub ingest` would read it (ParseError if invalid)."""
    return parse_markdown(fields_.text(taxonomy), origin, taxonomy)


def plain_text(body: str) -> str:
    """The text of a Markdown body, as the store keeps it."""
    return html_to_text(render_markdown(body))


def suggest(fields_: CaseStudyFields, tagger: Tagger) -> CaseStudyFields:
    """The fields with the themes, places, organisations and outcomes the text names added."""
    text = plain_text(fields_.body)
    for name, kind in VOCABULARY.items():
        found = [m.value for m in tagger.find(kind, fields_.title, text)]
        setattr(fields_, name, list(dict.fromkeys([*getattr(fields_, name), *found])))
    have = {o.amount.strip() for o in fields_.outcomes}
    kept = [o for o in fields_.outcomes if not o.blank()]
    for row in extract_outcomes(text):
        if row.amount_text not in have:
            have.add(row.amount_text)
            kept.append(OutcomeInput(row.amount_text, row.period or "", row.sentence,
                                     row.kind if row.kind in OUTCOME_KINDS else "saving"))
    fields_.outcomes = kept
    return fields_
