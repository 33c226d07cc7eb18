"""`lateral-screener chat --json` as an integration would drive it: a real process, one
message per line in, one JSON object per line out. Every pathway, each question the chat
added, contradictions, the unknowns that decide, and `answers | assess -` = the chat's result."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import IO, Any

import pytest

from bot.console import run_chat
from bot.settings import Settings
from storage import Store
from tests.helpers import current_session, run_cli

ROOT = Path(__file__).resolve().parent.parent
ENDS = {"question", "review", "result"}


class JsonChat:
    """One applicant talking to `chat --json`, answering by question id: over pipes to the
    command's own loop (`run_chat`) in a thread, or, with `process=True`, to a real process as
    an integration starts it (the same bytes either way; a process costs a second to start)."""

    def __init__(self, env: dict[str, str], *args: str, process: bool = False) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.thread: threading.Thread | None = None
        if process:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "chat", "--json", *args],
                env=env,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            stdin, stdout, stderr = self.proc.stdin, self.proc.stdout, self.proc.stderr
            assert stdin is not None and stdout is not None and stderr is not None  # all three are pipes
            self.stdin: IO[bytes] = stdin
            self.stdout: IO[bytes] = stdout
            self.stderr: IO[bytes] = stderr
        else:
            self._start_thread(env, new="--new" in args)
        self.buffer = b""
        self.seen: list[dict[str, Any]] = []
        self.first = self._until_turn()

    def _line(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no output; so far {self.seen[-3:]}"
            ready, _, _ = select.select([self.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.stdout.fileno(), 65536)
                assert chunk, f"chat ended: {self.stderr.read().decode()[-2000:]}"
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        obj = json.loads(line)
        self.seen.append(obj)
        return obj

    def _until_turn(self, timeout: float = 30) -> list[dict[str, Any]]:
        """Objects up to the next question, review or result (a result may be followed by a PDF note)."""
        out = [self._line(timeout)]
        while out[-1]["type"] not in ENDS:
            out.append(self._line(timeout))
        if out[-1]["type"] == "result":
            out.append(self._line(timeout))  # the checklist PDF note
        return out

    def type_line(self, text: str) -> None:
        """Type one line, without waiting for what it brings."""
        self.stdin.write(text.encode() + b"\n")
        self.stdin.flush()

    def send(self, text: str) -> list[dict[str, Any]]:
        self.type_line(text)
        return self._until_turn()

    def _start_thread(self, env: dict[str, str], new: bool) -> None:
        """The chat loop in a thread, reading and writing real pipes (the env fixture has put
        `env` in this process's environment)."""
        to_chat, from_test = os.pipe()
        to_test, from_chat = os.pipe()
        self.stdin = os.fdopen(from_test, "wb", buffering=0)
        self.stdout = os.fdopen(to_test, "rb", buffering=0)
        self.stderr = io.BytesIO()
        self.code = -1
        settings = Settings.from_environment()

        def chat() -> None:
            with os.fdopen(to_chat, encoding="utf-8") as lines, os.fdopen(from_chat, "w", encoding="utf-8") as out:
                try:
                    self.code = run_chat(
                        settings, stdin=lines, stdout=out, user_id=env["USER"], new=new, json_lines=True
                    )
                except BaseException:  # noqa: BLE001 - reported by the test, as a process's stderr would be
                    self.stderr.write(traceback.format_exc().encode())
                    self.code = 1

        self.thread = threading.Thread(target=chat, daemon=True)
        self.thread.start()

    def close(self) -> int:
        self.stdin.close()
        rest = self.stdout.read()
        if self.proc is not None:
            code = self.proc.wait(timeout=30)
        else:
            assert self.thread is not None
            self.thread.join(timeout=30)
            assert not self.thread.is_alive(), "the chat did not end"
            code = self.code
            self.stdout.close()
        assert not rest.strip() or all(json.loads(line) for line in rest.splitlines())
        return code

    @property
    def last(self) -> dict[str, Any]:
        return next(o for o in reversed(self.seen) if o["type"] in ENDS)


def screen(chat: JsonChat, answers: dict[str, str], limit: int = 40) -> dict[str, Any]:
    """Answer each question by its id until the review; then ask for the result."""
    for _ in range(limit):
        last = chat.last
        if last["type"] == "review":
            chat.send("ok")
            continue
        if last["type"] == "result":
            return last["assessment"]
        assert last["id"] in answers, f"unexpected question {last['id']}: {last['text']}"
        chat.send(answers[last["id"]])
    raise AssertionError("the screening did not end")


@pytest.fixture
def env(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The settings of one applicant's terminal: in this process's environment (for chats in a
    thread and commands run in process) and as a whole environment for a real process."""
    mine = {"LATERAL_SCREENER_HOME": str(tmp_path / "home"), "DATABASE_URL": database_url, "USER": "json-tester"}
    for name, value in mine.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, **mine}


FEDERAL = {
    "background": "federal",
    "basic_course_graduate": "yes",
    "basic_course_hours": "640",
    "service_start": "Jan 2012",
    "service_end": "6/30/2025",
    "service_gap_days": "none",
    "le_duties_last_4_years": "yes",
    "highest_degree": "bachelor's",
    "degree_accredited": "yes",
    "degree_by_correspondence": "no",
    "grandfathered_or_exempted": "no",
    "felony_conviction": "no",
    "expunged_record": "no",
    "us_citizen": "yes",
    "meets_minimum_age": "yes",
    "alabama_employment": "offer",
    "planned_hire_date": "March 2027",
}
OUT_OF_STATE = {
    "background": "1",
    "certifying_state": "Georgia",
    "certification_status": "valid",
    "certified_on": "May 20, 2016",
    "service_start": "06/01/2016",
    "service_end": "still serving",
    "service_gap_days": "no gaps",
    "service_full_time": "yes",
    "highest_degree": "associate",
    "degree_accredited": "yes",
    "grandfathered_or_exempted": "no",
    "felony_conviction": "no",
    "expunged_record": "no",
    "us_citizen": "yes",
    "meets_minimum_age": "yes",
    "alabama_employment": "5",
}
MILITARY = {
    **FEDERAL,
    "background": "military police",
    "basic_course_hours": "480 hours",
    "service_start": "January 8 2018",
    "service_end": "still serving",
    "security_police_primary_code": "no",
    "highest_degree": "associate",
    "alabama_employment": "not yet",
}


@pytest.mark.parametrize(
    "answers,pathway",
    [(FEDERAL, "federal"), (OUT_OF_STATE, "out_of_state"), (MILITARY, "military_police")],
    ids=["federal", "oos", "mp"],
)
def test_every_pathway_and_the_answer_file_gives_the_same_result(
    env: dict[str, str], answers: dict[str, str], pathway: str
) -> None:
    chat = JsonChat(env, "--new", process=True)
    assert chat.first[0] == {**chat.first[0], "type": "note", "code": "welcome"}
    result = screen(chat, answers)
    assert chat.close() == 0
    assert (result["outcome"], result["pathway"]) == ("likely_eligible", pathway)
    understood = [o for o in chat.seen if o["type"] == "understood"]
    asked = [o["id"] for o in chat.seen if o["type"] == "question" and not o["reask"]]
    assert [o["id"] for o in understood] == asked  # every accepted answer was said back
    assert all(o["text"].startswith("✓ ") for o in understood)
    exported = run_cli("answers", env=env)
    assert exported.returncode == 0, exported.stderr
    stored = json.loads(exported.stdout)
    assert all(stored[o["id"]] == o["value"] for o in understood)
    again = run_cli("assess", "-", "--format", "json", stdin=exported.stdout, env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == result


def test_the_question_objects_follow_the_protocol(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    q = chat.first[-1]
    assert set(q) >= {"type", "id", "kind", "text", "choices", "reask", "reason"}
    assert (q["id"], q["kind"], q["reask"], q["reason"]) == ("background", "choice", False, None)
    assert [c["value"] for c in q["choices"]] == ["out_of_state", "federal", "military_police", "none"]
    again = chat.send("hello there")
    assert again[-1]["id"] == "background" and again[-1]["reask"] is True and again[-1]["reason"] == "choice_unclear"
    turn = chat.send("3")
    assert turn[0] == {
        "type": "understood",
        "id": "background",
        "value": "military_police",
        "text": "✓ Training from: The U.S. military police",
    }
    assert turn[-1]["kind"] == "yes_no" and [c["value"] for c in turn[-1]["choices"]] == [True, False]
    chat.send("yes")
    turn = chat.send("16 weeks of 40 hours")
    assert turn[0]["value"] == 640 and "16 weeks × 40 hours" in turn[0]["text"]
    turn = chat.send("not sure")
    assert turn[0]["value"] is None or turn[0]["value"] == {"not_sure": True}
    assert chat.close() == 0


def test_none_of_these_goes_straight_to_a_result(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    turn = chat.send("none of these")
    kinds = [o["type"] for o in turn]
    assert kinds[:2] == ["understood", "result"] and "review" not in kinds
    result = turn[1]["assessment"]
    assert result["outcome"] == "likely_ineligible" and result["checklist"]
    assert "full basic academy" in " ".join(result["next_steps"])
    chat.close()


def test_a_felony_ends_the_questions_with_no_lateral_checklist(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    answers = {**FEDERAL, "felony_conviction": "yes"}
    result = screen(chat, answers)
    assert result["outcome"] == "likely_ineligible" and result["checklist"] == []
    asked = [o["id"] for o in chat.seen if o["type"] == "question"]
    assert asked[-1] == "felony_conviction" and "us_citizen" not in asked
    assert [c["kind"] for c in result["changes"]] == ["no_remedy"]
    chat.close()


def test_new_questions_citizenship_age_and_hire_date(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    answers = {
        **FEDERAL,
        "us_citizen": "green card",
        "meets_minimum_age": "not sure",
        "birth_date": "March 1990",
        "planned_hire_date": "next month",
    }
    result = screen(chat, answers)
    asked = [o["id"] for o in chat.seen if o["type"] == "question"]
    assert {"us_citizen", "meets_minimum_age", "birth_date", "planned_hire_date"} <= set(asked)
    citizen = next(o for o in chat.seen if o["type"] == "understood" and o["id"] == "us_citizen")
    assert citizen["value"] is False
    assert result["outcome"] == "needs_review"
    assert any(c["code"] == "check_agency" for c in result["changes"])
    chat.close()


def test_a_break_ending_soon_asks_for_the_hire_date_and_measures_to_it(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    today = __import__("datetime").date.today()
    left = today.replace(year=today.year - 2) + __import__("datetime").timedelta(days=9)  # limit in 9 days
    answers = {
        **FEDERAL,
        "service_end": left.strftime("%m/%d/%Y"),
        "alabama_employment": "not yet",
        "planned_hire_date": (today + __import__("datetime").timedelta(days=30)).strftime("%m/%d/%Y"),
    }
    result = screen(chat, answers)
    assert "planned_hire_date" in [o["id"] for o in chat.seen if o["type"] == "question"]
    assert result["outcome"] == "likely_ineligible"  # hired a month from now: the break is over 2 years by then
    chat.close()


@pytest.mark.parametrize(
    "field,first,reason",
    [
        ("service_end", "May 2011", "contradiction"),  # before the start
        ("service_gap_days", "20 years", "contradiction"),  # longer than the whole service
    ],
)
def test_contradictions_are_pointed_out_and_asked_again(
    env: dict[str, str], field: str, first: str, reason: str
) -> None:
    chat = JsonChat(env, "--new")
    answers = dict(FEDERAL)
    for _ in range(12):
        if chat.last["id"] == field:
            break
        chat.send(answers[chat.last["id"]])
    turn = chat.send(first)
    assert turn[-1]["id"] == field and turn[-1]["reask"] and turn[-1]["reason"] == reason
    assert "doesn't fit your earlier answers" in turn[-1]["reask_text"]
    chat.close()


def test_duties_are_not_asked_when_the_dates_already_decide(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    answers = {**FEDERAL, "service_start": "Jan 2022", "service_end": "June 2024"}
    result = screen(chat, answers)
    asked = [o["id"] for o in chat.seen if o["type"] == "question"]
    assert "le_duties_last_4_years" not in asked
    assert result["outcome"] == "likely_ineligible"
    assert any(f["code"] == "pp_duties" and f["met"] is False for f in result["findings"])
    chat.close()


def test_unknowns_that_decide_give_needs_review(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    # 6 + 3 + 1 = 10 points exactly: a gap of unknown length could take the experience below a band
    answers = {
        **FEDERAL,
        "service_start": "Jan 2019",
        "service_end": "June 2025",
        "basic_course_hours": "480",
        "highest_degree": "associate",
        "service_gap_days": "not sure",
        "planned_hire_date": "not sure",
    }
    result = screen(chat, answers)
    assert result["outcome"] == "needs_review"
    assert [c["code"] for c in result["changes"] if c["kind"] == "find_out"] == ["find_gaps"]
    gap = next(o for o in chat.seen if o["type"] == "understood" and o["id"] == "service_gap_days")
    assert gap["value"] == {"not_sure": True}
    chat.close()


def test_new_starts_afresh_and_mydata_and_help(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    chat.send("2")
    notes = chat.send("help")
    assert any(o["type"] == "note" and o["code"] == "help" and "quit" in o["text"] for o in notes)
    assert notes[-1]["type"] == "question" and notes[-1]["reask"] is False
    chat.type_line("mydata")
    mine = chat._line(30)
    assert mine["code"] == "mydata" and mine["answers"]["background"] == "federal"
    chat.close()
    fresh = JsonChat(env, "--new")
    assert fresh.first[-1]["id"] == "background"
    fresh.close()


def test_two_windows_on_one_applicant_apply_a_line_only_to_the_question_it_answered(
    env: dict[str, str], database_url: str
) -> None:
    """Window A shows the felony question; window B answers it "no" and moves on to the next.
    A's "yes", typed for the felony question, must not become B's next answer (nor a felony)."""
    first = JsonChat(env)
    while first.last["id"] != "felony_conviction":
        first.send(FEDERAL[first.last["id"]])
    second = JsonChat(env)  # resumes at the same question (and shows it anew)
    assert second.last["id"] == "felony_conviction"
    second.send("no")
    assert second.last["id"] == "expunged_record"

    replies = first.send("yes")  # meant for the felony question that window still shows
    assert [(r["type"], r.get("code"), r.get("id")) for r in replies] == [
        ("note", "moved_on", None),
        ("question", None, "expunged_record"),
    ]
    assert "moved on in another window" in replies[0]["text"]
    replies = first.send("no")  # now an answer to the question this window shows
    assert replies[0]["type"] == "understood" and replies[0]["id"] == "expunged_record"

    replies = second.send("yes")  # B still showed expunged_record: its turn now is stale in turn
    assert replies[0]["code"] == "moved_on" and replies[-1]["id"] == "us_citizen"
    assert first.close() == 0 and second.close() == 0
    with Store(database_url) as store:
        answers = current_session(store, "terminal", "json-tester").answers
    assert answers["felony_conviction"] is False and answers["expunged_record"] is False
    assert "us_citizen" not in answers


def test_a_window_after_a_delete_elsewhere_starts_over_cleanly(env: dict[str, str], database_url: str) -> None:
    first = JsonChat(env)
    first.send("federal")
    second = JsonChat(env)
    for text, code in (("delete", "confirm_delete"), ("yes", "deleted")):  # notes only: no question follows
        second.type_line(text)
        assert second._line(30)["code"] == code
    replies = first.send("yes")  # for the graduate question: everything was deleted meanwhile
    assert replies[0]["code"] == "moved_on" and replies[-1]["id"] == "background"
    assert first.close() == 0 and second.close() == 0
    with Store(database_url) as store:
        assert current_session(store, "terminal", "json-tester").answers == {}


def _day(days: int = 0, years: int = 0) -> str:
    """A date relative to today, as people type it (MM/DD/YYYY)."""
    import datetime

    today = datetime.date.today()
    moved = (
        today.replace(year=today.year + years)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year + years, day=28)
    )
    return (moved + datetime.timedelta(days=days)).strftime("%m/%d/%Y")


@pytest.mark.parametrize(
    "employment,hired,outcome,last_asked",
    [
        ("1", "in time", "likely_eligible", None),  # hired within 2 years of leaving: the break ended then
        ("2", "in time", "likely_eligible", None),  # part-time
        ("1", "late", "likely_ineligible", "alabama_hire_date"),  # hired after the limit: nothing more to ask
        ("5", None, "likely_ineligible", "alabama_employment"),  # not hired, and the break is over today
    ],
)
def test_a_break_over_today_asks_first_whether_and_when_an_alabama_agency_hired_them(
    env: dict[str, str], employment: str, hired: str | None, outcome: str, last_asked: str | None
) -> None:
    chat = JsonChat(env, "--new")
    left = _day(-150, years=-2)  # the break passed 2 years about five months ago
    answers = {
        **FEDERAL,
        "service_end": left,
        "alabama_employment": employment,
        "alabama_hire_date": _day(-150 + 200, years=-2) if hired == "in time" else _day(-30),
    }
    result = screen(chat, answers)
    asked = [o["id"] for o in chat.seen if o["type"] == "question" and not o["reask"]]
    assert asked[asked.index("service_end") + 1] == "alabama_employment"
    after = asked.index("alabama_employment") + 1
    assert (asked[after : after + 1] == ["alabama_hire_date"]) is (hired is not None)
    assert result["outcome"] == outcome
    if last_asked:
        assert asked[-1] == last_asked
        assert [c["kind"] for c in result["changes"]] == ["no_remedy"]
    else:
        assert "planned_hire_date" not in asked
    assert not any("you must be hired" in t for t in result["what_would_change"])
    chat.close()


def test_someone_hired_within_the_limit_today_is_not_asked_the_day_nor_told_to_get_hired(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    result = screen(chat, {**FEDERAL, "service_end": _day(-100), "alabama_employment": "1"})
    asked = [o["id"] for o in chat.seen if o["type"] == "question"]
    assert "alabama_hire_date" not in asked and "planned_hire_date" not in asked
    assert result["outcome"] == "likely_eligible" and result["changes"] == []
    chat.close()


def test_a_birth_date_that_makes_the_career_impossible_is_asked_again(env: dict[str, str]) -> None:
    chat = JsonChat(env, "--new")
    answers = {**FEDERAL, "meets_minimum_age": "not sure", "birth_date": "March 1985"}
    while chat.last["id"] != "birth_date":
        chat.send(answers[chat.last["id"]])
    turn = chat.send("March 2008")  # full-time service from January 2012: age 3
    assert turn[-1]["id"] == "birth_date" and turn[-1]["reask"] and turn[-1]["reason"] == "contradiction"
    assert "under 16 on the day you started full-time service" in turn[-1]["reask_text"]
    result = screen(chat, answers)
    assert result["outcome"] == "likely_eligible"
    chat.close()
