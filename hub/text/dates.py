"""Publication dates as far as they are known ("2008", "May 2008", "12 May 2008"), and the day
an item was added to the hub, which is labelled as such and never shown as the former.

A partial date is kept as a `datetime.date` plus a precision: "year" (stored as 1 January),
"month" (stored as the 1st) or "day". Only the known parts are ever shown, so a month-only
date never gains an invented day.
"""

from __future__ import annotations

import datetime as dt
import re

PRECISIONS = ("year", "month", "day")
UNDATED = "Undated"  # the one wording for an item whose source gives no date
ADDED = "Added"  # the label on the day the hub first stored an item

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH = "(?P<month_name>[a-z]{3,9})\\.?"
_DAY = "(?P<day>\\d{1,2})(?:st|nd|rd|th)?"
_YEAR = "(?P<year>\\d{4})"
_FORMS = [re.compile(f"^{form}$", re.IGNORECASE) for form in (
    "(?P<year>\\d{4})(?:-(?P<month>\\d{1,2})(?:-(?P<day>\\d{1,2}))?)?",  # 2010, 2010-09, 2010-09-12
    f"{_MONTH},? {_YEAR}",  # September 2010, Sept. 2010
    f"{_DAY} {_MONTH},? {_YEAR}",  # 12 September 2010
    f"{_MONTH} {_DAY},? {_YEAR}",  # September 12, 2010
)]


def _month_number(name: str) -> int | None:
    name = name.lower()
    found = [n for n, month in enumerate(MONTHS, 1) if month.startswith(name) and len(name) >= 3]
    return found[0] if len(found) == 1 and (name == MONTHS[found[0] - 1] or len(name) <= 4) \
        else None


def parse_partial_date(value) -> tuple[dt.date, str] | None:
    """(date, precision) from a date, a year (2010), "2010-09", "September 2010",
    "12 September 2010" or "2010-09-12"; None when the value is not one of these."""
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    text = " ".join(str(value).split())
    for form in _FORMS:
        if match := form.match(text):
            parts = match.groupdict()
            month = parts.get("month")
            if parts.get("month_name"):
                month = _month_number(parts["month_name"])
                if month is None:
                    return None
            precision = "day" if parts.get("day") else "month" if month else "year"
            try:
                return dt.date(int(parts["year"]), int(month or 1), int(parts.get("day") or 1)), \
                    precision
            except ValueError:  # 2010-13, 31 February 2010
                return None
    return None


def _known(precision: str | None) -> str:
    # Rows stored before precision was recorded hold whole dates.
    precision = precision or "day"
    if precision not in PRECISIONS:
        raise ValueError(f"unknown date precision {precision!r} (one of {', '.join(PRECISIONS)})")
    return precision


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10]) if value else None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def truncate(value: dt.date, precision: str) -> dt.date:
    """The date with its unknown parts at their first value (2008-05-12 by month: 2008-05-01)."""
    precision = _known(precision)
    if precision == "year":
        return value.replace(month=1, day=1)
    return value.replace(day=1) if precision == "month" else value


def iso_date(value: dt.date | str | None, precision: str | None = "day") -> str | None:
    """The known parts in ISO 8601 ("2008", "2008-05", "2008-05-12"), as HTML <time> takes them."""
    value = _as_date(value)
    if value is None:
        return None
    return value.isoformat()[:{"year": 4, "month": 7, "day": 10}[_known(precision)]]


def format_date(value: dt.date | str | None, precision: str | None = "day") -> str:
    """A publication date as people read it, only as far as it is known: "2008", "May 2008",
    "12 May 2008"; "Undated" when there is none."""
    value = _as_date(value)
    if value is None:
        return UNDATED
    precision = _known(precision)
    if precision == "year":
        return str(value.year)
    month = f"{MONTHS[value.month - 1].capitalize()} {value.year}"
    return month if precision == "month" else f"{value.day} {month}"


def format_added(moment: dt.datetime | dt.date | str) -> str:
    """The day the hub first stored an item, labelled: "Added 6 December 2026"."""
    return f"{ADDED} {format_date(moment, 'day')}"


# The helpers by the names the web pages' and the emails' templates know them, so both say
# dates the same way: {{ item.published | date_label(item.date_precision) }}.
TEMPLATE_FILTERS = {"date_label": format_date, "iso_date": iso_date, "added": format_added}
