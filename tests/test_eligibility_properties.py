"""Invariants of the points system and of the evaluation, checked on generated answers."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from bot.presenter import assessment_json
from dialogs.answers import DEGREES, AnswerError, answers_from_json
from dialogs.assessment import IntRange, PointsBreakdown
from dialogs.eligibility import assess
from tests.helpers import FEDERAL_BASE, TODAY, points_of, run

days = st.integers(min_value=0, max_value=30 * 365)
hours = st.integers(min_value=0, max_value=2000)
degrees = st.sampled_from(DEGREES)


def _points(service_days: int, h: int, degree: str) -> PointsBreakdown:
    start = date(1995, 1, 1)
    end = start + timedelta(days=service_days)
    a = run(
        FEDERAL_BASE,
        service_start=start.isoformat(),
        service_end=end.isoformat(),
        as_of="2026-11-22",
        basic_course_hours=h,
        highest_degree=degree,
        basic_course_completed_on=...,
    )
    return points_of(a)


def exact(r: IntRange) -> int:
    """The figure, which every answer being known makes exact."""
    assert r.value is not None, r
    return r.value


@settings(max_examples=150, deadline=None)
@given(days, days, hours, hours, degrees, degrees)
def test_points_never_fall_when_years_hours_or_degree_rise(
    d1: int, d2: int, h1: int, h2: int, g1: str, g2: str
) -> None:
    (d1, d2), (h1, h2) = sorted((d1, d2)), sorted((h1, h2))
    g1, g2 = sorted((g1, g2), key=DEGREES.index)
    low, high = _points(d1, h1, g1), _points(d2, h2, g2)
    assert exact(low.experience) <= exact(high.experience)
    assert exact(low.training) <= exact(high.training)
    assert exact(low.education) <= exact(high.education)
    assert exact(low.total) <= exact(high.total)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=5 * 365, max_value=30 * 365), st.integers(min_value=0, max_value=700), hours, degrees)
def test_the_pass_mark_decides_when_all_else_is_met(d: int, ago: int, h: int, g: str) -> None:
    """With every other condition met, the outcome turns on the total and the pass mark alone."""
    end = TODAY - timedelta(days=ago)  # within the break limit
    a = run(
        FEDERAL_BASE,
        service_start=(end - timedelta(days=d)).isoformat(),
        service_end=end.isoformat(),
        basic_course_hours=h,
        highest_degree=g,
        basic_course_completed_on=...,
    )
    others = [f for f in a.findings if f.code != "pp_points"]
    assume(all(f.met is True or f.assumed for f in others))
    total = points_of(a).total
    assert total.lo == total.hi
    assert (a.outcome == "likely_eligible") == (total.lo >= points_of(a).pass_mark)
    assert a.outcome != "needs_review"


_values = {
    "background": st.sampled_from(["out_of_state", "federal", "military_police", "none"]),
    "certifying_state": st.sampled_from(["GA", "TX", "AL", "FL"]),
    "certification_status": st.sampled_from(["valid", "lapsed", "suspended", "revoked"]),
    "certified_on": st.dates(date(2000, 1, 1), date(2015, 12, 31)).map(date.isoformat),
    "basic_course_graduate": st.booleans(),
    "basic_course_hours": hours,
    "service_start": st.dates(date(2000, 1, 1), date(2015, 12, 31)).map(date.isoformat),
    "service_end": st.one_of(
        st.none(),
        st.dates(date(2016, 1, 1), date(2026, 11, 1)).map(date.isoformat),
        st.sampled_from(["2019-06", "2024-02"]),
    ),
    "service_gap_days": st.integers(0, 900),
    "service_full_time": st.booleans(),
    "le_duties_last_4_years": st.booleans(),
    "security_police_primary_code": st.booleans(),
    "highest_degree": degrees,
    "degree_accredited": st.booleans(),
    "degree_by_correspondence": st.booleans(),
    "grandfathered_or_exempted": st.booleans(),
    "alabama_employment": st.sampled_from(["full_time", "part_time", "reserve", "offer", "none"]),
    "felony_conviction": st.booleans(),
    "expunged_record": st.booleans(),
    "high_school_diploma_or_ged": st.booleans(),
    "alabama_hire_date": st.one_of(
        st.dates(date(2016, 1, 1), date(2026, 11, 22)).map(date.isoformat), st.sampled_from(["2025-06", "2026-07"])
    ),
    "planned_hire_date": st.one_of(
        st.dates(date(2026, 11, 22), date(2028, 11, 1)).map(date.isoformat), st.sampled_from(["2027-01", "2028-06"])
    ),
    "birth_date": st.one_of(
        st.dates(date(1960, 1, 1), date(2008, 11, 1)).map(date.isoformat), st.sampled_from(["1990-03", "2007-11"])
    ),
    "meets_minimum_age": st.booleans(),
}
NOT_SURE = st.just({"not_sure": True})
# every answer may also be "not sure", which is unknown rather than absent
answer_files = st.fixed_dictionaries({}, optional={k: st.one_of(v, NOT_SURE) for k, v in _values.items()})


@settings(max_examples=200, deadline=None)
@given(answer_files, st.randoms(use_true_random=False))
def test_same_answers_in_any_order_give_the_same_assessment(data: dict, rnd: random.Random) -> None:
    data = {**data, "as_of": "2026-11-22"}
    try:
        answers_from_json(data, TODAY)
    except AnswerError:
        assume(False)  # an impossible combination (gaps longer than the service) is rejected, not assessed
    items = list(data.items())
    rnd.shuffle(items)
    first = assessment_json(assess(answers_from_json(data, TODAY), TODAY))
    second = assessment_json(assess(answers_from_json(dict(items), TODAY), TODAY))
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["outcome"] in ("likely_eligible", "needs_review", "likely_ineligible")
    assert "preliminary estimate" in first["notice"]
    if first["outcome"] != "likely_eligible":
        assert first["what_would_change"], "a result that is not a clear yes says what would change it"
    kinds = {c["kind"] for c in first["changes"]}
    assert not ("no_remedy" in kinds and "remedy" in kinds), "never a fix beside 'nothing under this rule'"
    if first["outcome"] == "needs_review":
        assert kinds & {"find_out", "decided_by"}, "a needs-review result says what is missing or who decides"
    assessment = assess(answers_from_json(data, TODAY), TODAY)
    if assessment.barred:
        assert assessment.checklist == (), "an absolute bar gets no lateral checklist"


ASSUMED_FIELD = {
    "grandfathered": "grandfathered_or_exempted",
    "felony": "felony_conviction",
    "security_police": "security_police_primary_code",
    "education_standard": "high_school_diploma_or_ged",
}


# Dates a fix names as context, not as a day to act by: the month the applicant left ("depending
# on the exact day you left in January 2025") is in the past by nature.
CONTEXT_DATES = {"end"}


def _dates_in(value: object) -> Iterator[date]:
    if isinstance(value, date):
        yield value
    elif hasattr(value, "earliest"):
        yield value.earliest


@settings(max_examples=300, deadline=None)
@given(answer_files)
@example(  # found by this property: the hire-by remedy names the month of leaving as context
    {
        "background": {"not_sure": True},
        "certifying_state": {"not_sure": True},
        "meets_minimum_age": {"not_sure": True},
        "planned_hire_date": "2028-06",
        "service_end": "2025-01-01",
    }
)
def test_what_would_change_agrees_with_the_answers_and_itself(data: dict) -> None:
    data = {**data, "as_of": "2026-11-22"}
    try:
        answers = answers_from_json(data, TODAY)
    except AnswerError:
        assume(False)
    a = assess(answers, TODAY)
    for fix in a.changes:
        if fix.kind in ("remedy", "deadline"):  # a day to act by or wait for is never already past
            for name, value in fix.params.items():
                if name not in CONTEXT_DATES:
                    assert all(d > a.as_of for d in _dates_in(value)), (fix, a.as_of)
        if fix.code == "exact_day":  # only dates given as a month are asked to the day
            assert all(len(data[name]) == 7 for name in fix.params["fields"]), fix
        if fix.code == "give_dates":  # only dates not given are asked for
            assert fix.params["missing"] and not any(isinstance(data.get(n), str) for n in fix.params["missing"])
    for f in a.findings:  # "Not answered: this assumes ..." only about a question not answered
        if f.assumed:
            assert ASSUMED_FIELD[f.code] not in data, f
    steps = " ".join(assessment_json(a)["next_steps"])
    if a.no_remedy:  # "nothing under this rule" is not followed by a promise that a rerun could help
        assert "run this screening again" not in steps
