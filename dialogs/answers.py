"""The applicant's answers: one schema shared by the answer file, the interview and storage.

Every field is optional; a missing field means "not answered" (or "not sure" in the
interview) and the engine treats it as unknown rather than guessing. Dates may be exact
(`2015-06-01`) or a month (`2015-06`): a month is kept as the range of its days, so the
engine can tell when the exact day would change a band.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any, Mapping

BACKGROUNDS = ("out_of_state", "federal", "military_police", "none")
CERTIFICATION_STATUSES = ("valid", "lapsed", "suspended", "revoked")
DEGREES = ("none", "associate", "bachelor", "master", "doctorate")
EMPLOYMENT = ("full_time", "part_time", "reserve", "offer", "none")
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)
STILL_SERVING = "still_serving"


class AnswerError(ValueError):
    """A bad answer file; `field` names the offending key so the message can say it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, order=True)
class DateValue:
    """A date as precise as the applicant gave it: [earliest, latest] possible day."""

    earliest: date
    latest: date

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    @classmethod
    def day(cls, d: date) -> "DateValue":
        return cls(d, d)

    @classmethod
    def month(cls, year: int, month: int) -> "DateValue":
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last))

    def to_json(self) -> str:
        if self.exact:
            return self.earliest.isoformat()
        return f"{self.earliest.year:04d}-{self.earliest.month:02d}"

    def __str__(self) -> str:
        return self.to_json()

    def shift(self, days: int) -> "DateValue":
        return DateValue(self.earliest + timedelta(days=days), self.latest + timedelta(days=days))


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_iso_date(text: str) -> DateValue:
    """`YYYY-MM-DD` or `YYYY-MM`; raises ValueError for anything else or an impossible day."""
    try:
        if m := _DAY.match(text):
            return DateValue.day(date(int(m[1]), int(m[2]), int(m[3])))
        if m := _MONTH.match(text):
            return DateValue.month(int(m[1]), int(m[2]))
    except ValueError:
        raise ValueError(f"{text} is not a real date") from None
    raise ValueError("expected a date as YYYY-MM-DD (or YYYY-MM for a month)")


@dataclass(frozen=True)
class Answers:
    as_of: date | None = None
    background: str | None = None
    certifying_state: str | None = None
    certification_status: str | None = None
    certified_on: DateValue | None = None
    basic_course_graduate: bool | None = None
    basic_course_hours: int | None = None
    basic_course_completed_on: DateValue | None = None
    service_start: DateValue | None = None
    service_end: DateValue | str | None = None  # STILL_SERVING, a date, or None (unknown)
    service_gap_days: int | None = None
    service_full_time: bool | None = None
    le_duties_last_4_years: bool | None = None
    security_police_primary_code: bool | None = None
    highest_degree: str | None = None
    degree_accredited: bool | None = None
    degree_by_correspondence: bool | None = None
    grandfathered_or_exempted: bool | None = None
    alabama_employment: str | None = None
    planned_hire_date: DateValue | None = None
    birth_date: DateValue | None = None
    us_citizen: bool | None = None
    felony_conviction: bool | None = None
    expunged_record: bool | None = None
    high_school_diploma_or_ged: bool | None = None

    @property
    def still_serving(self) -> bool | None:
        if self.service_end is None:
            return None
        return self.service_end == STILL_SERVING


# kind of each field: how the JSON value is read
_CHOICES: dict[str, tuple[str, ...]] = {
    "background": BACKGROUNDS,
    "certification_status": CERTIFICATION_STATUSES,
    "highest_degree": DEGREES,
    "alabama_employment": EMPLOYMENT,
}
_DATES = {"certified_on", "basic_course_completed_on", "service_start", "planned_hire_date", "birth_date"}
_COUNTS = {"basic_course_hours", "service_gap_days"}
_BOOLS = {f.name for f in fields(Answers) if f.type == "bool | None"}
FIELD_NAMES = tuple(f.name for f in fields(Answers))


def _read(name: str, raw: Any) -> Any:
    if name in _BOOLS:
        if not isinstance(raw, bool):
            raise AnswerError(name, "expected true or false")
        return raw
    if name in _COUNTS:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise AnswerError(name, "expected a whole number")
        if raw < 0:
            raise AnswerError(name, "must not be negative")
        return raw
    if name in _CHOICES:
        if raw not in _CHOICES[name]:
            raise AnswerError(name, "expected one of " + ", ".join(_CHOICES[name]))
        return raw
    if name == "certifying_state":
        if not isinstance(raw, str) or raw.upper() not in US_STATES:
            raise AnswerError(name, "expected a two-letter U.S. state code such as GA")
        return raw.upper()
    if name == "service_end" and raw is None:
        return STILL_SERVING
    if name in _DATES or name in ("service_end", "as_of"):
        if not isinstance(raw, str):
            raise AnswerError(name, "expected a date as YYYY-MM-DD")
        try:
            value = parse_iso_date(raw)
        except ValueError as exc:
            raise AnswerError(name, str(exc)) from None
        if name == "as_of":
            if not value.exact:
                raise AnswerError(name, "needs a full date YYYY-MM-DD")
            return value.earliest
        return value
    raise AnswerError(name, "unknown field")


def answers_from_json(data: Any, today: date) -> Answers:
    """Read an answer-file object; `today` is the default `as_of`. Raises AnswerError."""
    if not isinstance(data, Mapping):
        raise AnswerError("(file)", "expected a JSON object")
    values = {}
    for name, raw in data.items():
        if name not in FIELD_NAMES:
            raise AnswerError(str(name), "unknown field")
        if raw is None and name != "service_end":
            continue  # null = not answered
        values[name] = _read(name, raw)
    answers = Answers(**values)
    check_consistency(answers, answers.as_of or today)
    return answers


def check_consistency(answers: Answers, as_of: date) -> None:
    """Impossible combinations are errors, not estimates (an end before its start)."""
    for name in _DATES | {"service_end"}:
        value = getattr(answers, name)
        if isinstance(value, DateValue) and value.earliest > as_of and name != "planned_hire_date":
            raise AnswerError(name, f"is after the estimate date {as_of.isoformat()}")
    planned = answers.planned_hire_date
    if planned is not None and planned.latest < as_of:
        raise AnswerError("planned_hire_date", f"is before the estimate date {as_of.isoformat()}")
    start, end = answers.service_start, answers.service_end
    if isinstance(start, DateValue) and isinstance(end, DateValue) and end.latest < start.earliest:
        raise AnswerError("service_end", "is before service_start")
    course = answers.basic_course_completed_on
    if isinstance(course, DateValue) and isinstance(end, DateValue) and end.latest < course.earliest:
        raise AnswerError("service_end", "is before basic_course_completed_on")
    born = answers.birth_date
    if isinstance(born, DateValue):
        for name in ("certified_on", "service_start", "basic_course_completed_on"):
            value = getattr(answers, name)
            if isinstance(value, DateValue) and value.latest < born.earliest:
                raise AnswerError(name, "is before birth_date")
    if isinstance(start, DateValue) and isinstance(end, DateValue) and answers.service_gap_days:
        span = (end.latest - start.earliest).days
        if answers.service_gap_days > span:
            raise AnswerError("service_gap_days", "is longer than the whole service period")


def answers_to_json(answers: Answers) -> dict[str, Any]:
    """The answer-file form: only answered fields, in schema order."""
    out: dict[str, Any] = {}
    for name in FIELD_NAMES:
        value = getattr(answers, name)
        if value is None:
            continue
        if value == STILL_SERVING:
            out[name] = None
        elif isinstance(value, DateValue):
            out[name] = value.to_json()
        elif isinstance(value, date):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out
