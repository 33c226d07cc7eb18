"""What a button press means, for every channel that shows buttons (Telegram's inline keyboards,
the web's form buttons): a button names what it answers and a short value, and this turns it
into the interview's event, judged against the question being asked now.

The values are the channel-neutral ones a button carries: "yes" / "no", NOT_SURE, "still"
(still serving), an option's index for a choice, a review item's number or "done", SKIP (no
contact details with a shared result).
"""

from __future__ import annotations

from datetime import date

from dialogs.answers import CHOICE, END_DATE, NOT_SURE_JSON, YES_NO
from dialogs.interview import Command, Event, Flow, Pick, next_question

ANSWER, REVIEW, CONFIRM, SHARE, WITHDRAW, CONTACT = "answer", "review", "confirm", "share", "withdraw", "contact"
BUTTONS = (ANSWER, REVIEW, CONFIRM, SHARE, WITHDRAW, CONTACT)
NOT_SURE = "ns"
STILL_SERVING = "still"
SKIP = "skip"  # the contact button that shares a result without contact details


def button_event(flow: Flow, button: str, value: str, today: date) -> Event | None:
    """The event a press stands for, or None when it no longer fits (an answer button for a
    question that is not the current one, an option that does not exist)."""
    if button == REVIEW:
        return Pick("review", "done" if value == "done" else int(value)) if value == "done" or value.isdigit() else None
    if button == CONFIRM:
        return Pick("confirm", value == "yes")
    if button == SHARE:
        return Pick("share", value == "yes")
    if button == WITHDRAW:
        return Command("withdraw")
    if button == CONTACT:
        return Pick("contact", None) if value == SKIP else None
    if button != ANSWER:
        return None
    q = next_question(flow.answers, today)
    if q is None:
        return None
    if value == NOT_SURE:
        return Pick(q.id, dict(NOT_SURE_JSON))
    if q.kind == YES_NO and value in ("yes", "no"):
        return Pick(q.id, value == "yes")
    if q.kind == END_DATE and value == STILL_SERVING:
        return Pick(q.id, None)
    if q.kind == CHOICE and value.isdigit() and int(value) < len(q.choices):
        return Pick(q.id, q.choices[int(value)])
    return None
