"""Recruiters, their links and claim codes, consented leads, statistics and retention.

Applicants stay in control: a recruiter sees a session only while its applicant's consent
(`shared_at`) stands; withdrawing it removes the lead from every view at once.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

import sqlalchemy as sa

from storage.models import (
    STATUS_ABANDONED, STATUS_ACTIVE, STATUS_FINISHED, Answer, Applicant, ProcessedUpdate, Recruiter, ScreeningSession,
    utcnow,
)
from storage.store import Store, _load_json, _query

_R = Recruiter.__table__.c
_S = ScreeningSession.__table__.c
_A = Answer.__table__.c
_P = Applicant.__table__.c

CLAIM_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to read aloud
CLAIM_LENGTH = 12  # 12 symbols of 30: about 59 bits, single use and expiring
LINK_BYTES = 12  # token_urlsafe(12): 16 characters of A-Za-z0-9_-, 96 bits
PURGE_BATCH = 500


def _hash(claim_code: str) -> str:
    return hashlib.sha256(normalise_claim(claim_code).encode()).hexdigest()


def normalise_claim(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_claim(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class RecruiterInfo:
    id: int
    agency: str
    name: str
    link_code: str
    telegram_user_id: str | None
    disabled: bool
    created_at: datetime


@dataclass(frozen=True)
class Lead:
    session_id: int
    recruiter_id: int
    finished_at: datetime | None
    shared_at: datetime
    outcome: str | None
    pathway: str | None
    contact: str | None
    answers: dict[str, Any]


@dataclass(frozen=True)
class LinkStats:
    recruiter_id: int
    agency: str
    name: str
    disabled: bool
    started: int
    finished: int
    likely_eligible: int
    needs_review: int
    shared: int


@dataclass(frozen=True)
class PurgeReport:
    sessions: int
    applicants: int
    cutoff: datetime


def _info(row: Any) -> RecruiterInfo:
    return RecruiterInfo(row.id, row.agency, row.name, row.link_code, row.telegram_user_id, bool(row.disabled),
                         row.created_at)


class Recruiting:
    def __init__(self, store: Store, now: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.now = now

    # --- recruiters ---------------------------------------------------------------------
    def add(self, agency: str, name: str, claim_days: int = 7) -> tuple[RecruiterInfo, str]:
        """A new recruiter and their one-time claim code (shown once, stored only hashed)."""
        claim = "".join(secrets.choice(CLAIM_ALPHABET) for _ in range(CLAIM_LENGTH))
        with self.store._writing() as db:
            row = Recruiter(agency=agency.strip(), name=name.strip(), link_code=secrets.token_urlsafe(LINK_BYTES),
                            claim_code_hash=_hash(claim), claim_expires_at=self.now() + timedelta(days=claim_days),
                            created_at=self.now())
            db.add(row)
            db.flush()
            info = _info(row)
        return info, claim

    def list(self) -> list[RecruiterInfo]:
        with self.store._reading() as db:
            return [_info(r) for r in _query(db, sa.select(Recruiter.__table__).order_by(_R.id)).all()]

    def get(self, recruiter_id: int) -> RecruiterInfo | None:
        with self.store._reading() as db:
            row = _query(db, sa.select(Recruiter.__table__).where(_R.id == recruiter_id)).first()
        return _info(row) if row else None

    def _update(self, recruiter_id: int, **values: Any) -> bool:
        with self.store._writing() as db:
            return db.exec(sa.update(Recruiter.__table__).where(_R.id == recruiter_id).values(**values)).rowcount == 1

    def disable(self, recruiter_id: int) -> bool:
        return self._update(recruiter_id, disabled=True)

    def rotate(self, recruiter_id: int) -> str | None:
        """A new link code; the old one stops attributing at once."""
        code = secrets.token_urlsafe(LINK_BYTES)
        return code if self._update(recruiter_id, link_code=code) else None

    def by_link(self, code: str) -> RecruiterInfo | None:
        """The enabled recruiter a deep-link code belongs to (None for unknown or disabled)."""
        with self.store._reading() as db:
            row = _query(db, sa.select(Recruiter.__table__).where(_R.link_code == code, _R.disabled.is_(False))).first()
        return _info(row) if row else None

    def claim(self, claim_code: str, telegram_user_id: str) -> RecruiterInfo | None:
        """Link a Telegram account with a claim code: single use, expiring, enabled recruiters only."""
        with self.store._writing() as db:
            result = db.exec(
                sa.update(Recruiter.__table__)
                .where(_R.claim_code_hash == _hash(claim_code), _R.claim_expires_at > self.now(),
                       _R.disabled.is_(False), _R.telegram_user_id.is_(None))
                .values(telegram_user_id=telegram_user_id, claim_code_hash=None, claim_expires_at=None)
                .returning(_R.id)
            ).first()
        return self.get(result.id) if result else None

    def for_telegram(self, telegram_user_id: str) -> RecruiterInfo | None:
        with self.store._reading() as db:
            row = _query(db, sa.select(Recruiter.__table__).where(_R.telegram_user_id == telegram_user_id,
                                                                  _R.disabled.is_(False))).first()
        return _info(row) if row else None

    # --- leads and statistics -------------------------------------------------------------
    def leads(self, recruiter_id: int, offset: int = 0, limit: int | None = None) -> list[Lead]:
        """Consented leads, newest first."""
        return self._leads(_S.recruiter_id == recruiter_id, offset, limit)

    def lead(self, session_id: int) -> Lead | None:
        """One session as a lead, if its applicant consented to share it."""
        found = self._leads(_S.id == session_id, 0, 1)
        return found[0] if found else None

    def _leads(self, where: Any, offset: int, limit: int | None) -> list[Lead]:
        query = (sa.select(_S.id, _S.recruiter_id, _S.finished_at, _S.shared_at, _S.outcome, _S.pathway, _S.contact)
                 .where(where, _S.recruiter_id.is_not(None), _S.shared_at.is_not(None))
                 .order_by(_S.shared_at.desc(), _S.id.desc()).offset(offset))
        if limit is not None:
            query = query.limit(limit)
        with self.store._reading() as db:
            rows = _query(db, query).all()
            ids = [r.id for r in rows]
            answers: dict[int, dict[str, Any]] = {i: {} for i in ids}
            if ids:
                for a in _query(db, sa.select(_A.session_id, _A.field, _A.value_json)
                                .where(_A.session_id.in_(ids), _A.superseded_at.is_(None))).all():
                    answers[a.session_id][a.field] = _load_json(a.value_json)
        return [Lead(r.id, r.recruiter_id, r.finished_at, r.shared_at, r.outcome, r.pathway, r.contact, answers[r.id])
                for r in rows]

    def lead_count(self, recruiter_id: int) -> int:
        with self.store._reading() as db:
            return int(_query(db, sa.select(sa.func.count()).where(_S.recruiter_id == recruiter_id,
                                                                    _S.shared_at.is_not(None))).scalar() or 0)

    def stats(self, recruiter_id: int | None = None) -> list[LinkStats]:
        finished = _S.status == STATUS_FINISHED

        def count(condition: Any) -> Any:
            return sa.func.count(sa.case((condition, 1)))

        query = (sa.select(_R.id, _R.agency, _R.name, _R.disabled,
                           count(_S.id.is_not(None)).label("started"),
                           count(finished).label("finished"),
                           count(sa.and_(finished, _S.outcome == "likely_eligible")).label("likely_eligible"),
                           count(sa.and_(finished, _S.outcome == "needs_review")).label("needs_review"),
                           count(_S.shared_at.is_not(None)).label("shared"))
                 .select_from(Recruiter.__table__.outerjoin(ScreeningSession.__table__, _S.recruiter_id == _R.id))
                 .group_by(_R.id, _R.agency, _R.name, _R.disabled).order_by(_R.id))
        if recruiter_id is not None:
            query = query.where(_R.id == recruiter_id)
        with self.store._reading() as db:
            return [LinkStats(r.id, r.agency, r.name, bool(r.disabled), r.started, r.finished, r.likely_eligible,
                              r.needs_review, r.shared) for r in _query(db, query).all()]

    # --- retention ------------------------------------------------------------------------
    def purge(self, days: int) -> PurgeReport:
        """Delete unfinished sessions and unshared results older than `days`; keep shared leads.

        Works in batches, one short transaction each, so a large backlog never holds a long
        lock or a large list in memory. Every row that refers to a purged session goes with it
        (answers, processed-update ids), and the SQLite write-ahead log is emptied afterwards.
        Processed-update ids older than a day go too (Telegram stops redelivering long before that).
        """
        cutoff = self.now() - timedelta(days=days)
        stale = sa.or_(
            sa.and_(_S.status.in_((STATUS_ACTIVE, STATUS_ABANDONED)), _S.updated_at < cutoff),
            sa.and_(_S.status == STATUS_FINISHED, _S.shared_at.is_(None),
                    sa.func.coalesce(_S.finished_at, _S.updated_at) < cutoff),
        )
        sessions = 0
        while True:
            with self.store._writing() as db:
                ids = [r.id for r in _query(db, sa.select(_S.id).where(stale).limit(PURGE_BATCH).with_for_update()).all()]
                if ids:
                    db.exec(sa.delete(ProcessedUpdate.__table__).where(ProcessedUpdate.__table__.c.session_id.in_(ids)))
                    db.exec(sa.delete(Answer.__table__).where(_A.session_id.in_(ids)))
                    db.exec(sa.delete(ScreeningSession.__table__).where(_S.id.in_(ids)))
            sessions += len(ids)
            if len(ids) < PURGE_BATCH:
                break
        with self.store._writing() as db:
            orphans = sa.select(_P.id).where(~sa.exists().where(_S.applicant_id == _P.id))
            applicants = db.exec(sa.delete(Applicant.__table__).where(_P.id.in_(orphans))).rowcount
            db.exec(sa.delete(ProcessedUpdate.__table__).where(
                ProcessedUpdate.__table__.c.processed_at < self.now() - timedelta(days=1)))
        if sessions or applicants:
            self.store.truncate_wal()
        return PurgeReport(sessions, applicants, cutoff)
