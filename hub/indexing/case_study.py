"""Markdown case studies (and guides) with YAML front matter."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from hub.indexing.document import OutcomeRow, ParsedDocument, ParseError
from hub.indexing.evidence import check_level
from hub.indexing.outcomes import parse_amount
from hub.indexing.sanitize import TooDeeplyNested, render_markdown
from hub.text.dates import parse_partial_date
from hub.text.normalise import clean_whitespace, slugify
from hub.vocabulary.taxonomy import Taxonomy

FIELDS = {
    "title", "summary", "date", "themes", "places", "organisations", "outcomes", "method",
    "contact", "source_url", "type", "slug", "status", "evidence_level",
}
MARKDOWN_TYPES = ("case_study", "guide", "article")
STATUSES = ("draft", "published", "retired")
PERIODS = re.compile(r"^(per (year|month|week|day)|one-off|over \d+ (years?|months?))$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def split_front_matter(text: str, origin: str) -> tuple[dict, str]:
    """The YAML front matter (as a dict) and the Markdown body of a file."""
    text = text.lstrip("\ufeff")
    match = re.match(r"^---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.DOTALL)
    if not match:
        raise ParseError(origin, "no YAML front matter (the file must start with a --- block)",
                         "front matter")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ParseError(origin, f"front matter is not valid YAML: {exc}", "front matter") from None
    if not isinstance(meta, dict):
        raise ParseError(origin, "front matter must be a mapping of fields", "front matter")
    return meta, text[match.end():]


def parse_date(value, origin: str) -> tuple[dt.date | None, str]:
    """(date, precision) from YYYY, YYYY-MM, YYYY-MM-DD, "September 2010" or "12 September
    2010"; a year or a month stays a year or a month (no day is invented). (None, "day") if empty."""
    if value is None or value == "":
        return None, "day"
    parsed = parse_partial_date(value)
    if parsed is None:
        raise ParseError(origin, f"malformed date {value!r} (use YYYY, YYYY-MM, YYYY-MM-DD or "
                         "a month and year such as September 2010)", "date")
    return parsed


def _text_field(meta: dict, name: str, origin: str) -> str | None:
    value = meta.get(name)
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        raise ParseError(origin, f"must be text, not {type(value).__name__}", name)
    return str(value).strip() or None


def vocabulary(meta: dict, name: str, kind: str, taxonomy: Taxonomy, origin: str):
    """The slugs for a front-matter list of names (None when absent); unknown names refused."""
    if name not in meta:
        return None
    values = meta[name]
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",") if v.strip()]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ParseError(origin, "must be a list of names", name)
    slugs = []
    for value in values:
        slug = taxonomy.resolve(kind, value)
        if slug is None:
            close = taxonomy.suggest(kind, value)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise ParseError(origin, f"unknown {kind} {value!r}{hint}", name)
        if slug not in slugs:
            slugs.append(slug)
    return slugs


def _outcomes(meta: dict, origin: str) -> list[OutcomeRow] | None:
    if "outcomes" not in meta:
        return None
    rows = []
    entries = meta["outcomes"] or []
    if not isinstance(entries, list):
        raise ParseError(origin, "must be a list of {amount, period, description}", "outcomes")
    for number, entry in enumerate(entries, 1):
        where = f"outcomes[{number}]"
        if not isinstance(entry, dict) or "amount" not in entry:
            raise ParseError(origin, "each outcome needs an amount", where)
        amount = str(entry["amount"]).strip()
        found = parse_amount(amount if "£" in amount else f"£{amount}")
        if found is None:
            raise ParseError(origin, f"amount {amount!r} is not a sum of money", f"{where}.amount")
        period = entry.get("period")
        if period is not None and not PERIODS.match(str(period)):
            raise ParseError(origin, f"period {period!r} is not one of per year, per month, "
                             "per week, one-off, over N years", f"{where}.period")
        description = str(entry.get("description") or "").strip()
        rows.append(OutcomeRow(
            amount_text=found.amount_text, amount_gbp=found.amount_gbp,
            amount_high_gbp=found.amount_high_gbp, period=period or found.period,
            kind=entry.get("kind") or found.kind or "saving",
            sentence=description or amount,
        ))
    return rows


def _check_fields(meta: dict, origin: str) -> None:
    unknown = sorted(set(meta) - FIELDS)
    if unknown:
        raise ParseError(origin, f"unknown field (known: {', '.join(sorted(FIELDS))})", unknown[0])
    if not _text_field(meta, "title", origin):
        raise ParseError(origin, "missing title", "title")
    for name, allowed in (("type", MARKDOWN_TYPES), ("status", STATUSES)):
        if name in meta and meta[name] not in allowed:
            raise ParseError(origin, f"{meta[name]!r} is not one of {', '.join(allowed)}", name)
    url = _text_field(meta, "source_url", origin)
    if url and not _URL.match(url):
        raise ParseError(origin, f"{url!r} is not an http(s) URL", "source_url")


def html_to_text(html: str) -> str:
    """Plain text of rendered HTML, one block per paragraph."""
    soup = BeautifulSoup(html, "lxml")
    for item in soup.find_all("li"):
        item.insert(0, "\u2022 ")
    blocks = [b.get_text(" ", strip=True) for b in soup.find_all(
        ["p", "li", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "tr"]
    ) if not b.find_parent(["li", "blockquote"])]
    return clean_whitespace("\n\n".join(b for b in blocks if b))


def _extra(meta: dict, slug: str, origin: str) -> dict:
    extra = {"slug": slug}
    for name in ("method", "contact"):
        if value := _text_field(meta, name, origin):
            extra[name] = value
    if meta.get("evidence_level") not in (None, ""):  # an editor's confirmed level
        extra["evidence_level"] = check_level(meta["evidence_level"], origin)
    return extra


def parse_markdown(text: str, origin: str, taxonomy: Taxonomy) -> ParsedDocument:
    """A Markdown case study or guide; front-matter errors name the file and the field."""
    meta, body = split_front_matter(text, origin)
    _check_fields(meta, origin)
    try:
        html = render_markdown(body)
    except TooDeeplyNested as exc:
        raise ParseError(origin, str(exc)) from None
    slug = slugify(_text_field(meta, "slug", origin) or Path(origin).stem)
    date, precision = parse_date(meta.get("date"), origin)
    return ParsedDocument(
        title=_text_field(meta, "title", origin),
        type=meta.get("type", "case_study"),
        text=html_to_text(html),
        html=html,
        origin=origin,
        url=_text_field(meta, "source_url", origin),
        key=f"md:{slug}",
        summary=_text_field(meta, "summary", origin),
        date=date,
        date_precision=precision,
        status=meta.get("status", "published"),
        extra=_extra(meta, slug, origin),
        given_themes=vocabulary(meta, "themes", "theme", taxonomy, origin),
        given_places=vocabulary(meta, "places", "place", taxonomy, origin),
        given_organisations=vocabulary(meta, "organisations", "organisation", taxonomy, origin),
        given_outcomes=_outcomes(meta, origin),
    )
