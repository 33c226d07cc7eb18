"""The checklist PDF, read back with pypdf: what it says, not just that it exists."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from bot.checklist_pdf import (
    DRAWN_KINDS,
    ENCODING,
    META_KINDS,
    Record,
    checklist_pdf,
    pdf_from_records,
    pdf_safe,
    records,
)
from bot.presenter import assessment_json
from bot.render import document_text, fix_text, us_date
from dialogs.answers import (
    BACKGROUNDS,
    CERTIFICATION_STATUSES,
    DEGREES,
    EMPLOYMENT,
    AnswerError,
    answers_from_json,
)
from dialogs.assessment import LIKELY_ELIGIBLE, LIKELY_INELIGIBLE, NEEDS_REVIEW, Assessment, IntRange
from dialogs.eligibility import assess
from dialogs.rules import Rules, rules_in_force
from tests.helpers import points_of

AS_OF = date(2025, 3, 1)
TITLE = "Lateral entry checklist — preliminary estimate"
LETTER = (612, 792)  # points

CASES: dict[str, dict[str, Any]] = {
    "out_of_state": dict(
        background="out_of_state",
        certifying_state="GA",
        certification_status="valid",
        certified_on="2018-01-10",
        service_start="2018-01-15",
        service_end=None,
        felony_conviction=False,
        us_citizen=True,
        birth_date="1990-01-01",
        highest_degree="bachelor",
        degree_accredited=True,
    ),
    "federal": dict(
        background="federal",
        basic_course_graduate=True,
        basic_course_hours=600,
        service_start="2015-01-01",
        service_end="2024-06-01",
        le_duties_last_4_years=True,
        highest_degree="associate",
        degree_accredited=True,
        felony_conviction=False,
    ),
    "military_police": dict(
        background="military_police",
        basic_course_graduate=True,
        basic_course_hours=700,
        service_start="2012-01-01",
        service_end="2024-06-01",
        le_duties_last_4_years=True,
        security_police_primary_code=False,
        highest_degree="none",
    ),
    "none": dict(background="none", highest_degree="none"),
    "needs_review": dict(  # unknown hours and degree leave the points open
        background="military_police",
        basic_course_graduate=True,
        service_start="2016-01-01",
        service_end="2024-06",
        security_police_primary_code=False,
        alabama_employment="reserve",
    ),
}
PATHWAY = {
    "out_of_state": "out_of_state",
    "federal": "federal",
    "military_police": "military_police",
    "none": None,
    "needs_review": "military_police",
}
OUTCOME_WORD = {LIKELY_ELIGIBLE: "eligible", NEEDS_REVIEW: "review", LIKELY_INELIGIBLE: "not eligible"}


@pytest.fixture(scope="module")
def rules() -> Rules:
    return rules_in_force(AS_OF)


def assessment_for(answers: dict[str, Any], rules: Rules, as_of: date = AS_OF) -> Assessment:
    return assess(answers_from_json(answers, as_of), as_of, rules)


def fold(text: str) -> str:
    return " ".join(text.split())


def read(pdf: bytes) -> tuple[PdfReader, str]:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        assert tuple(round(v) for v in page.mediabox[2:]) == LETTER
    return reader, fold(" ".join(page.extract_text() for page in reader.pages))


def shown(text: str) -> str:
    """How `text` reads back from the PDF: made PDF-safe, whitespace folded."""
    return fold(pdf_safe(text))


def span(r: IntRange) -> str:
    return str(r.lo) if r.lo == r.hi else f"{r.lo}-{r.hi}"


def check_contents(a: Assessment, rules: Rules, text: str) -> None:
    assert TITLE in text
    outcome = [r for r in records(a) if r.kind == "outcome"]
    assert len(outcome) == 1 and outcome[0].fields[0] == a.outcome
    assert outcome[0].fields[1] in text
    assert OUTCOME_WORD[a.outcome] in outcome[0].fields[1].lower()
    for item in a.checklist:
        assert shown(document_text(item)) in text, item.id
        assert shown(item.rule) in text, item.id
    for fix in a.changes:
        assert shown(fix_text(fix)) in text
    assert a.rules_version in text
    assert shown(rules.meta.current_through) in text
    assert us_date(a.as_of) in text
    assert shown(assessment_json(a)["notice"]) in text


# --- each pathway -------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_pdf_says_what_the_assessment_says(case: str, rules: Rules) -> None:
    a = assessment_for(CASES[case], rules)
    assert a.pathway == PATHWAY[case]
    if case == "needs_review":
        assert a.outcome == NEEDS_REVIEW and points_of(a).total.lo != points_of(a).total.hi
    if case == "none":
        assert a.outcome == LIKELY_INELIGIBLE
    reader, text = read(checklist_pdf(a))
    check_contents(a, rules, text)
    if a.points is None:
        assert not any(r.kind.startswith("table") for r in records(a))
    else:
        p = a.points
        rows = [r.fields for r in records(a) if r.kind in ("table_row", "table_total")]
        assert [f[1] for f in rows] == [span(p.experience), span(p.training), span(p.education), span(p.total)]
        for part, points in rows:
            assert f"{part} {points}" in text
    meta = reader.metadata
    assert meta is not None
    assert meta.title == TITLE
    assert meta.creator == "Lateral Screener"
    assert meta.subject
    assert meta.creation_date == datetime(2025, 3, 1, tzinfo=UTC)
    assert meta.author is None  # nothing personal


def test_points_range_reads_as_a_range(rules: Rules) -> None:
    a = assessment_for(CASES["needs_review"], rules)
    _, text = read(checklist_pdf(a))
    total = points_of(a).total
    assert total.lo < total.hi
    assert f"{total.lo}-{total.hi}" in text


def test_same_assessment_same_bytes(rules: Rules) -> None:
    a = assessment_for(CASES["federal"], rules)
    first = checklist_pdf(a)
    assert checklist_pdf(a) == first
    assert checklist_pdf(assessment_for(CASES["federal"], rules)) == first
    later = assessment_for(CASES["federal"], rules, AS_OF + timedelta(days=1))
    assert checklist_pdf(later) != first


def test_template_only_uses_kinds_the_layout_draws(rules: Rules) -> None:
    for answers in CASES.values():
        kinds = {r.kind for r in records(assessment_for(answers, rules))}
        assert kinds <= DRAWN_KINDS | set(META_KINDS)
        assert {"title", "outcome", "notice", "doc_title"} <= kinds


# --- text the core fonts cannot show ------------------------------------------------------


def test_pdf_safe_maps_to_close_equivalents() -> None:
    assert pdf_safe("a — b “c” ‘d’ § 1 … €") == "a — b “c” ‘d’ § 1 … €"  # all in Windows-1252
    assert pdf_safe("\u2011\u2212 \u2265 \u2264 \u2192 \ufb01 \uff21 \u0117 \u2116") == "-- >= <= -> fi A e No."
    assert pdf_safe("ok \U0001f44d\U0001f3fd \U0001f1fa\U0001f1f8 1\ufe0f\u20e3") == "ok   1"
    assert pdf_safe("\u4e2d\u6587") == "??"
    assert pdf_safe("a\u200bb\u00adc\ud800d") == "abcd"
    assert pdf_safe("line\u2028break\ttab\x00") == "line break tab "


@given(st.text())
def test_pdf_safe_always_encodes(text: str) -> None:
    safe = pdf_safe(text)
    safe.encode(ENCODING)
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", safe)


UNICODE_ITEMS = (
    ("Officer’s “certified” record — with § 650 and an emoji \U0001f46e\u200d\u2642\ufe0f.", "§ 12—3"),
    ("Name in 中文 and Ελληνικά, ≥ 2 years → done ✓.", "r. 1"),
    ("x" * 400, "r. 2"),
    ("", ""),
)


def with_text(a: Assessment, rules: Rules, items: Iterable[tuple[str, str]], bullets: Iterable[str] = ()) -> bytes:
    """The assessment's PDF with its boxes and bullets replaced by arbitrary text: the layout
    must cope with any words the templates might one day hold."""
    recs = [r for r in records(a) if r.kind not in ("box", "bullet")]
    at = next(i for i, r in enumerate(recs) if r.kind == "meta")
    extra = [Record.of("box", text, rule) for text, rule in items] + [Record.of("bullet", b) for b in bullets]
    return pdf_from_records(recs[:at] + extra + recs[at:], a.as_of)


def test_unicode_in_checklist_renders(rules: Rules) -> None:
    a = assessment_for(CASES["out_of_state"], rules)
    _, text = read(with_text(a, rules, UNICODE_ITEMS, ("Wait — “then” ask.",)))
    assert "Officer’s “certified” record — with § 650 and an emoji ." in text
    assert "§ 12—3" in text
    assert ">= 2 years -> done x." in text
    assert "Wait — “then” ask." in text
    assert "x" * 400 in text.replace(" ", "")  # broken across lines, nothing lost


def test_many_items_still_two_pages(rules: Rules) -> None:
    a = assessment_for(CASES["needs_review"], rules)
    items = tuple((f"Document number {i}: " + "word " * 30, f"r. {i}") for i in range(30))
    _, text = read(with_text(a, rules, items))
    for body, _rule in items:
        assert shown(body) in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(st.tuples(st.text(max_size=160), st.text(max_size=40)), max_size=14),
    changes=st.lists(st.text(max_size=160), max_size=5),
)
def test_any_text_gives_a_readable_pdf(rules: Rules, texts: list[tuple[str, str]], changes: list[str]) -> None:
    a = assessment_for(CASES["federal"], rules)
    _, text = read(with_text(a, rules, texts, changes))
    plain = re.sub(r"[^A-Za-z0-9]", "", text)
    for body, _rule in texts:
        assert re.sub(r"[^A-Za-z0-9]", "", pdf_safe(body)) in plain


# --- assessments from random valid answers ------------------------------------------------

START = date(1960, 1, 1)


def _date(draw: st.DrawFn, lo: date, hi: date) -> str:
    day = draw(st.dates(min_value=lo, max_value=hi))
    return day.isoformat() if draw(st.booleans()) else day.isoformat()[:7]


@st.composite
def answer_files(draw: st.DrawFn) -> dict[str, Any]:
    maybe = lambda strategy: draw(st.one_of(st.none(), strategy))  # noqa: E731
    points = sorted(draw(st.lists(st.dates(min_value=START, max_value=AS_OF), min_size=5, max_size=5)))
    birth, course, certified, start, end = points
    data = {
        "background": maybe(st.sampled_from(BACKGROUNDS)),
        "certifying_state": maybe(st.sampled_from(["GA", "AL", "TX", "fl"])),
        "certification_status": maybe(st.sampled_from(CERTIFICATION_STATUSES)),
        "basic_course_graduate": maybe(st.booleans()),
        "basic_course_hours": maybe(st.integers(0, 1200)),
        "service_gap_days": maybe(st.integers(0, 800)),
        "service_full_time": maybe(st.booleans()),
        "le_duties_last_4_years": maybe(st.booleans()),
        "security_police_primary_code": maybe(st.booleans()),
        "highest_degree": maybe(st.sampled_from(DEGREES)),
        "degree_accredited": maybe(st.booleans()),
        "degree_by_correspondence": maybe(st.booleans()),
        "grandfathered_or_exempted": maybe(st.booleans()),
        "alabama_employment": maybe(st.sampled_from(EMPLOYMENT)),
        "us_citizen": maybe(st.booleans()),
        "felony_conviction": maybe(st.booleans()),
        "expunged_record": maybe(st.booleans()),
        "high_school_diploma_or_ged": maybe(st.booleans()),
        "birth_date": maybe(st.just(_date(draw, birth, birth))),
        "basic_course_completed_on": maybe(st.just(_date(draw, course, course))),
        "certified_on": maybe(st.just(_date(draw, certified, certified))),
        "service_start": maybe(st.just(_date(draw, start, start))),
        "planned_hire_date": maybe(st.just(_date(draw, AS_OF, AS_OF + timedelta(days=900)))),
    }
    if draw(st.booleans()):
        data["service_end"] = None if draw(st.booleans()) else _date(draw, end, end)
    return {k: v for k, v in data.items() if v is not None or k == "service_end"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_files())
def test_random_answers_give_a_readable_pdf(rules: Rules, data: dict[str, Any]) -> None:
    try:
        answers = answers_from_json(data, AS_OF)
    except AnswerError:
        assume(False)
    a = assess(answers, AS_OF, rules)
    _, text = read(checklist_pdf(a))
    check_contents(a, rules, text)
    if a.points is not None:
        assert span(a.points.total) in text
