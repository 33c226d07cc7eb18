"""Starting the Telegram bot from the command line: polling or webhook, with clear errors.

Webhook mode serves bot/webhook_app.py with uvicorn (PTB's custom-webhook pattern): the
webhook is set at Telegram with its secret, the Application runs without its Updater, and
SIGINT or SIGTERM stops the server first, then the Application, so updates already accepted
are still handled.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal

import uvicorn
from telegram import Update
from telegram.ext import Application

from bot.logs import configure_logging
from bot.messages import send_reliably
from bot.settings import ConfigError, Settings
from bot.telegram_channel import build_application
from bot.webhook_app import webhook_server

SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def run_telegram(settings: Settings, args: argparse.Namespace) -> int:
    token = settings.require_token()
    secret = args.secret_token or os.environ.get("WEBHOOK_SECRET")
    if args.webhook_url and (not secret or not SECRET.match(secret)):
        raise ConfigError("webhook mode needs --secret-token (or WEBHOOK_SECRET): 1-256 characters of A-Z a-z 0-9 _ -")
    secret = secret or ""
    level = os.environ.get("LOG_LEVEL", "INFO")
    try:
        configure_logging(level, [token, secret])
    except ValueError:
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}") from None
    app = build_application(settings)
    if not args.webhook_url:
        app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
        return 0
    asyncio.run(serve_webhook(app, args, secret))
    return 0


async def serve_webhook(app: Application, args: argparse.Namespace, secret: str) -> None:
    """Until SIGINT or SIGTERM: the webhook set at Telegram, our server taking the updates."""
    store = app.bot_data["channel"].store
    server = webhook_server(
        app, listen=args.listen, port=args.port, path=args.url_path, secret=secret, healthy=store.ping
    )
    await serve_with_bot(app, server, args.webhook_url, secret)


async def serve_with_bot(app: Application | None, server: uvicorn.Server, webhook_url: str, secret: str) -> None:
    """Run `server` until SIGINT or SIGTERM; with a bot, the webhook is set at Telegram first and the
    Application runs (without its Updater) for as long as the server does, stopping after it."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # uvicorn stops on these and raises them again once stopped: land them here, not as a kill
        loop.add_signal_handler(signum, lambda: None)
    if app is None:
        await server.serve()
        return
    async with app:
        await send_reliably(
            lambda: app.bot.set_webhook(
                webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES, drop_pending_updates=False
            )
        )
        if app.post_init:
            await app.post_init(app)
        await app.start()
        try:
            await server.serve()
        finally:
            await app.stop()
            if app.post_shutdown:
                await app.post_shutdown(app)
