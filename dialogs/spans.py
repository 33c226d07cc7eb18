"""Calendar spans ("5y1d") and anniversary arithmetic.

The rule counts service in years and bands start "one day" after an anniversary, so
spans are compared on calendar anniversaries, never in 365-day blocks (interpretation 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_SPAN = re.compile(r"^(?:(\d+)y)?(?:(\d+)d)?$")


@dataclass(frozen=True, order=True)
class Span:
    years: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Span:
        match = _SPAN.match(text.strip()) if isinstance(text, str) else None
        if not match or not text.strip():
            raise ValueError(f"not a span like '5y1d': {text!r}")
        return cls(int(match.group(1) or 0), int(match.group(2) or 0))

    def after(self, start: date) -> date:
        """The first day on which a period begun on `start` has lasted this long."""
        anniversary = add_years(start, self.years)
        if (date.max - anniversary).days < self.days:
            return date.max
        return anniversary + timedelta(days=self.days)


def add_years(start: date, years: int) -> date:
    """Anniversary of `start`; 29 February falls back to 28 February in common years."""
    year = start.year + years
    if year > date.max.year:
        return date.max  # beyond the calendar: later than any date that can be compared
    try:
        return start.replace(year=year)
    except ValueError:
        return start.replace(year=year, day=28)


def whole_years(start: date, end: date) -> int:
    """Completed anniversaries between two dates (age, years of service)."""
    years = end.year - start.year
    if add_years(start, years) > end:
        years -= 1
    return max(years, 0)
