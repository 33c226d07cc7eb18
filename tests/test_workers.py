"""Two real bot processes (webhook mode) on ONE database, driven at the same moment.

The stand-in delivers webhook updates to one URL only, so this test builds the updates
itself (with the stand-in's user/message/callback-query builders, so that the bot's
answers to them are valid Bot API calls) and POSTs them concurrently to BOTH workers'
webhook ports; the workers' outgoing Bot API calls all go to the one stand-in.

* Interleaved: every applicant's steps alternate between the two workers, all applicants
  acting at the same moment.
* Raced: every button tap is a double tap whose two callback queries (two different
  updates) reach the two workers at the same moment: the conversation layer's version
  check + retry must serialise them, so the answer is kept once and the next question
  asked once.
* Duplicated delivery of one update (same update_id) to both workers is a different
  problem (Telegram redelivers a webhook update whose delivery timed out): see the last test.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import subprocess
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from storage import Store
from tests.bot_harness import WEBHOOK_SECRET, bot_process, free_port
from tests.helpers import current_session
from tests.screenings import (
    FEDERAL_BY_BUTTONS,
    MILITARY_MIXED,
    NO_TRAINING,
    OUT_OF_STATE_TYPED,
    answer_count,
    has_review,
)
from tests.telegram_standin import SECRET_HEADER, BotApiStandIn, StoredMessage
from tests.telegram_standin.text_units import bot_command_entities

SCRIPTS = [FEDERAL_BY_BUTTONS, OUT_OF_STATE_TYPED, MILITARY_MIXED, NO_TRAINING]
APPLICANTS = 8  # two per script


def start_worker(standin: BotApiStandIn, database_url: str, port: int) -> subprocess.Popen[bytes]:
    return bot_process(standin, database_url, port)


async def wait_until_up(standin: BotApiStandIn, ports: list[int], timeout: float = 60) -> None:
    """Both workers registered their commands and accept connections."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if len(standin.calls_to("setMyCommands")) >= len(ports):
            try:
                for port in ports:
                    _, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                return
            except OSError:
                pass
        await asyncio.sleep(0.1)
    raise TimeoutError("the workers did not start")


class Workers:
    """Two webhook workers; updates are built here and POSTed to the worker of our choice."""

    def __init__(self, standin: BotApiStandIn, ports: list[int], http: aiohttp.ClientSession) -> None:
        self.standin = standin
        self.ports = ports
        self.http = http
        self.update_ids = itertools.count(1)

    def text_update(self, user_id: int, text: str) -> dict[str, Any]:
        """The user types `text` (stored in the stand-in's chat, not queued for delivery)."""
        state = self.standin.state
        state.ensure_user(user_id)
        msg = state.add_message(user_id, from_bot=False, text=text, html=text, entities=bot_command_entities(text))
        return {"update_id": next(self.update_ids), "message": state.message_api(msg)}

    def tap_update(self, user_id: int, message: StoredMessage, label: str) -> dict[str, Any]:
        """A tap on the button `label` of `message` (a callback query the stand-in knows)."""
        data = next(b["callback_data"] for b in message.buttons if b["text"] == label)
        query = self.standin.state.callback_query_api(user_id, message, data)
        return {"update_id": next(self.update_ids), "callback_query": query}

    async def post(self, worker: int, update: dict[str, Any]) -> None:
        async with self.http.post(
            f"http://127.0.0.1:{self.ports[worker]}/tg", json=update, headers={SECRET_HEADER: WEBHOOK_SECRET}
        ) as response:
            assert response.status == 200, await response.text()


@pytest.fixture
async def two_workers(database_url: str) -> AsyncIterator[Workers]:
    Store(database_url).close()  # migrate once, before the workers start
    async with BotApiStandIn() as standin:
        ports = [free_port(), free_port()]
        procs = [start_worker(standin, database_url, port) for port in ports]
        try:
            await wait_until_up(standin, ports)
            async with aiohttp.ClientSession() as http:
                yield Workers(standin, ports, http)
        finally:
            for p in procs:
                p.send_signal(signal.SIGINT)
            for p in procs:
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(timeout=10)


def question_prompts(standin: BotApiStandIn, user_id: int) -> list[str]:
    """Texts of every message sent to the user with an answer keyboard (every question has
    one: "not sure"), from the Bot API calls themselves (a keyboard removed later still counts)."""
    prompts = []
    for params in standin.calls_to("sendMessage"):
        markup = params.get("reply_markup") or {}
        data = [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]
        if params.get("chat_id") == user_id and any(d.startswith("a:") for d in data):
            prompts.append(params.get("text", ""))
    return prompts


async def drive(w: Workers, people: list[tuple[int, list[str]]], double_taps: bool) -> None:
    """All applicants act at the same moment, step by step; applicant i's step k goes to
    worker (i + k) % 2, so every applicant alternates workers. With `double_taps`, every tap
    is two callback queries (two different updates of the same applicant) sent one to each
    worker at the same moment."""
    standin = w.standin

    async def act(uid: int, step: str, worker: int) -> None:
        if step.startswith("tap:"):
            label = step[4:]
            message = next((m for m in reversed(standin.bot_messages(uid)) if label in m.button_texts), None)
            assert message is not None, (
                uid,
                step,
                [(m.visible_text[:80], m.button_texts) for m in standin.bot_messages(uid)[-3:]],
            )
            if double_taps:
                first, second = w.tap_update(uid, message, label), w.tap_update(uid, message, label)
                await asyncio.gather(w.post(0, first), w.post(1, second))
            else:
                await w.post(worker, w.tap_update(uid, message, label))
        else:
            await w.post(worker, w.text_update(uid, step))

    # A worker answers a webhook request once it has handled the update, replies sent: each
    # round below starts when the last one is complete, with no waiting on a quiet moment.
    await asyncio.gather(*(w.post(i % 2, w.text_update(uid, "/start")) for i, (uid, _) in enumerate(people)))
    for k in range(max(len(s) for _, s in people)):
        acting = [(i, uid, s[k]) for i, (uid, s) in enumerate(people) if k < len(s)]
        await asyncio.gather(*(act(uid, step, (i + k) % 2) for i, uid, step in acting))


async def pdfs_arrived(standin: BotApiStandIn, people: list[tuple[int, list[str]]]) -> None:
    """The checklist PDF follows a result after the webhook's answer: wait for each one."""

    def arrived() -> bool:
        return all(any(m.document is not None for m in standin.bot_messages(uid)) for uid, _ in people)

    assert await standin.state.wait_for(arrived, 30), "a checklist PDF did not arrive"


def check_answers_and_results(standin: BotApiStandIn, database_url: str, people: list[tuple[int, list[str]]]) -> None:
    """Every applicant: the right result and one PDF; every answer kept exactly once."""
    store = Store(database_url)
    try:
        reference: dict[int, dict[str, Any]] = {}
        for i, (uid, script) in enumerate(people):
            text = "\n".join(m.visible_text for m in standin.bot_messages(uid))
            expected = "Likely not eligible" if script is NO_TRAINING else "Likely eligible"
            assert expected in text, (uid, text[-500:])
            assert len([m for m in standin.bot_messages(uid) if m.document is not None]) == 1, uid
            session = store.current_session("telegram", str(uid))
            assert session is not None and session.is_finished, uid
            # every step but the final confirmation recorded exactly one answer, kept exactly once
            assert len(session.answers) == answer_count(script), (uid, session.answers)
            history = store.answer_history(session.id)
            fields = [r.field for r in history]
            assert sorted(fields) == sorted(set(fields)) == sorted(session.answers), (uid, fields)
            assert all(r.is_current for r in history), uid
            # the same script gives the same answers whichever worker took which step
            assert reference.setdefault(i % 4, session.answers) == session.answers, uid
        assert all(r.answered for r in standin.state.callback_queries.values())
    finally:
        store.close()


def duplicated_prompts(standin: BotApiStandIn, people: list[tuple[int, list[str]]]) -> dict[int, list[str]]:
    """Applicants who were sent more question prompts than they gave answers (a question
    asked twice for one answer), or more than one review before the result."""
    out = {}
    for uid, script in people:
        prompts = question_prompts(standin, uid)
        reviews = [
            p
            for p in standin.calls_to("sendMessage")
            if p.get("chat_id") == uid
            and any(
                b.get("callback_data", "").startswith("r:")
                for row in (p.get("reply_markup") or {}).get("inline_keyboard", [])
                for b in row
            )
        ]
        if len(prompts) != answer_count(script) or len(reviews) != has_review(script):
            out[uid] = [t[:50] for t in prompts] + [f"{len(reviews)} reviews"]
    return out


async def test_two_workers_interleaved(two_workers: Workers, database_url: str) -> None:
    people = [(5000 + i, SCRIPTS[i % 4]) for i in range(APPLICANTS)]
    await drive(two_workers, people, double_taps=False)
    await pdfs_arrived(two_workers.standin, people)
    check_answers_and_results(two_workers.standin, database_url, people)
    assert duplicated_prompts(two_workers.standin, people) == {}


async def test_double_taps_raced_on_two_workers(two_workers: Workers, database_url: str) -> None:
    """Two different updates of one applicant (a double tap) processed at the same moment by
    two workers: the version check + retry serialises them, so answers are kept exactly once,
    and the tap's token is judged inside the retry (on the session the turn applies to), so
    the losing tap changes nothing and asks nothing again."""
    standin = two_workers.standin
    people = [(5100 + i, SCRIPTS[i % 4]) for i in range(APPLICANTS)]
    await drive(two_workers, people, double_taps=True)
    await pdfs_arrived(standin, people)
    store = Store(database_url)
    try:
        for uid, _script in people:
            session = current_session(store, "telegram", str(uid))
            history = store.answer_history(session.id)
            fields = [r.field for r in history]
            assert len(fields) == len(set(fields)) and all(r.is_current for r in history), (uid, fields)
            assert set(fields) == set(session.answers), uid
    finally:
        store.close()
    assert duplicated_prompts(standin, people) == {}
    check_answers_and_results(standin, database_url, people)


async def test_same_update_delivered_to_both_workers(two_workers: Workers, database_url: str) -> None:
    """Telegram may redeliver an update (same update_id) when the first delivery timed out,
    possibly to another worker: the processed-update table applies it once."""
    w = two_workers
    standin = w.standin
    uid = 6001
    await w.post(0, w.text_update(uid, "/start"))
    for step in ["1", "Georgia"]:
        before = len(standin.bot_messages(uid))
        update = w.text_update(uid, step)
        await asyncio.gather(w.post(0, update), w.post(1, update))  # the same update, twice
        # one turn's replies: the next question once (and, from a worker that did not send the
        # previous keyboard, the answer said back in a message of its own), nothing re-asked
        new = [m.visible_text for m in standin.bot_messages(uid)[before:]]
        assert len([t for t in new if not t.startswith("✓")]) == 1 and len(new) <= 2, new
    store = Store(database_url)
    try:
        session = current_session(store, "telegram", str(uid))
        assert [r.field for r in store.answer_history(session.id)] == ["background", "certifying_state"]
    finally:
        store.close()
