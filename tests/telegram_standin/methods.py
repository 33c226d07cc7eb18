"""The Bot API methods the stand-in implements, one coroutine per method.

Each handler receives decoded :class:`~.params.Params`, mutates :class:`~.state.BotState` and
returns the ``result`` value (or a :class:`MethodResult` when Telegram also sends a
``description`` on success, as setWebhook does).  Errors are raised as
:class:`~.errors.ApiError` with Telegram's exact descriptions where they are known.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .errors import ApiError, bad_request
from .formatting import parse_formatted
from .html_rules import ParsedText
from .markup import parse_reply_markup
from .params import Params, UploadedFile
from .state import DEFAULT_ALLOWED_UPDATES, BotState, StoredMessage, WebhookConfig, now
from .text_units import MAX_CAPTION_LENGTH, MAX_MESSAGE_LENGTH, utf16_len

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_SECRET_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"


@dataclass
class MethodResult:
    """A successful result that also carries Telegram's informational ``description``."""

    result: Any
    description: str | None = None


Handler = Callable[[Params], Awaitable[Any]]


class BotApiMethods:
    """Implements the supported Bot API methods against a :class:`BotState`."""

    def __init__(self, state: BotState, *, strict_html: bool = True) -> None:
        self.state = state
        self.strict_html = strict_html
        self._poll_generation = 0
        self.handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "logOut": self.log_out,
            "close": self.close,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "sendDocument": self.send_document,
            "sendChatAction": self.send_chat_action,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "getChat": self.get_chat,
            "getFile": self.get_file,
        }
        self._by_lower = {name.lower(): name for name in self.handlers}

    def canonical_name(self, method: str) -> str | None:
        """Telegram method names are case-insensitive; map any casing to the documented one."""
        return self._by_lower.get(method.lower())

    # ---- helpers -----------------------------------------------------------------------
    def _chat_id(self, p: Params) -> int:
        raw = p.raw("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        chat = self.state.resolve_chat(raw if not isinstance(raw, bool) else str(raw))
        if chat is None:
            raise bad_request("chat not found")
        chat_id = int(chat["id"])
        if chat_id in self.state.blocked_by:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _parse(self, text: str, parse_mode: str | None, p: Params, entities_param: str) -> ParsedText:
        parsed = parse_formatted(text, parse_mode, strict_html=self.strict_html)
        if not (parse_mode or "").strip() and p.has(entities_param):
            explicit = p.get_json(entities_param, what="entities")
            if isinstance(explicit, list):
                parsed.entities = explicit
        return parsed

    def _parse_text(self, p: Params) -> tuple[str, ParsedText]:
        text = p.get_str("text")
        if text is None or not text.strip():
            raise bad_request("message text is empty")
        parsed = self._parse(text, p.get_str("parse_mode"), p, "entities")
        if not parsed.text.strip():
            raise bad_request("message text is empty")
        if parsed.length > MAX_MESSAGE_LENGTH:
            raise bad_request("message is too long")
        return text, parsed

    def _reply_to(self, p: Params, chat_id: int) -> int | None:
        params = p.get_json("reply_parameters", what="reply parameters")
        message_id: Any = None
        allow_without = p.get_bool("allow_sending_without_reply")
        if isinstance(params, dict):
            message_id = params.get("message_id")
            allow_without = bool(params.get("allow_sending_without_reply", allow_without))
        elif p.has("reply_to_message_id"):
            message_id = p.get_int("reply_to_message_id")
        if message_id is None:
            return None
        if self.state.get_message(chat_id, int(message_id)) is None:
            if allow_without:
                return None
            raise bad_request("message to be replied not found")
        return int(message_id)

    def _link_preview(self, p: Params) -> dict[str, Any] | None:
        options = p.get_json("link_preview_options", what="link preview options")
        if isinstance(options, dict):
            return options
        if p.get_bool("disable_web_page_preview"):
            return {"is_disabled": True}
        return None

    def _message_to_edit(self, p: Params) -> StoredMessage:
        if p.has("inline_message_id"):
            # Inline mode is not modelled: no inline message can exist.
            raise bad_request("message to edit not found")
        chat_id = self._chat_id(p)
        message_id = p.get_int("message_id", error="message identifier is not specified")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        msg = self.state.get_message(chat_id, message_id)
        if msg is None:
            raise bad_request("message to edit not found")
        if not msg.from_bot:
            raise bad_request("message can't be edited")
        return msg

    @staticmethod
    def _inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
        return markup if markup and "inline_keyboard" in markup else None

    def _edit_markup(self, p: Params) -> dict[str, Any] | None:
        markup = parse_reply_markup(p.raw("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("inline keyboard expected")
        return markup

    # ---- bot identity / lifecycle ------------------------------------------------------
    async def get_me(self, p: Params) -> Any:
        return dict(self.state.bot_user)

    async def log_out(self, p: Params) -> Any:
        return True

    async def close(self, p: Params) -> Any:
        return True

    # ---- updates -----------------------------------------------------------------------
    async def get_updates(self, p: Params) -> Any:
        state = self.state
        if state.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset = p.get_int("offset", 0) or 0
        limit = min(max(p.get_int("limit", 100) or 100, 1), 100)
        try:
            timeout = max(float(p.get_str("timeout", "0") or 0), 0.0)
        except ValueError:
            raise bad_request("invalid timeout specified") from None
        allowed = p.get_json("allowed_updates", what="allowed updates")
        if isinstance(allowed, list):
            state.allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED_UPDATES
        if offset > 0:
            state.confirm_below(offset)
        elif offset < 0 and len(state.updates) > -offset:
            state.confirm_below(state.updates[offset].update_id)

        self._poll_generation += 1
        generation = self._poll_generation

        def ready() -> bool:
            return generation != self._poll_generation or state.webhook is not None or bool(state.pending_updates())

        if timeout > 0 and not ready():
            state.in_flight -= 1  # a parked long poll is not "work in progress"
            state.parked_polls += 1
            try:
                await state.wait_for(ready, timeout)
            finally:
                state.in_flight += 1
                state.parked_polls -= 1
        if generation != self._poll_generation:
            raise ApiError(409, POLL_CONFLICT)
        if state.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        return [u.to_api() for u in state.pending_updates()[:limit]]

    async def set_webhook(self, p: Params) -> Any:
        url = (p.get_str("url") or "").strip()
        if not url:
            return await self.delete_webhook(p)
        parts = urlsplit(url)
        local_http = parts.scheme == "http" and (parts.hostname or "") in _LOCAL_HOSTS
        if parts.scheme != "https" and not local_http:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if parts.scheme == "https" and parts.port not in (None, 80, 88, 443, 8443):
            raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = p.get_str("secret_token")
        if secret is not None and secret != "" and not _SECRET_TOKEN_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = p.get_int("max_connections", 40) or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        allowed = p.get_json("allowed_updates", what="allowed updates")
        if isinstance(allowed, list):
            self.state.allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED_UPDATES
        if p.get_bool("drop_pending_updates"):
            self.state.drop_pending()
        previous = self.state.webhook
        self.state.webhook = WebhookConfig(url=url, secret_token=secret or None, max_connections=max_connections)
        self.state.changed()
        if previous is not None and previous.url == url:
            return MethodResult(True, "Webhook is already set")
        return MethodResult(True, "Webhook was set")

    async def delete_webhook(self, p: Params) -> Any:
        if p.get_bool("drop_pending_updates"):
            self.state.drop_pending()
        was_set = self.state.webhook is not None
        self.state.webhook = None
        self.state.changed()
        return MethodResult(True, "Webhook was deleted" if was_set else "Webhook is already deleted")

    async def get_webhook_info(self, p: Params) -> Any:
        hook = self.state.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.pending_updates()),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            info["ip_address"] = "127.0.0.1"
            if self.state.allowed_updates != DEFAULT_ALLOWED_UPDATES:
                info["allowed_updates"] = sorted(self.state.allowed_updates)
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    # ---- messages ----------------------------------------------------------------------
    async def send_message(self, p: Params) -> Any:
        chat_id = self._chat_id(p)
        source, parsed = self._parse_text(p)
        markup = parse_reply_markup(p.raw("reply_markup"))
        reply_to = self._reply_to(p, chat_id)
        msg = self.state.add_message(
            chat_id,
            from_bot=True,
            text=parsed.text,
            html=source,
            parse_mode=p.get_str("parse_mode"),
            entities=parsed.entities,
            reply_markup=markup,
            link_preview_options=self._link_preview(p),
            reply_to_message_id=reply_to,
            disable_notification=p.get_bool("disable_notification"),
        )
        return self.state.message_api(msg)

    async def edit_message_text(self, p: Params) -> Any:
        msg = self._message_to_edit(p)
        source, parsed = self._parse_text(p)
        markup = self._edit_markup(p)
        if msg.text is None:
            raise bad_request("there is no text in the message to edit")
        if (
            parsed.text == msg.text
            and parsed.entities == msg.entities
            and markup == self._inline_only(msg.reply_markup)
        ):
            raise bad_request(NOT_MODIFIED)
        msg.history.append(msg.text)
        msg.text, msg.html, msg.entities = parsed.text, source, parsed.entities
        msg.parse_mode = p.get_str("parse_mode")
        link_preview = self._link_preview(p)
        if link_preview is not None:
            msg.link_preview_options = link_preview
        # Without reply_markup Telegram removes the inline keyboard.
        if markup is not None or self._inline_only(msg.reply_markup) is not None:
            msg.reply_markup = markup
        msg.edit_date = now()
        self.state.changed()
        return self.state.message_api(msg)

    async def edit_message_reply_markup(self, p: Params) -> Any:
        msg = self._message_to_edit(p)
        markup = self._edit_markup(p)
        if markup == self._inline_only(msg.reply_markup):
            raise bad_request(NOT_MODIFIED)
        msg.reply_markup = markup
        msg.edit_date = now()
        self.state.changed()
        return self.state.message_api(msg)

    async def delete_message(self, p: Params) -> Any:
        chat_id = self._chat_id(p)
        message_id = p.get_int("message_id", error="message identifier is not specified")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        msg = self.state.get_message(chat_id, message_id)
        if msg is None:
            raise bad_request("message to delete not found")
        msg.deleted = True
        self.state.changed()
        return True

    async def answer_callback_query(self, p: Params) -> Any:
        query_id = p.get_str("callback_query_id")
        record = self.state.callback_queries.get(query_id or "")
        if record is None or record.answered:
            raise bad_request(QUERY_TOO_OLD)
        text = p.get_str("text")
        if text is not None and utf16_len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answered = True
        record.answer_text = text
        record.show_alert = p.get_bool("show_alert")
        self.state.changed()
        return True

    async def send_document(self, p: Params) -> Any:
        chat_id = self._chat_id(p)
        document = p.get_file("document")
        if document is None or document == "":
            raise bad_request("there is no document in the request")
        if isinstance(document, UploadedFile):
            if not document.data:
                raise bad_request("file must be non-empty")
            if len(document.data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            mime = document.content_type
            if not mime or mime == "application/octet-stream":
                guessed = mimetypes.guess_type(document.filename or "")[0]
                mime = guessed or mime
            stored = self.state.store_file(document.data, document.filename, mime)
        else:
            existing = self.state.files.get(str(document))
            if existing is None:
                # Deviation: URLs are never fetched, so only known file_ids can be re-sent.
                raise bad_request("wrong file identifier/HTTP URL specified")
            stored = existing
        caption_source = p.get_str("caption")
        caption: ParsedText | None = None
        if caption_source:
            caption = self._parse(caption_source, p.get_str("parse_mode"), p, "caption_entities")
            if caption.length > MAX_CAPTION_LENGTH:
                raise bad_request("message caption is too long")
        markup = parse_reply_markup(p.raw("reply_markup"))
        reply_to = self._reply_to(p, chat_id)
        msg = self.state.add_message(
            chat_id,
            from_bot=True,
            document=stored,
            caption=caption.text if caption else None,
            caption_html=caption_source if caption else None,
            caption_entities=caption.entities if caption else [],
            parse_mode=p.get_str("parse_mode"),
            reply_markup=markup,
            reply_to_message_id=reply_to,
            disable_notification=p.get_bool("disable_notification"),
        )
        return self.state.message_api(msg)

    async def send_chat_action(self, p: Params) -> Any:
        chat_id = self._chat_id(p)
        action = p.get_str("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.state.chat_actions.append((chat_id, action))
        self.state.changed()
        return True

    # ---- commands ----------------------------------------------------------------------
    @staticmethod
    def _command_key(p: Params) -> tuple[str, str]:
        scope = p.get_json("scope", what="bot command scope")
        scope_type = scope.get("type", "default") if isinstance(scope, dict) else "default"
        if isinstance(scope, dict) and "chat_id" in scope:
            scope_type = f"{scope_type}:{scope['chat_id']}"
        return scope_type, p.get_str("language_code") or ""

    async def set_my_commands(self, p: Params) -> Any:
        commands = p.get_json("commands", what="bot commands")
        if commands is None:
            commands = []  # Telegram: a missing list sets an empty one
        if not isinstance(commands, list):
            raise bad_request("can't parse bot commands JSON object")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        validated: list[dict[str, str]] = []
        for item in commands:
            if not isinstance(item, dict) or "command" not in item:
                raise bad_request("can't parse BotCommand: Can't find field \"command\"")
            if "description" not in item:
                raise bad_request("can't parse BotCommand: Can't find field \"description\"")
            command, description = str(item["command"]), str(item["description"])
            if not _COMMAND_NAME_RE.match(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not description.strip():
                raise bad_request("command description must be non-empty")
            if utf16_len(description) > 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            validated.append({"command": command, "description": description})
        self.state.commands[self._command_key(p)] = validated
        self.state.changed()
        return True

    async def get_my_commands(self, p: Params) -> Any:
        return [dict(c) for c in self.state.commands.get(self._command_key(p), [])]

    async def delete_my_commands(self, p: Params) -> Any:
        self.state.commands.pop(self._command_key(p), None)
        self.state.changed()
        return True

    # ---- chats and files ---------------------------------------------------------------
    async def get_chat(self, p: Params) -> Any:
        chat_id = self._chat_id(p)
        chat = dict(self.state.chats[chat_id])
        chat.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": True,
                    "limited_gifts": True,
                    "unique_gifts": True,
                    "premium_subscription": True,
                    "gifts_from_channels": True,
                },
            }
        )
        return chat

    async def get_file(self, p: Params) -> Any:
        doc = self.state.files.get(p.get_str("file_id") or "")
        if doc is None:
            raise bad_request("invalid file_id")
        result = doc.to_api()
        result.pop("file_name", None)
        result.pop("mime_type", None)
        result["file_path"] = doc.file_path
        return result
