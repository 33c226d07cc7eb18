"""Running the real Application against the Bot API stand-in, and talking to it as a user."""
from __future__ import annotations

import asyncio
import contextlib
import io
import socket
from datetime import date
from typing import AsyncIterator

from pypdf import PdfReader
from telegram.ext import Application

from bot.settings import Settings
from bot.telegram_channel import build_application
from bot.webhook_app import webhook_server
from storage import Store
from tests.telegram_standin import BotApiStandIn, StoredMessage

TODAY = date(2026, 11, 22)
WEBHOOK_SECRET = "harness-secret_42"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_for(standin: BotApiStandIn, database_url: str) -> Settings:
    return Settings(database_url=database_url, telegram_token=standin.token, telegram_base_url=standin.base_url,
                    telegram_base_file_url=standin.base_file_url, telegram_max_rate=1000)


@contextlib.asynccontextmanager
async def running_bot(standin: BotApiStandIn, store: Store, mode: str) -> AsyncIterator[Application]:
    """`mode` is "polling" (PTB's Updater) or "webhook" (bot/webhook_app.py served by uvicorn in
    this process on a free loopback port, as `lateral-screener telegram --webhook-url` does)."""
    app = build_application(settings_for(standin, store_url(store)), store, today=lambda: TODAY)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    if mode == "polling":
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
        return
    listening = socket.create_server(("127.0.0.1", 0))  # accepts (into its backlog) from now on
    port = listening.getsockname()[1]
    server = webhook_server(app, listen="127.0.0.1", port=port, path="tg", secret=WEBHOOK_SECRET, healthy=store.ping)
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        await app.bot.set_webhook(f"http://127.0.0.1:{port}/tg", secret_token=WEBHOOK_SECRET)
        app.bot_data["webhook_port"] = port
        yield app
    finally:
        server.should_exit = True
        await serving
        listening.close()
        await app.stop()
        await app.shutdown()


def store_url(store: Store) -> str:
    return store.url.render_as_string(hide_password=False)


class Applicant:
    """One person chatting with the bot through the stand-in."""

    def __init__(self, standin: BotApiStandIn, user_id: int) -> None:
        self.standin = standin
        self.user_id = user_id

    @property
    def messages(self) -> list[StoredMessage]:
        return self.standin.bot_messages(self.user_id)

    def last_with_buttons(self) -> StoredMessage:
        return next(m for m in reversed(self.messages) if m.buttons)

    async def _after(self, action, expect: int = 0) -> list[StoredMessage]:
        """Act, then wait for `expect` new bot messages (a retrying bot can look idle) and quiet."""
        before = len(self.messages)
        await action()
        if expect:
            await self.standin.wait_for_bot_messages(self.user_id, before + expect, timeout=20)
        await self.standin.wait_until_idle(timeout=20)
        return self.messages[before:]

    async def send(self, text: str, expect: int = 1) -> list[StoredMessage]:
        return await self._after(lambda: self.standin.user_sends_text(self.user_id, text), expect)

    async def start(self, payload: str | None = None) -> list[StoredMessage]:
        return await self._after(lambda: self.standin.user_opens_deep_link(self.user_id, payload), 1)

    async def tap(self, label: str, message: StoredMessage | None = None, expect: int = 1) -> list[StoredMessage]:
        if message is None:
            # the keyboard may still be on its way (a reply of several messages, a slow first render)
            def shown() -> bool:
                return any(b["text"] == label for m in self.messages for b in m.buttons)

            assert await self.standin.state.wait_for(shown, 20), f"no button {label!r} arrived"
            message = next(m for m in reversed(self.messages) if any(b["text"] == label for b in m.buttons))
        button = next((b for b in message.buttons if b["text"] == label), None)
        assert button is not None, f"no button {label!r} in {message.button_texts}"
        return await self._after(
            lambda: self.standin.user_taps(self.user_id, message.message_id, button["callback_data"]), expect)

    async def answer(self, step: str) -> list[StoredMessage]:
        """`tap:Label` presses a button; anything else is typed."""
        if step.startswith("tap:"):
            return await self.tap(step[4:])
        return await self.send(step)

    def text(self) -> str:
        return "\n".join(m.visible_text for m in self.messages)

    def documents(self) -> list[StoredMessage]:
        return [m for m in self.messages if m.document is not None]

    async def wait_for_text(self, fragment: str, timeout: float = 20) -> StoredMessage:
        """The newest bot message containing `fragment`, once it has arrived."""
        def found() -> bool:
            return any(fragment in m.visible_text for m in self.messages)

        assert await self.standin.state.wait_for(found, timeout), f"no message with {fragment!r} arrived"
        return next(m for m in reversed(self.messages) if fragment in m.visible_text)

    async def wait_for_document(self, timeout: float = 20) -> StoredMessage:
        """The checklist PDF follows the result; a slow first render can outlast a quiet moment."""
        assert await self.standin.state.wait_for(lambda: bool(self.documents()), timeout), "no document arrived"
        return self.documents()[-1]


def pdf_text(message: StoredMessage) -> str:
    reader = PdfReader(io.BytesIO(message.document.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
