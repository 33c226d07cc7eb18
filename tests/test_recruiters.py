"""Recruiter links, consented leads and recruiter tools, end to end through the stand-in."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from bot.leads import leads_csv, safe_cell
from storage import Store
from storage.recruiting import Lead, Recruiting, format_claim
from tests.bot_harness import Applicant, running_bot
from tests.screenings import FEDERAL_BY_BUTTONS, NO_TRAINING

RECRUITER_USER, OTHER_RECRUITER_USER, STRANGER = 9001, 9002, 9003


async def finish(applicant: Applicant, payload: str | None, steps: list[str]) -> None:
    await applicant.start(payload)
    for step in steps:
        await applicant.answer(step)
    await applicant.wait_for_document()


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


async def test_links_consent_leads_stats_export_and_withdrawal(standin, store) -> None:
    recruiting = Recruiting(store)
    mine, claim = recruiting.add("Mobile Police Department", "Sgt. Ana <b>Smith</b>")
    theirs, other_claim = recruiting.add("Dothan PD", "Lt. Lee")
    async with running_bot(standin, store, "polling"):
        recruiter, other, stranger = (Applicant(standin, u) for u in (RECRUITER_USER, OTHER_RECRUITER_USER, STRANGER))
        replies = await recruiter.send(f"/recruiter {format_claim(claim)}")
        assert "Linked: you are Sgt. Ana <b>Smith</b>" in replies[-1].visible_text  # escaped, shown literally
        await other.send(f"/recruiter {other_claim.lower()}")
        assert "Linked" in other.messages[-1].visible_text
        # a claim code works once only, and guesses fail
        for attempt in (claim, "AAAA-BBBB-CCCC", ""):
            replies = await stranger.send(f"/recruiter {attempt}")
            assert "not valid" in replies[-1].visible_text or "Send /recruiter followed" in replies[-1].visible_text

        yes, no = Applicant(standin, 5001), Applicant(standin, 5002)
        await yes.start(mine.link_code)
        assert "Sgt. Ana <b>Smith</b> (Mobile Police Department) invited you" in yes.messages[0].visible_text
        for step in FEDERAL_BY_BUTTONS:
            await yes.answer(step)
        await yes.wait_for_text("share this result")
        await yes.tap("Yes")
        assert "How should" in yes.messages[-1].visible_text
        assert "Share my phone number" in yes.messages[-1].button_texts
        before = len(recruiter.messages)
        await standin.user_sends_contact(5001, "+1 (205) 555-0100")
        await standin.wait_for_bot_messages(RECRUITER_USER, before + 1)
        await standin.wait_until_idle()
        assert "your result is shared with" in yes.messages[-1].visible_text
        notice = recruiter.messages[-1].visible_text
        assert "New lead" in notice and "likely eligible" in notice and "+12055550100" in notice and "13 of 10" in notice

        await finish(no, mine.link_code, NO_TRAINING)
        await no.tap("No")
        assert "nothing was shared" in no.messages[-1].visible_text
        assert len(recruiter.messages) == before + 1  # no notification for the applicant who declined

        replies = await recruiter.send("/leads")
        assert "Your leads (1)" in replies[-1].visible_text and "+12055550100" in replies[-1].visible_text
        replies = await recruiter.send("/stats")
        assert "started 2, finished 2, likely eligible 1, needs review 0, shared 1" in replies[-1].visible_text
        await recruiter.send("/export")
        rows = csv_rows(recruiter.documents()[-1].document.data)
        assert rows[0][0] == "Lead" and len(rows) == 2 and rows[1][3] == "likely_eligible"
        assert rows[1][9] == "'+12055550100"  # neutralised: a leading + would start a formula

        replies = await other.send("/leads")
        assert "No shared leads yet" in replies[-1].visible_text
        replies = await other.send("/stats")
        assert "started 0" in replies[-1].visible_text
        for command in ("/leads", "/stats", "/export"):
            replies = await stranger.send(command)
            assert "only for recruiters" in replies[-1].visible_text

        # the applicant withdraws consent: the lead disappears everywhere
        replies = await yes.send("/privacy")
        assert "shared with Sgt. Ana" in replies[-1].visible_text
        replies = await yes.tap("Stop sharing my result", replies[-1])
        assert "Sharing withdrawn" in replies[-1].visible_text
        replies = await recruiter.send("/leads")
        assert "No shared leads yet" in replies[-1].visible_text
        assert recruiting.leads(mine.id) == [] and "shared 0" in (await recruiter.send("/stats"))[-1].visible_text
        assert store.current_session("telegram", "5001").contact is None


@pytest.mark.parametrize("payload", ["x" * 65, "bad code!", "unknown_code_123", "disabled", None])
async def test_bad_unknown_or_disabled_links_start_a_normal_screening(standin, store, payload) -> None:
    recruiting = Recruiting(store)
    info, _ = recruiting.add("Agency", "Name")
    recruiting.disable(info.id)
    if payload == "disabled":
        payload = info.link_code
    async with running_bot(standin, store, "polling"):
        a = Applicant(standin, 5100)
        await a.start(payload)
        assert "invited you" not in a.text() and "Where did your law-enforcement training" in a.text()
        session = store.current_session("telegram", "5100")
        assert session.recruiter_id is None


async def test_rotated_link_stops_attributing(standin, store) -> None:
    recruiting = Recruiting(store)
    info, _ = recruiting.add("Agency", "Name")
    new_code = recruiting.rotate(info.id)
    async with running_bot(standin, store, "polling"):
        old, new = Applicant(standin, 5201), Applicant(standin, 5202)
        await old.start(info.link_code)
        await new.start(new_code)
        assert store.current_session("telegram", "5201").recruiter_id is None
        assert store.current_session("telegram", "5202").recruiter_id == info.id


async def test_typed_contact_is_validated(standin, store) -> None:
    recruiting = Recruiting(store)
    info, _ = recruiting.add("Agency", "Name")
    async with running_bot(standin, store, "polling"):
        a = Applicant(standin, 5301)
        await finish(a, info.link_code, NO_TRAINING)
        await a.send("yes")
        replies = await a.send("call me maybe")
        assert "doesn't look like a phone number" in replies[-1].visible_text
        await a.send("Ana@Example.org")
        assert recruiting.leads(info.id)[0].contact == "ana@example.org"


def test_purge_deletes_what_it_should_and_nothing_else(database_url) -> None:
    store = Store(database_url)
    recruiting = Recruiting(store)
    info, _ = recruiting.add("Agency", "Name")

    def session(user: str, finish: bool, share: bool) -> int:
        s = store.start_session("telegram", user, recruiter_id=info.id)
        s = store.write(s.id, s.version, set_answers={"background": "none"})
        if finish:
            s = store.write(s.id, s.version, status="finished", outcome="likely_ineligible", share=share or None)
        return s.id

    unfinished, unshared, shared = session("1", False, False), session("2", True, False), session("3", True, True)
    assert recruiting.purge(30).sessions == 0  # nothing is old yet
    later = Recruiting(store, now=lambda: datetime.now(timezone.utc) + timedelta(days=31))
    report = later.purge(30)
    assert (report.sessions, report.applicants) == (2, 2)
    assert store.get_session(unfinished) is None and store.get_session(unshared) is None
    assert store.get_session(shared) is not None and store.answer_history(shared)
    assert [lead.session_id for lead in recruiting.leads(info.id)] == [shared]
    store.close()


def test_csv_opens_in_a_spreadsheet() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
    leads = [Lead(7, 1, now, now, "likely_eligible", "federal", "=HYPERLINK(\"x\")", {"background": "none"}),
             Lead(8, 1, now, now, None, None, "Zoë, \"Z\" @home", {})]
    data = leads_csv(leads)
    text = data.decode("utf-8-sig")
    assert all(line.startswith('"') for line in text.strip().split("\r\n"))  # every field quoted
    rows = csv_rows(data)
    assert len(rows) == 3 and len({len(r) for r in rows}) == 1
    assert rows[1][9] == "'=HYPERLINK(\"x\")" and rows[2][9] == "Zoë, \"Z\" @home"


@pytest.mark.parametrize("value,expected", [("=1+2", "'=1+2"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
                                            ("\t=1", "'\t=1"), ("plain", "plain"), (None, ""), (5, "5")])
def test_formula_injection_is_neutralised(value, expected) -> None:
    assert safe_cell(value) == expected


def test_command_line_tools(tmp_path, database_url) -> None:
    import os
    import re
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": database_url, "BOT_USERNAME": "lateral_screener_bot"}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot.cli", *args], env=env, capture_output=True, text=True,
                              timeout=60, cwd=os.path.dirname(os.path.dirname(__file__)))

    out = cli("recruiter", "add", "--agency", "Mobile PD", "--name", "Sgt. Smith")
    assert out.returncode == 0, out.stderr
    link = re.search(r"https://t\.me/lateral_screener_bot\?start=([A-Za-z0-9_-]+)", out.stdout)
    assert link and len(link.group(1)) >= 11 and len(link.group(1)) <= 64  # >= 64 bits of randomness
    assert re.search(r"claim code \(valid 7 days\): [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", out.stdout)
    assert "Mobile PD" in cli("recruiter", "list").stdout
    rotated = cli("recruiter", "rotate", "1")
    assert rotated.returncode == 0 and link.group(1) not in rotated.stdout
    assert "started" in cli("stats").stdout
    target = tmp_path / "leads.csv"
    assert cli("leads", "export", "--recruiter", "1", "--out", str(target)).returncode == 0
    assert csv_rows(target.read_bytes())[0][0] == "Lead"
    assert "Deleted 0 screenings" in cli("purge", "--days", "30").stdout
    assert cli("recruiter", "disable", "1").returncode == 0
    missing = cli("recruiter", "disable", "99")
    assert missing.returncode == 2 and "No recruiter with id 99" in missing.stderr
    no_name = subprocess.run([sys.executable, "-m", "bot.cli", "recruiter", "add", "--agency", "A", "--name", "B"],
                             env={k: v for k, v in env.items() if k not in ("BOT_USERNAME", "TELEGRAM_BOT_TOKEN")},
                             capture_output=True, text=True, timeout=60)
    assert no_name.returncode == 2 and "BOT_USERNAME" in no_name.stderr and "Traceback" not in no_name.stderr
