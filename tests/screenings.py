"""Complete screenings as an applicant would type and tap them, one per pathway.

Shared by the end-to-end tests and the benchmarks. `tap:Label` presses a button.
"""
from __future__ import annotations

FEDERAL_BY_BUTTONS = [
    "tap:A federal law-enforcement agency", "tap:Yes", "640", "Jan 2012", "6/30/2025", "none", "tap:Yes",
    "tap:Bachelor's degree", "tap:Yes", "tap:No", "tap:No", "tap:No", "tap:No",
    "tap:I have a job offer from an Alabama agency", "tap:Show my result",
]
OUT_OF_STATE_TYPED = [
    "1", "Georgia", "valid", "May 20 2016", "06/01/2016", "still serving", "no gaps", "yes", "associate", "yes",
    "no", "no", "no", "4", "ok",
]
MILITARY_MIXED = [
    "3", "tap:Yes", "480 hours", "January 8, 2018", "2024-12-31", "0", "tap:Yes", "tap:No", "tap:Associate degree",
    "tap:Yes", "tap:No", "no", "no", "no", "tap:I have a job offer from an Alabama agency", "ok",
]
NO_TRAINING = ["tap:None of these", "tap:No degree", "yes", "no", "no", "tap:Not yet: I am still looking", "ok"]
