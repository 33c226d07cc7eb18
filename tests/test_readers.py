"""What applicants type, read as a careful recruiter would: each row is a phrasing and the
value it must give (answer-file form) or ASK when it must be asked again (optionally with
the reason). The tables are the specification of dialogs/reading."""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dialogs.interview as interview
import dialogs.reading as reading
from bot.presenter import reask_text
from bot.render import macros
from dialogs.answers import FIELD_NAMES, NOT_SURE, NOT_SURE_JSON, DateValue, read_value, spec, to_json
from dialogs.questions import QUESTIONS
from dialogs.reading import Parsed, Reading, Reask, read_answer, read_contact
from dialogs.reading.states import AMBIGUOUS_CODES, STATE_NAMES
from dialogs.reading.text import MAX_INPUT, clean
from dialogs.reading.yes_no import TOPICS

TODAY = date(2026, 12, 2)
ASK = "ASK"
NS = NOT_SURE_JSON


def read(field: str, text: str, stored: dict[str, Any] | None = None) -> Reading:
    return read_answer(field, text, TODAY, stored or {})


def check(field: str, text: str, expected: object) -> None:
    result = read(field, text)
    if isinstance(expected, str) and expected.startswith(ASK):
        assert isinstance(result, Reask), f"{text!r} should be asked again, got {result}"
        if ":" in expected:
            assert result.code == expected.split(":", 1)[1], f"{text!r}: {result.code}"
        return
    assert isinstance(result, Parsed), f"{text!r} should give {expected!r}, got {result}"
    assert to_json(result.value) == expected, f"{text!r}: {to_json(result.value)!r} != {expected!r}"


# --- yes / no -----------------------------------------------------------------------------
YES_NO = [
    # plain and slang
    ("basic_course_graduate", "yes", True),
    ("basic_course_graduate", "Yes.", True),
    ("basic_course_graduate", "YES!!", True),
    ("basic_course_graduate", "y", True),
    ("basic_course_graduate", "yeah", True),
    ("basic_course_graduate", "yep", True),
    ("basic_course_graduate", "yup 👍", True),
    ("basic_course_graduate", "sure did", True),
    ("basic_course_graduate", "I did", True),
    ("basic_course_graduate", "yes sir", True),
    ("basic_course_graduate", "yessss", True),
    ("basic_course_graduate", "Sí", True),
    ("basic_course_graduate", "absolutely", True),
    ("basic_course_graduate", "of course", True),
    ("basic_course_graduate", "graduated in 2012", True),
    ("basic_course_graduate", "yes, FLETC 2009", True),
    ("basic_course_graduate", "no", False),
    ("basic_course_graduate", "No.", False),
    ("basic_course_graduate", "nope", False),
    ("basic_course_graduate", "nah", False),
    ("basic_course_graduate", "n", False),
    ("basic_course_graduate", "I didn't", False),
    ("basic_course_graduate", "no I did not", False),
    ("basic_course_graduate", "👎", False),
    ("basic_course_graduate", "never", False),
    ("basic_course_graduate", "dropped out", False),
    ("basic_course_graduate", "nooo", False),
    # typos, emoji, extra words
    ("degree_accredited", "yse", ASK),
    ("degree_accredited", "yes it is", True),
    ("degree_accredited", "regionally accredited", True),
    ("degree_accredited", "SACS", True),
    ("degree_accredited", "nationally accredited", "ASK:accredited_national"),
    ("degree_accredited", "no, only nationally", False),
    ("degree_accredited", "not accredited", False),
    # hedges and things that are not answers
    ("degree_accredited", "I think so", "ASK:yes_no_hedge"),
    ("degree_accredited", "probably", ASK),
    ("degree_accredited", "pretty sure yes", ASK),
    ("degree_accredited", "maybe", ASK),
    ("degree_accredited", "yes and no", ASK),
    ("degree_accredited", "yes but it was online", ASK),
    ("degree_accredited", "ok", ASK),
    ("degree_accredited", "what is SACS?", "ASK:asked_question"),
    ("degree_accredited", "yes?", "ASK:question_mark"),
    ("degree_accredited", "I believe it is", ASK),
    ("degree_accredited", "not sure", NS),
    ("degree_accredited", "idk", NS),
    ("degree_accredited", "?", NS),
    ("degree_accredited", "don't remember", NS),
    ("degree_accredited", "no idea honestly", NS),
    ("degree_accredited", "not sure, maybe yes", "ASK:not_sure_and_more"),
    ("degree_accredited", "", "ASK:empty"),
    ("degree_accredited", "   ", "ASK:empty"),
    # corrections inside one message
    ("degree_accredited", "yes, no wait, no", False),
    ("degree_accredited", "no sorry I mean yes", True),
    # the felony question: only an unmistakable yes, and what people say instead
    ("felony_conviction", "no", False),
    ("felony_conviction", "never", False),
    ("felony_conviction", "nope, clean record", False),
    ("felony_conviction", "no felonies", False),
    ("felony_conviction", "yes", True),
    ("felony_conviction", "yes, in 2010", True),
    ("felony_conviction", "had a DUI", "ASK:felony_misdemeanor"),
    ("felony_conviction", "It was a misdemeanor", "ASK:felony_misdemeanor"),
    ("felony_conviction", "a dwi back in 2015", "ASK:felony_misdemeanor"),
    ("felony_conviction", "speeding tickets only", "ASK:felony_misdemeanor"),
    ("felony_conviction", "yes a DUI", "ASK:felony_misdemeanor"),
    ("felony_conviction", "no, just a DUI", False),
    ("felony_conviction", "no, only a misdemeanor", False),
    ("felony_conviction", "I was arrested once", "ASK:felony_arrest"),
    ("felony_conviction", "charges were dismissed", "ASK:felony_arrest"),
    ("felony_conviction", "no, charges were dropped", False),
    ("felony_conviction", "it got expunged", "ASK:felony_expunged"),
    ("felony_conviction", "pardoned", "ASK:felony_pardon"),
    ("felony_conviction", "sure", "ASK:yes_no_confirm"),
    ("felony_conviction", "👍", "ASK:yes_no_confirm"),
    ("felony_conviction", "I was", True),
    ("felony_conviction", "I have", True),
    ("felony_conviction", "not that I know of", ASK),
    ("felony_conviction", "as a juvenile", ASK),
    # Security Police: codes of other specialties are explained, not taken for a yes
    ("security_police_primary_code", "I was 31B", "ASK:security_police_mp"),
    ("security_police_primary_code", "31B", "ASK:security_police_mp"),
    ("security_police_primary_code", "MP", "ASK:security_police_mp"),
    ("security_police_primary_code", "5811", "ASK:security_police_mp"),
    ("security_police_primary_code", "master at arms", "ASK:security_police_mp"),
    ("security_police_primary_code", "no, I was 31B", False),
    ("security_police_primary_code", "no I was an MP", False),
    ("security_police_primary_code", "3P0X1", "ASK:security_police_sf"),
    ("security_police_primary_code", "security forces", "ASK:security_police_sf"),
    ("security_police_primary_code", "yes, security forces", True),
    ("security_police_primary_code", "yes I was 31B", ASK),
    ("security_police_primary_code", "negative", False),
    ("security_police_primary_code", "affirmative", True),
    # grandfathered, expunged, correspondence
    ("grandfathered_or_exempted", "no, I went through the academy", False),
    ("grandfathered_or_exempted", "I completed the academy", False),
    ("grandfathered_or_exempted", "I got a waiver", "ASK:grandfathered_waiver"),
    ("grandfathered_or_exempted", "yes", True),
    ("grandfathered_or_exempted", "yeah i guess", ASK),
    ("expunged_record", "no", False),
    ("expunged_record", "a sealed record", "ASK:expunged_sealed"),
    ("expunged_record", "just a DUI that was expunged", "ASK:expunged_minor"),
    ("degree_by_correspondence", "online", "ASK:correspondence_online"),
    ("degree_by_correspondence", "no, online", False),
    ("degree_by_correspondence", "by mail", True),
    ("degree_by_correspondence", "in person on campus", False),
    # full-time in the certifying state (one question, two conditions)
    ("service_full_time", "full time", True),
    ("service_full_time", "yes full-time", True),
    ("service_full_time", "part time", False),
    ("service_full_time", "reserve", False),
    ("service_full_time", "full time but in another state", ASK),
    ("service_full_time", "no, it was in another state", False),
    # four years of duties
    ("le_duties_last_4_years", "yes", True),
    ("le_duties_last_4_years", "only 3 years", False),
    ("le_duties_last_4_years", "6 years", "ASK:duties_years"),
    ("le_duties_last_4_years", "yes, 6 years", True),
    ("le_duties_last_4_years", "I was a patrol officer", "ASK:duties_roles"),
    # diploma, citizenship, age
    ("high_school_diploma_or_ged", "GED", True),
    ("high_school_diploma_or_ged", "yes, a diploma", True),
    ("high_school_diploma_or_ged", "dropped out", False),
    ("us_citizen", "yes", True),
    ("us_citizen", "naturalized citizen", True),
    ("us_citizen", "born here", True),
    ("us_citizen", "green card", False),
    ("us_citizen", "I'm a permanent resident", False),
    ("us_citizen", "no, green card holder", False),
    ("us_citizen", "American Samoa national", ASK),
    ("meets_minimum_age", "yes", True),
    ("meets_minimum_age", "34", True),
    ("meets_minimum_age", "I'm 45 years old", True),
    ("meets_minimum_age", "17", "ASK:age_under"),
    ("meets_minimum_age", "250", "ASK:age_implausible"),
    ("meets_minimum_age", "no", False),
]


@pytest.mark.parametrize("field,text,expected", YES_NO)
def test_yes_no(field: str, text: str, expected: object) -> None:
    check(field, text, expected)


# --- choices ------------------------------------------------------------------------------
CHOICES = [
    ("background", "1", "out_of_state"),
    ("background", "2", "federal"),
    ("background", "#3", "military_police"),
    ("background", "option 4", "none"),
    ("background", "the second one", "federal"),
    ("background", "three", "military_police"),
    ("background", "the fourth", "none"),
    ("background", "⓶", "federal"),
    ("background", "❸", "military_police"),
    ("background", "➏", "ASK:choice_number"),
    ("background", "፫", "military_police"),
    ("background", "٢", "federal"),
    ("background", "0", ASK),
    ("background", "5", ASK),
    ("background", "FBI", "federal"),
    ("background", "I was with the DEA", "federal"),
    ("background", "border patrol", "federal"),
    ("background", "U.S. Marshals", "federal"),
    ("background", "Georgia POST", "out_of_state"),
    ("background", "Florida sheriff's office", "out_of_state"),
    ("background", "state trooper in Texas", "out_of_state"),
    ("background", "another state", "out_of_state"),
    ("background", "army MP", "military_police"),
    ("background", "Marine Corps MP", "military_police"),
    ("background", "miltary police", "military_police"),
    ("background", "military", "military_police"),
    ("background", "none of these", "none"),
    ("background", "civilian", "none"),
    ("background", "state and federal", "ASK:choice_several"),
    ("background", "not federal", ASK),
    ("background", "Alabama", "ASK:background_alabama"),
    ("background", "corrections officer", "ASK:background_other_role"),
    ("background", "Canada", "ASK:background_foreign"),
    ("background", "probably federal", ASK),
    ("background", "hello", ASK),
    ("background", "not sure", NS),
    ("certification_status", "valid", "valid"),
    ("certification_status", "Active", "valid"),
    ("certification_status", "in good standing", "valid"),
    ("certification_status", "current", "valid"),
    ("certification_status", "1", "valid"),
    ("certification_status", "lapsed", "lapsed"),
    ("certification_status", "inactive", "lapsed"),
    ("certification_status", "expired", "lapsed"),
    ("certification_status", "it expired in 2020", "lapsed"),
    ("certification_status", "suspended", "suspended"),
    ("certification_status", "revoked", "revoked"),
    ("certification_status", "decertified", "revoked"),
    ("certification_status", "valid until 2020", "ASK:status_expired_then"),
    ("certification_status", "active through 2028", "valid"),
    ("certification_status", "was valid", "ASK:status_past"),
    ("certification_status", "it used to be active", ASK),
    ("certification_status", "not revoked", ASK),
    ("certification_status", "invalid", ASK),
    ("certification_status", "valid but inactive", ASK),
    ("certification_status", "pending reinstatement", ASK),
    ("highest_degree", "none", "none"),
    ("highest_degree", "no degree", "none"),
    ("highest_degree", "GED", "none"),
    ("highest_degree", "high school diploma", "none"),
    ("highest_degree", "1", "none"),
    ("highest_degree", "associates", "associate"),
    ("highest_degree", "AAS", "associate"),
    ("highest_degree", "assoicate", "associate"),
    ("highest_degree", "2 year degree", "associate"),
    ("highest_degree", "bachelors", "bachelor"),
    ("highest_degree", "BS in criminal justice", "bachelor"),
    ("highest_degree", "B.A.", "bachelor"),
    ("highest_degree", "bachlors", "bachelor"),
    ("highest_degree", "master's", "master"),
    ("highest_degree", "MBA", "master"),
    ("highest_degree", "PhD", "doctorate"),
    ("highest_degree", "JD", "doctorate"),
    ("highest_degree", "bachelors and masters", "master"),
    ("highest_degree", "some college", "ASK:degree_incomplete"),
    ("highest_degree", "associates degree in progress", "ASK:degree_incomplete"),
    ("highest_degree", "working on my bachelors", "ASK:degree_incomplete"),
    ("highest_degree", "60 credits", "ASK:degree_incomplete"),
    ("highest_degree", "college degree", ASK),
    ("highest_degree", "a certificate", "ASK:degree_certificate"),
    ("highest_degree", "graduate degree", ASK),
    ("alabama_employment", "full time", "full_time"),
    ("alabama_employment", "part-time", "part_time"),
    ("alabama_employment", "reserve", "reserve"),
    ("alabama_employment", "I have a conditional offer", "offer"),
    ("alabama_employment", "got an offer from Mobile PD", "offer"),
    ("alabama_employment", "not yet", "none"),
    ("alabama_employment", "still looking", "none"),
    ("alabama_employment", "5", "none"),
    ("alabama_employment", "applied, waiting to hear", "none"),
    ("alabama_employment", "full time elsewhere", "ASK:employment_not_alabama"),
    ("alabama_employment", "full time in Georgia", "ASK:employment_not_alabama"),
    ("alabama_employment", "full time at my current department back home", ASK),
    ("alabama_employment", "I work for Mobile PD", "ASK:employment_which"),
    ("alabama_employment", "full time with an Alabama agency", "full_time"),
]


@pytest.mark.parametrize("field,text,expected", CHOICES)
def test_choices(field: str, text: str, expected: object) -> None:
    check(field, text, expected)


# --- dates ---------------------------------------------------------------------------------
DATES = [
    ("certified_on", "2015-06-01", "2015-06-01"),
    ("certified_on", "06/01/2015", "2015-06-01"),
    ("certified_on", "6/1/15", "2015-06-01"),
    ("certified_on", "6-1-2015", "2015-06-01"),
    ("certified_on", "June 2015", "2015-06"),
    ("certified_on", "jun 2015", "2015-06"),
    ("certified_on", "Juen 2015", "2015-06"),
    ("certified_on", "June 1, 2015", "2015-06-01"),
    ("certified_on", "June 1st 2015", "2015-06-01"),
    ("certified_on", "1 June 2015", "2015-06-01"),
    ("certified_on", "the 1st of June, 2015", "2015-06-01"),
    ("certified_on", "2015 June", "2015-06"),
    ("certified_on", "June of 2015", "2015-06"),
    ("certified_on", "around June 2015", "2015-06"),
    ("certified_on", "June '15", "2015-06"),
    ("certified_on", "06/2015", "2015-06"),
    ("certified_on", "Sept. 2011", "2011-09"),
    ("certified_on", "Febuary 3 2016", "2016-02-03"),
    ("certified_on", "June 1, 15", "2015-06-01"),
    ("certified_on", "２０１５年", ASK),
    ("certified_on", "15 june 5", "ASK:date_ambiguous"),
    ("certified_on", "2015", "ASK:date_need_month"),
    ("certified_on", "June", "ASK:date_need_year"),
    ("certified_on", "3 years ago", "ASK:date_relative"),
    ("certified_on", "last year", "ASK:date_relative"),
    ("certified_on", "early 2015", "ASK:date_vague"),
    ("certified_on", "summer 2015", "ASK:date_vague"),
    ("certified_on", "2015-2018", "ASK:date_range"),
    ("certified_on", "June 2015 to May 2018", ASK),
    ("certified_on", "02/30/2015", "ASK:date_impossible"),
    ("certified_on", "13/06/2015", "ASK:date_impossible"),
    ("certified_on", "2099-01-01", "ASK:date_future"),
    ("certified_on", "January 2027", "ASK:date_future"),
    ("certified_on", "June 1950", "ASK:date_too_early"),
    ("certified_on", "I think June 2015", "ASK:hedge"),
    ("certified_on", "June 2015, no wait, July 2015", "2015-07"),
    ("certified_on", "next tuesday", ASK),
    ("certified_on", "not sure", NS),
    ("certified_on", "🚓", ASK),
    ("service_end", "still serving", None),
    ("service_end", "present", None),
    ("service_end", "currently employed", None),
    ("service_end", "I still work there", None),
    ("service_end", "I haven't left", None),
    ("service_end", "n/a still working", None),
    ("service_end", "June 2015 - present", None),
    ("service_end", "June 2020", "2020-06"),
    ("service_end", "retired in June 2020", "2020-06"),
    ("service_end", "left 6/30/2025", "2025-06-30"),
    ("service_end", "no longer serving", "ASK:date_left_no_date"),
    ("service_end", "today", "2026-12-02"),
    ("service_end", "6/30/2025", "2025-06-30"),
    ("service_end", "2025-06-30", "2025-06-30"),
    ("service_end", "June 30, 2025", "2025-06-30"),
    ("service_end", "Jun 2025", "2025-06"),
    ("service_end", "separated June 2025", "2025-06"),
    ("service_end", "my last day was 6/30/25", "2025-06-30"),
    ("service_end", "ETS'd in 2024", "ASK:date_need_month"),
    ("service_end", "ongoing", None),
    ("service_end", "still active duty", None),
    ("service_end", "to date", None),
    ("service_end", "not retired yet", None),
    ("service_end", "I quit", "ASK:date_left_no_date"),
    ("service_end", "resigned last year", ASK),
    ("service_end", "2030", "ASK:date_future"),
    ("service_end", "not sure", NS),
    ("service_end", "still serving? no, June 2024", ASK),
    ("service_end", "probably June 2024", "ASK:hedge"),
    ("planned_hire_date", "March 2027", "2027-03"),
    ("planned_hire_date", "03/15/2027", "2027-03-15"),
    ("planned_hire_date", "tomorrow", "2026-12-03"),
    ("planned_hire_date", "today", "2026-12-02"),
    ("planned_hire_date", "next month", "2027-01"),
    ("planned_hire_date", "January", "2027-01"),
    ("planned_hire_date", "Dec 15", "2026-12-15"),
    ("planned_hire_date", "in 10 days", "2026-12-12"),
    ("planned_hire_date", "next week", "ASK:date_relative"),
    ("planned_hire_date", "soon", ASK),
    ("planned_hire_date", "June 2020", "ASK:date_past"),
    ("planned_hire_date", "2035-01-01", "ASK:date_too_late"),
    ("planned_hire_date", "not sure", NS),
    ("planned_hire_date", "asap", ASK),
    ("planned_hire_date", "Feb 1 2027", "2027-02-01"),
    ("planned_hire_date", "2027-02-01", "2027-02-01"),
    ("planned_hire_date", "02/2027", "2027-02"),
    ("planned_hire_date", "this friday", "2026-12-04"),
    ("planned_hire_date", "Friday", "2026-12-04"),
    ("planned_hire_date", "next Friday", ASK),
    ("planned_hire_date", "in two weeks", "ASK:date_relative"),
    ("planned_hire_date", "mid January", ASK),
    ("planned_hire_date", "spring 2027", "ASK:date_vague"),
    ("planned_hire_date", "2027", "ASK:date_need_month"),
    ("planned_hire_date", "they said March 2027", "2027-03"),
    ("planned_hire_date", "I start March 1st", "2027-03-01"),
    ("birth_date", "March 1990", "1990-03"),
    ("birth_date", "3/4/1988", "1988-03-04"),
    ("birth_date", "1890-01-01", ASK),
    ("birth_date", "2015-01-01", "ASK:date_too_late"),
    # the day an Alabama agency hired someone already working there: a past date like the others
    ("alabama_hire_date", "March 2025", "2025-03"),
    ("alabama_hire_date", "01/15/2025", "2025-01-15"),
    ("alabama_hire_date", "Jan 15th 2025", "2025-01-15"),
    ("alabama_hire_date", "today", "2026-12-02"),
    ("alabama_hire_date", "not sure", NS),
    ("alabama_hire_date", "I think March 2025", "ASK:hedge"),
    ("alabama_hire_date", "2025", "ASK:date_need_month"),
    ("alabama_hire_date", "next month", ASK),
    ("alabama_hire_date", "March 2027", "ASK:date_future"),
    ("alabama_hire_date", "last year", "ASK:date_relative"),
]


@pytest.mark.parametrize("field,text,expected", DATES)
def test_dates(field: str, text: str, expected: object) -> None:
    check(field, text, expected)


# --- hours ---------------------------------------------------------------------------------
HOURS = [
    ("480", 480),
    ("480 hours", 480),
    ("480 hrs", 480),
    ("480hrs", 480),
    ("480h", 480),
    ("1,040", 1040),
    ("1040 hours", 1040),
    ("six hundred forty", 640),
    ("six hundred and forty hours", 640),
    ("480.5", 480),
    ("a 480-hour course", 480),
    ("It was 640 hours", 640),
    ("640 hours total", 640),
    ("about 560 hours", 560),
    ("16 weeks of 40 hours", 640),
    ("16 wks x 40 hrs", 640),
    ("40 hours a week for 16 weeks", 640),
    ("40hrs/week for 12 weeks", 480),
    ("12 weeks at 40 hours per week", 480),
    ("２８０", 280),
    ("400+", "ASK:hours_bound"),
    ("more than 400", "ASK:hours_bound"),
    ("at least 480", ASK),
    ("400-500", "ASK:hours_range"),
    ("400 to 500", ASK),
    ("between 400 and 500", ASK),
    ("400 or 500", ASK),
    ("about 480", "ASK:hours_near_band"),
    ("~640", ASK),
    ("1.5", "ASK:hours_confirm_small"),
    ("12", "ASK:hours_confirm_small"),
    ("12 hours", 12),
    ("12 weeks", "ASK:hours_not_weeks"),
    ("6 months", "ASK:hours_not_weeks"),
    ("10k", ASK),
    ("-40", ASK),
    ("99999", "ASK:hours_out_of_range"),
    ("480 hours and 120 hours of field training", "ASK:hours_several"),
    ("<script>alert(1)</script>", ASK),
    ("I think 480", "ASK:hedge"),
    ("not sure", NS),
    ("🚓🚓🚓", ASK),
    ("x" * 100_000, ASK),
    ("480, no wait, 520", 520),
    ("FLETC", ASK),
]


@pytest.mark.parametrize("text,expected", HOURS)
def test_hours(text: str, expected: object) -> None:
    check("basic_course_hours", text, expected)


# --- gaps in service ---------------------------------------------------------------------------
GAPS = [
    ("none", 0),
    ("no gaps", 0),
    ("0", 0),
    ("zero", 0),
    ("nope", 0),
    ("n/a", 0),
    ("never had a gap", 0),
    ("continuous", 0),
    ("no breaks in service", 0),
    ("45 days", 45),
    ("3 weeks", 21),
    ("3 months", 90),
    ("3 mos", 90),
    ("3mo", 90),
    ("a year", 365),
    ("1 year", 365),
    ("one year", 365),
    ("1.5 years", 548),
    ("a year and a half", 548),
    ("six and a half months", 195),
    ("2 years 3 months", 820),
    ("2 yrs and 3 months", 820),
    ("3 months and 4 months", 210),
    ("about 3 months", 90),
    ("3 months of unemployment", 90),
    ("3 months, no wait 4 months", 120),
    ("٣ months", 90),
    ("3 months ago", "ASK:duration_when"),
    ("since 2019", ASK),
    ("a gap in 2019", ASK),
    ("10k days", ASK),
    ("3-4 months", "ASK:duration_range"),
    ("3 or 4 months", ASK),
    ("more than 3 months", "ASK:duration_bound"),
    ("a few months", "ASK:duration_vague"),
    ("several weeks", ASK),
    ("3", "ASK:duration_need_unit"),
    ("3 months 4 months", "ASK:duration_several"),
    ("70 years", "ASK:duration_out_of_range"),
    ("I think 3 months", "ASK:hedge"),
    ("not sure", NS),
    ("🤷", ASK),
    ("2 gaps of 3 months each", ASK),
]


@pytest.mark.parametrize("text,expected", GAPS)
def test_gaps(text: str, expected: object) -> None:
    check("service_gap_days", text, expected)


# --- states ----------------------------------------------------------------------------------
STATES = [
    ("GA", "GA"),
    ("ga", "GA"),
    ("G.A.", "GA"),
    ("Georgia", "GA"),
    ("georgia", "GA"),
    ("Gerogia", "GA"),
    ("Georgia POST", "GA"),
    ("I was certified in Georgia", "GA"),
    ("the state of Texas", "TX"),
    ("Texs", "TX"),
    ("Tennesee", "TN"),
    ("Missisippi", "MS"),
    ("N. Carolina", "NC"),
    ("North Carolina", "NC"),
    ("west virginia", "WV"),
    ("Virginia", "VA"),
    ("Washington DC", "DC"),
    ("Cali", "CA"),
    ("Fla.", "FL"),
    ("Okla.", "OK"),
    ("Oklahoma", "OK"),
    ("PA", "PA"),
    ("Puerto Rico", "PR"),
    ("jersey", "NJ"),
    ("NY", "NY"),
    ("Alabama", "AL"),
    ("ok", "ASK:state_ambiguous"),
    ("OK", "ASK:state_ambiguous"),
    ("hi", "ASK:state_ambiguous"),
    ("in", "ASK:state_ambiguous"),
    ("me", "ASK:state_ambiguous"),
    ("or", "ASK:state_ambiguous"),
    ("oh", "ASK:state_ambiguous"),
    ("Virgin", "ASK:state_which"),
    ("Carolina", "ASK:state_which"),
    ("Dakota", ASK),
    ("Georgia and Florida", "ASK:state_several"),
    ("federal", "ASK:state_federal"),
    ("Mexico", "ASK:state_not_us"),
    ("Ontario", ASK),
    ("hello", ASK),
    ("not sure", NS),
    ("", "ASK:empty"),
    ("I think Georgia", "ASK:hedge"),
]


@pytest.mark.parametrize("text,expected", STATES)
def test_states(text: str, expected: object) -> None:
    check("certifying_state", text, expected)


# --- contact details ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,expected",
    [
        ("205-555-0100", "+12055550100"),
        ("(205) 555-0100", "+12055550100"),
        ("+1 205 555 0100", "+12055550100"),
        ("+44 20 7946 0958", "+442079460958"),
        ("Name@Example.com", "name@example.com"),
        ("555-0100", None),
        ("call me", None),
        ("a@b", None),
        ("", None),
    ],
)
def test_contact(text: str, expected: object) -> None:
    result = read_contact(text)
    if expected is None:
        assert isinstance(result, Reask)
    else:
        assert isinstance(result, Parsed) and result.value == expected


def test_every_kind_has_at_least_25_phrasings() -> None:
    counts: dict[str, int] = {}
    for table in (YES_NO, CHOICES, DATES):
        for field, _text, _expected in table:
            counts[spec(field).kind] = counts.get(spec(field).kind, 0) + 1
    counts["hours"], counts["duration"], counts["state"] = len(HOURS), len(GAPS), len(STATES)
    assert all(n >= 25 for n in counts.values()), counts
    assert {q.kind for q in QUESTIONS} <= set(counts) | {"end_date", "future_date"}


# --- any text at all -------------------------------------------------------------------------
ASKED = [q.id for q in QUESTIONS]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(ASKED), text=st.text(max_size=300))
def test_no_reader_raises_and_every_value_fits_the_answer_file(field: str, text: str) -> None:
    result = read(field, text)
    assert isinstance(result, (Parsed, Reask))
    if isinstance(result, Parsed):
        read_value(field, to_json(result.value))  # raises if not a valid answer-file value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(ASKED),
    text=st.text(alphabet=st.characters(categories=("Nd", "No", "Nl", "So", "Zs", "Cf", "Mn")), max_size=40),
)
def test_digits_and_symbols_of_any_script_never_raise(field: str, text: str) -> None:
    assert isinstance(read(field, text), (Parsed, Reask))


def test_all_fields_are_declared_once() -> None:
    assert len(FIELD_NAMES) == len(set(FIELD_NAMES))


# --- more of what people type (kept from the first reader's tables) ------------------------------
MORE_DATES = [
    "2015/06/01",
    "2015-6-1",
    "6/1/2015",
    "06.01.2015",
    "june, 2015",
    "JUNE 2015",
    "jun. 2015",
    "6/2015",
    "Jun 1 2015",
    "1st June 2015",
    "1st of June 2015",
    "  June 2015.  ",
    "(June 2015)",
    "approx. June 2015",
    "approximately 2015-06-01",
    "~June 2015",
    "June 2015 or so",
    "sometime in June 2015",
    "<b>June 2015</b>",
    "June\u200b 2015",
    "２０１５-０６-０１",
    "Sept 3rd 2019",
    "sep 3 2019",
    "September 30, 2019",
    "Janury 2015",
    "Febuary 29, 2016",
    "Decmeber 2019",
    "Novmber 2019",
    "Agust 2019",
    "Septmber 2019",
]


@pytest.mark.parametrize("text", MORE_DATES)
def test_more_dates_are_read(text: str) -> None:
    assert isinstance(read("service_start", text), Parsed), text


@pytest.mark.parametrize(
    "text",
    [
        "in 2015",
        "June 15",
        "June 15th",
        "Feb 30 2015",
        "February 29, 2015",
        "2015-13-01",
        "13/2015",
        "0/1/2015",
        "6/0/2015",
        "June 32, 2015",
        "2027-06-16",
        "1899-12-31",
        "1800",
        "0000-01-01",
        "blah",
        "yes",
        "still serving",
        "now",
        "6/15",
        "before June 2015",
        "not June 2015",
        "June July 2015",
        "2015 2016",
        "123",
        "1/2/3/4",
        "June 123 2015",
        "...",
        "😀",
    ],
)
def test_more_dates_are_asked_again(text: str) -> None:
    assert isinstance(read("service_start", text), Reask), text


@pytest.mark.parametrize(
    "text",
    [
        "still there",
        "Still serving.",
        "still employed",
        "current",
        "currently",
        "Present",
        "now",
        "I still work there",
        "n/a - still serving",
        "N/A – still serving",
        "still employed there",
        "to present",
        "I'm still serving",
        "still serving since June 2015",
        "Still there (since 2019)",
    ],
)
def test_more_still_serving(text: str) -> None:
    assert read("service_end", text) == Parsed("still_serving"), text


@pytest.mark.parametrize(
    "text",
    [
        "not currently",
        "no longer serving",
        "not currently serving",
        "I left",
        "never",
        "left last year, not there now",
        "I was there until now or so",
    ],
)
def test_more_not_still_serving(text: str) -> None:
    assert isinstance(read("service_end", text), Reask), text


@pytest.mark.parametrize(
    "text,expected",
    [
        (t, True)
        for t in [
            "yes",
            "Yes",
            "YES",
            "y",
            "Y",
            "yeah",
            "yep",
            "yup",
            "sure",
            "correct",
            "true",
            "True",
            "affirmative",
            "👍",
            "👍🏽",
            "✅",
            "✔️",
            "yes.",
            "Yes!",
            "yes!!",
            "yesss",
            "yes I did",
            "Yes, I did",
            "yes sir",
            "I did",
            "I have",
            "of course",
            "absolutely",
            "<b>yes</b>",
        ]
    ]
    + [
        (t, False)
        for t in [
            "no",
            "No",
            "NO",
            "n",
            "N",
            "nope",
            "nah",
            "false",
            "negative",
            "never",
            "👎",
            "❌",
            "no.",
            "No!",
            "no, never",
            "No I did not",
            "no I didn't",
            "Never.",
            "noo",
            "I have not",
            "I did not",
            "nope, never",
        ]
    ]
    + [
        (t, ASK)
        for t in [
            "yes and no",
            "maybe",
            "Maybe.",
            "perhaps",
            "probably",
            "sometimes",
            "kind of",
            "yes no",
            "👍👎",
            "hello",
            "ok",
            "42",
            "yes, but it was expunged",
            "yes, not convicted",
            "not really",
            "a very long answer that goes on and on about many things and says yes somewhere",
        ]
    ],
)
def test_more_yes_no(text: str, expected: object) -> None:
    check("basic_course_graduate", text, expected)


@pytest.mark.parametrize(
    "field,text,expected",
    [
        ("background", "2.", "federal"),
        ("background", "2)", "federal"),
        ("background", "Option #3", "military_police"),
        ("background", "two", "federal"),
        ("background", "out_of_state", "out_of_state"),
        ("background", "military_police", "military_police"),
        ("background", "Federal law enforcement", "federal"),
        ("background", "FEDERAL LAW ENFORCEMENT!", "federal"),
        ("background", "F.B.I.", "federal"),
        ("background", "I was in the border patrol", "federal"),
        ("background", "Militray police", "military_police"),
        ("background", "militery", "military_police"),
        ("background", "milit", "military_police"),
        ("background", "I was a deputy sheriff in Georgia", "out_of_state"),
        ("background", "no", "ASK:background_no"),
        ("background", "option 9", ASK),
        ("background", "police", ASK),
        ("background", "zzz", ASK),
        ("background", "federal or military", ASK),
        ("alabama_employment", "fulltime", "full_time"),
        ("alabama_employment", "part time officer", "part_time"),
        ("alabama_employment", "reserves", "reserve"),
        ("alabama_employment", "Reserv", "reserve"),
        ("alabama_employment", "volunter", "reserve"),
        ("alabama_employment", "conditional", "offer"),
        ("alabama_employment", "I have an offer", "offer"),
        ("alabama_employment", "time", ASK),
        ("alabama_employment", "officer", ASK),
        ("alabama_employment", "not yet employed", "none"),
        ("alabama_employment", "full time or part time", ASK),
        ("highest_degree", "Bachelor's", "bachelor"),
        ("highest_degree", "4 year degree", "bachelor"),
        ("highest_degree", "masters degree", "master"),
        ("highest_degree", "Docotrate", "doctorate"),
        ("highest_degree", "a 2 year degree", "associate"),
        ("highest_degree", "assoc", "associate"),
        ("highest_degree", "degree", ASK),
        ("certification_status", "suspnded", "suspended"),
        ("certification_status", "revokd", "revoked"),
        ("certification_status", "not valid", ASK),
    ],
)
def test_more_choices(field: str, text: str, expected: object) -> None:
    check(field, text, expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("480 h", 480),
        ("480 Hours.", 480),
        ("around 600 hours", 600),
        ("1.040 hours", 1040),
        ("480.9 hrs", 480),
        ("0 hours", 0),
        ("5000", 5000),
        ("480 hours over 12 weeks", 480),
        ("1040 hours (26 weeks)", 1040),
        ("<i>480</i>", 480),
        ("12 wks", ASK),
        ("twelve weeks", ASK),
        ("1 year", ASK),
        ("-480 hours", ASK),
        ("5001", ASK),
        ("480000 hours", ASK),
        ("9" * 150, ASK),
        ("abc", ASK),
        ("room 101", ASK),
        ("400 to 500 hours", ASK),
        ("over 480", ASK),
        ("1,04", ASK),
    ],
)
def test_more_hours(text: str, expected: object) -> None:
    check("basic_course_hours", text, expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("None.", 0),
        ("no", 0),
        ("never", 0),
        ("0 days", 0),
        ("1 day", 1),
        ("18 months", 540),
        ("7 years 3 months", 7 * 365 + 90),
        ("7 years and 3 months", 7 * 365 + 90),
        ("7 years, 3 months", 7 * 365 + 90),
        ("about 8 yrs", 8 * 365),
        ("2y 3m", 2 * 365 + 90),
        ("7y3m", 7 * 365 + 90),
        ("6 months", 180),
        ("six months", 180),
        ("half a year", 183),
        ("2 months 2 weeks", 74),
        ("3 months or so", 90),
        ("2 months between jobs", 60),
        ("45", ASK),
        ("61 years", ASK),
        ("9" * 150 + " days", ASK),
        ("blah", ASK),
        ("2-3 months", ASK),
        ("2 to 3 months", ASK),
        ("between 2 and 3 months", ASK),
        ("no gaps except 3 months", ASK),
        ("months", ASK),
        ("-3 months", ASK),
        ("3 months twice", ASK),
        ("7 years 3", ASK),
    ],
)
def test_more_gaps(text: str, expected: object) -> None:
    check("service_gap_days", text, expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("GA.", "GA"),
        ("georgia.", "GA"),
        ("new york", "NY"),
        ("New York State", "NY"),
        ("S Dakota", "SD"),
        ("Washington, D.C.", "DC"),
        ("D.C.", "DC"),
        ("District of Columbia", "DC"),
        ("Washington", "WA"),
        ("washington state", "WA"),
        ("Pensylvania", "PA"),
        ("Massachusets", "MA"),
        ("virgina", "VA"),
        ("Kansas", "KS"),
        ("Arkansas", "AR"),
        ("Guam", "GU"),
        ("U.S. Virgin Islands", "VI"),
        ("Tenn.", "TN"),
        ("Calif", "CA"),
        ("state of Georgia", "GA"),
        ("tx", "TX"),
        ("Narnia", ASK),
        ("USA", ASK),
        ("XX", ASK),
        ("123", ASK),
        ("Florida, then Georgia", "ASK:state_several"),
    ],
)
def test_more_states(text: str, expected: object) -> None:
    check("certifying_state", text, expected)


@pytest.mark.parametrize("code", sorted(STATE_NAMES))
def test_every_state_code_and_name(code: str) -> None:
    name = STATE_NAMES[code]
    if code.lower() in AMBIGUOUS_CODES:
        assert isinstance(read("certifying_state", code), Reask)
    else:
        assert read("certifying_state", code) == Parsed(code)
        assert read("certifying_state", code.lower()) == Parsed(code)
    assert read("certifying_state", name) == Parsed(code)


@pytest.mark.parametrize("field", ASKED)
@pytest.mark.parametrize(
    "text",
    [
        "not sure",
        "Not sure.",
        "unsure",
        "don't know",
        "Don’t know",
        "dont know",
        "idk",
        "IDK",
        "?",
        "??",
        "no idea",
        "not certain",
        "I'm not sure",
        "i dont know",
        "dunno",
        "I have no idea",
        "no clue",
    ],
)
def test_not_sure_everywhere(field: str, text: str) -> None:
    assert read(field, text) == Parsed(NOT_SURE)


@pytest.mark.parametrize("field", ASKED)
@pytest.mark.parametrize("text", ["", " ", "\n\t  \r\n", "\u200b", "\x00\x01"])
def test_empty_everywhere(field: str, text: str) -> None:
    result = read(field, text)
    assert isinstance(result, Reask) and result.code == "empty"
    assert "didn't get an answer" in reask_text(result)


@pytest.mark.parametrize("field", ASKED)
def test_huge_input_is_cut_and_read(field: str) -> None:
    for text in ("9" * 1_000_000, "June 2015 " * 100_000, "a" * 1_000_000, " " * 1_000_000 + "yes", "<b>" * 300_000):
        assert isinstance(read(field, text), (Parsed, Reask))


def test_input_is_cleaned_and_cut_to_200_characters() -> None:
    assert len(clean("x" * 1_000_000)) == MAX_INPUT
    assert clean("  a \n\t b\x00c <b>d</b> ") == "a b c d"
    assert read("basic_course_hours", "480 hours " + "." * 500 + " 12 weeks") == Parsed(480)  # the weeks are cut


def test_every_reask_code_has_a_macro_taking_its_parameters() -> None:
    source = "".join(p.read_text() for p in Path(reading.__file__).parent.glob("*.py"))
    source += Path(interview.__file__).read_text()
    codes = set(re.findall(r'Reask\(\s*"(\w+)"', source))
    codes |= {t.code for topics in TOPICS.values() for t in topics}
    module = macros("reasks.j2", False)
    assert len(codes) >= 60
    for code in codes:
        assert hasattr(module, code), code


@settings(max_examples=100, deadline=None)
@given(field=st.sampled_from(ASKED), text=st.text(max_size=60))
def test_every_reask_renders(field: str, text: str) -> None:
    result = read(field, text)
    if isinstance(result, Reask):
        sentence = reask_text(result)
        assert sentence and sentence == " ".join(sentence.split())


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2026, 12, 2)))
def test_date_round_trip(d: date) -> None:
    name = calendar.month_name[d.month]
    for text in (
        d.isoformat(),
        f"{d.month}/{d.day}/{d.year}",
        f"{name} {d.day}, {d.year}",
        f"{d.month:02d}/{d.day:02d}/{d.year}",
        f"{d.day} {name} {d.year}",
        f"{name[:3]} {d.day} {d.year}",
    ):
        assert read("service_start", text) == Parsed(DateValue.day(d)), text


@settings(max_examples=100, deadline=None)
@given(st.integers(1970, 2026), st.integers(1, 12))
def test_month_round_trip(year: int, month: int) -> None:
    if date(year, month, 1) > TODAY:
        return
    name = calendar.month_name[month]
    for text in (
        f"{name} {year}",
        f"{name[:3]} {year}",
        f"{month}/{year}",
        f"{year}-{month:02d}",
        f"{name.lower()}, {year}",
    ):
        assert read("service_start", text) == Parsed(DateValue.month(year, month)), text


@settings(max_examples=150, deadline=None)
@given(st.integers(100, 5000))
def test_hours_round_trip(n: int) -> None:
    for text in (f"{n} hrs", f"{n:,} hours", f"{n}"):
        assert read("basic_course_hours", text) == Parsed(n), text


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 59), st.integers(0, 11), st.integers(0, 29))
def test_gap_round_trip(years: int, months: int, days: int) -> None:
    assert read("service_gap_days", f"{years} years {months} months {days} days") == Parsed(
        years * 365 + months * 30 + days
    )


# --- not answers, stray letters, ages for dates, examples that fit the question -------------------
@pytest.mark.parametrize(
    "field,text,expected",
    [
        *[
            (f, t, "ASK:not_applicable")
            for f in (
                "basic_course_graduate",
                "us_citizen",
                "high_school_diploma_or_ged",
                "service_full_time",
                "degree_accredited",
            )
            for t in ("N/A", "n/a", "NA", "not applicable", "Doesn't apply", "no record")
        ],
        *[
            (f, t, False)
            for f in ("felony_conviction", "expunged_record", "grandfathered_or_exempted")
            for t in ("N/A", "n/a")
        ],
        ("felony_conviction", "no record", False),
        ("felony_conviction", "clean record", False),
        ("felony_conviction", "no, clean record", False),
        ("felony_conviction", "I have a record", "ASK:record_some"),
        ("felony_conviction", "rap sheet", "ASK:record_some"),
        ("expunged_record", "a sealed record", "ASK:expunged_sealed"),
        ("us_citizen", "y", True),
        ("us_citizen", "N.", False),
        ("us_citizen", "%s%s%n", ASK),
        ("us_citizen", "\\n", ASK),
        ("us_citizen", "-n", ASK),
        ("us_citizen", "y/n", ASK),
        ("felony_conviction", "Y", True),
        *[("background", t, "ASK:background_no") for t in ("no", "No.", "nope", "nah", "never", "n")],
        ("background", "none", "none"),
        ("background", "none of these", "none"),
        ("background", "4", "none"),
        *[("birth_date", t, "ASK:birth_date_age") for t in ("I'm 25", "25", "25 years old", "age 31", "im 40 yrs")],
        ("birth_date", "April 1990", "1990-04"),
        ("planned_hire_date", "yesterday", "ASK:date_past"),
    ],
)
def test_not_answers_and_stray_letters(field: str, text: str, expected: object) -> None:
    check(field, text, expected)


@pytest.mark.parametrize(
    "field,text",
    [
        ("planned_hire_date", "Q1 2027"),
        ("planned_hire_date", "spring"),
        ("planned_hire_date", "in 3 weeks"),
        ("planned_hire_date", ""),
        ("birth_date", "spring"),
        ("birth_date", "2030"),
        ("birth_date", ""),
    ],
)
def test_examples_fit_the_question(field: str, text: str) -> None:
    """A hire date's example lies ahead of today; a birth date's is decades back, never a career date."""
    result = read(field, text)
    assert isinstance(result, Reask)
    words = re.sub(r"\([^)]*\)", "", reask_text(result))  # "(today is ...)" is not an example
    years = [int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", words)]
    assert years, words
    if field == "planned_hire_date":
        assert all(y >= TODAY.year for y in years), words
    else:
        assert all(y <= TODAY.year - 16 for y in years), words
