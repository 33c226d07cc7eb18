"""The applicant's answers: each field declared once, with the question that fills it.

`Answers` is the one declaration of every answer-file field: its type, its kind (how it is
read and validated), its bounds and, for the fields the interview asks, when the question
applies and which earlier answers it rests on. The answer file (`assess`), the interview,
the review, the `answers` export and storage all work from it.

A field's value is one of three things: absent (`None`, not answered), `NOT_SURE` (the
applicant said they don't know) or a value. The difference matters: an unanswered fact
that would exclude someone is assumed absent (interpretation 11), while one the applicant
is not sure about stays unknown and may decide the outcome. Dates may be exact
(`2015-06-01`) or a month (`2015-06`): a month is kept as the range of its days, so the
engine can tell when the exact day would change a band.
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from typing import Any, TypeAlias, TypeVar

from dialogs.spans import add_years

BACKGROUNDS = ("out_of_state", "federal", "military_police", "none")
CERTIFICATION_STATUSES = ("valid", "lapsed", "suspended", "revoked")
DEGREES = ("none", "associate", "bachelor", "master", "doctorate")
EMPLOYMENT = ("full_time", "part_time", "reserve", "offer", "none")
EMPLOYED = ("full_time", "part_time", "reserve")  # already working for an Alabama agency: hired on some day
US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)
POINTS_PATHWAYS = ("federal", "military_police")
PRIOR_TRAINING = ("out_of_state", *POINTS_PATHWAYS)

# Bounds shared by the answer file and the chat (declared here only): beyond them a figure is
# a typo. The chat's readers ask again; `assess` refuses the file, naming the field.
MAX_HOURS = 5000  # a basic course longer than this is not a basic course
MAX_GAP_DAYS = 60 * 365  # gaps in service longer than a career
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999  # no date after this: keeps every deadline the engine computes inside the calendar
CAREER_YEARS = 60  # a career date further back than this is a typo
HIRE_WITHIN_YEARS = 2  # a planned hire date further ahead than this is a typo
AGE_RANGE = (16, 100)  # plausible age of an applicant, in years
# No career date (basic course, certification, service, Alabama hire) before this birthday:
# the youngest enlistment age is 17 (with consent), so a date before the 16th birthday is a
# typo in one of the dates, never a real career (interpretation 12: pointed out, asked again).
MIN_CAREER_AGE = AGE_RANGE[0]
CAREER_DATES = ("basic_course_completed_on", "certified_on", "service_start", "service_end", "alabama_hire_date")

# Kinds: how a field is read from a chat message and validated in an answer file.
YES_NO = "yes_no"
CHOICE = "choice"
DATE = "date"  # a past date (a day or a month)
END_DATE = "end_date"  # a past date, or null for "still serving"
FUTURE_DATE = "future_date"  # today or later (a planned hire date)
HOURS = "hours"
DURATION = "duration"  # whole days
STATE = "state"
ESTIMATE_DATE = "estimate_date"  # `as_of`: a full date, never asked


class _NotSure(enum.Enum):
    NOT_SURE = "not_sure"

    def __repr__(self) -> str:
        return "NOT_SURE"


NOT_SURE = _NotSure.NOT_SURE
"""The applicant said they don't know (a singleton; compare with `is`)."""
NOT_SURE_JSON: Mapping[str, bool] = {"not_sure": True}
STILL_SERVING = "still_serving"

T = TypeVar("T")
Stored = Mapping[str, Any]  # field -> stored answer-file value ({"not_sure": true} for not sure)


class AnswerError(ValueError):
    """A bad answer file; `field` names the offending key so the message can say it. For an
    impossible combination, `code` says which (the chat explains it) and `other` names the
    field it clashes with."""

    def __init__(
        self,
        field: str,
        message: str,
        code: str = "invalid",
        other: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
        self.other = other
        self.params = dict(params or {})  # what the chat's explanation needs (an age)


@dataclass(frozen=True, order=True)
class DateValue:
    """A date as precise as the applicant gave it: [earliest, latest] possible day."""

    earliest: date
    latest: date

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    @classmethod
    def day(cls, d: date) -> DateValue:
        return cls(d, d)

    @classmethod
    def month(cls, year: int, month: int) -> DateValue:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last))

    def to_json(self) -> str:
        if self.exact:
            return self.earliest.isoformat()
        return f"{self.earliest.year:04d}-{self.earliest.month:02d}"

    def __str__(self) -> str:
        return self.to_json()


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


def parse_iso_date(text: str) -> DateValue:
    """`YYYY-MM-DD` or `YYYY-MM`; raises ValueError for anything else or an impossible day."""
    try:
        if m := _DAY.fullmatch(text):
            return DateValue.day(date(int(m[1]), int(m[2]), int(m[3])))
        if m := _MONTH.fullmatch(text):
            return DateValue.month(int(m[1]), int(m[2]))
    except ValueError:
        raise ValueError(f"{text} is not a real date") from None
    raise ValueError("expected a date as YYYY-MM-DD (or YYYY-MM for a month)")


# --- when a question applies -------------------------------------------------------------
# A condition sees the stored answers (answer-file values) and the estimate date.
Condition = Callable[[Stored, date], bool]


def always(a: Stored, today: date) -> bool:
    return True


def is_(name: str, *values: Any) -> Condition:
    return lambda a, today: a.get(name) in values


def _prior_training(a: Stored, today: date) -> bool:
    return a.get("background") in PRIOR_TRAINING or a.get("background") == NOT_SURE_JSON


def _points_pathway(a: Stored, today: date) -> bool:
    return a.get("background") in POINTS_PATHWAYS


def _graduated_maybe(a: Stored, today: date) -> bool:
    return _points_pathway(a, today) and a.get("basic_course_graduate") is not False


def _has_degree(a: Stored, today: date) -> bool:
    return a.get("highest_degree") in DEGREES[1:]


def _no_accredited_degree(a: Stored, today: date) -> bool:
    return not (_has_degree(a, today) and a.get("degree_accredited") is True)


def _degree_points_matter(a: Stored, today: date) -> bool:
    return _has_degree(a, today) and _points_pathway(a, today) and a.get("degree_accredited") is not False


def _age_unsure(a: Stored, today: date) -> bool:
    return a.get("meets_minimum_age") == NOT_SURE_JSON


def _duties_undecided(a: Stored, today: date) -> bool:
    from dialogs.timing import service_may_reach_duty_span  # rules data: the 4-year span

    return _points_pathway(a, today) and service_may_reach_duty_span(a, today)


def _hire_date_matters(a: Stored, today: date) -> bool:
    from dialogs.timing import break_limit_is_near

    if a.get("alabama_employment") in EMPLOYED:
        return False  # already working for the agency: there is no hire date to plan
    return a.get("alabama_employment") == "offer" or break_limit_is_near(a, today)


def _break_may_be_over(a: Stored, today: date) -> bool:
    """The break since separation may already be over its limit today: then whether (and
    when) an Alabama agency hired the applicant decides it, so that is asked first."""
    from dialogs.timing import break_may_be_over

    return break_may_be_over(a, today)


def _hired_and_break_may_be_over(a: Stored, today: date) -> bool:
    return a.get("alabama_employment") in EMPLOYED and _break_may_be_over(a, today)


@dataclass(frozen=True)
class Ask:
    """The question that fills a field: when it applies and what it rests on (an edit of one
    of `depends_on` clears this answer, so it is asked again). `early`: while it holds, the
    question comes before the others still open (an answer that can end the screening at once)."""

    when: Condition = always
    depends_on: tuple[str, ...] = ()
    early: Condition | None = None


@dataclass(frozen=True)
class Spec:
    kind: str
    choices: tuple[str, ...] = ()
    maximum: int | None = None
    excluding: bool = False  # "yes" excludes or bars: only an unmistakable yes counts
    ask: Ask | None = None


def declare(
    kind: str,
    *,
    choices: tuple[str, ...] = (),
    maximum: int | None = None,
    excluding: bool = False,
    ask: Ask | None = None,
) -> Any:
    return field(default=None, metadata={"spec": Spec(kind, choices, maximum, excluding, ask)})


Answer: TypeAlias = T | _NotSure | None
"""An answer: the value, NOT_SURE, or None (not answered)."""


@dataclass(frozen=True)
class Answers:
    """Every field of the answer file, in the order the interview asks them."""

    as_of: date | None = declare(ESTIMATE_DATE)
    background: Answer[str] = declare(CHOICE, choices=BACKGROUNDS, ask=Ask())
    certifying_state: Answer[str] = declare(STATE, ask=Ask(is_("background", "out_of_state"), ("background",)))
    certification_status: Answer[str] = declare(
        CHOICE, choices=CERTIFICATION_STATUSES, ask=Ask(is_("background", "out_of_state"), ("background",))
    )
    certified_on: Answer[DateValue] = declare(DATE, ask=Ask(is_("background", "out_of_state"), ("background",)))
    basic_course_graduate: Answer[bool] = declare(YES_NO, ask=Ask(_points_pathway, ("background",)))
    basic_course_hours: Answer[int] = declare(
        HOURS, maximum=MAX_HOURS, ask=Ask(_graduated_maybe, ("background", "basic_course_graduate"))
    )
    basic_course_completed_on: Answer[DateValue] = declare(DATE)
    service_start: Answer[DateValue] = declare(DATE, ask=Ask(_prior_training, ("background",)))
    service_end: Answer[DateValue | str] = declare(END_DATE, ask=Ask(_prior_training, ("background", "service_start")))
    service_gap_days: Answer[int] = declare(
        DURATION, maximum=MAX_GAP_DAYS, ask=Ask(_prior_training, ("background", "service_start", "service_end"))
    )
    service_full_time: Answer[bool] = declare(YES_NO, ask=Ask(is_("background", "out_of_state"), ("background",)))
    le_duties_last_4_years: Answer[bool] = declare(
        YES_NO, ask=Ask(_duties_undecided, ("background", "service_start", "service_end", "service_gap_days"))
    )
    security_police_primary_code: Answer[bool] = declare(
        YES_NO, excluding=True, ask=Ask(is_("background", "military_police"), ("background",))
    )
    highest_degree: Answer[str] = declare(CHOICE, choices=DEGREES, ask=Ask())
    degree_accredited: Answer[bool] = declare(YES_NO, ask=Ask(_has_degree, ("highest_degree",)))
    degree_by_correspondence: Answer[bool] = declare(
        YES_NO, excluding=True, ask=Ask(_degree_points_matter, ("highest_degree", "background", "degree_accredited"))
    )
    high_school_diploma_or_ged: Answer[bool] = declare(
        YES_NO, ask=Ask(_no_accredited_degree, ("highest_degree", "degree_accredited"))
    )
    grandfathered_or_exempted: Answer[bool] = declare(YES_NO, excluding=True, ask=Ask(_prior_training, ("background",)))
    felony_conviction: Answer[bool] = declare(YES_NO, excluding=True, ask=Ask())
    expunged_record: Answer[bool] = declare(
        YES_NO, excluding=True, ask=Ask(lambda a, today: a.get("felony_conviction") is not True, ("felony_conviction",))
    )
    us_citizen: Answer[bool] = declare(YES_NO, ask=Ask())
    meets_minimum_age: Answer[bool] = declare(YES_NO, ask=Ask())
    birth_date: Answer[DateValue] = declare(DATE, ask=Ask(_age_unsure, ("meets_minimum_age",)))
    alabama_employment: Answer[str] = declare(CHOICE, choices=EMPLOYMENT, ask=Ask(early=_break_may_be_over))
    alabama_hire_date: Answer[DateValue] = declare(
        DATE,
        ask=Ask(
            _hired_and_break_may_be_over,
            ("alabama_employment", "service_end", "background"),
            early=_hired_and_break_may_be_over,
        ),
    )
    planned_hire_date: Answer[DateValue] = declare(
        FUTURE_DATE, ask=Ask(_hire_date_matters, ("alabama_employment", "service_end", "background"))
    )

    @property
    def still_serving(self) -> bool | None:
        if self.service_end is None or self.service_end is NOT_SURE:
            return None
        return self.service_end == STILL_SERVING

    def known(self, name: str) -> Any:
        """The value, or None when it was not answered or the applicant is not sure."""
        value = getattr(self, name)
        return None if value is NOT_SURE else value

    def unsure(self, name: str) -> bool:
        return getattr(self, name) is NOT_SURE


@dataclass(frozen=True)
class FieldInfo:
    name: str
    spec: Spec


@cache
def field_table() -> tuple[FieldInfo, ...]:
    return tuple(FieldInfo(f.name, f.metadata["spec"]) for f in fields(Answers))


FIELD_NAMES = tuple(f.name for f in fields(Answers))
SPECS: Mapping[str, Spec] = {f.name: f.metadata["spec"] for f in fields(Answers)}


def spec(name: str) -> Spec:
    return SPECS[name]


# --- the answer file -------------------------------------------------------------------


def read_value(name: str, raw: Any) -> Any:
    """One answer-file value as the engine holds it; raises AnswerError naming the field."""
    s = SPECS.get(name)
    if s is None:
        raise AnswerError(name, "unknown field")
    if isinstance(raw, Mapping) and name != "as_of" and dict(raw) == NOT_SURE_JSON:
        return NOT_SURE
    kind = s.kind
    if kind == YES_NO:
        if not isinstance(raw, bool):
            raise AnswerError(name, 'expected true or false (or {"not_sure": true})')
        return raw
    if kind in (HOURS, DURATION):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise AnswerError(name, "expected a whole number")
        if raw < 0:
            raise AnswerError(name, "must not be negative")
        if s.maximum is not None and raw > s.maximum:
            raise AnswerError(name, f"must be at most {s.maximum}")
        return raw
    if kind == CHOICE:
        if not isinstance(raw, str) or raw not in s.choices:
            raise AnswerError(name, "expected one of " + ", ".join(s.choices))
        return raw
    if kind == STATE:
        if not isinstance(raw, str) or raw.upper() not in US_STATES:
            raise AnswerError(name, "expected a two-letter U.S. state code such as GA")
        return raw.upper()
    if kind == END_DATE and raw is None:
        return STILL_SERVING
    if kind in (DATE, END_DATE, FUTURE_DATE, ESTIMATE_DATE):
        if not isinstance(raw, str):
            raise AnswerError(name, "expected a date as YYYY-MM-DD")
        try:
            value = parse_iso_date(raw)
        except ValueError as exc:
            raise AnswerError(name, str(exc)) from None
        if value.earliest.year < EARLIEST_YEAR:
            raise AnswerError(name, f"is before {EARLIEST_YEAR}")
        if value.latest.year > LATEST_YEAR:
            raise AnswerError(name, f"is after {LATEST_YEAR}")
        if kind == ESTIMATE_DATE:
            if not value.exact:
                raise AnswerError(name, "needs a full date YYYY-MM-DD")
            return value.earliest
        return value
    raise AssertionError(f"no reader for kind {kind}")  # a declaration error, not bad input


def to_json(value: Any) -> Any:
    """An engine value in answer-file form (the inverse of `read_value`)."""
    if value is NOT_SURE:
        return dict(NOT_SURE_JSON)
    if value == STILL_SERVING:
        return None
    if isinstance(value, DateValue):
        return value.to_json()
    if isinstance(value, date):
        return value.isoformat()
    return value


def answers_from_json(data: Any, today: date) -> Answers:
    """Read an answer-file object; `today` is the default `as_of`. Raises AnswerError."""
    if not isinstance(data, Mapping):
        raise AnswerError("(file)", "expected a JSON object")
    values = {}
    for name, raw in data.items():
        if name not in SPECS:
            raise AnswerError(str(name), "unknown field")
        if raw is None and SPECS[name].kind != END_DATE:
            continue  # null = not answered
        values[name] = read_value(name, raw)
    answers = Answers(**values)
    check_consistency(answers, answers.as_of or today)
    return answers


def plausible_range(name: str, as_of: date) -> tuple[date | None, date | None]:
    """The earliest and latest plausible day for a date field, seen from `as_of` (None: no bound).

    The chat's readers ask again outside it (they also keep career dates after the 16th
    birthday); `assess` refuses an answer file outside it.
    """
    kind = SPECS[name].kind
    if name == "birth_date":
        return add_years(as_of, -AGE_RANGE[1]), add_years(as_of, -AGE_RANGE[0])
    if kind == FUTURE_DATE:
        return None, add_years(as_of, HIRE_WITHIN_YEARS)
    if kind in (DATE, END_DATE):
        return add_years(as_of, -CAREER_YEARS), None
    return None, None


def check_plausible(answers: Answers, as_of: date) -> None:
    """Dates within the chat's bounds (`plausible_range`); raises AnswerError naming the field."""
    for name, value in _dates(answers).items():
        earliest, latest = plausible_range(name, as_of)
        if earliest is not None and value.latest < earliest:
            raise AnswerError(name, f"is before {earliest.isoformat()}, which cannot be right", "too_early")
        if latest is not None and value.earliest > latest:
            raise AnswerError(name, f"is after {latest.isoformat()}, which cannot be right", "too_late")


def _dates(answers: Answers) -> dict[str, DateValue]:
    return {f.name: v for f in field_table() if isinstance(v := getattr(answers, f.name), DateValue)}


def check_consistency(answers: Answers, as_of: date) -> None:
    """Impossible combinations are errors, not estimates (an end before its start)."""
    dates = _dates(answers)
    for name, value in dates.items():
        if SPECS[name].kind == FUTURE_DATE:
            if value.latest < as_of:
                raise AnswerError(name, f"is before the estimate date {as_of.isoformat()}", "before_estimate")
        elif value.earliest > as_of:
            raise AnswerError(name, f"is after the estimate date {as_of.isoformat()}", "after_estimate")
    start, end = dates.get("service_start"), dates.get("service_end")
    if start and end and end.latest < start.earliest:
        raise AnswerError("service_end", "is before service_start", "before", "service_start")
    course = dates.get("basic_course_completed_on")
    if course and end and end.latest < course.earliest:
        raise AnswerError("service_end", "is before basic_course_completed_on", "before", "basic_course_completed_on")
    born = dates.get("birth_date")
    if born:
        for name in CAREER_DATES:
            given = dates.get(name)
            if given and given.latest < born.earliest:
                raise AnswerError(name, "is before birth_date", "before", "birth_date")
        youngest = add_years(born.earliest, MIN_CAREER_AGE)
        for name in CAREER_DATES:
            career = dates.get(name)
            if career and career.latest < youngest:
                raise AnswerError(
                    name,
                    f"is before the {MIN_CAREER_AGE}th birthday given by birth_date",
                    "too_young",
                    "birth_date",
                    {"age": MIN_CAREER_AGE},
                )
    planned = dates.get("planned_hire_date")
    if planned and end and planned.latest < end.earliest:
        raise AnswerError("planned_hire_date", "is before service_end", "before", "service_end")
    gap = answers.known("service_gap_days")
    if start and gap:
        last = end.latest if end else as_of
        if gap > (last - start.earliest).days:
            raise AnswerError("service_gap_days", "is longer than the whole service period", "gap_too_long")
