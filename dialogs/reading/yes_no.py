"""Yes or no, read as a careful recruiter would.

A message counts as yes or no when it says so: a yes/no word ("yep", "nope", "absolutely
not"), an answer in the question's own words ("I did", "I wasn't", "a green card" to the
citizenship question), clause by clause, with a negation applying to the words it stands
before ("not a U.S. citizen" is no, "never dropped out" is yes). A message that talks about
something else gets the question explained and asked again: "I was 31B" to the Security
Police question (31B is Military Police), "had a DUI" to the felony question (a DUI is
usually a misdemeanor). Asked again too: hedges ("I think so", "not that I'm aware of"),
refusals ("I'd rather not say"), clauses that disagree ("not exempted, I was
grandfathered"), and qualified answers ("yes but..."): "not sure" is always a fine answer.

On questions whose yes excludes or bars (a felony, grandfathered, a Security Police code,
an expunged record, a correspondence degree) only an unmistakable yes counts: "sure", "ok"
or a thumbs-up are asked again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dialogs.answers import spec
from dialogs.reading.text import Parsed, Reading, Reask, any_phrase, has_phrase, hedge, phrase, spelled_numbers

MAX_WORDS = 14  # longer than this is a story, not an answer: ask for just yes or no

_STRONG_YES = {
    "yes",
    "yeah",
    "yea",
    "yep",
    "yup",
    "yah",
    "ya",
    "yas",
    "yess",
    "yesss",
    "yessir",
    "yesh",
    "yeh",
    "correct",
    "affirmative",
    "true",
    "absolutely",
    "definitely",
    "certainly",
    "indeed",
    "aye",
    "si",
    "sí",
    "affirm",
    "confirmed",
}
_SOFT_YES = {"sure", "yeppers", "uhhuh", "mhm", "mhmm", "roger", "bet", "yessum", "totally", "right"}
_STRONG_NO = {
    "no",
    "nope",
    "nah",
    "naw",
    "nay",
    "never",
    "negative",
    "false",
    "incorrect",
    "nada",
    "nopes",
    "nop",
    "noo",
    "nooo",
    "nein",
    "non",
    "none",
    "nothing",
    "zero",
    "nobody",
    "nunca",
}
_NEGATORS = {
    "not",
    "never",
    "didnt",
    "dont",
    "doesnt",
    "havent",
    "hasnt",
    "hadnt",
    "wasnt",
    "werent",
    "isnt",
    "arent",
    "aint",
    "cant",
    "cannot",
    "wont",
    "wouldnt",
    "nor",
    "neither",
    "without",
    "nunca",
    "nothing",
}
_EMPHATIC_NO = (
    "absolutely not",
    "definitely not",
    "certainly not",
    "of course not",
    "hell no",
    "heck no",
    "god no",
    "no way",
    "not at all",
    "not ever",
    "no sir",
    "no maam",
    "not me",
    "negative ghost rider",
    "not a chance",
    "never ever",
    "no no",
)
_EMPHATIC_YES = (
    "of course",
    "you bet",
    "thats right",
    "that is right",
    "thats correct",
    "that is correct",
    "hell yes",
    "heck yes",
    "yes sir",
    "yes maam",
    "for sure",
    "i sure did",
    "sure did",
    "sure have",
)
_REFUSALS = (
    "rather not",
    "prefer not",
    "no comment",
    "none of your business",
    "not your business",
    "cant tell you",
    "cannot tell you",
    "wont tell",
    "not going to say",
    "not gonna say",
    "decline to",
    "dont want to say",
    "dont want to answer",
    "not saying",
    "wont say",
    "im not saying",
    "not telling",
    "plead the fifth",
    "pass on that",
    "skip this",
    "skip that",
    "private matter",
)
_AUX = {"did", "do", "does", "have", "has", "had", "was", "is", "am", "are", "were", "will", "would", "can"}
_PRONOUNS = {"i", "it", "they", "we", "he", "she", "im", "its", "yes", "so", "indeed", "sure", "yeah", "ive", "id"}
_FILLER = {
    "sir",
    "maam",
    "mam",
    "please",
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "lol",
    "haha",
    "well",
    "um",
    "uh",
    "oh",
    "ah",
    "ok",
    "okay",
    "just",
    "really",
    "honestly",
    "sadly",
    "unfortunately",
    "sorry",
    "bro",
    "man",
    "dude",
    "buddy",
    "the",
    "a",
    "an",
    "of",
    "to",
    "that",
    "thats",
    "this",
    "one",
    "at",
    "all",
    "ever",
    "again",
    "still",
    "also",
    "then",
    "now",
    "here",
    "there",
    "yall",
    "officer",
    "ma",
    "am",
    "pal",
    "friend",
    "boss",
    "fam",
    "brother",
    "sis",
    "mate",
    "chief",
    "captain",
    "sergeant",
    "sarge",
    "in",
    "on",
    "for",
    "with",
    "and",
    "be",
    "been",
    "my",
    "me",
}
# A letter alone is an answer only as the whole message: "y", "N." (never a stray "n" in "\n" or "%n").
_LETTERS = {"y": True, "n": False}
# Not an answer to a yes/no question: asked again (never read as the "n" of "n/a").
_NOT_APPLICABLE = {
    "n a",
    "na",
    "not applicable",
    "doesnt apply",
    "does not apply",
    "dont apply",
    "not relevant",
    "irrelevant",
    "no record",
    "no records",
    "none on record",
    "no record of it",
    "no record of that",
}
_QUALIFIERS = (
    "but",
    "except",
    "although",
    "though",
    "however",
    "unless",
    "only if",
    "if",
    "other than",
    "apart from",
    "aside from",
    "besides",
    "partially",
    "partly",
    "half",
    "minus",
    "excluding",
    "except for",
    "save for",
)
_CLAUSE = re.compile(
    r"[,;:()\[\]{}/|]+|\s[-–—]+\s|\s[-–—]+|[-–—]+\s|\.\s+|\b(?:but|though|although|however|except|"
    r"unless|whereas|yet)\b",
    re.IGNORECASE,
)
_QUALIFIER_SPLIT = re.compile(r"\b(?:but|though|although|however|except|unless|whereas|yet)\b", re.IGNORECASE)
_YES_EMOJI = "\U0001f44d\u2705\u2714\u2611\U0001f44c\U0001f197\U0001f646"
_NO_EMOJI = "\U0001f44e\u274c\u2716\U0001f6ab\u26d4\u274e\U0001f645"
_STRETCHED = (
    (re.compile(r"y+e+[sz]+|ye+[sz]+h*|ya+[sz]+"), "yes"),
    (re.compile(r"no+"), "no"),
    (re.compile(r"no+pe+|nop+e*"), "nope"),
    (re.compile(r"na+h+"), "nah"),
    (re.compile(r"ye+a+h+"), "yeah"),
    (re.compile(r"ye+p+|yu+p+"), "yep"),
)


@dataclass(frozen=True)
class Topic:
    """Words that show what an answer says about the question, or that it talks about something
    else. `implies`: the answer the words give on their own (None: nothing; explain and ask
    again); `fits`: answers that, said with these words, stand as they are; `patterns`: regular
    expressions for what words cannot catch ("Canadian citizen", "when I was 16")."""

    code: str
    phrases: tuple[str, ...] = ()
    implies: bool | None = None
    fits: frozenset[bool] = frozenset()
    patterns: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()  # words that make these ones say nothing ("Canadian" before "citizen")

    def position(self, p: str, whole: str = "") -> tuple[int, int] | None:
        """Where in the words of `p` the topic is first named, and in how many words (`whole`:
        the whole message, where the words of `unless` are looked for)."""
        if any(has_phrase(whole or p, u) for u in self.unless):
            return None
        found = [(_index(p, n), len(n.split())) for n in self.phrases if has_phrase(p, n)]
        found += [
            (len(p[: m.start()].split()), len(m[0].split()))
            for pattern in self.patterns
            if (m := re.search(pattern, p))
        ]
        return min(found) if found else None


def _index(p: str, needle: str) -> int:
    return len(f" {p} "[: f" {p} ".index(f" {needle} ")].split())


_MP_CODES = (
    "31b",
    "31a",
    "31d",
    "31e",
    "31k",
    "95b",
    "5811",
    "5812",
    "5813",
    "5816",
    "5821",
    "5803",
    "ma",
    "master at arms",
    "masters at arms",
    "master of arms",
    "maritime enforcement",
    "mp",
    "mps",
    "military police",
    "military policeman",
    "k9 handler",
    "cid",
    "army cid",
)
_SF_CODES = (
    "3p0x1",
    "3p0",
    "3p",
    "3p051",
    "3p071",
    "31p",
    "31p3",
    "811x0",
    "811x2",
    "812x0",
    "81150",
    "81132",
    "81170",
    "security forces",
    "security force",
    "sf",
    "defender",
    "defenders",
    "secfo",
)
_MINOR = (
    "misdemeanor",
    "misdemeanour",
    "misdemeanors",
    "misd",
    "dui",
    "dwi",
    "owi",
    "oui",
    "duid",
    "traffic",
    "speeding",
    "ticket",
    "tickets",
    "citation",
    "infraction",
    "violation",
    "reckless driving",
    "petty",
    "minor offense",
    "disorderly",
    "disorderly conduct",
    "public intoxication",
    "underage drinking",
    "trespassing",
    "trespass",
    "marijuana",
    "possession",
    "weed",
    "minor in possession",
    "mip",
)
_VIOLENT = (
    "assault",
    "battery",
    "domestic",
    "violence",
    "violent",
    "robbery",
    "burglary",
    "felony",
    "theft",
    "fraud",
    "forgery",
    "larceny",
    "moral turpitude",
    "shoplifting",
    "stealing",
    "embezzlement",
    "false statement",
    "perjury",
    "bribery",
)
_OTHER_CITIZEN = (
    r"\b(?!us\b|u\b|s\b|usa\b|american\b|a\b|an\b|natural\b|naturalized\b|dual\b|born\b|"
    r"states\b|full\b|proud\b|united\b|senior\b|the\b|am\b|im\b|i\b|yes\b|yeah\b|yep\b|"
    r"a\b|law\b|abiding\b|good\b)[a-z]+ citizen\b"
)
_NOT_US = (
    "canadian",
    "mexican",
    "british",
    "english",
    "german",
    "french",
    "indian",
    "chinese",
    "filipino",
    "cuban",
    "jamaican",
    "haitian",
    "nigerian",
    "korean",
    "vietnamese",
    "brazilian",
    "colombian",
    "guatemalan",
    "honduran",
    "salvadoran",
    "dominican",
    "venezuelan",
    "ukrainian",
    "russian",
    "polish",
    "italian",
    "irish",
    "australian",
    "japanese",
    "pakistani",
    "iranian",
    "foreign",
    "uk",
    "u k",
    "citizenship pending",
    "naturalization pending",
)

# "No record", "a clean record": no, on the questions about a criminal record; "I have a
# record" says nothing about a felony (a record may hold only misdemeanors): asked again.
_CLEAN_RECORD = (
    "no record",
    "no records",
    "no criminal record",
    "no criminal history",
    "clean record",
    "clean criminal record",
    "clean background",
    "spotless record",
    "nothing on my record",
)
_RECORD_TOPICS = (
    Topic("record_clean", _CLEAN_RECORD, implies=False, fits=frozenset({False})),
    Topic(
        "record_some",
        ("record", "records", "criminal record", "criminal history", "rap sheet"),
        fits=frozenset({False}),
        unless=_CLEAN_RECORD,
    ),
)
TOPICS: dict[str, tuple[Topic, ...]] = {
    "felony_conviction": (
        Topic(
            "felony_plea",
            (
                "no contest",
                "nolo",
                "nolo contendere",
                "plea deal",
                "plea bargain",
                "pled guilty",
                "pleaded guilty",
                "pled no contest",
                "pleaded no contest",
            ),
        ),
        Topic(
            "felony_deferred",
            (
                "deferred adjudication",
                "deferred",
                "diversion",
                "pretrial diversion",
                "first offender",
                "probation before judgment",
                "withheld adjudication",
                "adjudication withheld",
            ),
        ),
        Topic("felony_vacated", ("overturned", "vacated", "reversed", "on appeal", "appealed", "set aside")),
        Topic("felony_expunged", ("expunged", "expungement", "expunge", "sealed", "sealed record")),
        Topic("felony_dui", ("felony dui", "dui felony", "felony dwi", "dwi felony"), implies=None),
        Topic("felony_misdemeanor", _MINOR, fits=frozenset({False})),
        Topic(
            "felony_arrest",
            (
                "arrested",
                "arrest",
                "charged",
                "charges",
                "charge",
                "dismissed",
                "dropped",
                "acquitted",
                "not guilty",
                "indicted",
                "nolle",
                "nolle prossed",
                "pending",
            ),
            fits=frozenset({False}),
        ),
        Topic("felony_pardon", ("pardon", "pardoned", "clemency")),
        Topic(
            "felony_juvenile",
            ("juvenile", "as a minor", "youthful offender", "as a kid", "as a teen", "teenager", "adjudicated"),
            patterns=(r"\b(?:when i was|at age|age|at|aged)\s+1[0-7]\b", r"\b1[0-7] (?:years? old|yo)\b"),
        ),
        Topic(
            "felony_military",
            ("court martial", "courtmartial", "ucmj", "article 15", "njp", "bcd", "bad conduct discharge"),
        ),
        Topic(
            "felony_yes",
            (
                "convicted of a felony",
                "felony conviction",
                "convicted felon",
                "am a felon",
                "im a felon",
                "i am a felon",
                "was a felony",
                "a felony",
                "one felony",
                "felon",
                "ex felon",
                "convicted",
            ),
            implies=True,
            fits=frozenset({True}),
        ),
        *_RECORD_TOPICS,
    ),
    "expunged_record": (
        Topic("expunged_sealed", ("sealed", "set aside", "pardon", "pardoned", "cleared", "record cleared")),
        Topic(
            "expunged_minor",
            _MINOR + ("arrest", "arrested", "charge", "juvenile"),
            fits=frozenset({False}),
            unless=_VIOLENT,
        ),
        Topic("expunged_violent", _VIOLENT, implies=True, fits=frozenset({True})),
        *_RECORD_TOPICS,
    ),
    "security_police_primary_code": (
        Topic("security_police_sf", (*_SF_CODES, "sp", "air force sp", "af sp", "air force"), fits=frozenset({True})),
        Topic("security_police_mp", _MP_CODES, fits=frozenset({False})),
        Topic("security_police_yes", ("security police",), implies=True, fits=frozenset({True})),
    ),
    "grandfathered_or_exempted": (
        Topic(
            "grandfathered_waiver",
            (
                "waiver",
                "waived",
                "lateral",
                "reciprocity",
                "equivalency",
                "transfer",
                "transferred",
                "bridge course",
                "refresher",
            ),
        ),
        Topic(
            "grandfathered_partly",
            (
                "part of it",
                "part of the academy",
                "from pt",
                "from part",
                "some of",
                "one block",
                "a block",
                "portions",
            ),
        ),
        Topic(
            "grandfathered_no_academy",
            (
                "no academy",
                "never went to the academy",
                "never went to an academy",
                "didnt go to the academy",
                "didnt go to an academy",
                "did not go to the academy",
                "didnt have to go",
                "did not have to go",
                "skipped the academy",
                "without the academy",
                "without an academy",
                "never attended",
            ),
            fits=frozenset({True}),
        ),
        Topic(
            "grandfathered_yes",
            (
                "grandfathered",
                "grandfathered in",
                "grandfather",
                "exempted",
                "exempt",
                "instead of the academy",
                "instead of going",
                "rather than completing",
                "rather than going",
            ),
            implies=True,
            fits=frozenset({True}),
        ),
        Topic(
            "grandfathered_trained",
            (
                "went through the academy",
                "went through an academy",
                "completed the academy",
                "completed an academy",
                "completed basic",
                "completed it",
                "graduated",
                "graduated the academy",
                "graduated from the academy",
                "finished the academy",
                "attended the academy",
                "attended an academy",
                "did the academy",
                "did the full academy",
                "completed training",
                "completed basic training",
                "fletc",
                "post academy",
                "police academy",
            ),
            implies=False,
            fits=frozenset({False}),
        ),
    ),
    "degree_by_correspondence": (
        Topic(
            "correspondence_partial",
            (
                "some classes",
                "some courses",
                "a few classes",
                "half",
                "a mix",
                "mix of",
                "partly",
                "partially",
                "part of it",
                "some of it",
                "a couple classes",
                "some correspondence",
                "credits",
                "a few courses",
                "one class",
            ),
        ),
        Topic(
            "correspondence_online",
            (
                "online",
                "distance",
                "distance learning",
                "virtual",
                "remote",
                "hybrid",
                "e learning",
                "elearning",
                "web based",
            ),
            fits=frozenset({False}),
        ),
        Topic(
            "correspondence_mail",
            ("by mail", "through the mail", "mail", "mailed", "postal", "correspondence"),
            implies=True,
            fits=frozenset({True}),
        ),
        Topic(
            "correspondence_campus",
            ("in person", "on campus", "campus", "classroom", "traditional", "brick and mortar", "face to face"),
            implies=False,
            fits=frozenset({False}),
        ),
    ),
    "degree_accredited": (
        Topic(
            "accredited_program",
            (
                "abet",
                "acbsp",
                "aacsb",
                "program accreditation",
                "programmatically",
                "the program is accredited",
                "ccne",
                "cswe",
            ),
        ),
        Topic(
            "accredited_national", ("nationally", "national", "deac", "detc", "acics", "accsc"), fits=frozenset({False})
        ),
        Topic(
            "accredited_unaccredited",
            ("unaccredited", "non accredited", "diploma mill"),
            implies=False,
            fits=frozenset({False}),
        ),
        Topic(
            "accredited_regional",
            (
                "sacs",
                "sacscoc",
                "regionally",
                "regional",
                "hlc",
                "msche",
                "neche",
                "nwccu",
                "wscuc",
                "wasc",
                "middle states",
                "higher learning commission",
                "accredited",
            ),
            implies=True,
            fits=frozenset({True}),
        ),
    ),
    "service_full_time": (
        Topic(
            "full_time_role",
            (
                "jailer",
                "jail",
                "detention",
                "dispatcher",
                "dispatch",
                "corrections",
                "correctional",
                "security guard",
                "civilian",
            ),
        ),
        Topic(
            "full_time_part",
            (
                "part time",
                "parttime",
                "pt",
                "reserve",
                "reserves",
                "volunteer",
                "auxiliary",
                "seasonal",
                "per diem",
                "prn",
                "intermittent",
            ),
            implies=False,
            fits=frozenset({False}),
        ),
        Topic(
            "full_time_elsewhere",
            (
                "another state",
                "other state",
                "different state",
                "elsewhere",
                "out of state",
                "federal",
                "feds",
                "military",
            ),
            implies=False,
            fits=frozenset({False}),
        ),
        Topic("full_time_full", ("full time", "fulltime", "ft", "full"), implies=True, fits=frozenset({True})),
    ),
    "le_duties_last_4_years": (
        Topic(
            "duties_gap",
            (
                "gap",
                "break",
                "light duty",
                "minus",
                "excluding",
                "except",
                "deployment",
                "deployed",
                "leave",
                "medical leave",
                "off for",
            ),
            fits=frozenset({False}),
        ),
        Topic(
            "duties_nonle",
            (
                "desk",
                "desk duty",
                "admin",
                "administrative",
                "training",
                "instructor",
                "recruiter",
                "civilian",
                "dispatch",
                "dispatcher",
                "jail",
                "jailer",
                "corrections",
            ),
            fits=frozenset({False}),
        ),
        Topic(
            "duties_roles",
            (
                "patrol",
                "detective",
                "investigator",
                "agent",
                "officer",
                "deputy",
                "trooper",
                "sworn",
                "supervisor",
                "sergeant",
                "mp",
                "sro",
                "investigations",
                "road",
                "the whole time",
                "special agent",
                "criminal investigator",
            ),
            fits=frozenset({True, False}),
        ),
    ),
    "basic_course_graduate": (
        Topic(
            "graduate_in_progress",
            (
                "in progress",
                "currently",
                "still in",
                "attending",
                "enrolled",
                "not finished",
                "not done",
                "will graduate",
                "graduating",
            ),
        ),
        Topic("graduate_attended", ("attended", "went to", "went through", "was at", "did fletc", "did the")),
        Topic(
            "graduate_failed",
            (
                "dropped out",
                "drop out",
                "washed out",
                "failed",
                "didnt finish",
                "did not finish",
                "quit",
                "recycled out",
            ),
            implies=False,
            fits=frozenset({False}),
        ),
        Topic(
            "graduate_done",
            (
                "graduated",
                "completed",
                "finished",
                "passed",
                "got my certificate",
                "certificate",
                "graduate",
                "grad",
                "honor grad",
                "honor graduate",
                "distinguished graduate",
                "top of my class",
                "top of class",
            ),
            implies=True,
            fits=frozenset({True}),
        ),
    ),
    "high_school_diploma_or_ged": (
        Topic("diploma_took", ("took the ged", "took ged", "sat the ged"), unless=("passed", "got", "have")),
        Topic(
            "diploma_pending",
            (
                "working on",
                "in progress",
                "studying for",
                "taking the ged",
                "take the ged",
                "failed the ged",
                "failed",
                "next month",
                "next year",
                "soon",
                "pursuing",
                "almost",
                "halfway",
                "didnt pass",
                "did not pass",
            ),
            implies=False,
            fits=frozenset({False}),
        ),
        Topic(
            "diploma_none",
            ("dropped out", "dropout", "drop out", "no diploma", "didnt finish", "did not finish", "didnt graduate"),
            implies=False,
            fits=frozenset({False}),
            unless=("got my ged", "got a ged", "have a ged", "later"),
        ),
        Topic(
            "diploma_have",
            (
                "ged",
                "diploma",
                "high school",
                "highschool",
                "hs",
                "hiset",
                "tasc",
                "graduated",
                "graduate",
                "equivalency",
            ),
            implies=True,
            fits=frozenset({True}),
            unless=(
                "dropout",
                "dropped out",
                "drop out",
                "working on",
                "studying",
                "in progress",
                "failed",
                "taking the ged",
                "take the ged",
                "didnt pass",
                "did not pass",
                "took the ged",
                "took ged",
            ),
        ),
    ),
    "us_citizen": (
        Topic(
            "citizen_unclear",
            (
                "latin american",
                "south american",
                "central american",
                "us national",
                "american samoa",
                "american samoan",
                "non citizen national",
            ),
        ),
        Topic(
            "citizen_not",
            (
                "green card",
                "greencard",
                "permanent resident",
                "lpr",
                "resident alien",
                "legal resident",
                "visa",
                "h1b",
                "daca",
                "tps",
                "refugee",
                "asylum",
                "non citizen",
                "noncitizen",
                "applying for citizenship",
                "pending citizenship",
                "in process",
                "in the process",
                "work permit",
                "ead",
                "will be a citizen",
                "will be",
                "soon",
                "getting naturalized",
                "becoming a citizen",
                "next year",
                "next month",
                *_NOT_US,
            ),
            implies=False,
            fits=frozenset({False}),
            unless=("us citizen", "u s citizen", "american citizen", "dual"),
            patterns=(
                r"\bcitizen of (?!the us\b|the usa\b|the united states\b|us\b|usa\b|america\b|the u s\b)\w+",
                _OTHER_CITIZEN,
            ),
        ),
        Topic(
            "citizen_yes",
            (
                "citizen",
                "us citizen",
                "american",
                "born here",
                "born in the us",
                "born in the usa",
                "born in america",
                "born in the united states",
                "naturalized",
                "natural born",
                "dual citizen",
                "dual citizenship",
                "usa",
                "us born",
                "born in puerto rico",
                "born in guam",
                "born in the virgin islands",
            ),
            implies=True,
            fits=frozenset({True}),
            unless=(
                "will be",
                "soon",
                "in the process",
                "pending",
                "getting naturalized",
                "becoming a citizen",
                "applying",
                "next year",
                "next month",
                "green card",
                *_NOT_US,
            ),
        ),
    ),
}


@dataclass
class _Clause:
    value: bool | None = None  # what this clause says
    explicit: bool = False  # said with a yes/no word
    soft: bool = False  # only a soft yes ("sure", a thumbs-up)
    open_topics: list[Topic] = field(default_factory=list)  # about something the question needs explained
    unknown: bool = False  # content words that say nothing about the question
    weak: bool = False  # only a negated aside ("never been arrested"): a no unless another clause says yes
    aux: bool = False  # only the question's auxiliary ("I did"); a lone "was" is no clear yes


def _unstretch(p: str) -> str:
    """ "yessss", "nooo", "yeahhh" as their words."""
    return " ".join(next((word for pattern, word in _STRETCHED if pattern.fullmatch(w)), w) for w in p.split())


def _read_clause(raw: str, name: str | None, whole: str = "") -> _Clause:
    """What one clause says: yes/no words, the question's own topics (a negation applying to
    the words it stands before), the question's auxiliary, or nothing about the question."""
    p = _unstretch(phrase(raw))
    clause = _Clause()
    for emphatic, value in [(e, False) for e in _EMPHATIC_NO] + [(e, True) for e in _EMPHATIC_YES]:
        if has_phrase(p, emphatic):
            if clause.explicit and clause.value != value:
                return _Clause(unknown=True)
            clause.value, clause.explicit = value, True
            p = f" {p} ".replace(f" {emphatic} ", " ").strip()
    words = p.split()
    used: set[int] = set()  # words that belong to a topic or negate one
    negated_aside = False
    for topic in TOPICS.get(name or "", ()):
        found = topic.position(p, whole)
        if found is None:
            continue
        at, length = found
        negators = [i for i in range(max(0, at - 3), at) if words[i] in _NEGATORS]
        if at > 0 and words[at - 1] == "no":
            negators.append(at - 1)  # "no GED", "no 95B": "no" right before the words negates them
        used.update(range(at, at + length), negators)
        if topic.implies is None:
            if negators:  # "never been arrested": a no, unless another clause says yes
                negated_aside = True
            else:
                clause.open_topics.append(topic)
            continue
        value = topic.implies != bool(negators)
        if clause.value is not None and clause.value != value:
            return _Clause(unknown=True)
        clause.value = value
    said_yes = any(w in _STRONG_YES for w in words)
    emoji_yes = any(ch in raw for ch in _YES_EMOJI)
    soft_yes = any(w in _SOFT_YES for w in words)
    said_no = any(w in _STRONG_NO for i, w in enumerate(words) if i not in used) or any(ch in raw for ch in _NO_EMOJI)
    if said_yes or emoji_yes or soft_yes or said_no:
        if (said_yes or emoji_yes or soft_yes) and said_no:
            return _Clause(unknown=True)
        word_value = not said_no
        if clause.value is not None and clause.value != word_value:
            return _Clause(unknown=True, open_topics=clause.open_topics)
        clause.value, clause.explicit = word_value, True
        clause.soft = word_value and not said_yes and (soft_yes or emoji_yes)
        return clause
    if clause.value is None and any(w in _NEGATORS for i, w in enumerate(words) if i not in used):
        clause.value = False
        return clause
    if clause.value is None and negated_aside and not clause.open_topics:
        clause.value, clause.weak = False, True
        return clause
    if clause.value is None and not clause.open_topics:
        aux = _aux_only(words)
        if aux is not None:
            clause.value, clause.aux = aux, True
        elif any(w not in _FILLER for i, w in enumerate(words) if i not in used):
            clause.unknown = True
    return clause


def _aux_only(ws: list[str]) -> bool | None:
    """ "I did", "it was", "I haven't": the question's own auxiliary, nothing else."""
    if (
        not ws
        or not all(w in _AUX | _PRONOUNS | _NEGATORS | _FILLER for w in ws)
        or not any(w in _AUX | _NEGATORS for w in ws)
    ):
        return None
    return not any(w in _NEGATORS for w in ws)


def _age(p: str, minimum: int, today_year: int) -> Reading | None:
    """ "I'm 34", "45yo", "over 21", "born 1990": an age compared with the minimum age."""
    if m := re.fullmatch(r"(?:i was )?born (?:in )?((?:19|20)\d\d)", p):
        age = today_year - int(m[1]) - 1  # the youngest one born that year can be
        return (
            Parsed(True, "age_given", {"age": age + 1})
            if age >= minimum
            else Reask("age_under", {"age": age, "minimum": minimum})
        )
    m = re.fullmatch(
        r"(?:yes |no )?(?:(?:i am|im|i m|age|aged|over|older than)\s+)*(\d{1,3})"
        r"(?: ?years? old| ?yrs? old| ?yrs?| ?y ?o| ?yo| ?years?)?(?: old)?",
        p,
    )
    if m is None:
        return None
    age = int(m[1])
    if age < 14 or age > 100:
        return Reask("age_implausible", {"age": age})
    if p.startswith("no ") and age >= minimum:
        return Reask("yes_no_mixed", {"field": "meets_minimum_age"})
    if age >= minimum:
        return Parsed(True, "age_given", {"age": age})
    return Reask("age_under", {"age": age, "minimum": minimum})


def read_yes_no(
    text: str,
    name: str | None = None,
    *,
    strict: bool = False,
    minimum_age: int = 0,
    duty_years: int = 0,
    today_year: int = 2026,
) -> Reading:
    """`text` is cleaned and already free of corrections; `name` is the answer field (None:
    a yes/no outside the questions, such as a confirmation; `strict`: only an unmistakable
    yes counts, as for the questions whose yes excludes)."""
    excluding = strict or (name is not None and spec(name).excluding)
    field_name = name or "yes_no"
    p = _unstretch(phrase(text.replace("%", " percent")))
    if not p and not any(ch in text for ch in _YES_EMOJI + _NO_EMOJI):
        return Reask("yes_no_unclear", {"field": field_name})
    if len(p.split()) > MAX_WORDS:
        return Reask("yes_no_unclear", {"field": field_name})
    if any_phrase(p, _REFUSALS):
        return Reask("declined", {"field": field_name})
    if re.fullmatch(r"[yn][.!]*", text.strip().lower()):
        return Parsed(_LETTERS[text.strip()[0].lower()])
    if p in _LETTERS:
        return Reask("yes_no_unclear", {"field": field_name})  # "\n", "-n": a stray letter, not an answer
    if any_phrase(p, _NOT_APPLICABLE) and not any(t.position(p, p) for t in TOPICS.get(name or "", ())):
        if excluding and p in _NOT_APPLICABLE:
            return Parsed(False, "implied")  # "N/A" to "were you ever convicted...": nothing to declare
        return Reask("not_applicable", {"field": field_name})
    if name == "meets_minimum_age":
        age = _age(_unstretch(phrase(spelled_numbers(text))), minimum_age, today_year)
        if age is not None:
            return age
    if name == "le_duties_last_4_years":
        years = [int(y) for y in re.findall(r"\b(\d{1,2}) (?:years?|yrs?)\b", p)]
        if len(years) > 1:
            return Reask("duties_years", {"years": sum(years)})
        if years:
            said = _read_clause(text, None)
            total = any_phrase(
                p, ("only", "just", "total", "in total", "altogether", "all together", "in all", "less than", "under")
            )
            if years[0] < duty_years and said.value is not True and (total or said.value is False):
                return Parsed(False, "duties_years", {"years": years[0]})
            if years[0] < duty_years or said.value is not True:
                return Reask("duties_years", {"years": years[0]})
    if hedge(text):
        return Reask("yes_no_hedge", {"field": field_name})
    clauses = [_read_clause(part, name, p) for part in _CLAUSE.split(text) if part and phrase(part)]
    clauses = clauses or [_read_clause(text, name, p)]
    qualified = bool(_QUALIFIER_SPLIT.search(text)) or any(has_phrase(p, q) for q in _QUALIFIERS)
    if any(c.value is not None and not c.weak for c in clauses):
        for c in clauses:
            if c.weak:
                c.value = None  # "not a DUI, a felony that got expunged": the aside gives way
    values = {c.value for c in clauses if c.value is not None}
    explicit = any(c.explicit for c in clauses if c.value is not None)
    if len(values) > 1 or any(c.unknown and c.value is None and not c.open_topics for c in clauses if qualified):
        return Reask("yes_no_mixed" if len(values) > 1 else "yes_no_qualified", {"field": field_name})
    if any(c.unknown and c.value is None and not c.open_topics for c in clauses) and not values:
        opened = [t for c in clauses for t in c.open_topics]
        return Reask(opened[0].code if opened else "yes_no_unclear", {"field": field_name})
    value = next(iter(values)) if values else None
    for topic in (t for c in clauses for t in c.open_topics):
        if value is None or value not in topic.fits or not explicit:
            return Reask(topic.code, {"field": field_name})
    if value is None:
        return Reask("yes_no_unclear", {"field": field_name})
    if value and excluding:
        yes_clauses = [c for c in clauses if c.value is True]
        if all(c.soft for c in yes_clauses if c.explicit) and any(c.explicit for c in yes_clauses):
            return Reask("yes_no_confirm", {"field": field_name})
        if all(c.aux for c in yes_clauses) and len(phrase(text).split()) < 2:
            return Reask("yes_no_confirm", {"field": field_name})
    return Parsed(value, None if explicit or all(c.aux for c in clauses if c.value is not None) else "implied")
