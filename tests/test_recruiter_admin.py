"""The administrator's side of recruiters, as run from a shell: the recruiter lifecycle, agency
statistics and export, the QR flyer read back by a QR reader, retention settings that accept
only positive whole numbers, and the migration that turned shared screenings into leads."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2
import pytest
import sqlalchemy as sa
import zxingcpp
from alembic import command
from alembic.config import Config
from PIL import Image

from storage import Store
from storage.leads import Leads
from storage.store import MIGRATIONS_DIR, create_storage_engine
from tests.helpers import Ran, run_cli

ROOT = Path(__file__).resolve().parent.parent
BOT = "lateral_screener_bot"


def cli(database_url: str, *args: str, **env: str) -> Ran:
    return run_cli(*args, env={"DATABASE_URL": database_url, "BOT_USERNAME": BOT, **env})


def ok(result: Ran) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def one_line_error(result: Ran, *fragments: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_recruiter_lifecycle_from_the_shell(database_url: str) -> None:
    out = ok(cli(database_url, "recruiter", "add", "--agency", "Mobile PD", "--name", "Sgt. Smith"))
    link = re.search(rf"https://t\.me/{BOT}\?start=([A-Za-z0-9_-]+)", out)
    assert link and 11 <= len(link.group(1)) <= 64  # >= 64 bits of randomness
    assert f"Web:      http://127.0.0.1:8080/s/{link.group(1)}" in out  # no PUBLIC_URL: the local `serve`
    claim = re.search(r"claim code \(valid 7 days\): ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})", out)
    assert claim
    ok(cli(database_url, "recruiter", "add", "--agency", "mobile pd", "--name", "Cpl. Jones"))
    listing = ok(cli(database_url, "recruiter", "list"))
    assert "code sent" in listing and "Mobile PD / Sgt. Smith" in listing and "Mobile PD / Cpl. Jones" in listing

    store = Store(database_url)
    try:
        from storage.recruiting import Recruiting

        Recruiting(store).claim(claim.group(1), "4242")
    finally:
        store.close()
    assert re.search(r"1 +active +linked", ok(cli(database_url, "recruiter", "list")))
    reissued = ok(cli(database_url, "recruiter", "reissue-code", "1"))
    assert re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", reissued) and "instead of the one linked now" in reissued
    assert "unlinked" in ok(cli(database_url, "recruiter", "unlink", "1"))
    assert re.search(r"1 +active +code sent", ok(cli(database_url, "recruiter", "list")))
    assert "renamed" in ok(
        cli(database_url, "recruiter", "rename", "2", "--name", "Cpl. A. Jones", "--agency", "Dothan PD")
    )
    assert "Dothan PD / Cpl. A. Jones" in ok(cli(database_url, "recruiter", "list", "--agency", "dothan pd"))
    rotated = ok(cli(database_url, "recruiter", "rotate", "1"))
    assert link.group(1) not in rotated and f"https://t.me/{BOT}?start=" in rotated and "/s/" in rotated
    assert "disabled" in ok(cli(database_url, "recruiter", "disable", "1"))
    assert re.search(r"1 +disabled", ok(cli(database_url, "recruiter", "list")))
    assert "enabled" in ok(cli(database_url, "recruiter", "enable", "1"))
    agencies = ok(cli(database_url, "agency", "list"))
    assert "Mobile PD" in agencies and "Dothan PD" in agencies
    assert "Mobile PD (agency 1, 1 recruiter)" in ok(cli(database_url, "agency", "stats", "Mobile PD"))
    assert "started" in ok(cli(database_url, "stats"))

    for args, fragment in (
        (("recruiter", "disable", "99"), "No recruiter with id 99"),
        (("recruiter", "reissue-code", "99"), "No recruiter with id 99"),
        (("recruiter", "rename", "1"), "--name"),
        (("agency", "stats", "Nowhere PD"), "No agency Nowhere PD"),
        (("leads", "export", "--agency", "Nowhere PD", "--out", "x.csv"), "No agency"),
    ):
        one_line_error(cli(database_url, *args), fragment)
    no_name = run_cli("recruiter", "add", "--agency", "A", "--name", "B", env={"DATABASE_URL": database_url})
    one_line_error(no_name, "BOT_USERNAME")


def test_the_web_link_is_on_the_public_address(database_url: str) -> None:
    public = ok(
        cli(
            database_url,
            "recruiter",
            "add",
            "--agency",
            "Mobile PD",
            "--name",
            "Web",
            PUBLIC_URL="https://s.example.org",
        )
    )
    assert re.search(r"Web: +https://s\.example\.org/s/[A-Za-z0-9_-]{11,64}\n", public)


def test_exports_are_private_files(database_url: str, tmp_path: Path) -> None:
    ok(cli(database_url, "recruiter", "add", "--agency", "Mobile PD", "--name", "Ana"))
    folder_mode = tmp_path.stat().st_mode
    for args in (("--recruiter", "1"), ("--agency", "Mobile PD")):
        target = tmp_path / f"leads{args[0]}.csv"
        assert "0 leads written" in ok(cli(database_url, "leads", "export", *args, "--out", str(target)))
        assert target.read_bytes().startswith("\ufeff".encode()) and target.stat().st_mode & 0o777 == 0o600
    assert tmp_path.stat().st_mode == folder_mode  # the user's folder is left as it was


@pytest.mark.parametrize("fmt,web", [("pdf", False), ("png", False), ("pdf", True)])
def test_qr_flyer_decodes_to_the_recruiters_link(database_url: str, tmp_path: Path, fmt: str, web: bool) -> None:
    out = ok(cli(database_url, "recruiter", "add", "--agency", "Mobile <b>PD</b> 🚓", "--name", "Ana"))
    pattern = r"http://127\.0\.0\.1:8080/s/[A-Za-z0-9_-]+" if web else rf"https://t\.me/{BOT}\?start=[A-Za-z0-9_-]+"
    link = re.search(pattern, out)
    assert link
    target = tmp_path / f"flyer.{fmt}"
    written = ok(cli(database_url, "recruiter", "qr", "1", "--out", str(target), *(["--web"] if web else [])))
    assert ("web link written to" if web else "Telegram link written to") in written
    if fmt == "pdf":
        document = pypdfium2.PdfDocument(target.read_bytes())
        assert len(document) == 1
        image = document[0].render(scale=150 / 72).to_pil()
        document.close()
    else:
        image = Image.open(io.BytesIO(target.read_bytes()))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [link.group(0)]
    one_line_error(cli(database_url, "recruiter", "qr", "1", "--out", str(tmp_path / "flyer.gif")), ".pdf or .png")


@pytest.mark.parametrize("days", ["0", "-5", "abc", "1.5", "99999999", "٣"])
def test_retention_takes_positive_whole_days_only(database_url: str, days: str) -> None:
    one_line_error(cli(database_url, "purge", f"--days={days}"), "--days", "whole number of days")
    one_line_error(cli(database_url, "purge", f"--lead-days={days}"), "--lead-days")
    one_line_error(cli(database_url, "stats", RETENTION_DAYS=days), "RETENTION_DAYS")
    one_line_error(cli(database_url, "stats", LEAD_RETENTION_DAYS=days), "LEAD_RETENTION_DAYS")


def test_purge_reports_both_periods(database_url: str) -> None:
    out = ok(cli(database_url, "purge", "--days", "7", "--lead-days", "90"))
    assert "inactive for 7 days" in out and "more than 90 days ago" in out
    one_line_error(cli(database_url, "stats", TIMEZONE="Mars/Olympus"), "TIMEZONE")


def test_migration_turns_shared_screenings_into_leads(database_url: str) -> None:
    """A database from before leads: each applicant's newest shared screening per recruiter
    becomes one lead, numbered per recruiter in the order they were shared."""
    url = database_url
    engine = create_storage_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        run = connection.execute
        run(
            sa.text(
                "INSERT INTO recruiter (id, agency, name, link_code, disabled, created_at) VALUES "
                "(1, 'Mobile PD', 'Ana', 'code1', false, '2026-01-01'), "
                "(2, 'Mobile PD', 'Bo', 'code2', false, '2026-01-02'), (3, 'Dothan PD', 'Lee', 'code3', false, "
                "'2026-01-03')"
            )
        )
        run(
            sa.text(
                "INSERT INTO applicant (id, channel, channel_user_id, created_at) VALUES "
                "(1, 'telegram', '11', '2026-01-01'), (2, 'telegram', '12', '2026-01-01')"
            )
        )
        sessions = [  # id, applicant, recruiter, shared_at, contact
            (1, 1, 1, "2026-02-01 10:00:00", "+12055550100"),
            (2, 1, 1, "2026-03-01 10:00:00", "a@example.org"),
            (3, 2, 1, "2026-02-15 10:00:00", None),
            (4, 2, 3, "2026-02-20 10:00:00", None),
            (5, 2, 2, None, None),
        ]
        for sid, applicant, recruiter, shared, contact in sessions:
            run(
                sa.text(
                    "INSERT INTO screening_session (id, applicant_id, status, version, recruiter_id, channel_state, "
                    "outcome, created_at, updated_at, shared_at, contact) VALUES (:id, :a, 'finished', 1, :r, '{}', "
                    "'likely_eligible', '2026-01-05', '2026-01-05', :shared, :contact)"
                ),
                {"id": sid, "a": applicant, "r": recruiter, "shared": shared, "contact": contact},
            )
            run(
                sa.text(
                    "INSERT INTO answer (session_id, field, value_json, created_at) VALUES (:id, 'background', "
                    "'\"federal\"', '2026-01-05')"
                ),
                {"id": sid},
            )
    engine.dispose()
    store = Store(url)
    try:
        leads = sorted(Leads(store).list(), key=lambda lead: (lead.recruiter_id, lead.number))
        assert [(lead.recruiter_id, lead.number, lead.session_id, lead.contact) for lead in leads] == [
            (1, 1, 3, None),
            (1, 2, 2, "a@example.org"),
            (3, 1, 4, None),
        ]
        assert leads[0].answers == {"background": "federal"} and leads[0].agency == "Mobile PD"
        from storage.recruiting import Recruiting

        recruiting = Recruiting(store)
        assert {r.agency for r in recruiting.list()} == {"Mobile PD", "Dothan PD"} and len(recruiting.agencies()) == 2
        first, second = recruiting.get(1), recruiting.get(2)
        assert first is not None and second is not None and first.agency_id == second.agency_id
        with store.engine.connect() as connection:
            assert connection.execute(
                sa.text("SELECT next_lead_number FROM recruiter ORDER BY id")
            ).scalars().all() == [3, 1, 2]
    finally:
        store.close()
