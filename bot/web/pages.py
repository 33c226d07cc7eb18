"""HTML pages from templates/web, rendered by the same autoescaping Jinja2 environment (and
filters) as the Telegram messages, so names and contacts typed by anyone are escaped and every
label, date and figure is written the way the rest of the project writes it."""

from __future__ import annotations

from typing import Any

from starlette.responses import HTMLResponse

from bot.render import environment

NO_STORE = {"Cache-Control": "no-store"}  # pages show personal data: no shared or back-button caches


def render_page(name: str, **context: Any) -> str:
    return environment(True).get_template(f"web/{name}").render(**context)


def page(name: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    return HTMLResponse(render_page(name, **context), status_code=status_code, headers={**NO_STORE, **(headers or {})})
