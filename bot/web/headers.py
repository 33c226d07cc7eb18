"""Security headers on every response (pure ASGI middleware, so streaming responses keep streaming).

The pages need nothing but their own stylesheet and inline SVG drawn with presentation
attributes: no script, no inline style, no frames, no third-party origin. The applicant's chat
pages set their own policy (CSP_WITH_SCRIPT: the same plus the project's one script file), which
this middleware leaves in place.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# The applicant's pages add their own small script (bot/web/static/chat.js), from this origin only;
# it posts the page's forms with fetch. Still no inline script and no other origin.
CSP_WITH_SCRIPT = CSP + "; script-src 'self'; connect-src 'self'"
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),  # a sign-in link never leaves in a Referer
    (b"x-content-type-options", b"nosniff"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.headers = HEADERS + ((b"strict-transport-security", b"max-age=31536000"),) if https else HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
