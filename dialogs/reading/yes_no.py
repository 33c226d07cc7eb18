"""Yes or no, read as a careful recruiter would.

A message counts as yes or no when it says so: a yes/no word ("yep", "nope", "never"),
an answer in the question's own auxiliary ("I did", "I wasn't"), or content that settles
the question on its own ("a green card" to the citizenship question is a no). A message
that talks about something else gets the question explained and asked again: "I was 31B"
to the Security Police question (31B is Military Police), "had a DUI" to the felony
question (a DUI is usually a misdemeanor). Hedges ("I think so", "probably"), mixed or
qualified answers ("yes but...") are asked again too: "not sure" is always a fine answer.

On questions whose yes excludes or bars (a felony, grandfathered, a Security Police code,
an expunged record, a correspondence degree) only an unmistakable yes counts: "sure", "ok"
or a thumbs-up are asked again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.answers import spec
from dialogs.reading.text import Parsed, Reask, Reading, any_phrase, has_phrase, hedge, phrase

_STRONG_YES = {"yes", "yeah", "yea", "yep", "yup", "yah", "ya", "yas", "yess", "yesss", "yessir", "yesh", "yeh",
               "correct", "affirmative", "true", "absolutely", "definitely", "certainly", "indeed", "aye", "y",
               "si", "sí", "affirm", "confirmed", "right"}
_SOFT_YES = {"sure", "yeppers", "uhhuh", "mhm", "mhmm", "roger", "bet", "yessum", "totally"}
_NO = {"no", "nope", "nah", "naw", "nay", "never", "negative", "false", "incorrect", "n", "nada", "nopes", "nop",
       "none", "neither", "nothing", "nobody", "noo", "nooo", "not", "didnt", "dont", "doesnt", "havent", "hasnt",
       "hadnt", "wasnt", "werent", "isnt", "arent", "aint", "cant", "cannot", "wont", "wouldnt", "nor", "zero",
       "nein", "non"}
_YES_PHRASES = ("of course", "you bet", "thats right", "that is right", "thats correct", "that is correct",
                "i have", "i did", "i was", "i am", "i do", "it is", "it was", "they were", "yes sir", "yes maam")
_NO_PHRASES = ("not at all", "no sir", "no maam", "not me", "never have", "never did", "never was",
               "i have not", "i did not", "i was not", "i am not", "it is not", "it was not")
_YES_EMOJI = "\U0001f44d\u2705\u2714\u2611\U0001f44c\U0001f197\U0001f646"
_NO_EMOJI = "\U0001f44e\u274c\u2716\U0001f6ab\u26d4\u274e\U0001f645"
MAX_WORDS = 14
_QUALIFIERS = ("but", "except", "although", "though", "however", "unless", "only if", "if", "other than",
               "apart from", "aside from", "besides", "partially", "partly", "half")


@dataclass(frozen=True)
class Topic:
    """Words that show a message talks about something the question needs explained.
    `implies`: the answer the words give on their own (None: nothing, ask again);
    `fits`: the answers that, said with these words, stand as they are."""

    code: str
    phrases: tuple[str, ...]
    implies: bool | None = None
    fits: frozenset[bool] = frozenset()


_MP_CODES = ("31b", "31a", "31d", "31e", "31k", "95b", "5811", "5812", "5813", "5816", "5821", "5803", "ma",
             "master at arms", "masters at arms", "master of arms", "maritime enforcement", "mp", "mps",
             "military police", "military policeman", "k9 handler", "cid", "army cid")
_SF_CODES = ("3p0x1", "3p0", "3p", "3p051", "3p071", "31p", "31p3", "811x0", "811x2", "812x0", "81150", "81132",
             "81170", "security forces", "security force", "sf", "defender", "defenders", "secfo", "air force sp",
             "af sp")

TOPICS: dict[str, tuple[Topic, ...]] = {
    "felony_conviction": (
        Topic("felony_expunged", ("expunged", "expungement", "expunge", "sealed", "sealed record", "set aside")),
        Topic("felony_misdemeanor", ("misdemeanor", "misdemeanour", "misdemeanors", "misd", "dui", "dwi", "owi",
                                     "oui", "duid", "traffic", "speeding", "ticket", "tickets", "citation",
                                     "infraction", "violation", "reckless driving", "petty", "minor offense",
                                     "disorderly", "public intoxication", "class a", "class b", "class c"),
              fits=frozenset({False})),
        Topic("felony_arrest", ("arrested", "arrest", "charged", "charges", "charge", "dismissed", "dropped",
                                "acquitted", "not guilty", "indicted", "nolle", "nolle prossed", "pending",
                                "deferred", "diversion", "pretrial"),
              fits=frozenset({False})),
        Topic("felony_pardon", ("pardon", "pardoned", "clemency")),
        Topic("felony_juvenile", ("juvenile", "minor", "youthful offender", "yo", "as a kid", "as a teen",
                                  "teenager", "adjudicated")),
        Topic("felony_military", ("court martial", "courtmartial", "ucmj", "article 15", "njp", "bcd",
                                  "bad conduct discharge")),
    ),
    "expunged_record": (
        Topic("expunged_sealed", ("sealed", "set aside", "pardon", "pardoned")),
        Topic("expunged_minor", ("dui", "dwi", "traffic", "speeding", "ticket", "juvenile"), fits=frozenset({False})),
    ),
    "security_police_primary_code": (
        Topic("security_police_sf", _SF_CODES, fits=frozenset({True})),
        Topic("security_police_mp", _MP_CODES, fits=frozenset({False})),
    ),
    "grandfathered_or_exempted": (
        Topic("grandfathered_waiver", ("waiver", "waived", "lateral", "reciprocity", "equivalency", "transfer",
                                       "transferred", "bridge course", "refresher")),
        Topic("grandfathered_trained", ("academy", "went through", "completed", "graduated", "attended",
                                        "basic training", "fletc", "post academy", "police academy"),
              implies=False, fits=frozenset({False})),
    ),
    "degree_by_correspondence": (
        Topic("correspondence_online", ("online", "distance", "distance learning", "virtual", "remote", "hybrid",
                                        "e learning", "elearning", "web based"), fits=frozenset({False})),
        Topic("correspondence_mail", ("by mail", "through the mail", "mail", "mailed", "postal"), implies=True,
              fits=frozenset({True})),
        Topic("correspondence_campus", ("in person", "on campus", "campus", "classroom", "traditional",
                                        "brick and mortar", "face to face"),
              implies=False, fits=frozenset({False})),
    ),
    "degree_accredited": (
        Topic("accredited_national", ("nationally", "national", "deac", "detc", "acics", "accsc"),
              fits=frozenset({False})),
        Topic("accredited_unaccredited", ("unaccredited", "not accredited", "non accredited", "diploma mill"),
              implies=False, fits=frozenset({False})),
        Topic("accredited_regional", ("sacs", "sacscoc", "regionally", "regional", "hlc", "msche", "neche",
                                      "nwccu", "wscuc", "wasc", "middle states", "higher learning commission",
                                      "accredited"),
              implies=True, fits=frozenset({True})),
    ),
    "service_full_time": (
        Topic("full_time_part", ("part time", "parttime", "pt", "reserve", "reserves", "volunteer", "auxiliary",
                                 "seasonal", "per diem", "prn", "intermittent"),
              implies=False, fits=frozenset({False})),
        Topic("full_time_elsewhere", ("another state", "other state", "different state", "elsewhere",
                                      "out of state", "federal", "military"),
              implies=False, fits=frozenset({False})),
        Topic("full_time_full", ("full time", "fulltime", "ft", "full"), implies=True, fits=frozenset({True})),
    ),
    "le_duties_last_4_years": (
        Topic("duties_roles", ("patrol", "detective", "investigator", "agent", "officer", "deputy", "trooper",
                               "sworn", "desk", "admin", "administrative", "training", "instructor", "recruiter",
                               "deployed", "deployment", "civilian", "supervisor", "sergeant", "mp")),
    ),
    "basic_course_graduate": (
        Topic("graduate_in_progress", ("in progress", "currently", "still in", "attending", "enrolled",
                                       "not finished", "not done", "will graduate", "graduating")),
        Topic("graduate_attended", ("attended", "went to", "went through", "was at", "did fletc", "did the")),
        Topic("graduate_done", ("graduated", "completed", "finished", "passed", "got my certificate",
                                "certificate", "graduate"),
              implies=True, fits=frozenset({True})),
        Topic("graduate_failed", ("dropped out", "washed out", "failed", "didnt finish", "did not finish",
                                  "quit", "recycled out"),
              implies=False, fits=frozenset({False})),
    ),
    "high_school_diploma_or_ged": (
        Topic("diploma_none", ("dropped out", "no diploma", "didnt finish", "did not finish", "didnt graduate"),
              implies=False, fits=frozenset({False})),
        Topic("diploma_have", ("ged", "diploma", "high school", "highschool", "hs", "hiset", "tasc",
                               "graduated", "graduate", "equivalency"),
              implies=True, fits=frozenset({True})),
    ),
    "us_citizen": (
        Topic("citizen_not", ("green card", "greencard", "permanent resident", "lpr", "resident alien",
                              "legal resident", "visa", "h1b", "daca", "tps", "refugee", "asylum", "non citizen",
                              "noncitizen", "not a citizen", "not citizen", "applying for citizenship",
                              "pending citizenship", "in process", "work permit", "ead"),
              implies=False, fits=frozenset({False})),
        Topic("citizen_national", ("us national", "american samoa", "non citizen national")),
        Topic("citizen_yes", ("citizen", "american", "born here", "born in the us", "born in the usa",
                              "born in america", "born in the united states", "naturalized", "natural born",
                              "dual citizen", "dual citizenship", "usa", "us born"),
              implies=True, fits=frozenset({True})),
    ),
}


_STRETCHED = ((re.compile(r"y+e+[sz]+|ye+[sz]+h*|ya+[sz]+"), "yes"), (re.compile(r"no+|no+pe+|na+h+|nop+e*"), "no"),
              (re.compile(r"ye+a+h+|ye+p+|yu+p+"), "yes"))


def _unstretch(p: str) -> str:
    """"yessss", "nooo", "yeahhh" as their words."""
    out = []
    for w in p.split():
        out.append(next((word for pattern, word in _STRETCHED if pattern.fullmatch(w)), w))
    return " ".join(out)


def _polarity(p: str, raw: str) -> set[bool]:
    found: set[bool] = set()
    ws = p.split()
    if any(w in _STRONG_YES or w in _SOFT_YES for w in ws) or any(has_phrase(p, y) for y in _YES_PHRASES[:6]):
        found.add(True)
    if any(w in _NO for w in ws) or any(has_phrase(p, n) for n in _NO_PHRASES):
        found.add(False)
    if any(ch in raw for ch in _YES_EMOJI):
        found.add(True)
    if any(ch in raw for ch in _NO_EMOJI):
        found.add(False)
    return found


def _aux_only(ws: list[str]) -> bool | None:
    """"I did", "it was", "I haven't": the question's own auxiliary, nothing else."""
    aux = {"did", "do", "does", "have", "has", "had", "was", "is", "am", "are", "were"}
    pronouns = {"i", "it", "they", "we", "he", "she", "im", "its", "yes", "so", "indeed", "sure", "yeah"}
    negative = {"not", "didnt", "dont", "doesnt", "havent", "hasnt", "hadnt", "wasnt", "werent", "isnt", "arent",
                "aint", "never", "no", "nope", "nah"}
    if not ws or not all(w in aux | pronouns | negative for w in ws) or not any(w in aux | negative for w in ws):
        return None
    return not any(w in negative for w in ws)


def _age(p: str, minimum: int) -> Reading | None:  # noqa: C901
    """"I'm 34", "34 years old": an age compared with the minimum age."""
    m = re.fullmatch(r"(?:i am |im |i m |age )?(\d{1,3})(?: years? old| yrs? old| y o| yo)?", p)
    if m is None:
        return None
    age = int(m[1])
    if age < 14 or age > 110:
        return Reask("age_implausible", {"age": age})
    if age >= minimum:
        return Parsed(True, "age_given", {"age": age})
    return Reask("age_under", {"age": age, "minimum": minimum})


def read_yes_no(text: str, name: str | None = None, *, strict: bool = False, minimum_age: int = 0,
                duty_years: int = 0) -> Reading:
    """`text` is cleaned and already free of corrections; `name` is the answer field (None:
    a yes/no outside the questions, such as a confirmation; `strict`: only an unmistakable
    yes counts, as for the questions whose yes excludes)."""
    excluding = strict or (name is not None and spec(name).excluding)
    p = _unstretch(phrase(text))
    if not p and not any(ch in text for ch in _YES_EMOJI + _NO_EMOJI):
        return Reask("yes_no_unclear", {"field": name})
    if name == "meets_minimum_age" and (age := _age(p, minimum_age)) is not None:
        return age
    if len(p.split()) > MAX_WORDS:
        return Reask("yes_no_unclear", {"field": name})  # a story, not an answer: ask for just yes or no
    polarity = _polarity(p, text)
    if len(polarity) > 1:
        return Reask("yes_no_mixed", {"field": name})
    if name == "le_duties_last_4_years" and (m := re.search(r"\b(\d{1,2}) (?:years?|yrs?)\b", p)):
        years = int(m[1])
        if years < duty_years and True not in polarity:
            return Parsed(False, "duties_years", {"years": years})
        if years < duty_years or True not in polarity:
            return Reask("duties_years", {"years": years})
    if hedge(text):
        return Reask("yes_no_hedge", {"field": name})
    said = next(iter(polarity)) if polarity else None
    topics = [t for t in TOPICS.get(name or "", ()) if any_phrase(p, t.phrases)]
    if said is None and topics:
        open_topic = next((t for t in topics if t.implies is None), None)
        implied = {t.implies for t in topics if t.implies is not None}
        if open_topic is not None:
            return Reask(open_topic.code, {"field": name})
        if len(implied) > 1:
            return Reask("yes_no_mixed", {"field": name})
        return Parsed(implied.pop(), "implied")
    if said is not None and topics:
        if not any(said in t.fits for t in topics):
            return Reask(topics[0].code, {"field": name})
        if not said or not excluding or _unmistakable_yes(p):
            return Parsed(said)  # the words around it explain the answer ("no, just a DUI")
    if said is None:
        aux = _aux_only(p.split())
        if aux is None:
            return Reask("yes_no_unclear", {"field": name})
        return Parsed(aux)
    if any(has_phrase(p, q) for q in _QUALIFIERS):
        return Reask("yes_no_qualified", {"field": name})
    if said and excluding and not _unmistakable_yes(p):
        return Reask("yes_no_confirm", {"field": name})
    return Parsed(said)


def _unmistakable_yes(p: str) -> bool:
    ws = p.split()
    strong = _STRONG_YES - {"right"}
    return any(w in strong for w in ws) or any(has_phrase(p, y) for y in _YES_PHRASES)


