"""bot/update_order.py: other applicants' updates go ahead, one applicant's stay in order.

Driven with asyncio events only: an update whose handling is held open shows what may and
may not run meanwhile, with no sleeping and no timing.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.update_order import PerApplicantOrder, applicant_key


def text_update(update_id: int, user_id: int) -> Update:
    chat = {"id": user_id, "type": "private", "first_name": "A"}
    user = {"id": user_id, "is_bot": False, "first_name": "A"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": user, "text": "hi"}
    return Update.de_json({"update_id": update_id, "message": message}, None)


async def test_other_applicants_go_ahead_and_one_applicants_updates_stay_in_order() -> None:
    processor = PerApplicantOrder(8)
    log: list[str] = []
    hold = asyncio.Event()
    b_done = asyncio.Event()

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        log.append(f"{name} start")
        if wait is not None:
            await wait.wait()
        log.append(f"{name} end")

    async def process(update: Update, coroutine: Any) -> None:
        await processor.process_update(update, coroutine)

    a1 = asyncio.create_task(process(text_update(1, 100), handle("a1", hold)))
    a2 = asyncio.create_task(process(text_update(2, 100), handle("a2")))
    b1 = asyncio.create_task(process(text_update(3, 200), handle("b1")))
    b1.add_done_callback(lambda _: b_done.set())
    await b_done.wait()  # applicant 200 was handled while applicant 100's first update is held open
    assert log == ["a1 start", "b1 start", "b1 end"]
    assert processor.busy_applicants() == 1
    hold.set()
    await asyncio.gather(a1, a2)
    assert log[3:] == ["a1 end", "a2 start", "a2 end"]  # the second update of 100 only after the first
    assert processor.busy_applicants() == 0  # no lock is kept for an applicant with nothing to do


def test_the_order_key_is_the_sender() -> None:
    assert applicant_key(text_update(1, 77)) == 77
    assert applicant_key(object()) is None
