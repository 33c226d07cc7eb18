"""Questions whose relevance depends on dates: asked only when the dates leave them open.

The interview asks as little as the estimate needs: the 4-year duties question only when
the service dates could cover 4 years (shorter dates already decide it, and dates beat a
yes/no, interpretation 12), and the hire date only when the break limit is near or there
is an offer. The spans come from the rules data.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dialogs.answers import STILL_SERVING, AnswerError, DateValue, Stored, read_value
from dialogs.periods import Period
from dialogs.rules import rules_in_force
from dialogs.spans import Span


def _date(stored: Stored, name: str) -> Any:
    raw = stored.get(name, ...)
    if raw is ...:
        return None
    try:
        return read_value(name, raw)
    except AnswerError:
        return None


def service_period(stored: Stored, today: date) -> Period | None:
    """The longest period the answers allow (unknown gaps count as none), or None."""
    start, end = _date(stored, "service_start"), _date(stored, "service_end")
    if not isinstance(start, DateValue):
        return None
    if end == STILL_SERVING:
        end = DateValue.day(today)
    if not isinstance(end, DateValue):
        return None
    gap = stored.get("service_gap_days")
    return Period(start, end, gap if isinstance(gap, int) and not isinstance(gap, bool) else 0)


def service_may_reach_duty_span(stored: Stored, today: date) -> bool:
    """False when the service dates alone are shorter than the duty span of (7)(a)-(b)."""
    period = service_period(stored, today)
    if period is None:
        return True
    return period.at_least(rules_in_force(today).points_pathways.le_duties_before_separation.value) is not False


def break_limit(stored: Stored, today: date) -> tuple[Span, date, date] | None:
    """The break limit of the applicant's pathway and the last day within it, at the earliest
    and at the latest (they differ when the end of service is known only to the month)."""
    end = _date(stored, "service_end")
    if not isinstance(end, DateValue):
        return None
    rules = rules_in_force(today)
    limit = (
        rules.out_of_state.max_break_in_service.value
        if stored.get("background") == "out_of_state"
        else rules.points_pathways.max_break_after_separation.value
    )
    return limit, limit.after(end.earliest), limit.after(end.latest)


def break_limit_is_near(stored: Stored, today: date) -> bool:
    """The break since separation passes its limit within the interview's warning span,
    and has not passed it yet: then the hire date decides."""
    found = break_limit(stored, today)
    if found is None:
        return False
    _, first_ok, last_ok = found
    return today <= last_ok and first_ok <= rules_in_force(today).interview.ask_hire_date_within.value.after(today)


def break_may_be_over(stored: Stored, today: date) -> bool:
    """The break since separation may already be over its limit today (it is, if the
    applicant left on the earliest day their answer allows)."""
    found = break_limit(stored, today)
    return found is not None and today > found[1]


def question_context(question_id: str, stored: Stored, today: date) -> dict[str, Any]:
    """What a question's prompt should tell the applicant to answer it well: for the hire
    date, the day the break in service passes its limit. With the end of service known only to
    the month that day is known only to a range (`passes_on` .. `passes_latest`): the prompt
    says so, and when the range has begun (`today`), that the exact day decides."""
    if question_id == "planned_hire_date" and (found := break_limit(stored, today)) is not None:
        limit, first_ok, last_ok = found
        end = _date(stored, "service_end")
        context: dict[str, Any] = {
            "limit": limit,
            "passes_on": first_ok + timedelta(days=1),
            "passes_latest": last_ok + timedelta(days=1),
            "end": end,
        }
        context["begun"] = today >= first_ok + timedelta(days=1)
        return context
    return {}
