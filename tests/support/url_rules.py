"""Concrete paths for every rule of an app's URL map, so tests can visit each route."""

from __future__ import annotations

import re

_ARGUMENT = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\((?P<options>[^)]*)\))?:)?(?P<name>\w+)>")


def sample_path(rule: str, number: int = 1) -> str:
    """A path that matches a rule: numbers for int arguments, a word for the rest."""
    def fill(match: re.Match) -> str:
        converter, options = match.group("converter"), match.group("options")
        if converter == "int":
            return str(number)
        if converter == "any":
            return options.split(",")[0].strip().strip("'\"")
        return "x"

    return _ARGUMENT.sub(fill, rule)


def post_rules(app) -> list:
    """Every rule of the app that accepts POST."""
    return [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
