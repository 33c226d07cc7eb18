"""Shared pieces of the benchmarks: the screening scripts, an applicant driver on the Bot API
stand-in of the tests (tests/telegram_standin: one fake Bot API for tests and benchmarks),
statement counting, figures, and database population.

Nothing here is imported by the product or by the tests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.screenings import FEDERAL_BY_BUTTONS, MILITARY_MIXED, NO_TRAINING, OUT_OF_STATE_TYPED
from tests.telegram_standin import BotApiStandIn, StoredMessage
from tests.telegram_standin.text_units import bot_command_entities

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:" + "A" * 35
SECRET = "bench-secret_42"
TODAY = date.today()
#: Telegram's flood limit (30 messages/s, AIORateLimiter) is lifted: the benchmarks measure cost.
UNLIMITED_RATE = 1_000_000.0

SCRIPTS = [FEDERAL_BY_BUTTONS, OUT_OF_STATE_TYPED, MILITARY_MIXED, NO_TRAINING]
EXPECTED = ["Likely eligible", "Likely eligible", "Likely eligible", "Likely not eligible"]
#: Calls that are not part of handling an update (start-up, polling).
SETUP_CALLS = frozenset({"getMe", "setMyCommands", "setWebhook", "deleteWebhook", "getUpdates", "close", "logOut"})


def script_for(i: int) -> list[str]:
    """Every screening starts with /start, then one of the four scripts."""
    return ["/start", *SCRIPTS[i % len(SCRIPTS)]]


# --------------------------------------------------------------------------- applicants on the stand-in


class Applicants:
    """Updates as Telegram would deliver them, built with the stand-in's own records (users,
    messages, callback queries), so that the bot's answers to them are valid Bot API calls.
    They are handed to the bot directly (process_update, or a POST to a webhook), not queued."""

    def __init__(self, standin: BotApiStandIn, first_update_id: int = 1) -> None:
        self.standin = standin
        self.update_ids = itertools.count(first_update_id)

    def text(self, user_id: int, text: str) -> dict[str, Any]:
        state = self.standin.state
        state.ensure_user(user_id)
        msg = state.add_message(user_id, from_bot=False, text=text, html=text, entities=bot_command_entities(text))
        return {"update_id": next(self.update_ids), "message": state.message_api(msg)}

    def tap(self, user_id: int, message: StoredMessage, data: str) -> dict[str, Any]:
        query = self.standin.state.callback_query_api(user_id, message, data)
        return {"update_id": next(self.update_ids), "callback_query": query}

    def step(self, user_id: int, step: str, *, any_button: bool = False) -> dict[str, Any]:
        """`tap:Label` taps that button on the newest message showing it (`any_button`: the first
        button of the newest keyboard, for a bot with other labels); anything else is typed."""
        if not step.startswith("tap:"):
            return self.text(user_id, step)
        label = step[4:]
        for message in reversed(self.standin.bot_messages(user_id)):
            for button in message.buttons:
                if "callback_data" in button and (any_button or button["text"] == label):
                    return self.tap(user_id, message, button["callback_data"])
        raise LookupError(f"user {user_id}: no button {label!r} shown")

    def documents(self, user_id: int) -> int:
        return sum(1 for m in self.standin.bot_messages(user_id) if m.document is not None)

    def said(self, user_id: int, words: str) -> bool:
        return any(words in m.visible_text for m in self.standin.bot_messages(user_id))


def update_calls(standin: BotApiStandIn) -> int:
    """Bot API calls made so far while handling updates (start-up and polling calls excluded)."""
    return sum(1 for c in standin.state.calls if c.method not in SETUP_CALLS)


def calls_by_method(standin: BotApiStandIn, since: int = 0) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in standin.state.calls[since:]:
        if c.method not in SETUP_CALLS:
            out[c.method] = out.get(c.method, 0) + 1
    return out


# --------------------------------------------------------------------------- statements


@dataclass
class Statements:
    """What a database engine was asked to do: statements, BEGINs and COMMITs (round trips)."""

    statements: int = 0
    begins: int = 0
    commits: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    sqlite: bool = False

    @property
    def round_trips(self) -> int:
        # SQLite's BEGIN is one of the statements (issued by the store); PostgreSQL's is the
        # driver's own, sent before the first statement of a transaction
        return self.statements + self.commits + (0 if self.sqlite else self.begins)


@contextmanager
def counting_statements(engine: Any) -> Iterator[Statements]:
    import sqlalchemy as sa

    counted = Statements(sqlite=engine.dialect.name == "sqlite")

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        counted.statements += 1
        kind = statement.split(None, 1)[0].upper()
        counted.kinds[kind] = counted.kinds.get(kind, 0) + 1

    def on_begin(conn: Any) -> None:
        counted.begins += 1

    def on_commit(conn: Any) -> None:
        counted.commits += 1

    events = (("before_cursor_execute", on_execute), ("begin", on_begin), ("commit", on_commit))
    for name, fn in events:
        sa.event.listen(engine, name, fn)
    try:
        yield counted
    finally:
        for name, fn in events:
            sa.event.remove(engine, name, fn)


# --------------------------------------------------------------------------- figures


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, int(round(q / 100 * (len(ordered) - 1)))))
    return ordered[k]


def summarise(latencies: list[float], elapsed: float) -> dict[str, Any]:
    n = len(latencies)
    return {
        "updates": n,
        "seconds": elapsed,
        "updates_per_s": n / elapsed if elapsed else float("nan"),
        "mean_ms": 1000 * sum(latencies) / n if n else float("nan"),  # time spent handling, not building
        "p50_ms": 1000 * percentile(latencies, 50),
        "p99_ms": 1000 * percentile(latencies, 99),
    }


def cpu_seconds() -> float:
    """CPU time of this process (all threads)."""
    return time.process_time()


def run_async(coro: Any) -> Any:
    return asyncio.run(coro)


# --------------------------------------------------------------------------- population

# Realistic stored screenings: the answers of the four pathways, as the interview stores them.
_ANSWER_SETS: list[dict[str, Any]] = [
    {
        "background": "federal",
        "basic_course_graduate": True,
        "basic_course_hours": 640,
        "service_start": "2012-01",
        "service_end": "2025-06-30",
        "service_gap_days": 0,
        "le_duties_last_4_years": True,
        "highest_degree": "bachelor",
        "degree_accredited": True,
        "degree_by_correspondence": False,
        "grandfathered_or_exempted": False,
        "felony_conviction": False,
        "expunged_record": False,
        "alabama_employment": "offer",
    },
    {
        "background": "out_of_state",
        "certifying_state": "GA",
        "certification_status": "valid",
        "certified_on": "2016-05-20",
        "service_start": "2016-06-01",
        "service_end": None,
        "service_gap_days": 0,
        "service_full_time": True,
        "highest_degree": "associate",
        "degree_accredited": True,
        "grandfathered_or_exempted": False,
        "felony_conviction": False,
        "expunged_record": False,
        "alabama_employment": "offer",
    },
    {
        "background": "military_police",
        "basic_course_graduate": True,
        "basic_course_hours": 480,
        "service_start": "2018-01-08",
        "service_end": "2024-12-31",
        "service_gap_days": 0,
        "le_duties_last_4_years": True,
        "security_police_primary_code": False,
        "highest_degree": "associate",
        "degree_accredited": True,
        "degree_by_correspondence": False,
        "grandfathered_or_exempted": False,
        "felony_conviction": False,
        "expunged_record": False,
        "alabama_employment": "offer",
    },
    {
        "background": "none",
        "highest_degree": "none",
        "high_school_diploma_or_ged": True,
        "felony_conviction": False,
        "expunged_record": False,
        "alabama_employment": "none",
    },
]
_OUTCOMES = [
    ("likely_eligible", "federal"),
    ("likely_eligible", "out_of_state"),
    ("likely_eligible", "military_police"),
    ("likely_ineligible", ""),
]
POPULATED_USER_BASE = 10_000_000


def population_rows(count: int, seed: int = 6) -> Iterator[tuple[Any, Any, list[Any]]]:
    """Yield (applicant, [sessions], [answers]) tuples for `count` stored sessions.

    ~60 % finished (all answers, outcome), ~30 % active (part of the answers), ~10 %
    abandoned; ~5 % of answers have a superseded earlier value (an edit).
    """
    rng = random.Random(seed)
    # Within the last 20 days: the bot's retention purge (30 days) must not delete them mid-run.
    base = datetime.now(UTC) - timedelta(days=20)
    session_id = 0
    answer_id = 0
    for i in range(count):
        applicant_id = i + 1
        created = base + timedelta(seconds=rng.randrange(0, 19 * 86400))
        kind = rng.random()
        set_no = i % 4
        answers = list(_ANSWER_SETS[set_no].items())
        status = "finished" if kind < 0.6 else "active" if kind < 0.9 else "abandoned"
        if status != "finished":
            answers = answers[: rng.randrange(1, len(answers))]
        session_id += 1
        finished_at = created + timedelta(minutes=6) if status == "finished" else None
        outcome, pathway = _OUTCOMES[set_no] if status == "finished" else (None, None)
        state = {
            "phase": "done" if status == "finished" else "asking",
            "trail": [k for k, _ in answers],
            "ask": len(answers) + 1,
            "kb": None if status == "finished" else 1000 + len(answers),
        }
        session = (
            session_id,
            applicant_id,
            status,
            len(answers) + 2,
            None,
            json.dumps(state),
            outcome,
            pathway,
            created,
            created + timedelta(minutes=6),
            finished_at,
        )
        rows: list[tuple[int, int, str, str, datetime, datetime | None]] = []
        for k, (name, value) in enumerate(answers):
            at = created + timedelta(seconds=20 * k)
            if rng.random() < 0.05:
                answer_id += 1
                rows.append((answer_id, session_id, name, json.dumps(value), at, at + timedelta(seconds=5)))
            answer_id += 1
            rows.append((answer_id, session_id, name, json.dumps(value), at, None))
        yield (applicant_id, "telegram", str(POPULATED_USER_BASE + i), created), session, rows


def populate(database_url: str, count: int) -> float:
    """Bulk-insert `count` stored sessions into a migrated, empty database; returns seconds."""
    from sqlalchemy.engine import make_url

    from storage import Store

    Store(database_url).close()  # schema via the product's migrations
    started = time.perf_counter()
    url = make_url(database_url)
    applicants, sessions, answers = [], [], []
    for applicant, session, rows in population_rows(count):
        applicants.append(applicant)
        sessions.append(session)
        answers.extend(rows)
    if url.get_backend_name() == "sqlite":
        import sqlite3

        def ts(value: datetime | None) -> str | None:
            return None if value is None else value.replace(tzinfo=None).isoformat(sep=" ")

        assert url.database is not None
        db = sqlite3.connect(url.database, isolation_level=None)
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO applicant (id, channel, channel_user_id, created_at) VALUES (?,?,?,?)",
            [(a, c, u, ts(t)) for a, c, u, t in applicants],
        )
        db.executemany(
            "INSERT INTO screening_session (id, applicant_id, status, version, referral_code, "
            "channel_state, outcome, pathway, created_at, updated_at, finished_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(*s[:8], ts(s[8]), ts(s[9]), ts(s[10])) for s in sessions],
        )
        db.executemany(
            "INSERT INTO answer (id, session_id, field, value_json, created_at, superseded_at) VALUES (?,?,?,?,?,?)",
            [(*r[:4], ts(r[4]), ts(r[5])) for r in answers],
        )
        db.execute("COMMIT")
        db.close()
    else:
        import psycopg

        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as pg:
            with pg.cursor() as cur:
                with cur.copy("COPY applicant (id, channel, channel_user_id, created_at) FROM STDIN") as copy:
                    for row in applicants:
                        copy.write_row(row)
                with cur.copy(
                    "COPY screening_session (id, applicant_id, status, version, referral_code, "
                    "channel_state, outcome, pathway, created_at, updated_at, finished_at) FROM STDIN"
                ) as copy:
                    for row in sessions:
                        copy.write_row(row)
                with cur.copy(
                    "COPY answer (id, session_id, field, value_json, created_at, superseded_at) FROM STDIN"
                ) as copy:
                    for row in answers:
                        copy.write_row(row)
                for table, column in (("applicant", "id"), ("screening_session", "id"), ("answer", "id")):
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                        f"(SELECT max({column}) FROM {table}))"
                    )
            pg.commit()
            pg.autocommit = True
            pg.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
