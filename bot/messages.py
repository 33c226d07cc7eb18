"""Splitting long HTML for Telegram's 4096-character limit, between paragraphs or lines."""
from __future__ import annotations

MAX_MESSAGE = 4096


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
