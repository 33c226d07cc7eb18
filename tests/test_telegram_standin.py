"""Tests of the Telegram Bot API stand-in (tests/telegram_standin).

The stand-in is only useful if python-telegram-bot cannot tell it from api.telegram.org, so
most tests go through PTB's own ``telegram.Bot`` / ``Application``; raw HTTP tests pin down
the wire format (status codes, JSON shape, encodings) that PTB would otherwise hide.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.telegram_standin import SECRET_HEADER, BotApiStandIn, parse_html, utf16_len

TOKEN = "123456:" + "A" * 35
USER = 1001


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    server = BotApiStandIn(token=TOKEN, username="lateral_screener_bot")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=standin.base_url, base_file_url=standin.base_file_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
async def http(standin: BotApiStandIn) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{standin.url}/bot{TOKEN}/", timeout=10) as client:
        yield client


def ptb_message(description: str) -> str:
    """How PTB rewrites a Telegram "Bad Request: ..." description in ``TelegramError.message``."""
    return description.removeprefix("Bad Request: ").capitalize()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---- identity, routing, encodings ----------------------------------------------------------


async def test_get_me_is_parsed_by_ptb(standin: BotApiStandIn, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot is True
    assert me.id == 123456
    assert me.username == "lateral_screener_bot"
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is False
    assert standin.calls[0] == ("getMe", {})  # Bot.initialize() called getMe


async def test_tokens_methods_and_error_shape(standin: BotApiStandIn) -> None:
    async with httpx.AsyncClient(base_url=standin.url) as client:
        wrong = await client.get(f"/bot999:{'B' * 35}/getMe")
        assert wrong.status_code == 401
        assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        malformed = await client.get("/botnot-a-token/getMe")
        assert malformed.status_code == 404
        unknown = await client.post(f"/bot{TOKEN}/sendTelepathy")
        assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        case_insensitive = await client.get(f"/bot{TOKEN}/GETME")
        assert case_insensitive.json()["result"]["username"] == "lateral_screener_bot"


async def test_all_parameter_encodings(standin: BotApiStandIn, http: httpx.AsyncClient) -> None:
    standin.add_user(USER)
    by_query = await http.get("sendMessage", params={"chat_id": USER, "text": "query"})
    by_form = await http.post("sendMessage", data={"chat_id": str(USER), "text": "form"})
    by_json = await http.post(
        "sendMessage",
        json={
            "chat_id": USER,
            "text": "json",
            "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        },
    )
    by_multipart = await http.post("sendMessage", files={"chat_id": (None, str(USER)), "text": (None, "multipart")})
    for response in (by_query, by_form, by_json, by_multipart):
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["ok"] is True
        assert isinstance(body["result"]["date"], int)  # Unix seconds
        assert body["result"]["from"]["is_bot"] is True
    assert [m.text for m in standin.bot_messages(USER)] == ["query", "form", "json", "multipart"]
    assert by_json.json()["result"]["reply_markup"] == {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}

    not_found = await http.post("sendMessage", json={"chat_id": 424242, "text": "hi"})
    assert not_found.status_code == 400
    assert not_found.json() == {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}


# ---- getUpdates -----------------------------------------------------------------------------


async def test_get_updates_offset_limit_and_user_message_shape(standin: BotApiStandIn, http: httpx.AsyncClient) -> None:
    await standin.user_sends_text(USER, "/start")
    await standin.user_sends_text(USER, "hello")
    await standin.user_sends_contact(USER, phone_number="+12055550100")

    first_two = (await http.post("getUpdates", json={"limit": 2})).json()["result"]
    assert [u["update_id"] for u in first_two] == [1, 2]
    start = first_two[0]["message"]
    assert start["text"] == "/start"
    assert start["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert start["chat"] == {"id": USER, "type": "private", "first_name": f"User{USER}"}
    assert start["from"] == {"id": USER, "is_bot": False, "first_name": f"User{USER}", "language_code": "en"}
    assert "entities" not in first_two[1]["message"]

    # Without an offset nothing is confirmed: the same updates come back.
    again = (await http.post("getUpdates", json={"limit": 2})).json()["result"]
    assert [u["update_id"] for u in again] == [1, 2]

    rest = (await http.post("getUpdates", data={"offset": "3"})).json()["result"]
    assert [u["update_id"] for u in rest] == [3]
    assert rest[0]["message"]["contact"] == {
        "phone_number": "+12055550100",
        "first_name": f"User{USER}",
        "user_id": USER,
    }
    assert (await http.post("getUpdates", json={"offset": 4})).json()["result"] == []
    assert standin.pending_update_count == 0


async def test_long_polling_is_held_until_an_update_arrives(standin: BotApiStandIn, http: httpx.AsyncClient) -> None:
    poll = asyncio.create_task(http.post("getUpdates", json={"timeout": 20}))
    assert await standin.state.wait_for(lambda: standin.state.parked_polls == 1, 5)
    assert not poll.done()
    await standin.user_opens_deep_link(USER, "ref_ABC-123")
    response = await asyncio.wait_for(poll, 5)
    [update] = response.json()["result"]
    assert update["message"]["text"] == "/start ref_ABC-123"

    # A long poll with nothing to deliver returns an empty list after `timeout`.
    empty = await http.post("getUpdates", json={"offset": update["update_id"] + 1, "timeout": 1})
    assert empty.json() == {"ok": True, "result": []}


async def test_deep_link_payload_rules(standin: BotApiStandIn) -> None:
    assert (await standin.user_opens_deep_link(USER, "a" * 64))["text"] == "/start " + "a" * 64
    assert (await standin.user_opens_deep_link(USER, "a" * 65))["text"] == "/start"
    assert (await standin.user_opens_deep_link(USER, "has space"))["text"] == "/start"
    assert (await standin.user_opens_deep_link(USER, ""))["text"] == "/start"


async def test_get_updates_conflicts_with_active_webhook(standin: BotApiStandIn, bot: Bot) -> None:
    assert await bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(Conflict) as error:
        await bot.get_updates()
    assert "can't use getUpdates method while webhook is active" in error.value.message
    assert await bot.delete_webhook()
    assert await bot.get_updates() == ()


# ---- webhook ----------------------------------------------------------------------------------


async def test_webhook_delivery_retries_and_sends_secret(standin: BotApiStandIn, bot: Bot) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []
    statuses = [500, 200, 200]

    async def receive(request: web.Request) -> web.Response:
        received.append((await request.json(), request.headers.get(SECRET_HEADER)))
        return web.Response(status=statuses.pop(0) if statuses else 200)

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await standin.user_sends_text(USER, "sent before the webhook was set")
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret_TOKEN-1")
        await standin.user_sends_text(USER, "/help")
        assert await standin.state.wait_for(lambda: len(received) >= 3 and not standin.state.pending_updates(), 10)

        texts = [update["message"]["text"] for update, _ in received]
        # First attempt got a 500 and was retried: at-least-once, in order.
        assert texts == ["sent before the webhook was set", "sent before the webhook was set", "/help"]
        assert {secret for _, secret in received} == {"s3cret_TOKEN-1"}
        info = await bot.get_webhook_info()
        assert info.url == f"http://127.0.0.1:{port}/hook"
        assert info.pending_update_count == 0
        assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        assert info.last_error_date is not None
    finally:
        await runner.cleanup()


async def test_webhook_connection_errors_keep_updates_pending(standin: BotApiStandIn, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="https url must be provided"):
        await bot.set_webhook("http://example.com/hook")
    with pytest.raises(BadRequest, match="Secret token contains unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="not allowed!")
    assert await bot.set_webhook(f"http://127.0.0.1:{free_port()}/nobody-listens")
    await standin.user_sends_text(USER, "hi")
    assert await standin.state.wait_for(
        lambda: standin.webhook is not None and standin.webhook.last_error_message is not None, 5
    )
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message == "Connection refused"
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert standin.pending_update_count == 0


# ---- sendMessage and formatting ---------------------------------------------------------------


async def test_send_message_html_is_parsed_into_text_and_entities(standin: BotApiStandIn, bot: Bot) -> None:
    standin.add_user(USER)
    html = (
        '<b>Bold</b> &amp; <i>it</i> <a href="https://example.com/?a=1&amp;b=2">link</a> '
        '<tg-spoiler>s</tg-spoiler><pre><code class="language-python">x = 1</code></pre>'
        "<blockquote expandable>quote</blockquote> 5 &lt; 6 &#128512;"
    )
    sent = await bot.send_message(USER, html, parse_mode="HTML", disable_notification=True)
    assert sent.text == "Bold & it link sx = 1quote 5 < 6 😀"
    stored = standin.last_bot_message(USER)
    assert stored.html == html and stored.text == sent.text
    assert stored.disable_notification is True
    assert [e["type"] for e in stored.entities] == [
        "bold",
        "italic",
        "text_link",
        "spoiler",
        "pre",
        "expandable_blockquote",
    ]
    assert stored.entities[2]["url"] == "https://example.com/?a=1&b=2"
    assert stored.entities[4]["language"] == "python"


@pytest.mark.parametrize(
    ("html", "description"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("Score <b>high", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("é<br>", 'Unsupported start tag "br" at byte offset 2'),  # offsets count UTF-8 bytes
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("AT&T", None),  # stray '&' (strict mode)
        ("<a>no href</a>", None),
    ],
)
async def test_send_message_html_rejections(
    standin: BotApiStandIn, http: httpx.AsyncClient, html: str, description: str | None
) -> None:
    standin.add_user(USER)
    response = await http.post("sendMessage", json={"chat_id": USER, "text": html, "parse_mode": "HTML"})
    body = response.json()
    assert response.status_code == 400 and body["error_code"] == 400
    assert body["description"].startswith("Bad Request: can't parse entities: ")
    if description is not None:
        assert body["description"] == f"Bad Request: can't parse entities: {description}"
    assert standin.bot_messages(USER) == []


async def test_markdown_v2_is_accepted_loosely(standin: BotApiStandIn, bot: Bot) -> None:
    standin.add_user(USER)
    sent = await bot.send_message(USER, r"*Hi* _there_ 1\.5\!", parse_mode="MarkdownV2")
    assert sent.text == "Hi there 1.5!"
    with pytest.raises(BadRequest, match="reserved"):
        await bot.send_message(USER, "Version 1.5", parse_mode="MarkdownV2")


async def test_text_length_limit_counts_utf16_after_parsing(standin: BotApiStandIn, bot: Bot) -> None:
    standin.add_user(USER)
    await bot.send_message(USER, "a" * 4096)
    await bot.send_message(USER, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")  # tags don't count
    await bot.send_message(USER, "😀" * 2048)  # 2 UTF-16 units each
    for too_long in ("a" * 4097, "😀" * 2048 + "a"):
        with pytest.raises(BadRequest) as error:
            await bot.send_message(USER, too_long)
        assert error.value.message == ptb_message("Bad Request: message is too long")
    assert utf16_len("😀" * 2048) == 4096
    for empty in ("", "   ", "<b> </b>"):
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(USER, empty, parse_mode="HTML")
    assert len(standin.bot_messages(USER)) == 3


async def test_callback_data_and_button_validation(standin: BotApiStandIn, bot: Bot, http: httpx.AsyncClient) -> None:
    standin.add_user(USER)

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])

    await bot.send_message(USER, "64 ASCII bytes", reply_markup=keyboard("x" * 64))
    await bot.send_message(USER, "64 UTF-8 bytes", reply_markup=keyboard("é" * 32))
    for bad in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest) as error:
            await bot.send_message(USER, "too much data", reply_markup=keyboard(bad))
        assert error.value.message == ptb_message("Bad Request: BUTTON_DATA_INVALID")

    no_action = {"inline_keyboard": [[{"text": "nothing"}]]}
    two_actions = {"inline_keyboard": [[{"text": "both", "url": "https://x.org", "callback_data": "b"}]]}
    empty_data = {"inline_keyboard": [[{"text": "empty", "callback_data": ""}]]}
    for markup in (no_action, two_actions, empty_data):
        response = await http.post("sendMessage", json={"chat_id": USER, "text": "t", "reply_markup": markup})
        assert response.status_code == 400, markup
    assert (await http.post("sendMessage", json={"chat_id": USER, "text": "t", "reply_markup": "{oops"})).json()[
        "description"
    ] == "Bad Request: can't parse reply keyboard markup JSON object"

    # Reply keyboards with request_contact, and removing them.
    contact_kb = ReplyKeyboardMarkup([[KeyboardButton("Share phone", request_contact=True)]], one_time_keyboard=True)
    sent = await bot.send_message(USER, "Share your phone", reply_markup=contact_kb)
    assert sent.reply_markup is None  # Telegram only echoes inline keyboards
    stored = standin.last_bot_message(USER)
    assert stored.reply_markup is not None
    assert stored.reply_markup["keyboard"] == [[{"text": "Share phone", "request_contact": True}]]
    assert stored.button_texts == ["Share phone"]
    assert len(standin.bot_messages(USER)) == 3


# ---- edits, deletes, callback queries ---------------------------------------------------------


async def test_edit_message_not_modified_and_edit_state(standin: BotApiStandIn, bot: Bot) -> None:
    standin.add_user(USER)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    sent = await bot.send_message(USER, "<b>Question?</b>", parse_mode="HTML", reply_markup=markup)

    with pytest.raises(BadRequest) as error:
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=markup)
    assert error.value.message.startswith("Message is not modified: specified new message content")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("<b>Question?</b>", USER, sent.message_id, parse_mode="HTML", reply_markup=markup)

    # Same visible text, different entities is a modification.
    edited = await bot.edit_message_text("Question?", USER, sent.message_id, reply_markup=markup)
    assert isinstance(edited, Message)  # True only for inline-mode messages
    assert edited.edit_date is not None
    # editMessageText without reply_markup removes the inline keyboard, as on Telegram.
    await bot.edit_message_text("Answered", USER, sent.message_id)
    stored = standin.bot_messages(USER)[0]
    assert (stored.text, stored.reply_markup, stored.history) == ("Answered", None, ["Question?", "Question?"])

    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    assert await bot.delete_message(USER, sent.message_id)
    assert standin.bot_messages(USER)[0].deleted is True
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_answer_callback_query_only_once(standin: BotApiStandIn, bot: Bot, http: httpx.AsyncClient) -> None:
    standin.add_user(USER)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    sent = await bot.send_message(USER, "Eligible?", reply_markup=markup)
    with pytest.raises(LookupError):
        await standin.user_taps(USER, sent.message_id, "no")

    cq_id = await standin.user_taps(USER, sent.message_id, "yes")
    [update] = (await http.post("getUpdates")).json()["result"]
    query = update["callback_query"]
    assert (query["id"], query["data"], query["from"]["id"]) == (cq_id, "yes", USER)
    assert query["message"]["reply_markup"] == {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}
    assert query["chat_instance"]

    assert not standin.callback_answered(cq_id)
    with pytest.raises(BadRequest, match="Message_too_long"):  # PTB capitalize()s the description
        await bot.answer_callback_query(cq_id, text="x" * 201)
    assert await bot.answer_callback_query(cq_id, text="Saved", show_alert=True)
    assert standin.callback_answered(cq_id)
    assert standin.callback_query(cq_id).answer_text == "Saved"
    with pytest.raises(BadRequest) as error:
        await bot.answer_callback_query(cq_id)
    assert error.value.message == ptb_message(
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )


# ---- documents, commands, misc ------------------------------------------------------------------


async def test_send_document_multipart_via_ptb(standin: BotApiStandIn, bot: Bot) -> None:
    standin.add_user(USER)
    payload = b"%PDF-1.4 fake report"
    sent = await bot.send_document(
        USER, document=payload, filename="report.pdf", caption="<b>Your report</b>", parse_mode="HTML"
    )
    document = sent.document
    assert document is not None
    assert document.file_name == "report.pdf"
    assert document.mime_type == "application/pdf"
    assert document.file_size == len(payload)
    assert sent.caption == "Your report"
    assert sent.caption_entities[0].type == "bold"
    stored = standin.last_bot_message(USER)
    assert stored.document is not None
    assert stored.document.data == payload and stored.caption_html == "<b>Your report</b>"

    # The file can be fetched back through getFile + base_file_url, and re-sent by file_id.
    tg_file = await bot.get_file(document.file_id)
    assert bytes(await tg_file.download_as_bytearray()) == payload
    again = await bot.send_document(USER, document=document.file_id)
    assert again.document is not None and again.document.file_unique_id == document.file_unique_id

    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(USER, document=b"x", filename="a.txt", caption="c" * 1025)


async def test_send_document_raw_multipart(standin: BotApiStandIn) -> None:
    standin.add_user(USER)
    form = aiohttp.FormData()
    form.add_field("chat_id", str(USER))
    form.add_field("document", b"col1,col2\n", filename="data.csv", content_type="text/csv")
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{standin.url}/bot{TOKEN}/sendDocument", data=form) as response:
            body = await response.json()
        async with session.post(f"{standin.url}/bot{TOKEN}/sendDocument", json={"chat_id": USER}) as response:
            missing = await response.json()
    assert body["result"]["document"]["mime_type"] == "text/csv"
    stored = standin.last_bot_message(USER).document
    assert stored is not None and stored.file_name == "data.csv"
    assert missing["description"] == "Bad Request: there is no document in the request"


async def test_set_my_commands_validation(standin: BotApiStandIn, bot: Bot) -> None:
    commands = [BotCommand("start", "Begin the screener"), BotCommand("help_me", "How it works")]
    assert await bot.set_my_commands(commands)
    assert standin.commands == [
        {"command": "start", "description": "Begin the screener"},
        {"command": "help_me", "description": "How it works"},
    ]
    assert await bot.get_my_commands() == tuple(commands)

    invalid = [
        ([BotCommand("Start", "upper case")], "Bot_command_invalid"),
        ([BotCommand("x" * 33, "too long")], "Bot_command_invalid"),
        ([BotCommand("start", "")], "Command description must be non-empty"),
        ([BotCommand("start", "d" * 257)], "Bot_command_description_invalid"),
        ([BotCommand(f"c{i}", "d") for i in range(101)], "Bot_commands_too_much"),
    ]
    for bad, message in invalid:
        with pytest.raises(BadRequest) as error:
            await bot.set_my_commands(bad)
        assert error.value.message == message
    assert len(standin.commands) == 2  # unchanged by the failed calls
    assert await bot.delete_my_commands()
    assert standin.commands == []


async def test_chat_action_get_chat_and_blocked_user(standin: BotApiStandIn, bot: Bot) -> None:
    standin.add_user(USER, first_name="Ada", username="ada")
    assert await bot.send_chat_action(USER, "typing")
    assert standin.chat_actions == [(USER, "typing")]
    chat = await bot.get_chat(USER)
    assert (chat.id, chat.type, chat.first_name, chat.username) == (USER, "private", "Ada", "ada")
    standin.user_blocks_bot(USER)
    with pytest.raises(Exception, match="blocked by the user"):
        await bot.send_message(USER, "hello?")


# ---- faults ---------------------------------------------------------------------------------


# PTB itself touches the deprecated int-valued RetryAfter.retry_after while building the error.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_fault_429_surfaces_as_retry_after(standin: BotApiStandIn, bot: Bot, http: httpx.AsyncClient) -> None:
    standin.add_user(USER)
    standin.inject_fault(method="sendMessage", kind="429", times=2, retry_after=3, chat_id=USER)
    raw = await http.post("sendMessage", json={"chat_id": USER, "text": "one"})
    assert raw.status_code == 429
    assert raw.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(USER, "two")
    assert error.value.message == "Flood control exceeded. Retry in 3 seconds"
    await bot.send_message(USER, "three")  # fault used up
    assert [m.text for m in standin.bot_messages(USER)] == ["three"]  # faulted calls did nothing
    assert standin.fired_faults == [("sendMessage", "429"), ("sendMessage", "429")]


async def test_fault_500_timeout_and_dropped_connection(standin: BotApiStandIn, bot: Bot) -> None:
    standin.add_user(USER)
    standin.inject_fault(method="sendMessage", kind="500")
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(USER, "a")

    standin.inject_fault(method="sendMessage", kind="timeout", hold_seconds=5)
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "b", read_timeout=0.3)

    standin.inject_fault(method="sendmessage", kind="drop_connection")
    with pytest.raises(NetworkError) as error:
        await bot.send_message(USER, "c")
    assert not isinstance(error.value, TimedOut)

    await bot.send_message(USER, "d")
    assert [m.text for m in standin.bot_messages(USER)] == ["d"]
    assert await standin.state.wait_for(lambda: standin.state.in_flight == 0, 5)  # the held request ended


# ---- the full loop with a real PTB Application ------------------------------------------------


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = context.args[0] if context.args else "none"
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="eligible:yes"),
                InlineKeyboardButton("No", callback_data="eligible:no"),
            ]
        ]
    )
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None  # a /start command comes in a message from a user
    await message.reply_html(
        f"Welcome, <b>{user.first_name}</b>! (ref: {payload})\nAre you eligible?",
        reply_markup=markup,
    )


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None  # CallbackQueryHandler matched its data
    await query.answer("Noted")
    await query.edit_message_text(f"You answered: {query.data.split(':')[1]}")


def _build_app(standin: BotApiStandIn, **builder_options: Any) -> Application:
    builder = ApplicationBuilder().token(standin.token).base_url(standin.base_url).base_file_url(standin.base_file_url)
    for name, value in builder_options.items():
        builder = getattr(builder, name)(value)
    app = builder.build()
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CallbackQueryHandler(_answer, pattern=r"^eligible:"))
    return app


async def _drive_conversation(standin: BotApiStandIn) -> None:
    await standin.user_opens_deep_link(USER, "flyer42")
    [welcome] = await standin.wait_for_bot_messages(USER, 1)
    assert welcome.text == f"Welcome, User{USER}! (ref: flyer42)\nAre you eligible?"
    assert welcome.html is not None and welcome.html.startswith(f"Welcome, <b>User{USER}</b>!")
    assert welcome.callback_data == ["eligible:yes", "eligible:no"]

    cq_id = await standin.user_taps(USER, welcome.message_id, "eligible:yes")
    assert await standin.state.wait_for(lambda: welcome.text == "You answered: yes", 10)
    assert await standin.state.wait_for(lambda: standin.callback_answered(cq_id), 10)
    assert standin.callback_query(cq_id).answer_text == "Noted"
    assert welcome.reply_markup is None and welcome.edit_date is not None
    assert len(standin.bot_messages(USER)) == 1


async def test_ptb_application_full_loop_polling(standin: BotApiStandIn) -> None:
    app = _build_app(standin)
    async with app:
        await app.start()
        updater = app.updater
        assert updater is not None
        await updater.start_polling(poll_interval=0, timeout=1)
        try:
            await _drive_conversation(standin)
        finally:
            await updater.stop()
            await app.stop()
    methods = [call.method for call in standin.calls]
    assert methods[:3] == ["getMe", "deleteWebhook", "getUpdates"]
    assert {"sendMessage", "answerCallbackQuery", "editMessageText"} <= set(methods)


async def test_ptb_application_full_loop_webhook(standin: BotApiStandIn) -> None:
    port = free_port()
    app = _build_app(standin)
    async with app:
        await app.start()
        updater = app.updater
        assert updater is not None
        await updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="telegram",
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            secret_token="webhook_secret",
        )
        try:
            assert standin.webhook is not None and standin.webhook.secret_token == "webhook_secret"
            await _drive_conversation(standin)
            assert standin.webhook.delivered == 2
        finally:
            await updater.stop()
            await app.stop()
    assert "setWebhook" in [call.method for call in standin.calls]


def test_html_parser_unit_cases() -> None:
    parsed = parse_html("<b>a<i>b</i></b>😀<u>c</u>")
    assert parsed.text == "ab😀c"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "italic", "offset": 1, "length": 1},
        {"type": "underline", "offset": 4, "length": 1},  # 😀 is two UTF-16 units
    ]
    assert parse_html("AT&T", strict=False).text == "AT&T"  # tdlib's lenient behaviour
    assert json.dumps(parse_html("&quot;&#x41;&#66;").text) == '"\\"AB"'
