"""The Whoosh search backend: `SearchBackend` implements hub.search.base.BaseSearchBackend.

Every read of Whoosh's private attributes lives in `internals`, which checks the Whoosh
version at import.
"""

from hub.search.whoosh.backend import WhooshBackend

SearchBackend = WhooshBackend

__all__ = ["SearchBackend", "WhooshBackend"]
