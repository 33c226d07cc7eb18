"""Request parameter decoding for all the encodings the Bot API accepts.

Telegram takes parameters from the query string, ``application/x-www-form-urlencoded``,
``application/json`` or ``multipart/form-data`` (the latter being the only way to upload
files).  Form encodings carry every value as a string, with objects JSON-encoded, while a
JSON body carries native types; :class:`Params` hides the difference so that method handlers
read typed values in one way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from .errors import bad_request

# Bot API parameters whose type is an object or array (form encodings send them as JSON).
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "link_preview_options",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "media",
    }
)

INT_PARAMS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "max_connections", "cache_time", "user_id"}
)
BOOL_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
    }
)


@dataclass(frozen=True)
class UploadedFile:
    """A multipart file part."""

    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:  # keep ``calls`` readable in assertion output
        return f"UploadedFile(filename={self.filename!r}, content_type={self.content_type!r}, size={len(self.data)})"


class Params:
    """Typed, Telegram-flavoured access to a method's parameters."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def as_dict(self) -> dict[str, Any]:
        """Parameters for the call log, typed as a JSON body would carry them.

        Form encodings send everything as strings; for convenient assertions the log decodes
        the well-known object, integer and boolean parameters (and only those, so a message
        text such as ``"[1, 2]"`` or ``"42"`` stays a string).
        """
        decoded: dict[str, Any] = {}
        for key, value in self.values.items():
            if isinstance(value, str):
                if key in JSON_PARAMS:
                    try:
                        value = json.loads(value)
                    except ValueError:
                        pass
                elif key in INT_PARAMS and value.lstrip("-").isdigit():
                    value = int(value)
                elif key in BOOL_PARAMS and value.lower() in ("true", "false"):
                    value = value.lower() == "true"
            decoded[key] = value
        return decoded

    def has(self, name: str) -> bool:
        return name in self.values and self.values[name] is not None

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def get_str(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def get_int(self, name: str, default: int | None = None, *, error: str | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(error or f"invalid {name} specified") from None

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return value != 0
        return str(value).strip().lower() in {"true", "1", "yes", "on"}

    def get_json(self, name: str, *, what: str | None = None) -> Any:
        """A value that form encodings send as a JSON string (objects, arrays)."""
        value = self.values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {what or name} JSON object") from None
        return value

    def get_file(self, name: str) -> UploadedFile | str | None:
        """A file parameter: an uploaded part, a file_id/URL string, or ``attach://`` ref."""
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self.values.get(value[len("attach://") :])
        return value


async def read_params(request: web.Request) -> Params:
    """Merge query-string and body parameters of an incoming Bot API request."""
    values: dict[str, Any] = dict(request.query)
    content_type = request.content_type
    if request.method == "GET" or not request.can_read_body:
        return Params(values)
    if content_type == "application/json":
        body = await request.read()
        if body.strip():
            try:
                decoded = json.loads(body)
            except ValueError:
                raise bad_request("can't parse JSON encoded request body") from None
            if not isinstance(decoded, dict):
                raise bad_request("can't parse JSON encoded request body")
            values.update(decoded)
    elif content_type == "multipart/form-data":
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                data = await part.read(decode=True)
                values[part.name] = UploadedFile(part.filename, part.headers.get("Content-Type"), bytes(data))
            else:
                values[part.name] = await part.text()
    else:  # application/x-www-form-urlencoded (and anything else we can read as a form)
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                values[key] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                values[key] = value
    return Params(values)
