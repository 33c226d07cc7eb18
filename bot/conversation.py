"""One turn of the interview for any channel: load, step, commit, and only then reply.

The write carries the session version read at the start; if another worker wrote first,
the turn is recomputed from the fresh state (optimistic concurrency), so an answer is
never lost or applied twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from dialogs.assessment import Assessment
from dialogs.interview import DONE, Event, Flow, Reply, Step, step
from storage import SessionSnapshot, Store, VersionConflict

MAX_RETRIES = 8


@dataclass(frozen=True)
class Turn:
    replies: tuple[Reply, ...]
    flow: Flow
    session: SessionSnapshot | None  # None after "delete"
    assessment: Assessment | None
    previous_state: dict | None = None  # the channel state before this turn


StateUpdate = Callable[[SessionSnapshot, Step], dict]


class Conversation:
    def __init__(self, store: Store, channel: str, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.channel = channel
        self.today = today

    def load(self, user_id: str) -> tuple[SessionSnapshot, Flow]:
        session = self.store.open_session(self.channel, user_id)
        return session, Flow.load(session.answers, session.channel_state)

    def handle(self, user_id: str, event: Event, *, state_update: StateUpdate | None = None) -> Turn:
        for _ in range(MAX_RETRIES):
            session, flow = self.load(user_id)
            result = step(flow, event, self.today())
            extra = state_update(session, result) if state_update else {}
            try:
                return self._commit(user_id, session, result, extra)
            except VersionConflict:
                continue
        raise VersionConflict(session.id, session.version, -1)

    def remember(self, session: SessionSnapshot, state: dict) -> None:
        """Channel bookkeeping after sending (which message holds the keyboard); losing it is harmless."""
        try:
            self.store.write(session.id, session.version, channel_state={**session.channel_state, **state})
        except VersionConflict:
            pass  # a newer turn already moved on

    def _commit(self, user_id: str, session: SessionSnapshot, result: Step, extra_state: dict) -> Turn:
        if result.delete:
            self.store.delete_applicant(self.channel, user_id)
            return Turn(result.replies, result.flow, None, None, session.channel_state)
        if result.restart:
            fresh = self.store.start_session(self.channel, user_id, referral_code=session.referral_code)
            saved = self.store.write(fresh.id, fresh.version, channel_state={**result.flow.state(), **extra_state})
            return Turn(result.replies, result.flow, saved, None, session.channel_state)
        a = result.assessment
        status = "finished" if result.flow.phase == DONE else "active"
        saved = self.store.write(
            session.id, session.version,
            set_answers=result.set_answers, clear=result.clear,
            status=status if status != session.status else None,
            channel_state={**session.channel_state, **result.flow.state(), **extra_state},
            outcome=a.outcome if a else None, pathway=(a.pathway or "") if a else None,
        )
        return Turn(result.replies, result.flow, saved, a, session.channel_state)
