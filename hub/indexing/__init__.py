"""Parsers and text work: every kind of source becomes a ParsedDocument tree (no store, no web)."""
