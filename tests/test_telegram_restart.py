"""The bot process killed mid-interview (SIGKILL) and started again: the applicant resumes."""

from __future__ import annotations

import asyncio
import signal
import subprocess

import pytest

from storage import Store
from tests.bot_harness import Applicant, bot_process, free_port
from tests.helpers import current_session
from tests.telegram_standin import BotApiStandIn


def start_bot(standin: BotApiStandIn, database_url: str, mode: str, port: int) -> subprocess.Popen[bytes]:
    return bot_process(standin, database_url, port if mode == "webhook" else None)


async def wait_for_commands(standin: BotApiStandIn, calls_before: int, timeout: float = 30) -> None:
    """The bot registers its command menu once it is up."""
    for _ in range(int(timeout * 10)):
        if len(standin.calls_to("setMyCommands")) > calls_before:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the bot did not start")


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_killed_bot_resumes_where_the_applicant_was(database_url: str, mode: str) -> None:
    Store(database_url).close()  # migrate once, before the bot starts
    async with BotApiStandIn() as standin:
        port = free_port()
        bot = start_bot(standin, database_url, mode, port)
        try:
            await wait_for_commands(standin, 0)
            a = Applicant(standin, 3001)
            await a.start(until="Where did your law-enforcement training")
            await a.tap("A federal law-enforcement agency", until="basic police training course?")
            await a.tap("Yes", until="How many hours long")
            await a.send("640", until="start working full-time")
            bot.send_signal(signal.SIGKILL)
            bot.wait(timeout=10)
            bot = start_bot(standin, database_url, mode, port)
            await wait_for_commands(standin, 1)
            await a.send("Jan 2012", until="full-time law-enforcement service end")
            store = Store(database_url)
            assert current_session(store, "telegram", "3001").answers == {
                "background": "federal",
                "basic_course_graduate": True,
                "basic_course_hours": 640,
                "service_start": "2012-01",
            }
            store.close()
        finally:
            bot.kill()
            bot.wait(timeout=10)
