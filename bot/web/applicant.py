"""The web channel: the screening in a browser, for applicants without Telegram. A thin adapter
over the same Conversation as the terminal and Telegram: a form becomes an event
(dialogs/web_form.py), the turn is committed, then the browser is redirected to the page
(Post/Redirect/Get), which shows the answers so far and what the turn said.

* `GET /` and `GET /s/<code>`: the start page (or the screening under way). Opening a page
  writes nothing (link previews and mail scanners open links too); its button starts the
  screening, attributed to the recruiter of a valid code (unknown, disabled or rotated
  codes start a normal one, as in Telegram).
* `POST /start`, `POST /`: a turn. Every form carries a CSRF token bound to the applicant's
  id and the step token of the page it was on: a double submit or an old tab's form finds
  the token spent and changes nothing ("that question has moved on").
* `GET /checklist.pdf`: the checklist of a finished screening.
* `POST /forget`: start over on this device (the cookie goes; the data stays until deleted
  or purged, as the privacy text says).

URLs carry no personal data: what was typed travels in POST bodies only, and the redirect
after a turn goes to a fixed address.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.checklist_pdf import checklist_pdf
from bot.conversation import Conversation, Referral, Turn, referral_for
from bot.presenter import present
from bot.web import anonymous
from bot.web.app import Web
from bot.web.chat import page_of, state_update
from bot.web.forms import read_form
from bot.web.headers import CSP_WITH_SCRIPT
from bot.web.pages import page
from dialogs.interview import DONE, Event, Flow, Reply, assessment_for
from dialogs.questions import BY_ID
from dialogs.web_form import form_event
from storage import SessionSnapshot
from storage.recruiting import Recruiting

log = logging.getLogger(__name__)
CHANNEL = "web"
SCRIPTED = {"Content-Security-Policy": CSP_WITH_SCRIPT}
TURN = "/#turn"  # where a turn's page opens: at what the turn said
MOVED_ON = "/?moved=1#turn"
DELETED = "/?deleted=1"


def routes(web: Web) -> list[BaseRoute]:
    zone = ZoneInfo(web.settings.timezone)

    def today() -> date:
        return web.now().astimezone(zone).date()

    conversation = Conversation(web.store, CHANNEL, today)
    recruiting = Recruiting(web.store, web.now)
    update = state_update(web.settings)

    def expired() -> Response:
        return page("form_expired.j2", status_code=400, headers=SCRIPTED, applicant=True)

    def start_page(
        user_id: str | None,
        referral: Referral | None = None,
        session: SessionSnapshot | None = None,
        deleted: bool = False,
    ) -> Response:
        """The start page; it gives a new browser its id (nothing is stored until it starts). With
        a screening under way (a recruiter's link opened again), its button continues it."""
        new = user_id is None
        user_id = user_id or anonymous.new_id()
        response = page(
            "start.j2",
            headers=SCRIPTED,
            csrf=anonymous.csrf(web, user_id),
            code=referral.code if referral else "",
            recruiter=referral.recruiter if referral else None,
            step=session.channel_state.get("ask", 0) if session else 0,
            resuming=session is not None,
            deleted=deleted,
        )
        if new:
            anonymous.keep(response, web, user_id)
        return response

    def chat_page(session: SessionSnapshot, user_id: str, moved: bool) -> Response:
        flow = Conversation.flow_of(session)
        response = page(
            "chat.j2",
            headers=SCRIPTED,
            p=page_of(session, flow, today()),
            csrf=anonymous.csrf(web, user_id),
            moved=moved,
            questions=BY_ID,
            moved_text=present(Reply("note", params={"code": "stale"}), {}, web=True),
        )
        anonymous.keep(response, web, user_id)  # a visit keeps the cookie as long as the data
        return response

    async def home(request: Request) -> Response:
        user_id = anonymous.applicant_id(web, request)
        session = await run_in_threadpool(conversation.current, user_id) if user_id else None
        if session is None or user_id is None:
            return start_page(user_id, deleted=request.query_params.get("deleted") == "1")
        return chat_page(session, user_id, request.query_params.get("moved") == "1")

    async def referred(request: Request) -> Response:
        user_id = anonymous.applicant_id(web, request)
        referral = await run_in_threadpool(referral_for, recruiting, request.path_params["code"])
        session = await run_in_threadpool(conversation.current, user_id) if user_id else None
        return start_page(user_id, referral, session)

    def is_current(form: Mapping[str, str], session: SessionSnapshot) -> bool:
        return form.get("step") == str(session.channel_state.get("ask", 0))

    async def after(turn: Turn | None) -> Response:
        if turn is None:
            return RedirectResponse(MOVED_ON, status_code=303)
        if turn.lead_events and web.deliver is not None:
            try:
                await web.deliver(turn.lead_events)
            except Exception:  # noqa: BLE001 - the lead is stored and on the dashboard; the applicant is not told of this
                log.warning("could not tell the recruiters about a web lead", exc_info=True)
        if turn.session is None:  # deleted: the cookie goes with the data
            response = RedirectResponse(DELETED, status_code=303)
            anonymous.forget(response, web)
            return response
        return RedirectResponse(TURN, status_code=303)

    async def start(request: Request) -> Response:
        form = await read_form(request)
        user_id = anonymous.applicant_id(web, request)
        if form is None or user_id is None or not anonymous.csrf_valid(web, user_id, form.get("csrf")):
            return expired()
        referral = await run_in_threadpool(referral_for, recruiting, form.get("code") or None)
        current = await run_in_threadpool(conversation.current, user_id)
        if current is not None and not is_current(form, current):
            return await after(None)
        turn = await run_in_threadpool(lambda: conversation.begin(user_id, referral=referral, state_update=update))
        return await after(turn)

    async def answer(request: Request) -> Response:
        form = await read_form(request)
        user_id = anonymous.applicant_id(web, request)
        if form is None or user_id is None or not anonymous.csrf_valid(web, user_id, form.get("csrf")):
            return expired()
        if await run_in_threadpool(conversation.current, user_id) is None:
            return RedirectResponse("/", status_code=303)  # deleted meanwhile (another tab): start again

        def event_for(session: SessionSnapshot, flow: Flow) -> Event | None:
            """Judged on the session the turn applies to, inside the write's retry: a double
            submit or a form of an older page finds its step token spent."""
            return form_event(form, flow, today()) if is_current(form, session) else None

        turn = await run_in_threadpool(lambda: conversation.handle(user_id, event_for, state_update=update))
        return await after(turn)

    async def checklist(request: Request) -> Response:
        user_id = anonymous.applicant_id(web, request)
        session = await run_in_threadpool(conversation.current, user_id) if user_id else None
        if session is None or Conversation.flow_of(session).phase != DONE:
            return page("error.j2", status_code=404, kind="not_found")
        day = today()
        assessment = assessment_for(session.answers, day)
        pdf = await asyncio.to_thread(checklist_pdf, assessment)
        name = f"lateral-entry-checklist-{assessment.as_of.isoformat()}.pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    async def forget(request: Request) -> Response:
        form = await read_form(request)
        user_id = anonymous.applicant_id(web, request)
        if form is None or not anonymous.csrf_valid(web, user_id, form.get("csrf")):
            return expired()
        response = RedirectResponse("/", status_code=303)
        anonymous.forget(response, web)
        return response

    return [
        Route("/", home, methods=["GET"]),
        Route("/", answer, methods=["POST"]),
        Route("/s/{code}", referred, methods=["GET"]),
        Route("/start", start, methods=["POST"]),
        Route("/checklist.pdf", checklist, methods=["GET"]),
        Route("/forget", forget, methods=["POST"]),
    ]
