"""Which documents an applicant should gather, chosen by the answers and the outcome.

Likely eligible or needing review: the lateral-entry package. Likely not eligible: only
what any new officer's agency files (the basic-academy route of 650-X-4-.01). A standard
for certification itself not met (a felony, the education standard): nothing, since no
package would help (interpretation 13).
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.answers import PRIOR_TRAINING, Answers
from dialogs.assessment import LIKELY_INELIGIBLE, ChecklistItem, Finding
from dialogs.rules import Rules

BASIC_ACADEMY = ("always", "degree_claimed", "no_accredited_degree")


def _conditions(a: Answers, pathway: str | None, outcome: str) -> dict[str, bool]:
    degree = a.known("highest_degree")
    has_degree = degree not in (None, "none")
    prior = a.known("background") in PRIOR_TRAINING or a.known("background") is None
    return {
        "always": True,
        "prior_training": prior,
        "service_history": prior,
        "out_of_state": pathway == "out_of_state" or (pathway is None and a.background == "out_of_state"),
        "degree_claimed": has_degree,
        "no_accredited_degree": not (has_degree and a.known("degree_accredited") is True),
        "heading_to_course": outcome != LIKELY_INELIGIBLE,
        "reserve": a.known("alabama_employment") == "reserve",
    }


def build_checklist(
    a: Answers, rules: Rules, pathway: str | None, outcome: str, findings: Sequence[Finding]
) -> tuple[ChecklistItem, ...]:
    if any(f.absolute and f.met is False for f in findings):
        return ()
    applies = _conditions(a, pathway, outcome)
    wanted = [e for e in rules.checklist if applies[e.when]]
    if outcome == LIKELY_INELIGIBLE:
        wanted = [e for e in wanted if e.when in BASIC_ACADEMY]
    return tuple(ChecklistItem(e.id, e.cite) for e in wanted)
