"""The assessment: the plain value every channel renders and the `assess` command prints."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

LIKELY_ELIGIBLE = "likely_eligible"
LIKELY_INELIGIBLE = "likely_ineligible"
NEEDS_REVIEW = "needs_review"
OUTCOMES = (LIKELY_ELIGIBLE, NEEDS_REVIEW, LIKELY_INELIGIBLE)  # best first

# How a finding moves the outcome (see dialogs/eligibility.py, `outcome_of`):
REQUIRED = "required"  # must be shown: false -> ineligible, unknown -> needs review
BAR = "bar"  # disqualifies when true: false -> ineligible, unknown -> assumed absent
REVIEW = "review"  # false -> needs review (lapsed certification, expunged record)
INFO = "info"  # shown, never decisive (procedure, deadlines)


@dataclass(frozen=True)
class Finding:
    rule: str
    met: bool | None
    text: str
    effect: str = REQUIRED
    fixes: tuple[str, ...] = ()  # smallest changes that would satisfy it, or what to find out

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "met": self.met, "text": self.text, "effect": self.effect}


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    rule: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "rule": self.rule, "text": self.text}


@dataclass(frozen=True)
class IntRange:
    """A figure that unknown answers leave open between `lo` and `hi`."""

    lo: int
    hi: int

    @property
    def value(self) -> int | None:
        return self.lo if self.lo == self.hi else None

    def __add__(self, other: "IntRange") -> "IntRange":
        return IntRange(self.lo + other.lo, self.hi + other.hi)


@dataclass(frozen=True)
class PointsBreakdown:
    experience: IntRange
    training: IntRange
    education: IntRange
    pass_mark: int

    @property
    def total(self) -> IntRange:
        return self.experience + self.training + self.education

    def to_json(self) -> dict[str, Any]:
        return {
            "experience": self.experience.value,
            "training": self.training.value,
            "education": self.education.value,
            "total": self.total.value,
            "range": {
                name: [r.lo, r.hi]
                for name, r in (("experience", self.experience), ("training", self.training),
                                ("education", self.education), ("total", self.total))
            },
            "pass_mark": self.pass_mark,
        }


@dataclass(frozen=True)
class Assessment:
    outcome: str
    pathway: str | None
    points: PointsBreakdown | None
    findings: tuple[Finding, ...]
    checklist: tuple[ChecklistItem, ...]
    what_would_change: tuple[str, ...]
    rules_version: str
    as_of: date
    notice: str

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "pathway": self.pathway,
            "points": self.points.to_json() if self.points else None,
            "findings": [f.to_json() for f in self.findings],
            "checklist": [c.to_json() for c in self.checklist],
            "what_would_change": list(self.what_would_change),
            "rules_version": self.rules_version,
            "as_of": self.as_of.isoformat(),
            "notice": self.notice,
        }
