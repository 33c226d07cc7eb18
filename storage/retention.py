"""How long things are kept (README: "Retention").

* Screenings nobody shared are deleted `days` after their last activity (RETENTION_DAYS),
  finished or not; a screening a lead carries is kept while the lead is.
* A lead is deleted `lead_days` after the applicant last chose to share it
  (LEAD_RETENTION_DAYS), unless they withdrew it or deleted their data earlier.
* An applicant with nothing left is deleted too.

Works in batches, one short transaction each, so a large backlog never holds a long lock or
a large list in memory. Every row that refers to a purged session goes with it (answers,
processed-update ids), and the SQLite write-ahead log is emptied afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from storage.models import ANSWER_TABLE, APPLICANT_TABLE, LEAD_TABLE, PROCESSED_TABLE, SESSION_TABLE, utcnow
from storage.store import Store, fetch

_S = SESSION_TABLE.c
_A = ANSWER_TABLE.c
_P = APPLICANT_TABLE.c
_L = LEAD_TABLE.c
_U = PROCESSED_TABLE.c
BATCH = 500
UPDATE_IDS_KEPT = timedelta(days=1)  # Telegram stops redelivering an update long before that


@dataclass(frozen=True)
class PurgeReport:
    sessions: int
    leads: int
    applicants: int
    cutoff: datetime
    lead_cutoff: datetime


def purge(store: Store, days: int, lead_days: int, now: Callable[[], datetime] = utcnow) -> PurgeReport:
    if days < 1 or lead_days < 1:
        raise ValueError("retention periods are whole numbers of days >= 1")
    cutoff = now() - timedelta(days=days)
    lead_cutoff = now() - timedelta(days=lead_days)
    leads = _in_batches(
        store,
        sa.select(_L.id).where(_L.shared_at < lead_cutoff),
        lambda db, ids: db.exec(sa.delete(LEAD_TABLE).where(_L.id.in_(ids))),
    )
    carried = sa.exists().where(_L.session_id == _S.id)

    def delete_sessions(db: Any, ids: list[int]) -> None:
        db.exec(sa.delete(PROCESSED_TABLE).where(_U.session_id.in_(ids)))
        db.exec(sa.delete(ANSWER_TABLE).where(_A.session_id.in_(ids)))
        db.exec(sa.delete(SESSION_TABLE).where(_S.id.in_(ids)))

    sessions = _in_batches(store, sa.select(_S.id).where(_S.updated_at < cutoff, ~carried), delete_sessions)
    with store.writing() as db:
        orphans = sa.select(_P.id).where(
            ~sa.exists().where(_S.applicant_id == _P.id), ~sa.exists().where(_L.applicant_id == _P.id)
        )
        applicants = db.exec(sa.delete(APPLICANT_TABLE).where(_P.id.in_(orphans))).rowcount
        db.exec(sa.delete(PROCESSED_TABLE).where(_U.processed_at < now() - UPDATE_IDS_KEPT))
    if sessions or leads or applicants:
        store.truncate_wal()
    return PurgeReport(sessions, leads, applicants, cutoff, lead_cutoff)


def _in_batches(store: Store, select_ids: sa.Select[Any], delete: Callable[[Any, list[int]], Any]) -> int:
    total = 0
    while True:
        with store.writing() as db:
            ids = [r[0] for r in fetch(db, select_ids.limit(BATCH).with_for_update()).all()]
            if ids:
                delete(db, ids)
        total += len(ids)
        if len(ids) < BATCH:
            return total
