"""Tests of the storage layer, each on SQLite and on PostgreSQL (``database_url``)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import (
    AlreadyProcessed,
    SessionNotFound,
    SessionSnapshot,
    Store,
    StoreError,
    VersionConflict,
    default_sqlite_url,
)
from storage.models import METADATA
from storage.store import _PG_MIGRATION_LOCK_KEY, MIGRATIONS_DIR, _normalise_url

# --------------------------------------------------------------------------- helpers


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def stored_revision(store: Store) -> str | None:
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def count_rows(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def write_with_retry(
    store: Store, session_id: int, changes: Callable[[SessionSnapshot], dict[str, Any]]
) -> tuple[SessionSnapshot, int]:
    """The callers' pattern: reload, compute the change, write; on a conflict, again."""
    conflicts = 0
    while True:
        snapshot = store.get_session(session_id)
        assert snapshot is not None
        try:
            return store.write(session_id, snapshot.version, **changes(snapshot)), conflicts
        except VersionConflict:
            conflicts += 1


def add_answer_and_count(field: str, value: Any) -> Callable[[SessionSnapshot], dict[str, Any]]:
    """A new answer plus a read-modify-write of a counter in channel_state: a lost
    update (two writers both basing their write on the same version) shows as a
    counter smaller than the number of writes."""

    def changes(snapshot: SessionSnapshot) -> dict[str, Any]:
        count = snapshot.channel_state.get("count", 0)
        return {"set_answers": {field: value}, "channel_state": {"count": count + 1}}

    return changes


# Runs in worker processes (spawn): must be importable at module level.
def _worker_open_store(url: str, start_at: float, user: str) -> tuple[str | None, int]:
    time.sleep(max(0.0, start_at - time.time()))
    store = Store(url)  # all workers migrate the fresh database at the same moment
    try:
        session = store.open_session("terminal", user)
        return stored_revision(store), session.id
    finally:
        store.close()


def _worker_hammer(url: str, session_id: int, prefix: str, writes: int) -> int:
    store = Store(url)
    try:
        conflicts = 0
        for k in range(writes):
            _, c = write_with_retry(store, session_id, add_answer_and_count(f"{prefix}_{k}", [prefix, k]))
            conflicts += c
        return conflicts
    finally:
        store.close()


def _worker_warm_up(seconds: float) -> None:
    time.sleep(seconds)  # the import of this module (the slow part) happened already


@pytest.fixture(scope="module")
def process_pool() -> Iterator[Any]:
    """Three warm worker processes (spawned: no state shared with the parent)."""
    pool = multiprocessing.get_context("spawn").Pool(3)
    try:
        # One task each, so that every worker has imported the storage code before a
        # test relies on the three of them starting something at the same moment.
        pool.map(_worker_warm_up, [0.3] * 3, chunksize=1)
        yield pool
    finally:
        pool.close()
        pool.join()


# --------------------------------------------------------------------------- schema


def test_migrations_fresh_and_idempotent(database_url: str) -> None:
    first = Store(database_url)
    try:
        assert stored_revision(first) == head_revision()
        tables = set(sa.inspect(first.engine).get_table_names())
        assert {"applicant", "screening_session", "answer", "alembic_version"} <= tables
        session = first.start_session("terminal", "alice")
        first.write(session.id, session.version, set_answers={"age": 30})
    finally:
        first.close()

    second = Store(database_url)  # upgrade head again: nothing to do, nothing lost
    try:
        assert stored_revision(second) == head_revision()
        again = second.current_session("terminal", "alice")
        assert again is not None and again.answers == {"age": 30} and again.version == 2
        assert count_rows(second, "alembic_version") == 1
    finally:
        second.close()


def test_schema_matches_models(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, METADATA) == []


def test_partial_unique_index_allows_one_current_answer(store: Store) -> None:
    session = store.start_session("terminal", "u")
    store.write(session.id, 1, set_answers={"f": 1})
    store.write(session.id, 2, set_answers={"f": 2})  # two superseded-or-current rows: fine
    insert = sa.text(
        "INSERT INTO answer (session_id, field, value_json, created_at) VALUES (:sid, 'f', '3', CURRENT_TIMESTAMP)"
    )
    with pytest.raises(sa.exc.IntegrityError):
        with store.engine.begin() as connection:
            connection.execute(insert, {"sid": session.id})
    # ... and at most one active session per applicant.
    with pytest.raises(sa.exc.IntegrityError):
        with store.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO screening_session (applicant_id, status, version, channel_state,"
                    " created_at, updated_at) VALUES (:aid, 'active', 1, '{}', CURRENT_TIMESTAMP,"
                    " CURRENT_TIMESTAMP)"
                ),
                {"aid": session.applicant_id},
            )


def test_concurrent_startup_migrates_once(database_url: str, process_pool: Any) -> None:
    start_at = time.time() + 0.5
    results = [process_pool.apply_async(_worker_open_store, (database_url, start_at, f"user{i}")) for i in range(3)]
    outcomes = [r.get(timeout=60) for r in results]
    assert {revision for revision, _ in outcomes} == {head_revision()}
    assert len({session_id for _, session_id in outcomes}) == 3
    with Store(database_url) as store:
        assert count_rows(store, "alembic_version") == 1
        assert count_rows(store, "screening_session") == 3


def test_startup_waits_for_the_migration_lock(database_url: str) -> None:
    """A second process's migration in progress (holding the lock) makes Store() wait."""
    Store(database_url).close()
    url = sa.engine.make_url(database_url)
    holder: Any
    if url.get_backend_name() == "postgresql":
        import psycopg

        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        holder = psycopg.connect(conninfo, autocommit=True)
        holder.execute("SELECT pg_advisory_lock(%s)", (_PG_MIGRATION_LOCK_KEY,))
        release = "SELECT pg_advisory_unlock_all()"
    else:
        holder = sqlite3.connect(str(url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        release = "COMMIT"
    try:
        opened = threading.Event()

        def open_store() -> None:
            Store(database_url).close()
            opened.set()

        thread = threading.Thread(target=open_store)
        thread.start()
        assert not opened.wait(0.5), "Store() did not wait for the migration lock"
        holder.execute(release)
        assert opened.wait(20), "Store() did not proceed after the lock was released"
        thread.join()
    finally:
        holder.close()


# --------------------------------------------------------------------------- sessions


def test_open_start_and_abandon_sessions(store: Store) -> None:
    assert store.current_session("telegram", "42") is None

    first = store.open_session("telegram", "42")
    assert (first.status, first.version, first.answers, first.channel_state) == (
        "active",
        1,
        {},
        {},
    )
    assert (first.channel, first.channel_user_id, first.referral_code) == ("telegram", "42", None)
    assert first.created_at.tzinfo is not None and first.created_at.utcoffset() == timedelta(0)
    assert store.open_session("telegram", "42") == first  # the same session, unchanged
    assert store.current_session("telegram", "42") == first

    second = store.start_session("telegram", "42", referral_code="SHERIFF-7")
    assert second.id != first.id and second.applicant_id == first.applicant_id
    assert (second.status, second.version, second.referral_code) == ("active", 1, "SHERIFF-7")
    old = store.get_session(first.id)
    assert old is not None and old.status == "abandoned" and old.version == 2
    assert store.current_session("telegram", "42") == second

    # Another channel, or another user, is another applicant.
    other = store.open_session("terminal", "42")
    assert other.applicant_id != first.applicant_id
    assert store.current_session("telegram", "42") == second

    # A finished session stays current (and is not abandoned by a later start).
    done = store.write(second.id, 1, status="finished", outcome="eligible", pathway="lateral")
    assert done.finished_at is not None
    assert store.current_session("telegram", "42") == done
    assert store.open_session("telegram", "42") == done
    third = store.start_session("telegram", "42")
    finished = store.get_session(second.id)
    assert finished is not None and finished.status == "finished" and finished.version == 2
    assert store.current_session("telegram", "42") == third
    assert store.get_session(10**9) is None


def test_status_outcome_and_channel_state(store: Store) -> None:
    s = store.start_session("telegram", "7")
    s = store.write(s.id, s.version, channel_state={"keyboard_message_id": 1234, "lang": "en"})
    assert s.channel_state == {"keyboard_message_id": 1234, "lang": "en"}
    s = store.write(s.id, s.version, channel_state={"keyboard_message_id": 99})  # replaced
    assert s.channel_state == {"keyboard_message_id": 99} and s.version == 3

    s = store.write(s.id, s.version, status="finished", outcome="eligible", pathway="lateral")
    assert (s.status, s.outcome, s.pathway) == ("finished", "eligible", "lateral")
    finished_at = s.finished_at
    assert finished_at is not None and finished_at >= s.created_at
    s = store.write(s.id, s.version, status="finished", set_answers={"x": 1})
    assert s.finished_at == finished_at  # finishing again keeps the first stamp
    assert (s.outcome, s.pathway) == ("eligible", "lateral")  # None leaves them unchanged
    assert s.channel_state == {"keyboard_message_id": 99}

    s = store.write(s.id, s.version, status="active")
    assert s.status == "active" and s.finished_at is None

    with pytest.raises(ValueError):
        store.write(s.id, s.version, status="paused")
    # A finished session cannot be reactivated while the applicant has another active one.
    s = store.write(s.id, s.version, status="finished")
    store.start_session("telegram", "7")
    with pytest.raises(StoreError):
        store.write(s.id, s.version, status="active")
    assert store.get_session(s.id) == s


# --------------------------------------------------------------------------- answers


def test_answers_are_superseded_and_history_kept(store: Store) -> None:
    s = store.start_session("terminal", "bob")
    s = store.write(s.id, 1, set_answers={"state": "AL", "years": 3})
    s = store.write(s.id, 2, set_answers={"years": 4})
    s = store.write(s.id, 3, set_answers={"years": 4})  # same value again: still a new row
    assert s.version == 4
    assert s.answers == {"state": "AL", "years": 4}

    history = store.answer_history(s.id)
    assert [(h.field, h.value, h.is_current) for h in history] == [
        ("state", "AL", True),
        ("years", 3, False),
        ("years", 4, False),
        ("years", 4, True),
    ]
    assert all(h.session_id == s.id for h in history)
    assert history[1].superseded_at == history[2].created_at
    assert [h.id for h in history] == sorted(h.id for h in history)
    current = Counter(h.field for h in history if h.is_current)
    assert current == {"state": 1, "years": 1}


def test_clear(store: Store) -> None:
    s = store.start_session("terminal", "carol")
    s = store.write(s.id, 1, set_answers={"a": 1, "b": 2, "c": 3})
    s = store.write(s.id, 2, clear=["a", "never-set"], set_answers={"c": 30})
    assert s.answers == {"b": 2, "c": 30}
    history = store.answer_history(s.id)
    assert [(h.field, h.value, h.is_current) for h in history] == [
        ("a", 1, False),
        ("b", 2, True),
        ("c", 3, False),
        ("c", 30, True),
    ]
    with pytest.raises(ValueError):
        store.write(s.id, 3, set_answers={"b": 5}, clear=["b"])
    assert store.get_session(s.id) == s
    s = store.write(s.id, 3, clear=["b", "c"])
    assert s.answers == {} and s.version == 4
    s = store.write(s.id, 4, set_answers={"a": "again"})
    assert s.answers == {"a": "again"}


def test_version_conflict_writes_nothing(store: Store) -> None:
    s = store.start_session("telegram", "dave")
    s = store.write(s.id, 1, set_answers={"a": 1}, channel_state={"m": 1})
    before_history = store.answer_history(s.id)

    with pytest.raises(VersionConflict) as caught:
        store.write(
            s.id,
            1,
            set_answers={"a": 2, "b": 3},
            clear=["c"],
            status="finished",
            channel_state={"m": 2},
            outcome="x",
            pathway="y",
        )
    assert (caught.value.expected_version, caught.value.actual_version) == (1, 2)
    with pytest.raises(VersionConflict):
        store.write(s.id, 3, clear=["a"])  # from the future: also a conflict
    assert store.get_session(s.id) == s
    assert store.answer_history(s.id) == before_history

    with pytest.raises(SessionNotFound):
        store.write(10**9, 1, set_answers={"a": 1})
    # A double tap: the second, stale write of the same answer is refused.
    first_tap = store.write(s.id, 2, set_answers={"b": True})
    with pytest.raises(VersionConflict):
        store.write(s.id, 2, set_answers={"b": True})
    assert store.get_session(s.id) == first_tap
    assert len(store.answer_history(s.id)) == 2


JSON_VALUES: list[Any] = [
    "plain",
    "emoji 🚓👮‍♀️ and <b>HTML</b> &amp; \"quotes\" 'single' \\ back\nnewline",
    "",
    None,
    0,
    -17,
    2**53,
    3.25,
    True,
    False,
    [],
    {},
    [1, "two", None, [3.5, {"x": False}]],
    {"__not_sure__": True},
    {"nested": {"list": [1, 2, {"ünï": "cødé"}], "empty": {}, "null": None}},
]


def test_json_values_round_trip(store: Store) -> None:
    s = store.start_session("terminal", "erin")
    answers = {f"f{i}": value for i, value in enumerate(JSON_VALUES)}
    state = {"message_id": 5, "text": JSON_VALUES[1], "none": None, "list": [1, 2]}
    s = store.write(s.id, 1, set_answers=answers, channel_state=state)
    for snapshot in (s, store.get_session(s.id), store.current_session("terminal", "erin")):
        assert snapshot is not None
        assert snapshot.answers == answers
        assert snapshot.channel_state == state
        assert type(snapshot.answers["f7"]) is float and type(snapshot.answers["f8"]) is bool
    assert [h.value for h in store.answer_history(s.id)] == JSON_VALUES
    with pytest.raises(TypeError):
        store.write(s.id, 2, set_answers={"bad": object()})
    with pytest.raises(ValueError):
        store.write(s.id, 2, set_answers={"bad": float("nan")})
    assert store.get_session(s.id) == s


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**62), 2**62)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values)
def test_json_values_round_trip_property(store: Store, value: Any) -> None:
    session = store.open_session("terminal", "hypothesis")
    written = store.write(session.id, session.version, set_answers={"v": value})
    assert written.answers["v"] == value
    reloaded = store.get_session(session.id)
    assert reloaded is not None and reloaded.answers["v"] == value


# --------------------------------------------------------------------------- concurrency


def _check_hammered(store: Store, session_id: int, expected_fields: set[str]) -> None:
    final = store.get_session(session_id)
    assert final is not None
    assert set(final.answers) == expected_fields
    history = store.answer_history(session_id)
    assert Counter(h.field for h in history) == Counter(expected_fields)  # no duplicates
    assert all(h.is_current for h in history)
    assert final.version == 1 + len(expected_fields)
    assert final.channel_state == {"count": len(expected_fields)}  # no lost update


def test_two_threads_never_lose_or_duplicate_answers(store: Store) -> None:
    session = store.start_session("telegram", "threads")
    threads_count, writes = 4, 15
    conflicts: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_count)

    def hammer(prefix: str) -> None:
        try:
            barrier.wait()
            total = 0
            for k in range(writes):
                _, c = write_with_retry(store, session.id, add_answer_and_count(f"{prefix}_{k}", [prefix, k]))
                total += c
            conflicts.append(total)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=hammer, args=(f"t{i}",)) for i in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    expected = {f"t{i}_{k}" for i in range(threads_count) for k in range(writes)}
    _check_hammered(store, session.id, expected)
    final = store.get_session(session.id)
    assert final is not None and final.answers["t1_3"] == ["t1", 3]


def test_two_processes_never_lose_or_duplicate_answers(store: Store, database_url: str, process_pool: Any) -> None:
    session = store.start_session("telegram", "processes")
    writes = 12
    prefixes = ["p0", "p1", "p2"]
    results = [
        process_pool.apply_async(_worker_hammer, (database_url, session.id, prefix, writes)) for prefix in prefixes
    ]
    # The parent writes as well, at the same time.
    for k in range(writes):
        write_with_retry(store, session.id, add_answer_and_count(f"main_{k}", k))
    for r in results:
        r.get(timeout=60)
    expected = {f"{p}_{k}" for p in [*prefixes, "main"] for k in range(writes)}
    _check_hammered(store, session.id, expected)


def test_concurrent_open_session_gives_one_session(store: Store) -> None:
    results: list[int] = []
    barrier = threading.Barrier(4)

    def opener() -> None:
        barrier.wait()
        results.append(store.open_session("telegram", "double-tap").id)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 4
    current = store.current_session("telegram", "double-tap")
    assert current is not None and current.status == "active"
    assert count_rows(store, "applicant") == 1
    with store.engine.connect() as connection:
        active = connection.execute(
            sa.text("SELECT count(*) FROM screening_session WHERE status = 'active'")
        ).scalar_one()
    assert active == 1


# --------------------------------------------------------------------------- erasure


def test_delete_applicant_removes_only_their_data(store: Store) -> None:
    def fill(channel: str, user: str) -> list[int]:
        ids = []
        for n in range(2):
            s = store.start_session(channel, user)
            s = store.write(s.id, 1, set_answers={"a": n, "b": "x"})
            store.write(s.id, 2, set_answers={"a": n + 1}, clear=["b"])
            ids.append(s.id)
        return ids

    gone = fill("telegram", "100")
    kept = fill("telegram", "200") + fill("terminal", "100")
    kept_snapshots = [store.get_session(i) for i in kept]
    kept_histories = [store.answer_history(i) for i in kept]

    assert store.delete_applicant("telegram", "100") is True
    assert store.current_session("telegram", "100") is None
    for session_id in gone:
        assert store.get_session(session_id) is None
        assert store.answer_history(session_id) == []
    assert [store.get_session(i) for i in kept] == kept_snapshots
    assert [store.answer_history(i) for i in kept] == kept_histories
    assert count_rows(store, "applicant") == 2
    assert count_rows(store, "screening_session") == 4
    assert count_rows(store, "answer") == 4 * 3

    assert store.delete_applicant("telegram", "100") is False
    assert store.delete_applicant("nowhere", "x") is False
    with pytest.raises(SessionNotFound):
        store.write(gone[1], 3, set_answers={"a": 1})
    # The applicant may come back: a fresh start.
    again = store.open_session("telegram", "100")
    assert again.version == 1 and again.answers == {} and again.id not in gone


# --------------------------------------------------------------------------- locations


def test_from_environment_uses_database_url(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    with Store.from_environment() as store:
        assert store.url.render_as_string(hide_password=False) == database_url
        assert store.open_session("terminal", "env").version == 1


def test_default_sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "custom" / "dir" / "my.db"
    monkeypatch.setenv("LATERAL_SCREENER_DB", str(target))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "ignored"))
    assert default_sqlite_url() == f"sqlite:///{target}"
    Store(default_sqlite_url()).close()  # its folder is made when it is opened
    assert target.is_file()

    monkeypatch.delenv("LATERAL_SCREENER_DB")
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    expected = xdg / "lateral-screener" / "screener.sqlite3"
    assert default_sqlite_url() == f"sqlite:///{expected}"
    assert expected.parent.is_dir()

    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "share" / "lateral-screener" / "screener.sqlite3"
    assert default_sqlite_url() == f"sqlite:///{expected}"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # not absolute: ignored (XDG spec)
    assert default_sqlite_url() == f"sqlite:///{expected}"

    monkeypatch.delenv("DATABASE_URL", raising=False)
    with Store.from_environment() as store:
        assert store.url.database == str(expected)
        assert store.open_session("terminal", "me").version == 1
    assert expected.is_file()


def test_postgres_urls_use_psycopg() -> None:
    for url in ("postgres://u:p@h:5/db", "postgresql://u:p@h:5/db"):
        normalised = _normalise_url(url)
        assert normalised.drivername == "postgresql+psycopg"
        assert normalised.render_as_string(hide_password=False) == "postgresql+psycopg://u:p@h:5/db"


def test_timestamps_are_utc(store: Store) -> None:
    s = store.start_session("terminal", "tz")
    s = store.write(s.id, 1, set_answers={"a": 1}, status="finished")
    for value in (
        s.created_at,
        s.updated_at,
        s.finished_at,
        *(t for h in store.answer_history(s.id) for t in (h.created_at, h.superseded_at) if t),
    ):
        assert value is not None and value.tzinfo is not None
        assert value.astimezone(UTC) == value and value.utcoffset() == timedelta(0)
    assert s.updated_at >= s.created_at


def test_a_redelivered_update_is_applied_once(store: Store) -> None:
    session = store.open_session("telegram", "42")
    first = store.write(session.id, session.version, set_answers={"background": "federal"}, update_id=777)
    with pytest.raises(AlreadyProcessed):
        store.write(first.id, first.version, set_answers={"background": "none"}, update_id=777)
    again = store.current_session("telegram", "42")
    assert again is not None
    assert again.version == first.version and again.answers == {"background": "federal"}
    assert [r.value for r in store.answer_history(session.id)] == ["federal"]
    store.write(first.id, first.version, set_answers={"background": "none"}, update_id=778)  # a new update applies
