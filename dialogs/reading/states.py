"""A U.S. state or territory: "GA", "Georgia", "N. Carolina", "Gerogia", "certified in Georgia".

Two-letter codes that are also everyday words ("ok", "hi", "in", "me", "or", "oh", "as")
are not taken for a state on their own: "1" then "ok" is an acknowledgement, not Oklahoma.
A part of a name shared by several ("Carolina", "Virgin") is asked again with the
candidates; a name cut short is not guessed ("Virgin" is not Virginia).
"""

from __future__ import annotations

import re

from dialogs.answers import US_STATES
from dialogs.reading.text import Parsed, Reading, Reask, any_phrase, has_phrase, phrase
from dialogs.reading.typos import edit_distance

STATE_NAMES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}
assert set(STATE_NAMES) == set(US_STATES)

AMBIGUOUS_CODES = {"ok", "hi", "oh", "in", "me", "or", "as"}  # also everyday words

_ALIASES: dict[str, str] = {phrase(name): code for code, name in STATE_NAMES.items()}
_ALIASES.update(
    {
        "washington dc": "DC",
        "washington d c": "DC",
        "d c": "DC",
        "the district": "DC",
        "dc": "DC",
        "us virgin islands": "VI",
        "virgin islands": "VI",
        "united states virgin islands": "VI",
        "usvi": "VI",
        "northern marianas": "MP",
        "mariana islands": "MP",
        "cnmi": "MP",
        "saipan": "MP",
        "commonwealth of puerto rico": "PR",
        "washington state": "WA",
        "new york state": "NY",
        "nys": "NY",
        "new york city": "NY",
        "nyc": "NY",
        "massachusets": "MA",
        "cali": "CA",
        "socal": "CA",
        "norcal": "CA",
        "jersey": "NJ",
        "new jersy": "NJ",
        "n carolina": "NC",
        "s carolina": "SC",
        "n dakota": "ND",
        "s dakota": "SD",
        "w virginia": "WV",
        "west va": "WV",
        "no carolina": "NC",
        "so carolina": "SC",
        "rhode": "RI",
        "hampshire": "NH",
        # AP-style abbreviations
        "ala": "AL",
        "ariz": "AZ",
        "ark": "AR",
        "calif": "CA",
        "cal": "CA",
        "colo": "CO",
        "conn": "CT",
        "del": "DE",
        "fla": "FL",
        "ill": "IL",
        "ind": "IN",
        "kan": "KS",
        "kans": "KS",
        "mass": "MA",
        "mich": "MI",
        "minn": "MN",
        "miss": "MS",
        "mont": "MT",
        "neb": "NE",
        "nebr": "NE",
        "nev": "NV",
        "okla": "OK",
        "ore": "OR",
        "oreg": "OR",
        "penn": "PA",
        "penna": "PA",
        "tenn": "TN",
        "tex": "TX",
        "wash": "WA",
        "wva": "WV",
        "wis": "WI",
        "wisc": "WI",
        "wyo": "WY",
        "n mex": "NM",
        "n dak": "ND",
        "s dak": "SD",
        "la": "LA",
    }
)
_PARTS = {
    "carolina": ("NC", "SC"),
    "dakota": ("ND", "SD"),
    "virgin": ("VA", "VI"),
    "island": ("RI", "VI", "MP"),
    "islands": ("VI", "MP"),
    "mariana": ("MP",),
    "samoa": ("AS",),
    "west": ("WV",),
    "north": ("NC", "ND", "MP"),
    "south": ("SC", "SD"),
    "new": ("NH", "NJ", "NM", "NY"),
}
_FOREIGN = (
    "mexico",
    "canada",
    "ontario",
    "quebec",
    "british columbia",
    "alberta",
    "uk",
    "england",
    "germany",
    "british",
    "philippines",
    "overseas",
    "abroad",
    "europe",
)
_FEDERAL = (
    "federal",
    "feds",
    "fed",
    "fletc",
    "fbi",
    "dea",
    "atf",
    "military",
    "army",
    "navy",
    "marines",
    "air force",
    "coast guard",
    "border patrol",
    "cbp",
    "ice",
    "us marshals",
    "secret service",
)
_FILLER = {
    "state",
    "of",
    "the",
    "commonwealth",
    "usa",
    "us",
    "post",
    "certified",
    "certification",
    "in",
    "by",
    "from",
    "i",
    "was",
    "im",
    "am",
    "my",
    "it",
    "its",
    "is",
    "license",
    "licensed",
    "police",
    "officer",
    "standards",
    "and",
    "training",
    "commission",
    "board",
}


def _name_typo(word: str) -> str | None:
    """A state named with a typo (never a name cut short)."""
    best: list[tuple[int, str]] = []
    for name, code in _ALIASES.items():
        if len(name) < 4 or len(word) < 4 or name[0] != word[0] or name.startswith(word):
            continue
        allowed = 1 if len(name) <= 6 or len(word) <= 4 else 2 if len(name) <= 9 else 3
        d = edit_distance(word, name, allowed)
        if d <= allowed and abs(len(word) - len(name)) <= (1 if len(name) < 9 else 2):
            best.append((d, code))
    if not best:
        return None
    best.sort()
    codes = {c for d, c in best if d == best[0][0]}
    return codes.pop() if len(codes) == 1 else None


_CITIES = {
    "kansas city": ("MO", "KS"),
    "la county": ("CA", "LA"),
    "la sheriff": ("CA", "LA"),
    "lapd": ("CA",),
    "la pd": ("CA", "LA"),
    "los angeles": ("CA",),
    "la city": ("CA", "LA"),
    "l a": ("CA", "LA"),
    "washington county": ("WA",),
    "new york city": ("NY",),
}
_CONTEXT_AFTER = (
    "post",
    "dps",
    "dpsst",
    "state",
    "the state",
    "poc",
    "post certified",
    "certified",
    "certification",
    "license",
)
_CONTEXT_BEFORE = ("certified in", "licensed in", "certified by", "licensed by", "from", "state of", "in the state of")


def _coded(text: str, p: str) -> list[str]:
    """Codes in lower case that the context makes a state: "ga post", "certified in tn"."""
    words = p.split()
    found = []
    for i, w in enumerate(words):
        code = w.upper()
        if len(w) != 2 or code not in US_STATES:
            continue
        after = " ".join(words[i + 1 : i + 3])
        before = " ".join(words[max(0, i - 3) : i])
        if any(after.startswith(c) for c in _CONTEXT_AFTER) or any(before.endswith(c) for c in _CONTEXT_BEFORE):
            found.append(code)
    return found


def read_state(text: str) -> Reading:
    """`text` is cleaned and free of corrections."""
    p = phrase(text)
    compact = re.sub(r"[\s.\-]", "", text)
    if len(compact) == 2 and compact.upper() in US_STATES:
        if compact.lower() in AMBIGUOUS_CODES:
            return Reask("state_ambiguous", {"code": compact.upper(), "name": STATE_NAMES[compact.upper()]})
        return Parsed(compact.upper())
    if any_phrase(p, _FEDERAL):
        return Reask("state_federal", {})  # "Texas and the feds": which certified you, a state or not?
    for city, codes in _CITIES.items():
        if has_phrase(p, city) or (city == "lapd" and "lapd" in p.replace(" ", "")):
            rest = f" {p} ".replace(f" {city} ", " ").strip()
            others = [c for c in states_named(text.replace(city, ""), rest) if c not in codes or len(codes) == 1]
            if len(codes) == 1 and not others:
                return Parsed(codes[0])
            if len(set(others)) == 1 and others[0] in codes:
                return Parsed(others[0])
            if not others:
                return Reask("state_which", {"states": [STATE_NAMES[c] for c in codes]})
    core = " ".join(w for w in p.split() if w not in _FILLER) or p
    for candidate in (p, core, phrase(text.replace(".", ""))):
        if candidate in _ALIASES and candidate not in AMBIGUOUS_CODES:
            return Parsed(_ALIASES[candidate])
    if (
        core in ("mexico",)
        or (any_phrase(p, _FOREIGN) and not states_named(text, p))
        or any_phrase(p, ("british", "canadian", "mexican", "canada"))
    ):
        return Reask("state_not_us", {})
    if core in _PARTS:
        codes = _PARTS[core]
        if len(codes) == 1:
            return Parsed(codes[0])
        return Reask("state_which", {"states": [STATE_NAMES[c] for c in codes]})
    if " " not in core and (typo := _name_typo(core)):
        return Parsed(typo)
    if " " in core and core.replace(" ", "") in _ALIASES:
        return Parsed(_ALIASES[core.replace(" ", "")])
    if typo := _name_typo(core):
        return Parsed(typo)
    found = list(dict.fromkeys(states_named(text, p) + _coded(text, p)))
    if len(found) > 1:
        certified = [c for c in found if _certified_context(p, c)]
        kept = [c for c in found if not _negated_state(p, c)]
        found = certified if len(certified) == 1 else kept
    if len(found) == 1:
        return Parsed(found[0])
    if len(found) > 1:
        return Reask("state_several", {"states": [STATE_NAMES[c] for c in found]})
    return Reask("state_unknown", {})


def _mentions(p: str, code: str) -> list[int]:
    words = p.split()
    name = phrase(STATE_NAMES[code]).split()
    return [i for i in range(len(words)) if words[i : i + len(name)] == name or words[i] == code.lower()]


def _certified_context(p: str, code: str) -> bool:
    words = p.split()
    return any(
        any(w in ("certified", "licensed", "post", "from") for w in words[max(0, i - 3) : i])
        for i in _mentions(p, code)
    )


def _negated_state(p: str, code: str) -> bool:
    """ "not Georgia, Florida": a negation between the previous state named and this one."""
    words = p.split()
    starts = sorted(i for c in US_STATES for i in _mentions(p, c))
    for i in _mentions(p, code):
        before = max((j for j in starts if j < i), default=-1)
        if any(w in ("not", "never", "except") for w in words[before + 1 : i]):
            return True
    return False


def states_named(text: str, p: str) -> list[str]:
    """States named inside a sentence: full names, and unambiguous codes in capitals."""
    found: list[tuple[int, str]] = []
    rest = f" {p} "
    for name in sorted((n for n in _ALIASES if len(n) >= 4), key=len, reverse=True):
        key = f" {name} "
        if key in rest:
            found.append((rest.index(key), _ALIASES[name]))
            rest = rest.replace(key, " " + "#" * len(name) + " ")
    for m in re.finditer(r"\b([A-Z]{2})\b", text):
        code = m[1]
        if code in US_STATES and code.lower() not in AMBIGUOUS_CODES:
            found.append((10_000 + m.start(), code))
    return list(dict.fromkeys(code for _, code in sorted(found)))
