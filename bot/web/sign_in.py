"""Signing in to the dashboard with a one-time link, and signing out.

Opening a link (GET) only shows a button: link previews and mail scanners fetch links, and a
GET that used the link up would sign nobody in. The button posts the token with a CSRF token
bound to a nonce cookie set by that page, so another site cannot sign a browser in as
someone else. Refusals (unknown, used, expired links) get a page saying what to do next, and
count against the client (storage/sign_in.py).
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.web.app import Web
from bot.web.forms import read_form
from bot.web.pages import page
from bot.web.sessions import (
    client_key,
    forget,
    nonce_cookie,
    session_cookie,
    set_nonce,
    signed_in,
    start_session,
)
from bot.web.signing import csrf_ok, csrf_token, new_token, token_hash
from storage.sign_in import EXPIRED, LIMITED, LINK_MINUTES, SIGNED_IN, USED, VALID, SignIns

REFUSAL_STATUS = {LIMITED: 429, EXPIRED: 410, USED: 410}


def refused(outcome: str) -> Response:
    return page(
        "sign_in_refused.j2", status_code=REFUSAL_STATUS.get(outcome, 404), outcome=outcome, minutes=LINK_MINUTES
    )


def routes(web: Web) -> list[BaseRoute]:
    sign_ins = SignIns(web.store, web.now)

    async def open_link(request: Request) -> Response:
        token = request.path_params["token"]
        outcome = sign_ins.check_link(token_hash(token), client_key(web, request))
        if outcome != VALID:
            return refused(outcome)
        nonce = secrets.token_urlsafe(16)
        response = page("sign_in.j2", token=token, csrf=csrf_token(web.key, "sign-in:" + nonce))
        set_nonce(response, web, nonce)
        return response

    async def use_link(request: Request) -> Response:
        form = await read_form(request)
        nonce = request.cookies.get(nonce_cookie(web))
        if form is None or not csrf_ok(web.key, "sign-in:" + (nonce or ""), form.get("csrf")) or not nonce:
            return page("form_expired.j2", status_code=400)
        session = new_token()
        outcome = sign_ins.redeem(token_hash(form.get("token", "")), client_key(web, request), token_hash(session))
        if outcome != SIGNED_IN:
            return refused(outcome)
        response = RedirectResponse("/dashboard", status_code=303)
        forget(response, web, nonce_cookie(web))
        start_session(response, web, session)
        return response

    async def sign_out(request: Request) -> Response:
        form = await read_form(request)
        me = signed_in(web, request)
        if me is not None:
            if form is None or not me.csrf_ok(web, form.get("csrf")):
                return page("form_expired.j2", status_code=400)
            sign_ins.sign_out(token_hash(me.token))
        response = page("signed_out.j2", signed_out=True, minutes=LINK_MINUTES)
        forget(response, web, session_cookie(web))
        return response

    return [
        Route("/dashboard/sign-in/{token}", open_link, methods=["GET"]),
        Route("/dashboard/sign-in", use_link, methods=["POST"]),
        Route("/dashboard/sign-out", sign_out, methods=["POST"]),
    ]
