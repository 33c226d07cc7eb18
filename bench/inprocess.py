"""One bot in one process, fed complete screenings one update at a time, its Bot API the stand-in.

Each bot runs in a fresh interpreter (`python -m bench.run --child-inprocess ...`) with the
same driver: the bare echo bot, the peer (bench/peer.py), and the screener, this tree's code
or an older tree's (`code_dir`, put first on sys.path after the benchmark's own modules are
imported, so `bot`, `storage`, `dialogs` and `templates` come from there). Updates are built
with the stand-in's records and handed to `application.process_update`; the time of handling
each one is measured (for the screener, including what it sends after the turn: the PDF).
The stand-in answers on loopback HTTP in the same event loop, so its own work is part of
every bot's figure, in proportion to the calls the bot makes.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters

from bench.common import (
    SCRIPTS,
    TODAY,
    UNLIMITED_RATE,
    Applicants,
    Statements,
    calls_by_method,
    counting_statements,
    script_for,
    summarise,
    update_calls,
)
from tests.telegram_standin import BotApiStandIn

PEER_QUESTIONS = max(len(s) for s in SCRIPTS)  # every update of every script is an answer to the peer


def _builder(standin: BotApiStandIn, client: str) -> Any:
    """PTB's builder for the stand-in; `client` "aiohttp": the screener's Bot API client."""
    builder = ApplicationBuilder().token(standin.token).base_url(standin.base_url)
    if client == "aiohttp":
        from bot.bot_api_request import AiohttpRequest

        builder = builder.request(AiohttpRequest())
    return builder


async def _echo(standin: BotApiStandIn, client: str) -> Application:
    app = _builder(standin, client).build()

    async def echo(update: Update, context: Any) -> None:
        assert update.effective_chat is not None and update.effective_message is not None
        await update.effective_chat.send_message(update.effective_message.text or "")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def measure(
    kind: str, database_url: str | None, warmup: int, screenings: int, user_base: int = 1
) -> dict[str, Any]:
    """Warm up, then time `screenings` complete screenings; figures per update."""
    async with BotApiStandIn() as standin:
        store: Any = None
        peer: Any = None
        tmp = tempfile.TemporaryDirectory(prefix="bench-peer-")
        kind, _, client = kind.partition("-")  # echo-aiohttp: the echo bot on the screener's client
        if kind == "echo":
            app = await _echo(standin, client)
        elif kind == "peer":
            from bench.peer import PeerBot

            peer = PeerBot(f"{tmp.name}/peer.sqlite3", PEER_QUESTIONS)
            app = peer.application(_builder(standin, client))
        else:
            from bot.settings import Settings
            from bot.telegram_channel import build_application
            from storage import Store

            assert database_url is not None
            store = Store(database_url)
            settings = Settings(
                database_url=database_url,
                telegram_token=standin.token,
                telegram_base_url=standin.base_url,
                telegram_base_file_url=standin.base_file_url,
                telegram_max_rate=UNLIMITED_RATE,
            )
            app = build_application(settings, store, today=lambda: TODAY)
        await app.initialize()
        channel = app.bot_data.get("channel")
        settle = getattr(channel, "all_settled", None)  # older trees send the PDF inside the turn
        applicants = Applicants(standin)
        any_button = kind == "peer"

        turns: list[float] = []  # the turn alone: what follows it (the PDF) not included

        async def screen(user_ids: range) -> tuple[list[float], float, int]:
            latencies: list[float] = []
            completed = 0
            started = time.perf_counter()
            for n, user_id in enumerate(user_ids):
                for step in script_for(n):
                    if kind == "echo" and step.startswith("tap:"):
                        step = step[4:]  # the echo bot answers text: the same number of updates
                    data = applicants.step(user_id, step, any_button=any_button)
                    update = Update.de_json(data, app.bot)
                    t0 = time.perf_counter()
                    await app.process_update(update)
                    turns.append(time.perf_counter() - t0)
                    if settle is not None:
                        await settle()
                    latencies.append(time.perf_counter() - t0)
                done = applicants.documents(user_id) == 1 if kind == "screener" else True
                completed += done
            return latencies, time.perf_counter() - started, completed

        try:
            await screen(range(user_base, user_base + warmup))
            calls_before = update_calls(standin)
            index = len(standin.state.calls)
            cpu = time.process_time()
            measured = range(user_base + warmup, user_base + warmup + screenings)
            turns.clear()
            counted = Statements()
            if store is not None:
                with counting_statements(store.engine) as counted:
                    latencies, elapsed, completed = await screen(measured)
            else:
                latencies, elapsed, completed = await screen(measured)
            cpu = time.process_time() - cpu
            result = summarise(latencies, elapsed)
            n = len(latencies)
            result.update(
                kind=kind,
                screenings=screenings,
                completed=completed,
                cpu_ms_per_update=1000 * cpu / n,
                turn_ms=1000 * sum(turns) / n,
                api_calls_per_update=(update_calls(standin) - calls_before) / n,
                api_calls=calls_by_method(standin, index),
            )
            if store is not None:
                result.update(
                    statements_per_update=counted.statements / n,
                    round_trips_per_update=counted.round_trips / n,
                    transactions_per_update=counted.begins / n,
                    statement_kinds={k: v / n for k, v in sorted(counted.kinds.items())},
                )
            return result
        finally:
            await app.shutdown()
            if store is not None:
                store.close()
            if peer is not None:
                peer.close()
            tmp.cleanup()


def child(argv: list[str]) -> None:
    """`--child-inprocess KIND URL|- WARMUP SCREENINGS [CODE_DIR]`: prints one JSON line."""
    import json

    kind, url, warmup, screenings = argv[0], argv[1], int(argv[2]), int(argv[3])
    if len(argv) > 4 and argv[4] != "-":
        sys.path.insert(0, argv[4])  # bot, storage, dialogs, templates from that tree
    result = asyncio.run(measure(kind, None if url == "-" else url, warmup, screenings))
    from bench.common import peak_rss_mb

    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))
