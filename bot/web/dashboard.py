"""The recruiter dashboard under /dashboard (pages filled in by the following commits)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.app import Web
from bot.web.pages import page


def routes(web: Web) -> list[BaseRoute]:
    async def home(request: Request) -> Response:
        return page("signed_out.j2")

    return [Route("/dashboard", home, methods=["GET"])]
