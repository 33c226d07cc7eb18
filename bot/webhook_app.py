"""The webhook server: a small ASGI app (Starlette, served by uvicorn) in front of the bot.

python-telegram-bot's built-in webhook server (tornado) compares the secret with `!=`, reads
the whole body before looking at it and answers 500 to a body that is not JSON. This follows
PTB's documented custom-webhook pattern instead (the Application is started without running
its Updater, and each update is handed to it), with:

* the secret header compared in constant time (hmac.compare_digest), before any of the body
  is read: a request without it is refused 403 and its body is never received;
* a body limit (MAX_BODY_BYTES): a larger declared Content-Length is refused 413 at once, and
  a body streamed without one is read only up to the limit plus one chunk;
* 400 for a body that is not a JSON object with an integer `update_id` that PTB can read;
* 200 once the update is handled: its answer committed and the replies sent (a result's
  checklist PDF follows on its own). Telegram holds back the next update of a connection
  until then, and retries one that gets no 200 (the processed-update table applies a
  redelivery once). Updates on other connections are handled at the same time, through the
  application's update processor (bot/update_order.py: one applicant's updates in order);
* GET /healthz: 200 when the database answers, 503 otherwise (for a load balancer).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000  # Telegram's updates are a few KB; a large one is not from Telegram


async def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to be over `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _update(body: bytes, application: Application) -> Update | None:
    """The update in `body`, or None if it is not one."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return None
        return Update.de_json(data, application.bot)
    except Exception:  # noqa: BLE001 - any failure to read it (bad JSON, wrong shapes, deep nesting) is a 400
        return None


def webhook_routes(
    application: Application, *, path: str, secret: str, max_body: int = MAX_BODY_BYTES
) -> list[BaseRoute]:
    """The webhook endpoint, POST /<path>, for any Starlette app (`serve` mounts it too)."""
    expected = secret.encode()

    async def receive_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        body = await read_body(request, max_body)
        if body is None:
            return Response(status_code=413)
        update = _update(body, application)
        if update is None:
            return Response(status_code=400)
        await application.update_processor.process_update(update, application.process_update(update))
        return Response(status_code=200)

    return [Route("/" + path.strip("/"), receive_update, methods=["POST"])]


def health_route(healthy: Callable[[], None]) -> Route:
    """GET /healthz: 200 "ok" when `healthy` (run in a thread) returns, 503 when it raises."""

    async def health(request: Request) -> Response:
        try:
            await asyncio.to_thread(healthy)
        except Exception:  # noqa: BLE001 - any failure means "not ready"; the bot logs the cause per update
            return PlainTextResponse("database unavailable\n", status_code=503)
        return PlainTextResponse("ok\n")

    return Route("/healthz", health, methods=["GET"])


def webhook_app(
    application: Application, *, path: str, secret: str, healthy: Callable[[], None], max_body: int = MAX_BODY_BYTES
) -> Starlette:
    """The ASGI app; `healthy` raises when the database cannot be reached (run in a thread)."""
    return Starlette(
        routes=[*webhook_routes(application, path=path, secret=secret, max_body=max_body), health_route(healthy)]
    )


def webhook_server(
    application: Application, *, listen: str, port: int, path: str, secret: str, healthy: Callable[[], None]
) -> uvicorn.Server:
    """The uvicorn server for `webhook_app`; `await server.serve()` runs it until SIGINT or
    SIGTERM (or `server.should_exit = True`)."""
    app = webhook_app(application, path=path, secret=secret, healthy=healthy)
    config = uvicorn.Config(
        app, host=listen, port=port, log_config=None, access_log=False, lifespan="off", server_header=False
    )
    return uvicorn.Server(config)
