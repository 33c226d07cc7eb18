"""Personal data on disk: private by default, and gone when deleted.

* Modes: the data folder 0700; the SQLite database, its -wal and -shm, and the checklist
  PDFs 0600, whatever the umask; an existing install is tightened when it starts.
* Deletion: `delete` (and the retention purge) leave no row in any table that refers to the
  applicant or their sessions, and on SQLite no copy of their answers in the -wal file or in
  the database file's free pages.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from storage import SessionSnapshot, Store
from storage.leads import SharedResult, share_lead, withdraw_leads
from storage.models import METADATA, utcnow
from storage.recruiting import Recruiting
from storage.retention import PurgeReport, purge
from tests.screenings import FEDERAL_TYPED as FEDERAL

ROOT = Path(__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def chat_with_umask(home: Path, lines: list[str], umask: int = 0o022, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input="\n".join(lines) + "\n",
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=lambda: os.umask(umask),
        env={**os.environ, "LATERAL_SCREENER_HOME": str(home), **env},
    )


# --- file modes -----------------------------------------------------------------------------
def test_a_screening_with_umask_022_leaves_only_private_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LATERAL_SCREENER_DB")}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input="\n".join(FEDERAL) + "\n",
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
        env={**env, "LATERAL_SCREENER_HOME": str(home)},
    )
    assert done.returncode == 0, done.stderr
    pdfs = list((home / "checklists").glob("*.pdf"))
    assert len(pdfs) == 1
    assert mode(home) == 0o700 and mode(home / "checklists") == 0o700
    assert mode(home / "screener.sqlite3") == 0o600 and mode(pdfs[0]) == 0o600
    everything = [p for p in home.rglob("*")]
    assert all(mode(p) & 0o077 == 0 for p in everything), {str(p): oct(mode(p)) for p in everything}


def test_the_wal_and_shm_files_are_private_too(tmp_path: Path) -> None:
    path = tmp_path / "db" / "screener.sqlite3"
    old = os.umask(0o022)
    try:
        with Store(f"sqlite:///{path}") as store:
            store.open_session("terminal", "me")  # a write: the -wal and -shm exist while the store is open
            files = {p.name: mode(p) for p in path.parent.iterdir()}
    finally:
        os.umask(old)
    assert files == {"screener.sqlite3": 0o600, "screener.sqlite3-wal": 0o600, "screener.sqlite3-shm": 0o600}
    assert mode(path.parent) == 0o700


def test_an_existing_install_is_tightened_when_it_starts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = chat_with_umask(home, ["quit"], DATABASE_URL="", LATERAL_SCREENER_DB="")
    assert done.returncode == 0, done.stderr
    database = home / "screener.sqlite3"
    leftovers = [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm")]
    for file in leftovers:
        file.write_bytes(b"")  # as an older version may have left them
    checklists = home / "checklists"
    checklists.mkdir()
    pdf = checklists / "checklist-2026-01-01-0123456789ab-1.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    for path, loose in (
        (home, 0o755),
        (database, 0o644),
        (checklists, 0o755),
        (pdf, 0o644),
        *((f, 0o644) for f in leftovers),
    ):
        os.chmod(path, loose)
    done = chat_with_umask(home, ["quit"], DATABASE_URL="", LATERAL_SCREENER_DB="")
    assert done.returncode == 0, done.stderr
    assert mode(home) == 0o700 and mode(database) == 0o600
    assert mode(checklists) == 0o700 and mode(pdf) == 0o600
    assert all(mode(f) == 0o600 for f in leftovers if f.exists())


def test_a_file_that_is_not_a_database_keeps_its_mode(tmp_path: Path) -> None:
    """LATERAL_SCREENER_DB pointed at the wrong file: refused, and its mode is not ours to change."""
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n")
    os.chmod(other, 0o644)
    done = chat_with_umask(tmp_path / "home", ["quit"], DATABASE_URL="", LATERAL_SCREENER_DB=str(other))
    assert done.returncode == 5 and "is not a database" in done.stderr
    assert mode(other) == 0o644


# --- deletion -------------------------------------------------------------------------------
MARKER = "zq-erase-me-7f3a"  # in every answer (with the user's id), so any copy left on disk can be found


def referring_rows(store: Store, applicant_id: int, session_ids: set[int], marker: str) -> dict[str, list[Any]]:
    """Rows of every table that refer to the applicant or their sessions. A table without a
    rule here fails the test, so a new table cannot be forgotten by deletion."""
    rules: dict[str, Callable[[Any], bool]] = {
        "applicant": lambda r: r.id == applicant_id,
        "screening_session": lambda r: r.id in session_ids or r.applicant_id == applicant_id,
        "answer": lambda r: r.session_id in session_ids or marker in r.value_json,
        "processed_update": lambda r: r.session_id in session_ids,
        "lead": lambda r: (
            r.applicant_id == applicant_id
            or marker in r.snapshot_json
            or marker in (r.contact or "")
            or marker in (r.notes or "")
        ),
        "recruiter": lambda r: False,  # recruiters, their agencies and claim attempts hold no applicant data
        "agency": lambda r: False,
        "claim_attempt": lambda r: False,
        "sign_in_link": lambda r: False,  # dashboard sign-in: recruiters only, token hashes
        "web_session": lambda r: False,
        "sign_in_failure": lambda r: False,  # a keyed hash of a client address
    }
    assert set(rules) == set(METADATA.tables), "a table without a deletion rule"
    found = {}
    with store.engine.connect() as connection:
        for name, table in METADATA.tables.items():
            found[name] = [r for r in connection.execute(sa.select(table)).all() if rules[name](r)]
    return {name: rows for name, rows in found.items() if rows}


def screened(store: Store, user: str, update_ids: range) -> tuple[int, set[int]]:
    """An applicant with two sessions (one abandoned), answers edited (history), updates recorded."""
    ids, marker = iter(update_ids), f"{MARKER}-{user}"
    first = store.start_session("telegram", user)
    s = store.write(first.id, first.version, set_answers={"background": f"{marker}-1"}, update_id=next(ids))
    store.write(s.id, s.version, set_answers={"background": f"{marker}-2"}, update_id=next(ids))
    recruiter, _ = Recruiting(store).add("Mobile PD", "Ana")
    second = store.start_session("telegram", user, recruiter_id=recruiter.id)
    s = store.write(second.id, second.version, set_answers={"certifying_state": f"{marker}-3"}, update_id=next(ids))
    shared = SharedResult({"as_of": "2026-11-22", "certifying_state": f"{marker}-3"}, None)

    def share(db: Session, session: SessionSnapshot) -> None:
        share_lead(db, session, f"+1205555{marker}", shared, utcnow())

    store.write(s.id, s.version, status="finished", update_id=next(ids), also=share)
    return first.applicant_id, {first.id, second.id}


def test_delete_leaves_no_row_that_refers_to_the_applicant(store: Store) -> None:
    applicant, sessions = screened(store, "gone", range(1, 100))
    other, other_sessions = screened(store, "stays", range(100, 200))
    assert referring_rows(store, applicant, sessions, f"{MARKER}-gone")
    assert store.delete_applicant("telegram", "gone")
    assert referring_rows(store, applicant, sessions, f"{MARKER}-gone") == {}
    assert set(referring_rows(store, other, other_sessions, f"{MARKER}-stays")) == {
        "applicant",
        "screening_session",
        "answer",
        "processed_update",
        "lead",
    }


def withdraw_and_purge_a_month_later(store: Store, sessions: set[int]) -> PurgeReport:
    shared = store.get_session(max(sessions))
    assert shared is not None

    def withdraw(db: Session, session: SessionSnapshot) -> None:
        withdraw_leads(db, session.applicant_id)

    # consent withdrawn: the result follows the rule for unshared screenings
    store.write(shared.id, shared.version, also=withdraw)
    return purge(store, 30, 365, now=lambda: utcnow() + timedelta(days=31))


def test_the_purge_leaves_no_row_that_refers_to_purged_sessions(store: Store) -> None:
    applicant, sessions = screened(store, "old", range(1, 100))
    report = withdraw_and_purge_a_month_later(store, sessions)
    assert report.sessions == 2 and report.applicants == 1
    assert referring_rows(store, applicant, sessions, f"{MARKER}-old") == {}


def sqlite_file(store: Store) -> Path:
    database = store.url.database
    assert database is not None, "a SQLite store has a database file"
    return Path(database)


def test_after_delete_the_sqlite_files_hold_none_of_the_answers(sqlite_url: str) -> None:
    with Store(sqlite_url) as store:
        screened(store, "gone", range(1, 100))
        path = sqlite_file(store)
        wal = path.with_name(path.name + "-wal")
        assert MARKER.encode() in wal.read_bytes() + path.read_bytes()
        assert store.delete_applicant("telegram", "gone")
        # the store is still open: the log was emptied by the deletion itself, not by closing
        assert wal.stat().st_size == 0
        assert MARKER.encode() not in path.read_bytes()  # freed pages were overwritten (secure_delete)


def test_after_the_purge_the_sqlite_files_hold_none_of_the_answers(sqlite_url: str) -> None:
    with Store(sqlite_url) as store:
        _, sessions = screened(store, "old", range(1, 100))
        path = sqlite_file(store)
        withdraw_and_purge_a_month_later(store, sessions)
        assert path.with_name(path.name + "-wal").stat().st_size == 0
        assert MARKER.encode() not in path.read_bytes()


def test_the_terminal_delete_removes_rows_files_and_pdfs(tmp_path: Path, database_url: str) -> None:
    home = tmp_path / "home"
    done = chat_with_umask(home, FEDERAL, DATABASE_URL=database_url)
    assert done.returncode == 0, done.stderr
    assert list((home / "checklists").glob("*.pdf"))
    done = chat_with_umask(home, ["delete", "yes"], DATABASE_URL=database_url)
    assert done.returncode == 0, done.stderr
    assert not list((home / "checklists").glob("*.pdf"))
    with Store(database_url) as store, store.engine.connect() as connection:
        for table in METADATA.tables.values():
            if table.name != "recruiter":
                assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0, table.name
