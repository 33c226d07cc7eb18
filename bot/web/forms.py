"""Reading a small url-encoded form body (the pages post nothing else): no multipart parser
needed, and a body over the limit is refused before it is all read."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from bot.webhook_app import read_body

MAX_FORM_BYTES = 16_384  # a note and a few fields


async def read_form(request: Request, limit: int = MAX_FORM_BYTES) -> dict[str, str] | None:
    """The fields (the last of repeated names), or None when the body is too large or not a form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return None
    body = await read_body(request, limit)
    if body is None:
        return None
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=50))
    except (UnicodeDecodeError, ValueError):
        return None
