"""The Telegram bot end to end: the real Application and HTTP client against the stand-in.

Every test runs in polling and webhook mode, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import functools

import pytest

from storage import Store
from tests.bot_harness import Applicant, handled, pdf_text, running_bot
from tests.helpers import current_session
from tests.screenings import FEDERAL_BY_BUTTONS, MILITARY_MIXED, NO_TRAINING, OUT_OF_STATE_TYPED
from tests.telegram_standin import BotApiStandIn


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


async def screen(applicant: Applicant, steps: list[str]) -> None:
    await applicant.start()
    for step in steps:
        await applicant.answer(step)


@pytest.mark.parametrize(
    "steps,outcome,in_pdf",
    [
        (FEDERAL_BY_BUTTONS, "Likely eligible", "13"),
        (OUT_OF_STATE_TYPED, "Likely eligible", "out_of_state_certification"),
        (MILITARY_MIXED, "Likely eligible", "10"),
        (NO_TRAINING, "Likely not eligible", "basic academy"),
    ],
    ids=["federal-buttons", "out-of-state-typed", "military-mixed", "no-training"],
)
async def test_full_screening(
    standin: BotApiStandIn, store: Store, mode: str, steps: list[str], outcome: str, in_pdf: str
) -> None:
    async with running_bot(standin, store, mode):
        applicant = Applicant(standin, 1001)
        await screen(applicant, steps)
        applicant.last_document()
        text = applicant.text()
        assert outcome in text and "preliminary estimate" in text.lower()
        docs = applicant.documents()
        assert len(docs) == 1 and (docs[0].file_name or "").endswith(".pdf")
        content = pdf_text(docs[0])
        assert outcome.lower().split()[1] in content.lower() and "November 22, 2026" in content
        # every keyboard except the last prompt's is gone: old buttons cannot be pressed by mistake
        with_buttons = [m for m in applicant.messages if m.buttons]
        assert len(with_buttons) <= 1
    assert {c["command"] for c in standin.commands} >= {
        "start",
        "back",
        "review",
        "restart",
        "help",
        "privacy",
        "delete",
    }


async def test_back_review_and_edit(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 1002)
        await screen(a, FEDERAL_BY_BUTTONS[:3])  # background, graduate, hours
        replies = await a.send("/back")
        assert "You had answered: 640 hours" in replies[-1].visible_text
        await a.send("700")
        for step in FEDERAL_BY_BUTTONS[3:-1]:
            await a.answer(step)
        review = a.messages[-1]
        assert "Basic course length: 700 hours" in review.visible_text
        replies = await a.tap("8", review)  # highest degree
        assert "highest college degree" in replies[-1].visible_text
        await a.tap("Master's degree")
        await a.tap("Yes")
        await a.tap("No")
        replies = await a.tap("Show my result")
        assert any("Total: 14" in m.visible_text for m in replies)


async def test_double_tap_and_stale_buttons_change_nothing(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 1003)
        await a.start()
        first = a.last_with_buttons()
        data = next(b["callback_data"] for b in first.buttons if b["text"] == "A federal law-enforcement agency")
        taps: list[str] = []

        async def double_tap() -> None:
            taps.extend([await standin.user_taps(1003, first.message_id, data) for _ in range(2)])

        await handled(standin, double_tap)
        assert all(standin.callback_answered(cq) for cq in taps)
        assert sum("basic police training course?" in m.visible_text for m in a.messages) == 1
        session = current_session(store, "telegram", "1003")
        assert session.answers == {"background": "federal"}
        # the answered keyboard was removed, so it cannot be pressed again by mistake
        assert not next(m for m in a.messages if m.message_id == first.message_id).buttons
        await a.tap("Yes")
        history = store.answer_history(session.id)
        assert [r.field for r in history].count("background") == 1


async def test_bad_input_is_reasked(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 1004)
        await screen(a, ["tap:A federal law-enforcement agency", "tap:Yes"])
        for bad in ["12 weeks", "lots", "", "🙂", "<b>lots</b> & <script>", "x" * 5000]:
            replies = await a.send(bad) if bad else []
            if bad:
                assert replies and "hours" in replies[-1].visible_text.lower()
        replies = await a.send("480")
        assert "start working full-time" in replies[-1].visible_text
        replies = await a.send("2040-01-01")
        assert "future" in replies[-1].visible_text.lower() or "after today" in replies[-1].visible_text.lower()
        await a.send("June 2015")
        replies = await a.send("May 2014")
        assert "earlier answers" in replies[-1].visible_text


# Load, not a variant: each database once and each mode once (the other tests cover all four).
@pytest.mark.parametrize(
    "database_url,mode",
    [("sqlite", "polling"), pytest.param("postgresql", "webhook", marks=pytest.mark.postgresql)],
    indirect=True,
)
async def test_fifty_applicants_interleaved(standin: BotApiStandIn, store: Store, mode: str) -> None:
    scripts = [FEDERAL_BY_BUTTONS, OUT_OF_STATE_TYPED, MILITARY_MIXED, NO_TRAINING]
    people = [(Applicant(standin, 2000 + i), scripts[i % 4]) for i in range(50)]

    async def act(applicant: Applicant, step: str) -> None:
        if step.startswith("tap:"):
            message = applicant.last_with_buttons()
            button = next(b for b in message.buttons if b["text"] == step[4:])
            await standin.user_taps(applicant.user_id, message.message_id, button["callback_data"])
        else:
            await standin.user_sends_text(applicant.user_id, step)

    async def everyone(step: int) -> None:
        await asyncio.gather(*(act(p, s[step]) for p, s in people if step < len(s)))

    async def everyone_starts() -> None:
        await asyncio.gather(*(standin.user_opens_deep_link(p.user_id, None) for p, _ in people))

    async with running_bot(standin, store, mode):
        await handled(standin, everyone_starts, timeout=120)
        for i in range(max(len(s) for _, s in people)):
            await handled(standin, functools.partial(everyone, i), timeout=120)
        for p, script in people:
            expected = "Likely not eligible" if script is NO_TRAINING else "Likely eligible"
            assert expected in p.text(), p.user_id
            assert len(p.documents()) == 1


async def test_injected_faults_lose_and_duplicate_nothing(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 1005)
        await a.start()
        standin.inject_fault("sendMessage", "429", times=1, retry_after=1)
        await a.tap("A federal law-enforcement agency")
        standin.inject_fault("sendMessage", "500", times=2)
        await a.tap("Yes")
        standin.inject_fault("sendMessage", "drop_connection", times=1)
        await a.send("640")
        prompts = [m.visible_text for m in a.messages]
        assert sum("basic police training course?" in t for t in prompts) == 1
        assert sum("How many hours" in t for t in prompts) == 1
        assert sum("start working full-time" in t for t in prompts) == 1
        assert current_session(store, "telegram", "1005").answers == {
            "background": "federal",
            "basic_course_graduate": True,
            "basic_course_hours": 640,
        }


async def test_privacy_and_delete(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 1006)
        await screen(a, ["tap:A federal law-enforcement agency"])
        replies = await a.send("/privacy")
        assert "deleted 30 days after your last answer" in replies[0].visible_text
        assert "basic police training course?" in replies[-1].visible_text  # the question is at hand again
        await a.send("/delete")
        replies = await a.tap("Yes, delete everything")
        assert "deleted" in replies[-1].visible_text
        assert store.current_session("telegram", "1006") is None


async def test_a_first_message_without_start_is_greeted(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 1007)
        replies = await a.send("hi <b>there</b> 👋")
        assert "Lateral Screener" in replies[0].visible_text
        assert "Where did your law-enforcement training" in replies[-1].visible_text
        assert current_session(store, "telegram", "1007").answers == {}


async def test_an_answered_question_shows_its_answer_in_place(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 1008)
        await a.start()
        question = a.last_with_buttons()
        await a.tap("A federal law-enforcement agency")
        await a.tap("Yes")
        typed_for = a.last_with_buttons()  # the hours question: answered by typing
        await a.send("16 weeks of 40 hours")
        shown = next(m for m in a.messages if m.message_id == question.message_id)
        assert "✓ Training from: A federal law-enforcement agency" in shown.visible_text
        assert "Where did your law-enforcement training" in shown.visible_text and not shown.buttons
        typed = next(m for m in a.messages if m.message_id == typed_for.message_id)
        assert "✓ Basic course length: 640 hours (16 weeks × 40 hours)" in typed.visible_text
        assert not typed.buttons
        assert not any(m.visible_text.startswith("✓") for m in a.messages)  # no separate echo messages


async def test_mydata_sends_the_answer_file(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 1009)
        await screen(a, ["tap:A federal law-enforcement agency", "tap:Yes", "640"])
        await a.send("/mydata")
        doc = a.last_document()
        assert doc.file_name == "my-answers.json"
        data = __import__("json").loads(doc.data)
        assert data["background"] == "federal" and data["basic_course_hours"] == 640 and "as_of" in data
