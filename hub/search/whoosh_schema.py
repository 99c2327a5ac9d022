"""The Whoosh schema of the hub's index and how an IndexDocument fills it."""

from __future__ import annotations

from whoosh import fields

from hub.search.analysis import DEFAULT_ANALYZER, spelling_analyzer, text_analyzer
from hub.search.base import IndexDocument

# Ranked text fields and their weights. "body" holds all the text (title, headings, summary
# and body, as one bag of words, like BM25 over the whole document); the other fields add a
# boost for words in the title, headings and summary. On the harness this beat weighting
# separate fields (title 2.5: Cranfield nDCG@10 0.343; all 1.0: 0.364; this: 0.367).
TEXT_FIELDS = {"title": 0.5, "headings": 0.5, "summary": 0.5, "body": 1.0}
FACET_FIELDS = {"theme": "themes", "place": "places", "type": "type",
                "organisation": "organisations", "year": "year"}
SPELL_FIELD = "spell"
STORED_SUMMARY_CHARACTERS = 400


def build_schema(analyzer_name: str = DEFAULT_ANALYZER) -> fields.Schema:
    """The schema: ranked text, facet keywords, a sortable date and the display fields."""
    analyzer = text_analyzer(analyzer_name)
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True),
        date=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        display=fields.STORED(),
    )
    for name in TEXT_FIELDS:
        schema.add(name, fields.TEXT(analyzer=analyzer, phrase=True))
    for name in FACET_FIELDS:
        schema.add(name, fields.KEYWORD(commas=True, lowercase=False, scorable=False))
    schema.add(SPELL_FIELD, fields.TEXT(analyzer=spelling_analyzer(), phrase=False))
    return schema


def _keywords(values) -> str:
    return ",".join(v.replace(",", " ") for v in values if v)


def index_fields(doc: IndexDocument) -> dict:
    """The keyword arguments for writer.update_document for one document."""
    headings = "\n".join(doc.headings)
    everything = "\n".join((doc.title, headings, doc.summary, doc.body))
    return {
        "id": doc.id,
        "title": doc.title,
        "headings": headings,
        "summary": doc.summary,
        "body": everything,
        "theme": _keywords(doc.themes),
        "place": _keywords(doc.places),
        "type": _keywords([doc.type]),
        "organisation": _keywords(doc.organisations),
        "year": _keywords([doc.year]),
        "date": int(doc.date.replace("-", "")[:8]) if doc.date else 0,
        "spell": everything,
        "display": display_fields(doc),
    }


def display_fields(doc: IndexDocument) -> dict:
    """What a results page shows without going back to the store."""
    return {
        "title": doc.title, "type": doc.type, "url": doc.url, "themes": doc.themes,
        "places": doc.places, "organisations": doc.organisations, "date": doc.date,
        "parent_id": doc.parent_id, "breadcrumb": doc.breadcrumb, "page": doc.page,
        "sources": doc.sources,
        "summary": (doc.summary or doc.body)[:STORED_SUMMARY_CHARACTERS],
    }
