"""The interview as a pure reducer: (flow state, event) -> what to store and what to show.

Channels load the session, call `step`, commit the returned changes, then render the
replies: so an answer is always stored before the next question is sent. The state is only
the stored answers, a phase and the trail of answered ids (for "back").

The next question is "the first one the result still needs": the first applicable question
without an answer, unless nothing can change the outcome any more (a felony conviction, no
prior training, a break over the limit), in which case the result comes at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Mapping

from dialogs.answers import NOT_SURE, NOT_SURE_JSON, AnswerError, Stored, answers_from_json, to_json
from dialogs.assessment import Assessment
from dialogs.eligibility import assess, settled
from dialogs.questions import BY_ID, Question, applicable, dependents
from dialogs.reading import Parsed, Reask, read_answer, read_contact
from dialogs.reading.text import clean, phrase
from dialogs.reading.yes_no import read_yes_no
from dialogs.timing import question_context

ASKING = "asking"
REVIEW = "review"  # all answered: showing the answers before the result
DONE = "done"
CONFIRM_DELETE = "confirm_delete"
CONFIRM_RESTART = "confirm_restart"

# Commands in every channel; the terminal adds "quit".
COMMANDS = ("start", "back", "review", "result", "restart", "help", "privacy", "mydata", "withdraw", "delete")
# What a channel reports that is not an answer: a short note, then where the applicant is.
NUDGES = ("unknown_command", "not_text", "contact_not_asked", "edited")
# Sharing the result with the recruiter whose link started the screening (share state):
OFFERED = "offered"  # asked whether to share
ASK_CONTACT = "contact"  # agreed; asked for a way to be contacted
SHARED = "shared"
DECLINED = "declined"
SKIP_WORDS = {"skip", "no", "none", "no thanks", "nothing", "n", "not now", "no contact", "dont", "pass"}
WITHDRAW_WORDS = {"withdraw", "stop sharing", "unshare"}
CONFIRM_WORDS = {"yes", "y", "ok", "okay", "k", "done", "confirm", "result", "results", "show", "show result",
                 "show my result", "go", "continue", "looks good", "correct", "all good", "good", "fine",
                 "thats right", "yep", "yeah", "submit", "next", "see result", "my result"}


@dataclass(frozen=True)
class Flow:
    answers: Mapping[str, Any]
    phase: str = ASKING
    trail: tuple[str, ...] = ()
    share: str | None = None
    paused: str | None = None  # the phase a confirmation interrupted
    welcomed: bool = False  # the introduction was shown
    recruiter: str | None = None  # who the result may be shared with (set by the channel, not stored)

    @classmethod
    def load(cls, answers: Mapping[str, Any], state: Mapping[str, Any], recruiter: str | None = None) -> Flow:
        return cls(dict(answers), state.get("phase", ASKING), tuple(state.get("trail", ())), state.get("share"),
                   state.get("paused"), bool(state.get("welcomed")), recruiter)

    def state(self) -> dict[str, Any]:
        return {"phase": self.phase, "trail": list(self.trail), "share": self.share, "paused": self.paused,
                "welcomed": self.welcomed}

    def but(self, **changes: Any) -> Flow:
        return replace(self, **changes)


# --- events ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Command:
    name: str


@dataclass(frozen=True)
class Pick:
    """A button press: the value is already one of the question's options (answer-file form)."""

    question_id: str
    value: Any


Event = Text | Command | Pick


# --- replies --------------------------------------------------------------------------
@dataclass(frozen=True)
class Reply:
    # welcome, question, reask, understood, review, result, help, privacy, note, resumed, restarted,
    # confirm_delete, deleted, confirm_restart, share_offer, ask_contact, shared, share_declined, withdrawn, mydata
    kind: str
    question: Question | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    flow: Flow
    replies: tuple[Reply, ...]
    set_answers: Mapping[str, Any] = field(default_factory=dict)
    clear: frozenset[str] = frozenset()
    restart: bool = False
    delete: bool = False
    assessment: Assessment | None = None
    share: tuple[bool, str | None] | None = None  # (consent, contact) to record, if it changed


# --- queries --------------------------------------------------------------------------
def engine_answers(answers: Stored, today: date) -> dict[str, Any]:
    """The answer-file form of what applies: answers left over by a change of path drop out;
    "not sure" stays ({"not_sure": true}), since it decides differently from no answer."""
    return {q.id: answers[q.id] for q in applicable(answers, today) if q.id in answers}


def export_answers(answers: Stored, as_of: date) -> dict[str, Any]:
    return {"as_of": as_of.isoformat(), **engine_answers(answers, as_of)}


def assessment_for(answers: Stored, today: date) -> Assessment:
    return assess(answers_from_json(export_answers(answers, today), today), today)


def decided(answers: Stored, today: date) -> Assessment | None:
    """The assessment, when no further answer can change its outcome."""
    try:
        assessment = assessment_for(answers, today)
    except AnswerError:
        return None
    return assessment if settled(assessment) else None


def next_question(answers: Stored, today: date) -> Question | None:
    """The first question the result still needs (None: all answered, or nothing can change it).
    A question marked `early` whose condition holds comes first: its answer can end the
    screening at once (the Alabama hire, when the break may already be over its limit)."""
    pending = [q for q in applicable(answers, today) if q.id not in answers]
    q = next((q for q in pending if q.ask.early is not None and q.ask.early(answers, today)),
             pending[0] if pending else None)
    if q is None or decided(answers, today) is not None:
        return None
    return q


def ask(q: Question, answers: Stored, today: date | None = None, **params: Any) -> Reply:
    """The question, with what its prompt needs to say (the break deadline for a hire date)."""
    return Reply("question", q, {**params, "context": question_context(q.id, answers, today)})


def review_items(answers: Stored, today: date) -> list[tuple[int, Question, Any]]:
    answered = [q for q in applicable(answers, today) if q.id in answers]
    return [(i, q, answers[q.id]) for i, q in enumerate(answered, 1)]


def command_of(text: str) -> str | None:
    """`back`, `/back` and `/back@bot` are commands; anything else is an answer."""
    word = clean(text).lower()
    if word.startswith("/"):
        word = word[1:].split("@", 1)[0].split(" ", 1)[0]
    word = word.rstrip(".!")
    return word if word in COMMANDS else None


# --- one answer -----------------------------------------------------------------------
def _contradiction(answers: Stored, question: Question, value: Any, today: date) -> Reask | None:
    """An answer that makes the whole set impossible (an end before the start) is re-asked."""
    candidate = {**answers, question.id: value}
    try:
        answers_from_json(export_answers(candidate, today), today)
    except AnswerError as err:
        return Reask("contradiction", {"field": err.field, "code": err.code, "other": err.other, **err.params})
    return None


# --- the reducer ----------------------------------------------------------------------
def _ask_next(flow: Flow, today: date, *before: Reply, **changes: Any) -> Step:
    q = next_question(flow.answers, today)
    if q is not None:
        return Step(flow.but(phase=ASKING), (*before, ask(q, flow.answers, today)), **changes)
    if decided(flow.answers, today) is not None:  # nothing can change it: the result at once
        finished = _finish(flow, today)
        return replace(finished, replies=(*before, *finished.replies), **changes)
    flow = flow.but(phase=REVIEW)
    return Step(flow, (*before, Reply("review", params={"items": review_items(flow.answers, today),
                                                        "before_result": True})), **changes)


def _record(flow: Flow, question: Question, value_json: Any, today: date, note: Reply) -> Step:
    answers = {**flow.answers, question.id: value_json}
    trail = tuple(t for t in flow.trail if t != question.id) + (question.id,)
    return _ask_next(flow.but(answers=answers, phase=ASKING, trail=trail), today, note,
                     set_answers={question.id: value_json})


def _clear(flow: Flow, field_id: str) -> tuple[Flow, frozenset[str]]:
    gone = frozenset({field_id} | dependents(field_id)) & frozenset(flow.answers)
    answers = {k: v for k, v in flow.answers.items() if k not in gone}
    trail = tuple(t for t in flow.trail if t not in gone)
    return flow.but(answers=answers, phase=ASKING, trail=trail), gone


def step(flow: Flow, event: Event, today: date) -> Step:
    if isinstance(event, Text) and (name := command_of(event.text)):
        event = Command(name)
    if not flow.welcomed and not flow.answers and not isinstance(event, Command):
        event = Command("start")  # someone who writes "hi" first is greeted, not re-asked
    if isinstance(event, Command):
        return _command(flow, event.name, today)

    if flow.phase in (CONFIRM_DELETE, CONFIRM_RESTART):
        return _confirmation(flow, event, today)
    if flow.phase == REVIEW:
        return _review_input(flow, event, today)
    if flow.phase == DONE:
        return _after_result(flow, event, today)

    current = next_question(flow.answers, today)
    if current is None:
        return _ask_next(flow, today)
    if isinstance(event, Pick):
        if event.question_id != current.id:
            return Step(flow, (Reply("note", params={"code": "stale"}), ask(current, flow.answers, today)))
        return _accept(flow, current, Parsed(NOT_SURE if event.value == NOT_SURE_JSON else event.value), today)
    result = read_answer(current.id, event.text, today, flow.answers)
    if isinstance(result, Reask):
        return Step(flow, (Reply("reask", current, {"reask": result,
                                                    "context": question_context(current.id, flow.answers, today)}),))
    return _accept(flow, current, result, today)


def _accept(flow: Flow, question: Question, parsed: Parsed, today: date) -> Step:
    value_json = to_json(parsed.value)
    if value_json != NOT_SURE_JSON and (problem := _contradiction(flow.answers, question, value_json, today)):
        return Step(flow, (Reply("reask", question, {"reask": problem}),))
    understood = Reply("understood", question, {"value": value_json, "note": parsed.note,
                                                "note_params": parsed.params})
    return _record(flow, question, value_json, today, understood)


def _confirmation(flow: Flow, event: Event, today: date) -> Step:
    """Delete or restart, asked to confirm: only a clear yes goes ahead."""
    yes = isinstance(event, Pick) and event.value is True
    if isinstance(event, Text):
        reading = read_yes_no(clean(event.text), strict=True)
        yes = isinstance(reading, Parsed) and reading.value is True or phrase(event.text) in ("delete", "restart",
                                                                                                "yes delete")
    if yes and flow.phase == CONFIRM_DELETE:
        return Step(Flow({}), (Reply("deleted"),), delete=True)
    if yes:
        return _ask_next(Flow({}, welcomed=True, recruiter=flow.recruiter), today, Reply("restarted"), restart=True)
    kept = flow.but(phase=flow.paused or ASKING, paused=None)
    cancelled = Reply("note", params={"code": "delete_cancelled" if flow.phase == CONFIRM_DELETE
                                      else "restart_cancelled"})
    if kept.phase == ASKING:
        return _ask_next(kept, today, cancelled)
    return Step(kept, (cancelled, current_prompt(kept, today)))


def _review_input(flow: Flow, event: Event, today: date) -> Step:
    items = review_items(flow.answers, today)
    if isinstance(event, Pick):
        if event.question_id == "review" and event.value == "done":
            return _continue(flow, today)
        if event.question_id == "review" and isinstance(event.value, int):
            return _edit(flow, items, event.value, today)
        return Step(flow, (Reply("note", params={"code": "stale"}), Reply("review", params={"items": items})))
    text = phrase(event.text)
    if text in CONFIRM_WORDS:
        return _continue(flow, today)
    if text.isdigit() and 1 <= int(text) <= len(items):
        return _edit(flow, items, int(text), today)
    pending = next_question(flow.answers, today)
    if pending is not None:  # the review was opened mid-interview: a typed answer answers the question
        result = read_answer(pending.id, event.text, today, flow.answers)
        if isinstance(result, Parsed):
            return _accept(flow.but(phase=ASKING), pending, result, today)
    return Step(flow, (Reply("note", params={"code": "review_unclear", "count": len(items)}),
                       Reply("review", params={"items": items, "before_result": pending is None,
                                               "pending": pending is not None})))


def _continue(flow: Flow, today: date) -> Step:
    """Leaving the review: the result once everything is answered, else the next question."""
    return _finish(flow, today) if next_question(flow.answers, today) is None else _ask_next(flow, today)


def _edit(flow: Flow, items: list[tuple[int, Question, Any]], number: int, today: date) -> Step:
    chosen = next((q for i, q, _ in items if i == number), None)
    if chosen is None:
        return Step(flow, (Reply("note", params={"code": "review_unclear", "count": len(items)}),
                           Reply("review", params={"items": items, "before_result": True})))
    previous = flow.answers[chosen.id]
    cleared, gone = _clear(flow, chosen.id)
    return Step(cleared, (ask(chosen, cleared.answers, today, previous=previous, cleared=len(gone) - 1),), clear=gone)


def _finish(flow: Flow, today: date) -> Step:
    assessment = assessment_for(flow.answers, today)
    replies: tuple[Reply, ...] = (Reply("result", params={"assessment": assessment}),)
    if flow.recruiter and flow.share in (None, OFFERED):
        flow = flow.but(share=OFFERED)
        replies += (Reply("share_offer", params={"recruiter": flow.recruiter}),)
    return Step(flow.but(phase=DONE), replies, assessment=assessment)


def _after_result(flow: Flow, event: Event, today: date) -> Step:
    """After the result: seeing it again, and the offer to share it with the recruiter."""
    text = phrase(event.text) if isinstance(event, Text) else None
    if flow.share == OFFERED and flow.recruiter:
        answer = event.value if isinstance(event, Pick) and event.question_id == "share" else None
        if answer is None and isinstance(event, Text):
            parsed = read_yes_no(clean(event.text))
            answer = parsed.value if isinstance(parsed, Parsed) and isinstance(parsed.value, bool) else None
        if answer is True:
            return Step(flow.but(share=ASK_CONTACT), (Reply("ask_contact", params={"recruiter": flow.recruiter}),))
        if answer is False:
            return Step(flow.but(share=DECLINED), (Reply("share_declined"),))
        return Step(flow, (Reply("share_offer", params={"recruiter": flow.recruiter}),))
    if flow.share == ASK_CONTACT and flow.recruiter:
        if isinstance(event, Pick) and event.question_id == "contact":
            contact = event.value
        elif text in SKIP_WORDS:
            contact = None
        else:
            parsed = read_contact(event.text if isinstance(event, Text) else "")
            if isinstance(parsed, Reask):
                return Step(flow, (Reply("reask", None, {"reask": parsed}),))
            contact = parsed.value
        return Step(flow.but(share=SHARED), (Reply("shared", params={"recruiter": flow.recruiter, "contact": contact}),),
                    share=(True, contact))
    if text in WITHDRAW_WORDS:
        return _withdraw(flow)
    if text in CONFIRM_WORDS:
        return _finish(flow, today)
    return Step(flow, (Reply("note", params={"code": "finished"}),))


def _withdraw(flow: Flow) -> Step:
    if flow.share != SHARED:
        return Step(flow, (Reply("note", params={"code": "nothing_shared"}),))
    return Step(flow.but(share=DECLINED), (Reply("withdrawn"),), share=(False, None))


def _command(flow: Flow, name: str, today: date) -> Step:
    if name == "start":
        if not flow.answers:
            return _ask_next(flow.but(welcomed=True), today, Reply("welcome", params={"recruiter": flow.recruiter}))
        return _resume(flow, today)
    if name == "help":
        current = next_question(flow.answers, today) if flow.phase == ASKING else None
        return Step(flow, (Reply("help", current), *_again(flow, today)))
    if name == "privacy":
        return Step(flow, (Reply("privacy", params={"shared": flow.share == SHARED, "recruiter": flow.recruiter}),
                           *_again(flow, today)))
    if name == "mydata":
        return Step(flow, (Reply("mydata", params={"answers": export_answers(flow.answers, today)}),))
    if name == "withdraw":
        withdrawn = _withdraw(flow)
        return replace(withdrawn, replies=(*withdrawn.replies, *_again(withdrawn.flow, today)))
    if name in NUDGES:
        return Step(flow, (Reply("note", params={"code": name}), *_again(flow, today)))
    if name == "result":
        if flow.phase == DONE:
            return _finish(flow, today)
        return Step(flow, (Reply("note", params={"code": "no_result_yet"}), current_prompt(flow, today)))
    if name in ("restart", "delete"):
        if name == "restart" and not flow.answers:
            return _ask_next(flow, today, Reply("note", params={"code": "nothing_to_restart"}))
        phase = CONFIRM_DELETE if name == "delete" else CONFIRM_RESTART
        paused = flow.paused if flow.phase in (CONFIRM_DELETE, CONFIRM_RESTART) else flow.phase
        return Step(flow.but(phase=phase, paused=paused), (Reply(phase),))
    if name == "review":
        items = review_items(flow.answers, today)
        if not items:
            return _ask_next(flow, today, Reply("note", params={"code": "nothing_to_review"}))
        pending = next_question(flow.answers, today) is not None
        return Step(flow.but(phase=REVIEW), (Reply("review", params={"items": items, "before_result": not pending,
                                                                      "pending": pending}),))
    if name == "back":
        if not flow.trail:
            return _ask_next(flow, today, Reply("note", params={"code": "nothing_to_go_back_to"}))
        last = flow.trail[-1]
        previous = flow.answers.get(last)
        answers = {k: v for k, v in flow.answers.items() if k != last}
        back = flow.but(answers=answers, phase=ASKING, trail=flow.trail[:-1])
        q = next_question(back.answers, today)
        if q is not None and q.id == last:
            return Step(back, (ask(q, back.answers, today, previous=previous),), clear=frozenset({last}))
        return _ask_next(back, today, clear=frozenset({last}))
    raise ValueError(name)


def _again(flow: Flow, today: date) -> tuple[Reply, ...]:
    """After help or privacy, the current question again (so its buttons are at hand)."""
    if flow.phase == ASKING and (q := next_question(flow.answers, today)) is not None:
        return (ask(q, flow.answers, today, again=True),)
    return ()


def _resume(flow: Flow, today: date) -> Step:
    if flow.phase == DONE:
        return Step(flow, (Reply("note", params={"code": "finished_earlier"}),))
    if flow.phase == REVIEW:
        return Step(flow, (Reply("review", params={"items": review_items(flow.answers, today), "before_result": True}),))
    return _ask_next(flow.but(phase=ASKING), today, Reply("resumed", params={"count": len(flow.answers)}))


def current_prompt(flow: Flow, today: date) -> Reply:
    """What the applicant is being asked right now (for a channel that re-shows it)."""
    if flow.phase == DONE:
        return Reply("note", params={"code": "finished"})
    q = next_question(flow.answers, today)
    if flow.phase == REVIEW or q is None:
        return Reply("review", params={"items": review_items(flow.answers, today), "before_result": q is None})
    return ask(q, flow.answers, today)


def question(question_id: str) -> Question:
    return BY_ID[question_id]
