"""Small builders shared by the tests: answer files in, assessments out."""
from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.answers import answers_from_json
from dialogs.assessment import Assessment
from dialogs.eligibility import assess

TODAY = date(2026, 11, 22)

FEDERAL_BASE: dict[str, Any] = {
    "as_of": "2026-11-22",
    "background": "federal",
    "basic_course_graduate": True,
    "basic_course_hours": 640,
    "service_start": "2012-01-01",
    "service_end": "2025-06-30",
    "service_full_time": True,
    "le_duties_last_4_years": True,
    "highest_degree": "bachelor",
    "degree_accredited": True,
    "degree_by_correspondence": False,
    "grandfathered_or_exempted": False,
    "felony_conviction": False,
    "high_school_diploma_or_ged": True,
    "alabama_employment": "offer",
}

OUT_OF_STATE_BASE: dict[str, Any] = {
    "as_of": "2026-11-22",
    "background": "out_of_state",
    "certifying_state": "GA",
    "certification_status": "valid",
    "certified_on": "2018-03-01",
    "service_start": "2018-03-01",
    "service_end": None,
    "service_full_time": True,
    "grandfathered_or_exempted": False,
    "felony_conviction": False,
    "high_school_diploma_or_ged": True,
    "alabama_employment": "offer",
}


def run(base: dict[str, Any], **changes: Any) -> Assessment:
    data = {**base, **changes}
    data = {k: v for k, v in data.items() if v is not ...}  # `...` removes a field
    return assess(answers_from_json(data, TODAY), TODAY)


def finding(a: Assessment, rule_part: str, text_part: str = "") -> Any:
    matches = [f for f in a.findings if rule_part in f.rule and text_part in f.text]
    assert matches, f"no finding {rule_part!r} {text_part!r} in {[(f.rule, f.text) for f in a.findings]}"
    return matches[0]
