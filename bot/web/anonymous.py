"""The anonymous applicant of the web channel: a random id in a signed cookie, no account.

The cookie holds `sign(key, "applicant", id)`: a browser cannot forge or alter it, so a
tampered cookie is no applicant at all (never somebody else). HttpOnly (no script reads it),
SameSite=Lax (sent when the applicant follows a link to the screener, never with another
site's form post), Secure with the `__Host-` prefix behind https, and kept as long as a
shared result may be (so a later visit can still withdraw it). Every form of the applicant's
pages carries a CSRF token bound to the id.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response

from bot.web.app import Web
from bot.web.signing import csrf_ok, csrf_token, sign, unsign

PURPOSE = "applicant"
ID_BYTES = 16  # 128 bits: not guessable, not a counter


def cookie_name(web: Web) -> str:
    return "__Host-applicant" if web.https else "applicant"


def new_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def applicant_id(web: Web, request: Request) -> str | None:
    """The id of a well-signed cookie; None without one (or with a forged or altered one)."""
    return unsign(web.key, PURPOSE, request.cookies.get(cookie_name(web)))


def keep(response: Response, web: Web, user_id: str) -> None:
    response.set_cookie(
        cookie_name(web),
        sign(web.key, PURPOSE, user_id),
        max_age=web.settings.lead_retention_days * 86400,
        path="/",
        secure=web.https,
        httponly=True,
        samesite="lax",
    )


def forget(response: Response, web: Web) -> None:
    response.delete_cookie(cookie_name(web), path="/", secure=web.https, httponly=True, samesite="lax")


def csrf(web: Web, user_id: str) -> str:
    return csrf_token(web.key, f"{PURPOSE}:{user_id}")


def csrf_valid(web: Web, user_id: str | None, given: str | None) -> bool:
    return user_id is not None and csrf_ok(web.key, f"{PURPOSE}:{user_id}", given)
