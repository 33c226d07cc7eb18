"""Telegram's ``parse_mode=HTML`` parser, re-implemented to reject what Telegram rejects.

The algorithm follows tdlib's ``parse_html`` (the code behind the Bot API server): a single
left-to-right scan that keeps a stack of open tags, decodes the four named entities plus
numeric ones, and reports errors with a *byte* offset into the UTF-8 source.  Error texts
copy Telegram's wording so that assertions written against the stand-in also hold against
the real service.

Two places where real Telegram is more forgiving than its own documentation ("All <, > and &
symbols that are not a part of a tag or an HTML entity must be replaced with the
corresponding HTML entities") are made strict by default, because a bot that relies on the
leniency is one user-supplied string away from a 400:

* a bare ``&`` that does not start a known entity (Telegram keeps it literally);
* ``<a>`` without ``href`` (Telegram silently drops the link).

Pass ``strict=False`` to get tdlib's exact behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import ApiError
from .text_units import utf16_len

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)

_ENTITY_TYPE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\f\v"


def _entity_error(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")


@dataclass
class ParsedText:
    """Result of entity parsing: what the user sees and how it is decorated."""

    text: str
    entities: list[dict[str, object]] = field(default_factory=list)

    @property
    def length(self) -> int:
        """Length in UTF-16 code units, the unit of Telegram's limits."""
        return utf16_len(self.text)


@dataclass
class _OpenTag:
    name: str
    argument: str
    has_argument: bool
    utf16_offset: int
    byte_offset: int


class _Source:
    """The HTML being parsed, with tdlib-style "NUL at the end" peeking and byte offsets."""

    def __init__(self, text: str) -> None:
        self.text = text

    def at(self, i: int) -> str:
        return self.text[i] if i < len(self.text) else "\0"

    def byte_offset(self, i: int) -> int:
        return len(self.text[:i].encode("utf-8"))


def _decode_entity(src: _Source, i: int) -> tuple[str, int] | None:
    """Decode an HTML entity starting at ``src.text[i] == '&'``.

    Returns the decoded character and the index after the entity, or ``None`` when the
    ampersand does not start an entity Telegram knows.  Like tdlib, the ``;`` is optional.
    """
    end = i + 1
    if src.at(end) == "#":
        end += 1
        base = 10
        if src.at(end) in "xX":
            base = 16
            end += 1
        digits_start = end
        valid = "0123456789abcdefABCDEF" if base == 16 else "0123456789"
        while src.at(end) != "\0" and src.at(end) in valid:
            end += 1
        if end == digits_start or end - digits_start > 8:
            return None
        code = int(src.text[digits_start:end], base)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while src.at(end).isascii() and src.at(end).isalpha():
            end += 1
        name = src.text[i + 1 : end]
        if name not in _NAMED_ENTITIES:
            return None
        char = _NAMED_ENTITIES[name]
    if src.at(end) == ";":
        end += 1
    return char, end


def parse_html(html: str, *, strict: bool = True) -> ParsedText:
    """Parse Telegram HTML into plain text + entities or raise a Telegram-worded 400."""
    src = _Source(html)
    out: list[str] = []
    utf16_pos = 0
    stack: list[_OpenTag] = []
    entities: list[dict[str, object]] = []
    n = len(html)
    i = 0

    def emit(chunk: str) -> None:
        nonlocal utf16_pos
        out.append(chunk)
        utf16_pos += utf16_len(chunk)

    while i < n:
        c = html[i]
        if c == "&":
            decoded = _decode_entity(src, i)
            if decoded is not None:
                emit(decoded[0])
                i = decoded[1]
                continue
            if strict:
                raise _entity_error(
                    f'Unescaped "&" at byte offset {src.byte_offset(i)}: use &amp; '
                    "(stand-in strict mode; real Telegram keeps it literally)"
                )
            emit(c)
            i += 1
            continue
        if c != "<":
            emit(c)
            i += 1
            continue

        begin = i
        i += 1
        if src.at(i) != "/":
            # ---- start tag ------------------------------------------------------------
            while src.at(i) not in _SPACES and src.at(i) not in ">\0":
                i += 1
            if src.at(i) == "\0":
                raise _entity_error(f"Unclosed start tag at byte offset {src.byte_offset(begin)}")
            tag_name = html[begin + 1 : i].lower()
            if tag_name not in SUPPORTED_TAGS:
                raise _entity_error(f'Unsupported start tag "{tag_name}" at byte offset {src.byte_offset(begin)}')
            argument = ""
            has_argument = False
            while src.at(i) != ">":
                while src.at(i) != "\0" and src.at(i) in _SPACES:
                    i += 1
                if src.at(i) == ">":
                    break
                attr_begin = i
                while src.at(i) not in _SPACES and src.at(i) not in "=>\0":
                    i += 1
                attr_name = html[attr_begin:i].lower()
                if not attr_name:
                    raise _entity_error(
                        f'Empty attribute name in the tag "{tag_name}" at byte offset {src.byte_offset(begin)}'
                    )
                while src.at(i) != "\0" and src.at(i) in _SPACES:
                    i += 1
                if src.at(i) == "\0":
                    raise _entity_error(f'Unclosed start tag "{tag_name}" at byte offset {src.byte_offset(begin)}')
                value = ""
                if src.at(i) == "=":
                    i += 1
                    while src.at(i) != "\0" and src.at(i) in _SPACES:
                        i += 1
                    if src.at(i) == "\0":
                        raise _entity_error(f'Unclosed start tag "{tag_name}" at byte offset {src.byte_offset(begin)}')
                    if src.at(i) not in "'\"":
                        token_begin = i
                        while src.at(i).isascii() and (src.at(i).isalnum() or src.at(i) in ".-"):
                            i += 1
                        value = html[token_begin:i].lower()
                        if src.at(i) not in _SPACES and src.at(i) != ">":
                            raise _entity_error(
                                f"Unexpected end of name token at byte offset {src.byte_offset(token_begin)}"
                            )
                    else:
                        quote = html[i]
                        i += 1
                        chars: list[str] = []
                        while src.at(i) != quote and src.at(i) != "\0":
                            if html[i] == "&":
                                decoded = _decode_entity(src, i)
                                if decoded is not None:
                                    chars.append(decoded[0])
                                    i = decoded[1]
                                    continue
                            chars.append(html[i])
                            i += 1
                        if src.at(i) == quote:
                            i += 1
                        value = "".join(chars)
                    if src.at(i) == "\0":
                        raise _entity_error(f"Unclosed start tag at byte offset {src.byte_offset(begin)}")
                elif tag_name != "blockquote" or attr_name != "expandable":
                    raise _entity_error(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag_name}" '
                        f"at byte offset {src.byte_offset(begin)}"
                    )
                if tag_name == "a" and attr_name == "href":
                    argument, has_argument = value, True
                elif tag_name == "code" and attr_name == "class" and value.startswith("language-"):
                    argument, has_argument = value[len("language-") :], True
                elif tag_name == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument, has_argument = value[len("tg-") :], True
                elif tag_name == "tg-emoji" and attr_name == "emoji-id":
                    argument, has_argument = value, True
                elif tag_name == "blockquote" and attr_name == "expandable":
                    argument, has_argument = "1", True
            if tag_name == "span" and argument != "spoiler":
                raise _entity_error(f'Tag "span" must have class "tg-spoiler" at byte offset {src.byte_offset(begin)}')
            if strict and tag_name == "a" and not (has_argument and argument):
                raise _entity_error(
                    f'Tag "a" must have attribute "href" at byte offset {src.byte_offset(begin)} '
                    "(stand-in strict mode; real Telegram drops the link)"
                )
            if tag_name == "tg-emoji" and not (has_argument and argument.isdigit()):
                raise _entity_error(
                    f"Custom emoji entity must contain a valid emoji-id at byte offset {src.byte_offset(begin)}"
                )
            stack.append(_OpenTag(tag_name, argument, has_argument, utf16_pos, src.byte_offset(begin)))
            i += 1  # skip '>'
            continue

        # ---- end tag ---------------------------------------------------------------
        if not stack:
            raise _entity_error(f"Unexpected end tag at byte offset {src.byte_offset(begin)}")
        i += 1  # skip '/'
        while src.at(i) not in _SPACES and src.at(i) not in ">\0":
            i += 1
        end_tag_name = html[begin + 2 : i].lower()
        while src.at(i) != "\0" and src.at(i) in _SPACES:
            i += 1
        if src.at(i) != ">":
            raise _entity_error(f"Unclosed end tag at byte offset {src.byte_offset(begin)}")
        i += 1
        open_tag = stack.pop()
        if end_tag_name and end_tag_name != open_tag.name:
            raise _entity_error(
                f"Unmatched end tag at byte offset {src.byte_offset(begin)}, expected "
                f'"</{open_tag.name}>", found "</{end_tag_name}>"'
            )
        _close_entity(open_tag, utf16_pos, stack, entities)

    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=entity_order)
    return ParsedText("".join(out), entities)


def entity_order(entity: dict[str, object]) -> tuple[int, int]:
    """Sort key of a MessageEntity: by offset, the longer (outer) one first."""
    offset, length = entity["offset"], entity["length"]
    assert isinstance(offset, int) and isinstance(length, int), entity
    return offset, -length


def _close_entity(tag: _OpenTag, end_utf16: int, stack: list[_OpenTag], entities: list[dict[str, object]]) -> None:
    """Turn a closed tag into a MessageEntity, merging ``<pre><code class=…>`` like Telegram."""
    length = end_utf16 - tag.utf16_offset
    if length <= 0:
        return  # Telegram drops empty entities
    if tag.name == "code" and tag.has_argument and stack and stack[-1].name == "pre":
        # <pre><code class="language-x"> becomes a single pre entity with a language.
        stack[-1].argument, stack[-1].has_argument = tag.argument, True
        return
    entity: dict[str, object] = {
        "type": _ENTITY_TYPE[tag.name],
        "offset": tag.utf16_offset,
        "length": length,
    }
    if tag.name == "a":
        if not tag.argument:
            return  # non-strict mode: Telegram just drops an <a> without href
        entity["url"] = tag.argument
    elif tag.name == "pre" and tag.argument:
        entity["language"] = tag.argument
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.argument
    elif tag.name == "blockquote" and tag.argument:
        entity["type"] = "expandable_blockquote"
    entities.append(entity)
