"""The recruiter dashboard over HTTP (in process): the leads an applicant shared through the
Telegram stand-in, filtered, sorted, opened, marked, noted and exported; who may see what;
the statistics pictures; CSRF on every change."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from bot.leads import leads_csv, view
from storage import Store
from storage.leads import Leads
from storage.recruiting import Recruiting
from tests.bot_harness import Applicant, running_bot
from tests.screenings import FEDERAL_BY_BUTTONS, NO_TRAINING
from tests.telegram_standin import BotApiStandIn
from tests.test_recruiters import Scene, csv_dicts, finish, lead_record, linked_recruiter, share
from tests.web_helpers import Clock, hidden, link_for, recruiter, sign_in, web_client


async def two_leads(standin: BotApiStandIn, store: Store) -> Scene:
    """Lead #1 likely eligible (federal, with a phone), lead #2 likely not eligible (no contact)."""
    async with running_bot(standin, store, "polling"):
        recruiting = Recruiting(store)
        mine, person = await linked_recruiter(standin, recruiting, 9001)
        first, second = Applicant(standin, 5001), Applicant(standin, 5002)
        await finish(first, mine.link_code, FEDERAL_BY_BUTTONS)
        await share(first)
        await finish(second, mine.link_code, NO_TRAINING)
        await share(second, None)
        return Scene(recruiting, mine, person, first)


def signed_in_client(store: Store, recruiter_id: int) -> TestClient:
    clock = Clock()
    info = Recruiting(store).get(recruiter_id)
    assert info is not None
    http = web_client(store, clock)
    sign_in(http, link_for(store, clock, info))
    return http


def rows(html: str) -> list[str]:
    """The lead numbers of the table, in order."""
    return re.findall(r'<td data-label="Lead"><a href="/dashboard/leads/\d+">#(\d+)', html)


async def test_the_table_filters_sorts_and_exports_what_it_shows(standin: BotApiStandIn, store: Store) -> None:
    scene = await two_leads(standin, store)
    http = signed_in_client(store, scene.mine.id)
    page = http.get("/dashboard")
    assert rows(page.text) == ["2", "1"]  # newest share first
    assert "Likely eligible" in page.text and "(205) 555-0100" in page.text and "none given" in page.text
    assert rows(http.get("/dashboard?outcome=likely_eligible").text) == ["1"]
    assert rows(http.get("/dashboard?status=contacted").text) == []
    assert rows(http.get("/dashboard?sort=number&order=asc").text) == ["1", "2"]
    assert rows(http.get("/dashboard?sort=points").text) == ["1", "2"]  # a lead without points comes last
    assert rows(http.get("/dashboard?from=2000-01-01&to=2000-01-02").text) == []
    assert rows(http.get("/dashboard?status=bogus&sort=bogus&page=x").text) == ["2", "1"]  # stale links still work
    export = http.get("/dashboard/leads.csv?outcome=likely_eligible")
    assert export.headers["content-type"].startswith("text/csv")
    assert export.headers["content-disposition"].startswith('attachment; filename="leads-')
    (row,) = csv_dicts(export.content)
    assert row["Lead"] == "1" and row["Contact"] == "(205) 555-0100"
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/Chicago")
    everything = [view(lead, zone) for lead in Leads(store).list(scene.mine.id)]
    assert http.get("/dashboard/leads.csv").content == leads_csv(everything)  # same format as the command line


async def test_a_lead_page_shows_the_facts_and_takes_status_and_notes(standin: BotApiStandIn, store: Store) -> None:
    scene = await two_leads(standin, store)
    http = signed_in_client(store, scene.mine.id)
    lead = Leads(store).get(scene.mine.id, 1)
    assert lead is not None
    page = http.get(f"/dashboard/leads/{lead.id}")
    assert page.status_code == 200
    for words in ("Lead #1", "Likely eligible", "Findings", "Documents to gather", "650-X-4-.06", "(205) 555-0100"):
        assert words in page.text, words
    csrf = hidden(page.text, "csrf")
    assert http.post(f"/dashboard/leads/{lead.id}/status", data={"status": "contacted"}).status_code == 400
    done = http.post(f"/dashboard/leads/{lead.id}/status", data={"status": "contacted", "csrf": csrf})
    assert done.status_code == 303 and done.headers["location"] == f"/dashboard/leads/{lead.id}?done=status"
    assert "Status set to Contacted" in http.get(done.headers["location"]).text
    assert lead_record(store, scene.mine.id, 1).status == "contacted"
    note = "Called <script>alert(1)</script> & left a message"
    http.post(f"/dashboard/leads/{lead.id}/notes", data={"notes": note, "csrf": csrf})
    shown = http.get(f"/dashboard/leads/{lead.id}").text
    assert "Called &lt;script&gt;alert(1)&lt;/script&gt; &amp; left a message" in shown and "<script>" not in shown
    assert rows(http.get("/dashboard?status=contacted").text) == ["1"]


async def test_only_the_owner_and_their_agency_admin_see_a_lead(standin: BotApiStandIn, store: Store) -> None:
    scene = await two_leads(standin, store)
    lead = Leads(store).get(scene.mine.id, 1)
    assert lead is not None
    clock = Clock()
    colleague = recruiter(store, clock, "Lt. Lee", "Mobile Police Department")
    stranger_admin = recruiter(store, clock, "Chief Roe", "Dothan PD")
    Recruiting(store).set_admin(stranger_admin.id, True)
    for other in (colleague, stranger_admin):
        http = signed_in_client(store, other.id)
        page = http.get(f"/dashboard/leads/{lead.id}")
        assert page.status_code == 404 and "(205) 555-0100" not in page.text
        csrf = hidden(page.text, "csrf")
        changed = http.post(f"/dashboard/leads/{lead.id}/status", data={"status": "hired", "csrf": csrf})
        assert changed.status_code == 404
        assert rows(http.get("/dashboard").text) == [] and "555-0100" not in http.get("/dashboard/leads.csv").text
    assert lead_record(store, scene.mine.id, 1).status == "new"
    Recruiting(store).set_admin(colleague.id, True)
    admin = signed_in_client(store, colleague.id)
    assert admin.get(f"/dashboard/leads/{lead.id}").status_code == 200
    assert rows(admin.get("/dashboard").text) == ["2", "1"] and "Sgt. Ana Smith" in admin.get("/dashboard").text


async def test_the_statistics_are_drawn_as_svg_without_scripts_or_inline_styles(
    standin: BotApiStandIn, store: Store
) -> None:
    scene = await two_leads(standin, store)
    http = signed_in_client(store, scene.mine.id)
    page = http.get("/dashboard/stats")
    assert page.status_code == 200
    assert page.text.count("<svg") == 2 and 'role="img"' in page.text
    assert "Started: 2; Finished: 2; Likely eligible: 1; Needs review: 0; Shared: 2" in page.text
    for html in (page.text, http.get("/dashboard").text):
        assert "<script" not in html and "style=" not in html and "<style" not in html


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/stats", "/dashboard/leads/1", "/dashboard/leads.csv"])
def test_every_page_needs_a_session(store: Store, path: str) -> None:
    http = web_client(store, Clock())
    page = http.get(path)
    assert page.status_code == 401 and "/dashboard</strong> to the bot" in page.text
    assert http.post("/dashboard/leads/1/status", data={"status": "hired"}).status_code == 401
