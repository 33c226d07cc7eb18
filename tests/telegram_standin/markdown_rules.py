"""A deliberately loose ``MarkdownV2`` / legacy ``Markdown`` parser.

The project formats its messages with HTML, so Markdown only needs to be good enough to
compute the visible text (for the 4096 limit and for assertions) and to catch the most common
MarkdownV2 mistake: an unescaped reserved character such as ``.`` or ``!``, which Telegram
rejects with "Character '.' is reserved and must be escaped with the preceding '\\'".
Nesting rules and link/entity edge cases are not modelled.
"""

from __future__ import annotations

from .errors import ApiError
from .html_rules import ParsedText, entity_order
from .text_units import utf16_len

_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}


def _error(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")


def parse_markdown_v2(text: str) -> ParsedText:
    """Strip MarkdownV2 markup, returning the plain text and the simple entities."""
    out: list[str] = []
    pos = 0  # utf-16 position in output
    open_marks: list[tuple[str, int, int]] = []  # (marker, utf16 offset, byte offset)
    entities: list[dict[str, object]] = []
    link_starts: list[int] = []
    i = 0
    n = len(text)

    def emit(chunk: str) -> None:
        nonlocal pos
        out.append(chunk)
        pos += utf16_len(chunk)

    def byte_offset(index: int) -> int:
        return len(text[:index].encode("utf-8"))

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            emit(text[i + 1])
            i += 2
            continue
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            if end < 0:
                raise _error(f"Can't find end of Pre entity at byte offset {byte_offset(i)}")
            body = text[i + 3 : end]
            language = ""
            if "\n" in body:
                first, rest = body.split("\n", 1)
                if first and " " not in first:
                    language, body = first, rest
            start = pos
            emit(body.replace("\\`", "`").replace("\\\\", "\\"))
            entity: dict[str, object] = {"type": "pre", "offset": start, "length": pos - start}
            if language:
                entity["language"] = language
            entities.append(entity)
            i = end + 3
            continue
        if c == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise _error(f"Can't find end of Code entity at byte offset {byte_offset(i)}")
            start = pos
            emit(text[i + 1 : end].replace("\\`", "`").replace("\\\\", "\\"))
            entities.append({"type": "code", "offset": start, "length": pos - start})
            i = end + 1
            continue
        marker = "__" if text.startswith("__", i) else "||" if text.startswith("||", i) else c
        if marker in _MARKERS:
            if open_marks and open_marks[-1][0] == marker:
                _, start, _ = open_marks.pop()
                if pos > start:
                    entities.append({"type": _MARKERS[marker], "offset": start, "length": pos - start})
            else:
                open_marks.append((marker, pos, byte_offset(i)))
            i += len(marker)
            continue
        if c == "[":
            link_starts.append(pos)
            i += 1
            continue
        if c == "]" and link_starts and text.startswith("(", i + 1):
            end = text.find(")", i + 2)
            if end < 0:
                raise _error(f"Can't find end of a URL at byte offset {byte_offset(i)}")
            start = link_starts.pop()
            if pos > start:
                entities.append({"type": "text_link", "offset": start, "length": pos - start, "url": text[i + 2 : end]})
            i = end + 1
            continue
        if c == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1  # blockquote marker; not modelled as an entity
            continue
        if c in _RESERVED:
            raise _error(f"Character '{c}' is reserved and must be escaped with the preceding '\\'")
        emit(c)
        i += 1

    if open_marks:
        marker, _, byte_pos = open_marks[-1]
        kind = _MARKERS[marker].capitalize()
        raise _error(f"Can't find end of {kind} entity at byte offset {byte_pos}")
    if link_starts:
        raise _error("Can't find end of a URL")
    entities.sort(key=entity_order)
    return ParsedText("".join(out), entities)


def parse_markdown_legacy(text: str) -> ParsedText:
    """Legacy ``Markdown``: strip ``* _ ` [ ]`` markers; no validation at all."""
    plain = text.replace("```", "")
    for marker in "*_`":
        plain = plain.replace(marker, "")
    return ParsedText(plain, [])
