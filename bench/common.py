"""Shared pieces of the benchmarks: screening scripts, Telegram-shaped update builders, a
network-free PTB request object, the in-process driver, and database population.

Nothing here is imported by the product or by the tests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.request import BaseRequest, RequestData  # noqa: E402

from tests.screenings import FEDERAL_BY_BUTTONS, MILITARY_MIXED, NO_TRAINING, OUT_OF_STATE_TYPED  # noqa: E402

TOKEN = "123456:" + "A" * 35
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Lateral Screener",
    "username": "lateral_screener_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
SECRET = "bench-secret_42"
TODAY = date.today()

SCRIPTS = [FEDERAL_BY_BUTTONS, OUT_OF_STATE_TYPED, MILITARY_MIXED, NO_TRAINING]
EXPECTED = ["Likely eligible", "Likely eligible", "Likely eligible", "Likely not eligible"]


def script_for(i: int) -> list[str]:
    """Every screening starts with /start, then one of the four scripts."""
    return ["/start", *SCRIPTS[i % len(SCRIPTS)]]


# --------------------------------------------------------------------------- updates

_update_ids = itertools.count(1)


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "en"}


def _chat(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": f"User{user_id}"}


def text_update(user_id: int, text: str, message_id: int, update_id: int | None = None) -> dict[str, Any]:
    """A private text message as Telegram delivers it (a leading /command gets its entity)."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": _chat(user_id),
        "from": _user(user_id),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id or next(_update_ids), "message": message}


def callback_update(
    user_id: int, bot_message: dict[str, Any], data: str, update_id: int | None = None
) -> dict[str, Any]:
    """A tap on an inline button of `bot_message` (the Message dict the bot got back)."""
    uid = update_id or next(_update_ids)
    return {
        "update_id": uid,
        "callback_query": {
            "id": str(4_000_000_000_000_000_000 + uid),
            "from": _user(user_id),
            "message": bot_message,
            "chat_instance": str(-(10**18) - user_id),
            "data": data,
        },
    }


def button_data(markup: dict[str, Any] | None, label: str) -> str:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if button["text"] == label:
                return button["callback_data"]
    raise LookupError(f"no button {label!r} in {markup!r}")


# --------------------------------------------------------------------------- fake Bot API (no sockets)


class Chats:
    """What the bot sent, per chat: enough to tap its latest keyboard and count replies."""

    def __init__(self) -> None:
        self.next_id: dict[int, int] = {}
        self.sent: dict[int, int] = {}  # messages + documents sent to the chat
        self.keyboard: dict[int, dict[str, Any]] = {}  # last message with an inline keyboard (API dict)
        self.documents: dict[int, int] = {}
        self.texts: dict[int, list[str]] = {}
        self.keep_texts = False

    def message(self, chat_id: int, text: str | None, markup: Any = None, document: bool = False) -> dict[str, Any]:
        n = self.next_id.get(chat_id, 1000) + 1
        self.next_id[chat_id] = n
        self.sent[chat_id] = self.sent.get(chat_id, 0) + 1
        msg: dict[str, Any] = {"message_id": n, "date": 0, "chat": _chat(chat_id), "from": BOT_USER}
        if document:
            self.documents[chat_id] = self.documents.get(chat_id, 0) + 1
            msg["document"] = {"file_id": f"F{n}", "file_unique_id": f"U{n}", "file_name": "c.pdf"}
            if text is not None:
                msg["caption"] = text
        else:
            msg["text"] = text or ""
        if isinstance(markup, str):
            markup = json.loads(markup)
        if markup and markup.get("inline_keyboard"):
            msg["reply_markup"] = markup
            self.keyboard[chat_id] = msg
        if self.keep_texts and text:
            self.texts.setdefault(chat_id, []).append(text)
        return msg


def api_result(chats: Chats, method: str, params: dict[str, Any]) -> Any:
    """The result of one Bot API call, as api.telegram.org would shape it (minimal)."""
    if method == "getMe":
        return BOT_USER
    if method == "sendMessage":
        return chats.message(int(params["chat_id"]), params.get("text"), params.get("reply_markup"))
    if method == "sendDocument":
        return chats.message(int(params["chat_id"]), params.get("caption"), document=True)
    if method == "editMessageReplyMarkup":
        return {
            "message_id": int(params.get("message_id") or 1),
            "date": 0,
            "chat": _chat(int(params.get("chat_id") or 1)),
            "from": BOT_USER,
            "text": "",
            "edit_date": 0,
        }
    return True  # answerCallbackQuery, setMyCommands, setWebhook, deleteWebhook, ...


class FakeRequest(BaseRequest):
    """A PTB request object that answers from memory: no sockets, canned JSON.

    Parameters are JSON-encoded exactly as HTTPXRequest does (``json_parameters``) and the
    response goes through PTB's normal JSON parsing, so both bots pay the same client cost.
    """

    def __init__(self, chats: Chats | None = None) -> None:
        self.chats = chats or Chats()
        self.calls: dict[str, int] = {}

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        self.calls[name] = self.calls.get(name, 0) + 1
        params: dict[str, Any] = {}
        if request_data is not None:
            params = request_data.json_parameters  # the encoding HTTPXRequest does
            if request_data.contains_files:
                request_data.multipart_data  # noqa: B018 - and the file part, like a real upload
        result = api_result(self.chats, name, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()


# --------------------------------------------------------------------------- in-process driver


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, int(round(q / 100 * (len(ordered) - 1)))))
    return ordered[k]


def summarise(latencies: list[float], elapsed: float) -> dict[str, float]:
    n = len(latencies)
    return {
        "updates": n,
        "seconds": elapsed,
        "updates_per_s": n / elapsed if elapsed else 0.0,
        "mean_ms": 1000 * sum(latencies) / n if n else float("nan"),
        "p50_ms": 1000 * percentile(latencies, 50),
        "p99_ms": 1000 * percentile(latencies, 99),
    }


async def build_screener(database_url: str, store: Any = None):
    """The product's Application (build_application) on a FakeRequest, initialised."""
    from bot.settings import Settings
    from bot.telegram_channel import build_application

    request = FakeRequest()
    settings = Settings(database_url=database_url, telegram_token=TOKEN)
    app = build_application(settings, store, today=lambda: TODAY, request=request, updates_request=FakeRequest())
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    return app, request


async def build_echo():
    """The bare python-telegram-bot bot: one MessageHandler replying with the same text."""
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    request = FakeRequest()
    app = ApplicationBuilder().token(TOKEN).request(request).get_updates_request(FakeRequest()).build()

    async def echo(update, context) -> None:
        await update.effective_chat.send_message(update.effective_message.text)

    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    return app, request


async def run_screenings(
    app, request: FakeRequest, user_ids: list[int], *, timer: Callable[[], float] = time.perf_counter
) -> tuple[list[float], float, int]:
    """Complete screenings, one after another, through application.process_update.

    Returns (per-update latencies, total elapsed, completed screenings). Only
    process_update is timed; building the update object is not.
    """
    chats = request.chats
    latencies: list[float] = []
    completed = 0
    msg_ids = itertools.count(1)
    started = timer()
    for n, user_id in enumerate(user_ids):
        docs_before = chats.documents.get(user_id, 0)
        for step in script_for(n):
            if step.startswith("tap:"):
                bot_message = chats.keyboard[user_id]
                data = callback_update(user_id, bot_message, button_data(bot_message.get("reply_markup"), step[4:]))
            else:
                data = text_update(user_id, step, next(msg_ids))
            update = Update.de_json(data, app.bot)
            t0 = timer()
            await app.process_update(update)
            latencies.append(timer() - t0)
        if chats.documents.get(user_id, 0) == docs_before + 1:
            completed += 1
    return latencies, timer() - started, completed


async def run_echo(
    app,
    user_ids: list[int],
    *,
    timer: Callable[[], float] = time.perf_counter,
) -> tuple[list[float], float]:
    """The same number of updates as the screenings, as text messages (the echo bot answers text)."""
    latencies: list[float] = []
    msg_ids = itertools.count(1)
    started = timer()
    for n, user_id in enumerate(user_ids):
        for step in script_for(n):
            text = step[4:] if step.startswith("tap:") else step
            update = Update.de_json(text_update(user_id, text, next(msg_ids)), app.bot)
            t0 = timer()
            await app.process_update(update)
            latencies.append(timer() - t0)
    return latencies, timer() - started


# --------------------------------------------------------------------------- population

# Realistic stored screenings: the answers of the four pathways, as the interview stores them.
_ANSWER_SETS = [
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


def population_rows(count: int, seed: int = 6):
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
        rows = []
        for k, (field, value) in enumerate(answers):
            at = created + timedelta(seconds=20 * k)
            if rng.random() < 0.05:
                answer_id += 1
                rows.append((answer_id, session_id, field, json.dumps(value), at, at + timedelta(seconds=5)))
            answer_id += 1
            rows.append((answer_id, session_id, field, json.dumps(value), at, None))
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
        with psycopg.connect(conninfo) as db:
            with db.cursor() as cur:
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
            db.commit()
            db.autocommit = True
            db.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_async(coro):
    return asyncio.run(coro)
