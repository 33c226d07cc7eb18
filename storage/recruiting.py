"""Agencies and their recruiters: links, one-time claim codes, and the recruiter's lifecycle.

A recruiter record is created by an administrator (`lateral-screener recruiter add`); its
link code goes into the deep link applicants open, and its claim code (shown once, stored
hashed) links a Telegram account to it. Records are disabled, never deleted, so that the
leads and statistics they gathered keep their owner. Wrong claim codes are limited per
Telegram user and logged: a guess costs an attempt, and after a few an hour only a read.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from storage.models import AGENCY_TABLE, CLAIM_ATTEMPT_TABLE, RECRUITER_TABLE, Agency, Recruiter, utcnow
from storage.store import Store, fetch

log = logging.getLogger(__name__)

_R = RECRUITER_TABLE.c
_G = AGENCY_TABLE.c
_C = CLAIM_ATTEMPT_TABLE.c

CLAIM_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to read aloud
CLAIM_LENGTH = 12  # 12 symbols of 30: about 59 bits, single use and expiring
CLAIM_DAYS = 7  # a claim code's validity
LINK_BYTES = 12  # token_urlsafe(12): 16 characters of A-Za-z0-9_-, 96 bits
CLAIM_ATTEMPTS_PER_HOUR = 5  # wrong claim codes a Telegram user may send in an hour

LINKED, ALREADY_LINKED, INVALID, LIMITED = "linked", "already_linked", "invalid", "limited"


def _hash(claim_code: str) -> str:
    return hashlib.sha256(normalise_claim(claim_code).encode()).hexdigest()


def normalise_claim(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_claim(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _new_claim() -> str:
    return "".join(secrets.choice(CLAIM_ALPHABET) for _ in range(CLAIM_LENGTH))


@dataclass(frozen=True)
class RecruiterInfo:
    id: int
    agency_id: int
    agency: str
    name: str
    link_code: str
    telegram_user_id: str | None
    disabled: bool
    created_at: datetime
    claim_expires_at: datetime | None  # set while a claim code is outstanding
    agency_admin: bool = False  # sees all the agency's leads on the dashboard

    def claim_status(self, now: datetime) -> str:
        """ "linked", "code_pending", "code_expired" or "no_code" (README: recruiter list)."""
        if self.telegram_user_id:
            return "linked"
        if self.claim_expires_at is None:
            return "no_code"
        return "code_pending" if self.claim_expires_at > now else "code_expired"


@dataclass(frozen=True)
class AgencyInfo:
    id: int
    name: str


@dataclass(frozen=True)
class ClaimResult:
    outcome: str  # LINKED, ALREADY_LINKED, INVALID or LIMITED
    recruiter: RecruiterInfo | None = None  # LINKED: the record now linked; ALREADY_LINKED: the one it is


_SELECT = sa.select(
    _R.id,
    _R.agency_id,
    _G.name.label("agency"),
    _R.name,
    _R.link_code,
    _R.telegram_user_id,
    _R.disabled,
    _R.created_at,
    _R.claim_expires_at,
    _R.agency_admin,
).join(AGENCY_TABLE, _G.id == _R.agency_id)


def _info(row: Any) -> RecruiterInfo:
    return RecruiterInfo(
        row.id,
        row.agency_id,
        row.agency,
        row.name,
        row.link_code,
        row.telegram_user_id,
        bool(row.disabled),
        row.created_at,
        row.claim_expires_at,
        bool(row.agency_admin),
    )


class Recruiting:
    def __init__(self, store: Store, now: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.now = now

    # --- agencies ---------------------------------------------------------------------------
    @staticmethod
    def _agency_id(db: Session, name: str) -> int:
        """The agency of that name (spaces and case as typed the first time), created if new."""
        clean = " ".join(name.split())
        found = fetch(db, sa.select(_G.id).where(sa.func.lower(_G.name) == clean.lower())).scalar()
        if found is not None:
            return int(found)
        agency = Agency(name=clean)
        db.add(agency)
        db.flush()
        assert agency.id is not None
        return agency.id

    def agencies(self) -> list[AgencyInfo]:
        with self.store.reading() as db:
            return [AgencyInfo(r.id, r.name) for r in fetch(db, sa.select(_G.id, _G.name).order_by(_G.id)).all()]

    def find_agency(self, key: str) -> AgencyInfo | None:
        """By id or by name (case and spacing ignored)."""
        key = " ".join(key.split())
        where = _G.id == int(key) if key.isdigit() else sa.func.lower(_G.name) == key.lower()
        with self.store.reading() as db:
            row = fetch(db, sa.select(_G.id, _G.name).where(where)).first()
        return AgencyInfo(row.id, row.name) if row else None

    # --- recruiters -------------------------------------------------------------------------
    def add(self, agency: str, name: str, claim_days: int = CLAIM_DAYS) -> tuple[RecruiterInfo, str]:
        """A new recruiter and their one-time claim code (shown once, stored only hashed)."""
        claim = _new_claim()
        with self.store.writing() as db:
            row = Recruiter(
                agency_id=self._agency_id(db, agency),
                name=" ".join(name.split()),
                link_code=secrets.token_urlsafe(LINK_BYTES),
                claim_code_hash=_hash(claim),
                claim_expires_at=self.now() + timedelta(days=claim_days),
                created_at=self.now(),
            )
            db.add(row)
            db.flush()
            info = self._get(db, _R.id == row.id)
        assert info is not None
        return info, claim

    @staticmethod
    def _get(db: Session, where: Any) -> RecruiterInfo | None:
        row = fetch(db, _SELECT.where(where)).first()
        return _info(row) if row else None

    def list(self, agency_id: int | None = None) -> list[RecruiterInfo]:
        query = _SELECT.order_by(_R.id)
        if agency_id is not None:
            query = query.where(_R.agency_id == agency_id)
        with self.store.reading() as db:
            return [_info(r) for r in fetch(db, query).all()]

    def get(self, recruiter_id: int) -> RecruiterInfo | None:
        with self.store.reading() as db:
            return self._get(db, _R.id == recruiter_id)

    def by_link(self, code: str) -> RecruiterInfo | None:
        """The enabled recruiter a deep-link code belongs to (None for unknown or disabled)."""
        with self.store.reading() as db:
            return self._get(db, sa.and_(_R.link_code == code, _R.disabled.is_(False)))

    def for_telegram(self, telegram_user_id: str) -> RecruiterInfo | None:
        """The enabled recruiter record this Telegram account is linked to."""
        with self.store.reading() as db:
            return self._get(db, sa.and_(_R.telegram_user_id == telegram_user_id, _R.disabled.is_(False)))

    def _update(self, recruiter_id: int, **values: Any) -> RecruiterInfo | None:
        with self.store.writing() as db:
            if db.exec(sa.update(RECRUITER_TABLE).where(_R.id == recruiter_id).values(**values)).rowcount != 1:
                return None
            return self._get(db, _R.id == recruiter_id)

    def disable(self, recruiter_id: int) -> RecruiterInfo | None:
        """Their link stops attributing and they stop seeing leads; their leads are kept."""
        return self._update(recruiter_id, disabled=True)

    def enable(self, recruiter_id: int) -> RecruiterInfo | None:
        return self._update(recruiter_id, disabled=False)

    def unlink(self, recruiter_id: int) -> RecruiterInfo | None:
        """The Telegram account no longer receives this record's leads (a lost phone, a
        colleague who left); `reissue_code` lets the right account claim it again."""
        return self._update(recruiter_id, telegram_user_id=None)

    def rename(self, recruiter_id: int, name: str | None = None, agency: str | None = None) -> RecruiterInfo | None:
        """A new name, or a move to another agency (created if new); leads stay with the recruiter."""
        with self.store.writing() as db:
            if self._get(db, _R.id == recruiter_id) is None:
                return None
            values: dict[str, Any] = {}
            if name is not None:
                values["name"] = " ".join(name.split())
            if agency is not None:
                values["agency_id"] = self._agency_id(db, agency)
            if values:
                db.exec(sa.update(RECRUITER_TABLE).where(_R.id == recruiter_id).values(**values))
            return self._get(db, _R.id == recruiter_id)

    def set_admin(self, recruiter_id: int, admin: bool) -> RecruiterInfo | None:
        """An agency admin sees every lead of their agency on the dashboard (and its statistics)."""
        return self._update(recruiter_id, agency_admin=admin)

    def rotate(self, recruiter_id: int) -> RecruiterInfo | None:
        """A new link code; the old one stops attributing at once."""
        return self._update(recruiter_id, link_code=secrets.token_urlsafe(LINK_BYTES))

    def reissue_code(self, recruiter_id: int, claim_days: int = CLAIM_DAYS) -> tuple[RecruiterInfo, str] | None:
        """A new one-time claim code (the old one stops working). Claiming it links the Telegram
        account that sends it, replacing any account linked before."""
        claim = _new_claim()
        info = self._update(
            recruiter_id, claim_code_hash=_hash(claim), claim_expires_at=self.now() + timedelta(days=claim_days)
        )
        return (info, claim) if info else None

    # --- claiming ---------------------------------------------------------------------------
    def claim(self, claim_code: str, telegram_user_id: str) -> ClaimResult:
        """Link a Telegram account with a claim code: single use, expiring, enabled records only.

        An account already linked to an enabled record is told so (nothing else happens). A
        disabled record's link to the account is released when it claims a new record. Each
        wrong code is recorded; after CLAIM_ATTEMPTS_PER_HOUR in an hour, codes are not even
        checked until the hour has passed."""
        now = self.now()
        with self.store.writing() as db:
            mine = self._get(db, sa.and_(_R.telegram_user_id == telegram_user_id, _R.disabled.is_(False)))
            if mine is not None:
                return ClaimResult(ALREADY_LINKED, mine)
            failures = int(
                fetch(
                    db,
                    sa.select(sa.func.count()).where(
                        _C.telegram_user_id == telegram_user_id,
                        _C.succeeded.is_(False),
                        _C.attempted_at > now - timedelta(hours=1),
                    ),
                ).scalar()
                or 0
            )
            if failures >= CLAIM_ATTEMPTS_PER_HOUR:
                log.debug("claim attempt by Telegram user %s refused: limit reached", telegram_user_id)
                return ClaimResult(LIMITED)
            target = fetch(
                db,
                sa.select(_R.id).where(
                    _R.claim_code_hash == _hash(claim_code), _R.claim_expires_at > now, _R.disabled.is_(False)
                ),
            ).scalar()
            db.exec(
                sa.insert(CLAIM_ATTEMPT_TABLE).values(
                    telegram_user_id=telegram_user_id, attempted_at=now, succeeded=target is not None
                )
            )
            if target is None:
                log.warning(
                    "wrong claim code from Telegram user %s (%d of %d this hour)",
                    telegram_user_id,
                    failures + 1,
                    CLAIM_ATTEMPTS_PER_HOUR,
                )
                return ClaimResult(INVALID)
            db.exec(
                sa.update(RECRUITER_TABLE).where(_R.telegram_user_id == telegram_user_id).values(telegram_user_id=None)
            )  # a disabled record of theirs lets go
            db.exec(
                sa.update(RECRUITER_TABLE)
                .where(_R.id == target)
                .values(telegram_user_id=telegram_user_id, claim_code_hash=None, claim_expires_at=None)
            )
            linked = self._get(db, _R.id == target)
        log.info("Telegram user %s linked to recruiter %s", telegram_user_id, target)
        return ClaimResult(LINKED, linked)
