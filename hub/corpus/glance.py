"""Evidence at a glance: the facet values an item is indexed under for its evidence level, its
savings in bands, and the types of the councils it names.

The band rule (README "Evidence at a glance", and the help page): only savings count ("what it
saved"). Each saving is placed in exactly one band: a yearly sum by its amount a year (a sum
per month, week or day made yearly; a sum "over N years" divided by N), a one-off sum in
"one-off", and a sum whose period the source does not state in "period not stated". A range
("£40k-£60k a year") is placed by its lower figure, the sum the source says was at least
saved, so a range across two bands is counted once, in the lower. An item is counted once in
each band it has a saving in.
"""

from __future__ import annotations

import re

BANDS = {  # facet value -> label, in display order
    "under-50k": "Under £50k a year", "50k-250k": "£50k to £250k a year",
    "250k-1m": "£250k to £1m a year", "over-1m": "Over £1m a year",
    "one-off": "One-off", "unstated": "Period not stated",
}
YEARLY = ((50_000, "under-50k"), (250_000, "50k-250k"), (1_000_000, "250k-1m"))
PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 365}
STATUSES = {"achieved": "Achieved", "projected": "Projected"}
# The gazetteer's kinds of place that are councils, as people name the types.
COUNCIL_TYPES = {"county": "County council", "district": "District council",
                 "unitary": "Unitary council", "metropolitan-district": "Metropolitan borough",
                 "london-borough": "London borough"}
LEVEL_NAMES = {"5": "5: randomised trial", "4": "4: matched comparison",
               "3": "3: comparison group", "2": "2: before and after",
               "1": "1: descriptive or modelled"}
# How the results page names the values of these facets.
FACET_LABELS = {"evidence": LEVEL_NAMES, "saving": BANDS, "status": STATUSES,
                "council": COUNCIL_TYPES}
_OVER = re.compile(r"^over (\d+) (year|month)s?$")


def yearly_amount(amount: float, period: str | None) -> float | None:
    """The sum a year for a recurring period, or None (one-off, unstated, unreadable)."""
    if not period:
        return None
    if period.startswith("per "):
        times = PER_YEAR.get(period[4:])
        return amount * times if times else None
    if match := _OVER.match(period):
        years = int(match.group(1)) / (12 if match.group(2) == "month" else 1)
        return amount / years if years else None
    return None


def band(amount: float, period: str | None) -> str:
    """The one band a saving of `amount` (a range's lower figure) over `period` falls in."""
    if period == "one-off":
        return "one-off"
    yearly = yearly_amount(amount, period)
    if yearly is None:
        return "unstated"
    for limit, name in YEARLY:
        if yearly < limit:
            return name
    return "over-1m"


def saving_bands(outcomes) -> tuple[str, ...]:
    """The bands an item's savings fall in, each once, in display order."""
    found = {band(o.amount_gbp, o.period) for o in outcomes if o.kind == "saving"}
    return tuple(b for b in BANDS if b in found)


def saving_statuses(outcomes) -> tuple[str, ...]:
    """Whether the item's savings are achieved, projected or both."""
    found = {o.status for o in outcomes if o.kind == "saving"}
    return tuple(s for s in STATUSES if s in found)


def council_types(place_slugs, taxonomy) -> tuple[str, ...]:
    """The types of the councils among an item's places (a county, a London borough...)."""
    if taxonomy is None:
        return ()
    kinds = {taxonomy.places[s].kind for s in place_slugs if s in taxonomy.places}
    return tuple(k for k in COUNCIL_TYPES if k in kinds)


def evidence_level(extra: dict | None) -> str | None:
    """The level shown for an item ("1"-"5": an editor's, else the suggestion), or None."""
    level = ((extra or {}).get("evidence") or {}).get("level")
    return str(level) if level else None


def pounds(amount: float) -> str:
    """A sum as people write it in a sentence: £740, £74k, £1.9m."""
    if amount >= 1_000_000:
        return f"£{amount / 1_000_000:.1f}m".replace(".0m", "m")
    if amount >= 1_000:
        return f"£{amount / 1_000:.0f}k"
    return f"£{amount:,.0f}"
