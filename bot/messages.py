"""Sending to Telegram: long HTML split under the 4096-character limit, and retries."""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

MAX_MESSAGE = 4096
SEND_ATTEMPTS = 5
T = TypeVar("T")


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut at blank lines, then at line ends; templates keep each line's tags balanced."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        for piece in _fit(block, limit):
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()]


def _fit(block: str, limit: int) -> list[str]:
    if len(block) <= limit:
        return [block]
    out: list[str] = []
    current = ""
    for line in block.split("\n"):
        while len(line) > limit:  # a single over-long line: hard cut (plain text only reaches here)
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = line
    if current:
        out.append(current)
    return out


async def send_reliably(call: Callable[[], Awaitable[T]]) -> T:
    """Retry flood control (RetryAfter) and transient network errors, a bounded number of times."""
    delay = 0.5
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as err:
            if attempt == SEND_ATTEMPTS:
                raise
            wait = err.retry_after.total_seconds() if hasattr(err.retry_after, "total_seconds") else float(err.retry_after)
            await asyncio.sleep(wait)
        except (TimedOut, NetworkError) as err:
            if attempt == SEND_ATTEMPTS or isinstance(err, BadRequest):
                raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5)
    raise AssertionError("unreachable")
