"""Complete screenings as an applicant would type and tap them, one per pathway.

Shared by the end-to-end tests and the benchmarks. `tap:Label` presses a button.
"""

from __future__ import annotations

FEDERAL_BY_BUTTONS = [
    "tap:A federal law-enforcement agency",
    "tap:Yes",
    "640",
    "Jan 2012",
    "6/30/2025",
    "none",
    "tap:Yes",
    "tap:Bachelor's degree",
    "tap:Yes",
    "tap:No",
    "tap:No",
    "tap:No",
    "tap:No",
    "tap:Yes",
    "tap:Yes",
    "tap:I have a job offer from an Alabama agency",
    "March 2027",
    "tap:Show my result",
]
OUT_OF_STATE_TYPED = [
    "1",
    "Georgia",
    "valid",
    "May 20 2016",
    "06/01/2016",
    "still serving",
    "no gaps",
    "yes",
    "associate",
    "yes",
    "no",
    "no",
    "no",
    "yes",
    "yes",
    "4",
    "not sure",
    "ok",
]
MILITARY_MIXED = [
    "3",
    "tap:Yes",
    "480 hours",
    "January 8, 2018",
    "2024-12-31",
    "0",
    "tap:Yes",
    "tap:No",
    "tap:Associate degree",
    "tap:Yes",
    "tap:No",
    "no",
    "no",
    "no",
    "tap:Yes",
    "tap:Yes",
    "tap:I have a job offer from an Alabama agency",
    "12/15/2026",
    "ok",
]
NO_TRAINING = ["tap:None of these"]

CONFIRMATIONS = ("ok", "tap:Show my result")


def answer_count(script: list[str]) -> int:
    """How many answers a script gives: every step but a final confirmation of the review
    (a screening settled early, such as "None of these", ends without a review)."""
    return len(script) - (script[-1] in CONFIRMATIONS)


def has_review(script: list[str]) -> bool:
    return script[-1] in CONFIRMATIONS


# The federal pathway typed in the terminal, every answer a line (and "ok" at the review).
FEDERAL_TYPED = [
    "2",
    "yes",
    "640 hrs",
    "Jan 2012",
    "6/30/2025",
    "none",
    "yes",
    "bachelor's",
    "yes",
    "no",
    "no",
    "no",
    "no",
    "yes",
    "yes",
    "offer",
    "March 2027",
    "ok",
]
