"""Recruiters and their leads, end to end through the stand-in: the applicant controls what is
shared (one lead per recruiter, across all their screenings), a shared lead reaches the
recruiter and stays right, and a recruiter has what they need to act on it."""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.leads import leads_csv, safe_cell, view
from storage import Store
from storage.leads import LeadRecord, Leads
from storage.models import utcnow
from storage.recruiting import (
    ALREADY_LINKED,
    CLAIM_DAYS,
    INVALID,
    LIMITED,
    LINKED,
    RecruiterInfo,
    Recruiting,
    format_claim,
)
from storage.retention import purge
from storage.stats import agency_stats, link_stats
from tests.bot_harness import TODAY, Applicant, running_bot
from tests.helpers import current_session
from tests.screenings import FEDERAL_BY_BUTTONS, NO_TRAINING
from tests.telegram_standin import BotApiStandIn, StoredMessage

RECRUITER_USER, OTHER_RECRUITER_USER, STRANGER = 9001, 9002, 9003
ZONE = "America/Chicago"


async def finish(applicant: Applicant, payload: str | None, steps: list[str]) -> None:
    await applicant.start(payload)
    for step in steps:
        await applicant.answer(step)
    await applicant.wait_for_document()


async def share(applicant: Applicant, phone: str | None = "+1 (205) 555-0100") -> None:
    """Yes to the offer, then the phone number by Telegram's contact button (or "skip")."""
    await applicant.tap("Yes", applicant.last_with_buttons())
    if phone is None:
        await applicant.send("skip")
    else:
        await applicant.contact(phone)
    applicant.last_with("your result is shared with")


async def linked_recruiter(
    standin: BotApiStandIn,
    recruiting: Recruiting,
    user: int,
    agency: str = "Mobile Police Department",
    name: str = "Sgt. Ana Smith",
) -> tuple[RecruiterInfo, Applicant]:
    info, claim = recruiting.add(agency, name)
    person = Applicant(standin, user)
    replies = await person.send(f"/recruiter {format_claim(claim)}")
    assert "Linked: you are" in replies[-1].visible_text
    return info, person


@dataclass
class Scene:
    recruiting: Recruiting
    mine: RecruiterInfo  # the recruiter record, linked to...
    recruiter: Applicant  # ...this Telegram user
    applicant: Applicant  # who finished a screening from the link and shared it


async def a_shared_lead(
    standin: BotApiStandIn,
    store: Store,
    user: int,
    steps: list[str] = NO_TRAINING,
    phone: str | None = "+1 (205) 555-0100",
) -> Scene:
    recruiting = Recruiting(store)
    mine, recruiter = await linked_recruiter(standin, recruiting, RECRUITER_USER)
    applicant = Applicant(standin, user)
    await finish(applicant, mine.link_code, steps)
    await share(applicant, phone)
    return Scene(recruiting, mine, recruiter, applicant)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def csv_dicts(data: bytes) -> list[dict[str, str]]:
    rows = csv_rows(data)
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def session_status(store: Store, user: int) -> str:
    return current_session(store, "telegram", str(user)).status


def recruiter_record(recruiting: Recruiting, recruiter_id: int) -> RecruiterInfo:
    """The recruiter record, which the test expects to exist."""
    info = recruiting.get(recruiter_id)
    assert info is not None, f"no recruiter {recruiter_id}"
    return info


def reissue(recruiting: Recruiting, recruiter_id: int, claim_days: int = CLAIM_DAYS) -> tuple[RecruiterInfo, str]:
    """A new claim code for an existing recruiter."""
    issued = recruiting.reissue_code(recruiter_id, claim_days=claim_days)
    assert issued is not None, f"no recruiter {recruiter_id}"
    return issued


def lead_record(store: Store, recruiter_id: int, number: int) -> LeadRecord:
    """The recruiter's lead #`number`, which the test expects to exist."""
    found = Leads(store).get(recruiter_id, number)
    assert found is not None, f"no lead #{number} of recruiter {recruiter_id}"
    return found


# --- the normal story -------------------------------------------------------------------------
async def test_links_consent_leads_stats_export_and_withdrawal(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        mine, recruiter = await linked_recruiter(standin, recruiting, RECRUITER_USER, name="Sgt. Ana <b>Smith</b>")
        assert "Linked: you are Sgt. Ana <b>Smith</b>" in recruiter.messages[-1].visible_text  # shown literally
        theirs, other = await linked_recruiter(standin, recruiting, OTHER_RECRUITER_USER, "Dothan PD", "Lt. Lee")
        stranger = Applicant(standin, STRANGER)

        yes, no = Applicant(standin, 5001), Applicant(standin, 5002)
        await yes.start(mine.link_code)
        assert "Sgt. Ana <b>Smith</b> (Mobile Police Department) invited you" in yes.messages[0].visible_text
        for step in FEDERAL_BY_BUTTONS:
            await yes.answer(step)
        yes.last_with("share this result")
        before = len(recruiter.messages)
        await share(yes)
        await standin.wait_for_bot_messages(RECRUITER_USER, before + 1)
        notice = recruiter.messages[-1]
        assert "New lead" in notice.visible_text and "Lead #1" in notice.visible_text
        assert "Likely eligible" in notice.visible_text and "(205) 555-0100" in notice.visible_text
        assert notice.button_texts == ["• New", "Contacted", "Applied", "Hired", "Not a fit"]

        await finish(no, mine.link_code, NO_TRAINING)
        await no.tap("No", no.last_with_buttons())
        assert "nothing was shared" in no.messages[-1].visible_text
        assert len(recruiter.messages) == before + 1  # no notification for the applicant who declined

        replies = await recruiter.send("/leads")
        assert "Your leads (1)" in replies[-1].visible_text and "(205) 555-0100" in replies[-1].visible_text
        replies = await recruiter.send("/stats")
        assert "started 2, finished 2, likely eligible 1, needs review 0, shared 1" in replies[-1].visible_text
        await recruiter.send("/export")
        (row,) = csv_dicts(recruiter.documents()[-1].data)
        assert row["Lead"] == "1" and row["Outcome (preliminary)"] == "Likely eligible"
        assert row["Contact"] == "(205) 555-0100"  # shown as typed, and no leading "+" to start a formula

        assert "No shared leads yet" in (await other.send("/leads"))[-1].visible_text
        assert "started 0" in (await other.send("/stats"))[-1].visible_text
        for command in ("/leads", "/stats", "/export"):
            assert "only for recruiters" in (await stranger.send(command))[-1].visible_text

        # the applicant withdraws consent: the lead disappears everywhere, the notice is edited
        replies = await yes.send("/privacy")
        assert "shared with Sgt. Ana <b>Smith</b> (Mobile Police Department)" in replies[-1].visible_text
        replies = await yes.tap("Stop sharing my result", replies[-1])
        assert "Sharing withdrawn" in replies[0].visible_text
        assert "No shared leads yet" in (await recruiter.send("/leads"))[-1].visible_text
        assert Leads(store).list(mine.id) == [] and "shared 0" in (await recruiter.send("/stats"))[-1].visible_text
        assert "withdrawn by the applicant" in notice_now(recruiter, notice.message_id)
        assert "555-0100" not in notice_now(recruiter, notice.message_id)


def notice_now(recruiter: Applicant, message_id: int) -> str:
    return next(m for m in recruiter.messages if m.message_id == message_id).visible_text


async def tap_and_see(person: Applicant, label: str, message: StoredMessage, fragment: str) -> StoredMessage:
    """Tap a button that edits its own message: the edit shows `fragment`."""
    await person.tap(label, message)
    shown = await person.standin.state.wait_for(lambda: fragment in notice_now(person, message.message_id), 20)
    assert shown, notice_now(person, message.message_id)
    return next(m for m in person.messages if m.message_id == message.message_id)


# --- the applicant controls what is shared -----------------------------------------------------
async def test_withdraw_after_restart_reaches_the_earlier_screening(standin: BotApiStandIn, store: Store) -> None:
    async with running_bot(standin, store, "polling"):
        scene = await a_shared_lead(standin, store, 5010, NO_TRAINING)
        mine, recruiter, a = scene.mine, scene.recruiter, scene.applicant
        notice = recruiter.messages[-1].message_id
        await a.send("/restart")
        await a.send("yes")
        replies = await a.send("/withdraw")
        assert "Sharing withdrawn" in replies[0].visible_text
        assert "Shared: nothing" in (await a.send("/privacy"))[0].visible_text
        assert Leads(store).list(mine.id) == []
        assert "No shared leads yet" in (await recruiter.send("/leads"))[-1].visible_text
        await recruiter.send("/export")
        assert csv_rows(recruiter.documents()[-1].data)[1:] == []
        assert "withdrawn by the applicant" in notice_now(recruiter, notice)


async def test_sharing_again_updates_the_one_lead(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        mine, recruiter = await linked_recruiter(standin, recruiting, RECRUITER_USER)
        a = Applicant(standin, 5011)
        await finish(a, mine.link_code, NO_TRAINING)
        await share(a, "+1 205 555 0100")
        first_notice = recruiter.messages[-1].message_id
        await a.send("/restart")
        await a.send("yes")
        for step in FEDERAL_BY_BUTTONS:
            await a.answer(step)
        offer = a.last_with("share this result")
        assert "earlier result" in offer.visible_text  # they are told it replaces what the recruiter has
        await share(a, "+1 334 555 0199")
        (lead,) = Leads(store).list(mine.id)
        assert lead.number == 1 and lead.contact == "+13345550199" and lead.outcome == "likely_eligible"
        assert "replaced by a newer message" in notice_now(recruiter, first_notice)
        assert "Lead #1 updated" in recruiter.messages[-1].visible_text
        assert "Shared: your result" in (await a.send("/privacy"))[0].visible_text


async def test_delete_withdraws_every_lead_and_edits_the_notices(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        mine, recruiter = await linked_recruiter(standin, recruiting, RECRUITER_USER)
        theirs, other = await linked_recruiter(standin, recruiting, OTHER_RECRUITER_USER, "Dothan PD", "Lt. Lee")
        a = Applicant(standin, 5012)
        await finish(a, mine.link_code, NO_TRAINING)
        await share(a)
        await a.start(theirs.link_code)  # a second recruiter's link, after the result
        await share(a, None)
        assert "Sgt. Ana Smith" in (await a.send("/privacy"))[0].visible_text
        notices = (recruiter.messages[-1].message_id, other.messages[-1].message_id)
        await a.send("/delete")
        await a.send("yes")
        assert Leads(store).list() == [] and store.current_session("telegram", "5012") is None
        assert "withdrawn by the applicant" in notice_now(recruiter, notices[0])
        assert "withdrawn by the applicant" in notice_now(other, notices[1])


async def test_a_finished_screening_stays_finished_and_its_lead_is_kept(standin: BotApiStandIn, store: Store) -> None:
    async with running_bot(standin, store, "polling"):
        scene = await a_shared_lead(standin, store, 5013, FEDERAL_BY_BUTTONS)
        mine, a = scene.mine, scene.applicant
        await a.send("/review")  # opened and left open
        assert session_status(store, 5013) == "finished"
        await a.send("/delete")
        await a.send("no")  # delete, then keep
        assert session_status(store, 5013) == "finished"
        await a.send("/review")
        await a.send("2")  # edit an answer, then go back without changing anything
        await a.send("/back")
        assert session_status(store, 5013) == "finished"
    (row,) = link_stats(store, mine.id)
    assert (row.counts.finished, row.counts.shared) == (1, 1)
    later = utcnow() + timedelta(days=31)
    report = purge(store, 30, 365, now=lambda: later)
    assert report.sessions == 0 and store.current_session("telegram", "5013") is not None
    assert len(Leads(store).list(mine.id)) == 1
    # a year after the share, the lead goes, and its screening with it
    report = purge(store, 30, 365, now=lambda: utcnow() + timedelta(days=366))
    assert (report.leads, report.sessions, report.applicants) == (1, 1, 1)
    assert Leads(store).list(mine.id) == [] and store.current_session("telegram", "5013") is None


async def test_an_edit_that_changes_the_result_updates_the_lead(standin: BotApiStandIn, store: Store) -> None:
    async with running_bot(standin, store, "polling"):
        scene = await a_shared_lead(standin, store, 5014, FEDERAL_BY_BUTTONS)
        mine, recruiter, a = scene.mine, scene.recruiter, scene.applicant
        assert Leads(store).list(mine.id)[0].outcome == "likely_eligible"
        before = len(recruiter.messages)
        await a.send("/review")
        items = a.messages[-1].visible_text
        felony = re.search(r"(\d+)\. [^\n]*[Ff]elony", items)
        assert felony, items
        await a.send(felony.group(1))
        await a.send("yes")
        a.last_document()
        a.last_with("now sees this updated result")
        await standin.wait_for_bot_messages(RECRUITER_USER, before + 1)
        assert "Lead #1 updated" in recruiter.messages[-1].visible_text
        assert "Likely not eligible" in recruiter.messages[-1].visible_text
        (lead,) = Leads(store).list(mine.id)
        assert lead.outcome == "likely_ineligible" and lead.answers["felony_conviction"] is True


# --- attribution ------------------------------------------------------------------------------
async def test_a_link_after_an_earlier_screening_offers_to_share_it(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        mine, recruiter = await linked_recruiter(standin, recruiting, RECRUITER_USER)
        a = Applicant(standin, 5020)
        await finish(a, None, FEDERAL_BY_BUTTONS)  # tried the bot before meeting the recruiter
        assert "share" not in a.messages[-2].visible_text.lower()
        replies = await a.start(mine.link_code)
        assert "already have a result" in replies[-1].visible_text and "Sgt. Ana Smith" in replies[-1].visible_text
        await share(a)
        (lead,) = Leads(store).list(mine.id)
        assert lead.outcome == "likely_eligible" and "New lead" in recruiter.messages[-1].visible_text
        assert current_session(store, "telegram", "5020").recruiter_id == mine.id


async def test_a_link_mid_screening_attributes_it_and_keeps_the_answers(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        mine, _ = await linked_recruiter(standin, recruiting, RECRUITER_USER)
        a = Applicant(standin, 5021)
        await a.start(None)
        for step in FEDERAL_BY_BUTTONS[:3]:
            await a.answer(step)
        replies = await a.start(mine.link_code)
        assert "now comes through Sgt. Ana Smith" in replies[0].visible_text
        session = current_session(store, "telegram", "5021")
        assert session.recruiter_id == mine.id and len(session.answers) == 3
        for step in FEDERAL_BY_BUTTONS[3:]:
            await a.answer(step)
        a.last_with("share this result")
    assert link_stats(store, mine.id)[0].counts.started == 1


async def test_declined_then_shared_later(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        mine, recruiter = await linked_recruiter(standin, recruiting, RECRUITER_USER)
        a, b = Applicant(standin, 5022), Applicant(standin, 5023)
        for person in (a, b):
            await finish(person, mine.link_code, NO_TRAINING)
            await person.tap("No", person.last_with_buttons())
            assert "send /share" in person.messages[-1].visible_text
        replies = await a.send("/share")  # by command
        assert "How should Sgt. Ana Smith" in replies[-1].visible_text
        await a.contact("+12055550100")
        a.last_with("your result is shared with")
        await b.tap("Share my result")  # by the button under the decline
        await b.send("b@example.org")
        b.last_with("your result is shared with")
        contacts = sorted((lead.contact for lead in Leads(store).list(mine.id)), key=str)
        assert contacts == ["+12055550100", "b@example.org"]


@pytest.mark.parametrize("payload", ["x" * 65, "bad code!", "unknown_code_123", "disabled", None])
async def test_bad_unknown_or_disabled_links_start_a_normal_screening(
    standin: BotApiStandIn, store: Store, payload: str | None
) -> None:
    recruiting = Recruiting(store)
    info, _ = recruiting.add("Agency", "Name")
    recruiting.disable(info.id)
    if payload == "disabled":
        payload = info.link_code
    async with running_bot(standin, store, "polling"):
        a = Applicant(standin, 5100)
        await a.start(payload)
        assert "invited you" not in a.text() and "Where did your law-enforcement training" in a.text()
        assert current_session(store, "telegram", "5100").recruiter_id is None


async def test_rotated_link_stops_attributing(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    info, _ = recruiting.add("Agency", "Name")
    new = recruiting.rotate(info.id)
    assert new is not None
    async with running_bot(standin, store, "polling"):
        old_user, new_user = Applicant(standin, 5201), Applicant(standin, 5202)
        await old_user.start(info.link_code)
        await new_user.start(new.link_code)
        assert current_session(store, "telegram", "5201").recruiter_id is None
        assert current_session(store, "telegram", "5202").recruiter_id == info.id


async def test_typed_contact_is_validated(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    info, _ = recruiting.add("Agency", "Name")
    async with running_bot(standin, store, "polling"):
        a = Applicant(standin, 5301)
        await finish(a, info.link_code, NO_TRAINING)
        await a.send("yes")
        replies = await a.send("call me maybe")
        assert "doesn't look like a phone number" in replies[-1].visible_text
        await a.send("Ana@Example.org")
        assert Leads(store).list(info.id)[0].contact == "ana@example.org"


async def test_privacy_names_a_disabled_recruiter(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        mine, _ = await linked_recruiter(standin, recruiting, RECRUITER_USER)
        a = Applicant(standin, 5302)
        await finish(a, mine.link_code, NO_TRAINING)
        await share(a)
        recruiting.disable(mine.id)
        text = (await a.send("/privacy"))[0].visible_text
        assert "shared with Sgt. Ana Smith (Mobile Police Department)" in text and "None" not in text
        assert "Sharing withdrawn" in (await a.send("/withdraw"))[0].visible_text


# --- claiming ---------------------------------------------------------------------------------
async def test_claiming_edges(standin: BotApiStandIn, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    recruiting = Recruiting(store)
    first, first_claim = recruiting.add("Mobile PD", "Ana")
    second, second_claim = recruiting.add("Mobile PD", "Ana (new record)")
    async with running_bot(standin, store, "polling"):
        ana = Applicant(standin, RECRUITER_USER)
        assert "Linked" in (await ana.send(f"/recruiter {first_claim}"))[-1].visible_text
        replies = await ana.send(f"/recruiter {second_claim}")  # no "something went wrong"
        assert "already linked as Ana (Mobile PD)" in replies[-1].visible_text
        recruiting.disable(first.id)  # the old record is retired: the new one can be claimed
        assert "Linked: you are Ana (new record)" in (await ana.send(f"/recruiter {second_claim}"))[-1].visible_text
        assert recruiter_record(recruiting, first.id).telegram_user_id is None
        linked = recruiting.for_telegram(str(RECRUITER_USER))
        assert linked is not None and linked.id == second.id

        guesser = Applicant(standin, STRANGER)
        third, third_claim = recruiting.add("Dothan PD", "Lee")
        with caplog.at_level(logging.WARNING, logger="storage.recruiting"):
            for i in range(5):
                assert "not valid" in (await guesser.send(f"/recruiter WRONG-CODE-{i:04d}"))[-1].visible_text
        assert len([r for r in caplog.records if "wrong claim code" in r.getMessage()]) == 5
        replies = await guesser.send(f"/recruiter {third_claim}")  # even a right code waits now
        assert "Too many wrong claim codes" in replies[-1].visible_text
        assert recruiter_record(recruiting, third.id).telegram_user_id is None


def test_claim_limits_reissue_unlink_enable(store: Store) -> None:
    clock = [datetime(2026, 12, 1, 12, tzinfo=UTC)]
    recruiting = Recruiting(store, now=lambda: clock[0])
    info, claim = recruiting.add("Mobile PD", "Ana")
    for _ in range(5):
        assert recruiting.claim("AAAA-BBBB-CCCC", "77").outcome == INVALID
    assert recruiting.claim(claim, "77").outcome == LIMITED
    clock[0] += timedelta(hours=1, seconds=1)  # the hour has passed
    assert recruiting.claim(claim, "77").outcome == LINKED
    assert recruiting.claim(claim, "78").outcome == INVALID  # single use
    assert recruiting.claim("anything", "77").outcome == ALREADY_LINKED
    # a lost phone: unlink, a new code, the new account claims it
    unlinked = recruiting.unlink(info.id)
    assert unlinked is not None and unlinked.telegram_user_id is None
    reissued, new_claim = reissue(recruiting, info.id)
    assert reissued.claim_status(clock[0]) == "code_pending"
    assert recruiting.claim(claim, "79").outcome == INVALID  # the old code is gone
    claimed = recruiting.claim(new_claim.lower(), "79").recruiter
    assert claimed is not None and claimed.id == info.id
    # a re-issued code moves a linked record to the account that claims it
    _, moved = reissue(recruiting, info.id)
    assert recruiting.claim(moved, "80").outcome == LINKED and recruiting.for_telegram("79") is None
    # disabled records cannot be claimed; enabled again, they can
    recruiting.disable(info.id)
    _, code = reissue(recruiting, info.id)
    assert recruiting.claim(code, "81").outcome == INVALID
    recruiting.enable(info.id)
    assert recruiting.claim(code, "81").outcome == LINKED
    clock[0] += timedelta(days=8)
    _, expired = reissue(recruiting, info.id, claim_days=7)
    clock[0] += timedelta(days=8)
    assert recruiter_record(recruiting, info.id).claim_status(clock[0]) == "linked"
    assert recruiting.claim(expired, "82").outcome == INVALID


# --- what a recruiter needs to act ------------------------------------------------------------
async def test_a_lead_says_what_a_recruiter_needs(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        for user in range(5400, 5403):  # other applicants: lead numbers are the recruiter's own
            await finish(Applicant(standin, user), None, NO_TRAINING)
        mine, recruiter = await linked_recruiter(standin, recruiting, RECRUITER_USER)
        a = Applicant(standin, 5410)
        await finish(a, mine.link_code, FEDERAL_BY_BUTTONS)
        await share(a)
        card = recruiter.messages[-1]
        text = card.visible_text
        assert "Lead #1" in text and "<b></b>" not in (card.html or "")
        for fact in (
            "Training from: A federal law-enforcement agency",
            "Basic course length: 640 hours",
            "Full-time service started: January 2012",
            "Full-time service ended: June 30, 2025",
            "Highest degree: Bachelor's degree",
            "I have a job offer from an Alabama agency",
            "March 2027",
            "Full-time service: 13 years",
            "Points: ",
        ):
            assert fact in text, (fact, text)
        assert re.search(r"Shared \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M C[SD]T", text), text
        assert "Hire before June 30, 2027" in text or "Hire before July 1, 2027" in text
        assert "_" not in text.split("Documents to gather:")[1].split("\n")[0]  # names, not ids


async def test_status_buttons_and_paging(standin: BotApiStandIn, store: Store) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        mine, recruiter = await linked_recruiter(standin, recruiting, RECRUITER_USER)
        for user in range(5500, 5507):
            a = Applicant(standin, user)
            await finish(a, mine.link_code, NO_TRAINING)
            await share(a, None)
        replies = await recruiter.send("/leads")
        page = replies[-1]
        assert "Your leads (7)" in page.visible_text and "page 1 of 2" in page.visible_text
        assert page.button_texts == ["#7", "#6", "#5", "#4", "#3", "Older ›"]
        page = await tap_and_see(recruiter, "Older ›", page, "page 2 of 2")
        assert page.button_texts == ["#2", "#1", "‹ Newer"]
        replies = await recruiter.tap("#2", page)
        card = replies[-1]
        assert "Lead #2" in card.visible_text
        card = await tap_and_see(recruiter, "Contacted", card, "Contacted (since")
        assert "• Contacted" in card.button_texts
        assert lead_record(store, mine.id, 2).status == "contacted"
        # the notification of lead 7 has the same buttons
        notice = next(m for m in recruiter.messages if "New lead" in m.visible_text and "Lead #7" in m.visible_text)
        await tap_and_see(recruiter, "Hired", notice, "Hired (since")
        assert lead_record(store, mine.id, 7).status == "hired"
        replies = await recruiter.send("/stats")
        assert "contacted 1, applied 0, hired 1" in replies[-1].visible_text
        await recruiter.send("/export")
        statuses = {r["Lead"]: r["Status"] for r in csv_dicts(recruiter.documents()[-1].data)}
        assert statuses["2"] == "Contacted" and statuses["7"] == "Hired" and statuses["1"] == "New"


async def test_a_button_of_a_withdrawn_lead_changes_nothing(standin: BotApiStandIn, store: Store) -> None:
    async with running_bot(standin, store, "polling"):
        scene = await a_shared_lead(standin, store, 5600, NO_TRAINING)
        recruiter, a = scene.recruiter, scene.applicant
        card = (await recruiter.tap("#1", (await recruiter.send("/leads"))[-1]))[-1]
        await a.send("/withdraw")
        card = await tap_and_see(recruiter, "Applied", card, "no longer shared")
        assert not card.buttons


# --- agencies, export, retention settings -------------------------------------------------------
async def test_agency_export_and_stats(standin: BotApiStandIn, store: Store, tmp_path: Path) -> None:
    recruiting = Recruiting(store)
    async with running_bot(standin, store, "polling"):
        ana, _ = await linked_recruiter(standin, recruiting, RECRUITER_USER, "Mobile Police Department", "Ana")
        bo, _ = await linked_recruiter(standin, recruiting, OTHER_RECRUITER_USER, "mobile police  department", "Bo")
        for user, link in ((5700, ana.link_code), (5701, bo.link_code)):
            a = Applicant(standin, user)
            await finish(a, link, NO_TRAINING)
            await share(a)
    assert ana.agency_id == bo.agency_id  # one agency, named twice
    (agency,) = agency_stats(store)
    assert (agency.recruiters, agency.counts.shared, agency.counts.finished) == (2, 2, 2)
    rows = csv_dicts(leads_csv([view(lead, _zone()) for lead in Leads(store).list(agency_id=ana.agency_id)]))
    assert sorted(r["Recruiter"] for r in rows) == ["Ana", "Bo"] and {r["Lead"] for r in rows} == {"1"}


def _zone() -> ZoneInfo:
    return ZoneInfo(ZONE)


def test_csv_cells_are_safe_and_readable() -> None:
    now = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)

    def record(number: int, contact: str | None) -> LeadRecord:
        return LeadRecord(
            number,
            1,
            '=HYPERLINK("x")',
            1,
            'Zoë, "Z" @home',
            number,
            None,
            "new",
            None,
            now,
            now,
            contact,
            "telegram",
            "likely_ineligible",
            {"background": "none"},
            TODAY,
            None,
            None,
            None,
        )

    leads = [record(1, "+12055550100"), record(2, "+442079460958"), record(3, "=cmd|' /C calc'!A0"), record(4, None)]
    data = leads_csv([view(lead, _zone()) for lead in leads])
    text = data.decode("utf-8-sig")
    assert all(line.startswith('"') for line in text.strip().split("\r\n"))  # every field quoted
    rows = csv_dicts(data)
    assert [r["Contact"] for r in rows] == ["(205) 555-0100", "'+442079460958", "'=cmd|' /C calc'!A0", ""]
    assert rows[0]["Recruiter"] == '\'=HYPERLINK("x")' and rows[0]["Agency"] == 'Zoë, "Z" @home'
    assert rows[0]["Shared at"] == "2026-11-22 12:30 CST"


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("plain", "plain"),
        (None, ""),
        (5, "5"),
    ],
)
def test_formula_injection_is_neutralised(value: object, expected: str) -> None:
    assert safe_cell(value) == expected
