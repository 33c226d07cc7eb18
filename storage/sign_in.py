"""Dashboard sign-in: one-time links and browser sessions, both stored only as token hashes.

A link is single use (redeeming it is one conditional UPDATE, so two workers cannot both
accept it), valid LINK_MINUTES, and works only while its recruiter is enabled. A session
lasts SESSION_HOURS and ends at sign-out or when the recruiter is disabled. Refused links are
recorded per client (a keyed hash the web layer gives, never the address itself); after
FAILURES_ALLOWED in FAILURE_WINDOW, links from that client are not even looked at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from storage.models import (
    AGENCY_TABLE,
    RECRUITER_TABLE,
    SIGN_IN_FAILURE_TABLE,
    SIGN_IN_LINK_TABLE,
    WEB_SESSION_TABLE,
    utcnow,
)
from storage.store import Store, fetch

LINK_MINUTES = 15
SESSION_HOURS = 12
FAILURES_ALLOWED = 10
FAILURE_WINDOW = timedelta(minutes=15)

SIGNED_IN, UNKNOWN, EXPIRED, USED, LIMITED = "signed_in", "unknown", "expired", "used", "limited"
VALID = "valid"

_K = SIGN_IN_LINK_TABLE.c
_W = WEB_SESSION_TABLE.c
_F = SIGN_IN_FAILURE_TABLE.c
_R = RECRUITER_TABLE.c
_G = AGENCY_TABLE.c


@dataclass(frozen=True)
class Viewer:
    """Who a dashboard page is for: a recruiter, and the agency whose leads an admin sees."""

    recruiter_id: int
    name: str
    agency_id: int
    agency: str
    agency_admin: bool


class SignIns:
    def __init__(self, store: Store, now: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.now = now

    def issue_link(self, recruiter_id: int, token_hash: str) -> datetime | None:
        """Record a link for an enabled recruiter; its expiry, or None (unknown or disabled)."""
        now = self.now()
        with self.store.writing() as db:
            enabled = fetch(db, sa.select(_R.id).where(_R.id == recruiter_id, _R.disabled.is_(False))).scalar()
            if enabled is None:
                return None
            self._forget_old(db, now)
            expires = now + timedelta(minutes=LINK_MINUTES)
            db.exec(
                sa.insert(SIGN_IN_LINK_TABLE).values(
                    recruiter_id=recruiter_id, token_hash=token_hash, expires_at=expires, created_at=now
                )
            )
        return expires

    @staticmethod
    def _forget_old(db: Session, now: datetime) -> None:
        """Links, sessions and failures a day past use: nothing left to check them against."""
        day_ago = now - timedelta(days=1)
        db.exec(sa.delete(SIGN_IN_LINK_TABLE).where(_K.expires_at < day_ago))
        db.exec(sa.delete(WEB_SESSION_TABLE).where(_W.expires_at < day_ago))
        db.exec(sa.delete(SIGN_IN_FAILURE_TABLE).where(_F.attempted_at < day_ago))

    def _limited(self, db: Session, client: str, now: datetime) -> bool:
        failures = fetch(
            db,
            sa.select(sa.func.count()).where(_F.client == client, _F.attempted_at > now - FAILURE_WINDOW),
        ).scalar()
        return int(failures or 0) >= FAILURES_ALLOWED

    def check_link(self, token_hash: str, client: str) -> str:
        """VALID, or why not (UNKNOWN, EXPIRED, USED, LIMITED), without using the link; a refusal
        counts against the client."""
        now = self.now()
        with self.store.writing() as db:
            if self._limited(db, client, now):
                return LIMITED
            row = fetch(
                db,
                sa.select(_K.expires_at, _K.used_at, _R.disabled)
                .join(RECRUITER_TABLE, _R.id == _K.recruiter_id)
                .where(_K.token_hash == token_hash),
            ).first()
            if row is None or row.disabled:
                outcome = UNKNOWN
            elif row.used_at is not None:
                outcome = USED
            elif row.expires_at <= now:
                outcome = EXPIRED
            else:
                return VALID
            db.exec(sa.insert(SIGN_IN_FAILURE_TABLE).values(client=client, attempted_at=now))
            return outcome

    def redeem(self, token_hash: str, client: str, session_hash: str) -> str:
        """Use the link: SIGNED_IN (a session with `session_hash` now exists) or why not."""
        outcome = self.check_link(token_hash, client)
        if outcome != VALID:
            return outcome
        now = self.now()
        with self.store.writing() as db:
            taken = db.exec(
                sa.update(SIGN_IN_LINK_TABLE)
                .where(_K.token_hash == token_hash, _K.used_at.is_(None), _K.expires_at > now)
                .values(used_at=now)
                .returning(_K.recruiter_id)
            ).scalar()
            if taken is None:  # another request used it in between
                db.exec(sa.insert(SIGN_IN_FAILURE_TABLE).values(client=client, attempted_at=now))
                return USED
            db.exec(
                sa.insert(WEB_SESSION_TABLE).values(
                    recruiter_id=taken,
                    token_hash=session_hash,
                    expires_at=now + timedelta(hours=SESSION_HOURS),
                    created_at=now,
                )
            )
        return SIGNED_IN

    def viewer(self, session_hash: str) -> Viewer | None:
        """The recruiter of a live session (enabled, not expired), else None."""
        query = (
            sa.select(_R.id, _R.name, _R.agency_id, _G.name.label("agency"), _R.agency_admin)
            .select_from(WEB_SESSION_TABLE)
            .join(RECRUITER_TABLE, _R.id == _W.recruiter_id)
            .join(AGENCY_TABLE, _G.id == _R.agency_id)
            .where(_W.token_hash == session_hash, _W.expires_at > self.now(), _R.disabled.is_(False))
        )
        with self.store.reading() as db:
            row = fetch(db, query).first()
        return Viewer(row.id, row.name, row.agency_id, row.agency, bool(row.agency_admin)) if row else None

    def sign_out(self, session_hash: str) -> None:
        with self.store.writing() as db:
            db.exec(sa.delete(WEB_SESSION_TABLE).where(_W.token_hash == session_hash))
