"""Bounded reading of query-string parameters, shared by the page blueprints."""

from __future__ import annotations

from flask import request

MAX_VALUES = 20
MAX_LENGTH = 100


def list_param(name: str) -> list[str]:
    """Distinct non-empty values of a repeated parameter, capped in number and length."""
    values = []
    for value in request.args.getlist(name)[:MAX_VALUES]:
        value = value.strip()[:MAX_LENGTH]
        if value and value not in values:
            values.append(value)
    return values


def int_param(name: str, default: int, low: int, high: int) -> int:
    """An integer parameter clamped to [low, high]; anything unreadable gives the default."""
    try:
        return min(high, max(low, int(request.args.get(name, default))))
    except (TypeError, ValueError):
        return default


def id_param(name: str) -> str | None:
    """An item id parameter (whole digits, bounded), else None: a report to search within."""
    value = request.args.get(name, "")
    return value if value.isdigit() and len(value) <= 12 else None
