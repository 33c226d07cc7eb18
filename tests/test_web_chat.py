"""The web channel in process (Starlette's TestClient): a whole screening through a recruiter's
web link, every kind of reply, stale forms and double submits, the cookie and CSRF checks,
escaping, page weights, and an error page instead of a traceback."""

from __future__ import annotations

import re
from datetime import date

import psycopg
import pytest
import sqlalchemy as sa
from sqlmodel import select
from starlette.testclient import TestClient

from bot.web.app import Web, build_app
from bot.web.headers import CSP, CSP_WITH_SCRIPT
from bot.web.serve import ROUTE_SETS
from dialogs.interview import Command, Flow, Pick, Text
from dialogs.web_form import MAX_TEXT, form_event
from storage import Store
from storage.leads import NEW, WITHDRAWN, LeadEvent, Leads
from storage.models import Applicant
from storage.recruiting import Recruiting
from tests.screenings import FEDERAL_BY_BUTTONS, NO_TRAINING, OUT_OF_STATE_TYPED
from tests.web_applicant import WebApplicant
from tests.web_helpers import KEY, LOCAL, Clock, link_for, settings_of, sign_in, web_client

MAX_PAGE_BYTES = 30_000
FIXED_LOCATIONS = {"/#turn", "/?moved=1#turn", "/?deleted=1", "/"}


@pytest.fixture
def http(store: Store) -> TestClient:
    return web_client(store, Clock())


def applicant_id(http: TestClient) -> str:
    return http.cookies["applicant"].split(".")[0]


def answers_of(store: Store, http: TestClient) -> dict:
    session = store.current_session("web", applicant_id(http))
    assert session is not None
    return dict(session.answers)


def test_a_whole_screening_through_a_recruiters_web_link(store: Store) -> None:
    clock = Clock()
    http = web_client(store, clock)
    recruiter, _ = Recruiting(store).add("Mobile Police Department", "Sgt. Ana <i>Smith</i>")
    me = WebApplicant(http)
    me.open(f"/s/{recruiter.link_code}")
    assert "Invited by Sgt. Ana <i>Smith</i> (Mobile Police Department)" in me.text  # shown as text
    assert "<i>Smith" not in me.html
    assert store.current_session("web", applicant_id(http)) is None  # opening a link stores nothing
    me.start(recruiter.link_code)
    assert "Sgt. Ana <i>Smith</i> (Mobile Police Department) invited you" in me.text
    weights = [len(me.html.encode())]
    for step in FEDERAL_BY_BUTTONS:
        me.answer(step)
        weights.append(len(me.html.encode()))
        assert "That question has moved on" not in me.text, step
    assert "How many hours long was that basic course? (for example 480)\n✓ 640 hours" in me.text  # as read
    verdict = me.text.index("Preliminary estimate")
    assert verdict < me.text.index("Findings") < me.text.index("Documents to gather")
    assert "Likely eligible" in me.text
    pdf = http.get("/checklist.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("attachment;")

    assert "Would you like to share this result with them" in me.text
    me.tap("Yes")
    assert "How should Sgt. Ana <i>Smith</i> (Mobile Police Department) contact you?" in me.text
    me.type("205 555 0100")
    assert "your result is shared with Sgt. Ana <i>Smith</i>" in me.text
    weights.append(len(me.html.encode()))
    lead = Leads(store).get(recruiter.id, 1)
    assert lead is not None and lead.channel == "web" and lead.contact == "+12055550100"
    assert lead.outcome == "likely_eligible"

    recruiter_browser = web_client(store, clock)
    sign_in(recruiter_browser, link_for(store, clock, recruiter))
    table = recruiter_browser.get("/dashboard").text
    assert '<td data-label="Via">Web</td>' in table and "(205) 555-0100" in table

    me.command("privacy")
    assert "a random number in a cookie of this browser" in me.text
    me.tap("Stop sharing my result")
    assert "Sharing withdrawn" in me.text
    assert Leads(store).get(recruiter.id, 1) is None
    assert max(weights) < MAX_PAGE_BYTES, weights
    assert set(me.locations) <= FIXED_LOCATIONS  # nothing typed ever travels in a URL


def test_typed_answers_are_read_and_asked_again_like_in_the_other_channels(store: Store, http: TestClient) -> None:
    me = WebApplicant(http)
    me.start()
    for step in OUT_OF_STATE_TYPED[:3]:
        me.type(step)
    me.type("<b>whenever</b> 😅")  # the certification date: not a date
    turn = me.text.split("Where you are now")[1]
    assert "When were you certified in that state?" in turn and "whenever" not in me.text  # never echoed
    assert "<b>whenever" not in me.html
    me.type("May 20 2016")
    assert "✓ Certified on: May 20, 2016" in me.text
    me.type("3 months, no wait 4 months")  # not a date: the start of service is asked again
    assert "When did you start working full-time" in me.text.split("Where you are now")[1]


def test_every_command_and_confirmation(store: Store, http: TestClient) -> None:
    me = WebApplicant(http)
    me.start()
    me.tap("A federal law-enforcement agency")
    me.tap("Yes")
    me.command("help")
    assert "About this question" in me.text and "How many hours long" in me.text
    me.type("640")
    me.command("back")
    assert "You had answered: 640 hours." in me.text
    me.type("16 weeks of 40 hours")
    assert "(16 weeks × 40 hours)" in me.text
    me.command("review")
    assert "Your answers" in me.text
    me.tap("2")
    assert "You had answered: yes." in me.text
    me.tap("Yes")
    me.command("restart")
    me.tap("No, keep my answers")
    assert "OK, your answers are kept." in me.text and answers_of(store, http)["basic_course_graduate"] is True
    me.type("mydata")
    assert '"background": "federal"' in me.text
    me.command("restart")
    me.tap("Yes, start over")
    assert "Starting over." in me.text and answers_of(store, http) == {}
    me.tap("None of these")
    assert "Likely not eligible" in me.text
    assert "There is no earlier answer" not in me.text
    me.command("result")
    assert "Likely not eligible" in me.text
    me.command("delete")
    me.tap("No, keep it")
    assert "Nothing was deleted." in me.text
    me.command("delete")
    me.tap("Yes, delete everything")
    assert me.locations[-1] == "/?deleted=1"
    assert "everything stored about you has been deleted" in me.text
    assert "Start the screening" in me.text
    with store.reading() as db:
        assert db.exec(select(Applicant).where(Applicant.channel == "web")).all() == []


def test_an_old_tab_and_a_double_submit_are_refused(store: Store, http: TestClient) -> None:
    me = WebApplicant(http)
    me.start()
    old = me.button("A federal law-enforcement agency")
    me.tap("The U.S. military police")
    me.submit(*old)  # the first page, still open in another tab
    assert "That question has moved on" in me.text
    assert me.locations[-1] == "/?moved=1#turn"
    assert answers_of(store, http) == {"background": "military_police"}
    form, yes = me.button("Yes")
    me.submit(form, yes)
    me.submit(form, yes)  # the same form again: a double submit
    assert "That question has moved on" in me.text
    assert answers_of(store, http) == {"background": "military_police", "basic_course_graduate": True}
    typed = [f for f in me.forms if f.text_field][-1]
    me.submit(typed, None, text="480")
    me.submit(typed, None, text="480")
    assert "That question has moved on" in me.text and answers_of(store, http)["basic_course_hours"] == 480


def test_forged_cookies_and_missing_csrf_tokens_change_nothing(store: Store, http: TestClient) -> None:
    me = WebApplicant(http)
    me.start()
    me.tap("A federal law-enforcement agency")
    form, yes = me.button("Yes")
    good = http.cookies["applicant"]
    data = {**form.hidden, "press": "answer:yes"}
    for cookie, fields in (
        (good[:-2] + ("AA" if not good.endswith("AA") else "BB"), data),  # an altered signature
        ("someone-else." + good.split(".")[1], data),  # another id under this signature
        (good, {**data, "csrf": "x" * 43}),
        (good, {k: v for k, v in data.items() if k != "csrf"}),
    ):
        http.cookies.clear()
        http.cookies.set("applicant", cookie)
        refused = http.post("/", data=fields)
        assert refused.status_code == 400 and "That form has expired" in refused.text
    http.cookies.clear()
    http.cookies.set("applicant", good)
    assert "basic_course_graduate" not in answers_of(store, http)
    http.cookies.clear()
    http.cookies.set("applicant", "garbage")
    assert "Start the screening" in http.get("/").text  # no applicant: a new start page


def test_the_cookie_is_httponly_and_lax_and_secure_behind_https(store: Store) -> None:
    plain = web_client(store, Clock()).get("/").headers["set-cookie"]
    assert "HttpOnly" in plain and "SameSite=lax" in plain and "Secure" not in plain
    https = web_client(store, Clock(), "https://screener.example.org").get("/")
    assert https.headers["set-cookie"].startswith("__Host-applicant=") and "Secure" in https.headers["set-cookie"]
    assert https.headers["content-security-policy"] == CSP_WITH_SCRIPT
    assert "'unsafe-inline'" not in CSP_WITH_SCRIPT and "script-src 'self'" in CSP_WITH_SCRIPT


def test_unknown_disabled_and_rotated_codes_start_a_normal_screening(store: Store, http: TestClient) -> None:
    recruiting = Recruiting(store)
    disabled, _ = recruiting.add("Mobile PD", "Off Duty")
    recruiting.disable(disabled.id)
    rotated, _ = recruiting.add("Mobile PD", "Rotated")
    recruiting.rotate(rotated.id)
    for code in ("nope", disabled.link_code, rotated.link_code, "bad code!"):
        page = http.get(f"/s/{code}")
        assert page.status_code in (200, 404)
        assert "Invited by" not in page.text and 'name="code"' not in page.text
    me = WebApplicant(http)
    me.start(disabled.link_code)
    me.answer(NO_TRAINING[0])
    session = store.current_session("web", applicant_id(http))
    assert session is not None and session.recruiter_id is None
    assert "share" not in me.text.lower().split("privacy")[0]


def test_a_closed_tab_resumes_and_start_over_on_this_device_forgets_it(store: Store, http: TestClient) -> None:
    me = WebApplicant(http)
    me.start()
    me.tap("A federal law-enforcement agency")
    again = WebApplicant(http)
    again.open("/")
    assert "Did you graduate" in again.text and "✓ Training from: A federal law-enforcement agency" in again.text
    again.submit(next(f for f in again.forms if f.action == "/forget"), None)
    assert "Start the screening" in again.text


def test_the_dashboard_keeps_its_script_free_policy(store: Store, http: TestClient) -> None:
    assert http.get("/dashboard").headers["content-security-policy"] == CSP
    assert http.get("/static/chat.js").status_code == 200


def test_a_database_failure_is_an_error_page_not_a_traceback(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    http = web_client(store, Clock())
    http.get("/")
    client = TestClient(http.app, base_url=str(http.base_url), raise_server_exceptions=False)
    client.cookies = http.cookies

    def down(*args: object, **kwargs: object) -> None:
        raise sa.exc.OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused"))

    monkeypatch.setattr(Store, "current_session", down)
    page = client.get("/")
    assert page.status_code == 503 and "cannot reach its records" in page.text
    assert "Traceback" not in page.text and "OperationalError" not in page.text
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Page not found" in missing.text
    assert re.search(r"<a href=\"/\">", missing.text)


def test_a_link_opened_mid_screening_attributes_it_and_sharing_later_tells_the_recruiter(store: Store) -> None:
    told: list[tuple[str, str | None]] = []

    async def deliver(events: tuple[LeadEvent, ...]) -> None:
        told.extend((e.kind, e.lead.contact) for e in events)

    clock = Clock()
    web = Web(store, settings_of(store, LOCAL), KEY, LOCAL, clock, deliver=deliver)
    http = TestClient(build_app(web, ROUTE_SETS), base_url=LOCAL, follow_redirects=False)
    recruiter, _ = Recruiting(store).add("Mobile PD", "Sgt. Ana Smith")
    me = WebApplicant(http)
    me.start()
    me.type("none of these, I was a jailer")  # asked again: corrections work is not LE training
    assert "Corrections, detention, dispatch or security work is not law-enforcement training" in me.text
    me.tap("A federal law-enforcement agency")
    me.open(f"/s/{recruiter.link_code}")
    assert "Invited by Sgt. Ana Smith (Mobile PD)" in me.text
    me.submit(next(f for f in me.forms if f.action == "/start"), None)  # "Continue my screening"
    assert "This screening now comes through Sgt. Ana Smith (Mobile PD)'s link" in me.text
    me.command("back")
    me.tap("None of these")
    assert "Would you like to share this result" in me.text
    me.tap("No")
    assert "OK, nothing was shared." in me.text and told == []
    me.tap("Share my result")
    me.tap("Share without contact details")
    assert "your result is shared with Sgt. Ana Smith (Mobile PD)." in me.text
    assert told == [(NEW, None)]
    lead = Leads(store).get(recruiter.id, 1)
    assert lead is not None and lead.channel == "web" and lead.contact is None
    me.command("delete")
    me.tap("Yes, delete everything")
    assert told == [(NEW, None), (WITHDRAWN, None)] and Leads(store).get(recruiter.id, 1) is None


def test_a_failed_notification_does_not_fail_the_applicants_turn(store: Store) -> None:
    async def deliver(events: tuple[LeadEvent, ...]) -> None:
        raise TimeoutError("Telegram did not answer")

    web = Web(store, settings_of(store, LOCAL), KEY, LOCAL, Clock(), deliver=deliver)
    http = TestClient(build_app(web, ROUTE_SETS), base_url=LOCAL, follow_redirects=False)
    recruiter, _ = Recruiting(store).add("Mobile PD", "Sgt. Ana Smith")
    me = WebApplicant(http)
    me.start(recruiter.link_code)
    me.tap("None of these")
    me.tap("Yes")
    me.tap("Share without contact details")  # committed, then the notice fails: the page still comes
    assert "your result is shared with Sgt. Ana Smith (Mobile PD)." in me.text
    assert Leads(store).get(recruiter.id, 1) is not None


def test_form_fields_mean_the_interviews_events() -> None:
    flow, today = Flow({}), date(2026, 11, 22)
    assert form_event({"press": "answer:1"}, flow, today) == Pick("background", "federal")
    assert form_event({"press": "answer:ns"}, flow, today) == Pick("background", {"not_sure": True})
    assert form_event({"press": "answer:9"}, flow, today) is None  # no such option
    assert form_event({"press": "contact:skip"}, flow, today) == Pick("contact", None)
    assert form_event({"press": "review:done"}, flow, today) == Pick("review", "done")
    assert form_event({"press": "nonsense:1"}, flow, today) is None
    assert form_event({"command": "back"}, flow, today) == Command("back")
    assert form_event({"command": "quit"}, flow, today) is None  # the terminal's, not the web's
    assert form_event({"text": "x" * 5000}, flow, today) == Text("x" * MAX_TEXT)
    assert form_event({"csrf": "t", "step": "1"}, flow, today) is None
