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
    def parse(cls, text: str) -> "Span":
        match = _SPAN.match(text.strip()) if isinstance(text, str) else None
        if not match or not text.strip():
            raise ValueError(f"not a span like '5y1d': {text!r}")
        return cls(int(match.group(1) or 0), int(match.group(2) or 0))

    def after(self, start: date) -> date:
        """The first day on which a period begun on `start` has lasted this long."""
        return add_years(start, self.years) + timedelta(days=self.days)

    def __str__(self) -> str:
        parts = []
        if self.years:
            parts.append(f"{self.years} year" + ("s" if self.years != 1 else ""))
        if self.days or not parts:
            parts.append(f"{self.days} day" + ("s" if self.days != 1 else ""))
        return " ".join(parts)


def add_years(start: date, years: int) -> date:
    """Anniversary of `start`; 29 February falls back to 28 February in common years."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def lasted(start: date, end: date, span: Span) -> bool:
    """True when the period from `start` to `end` is at least `span` long."""
    return end >= span.after(start)


def whole_years(start: date, end: date) -> int:
    """Completed anniversaries between two dates (age, years of service)."""
    years = end.year - start.year
    if add_years(start, years) > end:
        years -= 1
    return max(years, 0)
