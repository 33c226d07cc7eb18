"""The ASGI application of `lateral-screener serve`, built from lists of routes.

`Web` holds what every route needs (store, settings, key, clock); a route module offers a
function `routes(web) -> list[BaseRoute]`, and `build_app` mounts each list it is given next
to the ones every deployment has: the Telegram webhook (when a bot is given), /healthz and the
stylesheet. The dashboard lives under /dashboard; `/` and `/s/...` are left to the applicant's
web channel.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from telegram.ext import Application

from bot.errors import describe
from bot.settings import Settings
from bot.web.headers import SecurityHeaders
from bot.web.pages import page
from bot.webhook_app import health_route, webhook_routes
from storage import Store, database_location
from storage.leads import LeadEvent
from storage.models import utcnow

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
RouteSet = Callable[["Web"], list[BaseRoute]]


@dataclass(frozen=True)
class Web:
    store: Store
    settings: Settings
    key: bytes  # bot/web/keys.py
    base_url: str  # where browsers reach the app: PUBLIC_URL, else the listen address
    now: Callable[[], datetime] = field(default=utcnow)
    # Tells recruiters what an applicant's web turn did to their leads (Telegram, when `serve`
    # runs the bot); without it the leads are stored and shown on the dashboard all the same.
    deliver: Callable[[tuple[LeadEvent, ...]], Awaitable[None]] | None = None

    @property
    def https(self) -> bool:
        """Cookies are marked Secure (and HSTS sent) when browsers come over https."""
        return self.base_url.startswith("https://")


@dataclass(frozen=True)
class Webhook:
    application: Application
    path: str
    secret: str


def build_app(web: Web, route_sets: Sequence[RouteSet] = (), webhook: Webhook | None = None) -> Starlette:
    routes: list[BaseRoute] = []
    if webhook is not None:
        routes += webhook_routes(webhook.application, path=webhook.path, secret=webhook.secret)
    routes.append(health_route(web.store.check_ready))
    routes.append(Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"))
    for route_set in route_sets:
        routes += route_set(web)
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders, https=web.https)],
        exception_handlers={HTTPException: _http_error, Exception: _server_error(web)},
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """A page that says what happened and where to go, never Starlette's bare text."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return page("error.j2", status_code=status, kind="not_found" if status in (404, 405) else "error")


def _server_error(web: Web) -> Callable[[Request, Exception], Awaitable[Response]]:
    """Never a traceback in the browser: a database that cannot be reached is one log line and a
    page asking to try again in a moment; anything else is a bug, logged with its traceback."""

    async def handler(request: Request, exc: Exception) -> Response:
        failure = describe(exc, database_location(web.store.url))
        if failure is not None:
            log.error("could not answer a request: %s", failure.line)
            return page("error.j2", status_code=503, kind="unavailable")
        log.error("error while answering a request", exc_info=exc)
        return page("error.j2", status_code=500, kind="error")

    return handler
