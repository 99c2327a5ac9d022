"""Options for WTForms select and checkbox fields, in the shape WTForms 3.3 asks for."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """One option per (value, label) pair, in the order given."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]
