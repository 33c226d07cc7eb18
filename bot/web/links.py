"""The web server's addresses as others hand them out: a one-time dashboard sign-in link (the
bot's /dashboard, the command line) and a recruiter's web link (`recruiter add`, the QR code)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.settings import Settings
from bot.web.signing import new_token, token_hash
from storage import Store
from storage.models import utcnow
from storage.sign_in import SignIns

LOCAL_BASE_URL = "http://127.0.0.1:8080"  # `lateral-screener serve` with its defaults
SIGN_IN_PATH = "/dashboard/sign-in/"
REFERRAL_PATH = "/s/"  # bot/web/applicant.py: the start page of a recruiter's link


def dashboard_base(settings: Settings) -> str:
    return settings.public_url or LOCAL_BASE_URL


def web_link(settings: Settings, code: str) -> str:
    """A recruiter's link to the screener in a browser."""
    return dashboard_base(settings) + REFERRAL_PATH + code


def sign_in_link(
    store: Store, settings: Settings, recruiter_id: int, now: Callable[[], datetime] = utcnow
) -> tuple[str, datetime] | None:
    """A fresh link and when it expires; None for an unknown or disabled recruiter."""
    token = new_token()
    expires = SignIns(store, now).issue_link(recruiter_id, token_hash(token))
    return (dashboard_base(settings) + SIGN_IN_PATH + token, expires) if expires else None
