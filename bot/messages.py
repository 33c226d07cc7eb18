"""Sending to Telegram: long HTML split under the 4096-character limit, and network retries."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut

MAX_MESSAGE = 4096
SEND_ATTEMPTS = 5
T = TypeVar("T")


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut at blank lines, then at line ends; templates keep each line's tags balanced."""
    if len(text) <= limit:
        return [text]
    blocks = [piece for block in text.split("\n\n") for piece in _pack(_lines(block, limit), "\n", limit)]
    return [p for p in _pack(blocks, "\n\n", limit) if p.strip()]


def _lines(block: str, limit: int) -> list[str]:
    """The block's lines, an over-long one hard-cut (only plain text gets that long)."""
    return [line[i : i + limit] for line in block.split("\n") for i in range(0, max(len(line), 1), limit)]


def _pack(pieces: list[str], sep: str, limit: int) -> list[str]:
    """Join consecutive pieces with `sep` into as few parts as fit under `limit`."""
    parts: list[str] = []
    current: str | None = None
    for piece in pieces:
        candidate = piece if current is None else f"{current}{sep}{piece}"
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current if current is not None else "")
            current = piece
    if current is not None:
        parts.append(current)
    return parts


async def send_reliably(call: Callable[[], Awaitable[T]], *, idempotent: bool = False) -> T:
    """Retry transient network errors a bounded number of times. Flood control (RetryAfter) is
    left to python-telegram-bot's AIORateLimiter. A call that may have reached Telegram before
    it timed out (a sent message) is not repeated: the applicant would get it twice."""
    delay = 0.5
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except TimedOut:
            if not idempotent or attempt == SEND_ATTEMPTS:
                raise
        except NetworkError as err:
            if attempt == SEND_ATTEMPTS or isinstance(err, BadRequest):
                raise
        await asyncio.sleep(delay)
        delay = min(delay * 2, 5)
    raise AssertionError("unreachable")


async def send_html(send_message: Callable[..., Awaitable[Message]], text: str, markup: Any = None) -> Message:
    """Send HTML `text` with `send_message` (a chat's, or the bot's for one chat id) in as many
    messages as the limit needs, the keyboard under the last; returns the last message (the
    one holding the keyboard)."""
    chunks = split_message(text)
    message: Message | None = None
    for i, chunk in enumerate(chunks):
        keyboard = markup if i == len(chunks) - 1 else None

        def send(chunk: str = chunk, keyboard: Any = keyboard) -> Awaitable[Message]:
            return send_message(chunk, parse_mode=ParseMode.HTML, reply_markup=keyboard, disable_web_page_preview=True)

        message = await send_reliably(send)
    assert message is not None  # split_message gives at least one part
    return message
