"""The engine, as a specification: each table row is one boundary or condition of the rule."""

from __future__ import annotations

from datetime import date
from types import EllipsisType

import pytest

from bot.presenter import result_text
from dialogs.assessment import LIKELY_ELIGIBLE as OK
from dialogs.assessment import LIKELY_INELIGIBLE as NO
from dialogs.assessment import NEEDS_REVIEW as REVIEW
from tests.helpers import FEDERAL_BASE, OUT_OF_STATE_BASE, finding, fix_params, fixes, points_of, run

# --- (7) experience bands, to the day, on calendar anniversaries ---------------------
EXPERIENCE = [
    ("2010-01-01", "2010-12-31", 0),  # one day short of a year
    ("2010-01-01", "2011-01-01", 5),  # exactly 1 year
    ("2010-01-01", "2015-01-01", 5),  # exactly 5 years: upper bound inclusive
    ("2010-01-01", "2015-01-02", 6),  # 5 years and 1 day
    ("2010-01-01", "2020-01-01", 6),
    ("2010-01-01", "2020-01-02", 7),
    ("2005-01-01", "2020-01-01", 7),
    ("2005-01-01", "2020-01-02", 8),
    ("2000-01-01", "2020-01-01", 8),
    ("2000-01-01", "2020-01-02", 9),
    ("2016-02-29", "2017-02-27", 0),  # leap day start: anniversary is 28 February
    ("2016-02-29", "2017-02-28", 5),
    ("2016-02-29", "2021-02-28", 5),
    ("2016-02-29", "2021-03-01", 6),
    ("2015-03-01", "2016-02-29", 0),  # a year crossing a leap day is still a calendar year
    ("2015-03-01", "2016-03-01", 5),
]


@pytest.mark.parametrize("start,end,points", EXPERIENCE)
def test_experience_band_boundaries(start: str, end: str, points: int) -> None:
    a = run(
        FEDERAL_BASE,
        service_start=start,
        service_end=end,
        as_of="2020-02-01" if end < "2020-02" else "2026-11-22",
        le_duties_last_4_years=True,
        basic_course_completed_on=...,
    )
    assert a.points is not None and a.points.experience.value == points


def test_experience_counts_only_after_the_basic_course() -> None:
    a = run(FEDERAL_BASE, service_start="2010-01-01", basic_course_completed_on="2010-06-01", service_end="2015-05-31")
    assert points_of(a).experience.value == 5  # 2010-06-01 .. 2015-05-31 is under 5 years 1 day


HOURS = [
    (0, 0),
    (279, 0),
    (280, 1),
    (319, 1),
    (320, 2),
    (479, 2),
    (480, 3),
    (639, 3),
    (640, 4),
    (800, 4),
    (801, 5),
    (959, 5),
    (960, 6),
    (2000, 6),
]


@pytest.mark.parametrize("hours,points", HOURS)
def test_training_hour_bands(hours: int, points: int) -> None:
    assert points_of(run(FEDERAL_BASE, basic_course_hours=hours)).training.value == points


DEGREES = [
    ("none", True, False, 0),
    ("associate", True, False, 1),
    ("bachelor", True, False, 2),
    ("master", True, False, 3),
    ("doctorate", True, False, 3),
    ("bachelor", False, False, 0),  # unaccredited
    ("master", True, True, 0),  # by correspondence
]


@pytest.mark.parametrize("degree,accredited,correspondence,points", DEGREES)
def test_education_points(degree: str, accredited: bool, correspondence: bool, points: int) -> None:
    a = run(FEDERAL_BASE, highest_degree=degree, degree_accredited=accredited, degree_by_correspondence=correspondence)
    assert points_of(a).education.value == points


# --- (7) the pass mark ------------------------------------------------------------------
@pytest.mark.parametrize(
    "hours,degree,outcome,total",
    [
        (480, "associate", OK, 10),  # 6 + 3 + 1
        (479, "associate", NO, 9),  # 6 + 2 + 1
        (320, "bachelor", OK, 10),
        (319, "bachelor", NO, 9),
    ],
)
def test_ten_points_pass(hours: int, degree: str, outcome: str, total: int) -> None:
    a = run(
        FEDERAL_BASE,
        service_start="2015-01-01",
        service_end="2021-06-30",
        basic_course_hours=hours,
        highest_degree=degree,
        as_of="2023-01-01",
    )
    assert (a.outcome, points_of(a).total.value) == (outcome, total)
    assert a.pathway == "federal"


def test_a_shortfall_names_the_smallest_change() -> None:
    a = run(
        FEDERAL_BASE,
        service_start="2015-01-01",
        service_end="2021-06-30",
        basic_course_hours=479,
        highest_degree="associate",
        as_of="2023-01-01",
    )
    # separated June 30, 2021: the degree has to come before the break passes 2 years (July 1, 2023)
    assert fix_params(a, "degree") == {
        "degree": "bachelor",
        "gain": 1,
        "lack": 1,
        "has_unaccredited": False,
        "before": date(2023, 7, 1),
    }


def test_still_serving_shortfall_gives_the_day_points_are_reached() -> None:
    a = run(
        FEDERAL_BASE,
        service_start="2021-11-22",
        service_end=None,
        basic_course_hours=480,
        highest_degree="none",
        as_of="2026-11-22",
    )
    # 5 years exactly: 5 + 3 + 0 = 8; 5y1d gives 6 (9), still short; the degree route is named
    assert a.outcome == NO
    assert ("degree", "remedy") in fixes(a)


# --- (7)(a)-(b) four years of duties, two-year break after separation ---------------
@pytest.mark.parametrize(
    "end,as_of,met",
    [
        ("2024-03-01", "2026-03-01", True),  # exactly 2 years passes
        ("2024-03-01", "2026-03-02", False),  # a day over
        ("2024-02-29", "2026-02-28", True),  # leap day: anniversary on 28 February
        ("2024-02-29", "2026-03-01", False),
    ],
)
def test_break_after_separation(end: str, as_of: str, met: bool) -> None:
    a = run(FEDERAL_BASE, service_end=end, as_of=as_of)
    assert finding(a, "break_after_separation", "(7)(b)").met is met
    assert a.outcome == (OK if met else NO)


def test_planned_hire_date_measures_the_break() -> None:
    a = run(FEDERAL_BASE, service_end="2024-03-01", as_of="2025-01-01", planned_hire_date="2026-03-02")
    assert a.outcome == NO
    a = run(FEDERAL_BASE, service_end="2024-03-01", as_of="2025-01-01", planned_hire_date="2026-03-01")
    assert a.outcome == OK


def test_eligible_result_names_the_break_deadline() -> None:
    a = run(FEDERAL_BASE, service_end="2025-03-01")
    assert a.outcome == OK
    assert fix_params(a, "deadline_break")["passes_on"].isoformat() == "2027-03-02"


@pytest.mark.parametrize("pathway", ["federal", "military_police"])
@pytest.mark.parametrize("duties,outcome", [(True, OK), (False, NO)])
def test_four_years_of_duties(pathway: str, duties: bool, outcome: str) -> None:
    a = run(FEDERAL_BASE, background=pathway, le_duties_last_4_years=duties, security_police_primary_code=False)
    assert a.outcome == outcome


@pytest.mark.parametrize(
    "start,end,outcome",
    [
        ("2021-06-30", "2025-06-30", OK),  # exactly 4 years of service before separation
        ("2021-07-01", "2025-06-30", NO),  # a day short
    ],
)
def test_four_years_derived_from_dates_when_not_answered(start: str, end: str, outcome: str) -> None:
    a = run(
        FEDERAL_BASE,
        le_duties_last_4_years=...,
        service_start=start,
        service_end=end,
        basic_course_hours=960,
        highest_degree="master",
    )
    assert a.outcome == outcome


@pytest.mark.parametrize("pathway,para", [("federal", "(7)(b)"), ("military_police", "(7)(a)")])
def test_formal_basic_course_required(pathway: str, para: str) -> None:
    a = run(FEDERAL_BASE, background=pathway, basic_course_graduate=False, security_police_primary_code=False)
    assert a.outcome == NO and finding(a, "pp_graduate", para).met is False


# --- (5)(a) out-of-state certification ---------------------------------------------------
@pytest.mark.parametrize(
    "start,certified,end,met",
    [
        ("2020-01-01", "2020-01-01", "2021-01-01", False),  # exactly one year is not "more than"
        ("2020-01-01", "2020-01-01", "2021-01-02", True),  # a day over
        ("2019-01-01", "2020-01-01", "2021-01-01", False),  # employment before certification does not count
        ("2019-01-01", "2020-01-01", "2021-01-02", True),
        ("2020-02-29", "2020-02-29", "2021-02-28", False),  # leap day: anniversary 28 February
        ("2020-02-29", "2020-02-29", "2021-03-01", True),
    ],
)
def test_more_than_one_year_following_certification(start: str, certified: str, end: str, met: bool) -> None:
    a = run(OUT_OF_STATE_BASE, service_start=start, certified_on=certified, service_end=end, as_of="2022-01-01")
    assert finding(a, "oos_one_year", "(5)(a)").met is met
    assert a.outcome == (OK if met else NO)
    assert a.pathway == "out_of_state" and a.points is None


@pytest.mark.parametrize(
    "end,as_of,outcome",
    [
        ("2023-05-10", "2025-05-10", OK),
        ("2023-05-10", "2025-05-11", NO),
    ],
)
def test_out_of_state_break_in_service(end: str, as_of: str, outcome: str) -> None:
    assert run(OUT_OF_STATE_BASE, service_end=end, as_of=as_of).outcome == outcome


@pytest.mark.parametrize(
    "status,outcome",
    [
        ("valid", OK),
        ("lapsed", REVIEW),
        ("suspended", NO),
        ("revoked", NO),
        (..., REVIEW),
    ],
)
def test_certification_status(status: str | EllipsisType, outcome: str) -> None:
    assert run(OUT_OF_STATE_BASE, certification_status=status).outcome == outcome


def test_part_time_service_fails_5a() -> None:
    assert run(OUT_OF_STATE_BASE, service_full_time=False).outcome == NO


def test_alabama_is_not_another_state() -> None:
    assert run(OUT_OF_STATE_BASE, certifying_state="AL").outcome == NO


def test_still_serving_under_a_year_says_when_it_is_reached() -> None:
    a = run(OUT_OF_STATE_BASE, certified_on="2026-03-01", service_start="2026-03-01")
    assert a.outcome == NO
    assert fix_params(a, "wait_until")["on"].isoformat() == "2027-03-02"


# --- (8) exclusions and chapter 650-X-2 standards --------------------------------------
@pytest.mark.parametrize(
    "field,value,outcome",
    [
        ("grandfathered_or_exempted", True, NO),  # (8)(b)
        ("felony_conviction", True, NO),  # 650-X-2-.05
        ("expunged_record", True, REVIEW),  # review committee
        ("us_citizen", False, REVIEW),  # check with the agency
        ("grandfathered_or_exempted", ..., OK),  # disqualifiers not answered are assumed absent
        ("felony_conviction", ..., OK),
    ],
)
def test_exclusions_and_standards(field: str, value: object, outcome: str) -> None:
    assert run(FEDERAL_BASE, **{field: value}).outcome == outcome
    assert run(OUT_OF_STATE_BASE, **{field: value}).outcome == outcome


def test_security_police_code_excludes() -> None:  # (8)(d)
    a = run(FEDERAL_BASE, background="military_police", security_police_primary_code=True)
    assert a.outcome == NO and finding(a, "security_police", "(8)(d)").met is False


def test_suspended_certification_excludes_a_federal_applicant_too() -> None:  # (8)(c)
    assert run(FEDERAL_BASE, certification_status="revoked").outcome == NO


@pytest.mark.parametrize(
    "hs,degree,accredited,met",
    [
        (True, "none", ..., True),
        (False, "associate", True, True),
        (False, "none", ..., False),
        (..., "none", ..., None),
        (False, "bachelor", False, False),
    ],
)
def test_education_standard(hs: object, degree: str, accredited: object, met: object) -> None:
    a = run(
        FEDERAL_BASE,
        high_school_diploma_or_ged=hs,
        highest_degree=degree,
        degree_accredited=accredited,
        basic_course_hours=960,
        service_start="2000-01-01",
    )
    assert finding(a, "education_standard", "650-X-2-.03").met is met
    assert a.outcome == (NO if met is False else OK)


def test_under_minimum_age_is_checked_with_the_agency() -> None:
    assert (
        run(OUT_OF_STATE_BASE, birth_date="2008-01-01", service_start="2025-01-01", certified_on="2025-01-01").outcome
        == REVIEW
    )


def test_no_prior_training_means_the_basic_academy() -> None:
    a = run({"background": "none", "as_of": "2026-11-22"})
    assert (a.outcome, a.pathway, a.points) == (NO, None, None)
    assert {c.id for c in a.checklist} >= {"application_forms", "bat_certificate"}
    assert "prior_training_records" not in {c.id for c in a.checklist}


# --- partial answers: decided when the unknown cannot change the outcome ----------------
def test_unknown_hours_decided_when_points_suffice_anyway() -> None:
    a = run(FEDERAL_BASE, service_start="2000-01-01", basic_course_hours=..., highest_degree="master")
    assert a.outcome == OK and points_of(a).training.value is None and points_of(a).total.lo >= 12


def test_unknown_hours_needs_review_and_says_what_to_find_out() -> None:
    a = run(
        FEDERAL_BASE,
        service_start="2015-01-01",
        service_end="2021-06-30",
        as_of="2023-01-01",
        basic_course_hours=...,
        highest_degree="bachelor",
    )
    assert a.outcome == REVIEW
    assert fix_params(a, "find_hours")["hours"] == 320


def test_unknown_hours_that_cannot_reach_ten_is_decided() -> None:
    a = run(
        FEDERAL_BASE,
        service_start="2020-01-01",
        service_end="2020-06-30",
        as_of="2021-01-01",
        basic_course_hours=...,
        highest_degree="none",
        le_duties_last_4_years=True,
    )
    assert a.outcome == NO  # 0 + at most 6 + 0


def test_unknown_accreditation_is_named() -> None:
    a = run(
        FEDERAL_BASE,
        service_start="2015-01-01",
        service_end="2021-06-30",
        as_of="2023-01-01",
        basic_course_hours=320,
        highest_degree="bachelor",
        degree_accredited=...,
    )
    assert a.outcome == REVIEW
    assert ("find_accreditation", "find_out") in fixes(a)


def test_month_only_date_that_decides_says_so() -> None:
    a = run(
        OUT_OF_STATE_BASE,
        certified_on="2020-01-15",
        service_start="2020-01-15",
        service_end="2021-01",
        as_of="2022-01-01",
    )
    assert a.outcome == REVIEW
    assert ("exact_day", "find_out") in fixes(a)


def test_month_only_date_that_does_not_matter_is_decided() -> None:
    a = run(OUT_OF_STATE_BASE, certified_on="2015-01", service_start="2015-01", service_end=None)
    assert a.outcome == OK


def test_unknown_background_with_a_state_certificate_is_out_of_state() -> None:
    a = run(OUT_OF_STATE_BASE, background=...)
    assert (a.outcome, a.pathway) == (OK, "out_of_state")


def test_summed_gaps_near_a_boundary_are_approximate() -> None:
    a = run(FEDERAL_BASE, service_start="2010-01-01", service_end="2015-01-05", service_gap_days=3)
    assert points_of(a).experience.value == 6
    assert finding(a, "pp_points", "(7)").params["approx"] is True


def test_long_gaps_may_be_a_break() -> None:
    a = run(OUT_OF_STATE_BASE, service_start="2010-01-01", certified_on="2010-01-01", service_gap_days=800)
    assert a.outcome == REVIEW


# --- the checklist --------------------------------------------------------------------
@pytest.mark.parametrize(
    "base,changes,present,absent",
    [
        (
            OUT_OF_STATE_BASE,
            {},
            {
                "application_forms",
                "prior_training_records",
                "academy_curriculum",
                "out_of_state_certification",
                "service_record",
                "cpr_proof",
                "bat_certificate",
            },
            {"degree_transcript", "reserve_cleo_letter", "workers_comp"},
        ),
        (
            FEDERAL_BASE,
            {},
            {"degree_transcript", "service_record", "cpr_proof"},
            {"bat_certificate", "out_of_state_certification"},
        ),
        (FEDERAL_BASE, {"alabama_employment": "reserve"}, {"reserve_cleo_letter", "workers_comp"}, set()),
        (FEDERAL_BASE, {"break": True}, {"application_forms", "physical_exam"}, {"cpr_proof", "service_record"}),
        (FEDERAL_BASE, {"degree_accredited": False}, {"degree_transcript", "bat_certificate"}, set()),
    ],
)
def test_checklist_follows_the_answers(base: dict, changes: dict, present: set, absent: set) -> None:
    if changes.pop("break", False):  # likely not eligible: only what any new officer's agency files
        changes = {"service_end": "2020-01-01"}
    ids = {c.id for c in run(base, **changes).checklist}
    assert present <= ids and not (absent & ids)


def test_every_result_cites_and_says_preliminary() -> None:
    for base in (FEDERAL_BASE, OUT_OF_STATE_BASE):
        a = run(base)
        assert all(f.rule.startswith("650-X-") for f in a.findings)
        assert all(c.rule for c in a.checklist)
        assert a.rules_version and a.as_of.isoformat() == "2026-11-22"
        text = result_text(a)
        assert "preliminary estimate" in text and "Commission decides" in text
