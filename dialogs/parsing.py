"""Forgiving parsers for what applicants type in a chat.

Every parser takes the raw text of a message (any str: empty, huge, emoji, HTML, control
characters) and returns either `Parsed(value)` or `Reask(code, params)`; none raises. A
`Reask` names a macro of templates/reasks.j2 and carries exactly that macro's parameters;
`reask_text` renders it. The parsers hold no user-facing words.

Input hardening shared by all parsers: the text is cut (a 1 MB message returns at once),
control and format characters become spaces, simple HTML tags are dropped, compatibility
forms are folded (NFKC: full-width digits, ligatures), whitespace is collapsed and anything
past 200 characters is ignored. Whitespace-only input is `Reask("empty", ...)`.

Every parser also accepts "not sure" in its usual spellings ("not sure", "unsure",
"don't know", "idk", "?", "no idea", "not certain", ...) and returns `Parsed(NOT_SURE)` when
`allow_not_sure` is true (the default); otherwise it re-asks with `not_sure_not_allowed`.

Pure: standard library only, no I/O.
"""
from __future__ import annotations

import calendar
import enum
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence

from dialogs.answers import STILL_SERVING, US_STATES, DateValue

__all__ = [
    "NOT_SURE",
    "MAX_INPUT",
    "MAX_HOURS",
    "MAX_DURATION_YEARS",
    "DAYS_PER_MONTH",
    "DAYS_PER_YEAR",
    "Parsed",
    "Reask",
    "ParseResult",
    "Choice",
    "STATE_NAMES",
    "clean",
    "is_not_sure",
    "edit_distance",
    "reask_text",
    "parse_date",
    "parse_yes_no",
    "parse_choice",
    "parse_hours",
    "parse_duration_days",
    "parse_state",
    "parse_whole_number",
]


class _NotSure(enum.Enum):
    NOT_SURE = "not_sure"

    def __repr__(self) -> str:
        return "NOT_SURE"


NOT_SURE = _NotSure.NOT_SURE
"""The applicant said they don't know (a singleton; compare with `is`)."""

MAX_INPUT = 200  # characters looked at; the rest of a message is ignored
MAX_HOURS = 5000  # a basic course longer than this is a typo
MAX_DURATION_YEARS = 60
DAYS_PER_MONTH = 30  # approximation used for summed gaps in service
DAYS_PER_YEAR = 365  # approximation used for summed gaps in service
EARLIEST_YEAR = 1900


@dataclass(frozen=True)
class Parsed:
    value: Any


@dataclass(frozen=True)
class Reask:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


ParseResult = Parsed | Reask


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    synonyms: tuple[str, ...] = ()


def reask_text(reask: Reask) -> str:
    """The friendly re-ask sentence for `reask` (a macro of templates/reasks.j2)."""
    from dialogs.render import say

    return say(reask.code, _file="reasks.j2", **reask.params)


# --------------------------------------------------------------------------- cleaning

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>]{0,80})?/?>")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})


def clean(text: Any) -> str:
    """The hardened text: cut, control characters and tags removed, whitespace collapsed."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = text.strip()[: MAX_INPUT * 4]
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = _TAG.sub(" ", text)
    try:
        text = unicodedata.normalize("NFKC", text)
    except Exception:  # pragma: no cover - defensive: normalize accepts any str
        pass
    text = " ".join(text.split())
    return text[:MAX_INPUT].strip()


def _words(text: str) -> list[str]:
    """Lower-case words and numbers, apostrophes dropped ("don't" -> "dont")."""
    low = text.lower().translate(_APOSTROPHES).replace("'", "")
    return re.findall(r"[^\W_]+", low)


_NOT_SURE_CORE = {
    "not sure", "unsure", "dont know", "do not know", "idk", "no idea", "not certain",
    "dunno", "dont remember", "do not remember", "cant remember", "cannot remember",
    "cant recall", "dont recall", "not known", "unknown", "uncertain", "no clue",
    "not really sure", "have no idea", "not too sure", "not so sure", "dk", "not sure yet",
    "dont know yet", "no idea yet", "not certain yet",
}
_NOT_SURE_LEAD = {"um", "umm", "uh", "uhh", "hmm", "hm", "honestly", "sorry", "well", "i", "im", "am", "really", "actually", "tbh", "i'm"}
_NOT_SURE_TAIL = {"really", "sorry", "tbh", "honestly", "exactly", "lol", "offhand", "at", "all", "the", "answer", "to", "that"}


def is_not_sure(text: str) -> bool:
    """True when cleaned `text` is one of the usual ways of saying "I don't know"."""
    stripped = text.strip()
    if stripped and set(stripped) <= set("?!. "):
        return "?" in stripped
    words = _words(stripped)
    if not words or len(words) > 10:
        return False
    while words and words[0] in _NOT_SURE_LEAD and " ".join(words) not in _NOT_SURE_CORE:
        words = words[1:]
    while words and words[-1] in _NOT_SURE_TAIL and " ".join(words) not in _NOT_SURE_CORE:
        words = words[:-1]
    return " ".join(words) in _NOT_SURE_CORE


def _start(text: Any, kind: str, allow_not_sure: bool, options: list[str] | None = None) -> tuple[str, ParseResult | None]:
    """Clean the text; answer at once for empty input or "not sure"."""
    cleaned = clean(text)
    opts = list(options or [])
    if not cleaned:
        return cleaned, Reask("empty", {"kind": kind, "options": opts})
    if is_not_sure(cleaned):
        if allow_not_sure:
            return cleaned, Parsed(NOT_SURE)
        return cleaned, Reask("not_sure_not_allowed", {"kind": kind, "options": opts})
    return cleaned, None


# --------------------------------------------------------------------------- typos


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a transposition costs 1); > limit means "far"."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit or len(a) > 40 or len(b) > 40:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _closest(word: str, candidates: Sequence[str], allowed: int) -> str | None:
    """The unique candidate within `allowed` edits of `word` (nearest wins; ties: none)."""
    if allowed <= 0:
        return None
    best: list[tuple[int, str]] = []
    for cand in candidates:
        d = edit_distance(word, cand, allowed)
        if d <= allowed:
            best.append((d, cand))
    if not best:
        return None
    best.sort()
    top = [c for d, c in best if d == best[0][0]]
    return top[0] if len(set(top)) == 1 else None


# --------------------------------------------------------------------------- numbers

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}
_APPROX_WORDS = {"about", "around", "approx", "approximately", "roughly", "circa", "ca", "abt", "nearly", "almost", "maybe", "probably", "like", "some", "just", "exactly", "total", "totally", "in", "ish", "so", "estimate", "estimated", "est", "i", "think", "guess", "believe", "its", "it", "was", "is", "were"}
_NUMBER = re.compile(r"-?\d[\d,.]*")


def _to_number(token: str) -> float | int | None:
    """'1,040' -> 1040, '480.5' -> 480.5, '1.040' -> 1040 (thousands), else None."""
    neg = token.startswith("-")
    body = token.lstrip("-").rstrip(".,")
    if not body or not body[0].isdigit():
        return None
    if "," in body:
        if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", body):
            return None
        body = body.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", body):
        # "1.040": a thousands separator (nobody counts course hours in thousandths)
        body = body.replace(".", "")
    if not re.fullmatch(r"\d+(?:\.\d+)?", body):
        return None
    value: float | int = float(body) if "." in body else int(body)
    return -value if neg else value


def _number_tokens(text: str) -> tuple[list[float | int | None], list[str]]:
    """Numbers and the lower-case words around them."""
    low = text.lower().translate(_APOSTROPHES)
    low = low.replace("~", " ")
    numbers: list[float | int | None] = []
    words: list[str] = []
    for tok in re.findall(r"-?\d[\d,.]*|[^\W\d_]+|[-+<>=]", low):
        if tok[0].isdigit() or (tok[0] == "-" and len(tok) > 1):
            numbers.append(_to_number(tok))
        else:
            words.append(tok)
    return numbers, words


_COMPARE_WORDS = {"more", "less", "over", "under", "than", "least", "most", "max", "maximum", "min", "minimum", "between", "not", "no", "plus", "minus", "or", "to", "and", "per", "each", "times", "x", "-", "+", "<", ">", "=", "above", "below", "up", "upto"}


def parse_whole_number(text: str, *, minimum: int = 0, maximum: int | None = None, allow_not_sure: bool = True) -> ParseResult:
    """A whole number in [minimum, maximum]: "12", "about 12", "1,040", "twelve"."""
    cleaned, early = _start(text, "number", allow_not_sure)
    if early is not None:
        return early
    numbers, words = _number_tokens(cleaned)
    out_of_range = Reask("number_out_of_range", {"minimum": minimum, "maximum": maximum})
    unreadable = Reask("number_unreadable", {})
    if not numbers:
        spelled = [_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS]
        rest = [w for w in words if w not in _NUMBER_WORDS and w not in _APPROX_WORDS]
        if len(spelled) != 1 or rest:
            return unreadable
        numbers = [spelled[0]]
    value = numbers[0]
    if len(numbers) != 1 or value is None or any(w in _COMPARE_WORDS for w in words):
        return unreadable
    if isinstance(value, float) and not value.is_integer():
        return unreadable
    if value < minimum or (maximum is not None and value > maximum):
        return out_of_range
    return Parsed(int(value))


# --------------------------------------------------------------------------- dates

_MONTH_NAMES = [calendar.month_name[i].lower() for i in range(1, 13)]
_MONTHS: dict[str, int] = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
_MONTHS.update({name[:3]: i + 1 for i, name in enumerate(_MONTH_NAMES)})
_MONTHS.update({"sept": 9, "june": 6, "july": 7})
_FUZZY_MONTHS = _MONTH_NAMES + ["sept"]

_OPEN_KEYS = {"still", "current", "currently", "present", "now", "ongoing", "presently", "today"}
_DATE_DANGER = {"not", "no", "never", "before", "after", "until", "till", "ago", "next", "last", "this", "prior", "than", "except", "later", "earlier", "by", "to", "between", "or", "and"}
_DATE_PREFIX = re.compile(r"^(?:(?:about|around|approx|approximately|roughly|circa|ca|c|abt|sometime in|in|on|since|from|started|start)\b\.?\s*|~\s*)+")
_DATE_SUFFIX = re.compile(r"(?:\s*(?:or so|-?ish|approx\.?|approximately|roughly|i think|i believe|i guess))+$")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_MDY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})")
_MY = re.compile(r"(\d{1,2})[-/.](\d{4})")
_YM = re.compile(r"(\d{4})[-/.](\d{1,2})")
_DATE_TOKEN = re.compile(r"\d+(?:[-/.]\d+)+|\d+(?:st|nd|rd|th)?\b|'\d{2}\b|[^\W\d_]+")


_OPEN_NEGATIONS = {"not", "no", "never", "longer", "left", "leave", "retired", "quit", "resigned", "ended",
                   "until", "till", "former", "formerly", "wasnt", "isnt", "fired", "terminated",
                   "separated", "before", "after", "ago", "last", "stopped", "end", "or", "maybe"}


def _is_open_end(cleaned: str) -> bool:
    """"still serving", "present", "I still work there", "June 2015 - present" (a start date
    with an open end), but not "not currently serving" or "left, no longer there"."""
    words = _words(cleaned)
    if not words or len(words) > 16 or any(w in _OPEN_NEGATIONS for w in words):
        return False
    return any(w in _OPEN_KEYS for w in words)


def _month_word(word: str) -> int | None:
    if word in _MONTHS:
        return _MONTHS[word]
    if len(word) < 4 or len(word) > 12 or not word.isalpha():
        return None
    allowed = 1 if len(word) <= 5 else 2
    best = _closest(word, _FUZZY_MONTHS, allowed)
    if best is None:
        return None
    return _MONTHS[best]


def _two_digit_year(yy: int, today: date) -> int:
    return 2000 + yy if yy <= today.year % 100 else 1900 + yy


def parse_date(
    text: str,
    today: date,
    *,
    allow_open_end: bool = False,
    allow_future: bool = False,
    allow_not_sure: bool = True,
) -> ParseResult:
    """A `DateValue`: an exact day, or a month kept as a month (never guessed to a day).

    Numeric dates are U.S. order (month/day/year); two-digit years up to today's are
    2000s, the rest 1900s. With `allow_open_end`, "still serving", "present", "now" and the
    like give `STILL_SERVING`.
    """
    kind = "date_open_end" if allow_open_end else "date"
    cleaned, early = _start(text, kind, allow_not_sure)
    if early is not None:
        return early
    if allow_open_end and _is_open_end(cleaned):
        return Parsed(STILL_SERVING)
    unreadable = Reask("date_unreadable", {"open_end": allow_open_end})

    low = cleaned.lower().translate(_APOSTROPHES)
    low = _DATE_PREFIX.sub("", low)
    low = low.strip(" .,;:!?()[]{}\"*_~")
    low = _DATE_SUFFIX.sub("", low).strip(" .,;:!?()[]{}\"*_~-")
    if not low:
        return unreadable

    tokens = _DATE_TOKEN.findall(low)
    numeric = [t for t in tokens if re.fullmatch(r"\d+(?:[-/.]\d+)+", t)]
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
                return unreadable
            numbers.append((m[1], "ord" if m[2] else ""))
        elif (mw := _month_word(tok)) is not None:
            months.append(mw)
        else:
            unknown.append(tok)
    if any(w in _DATE_DANGER for w in unknown) or len(unknown) > 6:
        return unreadable

    day: int | None
    if numeric:
        if len(numeric) != 1 or months or numbers:
            return unreadable
        tok = numeric[0]
        if m := _YMD.fullmatch(tok):
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        elif m := _MDY.fullmatch(tok):
            month, day = int(m[1]), int(m[2])
            year = int(m[3]) if len(m[3]) == 4 else _two_digit_year(int(m[3]), today)
        elif m := _MY.fullmatch(tok):
            month, day, year = int(m[1]), None, int(m[2])
        elif m := _YM.fullmatch(tok):
            year, month, day = int(m[1]), int(m[2]), None
        else:
            return unreadable
    elif months:
        if len(set(months)) != 1 or len(numbers) > 2:
            return unreadable
        month = months[0]
        years = [n for n, mark in numbers if len(n) == 4]
        shorts = [(n, mark) for n, mark in numbers if len(n) <= 2]
        if len(years) + len(shorts) != len(numbers) or len(years) > 1:
            return unreadable
        if years:
            year = int(years[0])
            if len(shorts) > 1:
                return unreadable
            day = int(shorts[0][0]) if shorts else None
        elif len(shorts) == 2:
            # "June 1, 15": day then a two-digit year
            day, year = int(shorts[0][0]), _two_digit_year(int(shorts[1][0]), today)
        elif len(shorts) == 1 and shorts[0][1] == "apos":
            # "June '15"
            day, year = None, _two_digit_year(int(shorts[0][0]), today)
        elif len(shorts) <= 1:
            return Reask("date_need_year", {"month": month})
        else:
            return unreadable
    else:
        years = [n for n, _ in numbers if len(n) == 4]
        if len(numbers) == 1 and len(years) == 1:
            year = int(years[0])
            if year < EARLIEST_YEAR:
                return Reask("date_too_early", {"year": year})
            return Reask("date_need_month", {"year": year})
        return unreadable

    impossible = {"day": day, "month": month, "year": year, "max_day": None}
    if not 1 <= month <= 12:
        return Reask("date_impossible", {"problem": "month", **impossible})
    if year < EARLIEST_YEAR:
        return Reask("date_too_early", {"year": year})
    if year > 9999:
        return unreadable
    if day is None:
        value = DateValue.month(year, month)
    else:
        max_day = calendar.monthrange(year, month)[1]
        if not 1 <= day <= max_day:
            return Reask("date_impossible", {**impossible, "problem": "day", "max_day": max_day})
        value = DateValue.day(date(year, month, day))
    if not allow_future and value.earliest > today:
        return Reask("date_future", {"today": today})
    return Parsed(value)


# --------------------------------------------------------------------------- yes / no

_YES = {"yes", "yeah", "yea", "yep", "yup", "sure", "correct", "true", "affirmative", "yah", "ya",
        "absolutely", "definitely", "certainly", "indeed", "aye", "yessir", "yesh"}
_NO = {"no", "nope", "nah", "naw", "nay", "false", "negative", "never", "incorrect", "nada", "nopes"}
_WEAK_YES = {"did", "do", "have", "am", "was", "is", "has", "had", "were", "does"}
_WEAK_NO = {"not", "didnt", "dont", "havent", "hasnt", "hadnt", "wasnt", "werent", "isnt", "aint",
            "cant", "cannot", "wont", "doesnt", "nothing", "nobody", "neither", "nor", "none"}
_HEDGES = {"maybe", "perhaps", "possibly", "probably", "sometimes", "partly", "partially", "depends",
           "kinda", "sorta", "somewhat", "unsure", "idk", "dunno", "both", "either", "mostly",
           "unclear", "uncertain", "sort", "kind", "if", "but", "except", "although", "though"}
_YES_EMOJI = "\U0001f44d\u2705\u2714\u2611\U0001f44c\U0001f197\U0001f646"
_NO_EMOJI = "\U0001f44e\u274c\u2716\U0001f6ab\u26d4\u274e\U0001f645"
_HEDGE_PHRASES = ("not sure", "dont know", "no idea", "not certain", "yes and no", "yes or no", "no and yes", "kind of", "sort of", "not really sure")


def parse_yes_no(text: str, *, allow_not_sure: bool = True) -> ParseResult:
    """True or False from yes/no words, short phrases ("yes I did", "no, never") and 👍/👎."""
    cleaned, early = _start(text, "yes_no", allow_not_sure)
    if early is not None:
        return early
    unclear = Reask("yes_no_unclear", {})
    marked = "".join(" yes " if ch in _YES_EMOJI else " no " if ch in _NO_EMOJI else ch for ch in cleaned)
    words = _words(marked)
    if not words or len(words) > 8:
        return unclear
    if len(words) == 1 and words[0] in ("y", "n"):
        return Parsed(words[0] == "y")
    words = ["yes" if re.fullmatch(r"y+e+s+|ye+p+|ye+a+h*|ya+s+", w) else "no" if re.fullmatch(r"no+|no+pe", w) else w for w in words]
    phrase = " ".join(words)
    if any(h in phrase for h in _HEDGE_PHRASES) or any(w in _HEDGES for w in words):
        return unclear
    if "of course" in phrase:
        words.append("yes")
    strong_yes = any(w in _YES for w in words)
    strong_no = any(w in _NO for w in words)
    weak_yes = any(w in _WEAK_YES for w in words)
    weak_no = any(w in _WEAK_NO for w in words)
    if strong_yes and strong_no:
        return unclear
    if strong_yes:
        return unclear if weak_no else Parsed(True)
    if strong_no:
        return Parsed(False)
    if weak_no:
        return Parsed(False)
    if weak_yes and len(words) <= 4:
        return Parsed(True)
    return unclear


# --------------------------------------------------------------------------- choices

_CHOICE_STOP = {"a", "an", "the", "i", "im", "am", "my", "was", "were", "is", "it", "of", "in", "on",
                "at", "to", "and", "or", "for", "with", "from", "by", "me", "we", "our", "be", "been",
                "its", "that", "this", "option", "choice", "number", "did", "do", "have", "has", "had",
                "got", "one", "pick", "choose", "select", "answer", "please", "id", "say", "would"}


_NEGATIONS = {"not", "no", "never", "non", "dont", "didnt", "isnt", "wasnt", "arent", "havent", "hasnt",
              "neither", "nor", "without", "except", "but"}


def _norm(text: str) -> str:
    return " ".join(_words(text.replace("_", " ")))


def _choice_names(option: Choice) -> list[str]:
    names = [_norm(option.value), _norm(option.label)] + [_norm(s) for s in option.synonyms]
    names += [n.replace(" ", "") for n in names if " " in n]
    return [n for n in dict.fromkeys(names) if n]


def _typo_candidate(word: str, name: str) -> bool:
    """Could `word` be a typo (≤ 2 edits) of `name`? Both 5+ letters, same first letter
    ("invalid" is no typo of "valid") and lengths within one ("officer" is not "offer")."""
    return len(word) >= 5 and len(name) >= 5 and word[0] == name[0] and abs(len(word) - len(name)) <= 1


def _unique(options: list[int]) -> int | None:
    found = set(options)
    return found.pop() if len(found) == 1 else None


def parse_choice(text: str, options: Sequence[Choice], *, allow_not_sure: bool = True) -> ParseResult:
    """One of `options`, returned as its `value`.

    By number ("2", "2.", "#2", "option 2", "second"), value, label or synonym, ignoring
    case and punctuation, tolerant of small typos (≤ 2 edits for words of 5+ letters),
    unique prefixes and keywords. Ambiguous or unmatched: `choice_unclear`.
    """
    labels = [o.label for o in options]
    cleaned = clean(text)
    if not cleaned:
        return Reask("empty", {"kind": "choice", "options": labels})
    unclear = Reask("choice_unclear", {"options": labels})
    names = [_choice_names(o) for o in options]
    phrase = _norm(cleaned)

    # 1. exactly a value, label or synonym (before "not sure", in case an option says it)
    hit = _unique([i for i, ns in enumerate(names) if phrase in ns or phrase.replace(" ", "") in ns])
    if hit is not None:
        return Parsed(options[hit].value)
    if is_not_sure(cleaned):
        if allow_not_sure:
            return Parsed(NOT_SURE)
        return Reask("not_sure_not_allowed", {"kind": "choice", "options": labels})
    if not phrase or not options:
        return unclear

    # 2. by number
    m = re.fullmatch(r"\s*(?:(?:option|number|choice|no\.?|nr\.?|num\.?)\s*)?#?\s*(\d{1,4})\s*[.):]?\s*", cleaned, re.IGNORECASE)
    words = phrase.split()
    core = [w for w in words if w not in ("option", "number", "choice", "the", "no", "nr", "one") or len(words) == 1]
    number: int | None = int(m[1]) if m else None
    if number is None and len(core) == 1 and (core[0] in _NUMBER_WORDS or core[0] in _ORDINAL_WORDS):
        number = _NUMBER_WORDS.get(core[0], _ORDINAL_WORDS.get(core[0]))
    if number is None and words and all(w.isdigit() for w in words[:1]) and len(words) == 1:
        number = int(words[0])
    if number is not None:
        if 1 <= number <= len(options):
            return Parsed(options[number - 1].value)
        return unclear

    # 3. a name said inside a sentence ("I was in the border patrol"), unless negated
    padded = f" {phrase} "
    inside = [(len(n), i, n) for i, ns in enumerate(names) for n in ns
              if (len(n) >= 3 or " " in n) and f" {n} " in padded]
    rest = padded
    for _, _, n in sorted(inside, reverse=True):
        rest = rest.replace(f" {n} ", " ")
    if any(w in _NEGATIONS for w in rest.split()):
        return unclear
    if inside:
        hit = _unique([i for _, i, _ in inside])
        if hit is not None:
            return Parsed(options[hit].value)
        longest = max(inside)
        if all(n in longest[2] for _, i, n in inside if i != longest[1]) and \
                sum(1 for ln, i, _ in inside if ln == longest[0] and i != longest[1]) == 0:
            return Parsed(options[longest[1]].value)
        return unclear

    # 4. the start of a name, or of a word in it ("milit", "assoc"); several: unclear
    if len(phrase) >= 3:
        starts = [i for i, ns in enumerate(names) if any(f" {n}".find(f" {phrase}") >= 0 for n in ns)]
        if starts:
            hit = _unique(starts)
            return unclear if hit is None else Parsed(options[hit].value)

    # 5. a typo of a whole name
    if len(phrase) >= 5:
        flat = [(n, i) for i, ns in enumerate(names) for n in ns if _typo_candidate(phrase, n)]
        best = _closest(phrase, [n for n, _ in flat], 2)
        if best is not None:
            hit = _unique([i for n, i in flat if n == best])
            if hit is not None:
                return Parsed(options[hit].value)

    # 6. keywords: each word votes for the options it matches (typos and prefixes allowed)
    option_words = [{w for n in ns for w in n.split() if w not in _CHOICE_STOP} for ns in names]
    scores = [0] * len(options)
    for w in words:
        if len(w) <= 2 or w in _CHOICE_STOP:
            continue
        for i, ows in enumerate(option_words):
            if any(ow == w
                   or (len(w) >= 4 and ow.startswith(w))
                   or (_typo_candidate(w, ow) and edit_distance(w, ow, 2) <= 2)
                   for ow in ows):
                scores[i] += 1
    top = max(scores)
    if top > 0 and scores.count(top) == 1:
        return Parsed(options[scores.index(top)].value)
    return unclear


# --------------------------------------------------------------------------- hours

_HOUR_UNITS = {"h", "hr", "hrs", "hour", "hours", "hs", "hrz", "hors", "houres", "hous"}
_TIME_UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "mos": "months", "mon": "months", "mons": "months", "mth": "months",
    "mths": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
}


def _plain_number(value: float | int) -> float | int:
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


# Words that may stand around a bare number of hours without changing what it means.
_HOURS_FILLER = frozenset(
    "about around approx approximately roughly some it its it's was is were total totally in the a my our "
    "course academy basic training i think guess maybe probably say said like exactly just".split()
)


def _only_filler(tokens: list[str], position: int) -> bool:
    """A bare number counts only when the other words are filler ("about 480"), never in prose
    such as "alert(1)", where guessing a number would be a silent guess."""
    return all(not t.isalpha() or t in _HOURS_FILLER or t in _NUMBER_WORDS
               for i, t in enumerate(tokens) if i != position)


def parse_hours(text: str, *, allow_not_sure: bool = True) -> ParseResult:
    """Whole hours of a basic course, 0..5000: "480", "480 hrs", "about 1,040", "480.5" (-> 480).

    A number of weeks, months, years or days is re-asked (`hours_not_weeks`): the figure in
    hours must come from the training records, not from an assumed 40-hour week.
    """
    cleaned, early = _start(text, "hours", allow_not_sure)
    if early is not None:
        return early
    unreadable = Reask("hours_unreadable", {})
    out_of_range = Reask("hours_out_of_range", {"maximum": MAX_HOURS})
    low = cleaned.lower().translate(_APOSTROPHES).replace("~", " ")
    tokens = re.findall(r"-?\d[\d,.]*|[^\W\d_]+|[-+<>=]", low)
    hours: list[tuple[int, float | int | None]] = []  # (position, number) followed by an hour unit
    periods: list[tuple[float | int | None, str]] = []  # (number, unit) for weeks, months, ...
    bare: list[tuple[int, float | int | None]] = []
    for k, tok in enumerate(tokens):
        is_number = tok[0].isdigit() or (tok[0] == "-" and len(tok) > 1)
        spelled = tok in _NUMBER_WORDS
        if not (is_number or spelled):
            continue
        value = _to_number(tok) if is_number else _NUMBER_WORDS[tok]
        unit = tokens[k + 1] if k + 1 < len(tokens) else ""
        per = tokens[k + 2:k + 4]
        if unit in _HOUR_UNITS and len(per) == 2 and per[0] in ("a", "an", "per", "each", "every") and per[1] in _TIME_UNITS:
            continue  # a rate ("40 hours a week"), not the length of the course
        if unit in _HOUR_UNITS:
            hours.append((k, value))
        elif unit in _TIME_UNITS:
            periods.append((value, _TIME_UNITS[unit]))
        elif is_number:
            bare.append((k, value))
    if len(hours) == 1:
        k, value = hours[0]
    elif not hours and len(bare) == 1 and not periods and _only_filler(tokens, bare[0][0]):
        k, value = bare[0]
    elif not hours and periods and periods[0][0] is not None:
        amount, unit = periods[0]
        return Reask("hours_not_weeks", {"amount": _plain_number(abs(amount)), "unit": unit})
    else:
        return unreadable
    if value is None:
        return unreadable
    before = set(tokens[max(0, k - 2):k])
    if before & _COMPARE_WORDS:
        return unreadable
    if value < 0 or value > MAX_HOURS:
        return out_of_range
    return Parsed(int(value))


# --------------------------------------------------------------------------- durations

_DURATION_UNITS = {"days": 1, "weeks": 7, "months": DAYS_PER_MONTH, "years": DAYS_PER_YEAR}
_NONE_KEYS = {"no", "none", "nope", "never", "zero", "nil", "nothing", "na", "nah", "nada", "0", "not"}
_NONE_WORDS = _NONE_KEYS | {"gap", "gaps", "break", "breaks", "in", "service", "i", "had", "have", "there",
                            "were", "was", "any", "at", "all", "n", "a", "my", "continuous", "days",
                            "day", "none", "it", "is", "zero", "employment", "between", "jobs", "time",
                            "off", "ever", "never", "no", "of", "sir", "maam"}
_DURATION_DANGER = {"more", "less", "over", "under", "than", "to", "or", "-", "+", "not",
                    "per", "each", "every", "twice", "times", "x", "few", "several", "couple", "some",
                    "many", "minus", "plus", "except", "but", "<", ">", "="}
_DURATION_FILLER = {"and", "about", "around", "approx", "approximately", "roughly", "total", "in", "of",
                    "gap", "gaps", "break", "breaks", "off", "ish", "so", "altogether", "all",
                    "combined", "just", "only", "nearly", "almost", "maybe", "probably", "est",
                    "estimated", "i", "think", "had", "have", "was", "it", "its", "roughly", "overall"}


def parse_duration_days(text: str, *, allow_not_sure: bool = True) -> ParseResult:
    """Whole days of gaps in service: "none" -> 0, "45 days", "3 weeks", "7 years 3 months".

    A month counts as 30 days and a year as 365: these are approximations, good enough for
    gaps that are summed and compared with limits of months or years. Fractions round to the
    nearest day ("1.5 years" -> 548).
    """
    cleaned, early = _start(text, "duration", allow_not_sure)
    if early is not None:
        return early
    unreadable = Reask("duration_unreadable", {})
    if re.sub(r"[\W_]", "", cleaned.lower()) in ("na", "nil", "none"):
        return Parsed(0)
    words = _words(cleaned.replace("/", " "))
    if words and len(words) <= 12 and all(w in _NONE_WORDS for w in words) and any(w in _NONE_KEYS for w in words):
        if not any(w.isdigit() and w != "0" for w in words):
            return Parsed(0)

    low = cleaned.lower().translate(_APOSTROPHES).replace("or so", " ")
    if re.search(r"\d\s*(?:-|to|or)\s*\d", low):
        return unreadable
    tokens = re.findall(r"\d+(?:\.\d+)?|[^\W\d_]+|[-+<>=]", low)
    total = 0.0
    pending: float | None = None
    units_seen = 0
    last_unit: int | None = None
    for k, tok in enumerate(tokens):
        nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
        after = tokens[k + 2] if k + 2 < len(tokens) else ""
        if tok[0].isdigit() or tok in _NUMBER_WORDS:
            if pending is not None:
                return unreadable
            pending = float(tok) if tok[0].isdigit() else float(_NUMBER_WORDS[tok])
        elif tok in ("a", "an"):
            if pending is None and nxt in _TIME_UNITS:
                pending = 1.0
        elif tok == "half":
            if pending is not None:
                pending += 0.5
            elif nxt in _TIME_UNITS or (nxt in ("a", "an") and after in _TIME_UNITS):
                pending = 0.5
            elif last_unit is not None:
                total += 0.5 * last_unit
            else:
                return unreadable
        elif tok in _TIME_UNITS:
            if pending is None:
                return unreadable
            last_unit = _DURATION_UNITS[_TIME_UNITS[tok]]
            total += pending * last_unit
            units_seen += 1
            pending = None
        elif tok in _DURATION_DANGER:
            return unreadable
        elif tok in _DURATION_FILLER or len(tokens) <= 8:
            continue
        else:
            return unreadable
    if pending is not None:
        if units_seen == 0 and pending == 0:
            return Parsed(0)
        if units_seen == 0:
            return Reask("duration_need_unit", {"amount": _plain_number(pending)})
        return unreadable
    if units_seen == 0:
        return unreadable
    if total > MAX_DURATION_YEARS * DAYS_PER_YEAR:
        return Reask("duration_out_of_range", {"maximum_years": MAX_DURATION_YEARS})
    return Parsed(int(total + 0.5))


# --------------------------------------------------------------------------- states

STATE_NAMES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}
assert set(STATE_NAMES) == set(US_STATES)

_STATE_BY_NAME: dict[str, str] = {_norm(name): code for code, name in STATE_NAMES.items()}
_STATE_BY_NAME.update({
    "washington dc": "DC", "washington d c": "DC", "dc": "DC", "d c": "DC", "district of columbia": "DC",
    "washington district of columbia": "DC", "the district": "DC",
    "us virgin islands": "VI", "virgin islands": "VI", "united states virgin islands": "VI",
    "northern marianas": "MP", "mariana islands": "MP", "northern mariana islands": "MP", "cnmi": "MP",
    "commonwealth of puerto rico": "PR", "washington state": "WA", "new york state": "NY",
    "new york city": "NY", "nyc": "NY", "massachusets": "MA", "cali": "CA", "socal": "CA",
    # common (AP style) abbreviations
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO", "conn": "CT",
    "del": "DE", "fla": "FL", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS", "mass": "MA",
    "mich": "MI", "minn": "MN", "miss": "MS", "mont": "MT", "neb": "NE", "nebr": "NE", "nev": "NV",
    "okla": "OK", "ore": "OR", "oreg": "OR", "penn": "PA", "penna": "PA", "tenn": "TN", "tex": "TX",
    "wash": "WA", "wva": "WV", "wis": "WI", "wisc": "WI", "wyo": "WY", "pr": "PR",
})
_DIRECTIONS = {"n": "north", "no": "north", "s": "south", "so": "south", "w": "west"}
_STATE_FUZZY = sorted(n for n in _STATE_BY_NAME if len(n) >= 4)
_STATE_OFFICIAL = {_norm(v) for v in STATE_NAMES.values()}
_STATE_IN_SENTENCE = sorted((n for n in _STATE_BY_NAME if (len(n) >= 5 and " " in n) or n in _STATE_OFFICIAL),
                            key=len, reverse=True)


def _state_allowed_edits(name: str) -> int:
    n = len(name)
    return 1 if n <= 5 else 2 if n <= 8 else 3


def parse_state(text: str, *, allow_not_sure: bool = True) -> ParseResult:
    """A two-letter code from US_STATES: "ga", "GA.", "Georgia", "N. Carolina", "Gerogia"."""
    cleaned, early = _start(text, "state", allow_not_sure)
    if early is not None:
        return early
    unknown = Reask("state_unknown", {})
    compact = re.sub(r"[\s.]", "", cleaned).upper()
    if compact in US_STATES and len(cleaned) <= 6:
        return Parsed(compact)
    words = _words(cleaned)
    words = [w for w in words if w not in ("state", "of", "the", "commonwealth", "usa", "us")] or words
    if len(words) >= 2 and words[0] in _DIRECTIONS and words[1] in ("carolina", "dakota", "virginia"):
        words = [_DIRECTIONS[words[0]]] + words[1:]
    if words and words[0] == "new" and len(words) == 2 and words[1] in ("hamp", "hampsh"):
        words = ["new", "hampshire"]
    phrase = " ".join(words)
    for candidate in (phrase, " ".join(_words(cleaned)), " ".join(_words(cleaned.replace(".", "")))):
        if candidate in _STATE_BY_NAME:
            return Parsed(_STATE_BY_NAME[candidate])
    if 4 <= len(phrase) <= 40:
        best = None
        best_d = 99
        tied = False
        for name in _STATE_FUZZY:
            d = edit_distance(phrase, name, 3)
            if d <= _state_allowed_edits(name) and d <= _state_allowed_edits(phrase):
                if d < best_d:
                    best, best_d, tied = name, d, False
                elif d == best_d and _STATE_BY_NAME[name] != _STATE_BY_NAME.get(best or "", ""):
                    tied = True
        if best is not None and not tied:
            return Parsed(_STATE_BY_NAME[best])
    # a state named inside a sentence ("I was certified in Georgia")
    full = " ".join(_words(cleaned))
    found: list = []
    rest = f" {full} "
    for name in _STATE_IN_SENTENCE:
        if f" {name} " in rest:
            found.append((rest.index(f" {name} "), _STATE_BY_NAME[name]))
            rest = rest.replace(f" {name} ", " | " + "#" * (len(name) - 2) + " ")
    found = [code for _, code in sorted(found)]
    if len(set(found)) == 1:
        return Parsed(found[0])
    if len(set(found)) > 1:
        return Reask("state_several", {"states": [STATE_NAMES[c] for c in dict.fromkeys(found)]})
    return unknown


# --------------------------------------------------------------------------- contact

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]{7,25}$")


def parse_contact(text: str) -> ParseResult:
    """A way for a recruiter to reach the applicant: an e-mail address or a phone number.

    Phone numbers keep their digits (and a leading +); U.S. numbers need 10 digits (11 with
    the leading 1), international ones 8-15. No "not sure" here: the applicant can skip.
    """
    cleaned, early = _start(text, "contact", allow_not_sure=False)
    if early is not None:
        return Reask("contact_unreadable", {})
    candidate = cleaned.strip().rstrip(".")
    if "@" in candidate:
        return Parsed(candidate.lower()) if _EMAIL.match(candidate) and len(candidate) <= 254 else Reask("contact_unreadable", {})
    if not _PHONE_CHARS.match(candidate):
        return Reask("contact_unreadable", {})
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+"):
        ok = 8 <= len(digits) <= 15 and not (digits.startswith("1") and len(digits) != 11)
        return Parsed("+" + digits) if ok else Reask("contact_unreadable", {})
    if len(digits) == 10 or (len(digits) == 11 and digits.startswith("1")):
        return Parsed("+1" + digits[-10:])
    return Reask("contact_unreadable", {})
