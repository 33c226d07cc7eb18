"""The applicant's web channel in a real browser (Chromium, a 360-px phone window), against
`lateral-screener serve` running as its own process on loopback with no Telegram token: a whole
screening through a recruiter's web link with JavaScript on and with it off (a second tab that
answers first, so the older tab's press is refused; buttons, typed answers, an answer asked
again, help, review, the result with the verdict first, the checklist PDF), sharing with a
contact, the lead on the recruiter's dashboard, withdrawing, and deleting.

Screenshots of each step at 360 px and 1280 px go to artifacts/screenshots/web-*.png.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from bot.cli import main
from storage import Store
from storage.leads import Leads
from storage.recruiting import Recruiting
from tests.bot_harness import free_port
from tests.browser import WAIT, Browser
from tests.screenings import FEDERAL_BY_BUTTONS

ROOT = Path(__file__).resolve().parent.parent


def start_serve(database_url: str, port: int, home: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LATERAL_SCREENER_HOME": str(home),  # the generated secret key goes here
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=ROOT, env=env)


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_until_healthy(base: str, proc: subprocess.Popen) -> None:
    """Until /healthz answers 200 (a generous deadline, only against a server that never starts)."""
    deadline = time.monotonic() + WAIT
    while not healthy(base):
        assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
        time.sleep(0.1)


def login_link(recruiter_id: int) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["recruiter", "login-link", str(recruiter_id)]) == 0
    return out.getvalue().split()[-1]


class Applicant:
    """The applicant's side of the browser: every step waits for the page of the next step (its
    step token changes), never for a while."""

    def __init__(self, browser: Browser, javascript: bool) -> None:
        self.b = browser
        self.javascript = javascript

    def step(self) -> str:
        return str(self.b.driver.find_element(By.CSS_SELECTOR, "main input[name=step]").get_attribute("value"))

    def after(self, act: object) -> None:
        before = self.step()
        assert callable(act)
        act()
        self.b.wait().until(lambda d: self.step() != before and not d.find_elements(By.CSS_SELECTOR, ".sending"))

    def tap(self, label: str) -> None:
        self.after(lambda: self.b.press(label))

    def type(self, text: str) -> None:
        field = self.b.driver.find_elements(By.CSS_SELECTOR, "main input[name=text]")[-1]
        if self.javascript:  # the script put the focus in the answer field
            assert self.b.focused() == field
        self.after(lambda: field.send_keys(text, Keys.ENTER))

    def answer(self, step: str) -> None:
        self.tap(step[4:]) if step.startswith("tap:") else self.type(step)

    def turn(self) -> str:
        return str(self.b.driver.find_element(By.ID, "turn").text)


def screening(b: Browser, javascript: bool, link: str, shots: str) -> None:
    me = Applicant(b, javascript)
    b.go(link)
    b.wait_for_heading("Can you skip the full academy")
    assert "Invited by Sgt. Ana <i>Smith</i> (Mobile Police Department)" in b.text()  # as text, not markup
    b.screenshot(f"{shots}-start")
    b.press("Start the screening")
    b.wait_for_text("Where did your law-enforcement training")
    assert b.driver.find_element(By.CSS_SELECTOR, "script[src='/static/chat.js']")
    b.screenshot(f"{shots}-first-question")
    first_tab = b.driver.current_window_handle
    b.driver.switch_to.new_window("tab")  # the same screening in a second tab answers first
    b.go("/")
    b.wait_for_text("Where did your law-enforcement training")
    me.tap(FEDERAL_BY_BUTTONS[0][4:])
    b.driver.close()
    b.driver.switch_to.window(first_tab)
    me.tap("The U.S. military police")  # this tab's page is older: refused, and told where things are
    assert "That question has moved on" in me.turn() and "Did you graduate from a formal federal" in me.turn()
    b.screenshot(f"{shots}-moved-on")
    for i, step in enumerate(FEDERAL_BY_BUTTONS):
        if i == 0:
            continue  # answered in the other tab
        if step == "Jan 2012":  # the first typed date: something unreadable first, asked again
            me.type("<b>whenever</b> 😅")
            assert "When did you start working full-time" in me.turn() and "whenever" not in b.text()
            b.screenshot(f"{shots}-asked-again")
        me.answer(step)
        if javascript:  # the new messages are read to screen readers
            last, said = b.driver.execute_script(
                "var m = document.querySelectorAll('#turn .msg');"
                "return [m[m.length - 1].textContent, document.getElementById('announce').textContent];"
            )
            assert " ".join(last.split())[:40] in " ".join(said.split()), (step, last, said)
        if i == 1:
            me.tap("Help")
            assert "About this question" in me.turn()
            b.screenshot(f"{shots}-help")
        if i == 3:
            b.screenshot(f"{shots}-typed-answer")
        if i == 6:
            me.tap("Review answers")
            assert "Your answers" in me.turn()
            b.screenshot(f"{shots}-review")
            me.tap("Continue")
        if step == "tap:I have a job offer from an Alabama agency":
            b.screenshot(f"{shots}-hire-date")
    b.wait_for_text("Preliminary estimate")
    text = b.text()
    assert text.index("Likely eligible") < text.index("Findings") < text.index("Documents to gather")
    b.screenshot(f"{shots}-result")
    if javascript:  # posted in place: the address stays the plain one (nothing typed, no marker)
        assert b.driver.current_url == b.base_url + "/"
    b.follow("Download your document checklist (PDF)")
    pdf = b.wait().until(lambda d: next(iter(b.downloads.glob("lateral-entry-checklist-*.pdf")), None))
    assert pdf is not None
    WebDriverWait(b.driver, WAIT).until(lambda d: pdf.read_bytes().startswith(b"%PDF"))

    me.tap("Yes")  # share with the recruiter
    b.wait_for_text("How should Sgt. Ana <i>Smith</i>")
    b.screenshot(f"{shots}-contact")
    me.type("(205) 555-0100")
    b.wait_for_text("your result is shared with Sgt. Ana <i>Smith</i>")
    b.screenshot(f"{shots}-shared")


def withdraw_and_delete(b: Browser, javascript: bool, shots: str) -> None:
    me = Applicant(b, javascript)
    b.go("/")  # closing the tab and coming back resumes
    b.wait_for_text("your result is shared with")
    me.tap("Privacy")
    me.tap("Stop sharing my result")
    assert "Sharing withdrawn" in me.turn()
    b.screenshot(f"{shots}-withdrawn")
    me.tap("Delete my data")
    assert "Delete everything stored about you" in me.turn()
    b.press("Yes, delete everything")
    b.wait_for_text("everything stored about you has been deleted")
    b.screenshot(f"{shots}-deleted")


def dashboard(b: Browser, link: str) -> None:
    b.go(link)
    b.press("Continue to the dashboard")
    b.wait_for_heading("Your leads")
    row = b.driver.find_element(By.CSS_SELECTOR, "table.leads tbody tr").text
    assert "Web" in row and "(205) 555-0100" in row
    b.screenshot("web-lead-on-dashboard")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_screening_in_a_phone_browser(
    chromium: tuple[str, str],
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    javascript: bool,
) -> None:
    store = Store(sqlite_url)  # migrated before the server starts
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_serve(sqlite_url, port, tmp_path / "home")
    try:
        wait_until_healthy(base, proc)
        recruiter, _ = Recruiting(store).add("Mobile Police Department", "Sgt. Ana <i>Smith</i>")
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        shots = "web-js" if javascript else "web-no-js"
        b = Browser(chromium, base, downloads, javascript=javascript, phone=True)
        try:
            screening(b, javascript, f"/s/{recruiter.link_code}", shots)
            lead = Leads(store).get(recruiter.id, 1)
            assert lead is not None and lead.channel == "web" and lead.contact == "+12055550100"
            monkeypatch.setenv("DATABASE_URL", sqlite_url)
            monkeypatch.setenv("PUBLIC_URL", base)
            desk = Browser(chromium, base, downloads)
            try:
                dashboard(desk, login_link(recruiter.id))
            finally:
                desk.close()
            withdraw_and_delete(b, javascript, shots)
        finally:
            b.close()
        assert Leads(store).get(recruiter.id, 1) is None
    finally:
        store.close()
        proc.terminate()
        proc.wait(timeout=30)
