"""N real webhook workers (`python -m bot.cli telegram --webhook-url ...`) on one PostgreSQL
database, their Bot API the stand-in of the tests (in this process), and a closed-loop load
generator: many applicants, each posting its next update (round robin over the workers'
webhook ports, as a load balancer would) once the webhook answered the last one. A worker
answers once the update's answer is committed and its replies are sent; a screening is
complete when its checklist PDF has arrived.
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
from pathlib import Path
from typing import Any

import aiohttp

from bench.common import ROOT, SECRET, UNLIMITED_RATE, Applicants, percentile, script_for, update_calls
from tests.telegram_standin import SECRET_HEADER, BotApiStandIn


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process, from /proc (0 if unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_worker(standin: BotApiStandIn, database_url: str, port: int, code_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": standin.token,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "TELEGRAM_API_BASE_FILE_URL": standin.base_file_url,
        "TELEGRAM_MAX_RATE": str(UNLIMITED_RATE),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    args = [sys.executable, "-m", "bot.cli", "telegram", "--webhook-url", f"http://127.0.0.1:{port}/tg"]
    args += ["--port", str(port), "--url-path", "tg", "--secret-token", SECRET]
    return subprocess.Popen(args, cwd=code_dir, env=env, stdout=subprocess.DEVNULL)


async def wait_ready(standin: BotApiStandIn, ports: list[int], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(standin.calls_to("setMyCommands")) >= len(ports):
            try:
                for port in ports:
                    _, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                return
            except OSError:
                pass
        await asyncio.sleep(0.1)
    raise TimeoutError("workers did not start")


def stop_workers(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)


async def load(
    standin: BotApiStandIn,
    applicants: Applicants,
    ports: list[int],
    screenings: int,
    concurrency: int,
    user_base: int,
    rate: float | None = None,
) -> dict[str, Any]:
    """Closed loop: each applicant posts its next update as soon as the last one was answered.
    With `rate` (updates/s), paced instead: update k may not start before k / rate seconds, as
    people who read and think between steps would send them, so the latency is that of a
    server under that load rather than of a queue kept full."""
    rr = itertools.count()
    slots = itertools.count()
    loop = asyncio.get_running_loop()
    begin = loop.time()
    steps: list[float] = []
    failures: list[str] = []
    completed = 0
    gate = asyncio.Semaphore(concurrency)

    async def screening(http: aiohttp.ClientSession, n: int) -> None:
        nonlocal completed
        user_id = user_base + n
        async with gate:
            for step in script_for(n):
                if rate is not None:
                    delay = begin + next(slots) / rate - loop.time()
                    if delay > 0:
                        await asyncio.sleep(delay)  # pacing the offered load (a benchmark, not a test)
                update = applicants.step(user_id, step)
                port = ports[next(rr) % len(ports)]
                t0 = time.perf_counter()
                async with http.post(
                    f"http://127.0.0.1:{port}/tg", json=update, headers={SECRET_HEADER: SECRET}
                ) as response:
                    await response.read()
                if response.status != 200:
                    failures.append(f"{user_id}: HTTP {response.status} for {step!r}")
                    return
                steps.append(time.perf_counter() - t0)
            if await standin.state.wait_for(lambda: applicants.documents(user_id) >= 1, 60):
                completed += 1
            else:
                failures.append(f"{user_id}: no checklist PDF")

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency * 2)) as http:
        started = time.perf_counter()
        await asyncio.gather(*(screening(http, n) for n in range(screenings)))
        elapsed = time.perf_counter() - started
    return {
        "screenings": screenings,
        "completed": completed,
        "failed": len(failures),
        "failures": failures[:5],
        "seconds": elapsed,
        "updates": len(steps),
        "screenings_per_s": completed / elapsed,
        "updates_per_s": len(steps) / elapsed,
        "step_p50_ms": 1000 * percentile(steps, 50),
        "step_p99_ms": 1000 * percentile(steps, 99),
    }


async def run_workers(
    database_url: str,
    n_workers: int,
    screenings: int,
    concurrency: int,
    code_dir: Path = ROOT,
    rate: float | None = None,
) -> dict[str, Any]:
    subprocess.run(  # migrate once, before the workers start (with the code under test)
        [sys.executable, "-c", f"from storage import Store; Store({database_url!r}).close()"], cwd=code_dir, check=True
    )
    async with BotApiStandIn() as standin:
        applicants = Applicants(standin)
        ports = [free_port() for _ in range(n_workers)]
        procs = [start_worker(standin, database_url, port, code_dir) for port in ports]
        try:
            await wait_ready(standin, ports)
            # a short warm-up (imports, first queries, connection pools), not counted
            await load(standin, applicants, ports, min(4 * n_workers, 16), concurrency, 7_000_000)
            workers_cpu = sum(_proc_cpu(p.pid) for p in procs)
            own = time.process_time()
            calls = update_calls(standin)
            busy, total = _machine_busy()
            result = await load(standin, applicants, ports, screenings, concurrency, 8_000_000, rate)
            busy2, total2 = _machine_busy()
            result["cpu_s_workers"] = sum(_proc_cpu(p.pid) for p in procs) - workers_cpu
            result["cpu_s_standin_and_load"] = time.process_time() - own
            result["machine_busy"] = (busy2 - busy) / max(total2 - total, 1e-9)
            result["worker_cpu_ms_per_update"] = 1000 * result["cpu_s_workers"] / max(1, result["updates"])
            result["api_calls_per_update"] = (update_calls(standin) - calls) / max(1, result["updates"])
            result["workers"] = n_workers
            result["concurrency"] = concurrency
            result["offered_rate"] = rate
            return result
        finally:
            stop_workers(procs)
