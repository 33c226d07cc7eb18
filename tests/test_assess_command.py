"""`lateral-screener assess` as a user runs it: a real process, files and standard input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_assess_in_both_formats(path: Path) -> None:
    text = cli("assess", str(path))
    assert text.returncode == 0, text.stderr
    assert "Preliminary estimate" in text.stdout and "not a determination" in text.stdout
    out = cli("assess", str(path), "--format", "json")
    data = json.loads(out.stdout)
    assert set(data) >= {"outcome", "pathway", "points", "findings", "checklist", "what_would_change",
                         "rules_version", "as_of", "notice"}


def test_one_example_per_pathway() -> None:
    pathways = {json.loads(cli("assess", str(p), "--format", "json").stdout)["pathway"] for p in EXAMPLES}
    assert {"out_of_state", "federal", "military_police"} <= pathways


def test_stdin() -> None:
    out = cli("assess", "-", "--format", "json", stdin='{"background": "none", "as_of": "2026-01-01"}')
    assert out.returncode == 0 and json.loads(out.stdout)["outcome"] == "likely_ineligible"


@pytest.mark.parametrize("payload,field", [
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
])
def test_bad_input_is_one_line_exit_2(payload: str, field: str) -> None:
    out = cli("assess", "-", stdin=payload)
    assert out.returncode == 2
    assert field in out.stderr and "<stdin>" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_missing_file_is_named(tmp_path: Path) -> None:
    out = cli("assess", str(tmp_path / "nope.json"))
    assert out.returncode == 2 and "nope.json" in out.stderr
