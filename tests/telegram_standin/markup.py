"""Validation of ``reply_markup`` the way the Bot API server does it.

Keyboards are where bots most often break silently in production (64-byte callback_data,
buttons with no action), so the stand-in validates them strictly and answers with Telegram's
own error descriptions.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import bad_request

MAX_CALLBACK_DATA_BYTES = 64

# Exactly one of these must be present on an InlineKeyboardButton.
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)

# At most one of these may be present on a (reply) KeyboardButton.
REPLY_BUTTON_REQUESTS = (
    "request_users",
    "request_chat",
    "request_contact",
    "request_location",
    "request_poll",
    "web_app",
)

_CANT_PARSE = "can't parse reply keyboard markup JSON object"


def parse_reply_markup(raw: Any) -> dict[str, Any] | None:
    """Decode (if sent as a JSON string) and validate a reply_markup value.

    Returns the normalised markup dict, or ``None`` when no markup was sent.
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise bad_request(_CANT_PARSE) from None
    if not isinstance(raw, dict):
        raise bad_request(_CANT_PARSE)
    if "inline_keyboard" in raw:
        return {"inline_keyboard": _validate_inline_keyboard(raw["inline_keyboard"])}
    if "keyboard" in raw:
        return _validate_reply_keyboard(raw)
    if raw.get("remove_keyboard") is True:
        markup: dict[str, Any] = {"remove_keyboard": True}
        if "selective" in raw:
            markup["selective"] = bool(raw["selective"])
        return markup
    if raw.get("force_reply") is True:
        markup = {"force_reply": True}
        for key in ("input_field_placeholder", "selective"):
            if key in raw:
                markup[key] = raw[key]
        return markup
    raise bad_request(_CANT_PARSE)


def _validate_inline_keyboard(rows: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list):
        raise bad_request('field "inline_keyboard" must be of type Array')
    validated: list[list[dict[str, Any]]] = []
    for row in rows:
        if not isinstance(row, list):
            raise bad_request('field "inline_keyboard" must be of type Array of Array')
        validated.append([_validate_inline_button(button) for button in row])
    return validated


def _validate_inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise bad_request('can\'t parse inline keyboard button: Field "text" must be of type String')
    actions = [key for key in INLINE_BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        # Telegram's wording is not documented; the rule ("exactly one of the optional
        # fields must be used") is, so the stand-in states the rule.
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be used, "
            f"got {', '.join(actions)}"
        )
    if not text.strip():
        raise bad_request("BUTTON_TEXT_EMPTY")  # stand-in wording (MTProto error name)
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://", "tg://")):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Unsupported URL protocol")
    return dict(button)


def _validate_reply_keyboard(raw: dict[str, Any]) -> dict[str, Any]:
    rows = raw["keyboard"]
    if not isinstance(rows, list):
        raise bad_request('field "keyboard" must be of type Array')
    validated_rows: list[list[dict[str, Any]]] = []
    for row in rows:
        if not isinstance(row, list):
            raise bad_request('field "keyboard" must be of type Array of Array')
        validated_row: list[dict[str, Any]] = []
        for button in row:
            if isinstance(button, str):
                button = {"text": button}
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
            if len([key for key in REPLY_BUTTON_REQUESTS if button.get(key)]) > 1:
                raise bad_request("can't parse keyboard button: only one of the optional fields may be used")
            validated_row.append(dict(button))
        validated_rows.append(validated_row)
    markup = dict(raw)
    markup["keyboard"] = validated_rows
    return markup


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """All inline buttons of a markup, row by row (empty for non-inline markups)."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]
