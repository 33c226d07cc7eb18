"""The cost of an answer, counted: statements and transactions per update (issue 14).

Counted with SQLAlchemy's engine events, so the budget is checked the same way on SQLite and
PostgreSQL: every statement the driver executes, every BEGIN (PostgreSQL's is implicit, sent
with the first statement) and every COMMIT. Timings are not asserted here (see bench/).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bench.common import Statements, counting_statements
from bot.conversation import Conversation, next_ask
from dialogs.interview import Command, Text
from storage import Store
from tests.screenings import OUT_OF_STATE_TYPED

TODAY = date(2026, 11, 22)
ANSWER_BUDGET = 6  # statements of an answer update, BEGIN and COMMIT included


@contextlib.contextmanager
def counting(store: Store) -> Iterator[Statements]:
    """Statements, BEGINs and COMMITs on the store's engine (the benchmark's own counter)."""
    with counting_statements(store.engine) as counted:
        yield counted


def test_an_answer_is_one_lean_transaction(store: Store) -> None:
    session = store.open_session("telegram", "42")
    with counting(store) as first:
        saved = store.write(
            session.id, session.version, set_answers={"background": "federal"}, update_id=1, base=session
        )
    assert first.commits == 1 and first.round_trips <= ANSWER_BUDGET, first
    assert "SAVEPOINT" not in first.kinds and "SELECT" not in first.kinds, first
    # the snapshot built in memory is the one a read gives
    assert store.get_session(session.id) == saved

    with counting(store) as edit:  # an edit supersedes the current answer: one statement more
        edited = store.write(
            saved.id, saved.version, set_answers={"background": "none"}, clear=["x"], update_id=2, base=saved
        )
    assert edit.commits == 1 and edit.round_trips <= ANSWER_BUDGET, edit
    assert store.get_session(session.id) == edited
    assert [(r.value, r.is_current) for r in store.answer_history(session.id)] == [("federal", False), ("none", True)]


def test_a_stale_base_is_never_trusted(store: Store) -> None:
    """A base snapshot at another version than expected is ignored: the snapshot is read back."""
    session = store.open_session("telegram", "43")
    moved = store.write(session.id, session.version, set_answers={"a": 1})
    saved = store.write(moved.id, moved.version, set_answers={"b": 2}, base=session)
    assert saved.answers == {"a": 1, "b": 2} and saved == store.get_session(session.id)


def test_each_turn_of_a_screening_is_one_transaction(store: Store) -> None:
    """Every answer of a screening, the finishing one included, is ONE transaction within the
    budget; the keyboard bookkeeping after sending (remember) costs none."""
    conversation = Conversation(store, "telegram", lambda: TODAY)
    turn = conversation.handle("7", Command("start"), state_update=next_ask, update_id=1)
    assert turn is not None and turn.session is not None
    conversation.remember(turn.session, {"kb": 100, "kb_q": None})
    for i, step in enumerate(OUT_OF_STATE_TYPED):
        with counting(store) as counted:
            turn = conversation.handle("7", Text(step), state_update=next_ask, update_id=i + 2)
            assert turn is not None and turn.session is not None
            conversation.remember(turn.session, {"kb": 101 + i, "kb_q": None})
        assert counted.commits == 1 and counted.round_trips <= ANSWER_BUDGET, (step, counted)
    assert turn is not None and turn.session is not None and turn.session.is_finished
    # the finished session's keyboard id reaches the database with the next turn's commit
    turn = conversation.handle("7", Command("help"), state_update=next_ask, update_id=999)
    assert turn is not None and turn.session is not None
    stored = store.current_session("telegram", "7")
    assert stored is not None and stored.channel_state.get("kb") == 101 + len(OUT_OF_STATE_TYPED) - 1


@pytest.mark.postgresql
def test_a_connection_dropped_by_the_server_is_retried(fresh_postgres_url: str) -> None:
    """No ping before each transaction: a pooled connection the server terminated fails on its
    first statement, and the transaction runs again on a fresh connection, unseen by the caller."""
    store = Store(fresh_postgres_url)
    url = make_url(fresh_postgres_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)

    def terminate_pooled_connections() -> int:
        with psycopg.connect(admin, autocommit=True) as db:
            rows = db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (url.database,),
            ).fetchall()
        return len(rows)

    try:
        session = store.open_session("telegram", "44")
        assert terminate_pooled_connections() >= 1
        saved = store.write(session.id, session.version, set_answers={"a": 1}, update_id=5, base=session)
        assert saved.version == session.version + 1
        assert terminate_pooled_connections() >= 1
        assert store.current_session("telegram", "44") == saved
        assert [r.value for r in store.answer_history(session.id)] == [1]
    finally:
        store.close()


@pytest.mark.parametrize("setting,expected", [("", 1), ("normal", 1), ("FULL", 2)])
def test_sqlite_synchronous_is_normal_unless_full_is_chosen(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, setting: str, expected: int
) -> None:
    monkeypatch.setenv("SQLITE_SYNCHRONOUS", setting)
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == expected


def test_an_unknown_sqlite_synchronous_is_refused(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.errors import BadDatabaseURL

    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "off")
    with pytest.raises(BadDatabaseURL, match="NORMAL or FULL"):
        Store(sqlite_url)
