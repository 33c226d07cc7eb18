"""The single exception type the stand-in's method handlers raise.

Every failure a real Bot API server reports travels as ``{"ok": false, "error_code": N,
"description": "..."}`` with the HTTP status equal to ``error_code``; handlers raise
:class:`ApiError` and the HTTP layer turns it into exactly that shape, so no handler ever
has to know about aiohttp.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API error response (``ok: false``)."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(f"{error_code}: {description}")
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def to_payload(self) -> dict[str, Any]:
        """Render the error exactly as api.telegram.org does."""
        payload: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            payload["parameters"] = {"retry_after": self.retry_after}
        return payload


def bad_request(reason: str) -> ApiError:
    """Shortcut for the very common ``400 Bad Request: <reason>``."""
    return ApiError(400, f"Bad Request: {reason}")


UNAUTHORIZED = "Unauthorized"
NOT_FOUND = "Not Found"
