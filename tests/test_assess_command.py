"""`lateral-screener assess` as a user runs it: files and standard input through the command
line's own entry point (in this process), and a real process where only one shows the
behaviour (a byte-order mark on a real pipe, a closed or full standard output)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Ran, run_cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def cli(*args: str, stdin: str = "") -> Ran:
    return run_cli(*args, stdin=stdin)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_assess_in_both_formats(path: Path) -> None:
    text = cli("assess", str(path))
    assert text.returncode == 0, text.stderr
    assert "Preliminary estimate" in text.stdout and "not a determination" in text.stdout
    out = cli("assess", str(path), "--format", "json")
    data = json.loads(out.stdout)
    assert set(data) >= {
        "outcome",
        "pathway",
        "points",
        "findings",
        "checklist",
        "what_would_change",
        "rules_version",
        "as_of",
        "notice",
    }


def test_one_example_per_pathway() -> None:
    pathways = {json.loads(cli("assess", str(p), "--format", "json").stdout)["pathway"] for p in EXAMPLES}
    assert {"out_of_state", "federal", "military_police"} <= pathways


def test_stdin() -> None:
    out = cli("assess", "-", "--format", "json", stdin='{"background": "none", "as_of": "2026-01-01"}')
    assert out.returncode == 0 and json.loads(out.stdout)["outcome"] == "likely_ineligible"


@pytest.mark.parametrize(
    "payload,field",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "(file)"),
        ('{"colour": "blue"}', "field colour"),
        ('{"basic_course_hours": "480"}', "field basic_course_hours"),
        ('{"basic_course_hours": -5}', "field basic_course_hours"),
        ('{"service_gap_days": 1.5}', "field service_gap_days"),
        ('{"background": "state"}', "field background"),
        ('{"certifying_state": "XX"}', "field certifying_state"),
        ('{"service_start": "2020-02-30"}', "field service_start"),
        ('{"service_start": "06/01/2015"}', "field service_start"),
        ('{"as_of": "2026-01-01", "service_start": "2026-06-01"}', "field service_start"),
        ('{"service_start": "2020-01-01", "service_end": "2019-01-01"}', "field service_end"),
        ('{"felony_conviction": "no"}', "field felony_conviction"),
        # a career date before the 16th birthday is a contradiction, named (interpretation 12)
        (
            '{"birth_date": "2008-03", "service_start": "2012-01-10"}',
            "field service_start: is before the 16th birthday",
        ),
        ('{"birth_date": "2000-01-01", "certified_on": "2015-12-31"}', "field certified_on"),
        ('{"as_of": "2026-12-02", "alabama_hire_date": "2027-01-01"}', "field alabama_hire_date"),
    ],
)
def test_bad_input_is_one_line_exit_2(payload: str, field: str) -> None:
    out = cli("assess", "-", stdin=payload)
    assert out.returncode == 2
    assert field in out.stderr and "<stdin>" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_missing_file_is_named(tmp_path: Path) -> None:
    out = cli("assess", str(tmp_path / "nope.json"))
    assert out.returncode == 2 and "nope.json" in out.stderr


# --- hostile input and hostile output (tests/test_fuzz.py generates thousands more) -------------
@pytest.mark.parametrize(
    "payload,says",
    [
        ('{"service_start": "9999-12-31"}', "field service_start: is after 2999"),
        ('{"as_of": "9999-12-31"}', "field as_of: is after 2999"),
        ('{"as_of": "2999-12-31", "background": "federal", "service_start": "2990-01-01", "service_end": null}', None),
        ('{"service_start": "1950-06-01"}', "field service_start: is before"),
        ('{"planned_hire_date": "2999-01-01"}', "field planned_hire_date: is after"),
        ("[" * 10_000 + "]" * 10_000, "nested more than 32 deep"),
        ('{"basic_course_hours": ' + "9" * 5000 + "}", "a number of more than 20 digits"),
        ('{"basic_course_hours": 1e400}', "field basic_course_hours: expected a whole number"),
        ('{"basic_course_hours": 5001}', "field basic_course_hours: must be at most 5000"),
        ('{"felony_conviction": true, "felony_conviction": false}', "field felony_conviction: appears more than once"),
        ('{"as_of": NaN}', "NaN is not a JSON value"),
        ('{"line\\nbreak": 1}', 'field "line\\nbreak": unknown field'),
        ('{"service_start": "2020-01-01\\n"}', "field service_start: expected a date"),
    ],
    ids=[
        "year-9999",
        "as-of-9999",
        "as-of-2999",
        "too-early",
        "hire-too-late",
        "deep",
        "5000-digits",
        "1e400",
        "hours-over-5000",
        "duplicate",
        "nan",
        "newline-key",
        "newline-date",
    ],
)
def test_hostile_input_is_assessed_or_one_line(payload: str, says: str | None) -> None:
    out = cli("assess", "-", stdin=payload)
    if says is None:
        assert out.returncode == 0 and not out.stderr, out.stderr
        return
    assert out.returncode == 2 and says in out.stderr, out.stderr
    assert len(out.stderr.splitlines()) == 1 and not out.stdout


def test_a_byte_order_mark_is_accepted() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "assess", "-", "--format", "json"],
        cwd=ROOT,
        timeout=60,
        input='\ufeff{"background": "none", "as_of": "2026-01-01"}'.encode(),
        capture_output=True,
    )
    assert out.returncode == 0 and json.loads(out.stdout)["outcome"] == "likely_ineligible"


def test_an_endless_input_is_refused_after_one_megabyte() -> None:
    out = cli("assess", "/dev/zero")
    assert (
        out.returncode == 2
        and out.stderr == "/dev/zero: field (file): larger than 1,000,000 bytes: not an answer file\n"
    )


def test_a_closed_standard_output_ends_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "assess", str(EXAMPLES[0])],
            cwd=ROOT,
            timeout=60,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141 and done.stderr == ""


def test_a_full_standard_output_is_one_line() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "assess", str(EXAMPLES[0])],
            cwd=ROOT,
            timeout=60,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 3
    assert done.stderr.startswith("lateral-screener: cannot write standard output: the disk is full")
    assert len(done.stderr.splitlines()) == 1
