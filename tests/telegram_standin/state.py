"""Everything the fake Telegram remembers: users, chats, messages, files and the update queue.

The state object is deliberately free of HTTP concerns so that both the aiohttp handlers
(acting for the bot) and the test-side helpers (acting for users) mutate the same model, and
tests can assert on it directly.  All mutation happens on the event loop thread; ``changed()``
wakes anybody waiting for a condition (long polls, ``wait_for_bot_messages`` ...).
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .markup import inline_buttons

# Update types Telegram delivers when allowed_updates was never set (or set to []).
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)


def now() -> int:
    """Telegram dates are Unix time in whole seconds."""
    return int(time.time())


@dataclass
class StoredDocument:
    """A file the bot uploaded (or re-sent by file_id)."""

    file_id: str
    file_unique_id: str
    file_name: str | None
    mime_type: str | None
    data: bytes

    @property
    def file_size(self) -> int:
        return len(self.data)

    @property
    def file_path(self) -> str:
        return f"documents/{self.file_unique_id}"

    def to_api(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        }
        if self.file_name is not None:
            doc["file_name"] = self.file_name
        if self.mime_type is not None:
            doc["mime_type"] = self.mime_type
        return doc


@dataclass
class StoredMessage:
    """One message in a chat, in its *current* state (after edits / deletion).

    ``text`` is what the user sees (tags stripped, entities decoded); ``html`` is the source
    the bot sent (identical to ``text`` when no parse_mode was used).  ``reply_markup`` keeps
    any markup type, although Telegram only echoes inline keyboards back in Message objects.
    """

    message_id: int
    chat: dict[str, Any]
    from_user: dict[str, Any] | None
    date: int
    from_bot: bool
    text: str | None = None
    html: str | None = None
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_html: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: StoredDocument | None = None
    contact: dict[str, Any] | None = None
    sticker: dict[str, Any] | None = None
    link_preview_options: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    disable_notification: bool = False
    edit_date: int | None = None
    deleted: bool = False
    history: list[str | None] = field(default_factory=list)
    """Previous visible texts/captions, oldest first, one per edit."""

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline keyboard buttons, flattened row by row."""
        return inline_buttons(self.reply_markup)

    @property
    def callback_data(self) -> list[str]:
        """callback_data of every inline button, in order."""
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    @property
    def button_texts(self) -> list[str]:
        """Texts of inline buttons, or of reply-keyboard buttons if that is the markup."""
        if self.reply_markup and "keyboard" in self.reply_markup:
            return [b["text"] for row in self.reply_markup["keyboard"] for b in row]
        return [b["text"] for b in self.buttons]

    @property
    def visible_text(self) -> str:
        """Text or caption, whichever the message has (never ``None``)."""
        return self.text if self.text is not None else (self.caption or "")

    def to_api(self, messages_by_id: dict[int, StoredMessage] | None = None) -> dict[str, Any]:
        """The Message object exactly as the Bot API would serialise it."""
        msg: dict[str, Any] = {
            "message_id": self.message_id,
            "chat": copy.deepcopy(self.chat),
            "date": self.date,
        }
        if self.from_user is not None:  # channel posts have no sender
            msg["from"] = copy.deepcopy(self.from_user)
        if self.edit_date is not None:
            msg["edit_date"] = self.edit_date
        if self.reply_to_message_id is not None and messages_by_id:
            replied = messages_by_id.get(self.reply_to_message_id)
            if replied is not None and not replied.deleted:
                msg["reply_to_message"] = replied.to_api()  # one level, like Telegram
        if self.text is not None:
            msg["text"] = self.text
            if self.entities:
                msg["entities"] = copy.deepcopy(self.entities)
        if self.link_preview_options is not None:
            msg["link_preview_options"] = copy.deepcopy(self.link_preview_options)
        if self.document is not None:
            msg["document"] = self.document.to_api()
        if self.caption is not None:
            msg["caption"] = self.caption
            if self.caption_entities:
                msg["caption_entities"] = copy.deepcopy(self.caption_entities)
        if self.contact is not None:
            msg["contact"] = copy.deepcopy(self.contact)
        if self.sticker is not None:
            msg["sticker"] = copy.deepcopy(self.sticker)
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            msg["reply_markup"] = copy.deepcopy(self.reply_markup)
        return msg


@dataclass
class CallbackQueryRecord:
    """A button tap and whether/how the bot answered it."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False


@dataclass
class PendingUpdate:
    update_id: int
    kind: str
    payload: dict[str, Any]

    def to_api(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: copy.deepcopy(self.payload)}


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None
    max_connections: int
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0


class ApiCallRecord(NamedTuple):
    """What the bot asked for, as a ``(method, params)`` pair.

    ``method`` is the canonical camelCase name even if the client used another casing;
    uploaded files appear in ``params`` as :class:`~.params.UploadedFile`.
    """

    method: str
    params: dict[str, Any]


class BotState:
    """The in-memory Telegram world for a single bot."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot_user = bot_user
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[int, dict[int, StoredMessage]] = {}  # chat_id -> message_id -> msg
        self._next_message_id: dict[int, int] = {}
        self.files: dict[str, StoredDocument] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.calls: list[ApiCallRecord] = []
        self.updates: list[PendingUpdate] = []
        self.confirmed_offset = 1  # every update with id < this is confirmed
        self.next_update_id = 1
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self.webhook: WebhookConfig | None = None
        self.in_flight = 0  # requests being handled + webhook deliveries in progress
        self.parked_polls = 0  # long polls waiting for an update
        self.blocked_by: set[int] = set()  # users who blocked the bot
        self.chat_actions: list[tuple[int, str]] = []
        self._changed = asyncio.Event()
        self._file_counter = 0
        self._callback_counter = 0

    # ---- change notification -----------------------------------------------------------
    def changed(self) -> None:
        """Wake every waiter; they re-check their predicate."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float | None) -> bool:
        """Wait until ``predicate()`` is true; return False on timeout (never raises)."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not predicate():
            event = self._changed
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True

    # ---- users and chats ---------------------------------------------------------------
    def ensure_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """Create (or update) a user and their private chat with the bot."""
        user = self.users.get(user_id)
        if user is None:
            user = {"id": user_id, "is_bot": False, "first_name": first_name or f"User{user_id}"}
            if language_code:
                user["language_code"] = language_code
            self.users[user_id] = user
        elif first_name:
            user["first_name"] = first_name
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        if "last_name" in user:
            chat["last_name"] = user["last_name"]
        if "username" in user:
            chat["username"] = user["username"]
        self.chats[user_id] = chat
        self.messages.setdefault(user_id, {})
        self._next_message_id.setdefault(user_id, 1)
        return user

    def ensure_group(self, chat_id: int, *, title: str = "Recruiting fair", kind: str = "group") -> dict[str, Any]:
        """A group, supergroup or channel the bot is in (negative ids, like Telegram's)."""
        chat = {"id": chat_id, "type": kind, "title": title}
        self.chats[chat_id] = chat
        self.messages.setdefault(chat_id, {})
        self._next_message_id.setdefault(chat_id, 1)
        return chat

    def resolve_chat(self, chat_id: int | str) -> dict[str, Any] | None:
        """Find a chat by numeric id or ``@username``."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            wanted = chat_id[1:].lower()
            for chat in self.chats.values():
                if str(chat.get("username", "")).lower() == wanted:
                    return chat
            return None
        try:
            return self.chats.get(int(chat_id))
        except (TypeError, ValueError):
            return None

    # ---- messages ----------------------------------------------------------------------
    def add_message(
        self, chat_id: int, *, from_bot: bool, sender_id: int | None = None, anonymous: bool = False, **fields: Any
    ) -> StoredMessage:
        """Store a new message with the chat's next message_id. In a private chat the sender is
        the chat's user; elsewhere `sender_id` (or nobody, for a channel post)."""
        message_id = self._next_message_id[chat_id]
        self._next_message_id[chat_id] = message_id + 1
        if from_bot:
            sender: dict[str, Any] | None = self.bot_user
        elif anonymous:
            sender = None
        else:
            sender = self.users[sender_id if sender_id is not None else chat_id]
        msg = StoredMessage(
            message_id=message_id,
            chat=copy.deepcopy(self.chats[chat_id]),
            from_user=copy.deepcopy(sender),
            date=now(),
            from_bot=from_bot,
            **fields,
        )
        self.messages[chat_id][message_id] = msg
        self.changed()
        return msg

    def get_message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        msg = self.messages.get(chat_id, {}).get(message_id)
        return None if msg is None or msg.deleted else msg

    def message_api(self, msg: StoredMessage) -> dict[str, Any]:
        return msg.to_api(self.messages.get(msg.chat_id))

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        return [m for m in self.messages.get(chat_id, {}).values() if m.from_bot]

    # ---- files -------------------------------------------------------------------------
    def store_file(self, data: bytes, file_name: str | None, mime_type: str | None) -> StoredDocument:
        self._file_counter += 1
        n = self._file_counter
        doc = StoredDocument(
            file_id=f"BQACAgIAAxkBAAI{n:010d}StandInDocument",
            file_unique_id=f"AgADStandIn{n:06d}",
            file_name=file_name,
            mime_type=mime_type,
            data=data,
        )
        self.files[doc.file_id] = doc
        return doc

    def find_file_by_path(self, file_path: str) -> StoredDocument | None:
        for doc in self.files.values():
            if doc.file_path == file_path:
                return doc
        return None

    # ---- callback queries --------------------------------------------------------------
    def new_callback_query(self, user_id: int, msg: StoredMessage, data: str) -> CallbackQueryRecord:
        self._callback_counter += 1
        record = CallbackQueryRecord(
            id=str(4_000_000_000_000_000_000 + user_id * 1000 + self._callback_counter),
            user_id=user_id,
            chat_id=msg.chat_id,
            message_id=msg.message_id,
            data=data,
        )
        self.callback_queries[record.id] = record
        return record

    def callback_query_api(self, user_id: int, msg: StoredMessage, data: str) -> dict[str, Any]:
        """A new tap on `msg` as the Bot API's CallbackQuery object (its record kept here)."""
        record = self.new_callback_query(user_id, msg, data)
        return {
            "id": record.id,
            "from": dict(self.users[user_id]),
            "message": self.message_api(msg),
            "chat_instance": str(-(10**18) - user_id),
            "data": data,
        }

    # ---- updates -----------------------------------------------------------------------
    def enqueue_update(self, kind: str, payload: dict[str, Any]) -> PendingUpdate:
        update = PendingUpdate(self.next_update_id, kind, payload)
        self.next_update_id += 1
        self.updates.append(update)
        self.changed()
        return update

    def confirm_below(self, offset: int) -> None:
        """Forget every update with ``update_id < offset`` (getUpdates' offset semantics)."""
        if offset > self.confirmed_offset:
            self.confirmed_offset = min(offset, self.next_update_id)
            self.updates = [u for u in self.updates if u.update_id >= self.confirmed_offset]
            self.changed()

    def drop_pending(self) -> None:
        self.confirm_below(self.next_update_id)

    def pending_updates(self) -> list[PendingUpdate]:
        """Unconfirmed updates the bot is allowed to receive, oldest first."""
        return [u for u in self.updates if u.kind in self.allowed_updates]

    def record_call(self, method: str, params: dict[str, Any]) -> None:
        self.calls.append(ApiCallRecord(method, params))
        self.changed()
