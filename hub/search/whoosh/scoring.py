"""The hub's ranking (hub.search.ranking) as a Whoosh weighting model."""

from __future__ import annotations

from whoosh import scoring

from hub.search import ranking


class HubBM25F(scoring.BM25F):
    """BM25F with the parameters and the idf of hub.search.ranking."""

    def __init__(self):
        super().__init__(B=ranking.B, K1=ranking.K1,
                         **{f"{field}_B": b for field, b in ranking.FIELD_B.items()})

    def idf(self, searcher, fieldname, text):
        """The Robertson-Sparck Jones idf of a term (ranking.idf)."""
        return ranking.idf(searcher.doc_count_all(), searcher.doc_frequency(fieldname, text))
