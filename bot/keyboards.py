"""Inline keyboards for questions, the review and confirmations.

Callback data is `<kind>:<ask>:<value>`, well under Telegram's 64 bytes. `ask` counts the
prompts shown in the session, so a tap on an older keyboard is recognised as stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
)

from bot.presenter import choice_label
from bot.render import say
from dialogs.answers import CHOICE, END_DATE, YES_NO
from dialogs.buttons import ANSWER, CONFIRM, NOT_SURE, REVIEW, SHARE, STILL_SERVING, WITHDRAW
from dialogs.interview import Reply
from dialogs.questions import Question

CALLBACK_PATTERN = re.compile(r"^(?P<kind>[adrsw]):(?P<ask>\d{1,9}):(?P<value>[A-Za-z0-9_]{1,20})$")
BUTTON_OF = {"a": ANSWER, "r": REVIEW, "d": CONFIRM, "s": SHARE, "w": WITHDRAW}  # callback letter -> button


@dataclass(frozen=True)
class Tap:
    kind: str  # a = answer, r = review, d = delete confirmation, s = share offer, w = withdraw sharing
    ask: int
    value: str


def parse_callback(data: str | None) -> Tap | None:
    match = CALLBACK_PATTERN.match(data or "")
    if not match:
        return None
    return Tap(match["kind"], int(match["ask"]), match["value"])


def _label(code: str, **params: Any) -> str:
    return say(code, _file="telegram.j2", **params)


def _button(text: str, kind: str, ask: int, value: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=f"{kind}:{ask}:{value}")


def question_keyboard(q: Question, ask: int) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if q.kind == CHOICE:
        rows = [[_button(choice_label(q.id, c), "a", ask, str(i))] for i, c in enumerate(q.choices)]
    elif q.kind == YES_NO:
        rows = [[_button(_label("yes"), "a", ask, "yes"), _button(_label("no"), "a", ask, "no")]]
    elif q.kind == END_DATE:
        rows = [[_button(_label("still_serving"), "a", ask, STILL_SERVING)]]
    rows.append([_button(_label("not_sure"), "a", ask, NOT_SURE)])
    return InlineKeyboardMarkup(rows)


def review_keyboard(count: int, ask: int, before_result: bool, pending: bool = False) -> InlineKeyboardMarkup:
    numbers = [_button(str(i), "r", ask, str(i)) for i in range(1, count + 1)]
    rows = [numbers[i : i + 5] for i in range(0, len(numbers), 5)]
    if pending:
        rows.append([_button(_label("continue"), "r", ask, "done")])
    elif before_result:
        rows.append([_button(_label("show_result"), "r", ask, "done")])
    return InlineKeyboardMarkup(rows)


def delete_keyboard(ask: int, kind: str = "confirm_delete") -> InlineKeyboardMarkup:
    """Yes / no for a confirmation (delete or restart)."""
    prefix = "delete" if kind == "confirm_delete" else "restart"
    return InlineKeyboardMarkup(
        [[_button(_label(f"{prefix}_yes"), "d", ask, "yes"), _button(_label(f"{prefix}_no"), "d", ask, "no")]]
    )


def contact_keyboard() -> ReplyKeyboardMarkup:
    """Telegram's own share-contact button, so nobody has to type their number."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(_label("share_phone"), request_contact=True)], [_label("skip")]],
        one_time_keyboard=True,
        resize_keyboard=True,
    )


def keyboard_for(reply: Reply, ask: int) -> TelegramObject | None:
    if reply.kind in ("question", "reask") and reply.question is not None:
        return question_keyboard(reply.question, ask)
    if reply.kind == "share_offer":
        return InlineKeyboardMarkup([[_button(_label("yes"), "s", ask, "yes"), _button(_label("no"), "s", ask, "no")]])
    if reply.kind in ("share_later", "share_declined"):
        return InlineKeyboardMarkup([[_button(_label("share_later"), "s", ask, "yes")]])
    if reply.kind == "ask_contact":
        return contact_keyboard()
    if reply.kind == "shared":
        return ReplyKeyboardRemove()
    if reply.kind == "privacy" and reply.params.get("shared_with"):
        return InlineKeyboardMarkup([[_button(_label("stop_sharing"), "w", ask, "yes")]])
    if reply.kind == "review":
        return review_keyboard(
            len(reply.params["items"]),
            ask,
            reply.params.get("before_result", False),
            reply.params.get("pending", False),
        )
    if reply.kind in ("confirm_delete", "confirm_restart"):
        return delete_keyboard(ask, reply.kind)
    return None
