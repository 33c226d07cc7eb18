"""aiohttp routes: ``/bot<token>/<method>`` and ``/file/bot<token>/<file_path>``.

This layer only translates HTTP to method calls: token check (401), method lookup (404,
case-insensitive), parameter decoding, the call log, fault injection, and rendering results
and errors in Telegram's exact JSON shape with the HTTP status equal to ``error_code``.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import NOT_FOUND, UNAUTHORIZED, ApiError
from .faults import Fault
from .methods import MethodResult
from .params import read_params

if TYPE_CHECKING:
    from .standin import BotApiStandIn

STANDIN_KEY: web.AppKey[BotApiStandIn] = web.AppKey("standin")
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{35}$")
MAX_REQUEST_BYTES = 60 * 1024 * 1024  # a little above Telegram's 50 MB upload limit


def _dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.to_payload(), status=error.error_code, dumps=_dumps)


def _ok_response(result: Any) -> web.Response:
    payload: dict[str, Any] = {"ok": True}
    if isinstance(result, MethodResult):
        payload["result"] = result.result
        if result.description:
            payload["description"] = result.description
    else:
        payload["result"] = result
    return web.json_response(payload, dumps=_dumps)


def _drop_connection(request: web.Request) -> web.Response:
    """Close the TCP connection without sending a response (client sees a network error)."""
    transport = request.transport
    if transport is not None:
        transport.abort()
    return web.Response(status=500)  # never reaches the client


async def _apply_fault(standin: BotApiStandIn, request: web.Request, fault: Fault) -> web.Response:
    if fault.kind == "429":
        return _error_response(
            ApiError(429, f"Too Many Requests: retry after {fault.retry_after}", retry_after=fault.retry_after)
        )
    if fault.kind == "500":
        return _error_response(ApiError(500, "Internal Server Error"))
    if fault.kind == "timeout":
        try:
            await asyncio.wait_for(standin.stopping.wait(), fault.hold_seconds)
        except TimeoutError:
            pass
    return _drop_connection(request)


async def handle_api(request: web.Request) -> web.StreamResponse:
    standin = request.app[STANDIN_KEY]
    state = standin.state
    state.in_flight += 1
    state.changed()
    try:
        token = request.match_info["token"]
        if token != standin.token:
            # Like Telegram: a well-formed but wrong token is 401, a malformed one 404.
            if TOKEN_RE.match(token):
                return _error_response(ApiError(401, UNAUTHORIZED))
            return _error_response(ApiError(404, NOT_FOUND))
        method = standin.methods.canonical_name(request.match_info["method"])
        if method is None:
            return _error_response(ApiError(404, NOT_FOUND))
        try:
            params = await read_params(request)
        except ApiError as error:
            return _error_response(error)
        logged = params.as_dict()
        state.record_call(method, logged)
        fault = standin.faults.take(method, logged)
        if fault is not None:
            standin.fired_faults.append((method, fault.kind))
            return await _apply_fault(standin, request, fault)
        try:
            result = await standin.methods.handlers[method](params)
        except ApiError as error:
            return _error_response(error)
        return _ok_response(result)
    finally:
        state.in_flight -= 1
        state.changed()


async def handle_file(request: web.Request) -> web.StreamResponse:
    """File downloads (``getFile`` + ``base_file_url``)."""
    standin = request.app[STANDIN_KEY]
    if request.match_info["token"] != standin.token:
        return _error_response(ApiError(401, UNAUTHORIZED))
    doc = standin.state.find_file_by_path(request.match_info["path"])
    if doc is None:
        return _error_response(ApiError(404, NOT_FOUND))
    return web.Response(body=doc.data, content_type=doc.mime_type or "application/octet-stream")


async def handle_unknown(request: web.Request) -> web.StreamResponse:
    return _error_response(ApiError(404, NOT_FOUND))


def build_app(standin: BotApiStandIn) -> web.Application:
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[STANDIN_KEY] = standin
    app.router.add_route("*", "/bot{token}/{method}", handle_api)
    app.router.add_route("GET", "/file/bot{token}/{path:.+}", handle_file)
    app.router.add_route("*", "/{tail:.*}", handle_unknown)
    return app
