"""``BotApiStandIn``: the object tests hold — server lifecycle, user actions, observations.

Tests drive the bot the way people do (send text, share a contact, open a deep link, tap a
button) and then look at what the bot did (messages in their current state, answered
callback queries, registered commands, raw calls).  Waiting is always on a condition, never
on a fixed sleep, so tests stay fast and deterministic.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from aiohttp import web

from .faults import Fault, FaultKind, FaultRegistry
from .methods import BotApiMethods
from .server import TOKEN_RE, build_app
from .state import ApiCallRecord, BotState, CallbackQueryRecord, StoredMessage, WebhookConfig
from .text_units import bot_command_entities
from .webhook import WebhookDeliverer

DEFAULT_TOKEN = "123456:" + "A" * 35
DEEP_LINK_PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class BotApiStandIn:
    """An in-process fake of api.telegram.org for one bot."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "lateral_screener_bot",
        first_name: str = "Lateral Screener",
        bot_id: int | None = None,
        strict_html: bool = True,
        webhook_retry_delay: float = 0.2,
    ) -> None:
        match = TOKEN_RE.match(token)
        if match is None:
            raise ValueError("token must look like '<digits>:<35 chars of A-Za-z0-9_->'")
        self.token = token
        bot_user = {
            "id": bot_id if bot_id is not None else int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.state = BotState(bot_user)
        self.processed: set[int] = set()  # update ids the bot under test has handled (tests/bot_harness.py)
        self.methods = BotApiMethods(self.state, strict_html=strict_html)
        self.faults = FaultRegistry()
        self.fired_faults: list[tuple[str, str]] = []
        self.webhook_deliverer = WebhookDeliverer(self.state, retry_delay=webhook_retry_delay)
        self.stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._worker: asyncio.Task[None] | None = None
        self._port: int | None = None

    # ---- lifecycle ---------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port and start webhook delivery."""
        self.stopping = asyncio.Event()
        # handler_cancellation: a long poll whose client went away must not linger.
        self._runner = web.AppRunner(build_app(self), handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self._worker = asyncio.create_task(self.webhook_deliverer.run(), name="standin-webhook")

    async def stop(self) -> None:
        """Release held requests, stop delivery and close the server."""
        self.stopping.set()
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
            self._worker = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiStandIn:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``"""
        if self._port is None:
            raise RuntimeError("BotApiStandIn.start() has not been awaited")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.url}/file/bot"

    @property
    def bot_user(self) -> dict[str, Any]:
        return dict(self.state.bot_user)

    # ---- acting as users ---------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """Make a user (and their private chat) known without sending anything."""
        return dict(
            self.state.ensure_user(
                user_id, first_name=first_name, last_name=last_name, username=username, language_code=language_code
            )
        )

    def user_blocks_bot(self, user_id: int) -> None:
        """From now on the bot gets 403 "Forbidden: bot was blocked by the user" for this chat."""
        self.state.blocked_by.add(user_id)

    def user_unblocks_bot(self, user_id: int) -> None:
        self.state.blocked_by.discard(user_id)

    def _user_message(
        self, user_id: int, first_name: str | None, username: str | None, **fields: Any
    ) -> dict[str, Any]:
        self.state.ensure_user(user_id, first_name=first_name, username=username)
        msg = self.state.add_message(user_id, from_bot=False, **fields)
        api = self.state.message_api(msg)
        self.state.enqueue_update("message", api)
        return api

    async def user_sends_text(
        self, user_id: int, text: str, *, first_name: str | None = None, username: str | None = None
    ) -> dict[str, Any]:
        """The user types ``text`` in their private chat; returns the Message as delivered."""
        if not text:
            raise ValueError("Telegram clients cannot send empty messages")
        return self._user_message(
            user_id, first_name, username, text=text, html=text, entities=bot_command_entities(text)
        )

    async def user_sends_sticker(self, user_id: int, emoji: str = "👍") -> dict[str, Any]:
        """A sticker: a message with no text."""
        sticker = {
            "file_id": f"CAACAgIAAxkBAAIStandInSticker{user_id}",
            "file_unique_id": f"AgADSticker{user_id}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(user_id, None, None, sticker=sticker)

    async def user_edits_message(self, user_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The user edits a message they sent earlier: an `edited_message` update."""
        msg = self.state.get_message(user_id, message_id)
        if msg is None or msg.from_bot:
            raise LookupError(f"no message {message_id} of user {user_id}")
        msg.history.append(msg.visible_text)
        msg.text, msg.html, msg.entities = text, text, bot_command_entities(text)
        msg.edit_date = int(time.time())
        api = self.state.message_api(msg)
        self.state.enqueue_update("edited_message", api)
        return api

    async def user_sends_text_in_group(
        self, group_id: int, user_id: int, text: str, *, kind: str = "group"
    ) -> dict[str, Any]:
        """A user writes in a group (or supergroup) the bot is a member of."""
        self.state.ensure_user(user_id)
        if group_id not in self.state.chats:
            self.state.ensure_group(group_id, kind=kind)
        msg = self.state.add_message(
            group_id, from_bot=False, sender_id=user_id, text=text, html=text, entities=bot_command_entities(text)
        )
        api = self.state.message_api(msg)
        self.state.enqueue_update("message", api)
        return api

    async def channel_posts(self, channel_id: int, text: str) -> dict[str, Any]:
        """A post in a channel the bot administers: a `channel_post` update with no sender."""
        if channel_id not in self.state.chats:
            self.state.ensure_group(channel_id, title="Agency news", kind="channel")
        msg = self.state.add_message(
            channel_id, from_bot=False, anonymous=True, text=text, html=text, entities=bot_command_entities(text)
        )
        api = self.state.message_api(msg)
        self.state.enqueue_update("channel_post", api)
        return api

    async def anonymous_group_message(self, group_id: int, text: str) -> dict[str, Any]:
        """A message in a group with no `from` (sent on behalf of a chat)."""
        if group_id not in self.state.chats:
            self.state.ensure_group(group_id, kind="supergroup")
        msg = self.state.add_message(
            group_id, from_bot=False, anonymous=True, text=text, html=text, entities=bot_command_entities(text)
        )
        api = self.state.message_api(msg)
        self.state.enqueue_update("message", api)
        return api

    async def user_sends_contact(
        self,
        user_id: int,
        phone_number: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        contact_user_id: int | None = -1,
    ) -> dict[str, Any]:
        """The user shares a contact; by default their own (``contact.user_id == user_id``),
        as happens when they press a ``request_contact`` button.  Pass ``contact_user_id=None``
        for a contact without a Telegram account."""
        user = self.state.ensure_user(user_id, first_name=first_name)
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name or user["first_name"]}
        if last_name:
            contact["last_name"] = last_name
        resolved_id = user_id if contact_user_id == -1 else contact_user_id
        if resolved_id is not None:
            contact["user_id"] = resolved_id
        return self._user_message(user_id, None, None, contact=contact)

    async def user_opens_deep_link(self, user_id: int, payload: str | None) -> dict[str, Any]:
        """``t.me/<bot>?start=<payload>``: clients send ``/start PAYLOAD`` only for a valid
        payload (1-64 chars of A-Za-z0-9_-) and plain ``/start`` otherwise."""
        if payload and DEEP_LINK_PAYLOAD_RE.match(payload):
            return await self.user_sends_text(user_id, f"/start {payload}")
        return await self.user_sends_text(user_id, "/start")

    async def user_taps(self, user_id: int, message_id: int, callback_data: str) -> str:
        """Tap the inline button carrying ``callback_data`` on a bot message; returns the
        callback query id.  Raises ``LookupError`` if no such button is shown right now."""
        msg = self.state.get_message(user_id, message_id)
        if msg is None or not msg.from_bot:
            raise LookupError(f"no bot message {message_id} in chat {user_id}")
        if callback_data not in msg.callback_data:
            raise LookupError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"available: {msg.callback_data!r}"
            )
        query = self.state.callback_query_api(user_id, msg, callback_data)
        self.state.enqueue_update("callback_query", query)
        return str(query["id"])

    # ---- observing the bot -------------------------------------------------------------
    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        """Messages the bot sent to ``chat_id``, oldest first, in their current state
        (deleted ones included, flagged ``deleted=True``)."""
        return self.state.bot_messages(chat_id)

    def last_bot_message(self, chat_id: int) -> StoredMessage:
        messages = [m for m in self.state.bot_messages(chat_id) if not m.deleted]
        if not messages:
            raise LookupError(f"the bot has not sent any (undeleted) message to chat {chat_id}")
        return messages[-1]

    def chat_history(self, chat_id: int) -> list[StoredMessage]:
        """Every message of the chat, user's and bot's, in order."""
        return list(self.state.messages.get(chat_id, {}).values())

    async def wait_for_bot_messages(self, chat_id: int, count: int, timeout: float = 10) -> list[StoredMessage]:
        """Wait until at least ``count`` bot messages exist in the chat; raise TimeoutError."""
        if not await self.state.wait_for(lambda: len(self.state.bot_messages(chat_id)) >= count, timeout):
            texts = [m.visible_text for m in self.state.bot_messages(chat_id)]
            raise TimeoutError(f"expected {count} bot messages in chat {chat_id} within {timeout}s, got {texts!r}")
        return self.state.bot_messages(chat_id)

    def callback_answered(self, callback_query_id: str) -> bool:
        record = self.state.callback_queries.get(callback_query_id)
        return record is not None and record.answered

    def callback_query(self, callback_query_id: str) -> CallbackQueryRecord:
        return self.state.callback_queries[callback_query_id]

    @property
    def commands(self) -> list[dict[str, str]]:
        """Commands registered for the default scope and no language."""
        return [dict(c) for c in self.state.commands.get(("default", ""), [])]

    def commands_for(self, scope_type: str = "default", language_code: str = "") -> list[dict[str, str]]:
        return [dict(c) for c in self.state.commands.get((scope_type, language_code), [])]

    @property
    def calls(self) -> list[ApiCallRecord]:
        """Every well-formed request, as ``(method, params)``, in arrival order."""
        return list(self.state.calls)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call to ``method`` (case-insensitive)."""
        return [c.params for c in self.state.calls if c.method.lower() == method.lower()]

    @property
    def chat_actions(self) -> list[tuple[int, str]]:
        return list(self.state.chat_actions)

    @property
    def webhook(self) -> WebhookConfig | None:
        return self.state.webhook

    @property
    def pending_update_count(self) -> int:
        return len(self.state.pending_updates())

    # ---- faults ------------------------------------------------------------------------
    def inject_fault(
        self,
        method: str = "sendMessage",
        kind: FaultKind = "429",
        times: int = 1,
        retry_after: int = 1,
        chat_id: int | str | None = None,
        *,
        hold_seconds: float = 30.0,
    ) -> Fault:
        """Make the next ``times`` matching calls fail instead of executing.

        ``429`` → flood control with ``retry_after``; ``500`` → Internal Server Error;
        ``timeout`` → no answer for ``hold_seconds`` then the connection closes;
        ``drop_connection`` → connection closed immediately.
        """
        return self.faults.add(
            Fault(
                method=method,
                kind=kind,
                times=times,
                retry_after=retry_after,
                chat_id=chat_id,
                hold_seconds=hold_seconds,
            )
        )

    def clear_faults(self) -> None:
        self.faults.clear()
