"""Small typos forgiven, without turning one word into another.

A typo is a word within one or two edits (a transposition counts as one) of the word
meant, with the same first letter and a length within one: "Gerogia" is Georgia and
"bachlors" is bachelors, but "invalid" is not "valid" and "officer" is not "offer".
"""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance; anything over `limit` is reported as limit + 1."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit or len(a) > 40 or len(b) > 40:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def allowed_edits(word: str) -> int:
    n = len(word)
    return 0 if n < 5 else 1 if n <= 6 else 2


def close_word(word: str, target: str) -> bool:
    """Could `word` be a typo of `target`?"""
    if word == target:
        return True
    if word[:1] != target[:1] or abs(len(word) - len(target)) > 1:
        return False
    allowed = min(allowed_edits(word), allowed_edits(target))
    return allowed > 0 and edit_distance(word, target, allowed) <= allowed


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The one candidate `word` is a typo of (the nearest; a tie between two is none)."""
    scored = sorted((edit_distance(word, c, 2), c) for c in candidates if close_word(word, c))
    if not scored:
        return None
    best = [c for d, c in scored if d == scored[0][0]]
    return best[0] if len(set(best)) == 1 else None
