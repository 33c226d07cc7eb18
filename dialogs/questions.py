"""The question catalogue, derived from the field declarations in `dialogs.answers`.

Order matters: the next question is the first applicable one without an answer,
recomputed from the stored answers on every step, so back, edit and resume need no extra
state. Prompts, help and choice labels live in templates/questions.j2 (macros named
after the field).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dialogs.answers import Ask, Stored, field_table


@dataclass(frozen=True)
class Question:
    id: str  # the answer-file field it fills
    kind: str
    choices: tuple[str, ...]
    excluding: bool  # a "yes" excludes or bars
    ask: Ask


QUESTIONS: tuple[Question, ...] = tuple(
    Question(f.name, f.spec.kind, f.spec.choices, f.spec.excluding, f.spec.ask)
    for f in field_table()
    if f.spec.ask is not None
)
BY_ID = {q.id: q for q in QUESTIONS}


def applicable(answers: Stored, today: date) -> list[Question]:
    return [q for q in QUESTIONS if q.ask.when(answers, today)]


def dependents(field: str) -> set[str]:
    """Every question whose answer rests, directly or not, on `field`."""
    found: set[str] = set()
    frontier = {field}
    while frontier:
        nxt = {q.id for q in QUESTIONS if set(q.ask.depends_on) & frontier} - found
        found |= nxt
        frontier = nxt
    found.discard(field)
    return found
