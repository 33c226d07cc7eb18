"""Dispatch on ``parse_mode`` so that every text-bearing method validates the same way."""

from __future__ import annotations

from .errors import bad_request
from .html_rules import ParsedText, parse_html
from .markdown_rules import parse_markdown_legacy, parse_markdown_v2


def parse_formatted(text: str, parse_mode: str | None, *, strict_html: bool = True) -> ParsedText:
    """Return the visible text and entities for ``text`` under ``parse_mode``.

    ``parse_mode`` is case-insensitive (Telegram accepts ``html`` as well as ``HTML``); an
    empty or missing value means plain text.
    """
    mode = (parse_mode or "").strip().lower()
    if mode == "":
        return ParsedText(text, [])
    if mode == "html":
        return parse_html(text, strict=strict_html)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown_legacy(text)
    raise bad_request("unsupported parse_mode")
