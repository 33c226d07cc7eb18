"""Leads as recruiters see them, in Telegram and in the CSV export.

A lead shows the result the applicant shared, recomputed from the shared answers as of the
day they shared it (so the recruiter sees what the applicant saw), the facts the outcome
rests on, the day the break in service passes its limit, the documents by name, and times
in the agency's time zone. The CSV has the same fields as the Telegram card.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.render import block, contact_text, document_name, fix_text, say
from dialogs.assessment import DEADLINE, Assessment, IntRange
from dialogs.interview import assessment_for
from dialogs.questions import Question, applicable
from dialogs.rules import rules_of
from dialogs.timing import service_period
from storage.leads import LeadRecord

TEMPLATE = "recruiter.j2"
# The answers a recruiter needs to act on a lead, in the order they read them.
LEAD_FACTS = (
    "background",
    "certifying_state",
    "certification_status",
    "service_start",
    "service_end",
    "basic_course_hours",
    "highest_degree",
    "alabama_employment",
    "planned_hire_date",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class LeadView:
    lead: LeadRecord
    assessment: Assessment
    facts: tuple[tuple[Question, Any], ...]  # (question, answer-file value) of LEAD_FACTS that apply
    service_years: IntRange | None
    break_passes_on: date | None  # the day the break in service passes its limit: hire before it
    shared_at: datetime  # in the agency's time zone
    updated_at: datetime | None  # when the applicant last changed the shared result, if after sharing
    status_changed_at: datetime | None


def view(lead: LeadRecord, zone: ZoneInfo) -> LeadView:
    answers = lead.answers
    shown = {q.id: q for q in applicable(answers, lead.as_of)}
    facts = tuple((shown[f], answers[f]) for f in LEAD_FACTS if f in shown and f in answers)
    assessment = assessment_for(answers, lead.as_of, rules_of(lead.rules_version, lead.as_of))
    period = service_period(answers, lead.as_of)
    passes = [
        fix.params["passes_on"] for fix in assessment.changes if fix.kind == DEADLINE and "passes_on" in fix.params
    ]
    updated = lead.updated_at if lead.updated_at - lead.shared_at > timedelta(minutes=1) else None
    return LeadView(
        lead,
        assessment,
        facts,
        period.years() if period else None,
        min(passes, default=None),
        lead.shared_at.astimezone(zone),
        updated.astimezone(zone) if updated else None,
        lead.status_changed_at.astimezone(zone) if lead.status_changed_at else None,
    )


def safe_cell(value: object) -> str:
    """Text a spreadsheet will not run as a formula (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def lead_card(v: LeadView, html: bool = True) -> str:
    return block("lead_card", TEMPLATE, html=html, v=v)


def leads_csv(views: list[LeadView]) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheet programs detect it), every field quoted;
    the same fields as the Telegram card, one column each."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(
        [say("csv_header", TEMPLATE, column=c) for c in COLUMNS]
        + [say("fact_label", TEMPLATE, field=f) for f in LEAD_FACTS]
    )
    for v in views:
        lead, a = v.lead, v.assessment
        p = a.points
        facts = {q.id: say("fact_value", TEMPLATE, q=q, value=value) for q, value in v.facts}
        row = [
            lead.agency,
            lead.recruiter,
            lead.number,
            say("status_label", TEMPLATE, status=lead.status),
            _when(v.status_changed_at),
            _when(v.shared_at),
            _when(v.updated_at),
            lead.channel,
            contact_text(lead.contact),
            say("outcome_label", TEMPLATE, outcome=a.outcome),
            say("pathway_label", TEMPLATE, pathway=a.pathway) if a.pathway else "",
            *(
                [say("figure", TEMPLATE, r=r) for r in (p.total, p.experience, p.training, p.education)]
                if p
                else [""] * 4
            ),
            say("years_text", TEMPLATE, years=v.service_years) if v.service_years else "",
            v.break_passes_on.isoformat() if v.break_passes_on else "",
            lead.as_of.isoformat(),
            "; ".join(document_name(c) for c in a.checklist),
            " | ".join(fix_text(fix) for fix in a.changes),
        ] + [facts.get(f, "") for f in LEAD_FACTS]
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z") if moment else ""


COLUMNS = (
    "agency",
    "recruiter",
    "lead",
    "status",
    "status_changed",
    "shared_at",
    "updated_at",
    "channel",
    "contact",
    "outcome",
    "pathway",
    "points_total",
    "points_experience",
    "points_training",
    "points_education",
    "service_years",
    "break_limit_passes",
    "as_of",
    "documents",
    "what_would_change",
)
