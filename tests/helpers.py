"""Small builders shared by the tests: answer files in, assessments out; stored sessions."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from bot.cli import main as cli_main
from dialogs.answers import answers_from_json
from dialogs.assessment import Assessment, Finding, PointsBreakdown
from dialogs.eligibility import assess
from storage import SessionSnapshot, Store

TODAY = date(2026, 11, 22)

FEDERAL_BASE: dict[str, Any] = {
    "as_of": "2026-11-22",
    "background": "federal",
    "basic_course_graduate": True,
    "basic_course_hours": 640,
    "service_start": "2012-01-01",
    "service_end": "2025-06-30",
    "service_full_time": True,
    "le_duties_last_4_years": True,
    "highest_degree": "bachelor",
    "degree_accredited": True,
    "degree_by_correspondence": False,
    "grandfathered_or_exempted": False,
    "felony_conviction": False,
    "high_school_diploma_or_ged": True,
    "alabama_employment": "offer",
}

OUT_OF_STATE_BASE: dict[str, Any] = {
    "as_of": "2026-11-22",
    "background": "out_of_state",
    "certifying_state": "GA",
    "certification_status": "valid",
    "certified_on": "2018-03-01",
    "service_start": "2018-03-01",
    "service_end": None,
    "service_full_time": True,
    "grandfathered_or_exempted": False,
    "felony_conviction": False,
    "high_school_diploma_or_ged": True,
    "alabama_employment": "offer",
}


def run(base: dict[str, Any], **changes: Any) -> Assessment:
    data = {**base, **changes}
    data = {k: v for k, v in data.items() if v is not ...}  # `...` removes a field
    return assess(answers_from_json(data, TODAY), TODAY)


def points_of(a: Assessment) -> PointsBreakdown:
    """The points of an assessment that has them (a points pathway)."""
    assert a.points is not None, f"no points: pathway {a.pathway!r}, outcome {a.outcome!r}"
    return a.points


def finding(a: Assessment, code: str, rule_part: str = "") -> Finding:
    """The finding with that code (and a citation containing `rule_part`)."""
    matches = [f for f in a.findings if f.code == code and rule_part in f.rule]
    assert matches, f"no finding {code!r} {rule_part!r} in {[(f.code, f.rule) for f in a.findings]}"
    return matches[0]


def fixes(a: Assessment) -> list[tuple[str, str]]:
    """What would change the outcome, as (code, kind)."""
    return [(fix.code, fix.kind) for fix in a.changes]


def fix_params(a: Assessment, code: str) -> dict[str, Any]:
    found = [fix for fix in a.changes if fix.code == code]
    assert found, f"no fix {code!r} in {fixes(a)}"
    return dict(found[0].params)


def current_session(store: Store, channel: str, user_id: str) -> SessionSnapshot:
    """The applicant's current session, which the test expects to exist."""
    session = store.current_session(channel, user_id)
    assert session is not None, f"no current session for {channel} user {user_id}"
    return session


@dataclass(frozen=True)
class Ran:
    """What a command run in this process said: like subprocess.CompletedProcess."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, stdin: str = "", env: Mapping[str, str] | None = None) -> Ran:
    """`lateral-screener ARGS`, run in this process through `bot.cli.main` with `env` added to
    the environment: the same code as the console script without a new interpreter (about a
    second each). Tests of what only a real process shows (exit on a closed pipe, file modes
    under a umask, a kill) start one instead."""
    out, err = io.StringIO(), io.StringIO()
    given = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        with redirect_stdout(out), redirect_stderr(err), _stdin(given):
            try:
                code = cli_main(list(args))
            except SystemExit as exit_:  # argparse: --help, or a usage error
                code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 2
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return Ran(code, out.getvalue(), err.getvalue())


@contextmanager
def _stdin(stream: TextIO) -> Iterator[None]:
    saved, sys.stdin = sys.stdin, stream
    try:
        yield
    finally:
        sys.stdin = saved
