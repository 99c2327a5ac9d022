"""The controlled vocabulary: themes, places (with their regions), organisations, synonyms.

It is kept as YAML under content/taxonomy/ so that editors can extend it without code:
themes.yml, places.yml, organisations.yml and synonyms.yml.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from hub.text.normalise import fold


@dataclass(frozen=True)
class Theme:
    """A topic practitioners look for, with the words that signal it."""

    slug: str
    name: str
    terms: tuple[str, ...] = ()  # matched case-insensitively, plurals folded
    acronyms: tuple[str, ...] = ()  # matched case-sensitively ("NEET", "VfM")
    broader: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Place:
    """A region, county or local authority; each knows its parent and its region."""

    slug: str
    name: str
    kind: str  # region, county, unitary, metropolitan-district, london-borough, district...
    region: str | None = None  # slug of its region (None for a region itself)
    parent: str | None = None  # slug of the county or region it sits in
    aliases: tuple[str, ...] = ()
    ambiguous: bool = False  # a common word too: only matched in a fuller form


@dataclass(frozen=True)
class Organisation:
    """A national or regional body (LGA, DWP, a regional improvement partnership...)."""

    slug: str
    name: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    kind: str = ""


class TaxonomyError(ValueError):
    """A taxonomy file that is missing, malformed or inconsistent."""


@dataclass
class Taxonomy:
    """All the vocabulary, with look-ups by slug, name or alias."""

    themes: dict[str, Theme]
    places: dict[str, Place]
    organisations: dict[str, Organisation]
    synonyms: list[tuple[str, ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lookup = {
            "theme": _name_index(self.themes.values(), lambda t: (t.name, *t.terms, *t.acronyms)),
            "place": _name_index(self.places.values(), lambda p: (p.name, *p.aliases)),
            "organisation": _name_index(
                self.organisations.values(), lambda o: (o.name, *o.acronyms, *o.aliases)
            ),
        }

    def resolve(self, kind: str, name: str) -> str | None:
        """The slug a theme, place or organisation name (or slug, or alias) stands for."""
        return self._lookup[kind].get(fold(name))

    def suggest(self, kind: str, name: str) -> list[str]:
        """Close vocabulary names for a name that did not resolve (for error messages)."""
        names = {self.name_of(kind, slug) for slug in self._lookup[kind].values()}
        return difflib.get_close_matches(name, sorted(names), n=3, cutoff=0.6)

    def name_of(self, kind: str, slug: str) -> str:
        """The display name for a slug of the given kind."""
        table = {"theme": self.themes, "place": self.places, "organisation": self.organisations}
        entry = table[kind].get(slug)
        return entry.name if entry else slug

    def ancestors(self, slug: str) -> list[Place]:
        """The places a place sits in, nearest first, ending with its region."""
        chain: list[Place] = []
        place = self.places.get(slug)
        seen = {slug}
        while place and place.parent and place.parent not in seen:
            seen.add(place.parent)
            place = self.places.get(place.parent)
            if place:
                chain.append(place)
        return chain

    def concepts(self) -> dict[str, tuple[str, ...]]:
        """Each theme's slug with the name and terms that signal it (search's Concepts)."""
        return {t.slug: (t.name, *t.terms, *t.acronyms) for t in self.themes.values()}

    def regions(self) -> list[Place]:
        """The regions, in name order."""
        return sorted((p for p in self.places.values() if p.kind == "region"), key=lambda p: p.name)


def _name_index(entries, names_of) -> dict[str, str]:
    index: dict[str, str] = {}
    for entry in entries:
        index.setdefault(fold(entry.slug.replace("-", " ")), entry.slug)
        for name in names_of(entry):
            index.setdefault(fold(name), entry.slug)
    return index


def _read_list(path: Path) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: taxonomy file is missing") from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise TaxonomyError(f"{path}: expected a list of entries")
    return data


def _build(cls, path: Path, entries: list[dict]) -> dict:
    table = {}
    for number, entry in enumerate(entries, 1):
        try:
            item = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()})
        except TypeError as exc:
            raise TaxonomyError(f"{path}: entry {number}: {exc}") from None
        if item.slug in table:
            raise TaxonomyError(f"{path}: entry {number}: duplicate slug {item.slug!r}")
        table[item.slug] = item
    return table


def _check_places(path: Path, places: dict[str, Place]) -> None:
    for place in places.values():
        for ref in (place.region, place.parent):
            if ref and ref not in places:
                raise TaxonomyError(f"{path}: place {place.slug!r}: unknown parent {ref!r}")


def load_taxonomy(directory: Path) -> Taxonomy:
    """Read the vocabulary from a taxonomy folder (cached until the files change)."""
    directory = Path(directory)
    stamps = tuple(
        (p.name, p.stat().st_mtime_ns) for p in sorted(directory.glob("*.yml")) if p.is_file()
    )
    return _load_cached(directory, stamps)


@lru_cache(maxsize=4)
def _load_cached(directory: Path, _stamps: tuple) -> Taxonomy:
    places_path = directory / "places.yml"
    places = _build(Place, places_path, _read_list(places_path))
    _check_places(places_path, places)
    synonyms_path = directory / "synonyms.yml"
    groups = _read_list(synonyms_path) if synonyms_path.exists() else []
    return Taxonomy(
        themes=_build(Theme, directory / "themes.yml", _read_list(directory / "themes.yml")),
        places=places,
        organisations=_build(
            Organisation,
            directory / "organisations.yml",
            _read_list(directory / "organisations.yml"),
        ),
        synonyms=[tuple(group["terms"]) for group in groups],
    )
