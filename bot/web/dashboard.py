"""The recruiter dashboard under /dashboard."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.app import Web
from bot.web.pages import page
from bot.web.sessions import signed_in
from storage.sign_in import LINK_MINUTES


def routes(web: Web) -> list[BaseRoute]:
    async def home(request: Request) -> Response:
        me = signed_in(web, request)
        if me is None:
            return page("signed_out.j2", status_code=401, minutes=LINK_MINUTES)
        return page("home.j2", me=me.viewer, csrf=me.csrf(web))

    return [Route("/dashboard", home, methods=["GET"])]
