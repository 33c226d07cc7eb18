"""`lateral-screener chat` as a user runs it: a real process fed answers on standard input."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import run_cli
from tests.screenings import FEDERAL_TYPED as FEDERAL

ROOT = Path(__file__).resolve().parent.parent

OUT_OF_STATE = [
    "1",
    "Gerogia",
    "valid",
    "May 20, 2016",
    "06/01/2016",
    "still serving",
    "no gaps",
    "y",
    "associate",
    "yes",
    "no",
    "no",
    "no",
    "yes",
    "yes",
    "4",
    "not sure",
    "ok",
]
MILITARY = [
    "military police",
    "yes",
    "480",
    "January 8 2018",
    "still serving",
    "0",
    "yes",
    "no",
    "2",
    "yes",
    "no",
    "nope",
    "no",
    "no",
    "yes",
    "yes",
    "1",
    "ok",
]
NO_TRAINING = ["4"]


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {**os.environ, "LATERAL_SCREENER_HOME": str(tmp_path / "home"), "DATABASE_URL": database_url}


class Screen(str):
    """Terminal output, searched as a reader would: line wraps are just spaces."""

    def __contains__(self, phrase: object) -> bool:
        return " ".join(str(phrase).split()) in " ".join(self.split())

    def after(self, marker: str) -> Screen:
        flat = " ".join(self.split())
        return Screen(flat.split(" ".join(marker.split()), 1)[1])


def chat(env: dict[str, str], lines: list[str], *args: str) -> Screen:
    out = run_cli("chat", *args, stdin="\n".join(lines) + "\n", env={"COLUMNS": "80", **env})
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    return Screen(out.stdout)


def saved_pdf(output: str) -> Path:
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if "checklist PDF is saved at:" in line)
    return Path(lines[at + 1].strip())


@pytest.mark.parametrize(
    "lines,outcome,pathway",
    [
        (FEDERAL, "LIKELY ELIGIBLE", "federal law enforcement"),
        (OUT_OF_STATE, "LIKELY ELIGIBLE", "out-of-state certification"),
        (MILITARY, "LIKELY ELIGIBLE", "military police"),
        (NO_TRAINING, "LIKELY NOT ELIGIBLE", None),
    ],
    ids=["federal", "out-of-state", "military", "none"],
)
def test_each_pathway_piped(env: dict[str, str], lines: list[str], outcome: str, pathway: str | None) -> None:
    output = chat(env, lines)
    assert "Preliminary estimate as of" in output and outcome in output
    if pathway:
        assert f"Pathway: {pathway}" in output
    assert "not a determination" in output
    pdf = saved_pdf(output)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert (
        outcome.split()[-1].lower() in text.lower()
        and "Proof of CPR training" in text
        or outcome.endswith("NOT ELIGIBLE")
    )


def test_back_and_edit_from_review(env: dict[str, str]) -> None:
    lines = FEDERAL[:3] + ["back", "300 hours"] + FEDERAL[3:-1] + ["3", "700", "ok"]
    output = chat(env, lines)
    assert "You had answered: 640 hours" in output
    assert "Basic course length: 300 hours" in output and "You had answered: 300 hours" in output
    assert "Basic training  4" in output  # 700 hours: the edit from the review took effect


def test_editing_the_background_clears_what_depended_on_it(env: dict[str, str]) -> None:
    # degree, record and employment answers do not depend on the background and are kept
    output = chat(env, FEDERAL[:-1] + ["1", "1"] + OUT_OF_STATE[1:8] + ["no", "not sure", "ok"])
    assert "answers that depended on it will be asked again" in output
    assert "Pathway: out-of-state certification" in output


def test_not_sure_answers_lead_to_review_naming_what_to_find_out(env: dict[str, str]) -> None:
    lines = [
        "2",
        "yes",
        "not sure",
        "Jan 2019",
        "June 30 2025",
        "none",
        "yes",
        "bachelor",
        "yes",
        "no",
        "no",
        "no",
        "no",
        "yes",
        "yes",
        "offer",
        "not sure",
        "ok",
    ]
    output = chat(env, lines)
    assert "NEEDS REVIEW" in output
    assert "It depends on the length of your basic course" in output
    assert "Find out the length of your basic course: 320 hours or more" in output


@pytest.mark.parametrize(
    "bad,reask",
    [
        ("", "didn't get"),
        ("🚓🚓🚓", "hours"),
        ("<script>alert(1)</script>", "hours"),
        ("12 weeks", "hours"),
        ("x" * 100_000, "hours"),
        ("-40", "hours"),
        ("400+", "exact figure"),
        ("16 weeks", "not weeks"),
    ],
)
def test_bad_input_gets_a_specific_reask(env: dict[str, str], bad: str, reask: str) -> None:
    output = chat(env, ["2", "yes", bad, "480 hours"])
    after = output.after("How many hours long was that basic course?")
    assert reask in Screen(after.lower()) or reask in after
    assert "When did you start working full-time" in after


@pytest.mark.parametrize(
    "answer,reask",
    [
        ("2015", "month"),
        ("02/30/2015", "day"),
        ("13/06/2015", "month"),
        ("next tuesday", "for example"),
        ("2099-01-01", "after today"),
    ],
)
def test_bad_dates_are_reasked(env: dict[str, str], answer: str, reask: str) -> None:
    output = chat(env, ["2", "yes", "480 hours", answer])
    after = output.after("start working full-time")
    assert reask in Screen(after.lower())


def test_contradictions_are_pointed_out(env: dict[str, str]) -> None:
    output = chat(env, ["2", "yes", "480 hours", "June 2015", "May 2014"])
    assert "doesn't fit your earlier answers" in output


def test_privacy_help_and_delete(env: dict[str, str]) -> None:
    output = chat(env, ["2", "help", "privacy", "delete", "yes"])
    assert (
        "FLETC" in output
        and "deleted 30 days after your last answer" in output
        and "everything stored about you has been deleted" in output
    )
    again = chat(env, [])
    assert "Welcome back" not in again and "Where did your law-enforcement training" in again


def test_restart_asks_first_then_starts_over(env: dict[str, str]) -> None:
    output = chat(env, ["2", "yes", "restart", "no", "restart", "yes", "1"])
    assert "Start over?" in output and "your answers are kept" in output
    assert "Starting over" in output and "Which state certified" in output


def read_until(proc: subprocess.Popen[bytes], marker: str, timeout: float = 30) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None, "started with stdout=PIPE"
    fd = proc.stdout.fileno()
    while " ".join(marker.split()) not in " ".join(seen.split()):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"never saw {marker!r} in {seen[-500:]!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 65536).decode()
            assert chunk, f"process ended before {marker!r}: {seen[-500:]!r}"
            seen += chunk
    return seen


def test_sigkill_mid_interview_loses_nothing(env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=ROOT
    )
    assert proc.stdin is not None
    try:
        read_until(proc, "Where did your law-enforcement training")
        for answer, next_marker in [
            ("2", "basic police training course?"),
            ("yes", "How many hours"),
            ("640", "start working full-time"),
        ]:
            proc.stdin.write(f"{answer}\n".encode())
            proc.stdin.flush()
            read_until(proc, next_marker)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    output = chat(env, ["review"])
    assert "Welcome back: your 3 answers are saved" in output
    flat = " ".join(output.split())
    assert flat.index("Welcome back") < flat.index("When did you start working full-time")
    assert "Basic course length: 640 hours" in output


def test_leaving_a_review_mid_interview_goes_on_with_the_questions(env: dict[str, str]) -> None:
    output = chat(env, ["2", "review", "ok"])
    after = output.after("Your answers")
    assert "basic police training course?" in after and "Preliminary estimate" not in output


def test_text_is_wrapped_to_80_columns_without_cutting_words(env: dict[str, str]) -> None:
    output = chat({**env, "COLUMNS": "80"}, FEDERAL)
    lines = output.splitlines()
    too_long = [line for line in lines if len(line) > 80 and " " in line.strip()]
    assert not too_long, too_long  # only an unbreakable token (a file path) may be longer
    words = {w for line in lines for w in line.split()}
    for sentence in (
        "You must pass an academic average and a legal exam of at least",
        "Proof of CPR training, before the course starts.",
    ):
        assert sentence in output
        assert all(w in words for w in sentence.split())  # no word was cut in two


def test_every_answer_is_said_back_with_the_way_to_change_it(env: dict[str, str]) -> None:
    output = chat(env, ["2", "yes", "16 weeks of 40 hours"])
    assert "✓ Training from: A federal law-enforcement agency" in output
    assert "✓ Basic course length: 640 hours (16 weeks × 40 hours)" in output
    assert 'not right? type "back"' in output


def test_new_starts_a_fresh_screening(env: dict[str, str]) -> None:
    chat(env, ["2", "yes"])
    resumed = chat(env, [])
    assert "Welcome back: your 2 answers are saved" in resumed
    fresh = chat(env, [], "--new")
    assert "Welcome back" not in fresh and "Where did your law-enforcement training" in fresh


def test_checklist_pdfs_are_named_per_applicant_private_and_deleted(env: dict[str, str], tmp_path: Path) -> None:
    first = saved_pdf(chat(env, FEDERAL))
    other = saved_pdf(chat({**env, "USER": "someone-else", "LOGNAME": "someone-else"}, FEDERAL))
    assert first != other and first.exists() and other.exists()
    assert first.stat().st_mode & 0o777 == 0o600 and first.parent.stat().st_mode & 0o777 == 0o700
    output = chat(env, ["delete", "yes"])
    assert "has been deleted" in output
    assert not first.exists() and other.exists()


def test_help_lists_every_word_including_quit(env: dict[str, str]) -> None:
    output = chat(env, ["help"])
    for word in (
        '"back"',
        '"review"',
        '"restart"',
        '"privacy"',
        '"mydata"',
        '"withdraw"',
        '"delete"',
        '"help"',
        '"quit"',
    ):
        assert word in output, word


def test_answers_prints_an_answer_file_that_assess_reads(env: dict[str, str]) -> None:
    chat(env, FEDERAL)
    exported = run_cli("answers", env=env)
    data = json.loads(exported.stdout)
    assert data["background"] == "federal" and data["basic_course_hours"] == 640
    text = run_cli("answers", "--format", "text", env=env).stdout
    assert "basic_course_hours: 640 hours" in text
