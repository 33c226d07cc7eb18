"""The bot's logging: one handler on the root logger that never writes a secret.

The bot token is part of every Bot API URL (`.../bot<token>/sendMessage`), and the HTTP
client logs those URLs (httpx at INFO, httpcore at DEBUG), as do tracebacks of network
errors; PTB logs the parameters of setWebhook, the webhook secret among them, at DEBUG. The
filter rewrites each record, message, traceback and stack alike, before any handler formats
it: the configured secrets, anything shaped like a bot token and the `/bot<...>/` path part.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import TextIO

REDACTED = "<redacted>"
_TOKEN_SHAPE = re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{30,}")
_BOT_PATH = re.compile(r"/bot[^/\s'\"]+/")
QUIET_BELOW_DEBUG = ("httpx", "httpcore")  # one line per HTTP request at INFO: only at DEBUG


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = sorted((s for s in secrets if s), key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = _TOKEN_SHAPE.sub(REDACTED, text)
        return _BOT_PATH.sub(f"/bot{REDACTED}/", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(level: str, secrets: Iterable[str | None], stream: TextIO | None = None) -> logging.Handler:
    """Log to `stream` (stderr) at `level`, secrets redacted; returns the handler (tests remove it).
    Raises ValueError for an unknown level name."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(numeric)
    for name in QUIET_BELOW_DEBUG:
        logging.getLogger(name).setLevel(logging.DEBUG if numeric <= logging.DEBUG else logging.WARNING)
    return handler
