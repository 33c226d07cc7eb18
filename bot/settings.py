"""Configuration from the environment (documented in the README)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")


class ConfigError(ValueError):
    """A setting that cannot work; the message is one line for the user."""


MAX_DAYS = 36500  # a hundred years: any longer is a typo (and would overflow a date)


def positive_days(name: str, value: str | None, default: int) -> int:
    """A number of days from the environment or the command line: a whole number, 1 to MAX_DAYS."""
    if value is None or not value.strip():
        return default
    text = value.strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise ConfigError(f"{name} must be a whole number of days from 1 to {MAX_DAYS}, not {value!r}")
    return int(text)


def public_url(value: str | None) -> str | None:
    """PUBLIC_URL without its trailing slash: http(s), a host, optionally a port and a path prefix."""
    if value is None or not value.strip():
        return None
    text = value.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"PUBLIC_URL must be an http(s) address such as https://screener.example.org, not {value!r}")
    return text


@dataclass(frozen=True)
class Settings:
    database_url: str
    telegram_token: str | None = None
    bot_username: str | None = None
    retention_days: int = 30  # unfinished and unshared screenings
    lead_retention_days: int = 365  # a shared lead, after its last share
    timezone: str = "America/Chicago"  # the agency's: times shown to recruiters
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    telegram_max_rate: float = 30.0  # messages per second overall (Telegram's documented limit)
    public_url: str | None = None  # where `serve` is reached from outside, e.g. https://screener.example.org
    secret_key: str | None = None  # signs the web server's cookies and tokens (bot/web/keys.py)

    @classmethod
    def from_environment(cls) -> Settings:
        from storage import database_url_from_environment

        zone = os.environ.get("TIMEZONE", "").strip() or cls.timezone
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"TIMEZONE must be a time zone name such as America/Chicago, not {zone!r}") from None
        rate = os.environ.get("TELEGRAM_MAX_RATE", "30")
        try:
            max_rate = float(rate)
        except ValueError:
            max_rate = 0.0
        if not max_rate > 0:
            raise ConfigError(f"TELEGRAM_MAX_RATE must be a number of messages per second > 0, not {rate!r}")
        return cls(
            database_url=database_url_from_environment(),
            telegram_token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
            bot_username=os.environ.get("BOT_USERNAME") or None,
            retention_days=positive_days("RETENTION_DAYS", os.environ.get("RETENTION_DAYS"), cls.retention_days),
            lead_retention_days=positive_days(
                "LEAD_RETENTION_DAYS", os.environ.get("LEAD_RETENTION_DAYS"), cls.lead_retention_days
            ),
            timezone=zone,
            telegram_base_url=os.environ.get("TELEGRAM_API_BASE_URL", cls.telegram_base_url),
            telegram_base_file_url=os.environ.get("TELEGRAM_API_BASE_FILE_URL", cls.telegram_base_file_url),
            telegram_max_rate=max_rate,
            public_url=public_url(os.environ.get("PUBLIC_URL")),
            secret_key=os.environ.get("SECRET_KEY") or None,
        )

    def require_token(self) -> str:
        token = self.telegram_token
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it")
        if not TOKEN_PATTERN.match(token):
            raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (expected 123456789:ABC...)")
        return token
