"""The dashboard in a real browser (Chromium, JavaScript off), against `lateral-screener serve`
running as its own process with the Telegram stand-in: an applicant shares a result through the
webhook, the recruiter asks the bot for a sign-in link, signs in, filters, exports the CSV,
opens the lead, sets its status and a note, looks at the statistics and signs out; a used or
expired link is refused; a second recruiter cannot open the first one's lead by its URL.

Screenshots of each page at 360 px and 1280 px are saved under artifacts/screenshots/.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from bot.cli import main
from bot.web.signing import token_hash
from storage import Store
from storage.leads import Leads
from storage.models import SIGN_IN_LINK_TABLE, utcnow
from storage.recruiting import Recruiting
from tests.bot_harness import Applicant, free_port
from tests.browser import Browser
from tests.screenings import FEDERAL_BY_BUTTONS, NO_TRAINING
from tests.telegram_standin import BotApiStandIn
from tests.test_recruiters import finish, linked_recruiter, share
from tests.test_workers import wait_until_up

ROOT = Path(__file__).resolve().parent.parent


def start_serve(standin: BotApiStandIn, database_url: str, port: int, home: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": standin.token,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "TELEGRAM_API_BASE_FILE_URL": standin.base_file_url,
        "DATABASE_URL": database_url,
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "LATERAL_SCREENER_HOME": str(home),  # the generated secret key goes here
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=ROOT, env=env)


def login_link(recruiter_id: int) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["recruiter", "login-link", str(recruiter_id)]) == 0
    return out.getvalue().split()[-1]


@dataclass
class Story:
    base: str
    link: str  # from the bot, for the recruiter who has the leads
    expired_link: str
    other_link: str  # a recruiter of another agency
    lead_id: int
    downloads: Path


def browse(chromium: tuple[str, str], story: Story) -> dict[str, list[Path]]:
    b = Browser(chromium, story.base, story.downloads)
    shots: dict[str, list[Path]] = {}
    try:
        b.go(story.link)
        assert b.heading() == "Sign in to the recruiter dashboard"
        shots["sign-in"] = b.screenshot("sign-in")
        b.press("Continue to the dashboard")
        b.wait_for_heading("Your leads")
        assert "Sgt. Ana <i>Smith</i>, Mobile Police Department" in b.text()  # shown literally, not as markup
        assert b.driver.find_element(By.CSS_SELECTOR, ".count").text == "2 leads"
        shots["leads"] = b.screenshot("leads")

        # keyboard: the first Tab reaches "Skip to content", which moves focus to the main content
        b.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        assert b.focused().text == "Skip to content"

        b.open_details("Filter and sort")
        b.choose("Outcome", "Likely eligible")
        b.press("Apply")
        b.wait().until(lambda d: "outcome=likely_eligible" in d.current_url)
        assert b.driver.find_element(By.CSS_SELECTOR, ".count").text == "1 lead"
        assert "#1" in b.text() and "#2" not in b.text()
        shots["leads-filtered"] = b.screenshot("leads-filtered")
        b.follow("Download CSV of these leads")
        csv_file = b.wait().until(lambda d: next(iter(story.downloads.glob("leads-*.csv")), None))
        assert csv_file is not None
        rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
        assert [(r["Lead"], r["Outcome (preliminary)"]) for r in rows] == [("1", "Likely eligible")]

        b.follow("#1")
        b.wait_for_heading("Lead #1")
        text = b.text()
        for words in ("(205) 555-0100", "Findings", "650-X-4-.06", "Documents to gather", "The facts it rests on"):
            assert words in text, words
        shots["lead"] = b.screenshot("lead")
        b.press("Contacted")
        b.wait_for_text("Status set to Contacted.")
        pressed = b.driver.find_element(By.XPATH, '//button[@aria-pressed="true"]')
        assert pressed.text == "Contacted"
        b.driver.find_element(By.ID, "notes").send_keys("Called <b>Monday</b>; call back after 5")
        b.press("Save notes")
        b.wait_for_text("Notes saved.")
        assert b.driver.find_element(By.ID, "notes").get_attribute("value") == "Called <b>Monday</b>; call back after 5"

        b.follow("Statistics")
        b.wait_for_heading("Statistics")
        assert len(b.driver.find_elements(By.CSS_SELECTOR, "svg[role=img]")) == 2
        shots["stats"] = b.screenshot("stats")

        b.press("Sign out")
        b.wait_for_heading("You are signed out")
        b.go("/dashboard")
        assert b.heading() == "Recruiter dashboard"  # the session is gone

        b.go(story.link)
        assert b.heading() == "This sign-in link was used already"
        shots["link-used"] = b.screenshot("link-used")
        b.go(story.expired_link)
        assert b.heading() == "This sign-in link has expired"

        b.go(story.other_link)
        b.press("Continue to the dashboard")
        b.wait_for_heading("Your leads")
        assert "No shared leads yet" in b.text()
        b.go(f"/dashboard/leads/{story.lead_id}")
        assert b.heading() == "No such lead"
        assert "555-0100" not in b.driver.page_source
        shots["no-lead"] = b.screenshot("no-lead")
    finally:
        b.close()
    return shots


async def test_a_recruiter_works_their_leads_in_a_real_browser(
    chromium: tuple[str, str], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(database_url).close()  # migrated before the server starts
    async with BotApiStandIn() as standin:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_serve(standin, database_url, port, tmp_path / "home")
        store = Store(database_url)
        try:
            await wait_until_up(standin, [port])
            assert standin.webhook is not None
            assert standin.webhook.url == f"{base}/telegram" and standin.webhook.secret_token
            recruiting = Recruiting(store)
            mine, recruiter = await linked_recruiter(
                standin, recruiting, 9001, "Mobile Police Department", "Sgt. Ana <i>Smith</i>"
            )
            first, second = Applicant(standin, 5001), Applicant(standin, 5002)
            await finish(first, mine.link_code, FEDERAL_BY_BUTTONS)  # through the webhook of `serve`
            await share(first)
            await finish(second, mine.link_code, NO_TRAINING)
            await share(second, None)
            (reply,) = await recruiter.send("/dashboard")
            link = reply.visible_text.split()[-1]
            assert link.startswith(f"{base}/dashboard/sign-in/")

            monkeypatch.setenv("DATABASE_URL", database_url)
            monkeypatch.setenv("PUBLIC_URL", base)
            other, _ = recruiting.add("Dothan Police Department", "Lt. Lee")
            expired = login_link(mine.id)
            with store.writing() as db:
                db.exec(
                    sa.update(SIGN_IN_LINK_TABLE)
                    .where(SIGN_IN_LINK_TABLE.c.token_hash == token_hash(expired.rsplit("/", 1)[1]))
                    .values(expires_at=utcnow() - timedelta(seconds=1))
                )
            lead = Leads(store).get(mine.id, 1)
            assert lead is not None
            downloads = tmp_path / "downloads"
            downloads.mkdir()
            story = Story(base, link, expired, login_link(other.id), lead.id, downloads)
            await asyncio.to_thread(browse, chromium, story)

            after = Leads(store).get(mine.id, 1)
            assert after is not None and after.status == "contacted"
            assert after.notes == "Called <b>Monday</b>; call back after 5"
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{base}/healthz") as health:
                    assert health.status == 200
                async with http.post(f"{base}/telegram", json={"update_id": 1}) as forged:
                    assert forged.status == 403  # the webhook still wants Telegram's secret
        finally:
            store.close()
            proc.terminate()
            proc.wait(timeout=30)
