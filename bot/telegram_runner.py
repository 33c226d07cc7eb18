"""Starting the Telegram bot from the command line: polling or webhook, with clear errors."""
from __future__ import annotations

import argparse
import logging
import os
import re

from telegram import Update

from bot.settings import ConfigError, Settings
from bot.telegram_channel import build_application

SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def run_telegram(settings: Settings, args: argparse.Namespace) -> int:
    settings.require_token()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = build_application(settings)
    if not args.webhook_url:
        app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
        return 0
    secret = args.secret_token or os.environ.get("WEBHOOK_SECRET")
    if not secret or not SECRET.match(secret):
        raise ConfigError("webhook mode needs --secret-token (or WEBHOOK_SECRET): 1-256 characters of A-Z a-z 0-9 _ -")
    app.run_webhook(listen=args.listen, port=args.port, url_path=args.url_path, webhook_url=args.webhook_url,
                    secret_token=secret, allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0
