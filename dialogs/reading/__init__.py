"""Reading what an applicant types: accepted as a careful recruiter would be sure of it,
or asked again with the specific reason. Never a silent guess, never an exception.

`read_answer(field, text, today, stored)` is the one entry point: it hardens the text,
takes the answer after a correction inside the message ("3 months, no wait 4 months"),
recognises "not sure", asks again for hedges and for questions back ("what is SACS?"),
and hands the rest to the reader of the field's kind. A `Parsed` value is in engine form
(`dialogs.answers`), with an optional note for the "understood" echo; a `Reask` names a
macro of templates/reasks.j2. The readers hold no user-facing words.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from dialogs.answers import (
    CHOICE,
    DATE,
    DURATION,
    END_DATE,
    FUTURE_DATE,
    HOURS,
    MIN_CAREER_AGE,
    NOT_SURE,
    STATE,
    YES_NO,
    AnswerError,
    DateValue,
    Stored,
    plausible_range,
    read_value,
    spec,
)
from dialogs.reading.amounts import read_duration, read_hours
from dialogs.reading.choices import read_choice
from dialogs.reading.contact import read_contact
from dialogs.reading.dates import read_date
from dialogs.reading.states import read_state, states_named
from dialogs.reading.text import (
    Corrected,
    Parsed,
    Reading,
    Reask,
    clean,
    hedge,
    is_not_sure,
    last_correction,
    mentions_not_sure,
    phrase,
)
from dialogs.reading.yes_no import read_yes_no
from dialogs.rules import rules_in_force
from dialogs.spans import add_years

__all__ = ["Parsed", "Reask", "Reading", "read_answer", "read_contact", "clean", "is_not_sure"]

QUESTION_WORDS = {
    "what",
    "whats",
    "why",
    "how",
    "who",
    "when",
    "where",
    "which",
    "does",
    "do",
    "is",
    "are",
    "can",
    "should",
    "could",
    "would",
    "will",
    "whatre",
    "huh",
    "explain",
    "meaning",
    "define",
}


def _bounds(name: str, today: date, stored: Stored) -> tuple[date | None, date | None]:
    earliest, latest = plausible_range(name, today)
    if name == "birth_date" or spec(name).kind == FUTURE_DATE:
        return earliest, latest
    born = stored.get("birth_date")
    if isinstance(born, str):
        try:
            value = read_value("birth_date", born)
        except AnswerError:
            value = None
        if isinstance(value, DateValue):
            old_enough = add_years(value.earliest, MIN_CAREER_AGE)
            earliest = old_enough if earliest is None else max(earliest, old_enough)
    return earliest, latest


def _read_kind(name: str, text: str, today: date, stored: Stored) -> Reading:
    kind = spec(name).kind
    rules = rules_in_force(today)
    if name == "service_full_time":
        named = states_named(text, phrase(text))
        if any(code != stored.get("certifying_state") for code in named):
            return Reask("full_time_elsewhere", {"field": name})  # "full time in Alabama": not the certifying state
    if kind == YES_NO:
        return read_yes_no(
            text,
            name,
            minimum_age=rules.standards.minimum_age.value,
            duty_years=rules.points_pathways.le_duties_before_separation.value.years,
            today_year=today.year,
        )
    if kind == CHOICE:
        return read_choice(text, name, today)
    if kind in (DATE, END_DATE, FUTURE_DATE):
        if name == "birth_date" and _AGE.fullmatch(phrase(text)):
            return Reask("birth_date_age", {})  # "I'm 25": the day decides, so the age alone is not enough
        earliest, latest = _bounds(name, today, stored)
        return read_date(text, today, kind, earliest=earliest, latest=latest)
    if kind == HOURS:
        boundaries = [b.min for b in rules.points.training.bands[1:]]
        return read_hours(text, maximum=spec(name).maximum or 0, boundaries=boundaries)
    if kind == DURATION:
        return read_duration(text, maximum_days=spec(name).maximum or 0)
    if kind == STATE:
        return read_state(text)
    raise AssertionError(f"{name} is not asked")  # a declaration error


_OPTION = r"#?\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|the \w+"
_AGE = re.compile(
    r"(?:(?:i am|im|i m|age|aged|about|almost|nearly|over|under)\s+)*\d{1,3}"
    r"(?:\s*(?:years?|yrs?|y ?o)(?:\s+old)?|\s+old)?"
)


def _no_correction(text: str, kind: str) -> Corrected:
    """ "2, no 3", "June 2015, no, June 2016": a "no" between two answers corrects the first.
    For a choice only before an option number: "associate's, no bachelor's" is no correction."""
    if kind == CHOICE:
        m = re.match(rf"^(\S.*?)\s*[,;]?\s+no\s*[,;.:]?\s+((?:{_OPTION})\s*)$", text, re.IGNORECASE)
    else:
        m = re.match(r"^(\S.*?)\s*[,;]\s*no\s*[,;.:]\s*(\S.*)$", text, re.IGNORECASE)
    if m is None or (kind == CHOICE and not re.match(r"^\s*(?:" + _OPTION + r")\s*[.)]?\s*$", m[1], re.IGNORECASE)):
        return Corrected(text, False)
    return Corrected(m[2], True)


def read_answer(name: str, text: Any, today: date, stored: Stored) -> Reading:
    """The answer to the question that fills `name`, or why it is asked again (with the
    field and today, so the words can give an example that fits the question)."""
    reading = _read_answer(name, text, today, stored)
    if isinstance(reading, Reask):
        return Reask(reading.code, {"field": name, "today": today, **reading.params})
    return reading


def _read_answer(name: str, text: Any, today: date, stored: Stored) -> Reading:
    kind = spec(name).kind
    cleaned = clean(text)
    if not cleaned:
        return Reask("empty", {"kind": kind, "field": name})
    corrected = last_correction(cleaned)
    if not corrected.corrected and kind != YES_NO:
        corrected = _no_correction(cleaned, kind)
    body = corrected.text
    if is_not_sure(body):
        return Parsed(NOT_SURE)
    if mentions_not_sure(body):
        return Reask("not_sure_and_more", {"kind": kind, "field": name})
    if body.rstrip().endswith("?"):
        attempt = _read_kind(name, body.rstrip(" ?"), today, stored) if body.rstrip(" ?") else None
        asking = (phrase(body).split() or [""])[0] in QUESTION_WORDS
        return Reask(
            "question_mark" if isinstance(attempt, Parsed) and not asking else "asked_question",
            {"kind": kind, "field": name},
        )
    if kind != YES_NO and hedge(body):
        return Reask("hedge", {"kind": kind, "field": name})
    result = _read_kind(name, body, today, stored)
    if corrected.corrected and isinstance(result, Parsed) and result.note is None:
        return Parsed(result.value, "corrected", {})
    return result
