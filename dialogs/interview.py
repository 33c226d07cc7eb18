"""The interview as a pure reducer: (flow state, event) -> what to store and what to show.

Channels load the session, call `step`, commit the returned changes, then render the
replies: so an answer is always stored before the next question is sent. The state is only
the stored answers, a phase and the trail of answered ids (for "back").
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Mapping

from dialogs.answers import STILL_SERVING, AnswerError, DateValue, answers_from_json
from dialogs.assessment import Assessment
from dialogs.eligibility import assess
from dialogs.parsing import (
    NOT_SURE, Parsed, Reask, parse_choice, parse_contact, parse_date, parse_duration_days, parse_hours, parse_state, parse_yes_no,
)
from dialogs.questions import (
    CHOICE, DATE, DURATION, END_DATE, HOURS, NOT_SURE_VALUE, STATE, YES_NO, Question, Stored, applicable,
    dependents,
)

ASKING = "asking"
REVIEW = "review"  # all answered: showing the answers before the result
DONE = "done"
CONFIRM_DELETE = "confirm_delete"

COMMANDS = ("start", "back", "review", "restart", "help", "privacy", "withdraw", "delete")
# Sharing the result with the recruiter whose link started the screening (share state):
OFFERED = "offered"  # asked whether to share
ASK_CONTACT = "contact"  # agreed; asked for a way to be contacted
SHARED = "shared"
DECLINED = "declined"
SKIP_WORDS = {"skip", "no", "none", "no thanks", "nothing", "n", "not now"}
WITHDRAW_WORDS = {"withdraw", "stop sharing", "unshare"}
CONFIRM_WORDS = {"yes", "y", "ok", "okay", "done", "confirm", "result", "results", "show", "go", "continue", "looks good"}


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
    def load(cls, answers: Mapping[str, Any], state: Mapping[str, Any], recruiter: str | None = None) -> "Flow":
        return cls(dict(answers), state.get("phase", ASKING), tuple(state.get("trail", ())), state.get("share"),
                   state.get("paused"), bool(state.get("welcomed")), recruiter)

    def state(self) -> dict[str, Any]:
        return {"phase": self.phase, "trail": list(self.trail), "share": self.share, "paused": self.paused,
                "welcomed": self.welcomed}

    def but(self, **changes: Any) -> "Flow":
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
    """A button press: the value is already one of the question's options."""

    question_id: str
    value: Any


Event = Text | Command | Pick


# --- replies --------------------------------------------------------------------------
@dataclass(frozen=True)
class Reply:
    kind: str  # question, reask, review, result, help, privacy, note, confirm_delete, deleted
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
def next_question(answers: Stored) -> Question | None:
    """The first question the result still needs."""
    return next((q for q in applicable(answers) if q.id not in answers), None)


def engine_answers(answers: Stored) -> dict[str, Any]:
    """The answer-file form of what applies: "not sure" and answers left over by a change of path drop out."""
    return {q.id: answers[q.id] for q in applicable(answers) if q.id in answers and answers[q.id] != NOT_SURE_VALUE}


def export_answers(answers: Stored, as_of: date) -> dict[str, Any]:
    return {"as_of": as_of.isoformat(), **engine_answers(answers)}


def assessment_for(answers: Stored, today: date) -> Assessment:
    return assess(answers_from_json(export_answers(answers, today), today), today)


def review_items(answers: Stored) -> list[tuple[int, Question, Any]]:
    return [(i, q, answers[q.id]) for i, q in enumerate((q for q in applicable(answers) if q.id in answers), 1)]


def command_of(text: str) -> str | None:
    """`back`, `/back` and `/back@bot` are commands; anything else is an answer."""
    word = text.strip().lower()
    if word.startswith("/"):
        word = word[1:].split("@", 1)[0].split(" ", 1)[0]
    return word if word in COMMANDS else None


# --- parsing one answer ---------------------------------------------------------------
def _to_json(question: Question, value: Any) -> Any:
    if value is NOT_SURE:
        return NOT_SURE_VALUE
    if value == STILL_SERVING:
        return None
    if isinstance(value, DateValue):
        return value.to_json()
    return value


def parse_answer(question: Question, text: str, today: date) -> Parsed | Reask:
    kind = question.kind
    if kind == YES_NO:
        return parse_yes_no(text)
    if kind == CHOICE:
        return parse_choice(text, question.choices)
    if kind in (DATE, END_DATE):
        return parse_date(text, today, allow_open_end=kind == END_DATE)
    if kind == HOURS:
        return parse_hours(text)
    if kind == DURATION:
        return parse_duration_days(text)
    if kind == STATE:
        return parse_state(text)
    raise ValueError(f"unknown question kind {kind}")


def _contradiction(answers: Stored, question: Question, value: Any, today: date) -> Reask | None:
    """An answer that makes the whole set impossible (an end before the start) is re-asked."""
    candidate = {**answers, question.id: value}
    try:
        answers_from_json(export_answers(candidate, today), today)
    except AnswerError as err:
        return Reask("contradiction", {"field": err.field, "problem": err.message})
    return None


# --- the reducer ----------------------------------------------------------------------
def _ask_next(flow: Flow, *before: Reply, **changes: Any) -> Step:
    q = next_question(flow.answers)
    if q is None:
        flow = flow.but(phase=REVIEW)
        return Step(flow, (*before, Reply("review", params={"items": review_items(flow.answers), "before_result": True})),
                    **changes)
    return Step(flow.but(phase=ASKING), (*before, Reply("question", q)), **changes)


def _record(flow: Flow, question: Question, value_json: Any) -> Step:
    answers = {**flow.answers, question.id: value_json}
    trail = tuple(t for t in flow.trail if t != question.id) + (question.id,)
    return _ask_next(flow.but(answers=answers, phase=ASKING, trail=trail), set_answers={question.id: value_json})


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

    if flow.phase == CONFIRM_DELETE:
        if isinstance(event, Text) and event.text.strip().lower() in ("yes", "y", "delete", "yes delete"):
            return Step(Flow({}), (Reply("deleted"),), delete=True)
        kept = flow.but(phase=flow.paused or ASKING, paused=None)
        cancelled = Reply("note", params={"code": "delete_cancelled"})
        if kept.phase == ASKING:
            return _ask_next(kept, cancelled)
        return Step(kept, (cancelled, current_prompt(kept)))

    if flow.phase == REVIEW:
        return _review_input(flow, event, today)
    if flow.phase == DONE:
        return _after_result(flow, event, today)

    current = next_question(flow.answers)
    if current is None:
        return _ask_next(flow)
    if isinstance(event, Pick):
        if event.question_id != current.id:
            return Step(flow, (Reply("note", params={"code": "stale"}), Reply("question", current)))
        return _accept(flow, current, event.value, today)
    result = parse_answer(current, event.text, today)
    if isinstance(result, Reask):
        return Step(flow, (Reply("reask", current, {"reask": result}),))
    return _accept(flow, current, result.value, today)


def _accept(flow: Flow, question: Question, value: Any, today: date) -> Step:
    value_json = _to_json(question, value)
    if value_json != NOT_SURE_VALUE and (problem := _contradiction(flow.answers, question, value_json, today)):
        return Step(flow, (Reply("reask", question, {"reask": problem}),))
    return _record(flow, question, value_json)


def _review_input(flow: Flow, event: Event, today: date) -> Step:
    items = review_items(flow.answers)
    if isinstance(event, Pick):
        if event.question_id == "review" and event.value == "done":
            return _continue(flow, today)
        if event.question_id == "review" and isinstance(event.value, int):
            return _edit(flow, items, event.value)
        return Step(flow, (Reply("note", params={"code": "stale"}), Reply("review", params={"items": items})))
    text = event.text.strip().lower().rstrip(".!")
    if text in CONFIRM_WORDS:
        return _continue(flow, today)
    if text.isdigit():
        return _edit(flow, items, int(text))
    return Step(flow, (Reply("note", params={"code": "review_unclear", "count": len(items)}),
                       Reply("review", params={"items": items, "before_result": True})))


def _continue(flow: Flow, today: date) -> Step:
    """Leaving the review: the result once everything is answered, else the next question."""
    return _finish(flow, today) if next_question(flow.answers) is None else _ask_next(flow)


def _edit(flow: Flow, items: list[tuple[int, Question, Any]], number: int) -> Step:
    chosen = next((q for i, q, _ in items if i == number), None)
    if chosen is None:
        return Step(flow, (Reply("note", params={"code": "review_unclear", "count": len(items)}),
                           Reply("review", params={"items": items, "before_result": True})))
    previous = flow.answers[chosen.id]
    cleared, gone = _clear(flow, chosen.id)
    return Step(cleared, (Reply("question", chosen, {"previous": previous, "cleared": len(gone) - 1}),), clear=gone)


def _finish(flow: Flow, today: date) -> Step:
    assessment = assessment_for(flow.answers, today)
    replies: tuple[Reply, ...] = (Reply("result", params={"assessment": assessment}),)
    if flow.recruiter and flow.share in (None, OFFERED):
        flow = flow.but(share=OFFERED)
        replies += (Reply("share_offer", params={"recruiter": flow.recruiter}),)
    return Step(flow.but(phase=DONE), replies, assessment=assessment)


def _after_result(flow: Flow, event: Event, today: date) -> Step:
    """After the result: seeing it again, and the offer to share it with the recruiter."""
    text = event.text.strip().lower().rstrip(".!") if isinstance(event, Text) else None
    if flow.share == OFFERED and flow.recruiter:
        answer = event.value if isinstance(event, Pick) and event.question_id == "share" else None
        if answer is None and text is not None:
            parsed = parse_yes_no(event.text)
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
            parsed = parse_contact(event.text if isinstance(event, Text) else "")
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
            return _ask_next(flow.but(welcomed=True), Reply("welcome", params={"recruiter": flow.recruiter}))
        return _resume(flow)
    if name == "help":
        return Step(flow, (Reply("help", next_question(flow.answers) if flow.phase == ASKING else None),))
    if name == "privacy":
        return Step(flow, (Reply("privacy", params={"shared": flow.share == SHARED, "recruiter": flow.recruiter}),))
    if name == "withdraw":
        return _withdraw(flow)
    if name == "restart":
        return _ask_next(Flow({}, welcomed=True, recruiter=flow.recruiter), Reply("restarted"), restart=True)
    if name == "delete":
        paused = flow.paused if flow.phase == CONFIRM_DELETE else flow.phase
        return Step(flow.but(phase=CONFIRM_DELETE, paused=paused), (Reply("confirm_delete"),))
    if name == "review":
        items = review_items(flow.answers)
        if not items:
            return _ask_next(flow, Reply("note", params={"code": "nothing_to_review"}))
        return Step(flow.but(phase=REVIEW), (Reply("review", params={"items": items}),))
    if name == "back":
        if not flow.trail:
            return _ask_next(flow, Reply("note", params={"code": "nothing_to_go_back_to"}))
        last = flow.trail[-1]
        previous = flow.answers.get(last)
        answers = {k: v for k, v in flow.answers.items() if k != last}
        back = flow.but(answers=answers, phase=ASKING, trail=flow.trail[:-1])
        q = next_question(back.answers)
        if q is not None and q.id == last:
            return Step(back, (Reply("question", q, {"previous": previous}),), clear=frozenset({last}))
        return _ask_next(back, clear=frozenset({last}))
    raise ValueError(name)


def _resume(flow: Flow, *before: Reply) -> Step:
    if flow.phase == DONE:
        return Step(flow, (*before, Reply("note", params={"code": "finished_earlier"})))
    if flow.phase == REVIEW:
        return Step(flow, (*before, Reply("review", params={"items": review_items(flow.answers), "before_result": True})))
    return _ask_next(flow.but(phase=ASKING), *before, Reply("resumed", params={"count": len(flow.answers)}))


def current_prompt(flow: Flow) -> Reply:
    """What the applicant is being asked right now (for a channel that re-shows it)."""
    if flow.phase == DONE:
        return Reply("note", params={"code": "finished"})
    if flow.phase == REVIEW:
        return Reply("review", params={"items": review_items(flow.answers), "before_result": True})
    q = next_question(flow.answers)
    return Reply("question", q) if q else Reply("review", params={"items": review_items(flow.answers), "before_result": True})
