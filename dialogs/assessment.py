"""The assessment: plain values in codes (no words), rendered by the channels from templates/.

A finding is one condition of the rule: a code, the paragraph it cites (from the rules
data), whether it is met (True, False, or None when unknown), how it moves the outcome
(`effect`) and the changes that would satisfy it (`fixes`). Words come later: each code
names a macro of templates/findings.j2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dialogs.rules import Rules, rules_of

LIKELY_ELIGIBLE = "likely_eligible"
LIKELY_INELIGIBLE = "likely_ineligible"
NEEDS_REVIEW = "needs_review"
OUTCOMES = (LIKELY_ELIGIBLE, NEEDS_REVIEW, LIKELY_INELIGIBLE)  # best first

# How a finding moves the outcome (see dialogs/eligibility.py, `outcome_of`):
REQUIRED = "required"  # must be shown: false -> ineligible, unknown -> needs review
BAR = "bar"  # disqualifies when true: false -> ineligible, unknown -> needs review unless assumed
REVIEW = "review"  # decided by the Commission or the agency: false or unknown -> needs review

# What kind of change a fix is:
REMEDY = "remedy"  # something the applicant can do, or a date to wait for
FIND_OUT = "find_out"  # an unknown to settle
NO_REMEDY = "no_remedy"  # nothing under this rule changes it
DECIDED_BY = "decided_by"  # the Commission or the agency decides; what to bring them
DEADLINE = "deadline"  # a date an eligible result depends on


@dataclass(frozen=True)
class Fix:
    code: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    code: str
    rule: str
    met: bool | None
    effect: str = REQUIRED
    params: Mapping[str, Any] = field(default_factory=dict)
    fixes: tuple[Fix, ...] = ()
    assumed: bool = False  # unknown because not answered, and assumed harmless (interpretation 11)
    absolute: bool = False  # when not met: certification is barred, not only the lateral route

    @property
    def decisive_unknown(self) -> bool:
        return self.met is None and not self.assumed


@dataclass(frozen=True)
class Note:
    """Procedure that goes with the result (who files the request), not a condition."""

    code: str
    rule: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    rule: str


@dataclass(frozen=True)
class IntRange:
    """A figure that unknown answers leave open between `lo` and `hi`."""

    lo: int
    hi: int

    @property
    def value(self) -> int | None:
        return self.lo if self.lo == self.hi else None

    def __add__(self, other: IntRange) -> IntRange:
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
                for name, r in (
                    ("experience", self.experience),
                    ("training", self.training),
                    ("education", self.education),
                    ("total", self.total),
                )
            },
            "pass_mark": self.pass_mark,
        }


@dataclass(frozen=True)
class Assessment:
    outcome: str
    pathway: str | None
    points: PointsBreakdown | None
    findings: tuple[Finding, ...]
    notes: tuple[Note, ...]
    checklist: tuple[ChecklistItem, ...]
    changes: tuple[Fix, ...]  # what would change the outcome; for an eligible one, its deadlines
    rules_version: str
    rule: str  # the rule's name, for the preliminary-estimate notice
    as_of: date

    @property
    def rules(self) -> Rules:
        """The rules version this assessment was made under (for its words and its PDF)."""
        return rules_of(self.rules_version, self.as_of)

    @property
    def barred(self) -> bool:
        """A standard for certification itself is not met (felony, education)."""
        return any(f.absolute and f.met is False for f in self.findings)

    @property
    def no_remedy(self) -> bool:
        return any(fix.kind == NO_REMEDY for fix in self.changes)
