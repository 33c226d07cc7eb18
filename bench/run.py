"""Benchmarks of the screener: `python -m bench.run [--quick] [--before REF] [--no-postgres] [--only ...]`.

Sections (all measured in the same run, side by side):
  engine   assessments per second of dialogs.eligibility.assess alone
  app      complete screenings, one update at a time, each bot in a fresh process with the Bot
           API stand-in of the tests: the bare echo bot, the peer (bench/peer.py: PTB
           ConversationHandler, each answer committed to SQLite before the reply), and the
           screener on SQLite, PostgreSQL (test server, fsync=off) and a durable PostgreSQL
           (fsync=on, synchronous_commit=on); with --before REF, the screener of that git
           revision beside each; ratios to echo and to the peer; Bot API calls, statements,
           round trips and transactions per update
  sizes    the screener with 1,000 / 10,000 / 100,000 stored sessions: cost and peak RSS
  workers  N = 1, 2, 4 webhook workers on PostgreSQL under a closed-loop load (and N = 1, 2 of
           the --before revision): updates/s, step p50/p99, worker CPU per update

Prints a table and writes bench/results/latest.json. PostgreSQL: $BENCH_DATABASE_URL, else
$TEST_DATABASE_URL, else the throwaway server of scripts/test-postgres; the durable server is
a second throwaway cluster of the same script (stopped at the end).
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

if __package__ in (None, ""):  # `python bench/run.py`: import the package from the tree
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, TODAY, populate  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SIZES = (1_000, 10_000, 100_000)
DURABLE_STATE_DIR = Path(tempfile.gettempdir()) / f"lateral-screener-pg-durable-{os.getuid()}"

# Targets of issue 14 (benchmark figures, not timed tests)
TARGET_SQLITE_VS_PEER = 2.5
TARGET_SQLITE_VS_ECHO = 6.0
TARGET_PG_VS_ECHO = 10.0
TARGET_WORKER_CPU_MS = 5.0
TARGET_TWO_WORKERS_UPDATES_S = 250.0
TARGET_STEP_P99_MS = 100.0
TARGET_GROWTH = 0.20
PACED_RATE = 120.0  # updates/s offered in the paced worker runs (what this shared machine sustains)
TARGET_RSS_MB = 50.0


# --------------------------------------------------------------------------- databases


def postgres_server() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    result = subprocess.run(["bash", str(ROOT / "scripts" / "test-postgres")], capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    return lines[-1] if result.returncode == 0 and lines else None


def durable_postgres_server() -> str | None:
    """A second throwaway cluster with durability on: fsync, synchronous_commit, full_page_writes."""
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    env["LATERAL_PG_STATE_DIR"] = str(DURABLE_STATE_DIR)
    result = subprocess.run(["bash", str(ROOT / "scripts" / "test-postgres")], capture_output=True, text=True, env=env)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        return None
    import psycopg

    with psycopg.connect(_admin(lines[-1]), autocommit=True) as db:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            db.execute(f"ALTER SYSTEM SET {setting} = on")
        db.execute("SELECT pg_reload_conf()")
    with psycopg.connect(_admin(lines[-1]), autocommit=True) as db:
        if [db.execute(f"SHOW {s}").fetchone() for s in ("fsync", "synchronous_commit")] != [("on",), ("on",)]:
            return None
    return lines[-1]


def stop_durable_server() -> None:
    env = {**os.environ, "LATERAL_PG_STATE_DIR": str(DURABLE_STATE_DIR)}
    subprocess.run(["bash", str(ROOT / "scripts" / "test-postgres"), "--stop"], capture_output=True, env=env)


def _admin(server_url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)


class Databases:
    """Fresh databases for one run; all removed at the end."""

    def __init__(self, servers: dict[str, str]) -> None:
        self.servers = servers  # backend name -> server URL (PostgreSQL)
        self.tmp = tempfile.TemporaryDirectory(prefix="lateral-bench-")
        self.made: list[tuple[str, str]] = []

    def new(self, backend: str, label: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp.name}/{label}-{uuid.uuid4().hex[:6]}.sqlite3"
        import psycopg
        from sqlalchemy.engine import make_url

        server = self.servers[backend]
        name = f"bench_{label}_{uuid.uuid4().hex[:8]}".replace("-", "_")
        with psycopg.connect(_admin(server), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        self.made.append((server, name))
        return make_url(server).set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        import psycopg

        for server, name in self.made:
            try:
                with psycopg.connect(_admin(server), autocommit=True) as db:
                    db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except psycopg.Error:
                pass
        self.tmp.cleanup()


def pg_version(server: str | None) -> str | None:
    if not server:
        return None
    import psycopg

    with psycopg.connect(_admin(server)) as db:
        row = db.execute("SHOW server_version").fetchone()
        return None if row is None else str(row[0])


def checkout(ref: str, into: Path) -> Path:
    """The tree of git revision `ref`, unpacked (no git metadata is touched)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


# --------------------------------------------------------------------------- sections


def bench_engine(quick: bool) -> dict[str, Any]:
    """assess() on varied answer files (examples/ and perturbed versions of the four pathways)."""
    import random

    from bench.common import _ANSWER_SETS
    from dialogs.answers import answers_from_json
    from dialogs.eligibility import assess

    rng = random.Random(7)
    files: list[dict[str, Any]] = [json.loads(p.read_text()) for p in sorted((ROOT / "examples").glob("*.json"))]
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


def _child(args: list[str]) -> dict[str, Any]:
    """Run `python -m bench.run <args>` in a fresh interpreter; its last stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "bench.run", *args], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench child {args} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _inprocess(kind: str, url: str | None, warmup: int, screenings: int, code: Path | None = None) -> dict[str, Any]:
    return _child(["--child-inprocess", kind, url or "-", str(warmup), str(screenings), str(code or "-")])


def bench_app(dbs: Databases, backends: list[str], quick: bool, before: Path | None) -> dict[str, Any]:
    warmup, screenings = (4, 16) if quick else (8, 80)
    rows: dict[str, Any] = {}

    def run(name: str, kind: str, backend: str | None = None, code: Path | None = None) -> None:
        url = dbs.new(backend, name.replace(" ", "_").replace(",", "")[:20]) if backend else None
        rows[name] = _inprocess(kind, url, warmup, screenings, code)
        print(f"  {name}: {rows[name]['mean_ms']:.2f} ms/update", flush=True)

    run("echo", "echo")
    run("echo (aiohttp)", "echo-aiohttp")
    run("peer", "peer")
    run("peer (aiohttp)", "peer-aiohttp")
    for backend in backends:
        run(f"screener {backend}", "screener", backend)
        if before is not None:
            run(f"screener {backend} (before)", "screener", backend, before)
    run("echo again", "echo")
    run("echo (aiohttp) again", "echo-aiohttp")
    run("peer again", "peer")
    run("peer (aiohttp) again", "peer-aiohttp")
    # min of rounds (noise only adds). Two baselines: the bots as PTB builds them (httpx), and
    # the fastest of either client (aiohttp, the screener's own), so a client change of the
    # screener's cannot flatter its ratios
    echo = min(rows["echo"]["mean_ms"], rows["echo again"]["mean_ms"])
    peer = min(rows["peer"]["mean_ms"], rows["peer again"]["mean_ms"])
    echo_fastest = min(r["mean_ms"] for name, r in rows.items() if name.startswith("echo"))
    peer_fastest = min(r["mean_ms"] for name, r in rows.items() if name.startswith("peer"))
    for row in rows.values():
        row["ratio_to_echo"] = row["mean_ms"] / echo
        row["ratio_to_peer"] = row["mean_ms"] / peer
        row["ratio_to_fastest_echo"] = row["mean_ms"] / echo_fastest
        row["ratio_to_fastest_peer"] = row["mean_ms"] / peer_fastest
    return rows


def bench_sizes(dbs: Databases, backends: list[str], quick: bool) -> dict[str, Any]:
    warmup, screenings = (3, 12) if quick else (6, 40)
    out: dict[str, Any] = {}
    for backend in backends:
        rows: dict[str, Any] = {}
        for size in SIZES:
            url = dbs.new(backend, f"n{size}")
            fill = subprocess.run(
                [sys.executable, "-m", "bench.run", "--child-populate", url, str(size)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            row = _inprocess("screener", url, warmup, screenings)
            row["populate_s"] = float(fill.stdout.strip().splitlines()[-1])
            rows[str(size)] = row
            print(f"  sizes {backend} {size:>7}: {row['mean_ms']:.2f} ms/update, RSS {row['peak_rss_mb']:.0f} MB")
        first, last = rows[str(SIZES[0])], rows[str(SIZES[-1])]
        rows["growth"] = {
            "mean": last["mean_ms"] / first["mean_ms"] - 1,
            "p50": last["p50_ms"] / first["p50_ms"] - 1,
            "rss_mb": last["peak_rss_mb"] - first["peak_rss_mb"],
        }
        out[backend] = rows
    return out


def bench_workers(dbs: Databases, quick: bool, before: Path | None) -> dict[str, Any]:
    from bench.workers import run_workers

    screenings, concurrency = (16, 16) if quick else (96, 32)
    out: dict[str, Any] = {}
    runs: list[tuple[str, int, Path, float | None]] = [(f"N = {n}", n, ROOT, None) for n in (1, 2, 4)]
    if before is not None:
        runs += [(f"N = {n} (before)", n, before, None) for n in (1, 2)]
    # latency at a given load: paced at PACED_RATE updates/s, 64 applicants at a time
    runs += [(f"N = 2 paced {PACED_RATE:.0f}/s", 2, ROOT, PACED_RATE)]
    if before is not None:
        runs += [(f"N = 2 paced {PACED_RATE:.0f}/s (before)", 2, before, PACED_RATE)]
    for name, n, code, rate in runs:
        paced = rate is not None
        r = asyncio.run(
            run_workers(
                dbs.new("postgresql", f"w{n}"),
                n,
                screenings,
                2 * concurrency if paced else concurrency,
                code,
                rate,
            )
        )
        out[name] = r
        print(
            f"  workers {name}: {r['updates_per_s']:.0f} updates/s, step p99 {r['step_p99_ms']:.0f} ms, "
            f"worker CPU {r['worker_cpu_ms_per_update']:.1f} ms/update ({r['completed']}/{r['screenings']})",
            flush=True,
        )
    return out


# --------------------------------------------------------------------------- report


def table(results: dict[str, Any]) -> str:
    lines: list[str] = []
    if "engine" in results:
        e = results["engine"]
        lines.append(
            f"engine  assess(): {e['per_s']:,.0f} assessments/s ({e['mean_ms'] * 1000:.0f} µs each, "
            f"{e['answer_files']} answer files)"
        )
    if "app" in results:
        lines += ["", "in-process, one update at a time, Bot API stand-in on loopback HTTP (per update)"]
        lines.append(
            f"{'':32s} {'mean ms':>8s} {'turn ms':>7s} {'p50 ms':>7s} {'p99 ms':>7s} {'CPU ms':>7s} {'x echo':>7s} "
            f"{'x peer':>7s} {'x echo*':>7s} {'x peer*':>7s} "
            f"{'API calls':>9s} {'stmts':>6s} {'trips':>6s} {'txns':>5s}"
        )
        for name, r in results["app"].items():
            db = (
                f"{r['statements_per_update']:>6.2f} {r['round_trips_per_update']:>6.2f} "
                f"{r['transactions_per_update']:>5.2f}"
                if "statements_per_update" in r
                else ""
            )
            lines.append(
                f"{name:32s} {r['mean_ms']:>8.2f} {r.get('turn_ms', r['mean_ms']):>7.2f} {r['p50_ms']:>7.2f} "
                f"{r['p99_ms']:>7.2f} "
                f"{r['cpu_ms_per_update']:>7.2f} "
                f"{r['ratio_to_echo']:>6.1f}x {r['ratio_to_peer']:>6.1f}x {r['ratio_to_fastest_echo']:>6.1f}x "
                f"{r['ratio_to_fastest_peer']:>6.1f}x {r['api_calls_per_update']:>9.2f} {db}"
            )
    if "sizes" in results:
        lines += ["", f"{'stored sessions':32s} {'mean ms':>8s} {'p50 ms':>7s} {'p99 ms':>7s} {'RSS MB':>7s}"]
        for backend, rows in results["sizes"].items():
            for size, r in rows.items():
                if size != "growth":
                    lines.append(
                        f"{backend + ' ' + format(int(size), ','):32s} {r['mean_ms']:>8.2f} {r['p50_ms']:>7.2f} "
                        f"{r['p99_ms']:>7.2f} {r['peak_rss_mb']:>7.1f}"
                    )
            g = rows["growth"]
            lines.append(f"{'  growth 1k -> 100k':32s} {100 * g['mean']:>+7.1f}% {100 * g['p50']:>+6.1f}% {'':7s} "
                         f"{g['rss_mb']:>+7.1f}")  # fmt: skip
    if "workers" in results:
        lines += ["", "webhook workers on PostgreSQL (test server), closed loop, stand-in Bot API"]
        lines.append(
            f"{'':32s} {'updates/s':>9s} {'step p50':>8s} {'step p99':>8s} {'CPU ms/upd':>10s} {'busy':>5s} "
            f"{'API calls':>9s} {'done':>7s}"
        )
        for name, r in results["workers"].items():
            lines.append(
                f"{name:32s} {r['updates_per_s']:>9.1f} {r['step_p50_ms']:>8.1f} {r['step_p99_ms']:>8.1f} "
                f"{r['worker_cpu_ms_per_update']:>10.2f} {100 * r['machine_busy']:>4.0f}% "
                f"{r['api_calls_per_update']:>9.2f} {r['completed']:>3d}/{r['screenings']:<3d}"
            )
    if results.get("targets"):
        lines.append("")
        for name, t in results["targets"].items():
            lines.append(f"target {name}: {t['value']} (limit {t['limit']}) -> {'met' if t['met'] else 'MISSED'}")
    return "\n".join(lines)


def targets(results: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def target(name: str, value: float, limit: float, unit: str, at_most: bool = True) -> None:
        out[name] = {
            "value": f"{value:.2f}{unit}",
            "limit": f"{'<=' if at_most else '>='} {limit}{unit}",
            "met": value <= limit if at_most else value >= limit,
        }

    app = results.get("app", {})
    for suffix, key in (("", ""), (" (*: fastest client)", "fastest_")):
        if "screener sqlite" in app:
            sqlite = app["screener sqlite"]
            target(f"SQLite vs peer{suffix}", sqlite[f"ratio_to_{key}peer"], TARGET_SQLITE_VS_PEER, "x")
            target(f"SQLite vs echo{suffix}", sqlite[f"ratio_to_{key}echo"], TARGET_SQLITE_VS_ECHO, "x")
        if "screener postgresql" in app:
            ratio = app["screener postgresql"][f"ratio_to_{key}echo"]
            target(f"PostgreSQL (test server) vs echo{suffix}", ratio, TARGET_PG_VS_ECHO, "x")
    workers = results.get("workers", {})
    if "N = 1" in workers:
        target("worker CPU per update", workers["N = 1"]["worker_cpu_ms_per_update"], TARGET_WORKER_CPU_MS, " ms")
    if "N = 2" in workers:
        two = workers["N = 2"]
        target("two workers", two["updates_per_s"], TARGET_TWO_WORKERS_UPDATES_S, " updates/s", at_most=False)
    paced = f"N = 2 paced {PACED_RATE:.0f}/s"
    if paced in workers:
        target(
            f"two workers: step p99 at {PACED_RATE:.0f} updates/s",
            workers[paced]["step_p99_ms"],
            TARGET_STEP_P99_MS,
            " ms",
        )
    for backend, rows in results.get("sizes", {}).items():
        target(f"cost growth 1k->100k ({backend})", 100 * rows["growth"]["mean"], 100 * TARGET_GROWTH, "%")
        target(f"RSS growth 1k->100k ({backend})", rows["growth"]["rss_mb"], TARGET_RSS_MB, " MB")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke check")
    parser.add_argument("--before", metavar="REF", help="also measure the screener of this git revision (or folder)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only (skips the worker benchmark)")
    parser.add_argument("--no-durable", action="store_true", help="skip the durable PostgreSQL server")
    parser.add_argument("--only", nargs="+", choices=("engine", "app", "sizes", "workers"))
    parser.add_argument("--output", default=str(RESULTS / "latest.json"))
    args = parser.parse_args(argv)

    sections = args.only or ["engine", "app", "sizes", "workers"]
    servers: dict[str, str] = {}
    if not args.no_postgres:
        pg = postgres_server()
        if pg is None:
            print("bench: no PostgreSQL (scripts/test-postgres failed); use --no-postgres", file=sys.stderr)
            return 2
        servers["postgresql"] = pg
        if not args.no_durable and "app" in sections:
            durable = durable_postgres_server()
            if durable is None:
                print("bench: the durable PostgreSQL server did not start; skipped", file=sys.stderr)
            else:
                servers["postgresql durable"] = durable
    backends = ["sqlite", *servers]
    import telegram

    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version,
            "postgresql": pg_version(servers.get("postgresql")),
            "python_telegram_bot": telegram.__version__,
            "quick": args.quick,
            "before": args.before,
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        }
    }
    dbs = Databases(servers)
    started = time.perf_counter()
    tmp = tempfile.TemporaryDirectory(prefix="lateral-bench-before-")
    before = None
    if args.before:  # a revision, or a folder already holding a tree
        before = Path(args.before) if Path(args.before).is_dir() else checkout(args.before, Path(tmp.name))
    try:
        if "engine" in sections:
            print("engine ...", flush=True)
            results["engine"] = bench_engine(args.quick)
        if "app" in sections:
            print("app (in-process, one fresh process per bot) ...", flush=True)
            results["app"] = bench_app(dbs, backends, args.quick, before)
        if "sizes" in sections:
            print("sizes ...", flush=True)
            results["sizes"] = bench_sizes(dbs, [b for b in backends if b != "postgresql durable"], args.quick)
        if "workers" in sections and "postgresql" in servers:
            print("workers (webhook processes on PostgreSQL) ...", flush=True)
            results["workers"] = bench_workers(dbs, args.quick, before)
    finally:
        dbs.close()
        tmp.cleanup()
        if "postgresql durable" in servers:
            stop_durable_server()
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
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-inprocess":
        from bench.inprocess import child

        child(sys.argv[2:])
    else:
        sys.exit(main())
