"""What every reader does first: make any text safe to read, and find what it says.

Input hardening shared by all readers: the text is cut (a 1 MB message returns at once),
control and format characters become spaces, simple HTML tags are dropped, compatibility
forms are folded (NFKC: full-width digits, ligatures), digits of any script become ASCII
digits ("٣", "➏", "፫"), dashes become "-", whitespace is collapsed and anything past 200
characters is ignored. Nothing here raises for any str.

Then the shared readings: "not sure" in its usual spellings, hedges ("I think so",
"probably"), a correction inside one message ("3 months, no wait 4 months": the part after
the last correction is the answer), and numbers written as words ("six hundred forty").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_INPUT = 200  # characters looked at; the rest of a message is ignored

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>]{0,80})?/?>")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'", "\u2032": "'"})
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")


@dataclass(frozen=True)
class Parsed:
    """An accepted answer: the value (engine form) and, when the reading needs saying, a note
    (a code and its parameters) for the "understood" echo, e.g. hours computed from weeks."""

    value: Any
    note: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reask:
    """Not accepted: `code` names a macro of templates/reasks.j2, `params` its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


Reading = Parsed | Reask


def _ascii_digit(ch: str) -> str:
    """A digit of any script as an ASCII digit; anything else unchanged."""
    if ch.isascii():
        return ch
    value = unicodedata.decimal(ch, None)
    if value is None:
        value = unicodedata.digit(ch, None)
    return str(value) if value is not None else ch


def clean(text: Any) -> str:
    """The hardened text: cut, control characters and tags removed, digits ASCII, whitespace
    collapsed."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = text[: MAX_INPUT * 4].strip()
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = _TAG.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = "".join(_ascii_digit(ch) for ch in text).translate(_DASHES).translate(_APOSTROPHES)
    text = " ".join(text.split())
    return text[:MAX_INPUT].strip()


def words(text: str) -> list[str]:
    """Lower-case words and numbers, apostrophes dropped ("don't" -> "dont")."""
    low = text.lower().replace("'", "")
    return re.findall(r"[^\W_]+", low)


def phrase(text: str) -> str:
    return " ".join(words(text))


def has_phrase(haystack: str, needle: str) -> bool:
    """`needle` (words) appears as whole words in `haystack` (words)."""
    return f" {needle} " in f" {haystack} "


def any_phrase(haystack: str, needles: Any) -> bool:
    return any(has_phrase(haystack, n) for n in needles)


# --- not sure --------------------------------------------------------------------------

_NOT_SURE_CORE = {
    "not sure",
    "unsure",
    "dont know",
    "do not know",
    "idk",
    "no idea",
    "not certain",
    "dunno",
    "dont remember",
    "do not remember",
    "cant remember",
    "cannot remember",
    "cant recall",
    "dont recall",
    "do not recall",
    "cannot recall",
    "not known",
    "unknown",
    "uncertain",
    "no clue",
    "not really sure",
    "have no idea",
    "not too sure",
    "not so sure",
    "dk",
    "not sure yet",
    "dont know yet",
    "no idea yet",
    "not certain yet",
    "beats me",
    "who knows",
    "no clue at all",
    "forgot",
    "i forget",
    "forget",
    "need to check",
    "have to check",
    "would have to check",
    "id have to check",
    "need to look it up",
    "have to look it up",
    "would need to check",
    "not positive",
    "cant say",
    "couldnt say",
    "no se",
    "not sure about that",
    "dont know that",
    "havent a clue",
    "not a clue",
    "idk tbh",
    "unsure tbh",
    "i have no clue",
    "dont have a clue",
    "not 100 sure",
    "not 100 percent sure",
    "no recollection",
    "not 100",
    "not 100 percent",
    "no lo se",
    "yo no se",
    "i cant say",
    "cant say for sure",
    "i wouldnt know",
    "wouldnt know",
    "havent checked",
    "never checked",
    "no way to know",
    "no way of knowing",
    "wont know until i check",
    "would have to look",
    "need to look",
    "have to look",
    "id have to look",
    "have to check my records",
    "need to check my records",
    "not sure at all",
    "never looked",
    "never looked into it",
    "havent looked",
    "havent looked into it",
    "didnt check",
    "not sure honestly",
    "i have no way of knowing",
}
_NOT_SURE_LEAD = {
    "um",
    "umm",
    "uh",
    "uhh",
    "hmm",
    "hm",
    "honestly",
    "sorry",
    "well",
    "i",
    "im",
    "am",
    "really",
    "actually",
    "tbh",
    "ok",
    "okay",
    "oh",
    "lol",
    "ugh",
    "man",
    "so",
    "to",
    "be",
    "truthful",
}
_NOT_SURE_TAIL = {
    "really",
    "sorry",
    "tbh",
    "honestly",
    "exactly",
    "lol",
    "offhand",
    "at",
    "all",
    "the",
    "answer",
    "to",
    "that",
    "right",
    "now",
    "off",
    "hand",
    "top",
    "of",
    "my",
    "head",
    "anymore",
    "any",
    "more",
    "for",
    "sure",
    "yet",
    "this",
    "one",
    "question",
    "either",
    "unfortunately",
    "atm",
}


def is_not_sure(text: str) -> bool:
    """True when `text` (cleaned) is one of the usual ways of saying "I don't know"."""
    stripped = text.strip()
    if stripped and set(stripped) <= set("?!. "):
        return "?" in stripped
    ws = words(stripped.replace("%", " percent "))
    if not ws or len(ws) > 12:
        return False
    while ws and ws[0] in _NOT_SURE_LEAD and " ".join(ws) not in _NOT_SURE_CORE:
        ws = ws[1:]
    while ws and ws[-1] in _NOT_SURE_TAIL and " ".join(ws) not in _NOT_SURE_CORE:
        ws = ws[:-1]
    return " ".join(ws) in _NOT_SURE_CORE


def mentions_not_sure(text: str) -> bool:
    """A "not sure" said together with something else ("not sure, maybe 480")."""
    p = phrase(text)
    return any(
        has_phrase(p, n)
        for n in (
            "not sure",
            "unsure",
            "dont know",
            "idk",
            "no idea",
            "not certain",
            "dont remember",
            "cant remember",
            "dunno",
        )
    )


# --- hedges ---------------------------------------------------------------------------

_HEDGE_WORDS = {
    "maybe",
    "perhaps",
    "possibly",
    "probably",
    "prob",
    "probs",
    "likely",
    "unlikely",
    "presumably",
    "apparently",
    "supposedly",
    "guess",
    "guessing",
    "kinda",
    "sorta",
    "somewhat",
    "partly",
    "partially",
    "mostly",
    "depends",
    "iirc",
    "afaik",
    "afaict",
    "might",
    "mightve",
}
_HEDGE_PHRASES = (
    "i think",
    "i believe",
    "i suppose",
    "i assume",
    "pretty sure",
    "fairly sure",
    "quite sure",
    "im sure",
    "am sure",
    "sort of",
    "kind of",
    "i would say",
    "id say",
    "if i remember",
    "if i recall",
    "as far as i know",
    "not that i know",
    "to my knowledge",
    "i reckon",
    "could be",
    "should be",
    "think so",
    "believe so",
    "guess so",
    "suppose so",
    "hope so",
    "that im aware",
    "that i am aware",
    "as far as im aware",
    "as far as i am aware",
    "aware of",
    "that i recall",
    "that i remember",
    "to my recollection",
    "as i recall",
    "far as i know",
    "may be",
    "might be",
    "im afraid so",
    "afraid so",
    "i would think",
    "id think",
    "yes and no",
    "yes or no",
    "no and yes",
    "more or less",
    "not really",
    "not exactly",
    "i doubt",
    "doubt it",
    "sometimes",
    "at times",
    "on and off",
    "off and on",
    "in a way",
)


def hedge(text: str) -> bool:
    """Words that make an answer a guess ("I think so", "probably", "pretty sure")."""
    p = phrase(text)
    return any(w in _HEDGE_WORDS for w in p.split()) or any(has_phrase(p, h) for h in _HEDGE_PHRASES)


# --- corrections inside one message -----------------------------------------------------

_CORRECTION = re.compile(
    r"(?:^|[\s,;.!:(-])(?:no,?\s+wait|wait,?\s+no|wait|no\s+sorry|sorry|i\s+mean[t]?|i\s+meant\s+to\s+say|"
    r"correction|scratch\s+that|make\s+that|or\s+rather|actually|oops|my\s+bad|err+|erm|"
    r"let\s+me\s+correct\s+that|let\s+me\s+rephrase)\b[\s,;.!:)-]*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Corrected:
    text: str  # what to read
    corrected: bool  # an earlier answer in the same message was replaced


def last_correction(text: str) -> Corrected:
    """The answer after the last correction ("3 months, no wait 4 months" -> "4 months").
    A marker at the very end ("480, sorry") corrects nothing: the text before it is read."""
    matches = list(_CORRECTION.finditer(text))
    if not matches:
        return Corrected(text, False)
    last = matches[-1]
    after = text[last.end() :].strip(" ,;.!:-")
    before = text[: last.start()].strip(" ,;.!:-")
    if not after:
        return Corrected(before or text, False)
    return Corrected(after, bool(before))


# --- numbers ----------------------------------------------------------------------------

NUMBER_WORDS = {
    "zero": 0,
    "oh": 0,
    "none": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_SCALES = {"hundred": 100, "thousand": 1000}


def spelled_numbers(text: str) -> str:
    """Numbers written as words become digits: "six hundred and forty hours" -> "640 hours",
    "a year and a half" is left alone (no number words in it)."""
    tokens = re.findall(r"[A-Za-z]+|[^A-Za-z]+", text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        low = tokens[i].lower()
        if low not in NUMBER_WORDS or low in ("oh", "none"):
            out.append(tokens[i])
            i += 1
            continue
        total, current, j, last_word = 0, 0, i, i
        while j < len(tokens):
            word = tokens[j].lower()
            if word in NUMBER_WORDS and word not in ("oh", "none"):
                value = NUMBER_WORDS[word]
                if current % 10 or (current % 100 >= 10 and value >= 10):
                    break  # "five six", "twenty thirty": a new number, not one number
                current += value
                last_word = j
            elif word in _SCALES and current:
                current *= _SCALES[word]
                if _SCALES[word] == 1000:
                    total, current = total + current, 0
                last_word = j
            elif word == "and" and j > i:
                pass
            elif tokens[j].strip() in ("", "-") and j > i:
                pass
            else:
                break
            j += 1
        out.append(str(total + current))
        i = last_word + 1
    return "".join(out)
