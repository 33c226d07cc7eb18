"""Dates as people type them, kept as precise as they were given (a day, or a month).

"2015-06-01", "06/01/2015", "6/1/15", "June 2015", "Jun 1st 2015", "1 June 2015",
"Juen 2015" (a typo) and "still serving" for an end date. Numeric dates are U.S. order
(month/day/year). Asked again, with the reason: a year alone (which month?), a month
without a year, a season or "early 2015", a range, a date counted back from today ("3
years ago"), numbers that could be the day or the year ("15 june 5"), an impossible day, a
past date where a future one is asked (a hire date) and the reverse, and a date too long
ago to be a career date. A planned hire date may be given as "tomorrow", "next Friday",
"next month" or a month without a year (the next one).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from dialogs.answers import END_DATE, FUTURE_DATE, STILL_SERVING, DateValue
from dialogs.reading.text import Parsed, Reading, Reask, any_phrase, phrase, spelled_numbers
from dialogs.reading.typos import edit_distance

_MONTH_NAMES = [calendar.month_name[i].lower() for i in range(1, 13)]
_MONTHS: dict[str, int] = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
_MONTHS.update({name[:3]: i + 1 for i, name in enumerate(_MONTH_NAMES)})
_MONTHS.update({"sept": 9, "febr": 2})
_MONTHS.pop("may", None)
_MONTHS["may"] = 5
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({name.lower()[:3]: i for i, name in enumerate(calendar.day_name)})

_STILL = (
    "still serving",
    "still",
    "current",
    "currently",
    "present",
    "presently",
    "ongoing",
    "to date",
    "to present",
    "till date",
    "til now",
    "now",
    "still employed",
    "still working",
    "still active",
    "still there",
    "still on",
    "still in",
    "serving",
    "active",
    "on the job",
    "employed",
    "working",
)
# Words a "still serving" may come with; anything else ("working at Walmart now") is not one.
_STILL_WORDS = {
    "still",
    "serving",
    "serve",
    "employed",
    "working",
    "work",
    "there",
    "currently",
    "current",
    "present",
    "to",
    "date",
    "ongoing",
    "presently",
    "now",
    "active",
    "duty",
    "on",
    "the",
    "job",
    "force",
    "with",
    "my",
    "agency",
    "department",
    "dept",
    "pd",
    "sheriff",
    "sheriffs",
    "office",
    "as",
    "a",
    "an",
    "officer",
    "deputy",
    "detective",
    "trooper",
    "agent",
    "sergeant",
    "lieutenant",
    "investigator",
    "patrol",
    "mp",
    "i",
    "im",
    "am",
    "n",
    "na",
    "same",
    "place",
    "here",
    "yes",
    "yeah",
    "full",
    "time",
    "fulltime",
    "sworn",
    "law",
    "enforcement",
    "le",
    "leo",
    "police",
    "in",
    "at",
    "since",
    "today",
    "yet",
    "havent",
    "have",
    "not",
    "left",
    "never",
    "didnt",
    "did",
    "leave",
    "separated",
    "retired",
    "ended",
    "hasnt",
    "has",
    "quit",
    "end",
    "no",
    "over",
    "until",
    "till",
    "til",
    "dont",
    "do",
    "know",
    "cop",
    "employ",
    "army",
    "navy",
    "marines",
    "air",
    "corps",
    "federal",
    "service",
    "it",
    "its",
    "s",
    "ive",
    "been",
    "military",
    "special",
    "chief",
    "captain",
    "corporal",
    "investigations",
}
_VETO = {
    "reserve",
    "reserves",
    "reservist",
    "guard",
    "civilian",
    "unemployed",
    "leave",
    "part",
    "parttime",
    "security",
    "looking",
    "student",
    "school",
}
_STILL_NEGATED = (
    "havent left",
    "have not left",
    "never left",
    "not left",
    "not separated",
    "havent separated",
    "have not separated",
    "not yet",
    "didnt leave",
    "did not leave",
    "not retired",
    "havent retired",
    "still havent",
    "hasnt ended",
    "has not ended",
    "not ended",
    "havent quit",
    "no end date",
    "no end",
    "not over",
    "n a still",
)
_LEFT = (
    "no longer",
    "not currently",
    "not serving",
    "not employed",
    "not working",
    "not active",
    "left",
    "retired",
    "quit",
    "resigned",
    "separated",
    "fired",
    "terminated",
    "ended",
    "former",
    "formerly",
    "until",
    "discharged",
    "ets",
    "ets d",
    "got out",
    "last day",
)
_RELATIVE = (
    "ago",
    "last year",
    "last month",
    "last week",
    "this year",
    "this month",
    "recently",
    "a while",
    "back in",
    "years back",
    "months back",
    "previous year",
    "year before",
    "couple years",
    "few years",
    "couple of years",
    "some years",
    "next week",
    "in a week",
    "in a few",
    "in a couple",
    "soon",
    "asap",
    "shortly",
    "later this",
    "end of the month",
    "end of month",
    "eventually",
    "weeks from now",
    "months from now",
    "days from now",
)
_VAGUE = (
    "early",
    "mid",
    "middle",
    "late",
    "beginning",
    "start of",
    "end of",
    "spring",
    "summer",
    "fall",
    "week of",
    "first week",
    "second week",
    "third week",
    "last week of",
    "weekend",
    "autumn",
    "winter",
    "first half",
    "second half",
    "quarter",
    "q1",
    "q2",
    "q3",
    "q4",
    "christmas",
    "thanksgiving",
    "new year",
    "easter",
    "halloween",
)
_BOUNDS = (
    "prior to",
    "by",
    "until",
    "till",
    "til",
    "no later than",
    "not later than",
    "no earlier than",
    "not earlier than",
    "not before",
    "not after",
    "at the earliest",
    "at the latest",
    "earliest",
    "latest",
    "or later",
    "or earlier",
    "or before",
    "or after",
    "sometime before",
    "sometime after",
    "before",
    "after",
)
_ORDINAL_DAYS = {
    w: n
    for n, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
        "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        1,
    )
}
_ORDINAL_DAYS.update(
    {
        "thirtieth": 30,
        "twenty first": 21,
        "twenty second": 22,
        "twenty third": 23,
        "twenty fourth": 24,
        "twenty fifth": 25,
        "twenty sixth": 26,
        "twenty seventh": 27,
        "twenty eighth": 28,
        "twenty ninth": 29,
        "thirty first": 31,
    }
)
_RANGE = re.compile(r"\b(?:\d{4}|\d{1,2}/\d{4})\s*(?:-|to|through|thru|until|till|and|or)\s*(?:\d{4}|\d{1,2}/\d{4})\b")
_FILLER = {
    "about",
    "around",
    "approx",
    "approximately",
    "roughly",
    "circa",
    "ca",
    "c",
    "abt",
    "sometime",
    "in",
    "on",
    "since",
    "from",
    "started",
    "start",
    "starting",
    "began",
    "begun",
    "of",
    "the",
    "it",
    "was",
    "is",
    "i",
    "my",
    "date",
    "day",
    "at",
    "left",
    "retired",
    "separated",
    "ended",
    "end",
    "quit",
    "resigned",
    "got",
    "out",
    "last",
    "certified",
    "hired",
    "hire",
    "be",
    "will",
    "am",
    "im",
    "they",
    "want",
    "me",
    "to",
    "by",
    "or",
    "so",
    "ish",
    "effective",
    "graduated",
    "joined",
    "sworn",
    "discharged",
    "ets",
    "d",
    "expected",
    "expect",
    "planned",
    "plan",
    "scheduled",
    "should",
    "would",
    "probably",
    "like",
    "somewhere",
    "year",
    "month",
    "dated",
    "dd",
    "214",
    "a",
    "an",
    "think",
    "believe",
    "guess",
    "and",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "right",
    "academy",
    "graduation",
    "after",
    "swore",
    "badge",
    "first",
    "job",
    "th",
}
_NUMERIC = re.compile(r"\d+(?:[-/.]\d+)+")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_MDY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})")
_MY = re.compile(r"(\d{1,2})[-/.](\d{4})")
_YM = re.compile(r"(\d{4})[-/.](\d{1,2})")
_TOKEN = re.compile(r"\d+(?:[-/.]\d+)+|\d+(?:st|nd|rd|th)?\b|'\d{2}\b|[^\W\d_]+")


def _month_word(word: str) -> int | None:
    """A month name, its abbreviation, or a typo of it ("Juen", "Febuary", "Spetember")."""
    if word in _MONTHS:
        return _MONTHS[word]
    if len(word) < 4 or len(word) > 12 or not word.isalpha():
        return None
    scored = sorted(
        (edit_distance(word, name, 2), name)
        for name in _MONTH_NAMES
        if name[0] == word[0] and abs(len(name) - len(word)) <= 1
    )
    allowed = 1 if len(word) <= 5 else 2
    best = [name for d, name in scored if d <= allowed and d == scored[0][0]]
    return _MONTHS[best[0]] if len(best) == 1 else None


def _two_digit_year(yy: int, today: date, kind: str = "date") -> int:
    """'15 is 2015 and '80 is 1980 for a past date; for a date ahead ("3/1/27") the next one."""
    if kind == FUTURE_DATE:
        return 2000 + yy if 2000 + yy >= today.year else 2100 + yy
    return 2000 + yy if yy <= today.year % 100 else 1900 + yy


def open_end(text: str) -> bool:
    """ "still serving", "present", "I haven't left", "June 2015 - present" (a start date with
    an open end), but not "no longer serving", "working at Walmart now" or "still a reserve"."""
    p = phrase(text)
    words = set(p.split())
    if words & _VETO:
        return False
    dates = {w for w in words if w.isdigit() or _month_word(w) is not None}
    if not words - dates <= _STILL_WORDS:
        return False  # other work, other words: not an answer about law-enforcement service
    if dates and not (
        re.search(r"\bsince\b", p)
        or re.search(
            r"(?:-|\bto\b|\bthrough\b|\btil+\b)\s*(?:present|now|date|"
            r"current|today)\b",
            text.lower(),
        )
    ):
        return False  # "June 2024, still ...": the date is the answer
    if any_phrase(p, _STILL_NEGATED):
        return True
    if any_phrase(p, _LEFT) or any(w in ("no", "not", "nope", "never") for w in p.split()):
        return False
    return any_phrase(p, _STILL)


def _future_relative(p: str, today: date) -> DateValue | None:
    if p in ("today", "right now", "now", "immediately"):
        return DateValue.day(today)
    if p == "tomorrow":
        return DateValue.day(today + timedelta(days=1))
    if m := re.fullmatch(r"(?:in )?(\d{1,3}) days?(?: from now| from today)?", p):
        if p.startswith("in ") or "from" in p:
            return DateValue.day(today + timedelta(days=int(m[1])))
    if m := re.fullmatch(r"(?:(next|this|on|coming|this coming) )?(\w+)", p):
        day = _WEEKDAYS.get(m[2])
        if day is not None:
            ahead = (day - today.weekday()) % 7 or 7
            if m[1] == "next" and today.weekday() < day:
                return None  # "next Friday" on a Wednesday: this week's or the one after? Ask.
            return DateValue.day(today + timedelta(days=ahead))
    if p in ("next month", "the next month"):
        y, mo = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return DateValue.month(y, mo)
    if p in ("this month", "later this month", "end of this month"):
        return DateValue.month(today.year, today.month)
    return None


_MONTH_RE = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"


def _ordinal_days(text: str) -> str:
    """ "March third 2015", "the fifteenth of March": day words next to a month as numbers (never
    "first week of January")."""
    low = text.lower()
    for word in sorted(_ORDINAL_DAYS, key=len, reverse=True):
        w = word.replace(" ", "[- ]")
        day = f"{_ORDINAL_DAYS[word]}th"
        low = re.sub(rf"\b({_MONTH_RE})\s+(?:the\s+)?{w}\b", rf"\1 {day}", low)
        low = re.sub(rf"\b(?:the\s+)?{w}\s+(?:of\s+)?(?=({_MONTH_RE})\b)", f"{day} ", low)
    return low


def read_date(
    text: str, today: date, kind: str, *, earliest: date | None = None, latest: date | None = None
) -> Reading:
    """A DateValue (or STILL_SERVING for an end date); `text` is cleaned and free of
    corrections. `earliest`/`latest` bound a plausible date (the reason is said if not)."""
    text = re.sub(r"\([^)]*\)", " ", text) if not text.strip().startswith("(") else text
    text = re.sub(r"(?<=\d)\s*-?ish\b", "", spelled_numbers(_ordinal_days(text)))
    p = phrase(text)
    if kind == END_DATE and open_end(text):
        return Parsed(STILL_SERVING)
    if kind == FUTURE_DATE and (rel := _future_relative(p, today)) is not None:
        return _check(rel, today, kind, earliest, latest)
    if p == "yesterday" or (p == "today" and kind != FUTURE_DATE):
        return _check(DateValue.day(today - timedelta(days=p == "yesterday")), today, kind, earliest, latest)
    if (
        any_phrase(p, _RELATIVE)
        or re.search(r"\b\d+ (?:days?|weeks?|wks?|months?|mos?|years?|yrs?)\b", p)
        or (kind == FUTURE_DATE and re.fullmatch(r"next \w+", p) and p.split()[1] in _WEEKDAYS)
    ):
        return Reask("date_relative", {"kind": kind, "today": today})
    if any_phrase(p, _BOUNDS) or (kind in (END_DATE, FUTURE_DATE) and any_phrase(p, ("since",))):
        return Reask("date_bound", {"kind": kind})
    if _RANGE.search(text.lower()) or re.search(r"\b(?:between|from)\b.*\b(?:to|and|until|till)\b", p):
        return Reask("date_range", {"kind": kind})
    low = text.lower()
    tokens = _TOKEN.findall(low)
    numeric = [t for t in tokens if _NUMERIC.fullmatch(t)]
    months: list[int] = []
    numbers: list[tuple[str, str]] = []  # digits, and "ord" (1st), "apos" ('15) or ""
    unknown: list[str] = []
    for tok in tokens:
        if tok in numeric:
            continue
        if tok[0] == "'":
            numbers.append((tok[1:], "apos"))
        elif tok[0].isdigit():
            m = re.fullmatch(r"(\d+)(st|nd|rd|th)?", tok)
            if m is None:
                return Reask("date_unreadable", {"kind": kind})
            numbers.append((m[1], "ord" if m[2] else ""))
        elif (mw := _month_word(tok)) is not None:
            months.append(mw)
        elif tok not in _FILLER:
            unknown.append(tok)
    if kind == END_DATE and any_phrase(p, _LEFT) and not (months or numbers or numeric):
        return Reask("date_left_no_date", {"kind": kind})
    if any_phrase(p, _VAGUE) and (months or numbers) and not numeric:
        return Reask("date_vague", {"kind": kind})
    if unknown and (
        len(unknown) > 2 or any(w in ("not", "no", "never", "before", "after", "than", "except") for w in unknown)
    ):
        return Reask("date_unreadable", {"kind": kind})
    value = _assemble(numeric, months, numbers, text, today, kind)
    if isinstance(value, Reask):
        return value
    weekday = next((_WEEKDAYS[w] for w in p.split() if w in _WEEKDAYS), None)
    if weekday is not None and value.exact and value.earliest.weekday() != weekday:
        return Reask("date_weekday", {"kind": kind})
    checked = _check(value, today, kind, earliest, latest)
    if isinstance(checked, Parsed) and value.earliest.month == 1 and value.latest.month == 12:
        return Reask("date_need_month", {"year": value.earliest.year, "kind": kind})  # a year alone
    return checked


def _assemble(
    numeric: list[str], months: list[int], numbers: list[tuple[str, str]], text: str, today: date, kind: str
) -> DateValue | Reask:
    unreadable = Reask("date_unreadable", {"kind": kind})
    day: int | None
    if numeric:
        if len(numeric) != 1 or months or numbers:
            return Reask("date_range", {"kind": kind}) if len(numeric) > 1 else unreadable
        tok = numeric[0]
        if m := _YMD.fullmatch(tok):
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        elif m := _MDY.fullmatch(tok):
            month, day = int(m[1]), int(m[2])
            year = int(m[3]) if len(m[3]) == 4 else _two_digit_year(int(m[3]), today, kind)
        elif m := _MY.fullmatch(tok):
            month, day, year = int(m[1]), None, int(m[2])
        elif m := _YM.fullmatch(tok):
            year, month, day = int(m[1]), int(m[2]), None
        else:
            return unreadable
    elif months:
        if len(set(months)) != 1:
            return Reask("date_range", {"kind": kind})
        month = months[0]
        years = [n for n, mark in numbers if len(n) == 4]
        shorts = [(n, mark) for n, mark in numbers if len(n) <= 2]
        if len(years) + len(shorts) != len(numbers) or len(years) > 1:
            return Reask("date_range", {"kind": kind}) if len(years) > 1 else unreadable
        if years:
            if len(shorts) > 1:
                return unreadable
            year, day = int(years[0]), int(shorts[0][0]) if shorts else None
        elif len(shorts) == 2 and re.search(r"[A-Za-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,\s*'?\d{2}\b", text):
            day, year = int(shorts[0][0]), _two_digit_year(int(shorts[1][0]), today, kind)  # "June 1, 15"
        elif len(shorts) == 2 and [mark == "apos" for _, mark in shorts].count(True) == 1:
            day_n = next(n for n, mark in shorts if mark != "apos")
            year_n = next(n for n, mark in shorts if mark == "apos")
            day, year = int(day_n), _two_digit_year(int(year_n), today, kind)  # "June 15 '15"
        elif len(shorts) == 2:
            return Reask("date_ambiguous", {"kind": kind})  # "15 june 5": which is the day, which the year?
        elif len(shorts) == 1 and shorts[0][1] == "apos":
            day, year = None, _two_digit_year(int(shorts[0][0]), today, kind)  # "June '15"
        elif kind == FUTURE_DATE and len(shorts) <= 1:
            day = int(shorts[0][0]) if shorts else None
            year = today.year if (month, day or 31) >= (today.month, today.day) else today.year + 1
            if year > today.year and 0 < (today - date(today.year, month, min(day or 1, 28))).days <= 62:
                return Reask("date_past", {"today": today})  # "Dec 1" on December 2: just passed, or a year ahead?
        elif len(shorts) <= 1:
            return Reask("date_need_year", {"month": month, "kind": kind})
        else:
            return unreadable
    else:
        years = [n for n, _ in numbers if len(n) == 4]
        if len(numbers) == 1 and len(years) == 1:
            year = int(years[0])
            return DateValue(date(year, 1, 1), date(year, 12, 31)) if 1000 <= year <= 9999 else unreadable
        if len(years) > 1:
            return Reask("date_range", {"kind": kind})
        return unreadable
    if not 1 <= month <= 12:
        return Reask("date_impossible", {"problem": "month", "day": day, "month": month, "year": year, "max_day": None})
    if year < 1000 or year > 9999:
        return unreadable
    if day is None:
        return DateValue.month(year, month)
    max_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= max_day:
        return Reask(
            "date_impossible", {"problem": "day", "day": day, "month": month, "year": year, "max_day": max_day}
        )
    return DateValue.day(date(year, month, day))


def _check(value: DateValue, today: date, kind: str, earliest: date | None, latest: date | None) -> Reading:
    if kind == FUTURE_DATE:
        if value.latest < today:
            return Reask("date_past", {"today": today})
    elif value.earliest > today:
        return Reask("date_future", {"today": today})
    if earliest is not None and value.latest < earliest:
        return Reask("date_too_early", {"earliest": earliest, "kind": kind})
    if latest is not None and value.earliest > latest:
        return Reask("date_too_late", {"latest": latest, "kind": kind})
    return Parsed(value)
