"""`lateral-screener serve`: the web server for deployments.

One process serves the applicant's web channel (/ and /s/<code>), the Telegram webhook (when
TELEGRAM_BOT_TOKEN is set: updates arrive at PUBLIC_URL/<url-path>), the recruiter dashboard
and /healthz. Several such processes behind a
reverse proxy share one PostgreSQL database: every state lives in it, never in a worker.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from functools import partial

import uvicorn

from bot.logs import configure_logging
from bot.settings import ConfigError, Settings
from bot.telegram_runner import SECRET, serve_with_bot
from bot.web import applicant, dashboard, sign_in
from bot.web.app import RouteSet, Web, Webhook, build_app
from bot.web.keys import secret_key
from bot.web.signing import derived_secret
from storage import Store

# Route lists every `serve` mounts, in order (a channel adds its own here).
ROUTE_SETS: list[RouteSet] = [applicant.routes, sign_in.routes, dashboard.routes]


def base_url(settings: Settings, listen: str, port: int) -> str:
    host = f"[{listen}]" if ":" in listen else listen
    return settings.public_url or f"http://{host}:{port}"


def webhook_secret(args: argparse.Namespace, key: bytes) -> str:
    """--secret-token or WEBHOOK_SECRET, else one derived from the secret key (the same in every worker)."""
    secret = args.secret_token or os.environ.get("WEBHOOK_SECRET") or derived_secret(key, "telegram-webhook")
    if not SECRET.match(secret):
        raise ConfigError("the webhook secret (--secret-token or WEBHOOK_SECRET) must be 1-256 of A-Z a-z 0-9 _ -")
    return secret


def run_serve(settings: Settings, args: argparse.Namespace) -> int:
    key = secret_key(settings, args.listen)
    token = settings.require_token() if settings.telegram_token else None
    if token and not settings.public_url:
        raise ConfigError(
            "serve receives Telegram updates at PUBLIC_URL: set it (for local use without it, run "
            "`lateral-screener telegram`, which polls)"
        )
    secret = webhook_secret(args, key) if token else ""
    level = os.environ.get("LOG_LEVEL", "INFO")
    try:
        configure_logging(level, [token, secret, key.decode()])
    except ValueError:
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}") from None
    store = Store(settings.database_url)
    try:
        bot = None
        deliver = None
        if token:
            from bot.telegram_channel import build_application

            bot = build_application(settings, store)
            deliver = partial(bot.bot_data["channel"].recruiters.deliver, bot.bot)  # web leads reach recruiters too
        web = Web(store, settings, key, base_url(settings, args.listen, args.port), deliver=deliver)
        hook = Webhook(bot, args.url_path, secret) if bot else None
        app = build_app(web, ROUTE_SETS, hook)
        config = uvicorn.Config(
            app,
            host=args.listen,
            port=args.port,
            log_config=None,
            access_log=False,  # request lines carry sign-in tokens and lead ids: not for logs
            lifespan="off",
            server_header=False,
            proxy_headers=True,  # the client's address from the reverse proxy (FORWARDED_ALLOW_IPS)
        )
        url = f"{web.base_url}/{args.url_path.strip('/')}"
        asyncio.run(serve_with_bot(bot, uvicorn.Server(config), url, secret))
    finally:
        store.close()
    return 0
