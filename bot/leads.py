"""Leads as recruiters see them: the assessment behind each, and the CSV export.

A lead is recomputed from its stored answers as of the day it finished, so the recruiter
sees exactly what the applicant saw.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from dialogs.assessment import Assessment
from dialogs.interview import assessment_for
from bot.render import document_name, fix_text, say
from storage.recruiting import Lead

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class LeadView:
    lead: Lead
    assessment: Assessment


def view(lead: Lead) -> LeadView:
    day = (lead.finished_at or lead.shared_at).date()
    return LeadView(lead, assessment_for(lead.answers, day))


def safe_cell(value: object) -> str:
    """Text a spreadsheet will not run as a formula (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def leads_csv(leads: list[Lead]) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheet programs detect it), every field quoted."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([say(f"csv_{c}", _file="recruiter.j2") for c in COLUMNS])
    for lead in leads:
        v = view(lead)
        a = v.assessment
        p = a.points
        row = [
            lead.session_id, lead.shared_at.isoformat(timespec="seconds"),
            lead.finished_at.isoformat(timespec="seconds") if lead.finished_at else "",
            a.outcome, a.pathway or "", p.total.value if p else "", p.experience.value if p else "",
            p.training.value if p else "", p.education.value if p else "", lead.contact or "",
            "; ".join(document_name(c) for c in a.checklist), " | ".join(fix_text(fix) for fix in a.changes),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


COLUMNS = ("session", "shared_at", "finished_at", "outcome", "pathway", "points_total", "points_experience",
           "points_training", "points_education", "contact", "documents", "what_would_change")
