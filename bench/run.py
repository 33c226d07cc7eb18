"""Benchmarks of the screener: `python bench/run.py [--quick] [--no-postgres] [--only SECTION ...]`.

Sections (all measured in the same run):
  engine   assessments per second of dialogs.eligibility.assess alone
  app      complete screenings through the real Application (FakeRequest, no sockets) vs a bare
           python-telegram-bot echo bot on the same FakeRequest: updates/s, p50/p99, ratio
  sizes    the same with 1,000 / 10,000 / 100,000 stored sessions, each size in a fresh
           subprocess: per-update cost and peak RSS
  workers  N = 1, 2, 4 real `lateral-screener telegram --webhook-url` processes on PostgreSQL,
           a closed-loop load generator over loopback: screenings per second

Prints a table and writes bench/results/latest.json. PostgreSQL: $BENCH_DATABASE_URL, else
$TEST_DATABASE_URL, else the throwaway server of scripts/test-postgres.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    TODAY,
    build_echo,
    build_screener,
    peak_rss_mb,
    populate,
    run_echo,
    run_screenings,
    summarise,
)

RESULTS = ROOT / "bench" / "results"
SIZES = (1_000, 10_000, 100_000)
TARGET_RATIO = 1.5
TARGET_GROWTH = 0.20
TARGET_RSS_MB = 50.0


# --------------------------------------------------------------------------- databases


def postgres_server() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    result = subprocess.run(["bash", str(ROOT / "scripts" / "test-postgres")], capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    return lines[-1] if result.returncode == 0 and lines else None


def _admin(server_url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)


class Databases:
    """Fresh databases for one run; all removed at the end."""

    def __init__(self, pg_server: str | None) -> None:
        self.pg_server = pg_server
        self.tmp = tempfile.TemporaryDirectory(prefix="lateral-bench-")
        self.pg_names: list[str] = []

    def new(self, backend: str, label: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp.name}/{label}-{uuid.uuid4().hex[:6]}.sqlite3"
        import psycopg
        from sqlalchemy.engine import make_url

        name = f"bench_{label}_{uuid.uuid4().hex[:8]}".replace("-", "_")
        with psycopg.connect(_admin(self.pg_server), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        self.pg_names.append(name)
        return make_url(self.pg_server).set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        if self.pg_server:
            import psycopg

            with psycopg.connect(_admin(self.pg_server), autocommit=True) as db:
                for name in self.pg_names:
                    db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.tmp.cleanup()


def pg_version(server: str | None) -> str | None:
    if not server:
        return None
    import psycopg

    with psycopg.connect(_admin(server)) as db:
        return db.execute("SHOW server_version").fetchone()[0]


# --------------------------------------------------------------------------- sections


def bench_engine(quick: bool) -> dict[str, Any]:
    """assess() on varied answer files (examples/ and perturbed versions of the four pathways)."""
    import random

    from bench.common import _ANSWER_SETS
    from dialogs.answers import answers_from_json
    from dialogs.eligibility import assess

    rng = random.Random(7)
    files = [json.loads(p.read_text()) for p in sorted((ROOT / "examples").glob("*.json"))]
    for i in range(200):
        data = dict(_ANSWER_SETS[i % 4])
        if "basic_course_hours" in data:
            data["basic_course_hours"] = rng.choice([0, 240, 400, 480, 520, 640, 800])
        if "service_start" in data:
            data["service_start"] = f"{rng.randrange(2000, 2024)}-{rng.randrange(1, 13):02d}-01"
        if "service_end" in data and data["service_end"] is not None:
            data["service_end"] = rng.choice([None, "2025-06-30", "2023-01-15", "2026-10-01"])
        data["highest_degree"] = rng.choice(["none", "associate", "bachelor", "master", "doctorate"])
        for flag in ("felony_conviction", "grandfathered_or_exempted"):
            if rng.random() < 0.1:
                data[flag] = True
        if rng.random() < 0.2:
            data.pop(rng.choice(sorted(data)))  # unanswered fields
        files.append(data)
    parsed = []
    for data in files:
        try:
            parsed.append(answers_from_json({"as_of": TODAY.isoformat(), **data}, TODAY))
        except Exception:  # noqa: BLE001 - a perturbation made the file inconsistent: skip it
            pass
    for answers in parsed[:20]:
        assess(answers, TODAY)  # warm-up
    rounds = 5 if quick else 25
    started = time.perf_counter()
    for _ in range(rounds):
        for answers in parsed:
            assess(answers, TODAY)
    elapsed = time.perf_counter() - started
    n = rounds * len(parsed)
    return {
        "answer_files": len(parsed),
        "assessments": n,
        "seconds": elapsed,
        "per_s": n / elapsed,
        "mean_ms": 1000 * elapsed / n,
    }


async def _app_run(
    database_url: str, warmup: int, screenings: int, user_base: int, guess: bool = True
) -> dict[str, Any]:
    app, request = await build_screener(database_url)
    if not guess:  # "before": every turn reads the session first (bot/conversation.py before issue 6)
        app.bot_data["channel"].conversation._recent_size = 0
    try:
        await run_screenings(app, request, list(range(user_base, user_base + warmup)))
        calls_before = sum(request.calls.values())
        latencies, elapsed, completed = await run_screenings(
            app, request, list(range(user_base + warmup, user_base + warmup + screenings))
        )
        result = summarise(latencies, elapsed)
        result["screenings"] = screenings
        result["completed"] = completed
        result["screenings_per_s"] = completed / elapsed
        result["api_calls_per_update"] = (sum(request.calls.values()) - calls_before) / len(latencies)
        return result
    finally:
        await app.shutdown()
        app.bot_data["channel"].store.close()


async def _echo_run(warmup: int, screenings: int) -> dict[str, Any]:
    app, _ = await build_echo()
    try:
        await run_echo(app, list(range(1, 1 + warmup)))
        latencies, elapsed = await run_echo(app, list(range(100, 100 + screenings)))
        return summarise(latencies, elapsed)
    finally:
        await app.shutdown()


def bench_app(dbs: Databases, backends: list[str], quick: bool) -> dict[str, Any]:
    warmup, screenings = (4, 20) if quick else (10, 120)
    out: dict[str, Any] = {"echo": asyncio.run(_echo_run(warmup, screenings))}
    for backend in backends:
        out[backend] = asyncio.run(_app_run(dbs.new(backend, "app"), warmup, screenings, 1))
        out[backend]["ratio_to_echo"] = out[backend]["mean_ms"] / out["echo"]["mean_ms"]
        before = asyncio.run(_app_run(dbs.new(backend, "app0"), warmup, screenings, 1, guess=False))
        before["ratio_to_echo"] = before["mean_ms"] / out["echo"]["mean_ms"]
        out[f"{backend} (before: no snapshot reuse)"] = before
    # echo again at the end: the machine's state did not drift in between
    out["echo_after"] = asyncio.run(_echo_run(warmup, screenings))
    return out


def _child_sized(database_url: str, warmup: int, screenings: int) -> None:
    """Runs in a fresh interpreter on a populated database; prints one JSON line."""
    result = asyncio.run(_app_run(database_url, warmup, screenings, 1))
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def bench_sizes(dbs: Databases, backends: list[str], quick: bool) -> dict[str, Any]:
    warmup, screenings = (3, 15) if quick else (8, 60)
    sizes = SIZES
    out: dict[str, Any] = {}
    for backend in backends:
        rows = {}
        for size in sizes:
            url = dbs.new(backend, f"n{size}")
            fill = subprocess.run(
                [sys.executable, __file__, "--child-populate", url, str(size)],
                capture_output=True,
                text=True,
                check=True,
            )
            populate_s = float(fill.stdout.strip().splitlines()[-1])
            child = subprocess.run(
                [sys.executable, __file__, "--child-sized", url, str(warmup), str(screenings)],
                capture_output=True,
                text=True,
                check=True,
            )
            row = json.loads(child.stdout.strip().splitlines()[-1])
            row["populate_s"] = populate_s
            rows[str(size)] = row
            print(
                f"  sizes {backend} {size:>7}: {row['mean_ms']:.2f} ms/update, peak RSS {row['peak_rss_mb']:.0f} MB "
                f"(populated in {populate_s:.1f} s)",
                flush=True,
            )
        first, last = rows[str(sizes[0])], rows[str(sizes[-1])]
        rows["growth"] = {
            "mean": last["mean_ms"] / first["mean_ms"] - 1,
            "p50": last["p50_ms"] / first["p50_ms"] - 1,
            "rss_mb": last["peak_rss_mb"] - first["peak_rss_mb"],
        }
        out[backend] = rows
    return out


def bench_workers(dbs: Databases, quick: bool) -> dict[str, Any]:
    from bench.workers import replies_per_step, run_workers

    expected = asyncio.run(replies_per_step())
    screenings, concurrency = (16, 16) if quick else (120, 32)
    out: dict[str, Any] = {}
    for n in (1, 2, 4):
        url = dbs.new("postgresql", f"w{n}")
        out[str(n)] = asyncio.run(run_workers(url, n, screenings, concurrency, expected))
        r = out[str(n)]
        print(
            f"  workers N={n}: {r['screenings_per_s']:.2f} screenings/s ({r['completed']}/{r['screenings']} "
            f"completed, {r['updates_per_s']:.0f} updates/s; CPU s: workers {r['cpu_s_workers']:.1f}, "
            f"load generator + Bot API {r['cpu_s_loadgen_and_api']:.1f}, machine {r['cpu_s_machine']:.1f} "
            f"= {100 * r['machine_busy']:.0f}% busy)",
            flush=True,
        )
    return out


# --------------------------------------------------------------------------- report


def table(results: dict[str, Any]) -> str:
    lines: list[str] = []

    def row(*cells: Any) -> None:
        lines.append("  ".join(str(c) for c in cells))

    if "engine" in results:
        e = results["engine"]
        row(
            f"engine  assess(): {e['per_s']:,.0f} assessments/s ({e['mean_ms'] * 1000:.0f} µs each, "
            f"{e['answer_files']} answer files)"
        )
    if "app" in results:
        a = results["app"]
        lines.append("")
        lines.append(
            f"{'in-process (FakeRequest)':28s} {'updates/s':>10s} {'mean ms':>8s} {'p50 ms':>8s} {'p99 ms':>8s} "
            f"{'ratio':>7s} {'screenings/s':>12s}"
        )
        for name in ("echo", *[k for k in a if k not in ("echo", "echo_after")], "echo_after"):
            r = a[name]
            label = {"echo": "bare PTB echo bot", "echo_after": "bare PTB echo bot (again)"}.get(
                name, f"screener, {name}"
            )
            if "before" in name:
                label = "  before (no snapshot reuse)"
            ratio = f"{r['ratio_to_echo']:.1f}x" if "ratio_to_echo" in r else ""
            sps = f"{r['screenings_per_s']:.1f}" if "screenings_per_s" in r else ""
            lines.append(
                f"{label:28s} {r['updates_per_s']:>10,.0f} {r['mean_ms']:>8.3f} {r['p50_ms']:>8.3f} "
                f"{r['p99_ms']:>8.3f} {ratio:>7s} {sps:>12s}"
            )
    if "sizes" in results:
        lines.append("")
        lines.append(
            f"{'stored sessions':28s} {'mean ms':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'peak RSS MB':>11s} "
            f"{'populate s':>10s}"
        )
        for backend, rows in results["sizes"].items():
            for size, r in rows.items():
                if size == "growth":
                    continue
                lines.append(
                    f"{backend + ' ' + format(int(size), ','):28s} {r['mean_ms']:>8.3f} {r['p50_ms']:>8.3f} "
                    f"{r['p99_ms']:>8.3f} {r['peak_rss_mb']:>11.1f} {r['populate_s']:>10.1f}"
                )
            g = rows["growth"]
            lines.append(
                f"{'  growth 1k -> 100k':28s} {100 * g['mean']:>+7.1f}% {100 * g['p50']:>+7.1f}% "
                f"{'':>8s} {g['rss_mb']:>+10.1f}"
            )
    if "workers" in results:
        lines.append("")
        lines.append(
            f"{'workers (PostgreSQL, webhooks)':32s} {'screenings/s':>12s} {'updates/s':>10s} "
            f"{'step p50 ms':>11s} {'step p99 ms':>11s} {'completed':>10s} {'worker CPU ms/upd':>17s} "
            f"{'machine busy':>12s}"
        )
        for n, r in results["workers"].items():
            lines.append(
                f"{'N = ' + n:32s} {r['screenings_per_s']:>12.2f} {r['updates_per_s']:>10.1f} "
                f"{r['step_p50_ms']:>11.1f} {r['step_p99_ms']:>11.1f} "
                f"{str(r['completed']) + '/' + str(r['screenings']):>10s} "
                f"{r['worker_cpu_ms_per_update']:>17.1f} {100 * r['machine_busy']:>11.0f}%"
            )
    if "targets" in results:
        lines.append("")
        for name, t in results["targets"].items():
            lines.append(f"target {name}: {t['value']} (limit {t['limit']}) -> {'MET' if t['met'] else 'MISSED'}")
    return "\n".join(lines)


def targets(results: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for backend in ("sqlite", "postgresql"):
        if "app" in results and backend in results["app"]:
            ratio = results["app"][backend]["ratio_to_echo"]
            out[f"cost vs echo ({backend})"] = {
                "value": f"{ratio:.1f}x",
                "limit": f"<= {TARGET_RATIO}x",
                "met": ratio <= TARGET_RATIO,
            }
        if "sizes" in results and backend in results["sizes"]:
            g = results["sizes"][backend]["growth"]
            out[f"cost growth 1k->100k ({backend})"] = {
                "value": f"{100 * g['mean']:+.1f}%",
                "limit": f"<= {100 * TARGET_GROWTH:.0f}%",
                "met": g["mean"] <= TARGET_GROWTH,
            }
            out[f"RSS growth 1k->100k ({backend})"] = {
                "value": f"{g['rss_mb']:+.1f} MB",
                "limit": f"< {TARGET_RSS_MB:.0f} MB",
                "met": g["rss_mb"] < TARGET_RSS_MB,
            }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke check in under ~2 minutes")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only (skips the worker benchmark)")
    parser.add_argument("--only", nargs="+", choices=("engine", "app", "sizes", "workers"))
    parser.add_argument("--output", default=str(RESULTS / "latest.json"))
    args = parser.parse_args(argv)

    sections = args.only or ["engine", "app", "sizes", "workers"]
    pg = None if args.no_postgres else postgres_server()
    if not args.no_postgres and pg is None:
        print("bench: no PostgreSQL (scripts/test-postgres failed); use --no-postgres", file=sys.stderr)
        return 2
    backends = ["sqlite"] + (["postgresql"] if pg else [])
    import telegram

    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version,
            "postgresql": pg_version(pg),
            "python_telegram_bot": telegram.__version__,
            "quick": args.quick,
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        }
    }
    dbs = Databases(pg)
    started = time.perf_counter()
    try:
        if "engine" in sections:
            print("engine ...", flush=True)
            results["engine"] = bench_engine(args.quick)
        if "app" in sections:
            print("app (in-process, FakeRequest) ...", flush=True)
            results["app"] = bench_app(dbs, backends, args.quick)
        if "sizes" in sections:
            print("sizes (fresh subprocess per size) ...", flush=True)
            results["sizes"] = bench_sizes(dbs, backends, args.quick)
        if "workers" in sections and pg:
            print("workers (real webhook processes on PostgreSQL) ...", flush=True)
            results["workers"] = bench_workers(dbs, args.quick)
    finally:
        dbs.close()
    results["seconds"] = time.perf_counter() - started
    results["targets"] = targets(results)
    print()
    print(table(results))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nresults written to {out} ({results['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-populate":
        print(populate(sys.argv[2], int(sys.argv[3])))
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-sized":
        _child_sized(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(main())
