"""The forgiving chat-input parsers (dialogs/parsing.py) and their re-ask sentences."""
from __future__ import annotations

import calendar
import re
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dialogs.parsing as parsing
from dialogs.answers import STILL_SERVING, US_STATES, DateValue
from dialogs.parsing import (
    parse_contact,
    NOT_SURE,
    Choice,
    Parsed,
    Reask,
    parse_choice,
    parse_date,
    parse_duration_days,
    parse_hours,
    parse_state,
    parse_whole_number,
    parse_yes_no,
    reask_text,
)
from dialogs.render import environment

TODAY = date(2025, 6, 15)


def day(y: int, m: int, d: int) -> DateValue:
    return DateValue.day(date(y, m, d))


def month(y: int, m: int) -> DateValue:
    return DateValue.month(y, m)


BACKGROUND = (
    Choice("out_of_state", "Certified by another state",
           ("state", "another state", "other state", "post", "certified", "licensed", "police department", "sheriff")),
    Choice("federal", "Federal law enforcement",
           ("federal", "fed", "fbi", "dea", "atf", "border patrol", "cbp", "ice", "usms", "marshal", "secret service")),
    Choice("military_police", "Military police",
           ("military", "mp", "army", "navy", "air force", "marines", "master at arms", "31b")),
    Choice("none", "None of these", ("none", "no", "neither", "civilian", "no training")),
)
EMPLOYMENT = (
    Choice("full_time", "Full-time officer", ("full time", "full-time", "employed", "hired")),
    Choice("part_time", "Part-time officer", ("part time", "part-time")),
    Choice("reserve", "Reserve officer", ("reserve", "reserves", "volunteer")),
    Choice("offer", "Conditional offer", ("offer", "conditional offer", "offered", "applying", "applied")),
    Choice("none", "None yet", ("none", "no", "not yet", "looking")),
)
DEGREES = (
    Choice("none", "No degree", ("no", "none", "high school", "ged", "no degree")),
    Choice("associate", "Associate degree", ("associate", "associates", "aa", "as", "aas", "2 year", "two year")),
    Choice("bachelor", "Bachelor's degree", ("bachelor", "bachelors", "ba", "bs", "bsc", "4 year", "four year", "college degree")),
    Choice("master", "Master's degree", ("master", "masters", "ma", "ms", "mba", "mpa")),
    Choice("doctorate", "Doctorate", ("doctorate", "phd", "jd", "edd", "doctor")),
)
STATUS = (
    Choice("valid", "Valid, in good standing", ("active", "good standing", "current", "good")),
    Choice("lapsed", "Lapsed or inactive", ("inactive", "expired", "lapsed")),
    Choice("suspended", "Suspended", ("suspended",)),
    Choice("revoked", "Revoked", ("revoked", "decertified")),
)

NOT_SURE_SPELLINGS = [
    "not sure", "Not sure.", "unsure", "don't know", "Don’t know", "dont know", "idk", "IDK", "?", "??",
    "no idea", "not certain", "I'm not sure", "i dont know", "dunno", "I have no idea", "no clue",
]

# every parser, called with its usual arguments: name -> f(text, **kw)
PARSERS = {
    "date": lambda t, **kw: parse_date(t, TODAY, **kw),
    "end_date": lambda t, **kw: parse_date(t, TODAY, allow_open_end=True, **kw),
    "future_date": lambda t, **kw: parse_date(t, TODAY, allow_future=True, **kw),
    "yes_no": parse_yes_no,
    "choice": lambda t, **kw: parse_choice(t, BACKGROUND, **kw),
    "choice_empty_options": lambda t, **kw: parse_choice(t, (), **kw),
    "hours": parse_hours,
    "duration": parse_duration_days,
    "state": parse_state,
    "number": parse_whole_number,
    "number_range": lambda t, **kw: parse_whole_number(t, minimum=1, maximum=10, **kw),
}


def value(result):
    assert isinstance(result, Parsed), result
    return result.value


def code(result):
    assert isinstance(result, Reask), result
    return result.code


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("text, expected", [
    ("2015-06-01", day(2015, 6, 1)),
    ("2015/06/01", day(2015, 6, 1)),
    ("2015-6-1", day(2015, 6, 1)),
    ("06/01/2015", day(2015, 6, 1)),
    ("6/1/2015", day(2015, 6, 1)),
    ("6/1/15", day(2015, 6, 1)),
    ("6/1/25", day(2025, 6, 1)),  # two-digit year up to today's: 2000s
    ("6/1/26", day(1926, 6, 1)),  # above today's: 1900s
    ("6/1/99", day(1999, 6, 1)),
    ("6/1/00", day(2000, 6, 1)),
    ("6-1-2015", day(2015, 6, 1)),
    ("06.01.2015", day(2015, 6, 1)),
    ("June 2015", month(2015, 6)),
    ("Jun 2015", month(2015, 6)),
    ("june, 2015", month(2015, 6)),
    ("JUNE 2015", month(2015, 6)),
    ("jun. 2015", month(2015, 6)),
    ("6/2015", month(2015, 6)),
    ("06/2015", month(2015, 6)),
    ("2015-06", month(2015, 6)),
    ("2015 June", month(2015, 6)),
    ("June '15", month(2015, 6)),
    ("Jun 1 2015", day(2015, 6, 1)),
    ("June 1, 2015", day(2015, 6, 1)),
    ("June 1st, 2015", day(2015, 6, 1)),
    ("1 June 2015", day(2015, 6, 1)),
    ("1st June 2015", day(2015, 6, 1)),
    ("1st of June 2015", day(2015, 6, 1)),
    ("Sept 3rd 2019", day(2019, 9, 3)),
    ("sep 3 2019", day(2019, 9, 3)),
    ("September 30, 2019", day(2019, 9, 30)),
    ("Janury 2015", month(2015, 1)),
    ("Febuary 2016", month(2016, 2)),
    ("Febuary 29, 2016", day(2016, 2, 29)),
    ("Decmeber 2019", month(2019, 12)),
    ("Novmber 2019", month(2019, 11)),
    ("Agust 2019", month(2019, 8)),
    ("Septmber 2019", month(2019, 9)),
    ("  June 2015.  ", month(2015, 6)),
    ("(June 2015)", month(2015, 6)),
    ("about June 2015", month(2015, 6)),
    ("around 6/1/15", day(2015, 6, 1)),
    ("approx. June 2015", month(2015, 6)),
    ("approximately 2015-06-01", day(2015, 6, 1)),
    ("~June 2015", month(2015, 6)),
    ("June 2015 or so", month(2015, 6)),
    ("sometime in June 2015", month(2015, 6)),
    ("<b>June 2015</b>", month(2015, 6)),
    ("June\u200b 2015", month(2015, 6)),
    ("２０１５-０６-０１", day(2015, 6, 1)),  # full-width digits
    ("June 2025", month(2025, 6)),  # this month is not in the future
    ("2025-06-15", day(2025, 6, 15)),  # today
    ("1900-01-01", day(1900, 1, 1)),
])
def test_date_accepted(text, expected):
    assert value(parse_date(text, TODAY)) == expected


def test_month_is_never_guessed_to_a_day():
    v = value(parse_date("June 2015", TODAY))
    assert not v.exact and v.earliest == date(2015, 6, 1) and v.latest == date(2015, 6, 30)


@pytest.mark.parametrize("text, expected_code", [
    ("2015", "date_need_month"),
    ("in 2015", "date_need_month"),
    ("spring 2015", "date_need_month"),
    ("June", "date_need_year"),
    ("June 15", "date_need_year"),
    ("June 15th", "date_need_year"),
    ("Feb 30 2015", "date_impossible"),
    ("2/30/2015", "date_impossible"),
    ("February 29, 2015", "date_impossible"),
    ("13/01/2015", "date_impossible"),
    ("2015-13-01", "date_impossible"),
    ("13/2015", "date_impossible"),
    ("0/1/2015", "date_impossible"),
    ("6/0/2015", "date_impossible"),
    ("June 32, 2015", "date_impossible"),
    ("June 2026", "date_future"),
    ("2025-06-16", "date_future"),
    ("July 2025", "date_future"),
    ("1899-12-31", "date_too_early"),
    ("June 1850", "date_too_early"),
    ("1800", "date_too_early"),
    ("0000-01-01", "date_too_early"),
    ("blah", "date_unreadable"),
    ("yes", "date_unreadable"),
    ("still serving", "date_unreadable"),  # only for an end date
    ("now", "date_unreadable"),
    ("6/15", "date_unreadable"),
    ("June 2015 to July 2016", "date_unreadable"),
    ("before June 2015", "date_unreadable"),
    ("not June 2015", "date_unreadable"),
    ("June July 2015", "date_unreadable"),
    ("2015 2016", "date_unreadable"),
    ("123", "date_unreadable"),
    ("1/2/3/4", "date_unreadable"),
    ("June 123 2015", "date_unreadable"),
    ("...", "date_unreadable"),
    ("😀", "date_unreadable"),
    ("", "empty"),
    ("   \n\t ", "empty"),
])
def test_date_rejected(text, expected_code):
    assert code(parse_date(text, TODAY)) == expected_code


def test_date_reasks_name_what_was_wrong():
    feb = parse_date("Feb 30 2015", TODAY)
    assert feb.params["problem"] == "day" and feb.params["max_day"] == 28
    assert "28 days" in reask_text(feb) and "February" in reask_text(feb)
    m13 = parse_date("13/01/2015", TODAY)
    assert m13.params["problem"] == "month" and "month 13" in reask_text(m13)
    assert "June 15, 2025" in reask_text(parse_date("2030-01-01", TODAY))
    assert "June 2015" in reask_text(parse_date("2015", TODAY))
    assert "still serving" in reask_text(parse_date("blah", TODAY, allow_open_end=True))
    assert "still serving" not in reask_text(parse_date("blah", TODAY))


@pytest.mark.parametrize("text", [
    "still there", "still serving", "Still serving.", "still employed", "current", "currently",
    "present", "Present", "now", "ongoing", "I still work there", "n/a - still serving",
    "N/A – still serving", "still employed there", "currently employed", "to present", "I'm still serving",
    "still serving since June 2015", "June 2015 - present", "Still there (since 2019)",
])
def test_end_date_still_serving(text):
    assert value(parse_date(text, TODAY, allow_open_end=True)) == STILL_SERVING


@pytest.mark.parametrize("text", ["not currently", "no longer serving", "not currently serving", "I left",
                                  "never", "left last year, not there now", "I was there until now or so"])
def test_end_date_not_still_serving(text):
    assert isinstance(parse_date(text, TODAY, allow_open_end=True), Reask)


def test_end_date_still_accepts_dates():
    assert value(parse_date("June 2015", TODAY, allow_open_end=True)) == month(2015, 6)


def test_allow_future():
    assert value(parse_date("June 2026", TODAY, allow_future=True)) == month(2026, 6)
    assert value(parse_date("7/1/2025", TODAY, allow_future=True)) == day(2025, 7, 1)
    assert code(parse_date("June 2026", TODAY)) == "date_future"


# --------------------------------------------------------------------------- yes / no

@pytest.mark.parametrize("text", [
    "yes", "Yes", "YES", "y", "Y", "yeah", "yep", "yup", "sure", "correct", "true", "True",
    "affirmative", "👍", "👍🏽", "✅", "✔️", "yes.", "Yes!", "yes!!", "yesss", "yes I did",
    "Yes, I did", "yes sir", "I did", "I have", "of course", "absolutely", "<b>yes</b>",
])
def test_yes(text):
    assert value(parse_yes_no(text)) is True


@pytest.mark.parametrize("text", [
    "no", "No", "NO", "n", "N", "nope", "nah", "false", "negative", "never", "👎", "❌",
    "no.", "No!", "no, never", "No I did not", "no I didn't", "Never.", "noo", "not really",
    "I have not", "I did not", "nope, never",
])
def test_no(text):
    assert value(parse_yes_no(text)) is False


@pytest.mark.parametrize("text", [
    "yes and no", "maybe", "Maybe.", "perhaps", "probably", "sometimes", "kind of", "yes no",
    "👍👎", "hello", "ok", "42", "yes, but it was expunged", "yes, not convicted",
    "a very long answer that goes on and on about many things and says yes somewhere",
])
def test_yes_no_unclear(text):
    assert code(parse_yes_no(text)) == "yes_no_unclear"


# --------------------------------------------------------------------------- choices

@pytest.mark.parametrize("options, text, expected", [
    (BACKGROUND, "1", "out_of_state"),
    (BACKGROUND, "2", "federal"),
    (BACKGROUND, "2.", "federal"),
    (BACKGROUND, "#2", "federal"),
    (BACKGROUND, "2)", "federal"),
    (BACKGROUND, "option 2", "federal"),
    (BACKGROUND, "Option #3", "military_police"),
    (BACKGROUND, "two", "federal"),
    (BACKGROUND, "the second one", "federal"),
    (BACKGROUND, "4", "none"),
    (BACKGROUND, "out_of_state", "out_of_state"),
    (BACKGROUND, "military_police", "military_police"),
    (BACKGROUND, "Federal law enforcement", "federal"),
    (BACKGROUND, "FEDERAL LAW ENFORCEMENT!", "federal"),
    (BACKGROUND, "fbi", "federal"),
    (BACKGROUND, "F.B.I.", "federal"),
    (BACKGROUND, "I was in the border patrol", "federal"),
    (BACKGROUND, "army MP", "military_police"),
    (BACKGROUND, "Militray police", "military_police"),
    (BACKGROUND, "militery", "military_police"),
    (BACKGROUND, "milit", "military_police"),
    (BACKGROUND, "I was a deputy sheriff in Georgia", "out_of_state"),
    (BACKGROUND, "none", "none"),
    (BACKGROUND, "no", "none"),
    (BACKGROUND, "civilian", "none"),
    (EMPLOYMENT, "fulltime", "full_time"),
    (EMPLOYMENT, "Full time", "full_time"),
    (EMPLOYMENT, "part-time", "part_time"),
    (EMPLOYMENT, "part time officer", "part_time"),
    (EMPLOYMENT, "reserves", "reserve"),
    (EMPLOYMENT, "Reserv", "reserve"),
    (EMPLOYMENT, "volunter", "reserve"),
    (EMPLOYMENT, "conditional", "offer"),
    (EMPLOYMENT, "I have an offer", "offer"),
    (EMPLOYMENT, "not yet", "none"),
    (DEGREES, "bachelors", "bachelor"),
    (DEGREES, "Bachelor's", "bachelor"),
    (DEGREES, "bachlors", "bachelor"),
    (DEGREES, "B.A.", "bachelor"),
    (DEGREES, "4 year degree", "bachelor"),
    (DEGREES, "masters degree", "master"),
    (DEGREES, "PhD", "doctorate"),
    (DEGREES, "Docotrate", "doctorate"),
    (DEGREES, "GED", "none"),
    (DEGREES, "a 2 year degree", "associate"),
    (DEGREES, "assoc", "associate"),
    (STATUS, "valid", "valid"),
    (STATUS, "in good standing", "valid"),
    (STATUS, "inactive", "lapsed"),
    (STATUS, "suspnded", "suspended"),
    (STATUS, "revokd", "revoked"),
])
def test_choice_accepted(options, text, expected):
    assert value(parse_choice(text, options)) == expected


@pytest.mark.parametrize("options, text", [
    (BACKGROUND, "5"),
    (BACKGROUND, "0"),
    (BACKGROUND, "option 9"),
    (BACKGROUND, "police"),  # military police or a police department?
    (BACKGROUND, "zzz"),
    (BACKGROUND, "federal or military"),
    (EMPLOYMENT, "time"),
    (EMPLOYMENT, "officer"),
    (EMPLOYMENT, "not employed"),
    (EMPLOYMENT, "not yet employed"),
    (EMPLOYMENT, "full time or part time"),
    (DEGREES, "degree"),
    (STATUS, "invalid"),
    (STATUS, "not valid"),
])
def test_choice_unclear(options, text):
    result = parse_choice(text, options)
    assert code(result) == "choice_unclear"
    assert result.params == {"options": [o.label for o in options]}
    rendered = reask_text(result)
    for i, o in enumerate(options, 1):
        assert f"{i}. {o.label}" in rendered


def test_choice_option_named_like_not_sure_wins():
    options = (Choice("yes", "Yes"), Choice("unknown", "Not sure"))
    assert value(parse_choice("not sure", options)) == "unknown"
    assert value(parse_choice("idk", options)) is NOT_SURE


def test_choice_empty_lists_options():
    result = parse_choice("  ", BACKGROUND)
    assert code(result) == "empty"
    assert "1. Certified by another state" in reask_text(result)


# --------------------------------------------------------------------------- hours

@pytest.mark.parametrize("text, expected", [
    ("480", 480), ("480 hrs", 480), ("480 hours", 480), ("480hrs", 480), ("480 h", 480),
    ("480 Hours.", 480), ("about 480", 480), ("around 480 hours", 480), ("~480", 480),
    ("1,040", 1040), ("1,040 hours", 1040), ("1.040 hours", 1040), ("480.5", 480), ("480.9 hrs", 480),
    ("0", 0), ("5000", 5000), ("480 hours over 12 weeks", 480), ("1040 hours (26 weeks)", 1040),
    ("it was 640 hours", 640), ("<i>480</i>", 480),
])
def test_hours_accepted(text, expected):
    assert value(parse_hours(text)) == expected


@pytest.mark.parametrize("text, expected_code", [
    ("12 weeks", "hours_not_weeks"), ("12 wks", "hours_not_weeks"), ("3 months", "hours_not_weeks"),
    ("twelve weeks", "hours_not_weeks"), ("1 year", "hours_not_weeks"), ("40 hours a week for 12 weeks", "hours_not_weeks"),
    ("-5", "hours_out_of_range"), ("-480 hours", "hours_out_of_range"), ("5001", "hours_out_of_range"),
    ("480000 hours", "hours_out_of_range"), ("9" * 150, "hours_out_of_range"),
    ("abc", "hours_unreadable"), ("<script>alert(1)</script>", "hours_unreadable"), ("room 101", "hours_unreadable"), ("400-500", "hours_unreadable"), ("400 to 500 hours", "hours_unreadable"),
    ("over 480", "hours_unreadable"), ("more than 480 hours", "hours_unreadable"), ("1,04", "hours_unreadable"),
    ("", "empty"),
])
def test_hours_rejected(text, expected_code):
    assert code(parse_hours(text)) == expected_code


def test_hours_not_weeks_explains():
    result = parse_hours("12 weeks")
    assert result.params == {"amount": 12, "unit": "weeks"}
    text = reask_text(result)
    assert "40 hours a week" in text and "480" in text and "records" in text


# --------------------------------------------------------------------------- durations

@pytest.mark.parametrize("text, expected", [
    ("0", 0), ("none", 0), ("None.", 0), ("no gaps", 0), ("no", 0), ("nope", 0), ("never", 0),
    ("zero", 0), ("no breaks in service", 0), ("n/a", 0), ("0 days", 0),
    ("45 days", 45), ("1 day", 1), ("3 weeks", 21), ("18 months", 540), ("7 years 3 months", 7 * 365 + 90),
    ("7 years and 3 months", 7 * 365 + 90), ("7 years, 3 months", 7 * 365 + 90), ("about 8 yrs", 8 * 365),
    ("1.5 years", 548), ("2y 3m", 2 * 365 + 90), ("7y3m", 7 * 365 + 90), ("6 months", 180), ("six months", 180),
    ("a year", 365), ("a year and a half", 548), ("half a year", 183), ("2 months 2 weeks", 74),
    ("3 months or so", 90), ("60 years", 60 * 365), ("2 months between jobs", 60),
])
def test_duration_accepted(text, expected):
    assert value(parse_duration_days(text)) == expected


@pytest.mark.parametrize("text, expected_code", [
    ("45", "duration_need_unit"), ("3", "duration_need_unit"),
    ("61 years", "duration_out_of_range"), ("100 years", "duration_out_of_range"), ("9" * 150 + " days", "duration_out_of_range"),
    ("blah", "duration_unreadable"), ("2-3 months", "duration_unreadable"), ("2 to 3 months", "duration_unreadable"),
    ("between 2 and 3 months", "duration_unreadable"), ("no gaps except 3 months", "duration_unreadable"),
    ("a few months", "duration_unreadable"), ("more than 3 months", "duration_unreadable"), ("months", "duration_unreadable"),
    ("-3 months", "duration_unreadable"), ("3 months twice", "duration_unreadable"), ("7 years 3", "duration_unreadable"),
    ("", "empty"),
])
def test_duration_rejected(text, expected_code):
    assert code(parse_duration_days(text)) == expected_code


# --------------------------------------------------------------------------- states

@pytest.mark.parametrize("text, expected", [
    ("ga", "GA"), ("GA", "GA"), ("GA.", "GA"), ("G.A.", "GA"), ("Georgia", "GA"), ("georgia.", "GA"),
    ("new york", "NY"), ("New York State", "NY"), ("N. Carolina", "NC"), ("North Carolina", "NC"),
    ("S Dakota", "SD"), ("Washington DC", "DC"), ("Washington, D.C.", "DC"), ("D.C.", "DC"),
    ("District of Columbia", "DC"), ("Washington", "WA"), ("washington state", "WA"),
    ("Gerogia", "GA"), ("Tennesee", "TN"), ("Pensylvania", "PA"), ("Massachusets", "MA"),
    ("virgina", "VA"), ("West Virginia", "WV"), ("Kansas", "KS"), ("Arkansas", "AR"),
    ("Puerto Rico", "PR"), ("Guam", "GU"), ("U.S. Virgin Islands", "VI"), ("Alabama", "AL"),
    ("Tenn.", "TN"), ("Calif", "CA"), ("state of Georgia", "GA"), ("I was certified in Georgia", "GA"),
    ("Georgia POST", "GA"), ("tx", "TX"),
])
def test_state_accepted(text, expected):
    assert value(parse_state(text)) == expected


@pytest.mark.parametrize("code_", sorted(US_STATES))
def test_every_state_code_and_name(code_):
    assert value(parse_state(code_)) == code_
    assert value(parse_state(code_.lower())) == code_
    assert value(parse_state(parsing.STATE_NAMES[code_])) == code_


@pytest.mark.parametrize("text, expected_code", [
    ("Narnia", "state_unknown"), ("USA", "state_unknown"), ("XX", "state_unknown"), ("123", "state_unknown"),
    ("Georgia and Florida", "state_several"), ("", "empty"),
])
def test_state_rejected(text, expected_code):
    assert code(parse_state(text)) == expected_code


def test_state_several_lists_them_in_order():
    result = parse_state("Florida, then Georgia")
    assert result.params == {"states": ["Florida", "Georgia"]}
    assert "Florida, Georgia" in reask_text(result)


# --------------------------------------------------------------------------- whole numbers

@pytest.mark.parametrize("text, kw, expected", [
    ("12", {}, 12), ("about 12", {}, 12), ("twelve", {}, 12), ("1,040", {}, 1040), ("0", {}, 0),
    ("10", {"minimum": 1, "maximum": 10}, 10), ("12.0", {}, 12),
])
def test_whole_number_accepted(text, kw, expected):
    assert value(parse_whole_number(text, **kw)) == expected


@pytest.mark.parametrize("text, kw, expected_code", [
    ("-3", {}, "number_out_of_range"), ("11", {"minimum": 1, "maximum": 10}, "number_out_of_range"),
    ("0", {"minimum": 1}, "number_out_of_range"), ("12.5", {}, "number_unreadable"),
    ("1 or 2", {}, "number_unreadable"), ("many", {}, "number_unreadable"), ("", {}, "empty"),
])
def test_whole_number_rejected(text, kw, expected_code):
    assert code(parse_whole_number(text, **kw)) == expected_code


# --------------------------------------------------------------------------- shared behaviour

@pytest.mark.parametrize("name", sorted(PARSERS))
@pytest.mark.parametrize("text", NOT_SURE_SPELLINGS)
def test_not_sure(name, text):
    parse = PARSERS[name]
    assert value(parse(text)) is NOT_SURE
    refused = parse(text, allow_not_sure=False)
    assert code(refused) in ("not_sure_not_allowed", "choice_unclear")
    assert reask_text(refused)


@pytest.mark.parametrize("name", sorted(PARSERS))
@pytest.mark.parametrize("text", ["", " ", "\n\t  \r\n", "\u200b", "\x00\x01"])
def test_empty(name, text):
    result = PARSERS[name](text)
    assert code(result) == "empty"
    assert "didn't get an answer" in reask_text(result)
    assert "example" in reask_text(result) or "yes or no" in reask_text(result)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_huge_input_returns_quickly(name):
    for text in ("9" * 1_000_000, "June 2015 " * 100_000, "a" * 1_000_000, " " * 1_000_000 + "yes", "<b>" * 300_000):
        start = time.perf_counter()
        result = PARSERS[name](text)
        assert time.perf_counter() - start < 0.5
        assert isinstance(result, (Parsed, Reask))


def test_input_is_cleaned_and_cut_to_200_characters():
    assert len(parsing.clean("x" * 1_000_000)) == 200
    assert parsing.clean("  a \n\t b\x00c <b>d</b> ") == "a b c d"
    assert value(parse_yes_no("yes " + "x" * 1000)) is True
    assert value(parse_hours("480 hours " + "." * 500 + " 12 weeks")) == 480  # the weeks are past the cut


def _reask_macros():
    return environment(False).get_template("reasks.j2").module


def test_every_reask_code_in_the_source_has_a_macro():
    source = Path(parsing.__file__).read_text()
    codes = set(re.findall(r'Reask\(\s*"(\w+)"', source))
    assert len(codes) >= 15
    module = _reask_macros()
    for c in codes:
        assert hasattr(module, c), c


REASK_SAMPLES = [
    parse_date("", TODAY), parse_date("", TODAY, allow_open_end=True), parse_date("idk", TODAY, allow_not_sure=False),
    parse_date("blah", TODAY), parse_date("blah", TODAY, allow_open_end=True), parse_date("2015", TODAY),
    parse_date("June", TODAY), parse_date("Feb 30 2015", TODAY), parse_date("13/1/2015", TODAY), parse_date("2030-01-01", TODAY),
    parse_date("1850-01-01", TODAY), parse_date("1850", TODAY), parse_yes_no("maybe"), parse_yes_no(""),
    parse_yes_no("?", allow_not_sure=False), parse_choice("zzz", BACKGROUND), parse_choice("", DEGREES),
    parse_choice("idk", DEGREES, allow_not_sure=False), parse_choice("x", ()), parse_hours("abc"), parse_hours("12 weeks"),
    parse_hours("1.5 months"), parse_hours("2 days"), parse_hours("one week"), parse_hours("9999"), parse_hours(""),
    parse_duration_days("blah"), parse_duration_days("45"), parse_duration_days("1.5"), parse_duration_days("99 years"),
    parse_state("Narnia"), parse_state("Georgia or Texas"), parse_state(""), parse_whole_number("x"),
    parse_whole_number("99", maximum=10), parse_whole_number("-1"), parse_whole_number("", allow_not_sure=False),
    parse_contact("call me maybe"),
]


@pytest.mark.parametrize("reask", REASK_SAMPLES, ids=lambda r: r.code)
def test_reask_params_match_macro_exactly(reask):
    assert isinstance(reask, Reask)
    macro = getattr(_reask_macros(), reask.code)
    assert set(macro.arguments) == set(reask.params), reask.code
    text = reask_text(reask)
    assert text and text == " ".join(text.split())
    assert "example" in text or "yes or no" in text or "what:" in text, text


def test_all_sample_codes_cover_the_source():
    source = Path(parsing.__file__).read_text()
    assert set(re.findall(r'Reask\(\s*"(\w+)"', source)) == {r.code for r in REASK_SAMPLES}


# --------------------------------------------------------------------------- properties

_EMOJI = st.sampled_from("👍👎✅❌😀🚔🇺🇸👮‍♀️🏽\u200d\ufe0f")
_CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1f) | st.sampled_from("\x7f\u200b\u200e\u2028\u2029\ufeff")
_HTML = st.sampled_from(["<b>", "</b>", "<i>x</i>", "<a href='x'>", "&amp;", "<script>", "<", ">", "&lt;"])
_PIECES = st.sampled_from([
    "yes", "no", "June", "2015", "06/01/2015", "/", "-", ".", ",", "hours", "weeks", "about", "not sure",
    "still", "serving", "1st", "'15", "Georgia", "GA", "1,040", "0", "480", "years", "a", "half", "#", "option",
])
MESSY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8")),
    st.lists(st.one_of(_PIECES, _EMOJI, _CONTROL, _HTML, st.text(max_size=3), st.just(" ")), max_size=30).map("".join),
    st.text(min_size=150, max_size=400),
)


def _check(result):
    assert isinstance(result, (Parsed, Reask))
    if isinstance(result, Reask):
        text = reask_text(result)
        assert isinstance(text, str) and text.strip()


_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(MESSY)
def test_any_text_date(text):
    _check(parse_date(text, TODAY))
    _check(parse_date(text, TODAY, allow_open_end=True, allow_future=True, allow_not_sure=False))


@_FAST
@given(MESSY)
def test_any_text_yes_no(text):
    _check(parse_yes_no(text))
    _check(parse_yes_no(text, allow_not_sure=False))


@_FAST
@given(MESSY)
def test_any_text_choice(text):
    for options in (BACKGROUND, EMPLOYMENT, DEGREES, ()):
        result = parse_choice(text, options)
        _check(result)
        if isinstance(result, Parsed) and result.value is not NOT_SURE:
            assert result.value in {o.value for o in options}


@_FAST
@given(MESSY)
def test_any_text_hours(text):
    result = parse_hours(text)
    _check(result)
    if isinstance(result, Parsed) and result.value is not NOT_SURE:
        assert isinstance(result.value, int) and 0 <= result.value <= 5000


@_FAST
@given(MESSY)
def test_any_text_duration(text):
    result = parse_duration_days(text)
    _check(result)
    if isinstance(result, Parsed) and result.value is not NOT_SURE:
        assert isinstance(result.value, int) and 0 <= result.value <= 60 * 365


@_FAST
@given(MESSY)
def test_any_text_state(text):
    result = parse_state(text)
    _check(result)
    if isinstance(result, Parsed) and result.value is not NOT_SURE:
        assert result.value in US_STATES


@_FAST
@given(MESSY)
def test_any_text_number(text):
    _check(parse_whole_number(text))
    _check(parse_whole_number(text, minimum=1, maximum=10, allow_not_sure=False))


@_FAST
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 6, 15)))
def test_date_round_trip(d):
    expected = DateValue.day(d)
    name = calendar.month_name[d.month]
    for text in (d.isoformat(), f"{d.month}/{d.day}/{d.year}", f"{name} {d.day}, {d.year}",
                 f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.day} {name} {d.year}", f"{name[:3]} {d.day} {d.year}"):
        assert parse_date(text, TODAY) == Parsed(expected), text


@_FAST
@given(st.integers(1950, 2025), st.integers(1, 12))
def test_month_round_trip(year, month_):
    if date(year, month_, 1) > TODAY:
        return
    expected = DateValue.month(year, month_)
    name = calendar.month_name[month_]
    for text in (f"{name} {year}", f"{name[:3]} {year}", f"{month_}/{year}", f"{year}-{month_:02d}", f"{name.lower()}, {year}"):
        assert parse_date(text, TODAY) == Parsed(expected), text


@_FAST
@given(st.integers(0, 5000))
def test_hours_round_trip(n):
    assert parse_hours(f"{n} hrs") == Parsed(n)
    assert parse_hours(f"{n}") == Parsed(n)
    assert parse_hours(f"{n:,} hours") == Parsed(n)


@_FAST
@given(st.integers(0, 59), st.integers(0, 11), st.integers(0, 29))
def test_duration_round_trip(years, months, days):
    text = f"{years} years {months} months {days} days"
    assert parse_duration_days(text) == Parsed(years * 365 + months * 30 + days)


# --------------------------------------------------------------------------- contact

@pytest.mark.parametrize("text,value", [
    ("205-555-0100", "+12055550100"), ("(205) 555 0100", "+12055550100"), ("1 205 555 0100", "+12055550100"),
    ("+44 20 7946 0958", "+442079460958"), ("Me@Example.com", "me@example.com"), ("<b>a@b.co</b>", "a@b.co"),
])
def test_contact_accepted(text, value):
    assert parse_contact(text) == Parsed(value)


@pytest.mark.parametrize("text", ["", "x@y", "12", "555-0100", "+1 555 0100", "call me", "=1+2", "a" * 300 + "@b.com"])
def test_contact_rejected(text):
    assert parse_contact(text) == Reask("contact_unreadable", {})


@given(st.text())
def test_contact_never_raises(text):
    assert isinstance(parse_contact(text), (Parsed, Reask))
