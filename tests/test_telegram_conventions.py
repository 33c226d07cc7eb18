"""The bot behaves like a well-made Telegram bot: private, in place, never surprising.

End to end through the Bot API stand-in, in polling and webhook mode: groups and channels get
no screening, edits are not answers, the current question stays usable after /help and
friends, taps are acknowledged first, the result comes as a short verdict then details.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest

from storage import Store
from storage.recruiting import Recruiting, format_claim
from tests.bot_harness import Applicant, handled, running_bot
from tests.helpers import current_session
from tests.screenings import FEDERAL_BY_BUTTONS
from tests.telegram_standin import BotApiStandIn

GROUP = -100123


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


def calls_for(standin: BotApiStandIn, chat_id: int) -> list[tuple[str, dict[str, Any]]]:
    return [(c.method, c.params) for c in standin.calls if str(c.params.get("chat_id", "")) == str(chat_id)]


async def test_groups_get_one_pointer_and_nothing_is_stored(standin: BotApiStandIn, store: Store, mode: str) -> None:
    recruiter, _ = Recruiting(store).add("Mobile PD", "Sgt. Ana Smith")
    async with running_bot(standin, store, mode):
        await handled(standin, lambda: standin.user_sends_text_in_group(GROUP, 7001, f"/start {recruiter.link_code}"))
        pointer = standin.bot_messages(GROUP)
        assert "private chat" in pointer[0].visible_text
        assert f"t.me/lateral_screener_bot?start={recruiter.link_code}" in pointer[0].visible_text
        for text in ("/start", "/help", "/leads", "hello everyone", "I was convicted of a felony"):
            await handled(standin, functools.partial(standin.user_sends_text_in_group, GROUP, 7002, text))
        assert len(standin.bot_messages(GROUP)) == 1  # at most once
        assert store.current_session("telegram", "7001") is None
        assert store.current_session("telegram", "7002") is None


async def test_channel_posts_and_messages_without_a_sender_are_ignored(
    standin: BotApiStandIn, store: Store, mode: str
) -> None:
    async with running_bot(standin, store, mode):
        await handled(standin, lambda: standin.channel_posts(-100999, "/start"))
        await handled(standin, lambda: standin.anonymous_group_message(-100998, "/start"))
        assert standin.bot_messages(-100999) == [] and standin.bot_messages(-100998) == []
        a = Applicant(standin, 7003)  # the bot is still fine
        replies = await a.start()
        assert "Lateral Screener" in replies[0].visible_text


async def test_an_edited_message_changes_nothing_and_says_how_to_change_an_answer(
    standin: BotApiStandIn, store: Store, mode: str
) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 7004)
        await a.start()
        await a.tap("A federal law-enforcement agency")
        await a.tap("Yes")
        await a.send("640")
        sent = [m for m in standin.chat_history(7004) if not m.from_bot][-1]
        before = len(a.messages)
        await a.act(lambda: standin.user_edits_message(7004, sent.message_id, "320"))
        assert len(a.messages) == before + 1
        assert "Editing a message doesn't change an answer" in a.messages[-1].visible_text
        assert "/back" in a.messages[-1].visible_text
        assert current_session(store, "telegram", "7004").answers["basic_course_hours"] == 640


@pytest.mark.parametrize("command", ["/help", "/privacy", "/withdraw", "/nonsense"])
async def test_the_current_question_stays_usable(standin: BotApiStandIn, store: Store, mode: str, command: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 7005)
        await a.start()
        await a.tap("A federal law-enforcement agency")
        old = a.last_with_buttons()
        data = next(b["callback_data"] for b in old.buttons if b["text"] == "Yes")
        replies = await a.send(command)
        assert "basic police training course?" in replies[-1].visible_text and replies[-1].buttons
        # a tap on the keyboard shown before the command, racing its removal, still answers the question
        record = standin.state.new_callback_query(7005, old, data)

        async def tap_the_old_keyboard() -> None:
            standin.state.enqueue_update(
                "callback_query",
                {
                    "id": record.id,
                    "from": dict(standin.state.users[7005]),
                    "message": standin.state.message_api(old),
                    "chat_instance": "1",
                    "data": data,
                },
            )

        await handled(standin, tap_the_old_keyboard)
        assert standin.callback_query(record.id).answer_text is None  # not "That question has moved on"
        assert current_session(store, "telegram", "7005").answers["basic_course_graduate"] is True


async def test_a_sticker_or_an_unasked_contact_keeps_the_question_and_stores_nothing(
    standin: BotApiStandIn, store: Store, mode: str
) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 7006)
        await a.start()
        replies = await a.act(lambda: standin.user_sends_sticker(7006))
        assert "photos, stickers and files" in replies[0].visible_text and replies[-1].buttons
        replies = await a.contact("+1 205 555 0100")
        assert "no contact details are needed" in replies[0].visible_text
        session = current_session(store, "telegram", "7006")
        assert session.leads == () and session.answers == {}


async def test_review_mid_screening_can_be_left_or_answered(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 7007)
        await a.start()
        await a.tap("A federal law-enforcement agency")
        await a.tap("Yes")
        review = (await a.send("/review"))[-1]
        assert "Continue" in review.button_texts and "Show my result" not in review.button_texts
        replies = await a.send("640")  # the pending question, answered from the review
        assert "start working full-time" in replies[-1].visible_text
        await a.send("/review")
        replies = await a.tap("Continue")
        assert "start working full-time" in replies[-1].visible_text


async def test_taps_are_acknowledged_before_the_step(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 7008)
        await a.start()
        first = len(standin.calls)
        await a.tap("A federal law-enforcement agency")
        methods = [c.method for c in standin.calls[first:]]
        assert methods.index("answerCallbackQuery") < methods.index("sendMessage")
        assert methods.index("answerCallbackQuery") < methods.index("editMessageText")


async def test_the_result_comes_as_a_short_verdict_then_details(
    standin: BotApiStandIn, store: Store, mode: str
) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 7009)
        await a.start()
        for step in FEDERAL_BY_BUTTONS:
            await a.answer(step)
        a.last_document()
        texts = [m.visible_text for m in a.messages]
        verdict = next(t for t in texts if t.startswith("Preliminary estimate"))
        assert len(verdict) <= 1000 and "Likely eligible" in verdict and "Points: 13" in verdict
        assert "Deadline" in verdict
        at = texts.index(verdict)
        assert texts[at + 1].startswith("Points") or texts[at + 1].startswith("Findings")
        assert any(t.startswith("Documents to gather") for t in texts[at + 1 :])
        assert all(len(t) <= 4096 for t in texts)
        # "sending a file..." while the PDF is made, once, and nothing else
        assert [action for chat, action in standin.chat_actions if chat == 7009] == ["upload_document"]


async def test_restart_asks_first(standin: BotApiStandIn, store: Store, mode: str) -> None:
    async with running_bot(standin, store, mode):
        a = Applicant(standin, 7010)
        await a.start()
        await a.tap("A federal law-enforcement agency")
        replies = await a.send("/restart")
        assert "Start over?" in replies[-1].visible_text
        await a.tap("No, keep my answers")
        assert current_session(store, "telegram", "7010").answers == {"background": "federal"}
        await a.send("/restart")
        await a.tap("Yes, start over")
        assert current_session(store, "telegram", "7010").answers == {}


async def test_commands_are_tappable_and_recruiters_get_their_menu(standin: BotApiStandIn, store: Store) -> None:
    _, claim = Recruiting(store).add("Mobile PD", "Sgt. Ana Smith")
    async with running_bot(standin, store, "polling") as app:
        a = Applicant(standin, 7011)
        replies = await a.start()
        assert "/back" in replies[0].visible_text and "/review" in replies[0].visible_text
        applicant_menu = {c["command"] for c in standin.commands}
        assert {"start", "back", "review", "mydata", "delete"} <= applicant_menu
        assert not applicant_menu & {"leads", "stats", "export"}
        recruiter = Applicant(standin, 7012)
        await recruiter.send(f"/recruiter {format_claim(claim)}")
        menu = {c["command"] for c in standin.commands_for("chat:7012")}
        assert {"leads", "stats", "export", "start"} <= menu
        assert app.job_queue is not None
        assert any(job.name == "retention purge" for job in app.job_queue.jobs())


async def test_a_timed_out_message_is_never_sent_twice(standin: BotApiStandIn, store: Store) -> None:
    async with running_bot(standin, store, "polling"):
        a = Applicant(standin, 7013)
        await a.start()
        standin.inject_fault("sendMessage", "timeout", times=1, hold_seconds=8, chat_id=7013)
        before = len(standin.calls_to("sendMessage"))
        await a.tap("A federal law-enforcement agency")
        asked = [p for p in standin.calls_to("sendMessage")[before:] if "basic police training" in p.get("text", "")]
        assert len(asked) <= 1  # the timed-out question was not sent again
        assert current_session(store, "telegram", "7013").answers == {"background": "federal"}
