"""Running the real Application against the Bot API stand-in, and talking to it as a user."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from telegram import Update
from telegram.ext import Application

from bot.settings import Settings
from bot.telegram_channel import build_application
from bot.webhook_app import webhook_server
from storage import Store
from tests.telegram_standin import BotApiStandIn, StoredDocument, StoredMessage

TODAY = date(2026, 11, 22)
WEBHOOK_SECRET = "harness-secret_42"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_for(standin: BotApiStandIn, database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        telegram_token=standin.token,
        telegram_base_url=standin.base_url,
        telegram_base_file_url=standin.base_file_url,
        telegram_max_rate=1000,
    )


@contextlib.asynccontextmanager
async def running_bot(standin: BotApiStandIn, store: Store, mode: str) -> AsyncIterator[Application]:
    """`mode` is "polling" (PTB's Updater) or "webhook" (bot/webhook_app.py served by uvicorn in
    this process on a free loopback port, as `lateral-screener telegram --webhook-url` does)."""
    app = build_application(settings_for(standin, store_url(store)), store, today=lambda: TODAY)
    track_processing(app, standin)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    if mode == "polling":
        updater = app.updater
        assert updater is not None, "build_application makes an Application with an Updater"
        await updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await updater.stop()
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


def track_processing(app: Application, standin: BotApiStandIn) -> None:
    """Record each update id once the bot has handled it completely (every handler and what
    they sent), so a test waits for exactly that, never for a moment of quiet."""
    original = app.process_update

    async def process_update(update: object) -> None:
        try:
            await original(update)
            await app.bot_data["channel"].all_settled()  # and what it sends after the turn (the PDF)
        finally:
            if isinstance(update, Update):
                standin.processed.add(update.update_id)
                standin.state.changed()

    app.process_update = process_update  # type: ignore[method-assign]


async def handled(standin: BotApiStandIn, action: Callable[[], Awaitable[object]], timeout: float = 30) -> None:
    """Do what a user does (one or more updates), then wait until the bot has handled them: seen
    by `track_processing` in this process, or, for a bot in another process, delivered to its
    webhook, which answers once the update is handled (bot/webhook_app.py)."""
    first = standin.state.next_update_id
    await action()
    sent = range(first, standin.state.next_update_id)

    def done() -> bool:
        if all(u in standin.processed for u in sent):
            return True
        return standin.webhook is not None and bool(standin.webhook.url) and standin.state.confirmed_offset >= sent.stop

    assert await standin.state.wait_for(done, timeout), f"updates {list(sent)} not handled within {timeout} s"


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

    async def act(self, action: Callable[[], Awaitable[object]], until: str | None = None) -> list[StoredMessage]:
        """Do something, wait until the bot has handled it, and return the messages it sent here.
        `until`: for a bot in another process that polls (nothing tells when it is done), wait
        instead for a new message containing these words."""
        before = len(self.messages)
        if until is None:
            await handled(self.standin, action)
        else:
            await action()
            arrived = await self.standin.state.wait_for(
                lambda: any(until in m.visible_text for m in self.messages[before:]), 30
            )
            assert arrived, f"no message with {until!r} after {[m.visible_text[:60] for m in self.messages[-3:]]}"
        return self.messages[before:]

    async def send(self, text: str, until: str | None = None) -> list[StoredMessage]:
        return await self.act(lambda: self.standin.user_sends_text(self.user_id, text), until)

    async def start(self, payload: str | None = None, until: str | None = None) -> list[StoredMessage]:
        return await self.act(lambda: self.standin.user_opens_deep_link(self.user_id, payload), until)

    async def contact(self, phone: str, **kwargs: Any) -> list[StoredMessage]:
        """Telegram's share-contact button (or another contact, with `contact_user_id`)."""
        return await self.act(lambda: self.standin.user_sends_contact(self.user_id, phone, **kwargs))

    async def tap(
        self, label: str, message: StoredMessage | None = None, until: str | None = None
    ) -> list[StoredMessage]:
        if message is None:
            message = next((m for m in reversed(self.messages) if any(b["text"] == label for b in m.buttons)), None)
            assert message is not None, f"no button {label!r} shown"
        button = next((b for b in message.buttons if b["text"] == label), None)
        assert button is not None, f"no button {label!r} in {message.button_texts}"
        return await self.act(
            lambda: self.standin.user_taps(self.user_id, message.message_id, button["callback_data"]), until
        )

    async def answer(self, step: str) -> list[StoredMessage]:
        """`tap:Label` presses a button; anything else is typed."""
        if step.startswith("tap:"):
            return await self.tap(step[4:])
        return await self.send(step)

    def text(self) -> str:
        return "\n".join(m.visible_text for m in self.messages)

    def documents(self) -> list[StoredDocument]:
        """The files the bot sent here, oldest first."""
        return [m.document for m in self.messages if m.document is not None]

    def last_with(self, fragment: str) -> StoredMessage:
        """The newest bot message containing `fragment` (it must have been sent)."""
        found = next((m for m in reversed(self.messages) if fragment in m.visible_text), None)
        assert found is not None, f"no message with {fragment!r} in {[m.visible_text[:60] for m in self.messages]}"
        return found

    async def wait_for_document(self, timeout: float = 30) -> StoredDocument:
        """The newest file, once one has arrived: the checklist PDF follows the result on its
        own, after the update that brought the result was answered (a bot in another process)."""
        arrived = await self.standin.state.wait_for(lambda: bool(self.documents()), timeout)
        assert arrived, f"no document within {timeout} s"
        return self.last_document()

    def last_document(self) -> StoredDocument:
        """The newest file the bot sent here (one must have been sent)."""
        documents = self.documents()
        assert documents, "no document was sent"
        return documents[-1]


def pdf_text(document: StoredDocument) -> str:
    reader = PdfReader(io.BytesIO(document.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def bot_process(standin: BotApiStandIn, database_url: str, webhook_port: int | None = None) -> subprocess.Popen[bytes]:
    """`lateral-screener telegram` in a process of its own against the stand-in: polling, or a
    webhook on `webhook_port` (path /tg, WEBHOOK_SECRET), as a deployment starts it."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": standin.token,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "TELEGRAM_API_BASE_FILE_URL": standin.base_file_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    args = [sys.executable, "-m", "bot.cli", "telegram"]
    if webhook_port is not None:
        url = f"http://127.0.0.1:{webhook_port}/tg"
        args += [
            "--webhook-url",
            url,
            "--port",
            str(webhook_port),
            "--url-path",
            "tg",
            "--secret-token",
            WEBHOOK_SECRET,
        ]
    return subprocess.Popen(args, cwd=Path(__file__).resolve().parent.parent, env=env)
