"""Signing in to the dashboard without passwords: one-time links from the command line or the
bot, a session cookie, CSRF on every form, refusals that say what to do, and a rate limit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.cli import main
from storage import Store
from storage.recruiting import Recruiting
from storage.sign_in import FAILURES_ALLOWED, LINK_MINUTES, SESSION_HOURS
from tests.web_helpers import Clock, hidden, link_for, recruiter, sign_in, web_client

if TYPE_CHECKING:
    from tests.telegram_standin import BotApiStandIn


def test_a_link_signs_in_once_and_sign_out_ends_the_session(store: Store) -> None:
    clock = Clock()
    me = recruiter(store, clock, name="Sgt. <b>Ana</b> Smith")
    http = web_client(store, clock)
    assert http.get("/dashboard").status_code == 401
    link = link_for(store, clock, me)
    assert link.startswith("http://127.0.0.1:8080/dashboard/sign-in/")
    sign_in(http, link)
    cookie = next(h for h in http.cookies.jar)
    assert cookie.name == "session" and not cookie.secure
    page = http.get("/dashboard")
    assert page.status_code == 200
    assert "Sgt. &lt;b&gt;Ana&lt;/b&gt; Smith" in page.text and "<b>Ana</b>" not in page.text  # escaped
    assert page.headers["cache-control"] == "no-store"

    again = web_client(store, clock).get(link)
    assert again.status_code == 410 and "used already" in again.text and "/dashboard" in again.text

    assert http.post("/dashboard/sign-out", data={"csrf": "forged"}).status_code == 400
    assert http.get("/dashboard").status_code == 200  # a forged sign-out changed nothing
    out = http.post("/dashboard/sign-out", data={"csrf": hidden(page.text, "csrf")})
    assert out.status_code == 200 and "You are signed out" in out.text
    assert http.get("/dashboard").status_code == 401


def test_the_session_cookie_is_httponly_strict_and_secure_behind_https(store: Store) -> None:
    clock = Clock()
    me = recruiter(store, clock)
    http = web_client(store, clock, "https://screener.example.org")
    link = link_for(store, clock, me, "https://screener.example.org")
    opened = http.get(link)
    used = http.post(
        "/dashboard/sign-in", data={"token": hidden(opened.text, "token"), "csrf": hidden(opened.text, "csrf")}
    )
    set_cookie = [v for k, v in used.headers.multi_items() if k == "set-cookie" and "session=" in v][0]
    assert set_cookie.startswith("__Host-session=")
    for flag in ("HttpOnly", "SameSite=strict", "Secure", "Path=/", f"Max-Age={SESSION_HOURS * 3600}"):
        assert flag.lower() in set_cookie.lower(), flag


def test_opening_a_link_uses_nothing_until_the_button(store: Store) -> None:
    """Link previews fetch links: a GET only shows the button."""
    clock = Clock()
    link = link_for(store, clock, recruiter(store, clock))
    for _ in range(3):
        assert web_client(store, clock).get(link).status_code == 200
    sign_in(web_client(store, clock), link)


def test_an_expired_link_is_refused_with_what_to_do(store: Store) -> None:
    clock = Clock()
    link = link_for(store, clock, recruiter(store, clock))
    clock.advance(minutes=LINK_MINUTES, seconds=1)
    page = web_client(store, clock).get(link)
    assert page.status_code == 410 and "expired" in page.text and "/dashboard</strong> to the bot" in page.text


def test_a_sign_in_without_its_pages_csrf_is_refused_and_the_link_kept(store: Store) -> None:
    clock = Clock()
    link = link_for(store, clock, recruiter(store, clock))
    opened = web_client(store, clock).get(link)
    other = web_client(store, clock)  # another browser: no nonce cookie
    token, csrf = hidden(opened.text, "token"), hidden(opened.text, "csrf")
    assert other.post("/dashboard/sign-in", data={"token": token, "csrf": csrf}).status_code == 400
    assert other.post("/dashboard/sign-in", json={"token": token}).status_code == 400
    sign_in(web_client(store, clock), link)


def test_sessions_end_after_12_hours_and_when_the_recruiter_is_disabled(store: Store) -> None:
    clock = Clock()
    me = recruiter(store, clock)
    http = web_client(store, clock)
    sign_in(http, link_for(store, clock, me))
    clock.advance(hours=SESSION_HOURS, seconds=-1)
    assert http.get("/dashboard").status_code == 200
    clock.advance(seconds=2)
    assert http.get("/dashboard").status_code == 401
    sign_in(http, link_for(store, clock, me))
    Recruiting(store).disable(me.id)
    assert http.get("/dashboard").status_code == 401
    assert link_for_disabled(store, clock, me.id) is None


def link_for_disabled(store: Store, clock: Clock, recruiter_id: int) -> object:
    from bot.web.links import sign_in_link
    from tests.web_helpers import settings_of

    return sign_in_link(store, settings_of(store), recruiter_id, clock)


def test_failed_links_are_rate_limited_per_client(store: Store) -> None:
    clock = Clock()
    good = link_for(store, clock, recruiter(store, clock))
    http = web_client(store, clock)
    for i in range(FAILURES_ALLOWED):
        page = http.get(f"/dashboard/sign-in/guess{i}")
        assert page.status_code == 404 and "not valid" in page.text
    limited = http.get(good)
    assert limited.status_code == 429 and "Wait 15 minutes" in limited.text
    clock.advance(minutes=16)
    assert http.get(good).status_code == 410  # the window passed; the link has expired meanwhile


# --- the command line -------------------------------------------------------------------------
def test_the_command_line_prints_a_link_and_makes_agency_admins(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("PUBLIC_URL", "https://screener.example.org/")
    with Store(sqlite_url) as store:
        me = recruiter(store, Clock())
    assert main(["recruiter", "login-link", str(me.id)]) == 0
    out = capsys.readouterr().out
    assert f"valid {LINK_MINUTES} minutes" in out and "https://screener.example.org/dashboard/sign-in/" in out
    assert main(["recruiter", "admin", str(me.id)]) == 0
    assert "is now an admin of Mobile PD" in capsys.readouterr().out
    assert main(["recruiter", "admin", str(me.id), "--off"]) == 0
    assert "no longer an agency admin" in capsys.readouterr().out
    assert main(["recruiter", "login-link", "999"]) == 2
    assert "No recruiter with id 999" in capsys.readouterr().err


# --- the bot ----------------------------------------------------------------------------------
async def test_the_bot_sends_a_linked_recruiter_a_link_without_a_preview(standin: BotApiStandIn, store: Store) -> None:
    from tests.bot_harness import Applicant, running_bot
    from tests.test_recruiters import RECRUITER_USER, STRANGER, linked_recruiter

    async with running_bot(standin, store, "polling"):
        me, person = await linked_recruiter(standin, Recruiting(store), RECRUITER_USER)
        (reply,) = await person.send("/dashboard")
        assert f"works once, for {LINK_MINUTES} minutes" in reply.visible_text
        link = reply.visible_text.split()[-1]
        assert link.startswith("http://127.0.0.1:8080/dashboard/sign-in/")
        assert reply.link_preview_options == {"is_disabled": True}
        (refusal,) = await Applicant(standin, STRANGER).send("/dashboard")
        assert "only for recruiters" in refusal.visible_text
    clock = Clock()
    http = web_client(store, clock)
    sign_in(http, link.replace("http://127.0.0.1:8080", ""))
    assert "Sgt. Ana Smith" in http.get("/dashboard").text


def test_a_session_works_on_every_worker_and_sign_out_ends_it_on_all(store: Store) -> None:
    """Workers behind one proxy share the database and SECRET_KEY: a browser may reach any."""
    clock = Clock()
    me = recruiter(store, clock)
    worker_a, worker_b = web_client(store, clock), web_client(store, clock)
    sign_in(worker_a, link_for(store, clock, me))
    worker_b.cookies = worker_a.cookies
    page = worker_b.get("/dashboard")
    assert page.status_code == 200
    assert worker_b.post("/dashboard/sign-out", data={"csrf": hidden(page.text, "csrf")}).status_code == 200
    worker_a.cookies.clear()
    worker_a.cookies.set("session", page.request.headers["cookie"].split("session=")[1].split(";")[0])
    assert worker_a.get("/dashboard").status_code == 401
