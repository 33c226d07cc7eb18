"""Leads: what an applicant chose to share with a recruiter, one row per applicant and recruiter.

A lead is changed only inside the transaction of the applicant's turn that decides it (a
share, a withdrawal, an edit of the shared result, a deletion), so what the applicant was
told and what the recruiter sees never disagree. Each change comes back as a `LeadEvent`,
which the channel turns into the recruiter's notification (and, for a withdrawal, the
edit of the notification already in the recruiter's chat).

A lead carries its own copy of the shared answers (`snapshot_json`, the answer-file form
with `as_of`), so it shows what the applicant shared even while they edit their screening.
Lead numbers count per recruiter (`recruiter.next_lead_number`), so they say nothing about
how many screenings there are in total.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from storage.models import AGENCY_TABLE, LEAD_STATUSES, LEAD_TABLE, RECRUITER_TABLE, utcnow
from storage.store import SessionSnapshot, Store, fetch

LEAD, RECRUITER, AGENCY = LEAD_TABLE, RECRUITER_TABLE, AGENCY_TABLE
_L = LEAD.c
_R = RECRUITER.c
_G = AGENCY.c

NEW, UPDATED, WITHDRAWN = "new", "updated", "withdrawn"


@dataclass(frozen=True)
class SharedResult:
    """The result a turn shares: its answers in answer-file form (with "as_of") and outcome."""

    answers: Mapping[str, Any]
    outcome: str | None
    rules_version: str | None = None  # kept with the snapshot: the lead is shown under these rules


@dataclass(frozen=True)
class LeadRecord:
    id: int
    recruiter_id: int
    recruiter: str
    agency_id: int
    agency: str
    number: int
    session_id: int | None  # the screening whose result it carries
    status: str
    status_changed_at: datetime | None
    shared_at: datetime
    updated_at: datetime
    contact: str | None
    channel: str
    outcome: str | None
    answers: dict[str, Any]  # the shared answers, answer-file form, without "as_of"
    as_of: date  # the day the shared result was computed for
    rules_version: str | None  # the rules version it was assessed under (None: shared before versions)
    notice_chat_id: str | None
    notice_message_id: int | None
    notes: str | None = None  # the recruiters' own notes (dashboard)


@dataclass(frozen=True)
class LeadFilter:
    """Which leads a list shows (the dashboard's filters); None means any."""

    status: str | None = None
    outcome: str | None = None
    shared_from: datetime | None = None  # inclusive
    shared_before: datetime | None = None  # exclusive


@dataclass(frozen=True)
class LeadEvent:
    kind: str  # NEW, UPDATED or WITHDRAWN
    lead: LeadRecord  # as stored after the change (a withdrawn lead: as it was)
    previous_notice: tuple[str, int] | None = None  # UPDATED: the notification it replaces


_COLUMNS = (*LEAD.c, _R.name.label("recruiter_name"), _R.agency_id, _G.name.label("agency_name"))


def _select() -> sa.Select[Any]:
    return sa.select(*_COLUMNS).join(RECRUITER, _R.id == _L.recruiter_id).join(AGENCY, _G.id == _R.agency_id)


def _record(row: Any) -> LeadRecord:
    snapshot = json.loads(row.snapshot_json)
    as_of = date.fromisoformat(snapshot.pop("as_of"))
    rules_version = snapshot.pop("rules_version", None)
    return LeadRecord(
        row.id,
        row.recruiter_id,
        row.recruiter_name,
        row.agency_id,
        row.agency_name,
        row.number,
        row.session_id,
        row.status,
        row.status_changed_at,
        row.shared_at,
        row.updated_at,
        row.contact,
        row.channel,
        row.outcome,
        snapshot,
        as_of,
        rules_version,
        row.notice_chat_id,
        row.notice_message_id,
        row.notes,
    )


def _notice(lead: LeadRecord) -> tuple[str, int] | None:
    """Where the recruiter's notification of the lead is, if one was sent."""
    if lead.notice_chat_id and lead.notice_message_id:
        return lead.notice_chat_id, lead.notice_message_id
    return None


def _snapshot(result: SharedResult) -> str:
    stored = {**result.answers, "rules_version": result.rules_version} if result.rules_version else result.answers
    return json.dumps(dict(stored), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _one(db: Session, where: Any) -> LeadRecord | None:
    row = fetch(db, _select().where(where)).first()
    return _record(row) if row else None


# --- changes, inside the applicant's turn ---------------------------------------------------
def share_lead(
    db: Session, session: SessionSnapshot, contact: str | None, result: SharedResult, now: datetime
) -> LeadEvent:
    """Share `result` with the session's recruiter: a new lead, or the applicant's existing lead
    with that recruiter brought up to date (its number and status are kept)."""
    assert session.recruiter_id is not None
    where = sa.and_(_L.recruiter_id == session.recruiter_id, _L.applicant_id == session.applicant_id)
    existing = _one(db, where)
    values = {
        "session_id": session.id,
        "contact": contact,
        "snapshot_json": _snapshot(result),
        "outcome": result.outcome,
        "shared_at": now,
        "updated_at": now,
        "channel": session.channel,
    }
    if existing is not None:
        db.exec(sa.update(LEAD).where(_L.id == existing.id).values(**values))
        previous = _notice(existing)
        updated = _one(db, _L.id == existing.id)
        assert updated is not None
        return LeadEvent(UPDATED, updated, previous)
    number = (
        db.exec(
            sa.update(RECRUITER)
            .where(_R.id == session.recruiter_id)
            .values(next_lead_number=_R.next_lead_number + 1)
            .returning(_R.next_lead_number)
        ).scalar_one()
        - 1
    )
    db.exec(
        sa.insert(LEAD).values(
            recruiter_id=session.recruiter_id,
            applicant_id=session.applicant_id,
            number=number,
            status=LEAD_STATUSES[0],
            created_at=now,
            **values,
        )
    )
    created = _one(db, where)
    assert created is not None
    return LeadEvent(NEW, created)


def refresh_leads(db: Session, session: SessionSnapshot, result: SharedResult, now: datetime) -> list[LeadEvent]:
    """The applicant changed a shared result: the leads carrying it show the new one (when it
    differs). Its share date stays: retention counts from the applicant's last choice to share."""
    snapshot = _snapshot(result)
    events = []
    for row in fetch(db, _select().where(_L.session_id == session.id, _L.snapshot_json != snapshot)).all():
        before = _record(row)
        if before.answers == {k: v for k, v in result.answers.items() if k != "as_of"}:
            continue  # the same answers, only a later day: nothing the recruiter needs to hear
        db.exec(
            sa.update(LEAD)
            .where(_L.id == before.id)
            .values(snapshot_json=snapshot, outcome=result.outcome, updated_at=now)
        )
        after = _one(db, _L.id == before.id)
        assert after is not None
        previous = _notice(before)
        events.append(LeadEvent(UPDATED, after, previous))
    return events


def withdraw_leads(db: Session, applicant_id: int) -> list[LeadEvent]:
    """Every lead of the applicant, whichever screening it came from, is deleted."""
    withdrawn = [_record(row) for row in fetch(db, _select().where(_L.applicant_id == applicant_id)).all()]
    if withdrawn:
        db.exec(sa.delete(LEAD).where(_L.applicant_id == applicant_id))
    return [LeadEvent(WITHDRAWN, lead) for lead in withdrawn]


# --- the recruiter's side --------------------------------------------------------------------
class Leads:
    """Leads as recruiters and their agency read them, newest share first."""

    def __init__(self, store: Store, now: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.now = now

    @staticmethod
    def _scope(recruiter_id: int | None, agency_id: int | None, only: LeadFilter | None = None) -> Any:
        where = []
        if recruiter_id is not None:
            where.append(_L.recruiter_id == recruiter_id)
        elif agency_id is not None:
            where.append(_R.agency_id == agency_id)
        if only is not None:
            if only.status is not None:
                where.append(_L.status == only.status)
            if only.outcome is not None:
                where.append(_L.outcome == only.outcome)
            if only.shared_from is not None:
                where.append(_L.shared_at >= only.shared_from)
            if only.shared_before is not None:
                where.append(_L.shared_at < only.shared_before)
        return sa.and_(sa.true(), *where)

    def list(
        self,
        recruiter_id: int | None = None,
        *,
        agency_id: int | None = None,
        offset: int = 0,
        limit: int | None = None,
        only: LeadFilter | None = None,
    ) -> list[LeadRecord]:
        query = (
            _select()
            .where(self._scope(recruiter_id, agency_id, only))
            .order_by(_L.shared_at.desc(), _L.id.desc())
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.store.reading() as db:
            return [_record(row) for row in fetch(db, query).all()]

    def count(self, recruiter_id: int | None = None, *, agency_id: int | None = None) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(LEAD.join(RECRUITER, _R.id == _L.recruiter_id))
            .where(self._scope(recruiter_id, agency_id))
        )
        with self.store.reading() as db:
            return int(fetch(db, query).scalar() or 0)

    def by_id(self, lead_id: int) -> LeadRecord | None:
        """Any lead; the caller decides whether its reader may see it (bot/web/dashboard.py)."""
        with self.store.reading() as db:
            return _one(db, _L.id == lead_id)

    def set_notes(self, lead_id: int, notes: str) -> LeadRecord | None:
        """The recruiters' notes (empty clears them); None if the lead is gone."""
        with self.store.writing() as db:
            db.exec(sa.update(LEAD).where(_L.id == lead_id).values(notes=notes.strip() or None))
            return _one(db, _L.id == lead_id)

    def get(self, recruiter_id: int, number: int) -> LeadRecord | None:
        with self.store.reading() as db:
            return _one(db, sa.and_(_L.recruiter_id == recruiter_id, _L.number == number))

    def set_status(self, recruiter_id: int, number: int, status: str) -> LeadRecord | None:
        """The recruiter's own progress mark; None if the lead is gone (withdrawn meanwhile)."""
        if status not in LEAD_STATUSES:
            raise ValueError(f"unknown lead status {status!r}")
        with self.store.writing() as db:
            where = sa.and_(_L.recruiter_id == recruiter_id, _L.number == number)
            db.exec(
                sa.update(LEAD).where(where, _L.status != status).values(status=status, status_changed_at=self.now())
            )
            return _one(db, where)

    def set_notice(self, lead_id: int, chat_id: str, message_id: int) -> None:
        """Where the recruiter's notification of this lead is (edited when it is withdrawn)."""
        with self.store.writing() as db:
            db.exec(
                sa.update(LEAD).where(_L.id == lead_id).values(notice_chat_id=chat_id, notice_message_id=message_id)
            )
