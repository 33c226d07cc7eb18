"""The engine is honest about what it does not know and never contradicts itself.

Unknowns that could change the outcome give "needs review" and name what to find out; a
fact assumed because it was not answered says so; a "not sure" is unknown, not a no;
dates beat a yes/no; an absolute bar comes without a lateral checklist or a promise of
another route; "what would change it" never lists a remedy beside "nothing under this rule".
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.presenter import assessment_json, result_text
from dialogs.assessment import LIKELY_ELIGIBLE as OK
from dialogs.assessment import LIKELY_INELIGIBLE as NO
from dialogs.assessment import NEEDS_REVIEW as REVIEW
from dialogs.assessment import Assessment
from dialogs.eligibility import settled
from tests.helpers import FEDERAL_BASE, OUT_OF_STATE_BASE, finding, fix_params, fixes, run

NOT_SURE = {"not_sure": True}

# A federal officer whose points are exactly 10 (6 + 3 + 1): each unknown below can decide.
TEN_POINTS = {
    **FEDERAL_BASE,
    "service_start": "2015-01-01",
    "service_end": "2021-06-30",
    "as_of": "2023-01-01",
    "basic_course_hours": 480,
    "highest_degree": "associate",
}


@pytest.mark.parametrize(
    "base,changes,outcome,find_out",
    [
        # a gap total the applicant is not sure about: it could take the experience under a band
        (TEN_POINTS, {"service_gap_days": NOT_SURE}, REVIEW, "find_gaps"),
        # not answered: assumed none (interpretation 11), and the finding says so
        (TEN_POINTS, {}, OK, None),
        # the correspondence question answered "not sure" while the degree's point decides
        (TEN_POINTS, {"degree_by_correspondence": NOT_SURE}, REVIEW, "find_correspondence"),
        # ... and not deciding: 13 points without the degree's point is still 10 or more
        ({**TEN_POINTS, "basic_course_hours": 960}, {"degree_by_correspondence": NOT_SURE}, OK, None),
        # accreditation unknown when the diploma answer is no: the education standard hinges on it
        (
            OUT_OF_STATE_BASE,
            {"highest_degree": "associate", "degree_accredited": NOT_SURE, "high_school_diploma_or_ged": False},
            REVIEW,
            "find_accreditation",
        ),
        # a felony the applicant is not sure about is not assumed away
        (FEDERAL_BASE, {"felony_conviction": NOT_SURE}, REVIEW, "find_felony"),
        (FEDERAL_BASE, {"grandfathered_or_exempted": NOT_SURE}, REVIEW, "find_grandfathered"),
        (
            FEDERAL_BASE,
            {"background": "military_police", "security_police_primary_code": NOT_SURE},
            REVIEW,
            "find_security_police",
        ),
        (FEDERAL_BASE, {"us_citizen": NOT_SURE}, REVIEW, "find_citizenship"),
        # a birth month that straddles the 19th birthday on the estimate date
        (
            OUT_OF_STATE_BASE,
            {"birth_date": "2007-11", "certified_on": "2025-06-01", "service_start": "2025-06-01"},
            REVIEW,
            "exact_birth_date",
        ),
        (OUT_OF_STATE_BASE, {"meets_minimum_age": NOT_SURE}, REVIEW, "find_age"),
    ],
)
def test_unknowns_that_decide_are_named(base: dict, changes: dict, outcome: str, find_out: str | None) -> None:
    a = run(base, **changes)
    assert a.outcome == outcome
    if find_out:
        assert (find_out, "find_out") in fixes(a)
        assert "It depends on" in result_text(a)


def test_an_assumed_fact_says_assumed() -> None:
    a = run(TEN_POINTS, degree_by_correspondence=...)
    f = finding(a, "pp_points")
    assert a.outcome == OK and f.params["correspondence_assumed"] is True and f.params["gaps_assumed"] is True
    assert "assumes your associate degree was not earned by correspondence" in result_text(a)
    assert finding(run(FEDERAL_BASE, felony_conviction=...), "felony").assumed is True


def test_dates_beat_a_yes_about_four_years_of_duties() -> None:
    a = run(FEDERAL_BASE, service_start="2021-01-01", service_end="2024-06-30", le_duties_last_4_years=True)
    duties = finding(a, "pp_duties")
    assert (a.outcome, duties.met, duties.params["how"]) == (NO, False, "contradicted")
    assert "decided from your dates" in result_text(a)


@pytest.mark.parametrize(
    "changes,bar",
    [
        ({"felony_conviction": True}, "felony"),
        ({"high_school_diploma_or_ged": False, "highest_degree": "none"}, "education_standard"),
    ],
)
def test_an_absolute_bar_has_no_lateral_checklist_and_no_promised_route(changes: dict, bar: str) -> None:
    a = run(FEDERAL_BASE, **changes)
    assert a.outcome == NO and a.barred and a.checklist == ()
    text = result_text(a)
    assert "Documents to gather" not in text
    assert "send you there" not in text and "can hire you" not in text


def test_a_felony_is_settled_and_says_nothing_else_would_help() -> None:
    a = run(FEDERAL_BASE, felony_conviction=True, highest_degree="none", basic_course_hours=300)
    assert settled(a)
    assert fixes(a) == [("none_felony", "no_remedy")]


def test_no_remedy_is_never_listed_beside_a_remedy() -> None:
    # points short (a degree would help) and a break over two years (nothing helps)
    a = run(FEDERAL_BASE, service_end="2020-01-01", basic_course_hours=300, highest_degree="none")
    kinds = {kind for _, kind in fixes(a)}
    assert kinds == {"no_remedy"}
    assert "An accredited" not in result_text(a)


def test_no_prior_training_explains_the_basic_academy_without_assumptions() -> None:
    a = run({"background": "none", "as_of": "2026-11-22"})
    assert (a.outcome, settled(a)) == (NO, True)
    assert [f.code for f in a.findings] == ["no_prior_training"]
    text = result_text(a)
    assert "full basic academy" in text and "Not answered" not in text


def test_the_agency_files_the_request_is_a_note_not_a_finding() -> None:
    a = run(FEDERAL_BASE, alabama_employment="none")
    assert a.outcome == OK and "agency" not in {f.code for f in a.findings}
    assert [n.code for n in a.notes] == ["agency"]
    assert "[not met]" not in result_text(a)


def test_commission_reviews_are_labelled_as_reviews_not_as_not_met() -> None:
    a = run(OUT_OF_STATE_BASE, certification_status="lapsed", expunged_record=True)
    assert a.outcome == REVIEW
    text = result_text(a)
    assert text.count("[review]") == 2 and "[not met]" not in text
    assert "Decided by others" in text and "Commission" in text


def test_a_hire_date_in_a_month_that_straddles_the_limit_asks_for_the_day() -> None:
    a = run(FEDERAL_BASE, service_end="2025-01-15", as_of="2026-12-01", planned_hire_date="2027-01")
    assert a.outcome == REVIEW and ("exact_hire_day", "find_out") in fixes(a)


def test_dates_are_written_the_american_way() -> None:
    text = result_text(run(FEDERAL_BASE, service_end="2025-03-01"))
    assert "March 2, 2027" in text and "2027-03-02" not in text
    assert "November 22, 2026" in text


def test_json_carries_codes_and_words() -> None:
    data = assessment_json(
        run(
            FEDERAL_BASE,
            basic_course_hours=...,
            service_start="2015-01-01",
            service_end="2021-06-30",
            as_of="2023-01-01",
            highest_degree="bachelor",
        )
    )
    assert data["outcome"] == "needs_review"
    assert {"code", "rule", "met", "effect", "text"} <= set(data["findings"][0])
    assert data["changes"][0]["code"] == "find_hours" and "320 hours" in data["what_would_change"][0]
    assert fix_params(run(TEN_POINTS, service_gap_days=NOT_SURE), "find_gaps") == {}


# --- cousins of the defects a conversation tester found (2026-12-02) ----------------------
# Each table names the class of mistake, not only the case that showed it.
DEC2 = "2026-12-02"
FED = {
    **FEDERAL_BASE,
    "as_of": DEC2,
    "service_start": "2012-01-10",
    "service_end": "2025-06-30",
    "service_gap_days": 0,
    "alabama_employment": "none",
}
OOS = {**OUT_OF_STATE_BASE, "as_of": DEC2, "service_end": "2025-06-30", "alabama_employment": "none"}
MP = {**FED, "background": "military_police", "security_police_primary_code": False}
BASES = {"federal": FED, "out_of_state": OOS, "military_police": MP}


def _codes(a: Assessment, kind: str | None = None) -> list[str]:
    return [code for code, k in fixes(a) if kind is None or k == kind]


# 1. The education standard (650-X-2-.03): a diploma or GED, or an accredited degree. A "no" or
#    "not sure" is never read as a diploma; the unknowns named are those of the sides still open.
@pytest.mark.parametrize("pathway", ["federal", "out_of_state", "military_police"])
@pytest.mark.parametrize(
    "hs,degree,accredited,met,how,find_out",
    [
        (False, NOT_SURE, ..., None, "degree_unknown", ["find_degree"]),  # the tester's case
        (False, ..., ..., None, "degree_unknown", ["find_degree"]),  # degree not answered at all
        (NOT_SURE, NOT_SURE, ..., None, "unsure", ["find_diploma", "find_degree"]),
        (NOT_SURE, "none", ..., None, "unsure", ["find_diploma"]),
        (NOT_SURE, "bachelor", NOT_SURE, None, "unsure", ["find_diploma", "find_accreditation"]),
        (NOT_SURE, "bachelor", False, None, "unsure", ["find_diploma"]),
        (False, "bachelor", NOT_SURE, None, "accreditation", ["find_accreditation"]),
        (False, "bachelor", ..., None, "accreditation", ["find_accreditation"]),
        (False, "none", ..., False, "none", []),
        (False, "associate", False, False, "none", []),
        (False, "associate", True, True, "degree", []),
        (True, NOT_SURE, ..., True, "bat", []),
        (..., NOT_SURE, ..., None, "unknown", []),  # diploma not answered: assumed, said so
        (..., "none", ..., None, "unknown", []),
    ],
)
def test_education_standard_names_the_open_side(
    pathway: str, hs: object, degree: object, accredited: object, met: bool | None, how: str, find_out: list[str]
) -> None:
    a = run(
        BASES[pathway],
        high_school_diploma_or_ged=hs,
        highest_degree=degree,
        degree_accredited=accredited,
        degree_by_correspondence=...,
        basic_course_hours=960,
    )
    f = finding(a, "education_standard")
    assert (f.met, f.params["how"]) == (met, how)
    assert f.assumed is (hs is ...)
    text = result_text(a)
    if hs is not ...:
        assert "Not answered: this assumes you have a high-school diploma" not in text
    if met is None and hs is not ...:
        assert a.outcome == REVIEW
        assert [fix.code for fix in f.fixes] == find_out
        assert set(find_out) <= set(_codes(a, "find_out"))


def test_one_unknown_degree_deciding_points_and_the_standard_is_said_once() -> None:
    a = run(
        FED,
        service_start="2020-06-29",
        basic_course_hours=480,
        highest_degree=NOT_SURE,
        degree_accredited=...,
        high_school_diploma_or_ged=False,
    )
    assert _codes(a).count("find_degree") == 1
    assert fix_params(a, "find_degree")["why"] == ("points", "standard")
    words = assessment_json(a)["what_would_change"]
    assert any("education standard" in w and "points you need" in w for w in words)


# 2. The break measured to a planned hire date: over only because of that date, an earlier hire
#    is the remedy (interpretation 4), on every pathway; a break already over today has none.
@pytest.mark.parametrize("pathway", ["federal", "out_of_state", "military_police"])
@pytest.mark.parametrize(
    "end,planned,outcome,fix,kind,passes_on",
    [
        ("2025-06-30", "2027-07-01", NO, "hire_by", "remedy", "2027-07-01"),  # the tester's case
        ("2025-06-30", "2027-06-30", OK, "deadline_break", "deadline", "2027-07-01"),  # exactly 2 years passes
        ("2025-06-30", "2028-01-15", NO, "hire_by", "remedy", "2027-07-01"),
        ("2024-06-30", "2027-01-15", NO, "none_break_over", "no_remedy", None),  # over already today
        ("2024-12", "2027-01-15", NO, "hire_by", "remedy", "2027-01-01"),  # month: may still be in time
    ],
)
def test_a_planned_hire_after_the_limit_names_the_last_day(
    pathway: str, end: str, planned: str, outcome: str, fix: str, kind: str, passes_on: str | None
) -> None:
    a = run(BASES[pathway], service_end=end, alabama_employment="offer", planned_hire_date=planned)
    assert a.outcome == outcome and (fix, kind) in fixes(a)
    assert settled(a) is (kind == "no_remedy")
    if passes_on:
        assert fix_params(a, fix)["passes_on"].isoformat() == passes_on
    if fix == "hire_by":
        assert "Nothing under this rule" not in result_text(a)


def test_a_month_only_separation_makes_the_earlier_hire_uncertain_and_says_so() -> None:
    a = run(FED, service_end="2024-12", alabama_employment="offer", planned_hire_date="2027-01-15")
    assert fix_params(a, "hire_by")["sure"] is False
    assert "depending on the exact day you left in December 2024" in result_text(a)


# 3. Remedy dates: from the dates that decide them and never in the past; when the answers do
#    not give the day, the remedy says what it depends on instead.
@pytest.mark.parametrize(
    "base,changes,what,on,precision",
    [
        # still serving since 2012 but not on LE duties throughout the last 4 years: the day is unknown
        (FED, {"service_end": None, "le_duties_last_4_years": False}, "duties", None, "unknown"),
        (MP, {"service_end": None, "le_duties_last_4_years": False}, "duties", None, "unknown"),
        # dates shorter than 4 years: the fourth anniversary of the start
        (
            FED,
            {"service_start": "2024-01-10", "service_end": None, "le_duties_last_4_years": ...},
            "duties",
            "2028-01-10",
            "exact",
        ),
        (
            FED,
            {"service_start": "2024-01", "service_end": None, "le_duties_last_4_years": ...},
            "duties",
            "2028-01-31",
            "by",
        ),
        (
            FED,
            {
                "service_start": "2024-01-10",
                "service_end": None,
                "le_duties_last_4_years": ...,
                "service_gap_days": NOT_SURE,
            },
            "duties",
            "2028-01-10",
            "not_before",
        ),
        (
            OOS,
            {"certified_on": "2026-03-01", "service_start": "2026-03-01", "service_end": None},
            "one_year",
            "2027-03-02",
            "exact",
        ),
        (
            OOS,
            {"certified_on": "2026-03", "service_start": "2026-03-01", "service_end": None},
            "one_year",
            "2027-04-01",
            "by",
        ),
        # the end of service not known: time may still add up, so no "nothing under this rule"
        (
            OOS,
            {"certified_on": "2026-03-01", "service_start": "2026-03-01", "service_end": NOT_SURE},
            "one_year",
            "2027-03-02",
            "exact",
        ),
        # 0 + 4 + 2 points and the end of service not answered yet: a year more gives 5 points
        (
            FED,
            {"service_start": "2026-01-10", "service_end": ..., "le_duties_last_4_years": ...},
            "experience",
            "2027-01-10",
            "exact",
        ),
    ],
)
def test_remedy_dates_are_ahead_or_not_given(
    base: dict[str, Any], changes: dict[str, Any], what: str, on: str | None, precision: str
) -> None:
    a = run(base, **changes)
    waits = [fix for fix in a.changes if fix.code == "wait_until" and fix.params["what"] == what]
    assert waits, fixes(a)
    wait = waits[0]
    assert wait.params["precision"] == precision
    assert (wait.params["on"].isoformat() if wait.params["on"] else None) == on
    if wait.params["on"]:
        assert wait.params["on"] > a.as_of
    text = result_text(a)
    assert "January 10, 2016" not in text and "Nothing under this rule" not in text


# 4. Already working for an Alabama agency: the break ended on the day it hired them, which is
#    asked when it can matter; whether an agency already hired someone, when unknown, is not
#    assumed away; no "must be hired before" for someone hired.
@pytest.mark.parametrize("employment", ["full_time", "part_time", "reserve"])
@pytest.mark.parametrize(
    "end,hired,outcome,code,kind",
    [
        ("2025-06-30", ..., OK, None, None),  # within 2 years today: the hire day cannot matter
        ("2024-06-30", "2025-01-15", OK, None, None),  # over today, but hired in time
        ("2024-06-30", "2026-06-30", OK, None, None),  # hired on the last day within
        ("2024-06-30", "2026-07-01", NO, "none_break_over", "no_remedy"),
        ("2024-06-30", NOT_SURE, REVIEW, "find_alabama_hire", "find_out"),
        ("2024-06-30", ..., REVIEW, "find_alabama_hire", "find_out"),
        ("2024-07-15", "2026-07", REVIEW, "exact_day", "find_out"),  # the hire month straddles the limit
    ],
)
def test_the_break_ends_with_the_alabama_hire(
    employment: object, end: str, hired: object, outcome: str, code: str | None, kind: str | None
) -> None:
    a = run(FED, service_end=end, alabama_employment=employment, alabama_hire_date=hired)
    assert a.outcome == outcome
    assert "deadline_break" not in _codes(a)
    assert "you must be hired" not in result_text(a)
    if code:
        assert (code, kind) in fixes(a)
    if code == "exact_day":
        assert fix_params(a, "exact_day")["fields"] == ("alabama_hire_date",)


@pytest.mark.parametrize(
    "employment,outcome,code",
    [
        (..., REVIEW, "find_alabama_hire"),  # not answered: an agency may already have hired them in time
        (NOT_SURE, REVIEW, "find_alabama_hire"),
        ("none", NO, "none_break_over"),
        ("offer", NO, "none_break_over"),
    ],
)
def test_a_break_over_today_is_final_only_for_someone_not_hired(employment: object, outcome: str, code: str) -> None:
    a = run(FED, service_end="2024-06-30", alabama_employment=employment)
    assert a.outcome == outcome and code in _codes(a)


def test_whether_hired_unknown_with_a_month_end_names_both() -> None:
    a = run(FED, service_end="2024-12", alabama_employment=...)
    assert a.outcome == REVIEW and _codes(a, "find_out") == ["exact_day", "find_alabama_hire"]


# 5. The minimum age is checked on the hire date; with none known, on today, and someone under it
#    is told the day they reach it (never "when hired" about a date we do not have).
@pytest.mark.parametrize(
    "born,changes,met,at,reaches",
    [
        ("2007-12-03", {}, False, "today", "2026-12-03"),  # the tester's case: 19 tomorrow
        ("2008-03", {}, False, "today", "2027-03"),
        ("2007-12", {}, None, "today", None),  # the month straddles today
        ("2007-12-02", {}, True, "today", None),  # 19 today
        (
            "2008-03-02",
            {"alabama_employment": "offer", "planned_hire_date": "2027-03-01"},
            False,
            "planned",
            "2027-03-02",
        ),
        ("2008-03-01", {"alabama_employment": "offer", "planned_hire_date": "2027-03-01"}, True, "planned", None),
        ("2006-06-01", {"alabama_employment": "full_time", "alabama_hire_date": "2025-01-15"}, False, "hired", None),
    ],
)
def test_age_is_measured_on_a_day_the_result_names(
    born: str, changes: dict[str, Any], met: bool | None, at: str, reaches: str | None
) -> None:
    a = run(
        FED,
        service_start="2025-01-10",
        service_end=None,
        le_duties_last_4_years=...,
        meets_minimum_age=NOT_SURE,
        birth_date=born,
        **changes,
    )
    f = finding(a, "age")
    assert (f.met, f.params["at"]) == (met, at)
    assert (str(f.params["reaches"]) if f.params["reaches"] else None) == reaches
    text = result_text(a)
    if at == "today":
        assert "when hired" not in assessment_json(a)["findings"][-1]["text"]
    if reaches:
        assert any(fix.code == "age_from" for fix in f.fixes)
    if born == "2007-12-03":
        assert "You are under 19 today" in text and "December 3, 2026" in text


# 6. The hire-date question states the break deadline honestly: with the end of service known
#    only to the month, the day it passes the limit is a range, and the prompt says so.
@pytest.mark.parametrize(
    "end,today,says,never",
    [
        (
            "2024-12",
            "2026-12-02",
            "passes 2 years between December 2, 2026 and January 1, 2027, depending on the day "
            "you left in December 2024: that day decides whether a hire before January 1, 2027 is in time",
            "on December 2, 2026: the hire has to come before then",
        ),  # the tester's case
        (
            "2025-01",
            "2026-12-02",
            "between January 2, 2027 and February 1, 2027, depending on the day you left in "
            "January 2025: a hire before January 2, 2027 is in time whatever the day",
            "passes 2 years on",
        ),
        ("2025-01-15", "2026-12-02", "passes 2 years on January 16, 2027: the hire has to come before then", "between"),
    ],
)
def test_the_hire_date_question_states_the_deadline_honestly(end: str, today: str, says: str, never: str) -> None:
    from datetime import date

    from bot.presenter import prompt_text
    from dialogs.interview import ask, question

    stored = {"background": "federal", "service_end": end, "alabama_employment": "none"}
    reply = ask(question("planned_hire_date"), stored, date.fromisoformat(today))
    text = prompt_text(reply.question, stored, reply.params["context"])
    assert says in text and never not in text


def test_the_eligible_deadline_with_a_month_end_is_the_earliest() -> None:
    a = run(FED, service_end="2025-06")
    assert a.outcome == OK
    assert "passes 2 years on June 2, 2027 at the earliest (you gave only the month you left)" in result_text(a)


# 7. A needs-review result names each unknown it hinges on, in the words of its pathway.
@pytest.mark.parametrize(
    "base,changes,expected,missing",
    [
        (
            FED,
            {"service_start": NOT_SURE, "basic_course_hours": NOT_SURE, "highest_degree": "none"},
            {"find_hours", "give_dates"},
            ("service_start",),
        ),  # the tester's case
        (
            MP,
            {"service_start": ..., "basic_course_hours": NOT_SURE, "highest_degree": "none"},
            {"find_hours", "give_dates"},
            ("service_start",),
        ),
        (
            FED,
            {"service_start": NOT_SURE, "service_end": NOT_SURE, "highest_degree": "none"},
            {"give_dates", "give_separation"},
            ("service_start",),
        ),
        (OOS, {"certified_on": NOT_SURE}, {"give_dates"}, ("certified_on",)),
        (OOS, {"certified_on": ..., "service_start": NOT_SURE}, {"give_dates"}, ("certified_on", "service_start")),
    ],
)
def test_missing_dates_are_named_for_the_pathway(
    base: dict[str, Any], changes: dict[str, Any], expected: set[str], missing: tuple[str, ...]
) -> None:
    a = run(base, **changes)
    assert a.outcome == REVIEW
    assert expected <= set(_codes(a, "find_out"))
    assert fix_params(a, "give_dates")["missing"] == missing
    words = " ".join(assessment_json(a)["what_would_change"])
    assert ("certification" in words) is ("certified_on" in missing)


@pytest.mark.parametrize(
    "experience_start,degree,hours",
    [
        (NOT_SURE, "none", None),  # no band of hours reaches 10 alone: still named
        ("2020-06-29", "none", 640),  # 6 + 0: 640 hours or more reach 10
        ("2020-06-29", NOT_SURE, 640),  # 6 + 0..3 + hours: 640 or more reach 10 whatever the degree
        (NOT_SURE, NOT_SURE, None),
    ],
)
def test_unknown_hours_are_always_named_when_the_points_are_open(
    experience_start: object, degree: object, hours: int | None
) -> None:
    a = run(
        FED,
        service_start=experience_start,
        basic_course_hours=NOT_SURE,
        highest_degree=degree,
        degree_accredited=...,
        degree_by_correspondence=...,
    )
    assert a.outcome == REVIEW
    assert fix_params(a, "find_hours")["hours"] == hours


# 8. "What would change it" and "what comes next" agree: no "run this screening again" beside
#    "nothing under this rule"; a GED (or degree) says the break deadline it races.
@pytest.mark.parametrize(
    "base,changes,again",
    [
        (FED, {"basic_course_graduate": False, "highest_degree": "none", "high_school_diploma_or_ged": False}, False),
        ({"background": "none", "as_of": DEC2}, {"highest_degree": "none", "high_school_diploma_or_ged": False}, False),
        (FED, {"felony_conviction": True, "highest_degree": "none", "high_school_diploma_or_ged": False}, False),
        (FED, {"service_end": "2024-06-30", "highest_degree": "none", "high_school_diploma_or_ged": False}, False),
        (FED, {"highest_degree": "none", "high_school_diploma_or_ged": False}, True),
    ],
)
def test_next_steps_never_promise_a_rerun_that_cannot_help(
    base: dict[str, Any], changes: dict[str, Any], again: bool
) -> None:
    a = run(base, **changes)
    assert a.outcome == NO
    steps = " ".join(assessment_json(a)["next_steps"])
    assert ("run this screening again" in steps) is again
    assert again is not a.no_remedy


@pytest.mark.parametrize(
    "changes,before",
    [
        ({}, "2027-07-01"),  # the break passes 2 years then
        ({"alabama_employment": "offer", "planned_hire_date": "2027-03-01"}, "2027-07-01"),
        ({"service_end": None}, None),  # still serving: no break clock
        ({"alabama_employment": "full_time"}, None),  # hired: the break has ended
    ],
)
def test_a_remedy_that_takes_time_names_the_break_deadline(changes: dict[str, Any], before: str | None) -> None:
    a = run(FED, highest_degree="none", high_school_diploma_or_ged=False, **changes)
    got = fix_params(a, "ged").get("before")
    assert (got.isoformat() if got else None) == before
    if before:
        assert "July 1, 2027" in " ".join(assessment_json(a)["what_would_change"])


# 9. The exact-day fix names the dates given only as a month that can decide, and an unknown
#    end of service is asked as such.
@pytest.mark.parametrize(
    "base,changes,codes,fields",
    [
        (
            FED,
            {"service_end": NOT_SURE, "basic_course_hours": 480, "highest_degree": "none"},
            ["give_separation"],
            None,
        ),
        (
            FED,
            {"service_start": "2020-06", "service_end": "2025-06-15", "highest_degree": "none"},
            ["exact_day"],
            ("service_start",),
        ),
        (
            FED,
            {"service_start": "2020-06-15", "service_end": "2025-06", "highest_degree": "none"},
            ["exact_day"],
            ("service_end",),
        ),
        (
            FED,
            {"service_start": "2020-06", "service_end": "2025-06", "highest_degree": "none"},
            ["exact_day"],
            ("service_start", "service_end"),
        ),
        (
            FED,
            {
                "service_start": "2019-01",
                "service_end": "2025-06",
                "basic_course_hours": 480,
                "highest_degree": "associate",
                "service_gap_days": NOT_SURE,
            },
            ["find_gaps"],
            None,
        ),  # only the gaps can decide
        (
            OOS,
            {
                "certified_on": "2020-01",
                "service_start": "2019-06-01",
                "service_end": "2021-01-15",
                "as_of": "2022-01-01",
            },
            ["exact_day"],
            ("certified_on",),
        ),
        (
            OOS,
            {
                "certified_on": "2020-01-15",
                "service_start": "2020-01-15",
                "service_end": "2021-01",
                "as_of": "2022-01-01",
            },
            ["exact_day"],
            ("service_end",),
        ),
        (FED, {"service_end": "2024-12"}, ["exact_day"], ("service_end",)),  # the break, with a month end
    ],
)
def test_the_exact_day_fix_names_what_decides(
    base: dict[str, Any], changes: dict[str, Any], codes: list[str], fields: tuple[str, ...] | None
) -> None:
    a = run(base, **changes)
    assert a.outcome == REVIEW
    assert _codes(a, "find_out") == codes
    if fields:
        assert fix_params(a, "exact_day")["fields"] == fields
    words = " ".join(assessment_json(a)["what_would_change"])
    assert "exact day for the day" not in words and "service start and end dates" not in words


# 10. Contradictions are pointed out (interpretation 12): no career date before a plausible age.
@pytest.mark.parametrize(
    "born,dates,field,code",
    [
        ("2008-03", {"service_start": "2012-01-10"}, "service_start", "too_young"),  # the tester's case: age 3
        ("2000-01-01", {"service_start": "2015-12-31"}, "service_start", "too_young"),
        ("2000-01-01", {"service_start": "2016-01-01"}, None, None),  # the 16th birthday itself
        ("2000-01", {"service_start": "2016-01"}, None, None),  # the months may meet
        ("2000-01-01", {"certified_on": "2010-05-01", "service_start": "2020-01-01"}, "certified_on", "too_young"),
        ("2000-01-01", {"basic_course_completed_on": "2012-06-01"}, "basic_course_completed_on", "too_young"),
        ("2000-01-01", {"service_start": ..., "service_end": "2014-06-30"}, "service_end", "too_young"),
        (
            "2000-01-01",
            {"alabama_employment": "full_time", "alabama_hire_date": "2015-01-01"},
            "alabama_hire_date",
            "too_young",
        ),
        ("2013-01-01", {"service_start": "2012-01-10"}, "service_start", "before"),  # before birth says so first
    ],
)
def test_career_dates_before_a_plausible_age_are_contradictions(
    born: str, dates: dict[str, Any], field: str | None, code: str | None
) -> None:
    from dialogs.answers import MIN_CAREER_AGE, AnswerError

    changes = {
        "service_start": "2018-01-10",
        "service_end": "2025-06-30",
        **dates,
        "birth_date": born,
        "meets_minimum_age": NOT_SURE,
        "le_duties_last_4_years": True,
    }
    if field is None:
        run(FED, **changes)
        return
    with pytest.raises(AnswerError) as err:
        run(FED, **changes)
    assert (err.value.field, err.value.code, err.value.other) == (field, code, "birth_date")
    if code == "too_young":
        assert err.value.params == {"age": MIN_CAREER_AGE} and MIN_CAREER_AGE == 16


def test_the_chat_points_out_an_impossible_birth_date_and_asks_again() -> None:
    from datetime import date

    from bot.presenter import present
    from dialogs.interview import Flow, Text, step

    today = date(2026, 12, 2)
    stored = {
        "background": "federal",
        "basic_course_graduate": True,
        "basic_course_hours": 640,
        "service_start": "2012-01-10",
        "service_end": "2025-06-30",
        "service_gap_days": 0,
        "le_duties_last_4_years": True,
        "highest_degree": "none",
        "high_school_diploma_or_ged": True,
        "grandfathered_or_exempted": False,
        "felony_conviction": False,
        "expunged_record": False,
        "us_citizen": True,
        "meets_minimum_age": NOT_SURE,
    }
    flow = Flow(stored, welcomed=True)
    result = step(flow, Text("March 2008"), today)
    reply = result.replies[0]
    assert reply.kind == "reask" and reply.question is not None and reply.question.id == "birth_date"
    assert not result.set_answers
    text = present(reply, stored)
    assert "you would have been under 16 on the day you started full-time service" in text
    assert step(flow, Text("March 1985"), today).set_answers == {"birth_date": "1985-03"}
