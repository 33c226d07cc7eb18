"""The question catalogue: stable ids (the answer-file fields), kinds, and when each applies.

Order matters: the next question is the first applicable one without an answer, recomputed
from the stored answers on every step, so back, edit and resume need no extra state.
Prompts and help live in templates/questions.j2 (macros `<id>` and `help_<id>`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from dialogs.answers import BACKGROUNDS, CERTIFICATION_STATUSES, DEGREES, EMPLOYMENT
from dialogs.parsing import Choice

Stored = Mapping[str, Any]  # field -> stored JSON value (NOT_SURE_VALUE for "not sure")

NOT_SURE_VALUE = {"not_sure": True}

YES_NO = "yes_no"
CHOICE = "choice"
DATE = "date"
END_DATE = "end_date"  # a date or "still serving"
HOURS = "hours"
DURATION = "duration"
STATE = "state"


def _is(field: str, *values: Any) -> Callable[[Stored], bool]:
    return lambda a: a.get(field) in values


def _points_pathway(a: Stored) -> bool:
    return a.get("background") in ("federal", "military_police")


def _prior_training(a: Stored) -> bool:
    return a.get("background") in ("out_of_state", "federal", "military_police") or _unsure(a, "background")


def _unsure(a: Stored, field: str) -> bool:
    return a.get(field) == NOT_SURE_VALUE


def _has_degree(a: Stored) -> bool:
    return a.get("highest_degree") in ("associate", "bachelor", "master", "doctorate")


def _no_accredited_degree(a: Stored) -> bool:
    return not (_has_degree(a) and a.get("degree_accredited") is True)


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    applies: Callable[[Stored], bool] = lambda a: True
    depends_on: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    not_sure: bool = True


def _choices(values: tuple[str, ...], synonyms: Mapping[str, tuple[str, ...]]) -> tuple[Choice, ...]:
    from dialogs.render import say  # labels are words: they live in templates/questions.j2

    return tuple(Choice(v, say("choice_label", _file="questions.j2", value=v), synonyms.get(v, ())) for v in values)


QUESTIONS: tuple[Question, ...] = (
    Question("background", CHOICE, choices=_choices(BACKGROUNDS, {
        "out_of_state": ("state", "another state", "other state", "post", "certified", "licensed", "police department", "sheriff"),
        "federal": ("federal", "fed", "fbi", "dea", "atf", "border patrol", "cbp", "ice", "usms", "marshal", "secret service"),
        "military_police": ("military", "mp", "army", "navy", "air force", "marines", "master at arms", "31b"),
        "none": ("none", "no", "neither", "civilian", "no training"),
    })),
    Question("certifying_state", STATE, _is("background", "out_of_state"), ("background",)),
    Question("certification_status", CHOICE, _is("background", "out_of_state"), ("background",),
             choices=_choices(CERTIFICATION_STATUSES, {
                 "valid": ("active", "good standing", "current", "good"),
                 "lapsed": ("inactive", "expired", "lapsed"),
                 "suspended": ("suspended",),
                 "revoked": ("revoked", "decertified"),
             })),
    Question("certified_on", DATE, _is("background", "out_of_state"), ("background",)),
    Question("basic_course_graduate", YES_NO, _points_pathway, ("background",)),
    Question("basic_course_hours", HOURS, lambda a: _points_pathway(a) and a.get("basic_course_graduate") is not False,
             ("background", "basic_course_graduate")),
    Question("service_start", DATE, _prior_training, ("background",)),
    Question("service_end", END_DATE, _prior_training, ("background", "service_start")),
    Question("service_gap_days", DURATION, _prior_training, ("background", "service_start", "service_end")),
    Question("service_full_time", YES_NO, _is("background", "out_of_state"), ("background",)),
    Question("le_duties_last_4_years", YES_NO, _points_pathway, ("background",)),
    Question("security_police_primary_code", YES_NO, _is("background", "military_police"), ("background",)),
    Question("highest_degree", CHOICE, choices=_choices(DEGREES, {
        "none": ("no", "none", "high school", "ged", "no degree"),
        "associate": ("associate", "associates", "aa", "as", "aas", "2 year", "two year"),
        "bachelor": ("bachelor", "bachelors", "ba", "bs", "bsc", "4 year", "four year", "college degree"),
        "master": ("master", "masters", "ma", "ms", "mba", "mpa"),
        "doctorate": ("doctorate", "phd", "jd", "edd", "doctor"),
    })),
    Question("degree_accredited", YES_NO, _has_degree, ("highest_degree",)),
    Question("degree_by_correspondence", YES_NO, lambda a: _has_degree(a) and _points_pathway(a),
             ("highest_degree", "background")),
    Question("high_school_diploma_or_ged", YES_NO, _no_accredited_degree, ("highest_degree", "degree_accredited")),
    Question("grandfathered_or_exempted", YES_NO, _prior_training, ("background",)),
    Question("felony_conviction", YES_NO),
    Question("expunged_record", YES_NO, lambda a: a.get("felony_conviction") is not True, ("felony_conviction",)),
    Question("alabama_employment", CHOICE, choices=_choices(EMPLOYMENT, {
        "full_time": ("full time", "full-time", "employed", "hired"),
        "part_time": ("part time", "part-time"),
        "reserve": ("reserve", "reserves", "volunteer"),
        "offer": ("offer", "conditional offer", "offered", "applying", "applied"),
        "none": ("none", "no", "not yet", "looking"),
    })),
)



def applicable(answers: Stored) -> list[Question]:
    return [q for q in QUESTIONS if q.applies(answers)]


def dependents(field: str) -> set[str]:
    """Every question whose answer rests, directly or not, on `field`."""
    found: set[str] = set()
    frontier = {field}
    while frontier:
        nxt = {q.id for q in QUESTIONS if set(q.depends_on) & frontier} - found
        found |= nxt
        frontier = nxt
    found.discard(field)
    return found
