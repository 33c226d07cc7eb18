"""Length and offset arithmetic the way Telegram does it.

Telegram measures entity offsets/lengths and the 4096/1024 limits in UTF-16 code units, not in
Python code points: an emoji outside the BMP counts as 2.  Getting this wrong is exactly the
kind of bug the stand-in exists to catch, so the arithmetic lives in one place.
"""

from __future__ import annotations

import re

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

# Telegram recognises /command (1-32 chars of [A-Za-z0-9_]) optionally followed by @botname.
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")


def utf16_len(text: str) -> int:
    """Number of UTF-16 code units in ``text`` (what Telegram calls "characters")."""
    return len(text.encode("utf-16-le")) // 2


def bot_command_entities(text: str) -> list[dict[str, object]]:
    """The ``bot_command`` entity a Telegram client attaches to a message starting with ``/``.

    python-telegram-bot's ``CommandHandler`` ignores messages without this entity, so user
    messages created by the stand-in must carry it just like real ones do.
    """
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]
