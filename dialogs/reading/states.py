"""A U.S. state or territory: "GA", "Georgia", "N. Carolina", "Gerogia", "certified in Georgia".

Two-letter codes that are also everyday words ("ok", "hi", "in", "me", "or", "oh", "as")
are not taken for a state on their own: "1" then "ok" is an acknowledgement, not Oklahoma.
A part of a name shared by several ("Carolina", "Virgin") is asked again with the
candidates; a name cut short is not guessed ("Virgin" is not Virginia).
"""
from __future__ import annotations

import re

from dialogs.answers import US_STATES
from dialogs.reading.text import Parsed, Reask, Reading, any_phrase, phrase
from dialogs.reading.typos import edit_distance

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

AMBIGUOUS_CODES = {"ok", "hi", "oh", "in", "me", "or", "as"}  # also everyday words

_ALIASES: dict[str, str] = {phrase(name): code for code, name in STATE_NAMES.items()}
_ALIASES.update({
    "washington dc": "DC", "washington d c": "DC", "d c": "DC", "the district": "DC", "dc": "DC",
    "us virgin islands": "VI", "virgin islands": "VI", "united states virgin islands": "VI", "usvi": "VI",
    "northern marianas": "MP", "mariana islands": "MP", "cnmi": "MP", "saipan": "MP",
    "commonwealth of puerto rico": "PR", "washington state": "WA", "new york state": "NY", "nys": "NY",
    "new york city": "NY", "nyc": "NY", "massachusets": "MA", "cali": "CA", "socal": "CA", "norcal": "CA",
    "jersey": "NJ", "new jersy": "NJ", "n carolina": "NC", "s carolina": "SC", "n dakota": "ND", "s dakota": "SD",
    "w virginia": "WV", "west va": "WV", "no carolina": "NC", "so carolina": "SC", "rhode": "RI", "hampshire": "NH",
    # AP-style abbreviations
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO", "conn": "CT",
    "del": "DE", "fla": "FL", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS", "mass": "MA",
    "mich": "MI", "minn": "MN", "miss": "MS", "mont": "MT", "neb": "NE", "nebr": "NE", "nev": "NV",
    "okla": "OK", "ore": "OR", "oreg": "OR", "penn": "PA", "penna": "PA", "tenn": "TN", "tex": "TX",
    "wash": "WA", "wva": "WV", "wis": "WI", "wisc": "WI", "wyo": "WY", "n mex": "NM", "n dak": "ND",
    "s dak": "SD", "la": "LA",
})
_PARTS = {"carolina": ("NC", "SC"), "dakota": ("ND", "SD"), "virgin": ("VA", "VI"), "island": ("RI", "VI", "MP"),
          "islands": ("VI", "MP"), "mariana": ("MP",), "samoa": ("AS",), "west": ("WV",),
          "north": ("NC", "ND", "MP"), "south": ("SC", "SD"), "new": ("NH", "NJ", "NM", "NY"), "york": ("NY",)}
_FOREIGN = ("mexico", "canada", "ontario", "quebec", "british columbia", "alberta", "uk", "england", "germany",
            "philippines", "overseas", "abroad", "europe")
_FEDERAL = ("federal", "fletc", "fbi", "dea", "atf", "military", "army", "navy", "marines", "air force")
_FILLER = {"state", "of", "the", "commonwealth", "usa", "us", "post", "certified", "certification", "in", "by",
           "from", "i", "was", "im", "am", "my", "it", "its", "is", "license", "licensed", "police", "officer",
           "standards", "and", "training", "commission", "board"}


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


def read_state(text: str) -> Reading:
    """`text` is cleaned and free of corrections."""
    p = phrase(text)
    compact = re.sub(r"[\s.]", "", text)
    if len(compact) == 2 and compact.upper() in US_STATES:
        if compact.lower() in AMBIGUOUS_CODES:
            return Reask("state_ambiguous", {"code": compact.upper(), "name": STATE_NAMES[compact.upper()]})
        return Parsed(compact.upper())
    core = " ".join(w for w in p.split() if w not in _FILLER) or p
    for candidate in (p, core, phrase(text.replace(".", ""))):
        if candidate in _ALIASES and candidate not in AMBIGUOUS_CODES:
            return Parsed(_ALIASES[candidate])
    if any_phrase(p, _FEDERAL) and not _named(text, p):
        return Reask("state_federal", {})
    if core in ("mexico",) or (any_phrase(p, _FOREIGN) and not _named(text, p)):
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
    found = _named(text, p)
    if len(found) == 1:
        return Parsed(found[0])
    if len(found) > 1:
        return Reask("state_several", {"states": [STATE_NAMES[c] for c in found]})
    return Reask("state_unknown", {})


def _named(text: str, p: str) -> list[str]:
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

