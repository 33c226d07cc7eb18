"""An answer file's text to a JSON value, refusing what no answer file looks like.

`json.loads` alone accepts more than an answer file needs and more than is safe to take
from anyone: nesting thousands deep (RecursionError), integers of thousands of digits (a
ValueError outside JSONDecodeError, and quadratic time), NaN and Infinity, and duplicate
keys, where the last silently wins (a "felony_conviction": true followed by false). An
answer file is one flat object of short values, so generous limits cost nothing. A UTF-8
byte-order mark, as some editors write, is accepted.

Every refusal is an AnswerError naming the key (or "(file)"), so `assess` says it in one line.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from dialogs.answers import AnswerError

MAX_FILE_BYTES = 1_000_000  # an answer file is under 2 KB; `assess` reads at most one byte more
MAX_DEPTH = 32  # an answer file nests 2 deep ({"field": {"not_sure": true}})
MAX_INT_DIGITS = 20  # every bound is far below 10**20

FILE = "(file)"
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _nesting(text: str) -> int:
    """How deep arrays and objects nest, brackets inside strings aside (C-speed regexes, one pass)."""
    brackets = _NOT_BRACKETS.sub("", _STRING.sub("", text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise AnswerError(FILE, f"a number of more than {MAX_INT_DIGITS} digits")
    return int(text)


def _constant(name: str) -> Any:
    raise AnswerError(FILE, f"{name} is not a JSON value")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise AnswerError(key, "appears more than once")
        result[key] = value
    return result


def decode(data: bytes) -> str:
    """UTF-8 text, without a leading byte-order mark."""
    if len(data) > MAX_FILE_BYTES:
        raise AnswerError(FILE, f"larger than {MAX_FILE_BYTES:,} bytes: not an answer file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnswerError(FILE, f"not UTF-8 text (byte {exc.start})") from None


def parse(text: str) -> Any:
    """The JSON value of `text` within the limits above; raises AnswerError."""
    if len(text) > MAX_FILE_BYTES:
        raise AnswerError(FILE, f"larger than {MAX_FILE_BYTES:,} characters: not an answer file")
    text = text.removeprefix("\ufeff")
    if _nesting(text) > MAX_DEPTH:
        raise AnswerError(FILE, f"nested more than {MAX_DEPTH} deep: not an answer file")
    try:
        return json.loads(text, parse_int=_integer, parse_constant=_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise AnswerError(FILE, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
