"""The web channel's rendering of a turn: the interview's replies as the messages of a page,
each with the controls it offers (the web's counterpart of bot/keyboards.py).

A turn's messages are rendered when the turn is committed and stored with it, in the
session's channel state (`state_update`): after Post/Redirect/Get, the page a browser then
asks for, on any worker, shows exactly what that turn said, and a reload shows it again
without doing anything. The words come from the same templates as the other channels, in
their web flavour (HTML, commands named by the page's buttons).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from bot.conversation import StateUpdate, next_ask
from bot.presenter import answer_value_text, present, prompt_text, result_text, understood_text
from bot.settings import Settings
from dialogs.interview import ASK_CONTACT, DONE, Flow, Reply, Step, review_items
from storage import SessionSnapshot

STATE_KEY = "web"  # the channel-state key of the last turn's messages
RESULT_PARTS = ("verdict", "details", "rest")  # a short verdict first, then the details


def controls_for(reply: Reply, flow: Flow) -> dict[str, Any] | None:
    """What the page offers under a message, as data the page template draws."""
    kind = reply.kind
    if kind in ("question", "reask") and reply.question is not None:
        return {"type": "answer", "q": reply.question.id}
    if kind == "ask_contact" or (kind == "reask" and flow.share == ASK_CONTACT):
        return {"type": "contact"}
    if kind == "share_offer":
        return {"type": "share"}
    if kind in ("share_later", "share_declined"):
        return {"type": "share_later"}
    if kind == "privacy" and reply.params.get("shared_with"):
        return {"type": "withdraw"}
    if kind == "review":
        return {
            "type": "review",
            "count": len(reply.params["items"]),
            "before_result": bool(reply.params.get("before_result")),
            "pending": bool(reply.params.get("pending")),
        }
    if kind in ("confirm_delete", "confirm_restart"):
        return {"type": "confirm", "what": kind.removeprefix("confirm_")}
    return None


def messages(replies: tuple[Reply, ...], flow: Flow, settings: Settings) -> list[dict[str, Any]]:
    """The turn's replies as stored messages: kind, HTML, the question (if any) and controls."""
    answers = dict(flow.answers)
    out: list[dict[str, Any]] = []
    for reply in replies:
        if reply.kind == "result":
            assessment = reply.params["assessment"]
            for part in RESULT_PARTS:
                text = result_text(assessment, part=part, web=True)
                if text.strip():
                    out.append({"kind": part, "html": text})
            out[-1]["controls"] = {"type": "pdf"}
            continue
        if reply.kind == "understood":
            html = understood_text(reply, web=True)
        else:
            html = present(
                reply,
                answers,
                web=True,
                buttons=True,
                retention_days=settings.retention_days,
                lead_retention_days=settings.lead_retention_days,
            )
        message: dict[str, Any] = {"kind": reply.kind, "html": html}
        if reply.question is not None:
            message["q"] = reply.question.id
        controls = controls_for(reply, flow)
        if controls is not None:
            message["controls"] = controls
        out.append(message)
    return out


def state_update(settings: Settings) -> StateUpdate:
    """The turn's step token (as for Telegram's keyboards) and its messages, committed with it."""

    def update(session: SessionSnapshot, result: Step) -> dict:
        return {**next_ask(session, result), STATE_KEY: messages(result.replies, result.flow, settings)}

    return update


@dataclass(frozen=True)
class LogItem:
    """An answered question as the conversation shows it: the question, then how it was read."""

    prompt: str
    answer: Markup


@dataclass(frozen=True)
class Page:
    """What the chat page shows: the answers so far, then the last turn's messages."""

    log: list[LogItem]
    messages: list[dict[str, Any]]
    step: int
    finished: bool


def page_of(session: SessionSnapshot, flow: Flow, today: date) -> Page:
    state: Mapping[str, Any] = session.channel_state
    stored = [dict(m, html=Markup(m["html"])) for m in state.get(STATE_KEY) or []]
    echoes = {m.get("q"): m["html"] for m in stored if m["kind"] == "understood"}
    answers = dict(flow.answers)
    log = [
        LogItem(prompt_text(q, answers), echoes.get(q.id) or Markup("✓ ") + answer_value_text(q, value))
        for _, q, value in review_items(answers, today)
    ]
    shown = [m for m in stored if m["kind"] != "understood"]
    return Page(log, shown, int(state.get("ask", 0)), flow.phase == DONE)
