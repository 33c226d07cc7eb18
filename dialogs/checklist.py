"""Which documents an applicant should gather, chosen by the answers and the outcome."""
from __future__ import annotations

from dialogs.answers import Answers
from dialogs.assessment import LIKELY_INELIGIBLE, ChecklistItem
from dialogs.rules import Rules


def _conditions(a: Answers, pathway: str | None, outcome: str) -> dict[str, bool]:
    has_degree = a.highest_degree not in (None, "none")
    prior = a.background != "none"
    return {
        "always": True,
        "prior_training": prior,
        "service_history": prior,
        "out_of_state": pathway == "out_of_state" or (pathway is None and a.background == "out_of_state"),
        "degree_claimed": has_degree,
        "no_accredited_degree": not (has_degree and a.degree_accredited is True),
        "heading_to_course": outcome != LIKELY_INELIGIBLE,
        "reserve": a.alabama_employment == "reserve",
    }


def build_checklist(a: Answers, rules: Rules, pathway: str | None, outcome: str) -> tuple[ChecklistItem, ...]:
    applies = _conditions(a, pathway, outcome)
    return tuple(ChecklistItem(e.id, e.cite, e.text) for e in rules.checklist if applies[e.when])
