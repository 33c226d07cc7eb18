"""One turn of the interview for any channel: load, step, commit, and only then reply.

The write carries the session version read at the start; if another worker wrote first,
the turn is recomputed from the fresh state (optimistic concurrency), so an answer is
never lost or applied twice.

The snapshot this process last wrote (or read) for an applicant is kept in a small LRU
and used as the starting point of the next turn, which saves the reading query when the
same worker handles the applicant's next update. It is only a guess: the version check
rejects it if anyone wrote since (VersionConflict, then the turn is recomputed from a
fresh read, as before). Only *active* sessions are kept: an active session cannot stop
being the applicant's current one without a write that bumps its version (start_session
abandons it) or its deletion (SessionNotFound, also recomputed); a finished one can (a
restart elsewhere starts a newer session without touching it), so it is always re-read.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable

from dialogs.assessment import Assessment
from dialogs.interview import DONE, Command, Event, Flow, Reply, Step, step
from storage import AlreadyProcessed, SessionNotFound, SessionSnapshot, Store, VersionConflict

MAX_RETRIES = 8
RECENT_ASKS = 5  # prompts whose keyboards stay valid while their question is still the current one
RECENT_SESSIONS = 1024  # snapshots kept per process (bounded: memory does not grow with users)


@dataclass(frozen=True)
class Turn:
    replies: tuple[Reply, ...]
    flow: Flow
    session: SessionSnapshot | None  # None after "delete"
    assessment: Assessment | None
    previous_state: dict | None = None  # the channel state before this turn
    share: tuple[bool, str | None] | None = None  # consent (and contact) recorded in this turn


StateUpdate = Callable[[SessionSnapshot, Step], dict]
EventFor = Callable[[SessionSnapshot, Flow], Event | None]  # an event judged on the session it will apply to


def next_ask(session: SessionSnapshot, result: Step) -> dict:
    """A state update giving each prompt a new token ("ask"), so an answer meant for an older
    prompt, from another window or an old keyboard, can be recognised and not applied. The
    question each recent token asked is remembered ("asked"): a keyboard shown again for the
    question still being asked stays usable."""
    token = int(session.channel_state.get("ask", 0)) + 1
    question = next((r.question.id for r in reversed(result.replies)
                     if r.kind in ("question", "reask") and r.question is not None), None)
    asked = {k: v for k, v in (session.channel_state.get("asked") or {}).items() if int(k) > token - RECENT_ASKS}
    asked[str(token)] = question
    return {"ask": token, "asked": asked}


class Conversation:
    def __init__(self, store: Store, channel: str, today: Callable[[], date] = date.today,
                 recruiter_name: Callable[[int], str | None] = lambda recruiter_id: None, *,
                 recent_sessions: int = RECENT_SESSIONS) -> None:
        self.store = store
        self.channel = channel
        self.today = today
        self.recruiter_name = recruiter_name
        self._recent: OrderedDict[str, SessionSnapshot] = OrderedDict()
        self._recent_size = recent_sessions
        self._lock = threading.Lock()

    # --- the recent-snapshot guess -------------------------------------------------------
    def _keep(self, user_id: str, session: SessionSnapshot | None) -> None:
        with self._lock:
            if session is None or not session.is_active or self._recent_size <= 0:
                self._recent.pop(user_id, None)
                return
            self._recent[user_id] = session
            self._recent.move_to_end(user_id)
            while len(self._recent) > self._recent_size:
                self._recent.popitem(last=False)

    def _guess(self, user_id: str) -> SessionSnapshot | None:
        with self._lock:
            return self._recent.get(user_id)

    # --- turns -------------------------------------------------------------------------
    def load(self, user_id: str) -> tuple[SessionSnapshot, Flow]:
        """The applicant's current session, read from the database (never a guess)."""
        session = self.store.open_session(self.channel, user_id)
        self._keep(user_id, session)
        return session, self._flow(session)

    def peek(self, user_id: str) -> SessionSnapshot | None:
        """The applicant's session as this process last saw it, else as stored (None if none):
        for a quick look before a turn (whether a tap is stale), never for writing."""
        return self._guess(user_id) or self.store.current_session(self.channel, user_id)

    def current(self, user_id: str) -> SessionSnapshot | None:
        """The applicant's current session, if any (read only: nothing is created)."""
        return self.store.current_session(self.channel, user_id)

    def begin(self, user_id: str, *, fresh: bool = False, referral_code: str | None = None,
              recruiter_id: int | None = None, state_update: StateUpdate | None = None) -> Turn | None:
        """The /start turn. `fresh` starts a new screening (the old one is kept as abandoned);
        a referral starts one attributed to that recruiter when the applicant has no answers yet."""
        current = self.store.current_session(self.channel, user_id)
        attribute = referral_code is not None and (current is None or (not current.answers and
                                                                       current.recruiter_id is None))
        if fresh or attribute:
            self.store.start_session(self.channel, user_id, referral_code=referral_code,
                                     recruiter_id=recruiter_id)
            self._keep(user_id, None)
        return self.handle(user_id, Command("start"), state_update=state_update)

    def _flow(self, session: SessionSnapshot) -> Flow:
        recruiter = self.recruiter_name(session.recruiter_id) if session.recruiter_id else None
        return Flow.load(session.answers, session.channel_state, recruiter)

    def handle(self, user_id: str, event: Event | EventFor, *, state_update: StateUpdate | None = None,
               update_id: int | None = None) -> Turn | None:
        """One turn; None when there is nothing to do: the update was applied before
        (`update_id` seen), or `event` (a function of the fresh session) finds it stale."""
        session = self._guess(user_id)
        for _ in range(MAX_RETRIES):
            guessed = session is not None
            if session is None:
                session = self.store.open_session(self.channel, user_id)
            flow = self._flow(session)
            current = event(session, flow) if callable(event) else event
            if current is None:
                if guessed:
                    session = None  # judge staleness on a fresh read, never on a guess
                    continue
                return None
            result = step(flow, current, self.today())
            extra = state_update(session, result) if state_update else {}
            try:
                turn = self._commit(user_id, session, result, extra, update_id)
            except VersionConflict:
                session = None
                continue
            except AlreadyProcessed:
                self._keep(user_id, None)
                return None
            except SessionNotFound:
                if not guessed:
                    raise
                session = None  # the guessed session was deleted meanwhile: read afresh
                continue
            self._keep(user_id, turn.session)
            return turn
        self._keep(user_id, None)
        raise VersionConflict(session.id if session else -1, session.version if session else -1, -1)

    def remember(self, session: SessionSnapshot, state: dict) -> None:
        """Channel bookkeeping after sending (which message holds the keyboard); losing it is harmless.

        For an active session it is kept in this process's snapshot only and reaches the
        database with the next turn's commit, which saves a transaction per update. If the next
        update lands on another worker or after a restart, that worker cannot remove the old
        keyboard, but a tap on it is still refused by its spent token.
        """
        user_id = session.channel_user_id
        if all(session.channel_state.get(k) == v for k, v in state.items()):
            return  # nothing new to remember
        if session.is_active:
            self._keep(user_id, replace(session, channel_state={**session.channel_state, **state}))
            return
        try:
            saved = self.store.write(session.id, session.version, channel_state={**session.channel_state, **state})
        except (VersionConflict, SessionNotFound):
            self._keep(user_id, None)
            return  # a newer turn already moved on
        self._keep(user_id, saved)

    def _commit(self, user_id: str, session: SessionSnapshot, result: Step, extra_state: dict,
                update_id: int | None) -> Turn:
        if result.delete:
            self.store.delete_applicant(self.channel, user_id)
            return Turn(result.replies, result.flow, None, None, session.channel_state)
        if result.restart:
            fresh = self.store.start_session(self.channel, user_id, referral_code=session.referral_code,
                                             recruiter_id=session.recruiter_id)
            saved = self.store.write(fresh.id, fresh.version, channel_state={**result.flow.state(), **extra_state},
                                     update_id=update_id)
            return Turn(result.replies, result.flow, saved, None, session.channel_state)
        a = result.assessment
        status = "finished" if result.flow.phase == DONE else "active"
        saved = self.store.write(
            session.id, session.version,
            set_answers=result.set_answers, clear=result.clear,
            status=status if status != session.status else None,
            channel_state={**session.channel_state, **result.flow.state(), **extra_state},
            outcome=a.outcome if a else None, pathway=(a.pathway or "") if a else None,
            share=result.share[0] if result.share else None, contact=result.share[1] if result.share else None,
            update_id=update_id,
        )
        return Turn(result.replies, result.flow, saved, a, session.channel_state, result.share)
