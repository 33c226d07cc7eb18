"""N real webhook workers (`lateral-screener telegram --webhook-url ...`) on one PostgreSQL
database, a minimal Bot API server in this process, and a closed-loop load generator:
many distinct applicants, each sending its next update when the bot answered the last one.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import aiohttp
from aiohttp import web

from bench.common import (
    ROOT,
    SECRET,
    TOKEN,
    Chats,
    api_result,
    build_screener,
    button_data,
    callback_update,
    percentile,
    script_for,
    text_update,
)

ENTRY = str(ROOT / ".venv" / "bin" / "lateral-screener")


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process, from /proc (0 if unreadable)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    idle = values[3] + values[4]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WatchedChats(Chats):
    """Chats that wake whoever waits for a bot message in a chat."""

    def __init__(self) -> None:
        super().__init__()
        self.changed: dict[int, asyncio.Event] = {}

    def message(self, chat_id: int, *args: Any, **kwargs: Any) -> dict[str, Any]:
        msg = super().message(chat_id, *args, **kwargs)
        event = self.changed.pop(chat_id, None)
        if event is not None:
            event.set()
        return msg

    async def wait_sent(self, chat_id: int, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.sent.get(chat_id, 0) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            event = self.changed.setdefault(chat_id, asyncio.Event())
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return self.sent.get(chat_id, 0) >= count
        return True


class BotApiServer:
    """The smallest Bot API that python-telegram-bot is happy with (canned answers)."""

    def __init__(self) -> None:
        self.chats = WatchedChats()
        self.calls: dict[str, int] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] = self.calls.get(method, 0) + 1
        form = await request.post() if request.can_read_body else {}
        params = {k: v for k, v in form.items() if isinstance(v, str)}
        return web.json_response({"ok": True, "result": api_result(self.chats, method, params)})

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"


async def replies_per_step(scripts: int = 4) -> list[list[int]]:
    """How many messages (texts + the PDF) the bot sends for each step of each script,
    from one in-process run on a scratch SQLite database (same rules, same day)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        app, request = await build_screener(f"sqlite:///{tmp}/count.sqlite3")
        chats = request.chats
        counts: list[list[int]] = []
        for n in range(scripts):
            user_id = 900 + n
            per_step = []
            for step in script_for(n):
                before = chats.sent.get(user_id, 0)
                if step.startswith("tap:"):
                    msg = chats.keyboard[user_id]
                    data = callback_update(user_id, msg, button_data(msg.get("reply_markup"), step[4:]))
                else:
                    data = text_update(user_id, step, len(per_step) + 1)
                from telegram import Update

                await app.process_update(Update.de_json(data, app.bot))
                per_step.append(chats.sent.get(user_id, 0) - before)
            counts.append(per_step)
        await app.shutdown()
        app.bot_data["channel"].store.close()
        return counts


def start_worker(api: BotApiServer, database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_API_BASE_FILE_URL": api.base_url.replace("/bot", "/file/bot"),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    args = [
        ENTRY if os.path.exists(ENTRY) else sys.executable,
        *([] if os.path.exists(ENTRY) else ["-m", "bot.cli"]),
        "telegram",
        "--webhook-url",
        f"http://127.0.0.1:{port}/tg",
        "--port",
        str(port),
        "--url-path",
        "tg",
        "--secret-token",
        SECRET,
    ]
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


async def wait_ready(api: BotApiServer, ports: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if api.calls.get("setWebhook", 0) >= len(ports):
            ok = 0
            for port in ports:
                try:
                    _, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                    ok += 1
                except OSError:
                    pass
            if ok == len(ports):
                return
        await asyncio.sleep(0.1)
    raise TimeoutError("workers did not start")


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)


async def load(
    api: BotApiServer,
    ports: list[int],
    screenings: int,
    concurrency: int,
    user_base: int,
    expected: list[list[int]],
    step_timeout: float = 60,
) -> dict[str, Any]:
    chats = api.chats
    rr = itertools.count()
    update_ids = itertools.count(user_base * 10)
    step_latencies: list[float] = []
    failures: list[str] = []
    completed = 0
    gate = asyncio.Semaphore(concurrency)

    async def screening(http: aiohttp.ClientSession, n: int) -> None:
        nonlocal completed
        user_id = user_base + n
        script = script_for(n)
        counts = expected[n % len(expected)]
        want = 0
        async with gate:
            for i, step in enumerate(script):
                if step.startswith("tap:"):
                    msg = chats.keyboard[user_id]
                    update = callback_update(
                        user_id, msg, button_data(msg.get("reply_markup"), step[4:]), next(update_ids)
                    )
                else:
                    update = text_update(user_id, step, i + 1, next(update_ids))
                want += counts[i]
                port = ports[next(rr) % len(ports)]
                t0 = time.perf_counter()
                async with http.post(
                    f"http://127.0.0.1:{port}/tg", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
                ) as response:
                    await response.read()
                    if response.status != 200:
                        failures.append(f"{user_id}: HTTP {response.status}")
                        return
                if not await chats.wait_sent(user_id, want, step_timeout):
                    failures.append(f"{user_id}: no reply to step {i} {step!r}")
                    return
                step_latencies.append(time.perf_counter() - t0)
            if chats.documents.get(user_id, 0) == 1:
                completed += 1

    connector = aiohttp.TCPConnector(limit=concurrency * 2)
    async with aiohttp.ClientSession(connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(screening(http, n) for n in range(screenings)))
        elapsed = time.perf_counter() - started
    updates = len(step_latencies)
    return {
        "screenings": screenings,
        "completed": completed,
        "failures": failures[:5],
        "failed": len(failures),
        "seconds": elapsed,
        "screenings_per_s": completed / elapsed,
        "updates_per_s": updates / elapsed,
        "step_p50_ms": 1000 * percentile(step_latencies, 50),
        "step_p99_ms": 1000 * percentile(step_latencies, 99),
    }


async def run_workers(
    database_url: str, n_workers: int, screenings: int, concurrency: int, expected: list[list[int]]
) -> dict[str, Any]:
    from storage import Store

    Store(database_url).close()  # migrate once before the workers start
    api = BotApiServer()
    await api.start()
    ports = [free_port() for _ in range(n_workers)]
    procs = [start_worker(api, database_url, port) for port in ports]
    try:
        await wait_ready(api, ports)
        # a short warm-up (imports, first queries, connection pools), not counted
        await load(api, ports, min(2 * n_workers, 8), concurrency, 7_000_000 + 100_000 * n_workers, expected)
        own = time.process_time()
        workers_cpu = sum(_proc_cpu(p.pid) for p in procs)
        busy, total = _machine_busy()
        result = await load(api, ports, screenings, concurrency, 8_000_000 + 100_000 * n_workers, expected)
        busy2, total2 = _machine_busy()
        result["cpu_s_workers"] = sum(_proc_cpu(p.pid) for p in procs) - workers_cpu
        result["cpu_s_loadgen_and_api"] = time.process_time() - own
        result["cpu_s_machine"] = busy2 - busy
        result["machine_busy"] = (busy2 - busy) / max(total2 - total, 1e-9)
        result["worker_cpu_ms_per_update"] = (
            1000 * result["cpu_s_workers"] / max(1, result["updates_per_s"] * result["seconds"])
        )
        result["workers"] = n_workers
        result["concurrency"] = concurrency
        return result
    finally:
        stop_workers(procs)
        await api.stop()
