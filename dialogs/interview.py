"""The interview as a pure reducer: (flow state, event) -> what to store and what to show.

Channels load the session, call `step`, commit the returned changes, then render the
replies: so an answer is always stored before the next question is sent. The state is only
the stored answers, a phase and the trail of answered ids (for "back").

The next question is "the first one the result still needs": the first applicable question
without an answer, unless nothing can change the outcome any more (a felony conviction, no
prior training, a break over the limit), in which case the result comes at once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from dialogs.answers import NOT_SURE, NOT_SURE_JSON, AnswerError, Stored, answers_from_json, to_json
from dialogs.assessment import Assessment
from dialogs.eligibility import assess, settled
from dialogs.questions import BY_ID, Question, applicable, dependents
from dialogs.reading import Parsed, Reask, read_answer, read_contact
from dialogs.reading.text import clean, phrase
from dialogs.reading.yes_no import read_yes_no
from dialogs.rules import Rules
from dialogs.timing import question_context

ASKING = "asking"
REVIEW = "review"  # all answered: showing the answers before the result
DONE = "done"
CONFIRM_DELETE = "confirm_delete"
CONFIRM_RESTART = "confirm_restart"

# Commands in every channel; the terminal adds "quit".
COMMANDS = ("start", "back", "review", "result", "restart", "help", "privacy", "mydata", "share", "withdraw", "delete")
# What a channel reports that is not an answer: a short note, then where the applicant is.
NUDGES = ("unknown_command", "not_text", "contact_not_asked", "edited")
# The applicant opened a recruiter's link (the channel has attributed the screening to them).
REFERRED = "referred"
# Sharing the result with the recruiter whose link the screening came through (share state):
OFFERED = "offered"  # asked whether to share
ASK_CONTACT = "contact"  # agreed; asked for a way to be contacted
SHARED = "shared"
DECLINED = "declined"
# Whether that recruiter already has a lead from this applicant (set by the channel):
THIS = "this"  # carrying this screening's result
EARLIER = "earlier"  # carrying an earlier screening's result
SKIP_WORDS = {"skip", "no", "none", "no thanks", "nothing", "n", "not now", "no contact", "dont", "pass"}
WITHDRAW_WORDS = {"withdraw", "stop sharing", "unshare"}
SHARE_WORDS = {"share", "share it", "share my result", "share result", "share with recruiter"}
# What a turn does to the applicant's leads (LeadChange.action):
SHARE, WITHDRAW, REFRESH = "share", "withdraw", "refresh"
CONFIRM_WORDS = {
    "yes",
    "y",
    "ok",
    "okay",
    "k",
    "done",
    "confirm",
    "result",
    "results",
    "show",
    "show result",
    "show my result",
    "go",
    "continue",
    "looks good",
    "correct",
    "all good",
    "good",
    "fine",
    "thats right",
    "yep",
    "yeah",
    "submit",
    "next",
    "see result",
    "my result",
}


@dataclass(frozen=True)
class Flow:
    answers: Mapping[str, Any]
    phase: str = ASKING
    trail: tuple[str, ...] = ()
    share: str | None = None
    paused: str | None = None  # the phase a confirmation interrupted
    welcomed: bool = False  # the introduction was shown
    # Set by the channel from the stored leads, not stored with the flow:
    recruiter: str | None = None  # who this result may be shared with (the screening's recruiter)
    shared_with: tuple[str, ...] = ()  # everyone the applicant shares a result with now
    recruiter_lead: str | None = None  # THIS, EARLIER or None: that recruiter's lead from this applicant

    @classmethod
    def load(
        cls,
        answers: Mapping[str, Any],
        state: Mapping[str, Any],
        recruiter: str | None = None,
        shared_with: tuple[str, ...] = (),
        recruiter_lead: str | None = None,
    ) -> Flow:
        return cls(
            dict(answers),
            state.get("phase", ASKING),
            tuple(state.get("trail", ())),
            state.get("share"),
            state.get("paused"),
            bool(state.get("welcomed")),
            recruiter,
            shared_with,
            recruiter_lead,
        )

    def state(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "trail": list(self.trail),
            "share": self.share,
            "paused": self.paused,
            "welcomed": self.welcomed,
        }

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
    # confirm_delete, deleted, confirm_restart, share_offer, share_later, ask_contact, shared, share_declined,
    # withdrawn, mydata
    kind: str
    question: Question | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LeadChange:
    """What a turn does to the applicant's leads; the channel commits it with the turn."""

    action: str  # SHARE (with the screening's recruiter), WITHDRAW (every lead), REFRESH (leads of this result)
    contact: str | None = None
    answers: Mapping[str, Any] = field(default_factory=dict)  # the result's answer file (with "as_of")
    outcome: str | None = None
    rules_version: str | None = None  # the rules version the shared result was assessed under


@dataclass(frozen=True)
class Step:
    flow: Flow
    replies: tuple[Reply, ...]
    set_answers: Mapping[str, Any] = field(default_factory=dict)
    clear: frozenset[str] = frozenset()
    restart: bool = False
    delete: bool = False
    assessment: Assessment | None = None
    leads: LeadChange | None = None


# --- queries --------------------------------------------------------------------------
def engine_answers(answers: Stored, today: date) -> dict[str, Any]:
    """The answer-file form of what applies: answers left over by a change of path drop out;
    "not sure" stays ({"not_sure": true}), since it decides differently from no answer."""
    return {q.id: answers[q.id] for q in applicable(answers, today) if q.id in answers}


def _answer_file(answers: Stored, as_of: date) -> dict[str, Any]:
    return {"as_of": as_of.isoformat(), **engine_answers(answers, as_of)}


def expired(answers: Stored, today: date) -> list[str]:
    """Answers that held when given but no longer hold as of `today` (a planned hire date that
    has passed, an age bound crossed): each is dropped and asked again, never used."""
    gone: list[str] = []
    current = dict(answers)
    while True:
        try:
            answers_from_json(_answer_file(current, today), today)
            return gone
        except AnswerError as err:
            if err.field not in current or err.other is not None:
                return gone  # answers that disagree with each other: the contradiction check's business
            gone.append(err.field)
            del current[err.field]


def export_answers(answers: Stored, as_of: date) -> dict[str, Any]:
    """The answer file of what applies and still holds as of `as_of`."""
    gone = expired(answers, as_of)
    return _answer_file({k: v for k, v in answers.items() if k not in gone}, as_of)


def assessment_for(answers: Stored, today: date, rules: Rules | None = None) -> Assessment:
    """The assessment of stored answers as of `today`, under `rules` (default: in force then)."""
    return assess(answers_from_json(export_answers(answers, today), today), today, rules)


def decided(answers: Stored, today: date) -> Assessment | None:
    """The assessment, when no further answer can change its outcome.

    A step asks this of the same answers more than once (which question is next, whether the
    result is due), and the next step asks it again of the answers this one stored: the last
    few results are kept (a pure function of the answers and the day)."""
    key = (today, json.dumps(answers, sort_keys=True, default=str))
    with _DECIDED_LOCK:  # turns of different applicants run in threads
        if key in _DECIDED:
            return _DECIDED[key]
    try:
        assessment = assessment_for(answers, today)
    except AnswerError:
        found = None
    else:
        found = assessment if settled(assessment) else None
    with _DECIDED_LOCK:
        if len(_DECIDED) >= _DECIDED_KEPT:
            _DECIDED.pop(next(iter(_DECIDED)), None)  # the oldest (dicts keep insertion order)
        _DECIDED[key] = found
    return found


_DECIDED: dict[tuple[date, str], Assessment | None] = {}
_DECIDED_KEPT = 256
_DECIDED_LOCK = threading.Lock()


def next_question(answers: Stored, today: date) -> Question | None:
    """The first question the result still needs (None: all answered, or nothing can change it).
    A question marked `early` whose condition holds comes first: its answer can end the
    screening at once (the Alabama hire, when the break may already be over its limit)."""
    pending = [q for q in applicable(answers, today) if q.id not in answers]
    q = next(
        (q for q in pending if q.ask.early is not None and q.ask.early(answers, today)), pending[0] if pending else None
    )
    if q is None or decided(answers, today) is not None:
        return None
    return q


def ask(q: Question, answers: Stored, today: date, **params: Any) -> Reply:
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
        answers_from_json(_answer_file(candidate, today), today)
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
    return Step(
        flow,
        (*before, Reply("review", params={"items": review_items(flow.answers, today), "before_result": True})),
        **changes,
    )


def _record(flow: Flow, question: Question, value_json: Any, today: date, note: Reply) -> Step:
    answers = {**flow.answers, question.id: value_json}
    trail = tuple(t for t in flow.trail if t != question.id) + (question.id,)
    return _ask_next(
        flow.but(answers=answers, phase=ASKING, trail=trail), today, note, set_answers={question.id: value_json}
    )


def _clear(flow: Flow, field_id: str) -> tuple[Flow, frozenset[str]]:
    gone = frozenset({field_id} | dependents(field_id)) & frozenset(flow.answers)
    answers = {k: v for k, v in flow.answers.items() if k not in gone}
    trail = tuple(t for t in flow.trail if t not in gone)
    return flow.but(answers=answers, phase=ASKING, trail=trail), gone


def step(flow: Flow, event: Event, today: date) -> Step:
    """One event. Answers that no longer hold (see `expired`) are dropped first, with a note
    saying so, and the question comes again where it is needed."""
    gone = expired(flow.answers, today)
    if not gone:
        return _step(flow, event, today)
    notes = tuple(Reply("note", BY_ID[f], {"code": "answer_expired", "value": flow.answers[f]}) for f in gone)
    cleared: frozenset[str] = frozenset()
    for field_id in gone:
        kept_phase = flow.phase
        flow, dropped = _clear(flow, field_id)
        if kept_phase in (CONFIRM_DELETE, CONFIRM_RESTART):
            flow = flow.but(phase=kept_phase, paused=ASKING)
        cleared |= dropped
    result = _step(flow, event, today)
    return replace(
        result, replies=(*notes, *result.replies), clear=(result.clear | cleared) - frozenset(result.set_answers)
    )


def _step(flow: Flow, event: Event, today: date) -> Step:
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
        return Step(
            flow,
            (Reply("reask", current, {"reask": result, "context": question_context(current.id, flow.answers, today)}),),
        )
    return _accept(flow, current, result, today)


def _accept(flow: Flow, question: Question, parsed: Parsed, today: date) -> Step:
    value_json = to_json(parsed.value)
    if value_json != NOT_SURE_JSON and (problem := _contradiction(flow.answers, question, value_json, today)):
        return Step(flow, (Reply("reask", question, {"reask": problem}),))
    understood = Reply("understood", question, {"value": value_json, "note": parsed.note, "note_params": parsed.params})
    return _record(flow, question, value_json, today, understood)


def _confirmation(flow: Flow, event: Event, today: date) -> Step:
    """Delete or restart, asked to confirm: only a clear yes goes ahead."""
    yes = isinstance(event, Pick) and event.value is True
    if isinstance(event, Text):
        reading = read_yes_no(clean(event.text), strict=True)
        yes = (
            isinstance(reading, Parsed)
            and reading.value is True
            or phrase(event.text) in ("delete", "restart", "yes delete")
        )
    if yes and flow.phase == CONFIRM_DELETE:
        return Step(Flow({}), (Reply("deleted"),), delete=True)
    if yes:
        fresh = Flow(
            {},
            welcomed=True,
            recruiter=flow.recruiter,
            shared_with=flow.shared_with,
            recruiter_lead=EARLIER if flow.recruiter_lead else None,
        )
        return _ask_next(fresh, today, Reply("restarted"), restart=True)
    kept = flow.but(phase=flow.paused or ASKING, paused=None)
    cancelled = Reply(
        "note", params={"code": "delete_cancelled" if flow.phase == CONFIRM_DELETE else "restart_cancelled"}
    )
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
    assert isinstance(event, Text)  # commands were handled before the phases
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
    return Step(
        flow,
        (
            Reply("note", params={"code": "review_unclear", "count": len(items)}),
            Reply("review", params={"items": items, "before_result": pending is None, "pending": pending is not None}),
        ),
    )


def _continue(flow: Flow, today: date) -> Step:
    """Leaving the review: the result once everything is answered, else the next question."""
    return _finish(flow, today) if next_question(flow.answers, today) is None else _ask_next(flow, today)


def _edit(flow: Flow, items: list[tuple[int, Question, Any]], number: int, today: date) -> Step:
    chosen = next((q for i, q, _ in items if i == number), None)
    if chosen is None:
        return Step(
            flow,
            (
                Reply("note", params={"code": "review_unclear", "count": len(items)}),
                Reply("review", params={"items": items, "before_result": True}),
            ),
        )
    previous = flow.answers[chosen.id]
    cleared, gone = _clear(flow, chosen.id)
    return Step(cleared, (ask(chosen, cleared.answers, today, previous=previous, cleared=len(gone) - 1),), clear=gone)


def _finish(flow: Flow, today: date, *, again: bool = False) -> Step:
    """The result, and what can be done with it. A result reached again after changes also
    goes to the leads that carry it (`again`: only shown again, nothing changed)."""
    assessment = assessment_for(flow.answers, today)
    flow, offer = _share_prompt(flow, changed=not again)
    change = None
    if flow.shared_with and not again:
        change = LeadChange(
            REFRESH, None, export_answers(flow.answers, today), assessment.outcome, assessment.rules_version
        )
    return Step(
        flow.but(phase=DONE),
        (Reply("result", params={"assessment": assessment}), *offer),
        assessment=assessment,
        leads=change,
    )


def _share_prompt(flow: Flow, changed: bool = False) -> tuple[Flow, tuple[Reply, ...]]:
    """Under a result: the offer to share it with the screening's recruiter (again, if they have
    an earlier result), or, once declined, how to share it later. Consent given to an earlier
    result is asked again when the answers changed before it was shared (`changed`)."""
    if not flow.recruiter or flow.recruiter_lead == THIS:
        return flow, ()
    if flow.share == ASK_CONTACT and not changed:
        return flow, (Reply("ask_contact", params={"recruiter": flow.recruiter}),)
    if flow.share in (DECLINED, SHARED):
        return flow, (Reply("share_later", params={"recruiter": flow.recruiter}),)
    return flow.but(share=OFFERED), (
        Reply("share_offer", params={"recruiter": flow.recruiter, "again": flow.recruiter_lead == EARLIER}),
    )


def _after_result(flow: Flow, event: Event, today: date) -> Step:
    """After the result: seeing it again, and sharing it with the recruiter (or not)."""
    text = phrase(event.text) if isinstance(event, Text) else None
    if isinstance(event, Pick) and event.question_id == "share" and flow.recruiter:
        return _share_choice(flow, event.value is True)
    if flow.share == OFFERED and flow.recruiter:
        if isinstance(event, Text):
            parsed = read_yes_no(clean(event.text))
            if isinstance(parsed, Parsed) and isinstance(parsed.value, bool):
                return _share_choice(flow, parsed.value)
        return Step(
            flow, (Reply("share_offer", params={"recruiter": flow.recruiter, "again": flow.recruiter_lead == EARLIER}),)
        )
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
        assessment = assessment_for(flow.answers, today)
        change = LeadChange(
            SHARE, contact, export_answers(flow.answers, today), assessment.outcome, assessment.rules_version
        )
        return Step(
            flow.but(share=SHARED),
            (Reply("shared", params={"recruiter": flow.recruiter, "contact": contact}),),
            leads=change,
        )
    if text in SHARE_WORDS:
        return _command(flow, "share", today)
    if text in WITHDRAW_WORDS:
        return _withdraw(flow)
    if text in CONFIRM_WORDS:
        return _finish(flow, today, again=True)
    return Step(flow, (Reply("note", params={"code": "finished"}),))


def _share_choice(flow: Flow, yes: bool) -> Step:
    if yes:
        return Step(flow.but(share=ASK_CONTACT), (Reply("ask_contact", params={"recruiter": flow.recruiter}),))
    return Step(flow.but(share=DECLINED), (Reply("share_declined"),))


def _share(flow: Flow, today: date) -> Step:
    """/share: the result goes to the screening's recruiter (again, to change what they have)."""
    if flow.phase != DONE:
        return Step(flow, (Reply("note", params={"code": "share_after_result"}), *_again(flow, today)))
    if not flow.recruiter:
        return Step(flow, (Reply("note", params={"code": "no_recruiter"}),))
    return _share_choice(flow, True)


def _withdraw(flow: Flow) -> Step:
    if not flow.shared_with:
        return Step(flow, (Reply("note", params={"code": "nothing_shared"}),))
    withdrawn = flow.but(
        share=DECLINED if flow.share in (SHARED, OFFERED, ASK_CONTACT) else flow.share,
        shared_with=(),
        recruiter_lead=None,
    )
    return Step(withdrawn, (Reply("withdrawn", params={"recruiters": flow.shared_with}),), leads=LeadChange(WITHDRAW))


def _referred(flow: Flow, today: date) -> Step:
    """Opened a recruiter's link: a new applicant is welcomed on their behalf; a screening under
    way now comes through them; a finished one is offered to them. A pending confirmation
    (delete, restart) is dropped: the applicant has moved on."""
    if not flow.answers or not flow.recruiter:
        return _command(flow, "start", today)
    if flow.phase in (CONFIRM_DELETE, CONFIRM_RESTART):
        flow = flow.but(phase=flow.paused or ASKING, paused=None)
    if flow.phase == DONE:
        if flow.recruiter_lead == THIS:
            return Step(flow, (Reply("note", params={"code": "already_shared", "recruiter": flow.recruiter}),))
        offered = flow.but(share=OFFERED)
        return Step(
            offered,
            (
                Reply(
                    "share_offer",
                    params={
                        "recruiter": flow.recruiter,
                        "again": flow.recruiter_lead == EARLIER,
                        "earlier_result": True,
                    },
                ),
            ),
        )
    linked = Reply("note", params={"code": "linked_to_recruiter", "recruiter": flow.recruiter})
    if flow.phase == REVIEW:
        return Step(flow, (linked, current_prompt(flow, today)))
    return _ask_next(flow, today, linked)


def _command(flow: Flow, name: str, today: date) -> Step:
    if name == "start":
        if not flow.answers:
            return _ask_next(flow.but(welcomed=True), today, Reply("welcome", params={"recruiter": flow.recruiter}))
        return _resume(flow, today)
    if name == "help":
        current = next_question(flow.answers, today) if flow.phase == ASKING else None
        return Step(flow, (Reply("help", current), *_again(flow, today)))
    if name == "privacy":
        return Step(flow, (Reply("privacy", params={"shared_with": flow.shared_with}), *_again(flow, today)))
    if name == "share":
        return _share(flow, today)
    if name == REFERRED:
        return _referred(flow, today)
    if name == "mydata":
        return Step(flow, (Reply("mydata", params={"answers": export_answers(flow.answers, today)}),))
    if name == "withdraw":
        withdrawn = _withdraw(flow)
        return replace(withdrawn, replies=(*withdrawn.replies, *_again(withdrawn.flow, today)))
    if name in NUDGES:
        return Step(flow, (Reply("note", params={"code": name}), *_again(flow, today)))
    if name == "result":
        if flow.phase == DONE:
            return _finish(flow, today, again=True)
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
        return Step(
            flow.but(phase=REVIEW),
            (Reply("review", params={"items": items, "before_result": not pending, "pending": pending}),),
        )
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
        return Step(
            flow, (Reply("review", params={"items": review_items(flow.answers, today), "before_result": True}),)
        )
    return _ask_next(flow.but(phase=ASKING), today, Reply("resumed", params={"count": len(flow.answers)}))


def current_prompt(flow: Flow, today: date) -> Reply:
    """What the applicant is being asked right now (for a channel that re-shows it)."""
    if flow.phase == DONE:
        if flow.recruiter and flow.share == OFFERED:
            return Reply("share_offer", params={"recruiter": flow.recruiter, "again": flow.recruiter_lead == EARLIER})
        if flow.recruiter and flow.share == ASK_CONTACT:
            return Reply("ask_contact", params={"recruiter": flow.recruiter})
        return Reply("note", params={"code": "finished"})
    q = next_question(flow.answers, today)
    if flow.phase == REVIEW or q is None:
        return Reply("review", params={"items": review_items(flow.answers, today), "before_result": q is None})
    return ask(q, flow.answers, today)


def question(question_id: str) -> Question:
    return BY_ID[question_id]
