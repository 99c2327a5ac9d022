"""The hub: what-works evidence, good practice and case studies for local public services."""

__version__ = "0.1.0"
