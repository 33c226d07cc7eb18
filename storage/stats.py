"""What each recruiter link (and each agency) brought: screenings started and finished through
it, their outcomes, the leads currently shared, and how far the recruiters took them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa

from storage.models import AGENCY_TABLE, LEAD_STATUSES, LEAD_TABLE, RECRUITER_TABLE, SESSION_TABLE, STATUS_FINISHED
from storage.store import Store, fetch

_R = RECRUITER_TABLE.c
_G = AGENCY_TABLE.c
_S = SESSION_TABLE.c
_L = LEAD_TABLE.c


@dataclass(frozen=True)
class Counts:
    started: int = 0
    finished: int = 0
    likely_eligible: int = 0
    needs_review: int = 0
    shared: int = 0  # leads shared now (withdrawn ones are gone)
    new: int = 0
    contacted: int = 0
    applied: int = 0
    hired: int = 0
    not_a_fit: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Counts)))


@dataclass(frozen=True)
class LinkStats:
    recruiter_id: int
    agency_id: int
    agency: str
    name: str
    disabled: bool
    counts: Counts


@dataclass(frozen=True)
class AgencyStats:
    agency_id: int
    agency: str
    recruiters: int
    counts: Counts


def _count(condition: Any) -> Any:
    return sa.func.count(sa.case((condition, 1)))


def link_stats(store: Store, recruiter_id: int | None = None, agency_id: int | None = None) -> list[LinkStats]:
    finished = _S.status == STATUS_FINISHED
    sessions = (
        sa.select(
            _S.recruiter_id.label("rid"),
            sa.func.count().label("started"),
            _count(finished).label("finished"),
            _count(sa.and_(finished, _S.outcome == "likely_eligible")).label("likely_eligible"),
            _count(sa.and_(finished, _S.outcome == "needs_review")).label("needs_review"),
        )
        .where(_S.recruiter_id.is_not(None))
        .group_by(_S.recruiter_id)
        .subquery()
    )
    leads = (
        sa.select(
            _L.recruiter_id.label("rid"),
            sa.func.count().label("shared"),
            *(_count(_L.status == s).label(s) for s in LEAD_STATUSES),
        )
        .group_by(_L.recruiter_id)
        .subquery()
    )
    query = (
        sa.select(
            _R.id,
            _R.agency_id,
            _G.name.label("agency"),
            _R.name,
            _R.disabled,
            *(
                sa.func.coalesce(sessions.c[c], 0).label(c)
                for c in ("started", "finished", "likely_eligible", "needs_review")
            ),
            *(sa.func.coalesce(leads.c[c], 0).label(c) for c in ("shared", *LEAD_STATUSES)),
        )
        .join(AGENCY_TABLE, _G.id == _R.agency_id)
        .outerjoin(sessions, sessions.c.rid == _R.id)
        .outerjoin(leads, leads.c.rid == _R.id)
        .order_by(_R.id)
    )
    if recruiter_id is not None:
        query = query.where(_R.id == recruiter_id)
    if agency_id is not None:
        query = query.where(_R.agency_id == agency_id)
    with store.reading() as db:
        rows = fetch(db, query).all()
    return [
        LinkStats(
            r.id,
            r.agency_id,
            r.agency,
            r.name,
            bool(r.disabled),
            Counts(*(int(getattr(r, f.name)) for f in fields(Counts))),
        )
        for r in rows
    ]


def agency_stats(store: Store, agency_id: int | None = None) -> list[AgencyStats]:
    """Each agency as a whole: the sum over its recruiters (disabled ones included)."""
    totals: dict[int, AgencyStats] = {}
    for link in link_stats(store, agency_id=agency_id):
        before = totals.get(link.agency_id, AgencyStats(link.agency_id, link.agency, 0, Counts()))
        totals[link.agency_id] = AgencyStats(
            link.agency_id, link.agency, before.recruiters + 1, before.counts + link.counts
        )
    return list(totals.values())
