"""Who is signed in: the session cookie, its CSRF token, and the client key for rate limits.

The cookie holds a random token (the database keeps its hash): HttpOnly, SameSite=Strict,
Secure with the `__Host-` prefix behind https, 12 hours. Every form of a signed-in page
carries `csrf_token(key, "session:" + token)`; the sign-in form, before there is a session,
is bound the same way to a nonce cookie of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from bot.web.app import Web
from bot.web.signing import csrf_ok, csrf_token, token_hash
from storage.sign_in import LINK_MINUTES, SESSION_HOURS, SignIns, Viewer


def session_cookie(web: Web) -> str:
    return "__Host-session" if web.https else "session"


def nonce_cookie(web: Web) -> str:
    return "__Host-sign_in" if web.https else "sign_in"


def set_cookie(response: Response, web: Web, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", secure=web.https, httponly=True, samesite="strict")


def start_session(response: Response, web: Web, token: str) -> None:
    set_cookie(response, web, session_cookie(web), token, SESSION_HOURS * 3600)


def set_nonce(response: Response, web: Web, nonce: str) -> None:
    set_cookie(response, web, nonce_cookie(web), nonce, LINK_MINUTES * 60)


def forget(response: Response, web: Web, name: str) -> None:
    response.delete_cookie(name, path="/", secure=web.https, httponly=True, samesite="strict")


@dataclass(frozen=True)
class SignedIn:
    viewer: Viewer
    token: str  # the session cookie's

    def csrf(self, web: Web) -> str:
        return csrf_token(web.key, "session:" + self.token)

    def csrf_ok(self, web: Web, given: str | None) -> bool:
        return csrf_ok(web.key, "session:" + self.token, given)


def signed_in(web: Web, request: Request) -> SignedIn | None:
    token = request.cookies.get(session_cookie(web))
    if not token:
        return None
    viewer = SignIns(web.store, web.now).viewer(token_hash(token))
    return SignedIn(viewer, token) if viewer else None


def client_key(web: Web, request: Request) -> str:
    """Who to count refused links against: a keyed hash of the client address (from the
    reverse proxy's X-Forwarded-For when uvicorn trusts it), never the address itself."""
    host = request.client.host if request.client else "unknown"
    return csrf_token(web.key, "client:" + host)
