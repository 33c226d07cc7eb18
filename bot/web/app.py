"""The ASGI application of `lateral-screener serve`, built from lists of routes.

`Web` holds what every route needs (store, settings, key, clock); a route module offers a
function `routes(web) -> list[BaseRoute]`, and `build_app` mounts each list it is given next
to the ones every deployment has: the Telegram webhook (when a bot is given), /healthz and the
stylesheet. The dashboard lives under /dashboard; `/` and `/s/...` are left to the applicant's
web channel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from telegram.ext import Application

from bot.settings import Settings
from bot.web.headers import SecurityHeaders
from bot.webhook_app import health_route, webhook_routes
from storage import Store
from storage.models import utcnow

STATIC_DIR = Path(__file__).resolve().parent / "static"
RouteSet = Callable[["Web"], list[BaseRoute]]


@dataclass(frozen=True)
class Web:
    store: Store
    settings: Settings
    key: bytes  # bot/web/keys.py
    base_url: str  # where browsers reach the app: PUBLIC_URL, else the listen address
    now: Callable[[], datetime] = field(default=utcnow)

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
    return Starlette(routes=routes, middleware=[Middleware(SecurityHeaders, https=web.https)])
