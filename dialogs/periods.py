"""Service periods whose ends may be known only to the month, compared on anniversaries.

A period is held as the earliest and latest possible start and end days, and its gaps
(days without full-time service inside it) as a range: a total the applicant is not sure
about lies anywhere between none and the whole period. So each test answers True, False or
None ("an unknown decides") instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from typing import Any

from dialogs.answers import DateValue
from dialogs.assessment import IntRange
from dialogs.rules import SpanBand
from dialogs.spans import Span, whole_years


@dataclass(frozen=True)
class Period:
    start: DateValue
    end: DateValue
    gap_days: int = 0  # known total of gaps (summed, interpretation 1)
    gap_unknown: bool = False  # the total is unknown: anywhere from none to the whole period

    @property
    def _gap_max(self) -> int:
        if self.gap_unknown:
            return max((self.end.latest - self.start.earliest).days, 0)
        return self.gap_days

    def _shortest_end(self) -> date:
        return self.end.earliest - timedelta(days=self._gap_max)

    def _longest_end(self) -> date:
        return self.end.latest - timedelta(days=self.gap_days)

    def at_least(self, span: Span) -> bool | None:
        if self._shortest_end() >= span.after(self.start.latest):
            return True
        if self._longest_end() < span.after(self.start.earliest):
            return False
        return None

    def more_than(self, span: Span) -> bool | None:
        if self._shortest_end() > span.after(self.start.latest):
            return True
        if self._longest_end() <= span.after(self.start.earliest):
            return False
        return None

    def band_points(self, bands: Sequence[SpanBand]) -> IntRange:
        def points(start: date, eff: date) -> int:
            return max((b.points for b in bands if eff >= b.min.after(start)), default=bands[0].points)

        return IntRange(
            points(self.start.latest, self._shortest_end()), points(self.start.earliest, self._longest_end())
        )

    def years(self) -> IntRange:
        """Completed years of full-time service (gaps left out), as few and as many as the answers allow."""
        return IntRange(
            whole_years(self.start.latest, self._shortest_end()), whole_years(self.start.earliest, self._longest_end())
        )

    def date_reaching_range(self, span: Span) -> tuple[date, date | None]:
        """The earliest and the latest day on which the period, if it runs on, reaches `span`
        (a month-only start leaves a range); the latest is None when the gaps are of unknown
        length (later by their length)."""
        earliest = span.after(self.start.earliest) + timedelta(days=self.gap_days)
        latest = None if self.gap_unknown else span.after(self.start.latest) + timedelta(days=self.gap_days)
        return earliest, latest

    def decisive(self, check: Callable[[Period], Any]) -> set[str]:
        """Which open parts of the period ("start", "end": a month or an unknown end; "gaps": an
        unknown total) can each change what `check` says, the other parts being anything they
        may be. Checks are monotone in each part, so their extremes are enough."""
        parts = {
            "start": (self.start.earliest, self.start.latest),
            "end": (self.end.earliest, self.end.latest),
            "gaps": (self.gap_days, self._gap_max),
        }
        open_parts = [k for k, (lo, hi) in parts.items() if lo != hi]

        def pinned(pins: dict[str, Any]) -> Period:
            start, end, gap = (pins.get(k, parts[k][0]) for k in ("start", "end", "gaps"))
            return Period(DateValue.day(start), DateValue.day(end), gap)

        found = set()
        for part in open_parts:
            others = [k for k in open_parts if k != part]
            for ends in product((0, 1), repeat=len(others)):
                pins = {k: parts[k][i] for k, i in zip(others, ends, strict=False)}
                if check(pinned({**pins, part: parts[part][0]})) != check(pinned({**pins, part: parts[part][1]})):
                    found.add(part)
                    break
        return found

    def near(self, spans: Sequence[Span], window_days: int) -> bool:
        """Summed days close to a boundary: the figure is approximate (interpretation 1)."""
        if not self.gap_days or self.gap_unknown:
            return False
        eff = self._longest_end()
        return any(abs((eff - s.after(self.start.earliest)).days) <= window_days for s in spans)


def later_of(a: DateValue, b: DateValue | None) -> DateValue:
    if b is None:
        return a
    return DateValue(max(a.earliest, b.earliest), max(a.latest, b.latest))


def break_within(last_day: DateValue, reference: DateValue, limit: Span) -> bool | None:
    """A break from `last_day` to `reference` of at most `limit` (exactly the limit passes)."""
    if reference.latest <= limit.after(last_day.earliest):
        return True
    if reference.earliest > limit.after(last_day.latest):
        return False
    return None
