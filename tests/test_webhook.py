"""The webhook server (bot/webhook_app.py) under hostile requests, and the logs under DEBUG.

The server is the one `lateral-screener telegram --webhook-url` runs, here in process on a
loopback port (tests/bot_harness.py). Requests are written by hand where the point is what the
server does NOT read: a refused secret or an oversized body is answered without the body
being received, so those requests never send it (or never finish it).
"""

from __future__ import annotations

import asyncio
import hmac
import io
import json
import logging
import signal
from collections.abc import AsyncIterator
from unittest import mock

import aiohttp
import pytest

from bot.logs import REDACTED, RedactSecrets, configure_logging
from bot.webhook_app import MAX_BODY_BYTES, SECRET_HEADER
from storage import Store
from tests.bot_harness import WEBHOOK_SECRET, Applicant, free_port, running_bot
from tests.telegram_standin import BotApiStandIn
from tests.telegram_standin.text_units import bot_command_entities
from tests.test_workers import start_worker, wait_until_up


def start_update(standin: BotApiStandIn, user_id: int, update_id: int = 1) -> bytes:
    """A /start the stand-in knows about (so the bot's answer to it is a valid call), not queued by it."""
    state = standin.state
    state.ensure_user(user_id)
    message = state.add_message(
        user_id, from_bot=False, text="/start", html="/start", entities=bot_command_entities("/start")
    )
    return json.dumps({"update_id": update_id, "message": state.message_api(message)}).encode()


async def handled_update(standin: BotApiStandIn, update_id: int) -> None:
    assert await standin.state.wait_for(lambda: update_id in standin.processed, 20), f"update {update_id} not handled"


async def post(port: int, body: bytes, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"http://127.0.0.1:{port}/tg", data=body, headers=headers) as response:
            return response.status


async def status_of(port: int, head: dict[str, str], body_chunks: AsyncIterator[bytes] | None = None) -> int:
    """The status of a POST whose head is written at once and whose body (an async iterator of
    chunks) is written alongside, for as long as the server keeps the connection open."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = ["POST /tg HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in head.items()), "", ""]
    writer.write("\r\n".join(lines).encode("latin-1"))

    async def send_body() -> None:
        if body_chunks is not None:
            async for chunk in body_chunks:
                writer.write(chunk)
                await writer.drain()

    sending = asyncio.create_task(send_body())
    try:
        status_line = await asyncio.wait_for(reader.readline(), 20)
    finally:
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
        writer.close()
    return int(status_line.split()[1])


@pytest.fixture
async def port(standin: BotApiStandIn, store: Store) -> AsyncIterator[int]:
    async with running_bot(standin, store, "webhook") as app:
        yield app.bot_data["webhook_port"]


# --- the secret -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers,expected",
    [
        ({}, 403),
        ({SECRET_HEADER: "wrong"}, 403),
        ({SECRET_HEADER: WEBHOOK_SECRET[:-1]}, 403),
        ({SECRET_HEADER: WEBHOOK_SECRET + "x"}, 403),
        ({SECRET_HEADER: WEBHOOK_SECRET.upper()}, 403),
        ({SECRET_HEADER: "é" * 10}, 403),  # not ASCII: still a plain refusal
        ({SECRET_HEADER: WEBHOOK_SECRET}, 200),
    ],
    ids=["missing", "wrong", "prefix", "longer", "case", "latin-1", "right"],
)
async def test_only_the_right_secret_is_accepted(
    standin: BotApiStandIn, port: int, headers: dict[str, str], expected: int
) -> None:
    assert await post(port, start_update(standin, 9), {"Content-Type": "application/json", **headers}) == expected
    if expected == 200:
        await handled_update(standin, 1)
        Applicant(standin, 9).last_with("Lateral Screener")
    else:  # refused before the body was read: nothing reached the bot, so nothing can come later
        assert not standin.bot_messages(9)


async def test_the_secret_is_compared_in_constant_time(port: int) -> None:
    with mock.patch("bot.webhook_app.hmac.compare_digest", wraps=hmac.compare_digest) as compare:
        assert await post(port, b"{}", {SECRET_HEADER: "wrong"}) == 403
    compare.assert_called_once_with(b"wrong", WEBHOOK_SECRET.encode())


async def test_a_wrong_secret_is_refused_before_the_body_is_read(port: int) -> None:
    """A body of 100 MB is announced and never sent: the answer comes anyway."""
    assert await status_of(port, {SECRET_HEADER: "wrong", "Content-Length": str(100_000_000)}) == 403


# --- the body -----------------------------------------------------------------------------------------
async def test_an_announced_oversized_body_is_refused_without_reading_it(port: int) -> None:
    head = {SECRET_HEADER: WEBHOOK_SECRET, "Content-Length": str(MAX_BODY_BYTES + 1)}
    assert await status_of(port, head) == 413


async def test_an_endless_body_is_refused_at_the_limit(port: int) -> None:
    """Chunked, and never finished: a server that read it all would never answer."""

    async def endless() -> AsyncIterator[bytes]:
        chunk = b"x" * 65536
        while True:
            yield b"%x\r\n%s\r\n" % (len(chunk), chunk)

    head = {SECRET_HEADER: WEBHOOK_SECRET, "Transfer-Encoding": "chunked"}
    assert await status_of(port, head, endless()) == 413


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        b"null",
        b'"update"',
        b"{}",
        b'{"foo": 1}',
        b'{"update_id": "1"}',
        b'{"update_id": 1.5}',
        b'{"update_id": true}',
        b'{"update_id": 1, "message": 5}',
        b'{"update_id": 1, "message": {"text": "no date, no chat"}}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=[
        "empty",
        "text",
        "bad-utf8",
        "array",
        "null",
        "string",
        "no-id",
        "other-object",
        "id-string",
        "id-float",
        "id-bool",
        "message-int",
        "message-incomplete",
        "deep",
    ],
)
async def test_a_body_that_is_not_an_update_is_400(standin: BotApiStandIn, port: int, body: bytes) -> None:
    assert await post(port, body, {SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}) == 400


async def test_a_bare_update_is_accepted_and_the_server_keeps_serving(standin: BotApiStandIn, port: int) -> None:
    for update_id in (7, 8):
        assert await post(port, json.dumps({"update_id": update_id}).encode(), {SECRET_HEADER: WEBHOOK_SECRET}) == 200
    assert await post(port, start_update(standin, 9, 9), {SECRET_HEADER: WEBHOOK_SECRET}) == 200
    await handled_update(standin, 9)
    Applicant(standin, 9).last_with("Lateral Screener")


async def test_health(port: int) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200 and await response.text() == "ok\n"
        async with http.get(f"http://127.0.0.1:{port}/tg") as response:
            assert response.status == 405


# --- the process: start and stop ------------------------------------------------------------------------
async def test_the_command_serves_the_webhook_and_stops_cleanly_on_sigterm(database_url: str) -> None:
    Store(database_url).close()
    async with BotApiStandIn() as standin:
        port = free_port()
        proc = start_worker(standin, database_url, port)
        try:
            await wait_until_up(standin, [port])
            assert standin.webhook is not None
            assert standin.webhook.url == f"http://127.0.0.1:{port}/tg"
            assert standin.webhook.secret_token == WEBHOOK_SECRET
            await Applicant(standin, 4001).start()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        finally:
            proc.kill()
            proc.wait(timeout=10)


# --- logs ---------------------------------------------------------------------------------------------
async def test_no_secret_reaches_the_log_at_debug(standin: BotApiStandIn, store: Store) -> None:
    stream = io.StringIO()
    handler = configure_logging("DEBUG", [standin.token, WEBHOOK_SECRET], stream=stream)
    try:
        async with running_bot(standin, store, "webhook"):
            a = Applicant(standin, 5001)
            await a.start()
            await a.answer("tap:A federal law-enforcement agency")
            try:
                raise ConnectionError(f"failed: POST {standin.base_url}{standin.token}/sendMessage")
            except ConnectionError:
                logging.getLogger("bot.test").exception("with a traceback naming %s", standin.token)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(logging.WARNING)
    text = stream.getvalue()
    assert "HTTP Request: POST" in text and f"/bot{REDACTED}/sendMessage" in text  # URLs were logged, redacted
    assert "setWebhook" in text
    assert standin.token not in text and standin.token.split(":")[1] not in text
    assert WEBHOOK_SECRET not in text
    assert f"with a traceback naming {REDACTED}" in text and "Traceback" in text


@pytest.mark.parametrize(
    "message,args",
    [
        ("GET https://api.telegram.org/bot123456789:%s/getMe", ("A" * 35,)),
        ("params {'secret_token': '%s'}", ("sekrit_value_1",)),
        ("token %s and again %s", ("987654321:" + "b" * 35, "987654321:" + "b" * 35)),
    ],
)
def test_the_filter_redacts_messages_arguments_and_shapes(message: str, args: tuple) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, message, args, None)
    RedactSecrets(["sekrit_value_1"]).filter(record)
    shown = record.getMessage()
    assert "A" * 35 not in shown and "sekrit_value_1" not in shown and "b" * 35 not in shown
    assert REDACTED in shown
