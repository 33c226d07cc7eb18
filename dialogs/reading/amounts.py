"""Quantities: the hours of a basic course, and the total of gaps in service (days).

Hours: "480", "480 hrs", "about 1,040", "six hundred forty", "480.5" (whole hours count:
480), and "16 weeks of 40 hours" (640, said back as computed). Asked again: ranges
("400-500"), bounds ("400+", "more than 400"), weeks or months without hours, several
figures, a bare number too small to be hours ("12": hours or weeks?), and an approximate
figure right at the edge of a points band ("about 480", when 480 starts a band).

Gaps: "none", "45 days", "3 weeks", "2 years 3 months", "a year and a half", "3 months and
4 months" (two gaps, added up). A month counts as 30 days and a year as 365 (the gaps
are summed, interpretation 1). Asked again: a point in time instead of a length ("3 months
ago", "since 2019"), ranges, bounds, vague amounts ("a few months") and numbers without a
unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dialogs.reading.text import Parsed, Reading, Reask, any_phrase, phrase, spelled_numbers

DAYS_PER = {"days": 1, "weeks": 7, "months": 30, "years": 365}
_UNITS = {
    "d": "days",
    "day": "days",
    "days": "days",
    "dys": "days",
    "w": "weeks",
    "wk": "weeks",
    "wks": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "wek": "weeks",
    "weks": "weeks",
    "m": "months",
    "mo": "months",
    "mos": "months",
    "mon": "months",
    "mons": "months",
    "mth": "months",
    "mths": "months",
    "month": "months",
    "months": "months",
    "monts": "months",
    "mnths": "months",
    "y": "years",
    "yr": "years",
    "yrs": "years",
    "year": "years",
    "years": "years",
    "yeras": "years",
    "yeats": "years",
}
_HOUR_UNITS = {"h", "hr", "hrs", "hour", "hours", "hs", "hrz", "hors", "houres", "hous", "hourss", "hoirs"}
_PER = {
    "a",
    "an",
    "per",
    "each",
    "every",
    "/",
    "weekly",
    "daily",
    "x",
    "times",
    "@",
    "at",
    "of",
    "for",
    "over",
    "by",
    "*",
}
_BOUND_BEFORE = re.compile(
    r"\b(?:more than|less than|fewer than|over|under|at least|at most|up to|upto|upwards of|nearly|almost|"
    r"just under|just over|above|below|not more than|not less than|north of|south of|shy of|short of|"
    r"better part of|a minimum of|a maximum of|minimum|maximum|min|max)\s+(?:of\s+)?(?:about\s+|a\s+|an\s+)?"
    r"(?:\d|a\b|an\b|one\b|half\b)"
)
_BOUND_AFTER = re.compile(
    r"\d[\d,.]*\s*[a-z]*\s*(?:\+(?!\s*\d)|\bplus\b(?!\s*\d)|\bor more\b|\bor less\b|\band up\b|"
    r"\bor longer\b|\bor shorter\b|\bminimum\b|\bmaximum\b|\bat least\b|\bat most\b|"
    r"\bmax\b|\bmin\b|\btops\b|\band change\b|\bodd\b|\bsomething\b)"
)
_APPROX_WORDS = (
    "about",
    "around",
    "approx",
    "approximately",
    "roughly",
    "ish",
    "circa",
    "ca",
    "abt",
    "est",
    "estimated",
    "give or take",
    "or so",
    "something like",
    "like",
)
_VAGUE = (
    "few",
    "several",
    "couple",
    "some",
    "many",
    "a bit",
    "a while",
    "a little",
    "handful",
    "lots",
    "lot",
    "here and there",
    "on and off",
    "off and on",
    "now and then",
    "occasionally",
    "sporadic",
    "sporadically",
    "every so often",
    "a few times",
)
_NONE = {
    "no",
    "none",
    "nope",
    "never",
    "zero",
    "nil",
    "nothing",
    "na",
    "nah",
    "nada",
    "0",
    "not",
    "continuous",
    "continuously",
    "straight",
    "consecutive",
    "uninterrupted",
}
_NONE_OK = _NONE | {
    "gap",
    "gaps",
    "break",
    "breaks",
    "in",
    "service",
    "i",
    "had",
    "have",
    "there",
    "were",
    "was",
    "any",
    "at",
    "all",
    "n",
    "a",
    "my",
    "days",
    "day",
    "it",
    "is",
    "employment",
    "between",
    "jobs",
    "time",
    "off",
    "ever",
    "of",
    "sir",
    "maam",
    "been",
    "worked",
    "the",
    "whole",
    "way",
    "through",
    "always",
    "employed",
    "full",
    "fulltime",
    "just",
    "didnt",
    "dont",
    "did",
    "do",
    "took",
    "take",
    "never",
    "stopped",
    "interruption",
    "interruptions",
    "yes",
    "left",
}
_DANGER = {
    "not",
    "except",
    "but",
    "each",
    "times",
    "per",
    "every",
    "twice",
    "minus",
    "without",
    "x",
    "*",
    "/",
    "more",
    "less",
    "over",
    "under",
    "ago",
    "since",
    "or",
    "maybe",
    "probably",
    "until",
}
_FILLER = {
    "about",
    "around",
    "approx",
    "approximately",
    "roughly",
    "total",
    "totally",
    "in",
    "of",
    "gap",
    "gaps",
    "break",
    "breaks",
    "off",
    "ish",
    "so",
    "altogether",
    "all",
    "combined",
    "just",
    "only",
    "maybe",
    "est",
    "estimated",
    "i",
    "had",
    "have",
    "was",
    "it",
    "its",
    "overall",
    "the",
    "a",
    "an",
    "my",
    "for",
    "and",
    "plus",
    "between",
    "jobs",
    "unemployed",
    "without",
    "work",
    "working",
    "job",
    "when",
    "changing",
    "agencies",
    "moved",
    "moving",
    "out",
    "time",
    "one",
    "another",
    "other",
    "first",
    "second",
    "then",
    "there",
    "were",
    "like",
    "totaling",
    "totalling",
    "sum",
    "something",
    "basic",
    "course",
    "academy",
    "training",
    "long",
    "length",
    "lasted",
    "hours",
    "give",
    "or",
    "take",
    "circa",
    "ca",
    "abt",
}


def _tokens(text: str) -> list[str]:
    low = spelled_numbers(text).lower().replace("~", " about ").replace("×", " x ").replace("/", " / ")
    low = re.sub(r"(?<=\d)-(?=[a-z])", " ", low)  # "480-hour course"
    return re.findall(r"\d[\d,.]*[a-z]*|[a-z]+|[-+<>=/@*]", low)


def _negative(raw: str) -> bool:
    """ "-40", "minus 3 months": a negative quantity (a range "400-500" is told apart earlier)."""
    return bool(re.search(r"(?:^|[^\w\d])-\s*\d", raw) or re.search(r"\bminus\b", raw.lower()))


def _number(token: str) -> float | None:
    """'1,040' -> 1040, '480.5' -> 480.5, '1.040' -> 1040 (thousands); None otherwise."""
    body = token.rstrip(".,")
    if "," in body:
        if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", body):
            return None
        body = body.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", body):
        body = body.replace(".", "")
    if not re.fullmatch(r"\d{1,9}(?:\.\d{1,6})?", body):
        return None
    return float(body)


def _split(token: str) -> tuple[float | None, str]:
    """'480hrs' -> (480, 'hrs'); '10k' -> (None, 'k'): a glued suffix must be a unit."""
    m = re.fullmatch(r"(\d[\d,.]*?)([a-z]*)", token)
    if m is None:
        return None, ""
    return _number(m[1]), m[2]


_UNIT_WORDS = r"(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|hours?|hrs?)"


def _bounded(p: str, raw: str) -> bool:
    """ "more than 400", "400+", "400 or more", "a year plus", ">400": a bound, not a figure."""
    low = raw.lower()
    return bool(
        _BOUND_BEFORE.search(p)
        or _BOUND_AFTER.search(low)
        or re.search(r"[<>]\s*\d", low)
        or re.search(rf"\b{_UNIT_WORDS}\s+(?:plus|or more|or longer|and up|at least|at most|tops|max)\b", p)
        or re.search(rf"\b{_UNIT_WORDS}\s*\+(?!\s*(?:\d|a\b|an\b|one\b))", low)
    )


def _context_removed(text: str) -> str:
    """What a figure's reader may ignore: a parenthesis ("480 (FLETC UPTP)"), a year the course
    was taken in ("480 hrs, graduated 2010") and "give or take" an amount."""
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\b(?:in|graduated|grad|class of|since|from|back in)\s+(?:19|20)\d\d\b", " ", text, flags=re.I)
    return re.sub(r"\bgive or take\b.*$", " ", text, flags=re.IGNORECASE)


# --- hours ------------------------------------------------------------------------------


def read_hours(text: str, *, maximum: int, boundaries: Sequence[int] = ()) -> Reading:
    """Whole hours of a basic course; `boundaries` are where points bands start."""
    approx_given = bool(re.search(r"\bgive or take\b", text, re.IGNORECASE))
    text = re.sub(
        r"(?<=\d)\s+(?:contact|classroom|training|academy|instructional|total|credit|course|basic)\s+"
        r"(?=h(?:ou)?rs?\b|hours?\b)",
        " ",
        _context_removed(text),
        flags=re.IGNORECASE,
    )
    raw = spelled_numbers(text)
    p = phrase(raw)
    tokens = _tokens(text)
    product = _weeks_times_hours(tokens)
    if product is not None:
        return (
            product
            if isinstance(product, Reask)
            else _hours_value(product[0], True, False, maximum, boundaries, ("weeks_times_hours", product[1]))
        )
    if re.search(r"\d\s*(?:-|to|or)\s*\d", raw.lower()) or (
        any_phrase(p, ("between",)) and len(re.findall(r"\d+", raw)) >= 2
    ):
        return Reask("hours_range", {})
    if _negative(raw):
        return Reask("hours_out_of_range", {"maximum": maximum})
    context = re.sub(rf"\b(?:over|for|across|in|during)\s+\d+\s*(?!hours?\b|hrs?\b){_UNIT_WORDS}\b", " ", p)
    if _bounded(context, re.sub(rf"\b(?:over|for|across|in|during)\s+\d+\s*{_UNIT_WORDS}\b", " ", raw.lower())):
        return Reask("hours_bound", {})
    hours: list[tuple[int, float | None]] = []
    periods: list[tuple[float | None, str]] = []
    bare: list[tuple[int, float | None]] = []
    others: list[str] = []
    for k, tok in enumerate(tokens):
        if not tok[0].isdigit():
            if tok not in _HOUR_UNITS and tok not in _UNITS:
                others.append(tok)
            continue
        value, suffix = _split(tok)
        unit = suffix or (tokens[k + 1] if k + 1 < len(tokens) else "")
        if suffix and suffix not in _HOUR_UNITS and suffix not in _UNITS:
            return Reask("hours_unreadable", {})
        if unit in _HOUR_UNITS:
            hours.append((k, value))
        elif unit in _UNITS:
            periods.append((value, _UNITS[unit]))
        else:
            bare.append((k, value))
    if len(hours) + len(bare) > 1 or (bare and periods):
        return Reask("hours_several", {})
    if not hours and not bare and periods:
        amount, unit = periods[0]
        return Reask("hours_not_weeks", {"amount": _plain(amount or 0), "unit": unit})
    if not hours and not bare:
        return Reask("hours_unreadable", {})
    k, value = (hours or bare)[0]
    if value is None:
        return Reask("hours_unreadable", {})
    if not hours and any(w not in _FILLER and w not in _APPROX_WORDS for w in others):
        return Reask("hours_unreadable", {})  # a number inside prose ("alert(1)") is not hours
    approx = any_phrase(p, _APPROX_WORDS) or "~" in text or "ish" in text.lower() or approx_given
    return _hours_value(value, bool(hours), approx, maximum, boundaries, None)


def _hours_value(
    value: float, with_unit: bool, approx: bool, maximum: int, boundaries: Sequence[int], note: tuple[str, dict] | None
) -> Reading:
    if value > maximum:
        return Reask("hours_out_of_range", {"maximum": maximum})
    whole = int(value)
    if not with_unit and whole < 100:
        return Reask("hours_confirm_small", {"amount": _plain(value)})
    if approx:
        edge = next((b for b in boundaries if abs(whole - b) <= max(whole * 0.05, 5)), None)
        if edge is not None:
            return Reask("hours_near_band", {"amount": whole, "boundary": edge})
    if note is not None:
        return Parsed(whole, note[0], note[1])
    if value != whole:
        return Parsed(whole, "whole_hours", {"given": _plain(value)})
    if approx:
        return Parsed(whole, "approximate", {})
    return Parsed(whole)


_RATE = re.compile(r"^(?:a|an|per|each|every|/)$")


def _weeks_times_hours(tokens: list[str]) -> tuple[int, dict] | Reask | None:
    """ "16 weeks of 40 hours", "40 hrs a week for 16 weeks", "16 wks x 40 hrs": the product, only
    when each figure is plain and the relation is said. A rate with no matching count ("40 hours
    a week", "8 hours a day for 12 weeks") is asked again: the total is not certain."""
    numbers = [(k, *_split(t)) for k, t in enumerate(tokens) if t[0].isdigit()]
    hours_at = None
    rate: str | None = None  # "weeks" or "days": the hours figure is per week or per day
    for k, _value, suffix in numbers:
        unit_at = k if suffix else k + 1
        unit = suffix or (tokens[k + 1] if k + 1 < len(tokens) else "")
        if unit not in _HOUR_UNITS:
            continue
        hours_at = k
        after = tokens[unit_at + 1 : unit_at + 3]
        if after and _RATE.match(after[0]) and len(after) > 1 and _UNITS.get(after[1]) in ("weeks", "days"):
            rate = _UNITS[after[1]]
        elif after and after[0] in ("weekly", "daily"):
            rate = "weeks" if after[0] == "weekly" else "days"
        elif after and _UNITS.get(after[0]) in ("weeks", "days"):  # "40 hour weeks", "8 hour days"
            rate = _UNITS[after[0]]
    if hours_at is None:
        return None
    counts = [
        (k, v, _UNITS.get(s or (tokens[k + 1] if k + 1 < len(tokens) else ""), ""))
        for k, v, s in numbers
        if k != hours_at
    ]
    counts = [c for c in counts if c[2]]
    hours_value = next(v for k, v, _ in numbers if k == hours_at)
    if rate is None:
        # "16 weeks of 40 hours": a count of weeks or days, then "of" / "x" / "at" the hours
        if len(counts) != 1 or counts[0][0] > hours_at or counts[0][2] not in ("weeks", "days"):
            return None
        between = tokens[counts[0][0] + 1 : hours_at]
        if not any(t in ("of", "x", "at", "@", "*", "times") for t in between[1:2]):
            return None
        rate = counts[0][2]
    if len(counts) != 1 or counts[0][2] != rate:
        return Reask("hours_rate", {})
    count = counts[0][1]
    if (
        hours_value is None
        or count is None
        or hours_value != int(hours_value)
        or count != int(count)
        or hours_value > (24 if rate == "days" else 100)
        or count > 200
    ):
        return Reask("hours_unreadable", {})
    return int(count * hours_value), {"count": int(count), "per": int(hours_value), "period": rate}


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# --- gaps in service --------------------------------------------------------------------


def read_duration(text: str, *, maximum_days: int) -> Reading:
    """Whole days; `text` is cleaned and free of corrections."""
    text = re.sub(
        r"\b(?:i had |there was |there were )?(?:1|one|a|just one|only one) gap\b,?(?: of| was| lasting)?",
        " ",
        _context_removed(text),
        flags=re.IGNORECASE,
    )
    raw = spelled_numbers(text)
    p = phrase(raw)
    ws = p.split()
    if ws and all(w in _NONE_OK for w in ws) and any(w in _NONE for w in ws) and not re.search(r"[1-9]", p):
        return Parsed(0)
    if re.sub(r"[\W_]", "", text.lower()) in ("na", "nil", "none", "0"):
        return Parsed(0)
    if any_phrase(p, ("ago", "since", "back in", "last year", "this year", "until", "till", "from")) or re.search(
        r"\b(?:19|20)\d{2}\b", p
    ):
        return Reask("duration_when", {})
    if re.search(r"\d\s*(?:-|to|or)\s*\d", raw.lower()) or (
        any_phrase(p, ("between",)) and len(re.findall(r"\d+", raw)) >= 2
    ):
        return Reask("duration_range", {})
    if _negative(raw):
        return Reask("duration_unreadable", {})
    if _bounded(p, raw):
        return Reask("duration_bound", {})
    if any_phrase(p, _VAGUE):
        return Reask("duration_vague", {})
    alternatives = f" {p} ".replace(" or so ", " ")
    if any_phrase(alternatives, ("or", "other than", "except", "besides", "apart from", "aside from", "but")):
        return Reask("duration_range" if any_phrase(alternatives, ("or",)) else "duration_several", {})
    total = 0.0
    pending: float | None = None
    parts: list[tuple[float, str]] = []
    joined = False  # "and", "plus", "+", "," between parts: gaps added up
    unknown: list[str] = []
    tokens = _tokens(text.replace(",", " , "))
    for k, tok in enumerate(tokens):
        nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
        if tok[0].isdigit():
            value, suffix = _split(tok)
            if value is None or pending is not None:
                return Reask("duration_unreadable", {})
            if suffix:
                if suffix not in _UNITS:
                    return Reask("duration_unreadable", {})
                parts.append((value, _UNITS[suffix]))
            else:
                pending = value
        elif tok in ("a", "an", "one") and pending is None and (nxt in _UNITS or nxt == "half"):
            pending = 1.0 if nxt in _UNITS else None
        elif tok == "half":
            if pending is not None:
                pending += 0.5
            elif parts and nxt not in _UNITS:
                value, unit = parts[-1]
                parts[-1] = (value + 0.5, unit)  # "a year and a half"
            elif nxt in _UNITS or nxt in ("a", "an"):
                pending = 0.5
            else:
                return Reask("duration_unreadable", {})
        elif tok in _UNITS:
            if pending is None:
                if tok in ("m", "d", "w", "y"):
                    continue
                return Reask("duration_unreadable", {})
            parts.append((pending, _UNITS[tok]))
            pending = None
        elif tok in ("and", "plus", "+", ",", "&"):
            if parts:
                joined = True
        elif tok in _FILLER:
            continue
        else:
            unknown.append(tok)
    if any(w in _DANGER for w in unknown) or len(unknown) > 4:
        return Reask("duration_unreadable", {})
    if pending is not None:
        if not parts and pending == 0:
            return Parsed(0)
        if not parts:
            return Reask("duration_need_unit", {"amount": _plain(pending)})
        return Reask("duration_unreadable", {})
    if not parts:
        return Reask("duration_unreadable", {})
    order = [DAYS_PER[u] for _, u in parts]
    descending = all(a > b for a, b in zip(order, order[1:], strict=False))
    if len(parts) > 1 and not descending and not joined:
        return Reask("duration_several", {})
    total = sum(value * DAYS_PER[unit] for value, unit in parts)
    days = int(total + 0.5)
    if days > maximum_days:
        return Reask("duration_out_of_range", {"maximum_years": maximum_days // 365})
    if len(parts) > 1 and not descending:
        return Parsed(days, "added_up", {"count": len(parts)})
    return Parsed(days)
