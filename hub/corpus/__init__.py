"""The corpus: the store and its derived caches, kept in step.

`Corpus` opens the store, ingests files into it and owns the feeds to the caches:
`search_sync` (store -> search backend) and `related_sync` (store -> related-items model).
`answers` turns items and results into the JSON the CLI and the API share.
"""

from hub.corpus.corpus import Corpus, IngestSummary

__all__ = ["Corpus", "IngestSummary"]
