"""One of a question's options, read as a careful recruiter would.

By number ("2", "#2", "option 2", "the second one"), by name or by the words people use
("FBI" is federal, "Georgia POST" is another state, "BS in criminal justice" a bachelor's
degree), with small typos forgiven. Words that change the meaning are not ignored:
an unfinished degree ("associates in progress", "some college"), a status that is past
("was valid", "valid until 2020"), a job outside Alabama ("full time elsewhere"), a
negation ("not federal") or several options at once are asked again with the reason.
For the highest degree, naming several degrees means the highest of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dialogs.answers import FUTURE_DATE, spec
from dialogs.reading.dates import read_date
from dialogs.reading.places import names_alabama
from dialogs.reading.states import AMBIGUOUS_CODES, STATE_NAMES
from dialogs.reading.text import (
    ORDINAL_WORDS,
    Parsed,
    Reading,
    Reask,
    any_phrase,
    hedge,
    phrase,
    spelled_numbers,
)
from dialogs.reading.typos import closest

# The words that name each option. Matching ignores case and punctuation; each phrase is
# whole words. Option values are always names of themselves.
_OTHER_STATES = tuple(n.lower() for c, n in STATE_NAMES.items() if c != "AL")
VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "background": {
        "out_of_state": (
            "another state",
            "other state",
            "different state",
            "out of state",
            "state",
            "post",
            "state post",
            "certified",
            "certification",
            "licensed",
            "license",
            "police department",
            "pd",
            "sheriff",
            "sheriffs office",
            "sheriffs department",
            "deputy",
            "deputies",
            "trooper",
            "state trooper",
            "state police",
            "highway patrol",
            "city police",
            "local police",
            "city police department",
            "county sheriff",
            "police department in another state",
            *_OTHER_STATES,
        ),
        "federal": (
            "federal",
            "fed",
            "feds",
            "fbi",
            "dea",
            "atf",
            "usbp",
            "border patrol",
            "cbp",
            "ice",
            "hsi",
            "usms",
            "marshal",
            "marshals",
            "us marshal",
            "secret service",
            "usss",
            "fletc",
            "park police",
            "capitol police",
            "federal protective service",
            "fps",
            "va police",
            "bop",
            "federal agent",
            "special agent",
            "diplomatic security",
            "dss",
            "nps",
            "park ranger",
            "federal officer",
            "postal inspector",
            "oig",
            "irs ci",
            "fams",
            "air marshal",
            "pentagon police",
            "pfpa",
            "federal government",
            "homeland security",
            "dhs",
            "doj",
            "department of justice",
        ),
        "military_police": (
            "military",
            "military police",
            "mp",
            "mps",
            "master at arms",
            "ma",
            "31b",
            "31a",
            "95b",
            "5811",
            "5803",
            "security forces",
            "sf",
            "3p0x1",
            "army mp",
            "navy ma",
            "air force security forces",
            "usaf security forces",
            "marine mp",
            "army cid",
            "coast guard me",
            "maritime enforcement",
        ),
        "none": (
            "none",
            "neither",
            "none of these",
            "none of those",
            "none of them",
            "civilian",
            "no training",
            "nothing",
            "not a cop",
            "not an officer",
            "never been an officer",
            "no experience",
        ),
    },
    "certification_status": {
        "valid": (
            "valid",
            "active",
            "current",
            "good standing",
            "in good standing",
            "good",
            "still valid",
            "still active",
            "current and active",
            "active and valid",
            "certified",
            "good to go",
            "up to date",
            "current status",
        ),
        "lapsed": (
            "lapsed",
            "inactive",
            "expired",
            "not active",
            "no longer active",
            "went inactive",
            "let it lapse",
            "retired",
            "retired status",
            "dormant",
            "not current",
            "lapse",
            "nonactive",
            "non active",
        ),
        "suspended": ("suspended", "suspension", "on suspension"),
        "revoked": ("revoked", "decertified", "pulled", "taken away", "revocation", "stripped", "decert"),
    },
    "highest_degree": {
        "none": (
            "none",
            "no",
            "no degree",
            "nothing",
            "high school",
            "highschool",
            "hs",
            "hs diploma",
            "high school diploma",
            "ged",
            "diploma",
            "no college",
            "never went to college",
            "nope",
        ),
        "associate": (
            "associate",
            "associates",
            "associate degree",
            "associates degree",
            "aa",
            "as",
            "aas",
            "aat",
            "a a",
            "a s",
            "a a s",
            "2 year",
            "two year",
            "2 year degree",
            "2 yr degree",
            "junior college",
            "community college degree",
            "associate of arts",
            "associate of science",
            "associate of applied science",
            "asn",
            "adn",
        ),
        "bachelor": (
            "bachelor",
            "bachelors",
            "bachelor degree",
            "bachelors degree",
            "ba",
            "bs",
            "bsc",
            "bba",
            "bfa",
            "bss",
            "bsba",
            "bas",
            "b a",
            "b s",
            "b sc",
            "4 year",
            "four year",
            "4 year degree",
            "4 yr degree",
            "4 yr",
            "undergrad",
            "undergraduate",
            "undergraduate degree",
            "bachelor of science",
            "bachelor of arts",
            "baccalaureate",
            "bsn",
            "bsw",
            "bse",
            "bsee",
            "bsme",
            "bscs",
            "bsba",
            "bgs",
            "bls",
            "bsed",
        ),
        "master": (
            "master",
            "masters",
            "master degree",
            "masters degree",
            "ma",
            "ms",
            "msc",
            "mba",
            "mpa",
            "med",
            "m ed",
            "mcj",
            "mps",
            "msw",
            "mfa",
            "m a",
            "m s",
            "master of science",
            "master of arts",
            "master of public administration",
            "masters in criminal justice",
            "msn",
            "mph",
            "meng",
            "mat",
            "mpp",
            "msed",
            "llm",
        ),
        "doctorate": (
            "doctorate",
            "doctoral",
            "phd",
            "ph d",
            "jd",
            "j d",
            "edd",
            "ed d",
            "md",
            "dba",
            "psyd",
            "doctor",
            "doctor of philosophy",
            "juris doctor",
            "law degree",
            "dpa",
        ),
    },
    "alabama_employment": {
        "full_time": ("full time", "fulltime", "full", "ft", "already working full time", "sworn full time"),
        "part_time": ("part time", "parttime", "part", "pt"),
        "reserve": ("reserve", "reserves", "reservist", "reserve officer", "auxiliary", "volunteer"),
        "offer": (
            "offer",
            "offered",
            "job offer",
            "conditional offer",
            "conditional",
            "tentative offer",
            "offer letter",
            "got an offer",
            "have an offer",
            "pending hire",
            "start date",
            "starting soon",
            "contingent offer",
        ),
        "none": (
            "none",
            "no",
            "not yet",
            "looking",
            "still looking",
            "job hunting",
            "nothing yet",
            "no offer",
            "unemployed",
            "nope",
            "nothing",
            "searching",
            "applying",
            "applied",
            "interviewing",
            "just looking",
            "exploring",
            "researching",
            "considering",
            "thinking about it",
            "not employed",
            "not working",
            "not hired",
            "not hired yet",
        ),
    },
}

_NEGATIONS = {
    "not",
    "no",
    "never",
    "non",
    "dont",
    "didnt",
    "isnt",
    "wasnt",
    "arent",
    "havent",
    "hasnt",
    "neither",
    "nor",
    "without",
    "except",
}
_INCOMPLETE = (
    "in progress",
    "pursuing",
    "working on",
    "working towards",
    "working toward",
    "currently",
    "enrolled",
    "almost",
    "halfway",
    "half way",
    "partial",
    "incomplete",
    "dropped out",
    "credits",
    "credit hours",
    "not finished",
    "didnt finish",
    "did not finish",
    "unfinished",
    "expected",
    "will graduate",
    "graduating",
    "some college",
    "some",
    "started",
    "attending",
    "in school",
    "close to",
    "nearly",
    "few classes",
    "couple classes",
    "semester",
    "semesters",
    "candidate",
    "student",
    "abd",
    "all but dissertation",
    "classes left",
    "class left",
    "classes short",
    "class short",
    "short of",
    "minus",
    "next spring",
    "next fall",
    "next summer",
    "next year",
    "this spring",
    "this fall",
    "pending",
    "class of",
    "in the works",
    "on track",
)
_NOT_EARNED = (
    "honorary",
    "equivalent",
    "equivalency",
    "level",
    "through military training",
    "life experience",
    "credit for experience",
)
_CERTIFICATE = ("certificate", "certification", "cert", "certs")
_PAST = (
    "was",
    "used to be",
    "until i left",
    "when i left",
    "back then",
    "at the time",
    "before",
    "previously",
    "formerly",
    "had been",
    "expired in",
    "until",
)
_NOT_ALABAMA = (
    "elsewhere",
    "another state",
    "other state",
    "different state",
    "out of state",
    "back home",
    "at home",
    "home state",
    "not alabama",
    "not in alabama",
    "outside alabama",
    "federal",
    "military",
    "army",
    "navy",
    "current agency",
    "current department",
    "my department",
    *_OTHER_STATES,
)
_AGENCY = (
    "pd",
    "police",
    "police department",
    "sheriff",
    "sheriffs",
    "sheriffs office",
    "so",
    "department",
    "county",
    "city",
    "office",
    "agency",
    "da",
    "marshal",
    "troopers",
    "dps",
    "university police",
)
_ROLES = (
    "dispatcher",
    "dispatch",
    "jailer",
    "jail",
    "detention",
    "corrections",
    "correctional",
    "doc",
    "civilian",
    "clerk",
    "records",
    "firefighter",
    "fire",
    "ems",
    "emt",
    "paramedic",
    "security guard",
    "security officer",
    "private security",
    "mall",
    "loss prevention",
    "bailiff",
    "court officer",
    "crossing guard",
    "animal control",
    "code enforcement",
)
_MILITARY_BRANCHES = (
    "army",
    "navy",
    "air force",
    "usaf",
    "marines",
    "marine corps",
    "marine",
    "usmc",
    "coast guard",
    "uscg",
    "national guard",
    "guard",
    "soldier",
    "airman",
    "sailor",
    "reserves",
    "infantry",
    "pilot",
    "corpsman",
    "medic",
    "seal",
    "ranger",
    "special forces",
    "11b",
    "0311",
    "boarding officer",
    "cook",
    "mechanic",
    "nco",
)


@dataclass(frozen=True)
class _Match:
    option: int
    start: int
    words: int


def _number(text: str, count: int) -> int | None:
    """The option number if the message is just a number ("2", "#2", "option 2", "the second")."""
    ws = [w for w in phrase(text).split() if w not in ("the", "option", "choice", "one", "please", "number", "answer")]
    if len(ws) == 1 and ws[0] in ORDINAL_WORDS:
        return ORDINAL_WORDS[ws[0]]
    if len(ws) == 1 and (m := re.fullmatch(r"(\d)(?:st|nd|rd|th)", ws[0])):
        return int(m[1])
    p = phrase(spelled_numbers(text))
    m = re.fullmatch(r"(?:(?:option|number|choice|no|nr|num|answer|pick|the)\s+)?(\d{1,3})(?:\s+(?:one|please))?", p)
    if m:
        return int(m[1])
    m = re.fullmatch(r"(\d)(?:st|nd|rd|th)(?:\s+one)?", p)
    return int(m[1]) if m else None


def _names(field: str, values: Sequence[str]) -> list[list[str]]:
    vocab = VOCABULARY.get(field, {})
    return [[phrase(v.replace("_", " ")), *(phrase(s) for s in vocab.get(v, ()))] for v in values]


def _found(p: str, names: list[list[str]]) -> list[_Match]:
    """Every option named in `p`, longest names first; shorter names inside a longer
    match do not count twice ("state police" is not also "police")."""
    taken: list[tuple[int, int]] = []
    found: list[_Match] = []
    ws = p.split()
    candidates = sorted(((len(n.split()), i, n) for i, ns in enumerate(names) for n in ns if n), reverse=True)
    for length, option, name in candidates:
        target = name.split()
        for start in range(len(ws) - length + 1):
            if ws[start : start + length] != target:
                continue
            span = (start, start + length)
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            found.append(_Match(option, start, length))
    return found


def _untypo(p: str, names: list[list[str]]) -> str:
    """Each word that is not a word of any name but a small typo of exactly one ("miltary",
    "bachlors", "assoicate"), or of 4+ letters the start of words of one option only ("milit",
    "assoc", "reserv"), replaced by that word."""
    owners: dict[str, set[int]] = {}
    for i, ns in enumerate(names):
        for n in ns:
            for w in n.split():
                owners.setdefault(w, set()).add(i)
    out = []
    for w in p.split():
        if w not in owners and len(w) >= 5:
            w = closest(w, (k for k in owners if len(k) >= 5)) or w
        if w not in owners and len(w) >= 4 and w.isalpha():
            starts = [k for k in owners if k.startswith(w)]
            if starts and len(set().union(*(owners[k] for k in starts))) == 1:
                w = min(starts, key=len)
        out.append(w)
    return " ".join(out)


def _initials(p: str) -> str:
    """ "f b i" -> "fbi", "b s" -> "bs": letters typed with dots ("F.B.I.", "B.S.")."""
    return re.sub(r"\b([a-z])\b(?: ([a-z])\b)+", lambda m: m[0].replace(" ", ""), p)


def read_choice(text: str, field: str, today: date) -> Reading:
    values = spec(field).choices
    count = len(values)
    number = _number(text, count)
    if number is not None:
        if 1 <= number <= count:
            return Parsed(values[number - 1])
        return Reask("choice_number", {"field": field, "count": count})
    lead = re.match(
        r"\s*#?(\d{1,2})(?:\s*[.):,]\s*|\s+-\s+|\s*(?=\()|\s+(?=[a-z]+\s+[a-z]))(?=\S)", text, re.IGNORECASE
    )
    if lead and re.match(r"\s*(?:-?\s*(?:years?|yrs?|yr|year)\b)", text[lead.end() :], re.IGNORECASE):
        lead = None  # "2 year degree": a quantity, not an option number
    if lead:  # "2 (Army MP)": the number and the words must agree
        by_number = int(lead[1])
        by_words = read_choice(text[lead.end() :], field, today)
        if not 1 <= by_number <= count:
            return Reask("choice_number", {"field": field, "count": count})
        if isinstance(by_words, Parsed) and by_words.value == values[by_number - 1]:
            return by_words
        if isinstance(by_words, Parsed) or any_phrase(
            phrase(text[lead.end() :]), [n for ns in _names(field, values) for n in ns]
        ):
            return Reask("choice_conflict", {"field": field})
        return Parsed(values[by_number - 1])
    p = _initials(phrase(spelled_numbers(re.sub(r"\b(in|non|un)-(\w)", r"\1\2", text, flags=re.IGNORECASE))))
    names = _names(field, values)
    special = _special(field, p, today, text)
    if special is not None:
        return special
    p = _untypo(p, names)
    matches = _found(p, names)
    if not matches:
        return Reask("choice_unclear", {"field": field})
    words_left = p.split()
    for m in matches:
        for k in range(m.start, m.start + m.words):
            words_left[k] = ""
    before_each = {m.option: p.split()[max(0, m.start - 2) : m.start] for m in matches}
    if any(w in _NEGATIONS for m in matches for w in before_each[m.option]) or any(w in _NEGATIONS for w in words_left):
        if not (field == "highest_degree" and {values[m.option] for m in matches} == {"none"}):
            return Reask("choice_negated", {"field": field})
    options = sorted({m.option for m in matches})
    if len(options) > 1:
        if field == "highest_degree":  # "bachelor's and master's": the highest counts
            return Parsed(values[max(options)], "highest_of", {"count": len(options)})
        return Reask("choice_several", {"field": field, "options": [values[o] for o in options]})
    if hedge(text):
        return Reask("choice_hedge", {"field": field})
    return Parsed(values[options[0]])


_BARE_NO = {"no", "nope", "nah", "never", "n", "no thanks", "nothing", "no no"}


def _special(field: str, p: str, today: date, text: str) -> Reading | None:
    """Words that change what an option would mean, per question."""
    if field == "background" and p in _BARE_NO:
        return Reask("background_no", {"field": field})  # ends the screening: only "none of these" says so
    if field == "highest_degree":
        if any_phrase(p, _INCOMPLETE) or any(int(y) > today.year for y in re.findall(r"\b(20\d\d)\b", p)):
            return Reask("degree_incomplete", {"field": field})
        if any_phrase(p, _NOT_EARNED):
            return Reask("degree_not_earned", {"field": field})
        if any_phrase(p, _CERTIFICATE) and not any_phrase(
            p, ("degree", "bachelor", "bachelors", "associate", "associates", "master", "masters")
        ):
            return Reask("degree_certificate", {"field": field})
        if any_phrase(
            p,
            ("college degree", "college graduate", "college grad", "graduated college", "university degree", "degree"),
        ) and not _found(p, _names(field, spec(field).choices)):
            return Reask("degree_which", {"field": field})
        if any_phrase(
            p, ("graduate degree", "grad degree", "grad school", "postgraduate", "post graduate")
        ) and not any_phrase(p, ("master", "masters", "doctorate", "phd")):
            return Reask("degree_graduate_level", {"field": field})
    if field == "certification_status":
        valid_words = ("valid", "active", "current", "good", "good standing")
        expiry = re.search(
            r"\b(?:until|till|til|thru|through|to|expires in|expires on|expires|expiring|exp|"
            r"expiration|good through|good until|renew by|renews)\b\s*(.+)$",
            text,
            re.IGNORECASE,
        )
        ends = _expiry(expiry[1], today) if expiry else None
        if ends is not None and (
            any_phrase(p, valid_words) or any_phrase(p, ("expires", "expiring", "exp", "expiration", "renews"))
        ):
            if ends < today:
                return Reask("status_expired_then", {"field": field, "year": ends.year})
            return Parsed("valid", "valid_until", {"year": ends.year})
        if any_phrase(p, ("expires", "expiring", "will expire", "expires soon", "expiring soon")):
            return Parsed("valid", "expires_later")
        if any_phrase(p, _PAST) and any_phrase(p, valid_words):
            return Reask("status_past", {"field": field})
        if any_phrase(p, ("reinstated", "pending", "under review", "investigation", "probation")):
            return Reask("status_pending", {"field": field})
    if field == "alabama_employment":
        if any_phrase(p, _ROLES):
            return Reask("employment_role", {"field": field})
        if (any_phrase(p, _NOT_ALABAMA) or _other_state_code(text)) and not names_alabama(p):
            return Reask("employment_not_alabama", {"field": field})
        if any_phrase(p, _AGENCY) and not names_alabama(p) and not any_phrase(p, ("offer", "none", "not yet")):
            return Reask("employment_where", {"field": field})
        if any_phrase(p, ("offer", "offered")) and any_phrase(
            p,
            (
                "waiting",
                "hoping",
                "expecting",
                "rescinded",
                "fell through",
                "turned down",
                "declined",
                "withdrawn",
                "pulled",
                "no longer",
                "lost",
                "revoked",
            ),
        ):
            return Parsed("none", "no_offer_yet")
        if any_phrase(p, ("hired", "got hired", "been hired", "got the job")):
            if any_phrase(
                p,
                (
                    "start",
                    "starting",
                    "starts",
                    "begin",
                    "begins",
                    "pending",
                    "academy starts",
                    "next month",
                    "next week",
                    "soon",
                    "in january",
                    "conditional",
                    "background",
                ),
            ):
                return Parsed("offer", "hired_not_started")
            return Reask("employment_which", {"field": field})
        if any_phrase(
            p,
            (
                "work for",
                "work at",
                "work with",
                "employed",
                "employed by",
                "employed with",
                "employed at",
                "i work",
                "working for",
                "working at",
                "currently employed",
            ),
        ) and not _found(p, _names(field, spec(field).choices)):
            return Reask("employment_which", {"field": field})
    if field == "background":
        if (
            names_alabama(p)
            and not any_phrase(p, ("not alabama", "outside alabama"))
            and not any_phrase(p, _OTHER_STATES)
        ):
            return Reask("background_alabama", {"field": field})
        if any_phrase(p, _MILITARY_BRANCHES) and not any_phrase(p, VOCABULARY["background"]["military_police"]):
            return Reask("background_military_role", {"field": field})
        if any_phrase(
            p,
            (
                "corrections",
                "correctional",
                "jailer",
                "detention",
                "jail",
                "dispatcher",
                "dispatch",
                "security guard",
                "private security",
                "probation officer",
                "parole officer",
                "bailiff",
                "game warden",
            ),
        ):
            return Reask("background_other_role", {"field": field})
        if any_phrase(p, ("canada", "canadian", "mexico", "uk", "england", "foreign", "overseas", "abroad")):
            return Reask("background_foreign", {"field": field})
    return None


def _expiry(rest: str, today: date) -> date | None:
    """The day a certification runs to, from the words after "until", "expires"...: the last day
    of a month or year given without the day."""
    rest = re.sub(r"[)\]]+.*$", "", rest).strip()
    year = re.fullmatch(r"(\d{4})", rest)
    if year:
        return date(int(year[1]), 12, 31)
    reading = read_date(rest, today, FUTURE_DATE, latest=date.max)
    if isinstance(reading, Parsed):
        return reading.value.latest
    if isinstance(reading, Reask) and reading.code == "date_past":
        past = read_date(rest, today, "date")
        return past.value.latest if isinstance(past, Parsed) else None
    return None


def _other_state_code(text: str) -> bool:
    """A two-letter code of a state other than Alabama: in capitals ("Columbus GA"), or after
    "in", "from" or "at" ("full time in fl")."""
    capitals = {c for c in re.findall(r"\b([A-Z]{2})\b", text) if c in STATE_NAMES and c != "AL"}
    placed = {
        c.upper()
        for c in re.findall(r"\b(?:in|from|at)\s+([A-Za-z]{2})\b", text)
        if c.upper() in STATE_NAMES and c.upper() != "AL" and c.lower() not in AMBIGUOUS_CODES
    }
    return bool(capitals - {"OK", "IN", "ME", "OR", "HI", "OH", "AS", "PD", "SO"} or placed)
