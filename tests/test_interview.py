"""The interview reducer, called directly: (flow, event, today) in, what to store and say out.
No database, no channel: each case is a specification of one turn."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from dialogs.answers import answers_from_json
from dialogs.interview import (
    ASK_CONTACT,
    DECLINED,
    DONE,
    EARLIER,
    OFFERED,
    REFERRED,
    REFRESH,
    SHARE,
    SHARED,
    THIS,
    WITHDRAW,
    Command,
    Event,
    Flow,
    LeadChange,
    Pick,
    Step,
    Text,
    assessment_for,
    export_answers,
    step,
)

TODAY = date(2026, 12, 2)
LATER = date(2027, 1, 10)  # after the planned hire date below
RECRUITER = "Sgt. Ana Smith (Mobile PD)"
FEDERAL = {
    "background": "federal",
    "basic_course_graduate": True,
    "basic_course_hours": 640,
    "service_start": "2012-01",
    "service_end": "2025-06-30",
    "service_gap_days": 0,
    "le_duties_last_4_years": True,
    "highest_degree": "bachelor",
    "degree_accredited": True,
    "degree_by_correspondence": False,
    "grandfathered_or_exempted": False,
    "felony_conviction": False,
    "expunged_record": False,
    "us_citizen": True,
    "meets_minimum_age": True,
    "alabama_employment": "offer",
    "planned_hire_date": "2026-12-15",
}


def finished(**changes: Any) -> Flow:
    return Flow(dict(FEDERAL), phase=DONE, welcomed=True).but(**changes)


def kinds(result: Step) -> list[str]:
    return [r.params.get("code", r.kind) if r.kind == "note" else r.kind for r in result.replies]


def lead_change(result: Step) -> LeadChange:
    """What the step has to commit to the recruiter's leads (it must have something)."""
    assert result.leads is not None, f"no lead change; replies {kinds(result)}"
    return result.leads


# --- answers that no longer hold ------------------------------------------------------------------
@pytest.mark.parametrize(
    "event",
    [
        Command("result"),
        Command("start"),
        Text("ok"),
        Text("result"),
        Command("review"),
        Command("mydata"),
        Command("privacy"),
        Text("hello"),
    ],
)
def test_a_hire_date_that_has_passed_is_asked_again_never_used(event: Event) -> None:
    result = step(finished(), event, LATER)
    assert kinds(result)[0] == "answer_expired" and result.replies[0].params["value"] == "2026-12-15"
    assert "planned_hire_date" in result.clear and "planned_hire_date" not in result.flow.answers
    assert result.flow.phase != DONE  # the result waits for the new date


def test_a_passed_hire_date_is_left_out_of_every_export_and_estimate() -> None:
    data = export_answers(FEDERAL, LATER)
    assert "planned_hire_date" not in data
    answers_from_json(data, LATER)  # a valid answer file: `assess -` reads it
    assert assessment_for(FEDERAL, LATER).outcome == "likely_eligible"


def test_the_expired_answer_can_be_answered_in_the_same_turn() -> None:
    asked = step(finished(), Command("start"), LATER)
    answered = step(asked.flow, Text("March 2027"), LATER)
    assert answered.set_answers == {"planned_hire_date": "2027-03"} and not answered.clear & {"planned_hire_date"}


# --- sharing --------------------------------------------------------------------------------------
def test_a_cancelled_confirmation_during_the_offer_comes_back_to_the_offer() -> None:
    flow = finished(share=OFFERED, recruiter=RECRUITER)
    for command in ("restart", "delete"):
        asked = step(flow, Command(command), TODAY)
        kept = step(asked.flow, Text("no"), TODAY)
        assert kinds(kept) == [f"{command}_cancelled", "share_offer"] and kept.flow.share == OFFERED
    contact = finished(share=ASK_CONTACT, recruiter=RECRUITER)
    kept = step(step(contact, Command("delete"), TODAY).flow, Text("no"), TODAY)
    assert kinds(kept) == ["delete_cancelled", "ask_contact"]


def test_consent_is_asked_again_when_the_answers_change_before_the_contact() -> None:
    flow = finished(share=ASK_CONTACT, recruiter=RECRUITER)
    review = step(flow, Command("review"), TODAY)
    edited = step(review.flow, Text("1"), TODAY)  # change the first answer...
    again = step(edited.flow, Text("2"), TODAY)  # ...to the same pathway: the rest is asked again
    while again.flow.phase != DONE:
        question = next(r.question for r in reversed(again.replies) if r.question is not None)
        again = step(again.flow, Text("ok") if again.flow.phase == "review" else _answer(question.id), TODAY)
    assert again.flow.share == OFFERED and "share_offer" in kinds(again)


def _answer(field: str) -> Text:
    value = FEDERAL[field]
    text = {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)
    return Text(
        {
            "background": "2",
            "highest_degree": "3",
            "alabama_employment": "4",
            "service_end": "06/30/2025",
            "service_start": "January 2012",
            "planned_hire_date": "March 2027",
            "service_gap_days": "none",
        }.get(field, text)
    )


@pytest.mark.parametrize(
    "flow,expected",
    [
        (finished(recruiter=RECRUITER), ["share_offer"]),
        (finished(recruiter=RECRUITER, recruiter_lead=EARLIER), ["share_offer"]),
        (finished(recruiter=RECRUITER, share=DECLINED), ["share_later"]),
        (finished(recruiter=RECRUITER, recruiter_lead=THIS, share=SHARED, shared_with=(RECRUITER,)), []),
        (finished(), []),
    ],
)
def test_under_the_result(flow: Flow, expected: list[str]) -> None:
    result = step(flow.but(phase="review"), Text("ok"), TODAY)
    assert kinds(result)[1:] == expected


def test_share_withdraw_and_refresh_are_changes_to_commit() -> None:
    flow = finished(recruiter=RECRUITER, share=DECLINED)
    asked = step(flow, Command("share"), TODAY)
    assert asked.flow.share == ASK_CONTACT
    shared = step(asked.flow, Text("skip"), TODAY)
    change = lead_change(shared)
    assert change.action == SHARE and change.contact is None and change.outcome == "likely_eligible"
    assert change.answers["as_of"] == TODAY.isoformat()
    with_lead = shared.flow.but(shared_with=(RECRUITER,), recruiter_lead=THIS)
    assert lead_change(step(with_lead, Command("withdraw"), TODAY)).action == WITHDRAW
    assert lead_change(step(with_lead.but(phase="review"), Text("ok"), TODAY)).action == REFRESH
    assert step(with_lead, Command("result"), TODAY).leads is None  # shown again: nothing to send
    assert kinds(step(finished(), Command("withdraw"), TODAY)) == ["nothing_shared"]
    assert kinds(step(finished(), Command("share"), TODAY)) == ["no_recruiter"]
    assert kinds(step(Flow({}, welcomed=True), Command("share"), TODAY))[0] == "share_after_result"


@pytest.mark.parametrize(
    "flow,expected",
    [
        (Flow({}, recruiter=RECRUITER), ["welcome", "question"]),
        (Flow({"background": "federal"}, welcomed=True, recruiter=RECRUITER), ["linked_to_recruiter", "question"]),
        (finished(recruiter=RECRUITER), ["share_offer"]),
        (finished(recruiter=RECRUITER, recruiter_lead=THIS), ["already_shared"]),
        (finished(recruiter=RECRUITER, phase="confirm_delete", paused=DONE), ["share_offer"]),
    ],
)
def test_opening_a_recruiters_link(flow: Flow, expected: list[str]) -> None:
    result = step(flow, Command(REFERRED), TODAY)
    assert kinds(result) == expected


def test_mydata_keeps_the_questions_order() -> None:
    result = step(finished(), Command("mydata"), TODAY)
    answers = result.replies[0].params["answers"]
    assert list(answers)[:3] == ["as_of", "background", "basic_course_graduate"]
    assert list(answers).index("service_start") < list(answers).index("service_end")
    json.dumps(answers)


def test_a_pick_for_the_share_offer_is_a_choice_to_share() -> None:
    flow = finished(recruiter=RECRUITER, share=OFFERED)
    assert step(flow, Pick("share", True), TODAY).flow.share == ASK_CONTACT
    assert step(flow, Pick("share", False), TODAY).flow.share == DECLINED


# --- what a button means --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "answers,button,value,expected",
    [
        ({}, "answer", "0", Pick("background", "out_of_state")),
        ({}, "answer", "3", Pick("background", "none")),
        ({}, "answer", "9", None),  # no such option
        ({}, "answer", "yes", None),  # a yes/no button for a choice question: an old keyboard
        ({"background": "federal"}, "answer", "yes", Pick("basic_course_graduate", True)),
        ({"background": "federal"}, "answer", "ns", Pick("basic_course_graduate", {"not_sure": True})),
        (
            {
                "background": "federal",
                "basic_course_graduate": True,
                "basic_course_hours": 640,
                "service_start": "2012-01",
            },
            "answer",
            "still",
            Pick("service_end", None),
        ),
        ({}, "review", "done", Pick("review", "done")),
        ({}, "review", "3", Pick("review", 3)),
        ({}, "review", "x", None),
        ({}, "confirm", "yes", Pick("confirm", True)),
        ({}, "share", "no", Pick("share", False)),
        ({}, "withdraw", "yes", Command("withdraw")),
        ({}, "unknown", "yes", None),
    ],
)
def test_a_button_means(answers: dict[str, Any], button: str, value: str, expected: Event | None) -> None:
    from dialogs.buttons import button_event

    assert button_event(Flow(answers, welcomed=True), button, value, TODAY) == expected
