"""Updates of different applicants handled at the same time, one applicant's in order.

python-telegram-bot handles one update at a time unless told otherwise; then its
`SimpleUpdateProcessor` runs any updates at once, in no particular order. A screening
needs both: other applicants must not wait while one's turn is in the database or the Bot
API, and one applicant's two quick updates must be applied in the order they came (the
version check keeps a race from losing an answer, but not from reordering two). This is
PTB's `BaseUpdateProcessor` with one lock per applicant (the sender, else the chat).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

#: Updates handled at the same time by one worker (each holds at most one database connection
#: while its turn is in a thread).
CONCURRENT_UPDATES = 64


def applicant_key(update: object) -> int | None:
    """Whose updates must stay in order: the sender's, else the chat's (None: no order needed)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerApplicantOrder(BaseUpdateProcessor):
    """Concurrent updates, in arrival order per applicant (asyncio locks are first come, first served)."""

    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # updates holding or waiting for each lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = applicant_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # nobody else holds or waits: memory stays bounded
                del self._users[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def busy_applicants(self) -> int:
        """How many applicants have an update in progress or waiting (for tests and logs)."""
        return len(self._locks)
