"""The Whoosh schema of the hub's index and how an IndexDocument fills it."""

from __future__ import annotations

from collections import Counter, defaultdict

from whoosh import fields, formats
from whoosh.system import pack_uint

from hub.search import ranking
from hub.search.analysis import DEFAULT_ANALYZER, index_terms
from hub.search.base import IndexDocument
from hub.search.whoosh.analyzers import spelling_analyzer, text_analyzer

FACET_FIELDS = {"theme": "themes", "place": "places", "type": "type",
                "organisation": "organisations", "year": "year", "evidence": "evidence",
                "saving": "savings", "status": "saving_status", "council": "councils"}
SPELL_FIELD = "spell"
# The themes an item's source or an editor declared (not those found in its words): a query
# naming one of them lifts the item (hub.search.ranking.SUBJECT_BOOST).
SUBJECT_FIELD = "subject"
STORED_SUMMARY_CHARACTERS = 400


def build_schema(analyzer_name: str = DEFAULT_ANALYZER) -> fields.Schema:
    """The schema: ranked text, facet keywords, a sortable date and the display fields."""
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True),
        parent=fields.ID(),  # so a report's sections can be found (or left out) by parent
        family=fields.ID(),  # the report an item is in (hub.search.whoosh.grouping)
        date=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        display=fields.STORED(),
    )
    for name in ranking.FIELD_WEIGHTS:  # "body" holds all the text; "title" adds a boost
        schema.add(name, FastText(analyzer_name))
    for name in FACET_FIELDS:
        schema.add(name, fields.KEYWORD(commas=True, lowercase=False, scorable=False))
    schema.add(SUBJECT_FIELD, fields.KEYWORD(commas=True, lowercase=False, scorable=False))
    schema.add(SPELL_FIELD, FastText("unstemmed", minsize=3, phrase=False))
    return schema


def _keywords(values) -> str:
    return ",".join(v.replace(",", " ") for v in values if v)


def index_fields(doc: IndexDocument) -> dict:
    """The keyword arguments for writer.update_document for one document."""
    headings = "\n".join(doc.headings)
    everything = "\n".join((doc.title, headings, doc.summary, doc.body))
    return {
        "id": doc.id,
        # The boost field: what the item says it is about, and the themes it is tagged with
        # (controlled vocabulary is evidence of aboutness: practitioner nDCG@10 0.938 -> 0.942).
        "title": "\n".join((doc.title, headings, *(t.replace("-", " ") for t in doc.themes))),
        "body": everything,
        "theme": _keywords(doc.themes),
        SUBJECT_FIELD: _keywords(doc.subjects),
        "place": _keywords(doc.places),
        "type": _keywords([doc.type]),
        "organisation": _keywords(doc.organisations),
        "year": _keywords([doc.year]),
        "evidence": _keywords([doc.evidence]),
        "saving": _keywords(doc.savings),
        "status": _keywords(doc.saving_status),
        "council": _keywords(doc.councils),
        "parent": doc.parent_id or "",
        "family": doc.family or "",
        "date": int(doc.date.replace("-", "")[:8]) if doc.date else 0,
        # Did-you-mean words come from titles, headings and summaries: indexing the body a
        # second time, unstemmed, doubled the postings written (half the indexing rate).
        "spell": "\n".join((doc.title, headings, doc.summary or doc.body[:STORED_SUMMARY_CHARACTERS])),
        "display": display_fields(doc),
    }


def display_fields(doc: IndexDocument) -> dict:
    """What a results page shows without going back to the store."""
    return {
        "title": doc.title, "type": doc.type, "url": doc.url, "themes": doc.themes,
        "places": doc.places, "organisations": doc.organisations, "date": doc.date,
        "parent_id": doc.parent_id, "breadcrumb": doc.breadcrumb, "page": doc.page,
        "family": doc.family,
        "sources": doc.sources, "evidence": doc.evidence, "hash": doc.content_hash,
        "summary": (doc.summary or doc.body)[:STORED_SUMMARY_CHARACTERS],
    }


class FastText(fields.TEXT):
    """A TEXT field that indexes through analysis.index_terms (same terms, far fewer calls)."""

    def __init__(self, analyzer_name: str, minsize: int = 2, phrase: bool = True):
        analyzer = text_analyzer(analyzer_name) if minsize == 2 else spelling_analyzer()
        super().__init__(analyzer=analyzer, phrase=phrase)
        self.scorable = phrase  # the spelling field (no phrases) is never scored
        self.analyzer_name = analyzer_name
        self.minsize = minsize

    def index(self, value, **kwargs):
        """(term bytes, frequency, weight, encoded postings) for each distinct term."""
        terms, start = index_terms(value, self.analyzer_name, self.minsize)
        fmt, boost = self.format, self.format.field_boost
        if not isinstance(fmt, formats.Positions):
            for term, count in Counter(terms).items():
                yield term.encode("utf-8"), count, count * boost, pack_uint(count)
            return
        positions: dict[str, list[int]] = defaultdict(list)
        for position, term in enumerate(terms, start):
            positions[term].append(position)
        for term, found in positions.items():
            yield term.encode("utf-8"), len(found), len(found) * boost, fmt.encode(found)
