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

The write is based on the snapshot the turn stepped from (``Store.write(base=...)``): the
version check proves it current, so the new snapshot is built without reading it back.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot.render import say
from dialogs.assessment import Assessment
from dialogs.interview import (
    DONE,
    EARLIER,
    REFERRED,
    REFRESH,
    SHARE,
    THIS,
    WITHDRAW,
    Command,
    Event,
    Flow,
    LeadChange,
    Reply,
    Step,
    step,
)
from storage import AlreadyProcessed, RecruiterRef, SessionNotFound, SessionSnapshot, Store, VersionConflict
from storage.leads import UPDATED, LeadEvent, SharedResult, refresh_leads, share_lead, withdraw_leads
from storage.models import utcnow
from storage.recruiting import Recruiting

LINK_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # a recruiter's link code (a Telegram deep-link payload)
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
    lead_events: tuple[LeadEvent, ...] = ()  # what the recruiters are to be told (committed with the turn)


@dataclass(frozen=True)
class Referral:
    """A recruiter's link the applicant opened (its code, and the enabled recruiter it names)."""

    code: str
    recruiter: RecruiterRef


def referral_for(recruiting: Recruiting, code: str | None) -> Referral | None:
    """The referral a recruiter's link code stands for, in every channel (a Telegram deep link,
    a web address): None for a missing, malformed, unknown, rotated or disabled code, which
    starts a normal screening."""
    info = recruiting.by_link(code) if code and LINK_CODE.match(code) else None
    if info is None or code is None:
        return None
    return Referral(code, RecruiterRef(info.id, info.name, info.agency, info.disabled))


StateUpdate = Callable[[SessionSnapshot, Step], dict]
EventFor = Callable[[SessionSnapshot, Flow], Event | None]  # an event judged on the session it will apply to


def next_ask(session: SessionSnapshot, result: Step) -> dict:
    """A state update giving each prompt a new token ("ask"), so an answer meant for an older
    prompt, from another window or an old keyboard, can be recognised and not applied. The
    question each recent token asked is remembered ("asked"): a keyboard shown again for the
    question still being asked stays usable."""
    token = int(session.channel_state.get("ask", 0)) + 1
    question = next(
        (r.question.id for r in reversed(result.replies) if r.kind in ("question", "reask") and r.question is not None),
        None,
    )
    asked = {k: v for k, v in (session.channel_state.get("asked") or {}).items() if int(k) > token - RECENT_ASKS}
    asked[str(token)] = question
    return {"ask": token, "asked": asked}


class Conversation:
    def __init__(
        self,
        store: Store,
        channel: str,
        today: Callable[[], date] = date.today,
        *,
        recent_sessions: int = RECENT_SESSIONS,
    ) -> None:
        self.store = store
        self.channel = channel
        self.today = today
        self._recent: OrderedDict[str, SessionSnapshot] = OrderedDict()
        # channel bookkeeping of finished sessions, by applicant: (session id, version, state)
        self._pending: OrderedDict[str, tuple[int, int, dict]] = OrderedDict()
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

    def _with_pending(self, user_id: str, session: SessionSnapshot) -> SessionSnapshot:
        """A session read from the database, with the bookkeeping remembered for it at exactly
        this version (so nobody wrote since): it reaches the database with this turn's commit."""
        with self._lock:
            pending = self._pending.pop(user_id, None)
        if pending is None or pending[:2] != (session.id, session.version):
            return session
        return replace(session, channel_state={**session.channel_state, **pending[2]})

    # --- turns -------------------------------------------------------------------------
    def load(self, user_id: str) -> tuple[SessionSnapshot, Flow]:
        """The applicant's current session, read from the database (never a guess)."""
        session = self.store.open_session(self.channel, user_id)
        self._keep(user_id, session)
        return session, self.flow_of(session)

    def recent(self, user_id: str) -> SessionSnapshot | None:
        """The applicant's session as this process last saw it (no database read; None if not kept)."""
        return self._guess(user_id)

    def peek(self, user_id: str) -> SessionSnapshot | None:
        """The applicant's session as this process last saw it, else as stored (None if none):
        for a quick look before a turn (whether a tap is stale), never for writing."""
        return self._guess(user_id) or self.store.current_session(self.channel, user_id)

    def current(self, user_id: str) -> SessionSnapshot | None:
        """The applicant's current session, if any (read only: nothing is created)."""
        return self.store.current_session(self.channel, user_id)

    def begin(
        self,
        user_id: str,
        *,
        fresh: bool = False,
        referral: Referral | None = None,
        state_update: StateUpdate | None = None,
        update_id: int | None = None,
    ) -> Turn | None:
        """The /start turn. `fresh` starts a new screening (the old one is kept as abandoned). A
        referral attributes the current screening (or a new one) to the recruiter, in the turn's
        own write, and offers a finished result to them."""
        if fresh:
            self.store.start_session(self.channel, user_id)
            self._keep(user_id, None)
        if referral is None:
            return self.handle(user_id, Command("start"), state_update=state_update, update_id=update_id)
        return self.handle(
            user_id, Command(REFERRED), state_update=state_update, update_id=update_id, referral=referral
        )

    @staticmethod
    def flow_of(session: SessionSnapshot) -> Flow:
        """The interview state, with who the applicant shares with (from the stored leads)."""
        mine = session.recruiter
        lead = next((link for link in session.leads if link.recruiter.id == session.recruiter_id), None)
        return Flow.load(
            session.answers,
            session.channel_state,
            recruiter=recruiter_label(mine.name, mine.agency) if mine is not None and not mine.disabled else None,
            shared_with=tuple(recruiter_label(link.recruiter.name, link.recruiter.agency) for link in session.leads),
            recruiter_lead=None if lead is None else THIS if lead.session_id == session.id else EARLIER,
        )

    def handle(
        self,
        user_id: str,
        event: Event | EventFor,
        *,
        state_update: StateUpdate | None = None,
        update_id: int | None = None,
        referral: Referral | None = None,
    ) -> Turn | None:
        """One turn; None when there is nothing to do: the update was applied before
        (`update_id` seen), or `event` (a function of the fresh session) finds it stale."""
        session = self._guess(user_id)
        for _ in range(MAX_RETRIES):
            guessed = session is not None
            if session is None:
                session = self._with_pending(user_id, self.store.open_session(self.channel, user_id))
            if referral is not None:  # the turn sees the screening as it will be stored
                session = replace(session, recruiter_id=referral.recruiter.id, recruiter=referral.recruiter)
            flow = self.flow_of(session)
            current = event(session, flow) if callable(event) else event
            if current is None:
                if guessed:
                    session = None  # judge staleness on a fresh read, never on a guess
                    continue
                return None
            result = step(flow, current, self.today())
            extra = state_update(session, result) if state_update else {}
            try:
                turn = self._commit(user_id, session, result, extra, update_id, referral)
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

        It is kept in this process only and reaches the database with the next turn's commit,
        which saves a transaction per update: for an active session in the snapshot reused by the
        next turn, for a finished one beside it, applied only if the session read afresh is still
        at this version. If the next update lands on another worker or after a restart, that
        worker cannot remove the old keyboard, but a tap on it is still refused by its spent token.
        """
        user_id = session.channel_user_id
        if all(session.channel_state.get(k) == v for k, v in state.items()):
            return  # nothing new to remember
        if session.is_active:
            self._keep(user_id, replace(session, channel_state={**session.channel_state, **state}))
            return
        with self._lock:
            self._pending[user_id] = (session.id, session.version, dict(state))
            self._pending.move_to_end(user_id)
            while len(self._pending) > max(self._recent_size, 0):
                self._pending.popitem(last=False)

    def _commit(
        self,
        user_id: str,
        session: SessionSnapshot,
        result: Step,
        extra_state: dict,
        update_id: int | None,
        referral: Referral | None,
    ) -> Turn:
        events: list[LeadEvent] = []
        if result.delete:
            self.store.delete_applicant(
                self.channel, user_id, also=lambda db, applicant_id: events.extend(withdraw_leads(db, applicant_id))
            )
            return Turn(result.replies, result.flow, None, None, session.channel_state, tuple(events))
        if result.restart:
            fresh = self.store.start_session(
                self.channel, user_id, referral_code=session.referral_code, recruiter_id=session.recruiter_id
            )
            saved = self.store.write(
                fresh.id,
                fresh.version,
                channel_state={**result.flow.state(), **extra_state},
                update_id=update_id,
                base=fresh,
            )
            return Turn(result.replies, result.flow, saved, None, session.channel_state)
        a = result.assessment
        # A screening that reached its result stays finished while the applicant reviews or
        # edits it: its result may be shared, and retention counts it as finished.
        status = "finished" if result.flow.phase == DONE or session.is_finished else "active"
        saved = self.store.write(
            session.id,
            session.version,
            set_answers=result.set_answers,
            clear=result.clear,
            status=status if status != session.status else None,
            channel_state={**session.channel_state, **result.flow.state(), **extra_state},
            outcome=a.outcome if a else None,
            pathway=(a.pathway or "") if a else None,
            rules_version=a.rules_version if a else None,
            recruiter_id=referral.recruiter.id if referral else None,
            referral_code=referral.code if referral else None,
            update_id=update_id,
            also=_lead_writes(result.leads, events) if result.leads else None,
            base=session,
        )
        replies = result.replies
        if result.leads is not None and result.leads.action == REFRESH and events:
            told = tuple(recruiter_label(e.lead.recruiter, e.lead.agency) for e in events if e.kind == UPDATED)
            replies += (Reply("note", params={"code": "share_updated", "recruiters": told}),)
        return Turn(replies, self.flow_of(saved), saved, a, session.channel_state, tuple(events))


def recruiter_label(name: str, agency: str) -> str:
    """How the applicant sees a recruiter: "Sgt. Ana Smith (Mobile Police Department)"."""
    return say("recruiter_label", "replies.j2", name=name, agency=agency)


def _lead_writes(change: LeadChange, events: list[LeadEvent]) -> Callable[[Any, SessionSnapshot], None]:
    """The turn's lead change, run in the turn's transaction; what it did goes to `events`."""
    shared = SharedResult(change.answers, change.outcome, change.rules_version)

    def write(db: Any, session: SessionSnapshot) -> None:
        now = utcnow()
        if change.action == SHARE:
            events.append(share_lead(db, session, change.contact, shared, now))
        elif change.action == WITHDRAW:
            events.extend(withdraw_leads(db, session.applicant_id))
        else:
            events.extend(refresh_leads(db, session, shared, now))

    return write
